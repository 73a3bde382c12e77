"""Count-model fitting shared by rate ratios, predictions, trends and access models.

Family choice (``family="auto"``): fit a Poisson GLM with log link and offset
``log(population)``; compute the Pearson dispersion statistic phi = X^2 / (n - p).
If phi exceeds ``threshold`` (default 1.5) the data are overdispersed and the model is
refitted as a negative binomial (NB2, var = mu + alpha mu^2) with alpha estimated by the
method of moments of Cameron & Trivedi (Regression Analysis of Count Data, 2nd ed.,
2013, section 3.2.3: the auxiliary regression of ((y - mu)^2 - y) / mu on mu), iterated
with the refitted means. If that moment estimate is not positive (dispersion that a
quadratic variance cannot describe) the fallback is quasi-Poisson, i.e. Poisson
estimates with standard errors scaled by sqrt(phi) (McCullagh & Nelder 1989, s. 6.2).
The reason is recorded in words for the diagnostics table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from inequalities.models.diagnostics import captured_warnings, make_record

FAMILIES = ("auto", "poisson", "negative_binomial", "quasi_poisson")
_ALIASES = {
    "auto": "auto",
    "poisson": "poisson",
    "negbin": "negative_binomial",
    "nb": "negative_binomial",
    "negative_binomial": "negative_binomial",
    "negativebinomial": "negative_binomial",
    "quasipoisson": "quasi_poisson",
    "quasi_poisson": "quasi_poisson",
    "quasi-poisson": "quasi_poisson",
}


def normalise_family(family: str) -> str:
    """Map the accepted spellings of a family to its canonical name."""
    key = str(family).strip().lower()
    if key not in _ALIASES:
        raise ValueError(
            f"family={family!r} is not supported; use one of {list(FAMILIES)} "
            "('negbin' and 'quasipoisson' are accepted aliases)"
        )
    return _ALIASES[key]


@dataclass
class CountFit:
    """Result of a count GLM: coefficients, covariance and what was done."""

    params: np.ndarray
    cov: np.ndarray
    family: str
    dispersion: float
    alpha: float
    aic: float
    converged: bool
    n: int
    warnings: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def bse(self) -> np.ndarray:
        """Standard errors of the coefficients."""
        return np.sqrt(np.clip(np.diag(self.cov), 0.0, None))


def fit_record(what: str, keys: dict[str, Any], fit: CountFit, note: str) -> dict[str, Any]:
    """Diagnostics record of one count fit (family, dispersion, AIC, warnings, reason)."""
    return make_record(
        what,
        keys,
        family=fit.family,
        n=fit.n,
        n_parameters=len(fit.params),
        dispersion=fit.dispersion,
        alpha=fit.alpha,
        aic=fit.aic,
        converged=fit.converged,
        warnings=fit.warnings,
        reason=fit.reason,
        note=note,
    )


def _glm(y, x, offset, family, scale=None):
    import statsmodels.api as sm  # imported when first fitting: it takes 1.5 s

    # hasconst=True skips statsmodels' constant detection (a full pass over x); every
    # design here has an intercept or a full set of cell indicators.
    model = sm.GLM(y, x, family=family, offset=offset, hasconst=True)
    return model.fit(scale=scale) if scale is not None else model.fit()


def _moment_alpha(y: np.ndarray, mu: np.ndarray) -> float:
    """Cameron-Trivedi auxiliary-regression estimate of the NB2 alpha."""
    return float(np.sum((y - mu) ** 2 - y) / np.sum(mu**2))


def fit_counts(
    y: np.ndarray,
    x: np.ndarray,
    offset: np.ndarray,
    family: str = "auto",
    threshold: float = 1.5,
) -> CountFit:
    """Fit a log-link count model with an offset, choosing the family as documented above.

    Parameters
    ----------
    y
        Counts (events; non-negative, may be non-integer for quasi-Poisson use, e.g. FTE).
    x
        Design matrix (n x p), full column rank.
    offset
        log of the exposure (population or person-years), same length as ``y``.
    family
        ``auto``, ``poisson``, ``negative_binomial`` or ``quasi_poisson``.
    threshold
        Pearson dispersion above which ``auto`` leaves the Poisson model.

    """
    import statsmodels.api as sm

    family = normalise_family(family)
    n, p = x.shape
    df_resid = n - p
    with captured_warnings() as caught:
        poisson = _glm(y, x, offset, sm.families.Poisson())
        mu = np.asarray(poisson.fittedvalues)
        dispersion = float(np.sum((y - mu) ** 2 / mu) / df_resid) if df_resid > 0 else np.nan
        alpha = np.nan
        chosen = family
        if family == "auto":
            if not np.isfinite(dispersion):
                chosen, reason = "poisson", "no residual degrees of freedom: dispersion unknown"
            elif dispersion <= threshold:
                chosen = "poisson"
                reason = f"Pearson dispersion {dispersion:.2f} <= {threshold:g}: Poisson kept"
            else:
                chosen = "negative_binomial"
                reason = f"Pearson dispersion {dispersion:.2f} > {threshold:g}: negative binomial"
        else:
            reason = f"family={family!r} requested (Pearson dispersion {dispersion:.2f})"

        result = poisson
        if chosen == "negative_binomial":
            alpha = _moment_alpha(y, mu)
            for _ in range(3):
                if not np.isfinite(alpha) or alpha <= 0:
                    break
                result = _glm(y, x, offset, sm.families.NegativeBinomial(alpha=alpha))
                new_alpha = _moment_alpha(y, np.asarray(result.fittedvalues))
                if abs(new_alpha - alpha) <= 1e-3 * alpha:
                    alpha = new_alpha
                    break
                alpha = new_alpha
            if not np.isfinite(alpha) or alpha <= 0:
                chosen = "quasi_poisson"
                result = poisson
                reason += (
                    "; moment estimate of alpha not positive, so quasi-Poisson "
                    "(Poisson SEs scaled by sqrt(dispersion)) instead"
                )
                alpha = np.nan
            else:
                reason += f" (NB2, alpha={alpha:.4g} by Cameron-Trivedi moments)"
        if chosen == "quasi_poisson":
            result = _glm(y, x, offset, sm.families.Poisson(), scale="X2")
    converged = bool(getattr(result, "converged", True))
    cov = np.asarray(result.cov_params())
    aic = float(result.aic) if chosen in ("poisson", "negative_binomial") else np.nan
    return CountFit(
        params=np.asarray(result.params, dtype=float),
        cov=cov,
        family=chosen,
        dispersion=dispersion,
        alpha=float(alpha),
        aic=aic,
        converged=converged,
        n=n,
        warnings=caught,
        reason=reason,
    )


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for a ``confidence`` level in (0, 1)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must be between 0 and 1 (e.g. 0.95)")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wald(estimate: np.ndarray, se: np.ndarray, confidence: float):
    """Wald lower, upper and two-sided p-value for estimates on the linear scale."""
    z = z_value(confidence)
    estimate = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = 2 * stats.norm.sf(np.abs(estimate / se))
    return estimate - z * se, estimate + z * se, p_value


def wald_columns(
    table: pd.DataFrame,
    confidence: float,
    *,
    value: str = "estimate",
    transform: Callable | None = None,
    not_finite_note: str | None = None,
) -> pd.DataFrame:
    """Turn the ``estimate`` and ``se`` columns of ``table`` into a reported estimate.

    Adds ``value`` (the estimate), ``lower``, ``upper`` (Wald limits estimate +/- z se)
    and ``p_value`` (two-sided), all computed on the linear scale and then mapped by
    ``transform`` (e.g. ``np.exp`` for rate ratios from log-link coefficients); drops
    ``se`` (and ``estimate`` unless ``value`` is ``"estimate"``). If ``not_finite_note``
    is given, rows whose upper limit is not finite and whose ``note`` is empty get it.
    """
    lower, upper, p_value = wald(table["estimate"], table["se"], confidence)
    estimate = table["estimate"]
    if transform is not None:
        estimate, lower, upper = transform(estimate), transform(lower), transform(upper)
    table[value] = estimate
    table["lower"] = lower
    table["upper"] = upper
    table["p_value"] = p_value
    if not_finite_note is not None:
        bad = ~np.isfinite(table["upper"]) & (table["note"] == "")
        table.loc[bad, "note"] = not_finite_note
    return table.drop(columns=["se"] if value == "estimate" else ["estimate", "se"])
