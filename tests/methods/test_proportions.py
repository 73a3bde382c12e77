"""proportion() against PHEindicatormethods' phe_proportion reference results."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.methods import proportion

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

FILES = [
    "sysdata/test_Prop.csv",
    "sysdata/test_Prop_g.csv",
    "testdata_Proportion__testdata_Prop.csv",
]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("rows, multiplier", [(slice(0, 8), 1), (slice(8, 16), 100)])
def test_two_levels_match_reference(name, rows, multiplier):
    ref = read_ref(name).iloc[rows]
    out = proportion(
        ref["Numerator"], ref["Denominator"], confidence=(0.95, 0.998), multiplier=multiplier
    )
    assert list(out.columns) == ["value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
    expected = ref[["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]]
    assert_close(out, expected)
    assert out.index.equals(ref.index)


def test_single_levels_give_plain_columns():
    ref = read_ref("sysdata/test_Prop.csv").iloc[:8]
    out = proportion(ref["Numerator"], ref["Denominator"], confidence=99.8)
    assert list(out.columns) == ["value", "lower", "upper"]
    assert_close(out[["lower", "upper"]], ref[["lower99_8cl", "upper99_8cl"]])
    out = proportion(ref["Numerator"].to_numpy(), ref["Denominator"].to_numpy())
    assert_close(out[["value", "lower", "upper"]], ref[["value", "lower95_0cl", "upper95_0cl"]])


def test_missing_inputs_give_missing_results():
    ref = read_ref("sysdata/test_Prop.csv").iloc[16:19]
    out = proportion(ref["Numerator"], ref["Denominator"], confidence=[0.95, 0.998])
    assert out.isna().all(axis=None)


def test_grouped_totals_by_summing_first():
    # phe_proportion on input grouped by Area sums numerators and denominators per group
    ref = read_ref("sysdata/test_Prop_g.csv").iloc[:8]
    sums = ref.groupby("Area")[["Numerator", "Denominator"]].sum()
    out = proportion(sums["Numerator"], sums["Denominator"])
    assert_close(
        out[["value", "lower", "upper"]],
        ref.set_index("Area").loc[sums.index, ["value", "lower95_0cl", "upper95_0cl"]],
    )


@pytest.mark.parametrize(
    "num, den, rule",
    [
        ([1, -1], [10, 10], "numerator must be zero or more"),
        ([1, 1], [10, 0], "denominator must be greater than zero"),
        ([1, 11], [10, 10], "must not exceed denominator"),
    ],
)
def test_bad_rows_raise_naming_the_row(num, den, rule):
    with pytest.raises(ValueError, match=rule) as info:
        proportion(pd.Series(num, index=["a", "b"]), den)
    assert "row 'b'" in str(info.value)


counts = st.integers(min_value=0, max_value=10**6)


@settings(max_examples=60, deadline=None)
@given(x=counts, extra=counts, c1=st.floats(0.8, 0.99), c2=st.floats(0.995, 0.9999))
def test_limits_bracket_and_widen(x, extra, c1, c2):
    n = x + extra + 1
    out = proportion([x], [n], confidence=[c1, c2]).iloc[0]
    s1, s2 = out.index[1][5:], out.index[3][5:]
    assert (
        out[f"lower{s2}"]
        <= out[f"lower{s1}"]
        <= out["value"]
        <= out[f"upper{s1}"]
        <= out[f"upper{s2}"]
    )
    assert 0 <= out[f"lower{s2}"] and out[f"upper{s2}"] <= 1 + 1e-12


@settings(max_examples=60, deadline=None)
@given(p=st.floats(0.01, 0.99), n=st.integers(10, 10**5), k=st.integers(2, 50))
def test_limits_shrink_with_sample_size(p, n, k):
    small = proportion([round(p * n)], [n]).iloc[0]
    big = proportion([round(p * n) * k], [n * k]).iloc[0]
    assert big["upper"] - big["lower"] < small["upper"] - small["lower"]
