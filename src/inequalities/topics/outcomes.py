"""Health outcomes by type of place: life expectancy, preventable mortality, IoD health.

Every figure is a population-weighted summary of the areas of a place group, so that it
describes the residents of that type of place, and comes from the smallest areas that
carry the measure:

* life expectancy at birth for middle layer super output areas (OHID Local Health, deaths
  2015-19, all 6,791 MSOAs of England): the places compared are MSOAs;
* life expectancy (Fingertips 90366), healthy life expectancy (90362) and under-75
  mortality from causes considered preventable (93721, directly standardised rate per
  100,000) for local authorities, the smallest areas that publish them; healthy life
  expectancy is in the staged file for unitary authorities, metropolitan districts and
  London boroughs only, so the districts of two-tier counties are missing (the key
  figures name them);
* the four indicators of the Health Deprivation and Disability domain of the data
  vintage's Indices of Deprivation (IoD 2025 or 2019) for small areas (LSOAs).

Method (:func:`summaries`): the areas' values are averaged with their residents (the
vintage's population base, :mod:`inequalities.data.vintage`) as weights, with the
linearised interval of :func:`inequalities.methods.weighted_mean`; rural minus urban and
coastal minus non-coastal differences use
:func:`inequalities.methods.weighted_difference`. A group of fewer than
:data:`MIN_AUTHORITIES` authorities (or :data:`MIN_SMALL_AREAS` MSOAs or LSOAs) is not
estimated, and a comparison is not made unless both sides reach it. Every MSOA and LSOA
of a group is included (a complete enumeration), so their intervals describe chance
variation between areas, not sampling error. England is the source's own England figure
(E92000001) where the source publishes one.

The notebook calls :func:`summaries`, then :func:`statistics` (the ledger rows); charts
(:func:`chart_frame`, :func:`outcome_chart`), the table (:func:`differences_table`) and the
key figures (:func:`key_figures`) are formatted from those rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from inequalities.data import Dataset
from inequalities.report import charts, ledger, numbers, outputs, wording
from inequalities.topics import _places as places
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": ("area_code", "msoa_code", "urban_rural", "coastal", "population"),
    "lads": (
        "lad_code", "lad_name", "population", "coastal_share", "coastal", "urban_rural",
    ),
    "indicators": ALL,
}

#: Fewest authorities, and fewest MSOAs or LSOAs, a place group needs to be estimated.
MIN_AUTHORITIES = 5
MIN_SMALL_AREAS = 10

FINGERTIPS = "OHID Fingertips (Public Health Outcomes Framework)"
LOCAL_HEALTH = "OHID Local Health (ONS deaths and mid-year estimates), MSOA 2011"
#: Source of the IoD health-domain outcomes; :func:`source_of` names the vintage's release.
IOD = "MHCLG, English Indices of Deprivation (Health Deprivation and Disability domain)"


@dataclass(frozen=True)
class Outcome:
    """One outcome: its key stem, source indicator, unit and the areas that carry it."""

    stem: str
    indicator_id: str
    name: str
    unit: str
    level: str
    sexes: tuple[str, ...]
    source: str
    #: What follows a number in a sentence ("by 1.2 years"); the unit when empty.
    words: str = ""
    #: The outcome as the subject of a sentence (singular); the name when empty.
    subject: str = ""

    @property
    def unit_words(self) -> str:
        return self.words or self.unit

    def indicator(self, sex: str) -> str:
        """The dataset's indicator id for ``sex`` (MSOA life expectancy has one per sex)."""
        return f"{self.indicator_id}_{sex.lower()}" if self.level == "MSOA" else \
            self.indicator_id


