"""Descriptive profiles of an edition's population: who lives in urban, rural and coastal areas.

These are plain population-weighted summaries of the small-area ``areas`` table (one row
per LSOA with ``population``, ``urban_rural``, ``coastal``, ``core20``), used by the
"Population and places" chapter.

Statistics of a table of small areas:

* :func:`population_profile` - small areas, population and share per profile group;
* :func:`share_by_region` - per cent of each region's population in areas matching a rule;
* :func:`age_profile` - per cent aged 65 and over per place group;
* :func:`deprivation_profile` - population share in each national IMD quintile per group.

What the chapter's notebook shows, for an edition (:class:`~inequalities.topics.base.EditionData`):

* :func:`profile_table` - the population profile table, with England's shares for a region;
* :func:`rural_share_by_region` and :func:`rural_share_chart` - rural share by region;
* :func:`age_65_by_place` and :func:`age_chart` - aged 65+ by place group, with England's;
* :func:`deprivation_by_place` and :func:`deprivation_chart` - IMD quintile shares by place
  group (a region's rows followed by England's);
* :func:`key_figures` - the numbers the chapter quotes (``data.*``, ``population.*``).
"""

from __future__ import annotations

import pandas as pd

from inequalities.data import Dataset, editions
from inequalities.report import charts, ledger
from inequalities.topics import _places as places
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "region_code", "region_name", "ons_region_code", "urban_rural", "coastal",
        "imd_quintile", "core20", "population", "pct_65_plus",
    ),
}

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
    ``name`` (the share in per cent), ``population``, ``areas`` (small areas); England last
    with code E92000001.
    """
    flagged = areas.assign(_in=areas.eval(rule).astype(bool))
    flagged["_pop_in"] = flagged["population"].where(flagged["_in"], 0)
    regions = (flagged.groupby(["region_code", "region_name"], as_index=False)
               .agg(population=("population", "sum"), _pop_in=("_pop_in", "sum"),
                    areas=("population", "size")))
    england = pd.DataFrame({"region_code": ["E92000001"], "region_name": ["England"],
                            "population": [regions["population"].sum()],
                            "_pop_in": [regions["_pop_in"].sum()],
                            "areas": [regions["areas"].sum()]})
    out = pd.concat([regions.sort_values("region_code"), england], ignore_index=True)
    out[name] = 100 * out["_pop_in"] / out["population"]
    return out[["region_code", "region_name", name, "population", "areas"]]


def _group_masks(areas: pd.DataFrame, *, core20: bool = False):
    for label, rule in PROFILE_GROUPS:
        if label.startswith("Core20") and not core20:
            continue
        yield label, areas.eval(rule).astype(bool)


def age_profile(areas: pd.DataFrame) -> pd.DataFrame:
    """Per cent of each place group's population aged 65 and over.

    Population-weighted over small areas: ``sum(pct_65_plus * population) / sum(population)``
    (the vintage's population base). Columns ``group`` (All areas, Urban, Rural, Coastal,
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
    """Per cent of each place group's population in each national IMD quintile (of the
    data vintage's Indices of Deprivation).

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


def _profile_areas(dataset: Dataset) -> pd.DataFrame:
    profile = population_profile(dataset.areas)
    return profile.rename(columns={"areas": "value"})[["group", "value"]]


def _rural_by_region(dataset: Dataset) -> pd.DataFrame:
    rural = share_by_region(dataset.areas, "urban_rural == 'Rural'", name="share")
    long = rural.melt(id_vars="region_code", value_vars=["share", "areas"], var_name="stat")
    long["group"] = [places.key(c, s) for c, s in zip(long["region_code"], long["stat"])]
    return long[["group", "value"]].sort_values("group").reset_index(drop=True)


#: England's comparators for the population chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("profile_areas", _profile_areas, 0,
            "Small areas (LSOAs) in each profile group (urban, rural, coastal, Core20)"),
    Measure("rural_share_by_region", _rural_by_region, 1,
            "Per cent of each region's population in rural small areas, and its small areas"),
    Measure("population_share", _population_share, 1,
            "Per cent of the population in each profile group (urban, rural, coastal, Core20)"),
    Measure("age_65_plus", _age_65, 1, "Per cent of each profile group's population aged 65+"),
    Measure("deprivation_share", _deprivation_share, 1,
            "Per cent of each place group's population in each national IMD quintile"),
)


ENGLAND_CODE = "E92000001"
CORE20 = "Core20 (most deprived fifth of England)"


def profile_table(ed: EditionData, profile: pd.DataFrame) -> pd.DataFrame:
    """The population profile as shown: one row per group of :func:`population_profile`.

    Columns Group, Small areas, Population, "% of <edition>" and, for a region, "% of
    England" (England's share of the same group).
    """
    table = profile.rename(columns={"group": "Group", "areas": "Small areas",
                                    "population": "Population",
                                    "share": f"% of {ed.edition.name}"})
    if not ed.edition.is_england:
        table["% of England"] = profile["group"].map(ed.england("population_share")).to_numpy()
    return table


def rural_share_by_region(ed: EditionData) -> pd.DataFrame:
    """Per cent of each of England's nine regions' population in rural small areas, then
    England's, from the national ``rural_share_by_region`` measure (so a region's edition
    shows every region, its own highlighted). Names are the data's where the edition has
    them, else the registry's.

    Columns ``region_code``, ``region_name``, ``rural_share`` (%), ``areas`` (small areas).
    """
    table = places.unpack(ed.england("rural_share_by_region"), ["region_code", "stat"])
    wide = table.pivot(index="region_code", columns="stat", values="value").reset_index()
    areas = ed.data.areas
    named = (areas.drop_duplicates("region_code").set_index("region_code")["region_name"]
             if {"region_code", "region_name"} <= set(areas.columns) else {})
    wide["region_name"] = [named.get(code, editions.by_code(code).name)
                           for code in wide["region_code"]]
    wide["_england"] = wide["region_code"] == ENGLAND_CODE
    wide = wide.sort_values(["_england", "region_code"]).reset_index(drop=True)
    return pd.DataFrame({"region_code": wide["region_code"], "region_name": wide["region_name"],
                         "rural_share": wide["share"].astype(float),
                         "areas": wide["areas"].astype(float).round().astype(int)})


def rural_share_chart(rural: pd.DataFrame, ed: EditionData):
    """Bar chart of :func:`rural_share_by_region`, the edition's region highlighted."""
    return charts.region_bars(
        rural, value="rural_share", title="Population in rural areas",
        axis_title="% of population in rural small areas",
        highlight=None if ed.edition.is_england else own_regions(ed),
        highlight_label=("This edition" if ed.edition.set == "ons-region" else
                         "Region of this edition" if len(own_regions(ed)) == 1 else
                         "Regions of this edition"),
        source=source_ruc(ed), description="Rural population share by region")


