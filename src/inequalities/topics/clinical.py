"""Core20PLUS5 clinical areas and the GP workforce, from GP practice data.

NHS England's Core20PLUS5 names five clinical areas for faster improvement: maternity,
severe mental illness (SMI), chronic respiratory disease, early cancer diagnosis and
hypertension case-finding. Three of them are measured here from the practice table
(:attr:`inequalities.data.Dataset.practices`):

* :func:`prevalence_by_decile` - recorded prevalence (QOF register / practice list size,
  QOF 2022-23) of hypertension, COPD and SMI by national practice deprivation decile
  (IMD 2019 score of the practice's registered patients, OHID Fingertips 93553; decile 1 =
  the most deprived tenth of England's practices), with Wilson score intervals
  (:func:`inequalities.methods.proportion`; Wilson 1927);
* :func:`gradients` - the slope and relative index of inequality (SII, RII) across those
  deciles (:func:`inequalities.methods.sii`, the PHE/OHID method: weighted regression on
  the deciles' cumulative list-size midpoints, Monte Carlo intervals; Low & Low 2004),
  oriented so that SII = most deprived minus least deprived and RII = most / least;
* :func:`prevalence_by_icb` - recorded prevalence by ICB (April 2024) with Wilson intervals;
* :func:`gp_fte_by_decile` and :func:`gp_fte_by_icb` - fully qualified GP FTE per 10,000
  registered patients by practice decile and by ICB, financial years 2022/23 to 2024/25
  (NHS Digital General Practice Workforce, means of the monthly files within each year as
  published by the Health Equity Evidence Centre), with ratio-estimator intervals over
  practices (:func:`inequalities.models.access_rates`), and its SII across deciles (the
  inverse care law: Tudor Hart, Lancet 1971; Fisher et al., BMJ Open 2022).

Recorded prevalence is not true prevalence: a register counts diagnosed patients, and
under-diagnosis (itself unequal between practices) lowers it. The Wilson intervals treat
a decile's patients as independent, so they reflect chance alone, not the variation in
recording between practices. Groups of fewer than :data:`MIN_PRACTICES` practices are not
estimated; a gradient needs every decile to reach it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inequalities import methods, models
from inequalities.data import Dataset
from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "practices": ALL,
}

#: QOF registers measured, in the order shown: group code (as in ``practices.measure``)
#: -> name in the report.
REGISTERS = {"qof_hyp": "Hypertension", "qof_copd": "COPD",
             "qof_mh": "Severe mental illness"}
#: Key segment of each register in ledger keys and key figures.
SHORT = {"qof_hyp": "hyp", "qof_copd": "copd", "qof_mh": "smi"}
GP_FTE = "gp_fte"
PER = 10_000
#: Fewest practices behind a published group (a decile, an ICB); a gradient needs every
#: decile to have at least this many.
MIN_PRACTICES = 5
DECILES = range(1, 11)
ALL = "All practices"
SEED = 20240116
REPETITIONS = 100_000
QOF_SOURCE = ("NHS England, Quality and Outcomes Framework 2022-23; OHID Fingertips 93553 "
              "(practice IMD 2019)")
WORKFORCE_SOURCE = ("NHS Digital, General Practice Workforce (practice files, means by "
                    "financial year, Health Equity Evidence Centre); OHID Fingertips 93553")
PREVALENCE_METHOD = ("register / list size summed over practices; Wilson score interval "
                     "(chance only, not between-practice variation)")
SII_METHOD = ("slope and relative index of inequality across national practice IMD 2019 "
              "deciles (PHE method, Monte Carlo interval); most minus (or over) least "
              "deprived")
RATE_METHOD = ("ratio estimator sum(GP FTE) / sum(registered patients) over practices, "
               "linearisation interval")


def decile_label(decile: int) -> str:
    """``"1 (most deprived)"``, ``"2"`` ... ``"10 (least deprived)"``."""
    return {1: "1 (most deprived)", 10: "10 (least deprived)"}.get(int(decile), str(decile))


DECILE_ORDER = [decile_label(d) for d in DECILES]


def _measure(data: Dataset, measure: str) -> pd.DataFrame:
    """The practice rows of one measure (QOF registers: the TOTAL list type only when the
    register has several), with a known deprivation decile and denominator."""
    rows = data.practices[data.practices["measure"].eq(measure)]
    return rows[rows["denominator"].gt(0) & rows["count"].notna()].reset_index(drop=True)


def _prevalence(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Register / list size (per cent) with Wilson intervals, summed within ``keys``."""
    table = (rows.groupby(keys, observed=True, sort=True)
             .agg(count=("count", "sum"), denominator=("denominator", "sum"),
                  n=("practice_code", "nunique")).reset_index())
    est = methods.proportion(table["count"].to_numpy(), table["denominator"].to_numpy(),
                             multiplier=100)
    return pd.concat([table, est[["value", "lower", "upper"]]], axis=1)