#: The chapter's outcomes in display order.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("msoa_le", "msoa_le", "Life expectancy at birth", "years", "MSOA",
            ("Female", "Male"), LOCAL_HEALTH),
    Outcome("le", "90366", "Life expectancy at birth", "years", "LA", ("Female", "Male"),
            FINGERTIPS + ", indicator 90366"),
    Outcome("hle", "90362", "Healthy life expectancy at birth", "years", "LA",
            ("Female", "Male"), FINGERTIPS + ", indicator 90362"),
    Outcome("premature", "93721", "Under-75 mortality from causes considered preventable",
            "per 100,000", "LA", ("Persons",), FINGERTIPS + ", indicator 93721",
            subject="The under-75 preventable mortality rate"),
    Outcome("ypll", "iod_ypll", "Years of potential life lost", "standardised rate", "LSOA",
            ("Persons",), IOD, "points", "The years of potential life lost indicator"),
    Outcome("cidr", "iod_cidr", "Comparative illness and disability ratio",
            "standardised ratio ×100", "LSOA", ("Persons",), IOD, "points",
            "The comparative illness and disability ratio"),
    Outcome("acute", "iod_acute_morbidity", "Acute morbidity", "standardised ratio ×100",
            "LSOA", ("Persons",), IOD, "points", "The acute morbidity ratio"),
    Outcome("mood", "iod_mood_anxiety", "Mood and anxiety disorders", "score", "LSOA",
            ("Persons",), IOD, "points", "The mood and anxiety disorders score"),
)
BY_STEM = {o.stem: o for o in OUTCOMES}
#: The IoD health-domain outcomes, shown together in one figure.
IOD_STEMS = tuple(o.stem for o in OUTCOMES if o.source == IOD)
#: What each level's areas are called in words, and its ledger unit type.
AREA_WORDS = {"LA": "authorities", "MSOA": "MSOAs", "LSOA": "small areas"}
AREA_WORD = {"LA": "authority", "MSOA": "MSOA", "LSOA": "small area"}
UNIT_TYPE = {"LA": "LA", "MSOA": "MSOA", "LSOA": "LSOA"}
MIN_UNITS = {"LA": MIN_AUTHORITIES, "MSOA": MIN_SMALL_AREAS, "LSOA": MIN_SMALL_AREAS}
#: Method of a group mean at each level; ``{residents}`` is the vintage's population base.
METHOD = {
    "LA": ("population-weighted mean over authorities ({residents}), linearised "
           "ratio-estimator variance, t interval on n-1 degrees of freedom"),
    "MSOA": ("population-weighted mean over every MSOA of the group ({residents}); "
             "linearised variance, t interval: a complete enumeration, so the interval "
             "describes chance variation between areas, not sampling error"),
    "LSOA": ("population-weighted mean over every small area of the group ({residents}); "
             "linearised variance, t interval: a complete enumeration, so the "
             "interval describes chance variation between areas, not sampling error"),
}
DIFFERENCE_METHOD = ("difference of two population-weighted means, Welch-Satterthwaite t "
                     "interval")
PUBLISHED_METHOD = "England's published value (E92000001), as the source gives it"
SUMMARY_COLUMNS = ["stem", "sex", "period", "kind", "group", "reference", "value", "lower",
                   "upper", "n", "n_reference", "note"]


def msoas(areas: pd.DataFrame) -> pd.DataFrame:
    """MSOAs from their small areas: residents, and rural or coastal by residents' majority.

    An MSOA is ``Rural`` when more than half of its residents live in small areas that the
    vintage's Rural-Urban Classification calls rural, and ``coastal`` when more than
    half live in coastal small areas (the same rule as for authorities).
    """
    work = areas.assign(_rural=areas["population"].where(areas["urban_rural"] == "Rural", 0),
                        _coastal=areas["population"].where(areas["coastal"].astype(bool), 0))
    out = work.groupby("msoa_code", sort=True).agg(
        population=("population", "sum"), rural=("_rural", "sum"),
        coastal_pop=("_coastal", "sum")).reset_index()
    out["urban_rural"] = (out["rural"] > out["population"] / 2).map(
        {True: "Rural", False: "Urban"})
    out["coastal"] = out["coastal_pop"] > out["population"] / 2
    return out.rename(columns={"msoa_code": "area_code"})[
        ["area_code", "population", "urban_rural", "coastal"]]


