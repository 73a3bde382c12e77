"""Summaries that feed the inequality and trend chapters from area-level values.

The national sources give values (scores, rates, years) per area but not counts, so
the gradient and trend analyses work on area values:

* :func:`decile_summary` turns one row per small area into one row per deprivation decile
  (and group): the population-weighted mean value and its standard error, the input that
  :func:`inequalities.models.gradients` (SII/RII) takes with ``value=`` and ``se=``;
* :func:`gap_by_period` estimates the gap between two groups of areas in each period and
  tests whether it changes over time (ordinary least squares with a group x period
  interaction; the test is the Wald t-test of the interaction coefficient).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats


def decile_summary(frame: pd.DataFrame, *, value: str, population: str = "population",
                   quantile: str = "imd_decile",
                   by: Sequence[str] = ("urban_rural",)) -> pd.DataFrame:
    """Population-weighted mean of ``value`` per ``by`` x ``quantile``, with its standard error.

    The standard error is that of a weighted mean with Kish's effective sample size,
    ``sd_w / sqrt(n_eff)`` where ``n_eff = (sum w)^2 / sum w^2`` and ``sd_w`` is the weighted
    standard deviation; quantiles with a single area get a missing standard error.
    Columns: the ``by`` columns, ``quantile``, ``value``, ``se``, ``population``, ``areas``.
    """
    keys = [*by, quantile]
    missing = {value, population, *keys} - set(frame.columns)
    if missing:
        raise ValueError(f"decile_summary: column(s) {sorted(missing)} not in the frame")
    data = frame[[*keys, value, population]].dropna()
    w = data[population].astype(float)
    data = data.assign(_w=w, _wx=w * data[value], _wxx=w * data[value] ** 2, _ww=w * w)
    grouped = data.groupby(keys, observed=True, as_index=False).agg(
        population=("_w", "sum"), _wx=("_wx", "sum"), _wxx=("_wxx", "sum"),
        _ww=("_ww", "sum"), areas=(value, "size"))
    mean = grouped["_wx"] / grouped["population"]
    variance = (grouped["_wxx"] / grouped["population"] - mean**2).clip(lower=0)
    n_eff = grouped["population"] ** 2 / grouped["_ww"]
    se = np.sqrt(variance / n_eff).where(grouped["areas"] > 1)
    out = grouped[keys].assign(value=mean, se=se, population=grouped["population"],
                               areas=grouped["areas"])
    return out.sort_values(keys).reset_index(drop=True)


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


def t_interval(mean: float, se: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Student-t interval for a mean (helper for prose)."""
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
    return mean - half, mean + half


def most_versus_least(gradient: pd.DataFrame) -> pd.DataFrame:
    """Re-express OHID SII/RII rows as "most deprived relative to least deprived".

    OHID's SII runs from the most to the least deprived end, so a health burden that falls
    with affluence gives a negative SII and an RII below 1. For reading, the SII is negated
    (most minus least) and the RII inverted (most divided by least), limits swapped. The
    difference of two RIIs has no such simple inverse, so ``rii`` rows of a gap group (a
    ``group`` containing " - ") are dropped; SII gap rows are negated like the others.
    Expects ``measure``, ``estimate``, ``lower``, ``upper`` columns.
    """
    out = gradient.copy()
    sii = out["measure"] == "sii"
    rii = out["measure"] == "rii"
    gap = out["group"].astype(str).str.contains(" - ", regex=False)
    out = out[~(rii & gap)].copy()
    sii, rii = sii[out.index], rii[out.index]
    est, low, up = out["estimate"].copy(), out["lower"].copy(), out["upper"].copy()
    out.loc[sii, "estimate"], out.loc[sii, "lower"], out.loc[sii, "upper"] = (
        -est[sii], -up[sii], -low[sii])
    out.loc[rii, "estimate"], out.loc[rii, "lower"], out.loc[rii, "upper"] = (
        1 / est[rii], 1 / up[rii], 1 / low[rii])
    return out.reset_index(drop=True)
