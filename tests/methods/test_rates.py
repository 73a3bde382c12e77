"""rate() against PHEindicatormethods' phe_rate reference results."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.methods import rate

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

COLS = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


FILES = ["sysdata/test_Rate.csv", "sysdata/test_Rate_g.csv", "testdata_Rate__testdata_Rate.csv"]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("rows, multiplier", [(slice(0, 8), 100), (slice(8, 20), 100_000)])
def test_rates_match_reference(name, rows, multiplier):
    ref = read_ref(name).iloc[rows]
    out = rate(ref["Numerator"], ref["Denominator"], confidence=[95, 99.8], multiplier=multiplier)
    assert list(out.columns) == [
        "value",
        "lower_95",
        "upper_95",
        "lower_99_8",
        "upper_99_8",
        "method",
    ]
    assert_close(out.iloc[:, :5], ref[COLS])
    expected_method = ref["method"].where(ref["Numerator"].notna())
    assert (
        out["method"].astype(object).fillna("NA").tolist() == expected_method.fillna("NA").tolist()
    )


@pytest.mark.parametrize("name", FILES)
def test_count_above_denominator_is_allowed(name):
    ref = read_ref(name).iloc[[19]]
    out = rate(ref["Numerator"], ref["Denominator"], confidence=[0.95, 0.998])
    assert_close(out.iloc[:, :5], ref[COLS])


def test_default_is_per_100000_at_95():
    ref = read_ref("testdata_Rate__testdata_Rate.csv").iloc[8:16]
    out = rate(ref["Numerator"].to_numpy(), ref["Denominator"].to_numpy())
    assert_close(out[["value", "lower", "upper"]], ref[COLS[:3]])


@pytest.mark.parametrize(
    "x, n, rule", [([-1], [10], "count must be zero or more"), ([1], [0], "denominator")]
)
def test_bad_rows_raise(x, n, rule):
    with pytest.raises(ValueError, match=rule):
        rate(x, n)


@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(0, 10**6),
    n=st.floats(1, 1e8),
    c1=st.floats(0.8, 0.99),
    c2=st.floats(0.995, 0.9999),
)
def test_limits_bracket_and_widen(x, n, c1, c2):
    out = rate([x], [n], confidence=[c1, c2]).iloc[0]
    s1, s2 = out.index[1][5:], out.index[3][5:]
    tol = 1e-9 * max(1.0, out["value"])
    assert out[f"lower{s2}"] <= out[f"lower{s1}"] + tol
    assert out[f"lower{s1}"] <= out["value"] + tol <= out[f"upper{s1}"] + 2 * tol
    assert out[f"upper{s1}"] <= out[f"upper{s2}"] + tol


@settings(max_examples=60, deadline=None)
@given(x=st.integers(1, 10**5), k=st.integers(2, 50))
def test_relative_width_shrinks_with_count(x, k):
    small = rate([x], [1e6]).iloc[0]
    big = rate([x * k], [1e6 * k]).iloc[0]
    assert big["upper"] - big["lower"] < small["upper"] - small["lower"]
