"""Means with Student's t confidence limits."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._confidence import parse_confidence
from ._frames import column, group_columns

__all__ = ["mean"]


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
