"""Core20PLUS5 clinical areas that the staged data can measure: early cancer diagnosis
and physical health checks for people with severe mental illness (SMI).

Early cancer diagnosis (:func:`cancer_summaries`): the share of cancers diagnosed at stage 1
or 2 among staged cancers (NHS England National Disease Registration Service; OHID
Fingertips indicator 93671, republished by ONS Explore Local Statistics) for local
authorities, each calendar year 2013-2022, with the limits the source publishes. Types of
authority are compared as in the outcomes chapter: the authorities' shares averaged with
their residents as weights (:func:`inequalities.topics._places.weighted_group_means`,
linearised ratio-estimator variance, t interval), a group of fewer than
:data:`MIN_AUTHORITIES` authorities not estimated; England is the source's published
figure with its published interval. Authorities whose value the source marks unreliable
(status "u", mostly where too few cancers had a recorded stage) have no value and are
left out of that year. The trend is England's change between the first and last years,
with an interval from the two published intervals (normal approximation, independent
years).

SMI physical health checks (:func:`smi_england`, :func:`smi_icbs`): NHS England's count of
people on the GP SMI register who had all six checks (alcohol, blood glucose, blood
lipids, blood pressure, BMI, smoking) in the 12 months to each quarter's end, over the
register, as the sub-ICBs (CCGs before July 2022) reported them; England and each ICB are
the sums of their sub-ICBs (the data layer sums them), shares with Wilson intervals
(:func:`inequalities.methods.proportion`). The collection is experimental and known to be
incomplete; its register is smaller than QOF's mental health register, so its shares are
higher than shares of the QOF register would be. No national share NHS England published
was available offline, so the sums are not verified against one; the register is checked
instead (:func:`smi_register_check`): at 31 March 2023 the returns' England register is
set against QOF 2022-23's published mental health register (:data:`MEASURES`, England's
sum of the practices' MH registers), and the all-six-checks count is also shown as a
share of the QOF register. Checks cluster before the year end, so quarters are compared
with the same quarter of other years.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from inequalities import methods
from inequalities.report import ledger, numbers, outputs
from inequalities.topics import _places as places
from inequalities.topics import outcomes
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": ("icb_code", "icb_name"),
    "lads": ("lad_code", "population", "coastal", "urban_rural"),
    "indicators": ALL,
    "trusts": ALL,
}

CANCER = "93671"
CANCER_SOURCE = ("NHS England NDRS, OHID Fingertips indicator 93671 (via ONS Explore Local "
                 "Statistics)")
MIN_AUTHORITIES = outcomes.MIN_AUTHORITIES
Z = 1.959964
CHANGE_METHOD = ("difference of England's published shares, interval from the two "
                 "published intervals (normal approximation, years independent)")
COLUMNS = ["year", "kind", "group", "reference", "value", "lower", "upper", "n",
           "n_reference"]


def cancer_frame(ed: EditionData) -> pd.DataFrame:
    """The edition's authorities' early-diagnosis shares by ``year``, with residents and
    place; England's published rows have ``area_level`` "England"."""
    ind = ed.data.indicators
    rows = ind[(ind["indicator_id"] == CANCER) & ind["area_level"].isin(["LAD", "England"])]
    rows = rows.assign(year=rows["period"].astype(str).str[:4])
    lads = ed.data.lads[["lad_code", "population", "urban_rural", "coastal"]]
    la = rows[rows["area_level"] == "LAD"].merge(lads, left_on="area_code",
                                                 right_on="lad_code", how="inner")
    return pd.concat([la, rows[rows["area_level"] == "England"]], ignore_index=True)


def cancer_summaries(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year: group means (``kind`` "mean"), rural minus urban and coastal minus
    non-coastal (``kind`` "difference") and England's published share (``kind``
    "england"). Columns :data:`COLUMNS`."""
    rows = []
    for year, part in frame.groupby("year", sort=True):
        la = part[part["area_level"] == "LAD"]
        if len(la):
            means = places.weighted_group_means(la, "value", "population")
            rows += [{"year": year, "kind": "mean", "group": m.group, "reference": "",
                      "value": m.value, "lower": m.lower, "upper": m.upper, "n": m.n,
                      "n_reference": np.nan} for m in means.itertuples(index=False)]
            rows += [{"year": year, "kind": "difference", "group": d.group,
                      "reference": d.reference, "value": d.value, "lower": d.lower,
                      "upper": d.upper, "n": d.n, "n_reference": d.n_reference}
                     for d in places.weighted_group_differences(means).itertuples(
                         index=False)]
        eng = part[part["area_level"] == "England"]
        if len(eng):
            e = eng.iloc[0]
            rows.append({"year": year, "kind": "england", "group": "England",
                         "reference": "", "value": e["value"], "lower": e["lower"],
                         "upper": e["upper"], "n": 1, "n_reference": np.nan})
    return pd.DataFrame(rows, columns=COLUMNS)


def england_change(summary: pd.DataFrame) -> pd.DataFrame:
    """England's published share in the last year minus the first, with its interval."""
    eng = summary[summary["kind"] == "england"].sort_values("year")
    if len(eng) < 2:
        return pd.DataFrame(columns=["group", "value", "lower", "upper", "n", "period"])
    first, last = eng.iloc[0], eng.iloc[-1]
    se = math.hypot((first["upper"] - first["lower"]) / (2 * Z),
                    (last["upper"] - last["lower"]) / (2 * Z))
    diff = float(last["value"] - first["value"])
    return pd.DataFrame([{"group": f"England, {last['year']} minus {first['year']}",
                          "value": diff, "lower": diff - Z * se, "upper": diff + Z * se,
                          "n": 1, "period": f"{first['year']}-{last['year']}"}])


