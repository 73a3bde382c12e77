"""Descriptive profiles of an edition's population: who lives in urban, rural and coastal areas.

These are plain population-weighted summaries of the small-area ``areas`` table (one row
per LSOA with ``population``, ``urban_rural``, ``coastal``, ``core20``), used by the
"Population and places" chapter.
"""

from __future__ import annotations

import pandas as pd

from inequalities.data import Dataset
from inequalities.topics.base import Measure

#: The groups of the population profile, in display order, as (label, boolean column rule).
PROFILE_GROUPS: tuple[tuple[str, str], ...] = (
    ("Urban", "urban_rural == 'Urban'"),
    ("Rural", "urban_rural == 'Rural'"),
    ("Coastal", "coastal"),
    ("Non-coastal", "not coastal"),
    ("Core20 (most deprived fifth of England)", "core20"),
    ("All areas", "population >= 0"),
)


def population_profile(areas: pd.DataFrame) -> pd.DataFrame:
    """Return small areas, population and population share (%) per profile group.

    Columns: ``group``, ``areas`` (count of small areas), ``population`` (persons) and
    ``share`` (per cent of the edition's population). Groups overlap (a coastal area is also
    urban or rural); each share is of the whole population.
    """
    required = {"population", "urban_rural", "coastal", "core20"}
    missing = required - set(areas.columns)
    if missing:
        raise ValueError(f"areas table lacks column(s) {sorted(missing)} needed for the "
                         "population profile")
    total = areas["population"].sum()
    rows = []
    for label, rule in PROFILE_GROUPS:
        mask = areas.eval(rule)
        population = int(areas.loc[mask, "population"].sum())
        rows.append({"group": label, "areas": int(mask.sum()), "population": population,
                     "share": 100 * population / total if total else float("nan")})
    return pd.DataFrame(rows)


def share_by_region(areas: pd.DataFrame, rule: str, *, name: str = "share") -> pd.DataFrame:
    """Per cent of each region's population in areas matching ``rule``, plus England.

    ``rule`` is a :meth:`pandas.DataFrame.eval` boolean expression over ``areas`` columns,
    for example ``"urban_rural == 'Rural'"``. Columns: ``region_code``, ``region_name``,
    ``name`` (the share in per cent), ``population``; England last with code E92000001.
    """
    flagged = areas.assign(_in=areas.eval(rule).astype(bool))
    flagged["_pop_in"] = flagged["population"].where(flagged["_in"], 0)
    regions = (flagged.groupby(["region_code", "region_name"], as_index=False)
               .agg(population=("population", "sum"), _pop_in=("_pop_in", "sum")))
    england = pd.DataFrame({"region_code": ["E92000001"], "region_name": ["England"],
                            "population": [regions["population"].sum()],
                            "_pop_in": [regions["_pop_in"].sum()]})
    out = pd.concat([regions.sort_values("region_code"), england], ignore_index=True)
    out[name] = 100 * out["_pop_in"] / out["population"]
    return out[["region_code", "region_name", name, "population"]]


def _group_masks(areas: pd.DataFrame, *, core20: bool = False):
    for label, rule in PROFILE_GROUPS:
        if label.startswith("Core20") and not core20:
            continue
        yield label, areas.eval(rule).astype(bool)


def age_profile(areas: pd.DataFrame) -> pd.DataFrame:
    """Per cent of each place group's population aged 65 and over.

    Population-weighted over small areas: ``sum(pct_65_plus * population) / sum(population)``
    (ONS mid-2019 estimates). Columns ``group`` (All areas, Urban, Rural, Coastal,
    Non-coastal, Core20), ``population``, ``pct_65_plus``; groups with no population are
    left out.
    """
    missing = {"population", "pct_65_plus", "urban_rural", "coastal", "core20"} - set(areas)
    if missing:
        raise ValueError(f"areas table lacks column(s) {sorted(missing)} needed for the age "
                         "profile")
    older = areas["pct_65_plus"].astype(float) * areas["population"] / 100
    rows = []
    for label, mask in _group_masks(areas, core20=True):
        population = float(areas.loc[mask, "population"].sum())
        if population > 0:
            rows.append({"group": label, "population": int(population),
                         "pct_65_plus": 100 * float(older[mask].sum()) / population})
    return pd.DataFrame(rows, columns=["group", "population", "pct_65_plus"])


def deprivation_profile(areas: pd.DataFrame) -> pd.DataFrame:
    """Per cent of each place group's population in each national IMD 2019 quintile.

    Quintile 1 is England's most deprived fifth of small areas (so the "All areas" row of
    England is about 20% in each). Columns ``group`` (All areas, Urban, Rural, Coastal,
    Non-coastal), ``imd_quintile`` (1-5), ``share`` (per cent of the group's population);
    every group has all five quintiles (0 where none).
    """
    missing = {"population", "imd_quintile", "urban_rural", "coastal"} - set(areas)
    if missing:
        raise ValueError(f"areas table lacks column(s) {sorted(missing)} needed for the "
                         "deprivation profile")
    parts = []
    quintile = areas["imd_quintile"].astype(int)
    for label, mask in _group_masks(areas):
        total = float(areas.loc[mask, "population"].sum())
        if total <= 0:
            continue
        pops = (areas.loc[mask, "population"].groupby(quintile[mask]).sum()
                .reindex(range(1, 6), fill_value=0))
        parts.append(pd.DataFrame({"group": label, "imd_quintile": range(1, 6),
                                   "share": 100 * pops.to_numpy(dtype=float) / total}))
    return pd.concat(parts, ignore_index=True)


def _population_share(dataset: Dataset) -> pd.DataFrame:
    profile = population_profile(dataset.areas)
    return profile.rename(columns={"share": "value"})[["group", "value"]]


def _age_65(dataset: Dataset) -> pd.DataFrame:
    profile = age_profile(dataset.areas)
    return profile.rename(columns={"pct_65_plus": "value"})[["group", "value"]]


def _deprivation_share(dataset: Dataset) -> pd.DataFrame:
    profile = deprivation_profile(dataset.areas)
    return pd.DataFrame({"group": profile["group"] + "|" + profile["imd_quintile"].astype(str),
                         "value": profile["share"]})


#: England's comparators for the population chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("population_share", _population_share, 1,
            "Per cent of the population in each profile group (urban, rural, coastal, Core20)"),
    Measure("age_65_plus", _age_65, 1, "Per cent of each profile group's population aged 65+"),
    Measure("deprivation_share", _deprivation_share, 1,
            "Per cent of each place group's population in each national IMD quintile"),
)
