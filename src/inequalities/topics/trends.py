"""Chapter 8, trends: whether the life expectancy gap between rural and urban areas changes.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`life_expectancy_gaps` - for females and for males, the rural minus urban gap in
  life expectancy at birth (OHID Fingertips indicator 90366, local authorities by the ONS
  2021 rural-urban classification) in each three-year period, and its trend test;
  :func:`gap_chart` draws both sexes' gaps;
* :func:`gap_by_period` - the method: the gap between two groups of areas in each period
  (OLS per period, a t interval) and whether it changes over time. The trend is fitted
  over *non-overlapping* periods only (:func:`non_overlapping`: the latest and every third
  before it, so no year of deaths is counted twice) by OLS with period fixed effects and a
  group x year interaction, with standard errors robust to clustering by authority
  (Liang and Zeger 1986; the sandwich estimator with Student t on G - 1 degrees of freedom,
  Cameron and Miller 2015), because the same authorities are measured in every period;
* :func:`statistics` - the chapter's ledger rows: each period's gap and, per sex, the
  change in the gap from the first to the last non-overlapping period, neither estimated
  with fewer than :data:`MIN_AUTHORITIES` rural or urban authorities (an edition with no
  period's gap shows England's instead);
  :func:`trend_table` and :func:`key_figures` format from them.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "lads": ("lad_code", "urban_rural"),
    "indicators": ALL,
}

TOPIC = "trends"
LIFE_EXPECTANCY = "90366"
SEXES = ("Female", "Male")
#: Rural and urban authorities each needed for a period's gap and for the cluster-robust
#: trend test: a mean over fewer authorities says too little about a type of place.
MIN_AUTHORITIES = 5
#: Years each published period spans (OHID's three-year pooled periods).
SPAN = 3
#: The ledger unit of a change in the gap (two decimals: changes are a fraction of a year).
CHANGE_UNIT = "years of change"
SOURCE = "OHID Fingertips (life expectancy at birth, 90366); ONS RUC 2021 LA classification"
GAP_COLUMNS = ["period", "gap", "lower", "upper", "n", "rural", "urban", "sex"]
TREND_METHOD = ("OLS over non-overlapping three-year periods with period fixed effects and a "
                "rural x year interaction; standard errors robust to clustering by local "
                "authority (t on authorities - 1 degrees of freedom); change = yearly slope x "
                "years between the first and last periods")
GAP_METHOD = "Difference in mean life expectancy of rural and urban authorities (OLS, t interval)"


def _start_year(label: object) -> int | None:
    """The first year of a period label ("2015 - 17" gives 2015), None without one."""
    match = re.search(r"(\d{4})", str(label))
    return int(match[1]) if match else None


def non_overlapping(periods: list, span: int = SPAN) -> list:
    """The latest period and every ``span``-th before it, oldest first.

    Periods whose labels start with a year are kept when their start is a multiple of
    ``span`` years before the latest's (``2017 - 19``, ``2020 - 22``, ``2023 - 25`` from
    nine yearly three-year periods); other labels by position from the last.
    """
    ordered = sorted(periods)
    starts = [_start_year(p) for p in ordered]
    if all(s is not None for s in starts):
        last = starts[-1]
        return [p for p, s in zip(ordered, starts) if (last - s) % span == 0]
    return ordered[::-1][::span][::-1]


def _period_gaps(data: pd.DataFrame, value: str, group: str, period: str, target: str,
                 alpha: float) -> pd.DataFrame:
    """The gap ``mean(target) - mean(other)`` in each period with its t interval (OLS)."""
    import statsmodels.api as sm  # imported when first fitting: it takes 1.5 s

    rows = []
    for label, part in data.groupby(period, sort=True):
        is_target = (part[group] == target).to_numpy()
        row = {"period": label, "gap": np.nan, "lower": np.nan, "upper": np.nan,
               "n": len(part), "rural": int(is_target.sum()), "urban": int((~is_target).sum())}
        x = sm.add_constant(is_target.astype(float))
        if np.linalg.matrix_rank(x) == 2 and len(part) > 2:
            fit = sm.OLS(part[value].to_numpy(float), x).fit()
            row["gap"] = fit.params[1]
            row["lower"], row["upper"] = fit.conf_int(alpha)[1]
        rows.append(row)
    return pd.DataFrame(rows)


def gap_by_period(frame: pd.DataFrame, *, value: str, group: str, period: str,
                  area: str = "lad_code", contrast: tuple[str, str] = ("Rural", "Urban"),
                  confidence: float = 0.95) -> tuple[pd.DataFrame, dict[str, object]]:
    """Gap in mean ``value`` between ``contrast`` groups per period, and its trend test.

    ``gaps``: one row per period (``period, gap, lower, upper, n, rural, urban``). The trend
    uses the :func:`non_overlapping` periods: ``value ~ C(period) + group + group:year``
    (``year`` the period's first year, or its position) by OLS with standard errors
    clustered by ``area`` (statsmodels' ``cov_type="cluster"``, t on G - 1 degrees of
    freedom). ``trend``: ``change`` (the slope times the years from the first to the last
    period used, i.e. the fitted change in the gap), ``lower``, ``upper``, ``p_value``
    (Wald t-test of no change), ``periods`` (those used, as text), ``first``, ``last``,
    ``authorities`` (clusters), ``rural`` and ``urban`` (authorities of each group),
    ``direction`` ("narrowing", "widening" or "no clear change") and ``test``.
    """
    import statsmodels.api as sm

    target, reference = contrast
    data = frame[[value, group, period, area]].dropna()
    data = data[data[group].isin([target, reference])]
    periods = sorted(data[period].unique())
    if len(periods) < 2 or data[group].nunique() < 2:
        raise ValueError(f"gap_by_period needs at least two periods and both {target!r} and "
                         f"{reference!r} areas; found {len(periods)} period(s) and groups "
                         f"{sorted(data[group].unique())}")
    alpha = 1 - confidence
    gaps = _period_gaps(data, value, group, period, target, alpha)
    used = non_overlapping(periods)
    sub = data[data[period].isin(used)]
    years = {p: (_start_year(p) if _start_year(p) is not None else i * SPAN)
             for i, p in enumerate(used)}
    year = sub[period].map(years).astype(float)
    is_target = (sub[group] == target).astype(float)
    dummies = pd.get_dummies(sub[period], drop_first=True, dtype=float)
    design = sm.add_constant(pd.concat(
        [dummies, is_target.rename("group"), (is_target * (year - year.min())).rename("slope")],
        axis=1))
    clusters = pd.factorize(sub[area])[0]
    fit = sm.OLS(sub[value].to_numpy(float), design).fit(
        cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True)
    span = float(max(years.values()) - min(years.values()))
    low, high = fit.conf_int(alpha).loc["slope"]
    change, p_value = float(fit.params["slope"]) * span, float(fit.pvalues["slope"])
    first_gap = gaps.set_index("period")["gap"].get(used[0], np.nan)
    narrowing = bool(np.sign(change) != np.sign(first_gap)) if not np.isnan(first_gap) else False
    direction = ("no clear change" if not p_value < alpha
                 else "narrowing" if narrowing else "widening")
    per_area = sub.drop_duplicates(area)
    trend = {"change": change, "lower": float(low) * span, "upper": float(high) * span,
             "p_value": p_value, "periods": ", ".join(map(str, used)), "first": used[0],
             "last": used[-1], "authorities": int(sub[area].nunique()),
             "rural": int((per_area[group] == target).sum()),
             "urban": int((per_area[group] == reference).sum()), "direction": direction,
             "test": f"Wald t-test that the {target} - {reference} gap does not change, "
                     "cluster-robust by authority, over non-overlapping periods"}
    return gaps, trend


def _le_gaps(data) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`life_expectancy_gaps` of a Dataset (an edition's slice, or England's)."""
    indicators = data.indicators
    le = indicators[(indicators["indicator_id"] == LIFE_EXPECTANCY)
                    & (indicators["area_level"] == "LAD")]
    le = le.merge(data.lads[["lad_code", "urban_rural"]], left_on="area_code",
                  right_on="lad_code")
    gaps, trends = [], []
    for sex in SEXES:
        try:
            sex_gaps, trend = gap_by_period(le[le["sex"] == sex], value="value",
                                            group="urban_rural", period="period")
        except ValueError:
            continue
        gaps.append(sex_gaps.assign(sex=sex))
        trends.append({"sex": sex, **trend})
    return pd.concat(gaps or [pd.DataFrame(columns=GAP_COLUMNS)]), pd.DataFrame(trends)


def _england_gaps(dataset) -> pd.DataFrame:
    """England's gaps per sex and period as national measure rows: ``group`` is
    ``"<sex>|<period>|<gap, lower or upper>"``."""
    gaps, _ = _le_gaps(dataset)
    long = gaps.melt(id_vars=["sex", "period"],
                     value_vars=["gap", "lower", "upper", "rural", "urban"])
    return pd.DataFrame({"group": long["sex"] + "|" + long["period"].astype(str) + "|"
                         + long["variable"], "value": long["value"].astype(float)})


def life_expectancy_gaps(ed: EditionData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rural minus urban life expectancy gaps per period, and their trend, for each sex.

    Returns ``(gaps, trend)``: ``gaps`` has :data:`GAP_COLUMNS`, ``trend`` one row per sex
    with ``sex`` then :func:`gap_by_period`'s trend fields. A sex whose gap cannot be
    estimated (an edition without rural or without urban authorities) has no rows.
    """
    return _le_gaps(ed.data)


def _england_rows(ed: EditionData) -> pd.DataFrame:
    """England's gaps (national comparators) in :data:`GAP_COLUMNS` form, for an edition
    with none of its own."""
    national = ed.england("le_gap_by_period")
    parts = pd.Series(national.index.astype(str)).str.split("|", expand=True)
    long = pd.DataFrame({"sex": parts[0], "period": parts[1], "stat": parts[2],
                         "value": national.to_numpy()})
    wide = long.pivot_table(index=["sex", "period"], columns="stat", values="value",
                            aggfunc="first").reset_index()
    for column in ("rural", "urban"):  # England's authorities behind each gap
        if column not in wide:
            wide[column] = np.nan
    return wide.assign(sex="England, " + wide["sex"].str.lower(),
                       n=wide[["rural", "urban"]].min(axis=1))


def statistics(gaps: pd.DataFrame, trend: pd.DataFrame,
               ed: EditionData | None = None) -> pd.DataFrame:
    """The chapter's ledger rows: ``trends.le_gap.<sex>_<period>`` (each period's gap) and
    ``trends.le_gap_change.<sex>`` (the change from the first to the last non-overlapping
    period; units the rural or urban authorities, whichever fewer, at least
    :data:`MIN_AUTHORITIES`). A sex without data gets a change row saying why."""
    common = {"topic": TOPIC, "unit": "years", "kind": "difference", "unit_type": "LA",
              "source": SOURCE}
    per_period = gaps.assign(group=gaps["sex"].astype(str) + " " + gaps["period"].astype(str),
                             value=gaps["gap"], n=gaps[["rural", "urban"]].min(axis=1)
                             if len(gaps) else [],
                             note=np.where(gaps["gap"].isna(), "not estimated: too few rural "
                                           "or urban authorities with a value in this period",
                                           "") if len(gaps) else [])
    rows = [ledger.rows(per_period, key="trends.le_gap", label="Rural minus urban life "
                        "expectancy at birth", method=GAP_METHOD, period="period", note="note",
                        min_units=MIN_AUTHORITIES, **common)]
    if rows[0]["value"].isna().all() and ed is not None and not ed.edition.is_england:
        england = _england_rows(ed)
        rows.append(ledger.rows(
            england.assign(group=england["sex"] + " " + england["period"], value=england["gap"]),
            key="trends.le_gap_england", label="Rural minus urban life expectancy at birth, "
            f"England (shown where the edition has fewer than {MIN_AUTHORITIES} rural or "
            "urban authorities)",
            method=GAP_METHOD, period="period", **common))
    changes = []
    for sex in SEXES:
        t = trend[trend["sex"] == sex] if len(trend) else trend
        if t.empty:
            changes.append({"group": sex, "value": np.nan, "lower": np.nan, "upper": np.nan,
                            "n": 0, "period": "", "note": "not estimated: this edition has no "
                            "rural (or no urban) local authorities"})
            continue
        r = t.iloc[0]
        changes.append({"group": sex, "value": r["change"], "lower": r["lower"],
                        "upper": r["upper"], "n": min(r["rural"], r["urban"]),
                        "period": f"{r['first']} to {r['last']}",
                        "note": f"{numbers.p_value(r['p_value'])}; periods {r['periods']}"})
    changes = pd.DataFrame(changes)
    for part, minimum in ((changes[changes["n"] > 0], MIN_AUTHORITIES),
                          (changes[changes["n"] == 0], 0)):  # no data: the note says so
        rows.append(ledger.rows(part, key="trends.le_gap_change",
                                label="Change in the rural minus urban life expectancy gap",
                                method=TREND_METHOD, period="period", note="note",
                                min_units=minimum, **{**common, "unit": CHANGE_UNIT}))
    return pd.concat(rows, ignore_index=True)


def gap_chart(stats: pd.DataFrame) -> alt.LayerChart:
    """Line chart of both sexes' gaps (the ``trends.le_gap`` rows of :func:`statistics`) with
    their bands (a flat "not available" line without)."""
    own = stats[stats["key"].str.startswith("trends.le_gap.")].dropna(
        subset=["value", "lower", "upper"])
    rows = own if len(own) else stats[stats["key"].str.startswith("trends.le_gap_england.")]
    shown = pd.DataFrame({"period": rows["period"].map(_period), "gap": rows["value"],
                          "lower": rows["lower"], "upper": rows["upper"],
                          "sex": [g[:len(g) - len(p)].strip() for g, p in
                                  zip(rows["group"], rows["period"])]}).sort_values(
                              ["sex", "period"])
    if shown.empty:
        shown = pd.DataFrame({"period": ["not available"], "gap": [0.0], "lower": [0.0],
                              "upper": [0.0], "sex": ["not available"]})
    title = "Rural minus urban life expectancy at birth"
    return charts.interval_line(shown, x="period", series="sex",
                                title=title + ("" if len(own) else ", England"),
                                axis_title="Gap in years (rural minus urban)", source=SOURCE,
                                description="Rural-urban gap in life expectancy over time, "
                                            "females and males")


def trend_table(stats: pd.DataFrame) -> outputs.Table:
    """The change rows of :func:`statistics` as the chapter's table, or why there are none."""
    rows = stats[stats["key"].str.startswith("trends.le_gap_change.")].sort_values("key")
    return outputs.show_table(pd.DataFrame({
        "Sex": rows["group"].to_numpy(),
        "Periods compared": [_period(p) if p else "–" for p in rows["period"]],
        "Change in the gap, years (95% CI)": [ledger.interval_text(r)
                                              for _, r in rows.iterrows()],
        "p-value": [n.split(";")[0] if n.startswith("p") else "–" for n in rows["note"]],
        "Rural or urban authorities, whichever fewer": [numbers.number(u, 0)
                                                         for u in rows["units"]],
    }))


def _trend_words(sex: str, stats: pd.DataFrame) -> str:
    """The latest gap and the change for ``sex``, in words, or why there is none."""
    by_key = stats.set_index("key")
    change = by_key.loc[f"trends.le_gap_change.{sex.lower()}"]
    own = stats[stats["key"].str.startswith(f"trends.le_gap.{sex.lower()}_")]
    gaps = own[own["value"].notna()]
    if gaps.empty:
        instead = ("; the figure shows England's gap instead"
                   if stats["key"].str.startswith("trends.le_gap_england.").any() else "")
        fewest = int(own["units"].max()) if own["units"].notna().any() else 0
        if fewest == 0:
            return ("cannot be estimated for this edition, which has no rural (or no urban) "
                    f"local authorities{instead}")
        return (f"is not estimated for this edition, which has only {fewest} "
                f"{'authority' if fewest == 1 else 'authorities'} of one kind (rural or "
                f"urban) with a value, fewer than the {MIN_AUTHORITIES} needed{instead}")
    last = gaps.sort_values("period").iloc[-1]
    text = f"was {ledger.interval_text(last)} years in {_period(last['period'])}"
    if np.isnan(float(change["value"])):
        return (f"{text}; whether it is changing is not tested, as this edition has only "
                f"{int(change['units'])} authorities of one kind (rural or urban) and the "
                f"test needs {MIN_AUTHORITIES} of each")
    value, lower, upper = (float(change[c]) for c in ("value", "lower", "upper"))
    p_text = str(change["note"]).split(";")[0]
    decimals = numbers.decimals_for(CHANGE_UNIT)
    interval = (f"change {numbers.number(value, decimals, signed=True)} years, 95% CI "
                f"{numbers.number(lower, decimals, signed=True)} to "
                f"{numbers.number(upper, decimals, signed=True)}, {p_text}")
    if lower <= 0 <= upper:
        verdict = "shows no clear change"
    else:
        verdict = "widened" if np.sign(value) == np.sign(float(last["value"])) else "narrowed"
    return f"{text}, and {verdict} from {_period(change['period'])} ({interval})"


def _period(text: object) -> str:
    """A period as the text prints it: "2023 - 25" becomes "2023–25" (an en dash, as the
    report writes year ranges); "2001 - 03 to 2010 - 12" keeps its "to"."""
    return str(text).replace(" - ", "\u2013")


def key_figures(stats: pd.DataFrame) -> dict[str, str]:
    """The figures chapter 8 quotes, from :func:`statistics`."""
    figures = {f"trends.le_{sex.lower()}": _trend_words(sex, stats) for sex in SEXES}
    figures["trends.summary"] = summary_words(figures["trends.le_female"],
                                              figures["trends.le_male"])
    return figures


def summary_words(female: str, male: str) -> str:
    """Both sexes' trend words after "The rural minus urban gap in life expectancy at
    birth, ": the same words are said once for both sexes."""
    if female == male:
        return f"for females and males alike, {female}"
    return f"for females, {female}; for males, it {male}"


#: England's gaps, for editions with no rural or no urban authorities (see
#: :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("le_gap_by_period", _england_gaps, 3,
            "England's rural minus urban life expectancy gap per sex and period, with its "
            "95% interval"),
)
