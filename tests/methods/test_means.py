"""mean() against PHEindicatormethods' phe_mean reference results."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.methods import mean

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

COLS = [
    "value_sum",
    "value_count",
    "stdev",
    "value",
    "lower95_0cl",
    "upper95_0cl",
    "lower99_8cl",
    "upper99_8cl",
]
OUT = [
    "value_sum",
    "value_count",
    "stdev",
    "value",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
]


@pytest.mark.parametrize(
    "data, results",
    [
        ("sysdata/test_Mean.csv", "sysdata/test_Mean_results.csv"),
        ("sysdata/test_Mean_Grp.csv", "sysdata/test_Mean_results.csv"),
        ("testdata_Mean__testdata_Mean.csv", "testdata_Mean__testdata_Mean_results.csv"),
    ],
)
def test_grouped_and_ungrouped_match_reference(data, results):
    frame, ref = read_ref(data), read_ref(results)
    out = mean(frame, value="values", by="area", confidence=[0.95, 0.998])
    assert out["area"].tolist() == ["Area1", "Area2"]
    assert_close(out[OUT], ref.iloc[:2][COLS])
    out = mean(frame, value="values", confidence=(95, 99.8))
    assert_close(out[OUT], ref.iloc[[2]][COLS])


def test_single_level_plain_columns():
    frame, ref = read_ref("sysdata/test_Mean.csv"), read_ref("sysdata/test_Mean_results.csv")
    out = mean(frame, value="values")
    assert_close(
        out[["value", "lower", "upper"]], ref.iloc[[2]][["value", "lower95_0cl", "upper95_0cl"]]
    )


def test_missing_values_are_left_out():
    frame = pd.DataFrame({"g": ["a"] * 4, "v": [1.0, 2.0, np.nan, 3.0]})
    out = mean(frame, value="v", by="g").iloc[0]
    assert out["value_count"] == 3 and out["value"] == pytest.approx(2.0)
    # by hand: sd = 1, t(0.975, 2) = 4.302653
    assert out["upper"] == pytest.approx(2 + 4.302652729911275 / np.sqrt(3), rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=30, unique=True))
def test_limits_bracket_and_widen(values):
    out = mean(pd.DataFrame({"v": values}), value="v", confidence=[0.9, 0.99]).iloc[0]
    assert out["lower_99"] <= out["lower_90"] <= out["value"] <= out["upper_90"] <= out["upper_99"]


def test_weighted_mean_by_hand():
    from inequalities.methods import weighted_mean
    out = weighted_mean([1.0, 2.0, 3.0, np.nan], [1.0, 1.0, 2.0, 5.0])
    # ybar = (1 + 2 + 6) / 4 = 2.25; w*(y - ybar) = -1.25, -0.25, 1.5;
    # v = 3/2 * (1.5625 + 0.0625 + 2.25) / 16 = 0.36328; t(0.975, 2) = 4.302653
    assert out["value"] == pytest.approx(2.25)
    assert out["n"] == 3
    assert out["se"] == pytest.approx(0.3632813 ** 0.5)
    assert out["lower"] == pytest.approx(2.25 - 4.302653 * 0.3632813 ** 0.5, rel=1e-6)
    one = weighted_mean([5.0], [2.0])
    assert one["value"] == 5.0 and np.isnan(one["lower"])


def test_weighted_difference_uses_welch_degrees_of_freedom():
    from inequalities.methods import weighted_difference
    a = {"value": 10.0, "se": 1.0, "df": 4.0}
    b = {"value": 7.0, "se": 2.0, "df": 9.0}
    out = weighted_difference(a, b)
    # df = (1 + 4)^2 / (1/4 + 16/9) = 25 / 2.027778 = 12.3288; t(0.975, 12.3288) = 2.17239
    assert out["df"] == pytest.approx(12.3288, rel=1e-4)
    assert out["upper"] - 3.0 == pytest.approx(2.17239 * 5 ** 0.5, rel=1e-4)
    assert np.isnan(weighted_difference(a, {**b, "se": np.nan})["lower"])