def own_regions(ed: EditionData) -> list[str]:
    """The ONS regions an edition lies in: its own code for a region's edition, else the
    regions of its small areas (an ICB or NHS England region)."""
    if ed.edition.set == "ons-region":
        return [ed.edition.code]
    areas = ed.data.areas
    # An NHS edition's areas carry the edition as ``region_code`` and the ONS region as
    # ``ons_region_code``.
    column = "ons_region_code" if "ons_region_code" in areas else "region_code"
    return sorted(areas[column].dropna().unique()) if column in areas else []


def age_65_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`age_profile` of the edition with ``england``, England's value of each group."""
    age = age_profile(ed.data.areas)
    age["england"] = age["group"].map(ed.england("age_65_plus")).astype(float)
    return age


def age_chart(age: pd.DataFrame, ed: EditionData):
    """Bar chart of :func:`age_65_by_place`, England's values as ticks."""
    return charts.group_bars(age, value="pct_65_plus", axis_title="% aged 65 and over",
                             title="Population aged 65 and over",
                             source=ed.vintage.population_source,
                             description="Per cent aged 65+ by type of area")


def _england_deprivation(national: pd.Series) -> pd.DataFrame:
    table = places.unpack(national, ["group", "imd_quintile"])
    return pd.DataFrame({"group": table["group"].to_numpy(),
                         "imd_quintile": table["imd_quintile"].astype(int).to_numpy(),
                         "share": table["value"].to_numpy(),
                         "row": (table["group"] + " (England)").to_numpy()})


