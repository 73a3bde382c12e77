"""Slope and relative index of inequality (SII, RII) and quantile assignment.

SII follows OHID's method (PHE "Technical guide: slope index of inequality"; the
``PHEindicatormethods::phe_sii`` function): each quantile's value is regressed on the
mid-point of its cumulative population share by least squares weighted by population
share; the slope is the SII and (intercept + slope) / intercept the RII. Confidence limits
come from a Monte Carlo simulation: each quantile's value is drawn from a normal
distribution with its standard error, the regression refitted, and the limits read off
the sorted simulated slopes at positions ``round(R * (1 - c) / 2)`` and
``round(R * (1 + c) / 2)`` (R = repetitions, c = confidence).

The simulation is vectorised across groups and processed in memory-bounded chunks of
groups. Where the regression is linear in the simulated quantities (``value_type=0``, or
``transform=True``) the simulated (intercept, slope) pairs are drawn directly from their
exact bivariate normal distribution, which is the same distribution the per-quantile
simulation produces, at 2 instead of Q normal draws per repetition.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy import special

from ._confidence import check_nonnegative, first_bad_row, parse_confidence, z_value
from ._frames import column, group_codes, group_columns

__all__ = ["sii", "assign_quantiles", "quantile_name"]

#: Names OHID gives to numbers of quantiles (PHEindicatormethods' ``qnames``).
QUANTILE_NAMES = {
    2: "Half",
    3: "Tertile",
    4: "Quartile",
    5: "Quintile",
    6: "Sextile",
    7: "Septile",
    8: "Octile",
    10: "Decile",
    12: "Duo-decile",
    16: "Hexadecile",
    20: "Ventile",
}


def quantile_name(n: int) -> str:
    """Name of an n-quantile ("Decile" for 10); ``f"{n}-quantile"`` where there is none."""
    return QUANTILE_NAMES.get(int(n), f"{int(n)}-quantile")


#: Bytes of simulated values held at once (per buffer, per worker) for a chunk of groups.
_CHUNK_BYTES = 32 * 2**20
#: Simulations run in single precision: its rounding error (~1e-7 relative) is far below
#: the Monte Carlo error of the limits (~1e-3 relative at 100,000 repetitions), and it
#: halves memory traffic.
_SIM_DTYPE = np.float32
#: Worker threads for the simulation (numpy releases the GIL in its kernels).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


def _chunk_generators(seed, n: int) -> list[np.random.Generator]:
    """One independent generator per chunk, so results do not depend on thread timing."""
    if isinstance(seed, np.random.Generator):
        return seed.spawn(n)
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(n)]


def _simulate(coef, W, V, S, seed, reps, kth, *, linear, value_type, multiplier, want_rii):
    """Order statistics ``kth`` of the simulated slopes (times ``multiplier``) and RIIs.

    ``linear``: the fitted scale is the simulated scale, so (intercept, slope) is exactly
    bivariate normal with covariance ``W diag(se^2) W'``; draw it directly (Cholesky).
    Otherwise draw every quantile's value, back-transform, and refit (``W @ y``).
    Groups are processed in chunks, each with its own random generator, by a few worker
    threads that reuse their buffers (memory stays bounded).
    """
    n_v, n_q = V.shape
    slope_q = np.full((n_v, len(kth)), np.nan)
    rii_q = np.full((n_v, len(kth)), np.nan)
    if n_v == 0:
        return slope_q, rii_q
    dt = _SIM_DTYPE
    per_group = reps * np.dtype(dt).itemsize * (1 if linear else n_q)
    chunk = int(min(n_v, max(1, _CHUNK_BYTES // per_group)))
    starts = list(range(0, n_v, chunk))
    rngs = _chunk_generators(seed, len(starts))
    if linear:
        var = S**2
        c00 = np.einsum("gq,gq->g", W[:, 0] ** 2, var)
        c01 = np.einsum("gq,gq->g", W[:, 0] * W[:, 1], var)
        c11 = np.einsum("gq,gq->g", W[:, 1] ** 2, var)
        l00 = np.sqrt(c00)
        l10 = np.divide(c01, l00, out=np.zeros_like(c01), where=l00 > 0)
        l11 = np.sqrt(np.maximum(c11 - l10**2, 0))
        sd_slope = np.sqrt(c11)
    else:
        W32, V32, S32 = W.astype(dt), V.astype(dt), S.astype(dt)
    local = threading.local()

    def buffers():
        if not hasattr(local, "bufs"):
            if linear:
                local.bufs = tuple(np.empty((chunk, reps), dt) for _ in range(3))
            else:
                local.bufs = (
                    np.empty((chunk, n_q, reps), dt),
                    np.empty((chunk, 2, reps), dt),
                    np.empty((chunk, reps), dt),
                )
        return local.bufs

    def run(task: int) -> None:
        start = starts[task]
        stop = min(start + chunk, n_v)
        m, sl, rng = stop - start, slice(start, stop), rngs[task]
        if linear:
            z0, z1, tmp = (b[:m] for b in buffers())
            rng.standard_normal(out=z0, dtype=dt)
            if want_rii:
                rng.standard_normal(out=z1, dtype=dt)
                # slope = b + l10 z0 + l11 z1 ; intercept = a + l00 z0
                z1 *= l11[sl, None].astype(dt)
                np.multiply(z0, l10[sl, None].astype(dt), out=tmp)
                z1 += tmp
                z1 += coef[sl, 1, None].astype(dt)
                z0 *= l00[sl, None].astype(dt)
                z0 += coef[sl, 0, None].astype(dt)
                ints, slopes = z0, z1
            else:
                # the slope alone is normal with variance c11: one draw per repetition
                z0 *= sd_slope[sl, None].astype(dt)
                z0 += coef[sl, 1, None].astype(dt)
                ints, slopes = None, z0
        else:
            y, params, tmp = buffers()
            y, params, tmp = y[:m], params[:m], tmp[:m]
            rng.standard_normal(out=y, dtype=dt)
            y *= S32[sl, :, None]
            y += V32[sl, :, None]
            if value_type == 1:
                np.exp(y, out=y)
            else:
                special.expit(y, out=y)
            np.matmul(W32[sl], y, out=params)
            ints, slopes = params[:, 0], params[:, 1]
        if want_rii:
            with np.errstate(divide="ignore", invalid="ignore"):
                np.add(ints, slopes, out=tmp)
                tmp /= ints
                if multiplier < 0:
                    np.reciprocal(tmp, out=tmp)
            tmp.partition(kth, axis=1)
            rii_q[sl] = tmp[:, kth]
        if multiplier != 1:
            slopes *= dt(multiplier)
        slopes.partition(kth, axis=1)
        slope_q[sl] = slopes[:, kth]

    workers = min(_WORKERS, len(starts))
    if workers == 1:
        for task in range(len(starts)):
            run(task)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, range(len(starts))))
    return slope_q, rii_q


def _forward(values: np.ndarray, value_type: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if value_type == 1:
            return np.log(values)
        if value_type == 2:
            return special.logit(values)
    return values


def _inverse(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return special.expit(values)
    return values


def _positions(repetitions: int, level: float) -> tuple[int, int]:
    """0-based positions of the lower and upper limits in the sorted simulations."""
    upper_p = level + (1 - level) / 2
    lower = int(np.rint(repetitions * (1 - upper_p)))
    upper = int(np.rint(repetitions * upper_p))
    return max(lower, 1) - 1, min(max(upper, 1), repetitions) - 1


def sii(
    frame: pd.DataFrame,
    *,
    quantile: Hashable,
    population: Hashable,
    value: Hashable,
    by: Hashable | Sequence[Hashable] | None = None,
    lower: Hashable | None = None,
    upper: Hashable | None = None,
    se: Hashable | None = None,
    value_type: int = 0,
    transform: bool = False,
    confidence: float | Sequence[float] = 0.95,
    repetitions: int = 100_000,
    multiplier: float = 1,
    rii: bool = False,
    intercept: bool = False,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Slope index of inequality (and optionally RII) with Monte Carlo confidence limits.

    Args:
        frame: one row per quantile (per group of ``by``).
        quantile: column of quantile numbers (1 = first, e.g. most deprived decile).
        population: column of quantile populations (> 0).
        value: column of indicator values (for ``value_type=2`` proportions in [0, 1]).
        by: grouping column(s); one SII per group.
        lower: column of the values' lower 95% confidence limits (see ``upper``).
        upper: with ``lower``, the values' 95% confidence limits, used to derive the
            standard error when ``se`` is not given (on the log / logit scale for rates /
            proportions: ``se = (f(upper) - f(lower)) / (2 * 1.959964)``).
        se: column of standard errors (on the log/logit scale for ``value_type`` 1/2).
        value_type: 0 no transformation, 1 rate (simulated on the log scale), 2 proportion
            (simulated on the logit scale).
        transform: fit the regression on the log/logit scale and transform back (needs
            ``lower``/``upper``, not ``se``); SII = f⁻¹(a + b) - f⁻¹(a).
        confidence: level(s); a scalar gives ``sii_lower``/``sii_upper``, a sequence
            ``sii_lower_95``, ``sii_upper_95`` ... (also for ``rii_*``).
        repetitions: Monte Carlo repetitions (>= 1000).
        multiplier: scales the SII (e.g. 100 for percentages); a negative multiplier
            reverses the direction (and inverts the RII).
        rii: also return ``rii``, ``rii_lower*``, ``rii_upper*``.
        intercept: also return ``intercept`` (the fitted value at the bottom of the
            ranking, on the original scale).
        seed: seed or numpy Generator for reproducible limits.

    Returns:
        DataFrame: ``by`` columns, ``sii``, ``sii_lower*``, ``sii_upper*`` (and RII and
        intercept columns on request); ``value``/``lower*``/``upper*`` repeat the SII and
        its limits for uniformity with the other methods. A group with a missing value,
        standard error, limit or population, or missing one of the quantiles, gets missing
        results (with a warning).

    Raises:
        ValueError: fewer than two quantiles, repeated quantile in a group, negative or
            zero population, negative standard error, proportions outside [0, 1], or
            inconsistent arguments.

    """
    if value_type not in (0, 1, 2):
        raise ValueError("value_type must be 0 (none), 1 (rate) or 2 (proportion)")
    if transform and value_type == 0:
        raise ValueError("transform=True needs value_type 1 (rate) or 2 (proportion)")
    if transform and se is not None:
        raise ValueError("transform=True derives standard errors from lower/upper: do not pass se")
    if se is None and (lower is None or upper is None):
        raise ValueError("sii needs either se= or both lower= and upper= (95% limits)")
    if int(repetitions) != repetitions or repetitions < 1000:
        raise ValueError(
            f"repetitions must be a whole number of at least 1000, got {repetitions!r}"
        )
    repetitions = int(repetitions)
    levels = parse_confidence(confidence)
    by_cols = group_columns(frame, by)

    q_raw = frame[quantile] if quantile in frame.columns else None
    if q_raw is None:
        raise ValueError(f"quantile={quantile!r} is not a column of the frame")
    pop = column(frame, population, "population")
    val = column(frame, value, "value")
    check_nonnegative(pop, f"population column {population!r}", frame.index, strict=True)
    if se is not None:
        se_raw = column(frame, se, "se")
        check_nonnegative(se_raw, f"standard error column {se!r}", frame.index)
    if lower is not None and upper is not None:
        lo_raw = column(frame, lower, "lower")
        up_raw = column(frame, upper, "upper")
    if value_type == 1:
        check_nonnegative(val, f"rate column {value!r}", frame.index)
    if value_type == 2:
        cols = [(val, value)]
        if se is None:
            cols += [(lo_raw, lower), (up_raw, upper)]
        for arr, name in cols:
            with np.errstate(invalid="ignore"):
                bad = (arr < 0) | (arr > 1)
            if bad.any():
                raise ValueError(
                    f"proportions must be between 0 and 1 for value_type=2: column {name!r}, "
                    f"{first_bad_row(bad, frame.index)}"
                )

    # quantile layout
    q_values = pd.Series(q_raw.to_numpy())
    levels_q = np.sort(q_values.dropna().unique())
    if levels_q.size < 2:
        raise ValueError(
            f"sii needs at least two quantiles in column {quantile!r}; found {levels_q.size}"
        )
    n_q = levels_q.size
    codes, keys = group_codes(frame, by_cols)
    n_g = len(keys)
    q_pos = np.searchsorted(levels_q, q_values.to_numpy())
    has_q = q_values.notna().to_numpy()
    pair = pd.Series(codes[has_q] * n_q + q_pos[has_q])
    if pair.duplicated().any():
        dup = np.flatnonzero(has_q)[np.flatnonzero(pair.duplicated().to_numpy())[0]]
        raise ValueError(
            f"quantile {q_values.iloc[dup]!r} appears twice in one group: row {frame.index[dup]!r}"
        )

    # transformed values and standard errors
    v_t = _forward(val, value_type)
    if se is not None:
        s_t = se_raw
    else:
        z95 = z_value(0.95)
        s_t = (_forward(up_raw, value_type) - _forward(lo_raw, value_type)) / z95 / 2

    def grid(arr: np.ndarray) -> np.ndarray:
        out = np.full((n_g, n_q), np.nan)
        out[codes[has_q], q_pos[has_q]] = arr[has_q]
        return out

    P, V, S = grid(pop), grid(v_t), grid(s_t)
    valid = np.isfinite(P).all(axis=1) & np.isfinite(V).all(axis=1) & np.isfinite(S).all(axis=1)
    if not valid.all():
        warnings.warn(
            f"sii: {int((~valid).sum())} group(s) have missing or invalid data for some quantiles; "
            "their results are missing",
            UserWarning,
            stacklevel=2,
        )
    Pv, Vv, Sv = P[valid], V[valid], S[valid]

    # weighted least squares design (weights = population share a)
    a = Pv / Pv.sum(axis=1, keepdims=True)
    b = np.cumsum(a, axis=1) - a / 2
    s_ab, s_abb = (a * b).sum(axis=1), (a * b * b).sum(axis=1)
    det = 1.0 * s_abb - s_ab**2
    # W (g, 2, Q): coefficients = W @ y for fitted-scale values y
    W = (
        np.stack(
            [(s_abb[:, None] * a - s_ab[:, None] * a * b), (a * b - s_ab[:, None] * a)], axis=1
        )
        / det[:, None, None]
    )
    y_fit = Vv if transform else _inverse(Vv, value_type)
    coef = np.einsum("gkq,gq->gk", W, y_fit)
    a_hat, b_hat = coef[:, 0], coef[:, 1]

    # Monte Carlo
    pos = [_positions(repetitions, level) for level in levels.levels]
    kth = sorted({p for pair_ in pos for p in pair_})
    slope_q, rii_q = _simulate(
        coef,
        W,
        Vv,
        Sv,
        seed,
        repetitions,
        kth,
        linear=transform or value_type == 0,
        value_type=value_type,
        multiplier=1.0 if transform else float(multiplier),
        want_rii=rii and not transform,
    )

    # assemble results
    col_of = {k: i for i, k in enumerate(kth)}
    out = keys.reset_index(drop=True).copy()
    res: dict[str, np.ndarray] = {}

    def put(name: str, arr: np.ndarray) -> None:
        full = np.full(n_g, np.nan)
        full[valid] = arr
        res[name] = full

    if not transform:
        put("sii", b_hat * multiplier)
        with np.errstate(divide="ignore", invalid="ignore"):
            r_hat = (a_hat + b_hat) / a_hat
        put("rii", 1 / r_hat if multiplier < 0 else r_hat)
        put("intercept", a_hat)
        for (lo_p, up_p), suffix in zip(pos, levels.suffixes, strict=True):
            put(f"sii_lower{suffix}", slope_q[:, col_of[lo_p]])
            put(f"sii_upper{suffix}", slope_q[:, col_of[up_p]])
            put(f"rii_lower{suffix}", rii_q[:, col_of[lo_p]])
            put(f"rii_upper{suffix}", rii_q[:, col_of[up_p]])
    else:
        x1 = a_hat + b_hat
        half = (a_hat + x1) / 2
        f0, f1 = _inverse(a_hat, value_type), _inverse(x1, value_type)
        put("sii", (f1 - f0) * multiplier)
        put("rii", f0 / f1 if multiplier < 0 else f1 / f0)
        put("intercept", f0 * abs(multiplier))

        def back(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            lo_end = _inverse(half - s / 2, value_type)
            hi_end = _inverse(half + s / 2, value_type)
            return (hi_end - lo_end) * multiplier, hi_end / lo_end

        for (lo_p, up_p), suffix in zip(pos, levels.suffixes, strict=True):
            s_lo, r_lo = back(slope_q[:, col_of[lo_p]])
            s_up, r_up = back(slope_q[:, col_of[up_p]])
            if multiplier < 0:
                s_lo, s_up = s_up, s_lo
                r_lo, r_up = 1 / r_up, 1 / r_lo
            put(f"sii_lower{suffix}", s_lo)
            put(f"sii_upper{suffix}", s_up)
            put(f"rii_lower{suffix}", r_lo)
            put(f"rii_upper{suffix}", r_up)

    out["sii"] = res["sii"]
    for suffix in levels.suffixes:
        out[f"sii_lower{suffix}"] = res[f"sii_lower{suffix}"]
        out[f"sii_upper{suffix}"] = res[f"sii_upper{suffix}"]
    if rii:
        out["rii"] = res["rii"]
        for suffix in levels.suffixes:
            out[f"rii_lower{suffix}"] = res[f"rii_lower{suffix}"]
            out[f"rii_upper{suffix}"] = res[f"rii_upper{suffix}"]
    if intercept:
        out["intercept"] = res["intercept"]
    out["value"] = res["sii"]
    for suffix in levels.suffixes:
        out[f"lower{suffix}"] = res[f"sii_lower{suffix}"]
        out[f"upper{suffix}"] = res[f"sii_upper{suffix}"]
    return out


def assign_quantiles(
    frame: pd.DataFrame,
    *,
    value: Hashable,
    by: Hashable | Sequence[Hashable] | None = None,
    n: int = 10,
    invert: bool | Hashable = False,
) -> pd.DataFrame:
    """Assign each row to one of ``n`` quantiles of ``value`` within each group of ``by``.

    With N non-missing values in a group and r the rank of a value (ties get the lowest
    rank), the quantile is ``floor((n + 1) - ceil(((N + 1) - r) / (N / n)))`` (0 becomes
    1), the rule of ``PHEindicatormethods::phe_quantile`` and Fingertips. Quantile 1 holds
    the lowest values, or the highest when ``invert`` is true (Fingertips inverts
    indicators where low is good).

    Args:
        frame: one row per area.
        value: column of values; missing values get a missing quantile.
        by: grouping column(s); quantiles are assigned within each group.
        n: number of quantiles (>= 2).
        invert: bool, or a column name holding a boolean that must be constant within
            each group.

    Returns:
        DataFrame with the input's index: ``by`` columns, ``value`` and ``quantile``
        (float; missing when the group has fewer than ``n`` non-missing values, with a
        warning).

    Raises:
        ValueError: ``n`` < 2, or an ``invert`` column that varies within a group.

    """
    if int(n) != n or n < 2:
        raise ValueError(f"n must be a whole number of at least 2, got {n!r}")
    by_cols = group_columns(frame, by)
    vals = column(frame, value, "value")
    codes, keys = group_codes(frame, by_cols)
    if isinstance(invert, (bool, np.bool_)):
        inv = np.full(len(frame), bool(invert))
    else:
        if invert not in frame.columns:
            raise ValueError(f"invert={invert!r} is neither a bool nor a column of the frame")
        inv_s = frame[invert]
        spread = inv_s.groupby(codes).nunique(dropna=False)
        if (spread > 1).any():
            code = int(spread.index[np.flatnonzero((spread > 1).to_numpy())[0]])
            where = ", ".join(f"{c}={keys.iloc[code][c]!r}" for c in keys.columns) or "the frame"
            raise ValueError(
                f"invert column {invert!r} must take one value per group, but varies within {where}"
            )
        inv = inv_s.astype(bool).to_numpy()
    ranked = pd.Series(np.where(inv, -vals, vals))
    rank = ranked.groupby(codes).rank(method="min", na_option="keep").to_numpy()
    count = pd.Series(~np.isnan(vals)).groupby(codes).transform("sum").to_numpy().astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.floor((n + 1) - np.ceil(((count + 1) - rank) / (count / n)))
    q = np.where(q == 0, 1, q)
    short = count < n
    q = np.where(short | np.isnan(vals), np.nan, q)
    if short.any():
        warnings.warn(
            "assign_quantiles: some groups have fewer non-missing values than quantiles; "
            "their quantiles are missing",
            UserWarning,
            stacklevel=2,
        )
    out = pd.DataFrame(index=frame.index)
    for c in by_cols:
        out[c] = frame[c]
    out["value"] = vals
    out["quantile"] = q
    return out
