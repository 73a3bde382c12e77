"""Small helpers for tidy-frame inputs: column lookup, grouping keys, limit columns."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

__all__ = ["as_float_array", "column", "group_columns", "group_codes", "output_index"]


def as_float_array(values, name: str) -> np.ndarray:
    """Convert an array-like (Series, list, ndarray, scalar) to a 1-d float array."""
    try:
        arr = np.asarray(pd.to_numeric(pd.Series(np.ravel(values)), errors="raise"), dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: values must be numeric ({exc})") from None
    return arr


def column(frame: pd.DataFrame, name: Hashable, role: str) -> np.ndarray:
    """Return ``frame[name]`` as floats, with a clear error when the column is absent."""
    if name not in frame.columns:
        raise ValueError(
            f"{role}={name!r} is not a column of the frame; columns are {list(frame.columns)}"
        )
    try:
        return np.asarray(pd.to_numeric(frame[name], errors="raise"), dtype=float)
    except (TypeError, ValueError):
        bad = pd.to_numeric(frame[name], errors="coerce").isna() & frame[name].notna()
        label = frame.index[np.flatnonzero(bad.to_numpy())[0]]
        raise ValueError(
            f"column {name!r} ({role}) must be numeric: row {label!r} has {frame.at[label, name]!r}"
        ) from None


def group_columns(frame: pd.DataFrame, by: Hashable | Sequence[Hashable] | None) -> list:
    """Normalise ``by`` to a list of column names and check that they exist."""
    if by is None:
        return []
    cols = [by] if isinstance(by, (str, int, tuple)) else list(by)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(
            f"by: {missing} not columns of the frame; columns are {list(frame.columns)}"
        )
    return cols


def group_codes(frame: pd.DataFrame, by: list) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row (in sorted key order) and the frame of unique keys.

    Rows whose key contains a missing value form their own groups (``dropna=False``).
    """
    if not by:
        return np.zeros(len(frame), dtype=np.intp), pd.DataFrame(index=pd.RangeIndex(1))
    grouped = frame.groupby(by, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().reset_index()[by]
    return codes, keys


def output_index(values) -> pd.Index | None:
    """Return the index for a row-wise result: the input's index if it was a Series."""
    if isinstance(values, pd.Series):
        return values.index
    return None
