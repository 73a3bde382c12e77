"""Plain-English wording of comparisons that only claims a difference the interval supports.

Chapters never write "higher" or "lower" by hand: a notebook passes an estimate and its 95%
confidence interval to :func:`describe_ratio` (ratio scale, 1 means no difference) or
:func:`describe_difference` (difference scale, 0 means no difference) and saves the
returned phrase as a key figure. A difference is claimed only when the whole interval lies
on one side of the null value; otherwise the phrase says there is no clear difference
(which is not evidence of no difference: the interval may be wide).
"""

from __future__ import annotations

import math

__all__ = ["describe_ratio", "describe_difference", "format_interval"]


def _check(estimate: float, lower: float, upper: float) -> bool:
    """Return False when any bound is missing; raise when the interval is malformed."""
    values = (float(estimate), float(lower), float(upper))
    if any(math.isnan(v) for v in values):
        return False
    if not lower <= estimate <= upper:
        raise ValueError(f"interval ({lower}, {upper}) does not contain its estimate "
                         f"{estimate}; pass estimate, lower, upper in that order")
    return True


def _phrase(side: int, what: str, reference: str) -> str:
    if side > 0:
        return f"higher in {what} than in {reference}"
    if side < 0:
        return f"lower in {what} than in {reference}"
    return f"no clear difference between {what} and {reference}"


def describe_ratio(estimate: float, lower: float, upper: float, *, what: str,
                   reference: str) -> str:
    """Describe a ratio (``what`` relative to ``reference``) with its 95% interval.

    Returns "higher in {what} than in {reference}" when ``lower > 1``, "lower in …" when
    ``upper < 1``, otherwise "no clear difference between {what} and {reference}"; and
    "not estimable" when any value is missing. Ratios must be positive.
    """
    if not _check(estimate, lower, upper):
        return "not estimable"
    if lower <= 0:
        raise ValueError(f"a ratio interval must be positive; got lower bound {lower}")
    side = 1 if lower > 1 else -1 if upper < 1 else 0
    return _phrase(side, what, reference)


def describe_difference(estimate: float, lower: float, upper: float, *, what: str,
                        reference: str, unit: str, decimals: int = 1) -> str:
    """Describe a difference (``what`` minus ``reference``) with its 95% interval.

    Returns e.g. "2.1 years higher in rural areas than in urban areas" when ``lower > 0``,
    "… lower …" when ``upper < 0``, otherwise "no clear difference between {what} and
    {reference}"; "not estimable" when any value is missing. ``unit`` follows the magnitude
    (give "" for none); the magnitude is printed with ``decimals`` decimals.
    """
    if not _check(estimate, lower, upper):
        return "not estimable"
    side = 1 if lower > 0 else -1 if upper < 0 else 0
    phrase = _phrase(side, what, reference)
    if side == 0:
        return phrase
    size = f"{abs(estimate):,.{decimals}f}" + (f" {unit}" if unit else "")
    return f"{size} {phrase}"


def format_interval(estimate: float, lower: float, upper: float, decimals: int = 1) -> str:
    """Format an estimate and its 95% interval: ``"1.2 (95% CI 1.1 to 1.4)"``.

    Missing values give "not available".
    """
    values = (float(estimate), float(lower), float(upper))
    if any(math.isnan(v) for v in values):
        return "not available"
    e, lo, hi = (f"{v:,.{decimals}f}" for v in values)
    return f"{e} (95% CI {lo} to {hi})"