def prevalence_frame(data: Dataset) -> pd.DataFrame:
    """Recorded prevalence by register and decile, and over all practices.

    Columns ``measure, register, decile`` (0 for all practices), ``group`` (decile label or
    "All practices"), ``count, denominator, n`` (practices), ``value, lower, upper`` (%).
    Practices without an IMD score count in "All practices" only.
    """
    parts = []
    for measure, name in REGISTERS.items():
        rows = _measure(data, measure)
        if rows.empty:
            continue
        by_decile = _prevalence(rows.dropna(subset=["imd_decile"]), ["imd_decile"])
        by_decile = by_decile.rename(columns={"imd_decile": "decile"})
        overall = _prevalence(rows.assign(decile=0), ["decile"])
        both = pd.concat([by_decile, overall], ignore_index=True)
        both["decile"] = both["decile"].astype(int)
        both.insert(0, "register", name)
        both.insert(0, "measure", measure)
        parts.append(both)
    if not parts:
        return pd.DataFrame(columns=["measure", "register", "decile", "group", "count",
                                     "denominator", "n", "value", "lower", "upper"])
    out = pd.concat(parts, ignore_index=True)
    out["group"] = [ALL if d == 0 else decile_label(d) for d in out["decile"]]
    return out


def _sii(frame: pd.DataFrame, *, by: str, value_type: int, scale: float) -> pd.DataFrame:
    """SII and RII by ``by`` across the ten deciles of ``frame`` (``decile, denominator,
    value, lower, upper, n``), most deprived minus (over) least deprived.

    A group where a decile is missing or has fewer than :data:`MIN_PRACTICES` practices
    is not estimated: its ``n`` is the smallest decile's practices (so the ledger's
    minimum applies) and ``note`` says so.
    """
    rows = []
    for key, part in frame[frame["decile"].between(1, 10)].groupby(by, sort=False):
        smallest = int(part["n"].min()) if len(part) == 10 else 0
        row = {by: key, "n": smallest, "practices": int(part["n"].sum()), "note": ""}
        if smallest >= MIN_PRACTICES:
            # proportions enter the logit-scale simulation in [0, 1]: undo the per cent
            scaled = part.assign(**{c: part[c] / scale for c in ("value", "lower", "upper")})
            est = methods.sii(scaled, quantile="decile", population="denominator",
                              value="value", lower="lower", upper="upper",
                              value_type=value_type, rii=True, multiplier=-scale,
                              repetitions=REPETITIONS, seed=SEED)
            row.update({"sii": est["sii"].iloc[0], "sii_lower": est["sii_lower"].iloc[0],
                        "sii_upper": est["sii_upper"].iloc[0], "rii": est["rii"].iloc[0],
                        "rii_lower": est["rii_lower"].iloc[0],
                        "rii_upper": est["rii_upper"].iloc[0]})
        else:
            missing = 10 - len(part)
            row["note"] = (f"not estimated: {missing} of the ten deciles "
                           f"{'has' if missing == 1 else 'have'} no practice in this edition"
                           if missing else
                           f"not estimated: a decile has {smallest} "
                           f"practice{'' if smallest == 1 else 's'}, fewer than the "
                           f"{MIN_PRACTICES} needed in each")
        rows.append(row)
    cols = [by, "n", "practices", "sii", "sii_lower", "sii_upper", "rii", "rii_lower",
            "rii_upper", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)


