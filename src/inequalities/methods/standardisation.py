"""Directly and indirectly standardised rates and ratios.

- ``dsr``: directly standardised rate with Dobson et al. (1991) limits, by default on the
  European Standard Population 2013 (ESP2013, 19 five-year bands 0-4 ... 90+, Eurostat
  2013), which ships with the package as ``esp2013.csv``.
- ``isr`` / ``isratio``: indirectly standardised rate and ratio (observed / expected),
  with Byar's limits on the observed count (exact Poisson limits below 10).

Method references: PHE technical guide "Confidence intervals" and "Directly standardised
rates"; ``PHEindicatormethods::calculate_dsr``, ``calculate_ISRate``, ``calculate_ISRatio``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ._confidence import (
    byars_lower,
    byars_upper,
    check_nonnegative,
    first_bad_row,
    parse_confidence,
    poisson_count_limits,
)
from ._frames import column, group_codes, group_columns

__all__ = ["dsr", "isr", "isratio", "esp2013", "age_band_start"]

#: DSRs on fewer events than this are not published (value and limits missing).
DSR_MIN_COUNT = 10


@cache
def _esp2013() -> pd.DataFrame:
    with resources.files(__package__).joinpath("esp2013.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def esp2013() -> pd.DataFrame:
    """Return the European Standard Population 2013 (Eurostat 2013).

    Columns ``age_band``, ``start_age``, ``population``: 19 rows, 0-4 ... 90+, total 100,000.
    """
    return _esp2013().copy()


def age_band_start(labels) -> np.ndarray:
    """Return the start age of age-band labels (``"0-4"``, ``"05-09"``, ``"90+"``, 1 ...).

    Missing where no leading number is found.
    """
    out = []
    for label in pd.Series(labels).tolist():
        if isinstance(label, (int, float, np.integer, np.floating)) and not pd.isna(label):
            out.append(float(label))
            continue
        match = re.match(r"\D*(\d+)", str(label)) if not pd.isna(label) else None
        out.append(float(match.group(1)) if match else np.nan)
    return np.asarray(out, dtype=float)


def _describe_group(keys: pd.DataFrame, code: int) -> str:
    if keys.shape[1] == 0:
        return "the frame"
    return "group " + ", ".join(f"{c}={keys.iloc[code][c]!r}" for c in keys.columns)


def _position_in_group(codes: np.ndarray) -> np.ndarray:
    return pd.Series(codes).groupby(codes).cumcount().to_numpy()


def _per_row(
    frame: pd.DataFrame,
    codes: np.ndarray,
    keys: pd.DataFrame,
    spec,
    role: str,
    *,
    age_band: Hashable | None,
    labelled: pd.Series | None = None,
    repeats: bool = False,
) -> np.ndarray:
    """Broadcast a per-age-band quantity to the rows of ``frame``.

    ``spec`` may be a column name, a sequence matched by position within each group,
    or (``labelled``) a Series indexed by start age matched through ``age_band``.
    """
    if isinstance(spec, str) and spec in frame.columns:
        return column(frame, spec, role)
    if isinstance(spec, pd.Series) and labelled is None:
        labelled = pd.Series(spec.to_numpy(dtype=float), index=age_band_start(spec.index))
        spec = None
    if labelled is not None and age_band is not None:
        starts = age_band_start(frame[age_band] if age_band in frame.columns else [])
        if age_band not in frame.columns:
            raise ValueError(f"age_band={age_band!r} is not a column of the frame")
        values = labelled.reindex(starts).to_numpy()
        unknown = np.isnan(values) & ~np.isnan(starts)
        unknown |= np.isnan(starts)
        if unknown.any():
            raise ValueError(
                f"age band does not match the standard ({role}): "
                f"{first_bad_row(unknown, frame.index)} "
                f"has {frame[age_band].iloc[np.flatnonzero(unknown)[0]]!r}; "
                "expected bands starting at "
                f"{[int(s) for s in labelled.index]}"
            )
        want = set(labelled.index)
        pairs = pd.DataFrame({"g": codes, "s": starts})
        for code, sub in pairs.groupby("g"):
            got = sub["s"]
            if set(got) != want or (not repeats and got.duplicated().any()):
                raise ValueError(
                    f"age bands do not match the standard ({role}) in "
                    f"{_describe_group(keys, code)}: "
                    f"found starts {sorted(int(s) for s in set(got))} "
                    f"{'with repeats ' if got.duplicated().any() else ''}"
                    f"but the standard has {sorted(int(s) for s in want)}"
                )
        return values
    vector = (
        labelled.to_numpy()
        if labelled is not None and spec is None
        else np.asarray(spec, dtype=float)
    )
    if repeats:
        raise ValueError(f"{role}: pass age_band= when rows repeat an age band (event_frequency)")
    sizes = np.bincount(codes, minlength=len(keys))
    bad = np.flatnonzero(sizes != vector.size)
    if bad.size:
        raise ValueError(
            f"age bands do not match the standard ({role}): "
            f"{_describe_group(keys, int(bad[0]))} has {sizes[bad[0]]} rows but the standard "
            f"has {vector.size} age bands; give one row per band "
            "in the standard's order, or pass age_band= to match by label"
        )
    return vector[_position_in_group(codes)]


def _sum(codes: np.ndarray, weights: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(codes, weights=weights, minlength=n_groups)


def dsr(
    frame: pd.DataFrame,
    *,
    count: Hashable,
    population: Hashable,
    by: Hashable | Sequence[Hashable] | None = None,
    standard=None,
    age_band: Hashable | None = None,
    event_frequency: Hashable | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Directly standardised rate with Dobson confidence limits.

    ``value = sum(count_i * std_i / pop_i) / sum(std_i) * multiplier`` over the age bands
    of each group; ``var = sum(count_i * (std_i / pop_i)^2) / sum(std_i)^2``; limits
    ``value + sqrt(var / O) * (L(O) - O) * multiplier`` where O is the total count and
    L is Byar's limit (Dobson et al. 1991). Groups with fewer than 10 events get missing
    value and limits, as OHID publishes them.

    Args:
        frame: one row per age band (per group of ``by``).
        count: column of event counts (>= 0); a missing count counts as zero.
        population: column of populations (> 0); a missing population gives a missing
            result for its group.
        by: grouping column(s); one output row per group.
        standard: ``None`` for ESP2013 (shipped; 19 bands 0-4 ... 90+), a column name of
            ``frame`` holding the standard population per row, a sequence of weights
            matched by position within each group, or a Series indexed by age-band label
            (matched through ``age_band``).
        age_band: optional column of age-band labels ("0-4", "05-09", "90+" ...) used to
            match rows to the standard by start age instead of by position.
        event_frequency: optional column for non-independent events (e.g. admissions
            where a person can have several): ``count`` is then the number of persons with
            that many events, rows repeat the age bands once per frequency, and the
            variance is ``sum_f f^2 var_f`` (PHEindicatormethods 2.1 ``independent_events
            = FALSE``). Requires ``age_band``.
        confidence: level(s), see ``proportion``.
        multiplier: rate per this many (default 100,000).

    Returns:
        DataFrame: ``by`` columns, ``total_count``, ``total_pop``, ``value``, limits.

    Raises:
        ValueError: negative count, population not > 0, negative standard population,
            age bands that do not match the standard, or (non-independent events)
            population or standard differing between rows of the same group and band.

    """
    by_cols = group_columns(frame, by)
    x = column(frame, count, "count")
    n = column(frame, population, "population")
    check_nonnegative(x, f"count column {count!r}", frame.index)
    check_nonnegative(n, f"population column {population!r}", frame.index, strict=True)
    codes, keys = group_codes(frame, by_cols)
    g = len(keys)
    labelled = None
    if standard is None:
        esp = _esp2013()
        labelled = pd.Series(
            esp["population"].to_numpy(float), index=esp["start_age"].to_numpy(float)
        )
    repeats = event_frequency is not None
    if repeats and age_band is None:
        raise ValueError("event_frequency needs age_band= to know which rows share an age band")
    std = _per_row(
        frame,
        codes,
        keys,
        standard,
        "standard",
        age_band=age_band,
        labelled=labelled,
        repeats=repeats,
    )
    check_nonnegative(std, "standard population", frame.index)
    x0 = np.nan_to_num(x, nan=0.0)
    if repeats:
        f = column(frame, event_frequency, "event_frequency")
        if np.isnan(f).any():
            raise ValueError(
                f"event_frequency has missing values: {first_bad_row(np.isnan(f), frame.index)}"
            )
        starts = age_band_start(frame[age_band])
        band = pd.DataFrame({"g": codes, "s": starts, "n": n, "std": std})
        spread = band.groupby(["g", "s"])[["n", "std"]].nunique(dropna=False)
        if (spread > 1).any(axis=None):
            gs = spread[(spread > 1).any(axis=1)].index[0]
            raise ValueError(
                f"{_describe_group(keys, int(gs[0]))}, age band starting {int(gs[1])}: "
                "rows give different "
                "populations or standard populations; each age band needs one population"
            )
        first = ~band.duplicated(["g", "s"]).to_numpy()
        events = f * x0
        ratio2 = (std / n) ** 2
        total_std = _sum(codes, np.where(first, std, 0.0), g)
        total_pop = _sum(codes, np.where(first, n, 0.0), g)
        var = _sum(codes, f**2 * x0 * ratio2, g) / total_std**2
    else:
        events = x0
        total_std = _sum(codes, std, g)
        total_pop = _sum(codes, n, g)
        var = _sum(codes, x0 * (std / n) ** 2, g) / total_std**2
    total_count = _sum(codes, events, g)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = _sum(codes, events * std / n, g) / total_std * multiplier
    publish = total_count >= DSR_MIN_COUNT
    out = keys.reset_index(drop=True).copy()
    out["total_count"] = total_count
    out["total_pop"] = total_pop
    out["value"] = np.where(publish, value, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(var / total_count) * multiplier
        for level, suffix in parse_confidence(confidence):
            lower = value + scale * (byars_lower(total_count, level) - total_count)
            upper = value + scale * (byars_upper(total_count, level) - total_count)
            out[f"lower{suffix}"] = np.where(publish, lower, np.nan)
            out[f"upper{suffix}"] = np.where(publish, upper, np.nan)
    return out


def _indirect(
    frame,
    count,
    population,
    ref_count,
    ref_population,
    by,
    age_band,
    confidence,
    multiplier,
    as_rate,
) -> pd.DataFrame:
    by_cols = group_columns(frame, by)
    x = column(frame, count, "count")
    n = column(frame, population, "population")
    check_nonnegative(x, f"count column {count!r}", frame.index)
    check_nonnegative(n, f"population column {population!r}", frame.index)
    codes, keys = group_codes(frame, by_cols)
    g = len(keys)
    rx = _per_row(frame, codes, keys, ref_count, "ref_count", age_band=age_band)
    rn = _per_row(frame, codes, keys, ref_population, "ref_population", age_band=age_band)
    check_nonnegative(rx, "ref_count", frame.index)
    check_nonnegative(rn, "ref_population", frame.index, strict=True)
    rx0 = np.nan_to_num(rx, nan=0.0)
    observed = _sum(codes, np.nan_to_num(x, nan=0.0), g)
    expected = _sum(codes, np.nan_to_num(n, nan=0.0) * rx0 / rn, g)
    out = keys.reset_index(drop=True).copy()
    out["observed"] = observed
    out["expected"] = expected
    if as_rate:
        ref_rate = _sum(codes, rx0, g) / _sum(codes, np.nan_to_num(rn, nan=0.0), g) * multiplier
        out["ref_rate"] = ref_rate
        scale = ref_rate
    else:
        scale = np.full(g, float(multiplier))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["value"] = observed / expected * scale
        for level, suffix in parse_confidence(confidence):
            lower, upper = poisson_count_limits(observed, level)
            out[f"lower{suffix}"] = lower / expected * scale
            out[f"upper{suffix}"] = upper / expected * scale
    return out


def isr(
    frame: pd.DataFrame,
    *,
    count: Hashable,
    population: Hashable,
    ref_count,
    ref_population,
    by: Hashable | Sequence[Hashable] | None = None,
    age_band: Hashable | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Indirectly standardised rate.

    ``expected = sum(pop_i * ref_count_i / ref_population_i)``; ``ref_rate = sum(ref_count)
    / sum(ref_population) * multiplier``; ``value = observed / expected * ref_rate``, with
    Byar's limits on the observed count (exact Poisson below 10) scaled the same way.

    ``ref_count`` and ``ref_population`` are column names of ``frame`` or sequences with
    one value per age band, matched by position within each group (a missing reference
    count counts as zero). A zero population is allowed (it adds nothing to expected).

    Returns:
        DataFrame: ``by`` columns, ``observed``, ``expected``, ``ref_rate``, ``value``, limits.

    """
    return _indirect(
        frame,
        count,
        population,
        ref_count,
        ref_population,
        by,
        age_band,
        confidence,
        multiplier,
        True,
    )


def isratio(
    frame: pd.DataFrame,
    *,
    count: Hashable,
    population: Hashable,
    ref_count,
    ref_population,
    by: Hashable | Sequence[Hashable] | None = None,
    age_band: Hashable | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Indirectly standardised ratio ``observed / expected * multiplier``.

    ``multiplier=100`` gives an SMR on the 100 scale. Byar's or exact limits; arguments
    as for :func:`isr`.

    Returns:
        DataFrame: ``by`` columns, ``observed``, ``expected``, ``value``, limits.

    """
    return _indirect(
        frame,
        count,
        population,
        ref_count,
        ref_population,
        by,
        age_band,
        confidence,
        multiplier,
        False,
    )
