"""Input checks and the ``by`` loop shared by every model function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from inequalities.models._design import GroupProblem, as_list, parse_term


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ValueError naming every missing column."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what}: column(s) {missing} not found; the data have columns "
            f"{sorted(map(str, frame.columns))}. Pass the names of existing columns."
        )


def _first_rows(mask: pd.Series, limit: int = 5) -> list:
    return list(mask[mask].index[:limit])


def check_complete(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ValueError if any of ``columns`` holds missing values (naming rows)."""
    for column in dict.fromkeys(columns):
        missing = frame[column].isna()
        if missing.any():
            raise ValueError(
                f"{what}: column {column!r} has {int(missing.sum())} missing value(s) "
                f"(first rows {_first_rows(missing)}); drop or impute those rows first"
            )


def check_counts(frame: pd.DataFrame, count: str, population: str, what: str) -> None:
    """Check that counts are finite and >= 0 and populations finite and > 0."""
    counts = pd.to_numeric(frame[count], errors="coerce")
    bad = ~np.isfinite(counts.to_numpy(dtype=float)) | (counts.to_numpy(dtype=float) < 0)
    if bad.any():
        rows = list(frame.index[bad][:5])
        raise ValueError(
            f"{what}: column {count!r} must hold finite counts >= 0; "
            f"{int(bad.sum())} row(s) do not (first rows {rows})"
        )
    pops = pd.to_numeric(frame[population], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(pops) | (pops <= 0)
    if bad.any():
        rows = list(frame.index[bad][:5])
        raise ValueError(
            f"{what}: column {population!r} must hold finite populations > 0; "
            f"{int(bad.sum())} row(s) do not (first rows {rows}); drop areas with no population"
        )


def term_columns(terms: Sequence[str]) -> list[str]:
    """Column names behind term labels such as ``"C(imd_decile)"``."""
    return [parse_term(t)[0] for t in terms]


def grouped(
    frame: pd.DataFrame,
    by: str | Sequence[str] | None,
    fit_group: Callable[[pd.DataFrame, dict[str, Any]], tuple[pd.DataFrame, list[dict]]],
    fallback: Callable[[pd.DataFrame, dict[str, Any], str], tuple[pd.DataFrame, list[dict]]],
    what: str,
) -> tuple[pd.DataFrame, list[dict]]:
    """Run ``fit_group`` once per ``by`` group (or once on the whole frame).

    A :class:`GroupProblem` raised for one group becomes that group's ``fallback`` rows
    (flagged in ``note``) when fitting by group, so the other groups still deliver; with no
    ``by`` it is raised as a ValueError, because the whole table would be a fallback.
    """
    by_cols = as_list(by)
    if not by_cols:
        try:
            return fit_group(frame, {})
        except GroupProblem as problem:
            raise ValueError(f"{what}: {problem}") from None
    tables: list[pd.DataFrame] = []
    records: list[dict] = []
    for key, group in frame.groupby(by_cols, sort=True, observed=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        keys = {
            c: (k.item() if isinstance(k, np.generic) else k)
            for c, k in zip(by_cols, key, strict=True)
        }
        try:
            table, recs = fit_group(group, keys)
        except GroupProblem as problem:
            table, recs = fallback(group, keys, str(problem))
        tables.append(table)
        records.extend(recs)
    tables = [t for t in tables if len(t)]
    if not tables:
        raise ValueError(f"{what}: no group produced any rows")
    return pd.concat(tables, ignore_index=True), records


def with_keys(table: pd.DataFrame, keys: dict[str, Any]) -> pd.DataFrame:
    """Insert the ``by`` key columns at the front of ``table``."""
    for position, (column, value) in enumerate(keys.items()):
        table.insert(position, column, [value] * len(table))
    return table