def gradient_frame(prevalence: pd.DataFrame) -> pd.DataFrame:
    """SII (percentage points) and RII of recorded prevalence across deciles, by register.

    The proportions are simulated on the logit scale (``value_type=2``) from their Wilson
    limits; SII = fitted prevalence in the most deprived minus the least deprived practices.
    """
    return _sii(prevalence, by="register", value_type=2, scale=100)


def workforce_frame(data: Dataset) -> pd.DataFrame:
    """GP FTE per 10,000 patients by financial year and decile (0 = all practices), and by
    financial year and ICB.

    Returns ``view`` ("decile"/"icb"), ``period``, ``decile``, ``icb_name``, ``group``,
    ``value, lower, upper`` (ratio-estimator interval), ``fte``, ``patients``, ``n``
    practices. Practice-years without a GP FTE are left out (their patients too).
    """
    rows = _measure(data, GP_FTE)
    if rows.empty:
        return pd.DataFrame(columns=["view", "period", "decile", "icb_name", "group",
                                     "value", "lower", "upper", "fte", "patients", "n"])
    parts = []
    for view, frame, group in (
            ("decile", rows.dropna(subset=["imd_decile"]).assign(
                decile=lambda f: f["imd_decile"].astype(int)), "decile"),
            ("decile", rows.assign(decile=0), "decile"),
            ("icb", rows, "icb_name")):
        rates = models.access_rates(frame, workforce="count", population="denominator",
                                    groups=(group,), by=("period",), per=PER)
        rates = rates.rename(columns={"rate": "value", "workforce": "fte",
                                      "population": "patients"})
        parts.append(rates.assign(view=view))
    out = pd.concat(parts, ignore_index=True)
    out["decile"] = out["decile"].astype("Int64")
    out["group"] = np.where(out["view"].eq("icb"), out["icb_name"],
                            [("" if pd.isna(d) else ALL if d == 0 else decile_label(d))
                             for d in out["decile"]])
    return out[["view", "period", "decile", "icb_name", "group", "value", "lower", "upper",
                "fte", "patients", "n"]]


def workforce_gradient(workforce: pd.DataFrame) -> pd.DataFrame:
    """SII and RII of GP FTE per 10,000 patients across deciles, by financial year
    (most deprived minus least deprived practices; a negative SII means fewer GPs per
    patient in more deprived practices)."""
    deciles = workforce[workforce["view"].eq("decile")].rename(
        columns={"patients": "denominator"})
    deciles = deciles.assign(decile=deciles["decile"].astype(int))
    return _sii(deciles, by="period", value_type=0, scale=1)


def prevalence_by_icb(data: Dataset) -> pd.DataFrame:
    """Recorded prevalence by ICB and register (Wilson intervals): ``measure, register,
    icb_code, icb_name, count, denominator, n, value, lower, upper``."""
    parts = [_prevalence(_measure(data, m), ["icb_code", "icb_name"])
             .assign(measure=m, register=name) for m, name in REGISTERS.items()
             if not _measure(data, m).empty]
    if not parts:
        return pd.DataFrame(columns=["measure", "register", "icb_code", "icb_name", "value"])
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------ England comparators

