"""Whole-column helpers for the text columns of the data layer (pyarrow-backed strings)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def isin(column: pd.Series, values: Iterable[object]) -> np.ndarray:
    """Boolean mask: which rows of ``column`` hold one of ``values`` (missing: False).

    The same as ``column.isin(values).to_numpy()``, computed with ``pyarrow.compute.is_in``
    over the whole column. pandas' own ``isin`` for arrow strings turns each value into a
    Python scalar first, about ten times slower for the 33,000 small-area codes.
    """
    if not isinstance(column.dtype, pd.StringDtype) or column.dtype.storage != "pyarrow":
        return column.isin(values).to_numpy(dtype=bool)
    wanted = values.array if isinstance(values, pd.Series | pd.Index) else list(values)
    try:
        text = pa.array(column.array)  # pandas' __arrow_array__: no copy
        found = pc.is_in(text, value_set=pa.array(wanted, type=text.type, from_pandas=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not text
        return column.isin(values).to_numpy(dtype=bool)
    return np.asarray(pc.fill_null(found, False), dtype=bool)


class CodeIndex:
    """A column of codes encoded once as integers, for many membership tests.

    :meth:`isin` gives what :func:`isin` gives, but after the one encoding
    (:func:`pandas.factorize`) each test costs a lookup table over the distinct codes and
    one integer take, not a hash of every row: slicing 59 editions out of the million
    indicator rows asks four such questions per edition.
    """

    def __init__(self, column: pd.Series):
        self.ids, uniques = pd.factorize(column, use_na_sentinel=True)
        self.uniques = pd.Index(uniques)

    def isin(self, values: Iterable[object]) -> np.ndarray:
        """Boolean mask: which rows hold one of ``values`` (missing rows: only when a
        value is missing too, as :func:`isin` does)."""
        wanted = pd.Index(values.array if isinstance(values, pd.Series | pd.Index)
                          else list(values))
        found = self.uniques.get_indexer(wanted.unique())
        table = np.zeros(len(self.uniques) + 1, dtype=bool)  # the last slot: missing rows
        table[found[found >= 0]] = True
        table[-1] = bool(wanted.isna().any())
        return table[self.ids]


#: Values computed from a table, by the table's identity (the data layer's tables are never
#: changed in place, copy-on-write): a build asks the same questions of one table for 59
#: editions.
_MEMO: dict[int, tuple[weakref.ref, dict]] = {}


def remembered(frame: pd.DataFrame, key: Hashable, compute: Callable[[], object]):
    """``compute()``, once per ``frame`` and ``key`` while ``frame`` lives."""
    entry = _MEMO.get(id(frame))
    if entry is None or entry[0]() is not frame:
        for dead in [k for k, (ref, _) in _MEMO.items() if ref() is None]:
            del _MEMO[dead]
        entry = _MEMO[id(frame)] = (weakref.ref(frame), {})
    if key not in entry[1]:
        entry[1][key] = compute()
    return entry[1][key]


def code_index(frame: pd.DataFrame, column: str) -> CodeIndex:
    """The :class:`CodeIndex` of ``frame[column]``, made once per frame."""
    return remembered(frame, ("code-index", column), lambda: CodeIndex(frame[column]))