def statistics(summary: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows ``services.cancer_stage12_<year>.<group>`` (means and England),
    ``….rural_minus_urban`` and ``….coastal_minus_non_coastal``, and
    ``services.cancer_stage12_change.<…>``."""
    parts = []
    label = "Cancers diagnosed at stage 1 or 2 (% of staged cancers)"
    for year, part in summary.groupby("year", sort=True):
        common = dict(topic="services", key=f"services.cancer_stage12_{year}", label=label,
                      unit="%", source=CANCER_SOURCE, period=str(year))
        means = part[part["kind"] == "mean"]
        parts.append(ledger.rows(means, kind="share", unit_type="LA",
                                 method=outcomes.method("LA"), min_units=MIN_AUTHORITIES,
                                 **common))
        diffs = part[part["kind"] == "difference"].copy()
        diffs["group"] = diffs["group"] + " minus " + diffs["reference"].str.lower()
        diffs["units"] = diffs[["n", "n_reference"]].min(axis=1)
        parts.append(ledger.rows(diffs, kind="difference", unit_type="LA",
                                 method=outcomes.DIFFERENCE_METHOD, units="units",
                                 min_units=MIN_AUTHORITIES,
                                 **{**common, "unit": "percentage points"}))
        eng = part[part["kind"] == "england"]
        parts.append(ledger.rows(eng, kind="share", unit_type="country",
                                 method="England's published value and 95% interval",
                                 **common))
    change = england_change(summary)
    if len(change):
        parts.append(ledger.rows(change, topic="services", key="services.cancer_stage12_change",
                                 label=label + ", change", unit="percentage points",
                                 kind="difference", unit_type="country",
                                 method=CHANGE_METHOD, source=CANCER_SOURCE,
                                 period="period"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


def trend_frame(stats: pd.DataFrame) -> pd.DataFrame:
    """Year, group, value and interval of every group mean and England, for the table and
    the download."""
    rows = stats[stats["key"].str.match(r"services\.cancer_stage12_\d{4}\.")
                 & (stats["kind"] == "share")]
    return pd.DataFrame({"year": rows["period"], "group": rows["group"],
                         "value": rows["value"], "lower": rows["lower"],
                         "upper": rows["upper"], "authorities": rows["units"],
                         "note": rows["note"]}).reset_index(drop=True)


TREND_GROUPS = ("England", "Urban", "Rural", "Coastal", "Non-coastal")


def trend_table(stats: pd.DataFrame) -> outputs.Table:
    """Years (rows) by England and types of authority (columns), as printed in the text."""
    frame = trend_frame(stats)
    if frame.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "Early cancer diagnosis is not available for this edition."]}))
    rows = stats[stats["key"].str.match(r"services\.cancer_stage12_\d{4}\.")
                 & (stats["kind"] == "share")]
    records = {}
    for _, row in rows.iterrows():
        if row["group"] not in TREND_GROUPS:
            continue
        records.setdefault(row["period"], {"Year": row["period"]})[row["group"]] = (
            ledger.interval_text(row) if not math.isnan(row["value"]) else "–")
    table = pd.DataFrame([records[y] for y in sorted(records)])
    return outputs.show_table(table[["Year", *[g for g in TREND_GROUPS if g in table]]])


def coverage(frame: pd.DataFrame, ed: EditionData) -> str:
    """"212 of 296 authorities" with a value in the latest year."""
    la = frame[frame["area_level"] == "LAD"]
    total = len(ed.data.lads)
    have = 0 if la.empty else int(la.loc[la["year"] == la["year"].max(), "value"].notna().sum())
    return coverage_words(have, total)


def coverage_words(have: int, total: int) -> str:
    """How many of the edition's authorities have a value: "212 of 296 authorities", "its
    one authority", "none of its 3 authorities"."""
    if total == 1:
        return "its one authority" if have else "none of its authorities (it has one)"
    if have == 0:
        return f"none of its {total:,} authorities"
    return f"{have:,} of {total:,} authorities"


def places_sentence(stats: pd.DataFrame, year: str) -> str:
    """The latest year's type-of-place means in one sentence, naming the types with too
    few authorities: "Averaged over the edition's authorities it was 53.8% (…) in urban and
    53.6% (…) in coastal authorities; rural and non-coastal authorities are too few (fewer
    than 5 with a value) to estimate."""
    shown, short = [], []
    for group in ("Urban", "Rural", "Coastal", "Non-coastal"):
        hit = stats[stats["key"] == f"services.cancer_stage12_{year}.{ledger.key_part(group)}"]
        if hit.empty:
            continue
        if math.isnan(float(hit.iloc[0]["value"])):
            short.append(group.lower())
        else:
            shown.append(f"{ledger.interval_text(hit.iloc[0], unit=True)} in {group.lower()}")
    parts = []
    if shown:
        listed = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
        parts.append(f"Averaged over the edition's authorities it was {listed} authorities")
    if short:
        names = " and ".join(short)
        parts.append(f"{names} authorities are too few (fewer than {MIN_AUTHORITIES} with a "
                     "value) to estimate")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "." if text else ""


def key_figures(stats: pd.DataFrame) -> dict[str, str]:
    """``services.<key with dots as underscores>`` for every ledger row (the latest year
    also as ``services.cancer_stage12_latest_<group>``), plus the years and minimum."""
    figures: dict[str, str] = {}
    years = sorted({k.split(".")[1].removeprefix("cancer_stage12_") for k in stats["key"]
                    if k.split(".")[1][-4:].isdigit()})
    for _, row in stats.iterrows():
        text = ledger.interval_text(row, unit=True)
        name = row["key"].removeprefix("services.").replace(".", "_")
        figures[f"services.{name}"] = text
        if years and row["key"].startswith(f"services.cancer_stage12_{years[-1]}."):
            figures[f"services.cancer_stage12_latest_{row['key'].split('.')[-1]}"] = text
    latest = years[-1] if years else "not available"
    figures["services.cancer_first_year"] = years[0] if years else "not available"
    figures["services.cancer_latest_year"] = latest
    for group in ("england", "all_areas", "urban", "rural", "coastal", "non_coastal",
                  "rural_minus_urban", "coastal_minus_non_coastal"):
        figures.setdefault(f"services.cancer_stage12_latest_{group}", "not available")
    figures["services.cancer_change"] = next(
        (v for k, v in figures.items() if k.startswith("services.cancer_stage12_change_")),
        "not available")
    figures["services.cancer_places_sentence"] = places_sentence(stats, latest)
    for which, key in (("rural", "rural_minus_urban"), ("coastal", "coastal_minus_non_coastal")):
        hit = stats[stats["key"] == f"services.cancer_stage12_{latest}.{key}"]
        figures[f"services.cancer_{which}_sentence"] = (outcomes.comparison_sentence(
            hit.iloc[0], "The share diagnosed at stage 1 or 2", "authorities",
            "percentage points") if len(hit) else "")
    figures["services.min_authorities"] = f"{MIN_AUTHORITIES:,}"
    return figures


# --------------------------------------------------------------------- SMI health checks

SMI = "smi_all6_checks"
SMI_SOURCE = ("NHS England, physical health checks for people with severe mental illness "
              "(experimental statistics), summed from sub-ICB returns")
SMI_LABEL = "People on the SMI register with all six physical health checks in 12 months"
WILSON = "share of pooled counts, Wilson score interval"
SMI_NOTE = ("sum of the staged sub-ICB returns; no published national share was available "
            "to verify it against")
#: The quarter whose end is the date of QOF 2022-23's registers (31 March 2023).
QOF_QUARTER = "2022-23 Q4"
QOF_SOURCE = ("NHS England (NHS Digital), Quality and Outcomes Framework 2022-23, mental "
              "health (MH) register, England (registers at 31 March 2023)")
QOF_LABEL = "People on the QOF mental health (SMI) register, England, 31 March 2023"


def _national_qof_register(dataset) -> pd.DataFrame:
    """England's QOF mental health register (the SMI register QOF publishes): the sum of
    every practice's MH register, and the number of practices."""
    rows = dataset.practices[dataset.practices["measure"].eq("qof_mh")
                             & dataset.practices["count"].notna()]
    return pd.DataFrame({"group": ["register", "practices"],
                         "value": [float(rows["count"].sum()),
                                   float(rows["practice_code"].nunique())]})


MEASURES = (
    Measure("smi_qof_register", _national_qof_register, 0,
            "People on the QOF 2022-23 mental health (SMI) register, England, and practices"),
)


def _with_wilson(frame: pd.DataFrame) -> pd.DataFrame:
    ok = frame["denominator"] > 0
    share = methods.proportion(frame.loc[ok, "count"], frame.loc[ok, "denominator"],
                               multiplier=100)
    return frame.assign(value=share["value"], lower=share["lower"], upper=share["upper"])


def smi_england(ed: EditionData) -> pd.DataFrame:
    """England's quarters: ``period``, ``count``, ``denominator``, share and interval."""
    ind = ed.data.indicators
    rows = ind[(ind["indicator_id"] == SMI) & (ind["area_level"] == "England")]
    rows = rows[["period", "count", "denominator"]].astype({"period": str})
    return _with_wilson(rows.sort_values("period").reset_index(drop=True))


def smi_icbs(ed: EditionData) -> pd.DataFrame:
    """The edition's ICBs in the latest quarter and the same quarter a year before:
    ``icb_code``, ``icb_name``, ``period``, counts, share and interval."""
    ind = ed.data.indicators
    rows = ind[(ind["indicator_id"] == SMI) & (ind["area_level"] == "ICB")]
    if rows.empty:
        return pd.DataFrame(columns=["icb_code", "icb_name", "period", "count",
                                     "denominator", "value", "lower", "upper"])
    latest = str(rows["period"].astype(str).max())
    year_before = f"{int(latest[:4]) - 1}-{int(latest[5:7]) - 1:02d}{latest[7:]}"
    rows = rows[rows["period"].astype(str).isin([latest, year_before])]
    names = ed.data.areas[["icb_code", "icb_name"]].drop_duplicates("icb_code")
    out = rows.rename(columns={"area_code": "icb_code"}).merge(names, on="icb_code",
                                                              how="left")
    out = out[["icb_code", "icb_name", "period", "count", "denominator"]].astype(
        {"period": str})
    return _with_wilson(out.sort_values(["period", "icb_name"]).reset_index(drop=True))


def smi_statistics(england: pd.DataFrame, icbs: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows ``services.smi_all6_england.<quarter>`` (``2023_24_q4``) and
    ``services.smi_all6_<quarter>.<icb name>``; counts in the note."""
    parts = []
    note = lambda f: [f"{int(c):,} of {int(d):,} people; {SMI_NOTE}"  # noqa: E731
                      for c, d in zip(f["count"], f["denominator"])]
    if len(england):
        parts.append(ledger.rows(england.assign(group=england["period"], note=note(england),
                                                n=1),
                                 topic="services", key="services.smi_all6_england",
                                 label=SMI_LABEL + ", England", unit="%", kind="share",
                                 unit_type="country", method=WILSON, source=SMI_SOURCE,
                                 period="period", note="note"))
    for period, part in icbs.groupby("period", sort=True):
        parts.append(ledger.rows(part.assign(group=part["icb_name"], note=note(part), n=1),
                                 topic="services",
                                 key=f"services.smi_all6_{ledger.key_part(period)}",
                                 label=SMI_LABEL, unit="%", kind="share", unit_type="ICB",
                                 method=WILSON, source=SMI_SOURCE, period="period",
                                 note="note"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


def smi_register_check(england: pd.DataFrame, ed: EditionData) -> pd.DataFrame:
    """The returns' England register at 31 March 2023 against QOF 2022-23's published
    mental health register: ledger rows ``services.smi_qof_register.england`` (people),
    ``services.smi_register_shortfall.england`` (QOF minus the returns, people) and
    ``services.smi_all6_of_qof_register.<quarter>`` (all six checks over the QOF register,
    %). Complete counts from two collections: no sampling interval applies."""
    try:
        qof = ed.england("smi_qof_register")
    except KeyError:
        return pd.DataFrame(columns=ledger.COLUMNS)
    quarter = england[england["period"].astype(str) == QOF_QUARTER]
    if quarter.empty or not qof.get("register", 0) > 0:
        return pd.DataFrame(columns=ledger.COLUMNS)
    register, practices = float(qof["register"]), float(qof["practices"])
    row = quarter.iloc[0]
    common = dict(topic="services", unit_type="practice", source=QOF_SOURCE,
                  period=QOF_QUARTER, lower=None, upper=None)
    frame = lambda value, note, group="England": pd.DataFrame({  # noqa: E731
        "group": [group], "value": [value], "n": [practices], "note": [note]})
    return pd.concat([
        ledger.rows(frame(register, "published QOF register; a complete count"),
                    key="services.smi_qof_register", label=QOF_LABEL, unit="people",
                    kind="count", method="sum of the practices' published MH registers",
                    note="note", **common),
        ledger.rows(frame(register - float(row["denominator"]),
                          f"QOF register {int(register):,} minus the returns' "
                          f"{int(row['denominator']):,}; complete counts, no interval"),
                    key="services.smi_register_shortfall",
                    label="People on the QOF register but not on the SMI returns' register",
                    unit="people", kind="difference", method="difference of two counts",
                    note="note", **common),
        ledger.rows(frame(100 * float(row["count"]) / register,
                          f"{int(row['count']):,} people with all six checks over the QOF "
                          f"register of {int(register):,}; counts from two collections, "
                          "not a sampling estimate, no interval", QOF_QUARTER),
                    key="services.smi_all6_of_qof_register",
                    label=SMI_LABEL + ", over the QOF register", unit="%", kind="share",
                    method="count over a count from another collection", note="note",
                    **common),
    ], ignore_index=True)


def smi_check_figures(stats: pd.DataFrame) -> dict[str, str]:
    """Key figures of :func:`smi_register_check`: the two registers, the shortfall (people
    and per cent of the QOF register) and the share over each register in that quarter."""
    by = stats.set_index("key")
    keys = {"qof": "services.smi_qof_register.england",
            "short": "services.smi_register_shortfall.england",
            "share_qof": f"services.smi_all6_of_qof_register.{ledger.key_part(QOF_QUARTER)}",
            "share": f"services.smi_all6_england.{ledger.key_part(QOF_QUARTER)}"}
    if not all(k in by.index for k in keys.values()):
        return {"services.smi_check_sentence": (
            "No register could be set against the returns for this edition, so the "
            "national sums are neither verified nor checked.")}
    qof, short = by.loc[keys["qof"]], by.loc[keys["short"]]
    returns_register = qof["value"] - short["value"]
    share_short = 100 * short["value"] / qof["value"]
    more = "fewer" if short["value"] >= 0 else "more"
    figures = {
        "services.smi_qof_period": QOF_QUARTER,
        "services.smi_qof_register": ledger.interval_text(qof, unit=True),
        "services.smi_returns_register": numbers.number(returns_register, 0) + " people",
        "services.smi_register_shortfall": (
            f"{numbers.number(abs(short['value']), 0)} people "
            f"({numbers.number(abs(share_short), 1)}% of the QOF register) {more}"),
        "services.smi_share_of_qof": ledger.interval_text(by.loc[keys["share_qof"]],
                                                          unit=True),
        "services.smi_share_of_returns": ledger.interval_text(by.loc[keys["share"]],
                                                              unit=True),
    }
    figures["services.smi_check_sentence"] = (
        f"At the end of March 2023 ({QOF_QUARTER}) the returns' register summed to "
        f"{figures['services.smi_returns_register']}, while the mental health register that "
        "the Quality and Outcomes Framework published for the same date counted "
        f"{figures['services.smi_qof_register']}: the returns have "
        f"{figures['services.smi_register_shortfall']}. Over the QOF register, the people "
        f"with all six checks that quarter would be {figures['services.smi_share_of_qof']} "
        f"rather than {figures['services.smi_share_of_returns']}.")
    return figures


def smi_trend_table(stats: pd.DataFrame) -> outputs.Table:
    """England's share at the end of each reporting year (quarter 4), with the counts."""
    rows = stats[stats["key"].str.startswith("services.smi_all6_england.")
                 & stats["group"].str.endswith("Q4")]
    if rows.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "SMI physical health checks are not available for this edition."]}))
    return outputs.show_table(pd.DataFrame({
        "Year to": rows["group"].str.replace(" Q4", " (March)", regex=False),
        "People with all six checks of people on the register": [
            n.split(";")[0] for n in rows["note"]],
        "Share, % (95% CI)": [ledger.interval_text(r) for _, r in rows.iterrows()]}))


