"""Period life expectancy from an abridged life table (Chiang II) with Silcocks' variance."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from ._confidence import check_nonnegative, first_bad_row, parse_confidence, z_value
from ._frames import column, group_codes, group_columns
from .standardisation import age_band_start

__all__ = ["life_expectancy", "AGE_BAND_STARTS"]

#: Start ages of the 20 abridged-life-table bands: 0, 1-4, 5-9, ..., 85-89, 90+.
AGE_BAND_STARTS = np.array([0, 1] + list(range(5, 95, 5)), dtype=float)

#: Groups with a total population at or below this get missing results (OHID rule).
MIN_TOTAL_POPULATION = 5000
#: Life expectancy is suppressed when 1.96 * SE exceeds this many years (CI wider than 20).
MAX_HALF_WIDTH = 10.0


def life_expectancy(
    frame: pd.DataFrame,
    *,
    deaths: Hashable,
    population: Hashable,
    age_band: Hashable,
    by: Hashable | Sequence[Hashable] | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> pd.DataFrame:
    """Life expectancy at the start of each age band, with confidence limits.

    Builds Chiang's abridged life table (method II) per group: mortality rate
    ``M = deaths / population``; fraction of the interval lived by those who die
    ``a = 0.1`` for age 0 and 0.5 otherwise; ``q = n M / (1 + n M (1 - a))`` (1 if that
    exceeds the bounds); survivors from a radix of 100,000; the open 90+ interval's
    person-years ``l / M``. The variance of life expectancy follows Silcocks, Jenner &
    Reza (2001) (Chiang's formula with the open interval's term ``4 / (D M^2)``), as used
    by OHID (``PHEindicatormethods::phe_life_expectancy``).

    Args:
        frame: one row per age band (per group of ``by``): 20 bands 0, 1-4, 5-9 ...
            85-89, 90+.
        deaths: column of deaths, zero or more.
        population: column of (mid-year) populations, zero or more.
        age_band: column of band start ages (0, 1, 5, ... 90) or labels ("0", "1-4",
            "5-9", "90+"); matched by the leading number.
        by: grouping column(s); one life table per group.
        confidence: level(s); see ``proportion``.

    Returns:
        DataFrame, one row per input row, sorted by group and age (input index kept):
        ``by`` columns, ``age_band``, ``value`` (years), ``se``, the limit columns, and
        ``pops_used``/``deaths_used`` (population and deaths from that band upwards).
        A group gets missing results (with a warning) when it has a missing value, a
        zero population, more deaths than population in a band, or a total population of
        5,000 or less; ``value`` alone is missing where 1.96 * SE > 10 years.

    Raises:
        ValueError: negative deaths or populations, or age bands that do not match the
            20 standard bands (unknown, repeated or missing bands), naming the row/group.

    """
    by_cols = group_columns(frame, by)
    d = column(frame, deaths, "deaths")
    p = column(frame, population, "population")
    check_nonnegative(d, f"deaths column {deaths!r}", frame.index)
    check_nonnegative(p, f"population column {population!r}", frame.index)
    if age_band not in frame.columns:
        raise ValueError(f"age_band={age_band!r} is not a column of the frame")
    starts = age_band_start(frame[age_band])
    unknown = ~np.isin(starts, AGE_BAND_STARTS)
    if unknown.any():
        raise ValueError(
            "age band does not match the standard life-table bands: "
            f"{first_bad_row(unknown, frame.index)} "
            f"has {frame[age_band].iloc[np.flatnonzero(unknown)[0]]!r}; expected bands starting at "
            f"{AGE_BAND_STARTS.astype(int).tolist()}"
        )
    codes, keys = group_codes(frame, by_cols)
    n_g, n_b = len(keys), AGE_BAND_STARTS.size
    band = np.searchsorted(AGE_BAND_STARTS, starts)
    flat = codes * n_b + band
    counts = np.bincount(flat, minlength=n_g * n_b).reshape(n_g, n_b)
    bad_group = np.flatnonzero((counts != 1).any(axis=1))
    if bad_group.size:
        g = int(bad_group[0])
        where = ", ".join(f"{c}={keys.iloc[g][c]!r}" for c in keys.columns) or "the frame"
        missing = AGE_BAND_STARTS[counts[g] == 0].astype(int).tolist()
        repeated = AGE_BAND_STARTS[counts[g] > 1].astype(int).tolist()
        raise ValueError(
            f"age bands do not match the 20 standard life-table bands in {where}: "
            f"missing {missing}, repeated {repeated}; give one row for each of 0, 1-4, 5-9 ... 90+"
        )
    D = np.empty((n_g, n_b))
    P = np.empty((n_g, n_b))
    D[codes, band] = d
    P[codes, band] = p

    # groups OHID does not publish
    with np.errstate(invalid="ignore"):
        reasons = {
            "missing deaths or population": np.isnan(D).any(axis=1) | np.isnan(P).any(axis=1),
            "a zero population": (P == 0).any(axis=1),
            "more deaths than population in an age band": (D > P).any(axis=1),
            f"a total population of {MIN_TOTAL_POPULATION} or less": P.sum(axis=1)
            <= MIN_TOTAL_POPULATION,
        }
    drop = np.zeros(n_g, dtype=bool)
    for reason, mask in reasons.items():
        if mask.any():
            warnings.warn(
                f"life_expectancy: {int(mask.sum())} group(s) with {reason}; "
                "their results are missing",
                UserWarning,
                stacklevel=2,
            )
        drop |= mask

    with np.errstate(invalid="ignore", divide="ignore"):
        M = D / P
        width = np.empty_like(M)
        width[:, :-1] = np.diff(AGE_BAND_STARTS)
        width[:, -1] = 2 / M[:, -1]
        a = np.where(AGE_BAND_STARTS == 0, 0.1, 0.5)[None, :]
        q = np.where(D <= P / width / a, M * width / (1 + M * width * (1 - a)), 1.0)
        survive = 1 - q
        surv = 1e5 * np.cumprod(
            np.concatenate([np.ones((n_g, 1)), survive[:, :-1]], axis=1), axis=1
        )
        l_next = np.concatenate([surv[:, 1:], np.zeros((n_g, 1))], axis=1)
        dying = surv - l_next
        L = width * (l_next + a * dying)
        L[:, -1] = surv[:, -1] / M[:, -1]
        T = np.cumsum(L[:, ::-1], axis=1)[:, ::-1]
        e = np.where(surv == 0, 0.0, T / surv)
        sp = np.where(dying == 0, 0.0, q**2 * (1 - q) / D)
        sp[:, -1] = 4 / (D[:, -1] * M[:, -1] ** 2)
        e_next = np.concatenate([e[:, 1:], np.zeros((n_g, 1))], axis=1)
        w = sp * surv**2 * ((1 - a) * width + e_next) ** 2
        w[:, -1] = (surv[:, -1] / 2) ** 2 * sp[:, -1]
        ST = np.cumsum(w[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(ST / surv**2)
    e[drop] = np.nan
    se[drop] = np.nan
    value = np.where(np.isinf(e) | (z_value(0.95) * se > MAX_HALF_WIDTH), np.nan, e)

    order = np.lexsort((band, codes))
    out = pd.DataFrame(index=frame.index[order])
    for c in by_cols:
        out[c] = frame[c].to_numpy()[order]
    out["age_band"] = frame[age_band].to_numpy()[order]
    gi, bi = codes[order], band[order]
    out["value"] = value[gi, bi]
    out["se"] = se[gi, bi]
    for level, suffix in parse_confidence(confidence):
        z = z_value(level)
        out[f"lower{suffix}"] = (e - z * se)[gi, bi]
        out[f"upper{suffix}"] = (e + z * se)[gi, bi]
    out["pops_used"] = np.cumsum(P[:, ::-1], axis=1)[:, ::-1][gi, bi]
    out["deaths_used"] = np.cumsum(D[:, ::-1], axis=1)[:, ::-1][gi, bi]
    return out