def _frame(dataset: Dataset, outcome: Outcome, sex: str) -> pd.DataFrame:
    """The areas carrying ``outcome`` for ``sex`` (latest period) with residents and place."""
    ind = dataset.indicators
    wanted = outcome.indicator(sex)
    if not (ind["indicator_id"] == wanted).any():
        return pd.DataFrame()
    if outcome.level == "MSOA":
        rows = ind[(ind["indicator_id"] == wanted) & (ind["area_level"] == "MSOA")]
        rows = rows[rows["period"] == rows["period"].astype(str).max()]
        return msoas(dataset.areas).merge(rows[["area_code", "period", "value"]],
                                          on="area_code", how="inner")
    frame = dataset.indicator(wanted, sex=sex)
    if outcome.level == "LSOA":
        return frame[frame["area_level"] == "LSOA"]
    return frame[frame["area_level"] == "LAD"] if "area_level" in frame else frame


def coverage(dataset: Dataset, outcome: Outcome, sex: str,
             frame: pd.DataFrame | None = None) -> str:
    """Which of the edition's authorities lack a value of ``outcome`` (empty when none do).

    Names the missing authorities when there are at most 20, else counts them. ``frame``
    is the outcome's areas (:func:`_frame` of the same arguments) when already in hand.
    """
    if outcome.level != "LA":
        return ""
    frame = _frame(dataset, outcome, sex) if frame is None else frame
    if "lad_code" in frame:
        frame = frame[frame["value"].notna() & frame["population"].notna()]
    have = set(frame["lad_code"]) if "lad_code" in frame else set()
    missing = dataset.lads[~dataset.lads["lad_code"].isin(have)]
    if missing.empty:
        return ""
    total = len(dataset.lads)
    names = sorted(missing["lad_name"].astype(str))
    which = (", ".join(names[:-1]) + " and " + names[-1]) if 1 < len(names) <= 20 else \
        names[0] if len(names) == 1 else f"{len(names):,} authorities"
    return (f"covers {total - len(missing):,} of {total:,} authorities; the source file "
            f"has no value for {which}")


def _england(dataset: Dataset, outcome: Outcome, sex: str, period: str) -> float:
    ind = dataset.indicators
    hit = ind[(ind["indicator_id"] == outcome.indicator(sex))
              & (ind["area_level"] == "England") & (ind["sex"] == sex)
              & (ind["period"] == period)]
    return float(hit["value"].iloc[0]) if len(hit) else math.nan


def summaries(ed: EditionData) -> pd.DataFrame:
    """Every outcome's population-weighted group means, differences and England's value.

    One row per outcome (``stem``), ``sex`` and statistic: ``kind`` "mean" (``group`` a
    place group), "difference" (``group`` minus ``reference``) or "england" (the source's
    published England value, no interval). ``n``/``n_reference`` count the areas;
    ``note`` carries the coverage of authority indicators. Outcomes the edition lacks have
    no rows.
    """
    rows = []
    for outcome in OUTCOMES:
        for sex in outcome.sexes:
            frame = _frame(ed.data, outcome, sex)
            if frame.empty:
                continue
            period = str(frame["period"].iloc[0])
            note = coverage(ed.data, outcome, sex, frame)
            base = {"stem": outcome.stem, "sex": sex, "period": period, "note": note,
                    "reference": "", "n_reference": math.nan}
            means = places.weighted_group_means(frame, "value", "population")
            for m in means.itertuples(index=False):
                rows.append({**base, "kind": "mean", "group": m.group, "value": m.value,
                             "lower": m.lower, "upper": m.upper, "n": m.n})
            for d in places.weighted_group_differences(means).itertuples(index=False):
                rows.append({**base, "kind": "difference", "group": d.group,
                             "reference": d.reference, "value": d.value, "lower": d.lower,
                             "upper": d.upper, "n": d.n, "n_reference": d.n_reference})
            england = _england(ed.data, outcome, sex, period)
            if not math.isnan(england):
                rows.append({**base, "kind": "england", "group": "England", "value": england,
                             "lower": math.nan, "upper": math.nan, "n": 1, "note": ""})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def source_of(outcome: Outcome, ed: EditionData) -> str:
    """The outcome's source; the IoD outcomes' names the data vintage's release."""
    if outcome.source == IOD:
        return (f"{ed.vintage.deprivation_source} (Health Deprivation and Disability "
                "domain)")
    return outcome.source


def method(level: str, ed: EditionData | None = None) -> str:
    """:data:`METHOD` of ``level`` with the vintage's residents as the weights (plain
    "residents" without an edition)."""
    return METHOD[level].format(residents=ed.vintage.residents if ed else "residents")


