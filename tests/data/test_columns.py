"""``isin`` over arrow-string columns agrees with pandas' own ``Series.isin``."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inequalities.data._columns import isin

pytestmark = pytest.mark.unit

codes = st.sampled_from(["E01000001", "E01000002", "E06000001", "", "é", None])


@given(st.lists(codes, max_size=30), st.lists(codes, max_size=8))
def test_matches_pandas_isin(column, values):
    series = pd.Series(column, dtype="str")
    expected = series.isin([v for v in values if v is not None]).to_numpy(dtype=bool)
    for given_values in ([v for v in values if v is not None],
                         pd.Series([v for v in values if v is not None], dtype="str"),
                         set(v for v in values if v is not None)):
        np.testing.assert_array_equal(isin(series, given_values), expected)


def test_other_dtypes_fall_back_to_pandas():
    np.testing.assert_array_equal(isin(pd.Series([1, 2, 3]), [2, 3]), [False, True, True])
    np.testing.assert_array_equal(isin(pd.Series(["a", "b"], dtype=object), ["b"]),
                                  [False, True])
    np.testing.assert_array_equal(isin(pd.Series(["a", "1"], dtype="str"), [1]),
                                  [False, False])