def smi_icb_table(stats: pd.DataFrame) -> outputs.Table:
    """Each ICB's share in the latest quarter and a year before, as printed."""
    rows = stats[stats["key"].str.match(r"services\.smi_all6_\d{4}_\d{2}_q\d\.")]
    if rows.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "No ICB figures for SMI physical health checks in this edition."]}))
    periods = sorted(rows["period"].unique())
    table = rows.pivot_table(index="group", columns="period", values="value",
                             aggfunc="first")
    out = pd.DataFrame({"ICB": table.index.str.replace("NHS ", "", regex=False).str.replace(
        " Integrated Care Board", "", regex=False)})
    for period in periods:
        by = rows[rows["period"] == period].set_index("group")
        out[f"{period}, % (95% CI)"] = [ledger.interval_text(by.loc[g]) if g in by.index
                                        else "–" for g in table.index]
    return outputs.show_table(out.reset_index(drop=True))


def smi_key_figures(stats: pd.DataFrame, england: pd.DataFrame,
                    icbs: pd.DataFrame) -> dict[str, str]:
    """England's first, year-before and latest quarters, and the ICBs' range."""
    figures: dict[str, str] = {}
    eng = stats[stats["key"].str.startswith("services.smi_all6_england.")]
    if eng.empty:
        return {k: "not available" for k in (
            "services.smi_first_period", "services.smi_first", "services.smi_latest_period",
            "services.smi_latest", "services.smi_year_before_period", "services.smi_year_before",
            "services.smi_latest_counts", "services.smi_latest_register",
            "services.smi_icb_range", "services.smi_icbs")} | {
            "services.smi_icb_sentence": "no integrated care board of this edition has figures"}
    first, last = eng.iloc[0], eng.iloc[-1]
    before = f"{int(last['group'][:4]) - 1}-{int(last['group'][5:7]) - 1:02d}{last['group'][7:]}"
    prior = eng[eng["group"] == before]
    figures.update({
        "services.smi_first_period": first["group"],
        "services.smi_first": ledger.interval_text(first, unit=True),
        "services.smi_latest_period": last["group"],
        "services.smi_latest": ledger.interval_text(last, unit=True),
        "services.smi_latest_counts": last["note"].split(";")[0],
        "services.smi_latest_register": last["note"].split(" of ")[1].split(" people")[0],
        "services.smi_year_before_period": before,
        "services.smi_year_before": (ledger.interval_text(prior.iloc[0], unit=True)
                                     if len(prior) else "not available"),
    })
    latest = icbs[icbs["period"] == last["group"]] if len(icbs) else icbs
    if len(latest):
        low, high = latest.loc[latest["value"].idxmin()], latest.loc[latest["value"].idxmax()]
        name = lambda r: str(r["icb_name"]).replace("NHS ", "").replace(  # noqa: E731
            " Integrated Care Board", "")
        figures["services.smi_icb_range"] = (
            f"from {numbers.number(low['value'], 1)}% in {name(low)} to "
            f"{numbers.number(high['value'], 1)}% in {name(high)}"
            if len(latest) > 1 else f"{numbers.number(low['value'], 1)}% in {name(low)}")
        figures["services.smi_icbs"] = f"{len(latest):,}"
    else:
        figures["services.smi_icb_range"] = "not available"
        figures["services.smi_icbs"] = "no"
    figures["services.smi_icb_sentence"] = icb_sentence(len(latest),
                                                        figures["services.smi_icb_range"])
    return figures


