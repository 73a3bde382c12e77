"""Every area of an edition against England: a table of key indicators and a hex map.

The areas of an edition (:func:`unit_frames`) are its local authorities; England's edition
shows its nine regions and 42 integrated care boards instead. Each area gets the
indicators of :data:`INDICATORS`, all published for local authorities:

* an authority's value is the published one, with the published 95% interval where the
  source gives one (early cancer diagnosis; the demonstration data's preventable
  mortality);
* a region's or ICB's value is the published one where the source publishes that area
  (early cancer diagnosis for regions, with its interval); otherwise the mean of its
  authorities' published values weighted by each authority's residents inside it (a
  ratio of the allocated totals for GP FTE per 10,000 patients), with no interval, since
  the authorities' values come without one (:func:`aggregate`).

England's value is England's published figure (GP FTE per 10,000 patients: no England
figure is published with the authority file, so England's is the ratio of the totals of
all its authorities, :data:`MEASURES`). The comparison with England (:func:`compare`):
"higher" when the area's 95% interval lies wholly above England's value, "lower" when
wholly below, "similar" when it includes it. Where the source publishes no interval but
its publisher's own judgement (OHID's Fingertips files: life expectancy, under-75
preventable mortality), the judgement decides whether an authority differs from England
at 95% and its value against England's the direction (:func:`judged`); this report does
not recompute it. Otherwise an area is "not compared", and :data:`WHY` says why: an area
above authorities is a mean without an interval; GP FTE per 10,000 patients is a
complete count of every practice, not a sampled estimate, so it has no sampling interval
to judge a difference by. Each area is judged on its own, without adjustment for multiple
comparisons.

The map (:func:`map_frame`) places the authorities (England: the ICBs) on Open
Innovations' hex cartogram layout; an area without a hexagon is named in the text
(:func:`unmatched_sentence`), never dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inequalities.data import Dataset
from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics import outcomes, services
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "lad_code", "region_code", "region_name", "icb_code", "icb_name", "population",
    ),
    "lads": ("lad_code", "lad_name"),
    "indicators": ALL,
    "hexes": ALL,
}

ENGLAND_CODE = "E92000001"
HEX_SOURCE = "Open Innovations hex cartogram layouts (MIT licence)"
GP_SOURCE = ("NHS Digital, General Practice Workforce (March 2024), practices' patients "
             "and GP FTE by local authority of the practice")


@dataclass(frozen=True)
class Indicator:
    """One column of the area table."""

    stem: str
    indicator_id: str
    sex: str
    name: str
    unit: str
    kind: str
    source: str
    #: The indicator as the subject of a sentence.
    subject: str
    #: A short name for lists ("female life expectancy").
    short: str = ""
    #: "mean": areas above authorities are resident-weighted means of their values;
    #: "ratio": ratios of allocated totals (``count`` over ``denominator`` × ``per``).
    aggregate: str = "mean"
    per: float = 1.0


INDICATORS: tuple[Indicator, ...] = (
    Indicator("cancer_stage12", services.CANCER, "Persons",
              "Cancers diagnosed at stage 1 or 2", "%", "share", services.CANCER_SOURCE,
              "the share of cancers diagnosed at stage 1 or 2",
              "cancers diagnosed at stage 1 or 2"),
    Indicator("le_female", "90366", "Female", "Life expectancy at birth, females", "years",
              "level", outcomes.FINGERTIPS + ", indicator 90366", "female life expectancy",
              "female life expectancy"),
    Indicator("le_male", "90366", "Male", "Life expectancy at birth, males", "years",
              "level", outcomes.FINGERTIPS + ", indicator 90366", "male life expectancy",
              "male life expectancy"),
    Indicator("premature", "93721", "Persons",
              "Under-75 mortality from causes considered preventable", "per 100,000",
              "level", outcomes.FINGERTIPS + ", indicator 93721",
              "under-75 mortality from preventable causes",
              "under-75 mortality from preventable causes"),
    Indicator("gp_fte", "gp_fte_per_10k", "Persons", "GP FTE per 10,000 registered patients",
              "per 10,000 patients", "level", GP_SOURCE, "the number of GP FTE per patient",
              "GP FTE per 10,000 registered patients", aggregate="ratio", per=10_000.0),
)
BY_STEM = {i.stem: i for i in INDICATORS}

#: The kinds of area a table can list: words (singular, plural), ledger unit type, the
#: column of the small-area table that assigns small areas to it, hex layout geography.
UNIT_TYPES = {
    "LA": ("local authority", "local authorities", "LA", "lad_code", "LAD"),
    "region": ("region", "regions", "region", "region_code", "Region"),
    "ICB": ("integrated care board", "integrated care boards", "ICB", "icb_code", "ICB"),
}
WORDS = ("higher", "similar", "lower", "not compared", "no value")
CATEGORY = {"higher": "Higher than England", "similar": "Similar to England",
            "lower": "Lower than England", "not compared": "Not compared",
            "no value": "No value"}
PUBLISHED_METHOD = "the source's published value and 95% interval"
PUBLISHED_NO_CI = "the source's published value (the data hold no interval)"
PUBLISHER_METHOD = ("the source's published value; compared with England by OHID "
                    "(Fingertips) from its own 95% confidence intervals, a judgement this "
                    "report quotes and does not recompute")
#: Why an area is not compared with England, by reason (the ledger's note and the text).
WHY = {
    "mean": "a mean of its authorities' values, with no interval",
    "count": "a complete count of every practice's GP FTE and patients, not a sampled "
             "estimate, so it has no sampling interval",
    "publisher": "OHID does not compare it with England",
    "no interval": "the source gives no interval",
    "no england": "there is no England value",
}
#: Comparisons that name a difference or its absence.
JUDGED = ("higher", "similar", "lower")
MEAN_METHOD = ("mean of the published values of the area's authorities weighted by each "
               "authority's residents inside the area; no interval (the authorities' values "
               "have none)")
RATIO_METHOD = ("ratio of the authorities' totals, each authority's total allocated to the "
                "area by the share of its residents living there; no interval (complete "
                "counts)")
ENGLAND_METHOD = "England's published value"
ENGLAND_GP_METHOD = ("England: ratio of the totals of all England's authorities (no England "
                     "figure is published with the authority file)")
COLUMNS = ["unit_type", "code", "name", "stem", "value", "lower", "upper", "n", "period",
           "method", "note", "compared"]


# ------------------------------------------------------------------ England's comparator

def _gp_england(dataset: Dataset) -> pd.DataFrame:
    rows = dataset.indicators[(dataset.indicators["indicator_id"] == "gp_fte_per_10k")
                              & (dataset.indicators["area_level"] == "LAD")]
    if rows.empty:
        return pd.DataFrame({"group": pd.Series(dtype=str), "value": pd.Series(dtype=float)})
    latest = rows[rows["period"].astype(str) == rows["period"].astype(str).max()]
    value = float(latest["count"].sum() / latest["denominator"].sum() * 10_000)
    return pd.DataFrame({"group": ["England"], "value": [value]})


MEASURES = (
    Measure("areas_gp_fte_per_10k", _gp_england, 6,
            "GP FTE per 10,000 registered patients, England: ratio of all authorities' totals"),
)


# ------------------------------------------------------------------------ the comparison

def compare(value: float, lower: float, upper: float, england: float) -> str:
    """One of :data:`WORDS`: "higher" when the interval lies wholly above ``england``,
    "lower" when wholly below, "similar" when it includes it (a limit equal to England's
    value included), "not compared" without an interval or England's value, "no value"
    without an estimate."""
    value, lower, upper, england = (float(v) for v in (value, lower, upper, england))
    if math.isnan(value):
        return "no value"
    if math.isnan(lower) or math.isnan(upper) or math.isnan(england):
        return "not compared"
    if lower > england:
        return "higher"
    if upper < england:
        return "lower"
    return "similar"


def judged(value: float, england: float, verdict: object) -> str:
    """One of :data:`WORDS` from the publisher's judgement (``verdict``: "better",
    "worse", "higher", "lower", "similar", "not compared" or missing; see
    ``inequalities.data.readers.COMPARED_VALUES``): "similar" as judged; a significant
    difference ("better", "worse", "higher", "lower") is "higher" or "lower" by the
    area's value against England's, whatever the publisher's polarity; "not compared"
    without a judgement, without England's value, or when a significant difference has a
    value equal to England's (the direction is then unknown)."""
    value, england = float(value), float(england)
    if math.isnan(value):
        return "no value"
    verdict = verdict if isinstance(verdict, str) else ""
    if math.isnan(england) or verdict not in ("better", "worse", "higher", "lower",
                                              "similar"):
        return "not compared"
    if verdict == "similar":
        return "similar"
    if value > england:
        return "higher"
    if value < england:
        return "lower"
    return "not compared"


