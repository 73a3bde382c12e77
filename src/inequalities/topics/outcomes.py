"""Health outcomes by type of place: life expectancy, preventable mortality, IoD health.

* :func:`lad_outcomes` - life expectancy (Fingertips 90366) and healthy life expectancy
  (90362) at birth by sex, and under-75 mortality from causes considered preventable
  (93721, directly standardised rate per 100,000), latest period: unweighted mean over
  local authorities in each place group with a t interval
  (:func:`inequalities.topics._places.group_means`);
* :func:`lsoa_health` - the four indicators of the IoD 2019 Health Deprivation and
  Disability domain, mean over small areas by place group;
* :func:`outcome_differences` - rural minus urban and coastal minus non-coastal
  differences with Welch intervals for the same indicators.

Each local authority (or small area) counts once, whatever its population: the means
describe typical places of each type, not the average resident.

What the chapter's notebook shows, for an edition (:class:`~inequalities.topics.base.EditionData`):

* :func:`lad_outcome_by_place` - one local-authority indicator's means by place group and
  sex, with England's means, for :func:`life_expectancy_chart`,
  :func:`healthy_life_expectancy_chart` and :func:`preventable_mortality_chart`;
* :func:`lsoa_health_by_place` and :func:`iod_health_chart` - the IoD health indicators;
* :func:`differences_with_findings` and :func:`differences_table` - the differences between
  types of place, each with its finding in words;
* :func:`key_figures` - the numbers and findings the chapter quotes (``outcomes.*``).
"""

from __future__ import annotations

import pandas as pd

from inequalities.data import Dataset
from inequalities.report import charts, outputs, wording
from inequalities.topics import _places as places
from inequalities.topics.base import EditionData, Measure

#: Local-authority outcome indicators: id -> (short name, unit, sexes shown).
LAD_INDICATORS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "90366": ("Life expectancy at birth", "years", ("Female", "Male")),
    "90362": ("Healthy life expectancy at birth", "years", ("Female", "Male")),
    "93721": ("Under-75 preventable mortality", "deaths per 100,000 (DSR)", ("Persons",)),
}
#: IoD 2019 Health Deprivation and Disability domain indicators: id -> (name, unit).
LSOA_INDICATORS: dict[str, tuple[str, str]] = {
    "iod_ypll": ("Years of potential life lost", "age- and sex-standardised rate"),
    "iod_cidr": ("Comparative illness and disability ratio", "standardised ratio"),
    "iod_acute_morbidity": ("Acute morbidity", "standardised emergency admission ratio"),
    "iod_mood_anxiety": ("Mood and anxiety disorders", "composite score"),
}


def _lad_frames(dataset: Dataset, indicator_ids=tuple(LAD_INDICATORS)):
    for indicator_id in indicator_ids:
        name, unit, sexes = LAD_INDICATORS[indicator_id]
        if not (dataset.indicators["indicator_id"] == indicator_id).any():
            continue
        for sex in sexes:
            frame = dataset.indicator(indicator_id, sex=sex)
            if frame.empty:
                continue
            yield indicator_id, name, unit, sex, frame


def _lsoa_frames(dataset: Dataset):
    for indicator_id, (name, unit) in LSOA_INDICATORS.items():
        if (dataset.indicators["indicator_id"] == indicator_id).any():
            yield indicator_id, name, unit, "Persons", dataset.indicator(indicator_id)


def _summarise(frames, how) -> pd.DataFrame:
    parts = []
    for indicator_id, name, unit, sex, frame in frames:
        stats = how(frame)
        stats.insert(0, "sex", sex)
        stats.insert(0, "period", str(frame["period"].iloc[0]))
        stats.insert(0, "unit", unit)
        stats.insert(0, "indicator", name)
        stats.insert(0, "indicator_id", indicator_id)
        parts.append(stats)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def lad_outcomes(dataset: Dataset) -> pd.DataFrame:
    """Mean of each local-authority outcome by place group (latest period, by sex).

    Columns: ``indicator_id``, ``indicator``, ``unit``, ``period``, ``sex``, then
    :func:`inequalities.topics._places.group_means` columns.
    """
    return _summarise(_lad_frames(dataset),
                      lambda f: places.group_means(f, "value"))


