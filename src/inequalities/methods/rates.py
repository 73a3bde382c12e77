"""Crude rates with Byar's (or exact Poisson) confidence limits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._confidence import check_nonnegative, parse_confidence, poisson_count_limits
from ._frames import as_float_array, output_index

__all__ = ["rate", "EXACT_BELOW"]

#: Counts below this use exact Poisson limits, as OHID/Fingertips do.
EXACT_BELOW = 10


def rate(
    count,
    denominator,
    *,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Crude rate ``count / denominator * multiplier`` with Poisson confidence limits.

    Limits use Byar's approximation when the count is 10 or more and the exact Poisson
    limits (chi-squared quantiles) below 10. The count may exceed the denominator.

    Args:
        count: numbers of events (array-like), zero or more.
        denominator: person-years or population (same length), greater than zero.
        confidence: a level (0.95 or 95) or a sequence of levels; see ``proportion``.
        multiplier: rate per this many, default per 100,000.

    Returns:
        DataFrame with ``value``, limit columns and ``method`` (categorical "Byars" or
        "Exact"; missing when the count is missing), one row per input row.

    Raises:
        ValueError: negative count, or denominator not greater than zero (first row named).

    Method: PHE technical guide "Confidence intervals" (Byar's method; exact method for
    small counts); ``PHEindicatormethods::phe_rate``.

    """
    index = output_index(count)
    x = as_float_array(count, "count")
    n = as_float_array(denominator, "denominator")
    if x.shape != n.shape:
        raise ValueError(f"count has {x.size} rows but denominator has {n.size}")
    check_nonnegative(x, "count", index)
    check_nonnegative(n, "denominator", index, strict=True)
    levels = parse_confidence(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {"value": x / n * multiplier}
        for level, suffix in levels:
            lower, upper = poisson_count_limits(x, level, EXACT_BELOW)
            out[f"lower{suffix}"] = lower / n * multiplier
            out[f"upper{suffix}"] = upper / n * multiplier
    codes = np.where(x < EXACT_BELOW, 1, 0)
    codes[np.isnan(x)] = -1
    out["method"] = pd.Categorical.from_codes(codes, categories=["Byars", "Exact"])
    return pd.DataFrame(out, index=index)
