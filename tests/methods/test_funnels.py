"""Funnel limits and significance against PHEindicatormethods' funnel test data.

The CSVs hold the expected limits rounded (6 decimal places for the proportion outputs,
8 for the axis-variation outputs, 9 to 10 significant digits for the rate outputs), so the
tolerances are half a unit in the last place written.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from inequalities.methods import funnel_limits, funnel_points, funnel_significance
from inequalities.methods import funnels

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

PROP_COLS = ["population", "lower_2s", "upper_2s", "lower_3s", "upper_3s", "value"]
RATE_COLS = [
    "events",
    "lower_2s_population",
    "lower_2s",
    "upper_2s_population",
    "upper_2s",
    "lower_3s_population",
    "lower_3s",
    "upper_3s_population",
    "upper_3s",
    "value",
]


# (spreadsheet CSV, sysdata object) pairs: the same numbers; sysdata as the R tests use them
PROP_IN = ["testdata_funnel_prop_inputs.csv", "sysdata/test_funnel_inputs.csv"]
PROP_OUT = ["testdata_funnel_prop_outputs.csv", "sysdata/test_funnel_outputs.csv"]
PROP_AXIS = [
    "testdata_funnel_prop_outputs_with_axis_variation.csv",
    "sysdata/test_funnel_outputs_axis_variation.csv",
]
RATIO_IN = ["testdata_funnel_ratio_inputs.csv", "sysdata/test_funnel_ratio_inputs.csv"]
RATE_IN = ["testdata_funnel_rate_input_funnels.csv", "sysdata/test_funnel_rate_funnels_input.csv"]
RATE_SIG = ["testdata_funnel_rate_dsr_inputs.csv", "sysdata/test_funnel_rate_inputs.csv"]
RATE_OUT = {
    1: ["testdata_funnel_rate_outputs.csv", "sysdata/test_funnel_rate_funnels.csv"],
    2: ["testdata_funnel_rate_outputs_2.csv", "sysdata/test_funnel_rate_funnels_2.csv"],
    3: ["testdata_funnel_rate_outputs_3.csv", "sysdata/test_funnel_rate_funnels_3.csv"],
}
PAIR = pytest.mark.parametrize("which", [0, 1], ids=["spreadsheet", "sysdata"])


@PAIR
def test_proportion_limits(which):
    data = read_ref(PROP_IN[which])
    out = funnel_limits(
        data["numerator"], data["denominator"], statistic="proportion", multiplier=100
    )
    assert_close(out[PROP_COLS], read_ref(PROP_OUT[which]).iloc[:, :6], rtol=0, atol=5.01e-7)


@PAIR
def test_proportion_limits_with_axis_not_from_zero(which):
    data = read_ref(PROP_IN[which])
    data = data[data["denominator"] < 31000]
    out = funnel_limits(
        data["numerator"], data["denominator"], statistic="proportion", multiplier=100
    )
    assert_close(out[PROP_COLS], read_ref(PROP_AXIS[which]).iloc[:, :6], rtol=0, atol=5.01e-9)


@PAIR
def test_proportion_significance(which):
    data = read_ref(PROP_IN[which])
    out = funnel_significance(data["numerator"], data["denominator"], statistic="proportion")
    assert out["significance"].tolist() == data["significance"].tolist()


@PAIR
def test_ratio_significance(which):
    data = read_ref(RATIO_IN[which])
    out = funnel_significance(data["obs"], data["expected"], statistic="ratio")
    assert out["significance"].tolist() == data["significance"].tolist()
    assert_close(out["value"], data["obs"] / data["expected"])


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_ratio_limits_by_exact_poisson(ratio_type):
    # independent check: the limit for O observed is O / mu where mu solves the Poisson tail
    # equation, mu = chi2 quantile / 2. The tools find mu by bisection on v = mu / (1 + O + mu)
    # to 1e-7, so mu is known to (1 + O) * 1.2e-7 / (1 - v)^2.
    data = read_ref("testdata_funnel_ratio_inputs.csv")
    out = funnel_limits(data["obs"], data["expected"], statistic="ratio", ratio_type=ratio_type)
    obs = out["observed"].to_numpy()
    back = (lambda x: x + 1) if ratio_type == "count" else (lambda x: x / 100)
    for name, p in (("2s", 0.025), ("3s", 0.001)):
        for side, mu in (
            ("lower", stats.chi2.ppf(1 - p, 2 * obs + 2) / 2),  # P(X <= O | mu) = p
            ("upper", stats.chi2.ppf(p, 2 * obs) / 2),
        ):  # P(X >= O | mu) = p
            ours = obs / back(out[f"{side}_{name}"].to_numpy())
            v = mu / (1 + obs + mu)
            np.testing.assert_array_less(np.abs(ours - mu), (1 + obs) * 1.2e-7 / (1 - v) ** 2)


@PAIR
def test_dsr_rate_limits(which):
    data = read_ref(RATE_IN[which])
    out = funnel_limits(
        data["ev"],
        statistic="rate",
        rate=data["rate"],
        rate_type="dsr",
        multiplier=1e5,
        years_of_data=3,
    )
    expected = read_ref(RATE_OUT[1][which])
    assert_close(out[RATE_COLS], expected.iloc[:, :10], rtol=5e-9)


@PAIR
def test_crude_rate_limits_with_small_max_events(which):
    data = read_ref(RATE_IN[which])
    data.loc[data["ev"].idxmax(), "ev"] = 5
    out = funnel_limits(
        data["ev"],
        statistic="rate",
        rate=data["rate"],
        rate_type="crude",
        multiplier=1e5,
        years_of_data=3,
    )
    assert_close(out[RATE_COLS], read_ref(RATE_OUT[2][which]).iloc[:, :10], rtol=5e-9)


@PAIR
def test_crude_rate_limits_with_denominator(which):
    data = read_ref(RATE_IN[which])[["ev", "rate"]].astype(float)
    data["pop"] = 1e5 * data["ev"] / data["rate"]
    top = data["ev"].idxmax()
    data.loc[top, ["rate", "ev"]] = 0
    data = data[data["pop"] > data["pop"].max() / 2]
    out = funnel_limits(
        data["ev"],
        data["pop"],
        statistic="rate",
        rate=data["rate"],
        rate_type="crude",
        multiplier=1e5,
        years_of_data=3,
    )
    assert_close(out[RATE_COLS], read_ref(RATE_OUT[3][which]).iloc[:, :10], rtol=5e-9)


@pytest.mark.parametrize("rate_type", ["dsr", "crude"])
@pytest.mark.parametrize("multiplier", [100_000, 100])
@pytest.mark.parametrize("with_zero", [True, False])
@PAIR
def test_rate_significance(rate_type, multiplier, with_zero, which):
    data = read_ref(RATE_SIG[which])
    if not with_zero:
        data = data[data["count"] != 0]
    rate_col = "rate_dsr" if rate_type == "dsr" else "rate_crude_per_100000"
    rates = data[rate_col] * (multiplier / 100_000)
    out = funnel_significance(
        data["count"],
        data["pop"],
        statistic="rate",
        rate=rates,
        rate_type=rate_type,
        multiplier=multiplier,
    )
    expected = data[f"{rate_type}_per_{multiplier}_{'with' if with_zero else 'without'}_0"]
    assert out["significance"].tolist() == expected.tolist()


@pytest.mark.parametrize(
    "rate_type, kwargs, max_ev, value_col, den_col",
    [
        ("dsr", {}, 5, "rate_chart", "denominator_derived"),
        ("crude", {}, None, "rate_chart_crude", "denominator_derived_crude"),
        (
            "crude",
            {"years_of_data": 5, "with_denominator": True},
            0,
            "rate_chart_crude_with_denom",
            "denominator_derived_crude_with_denom",
        ),
    ],
)
@PAIR
def test_funnel_points(rate_type, kwargs, max_ev, value_col, den_col, which):
    data = read_ref(RATE_IN[which])
    if max_ev is not None:
        data.loc[data["ev"].idxmax(), "ev"] = max_ev
    kwargs = dict(kwargs)
    den = data["pop"] if kwargs.pop("with_denominator", False) else None
    out = funnel_points(
        data["ev"],
        data["rate"],
        den,
        rate_type=rate_type,
        years_of_data=kwargs.get("years_of_data", 3),
        multiplier=1e5,
    )
    assert_close(out["value"], data[value_col])
    assert_close(out["denominator"], data[den_col], rtol=1e-9)


def test_bad_inputs():
    with pytest.raises(ValueError, match="must not exceed"):
        funnel_significance([5, 11], [10, 10], statistic="proportion")
    with pytest.raises(ValueError, match="0 events need a denominator"):
        funnel_limits([0, 12], statistic="rate", rate=[0, 5])
    with pytest.raises(ValueError, match="statistic"):
        funnel_limits([1], [2], statistic="mean")


def test_proportion_baseline_equal_to_pooled_average_changes_nothing():
    num = np.array([30.0, 45.0, 12.0, 80.0])
    den = np.array([100.0, 200.0, 50.0, 300.0])
    pooled = num.sum() / den.sum()
    plain = funnel_limits(num, den, statistic="proportion", multiplier=100)
    centred = funnel_limits(num, den, statistic="proportion", multiplier=100,
                            baseline=100 * pooled)
    pd.testing.assert_frame_equal(plain, centred)
    same = funnel_significance(num, den, statistic="proportion", baseline=pooled)
    pd.testing.assert_frame_equal(same, funnel_significance(num, den, statistic="proportion"))


def test_proportion_baseline_moves_the_funnel_and_the_verdicts():
    # 50 of 100 is far above a 20% baseline: |z| = (0.5 - 0.2) / sqrt(0.2 * 0.8 / 100) = 7.5.
    num, den = np.array([50.0, 20.0]), np.array([100.0, 100.0])
    limits = funnel_limits(num, den, statistic="proportion", multiplier=100, baseline=20)
    assert (limits["value"] == 20).all()
    assert (limits["lower_3s"] < 20).all() and (limits["upper_3s"] > 20).all()
    verdict = funnel_significance(num, den, statistic="proportion", baseline=0.2)
    assert verdict["significance"].tolist() == ["High (0.001)", "Not significant"]
    with pytest.raises(ValueError, match="proportion funnels only"):
        funnel_limits(num, den, statistic="ratio", baseline=1)


# ------------------------------------------------ over-dispersion (Spiegelhalter 2005)


def test_overdispersion_by_hand_without_winsorising():
    # Five units against p0 = 0.2: z = (y/n - 0.2) / sqrt(0.2 * 0.8 / n), worked by hand.
    num = np.array([30, 50, 90, 20, 60])
    den = np.array([100, 200, 400, 100, 300])
    z = np.array([(0.30 - 0.2) / np.sqrt(0.16 / 100), (0.25 - 0.2) / np.sqrt(0.16 / 200),
                  (0.225 - 0.2) / np.sqrt(0.16 / 400), (0.20 - 0.2) / np.sqrt(0.16 / 100),
                  (0.20 - 0.2) / np.sqrt(0.16 / 300)])
    # z = 2.5, 1.7678, 1.25, 0, 0  -> sum of squares 6.25 + 3.125 + 1.5625 = 10.9375
    assert np.allclose(z ** 2, [6.25, 3.125, 1.5625, 0, 0])
    w = den / 0.16                      # 625, 1250, 2500, 625, 1875
    tau2 = (10.9375 - 4) / (w.sum() - (w ** 2).sum() / w.sum())
    result = funnels.overdispersion(num, den, baseline=0.2, winsorise=0)
    assert result["units"] == 5 and result["df"] == 4
    assert result["phi"] == pytest.approx(10.9375 / 5)
    assert result["statistic"] == pytest.approx(10.9375)
    assert result["p_value"] == pytest.approx(stats.chi2.sf(10.9375, 4))
    assert result["tau2"] == pytest.approx(tau2)
    assert result["overdispersed"] is True  # chi2(4) beyond 10.94 has p = 0.027


def test_overdispersion_recovers_a_known_between_unit_variance():
    # Simulation with known truth: 3,000 units, true proportions N(0.25, 0.02^2).
    rng = np.random.default_rng(20240101)
    n = rng.integers(2_000, 50_000, size=3_000)
    truth = rng.normal(0.25, 0.02, size=n.size)
    y = rng.binomial(n, truth)
    result = funnels.overdispersion(y, n, baseline=0.25, winsorise=0)
    assert result["overdispersed"] and result["p_value"] < 1e-6
    assert result["tau2"] == pytest.approx(0.02 ** 2, rel=0.1)


def test_no_overdispersion_when_units_differ_by_chance_only():
    rng = np.random.default_rng(7)
    n = rng.integers(2_000, 50_000, size=400)
    y = rng.binomial(n, 0.25)
    result = funnels.overdispersion(y, n, baseline=0.25, winsorise=0)
    assert result["phi"] == pytest.approx(1, abs=0.2) and result["tau2"] < 2e-6


def test_random_effects_limits_widen_by_tau2():
    limits = funnels.funnel_limits([50, 80], [1_000, 4_000], statistic="proportion",
                                   baseline=10.0, tau2=0.01 ** 2, points=5)
    n = limits["population"].to_numpy()
    expected = np.minimum(100, 100 * (0.1 + stats.norm.isf(0.001) * np.sqrt(0.09 / n + 0.0001)))
    assert np.allclose(limits["upper_3s"], expected)
    marks = funnels.funnel_significance([50, 200], [1_000, 1_000], statistic="proportion",
                                        baseline=0.1, tau2=0.01 ** 2)["significance"].tolist()
    # 0.05: z = -0.05 / sqrt(0.00009 + 0.0001) = -3.63 -> Low (0.001); 0.2: z = 7.3 -> High
    assert marks == ["Low (0.001)", "High (0.001)"]


def test_overdispersion_needs_three_units():
    result = funnels.overdispersion([5, 6], [100, 100])
    assert np.isnan(result["tau2"]) and result["overdispersed"] is False