def lsoa_health(dataset: Dataset) -> pd.DataFrame:
    """Mean of each IoD 2019 health-domain indicator over small areas by place group."""
    return _summarise(_lsoa_frames(dataset), lambda f: places.group_means(f, "value"))


def outcome_differences(dataset: Dataset) -> pd.DataFrame:
    """Rural - urban and coastal - non-coastal differences (Welch 95% CI) per indicator.

    Local-authority outcomes compare authorities; IoD indicators compare small areas.
    """
    how = lambda f: places.group_differences(f, "value")  # noqa: E731
    return pd.concat([_summarise(_lad_frames(dataset), how),
                      _summarise(_lsoa_frames(dataset), how)], ignore_index=True)


def england_published(dataset: Dataset) -> pd.DataFrame:
    """England's published value of each local-authority indicator (same periods as used).

    Columns ``indicator_id``, ``sex``, ``england``; read from the England rows every
    edition's slice carries.
    """
    rows = []
    for indicator_id, _name, _unit, sex, frame in _lad_frames(dataset):
        ind = dataset.indicators
        hit = ind[(ind["indicator_id"] == indicator_id) & (ind["area_level"] == "England")
                  & (ind["sex"] == sex) & (ind["period"] == frame["period"].iloc[0])]
        rows.append({"indicator_id": indicator_id, "sex": sex,
                     "england": float(hit["value"].iloc[0]) if len(hit) else float("nan")})
    return pd.DataFrame(rows, columns=["indicator_id", "sex", "england"])


def england_means(national: pd.Series) -> pd.DataFrame:
    """England's place-group means from the ``outcome_means`` measure."""
    return places.unpack(national, ["indicator_id", "sex", "group"])


def _means_measure(dataset: Dataset) -> pd.DataFrame:
    table = pd.concat([lad_outcomes(dataset), lsoa_health(dataset)], ignore_index=True)
    keys = [places.key(i, s, g) for i, s, g in
            zip(table["indicator_id"], table["sex"], table["group"])]
    return pd.DataFrame({"group": keys, "value": table["value"].to_numpy()})


#: England's comparators for this chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("outcome_means", _means_measure, 2,
            "Mean of each outcome indicator over areas (LAs or LSOAs) by place group"),
)


FINGERTIPS = "OHID Fingertips (Public Health Outcomes Framework)"
IOD = ("MHCLG, English Indices of Deprivation 2019 (Health Deprivation and Disability "
       "domain)")
#: Key-figure name of each indicator (``outcomes.<stem>[_<sex>]_...``).
KEY_STEMS = {"90366": "le", "90362": "hle", "93721": "premature", "iod_ypll": "ypll",
             "iod_cidr": "cidr", "iod_acute_morbidity": "acute", "iod_mood_anxiety": "mood"}
#: Key figures every edition has, "not available" where it lacks the indicator or group.
KEY_STEMS_BY_SEX = ("le_female", "le_male", "hle_female", "hle_male", "premature", "ypll",
                    "cidr", "acute", "mood")
KEY_SUFFIXES = ("all_areas", "urban", "rural", "coastal", "non_coastal", "n", "period",
                "england_mean", "vs_england", "rural_gap", "rural_finding", "coastal_gap",
                "coastal_finding", "england_published")
#: Indicators printed with two decimals (the others with one), and those in years.
TWO_DECIMALS = ("iod_mood_anxiety", "iod_acute_morbidity")
IN_YEARS = ("90366", "90362")
MEANS_COLUMNS = ["indicator_id", "indicator", "unit", "period", "sex", "dimension", "group",
                 "value", "lower", "upper", "n", "england", "panel"]


def _decimals(indicator_id: str) -> int:
    return 2 if indicator_id in TWO_DECIMALS else 1


def _unit(indicator_id: str) -> str:
    return "years" if indicator_id in IN_YEARS else ""


