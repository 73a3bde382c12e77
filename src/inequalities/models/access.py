"""Access models: workforce per population (and per need-weighted population).

* :func:`access_rates` - workforce (e.g. GP FTE) per ``per`` people in each group
  (rurality x region), as the ratio estimator R = sum(w) / sum(p) over the group's
  areas, with a linearisation (Taylor) interval treating areas as the sampling units:
  var(R) = n / (n - 1) * sum((w_i - R p_i)^2) / (sum p_i)^2 (Cochran, Sampling
  Techniques, 3rd ed., 1977, s. 6.3). Computed for the plain population and, if given,
  for a need-weighted population.
* :func:`access_ratios` - adjusted ratios of access between groups: a quasi-Poisson
  log-link GLM of workforce with offset log(population) (FTE are not counts, so the
  Poisson variance is only a working assumption, scaled by the Pearson dispersion).
* :func:`lowest_access_share` - the share of each group's population living in the
  areas with the lowest access that together hold ``fraction`` (a fifth) of the whole
  input's population, with the same ratio-estimator interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from inequalities.models._common import check_complete, check_counts, require_columns
from inequalities.models._design import as_list
from inequalities.models._fit import z_value
from inequalities.models.diagnostics import attach, make_record
from inequalities.models.rate_ratios import rate_ratios

#: Columns of :func:`access_rates` output after the ``by`` and ``groups`` columns.
ACCESS_COLUMNS: tuple[str, ...] = (
    "denominator",
    "rate",
    "lower",
    "upper",
    "per",
    "workforce",
    "population",
    "n",
    "model",
    "note",
)

#: Columns of :func:`lowest_access_share` output after the ``by`` columns.
SHARE_COLUMNS: tuple[str, ...] = (
    "share",
    "lower",
    "upper",
    "population",
    "population_lowest",
    "threshold",
    "n",
    "model",
    "note",
)


def _ratio_table(
    frame: pd.DataFrame, keys: list[str], numerator: str, denominator: str, confidence: float
) -> pd.DataFrame:
    """Ratio estimator sum(num)/sum(den) per group with a linearisation interval."""
    z = z_value(confidence)
    work = frame[[*keys, numerator, denominator]].copy()
    work["_num"] = work[numerator].astype(float)
    work["_den"] = work[denominator].astype(float)
    if keys:
        grouped = work.groupby(keys, sort=True, observed=True)
        totals = grouped.agg(num=("_num", "sum"), den=("_den", "sum"), n=("_num", "size"))
        ratio = totals["num"] / totals["den"]
        joined = work.join(ratio.rename("_ratio"), on=keys)
    else:
        totals = pd.DataFrame(
            {"num": [work["_num"].sum()], "den": [work["_den"].sum()], "n": [len(work)]}
        )
        ratio = totals["num"] / totals["den"]
        joined = work.assign(_ratio=float(ratio.iloc[0]))
    joined["_d2"] = (joined["_num"] - joined["_ratio"] * joined["_den"]) ** 2
    ss = (
        joined.groupby(keys, sort=True, observed=True)["_d2"].sum()
        if keys
        else pd.Series([joined["_d2"].sum()])
    )
    n = totals["n"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (n / (n - 1)) * ss.to_numpy() / totals["den"].to_numpy() ** 2
    se = np.sqrt(np.where(n > 1, variance, np.nan))
    table = totals.reset_index() if keys else totals
    table["ratio"] = ratio.to_numpy()
    table["lower"] = table["ratio"] - z * se
    table["upper"] = table["ratio"] + z * se
    table["note"] = np.where(n.to_numpy() > 1, "", "one area: no interval")
    return table


def access_rates(
    frame: pd.DataFrame,
    *,
    workforce: str,
    population: str,
    need: str | None = None,
    groups: Sequence[str] = ("urban_rural",),
    by: str | Sequence[str] | None = ("region_code",),
    per: float = 100_000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Workforce per ``per`` people (and per need-weighted population) by group.

    Parameters
    ----------
    frame
        One row per area with workforce (FTE, headcount) and population columns.
    workforce
        Workforce column (e.g. GP FTE).
    population
        Resident (or registered) population column.
    need
        Optional need-weighted population column (e.g. Carr-Hill weighted list size).
    groups, by
        Columns defining the cells (rurality within region by default). ``by`` columns
        come first in the output; both are simply grouping columns here.
    per
        Rate per this many people (default 100,000).
    confidence
        Level of the ratio-estimator intervals.

    Returns
    -------
    DataFrame
        ``by``, ``groups``, then :data:`ACCESS_COLUMNS`: ``denominator`` (the population
        column used), ``rate`` per ``per`` with ``lower``/``upper``, totals of
        ``workforce`` and ``population`` (of that denominator), ``n`` areas, ``model``,
        ``note``. Rows sorted by ``by``, ``groups``, denominator.

    """
    what = "access_rates"
    keys = [*as_list(by), *as_list(groups)]
    denominators = [population] + ([need] if need is not None else [])
    used = [workforce, *denominators, *keys]
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    for denominator in denominators:
        check_counts(frame, workforce, denominator, what)
    parts = []
    for denominator in denominators:
        table = _ratio_table(frame, keys, workforce, denominator, confidence)
        out = table[keys].copy() if keys else pd.DataFrame(index=table.index)
        out["denominator"] = denominator
        out["rate"] = table["ratio"] * per
        out["lower"] = table["lower"] * per
        out["upper"] = table["upper"] * per
        out["per"] = per
        out["workforce"] = table["num"]
        out["population"] = table["den"]
        out["n"] = table["n"].astype("int64")
        out["model"] = (
            f"ratio estimator sum({workforce}) / sum({denominator}), linearisation interval"
        )
        out["note"] = table["note"]
        parts.append(out)
    result = pd.concat(parts, ignore_index=True)
    result = result.sort_values([*keys, "denominator"], kind="stable").reset_index(drop=True)
    record = make_record(what, {}, family="ratio estimator", n=len(frame), converged=True)
    return attach(result[keys + list(ACCESS_COLUMNS)], [record])