def _stem(stem: str, sex: str) -> str:
    return stem if sex == "Persons" else f"{stem}_{sex.lower()}"


def _label(outcome: Outcome, sex: str) -> str:
    return outcome.name + ("" if sex == "Persons" else f", {sex.lower()}s")


def statistics(ed: EditionData, summary: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows (:func:`inequalities.report.ledger.rows`) of :func:`summaries`.

    Keys ``outcomes.<stem>[_<sex>].<group>`` (``outcomes.le_female.rural``,
    ``outcomes.premature.rural_minus_urban``, ``outcomes.hle_male.england``). Groups and
    comparisons below the level's minimum are not estimated and say why.
    """
    parts = []
    for (stem, sex), part in summary.groupby(["stem", "sex"], sort=False):
        outcome = BY_STEM[stem]
        common = dict(topic="outcomes", key=f"outcomes.{_stem(stem, sex)}",
                      label=_label(outcome, sex), unit=outcome.unit,
                      source=source_of(outcome, ed),
                      period=str(part["period"].iloc[0]), note="note")
        means = part[part["kind"] == "mean"]
        parts.append(ledger.rows(means, kind="level", unit_type=UNIT_TYPE[outcome.level],
                                 method=method(outcome.level, ed),
                                 min_units=MIN_UNITS[outcome.level], **common))
        diffs = part[part["kind"] == "difference"].copy()
        diffs["group"] = diffs["group"] + " minus " + diffs["reference"].str.lower()
        diffs["units"] = diffs[["n", "n_reference"]].min(axis=1)
        rows = ledger.rows(diffs, kind="difference", unit_type=UNIT_TYPE[outcome.level],
                           method=DIFFERENCE_METHOD, min_units=MIN_UNITS[outcome.level],
                           units="units", **common)
        rows["note"] = [_difference_note(r, outcome) for r in
                        pd.concat([rows.reset_index(drop=True),
                                   diffs[["n", "n_reference", "reference"]]
                                   .reset_index(drop=True)], axis=1).to_dict("records")]
        parts.append(rows)
        if outcome.level != "LA" and not ed.edition.is_england:
            parts.append(_england_comparators(ed, outcome, sex, common))
        england = part[part["kind"] == "england"]
        if len(england):
            parts.append(ledger.rows(england, kind="level", unit_type="country",
                                     method=PUBLISHED_METHOD, lower=None, upper=None,
                                     **common))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


def _england_comparators(ed: EditionData, outcome: Outcome, sex: str,
                         common: dict) -> pd.DataFrame:
    """England's population-weighted means of the same place groups (no interval here:
    the England edition gives them with theirs), keys ``….england_<group>``."""
    national = places.unpack(ed.england("outcome_means"), ["stem", "sex", "group"])
    counts = ed.england("outcome_means_n")
    national["n"] = [counts.get(places.key(s, x, g), math.nan)
                     for s, x, g in zip(national["stem"], national["sex"], national["group"])]
    mine = national[(national["stem"] == outcome.stem) & (national["sex"] == sex)]
    mine = mine.assign(group="England: " + mine["group"].str.lower(), note="")
    return ledger.rows(mine, kind="level", unit_type=UNIT_TYPE[outcome.level],
                       method="England's " + method(outcome.level, ed).split(";")[0]
                       + "; its interval is in the England edition",
                       lower=None, upper=None, **common)


def _difference_note(row: dict, outcome: Outcome) -> str:
    """Why a comparison is not made, naming the side that is short of areas."""
    if not math.isnan(float(row["value"])):
        return str(row["note"])
    words = AREA_WORDS[outcome.level]
    group = str(row["group"]).split(" minus ")[0].lower()
    short = [(int(n), g) for n, g in ((row["n"], group),
                                      (row["n_reference"], str(row["reference"]).lower()))
             if n < row["min_units"]]
    which = " and ".join(f"{n:,} {g}" if n else f"no {g}" for n, g in short) or "too few"
    return (f"not estimated: only {which} {words}, fewer than the {row['min_units']:,} "
            "needed on each side")


# --------------------------------------------------------------------- charts and table

def chart_frame(stats: pd.DataFrame, stem: str) -> pd.DataFrame:
    """The ledger's group means of outcome ``stem`` (both sexes) for its chart.

    Columns ``panel`` (outcome, sex and unit), ``group``, ``value``, ``lower``, ``upper``,
    ``n``, ``source`` (the ledger's, for the chart's source line) and ``england`` (the
    source's published England value for authority outcomes; for MSOA and IoD outcomes
    England's mean of the same place group in a region's
    edition, none in England's); empty when the edition lacks the outcome.
    """
    outcome = BY_STEM[stem]
    frames = []
    for sex in outcome.sexes:
        prefix = f"outcomes.{_stem(stem, sex)}."
        rows = stats[stats["key"].str.startswith(prefix)]
        means = rows[rows["kind"].eq("level") & rows["group"].isin(places.GROUP_ORDER)]
        if means.empty:
            continue
        published = rows.loc[rows["group"] == "England", "value"]
        by_group = rows.set_index("group")["value"]
        england = [by_group.get("England: " + g.lower(), math.nan) for g in means["group"]]
        if len(published):
            england = [float(published.iloc[0])] * len(means)
        frames.append(pd.DataFrame({
            "panel": f"{_label(outcome, sex)} ({outcome.unit}, {means['period'].iloc[0]})",
            "group": means["group"].to_numpy(), "value": means["value"].to_numpy(),
            "lower": means["lower"].to_numpy(), "upper": means["upper"].to_numpy(),
            "n": means["units"].to_numpy(), "england": england,
            "source": means["source"].to_numpy()}))
    return (pd.concat(frames, ignore_index=True) if frames else
            pd.DataFrame(columns=["panel", "group", "value", "lower", "upper", "n",
                                  "england", "source"]))


def outcome_chart(frame: pd.DataFrame, stems: tuple[str, ...]):
    """Interval chart of :func:`chart_frame` rows (a panel per outcome and sex), or a note.

    The axis carries the unit; outcomes of different units get a panel each, and the panel
    title names the unit.
    """
    outcomes_ = [BY_STEM[s] for s in stems]
    if frame.empty:
        return outputs.show_table(pd.DataFrame(
            {"Note": [f"{outcomes_[0].name} is not available for this edition."]}))
    units = sorted({o.unit for o in outcomes_})
    axis = (f"{outcomes_[0].name} ({units[0]})" if len(units) == 1
            else "Value, in the unit named in each panel's title")
    level = outcomes_[0].level
    return charts.group_intervals(
        frame, axis_title=axis, title=outcomes_[0].name if len(outcomes_) == 1 else
        "Health deprivation indicators", source=str(frame["source"].iloc[0]), panel="panel",
        description=f"{outcomes_[0].name} by type of place, "
                    f"population-weighted over {AREA_WORDS[level]}",
        decimals=max(numbers.decimals_for(o.unit) for o in outcomes_),
        **({"width": 190, "columns": 2} if len(outcomes_) > 1 else {}))


def differences_table(stats: pd.DataFrame) -> outputs.Table:
    """Every comparison in the ledger: outcome (unit), comparison, difference with its
    interval (as in the text) or why it is not estimated, and the areas behind it."""
    rows = stats[stats["kind"] == "difference"]
    if rows.empty:
        return outputs.show_table(pd.DataFrame({"Note": ["No outcome comparisons are "
                                                         "available for this edition."]}))
    return outputs.show_table(pd.DataFrame({
        "Outcome (unit)": rows["label"] + " (" + rows["unit"] + ")",
        "Areas": rows["unit_type"].map({"LA": "authorities", "MSOA": "MSOAs",
                                        "LSOA": "small areas"}),
        "Comparison": rows["group"],
        "Difference (95% CI)": [ledger.interval_text(r) for _, r in rows.iterrows()],
    }))


# --------------------------------------------------------------------- key figures

def _row(stats: pd.DataFrame, key: str) -> pd.Series | None:
    return ledger.find(stats, key)


def _with_interval(value: float, lower: float, upper: float, unit: str, words: str) -> str:
    """``"1.2 years (95% CI 0.8 to 1.6)"``: the ledger unit's decimals, ``words`` after."""
    text = ledger.interval_text({"value": value, "lower": lower, "upper": upper,
                                 "unit": unit})
    number, _, interval = text.partition(" ")
    return f"{number}{'%' if words == '%' else ' ' + words} {interval}".strip()


def comparison_sentence(row: pd.Series, subject: str, areas: str, words: str = "") -> str:
    """One sentence comparing two types of place from a ledger difference row.

    A difference is claimed only when its interval excludes zero, and then given as a
    positive size ("Female life expectancy was higher in rural MSOAs than in urban MSOAs,
    by 1.2 years (95% CI 0.8 to 1.6)."); otherwise "… showed no clear difference between
    rural and urban MSOAs (difference −0.2 years (95% CI −0.9 to 0.5))."; when not
    estimated, "… was not compared between rural and urban authorities: only 2 rural
    authorities, fewer than the 5 needed on each side."
    """
    group, reference = (part.strip().lower() for part in str(row["group"]).split(" minus "))
    value, lower, upper = (float(row[c]) for c in ("value", "lower", "upper"))
    unit = str(row["unit"])
    words = words or unit
    if math.isnan(value):
        reason = str(row["note"]).removeprefix("not estimated: ")
        return (f"{subject} was not compared between {group} and {reference} {areas}: "
                f"{reason}.")
    if math.isnan(lower) or lower <= 0 <= upper:
        return (f"{subject} showed no clear difference between {group} and {reference} "
                f"{areas}: the difference was {_with_interval(value, lower, upper, unit, words)}.")
    higher = lower > 0
    size = (_with_interval(value, lower, upper, unit, words) if higher
            else _with_interval(-value, -upper, -lower, unit, words))
    return (f"{subject} was {'higher' if higher else 'lower'} in {group} {areas} than in "
            f"{reference} {areas}, by {size}.")


def _subject(outcome: Outcome, sex: str) -> str:
    name = outcome.name[0].lower() + outcome.name[1:]
    if sex == "Persons":
        return outcome.subject or outcome.name
    return f"{sex} {name}"


def paired_sentences(female: pd.Series, male: pd.Series, outcome: Outcome) -> str:
    """Both sexes' comparison sentences; one sentence when neither is made for one reason.

    "Life expectancy at birth was not compared between rural and urban authorities for
    either sex: only 2 rural authorities, fewer than the 5 needed on each side."
    """
    areas = AREA_WORDS[outcome.level]
    same_reason = (math.isnan(float(female["value"])) and math.isnan(float(male["value"]))
                   and female["note"] == male["note"])
    if same_reason:
        sentence = comparison_sentence(female, outcome.name, areas, outcome.unit_words)
        return sentence.replace(f" {areas}: ", f" {areas} for either sex: ", 1)
    return " ".join(comparison_sentence(row, _subject(outcome, sex), areas, outcome.unit_words)
                    for row, sex in ((female, "Female"), (male, "Male")))


#: Key-figure suffixes every edition has for every outcome (``outcomes.<stem>_<suffix>``).
KEY_SUFFIXES = ("all_areas", "urban", "rural", "coastal", "non_coastal", "rural_sentence",
                "coastal_sentence", "england", "period", "n", "coverage")


def key_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, str]:
    """The chapter's key figures, each formatted from a ledger row of :func:`statistics`.

    ``outcomes.<stem>_<group>``: the group's value with its interval and unit, as in the
    charts; ``_rural_sentence``/``_coastal_sentence``: the comparison in a sentence with
    the table's interval; ``_england``: the source's England figure with its unit (or
    "not published at this level"); ``_coverage``: which authorities the source lacks.
    Every key of :data:`KEY_SUFFIXES` exists; "not available" when the edition lacks the
    outcome.
    """
    figures: dict[str, str] = {}
    for outcome in OUTCOMES:
        for sex in outcome.sexes:
            stem = _stem(outcome.stem, sex)
            prefix = f"outcomes.{stem}"
            areas = AREA_WORDS[outcome.level]
            for group in places.GROUP_ORDER:
                row = _row(stats, f"{prefix}.{ledger.key_part(group)}")
                if row is not None:
                    figures[f"{prefix}_{places.key_suffix(group)}"] = ledger.interval_text(
                        row, unit=True)
                    if group == "All areas":
                        figures[f"{prefix}_period"] = str(row["period"])
                        figures[f"{prefix}_n"] = wording.count(
                            row["units"], AREA_WORD[outcome.level], areas)
                        note = coverage(ed.data, outcome, sex)
                        figures[f"{prefix}_coverage"] = (
                            f"The source {note}." if note else
                            f"The source covers all the edition's {areas}.")
            for which, key in (("rural", "rural_minus_urban"),
                               ("coastal", "coastal_minus_non_coastal")):
                row = _row(stats, f"{prefix}.{key}")
                if row is not None:
                    figures[f"{prefix}_{which}_sentence"] = comparison_sentence(
                        row, _subject(outcome, sex), areas, outcome.unit_words)
            england = _row(stats, f"{prefix}.england")
            if england is not None:
                figures[f"{prefix}_england"] = ledger.interval_text(england, unit=True)
            elif f"{prefix}_all_areas" in figures:
                figures[f"{prefix}_england"] = "not published at this level"
            for suffix in KEY_SUFFIXES:
                figures.setdefault(f"{prefix}_{suffix}", "not available")
        if outcome.sexes == ("Female", "Male"):
            figures[f"outcomes.{outcome.stem}_by_sex"] = wording.by_sex(
                figures[f"outcomes.{outcome.stem}_female_all_areas"],
                figures[f"outcomes.{outcome.stem}_male_all_areas"])
            for which, key in (("rural", "rural_minus_urban"),
                               ("coastal", "coastal_minus_non_coastal")):
                rows = [_row(stats, f"outcomes.{outcome.stem}_{sex}.{key}")
                        for sex in ("female", "male")]
                figures[f"outcomes.{outcome.stem}_{which}_sentences"] = (
                    paired_sentences(rows[0], rows[1], outcome)
                    if all(r is not None for r in rows) else "")
    figures["outcomes.coastal_near_threshold"] = near_threshold(ed.data.lads)
    figures["outcomes.min_authorities"] = f"{MIN_AUTHORITIES:,}"
    figures["outcomes.min_small_areas"] = f"{MIN_SMALL_AREAS:,}"
    return figures