def _national_prevalence(dataset: Dataset) -> pd.DataFrame:
    prev = prevalence_frame(dataset)
    grad = gradient_frame(prev)
    rows = [{"group": f"{SHORT[m]}.{d}", "value": v}
            for m, d, v in prev[["measure", "decile", "value"]].itertuples(index=False)]
    short = {REGISTERS[m]: s for m, s in SHORT.items()}
    for r in grad.itertuples(index=False):
        for stat in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"):
            rows.append({"group": f"{short[r.register]}.{stat}", "value": getattr(r, stat)})
    return pd.DataFrame(rows, columns=["group", "value"])


def _national_workforce(dataset: Dataset) -> pd.DataFrame:
    work = workforce_frame(dataset)
    dec = work[work["view"].eq("decile")]
    rows = [{"group": f"{p}.{d}", "value": v}
            for p, d, v in dec[["period", "decile", "value"]].itertuples(index=False)]
    for r in workforce_gradient(work).itertuples(index=False):
        for stat in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"):
            rows.append({"group": f"{r.period}.{stat}", "value": getattr(r, stat)})
    return pd.DataFrame(rows, columns=["group", "value"])


MEASURES = (
    Measure("qof_prevalence", _national_prevalence, 3,
            "Recorded prevalence (%) of hypertension, COPD and SMI by practice decile "
            "(0 = all practices), with SII and RII across deciles"),
    Measure("gp_fte_practice", _national_workforce, 3,
            "GP FTE per 10,000 patients by financial year and practice decile, with SII and "
            "RII across deciles"),
)


# ------------------------------------------------------------------ what the notebook shows

def prevalence_by_decile(ed: EditionData) -> pd.DataFrame:
    """:func:`prevalence_frame` of the edition with ``england``, England's value of the
    same register and decile."""
    prev = prevalence_frame(ed.data)
    if prev.empty:
        return prev.assign(england=pd.Series(dtype=float))
    national = ed.england("qof_prevalence")
    keys = [f"{SHORT[m]}.{d}" for m, d in zip(prev["measure"], prev["decile"], strict=True)]
    prev["england"] = pd.Series(keys).map(national).to_numpy(dtype=float)
    return prev


def gradients(ed: EditionData, prevalence: pd.DataFrame) -> pd.DataFrame:
    """:func:`gradient_frame` of the edition's ``prevalence`` (:func:`prevalence_by_decile`)."""
    return gradient_frame(prevalence)


def workforce(ed: EditionData) -> pd.DataFrame:
    """:func:`workforce_frame` of the edition with ``england`` for the decile rows."""
    work = workforce_frame(ed.data)
    national = ed.england("gp_fte_practice")
    keys = [f"{p}.{d}" if v == "decile" else "" for v, p, d in
            zip(work["view"], work["period"], work["decile"], strict=True)]
    work["england"] = pd.Series(keys, dtype=object).map(national).to_numpy(dtype=float)
    return work


def prevalence_chart(prevalence: pd.DataFrame):
    """Recorded prevalence by practice decile, one panel per register, England ticks."""
    frame = prevalence.assign(panel=prevalence["register"])
    return charts.group_intervals(
        frame, axis_title="Recorded prevalence (%)",
        title="Recorded prevalence by practice deprivation decile",
        source=QOF_SOURCE, description="Recorded prevalence of hypertension, COPD and "
        "severe mental illness by national practice deprivation decile",
        panel="panel", decimals=2, columns=3, width=150,
        order=[*DECILE_ORDER, ALL], unit_label="Practices")


def workforce_chart(work: pd.DataFrame):
    """GP FTE per 10,000 patients by practice decile, one panel per financial year."""
    frame = work[work["view"].eq("decile")].assign(panel=lambda f: "FY " + f["period"])
    return charts.group_intervals(
        frame, axis_title="GP FTE per 10,000 patients",
        title="GP workforce per patient by practice deprivation decile",
        source=WORKFORCE_SOURCE, description="Fully qualified GP FTE per 10,000 registered "
        "patients by national practice deprivation decile and financial year",
        panel="panel", decimals=2, columns=3, width=150,
        order=[*DECILE_ORDER, ALL], unit_label="Practices")


