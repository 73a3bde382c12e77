"""Diagnostics of fitted models: warnings captured, dispersion, AIC, convergence.

Every model function in :mod:`inequalities.models` returns a tidy estimates table whose
``attrs["diagnostics"]`` holds one plain-dict record per fitted model (plain dicts, not a
DataFrame, so that pandas can compare and copy ``attrs`` safely). :func:`diagnostics`
turns those records into a tidy table; :func:`combine_diagnostics` stacks the tables of
several models for a report appendix.

Columns of a diagnostics table (:data:`DIAGNOSTIC_COLUMNS`, then any ``by`` columns):

``model``        name of the model (for example ``"rate_ratios"``)
``family``       distribution actually used (``poisson``, ``negative_binomial``,
                 ``quasi_poisson``, ``gaussian_mixed`` ...)
``n``            number of rows (areas) used in the fit
``n_parameters`` number of fixed-effect parameters
``dispersion``   Pearson chi-squared / residual degrees of freedom of the Poisson fit
                 (1 under the Poisson assumption); NaN for Gaussian models
``alpha``        negative-binomial ancillary parameter (NB2: var = mu + alpha mu^2)
``aic``          Akaike information criterion of the model actually used (NaN for
                 quasi-likelihood fits, which have none, and for REML mixed models,
                 whose restricted likelihood is not comparable across fixed effects)
``converged``    whether the optimiser reported convergence
``warnings``     the text of every warning raised during the fit, ``" | "``-joined
``reason``       why the family was chosen (dispersion check), in words
``note``         why the fit was skipped or degraded, if it was
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

DIAGNOSTIC_COLUMNS: tuple[str, ...] = (
    "model",
    "family",
    "n",
    "n_parameters",
    "dispersion",
    "alpha",
    "aic",
    "converged",
    "warnings",
    "reason",
    "note",
)


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Record every warning raised in the block instead of printing it.

    Yields a list that, after the block, holds ``"Category: message"`` strings in the
    order raised (duplicates removed). Used around each statsmodels fit so that
    ``ConvergenceWarning``, ``PerfectSeparationWarning``, overflow warnings and the like
    end up in the diagnostics table.
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield messages
    seen: set[str] = set()
    for item in caught:
        text = f"{item.category.__name__}: {item.message}"
        if text not in seen:
            seen.add(text)
            messages.append(text)


def make_record(model: str, keys: dict[str, Any] | None = None, **values: Any) -> dict[str, Any]:
    """Build one diagnostics record with every column present (missing ones as None)."""
    record: dict[str, Any] = dict(keys or {})
    for column in DIAGNOSTIC_COLUMNS:
        record[column] = values.get(column)
    record["model"] = model
    if isinstance(record.get("warnings"), list):
        record["warnings"] = " | ".join(record["warnings"])
    return record


def attach(table: pd.DataFrame, records: list[dict[str, Any]]) -> pd.DataFrame:
    """Store diagnostics ``records`` on ``table.attrs`` and return the table."""
    table.attrs["diagnostics"] = [dict(r) for r in records]
    return table


def diagnostics(table: pd.DataFrame) -> pd.DataFrame:
    """Return the diagnostics table of an estimates table made by this package.

    Parameters
    ----------
    table
        A DataFrame returned by a model function of :mod:`inequalities.models`.

    Returns
    -------
    DataFrame
        One row per fitted model, ``by`` columns first, then :data:`DIAGNOSTIC_COLUMNS`.

    Raises
    ------
    ValueError
        If ``table`` carries no diagnostics (it was not made by a model function, or an
        operation dropped its ``attrs``: call this on the table as returned).

    """
    records = table.attrs.get("diagnostics")
    if records is None:
        raise ValueError(
            "this table has no attrs['diagnostics']: pass the DataFrame exactly as returned "
            "by an inequalities.models function (some pandas operations drop attrs)"
        )
    frame = pd.DataFrame.from_records(records)
    keys = [c for c in frame.columns if c not in DIAGNOSTIC_COLUMNS]
    frame = frame[keys + list(DIAGNOSTIC_COLUMNS)]
    for column in ("warnings", "reason", "note"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.reset_index(drop=True)


def combine_diagnostics(*tables: pd.DataFrame) -> pd.DataFrame:
    """Stack the diagnostics of several estimates tables into one tidy table."""
    if not tables:
        raise ValueError("combine_diagnostics needs at least one estimates table")
    return pd.concat([diagnostics(t) for t in tables], ignore_index=True)
