"""Plain-English wording of comparisons that only claims a difference the interval supports.

Chapters never write "higher" or "lower" by hand: a notebook passes an estimate and its 95%
confidence interval to :func:`describe_ratio` (ratio scale, 1 means no difference) or
:func:`describe_difference` (difference scale, 0 means no difference) and saves the
returned words as a key figure. A difference is claimed only when the whole interval lies
on one side of the null value; otherwise the words say the two are not clearly different
(which is not evidence of no difference: the interval may be wide).

Given a ``subject`` ("GP FTE per patient"), both return a whole clause that reads as
English in every case:

* a clear difference: "GP FTE per patient was higher in rural areas than in urban areas";
* no clear difference: "GP FTE per patient was not clearly different between rural areas
  and urban areas";
* not estimable: "GP FTE per patient could not be compared between rural areas and urban
  areas" (and the reason, when given).

Without a subject they return the predicate alone ("higher in rural areas than in urban
areas", "not clearly different between …", "not estimable"), which reads as English after
"was" or "is". Numbers follow :mod:`inequalities.report.numbers` (true minus signs, no
negative zero, the unit's decimals). An estimate with its interval is printed from its
ledger row by :func:`inequalities.report.ledger.interval_text`, the report's one format.
"""

from __future__ import annotations

import math

from inequalities.report import numbers

__all__ = ["describe_ratio", "describe_difference", "clause", "count", "by_sex"]


def _check(estimate: float, lower: float, upper: float) -> bool:
    """Return False when any bound is missing; raise when the interval is malformed."""
    values = (float(estimate), float(lower), float(upper))
    if any(math.isnan(v) for v in values):
        return False
    if not lower <= estimate <= upper:
        raise ValueError(f"interval ({lower}, {upper}) does not contain its estimate "
                         f"{estimate}; pass estimate, lower, upper in that order")
    return True


def clause(side: int | None, *, what: str, reference: str, subject: str | None = None,
           verb: str = "was", size: str = "", reason: str = "") -> str:
    """The words of a comparison of ``what`` with ``reference``.

    ``side`` is 1 (clearly higher), -1 (clearly lower), 0 (no clear difference) or None
    (not estimable, ``reason`` saying why). ``size`` ("2.1 years") precedes "higher" or
    "lower". With ``subject`` a whole clause ("{subject} {verb} …"), else the predicate.
    """
    why = f" ({reason})" if reason else ""
    if side is None:
        if subject is None:
            return "not estimable" + why
        return f"{subject} could not be compared between {what} and {reference}{why}"
    if side:
        amount = f"{size} " if size else ""
        predicate = f"{amount}{'higher' if side > 0 else 'lower'} in {what} than in {reference}"
    else:
        predicate = f"not clearly different between {what} and {reference}"
    return predicate if subject is None else f"{subject} {verb} {predicate}"


def describe_ratio(estimate: float, lower: float, upper: float, *, what: str,
                   reference: str, subject: str | None = None, verb: str = "was",
                   reason: str = "") -> str:
    """Describe a ratio (``what`` relative to ``reference``) with its 95% interval.

    Higher when ``lower > 1``, lower when ``upper < 1``, otherwise not clearly different;
    not estimable when any value is missing (see :func:`clause` for the words). Ratios
    must be positive.
    """
    if not _check(estimate, lower, upper):
        return clause(None, what=what, reference=reference, subject=subject, verb=verb,
                      reason=reason)
    if lower <= 0:
        raise ValueError(f"a ratio interval must be positive; got lower bound {lower}")
    side = 1 if lower > 1 else -1 if upper < 1 else 0
    return clause(side, what=what, reference=reference, subject=subject, verb=verb)


def describe_difference(estimate: float, lower: float, upper: float, *, what: str,
                        reference: str, unit: str, decimals: int | None = None,
                        subject: str | None = None, verb: str = "was",
                        reason: str = "") -> str:
    """Describe a difference (``what`` minus ``reference``) with its 95% interval.

    E.g. "2.1 years higher in rural areas than in urban areas" when ``lower > 0``, "…
    lower …" when ``upper < 0``, otherwise not clearly different; not estimable when any
    value is missing (see :func:`clause`). ``unit`` follows the magnitude ("" for none),
    printed with ``decimals`` decimals (default: the unit's, :data:`numbers.DECIMALS`).
    """
    if not _check(estimate, lower, upper):
        return clause(None, what=what, reference=reference, subject=subject, verb=verb,
                      reason=reason)
    side = 1 if lower > 0 else -1 if upper < 0 else 0
    places = numbers.decimals_for(unit) if decimals is None else decimals
    size = numbers.number(abs(estimate), places) + (f" {unit}" if unit else "")
    return clause(side, what=what, reference=reference, subject=subject, verb=verb,
                  size=size)


def count(n: int | float, one: str, many: str) -> str:
    """A count with its noun in English: "1 local authority", "12 local authorities",
    "no urban authorities" (never "the 1 authorities" or "0 authorities")."""
    n = int(n)
    if n == 0:
        return f"no {many}"
    return f"{n:,} {one if n == 1 else many}"


def by_sex(female: str, male: str) -> str:
    """Two figures for females and males after "was": "81.8 years (…) for females and
    77.9 years (…) for males"; figures that are not estimated for the same reason are said
    once ("not estimated for either sex (1 local authority, fewer than the 5 needed)")."""
    def reason(text: str) -> str | None:
        if not text.startswith("not estimated"):
            return None
        return text.removeprefix("not estimated").lstrip(": ").strip("() ")
    f, m = reason(female), reason(male)
    if f is not None and f == m:
        return "not estimated for either sex" + (f" ({f})" if f else "")
    words = [("not estimated for " + who + (f" ({r})" if r else "")) if r is not None
             else f"{text} for {who}"
             for text, r, who in ((female, f, "females"), (male, m, "males"))]
    return f"{words[0]} and {words[1]}"