def deprivation_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`deprivation_profile` of the edition, labelled for the chart by ``row``.

    For England ``row`` is the group. For a region, ``row`` is "<group> (<region>)" and
    each group's rows are followed by England's ("<group> (England)") for the groups the
    region has.
    """
    own = deprivation_profile(ed.data.areas)
    if ed.edition.is_england:
        return own.assign(row=own["group"])
    own = own.assign(row=own["group"] + f" ({ed.edition.name})")
    england = _england_deprivation(ed.england("deprivation_share"))
    order = {group: i for i, group in enumerate(own["group"].unique())}
    both = pd.concat([own, england], ignore_index=True)
    both = both[both["group"].isin(order)]
    both = both.assign(_o=both["group"].map(order), _e=both["row"].str.endswith("(England)"))
    return (both.sort_values(["_o", "_e", "imd_quintile"], kind="stable")
            .drop(columns=["_o", "_e"]).reset_index(drop=True))


def deprivation_chart(deprivation: pd.DataFrame, ed: EditionData):
    """Stacked bars of :func:`deprivation_by_place`: each row's population by IMD quintile."""
    return charts.quintile_bars(
        deprivation, title="Population by national deprivation quintile",
        source=source_imd(ed),
        description="Population share by IMD quintile and type of area")


def source_ruc(ed: EditionData) -> str:
    """Source of a rural share: the vintage's classification and population base."""
    return f"{ed.vintage.rurality}; {ed.vintage.population_source}"


def source_imd(ed: EditionData) -> str:
    """Source of a deprivation share: the vintage's Indices and population base."""
    return f"{ed.vintage.deprivation_source}; {ed.vintage.population_source}"


ENUMERATED = ("complete enumeration of the edition's small areas (population-weighted sum); "
              "no sampling interval")


def _own(ed: EditionData, frame: pd.DataFrame) -> pd.DataFrame:
    suffix = "" if ed.edition.is_england else f" ({ed.edition.name})"
    return frame[frame["row"] == frame["group"] + suffix]


def statistics(ed: EditionData, profile: pd.DataFrame, age: pd.DataFrame,
               deprivation: pd.DataFrame, rural: pd.DataFrame) -> pd.DataFrame:
    """The chapter's ledger rows (:func:`inequalities.report.ledger.rows`).

    From :func:`population_profile` (residents, small areas and share per group),
    :func:`age_65_by_place` (per cent aged 65+, the edition's and England's),
    :func:`deprivation_by_place` (per cent in each national IMD quintile) and
    :func:`rural_share_by_region` (every region). All are complete enumerations of ONS
    small-area estimates, so no row has an interval. The units behind the profile's rows
    (residents, small areas, share) are all the edition's small areas (LSOAs), which the
    profile enumerates; behind the other rows, the small areas of the group.
    """
    areas = profile.set_index("group")["areas"]
    england_areas = ed.england("profile_areas")
    # the profile enumerates every small area of the edition, so each of its rows rests on
    # all of them (a region without coast has 0 coastal residents, counted over its areas)
    enumerated = profile.assign(n=int(areas.get("All areas", profile["areas"].max())))
    vintage = ed.vintage
    common = {"topic": "population", "unit_type": "LSOA",
              "period": vintage.population_period, "lower": None, "upper": None}
    source_population, source_rural = vintage.population_source, source_ruc(ed)
    parts = [
        ledger.rows(enumerated, key="population.residents",
                    label="Residents", value="population", unit="people", kind="count",
                    method=ENUMERATED, source=source_population, **common),
        ledger.rows(enumerated, key="population.small_areas",
                    label="Small areas (LSOAs)", value="areas", unit="areas", kind="count",
                    method=f"count of {vintage.small_areas_plural}", source=source_rural,
                    **common),
        ledger.rows(enumerated, key="population.share",
                    label="Share of the population", value="share", unit="%", kind="share",
                    method=ENUMERATED, source=source_rural, **common),
        ledger.rows(age.assign(n=age["group"].map(areas)), key="population.age65",
                    label="Population aged 65 and over", value="pct_65_plus", unit="%",
                    kind="share", method=ENUMERATED, source=source_population, **common),
    ]
    if not ed.edition.is_england:
        england = age.dropna(subset=["england"])
        parts.append(ledger.rows(
            england.assign(n=england["group"].map(england_areas), group=england["group"]
                           + " (England)"),
            key="population.age65_england", label="Population aged 65 and over, England",
            value="england", unit="%", kind="share", method=ENUMERATED.replace(
                "the edition's", "England's"), source=source_population, **common))
    quintiles = deprivation.assign(
        n=[(england_areas if r.endswith("(England)") and not ed.edition.is_england else areas)
           .get(g, float("nan")) for g, r in zip(deprivation["group"], deprivation["row"])],
        group=deprivation["row"] + ", quintile " + deprivation["imd_quintile"].astype(str))
    parts.append(ledger.rows(
        quintiles, key="population.imd_quintile_share",
        label=f"Share of the population in the national {vintage.imd} quintile (1 = most "
              "deprived fifth of England's small areas)", value="share", unit="%",
        kind="share", method=ENUMERATED, source=source_imd(ed), **common))
    parts.append(ledger.rows(
        rural.assign(n=rural["areas"], group=rural["region_name"]),
        key="population.rural_share_by_region",
        label="Share of the region's population living in rural small areas",
        value="rural_share", unit="%", kind="share",
        method=ENUMERATED.replace("the edition's", "each region's"), source=source_rural,
        **common))
    return pd.concat(parts, ignore_index=True)