# ------------------------------------------------------------------------------ the values

def period_text(period: object) -> str:
    """A period as printed: "2022-01-01/P1Y" gives "2022", "2023 - 25" gives "2023-25"."""
    text = str(period)
    if "/P1Y" in text:
        return text[:4]
    return text.replace(" - ", "-")


def _rows(ed: EditionData, ind: Indicator, level: str) -> pd.DataFrame:
    """The published rows of ``ind`` at ``level`` (LAD, Region, England) in its latest
    period of authority rows (England's latest when there are none)."""
    data = ed.data.indicators
    rows = data[(data["indicator_id"] == ind.indicator_id) & (data["sex"] == ind.sex)]
    if rows.empty:
        return rows.iloc[0:0]
    periods = rows.loc[rows["area_level"] == "LAD", "period"].astype(str)
    latest = periods.max() if len(periods) else rows["period"].astype(str).max()
    return rows[(rows["area_level"] == level) & (rows["period"].astype(str) == latest)]


def latest_period(ed: EditionData, ind: Indicator) -> str:
    rows = _rows(ed, ind, "LAD")
    return period_text(rows["period"].iloc[0]) if len(rows) else ""


def england_value(ed: EditionData, ind: Indicator) -> float:
    """England's published value of ``ind`` (GP FTE: the national comparator)."""
    if ind.stem == "gp_fte":
        try:
            values = ed.england("areas_gp_fte_per_10k")
        except KeyError:
            return math.nan
        return float(values.get("England", math.nan))
    rows = _rows(ed, ind, "England")
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


