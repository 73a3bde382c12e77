import numpy as np
import pandas as pd
import pytest

from inequalities.topics import inequality as gaps

pytestmark = pytest.mark.unit


def test_decile_summary_weighted_mean_and_effective_n_by_hand():
    frame = pd.DataFrame({"urban_rural": ["Urban"] * 3 + ["Rural"],
                          "imd_decile": [1, 1, 1, 1],
                          "value": [10.0, 20.0, 40.0, 5.0], "population": [1, 1, 2, 3]})
    out = gaps.decile_summary(frame, value="value").set_index("urban_rural")
    # Urban: weights 1,1,2 -> mean (10+20+80)/4 = 27.5; E[x^2] = (100+400+3200)/4 = 925,
    # variance 925 - 756.25 = 168.75; n_eff = 16/6; se = sqrt(168.75 * 6 / 16).
    assert out.loc["Urban", "value"] == pytest.approx(27.5)
    assert out.loc["Urban", "se"] == pytest.approx(np.sqrt(168.75 * 6 / 16))
    assert out.loc["Urban", "areas"] == 3 and out.loc["Urban", "population"] == 4
    assert np.isnan(out.loc["Rural", "se"])  # a single area has no spread to measure


def test_gap_by_period_recovers_a_known_narrowing_gap():
    rng = np.random.default_rng(3)
    rows = []
    for t, true_gap in enumerate([-2.0, -1.5, -1.0, -0.5]):
        for group in ["Rural", "Urban"]:
            base = 80 + (true_gap if group == "Rural" else 0)
            for v in base + rng.normal(0, 0.3, 200):
                rows.append({"period": f"20{10 + t}", "urban_rural": group, "le": v})
    frame = pd.DataFrame(rows)
    table, trend = gaps.gap_by_period(frame, value="le", group="urban_rural", period="period")
    assert table["gap"].to_numpy() == pytest.approx([-2.0, -1.5, -1.0, -0.5], abs=0.1)
    assert (table["lower"] < table["gap"]).all() and (table["gap"] < table["upper"]).all()
    assert trend["lower"] < 0.5 < trend["upper"]  # true change +0.5 a period
    assert trend["direction"] == "narrowing"


def test_gap_by_period_without_change_is_no_clear_change():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"period": np.repeat(["a", "b", "c"], 100),
                          "urban_rural": np.tile(["Rural", "Urban"], 150),
                          "le": rng.normal(80, 1, 300)})
    _, trend = gaps.gap_by_period(frame, value="le", group="urban_rural", period="period")
    assert trend["direction"] == "no clear change"


def test_gap_by_period_says_what_is_missing():
    frame = pd.DataFrame({"period": ["a", "b"], "urban_rural": ["Urban", "Urban"], "le": [1, 2]})
    with pytest.raises(ValueError, match="both 'Rural' and 'Urban'"):
        gaps.gap_by_period(frame, value="le", group="urban_rural", period="period")


def test_most_versus_least_negates_sii_and_inverts_rii_by_hand():
    table = pd.DataFrame({
        "group": ["Urban", "Urban", "Rural - Urban", "Rural - Urban"],
        "measure": ["sii", "rii", "sii", "rii"],
        "estimate": [-10.0, 0.5, 2.0, 0.01], "lower": [-12.0, 0.4, 1.0, -0.1],
        "upper": [-8.0, 0.625, 3.0, 0.1]})
    out = gaps.most_versus_least(table)
    assert out["group"].tolist() == ["Urban", "Urban", "Rural - Urban"]
    assert out.iloc[0][["estimate", "lower", "upper"]].tolist() == [10.0, 8.0, 12.0]
    assert out.iloc[1][["estimate", "lower", "upper"]].tolist() == [2.0, 1.6, 2.5]
    assert out.iloc[2][["estimate", "lower", "upper"]].tolist() == [-2.0, -3.0, -1.0]
