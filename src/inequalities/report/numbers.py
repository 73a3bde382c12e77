"""How the report prints a number: one typography for text, tables and charts.

* true minus signs (U+2212), never a hyphen-minus, and never a negative zero: a value that
  rounds to zero prints as ``0.0`` whatever its sign;
* thousands separators in large numbers (``12,345``);
* one number of decimals per unit across the report (:data:`DECIMALS`), so that like
  quantities always look alike;
* p-values as ``p < 0.001`` or ``p = 0.03`` (two decimals from 0.01 up, three below),
  never in scientific notation.

The Office for Statistics Regulation's and the Government Statistical Service's guidance on
presenting numbers asks for the same: consistent decimals, a true minus sign in published
tables and no spurious precision.
"""

from __future__ import annotations

import math
import re

MINUS = "\u2212"

#: Decimals printed for each unit (the ledger's ``unit`` column). Units not listed use 1.
DECIMALS: dict[str, int] = {
    "years": 1,
    "years of change": 2,
    "%": 1,
    "percentage points": 1,
    "per 10,000 patients": 2,
    "per 100,000": 1,
    "per 1,000": 1,
    "km": 2,
    "ratio": 2,
    "index": 2,
    "score": 2,
    "rate ratio": 2,
    "people": 0,
    "areas": 0,
    "count": 0,
}


def decimals_for(unit: str) -> int:
    """The decimals the report prints for ``unit`` (1 when the unit is not registered)."""
    return DECIMALS.get(unit, 1)


def number(value: float | int | None, decimals: int = 1, *, signed: bool = False) -> str:
    """Format ``value`` with ``decimals`` decimals, a true minus and thousands separators.

    ``signed=True`` prints a plus sign before positive values (for differences). Missing
    values (None, NaN) print as an en dash. A value that rounds to zero prints without a
    sign: ``number(-0.04)`` is ``"0.0"``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    value = float(value)
    if math.isinf(value):
        raise ValueError(f"cannot print an infinite value ({value}); check the computation "
                         "that produced it")
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text
    if value < 0:
        return MINUS + text
    return ("+" + text) if signed else text


def p_value(p: float) -> str:
    """Format a p-value: ``"p < 0.001"``, ``"p = 0.004"``, ``"p = 0.03"``, ``"p = 0.50"``.

    From 0.01 up two decimals (``p = 0.05`` rather than ``0.0500``), from 0.001 to 0.01
    three; below 0.001 the bound.
    """
    p = float(p)
    if math.isnan(p):
        return "p not available"
    if not 0 <= p <= 1:
        raise ValueError(f"a p-value must lie between 0 and 1; got {p}")
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


_SIGNED_NUMBER = re.compile(r"^([+-]?)([0-9][0-9,]*(?:\.[0-9]+)?)(.*)$", re.S)


def typeset(text: str) -> str:
    """A number already formatted as text (``"-1.20"``, ``"-0.00"``), typeset as
    :func:`number` would: a true minus sign and no negative zero. Other text is unchanged.
    """
    match = _SIGNED_NUMBER.match(text)
    if not match:
        return text
    sign, digits, rest = match.groups()
    if sign == "-":
        zero = float(digits.replace(",", "")) == 0
        return (digits if zero else MINUS + digits) + rest
    return text


def plain(text: str) -> str:
    """``text`` with true minus signs replaced by hyphen-minus (for parsing or CSV readers)."""
    return text.replace(MINUS, "-")
