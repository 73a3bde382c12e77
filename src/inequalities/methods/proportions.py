"""Proportions with Wilson score confidence limits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._confidence import (
    check_nonnegative,
    first_bad_row,
    parse_confidence,
    wilson_lower,
    wilson_upper,
)
from ._frames import as_float_array, output_index

__all__ = ["proportion"]


def proportion(
    numerator,
    denominator,
    *,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Proportion ``numerator / denominator`` with Wilson score confidence limits.

    Args:
        numerator: counts of the event (array-like, one per row), zero or more.
        denominator: population at risk (same length), greater than zero and at least the
            numerator.
        confidence: 0.95 or 95, or a sequence of levels (see :func:`parse_confidence`):
            a scalar gives ``lower``/``upper``; a sequence gives ``lower_95``,
            ``upper_95``, ``lower_99_8`` ... one pair per level.
        multiplier: scale of the result, 1 for a proportion, 100 for a percentage.

    Returns:
        DataFrame with ``value``, the limit columns, one row per input row (index kept
        when a Series is given). A missing numerator or denominator gives missing results.

    Raises:
        ValueError: negative numerator, denominator not greater than zero, or numerator
            greater than denominator; the message names the first such row.

    Method: Wilson (1927), as in the PHE technical guide "Confidence intervals" and
    ``PHEindicatormethods::phe_proportion``.

    """
    index = output_index(numerator)
    x = as_float_array(numerator, "numerator")
    n = as_float_array(denominator, "denominator")
    if x.shape != n.shape:
        raise ValueError(f"numerator has {x.size} rows but denominator has {n.size}")
    check_nonnegative(x, "numerator", index)
    check_nonnegative(n, "denominator", index, strict=True)
    with np.errstate(invalid="ignore"):
        over = x > n
    if over.any():
        raise ValueError(
            "numerator must not exceed denominator for a proportion: "
            f"{first_bad_row(over, index)}. Use rate() for counts that can exceed the population."
        )
    levels = parse_confidence(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {"value": x / n * multiplier}
    for level, suffix in levels:
        out[f"lower{suffix}"] = wilson_lower(x, n, level) * multiplier
        out[f"upper{suffix}"] = wilson_upper(x, n, level) * multiplier
    return pd.DataFrame(out, index=index)
