"""Chapter 8, trends: whether the life expectancy gap between rural and urban areas changes.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`life_expectancy_gaps` - for females and for males, the rural minus urban gap in
  life expectancy at birth (OHID Fingertips indicator 90366, local authorities by the ONS
  2021 rural-urban classification) in each three-year period, and its trend test;
  :func:`gap_chart` draws the female gaps, :func:`trend_table` displays the trends and
  :func:`save_trend_data` saves them when there are any;
* :func:`gap_by_period` - the method: the gap between two groups of areas in each period
  and whether it changes over time (ordinary least squares with a group x period
  interaction; the test is the Wald t-test of the interaction coefficient);
* :func:`key_figures` - the figures chapter 8 quotes, as printed.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from inequalities.report import charts, outputs, wording
from inequalities.topics.base import EditionData

LIFE_EXPECTANCY = "90366"
SEXES = ("Female", "Male")
SOURCE = "OHID Fingertips (life expectancy at birth, 90366); ONS RUC 2021 LA classification"
GAP_COLUMNS = ["period", "gap", "lower", "upper", "n", "sex"]
TREND_LABEL = "tbl-le-gap-trend"
NO_TREND_WORDS = ("cannot be estimated for this edition, which has no rural (or no urban) "
                  "local authorities")


def gap_by_period(frame: pd.DataFrame, *, value: str, group: str, period: str,
                  contrast: tuple[str, str] = ("Rural", "Urban"),
                  confidence: float = 0.95) -> tuple[pd.DataFrame, dict[str, object]]:
    """Gap in mean ``value`` between ``contrast`` groups per period, and its trend test.

    Fits ``value ~ C(period) * group`` by OLS (one row per area and period) for the per-period
    gaps ``mean(group) - mean(reference)`` with t intervals, and ``value ~ C(period) + group +
    group:t`` with ``t`` the period's position (0, 1, ...) for the trend: the coefficient of
    ``group:t`` is the change in the gap per period and its Wald t-test is the test stated.

    Returns ``(gaps, trend)``: ``gaps`` has ``period, gap, lower, upper, n``; ``trend`` has
    ``change_per_period, lower, upper, p_value, periods, direction`` ("narrowing",
    "widening" or "no clear change", judged at the ``confidence`` level) and ``test``.
    """
    import statsmodels.api as sm  # imported when first fitting: it takes 1.5 s

    target, reference = contrast
    data = frame[[value, group, period]].dropna()
    data = data[data[group].isin([target, reference])]
    periods = sorted(data[period].unique())
    if len(periods) < 2 or data[group].nunique() < 2:
        raise ValueError(f"gap_by_period needs at least two periods and both {target!r} and "
                         f"{reference!r} areas; found {len(periods)} period(s) and groups "
                         f"{sorted(data[group].unique())}")
    alpha = 1 - confidence
    rows = []
    for label in periods:
        part = data[data[period] == label]
        x = sm.add_constant((part[group] == target).astype(float).to_numpy())
        if np.linalg.matrix_rank(x) < 2:
            rows.append({"period": label, "gap": np.nan, "lower": np.nan, "upper": np.nan,
                         "n": len(part)})
            continue
        fit = sm.OLS(part[value].to_numpy(float), x).fit()
        low, high = fit.conf_int(alpha)[1]
        rows.append({"period": label, "gap": fit.params[1], "lower": low, "upper": high,
                     "n": len(part)})
    gaps = pd.DataFrame(rows)
    position = data[period].map({p: i for i, p in enumerate(periods)}).astype(float)
    is_target = (data[group] == target).astype(float)
    dummies = pd.get_dummies(data[period], drop_first=True, dtype=float)
    design = sm.add_constant(pd.concat(
        [dummies, is_target.rename("group"), (is_target * position).rename("group_t")], axis=1))
    fit = sm.OLS(data[value].to_numpy(float), design).fit()
    est = float(fit.params["group_t"])
    low, high = fit.conf_int(alpha).loc["group_t"]
    p_value = float(fit.pvalues["group_t"])
    first = gaps["gap"].dropna()
    narrowing = np.sign(est) != np.sign(first.iloc[0]) if len(first) else False
    direction = ("no clear change" if p_value >= alpha
                 else "narrowing" if narrowing else "widening")
    trend = {"change_per_period": est, "lower": float(low), "upper": float(high),
             "p_value": p_value, "periods": len(periods), "direction": direction,
             "test": f"Wald t-test that the {target} - {reference} gap does not change "
                     "from period to period (OLS with period fixed effects)"}
    return gaps, trend


def life_expectancy_gaps(ed: EditionData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rural minus urban life expectancy gaps per period, and their trend, for each sex.

    Returns ``(gaps, trend)``: ``gaps`` has :data:`GAP_COLUMNS` (:func:`gap_by_period`'s
    gaps with ``sex``), ``trend`` one row per sex with ``sex`` then the trend test's
    fields. A sex whose gap cannot be estimated (an edition without rural or without urban
    authorities) has no rows; with neither, ``trend`` is an empty frame.
    """
    indicators = ed.data.indicators
    le = indicators[(indicators["indicator_id"] == LIFE_EXPECTANCY)
                    & (indicators["area_level"] == "LAD")]
    le = le.merge(ed.data.lads[["lad_code", "urban_rural"]], left_on="area_code",
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


def gap_chart(gaps: pd.DataFrame) -> alt.LayerChart:
    """Line chart of the female gap with its band (a flat "not available" line without)."""
    female = gaps[gaps["sex"] == "Female"]
    if female.empty:
        female = pd.DataFrame({"period": ["not available"], "gap": [0.0], "lower": [0.0],
                               "upper": [0.0]})
    return charts.interval_line(female, x="period",
                                title="Rural minus urban life expectancy, females",
                                axis_title="Gap in years (rural minus urban)", source=SOURCE,
                                description="Rural-urban gap in female life expectancy over time")


def save_trend_data(output_dir: str | Path, trend: pd.DataFrame) -> Path | None:
    """Save the trend table's data when there is a trend (none: the table says why)."""
    return None if trend.empty else outputs.save_figure_data(output_dir, TREND_LABEL, trend)


def trend_table(trend: pd.DataFrame) -> outputs.Table:
    """:func:`life_expectancy_gaps`' trends as the chapter's table, or why there are none."""
    if trend.empty:
        return outputs.show_table(pd.DataFrame({
            "Sex": ["Both"],
            "Result": ["not estimable: this edition has no rural (or no urban) local "
                       "authorities"]}))
    columns = {"sex": "Sex", "change_per_period": "Change per period", "lower": "Lower 95%",
               "upper": "Upper 95%", "p_value": "p", "periods": "Periods",
               "direction": "Result"}
    return outputs.show_table(
        trend[list(columns)].rename(columns=columns),
        formats={"Change per period": "{:.3f}", "Lower 95%": "{:.3f}", "Upper 95%": "{:.3f}",
                 "p": "{:.3g}"})


def _trend_words(sex: str, gaps: pd.DataFrame, trend: pd.DataFrame) -> str:
    """The latest gap and the trend for ``sex``, in words, or why there is none."""
    rows = trend[trend["sex"] == sex] if len(trend) else trend
    if rows.empty:
        return NO_TREND_WORDS
    t = rows.iloc[0]
    last = gaps[gaps["sex"] == sex].dropna().iloc[-1]
    change = wording.format_interval(t["change_per_period"], t["lower"], t["upper"], 3)
    return (f"was {wording.format_interval(last['gap'], last['lower'], last['upper'])} years "
            f"in {last['period']}, and over {t['periods']} periods shows {t['direction']} "
            f"(change per period {change}, p = {t['p_value']:.2g})")


def key_figures(gaps: pd.DataFrame, trend: pd.DataFrame) -> dict[str, str]:
    """The figures chapter 8 quotes, from :func:`life_expectancy_gaps`."""
    return {f"trends.le_{sex.lower()}": _trend_words(sex, gaps, trend) for sex in SEXES}