def access_ratios(
    frame: pd.DataFrame,
    *,
    workforce: str,
    population: str,
    exposure: str | Sequence[str] = "urban_rural",
    adjust: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    within: str | None = None,
    confidence: float = 0.95,
    reference: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Estimate adjusted ratios of workforce per population between groups (quasi-Poisson).

    Same output as :func:`inequalities.models.rate_ratios` (the ``rate_ratio`` column is
    the ratio of workforce per person, e.g. rural vs urban); pass a need-weighted
    population as ``population`` for access relative to need.
    """
    return rate_ratios(
        frame,
        count=workforce,
        population=population,
        exposure=exposure,
        adjust=adjust,
        by=by,
        within=within,
        family="quasi_poisson",
        confidence=confidence,
        reference=reference,
    )


def lowest_access_share(
    frame: pd.DataFrame,
    *,
    access: str,
    population: str,
    by: str | Sequence[str] | None = "region_code",
    fraction: float = 0.2,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of each group's population in the lowest-access ``fraction`` of the whole input.

    Areas are ranked by ``access`` (ascending; ties by input order) over the **whole**
    frame (e.g. England); an area belongs to the lowest-access fifth when the midpoint
    of its population on the cumulative population scale lies below ``fraction``. Each
    group's share is the population-weighted mean of that flag (1/5 everywhere if access
    did not depend on the group).

    Returns
    -------
    DataFrame
        ``by`` columns then :data:`SHARE_COLUMNS`: ``share`` (0-1) with ratio-estimator
        ``lower``/``upper``, ``population``, ``population_lowest``, ``threshold`` (the
        highest access value inside the lowest fifth), ``n`` areas, ``model``, ``note``.

    """
    what = "lowest_access_share"
    if not 0 < fraction < 1:
        raise ValueError(f"{what}: fraction={fraction!r} must be between 0 and 1")
    keys = as_list(by)
    used = [access, population, *keys]
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    check_counts(frame, access, population, what)
    work = frame[used].reset_index(drop=True)
    order = np.argsort(work[access].to_numpy(dtype=float), kind="stable")
    pop = work[population].to_numpy(dtype=float)
    cumulative = np.cumsum(pop[order])
    midpoint = (cumulative - pop[order] / 2) / cumulative[-1]
    lowest = np.zeros(len(work), dtype=bool)
    lowest[order] = midpoint < fraction
    threshold = float(work[access].to_numpy(dtype=float)[lowest].max()) if lowest.any() else np.nan
    work["_lowest_pop"] = np.where(lowest, pop, 0.0)
    table = _ratio_table(work, keys, "_lowest_pop", population, confidence)
    out = table[keys].copy() if keys else pd.DataFrame(index=table.index)
    out["share"] = table["ratio"]
    out["lower"] = table["lower"].clip(lower=0.0)
    out["upper"] = table["upper"].clip(upper=1.0)
    out["population"] = table["den"]
    out["population_lowest"] = table["num"]
    out["threshold"] = threshold
    out["n"] = table["n"].astype("int64")
    out["model"] = (
        f"share of population in the lowest-{access} {fraction:g} of the input "
        "(population-ranked), ratio-estimator interval"
    )
    out["note"] = table["note"]
    record: dict[str, Any] = make_record(
        what, {}, family="ratio estimator", n=len(frame), converged=True
    )
    return attach(out[keys + list(SHARE_COLUMNS)].reset_index(drop=True), [record])