def near_threshold(lads: pd.DataFrame, count: int = 6) -> str:
    """The authorities nearest the coastal threshold (half of residents in coastal small
    areas), in words: "North Devon (47.0%, non-coastal) and Middlesbrough (…, coastal)".

    The ``count`` authorities whose ``coastal_share`` is closest to one half, nearest first;
    "no authorities" when there are none.
    """
    if lads.empty:
        return "no authorities"
    gap = (lads["coastal_share"].astype(float) - 0.5).abs()
    nearest = lads.assign(_gap=gap).sort_values(["_gap", "lad_name"]).head(count)
    parts = [f"{r.lad_name} ({numbers.number(100 * r.coastal_share, 1)}%, "
             f"{'coastal' if r.coastal else 'non-coastal'})"
             for r in nearest.itertuples(index=False)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------- England comparators

def _national_means(dataset: Dataset, column: str) -> pd.DataFrame:
    """England's population-weighted group means of the MSOA and IoD outcomes: ``column``
    (``value``, the mean, or ``n``, the areas behind it) by ``stem|sex|group``."""
    keys, values = [], []
    for outcome in OUTCOMES:
        if outcome.level == "LA":
            continue
        for sex in outcome.sexes:
            frame = _frame(dataset, outcome, sex)
            if frame.empty:
                continue
            means = places.weighted_group_means(frame, "value", "population")
            keys += [places.key(outcome.stem, sex, g) for g in means["group"]]
            values += means[column].astype(float).tolist()
    return pd.DataFrame({"group": keys, "value": values})


def _means_measure(dataset: Dataset) -> pd.DataFrame:
    """England's population-weighted group means of the MSOA and IoD outcomes."""
    return _national_means(dataset, "value")


def _means_n_measure(dataset: Dataset) -> pd.DataFrame:
    """How many of England's areas are behind each of :func:`_means_measure`'s means."""
    return _national_means(dataset, "n")


#: England's comparators for this chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("outcome_means", _means_measure, 3,
            "Population-weighted mean of each MSOA and small-area outcome by place group"),
    Measure("outcome_means_n", _means_n_measure, 0,
            "Areas behind each of England's population-weighted outcome means"),
)
