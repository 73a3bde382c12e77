"""Means with Student's t confidence limits."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._confidence import parse_confidence
from ._frames import column, group_columns

__all__ = ["mean", "weighted_mean", "weighted_difference"]


def mean(
    frame: pd.DataFrame,
    *,
    value: Hashable,
    by: Hashable | Sequence[Hashable] | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> pd.DataFrame:
    """Mean of ``value`` (per group of ``by``) with Student's t confidence limits.

    ``lower/upper = mean -+ t(1 - (1 - confidence)/2, n - 1) * sd / sqrt(n)`` with the
    sample standard deviation (n - 1 denominator). Missing values are left out of the
    sums and counts; a group with fewer than two values gets missing limits.

    Returns:
        DataFrame with the ``by`` columns, ``value_sum``, ``value_count``, ``stdev``,
        ``value`` and the limit columns, one row per group (sorted by the keys).

    Method: PHE technical guide "Confidence intervals" (means);
    ``PHEindicatormethods::phe_mean``.

    """
    by_cols = group_columns(frame, by)
    values = column(frame, value, "value")
    work = pd.DataFrame({"_v": values}, index=frame.index)
    for c in by_cols:
        work[c] = frame[c].to_numpy()
    if by_cols:
        grouped = work.groupby(by_cols, sort=True, dropna=False, observed=True)["_v"]
        out = pd.DataFrame(
            {
                "value_sum": grouped.sum(),
                "value_count": grouped.count().astype(float),
                "stdev": grouped.std(ddof=1),
            }
        ).reset_index()
    else:
        v = work["_v"]
        out = pd.DataFrame(
            {"value_sum": [v.sum()], "value_count": [float(v.count())], "stdev": [v.std(ddof=1)]}
        )
    n = out["value_count"].to_numpy()
    out["value"] = out["value_sum"] / np.where(n > 0, n, np.nan)
    levels = parse_confidence(confidence)
    sd = out["stdev"].to_numpy()
    for level, suffix in levels:
        with np.errstate(invalid="ignore", divide="ignore"):
            half = stats.t.ppf(level + (1 - level) / 2, n - 1) * sd / np.sqrt(n)
            half = np.where(n > 1, half, np.nan)
        out[f"lower{suffix}"] = out["value"] - half
        out[f"upper{suffix}"] = out["value"] + half
    return out


def weighted_mean(values: Sequence[float], weights: Sequence[float], *,
                  confidence: float = 0.95) -> dict[str, float]:
    """Weighted mean of area values (weights: the areas' populations) with its interval.

    The mean is the ratio estimator ``ybar = sum(w * y) / sum(w)``; its variance is the
    Taylor-linearised (with-replacement, areas as primary units) variance of a ratio,
    ``v = n / (n - 1) * sum((w * (y - ybar)) ** 2) / sum(w) ** 2`` (Cochran, *Sampling
    Techniques*, 1977, 6.9; what R's ``survey::svymean`` gives with areas as clusters),
    with ``ybar -+ t(n - 1) * sqrt(v)``. Areas with a missing value or weight are left out.
    When every area of a group is included (a complete enumeration) the interval describes
    chance variation between areas (the areas as one realisation of their places' underlying
    rates), not sampling error. Returns ``value``, ``lower``, ``upper``, ``se``, ``n``,
    ``df``; no interval for fewer than two areas.
    """
    y = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = ~(np.isnan(y) | np.isnan(w))
    y, w = y[keep], w[keep]
    n = len(y)
    out = {"value": np.nan, "lower": np.nan, "upper": np.nan, "se": np.nan, "n": float(n),
           "df": float(n - 1)}
    if n == 0 or w.sum() <= 0:
        return out
    ybar = float((w * y).sum() / w.sum())
    out["value"] = ybar
    if n < 2:
        return out
    se = float(np.sqrt(n / (n - 1) * ((w * (y - ybar)) ** 2).sum() / w.sum() ** 2))
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
    out.update(lower=ybar - half, upper=ybar + half, se=se)
    return out


def weighted_difference(a: dict[str, float], b: dict[str, float], *,
                        confidence: float = 0.95) -> dict[str, float]:
    """Difference ``a - b`` of two :func:`weighted_mean` results of separate sets of areas.

    Standard error ``sqrt(se_a^2 + se_b^2)`` (independent groups), t interval on the
    Welch-Satterthwaite degrees of freedom (Welch, Biometrika 1947). Returns ``value``,
    ``lower``, ``upper``, ``se``, ``df`` (missing when either side lacks a standard error).
    """
    va, vb = a["se"] ** 2, b["se"] ** 2
    d = a["value"] - b["value"]
    out = {"value": d, "lower": np.nan, "upper": np.nan, "se": np.nan, "df": np.nan}
    if np.isnan(va) or np.isnan(vb) or va + vb == 0:
        return out
    df = (va + vb) ** 2 / (va ** 2 / a["df"] + vb ** 2 / b["df"])
    se = float(np.sqrt(va + vb))
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    out.update(lower=d - half, upper=d + half, se=se, df=float(df))
    return out