def _text(stats: pd.Series, key: str, *, unit: bool = True) -> str:
    if key not in stats.index:
        return places.NO_SUCH_AREAS
    return ledger.interval_text(stats.loc[key], unit=unit)


def key_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, object]:
    """The chapter's key figures, formatted from :func:`statistics` rows.

    Shares print as "12.3%"; a place group the edition lacks reads
    :data:`~._places.NO_SUCH_AREAS`. Also the data's label, vintage and whether it is
    demonstration data (``data.*``), the names of the vintage's sources for chapter text
    (``vintage.*``, :meth:`inequalities.data.vintage.Vintage.terms`), and
    ``population.age65_sentence``, which compares the
    edition with England (England's edition states its own figure only).
    """
    by_key = stats.set_index("key")
    suffix = "" if ed.edition.is_england else f"_{ledger.key_part(ed.edition.name)}"
    figures = {
        "data.label": ed.data.label,
        "data.vintage": ed.data.vintage,
        "data.is_demo": ed.data.is_demo,
        **ed.vintage.terms(),
        "population.total": _text(by_key, "population.residents.all_areas", unit=False),
        "population.small_areas": _text(by_key, "population.small_areas.all_areas",
                                        unit=False),
        "population.rural_share": _text(by_key, "population.share.rural"),
        "population.coastal_share": _text(by_key, "population.share.coastal"),
        "population.core20_share": _text(by_key, "population.share."
                                         + ledger.key_part(CORE20)),
        "population.age65_all": _text(by_key, "population.age65.all_areas"),
        "population.q5_rural": _text(by_key,
                                     f"population.imd_quintile_share.rural{suffix}_quintile_5"),
    }
    own = figures["population.age65_all"]
    if ed.edition.is_england:
        figures["population.age65_sentence"] = (
            f"In England, {own} of people were aged 65 and over.")
    else:
        england = _text(by_key, "population.age65_england.all_areas_england")
        figures["population.age65_sentence"] = (
            f"In {ed.edition.name}, {own} of people were aged 65 and over (England "
            f"{england}).")
    for group in ("Urban", "Rural", "Coastal"):
        figures[f"population.age65_{places.key_suffix(group)}"] = \
            _text(by_key, f"population.age65.{ledger.key_part(group)}")
    for group in places.GROUP_ORDER:
        name = "all" if group == "All areas" else places.key_suffix(group)
        figures[f"population.q1_{name}"] = _text(
            by_key, f"population.imd_quintile_share.{ledger.key_part(group)}{suffix}_quintile_1")
    return figures