def icb_sentence(boards: int, range_text: str) -> str:
    """The ICBs' shares in words, after "In <quarter> ": "the share in North East and
    North Cumbria was 76.2%", "the shares of the edition's 7 integrated care boards ranged
    from …", or that no board has figures."""
    if boards == 0:
        return "no integrated care board of this edition has figures"
    if boards == 1:
        value, _, name = range_text.partition(" in ")
        return f"the share in {name} was {value}"
    return f"the shares of the edition's {boards:,} integrated care boards ranged {range_text}"


# --------------------------------------------------------------------- consultants

CONSULTANT_SOURCE = ("NHS Workforce Statistics (consultant FTE); OHID acute trust catchment "
                     "populations; NHS website hospital sites (RCPCH list)")
PER = "per 100,000"
#: The Chief Medical Officer's annual report 2021 (Health in coastal communities): coastal
#: areas have about 15% fewer consultants per patient than the national average.
CMO_GAP_PERCENT = 15
CONSULTANT_METHOD = ("consultant FTE of the group's trusts over their catchment population "
                     "(a catchment-weighted mean of trust rates, linearised variance over "
                     "trusts, t interval)")
RELATIVE_METHOD = ("coastal rate / non-coastal rate - 1, in %; interval by the delta method "
                   "on the log ratio (independent groups of trusts)")
