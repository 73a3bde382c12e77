"""Is the rural (or coastal) gap narrowing? Period x exposure interaction in a count GLM.

Model (log link, offset log(population), family chosen as in ``rate_ratios``):

    log E[count] = log(pop) + C(period) + b_l 1[E = l] + c_l 1[E = l] (t - tbar) + adjust

with a free baseline for every period, a gap b_l for each non-reference level l of the
exposure E, and a linear change c_l of the log gap per period unit. The test stated in
the output is the **Wald z-test of H0: c_l = 0** (the rate ratio of level l against the
reference is constant over time). exp(c_l) is the multiplicative change in that rate
ratio per period unit (``change_ratio``). The fitted rate ratios at the first and last
period (``gap_first``, ``gap_last``) say which way it moves: the gap is called
``narrowing`` when the test rejects at 1 - ``confidence`` and the fitted log rate ratio
moves towards 0, ``widening`` when it rejects and moves away, otherwise
``no clear change``.

Numeric periods (years) are used as they are; other period labels ("2019/20") are
ordered by sort order and numbered 0, 1, ... (noted in ``note``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from inequalities.models._common import (
    check_complete,
    check_counts,
    grouped,
    require_columns,
    term_columns,
    with_keys,
)
from inequalities.models._counts import fit_group_counts
from inequalities.models._design import (
    GroupProblem,
    Term,
    as_list,
    make_term,
    require_contrast,
)
from inequalities.models._fit import normalise_family, wald, z_value
from inequalities.models.diagnostics import attach, make_record

#: Columns of :func:`gap_trend` output after the ``by`` columns.
TREND_COLUMNS: tuple[str, ...] = (
    "term",
    "variable",
    "level",
    "reference",
    "change_ratio",
    "lower",
    "upper",
    "p_value",
    "gap_first",
    "gap_first_lower",
    "gap_first_upper",
    "gap_last",
    "gap_last_lower",
    "gap_last_upper",
    "direction",
    "test",
    "family",
    "n",
    "periods",
    "model",
    "note",
)


def gap_trend(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    period: str,
    exposure: str = "urban_rural",
    adjust: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    family: str = "auto",
    confidence: float = 0.95,
    reference: Mapping[str, object] | None = None,
    dispersion_threshold: float = 1.5,
) -> pd.DataFrame:
    """Test whether the gap in rates for ``exposure`` changes over ``period``.

    Parameters
    ----------
    frame
        One row per area and period.
    count, population
        Event count and population-at-risk columns.
    period
        Period column (numeric years, or labels ordered by sort order).
    exposure
        Categorical exposure whose gap is followed (default ``urban_rural``).
    adjust
        Adjustment terms (constant effects over time).
    by, family, confidence, reference, dispersion_threshold
        As in :func:`inequalities.models.rate_ratios`.

    Returns
    -------
    DataFrame
        ``by`` columns then :data:`TREND_COLUMNS`, one row per non-reference exposure
        level: ``change_ratio`` = exp(c_l) per period unit with ``lower``/``upper`` and the
        Wald ``p_value``; fitted rate ratios at the first and last period with intervals;
        ``direction``; ``test`` (the hypothesis in words); ``family``; ``n`` rows;
        ``periods`` (number of distinct periods); ``model``; ``note``.

    """
    what = "gap_trend"
    adjust = as_list(adjust)
    by_cols = as_list(by)
    family = normalise_family(family)
    used = [count, population, period, exposure, *term_columns(adjust), *by_cols]
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    check_counts(frame, count, population, what)
    if frame[period].nunique() < 2:
        raise ValueError(
            f"{what}: column {period!r} has {frame[period].nunique()} distinct period(s); "
            "a trend needs at least 2"
        )
    weights = frame[population].astype(float)
    exposure_term = make_term(frame, f"C({exposure})", weights, reference)
    adjust_terms = [make_term(frame, t, weights, reference) for t in adjust]
    require_contrast([exposure_term], what)
    note_period = ""
    if ptypes.is_numeric_dtype(frame[period]) and not ptypes.is_bool_dtype(frame[period]):
        time = frame[period].astype(float)
    else:
        labels = sorted(pd.unique(frame[period]).tolist(), key=str)
        time = frame[period].map({label: i for i, label in enumerate(labels)}).astype(float)
        note_period = f"periods numbered 0..{len(labels) - 1} in sort order of {period!r}"
    levels = [lv for lv in exposure_term.levels if lv != exposure_term.reference]
    work = frame.copy()
    work["__time"] = time.to_numpy()
    trend_names = [f"{exposure}[{lv}] x {period}" for lv in levels]
    period_term = make_term(work, f"C({period})", weights, None)
    z = z_value(confidence)
    alpha_level = 1 - confidence
    test = (
        f"Wald z-test of the {exposure} x {period} interaction "
        f"(H0: the rate ratio is constant over {period}), two-sided"
    )
    model = (
        f"log-link GLM: {count} ~ C({period}) + {exposure} + {exposure}:{period}"
        + "".join(f" + {t.label}" for t in adjust_terms)
        + f", offset log({population})"
    )

    def fit_group(group: pd.DataFrame, keys: dict[str, Any]):
        group = group.copy()
        t = group["__time"].to_numpy()
        if len(np.unique(t)) < 2:
            raise GroupProblem("fewer than 2 periods in this group")
        centre = float(np.average(t, weights=group[population].to_numpy(dtype=float)))
        values = group[exposure].to_numpy()
        for lv, name in zip(levels, trend_names, strict=True):
            group[name] = (values == lv) * (t - centre)
        trend_terms = [Term(label=name, column=name, categorical=False) for name in trend_names]
        result = fit_group_counts(
            group,
            count=count,
            population=population,
            exposures=trend_terms,
            adjust=[exposure_term, period_term, *adjust_terms],
            within=None,
            family=family,
            threshold=dispersion_threshold,
        )
        fit = result.fit
        first, last = float(t.min()) - centre, float(t.max()) - centre
        rows = []
        for lv, name in zip(levels, trend_names, strict=True):
            i = result.index(name)
            j = result.index(f"{exposure}[{lv}]")
            row: dict[str, Any] = {
                "term": name,
                "variable": exposure,
                "level": str(lv),
                "reference": str(exposure_term.reference),
            }
            if i is None or j is None:
                row.update(
                    estimate=np.nan,
                    se=np.nan,
                    note=result.notes.get(name)
                    or result.notes.get(f"{exposure}[{lv}]")
                    or "not estimable",
                )
                for label in ("first", "last"):
                    row.update(
                        {
                            f"gap_{label}": np.nan,
                            f"gap_{label}_lower": np.nan,
                            f"gap_{label}_upper": np.nan,
                        }
                    )
            else:
                row.update(estimate=fit.params[i], se=fit.bse[i], note=note_period)
                for label, offset in (("first", first), ("last", last)):
                    log_gap = fit.params[j] + offset * fit.params[i]
                    var = fit.cov[j, j] + offset**2 * fit.cov[i, i] + 2 * offset * fit.cov[i, j]
                    se = float(np.sqrt(max(var, 0.0)))
                    row[f"gap_{label}"] = float(np.exp(log_gap))
                    row[f"gap_{label}_lower"] = float(np.exp(log_gap - z * se))
                    row[f"gap_{label}_upper"] = float(np.exp(log_gap + z * se))
            rows.append(row)
        table = pd.DataFrame.from_records(rows)
        lower, upper, p_value = wald(table["estimate"], table["se"], confidence)
        table["change_ratio"] = np.exp(table["estimate"])
        table["lower"], table["upper"], table["p_value"] = np.exp(lower), np.exp(upper), p_value
        toward = np.abs(np.log(table["gap_last"])) < np.abs(np.log(table["gap_first"]))
        significant = table["p_value"] < alpha_level
        table["direction"] = np.where(
            ~np.isfinite(table["p_value"]),
            "not estimable",
            np.where(significant, np.where(toward, "narrowing", "widening"), "no clear change"),
        )
        table["test"] = test
        table["family"] = fit.family
        table["n"] = fit.n
        table["periods"] = int(len(np.unique(t)))
        table["model"] = model
        record = make_record(
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
            note="; ".join(sorted(set(result.notes.values()))),
        )
        return with_keys(table.drop(columns=["estimate", "se"]), keys), [record]

    def fallback(group: pd.DataFrame, keys: dict[str, Any], message: str):
        rows = [
            {
                "term": name,
                "variable": exposure,
                "level": str(lv),
                "reference": str(exposure_term.reference),
                "direction": "not estimable",
                "test": test,
                "family": "not fitted",
                "n": len(group),
                "periods": int(group[period].nunique()),
                "model": model,
                "note": f"not fitted: {message}",
            }
            for lv, name in zip(levels, trend_names, strict=True)
        ]
        table = pd.DataFrame.from_records(rows)
        record = make_record(what, keys, family="not fitted", n=len(group), note=message)
        return with_keys(table, keys), [record]

    table, records = grouped(work, by_cols, fit_group, fallback, what)
    table = table.reindex(columns=by_cols + list(TREND_COLUMNS))
    table["n"] = table["n"].astype("int64")
    return attach(table.reset_index(drop=True), records)