def _with_england(ed: EditionData, means: pd.DataFrame) -> pd.DataFrame:
    """Add ``england`` (England's mean of the same indicator, sex and group) and ``panel``."""
    if means.empty:
        return pd.DataFrame(columns=MEANS_COLUMNS)
    england = england_means(ed.england("outcome_means")).set_index(
        ["indicator_id", "sex", "group"])["value"]
    out = means.copy()
    out["england"] = out.set_index(["indicator_id", "sex", "group"]).index.map(
        england).to_numpy(dtype=float)
    out["panel"] = out["indicator"] + " (" + out["sex"].str.lower() + ", " + out["period"] + ")"
    return out


def lad_outcome_by_place(ed: EditionData, indicator_id: str) -> pd.DataFrame:
    """:func:`lad_outcomes` of one indicator with England's means (``england``) and a chart
    ``panel`` per sex ("Life expectancy at birth (female, 2018 - 20)"); empty with the same
    columns when the edition lacks the indicator."""
    return _with_england(ed, _summarise(_lad_frames(ed.data, [indicator_id]),
                                        lambda f: places.group_means(f, "value")))


def lsoa_health_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`lsoa_health` of the edition with England's means, as :func:`lad_outcome_by_place`."""
    return _with_england(ed, lsoa_health(ed.data))


def _not_available(what: str) -> outputs.Table:
    return outputs.show_table(pd.DataFrame({"Note": [f"{what} are not available for this "
                                                     "edition."]}))


def life_expectancy_chart(life: pd.DataFrame):
    """Interval chart of life expectancy by place group, a panel per sex (or a note)."""
    if life.empty:
        return _not_available("Life expectancy figures")
    return charts.group_intervals(life, axis_title="Years", title="Life expectancy at birth",
                                  source=FINGERTIPS, panel="panel",
                                  description="Life expectancy by type of local authority")


def healthy_life_expectancy_chart(healthy: pd.DataFrame):
    """Interval chart of healthy life expectancy by place group and sex (or a note)."""
    if healthy.empty:
        return _not_available("Healthy life expectancy figures")
    return charts.group_intervals(
        healthy, axis_title="Years", title="Healthy life expectancy at birth",
        source=FINGERTIPS, description="Healthy life expectancy by type of local authority",
        panel="panel")


def preventable_mortality_chart(premature: pd.DataFrame):
    """Interval chart of under-75 preventable mortality by place group (or a note)."""
    if premature.empty:
        return _not_available("Preventable mortality figures")
    return charts.group_intervals(
        premature, axis_title="Deaths per 100,000 (age-standardised)",
        title="Under-75 preventable mortality", source=FINGERTIPS,
        description="Preventable mortality by type of local authority", decimals=0)


def iod_health_chart(lsoa: pd.DataFrame):
    """Interval chart of the IoD health indicators, a panel per indicator (or a note)."""
    if lsoa.empty:
        return _not_available("IoD health indicators")
    return charts.group_intervals(
        lsoa.assign(panel=lsoa["indicator"]), axis_title="Value (see text for units)",
        title="Health deprivation indicators", source=IOD,
        description="IoD health indicators by type of small area", panel="panel", decimals=2,
        width=190, columns=2)


def _finding(row) -> str:
    if pd.isna(row["difference"]):
        return f"not estimable ({row['note']})"
    return wording.describe_difference(
        row["difference"], row["lower"], row["upper"], what=f"{row['group'].lower()} areas",
        reference=f"{row['reference'].lower()} areas", unit=_unit(row["indicator_id"]),
        decimals=_decimals(row["indicator_id"]))


def differences_with_findings(ed: EditionData) -> pd.DataFrame:
    """:func:`outcome_differences` of the edition with ``finding``, the difference in words
    (claimed only when the interval supports it; "not estimable (…)" when missing)."""
    differences = outcome_differences(ed.data)
    return differences.assign(
        finding=differences.apply(_finding, axis=1) if len(differences) else [])