RELATIVE_ALL_METHOD = ("coastal rate / rate of all placed trusts - 1, in %, as the CMO "
                       "compared coastal areas with the national average; no interval, as "
                       "the coastal trusts are part of the average")
MIN_TRUSTS = 5


def consultant_trusts(ed: EditionData) -> pd.DataFrame:
    """England's acute trusts in the latest year with both consultant FTE and a catchment:
    ``rate`` (FTE per 100,000 catchment population) and ``place`` ("Coastal" when at
    least half of the trust's placed hospital sites are in coastal authorities,
    "Non-coastal" otherwise, "Not placed" without a placed site). National in every
    edition (trusts serve several areas)."""
    trusts = ed.data.trusts
    if trusts is None or trusts.empty:
        return pd.DataFrame(columns=["trust_code", "year", "consultant_fte", "catchment",
                                     "rate", "place"])
    latest = trusts[trusts["year"] == trusts["year"].max()]
    latest = latest[latest["catchment"] > 0]
    place = np.select([latest["sites_placed"] == 0,
                       latest["coastal_sites"] >= latest["sites_placed"] / 2],
                      ["Not placed", "Coastal"], "Non-coastal")
    return latest.assign(rate=latest["consultant_fte"] / latest["catchment"] * 100_000,
                         place=place).reset_index(drop=True)