def _ci(value: float, lower: float, upper: float, unit: str) -> str:
    return ledger.interval_text({"value": value, "lower": lower, "upper": upper,
                                 "unit": unit})


def gradient_data(grad: pd.DataFrame, work_grad: pd.DataFrame) -> pd.DataFrame:
    """The gradients of the table as one frame (its data download): ``measure`` says
    which (a register, or ``GP FTE per 10,000 patients, FY ...``)."""
    work = work_grad.assign(measure="GP FTE per 10,000 patients, FY " + work_grad["period"])
    return pd.concat([grad.rename(columns={"register": "measure"}),
                      work.drop(columns="period")], ignore_index=True)


def icb_data(by_icb: pd.DataFrame, work: pd.DataFrame) -> pd.DataFrame:
    """The ICB table's data: prevalence rows, then GP FTE rows (``measure`` ``gp_fte``)."""
    fte = work[work["view"].eq("icb")].drop(columns=["view", "decile", "group"])
    return pd.concat([by_icb, fte.assign(measure=GP_FTE, register="GP FTE per 10,000")],
                     ignore_index=True)


def gradient_table(grad: pd.DataFrame, work_grad: pd.DataFrame) -> outputs.Table:
    """SII and RII of each register and of GP FTE per patient in each financial year."""
    rows = []
    for label, frame, unit in (("register", grad, "percentage points"),
                               ("period", work_grad, "per 10,000 patients")):
        for r in frame.itertuples(index=False):
            what = (getattr(r, label) if label == "register"
                    else f"GP FTE per 10,000 patients, FY {r.period}")
            rows.append({"Measure": what,
                         "SII (most minus least deprived)": _ci(r.sii, r.sii_lower,
                                                                r.sii_upper, unit)
                         if not r.note else r.note,
                         "Unit": unit,
                         "RII (most over least deprived)": _ci(r.rii, r.rii_lower,
                                                               r.rii_upper, "ratio")
                         if not r.note else "–",
                         "Practices": f"{int(r.practices):,}"})
    return outputs.show_table(pd.DataFrame(rows))


def short_icb(name: str) -> str:
    """``"NHS Sussex ICB"`` -> ``"Sussex"`` (the table's column says ICB)."""
    name = str(name)
    name = name[4:] if name.startswith("NHS ") else name
    return name[:-4] if name.endswith(" ICB") else name


def icb_table(by_icb: pd.DataFrame, work: pd.DataFrame) -> outputs.Table:
    """Recorded prevalence of each register (QOF 2022-23) and GP FTE per 10,000 patients
    (latest financial year) by ICB, with 95% intervals."""
    table = pd.DataFrame(index=pd.Index(sorted(by_icb["icb_name"].unique()), name="icb_name"))
    table["Practices"] = by_icb.groupby("icb_name")["n"].max().map("{:,}".format)
    for register in REGISTERS.values():
        own = by_icb[by_icb["register"].eq(register)].set_index("icb_name")
        table[register + " (%)"] = [
            _ci(*own.loc[i, ["value", "lower", "upper"]], "%") for i in table.index]
    latest = work[work["view"].eq("icb")]
    period = latest["period"].max() if len(latest) else ""
    fte = latest[latest["period"].eq(period)].set_index("icb_name")
    table[f"GP FTE per 10,000, FY {period}"] = [
        _ci(*fte.loc[i, ["value", "lower", "upper"]], "per 10,000 patients")
        if i in fte.index else "–" for i in table.index]
    table.index = [short_icb(name) for name in table.index]
    return outputs.show_table(table.reset_index(names="ICB"))


# ------------------------------------------------------------------ the ledger

