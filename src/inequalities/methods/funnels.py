"""Funnel-plot control limits and significance (2 and 3 sigma), as OHID draws them.

Proportions use the exact-binomial-like Wilson-score funnels of the PHE funnel-plot tool
(Spiegelhalter 2005, with the PHE "sigma adjustment"); ratios and rates use Poisson limits
found by bisection, as in the PHE Excel funnel tools and
``PHEindicatormethods::calculate_funnel_limits`` / ``assign_funnel_significance`` /
``calculate_funnel_points``.

The limit columns are ``lower_2s``/``upper_2s`` (two-sided 95%, p = 0.025 each side) and
``lower_3s``/``upper_3s`` (99.8%, p = 0.001 each side); ``value`` is the baseline.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ._confidence import first_bad_row
from ._frames import as_float_array

__all__ = ["funnel_limits", "funnel_significance", "funnel_points", "overdispersion"]

Statistic = Literal["proportion", "ratio", "rate"]
SIDES = {"2s": 0.025, "3s": 0.001}


# ---------------------------------------------------------------- axis helpers (R quirks kept)


def _r_nchar(x: float) -> int:
    """Characters R uses to print the whole number ``x`` (it prefers 1e+05 to 100000)."""
    fixed = f"{int(x)}"
    mantissa, exponent = f"{x:.14e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    exp = int(exponent)
    sci = f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return len(fixed) if len(fixed) <= len(sci) else len(sci)


def _signif_floor(x: float, down: float = 0.95) -> float:
    if x == 0:
        return 0.0
    n = _r_nchar(np.floor(x * down)) - 1
    return float(np.floor(x * down / 10**n) * 10**n)


def _signif_ceiling(x: float, up: float = 1.05) -> float:
    if x == 0:
        return 0.0
    n = _r_nchar(np.ceil(x * up)) - 2
    return float(np.ceil(x * up / 10**n) * 10**n)


def _axis(
    min_den: float, max_den: float, statistic: str, years: float, av: float, points: int
) -> np.ndarray:
    if max_den > 2 * min_den:
        lo = 0.0
    elif statistic == "rate":
        lo = _signif_floor(min_den / years) * years
    else:
        lo = _signif_floor(min_den)
    hi = (
        _signif_ceiling(max_den / years) * years
        if statistic == "rate"
        else _signif_ceiling(max_den)
    )
    if statistic == "rate":
        lo, hi = np.floor(lo * av), np.ceil(hi * av)
    xs = [max(1.0, lo)]
    for j in range(2, points + 1):
        offset = j - 1 if statistic == "ratio" else j
        step = np.round((hi / xs[-1]) ** (1 / (points + 1 - offset)) * xs[-1])
        xs.append(max(float(step), xs[-1] + 1))
    return np.asarray(xs)


# ---------------------------------------------------------------- limit formulas


def _sigma_adjustment(p: float, n: np.ndarray, av: float, side: str) -> np.ndarray:
    """PHE funnel limit for a proportion with average ``av`` at denominator ``n``."""
    z2 = stats.norm.ppf(p) ** 2
    first = av * (n / z2 + 1)
    adj = np.sqrt(
        (-8 * av * (n / z2 + 1)) ** 2
        - 64 * (1 / z2 + 1 / n) * av * (n * (av * (n / z2 + 2) - 1) + z2 * (av - 1))
    )
    last = 1 / z2 + 1 / n
    out = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
    return out / n


def _poisson_funnel(obs: np.ndarray, p: float, side: str) -> np.ndarray:
    """Return the expected count at which ``obs`` sits on the p-level Poisson limit.

    Mirrors the PHE tools' bisection on v with z = (1 + obs) v / (1 - v) to 1e-7 in v, so
    the limits agree with OHID's to the last digit.
    """
    obs = np.asarray(obs, dtype=float)
    v = np.full(obs.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        z = (1 + obs) * v / (1 - v)
        if side == "low":
            down = stats.poisson.sf(obs - 1, z) > p  # P(X >= obs)
        else:
            down = stats.poisson.cdf(obs, z) < p  # P(X <= obs)
        v = np.where(down, v - dv, v + dv)
    return (1 + obs) * v / (1 - v)


def _ratio_test(obs: np.ndarray, expected: np.ndarray, p: float, side: str) -> np.ndarray:
    """Limit of the ratio observed/expected at two-sided level p (exact below 10, Byar's above)."""
    obs = np.asarray(obs, dtype=float)
    q = 0.5 + p / 2
    z = stats.norm.ppf(q)
    with np.errstate(invalid="ignore", divide="ignore"):
        if side == "low":
            exact = stats.chi2.isf(q, 2 * obs) / 2
            approx = obs * (1 - 1 / (9 * obs) - z / 3 / np.sqrt(obs)) ** 3
            stat = np.where(obs == 0, 0.0, np.where(obs < 10, exact, approx))
        else:
            exact = stats.chi2.ppf(q, 2 * obs + 2) / 2
            o1 = obs + 1
            approx = o1 * (1 - 1 / (9 * o1) + z / 3 / np.sqrt(o1)) ** 3
            stat = np.where(obs < 10, exact, approx)
        return stat / expected


def _derived_denominator(num, den, rate, rate_type, multiplier, years=1.0):
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = multiplier * num / rate
    if rate_type == "dsr":
        return np.where(num == 0, np.nan, derived) / years
    if den is not None:
        derived = np.where(num == 0, den, derived)
    return derived / years


def _check_rate_inputs(num, den, rate, rate_type):
    if rate_type not in ("dsr", "crude"):
        raise ValueError("rate_type must be 'dsr' or 'crude'")
    if rate is None:
        raise ValueError("statistic='rate' needs rate= (the rates, per multiplier)")
    if np.isnan(num).any():
        raise ValueError(
            f"numerator must be given for every row (even 0): {first_bad_row(np.isnan(num))}"
        )
    zero = num == 0
    if zero.any() and (den is None or (np.isnan(den[zero]) | (den[zero] <= 0)).any()):
        raise ValueError("rows with 0 events need a denominator > 0 (pass denominator=)")


# ---------------------------------------------------------------- public API


def funnel_limits(
    numerator,
    denominator=None,
    *,
    statistic: Statistic,
    rate=None,
    multiplier: float | None = None,
    ratio_type: Literal["count", "isr"] = "count",
    rate_type: Literal["dsr", "crude"] = "dsr",
    years_of_data: float = 1,
    points: int = 100,
    baseline: float | None = None,
    tau2: float | None = None,
) -> pd.DataFrame:
    """Funnel-plot control limits at 2 and 3 sigma over ``points`` denominators.

    ``tau2`` (proportions only) is the between-unit variance from :func:`overdispersion`:
    the limits are then Spiegelhalter's (2005) random-effects limits
    ``p0 +/- z * sqrt(p0(1 - p0)/n + tau2)`` (normal approximation) instead of the PHE
    limits, which assume no over-dispersion.

    ``baseline`` (proportions only, on the ``multiplier`` scale, e.g. per cent) centres the
    funnel on a given value, such as England's, instead of the units' pooled average: a
    region's areas can then be judged against England.

    The x-axis runs geometrically from about 95% of the smallest denominator (or from 1
    when the largest is more than twice the smallest) to about 105% of the largest, as
    OHID's tools draw it.

    Args:
        numerator: the units' numerators (array-like): events (proportion, rate) or
            observed counts (ratio).
        denominator: the units' populations (proportion; optional for rates, needed for
            rows with 0 events) or expected counts (ratio).
        statistic: "proportion", "ratio" or "rate".
        rate: for rates, the units' rates per ``multiplier`` (DSRs or crude rates).
        multiplier: scale of the limits (proportion: 100 gives percentages; rate: per
            100,000 ...). Defaults: 100 for proportions and ratios, 100,000 for rates.
        ratio_type: "count" (limits of observed/expected minus 1) or "isr" (times 100).
        rate_type: "dsr" (denominators derived from events / rate) or "crude".
        years_of_data: years the rates cover (rates: populations per year are reported).
        points: number of points on the axis.

    Returns:
        DataFrame with the axis column (``population`` for proportions, ``observed`` for
        ratios, ``events`` for rates), ``value`` (baseline), ``lower_2s``, ``upper_2s``,
        ``lower_3s``, ``upper_3s`` and, for rates, ``lower_2s_population`` ...
        ``upper_3s_population`` (population per year at which each limit applies).

    Raises:
        ValueError: missing numerators or denominators where they are needed, or unknown
            ``statistic``/``ratio_type``/``rate_type``.

    """
    num = as_float_array(numerator, "numerator")
    den = None if denominator is None else as_float_array(denominator, "denominator")
    if statistic == "proportion":
        multiplier = 100 if multiplier is None else multiplier
        if den is None or np.isnan(num).any() or np.isnan(den).any():
            raise ValueError(
                "proportion funnels need numerator and denominator for every row (even 0)"
            )
        derived = den
    elif statistic == "ratio":
        multiplier = 100 if multiplier is None else multiplier
        if ratio_type not in ("count", "isr"):
            raise ValueError("ratio_type must be 'count' or 'isr'")
        if den is None:
            raise ValueError("ratio funnels need denominator= (expected counts)")
        derived = den
    elif statistic == "rate":
        multiplier = 100_000 if multiplier is None else multiplier
        rates = None if rate is None else as_float_array(rate, "rate")
        _check_rate_inputs(num, den, rates, rate_type)
        derived = _derived_denominator(num, den, rates, rate_type, multiplier)
    else:
        raise ValueError("statistic must be 'proportion', 'ratio' or 'rate'")
    av = np.sum(num) / np.nansum(derived)
    if baseline is not None:
        if statistic != "proportion":
            raise ValueError("baseline= is supported for proportion funnels only")
        av = float(baseline) / multiplier
    axis = _axis(np.nanmin(derived), np.nanmax(derived), statistic, years_of_data, av, points)

    if tau2 is not None and statistic != "proportion":
        raise ValueError("tau2= (over-dispersion) is supported for proportion funnels only")
    if statistic == "proportion" and tau2 is not None:
        out = pd.DataFrame({"population": axis, "value": av * multiplier})
        spread = np.sqrt(av * (1 - av) / axis + float(tau2))
        for name, p in SIDES.items():
            z = stats.norm.isf(p)
            out[f"lower_{name}"] = np.maximum(0, (av - z * spread) * multiplier)
            out[f"upper_{name}"] = np.minimum(multiplier, (av + z * spread) * multiplier)
        return out
    if statistic == "proportion":
        out = pd.DataFrame({"population": axis, "value": av * multiplier})
        for name, p in SIDES.items():
            out[f"lower_{name}"] = np.maximum(
                0, _sigma_adjustment(1 - p, axis, av, "low") * multiplier
            )
            out[f"upper_{name}"] = np.minimum(
                multiplier, _sigma_adjustment(1 - p, axis, av, "high") * multiplier
            )
        return out
    if statistic == "ratio":
        base = {"count": 0.0, "isr": 100.0}[ratio_type]
        out = pd.DataFrame({"observed": axis, "value": base})
        for name, p in SIDES.items():
            lower = axis / _poisson_funnel(axis, p, "high")
            upper = axis / _poisson_funnel(axis, p, "low")
            if ratio_type == "count":
                lower, upper = lower - 1, upper - 1
            else:
                lower, upper = lower * 100, upper * 100
            out[f"lower_{name}"] = lower
            out[f"upper_{name}"] = upper
        return out
    out = pd.DataFrame({"events": axis, "value": av * multiplier})
    for name, p in SIDES.items():
        pop_lower = _poisson_funnel(axis, p, "high") / av
        pop_upper = _poisson_funnel(axis, p, "low") / av
        out[f"lower_{name}"] = axis / pop_lower * multiplier
        out[f"upper_{name}"] = axis / pop_upper * multiplier
        out[f"lower_{name}_population"] = pop_lower / years_of_data
        out[f"upper_{name}_population"] = pop_upper / years_of_data
    return out


def funnel_significance(
    numerator,
    denominator=None,
    *,
    statistic: Statistic,
    rate=None,
    rate_type: Literal["dsr", "crude"] = "dsr",
    multiplier: float = 100_000,
    baseline: float | None = None,
    tau2: float | None = None,
) -> pd.DataFrame:
    """Classify each unit against the funnel limits.

    ``baseline`` (proportions only, as a fraction of 1) judges units against a given
    value, such as England's, instead of their pooled average. ``tau2`` (proportions only,
    from :func:`overdispersion`) judges them against the random-effects limits of
    :func:`funnel_limits` with the same ``tau2``.

    Labels: "High (0.001)", "High (0.025)", "Low (0.025)", "Low (0.001)" or "Not
    significant" (DSRs on fewer than 10 events: "Not applicable for events less than 10
    for dsrs").

    Proportions are compared with the PHE funnel limits around the pooled proportion;
    ratios test observed against expected (exact Poisson below 10 events, Byar's above);
    rates test the pooled rate against each unit's limits (``multiplier`` is the scale of
    ``rate``).

    Returns:
        DataFrame, one row per unit: ``value`` (the unit's proportion, ratio or rate) and
        ``significance``.

    Raises:
        ValueError: negative numerators, denominators not > 0, numerator above denominator
            for proportions, or missing inputs where required.

    """
    num = as_float_array(numerator, "numerator")
    den = None if denominator is None else as_float_array(denominator, "denominator")
    with np.errstate(invalid="ignore"):
        if (num < 0).any():
            raise ValueError(f"numerator must be zero or more: {first_bad_row(num < 0)}")
        if den is not None and (den <= 0).any():
            raise ValueError(f"denominator must be greater than zero: {first_bad_row(den <= 0)}")
    labels = np.full(num.shape, "Not significant", dtype=object)
    if statistic == "proportion":
        if den is None or np.isnan(num).any() or np.isnan(den).any():
            raise ValueError(
                "proportion significance needs numerator and denominator for every row"
            )
        if (num > den).any():
            raise ValueError(f"numerator must not exceed denominator: {first_bad_row(num > den)}")
        av = num.sum() / den.sum() if baseline is None else float(baseline)
        value = num / den
        if tau2 is not None:
            spread = np.sqrt(av * (1 - av) / den + float(tau2))
            score = (value - av) / spread
            checks = [(score > stats.norm.isf(0.025), "High (0.025)"),
                      (score > stats.norm.isf(0.001), "High (0.001)"),
                      (score < -stats.norm.isf(0.025), "Low (0.025)"),
                      (score < -stats.norm.isf(0.001), "Low (0.001)")]
        else:
            checks = [
                (value > _sigma_adjustment(0.975, den, av, "high"), "High (0.025)"),
                (value > _sigma_adjustment(0.999, den, av, "high"), "High (0.001)"),
                (value < _sigma_adjustment(0.975, den, av, "low"), "Low (0.025)"),
                (value < _sigma_adjustment(0.999, den, av, "low"), "Low (0.001)"),
            ]
    elif statistic == "ratio":
        if den is None:
            raise ValueError("ratio significance needs denominator= (expected counts)")
        value = num / den
        checks = [
            (_ratio_test(num, den, 0.95, "high") < 1, "Low (0.025)"),
            (_ratio_test(num, den, 0.998, "high") < 1, "Low (0.001)"),
            (_ratio_test(num, den, 0.95, "low") > 1, "High (0.025)"),
            (_ratio_test(num, den, 0.998, "low") > 1, "High (0.001)"),
        ]
    elif statistic == "rate":
        rates = None if rate is None else as_float_array(rate, "rate")
        _check_rate_inputs(num, den, rates, rate_type)
        derived = _derived_denominator(num, den, rates, rate_type, multiplier)
        av = num.sum() / np.nansum(derived)
        value = rates
        checks = [
            (av > _ratio_test(num, derived, 0.95, "high"), "Low (0.025)"),
            (av > _ratio_test(num, derived, 0.998, "high"), "Low (0.001)"),
            (av < _ratio_test(num, derived, 0.95, "low"), "High (0.025)"),
            (av < _ratio_test(num, derived, 0.998, "low"), "High (0.001)"),
        ]
    else:
        raise ValueError("statistic must be 'proportion', 'ratio' or 'rate'")
    # later checks take precedence: the most extreme level wins, "High" before "Low"
    for mask, label in checks:
        labels[np.asarray(mask, dtype=bool)] = label
    if statistic == "rate" and rate_type == "dsr":
        labels[num < 10] = "Not applicable for events less than 10 for dsrs"
    index = numerator.index if isinstance(numerator, pd.Series) else None
    return pd.DataFrame({"value": value, "significance": labels}, index=index)


def funnel_points(
    numerator,
    rate,
    denominator=None,
    *,
    rate_type: Literal["dsr", "crude"] = "dsr",
    years_of_data: float = 1,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Return where to plot each unit on a rate funnel.

    ``value`` is the rate (missing for DSRs on fewer than 10 events) and ``denominator``
    the population per year, derived as ``multiplier * events / rate / years_of_data`` (or
    the given population for crude rates with 0 events);
    ``PHEindicatormethods::calculate_funnel_points``.
    """
    num = as_float_array(numerator, "numerator")
    rates = as_float_array(rate, "rate")
    den = None if denominator is None else as_float_array(denominator, "denominator")
    _check_rate_inputs(num, den, rates, rate_type)
    with np.errstate(invalid="ignore", divide="ignore"):
        if rate_type == "dsr":
            small = num < 10
            value = np.where(small, np.nan, rates)
            derived = np.where(small, np.nan, multiplier * num / rates / years_of_data)
        else:
            value = rates
            derived = multiplier * num / rates / years_of_data
            if den is not None:
                derived = np.where(num == 0, den / years_of_data, derived)
    index = numerator.index if isinstance(numerator, pd.Series) else None
    return pd.DataFrame({"value": value, "denominator": derived}, index=index)


def overdispersion(numerator, denominator, *, baseline: float | None = None,
                   winsorise: float = 0.1, alpha: float = 0.05) -> dict[str, float | bool | int]:
    """Test proportions for over-dispersion and estimate the between-unit variance.

    Spiegelhalter (2005), "Funnel plots for comparing institutional performance", Statistics
    in Medicine 24:1185-1202, section 4 (and "Handling over-dispersion of performance
    indicators", Quality and Safety in Health Care 14:347-351):

    * each unit's z-score against the baseline ``p0`` (the pooled proportion, or
      ``baseline`` as a fraction of 1) is ``z = (y/n - p0) / s`` with ``s^2 = p0(1 - p0)/n``;
    * the z-scores are Winsorised (those beyond the ``winsorise`` and ``1 - winsorise``
      quantiles set to those quantiles) so that a few true outliers do not inflate the
      estimate;
    * ``phi = mean(z^2)``; under no over-dispersion ``I * phi`` is chi-squared on ``I - 1``
      degrees of freedom (``I`` units), which gives the ``p_value``;
    * the additive random-effects variance is
      ``tau2 = max(0, (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)))`` with
      ``w = 1 / s^2`` (DerSimonian-Laird form); funnel limits then use
      ``s^2 + tau2`` (:func:`funnel_limits` and :func:`funnel_significance`, ``tau2=``).

    Returns a dict: ``units``, ``phi``, ``statistic`` (``I * phi``), ``df``, ``p_value``,
    ``tau2`` (on the proportion scale, a fraction of 1 squared) and ``overdispersed``
    (``p_value < alpha``). With fewer than three units nothing can be estimated: ``phi``,
    ``p_value`` and ``tau2`` are NaN and ``overdispersed`` is False.
    """
    num = as_float_array(numerator, "numerator")
    den = as_float_array(denominator, "denominator")
    if np.isnan(num).any() or np.isnan(den).any() or (den <= 0).any() or (num > den).any():
        raise ValueError("over-dispersion needs, for every unit, a numerator between 0 and "
                         "its denominator and a denominator above 0")
    if not 0 <= winsorise < 0.5:
        raise ValueError(f"winsorise must be a fraction in [0, 0.5); got {winsorise}")
    units = int(num.size)
    if units < 3:
        return {"units": units, "phi": np.nan, "statistic": np.nan, "df": max(units - 1, 0),
                "p_value": np.nan, "tau2": np.nan, "overdispersed": False}
    p0 = num.sum() / den.sum() if baseline is None else float(baseline)
    variance = p0 * (1 - p0) / den
    z = (num / den - p0) / np.sqrt(variance)
    if winsorise > 0:
        low, high = np.quantile(z, [winsorise, 1 - winsorise])
        z = np.clip(z, low, high)
    phi = float(np.mean(z ** 2))
    statistic = units * phi
    df = units - 1
    weights = 1 / variance
    tau2 = max(0.0, (statistic - df) / (weights.sum() - (weights ** 2).sum() / weights.sum()))
    p_value = float(stats.chi2.sf(statistic, df))
    return {"units": units, "phi": phi, "statistic": float(statistic), "df": df,
            "p_value": p_value, "tau2": float(tau2), "overdispersed": bool(p_value < alpha)}
