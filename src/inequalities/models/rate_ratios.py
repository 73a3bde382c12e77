"""Adjusted rate ratios for counts with a population offset (Poisson / negative binomial GLM).

Model: log E[count_i] = log(population_i) + b0 + sum_k b_k x_ik, fitted by IRLS
(statsmodels GLM). The rate ratio of an exposure level against its reference is
exp(b_k), with a Wald interval exp(b_k +/- z se_k) and a two-sided Wald p-value.
Family choice and the dispersion check are described in :mod:`inequalities.models._fit`.

``by`` fits one model per group (e.g. per region: every coefficient free in each region).
``within`` fits one model in which each exposure is nested in the levels of ``within``
(the rurality x region interaction in nested form: region main effects plus one
rurality coefficient per region), so that every region gets its own gap adjusted with
common adjustment coefficients; see Rothman, Greenland & Lash, Modern Epidemiology
(3rd ed., 2008), ch. 15 on effect-measure modification in regression.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from inequalities.models._common import (
    check_complete,
    check_counts,
    grouped,
    require_columns,
    term_columns,
    with_keys,
)
from inequalities.models._counts import GroupFit, fit_group_counts
from inequalities.models._design import Term, as_list, make_term, require_contrast
from inequalities.models._fit import normalise_family, wald
from inequalities.models.diagnostics import attach, make_record

#: Columns of :func:`rate_ratios` output after the ``by`` (and ``within``) columns.
RATE_RATIO_COLUMNS: tuple[str, ...] = (
    "term",
    "variable",
    "level",
    "reference",
    "rate_ratio",
    "lower",
    "upper",
    "p_value",
    "family",
    "n",
    "events",
    "model",
    "note",
)


def resolve_terms(
    frame: pd.DataFrame,
    labels: Sequence[str],
    weights: pd.Series,
    reference: Mapping[str, object] | None,
) -> list[Term]:
    """Resolve term labels into :class:`Term` objects against the whole frame."""
    return [make_term(frame, label, weights, reference) for label in labels]


def describe(
    count: str, population: str, exposures: Sequence[Term], adjust: Sequence[Term], within
) -> str:
    """Describe the model in one line, for the ``model`` column."""
    terms = [t.label for t in exposures]
    if within is not None:
        terms = [f"{t}:{within.label}" for t in terms] + [within.label]
    terms += [f"C({t.label})" if t.categorical else t.label for t in adjust]
    return f"log-link GLM: {count} ~ {' + '.join(terms)}, offset log({population})"


def exposure_rows(
    result: GroupFit,
    confidence: float,
    within: Term | None,
    transform=np.exp,
) -> pd.DataFrame:
    """Tidy rows (one per exposure column) from a fitted group; dropped ones flagged."""
    fit = result.fit
    records: list[dict[str, Any]] = []
    for name, (variable, level, reference, wlevel) in result.expected:
        position = result.index(name)
        row: dict[str, Any] = {}
        if within is not None:
            row[within.column] = wlevel
        term = name.split(":")[0]
        row.update(
            term=term,
            variable=variable,
            level="per unit" if level is None else level,
            reference="" if reference is None else reference,
        )
        if position is None:
            row.update(estimate=np.nan, se=np.nan, note=result.notes.get(name, "not estimable"))
        else:
            row.update(estimate=fit.params[position], se=fit.bse[position], note="")
        records.append(row)
    table = pd.DataFrame.from_records(records)
    lower, upper, p_value = wald(table["estimate"], table["se"], confidence)
    table["rate_ratio"] = transform(table["estimate"])
    table["lower"] = transform(lower)
    table["upper"] = transform(upper)
    table["p_value"] = p_value
    table["family"] = fit.family
    table["n"] = fit.n
    table["events"] = result.events
    bad = ~np.isfinite(table["upper"]) & (table["note"] == "")
    table.loc[bad, "note"] = "interval not finite (separation or too few events)"
    return table.drop(columns=["estimate", "se"])


def rate_ratios(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    exposure: str | Sequence[str],
    adjust: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    family: str = "auto",
    confidence: float = 0.95,
    within: str | None = None,
    reference: Mapping[str, object] | None = None,
    dispersion_threshold: float = 1.5,
) -> pd.DataFrame:
    """Estimate adjusted rate ratios of ``exposure`` levels for counts with a population offset.

    Parameters
    ----------
    frame
        One row per area (e.g. LSOA), tidy.
    count
        Column of event counts (deaths, admissions; or FTE for access models, which
        should then use ``family="quasi_poisson"``).
    population
        Column of the population at risk (persons, or person-years); the offset is its log.
        Rates are per person; rate ratios are unit-free.
    exposure
        Column(s) whose rate ratios are wanted: categorical (``urban_rural``,
        ``rurality_code``, ``coastal``) against a reference level, or numeric
        (``imd_score``: ratio per unit). ``"C(col)"`` forces a categorical reading.
    adjust
        Adjustment columns (e.g. ``"imd_decile"`` or ``"C(imd_decile)"``,
        ``"pct_65_plus"``, ``"region_code"``), entered the same way.
    by
        Column(s) to split by; one model per group, ``by`` columns lead the output.
    family
        ``"auto"`` (Poisson, switching to negative binomial when the Pearson dispersion
        exceeds ``dispersion_threshold``), ``"poisson"``, ``"negative_binomial"``
        (``"negbin"``) or ``"quasi_poisson"``.
    confidence
        Confidence level of the Wald intervals.
    within
        Column in which to nest the exposures in one model (e.g. ``"region_code"`` for
        rurality x region): one rate ratio per exposure level per ``within`` level.
    reference
        ``{column: level}`` overriding the default reference level (the level holding
        the largest population).
    dispersion_threshold
        Pearson chi2/df above which ``family="auto"`` leaves Poisson.

    Returns
    -------
    DataFrame
        ``by`` columns, the ``within`` column if given, then :data:`RATE_RATIO_COLUMNS`:
        ``term`` (``"urban_rural[Rural]"``), ``variable``, ``level`` (``"per unit"`` for
        numeric terms), ``reference``, ``rate_ratio``, ``lower``, ``upper``, ``p_value``,
        ``family`` (the family actually used), ``n`` (areas in the fit), ``events``
        (sum of counts in the fit), ``model`` (description), ``note`` (why a row is not
        estimable; empty otherwise). Rows are sorted by ``by`` keys, then exposure and
        level order, then ``within`` level. ``attrs["diagnostics"]`` holds one record per
        fit; read it with :func:`inequalities.models.diagnostics`.

    Raises
    ------
    ValueError
        Missing columns or values, negative counts, non-positive populations, an unknown
        family, or (without ``by``) data that cannot support the model: no events, fewer
        areas than parameters. With ``by``, such a group gives rows flagged in ``note``.

    Examples
    --------
    >>> from inequalities.models import simulate_areas
    >>> areas = simulate_areas(n_areas=2000, n_lads=40, seed=1).frame
    >>> rate_ratios(areas, count="deaths", population="population",
    ...             exposure=["urban_rural", "coastal"],
    ...             adjust=["imd_decile", "pct_65_plus"])[["term", "rate_ratio"]].shape
    (2, 2)

    """
    exposures = as_list(exposure)
    adjust = as_list(adjust)
    by_cols = as_list(by)
    what = "rate_ratios"
    if not exposures:
        raise ValueError(f"{what}: give at least one exposure column (e.g. 'urban_rural')")
    family = normalise_family(family)
    used = [count, population, *term_columns(exposures), *term_columns(adjust), *by_cols]
    if within is not None:
        used.append(within)
        if within in by_cols:
            raise ValueError(f"{what}: within={within!r} cannot also be a `by` column")
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    check_counts(frame, count, population, what)
    weights = frame[population].astype(float)
    exposure_terms = resolve_terms(frame, exposures, weights, reference)
    adjust_terms = resolve_terms(frame, adjust, weights, reference)
    require_contrast(exposure_terms, what)
    within_term = None
    if within is not None:
        within_term = make_term(frame, f"C({within})", weights, reference)
    model = describe(count, population, exposure_terms, adjust_terms, within_term)

    def fit_group(group: pd.DataFrame, keys: dict[str, Any]):
        result = fit_group_counts(
            group,
            count=count,
            population=population,
            exposures=exposure_terms,
            adjust=adjust_terms,
            within=within_term,
            family=family,
            threshold=dispersion_threshold,
        )
        table = exposure_rows(result, confidence, within_term)
        table["model"] = model
        fit = result.fit
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
        return with_keys(table, keys), [record]

    def fallback(group: pd.DataFrame, keys: dict[str, Any], message: str):
        rows = []
        for term in exposure_terms:
            levels = (
                [lv for lv in term.levels if lv != term.reference] if term.categorical else [None]
            )
            for level in levels:
                for wlevel in within_term.levels if within_term is not None else [None]:
                    row: dict[str, Any] = {}
                    if within_term is not None:
                        row[within_term.column] = wlevel
                    row.update(
                        term=term.column if level is None else f"{term.column}[{level}]",
                        variable=term.column,
                        level="per unit" if level is None else level,
                        reference="" if term.reference is None else term.reference,
                        rate_ratio=np.nan,
                        lower=np.nan,
                        upper=np.nan,
                        p_value=np.nan,
                        family="not fitted",
                        n=len(group),
                        events=float(group[count].sum()),
                        model=model,
                        note=f"not fitted: {message}",
                    )
                    rows.append(row)
        record = make_record(what, keys, family="not fitted", n=len(group), note=message)
        return with_keys(pd.DataFrame.from_records(rows), keys), [record]

    table, records = grouped(frame, by_cols, fit_group, fallback, what)
    lead = by_cols + ([within] if within is not None else [])
    table = table[lead + list(RATE_RATIO_COLUMNS)].reset_index(drop=True)
    table["n"] = table["n"].astype("int64")
    table["level"] = table["level"].astype(str)
    table["reference"] = table["reference"].astype(str)
    return attach(table, records)


#: Columns of :func:`gap_heterogeneity` output after the ``by`` columns.
HETEROGENEITY_COLUMNS: tuple[str, ...] = (
    "term",
    "within",
    "levels",
    "statistic",
    "df",
    "p_value",
    "test",
    "family",
    "n",
    "model",
    "note",
)


def _wald_equality(params: np.ndarray, cov: np.ndarray) -> tuple[float, int, float]:
    """Wald chi-squared test that all ``params`` are equal (contrasts with the first)."""
    k = len(params)
    contrast = np.hstack([-np.ones((k - 1, 1)), np.eye(k - 1)])
    diff = contrast @ params
    middle = contrast @ cov @ contrast.T
    statistic = float(diff @ np.linalg.solve(middle, diff))
    df = k - 1
    return statistic, df, float(stats.chi2.sf(statistic, df))


def gap_heterogeneity(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    exposure: str | Sequence[str],
    within: str,
    adjust: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    family: str = "auto",
    reference: Mapping[str, object] | None = None,
    dispersion_threshold: float = 1.5,
) -> pd.DataFrame:
    """Test whether the gap differs between the levels of ``within`` (e.g. between regions).

    Fits the same nested model as ``rate_ratios(..., within=within)`` and, for every
    exposure level, computes the Wald chi-squared statistic of H0: the log rate ratio is
    the same in every ``within`` level where it is estimable (k levels give k - 1
    degrees of freedom; Rothman, Greenland & Lash 2008, ch. 15).

    Returns
    -------
    DataFrame
        ``by`` columns then :data:`HETEROGENEITY_COLUMNS`: ``term``, ``within`` (column
        name), ``levels`` (number of levels compared), ``statistic``, ``df``, ``p_value``,
        ``test`` (in words), ``family``, ``n``, ``model``, ``note`` (why a test is
        missing, e.g. fewer than two levels with an estimable gap).

    """
    what = "gap_heterogeneity"
    exposures = as_list(exposure)
    adjust = as_list(adjust)
    by_cols = as_list(by)
    family = normalise_family(family)
    used = [count, population, within, *term_columns(exposures), *term_columns(adjust)]
    used += by_cols
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    check_counts(frame, count, population, what)
    weights = frame[population].astype(float)
    exposure_terms = resolve_terms(frame, exposures, weights, reference)
    adjust_terms = resolve_terms(frame, adjust, weights, reference)
    require_contrast(exposure_terms, what)
    within_term = make_term(frame, f"C({within})", weights, reference)
    model = describe(count, population, exposure_terms, adjust_terms, within_term)
    test = f"Wald chi-squared test of equal rate ratios across {within} levels"

    def fit_group(group: pd.DataFrame, keys: dict[str, Any]):
        result = fit_group_counts(
            group,
            count=count,
            population=population,
            exposures=exposure_terms,
            adjust=adjust_terms,
            within=within_term,
            family=family,
            threshold=dispersion_threshold,
        )
        fit = result.fit
        by_term: dict[str, list[int]] = {}
        for name, _meaning in result.expected:
            position = result.index(name)
            if position is not None:
                by_term.setdefault(name.split(":")[0], []).append(position)
            else:
                by_term.setdefault(name.split(":")[0], [])
        rows = []
        for term, positions in by_term.items():
            row = {"term": term, "within": within, "levels": len(positions)}
            if len(positions) < 2:
                row.update(
                    statistic=np.nan,
                    df=0,
                    p_value=np.nan,
                    note="fewer than two levels with an estimable gap: no test",
                )
            else:
                idx = np.array(positions)
                statistic, df, p_value = _wald_equality(fit.params[idx], fit.cov[np.ix_(idx, idx)])
                row.update(statistic=statistic, df=df, p_value=p_value, note="")
            rows.append(row)
        table = pd.DataFrame.from_records(rows)
        table["test"] = test
        table["family"] = fit.family
        table["n"] = fit.n
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
        return with_keys(table, keys), [record]

    def fallback(group: pd.DataFrame, keys: dict[str, Any], message: str):
        rows = [
            {
                "term": f"{t.column}[{lv}]" if t.categorical else t.column,
                "within": within,
                "levels": 0,
                "statistic": np.nan,
                "df": 0,
                "p_value": np.nan,
                "test": test,
                "family": "not fitted",
                "n": len(group),
                "model": model,
                "note": f"not fitted: {message}",
            }
            for t in exposure_terms
            for lv in ([lv for lv in t.levels if lv != t.reference] if t.categorical else [None])
        ]
        record = make_record(what, keys, family="not fitted", n=len(group), note=message)
        return with_keys(pd.DataFrame.from_records(rows), keys), [record]

    table, records = grouped(frame, by_cols, fit_group, fallback, what)
    table = table[by_cols + list(HETEROGENEITY_COLUMNS)].reset_index(drop=True)
    table[["levels", "df", "n"]] = table[["levels", "df", "n"]].astype("int64")
    return attach(table, records)