def differences_table(differences: pd.DataFrame) -> outputs.Table:
    """:func:`differences_with_findings` as shown: indicator (and sex), comparison,
    difference with its interval, and the areas compared."""
    sex = differences["sex"].map(lambda x: "" if x == "Persons" else f" ({x.lower()})")
    return outputs.show_table(pd.DataFrame({
        "Indicator": differences["indicator"] + sex,
        "Comparison": differences["comparison"],
        "Difference (95% CI)": [wording.format_interval(d, lo, hi, decimals=2) for d, lo, hi in
                                zip(differences["difference"], differences["lower"],
                                    differences["upper"])],
        "Areas": (differences["n"].astype(str) + " vs "
                  + differences["n_reference"].astype(str)),
    }))


def _stem(indicator_id: str, sex: str) -> str:
    return f"outcomes.{KEY_STEMS[indicator_id]}" + ("" if sex == "Persons" else f"_{sex.lower()}")


def _vs_england(ed: EditionData, row) -> str:
    """How an edition's mean over all its areas compares with England's areas."""
    if ed.edition.is_england:
        return "the figure for England itself"
    small_areas = row["indicator_id"].startswith("iod_")
    name = ed.edition.name
    base = row["england"]
    return wording.describe_difference(
        row["value"] - base, row["lower"] - base, row["upper"] - base,
        what=f"small areas of {name}" if small_areas else f"authorities of {name}",
        reference="England's small areas" if small_areas else "England's authorities",
        decimals=_decimals(row["indicator_id"]), unit=_unit(row["indicator_id"]))


def _mean_figures(ed: EditionData, means: pd.DataFrame) -> dict[str, str]:
    figures = {}
    for _, row in means.iterrows():
        stem, decimals = _stem(row["indicator_id"], row["sex"]), _decimals(row["indicator_id"])
        figures[f"{stem}_{places.key_suffix(row['group'])}"] = wording.format_interval(
            row["value"], row["lower"], row["upper"], decimals=decimals)
        if row["group"] == "All areas":
            figures[f"{stem}_period"] = row["period"]
            figures[f"{stem}_n"] = f"{int(row['n']):,}"
            figures[f"{stem}_england_mean"] = f"{row['england']:.{decimals}f}"
            figures[f"{stem}_vs_england"] = _vs_england(ed, row)
    return figures


def _difference_figures(differences: pd.DataFrame) -> dict[str, str]:
    figures = {}
    for _, row in differences.iterrows():
        stem = _stem(row["indicator_id"], row["sex"])
        which = "rural" if row["comparison"].startswith("Rural") else "coastal"
        figures[f"{stem}_{which}_gap"] = wording.format_interval(
            row["difference"], row["lower"], row["upper"], decimals=_decimals(row["indicator_id"]))
        figures[f"{stem}_{which}_finding"] = row["finding"]
    return figures


def key_figures(ed: EditionData, means: list[pd.DataFrame],
                differences: pd.DataFrame) -> dict[str, str]:
    """The chapter's key figures from the frames the notebook shows.

    ``means`` are the :func:`lad_outcome_by_place` and :func:`lsoa_health_by_place` frames
    of edition ``ed`` and ``differences`` its :func:`differences_with_findings`. Means print
    with their 95% interval (two decimals for acute morbidity and mood, one otherwise); a
    region's mean over all its areas is compared with England's, England's is "the figure
    for England itself". England's published values come from the edition's data. Every key
    in :data:`KEY_STEMS_BY_SEX` x :data:`KEY_SUFFIXES` exists: "not available" when the
    edition lacks the indicator or place group.
    """
    figures = {}
    for frame in means:
        figures.update(_mean_figures(ed, frame))
    figures.update(_difference_figures(differences))
    for row in england_published(ed.data).itertuples(index=False):
        figures[f"{_stem(row.indicator_id, row.sex)}_england_published"] = f"{row.england:.1f}"
    for stem in KEY_STEMS_BY_SEX:
        for suffix in KEY_SUFFIXES:
            figures.setdefault(f"outcomes.{stem}_{suffix}", "not available")
    return figures
