"""The breakdowns NHS England's statement on health inequalities names: deprivation,
ethnicity, age and sex (s13SA NHS Act 2006), for one edition, where the staged data allow.

Ethnicity (ONS Census 2021 TS021, five high-level groups, 2021 small areas; the 2025 data
vintage only) is available only as the *composition of small areas*, not for people:

* :func:`composition`: the share (%) of usual residents in each group, pooled over the
  small areas of a type of place (urban/rural, coastal/non-coastal) or of a national
  income-deprivation fifth (IoD 2025 income domain: deciles 1-2 are fifth 1, the most
  income-deprived). A census share is a complete count of the residents, not a sample,
  so it carries no sampling interval (ONS's cell-key perturbation moves small cells by a
  few people); a regional edition is set beside England's share of the same kind of place.
* :func:`fifth_cuts` and :func:`assign_fifths`: England's small areas ranked by the share of
  residents *not* in the White group and cut into fifths of equal numbers of areas (ties
  at a cut go to the lower fifth, so fifths may differ slightly in size); a regional
  edition uses England's cut points, so its fifths are national ones.
* :func:`minority_shares`: the Census 2021 bad/very bad general health and disability
  shares of each fifth, crude and adjusted for age exactly as the mortality chapter
  computes them (:func:`inequalities.topics.mortality.group_census_shares`). This is an
  ecological comparison: an area's composition is not its residents' ethnicity, and a
  difference between areas need not hold for people of any group (the ecological
  fallacy). Person-level counts of health by ethnic group are not in the staged data.
  The five-group table cannot separate White minorities (Irish, Gypsy or Irish
  Traveller, Roma, other White), so "not White" is not ONS's "ethnic minority".

Age (:func:`age_shares`): the share of residents aged 65 and over, pooled, by type of place
and income-deprivation fifth, from the edition's population table (Census 2021 TS007A in
the 2025 vintage; ONS mid-2019 estimates in the 2019 vintage). No table of health by age
for small areas is staged, so health for older residents cannot be shown.

Sex (:func:`sex_gaps`): the female minus male gap in life expectancy and healthy life
expectancy at birth by type of place. The sex-specific levels are the outcomes chapter's
(:func:`inequalities.topics.outcomes.summaries`); the gap is the population-weighted mean
over the areas carrying both sexes of each area's female minus male value (a paired
difference: the same areas, the same weights, so it equals the difference of the outcomes
chapter's two means whenever both sexes cover the same areas), with the linearised t
interval of :func:`inequalities.methods.weighted_mean`.

Deprivation is the subject of the inequality and mortality chapters; this chapter points to
them rather than repeating their gradients.

A group of fewer than :data:`MIN_AREAS` small areas (or the outcomes chapter's minimum of
authorities or MSOAs) is not estimated, and its ledger row says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd

from inequalities import methods
from inequalities.data import Dataset
from inequalities.methods.standardisation import age_band_start
from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics import _places as places
from inequalities.topics import mortality, outcomes
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "area_code", "msoa_code", "urban_rural", "coastal", "imd_decile", "income_score",
        "income_decile", "population", "pct_65_plus",
    ),
    "lads": ("lad_code", "population", "coastal", "urban_rural"),
    "population": ALL,
    "indicators": ALL,
}

TOPIC = "breakdowns"
#: Fewest small areas a group needs to be estimated (as the outcomes chapter's LSOAs).
MIN_AREAS = outcomes.MIN_SMALL_AREAS

#: The five high-level groups of TS021: stem, name in the report.
ETHNIC: tuple[tuple[str, str], ...] = (
    ("white", "White"),
    ("asian", "Asian, Asian British or Asian Welsh"),
    ("black", "Black, Black British, Black Welsh, Caribbean or African"),
    ("mixed", "Mixed or Multiple ethnic groups"),
    ("other", "Other ethnic group"),
)
SHORT = {"white": "White", "asian": "Asian", "black": "Black", "mixed": "Mixed",
         "other": "Other", "not_white": "Not White"}
NOT_WHITE = "not_white"
RESIDENTS_ID = "census_eth_residents"
ETH_IDS = [RESIDENTS_ID, *(f"census_eth_{stem}" for stem, _ in ETHNIC)]

ETH_SOURCE = ("ONS Census 2021 TS021 (ethnic group, five high-level groups), LSOA 2021; "
              "MHCLG English Indices of Deprivation 2025 (income domain)")
HEALTH_SOURCE = mortality.CENSUS_SOURCE.replace("TS007A age", "TS007A age, TS021 ethnic "
                                                 "group")
COMPOSITION_METHOD = ("residents of the group's small areas pooled: count / usual residents "
                      "x 100; a complete census count, so no sampling interval")
CUT_METHOD = ("England's small areas ranked by the % of residents not in the White group "
              "and cut into five equal numbers of areas; the cut is the highest share in "
              "the fifth (ties go to the lower fifth)")
RESIDENTS_METHOD = ("residents of the edition's small areas in the fifth / all its "
                    "residents x 100; a complete census count")
INCOME_METHOD = ("residents-weighted mean of the small areas' IoD 2025 income domain score "
                 "(% of residents income-deprived); linearised variance, t interval")
AGE_METHOD = ("residents aged 65 and over of the group's small areas pooled / all their "
              "residents x 100; no sampling interval")
SEX_METHOD = ("paired difference: population-weighted mean over the areas with both sexes "
              "of each area's female minus male value; linearised variance, t interval "
              "on n - 1 degrees of freedom")
ECOLOGICAL_NOTE = ("ecological: areas grouped by their residents' ethnic composition, not "
                   "people by their ethnicity")
COMPLETE_NOTE = "complete census count: no sampling interval"

FIFTHS = tuple(range(1, 6))
#: The life expectancy outcomes with both sexes (outcomes chapter stems).
SEX_STEMS = ("le", "hle", "msoa_le")


# --------------------------------------------------------------------- groups

def income_fifth_label(fifth: int) -> str:
    """``"Income fifth 1 (most deprived)"`` ... ``"Income fifth 5 (least deprived)"``."""
    extra = {1: " (most deprived)", 5: " (least deprived)"}.get(int(fifth), "")
    return f"Income fifth {int(fifth)}{extra}"


def minority_fifth_label(fifth: int) -> str:
    """``"Fifth 1 (lowest share not White)"`` ... ``"Fifth 5 (highest share not White)"``."""
    extra = {1: " (lowest share not White)", 5: " (highest share not White)"}.get(
        int(fifth), "")
    return f"Fifth {int(fifth)}{extra}"


PLACE_ORDER = [*places.GROUP_ORDER, *(income_fifth_label(f) for f in FIFTHS)]
FIFTH_ORDER = ["All areas", *(minority_fifth_label(f) for f in FIFTHS)]


def income_fifths(deciles: pd.Series) -> pd.Series:
    """National income-deprivation fifth from the income decile: deciles 1-2 -> 1 ...
    9-10 -> 5 (missing stays missing)."""
    d = pd.to_numeric(deciles, errors="coerce")
    return ((d + 1) // 2).astype("Int64")


def place_groups(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    """(group, rows) for every place group and every national income fifth of ``frame``
    (needs ``urban_rural``, ``coastal`` and ``income_decile``)."""
    labelled = places.label_places(frame)
    for column, dimension in places._DIMENSIONS:
        for group in [g for g, d in places.GROUPS if d == dimension]:
            yield group, labelled[labelled[column] == group]
    fifth = income_fifths(labelled["income_decile"])
    for f in FIFTHS:
        yield income_fifth_label(f), labelled[fifth == f]


# --------------------------------------------------------------------- ethnicity

def ethnicity_frame(dataset: Dataset) -> pd.DataFrame:
    """Small areas with place, income decile, % aged 65+, residents (``eth_residents``),
    each group's count (``eth_<stem>``), ``eth_not_white`` and ``pct_not_white``; empty
    without the TS021 table."""
    ind = dataset.indicators
    rows = ind[ind["indicator_id"].isin(ETH_IDS) & (ind["area_level"] == "LSOA")]
    if rows.empty:
        return pd.DataFrame()
    wide = rows.pivot_table(index="area_code", columns="indicator_id", values="value",
                            aggfunc="first").reset_index()
    keep = [c for c in ("area_code", "urban_rural", "coastal", "income_decile",
                        "pct_65_plus") if c in dataset.areas]
    out = dataset.areas[keep].merge(wide, on="area_code")
    out = out.rename(columns={i: i.replace("census_", "") for i in ETH_IDS})
    out = out[out["eth_residents"] > 0].copy()
    out["eth_not_white"] = out["eth_residents"] - out["eth_white"]
    out["pct_not_white"] = 100 * out["eth_not_white"] / out["eth_residents"]
    return out.reset_index(drop=True)


COMPOSITION_COLUMNS = ["group", "ethnic", "count", "residents", "value", "n"]


def composition(frame: pd.DataFrame) -> pd.DataFrame:
    """Share (%) of residents in each ethnic group and not White, by place group and
    income fifth: pooled counts over the group's small areas. Columns
    :data:`COMPOSITION_COLUMNS` (``n`` small areas; ``value`` missing without residents)."""
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=COMPOSITION_COLUMNS)
    for group, part in place_groups(frame):
        residents = float(part["eth_residents"].sum())
        for stem in [*(s for s, _ in ETHNIC), NOT_WHITE]:
            count = float(part[f"eth_{stem}"].sum())
            rows.append({"group": group, "ethnic": stem, "count": count,
                         "residents": residents,
                         "value": 100 * count / residents if residents > 0 else math.nan,
                         "n": len(part)})
    return pd.DataFrame(rows, columns=COMPOSITION_COLUMNS)


def fifth_cuts(shares: pd.Series) -> list[float]:
    """Four shares splitting ``shares`` (England's small areas) into fifths of equal numbers
    of areas, lowest share first: cut ``k`` is the share of the area at ascending rank
    ceil(k x N / 5), the highest share in fifth ``k``. Fewer than five areas: no cuts."""
    ordered = np.sort(shares.dropna().to_numpy(dtype=float))
    n = len(ordered)
    if n < 5:
        return [math.nan] * 4
    return [float(ordered[math.ceil(k * n / 5) - 1]) for k in range(1, 5)]


def assign_fifths(shares: pd.Series, cuts: list[float]) -> pd.Series:
    """Fifth (1-5) of each share: 1 + the number of cuts strictly below it, so a share equal
    to a cut is in the lower fifth; missing shares, or missing cuts, give missing."""
    values = shares.to_numpy(dtype=float)
    if any(math.isnan(c) for c in cuts):
        return pd.Series(pd.NA, index=shares.index, dtype="Int64")
    below = (np.asarray(cuts)[None, :] < values[:, None]).sum(axis=1)
    out = pd.Series(1 + below, index=shares.index, dtype="Int64")
    return out.where(shares.notna())


def _cuts(ed: EditionData) -> list[float]:
    national = ed.england("ethnicity_minority_fifth_cuts")
    return [float(national.get(str(k), math.nan)) for k in range(1, 5)]


def with_fifths(ed: EditionData, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (:func:`ethnicity_frame`) with ``minority_fifth`` (England's cuts)."""
    if frame.empty:
        return frame
    return frame.assign(minority_fifth=assign_fifths(frame["pct_not_white"], _cuts(ed)))


def _fifth_groups(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    yield "All areas", frame
    for f in FIFTHS:
        yield minority_fifth_label(f), frame[frame["minority_fifth"] == f]


def minority_shares(ed: EditionData, frame: pd.DataFrame) -> pd.DataFrame:
    """Crude and age-adjusted bad health and disability by fifth of the share not White
    (:func:`inequalities.topics.mortality.group_census_shares`), plus per fifth the share of
    the edition's residents living there (``residents_share``) and the residents-weighted
    mean income-deprivation score (``income``). Empty without both census tables."""
    health = mortality.census_frame(ed.data)
    if frame.empty or health.empty:
        return pd.DataFrame(columns=["measure", "group", "value", "lower", "upper", "n",
                                     "count", "residents"])
    fifths = frame[["area_code", "minority_fifth", "eth_residents"]]
    merged = health.merge(fifths, on="area_code")
    shares = mortality.group_census_shares(ed, merged, _fifth_groups)
    rows = []
    total = float(frame["eth_residents"].sum())
    areas = ed.data.areas[["area_code", "income_score"]] if "income_score" in \
        ed.data.areas else pd.DataFrame(columns=["area_code", "income_score"])
    income = frame.merge(areas, on="area_code", how="left")
    for group, part in _fifth_groups(income):
        residents = float(part["eth_residents"].sum())
        if group != "All areas":
            rows.append({"measure": "residents_share", "group": group,
                         "value": 100 * residents / total if total > 0 else math.nan,
                         "lower": math.nan, "upper": math.nan, "n": len(part),
                         "count": residents, "residents": total})
        scored = part.dropna(subset=["income_score"])
        stat = methods.weighted_mean(100 * scored["income_score"].astype(float),
                                     scored["eth_residents"])
        rows.append({"measure": "income", "group": group, "value": stat["value"],
                     "lower": stat["lower"], "upper": stat["upper"], "n": len(scored),
                     "count": math.nan, "residents": residents})
    return pd.concat([shares, pd.DataFrame(rows)], ignore_index=True)


# --------------------------------------------------------------------- age

def age_frame(dataset: Dataset) -> pd.DataFrame:
    """Small areas with place, income decile, ``residents`` and ``aged_65_plus`` counts
    from the population table (bands starting at 65 or older)."""
    pop = dataset.population
    if pop.empty:
        return pd.DataFrame()
    # The band's lower age, parsed once per distinct band ("65-69" -> 65, "85+" -> 85),
    # not once per row.
    band = pop["age_band"].astype("category")
    first = age_band_start(band.cat.categories)
    codes = band.cat.codes.to_numpy()
    lower = pd.Series(np.where(codes >= 0, first[codes], np.nan), index=pop.index)
    work = pop.assign(_old=pop["population"].where(lower >= 65, 0))
    counts = work.groupby("area_code").agg(residents=("population", "sum"),
                                           aged_65_plus=("_old", "sum")).reset_index()
    keep = [c for c in ("area_code", "urban_rural", "coastal", "income_decile")
            if c in dataset.areas]
    return dataset.areas[keep].merge(counts, on="area_code")


def age_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Share (%) of residents aged 65+ by place group and income fifth (pooled counts).
    Columns ``group``, ``value``, ``count``, ``residents``, ``n`` (small areas)."""
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=["group", "value", "count", "residents", "n"])
    for group, part in place_groups(frame):
        residents, old = float(part["residents"].sum()), float(part["aged_65_plus"].sum())
        rows.append({"group": group, "value": 100 * old / residents if residents > 0
                     else math.nan, "count": old, "residents": residents, "n": len(part)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------- sex

def sex_gaps(ed: EditionData) -> pd.DataFrame:
    """Female minus male life expectancy and healthy life expectancy by place group.

    Columns ``stem`` (:data:`SEX_STEMS`), ``group``, ``value``, ``lower``, ``upper``,
    ``n`` (areas with both sexes), ``period``, ``level`` (LA or MSOA)."""
    rows = []
    for stem in SEX_STEMS:
        outcome = outcomes.BY_STEM[stem]
        female = outcomes._frame(ed.data, outcome, "Female")
        male = outcomes._frame(ed.data, outcome, "Male")
        if female.empty or male.empty:
            continue
        key = "lad_code" if "lad_code" in female and outcome.level == "LA" else "area_code"
        female = female[female["value"].notna() & female["population"].notna()]
        pair = female.merge(male[[key, "period", "value"]].rename(columns={"value": "male"}),
                            on=[key, "period"], how="inner").dropna(subset=["male"])
        if pair.empty:
            continue
        pair = pair.assign(gap=pair["value"].astype(float) - pair["male"].astype(float))
        means = places.weighted_group_means(pair, "gap", "population")
        for m in means.itertuples(index=False):
            rows.append({"stem": stem, "group": m.group, "value": m.value, "lower": m.lower,
                         "upper": m.upper, "n": m.n, "period": str(pair["period"].iloc[0]),
                         "level": outcome.level})
    return pd.DataFrame(rows, columns=["stem", "group", "value", "lower", "upper", "n",
                                       "period", "level"])


# --------------------------------------------------------------------- national comparators

def _measure(groups, values, counted: pd.DataFrame | None = None) -> pd.DataFrame:
    """A national measure's rows; ``counted`` (``group``, ``n``) adds the small areas
    behind each group as ``n|<group>`` rows, so England's figures carry their units."""
    groups, values = list(groups), list(values)
    if counted is not None and len(counted):
        pairs = counted.drop_duplicates("group")
        groups += [places.key("n", g) for g in pairs["group"]]
        values += [float(n) for n in pairs["n"]]
    return pd.DataFrame({"group": pd.Series(groups, dtype="str"),
                         "value": pd.Series(values, dtype=float)})


def _composition_measure(dataset: Dataset) -> pd.DataFrame:
    comp = composition(ethnicity_frame(dataset))
    return _measure([places.key(e, g) for e, g in zip(comp["ethnic"], comp["group"])],
                    comp["value"], comp[["group", "n"]])


def _cuts_measure(dataset: Dataset) -> pd.DataFrame:
    frame = ethnicity_frame(dataset)
    if frame.empty:
        return _measure([], [])
    shares = frame["pct_not_white"]
    return _measure([*(str(k) for k in range(1, 5)), "n"],
                    [*fifth_cuts(shares), float(shares.notna().sum())])


class _England:
    """What :func:`inequalities.topics.mortality.group_census_shares` reads of an edition
    (England's age adjustment), for England's own figures by fifth."""

    def __init__(self, dataset: Dataset):
        adjustment = mortality._census_measure(dataset)
        self._values = {"census_age_adjustment": adjustment.set_index("group")["value"]}

    def england(self, measure: str) -> pd.Series:
        return self._values[measure]


def _minority_health_measure(dataset: Dataset) -> pd.DataFrame:
    frame = ethnicity_frame(dataset)
    health = mortality.census_frame(dataset)
    if frame.empty or health.empty:
        return pd.DataFrame({"group": pd.Series([], dtype="str"),
                             "value": pd.Series([], dtype=float)})
    frame = frame.assign(minority_fifth=assign_fifths(frame["pct_not_white"],
                                                      fifth_cuts(frame["pct_not_white"])))
    merged = health.merge(frame[["area_code", "minority_fifth"]], on="area_code")
    shares = mortality.group_census_shares(_England(dataset), merged, _fifth_groups)
    return _measure([places.key(m, g) for m, g in zip(shares["measure"], shares["group"])],
                    shares["value"], shares[["group", "n"]])


def _age_measure(dataset: Dataset) -> pd.DataFrame:
    shares = age_shares(age_frame(dataset))
    return _measure(shares["group"], shares["value"], shares[["group", "n"]])


MEASURES = (
    Measure("ethnicity_composition", _composition_measure, 4,
            "Census 2021: % of usual residents in each ethnic group (and not White) by type "
            "of small area and income-deprivation fifth"),
    Measure("ethnicity_minority_fifth_cuts", _cuts_measure, 6,
            "Census 2021: % of residents not White dividing England's small areas into "
            "fifths (the highest share in fifths 1 to 4)"),
    Measure("ethnicity_minority_health", _minority_health_measure, 4,
            "Census 2021 bad health and disability, crude and age-adjusted (%), by national "
            "fifth of the share of residents not White"),
    Measure("age_65_plus_share", _age_measure, 4,
            "% of residents aged 65 and over by type of small area and income-deprivation "
            "fifth"),
)


# --------------------------------------------------------------------- ledger

def _population_source(dataset: Dataset) -> str:
    return ("ONS Census 2021 TS007A (age), LSOA 2021; MHCLG English Indices of "
            "Deprivation 2025 (income domain)" if dataset.vintage_id == "2025" else
            "ONS mid-2019 small area population estimates, LSOA 2011; MHCLG English "
            "Indices of Deprivation 2019 (income domain)")


def _england_counts(national: pd.Series) -> dict[str, float]:
    """England's small areas behind each group, from a measure's ``n|<group>`` rows."""
    prefix = places.key("n", "")
    return {str(g)[len(prefix):]: float(v) for g, v in national.items()
            if str(g).startswith(prefix)}


def _england_rows(ed: EditionData, measure: str, frame: pd.DataFrame, *, key: str,
                  label: str, method: str, source: str, split: bool,
                  period: str = "2021") -> pd.DataFrame:
    """England's values of the same groups for a regional edition (``england_<group>``)."""
    if ed.edition.is_england or frame.empty:
        return pd.DataFrame(columns=ledger.COLUMNS)
    national = ed.england(measure)
    counts = _england_counts(national)
    if split:
        national = places.unpack(national, ["ethnic", "group"])
        national = national[national["ethnic"] == frame["ethnic"].iloc[0]]
    else:
        national = national.rename("value").rename_axis("group").reset_index()
    national = national[national["group"].isin(frame["group"])]
    national = national.assign(n=national["group"].map(counts).astype(float),
                               group=lambda d: "England: " + d["group"].str.lower())
    return ledger.rows(national, topic=TOPIC, key=key, label=label, unit="%", kind="share",
                       unit_type="LSOA", method="England's " + method, source=source,
                       period=period, lower=None,
                       upper=None, note=None)


def statistics(ed: EditionData, comp: pd.DataFrame, minority: pd.DataFrame,
               ages: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows (topic ``breakdowns``):

    * ``breakdowns.eth_<stem>.<group>`` share (%) of residents in ethnic group ``stem``
      (or ``not_white``), and ``….england_<group>`` England's share in a regional edition;
    * ``breakdowns.minority_cut.fifth_<k>`` England's cut points;
    * ``breakdowns.minority_<measure>.<fifth>`` crude and age-adjusted census health,
      residents' share and income deprivation by fifth of the share not White;
    * ``breakdowns.age_65_plus.<group>`` (and England's);
    * ``breakdowns.sex_gap_<stem>.<group>`` female minus male, years.
    """
    parts = []
    names = dict(ETHNIC) | {NOT_WHITE: "not in the White group"}
    for stem, part in comp.groupby("ethnic", sort=False):
        label = (f"Usual residents {names[stem]}, % of residents" if stem == NOT_WHITE
                 else f"Usual residents in the {names[stem]} group, % of residents")
        common = dict(key=f"{TOPIC}.eth_{stem}", label=label, method=COMPOSITION_METHOD,
                      source=ETH_SOURCE)
        part = part.assign(note=COMPLETE_NOTE)
        parts.append(ledger.rows(part, topic=TOPIC, unit="%", kind="share", unit_type="LSOA",
                                 period="2021", min_units=MIN_AREAS, lower=None, upper=None,
                                 note="note", **{k: common[k] for k in ("key", "label",
                                                                          "method", "source")}))
        parts.append(_england_rows(ed, "ethnicity_composition", part, split=True, **common))
    if len(comp):
        cuts = _cuts(ed)
        areas = float(ed.england("ethnicity_minority_fifth_cuts").get("n", math.nan))
        frame = pd.DataFrame({"group": [f"Fifth {k}" for k in range(1, 5)], "value": cuts,
                              "n": areas})
        parts.append(ledger.rows(frame, topic=TOPIC, key=f"{TOPIC}.minority_cut",
                                 label="Highest % of residents not White in each national "
                                       "fifth of England's small areas",
                                 unit="%", kind="share", unit_type="LSOA", method=CUT_METHOD,
                                 source=ETH_SOURCE, period="2021", lower=None, upper=None))
    parts += _minority_statistics(minority, ed)
    if len(ages):
        source = _population_source(ed.data)
        period = "2021" if ed.data.vintage_id == "2025" else "2019"
        common = dict(key=f"{TOPIC}.age_65_plus", label="Residents aged 65 and over, % of "
                      "residents", method=AGE_METHOD, source=source)
        ages = ages.assign(note=COMPLETE_NOTE if period == "2021" else
                           "population estimates published without intervals")
        parts.append(ledger.rows(ages, topic=TOPIC, unit="%", kind="share", unit_type="LSOA",
                                 period=period, min_units=MIN_AREAS, lower=None, upper=None,
                                 note="note", **common))
        parts.append(_england_rows(ed, "age_65_plus_share", ages, split=False,
                                   period=period, **common))
    for (stem, level), part in gaps.groupby(["stem", "level"], sort=False):
        outcome = outcomes.BY_STEM[stem]
        what = outcome.name[0].lower() + outcome.name[1:]
        parts.append(ledger.rows(
            part, topic=TOPIC, key=f"{TOPIC}.sex_gap_{stem}",
            label=f"Female minus male {what} ({outcomes.AREA_WORDS[level]})", unit="years",
            kind="difference", unit_type=outcomes.UNIT_TYPE[level], method=SEX_METHOD,
            source=outcome.source, period="period", min_units=outcomes.MIN_UNITS[level]))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


_MINORITY = {
    "bad_health_crude": ("Bad or very bad general health, crude, by fifth of the % of "
                         "residents not White", "%", "share", mortality.CRUDE_METHOD),
    "bad_health_adjusted": ("Bad or very bad general health, adjusted for age, by fifth of "
                            "the % of residents not White", "%", "share",
                            mortality.ADJUSTED_METHOD),
    "disabled_crude": ("Disabled under the Equality Act, crude, by fifth of the % of "
                       "residents not White", "%", "share", mortality.CRUDE_METHOD),
    "disabled_adjusted": ("Disabled under the Equality Act, adjusted for age, by fifth of "
                          "the % of residents not White", "%", "share",
                          mortality.ADJUSTED_METHOD),
    "residents_share": ("Share of the edition's residents living in each national fifth of "
                        "the % of residents not White", "%", "share", RESIDENTS_METHOD),
    "income": ("Income deprivation (IoD 2025 income domain score, % of residents) by fifth "
               "of the % of residents not White", "% income-deprived", "level",
               INCOME_METHOD),
}


def _minority_statistics(minority: pd.DataFrame,
                         ed: EditionData | None = None) -> list[pd.DataFrame]:
    parts = []
    for measure, part in minority.groupby("measure", sort=False):
        label, unit, kind, method = _MINORITY[measure]
        if ed is not None and not ed.edition.is_england and measure.startswith(
                ("bad_health", "disabled")):
            values = ed.england("ethnicity_minority_health")
            counts = _england_counts(values)
            national = places.unpack(values, ["measure", "group"])
            national = national[national["measure"] == measure]
            national = national.assign(
                n=national["group"].map(counts).astype(float), note=ECOLOGICAL_NOTE,
                group=lambda d: "England: " + d["group"].str.lower())
            parts.append(ledger.rows(national, topic=TOPIC, key=f"{TOPIC}.minority_{measure}",
                                     label=label, unit=unit, kind=kind, unit_type="LSOA",
                                     method="England's " + method.split(",")[0].split(";")[0]
                                     + "; its interval is in the England edition",
                                     source=HEALTH_SOURCE, period="2021", lower=None,
                                     upper=None, note="note"))
        notes = []
        for c, r in zip(part["count"], part["residents"]):
            counts = (f"{int(c):,} of {int(r):,} residents; "
                      if measure.endswith("crude") and not math.isnan(c) else "")
            notes.append(counts + ECOLOGICAL_NOTE)
        part = part.assign(note=notes)
        if measure == "residents_share":  # a fifth without any of the edition's areas
            empty = part["n"] == 0
            part.loc[empty, "value"] = math.nan
            part.loc[empty, "note"] = ("not estimated: none of the edition's small areas is "
                                       "in this national fifth")
        source = ETH_SOURCE if measure in ("residents_share", "income") else HEALTH_SOURCE
        # where the edition's residents live is a count, whatever the number of areas
        minimum = 0 if measure == "residents_share" else MIN_AREAS
        parts.append(ledger.rows(part, topic=TOPIC, key=f"{TOPIC}.minority_{measure}",
                                 label=label, unit=unit, kind=kind, unit_type="LSOA",
                                 method=method, source=source, period="2021",
                                 min_units=minimum, note="note"))
    return parts


# --------------------------------------------------------------------- tables and charts

def _value(stats: pd.DataFrame, key: str, *, ci: bool = False) -> str:
    """A ledger row's value as printed; with ``ci`` its interval in brackets ("7.2 (7.0
    to 7.4)", the table's caption says it is a 95% interval); "–" when there is no row."""
    hit = stats[stats["key"] == key]
    if hit.empty:
        return "–"
    row = hit.iloc[0]
    if math.isnan(float(row["value"])):  # the ledger's note says why; tables say it short
        if float(row["units"]) == 0:
            return "no areas"
        return "too few areas" if "fewer than" in str(row["note"]) else "not estimated"
    text = ledger.interval_text(row)
    return text.replace("(95% CI ", "(") if ci else text.split(" (")[0]


def _missing(what: str) -> outputs.Table:
    return outputs.show_table(pd.DataFrame({"Note": [what]}))


NO_ETHNICITY = ("Ethnic group counts are staged for the 2021 small areas of the newest data "
                "vintage only; not available for this edition.")


def ethnicity_table(stats: pd.DataFrame, *, england: bool) -> outputs.Table:
    """Share of residents (%) in each ethnic group by type of small area and income
    fifth, with England's share not White in a regional edition."""
    if not stats["key"].str.startswith(f"{TOPIC}.eth_").any():
        return _missing(NO_ETHNICITY)
    records = []
    for group in PLACE_ORDER:
        part = ledger.key_part(group)
        hit = stats[stats["key"] == f"{TOPIC}.eth_white.{part}"]
        if hit.empty:
            continue
        record = {"Small areas": group, "Areas": f"{int(hit['units'].iloc[0]):,}"}
        for stem in [*(s for s, _ in ETHNIC), NOT_WHITE]:
            record[f"{SHORT[stem]} (%)"] = _value(stats, f"{TOPIC}.eth_{stem}.{part}")
        if not england:
            record["England, not White (%)"] = _value(
                stats, f"{TOPIC}.eth_{NOT_WHITE}.england_{part}")
        records.append(record)
    return outputs.show_table(pd.DataFrame(records))


def minority_table(stats: pd.DataFrame) -> outputs.Table:
    """By fifth of the share not White: its range, the edition's residents there, income
    deprivation and crude and age-adjusted bad health and disability."""
    if not stats["key"].str.startswith(f"{TOPIC}.minority_bad_health").any():
        return _missing("The Census 2021 ethnic group, general health or disability tables "
                        "are not in this edition's data; not available.")
    cuts = [float(v) for v in stats[stats["key"].str.startswith(f"{TOPIC}.minority_cut.")]
            .sort_values("key")["value"]]
    records = []
    for group in FIFTH_ORDER:
        part = ledger.key_part(group)
        hit = stats[stats["key"] == f"{TOPIC}.minority_income.{part}"]
        if hit.empty:
            continue
        record = {"Small areas": group, "% not White": _range(group, cuts),
                  "Areas": f"{int(hit['units'].iloc[0]):,}",
                  "Residents (%)": ("100.0" if group == "All areas" else _value(
                      stats, f"{TOPIC}.minority_residents_share.{part}")),
                  "Income-deprived (%)": _value(stats, f"{TOPIC}.minority_income.{part}",
                                                ci=True)}
        for measure, heading in (("bad_health_crude", "Bad health, crude (%)"),
                                 ("bad_health_adjusted", "Bad health, age-adjusted (%)"),
                                 ("disabled_crude", "Disabled, crude (%)"),
                                 ("disabled_adjusted", "Disabled, age-adjusted (%)")):
            record[heading] = _value(stats, f"{TOPIC}.minority_{measure}.{part}", ci=True)
        records.append(record)
    return outputs.show_table(pd.DataFrame(records))


def _range(group: str, cuts: list[float]) -> str:
    """The range of the share not White of a fifth (``"2.1 to 5.3"``), from the cuts."""
    if group == "All areas" or len(cuts) != 4 or any(math.isnan(c) for c in cuts):
        return "all" if group == "All areas" else "–"
    k = int(group.split()[1])
    fmt = lambda v: numbers.number(v, 1)  # noqa: E731
    if k == 1:
        return f"up to {fmt(cuts[0])}"
    if k == 5:
        return f"over {fmt(cuts[3])}"
    return f"over {fmt(cuts[k - 2])}, up to {fmt(cuts[k - 1])}"


def age_table(stats: pd.DataFrame, *, england: bool) -> outputs.Table:
    """Share aged 65+ by type of small area and income fifth, with England's."""
    rows = stats[stats["key"].str.startswith(f"{TOPIC}.age_65_plus.")]
    if rows.empty:
        return _missing("The population by age is not in this edition's data.")
    records = []
    for group in PLACE_ORDER:
        part = ledger.key_part(group)
        hit = rows[rows["key"] == f"{TOPIC}.age_65_plus.{part}"]
        if hit.empty:
            continue
        record = {"Small areas": group, "Areas": f"{int(hit['units'].iloc[0]):,}",
                  "Aged 65+ (%)": _value(stats, f"{TOPIC}.age_65_plus.{part}")}
        if not england:
            record["England (%)"] = _value(stats, f"{TOPIC}.age_65_plus.england_{part}")
        records.append(record)
    return outputs.show_table(pd.DataFrame(records))


SEX_HEADINGS = {"le": "Life expectancy, authorities",
                "hle": "Healthy life expectancy, authorities",
                "msoa_le": "Life expectancy, MSOAs"}


def sex_table(stats: pd.DataFrame) -> outputs.Table:
    """Female minus male gap (years, 95% CI) by type of place, one column per measure."""
    rows = stats[stats["key"].str.startswith(f"{TOPIC}.sex_gap_")]
    if rows.empty:
        return _missing("No measure by sex is in this edition's data.")
    records = []
    for group in places.GROUP_ORDER:
        record = {"Areas": group}
        for stem, heading in SEX_HEADINGS.items():
            record[f"{heading} (years)"] = _value(
                stats, f"{TOPIC}.sex_gap_{stem}.{ledger.key_part(group)}", ci=True)
        records.append(record)
    return outputs.show_table(pd.DataFrame(records))


def ethnicity_chart_frame(stats: pd.DataFrame) -> pd.DataFrame:
    """% not White by group (``group``, ``value``, ``england``, ``n``) from the ledger."""
    rows = []
    for group in PLACE_ORDER:
        part = ledger.key_part(group)
        hit = stats[stats["key"] == f"{TOPIC}.eth_{NOT_WHITE}.{part}"]
        if hit.empty or math.isnan(float(hit["value"].iloc[0])):
            continue
        england = stats.loc[stats["key"] == f"{TOPIC}.eth_{NOT_WHITE}.england_{part}",
                            "value"]
        rows.append({"group": group, "value": float(hit["value"].iloc[0]),
                     "england": float(england.iloc[0]) if len(england) else math.nan,
                     "n": float(hit["units"].iloc[0])})
    return pd.DataFrame(rows, columns=["group", "value", "england", "n"])


def ethnicity_chart(frame: pd.DataFrame):
    """Bars of the % of residents not White by type of small area and income fifth."""
    if frame.empty:
        return _missing(NO_ETHNICITY)
    return charts.group_bars(
        frame, value="value", axis_title="Residents not in the White group (%)",
        title="Residents not in the White group, by type of small area",
        source="ONS Census 2021 TS021", decimals=1,
        description="Bar chart of the per cent of usual residents not in the White ethnic "
                    "group, for all small areas, urban, rural, coastal and non-coastal small "
                    "areas and the five national income-deprivation fifths, with England's "
                    "share of each marked by a black tick")


def minority_chart_frame(stats: pd.DataFrame) -> pd.DataFrame:
    """Age-adjusted bad health and disability by fifth (``panel``, ``group``, ``value``,
    ``lower``, ``upper``, ``n``) from the ledger."""
    frames = []
    for measure, panel in (("bad_health_adjusted", "Bad or very bad health, age-adjusted (%)"),
                           ("disabled_adjusted", "Disabled, age-adjusted (%)")):
        rows = stats[stats["key"].str.startswith(f"{TOPIC}.minority_{measure}.")]
        by_group = rows.set_index("group")["value"]
        rows = rows[rows["group"].isin(FIFTH_ORDER[1:]) & rows["value"].notna()]
        frames.append(pd.DataFrame({"panel": panel, "group": rows["group"].to_numpy(),
                                    "value": rows["value"].to_numpy(),
                                    "lower": rows["lower"].to_numpy(),
                                    "upper": rows["upper"].to_numpy(),
                                    "n": rows["units"].to_numpy(),
                                    "england": [by_group.get("England: " + g.lower(),
                                                             math.nan)
                                                for g in rows["group"]]}))
    return pd.concat(frames, ignore_index=True)


def minority_chart(frame: pd.DataFrame):
    """Dot-and-interval chart of age-adjusted health by fifth of the share not White."""
    if frame.empty:
        return _missing("Health by the ethnic composition of small areas is not "
                        "available for this edition.")
    return charts.group_intervals(
        frame, panel="panel", axis_title="% of usual residents", order=FIFTH_ORDER[1:],
        title="Health by ethnic composition of small areas (ecological)",
        source="ONS Census 2021 TS021, TS037, TS038, TS007A", unit_label="Small areas",
        description="Dot-and-interval chart in two panels, age-adjusted per cent in bad or "
                    "very bad health and per cent disabled, for the small areas in each "
                    "national fifth of the share of residents not White, lowest share "
                    "first; areas, not people, are grouped")


# --------------------------------------------------------------------- sentences

def _pct(stats: pd.DataFrame, key: str) -> str | None:
    hit = stats[stats["key"] == key]
    if hit.empty or math.isnan(float(hit["value"].iloc[0])):
        return None
    return numbers.number(float(hit["value"].iloc[0]), 1) + "%"


def _pair(stats: pd.DataFrame, stem: str, a: str, b: str, words: str) -> str | None:
    """"12.3% in urban and 4.5% in rural small areas", or None if either is missing."""
    x, y = _pct(stats, f"{stem}.{a}"), _pct(stats, f"{stem}.{b}")
    if x is None or y is None:
        return None
    return f"{x} in {a.replace('_', '-')} and {y} in {b.replace('_', '-')} {words}"


def _place_clauses(stats: pd.DataFrame, stem: str, what: str) -> str:
    """"The share was … in urban and … in rural small areas, and … in coastal and … in
    non-coastal ones." with missing kinds of place named."""
    ur = _pair(stats, stem, "urban", "rural", "small areas")
    coast = _pair(stats, stem, "coastal", "non_coastal", "ones" if ur else "small areas")
    clauses = [c for c in (ur, coast) if c]
    text = ""
    if clauses:
        text = f"The {what} was " + ", and ".join(clauses) + "."
    for pair, kinds in ((ur, ("urban", "rural")), (coast, ("coastal", "non_coastal"))):
        if pair is not None:
            continue
        words = " and ".join(k.replace("_", "-") for k in kinds)
        none = [k.replace("_", "-") for k in kinds if _units(stats, f"{stem}.{k}") == 0]
        why = (f"the edition has no {none[0]} small areas" if none else
               f"the edition has too few {kinds[1].replace('_', '-')} or "
               f"{kinds[0]} small areas")
        text += (" " if text else "") + f"{words.capitalize()} small areas are not " \
                                        f"compared: {why}."
    return text


def _units(stats: pd.DataFrame, key: str) -> float:
    hit = stats.loc[stats["key"] == key, "units"]
    return float(hit.iloc[0]) if len(hit) else 0.0


def ethnicity_sentence(stats: pd.DataFrame, *, area: str, england: bool) -> str:
    """The headline of the ethnicity breakdown, in every branch a complete sentence."""
    stem = f"{TOPIC}.eth_{NOT_WHITE}"
    share = _pct(stats, f"{stem}.all_areas")
    if share is None:
        return ("The staged data hold ethnic group counts only for the 2021 small areas of "
                "the newest data vintage, so this edition shows no breakdown by ethnicity.")
    lead = f"In {area}, {share} of usual residents were in an ethnic group other than White"
    national = None if england else _pct(stats, f"{stem}.england_all_areas")
    lead += f" (England: {national})." if national else "."
    return lead + " " + _place_clauses(stats, stem, "share")


def minority_sentence(stats: pd.DataFrame) -> str:
    """Age-adjusted bad health in the lowest and highest estimated fifths."""
    key = f"{TOPIC}.minority_bad_health_adjusted"
    rows = stats[stats["key"].str.startswith(key + ".fifth_")]
    rows = rows[rows["value"].notna()].sort_values("key")
    if rows.empty and not stats["key"].str.startswith(key).any():
        return ("Health by the ethnic composition of small areas is not available for this "
                "edition.")
    if len(rows) < 2:
        return ("Too few of the edition's small areas fall outside a single national fifth "
                "of the share not White for a comparison between fifths.")
    low, high = rows.iloc[0], rows.iloc[-1]
    text = (f"Adjusted for age, {ledger.interval_text(low, unit=True)} of residents were in "
            f"bad or very bad health in the small areas of {_fifth_words(low['group'])}, "
            f"and {ledger.interval_text(high, unit=True)} in those of "
            f"{_fifth_words(high['group'])}.")
    national = [_pct(stats, f"{key}.england_{ledger.key_part(r['group'])}")
                for r in (low, high)]
    if all(national):
        text += f" In England's small areas of the same fifths the shares were " \
                f"{national[0]} and {national[1]}."
    if len(rows) < 5:
        missing = 5 - len(rows)
        text += (f" {['One', 'Two', 'Three', 'Four'][missing - 1]} national "
                 f"{'fifths have' if missing > 1 else 'fifth has'} fewer than "
                 f"{MIN_AREAS:,} of the edition's small areas and "
                 f"{'are' if missing > 1 else 'is'} not estimated.")
    return text


def _fifth_words(group: str) -> str:
    k = int(str(group).split()[1])
    return {1: "the national fifth with the lowest share not White",
            5: "the national fifth with the highest share not White"}.get(
        k, f"national fifth {k} of the share not White")


def age_sentence(stats: pd.DataFrame, *, area: str, england: bool) -> str:
    stem = f"{TOPIC}.age_65_plus"
    share = _pct(stats, f"{stem}.all_areas")
    if share is None:
        return "The population by age is not available for this edition."
    national = None if england else _pct(stats, f"{stem}.england_all_areas")
    lead = f"In {area}, {share} of residents were aged 65 or over" + (
        f" (England: {national})." if national else ".")
    return lead + " " + _place_clauses(stats, stem, "share aged 65 or over")


def sex_sentence(stats: pd.DataFrame) -> str:
    """Female minus male life expectancy and healthy life expectancy across authorities:
    which sex's is longer when the interval excludes no difference, else that the two do
    not differ clearly."""
    sentences = []
    for stem, what in (("le", "life expectancy"), ("hle", "healthy life expectancy")):
        hit = stats[stats["key"] == f"{TOPIC}.sex_gap_{stem}.all_areas"]
        if hit.empty or math.isnan(float(hit["value"].iloc[0])):
            sentences.append(f"The gap between females' and males' {what} at birth is not "
                             "available for this edition.")
            continue
        row = hit.iloc[0].copy()
        lower, upper = float(row["lower"]), float(row["upper"])
        where = "across the edition's authorities (population-weighted)"
        if lower > 0:
            sentences.append(f"Females' {what} at birth exceeded males' by "
                             f"{ledger.interval_text(row, unit=True)} {where}.")
        elif upper < 0:
            flipped = row.copy()
            flipped["value"], flipped["lower"], flipped["upper"] = (
                -float(row["value"]), -upper, -lower)
            sentences.append(f"Males' {what} at birth exceeded females' by "
                             f"{ledger.interval_text(flipped, unit=True)} {where}.")
        else:
            sentences.append(f"Females' and males' {what} at birth did not differ clearly "
                             f"{where}: female minus male "
                             f"{ledger.interval_text(row, unit=True)}.")
    return " ".join(sentences)


def area_words(edition) -> str:
    """The edition's area in a sentence: "England", "the North East region", "the NHS
    England London region", "the NHS Lincolnshire ICB area"."""
    if edition.is_england:
        return "England"
    if edition.set == "ons-region":
        return f"the {edition.name} region"
    if edition.set == "nhs-region":
        return f"the {edition.name} region"
    return f"the {edition.name} area"


def key_figures(stats: pd.DataFrame, ed: EditionData) -> dict[str, str]:
    """The chapter's numbers and sentences (``breakdowns.*``)."""
    figures: dict[str, str] = {}
    for _, row in stats.iterrows():
        name = row["key"].removeprefix(f"{TOPIC}.").replace(".", "_")
        figures[f"{TOPIC}.{name}"] = ledger.interval_text(
            row, unit=row["unit"] in ("years", "%"))
    area = area_words(ed.edition)
    england = ed.edition.is_england
    figures[f"{TOPIC}.ethnicity_sentence"] = ethnicity_sentence(stats, area=area,
                                                                england=england)
    figures[f"{TOPIC}.minority_sentence"] = minority_sentence(stats)
    figures[f"{TOPIC}.age_sentence"] = age_sentence(stats, area=area, england=england)
    figures[f"{TOPIC}.sex_sentence"] = sex_sentence(stats)
    figures[f"{TOPIC}.min_areas"] = f"{MIN_AREAS:,}"
    return figures