def statistics(ed: EditionData, prevalence: pd.DataFrame, grad: pd.DataFrame,
               by_icb: pd.DataFrame, work: pd.DataFrame,
               work_grad: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows (:func:`inequalities.report.ledger.rows`) of every number shown.

    Keys ``clinical.prevalence_<register>.<decile>``, ``clinical.sii_<register>.<edition>``
    ... ; unit type "practice"; groups below :data:`MIN_PRACTICES` are not estimated, nor
    gradients resting on fewer than ten times as many practices (or with a decile below it).
    """
    common = {"topic": "clinical", "unit_type": "practice", "min_units": MIN_PRACTICES}
    parts = []
    for measure, name in REGISTERS.items():
        short = SHORT[measure]
        own = prevalence[prevalence["measure"].eq(measure)]
        parts.append(ledger.rows(
            own, key=f"clinical.prevalence_{short}", label=f"Recorded prevalence, {name}",
            unit="%", kind="level", method=PREVALENCE_METHOD, source=QOF_SOURCE,
            period="2022-23", **common))
        icb = by_icb[by_icb["measure"].eq(measure)]
        parts.append(ledger.rows(
            icb, key=f"clinical.prevalence_icb_{short}", group="icb_name",
            label=f"Recorded prevalence by ICB, {name}", unit="%", kind="level",
            method=PREVALENCE_METHOD, source=QOF_SOURCE, period="2022-23", **common))
    edition = ed.edition.name
    for frame, column, unit, source in ((grad, "register", "percentage points", QOF_SOURCE),
                                        (work_grad, "period", "per 10,000 patients",
                                         WORKFORCE_SOURCE)):
        for r in frame.itertuples(index=False):
            stem = (SHORT[{v: k for k, v in REGISTERS.items()}[r.register]]
                    if column == "register" else "gp_fte_" + ledger.key_part(r.period))
            one = pd.DataFrame([r._asdict()]).assign(group=edition)
            for stat, kind, u in (("sii", "difference", unit), ("rii", "ratio", "ratio")):
                parts.append(ledger.rows(
                    one, key=f"clinical.{stat}_{stem}", label=f"{stat.upper()} across "
                    f"practice deprivation deciles, {getattr(r, column)}", unit=u, kind=kind,
                    value=stat, lower=f"{stat}_lower", upper=f"{stat}_upper", note="note",
                    method=SII_METHOD, source=source, units="practices",
                    period="2022-23" if column == "register" else r.period,
                    **{**common, "min_units": 10 * MIN_PRACTICES}))
    for period, part in work[work["view"].eq("decile")].groupby("period", sort=True):
        parts.append(ledger.rows(
            part, key=f"clinical.gp_fte_{ledger.key_part(period)}",
            label=f"GP FTE per 10,000 patients, FY {period}", unit="per 10,000 patients",
            kind="level", method=RATE_METHOD, source=WORKFORCE_SOURCE, period=period,
            **common))
        icb = work[work["view"].eq("icb") & work["period"].eq(period)]
        parts.append(ledger.rows(
            icb, key=f"clinical.gp_fte_icb_{ledger.key_part(period)}",
            label=f"GP FTE per 10,000 patients by ICB, FY {period}",
            unit="per 10,000 patients", kind="level", method=RATE_METHOD,
            source=WORKFORCE_SOURCE, period=period, **common))
    parts = [p for p in parts if len(p)]
    return (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=ledger.COLUMNS))


# ------------------------------------------------------------------ key figures

def _row(stats: pd.DataFrame, key: str) -> pd.Series | None:
    return ledger.find(stats, key)


def _text(stats: pd.DataFrame, key: str, *, unit: bool = True) -> str:
    row = _row(stats, key)
    return ledger.interval_text(row, unit=unit) if row is not None else "not available"


def _england(national: pd.Series, stem: str, unit: str) -> str:
    """England's SII (or RII) ``stem`` from the comparators, with its interval."""
    if stem not in national.index:
        return "not available"
    return ledger.interval_text({"value": national[stem], "lower": national[f"{stem}_lower"],
                                 "upper": national[f"{stem}_upper"], "unit": unit}, unit=True)


def gradient_finding(row: pd.Series | None, *, higher: str, lower: str) -> str:
    """Words for an SII row: which end of the deprivation scale has more, or no clear
    gradient (interval includes zero), or why it is not estimated."""
    if row is None or np.isnan(float(row["value"])):
        return "not estimated" if row is None else ledger.interval_text(row)
    if float(row["lower"]) > 0:
        return higher
    if float(row["upper"]) < 0:
        return lower
    return "no clear gradient across practice deprivation (the interval includes zero)"


def gradient_sentence(row: pd.Series | None, finding: str, sii: str, rii: str,
                      england: str) -> str:
    """A register's gradient after "Recorded <register> prevalence was ": the finding with
    its SII and RII, or why it is not estimated (said once), then England's SII."""
    if row is None or np.isnan(float(row["value"])):
        note = "" if row is None else str(row["note"]).removeprefix("not estimated").lstrip(": ")
        head = "not estimated" + (f" ({note})" if note else "")
    else:
        head = f"{finding}: SII {sii}, RII {rii}"
    return f"{head}; in England the SII was {england}"


def key_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, str]:
    """The numbers and findings the chapter quotes (keys ``clinical.*``), from the ledger."""
    data = ed.data.practices
    qof = data[data["measure"].isin(list(REGISTERS))]
    figures = {"n_practices": f"{qof['practice_code'].nunique():,}",
               "n_practices_scored": f"{qof.dropna(subset=['imd_decile'])['practice_code'].nunique():,}",
               "min_practices": str(MIN_PRACTICES)}
    prev_national = ed.england("qof_prevalence")
    for measure in REGISTERS:
        s = SHORT[measure]
        figures[f"prev_{s}_all"] = _text(stats, f"clinical.prevalence_{s}.all_practices")
        figures[f"prev_{s}_d1"] = _text(stats, f"clinical.prevalence_{s}.1_most_deprived")
        figures[f"prev_{s}_d10"] = _text(stats, f"clinical.prevalence_{s}.10_least_deprived")
        figures[f"prev_{s}_england"] = (numbers.number(prev_national[f"{s}.0"], 1) + "%"
                                        if f"{s}.0" in prev_national.index else "not available")
        row = _row(stats, f"clinical.sii_{s}.{ledger.key_part(ed.edition.name)}")
        figures[f"sii_{s}"] = _text(stats, f"clinical.sii_{s}.{ledger.key_part(ed.edition.name)}")
        figures[f"rii_{s}"] = _text(stats, f"clinical.rii_{s}.{ledger.key_part(ed.edition.name)}",
                                    unit=False)
        figures[f"sii_{s}_england"] = _england(prev_national, f"{s}.sii", "percentage points")
        figures[f"sii_{s}_finding"] = gradient_finding(
            row, higher="higher in more deprived practices",
            lower="lower in more deprived practices")
        figures[f"sii_{s}_sentence"] = gradient_sentence(
            row, figures[f"sii_{s}_finding"], figures[f"sii_{s}"], figures[f"rii_{s}"],
            figures[f"sii_{s}_england"])
    work_national = ed.england("gp_fte_practice")
    periods = sorted(data.loc[data["measure"].eq(GP_FTE), "period"].unique())
    latest = periods[-1] if periods else ""
    first = periods[0] if periods else ""
    figures["fy_first"], figures["fy_latest"] = first or "–", latest or "–"
    year = data[data["measure"].eq(GP_FTE) & data["period"].eq(latest)]
    left_out = year["count"].isna() | ~year["denominator"].gt(0)
    figures["gp_n_practices"] = f"{year['practice_code'].nunique():,}"
    figures["gp_left_out_latest"] = (f"{int(left_out.sum()):,} "
                                     f"practice{'' if left_out.sum() == 1 else 's'}")
    for tag, period in (("latest", latest), ("first", first)):
        p = ledger.key_part(period)
        figures[f"gp_fte_{tag}_all"] = _text(stats, f"clinical.gp_fte_{p}.all_practices")
        figures[f"gp_fte_{tag}_d1"] = _text(stats, f"clinical.gp_fte_{p}.1_most_deprived")
        figures[f"gp_fte_{tag}_d10"] = _text(stats, f"clinical.gp_fte_{p}.10_least_deprived")
        key = f"clinical.sii_gp_fte_{p}.{ledger.key_part(ed.edition.name)}"
        figures[f"gp_sii_{tag}"] = _text(stats, key)
        figures[f"gp_sii_{tag}_england"] = _england(work_national, f"{period}.sii",
                                                    "per 10,000 patients")
        figures[f"gp_fte_{tag}_england"] = (
            numbers.number(work_national[f"{period}.0"], 2)
            if f"{period}.0" in work_national.index else "not available")
        figures[f"inverse_care_{tag}"] = gradient_finding(
            _row(stats, key),
            higher="no: the most deprived practices had more GPs per patient than the least "
                   "deprived",
            lower="yes: the most deprived practices had fewer GPs per patient than the least "
                  "deprived")
    figures["summary"] = summary_sentence(stats, ed.edition.name, latest)
    return {f"clinical.{key}": value for key, value in figures.items()}