def consultant_summary(trusts: pd.DataFrame) -> pd.DataFrame:
    """Group rates (All placed trusts, Coastal, Non-coastal), coastal minus non-coastal and
    coastal relative to non-coastal (%). Columns ``kind``, ``group``, ``value``, ``lower``,
    ``upper``, ``n``, ``year``."""
    if trusts.empty:
        return pd.DataFrame(columns=["kind", "group", "value", "lower", "upper", "n", "year"])
    placed = trusts[trusts["place"] != "Not placed"]
    stats = {"All placed trusts": methods.weighted_mean(placed["rate"], placed["catchment"])}
    for group in ("Coastal", "Non-coastal"):
        part = placed[placed["place"] == group]
        stats[group] = methods.weighted_mean(part["rate"], part["catchment"])
    year = str(trusts["year"].iloc[0])
    rows = [{"kind": "level", "group": g, **{k: s[k] for k in ("value", "lower", "upper")},
             "n": s["n"], "year": year} for g, s in stats.items()]
    coastal, other = stats["Coastal"], stats["Non-coastal"]
    diff = methods.weighted_difference(coastal, other)
    rows.append({"kind": "difference", "group": "Coastal minus non-coastal",
                 "value": diff["value"], "lower": diff["lower"], "upper": diff["upper"],
                 "n": min(coastal["n"], other["n"]), "year": year})
    log_ratio = math.log(coastal["value"] / other["value"])
    se = math.hypot(coastal["se"] / coastal["value"], other["se"] / other["value"])
    rows.append({"kind": "relative", "group": "Coastal relative to non-coastal",
                 "value": 100 * math.expm1(log_ratio),
                 "lower": 100 * math.expm1(log_ratio - Z * se),
                 "upper": 100 * math.expm1(log_ratio + Z * se),
                 "n": min(coastal["n"], other["n"]), "year": year})
    everyone = stats["All placed trusts"]
    rows.append({"kind": "relative_all", "group": "Coastal relative to all placed trusts",
                 "value": 100 * (coastal["value"] / everyone["value"] - 1),
                 "lower": np.nan, "upper": np.nan, "n": coastal["n"], "year": year})
    return pd.DataFrame(rows)