def unit_frames(ed: EditionData) -> dict[str, pd.DataFrame]:
    """The areas the edition lists, by unit type: ``code``, ``name`` (sorted by name;
    regions in code order). England: regions and ICBs; other editions: their authorities."""
    if ed.edition.is_england:
        areas = ed.data.areas
        regions = areas[["region_code", "region_name"]].dropna().drop_duplicates(
            "region_code").rename(columns={"region_code": "code", "region_name": "name"})
        icbs = areas[["icb_code", "icb_name"]].dropna().drop_duplicates("icb_code").rename(
            columns={"icb_code": "code", "icb_name": "name"})
        icbs["name"] = icbs["name"].map(short_icb_name)
        return {"region": regions.sort_values("code", ignore_index=True),
                "ICB": icbs.sort_values("name", ignore_index=True)}
    lads = ed.data.lads[["lad_code", "lad_name"]].rename(
        columns={"lad_code": "code", "lad_name": "name"})
    return {"LA": lads.sort_values("name", ignore_index=True)}


def short_icb_name(name: object) -> str:
    """"NHS Devon Integrated Care Board" gives "Devon"."""
    return (str(name).strip().removeprefix("NHS ").removesuffix(" Integrated Care Board")
            .removesuffix(" ICB").strip())


def residents(areas: pd.DataFrame, column: str) -> pd.DataFrame:
    """Residents of each authority inside each area of ``column``: ``code``,
    ``lad_code``, ``residents``, ``share`` (of the authority's residents)."""
    pairs = areas.groupby([column, "lad_code"], observed=True, as_index=False)[
        "population"].sum().rename(columns={column: "code", "population": "residents"})
    totals = pairs.groupby("lad_code")["residents"].transform("sum")
    return pairs.assign(share=pairs["residents"] / totals)


