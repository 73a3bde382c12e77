"""Descriptive profiles of an edition's population: who lives in urban, rural and coastal areas.

These are plain population-weighted summaries of the small-area ``areas`` table (one row
per LSOA with ``population``, ``urban_rural``, ``coastal``, ``core20``), used by the
"Population and places" chapter.
"""

from __future__ import annotations

import pandas as pd

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
