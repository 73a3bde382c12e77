"""Inequality gradients (SII / RII) within urban and within rural areas, and their gap.

The slope index of inequality (SII) and relative index of inequality (RII) are computed
by :func:`inequalities.methods.sii` (the project's implementation of the PHE/OHID
method; Low & Low 2004, J Epidemiol Community Health 58:671-672), separately within
each rurality group. This module prepares the inputs (aggregating area counts to
deprivation quantiles when asked) and adds the gap between groups:

    gap = SII_rural - SII_urban,  se = sqrt(se_rural^2 + se_urban^2),

where each se is recovered from the reported interval as (upper - lower) / (2 z). The
groups hold disjoint areas, so their estimates are independent; the symmetric (normal)
approximation is stated in ``note`` of the gap rows. The same is done for RII when
``rii=True``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from inequalities.models._common import check_complete, require_columns
from inequalities.models._design import as_list
from inequalities.models._fit import z_value
from inequalities.models.diagnostics import attach, make_record

#: Columns of :func:`gradients` output after the ``by`` columns.
GRADIENT_COLUMNS: tuple[str, ...] = (
    "group",
    "measure",
    "estimate",
    "lower",
    "upper",
    "n",
    "model",
    "note",
)


def _aggregate(
    frame: pd.DataFrame, keys: list[str], count: str, population: str, per: float
) -> pd.DataFrame:
    table = (
        frame.groupby(keys, sort=True, observed=True)
        .agg(count=(count, "sum"), population=(population, "sum"), n=(count, "size"))
        .reset_index()
    )
    table["value"] = table["count"] / table["population"] * per
    # Poisson standard error of a crude rate (Kirkwood & Sterne 2003, s. 24.3)
    table["se"] = np.sqrt(table["count"]) / table["population"] * per
    return table


def gradients(
    frame: pd.DataFrame,
    *,
    quantile: str,
    population: str,
    count: str | None = None,
    value: str | None = None,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    rurality: str = "urban_rural",
    by: str | Sequence[str] | None = None,
    per: float = 100_000,
    value_type: int = 0,
    rii: bool = False,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int | None = 0,
    contrast: tuple[object, object] = ("Rural", "Urban"),
) -> pd.DataFrame:
    """SII (and RII) within each rurality group and the gap between two groups.

    Parameters
    ----------
    frame
        Either one row per area with a ``count`` column (aggregated here to one row per
        ``by`` x ``rurality`` x ``quantile``, giving the crude rate per ``per`` people and
        its Poisson standard error), or already one row per quantile with ``value`` and
        ``se`` (or ``lower`` and ``upper``).
    quantile
        Deprivation quantile column (e.g. ``imd_decile``, 1 = most deprived).
    population
        Population column (weights of the quantiles).
    count, value, se, lower, upper
        Give ``count``, or ``value`` with ``se`` or with ``lower``/``upper``.
    rurality
        Column whose groups get their own gradient (``urban_rural``).
    by
        Further grouping (e.g. ``region_code``).
    per
        Rate multiplier when ``count`` is given.
    value_type, rii, confidence, repetitions, seed
        Passed to :func:`inequalities.methods.sii`.
    contrast
        ``(group, reference)`` whose SII difference is the gap (default Rural - Urban).

    Returns
    -------
    DataFrame
        ``by`` columns then :data:`GRADIENT_COLUMNS`: ``group`` (a rurality level, or
        ``"Rural - Urban"`` for the gap), ``measure`` (``sii`` or ``rii``), ``estimate``
        with ``lower`` and ``upper``, ``n`` (quantile rows used), ``model``, ``note``.

    """
    by_cols = as_list(by)
    what = "gradients"
    if (count is None) == (value is None):
        raise ValueError(f"{what}: give exactly one of `count` (area rows) or `value`")
    if value is not None and se is None and (lower is None or upper is None):
        raise ValueError(f"{what}: with `value`, give `se` or both `lower` and `upper`")
    measure_cols = [c for c in (count, value, se, lower, upper) if c is not None]
    used = [quantile, population, rurality, *by_cols, *measure_cols]
    require_columns(frame, used, what)
    check_complete(frame, used, what)
    keys = [*by_cols, rurality, quantile]
    if count is not None:
        data = _aggregate(frame, keys, count, population, per)
        value_col, se_col, lower_col, upper_col = "value", "se", None, None
    else:
        duplicated = frame.duplicated(keys)
        if duplicated.any():
            first = list(frame.index[duplicated][:5])
            raise ValueError(
                f"{what}: with `value`, the data must have one row per {keys}; "
                f"{int(duplicated.sum())} duplicate row(s) (first {first}); "
                "aggregate first or pass `count`"
            )
        data = frame[used].copy()
        data["n"] = 1
        value_col, se_col, lower_col, upper_col = value, se, lower, upper
    try:
        from inequalities.methods import sii
    except ImportError as error:  # pragma: no cover - depends on the merge state
        raise ImportError(
            "gradients needs inequalities.methods.sii (the SII/RII implementation); "
            "it is not available in this installation"
        ) from error
    counts = data.groupby([*by_cols, rurality], sort=True, observed=True).agg(n=(quantile, "size"))
    result = sii(
        data,
        quantile=quantile,
        population=population,
        value=value_col,
        by=[*by_cols, rurality],
        lower=lower_col,
        upper=upper_col,
        se=se_col,
        value_type=value_type,
        confidence=confidence,
        repetitions=repetitions,
        rii=rii,
        seed=seed,
    )
    result = result.merge(counts.reset_index(), on=[*by_cols, rurality], how="left")
    measures = ["sii", "rii"] if rii else ["sii"]
    model = f"SII{'/RII' if rii else ''} of {value or count} over {quantile} within {rurality}"
    long = []
    for measure in measures:
        part = result[[*by_cols, rurality, measure, f"{measure}_lower", f"{measure}_upper", "n"]]
        part = part.rename(
            columns={
                rurality: "group",
                measure: "estimate",
                f"{measure}_lower": "lower",
                f"{measure}_upper": "upper",
            }
        )
        part.insert(len(by_cols) + 1, "measure", measure)
        long.append(part)
    within = pd.concat(long, ignore_index=True)
    within["note"] = ""
    within.loc[~np.isfinite(within["estimate"].astype(float)), "note"] = "not estimable"

    z = z_value(confidence)
    group, reference = contrast
    label = f"{group} - {reference}"
    index = [*by_cols, "measure"]
    target = within[within["group"] == group].set_index(index)
    base = within[within["group"] == reference].set_index(index)
    both = target.merge(base, left_index=True, right_index=True, how="outer", suffixes=("_g", "_r"))
    se_g = (both["upper_g"] - both["lower_g"]) / (2 * z)
    se_r = (both["upper_r"] - both["lower_r"]) / (2 * z)
    gap = both["estimate_g"] - both["estimate_r"]
    half = z * np.sqrt(se_g**2 + se_r**2)
    gaps = pd.DataFrame(
        {
            "group": label,
            "estimate": gap,
            "lower": gap - half,
            "upper": gap + half,
            "n": both["n_g"].fillna(0) + both["n_r"].fillna(0),
        }
    ).reset_index()
    gaps["note"] = "difference of independent estimates, normal approximation"
    missing = ~np.isfinite(gaps["estimate"].astype(float))
    gaps.loc[missing, "note"] = f"gap not estimable: {group!r} or {reference!r} missing in group"
    table = pd.concat([within, gaps], ignore_index=True)
    table["group"] = table["group"].astype(str)
    table["model"] = model
    table["n"] = table["n"].fillna(0).astype("int64")
    table = table[by_cols + list(GRADIENT_COLUMNS)]
    order = {m: i for i, m in enumerate(measures)}
    table = table.assign(_m=table["measure"].map(order), _gap=table["group"] == label)
    table = table.sort_values([*by_cols, "_m", "_gap", "group"], kind="stable")
    table = table.drop(columns=["_m", "_gap"]).reset_index(drop=True)
    records: list[dict[str, Any]] = [
        make_record(what, {}, family="sii", n=len(data), reason=model, converged=True)
    ]
    return attach(table, records)