def consultant_statistics(summary: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows ``services.consultants.<group>`` (per 100,000),
    ``….coastal_minus_non_coastal`` and ``services.consultants_relative.<…>`` (%)."""
    if summary.empty:
        return pd.DataFrame(columns=ledger.COLUMNS)
    common = dict(topic="services", source=CONSULTANT_SOURCE, period="year",
                  unit_type="trust", min_units=MIN_TRUSTS)
    label = "Consultant FTE per 100,000 catchment population, acute trusts"
    return pd.concat([
        ledger.rows(summary[summary["kind"] == "level"], key="services.consultants",
                    label=label, unit=PER, kind="level", method=CONSULTANT_METHOD, **common),
        ledger.rows(summary[summary["kind"] == "difference"], key="services.consultants",
                    label=label, unit=PER, kind="difference",
                    method=outcomes.DIFFERENCE_METHOD, **common),
        ledger.rows(summary[summary["kind"] == "relative"],
                    key="services.consultants_relative", label=label + ", relative",
                    unit="%", kind="difference", method=RELATIVE_METHOD, **common),
        ledger.rows(summary[summary["kind"] == "relative_all"],
                    key="services.consultants_relative", label=label + ", relative",
                    unit="%", kind="difference", method=RELATIVE_ALL_METHOD, **common),
    ], ignore_index=True)


def consultant_table(stats: pd.DataFrame) -> outputs.Table:
    """The consultant rates and comparisons of the ledger, as printed in the text."""
    rows = stats[stats["key"].str.startswith("services.consultants")]
    if rows.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "Hospital consultant data are not available for this edition."]}))
    return outputs.show_table(pd.DataFrame({
        "Trusts": rows["group"],
        "Number of trusts": [f"{int(u):,}" for u in rows["units"]],
        "Estimate (95% CI)": [ledger.interval_text(r, unit=True) for _, r in rows.iterrows()],
    }))


def cmo_sentence(row: pd.Series) -> str:
    """Whether the coastal-relative-to-other interval holds no difference and the CMO's
    gap (-:data:`CMO_GAP_PERCENT` %), in a sentence."""
    lower, upper = float(row["lower"]), float(row["upper"])
    if math.isnan(lower):
        return ""
    zero, cmo = lower <= 0 <= upper, lower <= -CMO_GAP_PERCENT <= upper
    if zero and cmo:
        return ("The interval includes both no difference and a gap as large as the "
                "CMO's, so these data neither confirm nor rule out that finding.")
    if cmo:
        return "The interval includes a gap as large as the CMO's, and excludes no difference."
    if zero:
        return "The interval includes no difference and excludes a gap as large as the CMO's."
    return "The interval excludes both no difference and a gap as large as the CMO's."


def consultant_key_figures(stats: pd.DataFrame, trusts: pd.DataFrame) -> dict[str, str]:
    """Rates, comparison, the CMO figure and how many trusts were placed."""
    figures = {f"services.{r['key'].removeprefix('services.').replace('.', '_')}":
               ledger.interval_text(r, unit=True)
               for _, r in stats[stats["key"].str.startswith("services.consultants")]
               .iterrows()}
    for key in ("consultants_all_placed_trusts", "consultants_coastal",
                "consultants_non_coastal", "consultants_coastal_minus_non_coastal",
                "consultants_relative_coastal_relative_to_non_coastal",
                "consultants_relative_coastal_relative_to_all_placed_trusts"):
        figures.setdefault(f"services.{key}", "not available")
    rel = stats[stats["key"] == "services.consultants_relative.coastal_relative_to_non_coastal"]
    figures["services.consultants_cmo_sentence"] = cmo_sentence(rel.iloc[0]) if len(rel) else ""
    counts = trusts["place"].value_counts() if len(trusts) else pd.Series(dtype=int)
    figures.update({
        "services.consultants_year": str(trusts["year"].iloc[0]) if len(trusts) else
        "not available",
        "services.consultants_trusts": f"{len(trusts):,}",
        "services.consultants_unplaced": f"{int(counts.get('Not placed', 0)):,}",
        "services.consultants_coastal_trusts": f"{int(counts.get('Coastal', 0)):,}",
        "services.cmo_consultant_gap": f"{CMO_GAP_PERCENT}%",
    })
    return figures


def summary_sentence(stats: pd.DataFrame, figures: dict[str, str], *,
                     is_england: bool = False) -> str:
    """The chapter's headline for the summary, from the ledger and the chapter's own key
    figures: early diagnosis in the latest year against England, and the SMI checks.

    In England's edition the early-diagnosis figure is England's published one alone: the
    mean over all its authorities is a second estimate of the same share, with a second
    interval."""
    latest = figures.get("services.cancer_latest_year", "not available")
    parts = []
    if latest != "not available":
        hit = stats[stats["key"] == f"services.cancer_stage12_{latest}.all_areas"]
        eng = stats[stats["key"] == f"services.cancer_stage12_{latest}.england"]
        england = (f" (England {ledger.interval_text(eng.iloc[0], unit=True, inline=True)})"
                   if len(eng) else "")
        if is_england and len(eng):
            parts.append(f"In {latest}, {ledger.interval_text(eng.iloc[0], unit=True)} of "
                         "staged cancers in England were diagnosed at stage 1 or 2 (the "
                         "published national figure).")
        elif len(hit) and not math.isnan(float(hit.iloc[0]["value"])):
            parts.append(f"In {latest}, {ledger.interval_text(hit.iloc[0], unit=True)} of "
                         f"staged cancers in the edition's authorities were diagnosed at "
                         f"stage 1 or 2, averaged over the authorities{england}.")
        else:
            note = "" if hit.empty else str(hit.iloc[0]["note"]).removeprefix(
                "not estimated").lstrip(": ")
            national = (f"; England's was {ledger.interval_text(eng.iloc[0], unit=True)}"
                        if len(eng) else "")
            parts.append(f"The share of cancers diagnosed at stage 1 or 2 in {latest} was not "
                         f"estimated for the edition's authorities" +
                         (f" ({note})" if note else "") + f"{national}.")
    if figures.get("services.smi_latest", "not available") != "not available":
        parts.append(
            f"In the 12 months to {figures['services.smi_latest_period']}, "
            f"{figures['services.smi_latest']} of people on England's SMI register had all "
            f"six physical health checks, as summed from NHS England's returns, which no "
            f"published national figure was available to verify; "
            f"{figures['services.smi_icb_sentence']}.")
    return " ".join(parts) or "No early diagnosis or SMI health check figures are available."

