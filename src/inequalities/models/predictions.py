"""Adjusted predicted rates per group (e.g. urban/rural x deprivation quintile x region).

Model: log E[count_i] = log(population_i) + g_c(i) + (z_i - zbar)' a, a log-link count
GLM (family chosen as in :mod:`inequalities.models._fit`) with one parameter g_c per
cell c of the cross-classification and centred adjustment covariates z (numeric columns
as they are, categorical ones as indicator columns). Because z is centred at its
population-weighted mean zbar, exp(g_c) is the rate a cell would have at the average
adjustment profile of the data (the "adjusted rate at the means"; Lane & Nelder 1982,
Biometrics 38:613-621, on predictive margins). Its interval exp(g_c +/- z se_c) is the
delta-method (log-scale Wald) interval. Rates are per ``per`` population (default
100,000).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from inequalities.models._common import (
    check_complete,
    check_counts,
    grouped,
    require_columns,
    term_columns,
    with_keys,
)
from inequalities.models._design import (
    GroupProblem,
    Term,
    as_list,
    build_design,
    collinear_columns,
    make_term,
)
from inequalities.models._fit import fit_counts, normalise_family, wald
from inequalities.models.diagnostics import attach, make_record

#: Columns of :func:`adjusted_rates` output after the ``by`` and ``groups`` columns.
PREDICTION_COLUMNS: tuple[str, ...] = (
    "rate",
    "lower",
    "upper",
    "per",
    "n",
    "events",
    "population",
    "family",
    "model",
    "note",
)


def _adjust_matrix(group: pd.DataFrame, terms: Sequence[Term], weights: np.ndarray) -> np.ndarray:
    design = build_design(group, [], list(terms), intercept=False)
    matrix = design.matrix
    if matrix.shape[1] == 0:
        return matrix
    means = (weights[:, None] * matrix).sum(axis=0) / weights.sum()
    return matrix - means


def adjusted_rates(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    groups: Sequence[str] = ("urban_rural", "imd_quintile", "region_code"),
    adjust: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    per: float = 100_000,
    family: str = "auto",
    confidence: float = 0.95,
    reference: Mapping[str, object] | None = None,
    dispersion_threshold: float = 1.5,
) -> pd.DataFrame:
    """Estimate adjusted rates with intervals for every cell of ``groups``, for charts.

    Parameters
    ----------
    frame
        One row per area.
    count, population
        Event count and population-at-risk columns.
    groups
        Columns whose cross-classification defines the cells (default urban/rural x IMD
        quintile x region). Every combination of their levels (observed values, or all
        categories of a Categorical column) gets a row; cells with no areas or no events
        are flagged in ``note``.
    adjust
        Adjustment columns (e.g. ``["pct_65_plus"]``), held at their population-weighted
        mean (categorical columns at their population shares).
    by
        Column(s) to fit separately.
    per
        Rates are per this many people (default 100,000).
    family, confidence, dispersion_threshold
        As in :func:`inequalities.models.rate_ratios`.
    reference
        Unused for cells; reference levels of categorical adjustment columns.

    Returns
    -------
    DataFrame
        ``by`` columns, ``groups`` columns, then :data:`PREDICTION_COLUMNS`: adjusted
        ``rate`` per ``per`` people with ``lower`` and ``upper``, ``n`` areas and
        ``events`` and ``population`` in the cell, ``family`` used, ``model``, ``note``.
        Sorted by ``by`` and ``groups``. ``attrs["diagnostics"]`` has one record per fit.

    """
    group_cols = as_list(groups)
    adjust = as_list(adjust)
    by_cols = as_list(by)
    what = "adjusted_rates"
    if not group_cols:
        raise ValueError(f"{what}: give at least one column in `groups`")
    overlap = set(group_cols) & (set(by_cols) | set(term_columns(adjust)))
    if overlap:
        raise ValueError(f"{what}: column(s) {sorted(overlap)} are in `groups` and `by`/`adjust`")
    family = normalise_family(family)
    used = [count, population, *group_cols, *term_columns(adjust), *by_cols]
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    check_counts(frame, count, population, what)
    weights_all = frame[population].astype(float)
    adjust_terms = [make_term(frame, t, weights_all, reference) for t in adjust]
    model = (
        f"log-link GLM: {count} ~ 0 + cell({' x '.join(group_cols)})"
        + "".join(f" + {t.label}" for t in adjust_terms)
        + f", offset log({population}); adjustment held at population-weighted means"
    )
    level_lists = [
        list(frame[c].cat.categories)
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
        else sorted(pd.unique(frame[c]).tolist())
        for c in group_cols
    ]

    def fit_group(group: pd.DataFrame, keys: dict[str, Any]):
        cells = pd.MultiIndex.from_product(level_lists, names=group_cols)
        summary = (
            group.groupby(group_cols, sort=True, observed=True)
            .agg(n=(count, "size"), events=(count, "sum"), population=(population, "sum"))
            .reindex(cells)
        )
        summary["n"] = summary["n"].fillna(0).astype("int64")
        summary["events"] = summary["events"].fillna(0.0).astype(float)
        summary["population"] = summary["population"].fillna(0.0).astype(float)
        summary["note"] = ""
        summary.loc[summary["n"] == 0, "note"] = "no areas in this cell"
        no_events = (summary["n"] > 0) & (summary["events"] <= 0)
        summary.loc[no_events, "note"] = "no events in this cell: adjusted rate not estimable"
        fitted = summary.index[summary["note"] == ""]
        if len(fitted) == 0:
            raise GroupProblem("no cell has both areas and events")
        key = pd.MultiIndex.from_frame(group[group_cols])
        position = pd.Index(fitted).get_indexer(key)
        keep = position >= 0
        sub = group.loc[keep]
        position = position[keep]
        y = sub[count].to_numpy(dtype=float)
        weights = sub[population].to_numpy(dtype=float)
        cell_matrix = np.zeros((len(sub), len(fitted)))
        cell_matrix[np.arange(len(sub)), position] = 1.0
        adjust_matrix = _adjust_matrix(sub, adjust_terms, weights)
        matrix = np.column_stack([cell_matrix, adjust_matrix])
        collinear = [i for i in collinear_columns(matrix) if i >= len(fitted)]
        matrix = np.delete(matrix, collinear, axis=1)
        if len(y) <= matrix.shape[1]:
            raise GroupProblem(
                f"too few areas: {len(y)} for {matrix.shape[1]} parameters; "
                "use fewer `groups` columns or fit without `by`"
            )
        try:
            fit = fit_counts(
                y, matrix, np.log(weights), family=family, threshold=dispersion_threshold
            )
        except (np.linalg.LinAlgError, ValueError, FloatingPointError) as error:
            raise GroupProblem(f"statsmodels could not fit this group ({error})") from error
        k = len(fitted)
        estimate = pd.Series(np.nan, index=summary.index)
        se = pd.Series(np.nan, index=summary.index)
        estimate.loc[fitted] = fit.params[:k]
        se.loc[fitted] = fit.bse[:k]
        lower, upper, _ = wald(estimate, se, confidence)
        table = summary.reset_index()
        table["rate"] = np.exp(estimate.to_numpy()) * per
        table["lower"] = np.exp(lower) * per
        table["upper"] = np.exp(upper) * per
        table["per"] = per
        table["family"] = fit.family
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
            note="; ".join(sorted(set(summary["note"]) - {""})),
        )
        return with_keys(table, keys), [record]

    def fallback(group: pd.DataFrame, keys: dict[str, Any], message: str):
        table = (
            group.groupby(group_cols, sort=True, observed=True)
            .agg(n=(count, "size"), events=(count, "sum"), population=(population, "sum"))
            .reset_index()
        )
        table["events"] = table["events"].astype(float)
        table["population"] = table["population"].astype(float)
        for column in ("rate", "lower", "upper"):
            table[column] = np.nan
        table["per"] = per
        table["family"] = "not fitted"
        table["model"] = model
        table["note"] = f"not fitted: {message}"
        record = make_record(what, keys, family="not fitted", n=len(group), note=message)
        return with_keys(table, keys), [record]

    table, records = grouped(frame, by_cols, fit_group, fallback, what)
    table = table[by_cols + group_cols + list(PREDICTION_COLUMNS)]
    table = table.sort_values(by_cols + group_cols, kind="stable").reset_index(drop=True)
    table["n"] = table["n"].astype("int64")
    return attach(table, records)
