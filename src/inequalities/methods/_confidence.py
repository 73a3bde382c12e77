"""Confidence levels and the closed-form interval formulas shared by the methods.

Formulas follow the Public Health England technical guide "Confidence intervals"
(PHE/OHID, Fingertips) and the R package PHEindicatormethods:

- Wilson score interval for a proportion (Wilson 1927; Newcombe 1998).
- Byar's approximation to the exact Poisson interval for a count (Breslow & Day 1987).
- Exact Poisson interval for a count from chi-squared quantiles (Ulm 1990).

All functions take numpy arrays and work element-wise; a missing input gives a missing
output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

__all__ = [
    "ConfidenceLevels",
    "parse_confidence",
    "z_value",
    "wilson_lower",
    "wilson_upper",
    "byars_lower",
    "byars_upper",
    "exact_lower",
    "exact_upper",
    "poisson_count_limits",
    "check_nonnegative",
    "first_bad_row",
]


@dataclass(frozen=True)
class ConfidenceLevels:
    """Parsed ``confidence`` argument.

    ``levels`` are fractions in (0, 1]. ``suffixes`` are the column suffixes: ``[""]``
    for a single level given as a scalar (plain ``lower``/``upper``), otherwise one per
    level such as ``"_95"`` or ``"_99_8"``.
    """

    levels: tuple[float, ...]
    suffixes: tuple[str, ...]

    def __iter__(self):
        return iter(zip(self.levels, self.suffixes, strict=True))


def _level_suffix(level: float) -> str:
    text = f"{level * 100:.4f}".rstrip("0").rstrip(".")
    return "_" + text.replace(".", "_")


def parse_confidence(confidence: float | Sequence[float]) -> ConfidenceLevels:
    """Parse a confidence level given as a fraction (0.95) or a percentage (95).

    A scalar gives plain ``lower``/``upper`` columns; a sequence (even of length one)
    gives one suffixed pair per level, e.g. ``lower_95``, ``upper_99_8``.

    Raises:
        ValueError: if a level is not in (0, 1] after scaling percentages (> 1) by 1/100.

    """
    is_scalar = np.ndim(confidence) == 0
    raw = [confidence] if is_scalar else list(confidence)  # type: ignore[arg-type]
    if not raw:
        raise ValueError("confidence: give at least one level, e.g. 0.95 or [0.95, 0.998]")
    levels = []
    for item in raw:
        try:
            level = float(item)
        except (TypeError, ValueError):
            raise ValueError(f"confidence: {item!r} is not a number; use e.g. 0.95 or 95") from None
        if level > 1:
            level = level / 100
        if not (0 < level <= 1) or np.isnan(level):
            raise ValueError(
                f"confidence: {item!r} is outside (0, 1] (or (1, 100] as a percentage)"
            )
        levels.append(level)
    suffixes = [""] if is_scalar else [_level_suffix(level) for level in levels]
    if len(set(suffixes)) != len(suffixes):
        raise ValueError(f"confidence: repeated level in {raw!r}")
    return ConfidenceLevels(tuple(levels), tuple(suffixes))


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (1.959964 for 0.95)."""
    return float(stats.norm.ppf(level + (1 - level) / 2))


def wilson_lower(x: np.ndarray, n: np.ndarray, level: float) -> np.ndarray:
    """Lower Wilson score limit of the proportion x/n (as a fraction)."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    if level >= 1:
        return np.where(np.isnan(x) | np.isnan(n), np.nan, 0.0)
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (2 * x + z**2 - z * np.sqrt(z**2 + 4 * x * (1 - x / n))) / 2 / (n + z**2)


def wilson_upper(x: np.ndarray, n: np.ndarray, level: float) -> np.ndarray:
    """Upper Wilson score limit of the proportion x/n (as a fraction)."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    if level >= 1:
        return np.where(np.isnan(x) | np.isnan(n), np.nan, 1.0)
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (2 * x + z**2 + z * np.sqrt(z**2 + 4 * x * (1 - x / n))) / 2 / (n + z**2)


def byars_lower(x: np.ndarray, level: float) -> np.ndarray:
    """Byar's lower limit for a Poisson count x; missing where the formula goes negative."""
    x = np.asarray(x, dtype=float)
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(out < 0, np.nan, out)


def byars_upper(x: np.ndarray, level: float) -> np.ndarray:
    """Byar's upper limit for a Poisson count x."""
    x1 = np.asarray(x, dtype=float) + 1
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        return x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3


def exact_lower(x: np.ndarray, level: float) -> np.ndarray:
    """Exact Poisson lower limit: half the chi-squared quantile on 2x degrees of freedom."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore"):
        out = special.gammaincinv(x, (1 - level) / 2) if level < 1 else np.zeros_like(x)
    # chi2.ppf(p, 2x)/2 == gammaincinv(x, p); x == 0 gives 0.
    return np.where(x == 0, 0.0, out)


def exact_upper(x: np.ndarray, level: float) -> np.ndarray:
    """Exact Poisson upper limit: half the chi-squared quantile on 2x+2 degrees of freedom."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore"):
        return special.gammaincinv(x + 1, level + (1 - level) / 2)


def poisson_count_limits(
    x: np.ndarray, level: float, exact_below: float = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Limits for a Poisson count: exact when x < ``exact_below``, Byar's otherwise."""
    x = np.asarray(x, dtype=float)
    lower = byars_lower(x, level)
    upper = byars_upper(x, level)
    small = np.flatnonzero(x < exact_below)  # exact limits only where needed (costly)
    if small.size:
        lower[small] = exact_lower(x[small], level)
        upper[small] = exact_upper(x[small], level)
    return lower, upper


def first_bad_row(mask: np.ndarray, index: Iterable | None = None) -> str:
    """Describe the first row where ``mask`` is true, for error messages."""
    positions = np.flatnonzero(np.asarray(mask))
    pos = int(positions[0])
    label = pos
    if index is not None:
        label = list(index)[pos] if not isinstance(index, pd.Index) else index[pos]
    more = f" (and {positions.size - 1} more)" if positions.size > 1 else ""
    return f"row {label!r}{more}"


def check_nonnegative(values: np.ndarray, name: str, index=None, strict: bool = False) -> None:
    """Raise ValueError naming the first row where ``values`` is negative (or <= 0)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = values <= 0 if strict else values < 0
    if bad.any():
        rule = "greater than zero" if strict else "zero or more"
        where = first_bad_row(bad, index)
        value = values[np.flatnonzero(bad)[0]]
        raise ValueError(f"{name} must be {rule}: {where} has {value!r}. Fix or drop that row.")
