"""Whole-column helpers for the text columns of the data layer (pyarrow-backed strings)."""

from __future__ import annotations

from collections.abc import Iterable

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