#: The registers' names in running text.
REGISTER_WORDS = {"copd": "COPD", "smi": "severe mental illness", "hyp": "hypertension"}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary_sentence(stats: pd.DataFrame, edition_name: str, period: str) -> str:
    """The chapter's headline for the summary, from the ledger's SII rows: which registers'
    recorded prevalence rises or falls with practice deprivation, and whether the most
    deprived practices had fewer GPs per patient in ``period``. English in every case."""
    place = ledger.key_part(edition_name)
    groups: dict[str, list[str]] = {"higher": [], "lower": [], "flat": [], "none": []}
    for short, name in REGISTER_WORDS.items():
        row = _row(stats, f"clinical.sii_{short}.{place}")
        if row is None or np.isnan(float(row["value"])):
            groups["none"].append(name)
            continue
        side = "higher" if row["lower"] > 0 else "lower" if row["upper"] < 0 else "flat"
        groups[side].append(f"{name} (SII {ledger.interval_text(row, unit=True, inline=True)})")
    clauses = [words + _and(groups[key]) for key, words in (
        ("higher", "higher in more deprived practices for "),
        ("lower", "lower in more deprived practices for "),
        ("flat", "not clearly graded by practice deprivation for "),
        ("none", "not estimated for ")) if groups[key]]
    text = "Recorded prevalence was " + (
        clauses[0] if len(clauses) == 1 else "; ".join(clauses[:-1]) + "; and " + clauses[-1])
    row = _row(stats, f"clinical.sii_gp_fte_{ledger.key_part(period)}.{place}") if period \
        else None
    if row is None or np.isnan(float(row["value"])):
        note = "" if row is None else str(row["note"]).removeprefix("not estimated").lstrip(": ")
        gp = ("the gradient in GPs per patient across practice deprivation was not estimated"
              + (f" ({note})" if note else ""))
    else:
        sii = f"(SII {ledger.interval_text(row, unit=True, inline=True)})"
        side = 1 if row["lower"] > 0 else -1 if row["upper"] < 0 else 0
        gp = (f"the most deprived practices had {'more' if side > 0 else 'fewer'} fully "
              "qualified GPs per patient than the least deprived" if side else
              "fully qualified GPs per patient were not clearly different between the most "
              "and the least deprived practices") + f" {sii}"
    gp = f"In {period}, {gp}" if period else gp[0].upper() + gp[1:]
    return f"{text}. {gp}."