def aggregate(la: pd.DataFrame, weights: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Areas' values from their authorities' (``la``: ``lad_code``, ``value``, ``count``,
    ``denominator``): resident-weighted means, or ratios of allocated totals. Columns
    ``code``, ``value``, ``n`` (authorities with a value), ``n_all`` (authorities)."""
    joined = weights.merge(la, on="lad_code", how="left")
    rows = []
    for code, part in joined.groupby("code", sort=True):
        have = part[part["value"].notna()]
        if ind.aggregate == "ratio":
            have = have[have["count"].notna() & have["denominator"].notna()]
            den = float((have["share"] * have["denominator"]).sum())
            value = (float((have["share"] * have["count"]).sum()) / den * ind.per
                     if den > 0 else math.nan)
        else:
            weight = float(have["residents"].sum())
            value = (float((have["residents"] * have["value"]).sum()) / weight
                     if weight > 0 else math.nan)
        rows.append({"code": code, "value": value, "n": len(have), "n_all": len(part)})
    return pd.DataFrame(rows, columns=["code", "value", "n", "n_all"])


def _aggregate_note(n: int, n_all: int) -> str:
    if n == 0:
        return "not estimated: none of its authorities has a value"
    if n < n_all:
        return f"from {n:,} of its {n_all:,} authorities (the others have no value)"
    return ""


def values(ed: EditionData) -> pd.DataFrame:
    """Every area's value of every indicator, with the comparison with England.

    Columns :data:`COLUMNS` plus ``england`` and ``comparison`` (:func:`compare`)."""
    frames = []
    for unit_type, units in unit_frames(ed).items():
        for ind in INDICATORS:
            period = latest_period(ed, ind)
            la = _rows(ed, ind, "LAD").rename(columns={"area_code": "lad_code"})
            if "compared" not in la:
                la = la.assign(compared=None)
            la = la[["lad_code", "value", "lower", "upper", "count", "denominator",
                     "compared"]]
            if unit_type == "LA":
                out = units.merge(la.rename(columns={"lad_code": "code"}), on="code",
                                  how="left")
                has_ci = bool(la["lower"].notna().any())
                by_publisher = (not has_ci and ind.stem != "gp_fte"
                                and bool(la["compared"].isin(JUDGED_BY_PUBLISHER).any()))
                out = out.assign(
                    n=1, method=(PUBLISHED_METHOD if has_ci else PUBLISHER_METHOD
                                 if by_publisher else PUBLISHED_NO_CI),
                    note=np.where(out["value"].isna(),
                                  "not estimated: the source publishes no value for this "
                                  "authority", ""))
                if not by_publisher:
                    out["compared"] = None
            else:
                column = UNIT_TYPES[unit_type][3]
                published = _rows(ed, ind, "Region") if unit_type == "region" else \
                    la.iloc[0:0]
                published = published.rename(columns={"area_code": "code"})
                agg = aggregate(la, residents(ed.data.areas, column), ind)
                out = units.merge(agg, on="code", how="left")
                out["n"] = out["n"].fillna(0).astype(int)
                out["n_all"] = out["n_all"].fillna(0).astype(int)
                out["lower"] = math.nan
                out["upper"] = math.nan
                out["compared"] = None
                out["method"] = RATIO_METHOD if ind.aggregate == "ratio" else MEAN_METHOD
                out["note"] = [_aggregate_note(n, m) for n, m in zip(out["n"], out["n_all"])]
                if len(published):
                    pub = published.set_index("code")
                    hit = out["code"].isin(pub.index) & out["code"].map(
                        pub["value"]).notna()
                    for col in ("value", "lower", "upper"):
                        out.loc[hit, col] = out.loc[hit, "code"].map(pub[col])
                    out.loc[hit, "method"] = np.where(out.loc[hit, "lower"].notna(),
                                                      PUBLISHED_METHOD, PUBLISHED_NO_CI)
                    out.loc[hit, "note"] = ""
                    out.loc[hit, "n"] = out.loc[hit, "n_all"]
                if not len(la):
                    out["value"] = math.nan
                out.loc[out["value"].isna() & out["note"].eq(""), "note"] = (
                    "not estimated: no value in the data")
            england = england_value(ed, ind)
            out = out.assign(unit_type=unit_type, stem=ind.stem, period=period,
                             england=england)
            if not len(la):
                out["note"] = "not available: the edition's data hold no value"
            out["comparison"] = [
                judged(v, england, c) if m == PUBLISHER_METHOD else
                compare(v, lo, hi, england)
                for v, lo, hi, c, m in zip(out["value"], out["lower"], out["upper"],
                                           out["compared"], out["method"])]
            out["why"] = [why(ind, unit_type, m, w, england)
                          for m, w in zip(out["method"], out["comparison"])]
            frames.append(out[[*COLUMNS, "england", "comparison", "why"]])
    return pd.concat(frames, ignore_index=True)


JUDGED_BY_PUBLISHER = ("better", "worse", "higher", "lower", "similar")


def why(ind: Indicator, unit_type: str, method: str, word: str, england: float) -> str:
    """The :data:`WHY` key of an area that is not compared with England ("" otherwise)."""
    if word != "not compared":
        return ""
    if math.isnan(float(england)):
        return "no england"
    if ind.stem == "gp_fte":
        return "count"
    if method in (MEAN_METHOD, RATIO_METHOD):
        return "mean"
    if method == PUBLISHER_METHOD:
        return "publisher"
    return "no interval"


def comparison_note(word: str, reason: str, method: str) -> str:
    """The ledger note of an area's comparison with England: "higher than England (95%
    interval)", "similar to England (OHID's judgement)", "not compared with England: ..."."""
    if word == "no value":
        return ""
    if word == "not compared":
        return "not compared with England: " + WHY.get(reason, WHY["no interval"])
    basis = "OHID's judgement at 95%" if method == PUBLISHER_METHOD else "95% interval"
    return f"{word} {'to' if word == 'similar' else 'than'} England ({basis})"


def _ledger_notes(part: pd.DataFrame) -> list[str]:
    reasons = part["why"] if "why" in part else pd.Series("", index=part.index)
    out = []
    for note, word, reason, method in zip(part["note"].fillna(""), part["comparison"],
                                          reasons.fillna(""), part["method"]):
        extra = comparison_note(word, reason, method)
        out.append("; ".join(t for t in (str(note), extra) if t))
    return out


# ---------------------------------------------------------------------------- the ledger

def statistics(frame: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows ``areas.<stem>_<unit type>.<area name>`` and England's comparators
    ``areas.<stem>.england``."""
    parts = []
    for (unit_type, stem), part in frame.groupby(["unit_type", "stem"], sort=False):
        ind = BY_STEM[stem]
        part = part.assign(ledger_note=_ledger_notes(part))
        for method, rows in part.groupby("method", sort=False):
            parts.append(ledger.rows(
                rows, topic="areas", key=f"areas.{stem}_{unit_type.lower()}",
                label=ind.name, unit=ind.unit, kind=ind.kind,
                unit_type=UNIT_TYPES[unit_type][2], method=method, source=ind.source,
                period="period", group="name", units="n", note="ledger_note"))
    for stem, part in frame.groupby("stem", sort=False):
        ind = BY_STEM[stem]
        england = float(part["england"].iloc[0])
        if math.isnan(england):
            continue
        parts.append(ledger.rows(
            pd.DataFrame({"group": ["England"], "value": [england], "n": [1],
                          "period": [part["period"].iloc[0]]}),
            topic="areas", key=f"areas.{stem}", label=ind.name, unit=ind.unit,
            kind=ind.kind, unit_type="country", lower=None, upper=None,
            method=ENGLAND_GP_METHOD if stem == "gp_fte" else ENGLAND_METHOD,
            source=ind.source, period="period"))
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------- the table and download

#: The mark of each comparison word in the table (``outputs.Marked``): the report's Lua
#: filter draws it as a square of the map's colour (:data:`charts.COMPARISON_COLOURS`)
#: before the word, so the colour never stands alone.
MARKS = {"higher": "compare-higher", "similar": "compare-similar", "lower": "compare-lower"}


def cell(value: float, lower: float, upper: float, word: str, unit: str,
         compared: bool) -> str:
    """A table cell: "54.1 (52.0 to 56.2) higher"; a column without intervals shows the
    value alone; "–" without a value. A compared word carries its mark (:data:`MARKS`)."""
    if math.isnan(float(value)):
        return "–"
    decimals = numbers.decimals_for(unit)
    text = numbers.number(value, decimals)
    if not math.isnan(float(lower)):
        text += (f" ({numbers.number(lower, decimals)} to "
                 f"{numbers.number(upper, decimals)})")
    if compared and word in MARKS:
        return outputs.Marked((text + " ", None), (word, MARKS[word]))
    if compared:
        text += f" {word}"
    return text


def compared_stems(frame: pd.DataFrame) -> list[str]:
    """Indicators with at least one area compared with England (an interval)."""
    hit = frame[frame["comparison"].isin(["higher", "similar", "lower"])]
    return [i.stem for i in INDICATORS if i.stem in set(hit["stem"])]


def by_publisher(frame: pd.DataFrame, stem: str) -> bool:
    """Whether ``stem``'s comparisons in ``frame`` are the publisher's judgement (no
    comparison of it rests on an interval)."""
    rows = frame[(frame["stem"] == stem) & frame["comparison"].isin(JUDGED)]
    return bool(len(rows)) and bool(rows["method"].eq(PUBLISHER_METHOD).all())


def _header(ind: Indicator, compared: bool, publisher: bool = False) -> str:
    unit = {"%": "%", "years": "years", "per 100,000": "per 100,000",
            "per 10,000 patients": "per 10,000"}.get(ind.unit, ind.unit)
    head = {"cancer_stage12": "Diagnosed at stage 1 or 2", "le_female": "Life expectancy, F",
            "le_male": "Life expectancy, M", "premature": "Preventable deaths under 75",
            "gp_fte": "GP FTE"}[ind.stem]
    if compared and publisher:
        return f"{head}, {unit}, vs England (OHID)"
    return f"{head}, {unit}" + (" (95% CI), vs England" if compared else "")


def keys(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Each area's key in the table and on the map: 1, 2 ... in table order; regions
    (England's edition, not on the map) R1, R2 ..."""
    out = {}
    for unit_type, part in frame.groupby("unit_type", sort=False):
        prefix = "R" if unit_type == "region" else ""
        codes = list(dict.fromkeys(part["code"]))
        out.update({(unit_type, c): f"{prefix}{k + 1}" for k, c in enumerate(codes)})
    return out


def area_table(frame: pd.DataFrame) -> outputs.Table:
    """One row per area (England: regions, then ICBs): its key, name and indicators as
    printed; a column with any comparison gives every row's word."""
    if frame.empty:
        return outputs.show_table(pd.DataFrame({"Note": ["No areas in this edition."]}))
    order = [u for u in UNIT_TYPES if u in set(frame["unit_type"])]
    compared = set(compared_stems(frame))
    key = keys(frame)
    rows = []
    for unit_type in order:
        part = frame[frame["unit_type"] == unit_type]
        for code, area in part.groupby("code", sort=False):
            row = {"Key": key[(unit_type, code)], "Area": area["name"].iloc[0]}
            by = area.set_index("stem")
            for ind in INDICATORS:
                row[_header(ind, ind.stem in compared, by_publisher(frame, ind.stem))] = (
                    cell(*by.loc[ind.stem, ["value", "lower", "upper", "comparison"]],
                         ind.unit, ind.stem in compared) if ind.stem in by.index else "–")
            rows.append(row)
    table = pd.DataFrame(rows, dtype=object)  # object: cells keep their marks
    name = (UNIT_TYPES[order[0]][0].capitalize() if len(order) == 1
            else " or ".join(UNIT_TYPES[u][0] for u in order).capitalize())
    return outputs.show_table(table.rename(columns={"Area": name}))


def england_row(frame: pd.DataFrame) -> str:
    """England's values, as one sentence-ready list: "54.0% early diagnosis ..."."""
    parts = []
    for ind in INDICATORS:
        rows = frame[frame["stem"] == ind.stem]
        if rows.empty or math.isnan(float(rows["england"].iloc[0])):
            continue
        value = float(rows["england"].iloc[0])
        text = numbers.number(value, numbers.decimals_for(ind.unit))
        text += "%" if ind.unit == "%" else "" if ind.stem == "gp_fte" else f" {ind.unit}"
        parts.append(f"{ind.short}, {text}")
    return "; ".join(parts)


def download(frame: pd.DataFrame) -> pd.DataFrame:
    """The table's data for the CSV download: one row per area and indicator."""
    key = keys(frame)
    return pd.DataFrame({
        "area_type": frame["unit_type"].map(lambda u: UNIT_TYPES[u][0]),
        "key": [key[(u, c)] for u, c in zip(frame["unit_type"], frame["code"])],
        "area_code": frame["code"], "area_name": frame["name"],
        "indicator": frame["stem"].map(lambda s: BY_STEM[s].name),
        "unit": frame["stem"].map(lambda s: BY_STEM[s].unit),
        "period": frame["period"], "value": frame["value"], "lower_95": frame["lower"],
        "upper_95": frame["upper"], "england": frame["england"],
        "compared_with_england": frame["comparison"],
        "comparison_note": [comparison_note(w, r, m) for w, r, m in zip(
            frame["comparison"], frame.get("why", pd.Series("", index=frame.index)).fillna(""),
            frame["method"])],
        "method": frame["method"], "note": frame["note"]}).reset_index(drop=True)


# -------------------------------------------------------------------------------- the map

def map_unit(frame: pd.DataFrame) -> str:
    """The unit type the map draws: ICBs for England, authorities otherwise."""
    return "ICB" if "ICB" in set(frame["unit_type"]) else "LA"


def map_stem(frame: pd.DataFrame) -> str | None:
    """The indicator the map colours: the first compared with England, else the first
    with a value; None when no area has a value."""
    part = frame[frame["unit_type"] == map_unit(frame)]
    compared = [s for s in compared_stems(part)]
    if compared:
        return compared[0]
    with_value = part[part["value"].notna()]
    return next((i.stem for i in INDICATORS if i.stem in set(with_value["stem"])), None)


def map_frame(frame: pd.DataFrame, hexes: pd.DataFrame | None) -> tuple[pd.DataFrame,
                                                                         pd.DataFrame]:
    """The map's areas with their hexagon (``q``, ``r``, ``layout``), value, words and
    tooltip text; and the areas without a hexagon (``code``, ``name``)."""
    unit = map_unit(frame)
    stem = map_stem(frame)
    part = frame[frame["unit_type"] == unit]
    names = part.drop_duplicates("code")[["code", "name"]].reset_index(drop=True)
    key = keys(frame)
    names["key"] = [key[(unit, c)] for c in names["code"]]
    empty = pd.DataFrame(columns=["code", "name"])
    if stem is None:
        return pd.DataFrame(), names[["code", "name"]]
    geography = UNIT_TYPES[unit][4]
    layout = (hexes[hexes["geography"] == geography] if hexes is not None and len(hexes)
              else pd.DataFrame(columns=["code", "q", "r", "layout"]))
    rows = part[part["stem"] == stem].merge(names[["code", "key"]], on="code")
    placed = rows.merge(layout[["code", "q", "r", "layout"]], on="code", how="inner")
    missing = names[~names["code"].isin(set(layout["code"]))][["code", "name"]]
    ind = BY_STEM[stem]
    placed = placed.assign(
        category=placed["comparison"].map(CATEGORY),
        value_text=[ledger.interval_text({"value": v, "lower": lo, "upper": hi,
                                          "unit": ind.unit, "note": n}, unit=True)
                    for v, lo, hi, n in zip(placed["value"], placed["lower"],
                                            placed["upper"], placed["note"])])
    return placed.reset_index(drop=True), (missing if len(missing) else empty)


def hex_chart(placed: pd.DataFrame, frame: pd.DataFrame, edition_name: str):
    """The hex map of :func:`map_frame`'s areas."""
    stem = map_stem(frame)
    ind = BY_STEM[stem]
    unit = map_unit(frame)
    by_category = stem in compared_stems(frame[frame["unit_type"] == unit])
    words = UNIT_TYPES[unit][1]
    period = placed["period"].iloc[0]
    title = f"{ind.name}, {period}"
    return charts.hex_map(
        placed, layout=str(placed["layout"].iloc[0]),
        colour="category" if by_category else "value", label="key",
        tooltip=[("key", "Key"), ("name", UNIT_TYPES[unit][0].capitalize()),
                 ("value_text", ind.name), ("category", "Compared with England")],
        categories=charts.COMPARISON_COLOURS if by_category else None,
        legend_title=(("Compared with England (OHID's judgement, 95%)"
                       if by_publisher(frame[frame["unit_type"] == unit], stem)
                       else "Compared with England (95% interval)") if by_category
                      else f"{ind.name}, {ind.unit}"),
        title=title, source=f"{ind.source}; {HEX_SOURCE}",
        description=map_description(placed, frame, edition_name))


def map_summary(placed: pd.DataFrame, frame: pd.DataFrame) -> str:
    """What the map's colours say, in one sentence for the text (the chart's own text
    alternative is :func:`map_description`)."""
    if placed.empty:
        return "There is no map for this edition."
    stem = map_stem(frame)
    ind = BY_STEM[stem]
    unit = map_unit(frame)
    one, many = UNIT_TYPES[unit][:2]
    if stem in compared_stems(frame[frame["unit_type"] == unit]):
        counts = placed["comparison"].value_counts()
        said = {"higher": "higher than England", "similar": "similar to England",
                "lower": "lower than England", "not compared": "not compared",
                "no value": "without a value"}
        if len(placed) == 1:
            word = placed["comparison"].iloc[0]
            verb = "has no value" if word == "no value" else f"is {said[word]}"
            return f"The only {one} on the map {verb}."
        parts = [f"{counts[w]:,} {said[w]}" for w in WORDS if counts.get(w, 0)]
        return f"Of the {_count(len(placed), one, many)} on the map, {_listed(parts)}."
    have = placed[placed["value"].notna()]
    if have.empty:
        return "No area on the map has a value."
    low, high = have.loc[have["value"].idxmin()], have.loc[have["value"].idxmax()]
    d = numbers.decimals_for(ind.unit)
    unit_text = "%" if ind.unit == "%" else f" {ind.unit}"
    text = (f"The {many} are not compared with England on this indicator (no interval), so "
            f"the colour shows the value, from {numbers.number(low['value'], d)}{unit_text} "
            f"in {low['name']} to {numbers.number(high['value'], d)}{unit_text} in "
            f"{high['name']}.")
    empty = len(placed) - len(have)
    if empty:
        text += f" Hexagons left white have no value ({_count(empty, one, many)})."
    return text


def placeholder_chart(message: str):
    """A chart holding only ``message``, for an edition whose data lack the layout."""
    import altair as alt

    return alt.Chart(pd.DataFrame({"text": [message]})).mark_text(
        fontSize=13, align="left", x=0).encode(text="text:N").properties(
        width=460, height=40, description=message)


def chart(placed: pd.DataFrame, frame: pd.DataFrame, edition_name: str):
    """The hex map, or a placeholder saying why there is none."""
    if placed.empty:
        return placeholder_chart("No hex map: the edition's data hold no hex layout or no "
                                 "value to colour it by.")
    return hex_chart(placed, frame, edition_name)


def map_description(placed: pd.DataFrame, frame: pd.DataFrame, edition_name: str) -> str:
    """The map's text alternative: what it shows and how many areas fall in each
    category (or the range of values)."""
    stem = map_stem(frame)
    ind = BY_STEM[stem]
    unit = map_unit(frame)
    one, many = UNIT_TYPES[unit][:2]
    head = (f"Hex map of the {len(placed):,} {many if len(placed) != 1 else one} in this "
            f"edition ({edition_name}), one equal hexagon each, numbered as in the table, coloured by "
            f"{ind.subject}")
    if stem in compared_stems(frame[frame["unit_type"] == unit]):
        counts = placed["comparison"].value_counts()
        said = {"no value": "with no value", "not compared": "not compared"}
        parts = [f"{counts[w]:,} {said.get(w, CATEGORY[w][0].lower() + CATEGORY[w][1:])}"
                 for w in WORDS if counts.get(w, 0)]
        return f"{head} compared with England: {_listed(parts)}."
    have = placed[placed["value"].notna()]
    if have.empty:
        return f"{head}; no area has a value."
    low, high = have.loc[have["value"].idxmin()], have.loc[have["value"].idxmax()]
    d = numbers.decimals_for(ind.unit)
    return (f"{head} ({ind.unit}): from {numbers.number(low['value'], d)} in {low['name']} "
            f"to {numbers.number(high['value'], d)} in {high['name']}.")


# ----------------------------------------------------------------------------- sentences

def _listed(parts: list[str]) -> str:
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def comparison_sentence(frame: pd.DataFrame, unit_type: str, stem: str) -> str:
    """How the areas of ``unit_type`` compare with England on ``stem``, in one sentence.

    "Compared with England's 54.0%, the share of cancers diagnosed at stage 1 or 2 was
    higher in 2 local authorities, similar in 8 and lower in 1; 1 has no value."
    """
    ind = BY_STEM[stem]
    one, many = UNIT_TYPES[unit_type][:2]
    part = frame[(frame["unit_type"] == unit_type) & (frame["stem"] == stem)]
    if part.empty or part["value"].isna().all():
        return (f"The edition's data hold no value of {ind.subject} for its {many}.")
    england = float(part["england"].iloc[0])
    counts = part["comparison"].value_counts()
    judged = int(sum(counts.get(w, 0) for w in ("higher", "similar", "lower")))
    subject = ind.subject
    if math.isnan(england):
        return (f"The data hold no England figure for {subject}, so the {many} are not "
                "compared with England.")
    d = numbers.decimals_for(ind.unit)
    eng = numbers.number(england, d) + ("%" if ind.unit == "%" else f" {ind.unit}")
    if judged == 0:
        return (f"The data give no interval for {subject}, so the {many} are not compared "
                f"with England's {eng}.")
    present = [w for w in ("higher", "similar", "lower") if counts.get(w, 0)]
    if len(present) == 1 and judged == len(part):
        text = (f"Compared with England's {eng}, {subject} was {present[0]} in "
                f"{'the only' if judged == 1 else 'all ' + format(judged, ',')} "
                f"{one if judged == 1 else many}")
    else:
        parts = []
        for k, w in enumerate(present):
            n = int(counts[w])
            parts.append(f"{w} in {_count(n, one, many)}" if k == 0 else f"{w} in {n:,}")
        text = f"Compared with England's {eng}, {subject} was {_listed(parts)}"
    tails = []
    uncompared = part[part["comparison"] == "not compared"]
    reasons = (uncompared["why"].fillna("") if "why" in uncompared
               else pd.Series("no interval", index=uncompared.index))
    verbs = {"publisher": ("is not compared by OHID", "are not compared by OHID"),
             "mean": ("is a mean of its authorities' values, with no interval, and is not "
                      "compared", "are means of their authorities' values, with no "
                      "interval, and are not compared"),
             "no interval": ("has no interval and is not compared",
                             "have no interval and are not compared")}
    reasons = reasons.replace("", "no interval").where(reasons.isin(list(verbs)) |
                                                       reasons.eq(""), "no interval")
    for reason, (one_verb, many_verb) in verbs.items():
        n = int((reasons == reason).sum())
        if n:
            tails.append(f"{n:,} {one_verb if n == 1 else many_verb}")
    n = int(counts.get("no value", 0))
    if n:
        tails.append(f"{n:,} {'has' if n == 1 else 'have'} no value")
    if by_publisher(part, stem):
        text += " (OHID's judgement)"
    return text + ("; " + " and ".join(tails) if tails else "") + "."


def uncompared_sentence(frame: pd.DataFrame, unit_type: str) -> str:
    """The indicators of ``unit_type``'s areas that are not compared with England (no
    interval in the data), in one sentence; "" when every indicator is compared."""
    part = frame[frame["unit_type"] == unit_type]
    compared = set(compared_stems(part))
    have = set(part.loc[part["value"].notna(), "stem"])
    rest = [i.short for i in INDICATORS if i.stem not in compared and i.stem in have]
    missing = [i.short for i in INDICATORS if i.stem not in have]
    many = UNIT_TYPES[unit_type][1]
    text = ""
    counted = [i.short for i in INDICATORS if i.short in rest and i.stem == "gp_fte"
               and unit_type == "LA"]
    means = [i.short for i in INDICATORS if i.short in rest and unit_type != "LA"]
    rest = [r for r in rest if r not in counted and r not in means]
    if rest:
        text = (f"The data give no interval for {_listed(rest)}, so the {many}' values of "
                f"{'this indicator are' if len(rest) == 1 else 'these indicators are'} shown "
                "without a comparison with England.")
    if means:
        text += (" " if text else "") + (
            f"The {many}' values of {_listed(means)} are means of their authorities' values "
            "(for GP FTE, ratios of their totals) with no interval, so they are not "
            "compared with England.")
    if counted:
        text += (" " if text else "") + (
            f"{counted[0][0].upper()}{counted[0][1:]} is not compared with England: it is "
            "a complete count of every practice's GP FTE and registered patients, not a "
            "sampled estimate, so it has no sampling interval to judge a difference by.")
    if missing:
        text += (" " if text else "") + (f"The edition's data hold no value of "
                                        f"{_listed(missing).replace(' and ', ' or ')}.")
    return text


def unmatched_sentence(missing: pd.DataFrame, unit_type: str) -> str:
    """Which areas have no hexagon in the layout (they stay in the table)."""
    one, many = UNIT_TYPES[unit_type][:2]
    if missing.empty:
        return f"Every {one} of the edition has a hexagon in the layout."
    names = _listed([f"{n} ({c})" for c, n in zip(missing["code"], missing["name"])])
    if len(missing) == 1:
        return (f"One {one}, {names}, has no hexagon in the layout and is missing from the "
                "map; it is in the table.")
    return (f"{len(missing):,} {many}, {names}, have no hexagon in the layout and are "
            "missing from the map; they are in the table.")


def publisher_sentence(frame: pd.DataFrame) -> str:
    """Which comparisons are the publisher's judgement, in one sentence ("" for none)."""
    stems = [s for s in compared_stems(frame) if by_publisher(frame, s)]
    if not stems:
        return ""
    names = _listed([BY_STEM[s].short for s in stems])
    return (f"The comparisons of {names} are OHID's (Fingertips): it judges each authority "
            "against England by its own 95% confidence interval, which these data do not "
            "include, so this report quotes the judgement and does not recompute it.")


def multiple_sentence(frame: pd.DataFrame) -> str:
    """How many comparisons the table makes, and that none is adjusted for the others."""
    n = int(frame["comparison"].isin(["higher", "similar", "lower"]).sum())
    if n == 0:
        return ("No area is compared with England here, since no indicator in these data "
                "comes with an interval.")
    return (f"The {'table makes' if n > 1 else 'table makes only'} "
            f"{_count(n, 'comparison', 'comparisons')} with England. Each is judged on its "
            "own at the 95% level, with no adjustment for multiple comparisons: an area "
            "that truly equals England still comes out higher or lower about 1 time in 20, "
            "so some of the differences shown may be chance.")


def key_figures(frame: pd.DataFrame, missing: pd.DataFrame, edition_name: str
                ) -> dict[str, str]:
    """``areas.*``: the chapter's numbers and sentences."""
    figures: dict[str, str] = {}
    unit = map_unit(frame)
    units = [u for u in UNIT_TYPES if u in set(frame["unit_type"])]
    counts = [(frame[frame["unit_type"] == u]["code"].nunique(), u) for u in units]
    figures["areas.units"] = "the " + _listed([
        f"one {UNIT_TYPES[u][0]}" if n == 1 else _count(n, *UNIT_TYPES[u][:2])
        for n, u in counts])
    figures["areas.map_units"] = UNIT_TYPES[unit][1]
    stem = map_stem(frame)
    figures["areas.map_indicator"] = BY_STEM[stem].subject if stem else "no indicator"
    figures["areas.map_sentence"] = unmatched_sentence(missing, unit)
    figures["areas.multiple_sentence"] = multiple_sentence(frame)
    figures["areas.england_values"] = england_row(frame) or "not available"
    for u in units:
        compared = compared_stems(frame[frame["unit_type"] == u])
        sentences = [comparison_sentence(frame, u, s) for s in compared]
        sentences.append(publisher_sentence(frame[frame["unit_type"] == u]))
        sentences.append(uncompared_sentence(frame, u))
        figures[f"areas.{u.lower()}_sentences"] = " ".join(s for s in sentences if s)
    for u in UNIT_TYPES:
        figures.setdefault(f"areas.{u.lower()}_sentences", "")
    for ind in INDICATORS:
        rows = frame[frame["stem"] == ind.stem]
        figures[f"areas.{ind.stem}_period"] = (str(rows["period"].iloc[0]) if len(rows)
                                               and rows["period"].iloc[0] else "not available")
    figures["areas.edition"] = edition_name
    return figures
