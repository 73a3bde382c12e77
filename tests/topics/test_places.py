import pandas as pd
import pytest

from inequalities.topics import _places as placegroups

pytestmark = pytest.mark.unit


def _frame():
    return pd.DataFrame({"urban_rural": ["Urban", "Urban", "Rural", "Rural", "Urban"],
                         "coastal": [True, False, True, False, False],
                         "x": [1.0, 3.0, 5.0, 7.0, float("nan")]})


def test_group_means_by_hand():
    out = placegroups.group_means(_frame(), "x").set_index("group")
    assert list(out.index) == ["All areas", "Urban", "Rural", "Coastal", "Non-coastal"]
    # All: mean of 1,3,5,7 = 4; sd = sqrt(20/3); t(0.975, 3) = 3.182446
    assert out.loc["All areas", "value"] == pytest.approx(4.0)
    half = 3.182446 * (20 / 3) ** 0.5 / 2
    assert out.loc["All areas", "upper"] == pytest.approx(4 + half, rel=1e-6)
    assert out.loc["Urban", "value"] == pytest.approx(2.0)  # missing value left out
    assert out.loc["Urban", "n"] == 2
    assert out.loc["Coastal", "value"] == pytest.approx(3.0)
    assert out.loc["Non-coastal", "value"] == pytest.approx(5.0)


def test_missing_group_is_dropped_and_key_roundtrip():
    frame = _frame().assign(urban_rural="Urban")
    assert "Rural" not in set(placegroups.group_means(frame, "x")["group"])
    series = pd.Series([1.5], index=[placegroups.key("90366", "Male", "Rural")])
    back = placegroups.unpack(series, ["indicator", "sex", "group"])
    assert back.iloc[0].to_dict() == {"indicator": "90366", "sex": "Male", "group": "Rural",
                                      "value": 1.5}
    with pytest.raises(ValueError, match="parts"):
        placegroups.unpack(series, ["indicator", "group"])


def test_group_differences_welch_by_hand():
    frame = pd.DataFrame({"urban_rural": ["Rural"] * 3 + ["Urban"] * 4,
                          "coastal": [True, False, False, True, False, False, False],
                          "x": [10.0, 12.0, 14.0, 1.0, 2.0, 3.0, 4.0]})
    out = placegroups.group_differences(frame, "x").set_index("comparison")
    rural = out.loc["Rural minus urban"]
    # means 12 and 2.5; variances 4 and 5/3; se^2 = 4/3 + 5/12 = 1.75
    # Welch df = 1.75^2 / ((4/3)^2/2 + (5/12)^2/3) = 3.0625 / 0.946759 = 3.23472
    assert rural["difference"] == pytest.approx(9.5)
    from scipy import stats
    half = stats.t.ppf(0.975, 3.0625 / (16 / 18 + 25 / 432)) * 1.75 ** 0.5
    assert rural["upper"] == pytest.approx(9.5 + half)
    assert 3.9 < half < 4.2  # t(0.975, 3.23) ~ 3.06 (between 3.18 at df 3 and 2.78 at df 4) x 1.32
    coast = out.loc["Coastal minus non-coastal"]  # coastal: 10, 1; non-coastal: 12,14,2,3,4
    assert coast["difference"] == pytest.approx(5.5 - 7.0)
    assert coast["note"] == ""


def test_group_differences_needs_two_areas_each_side():
    frame = pd.DataFrame({"urban_rural": ["Rural", "Urban", "Urban"],
                          "coastal": [False, False, False], "x": [1.0, 2.0, 3.0]})
    out = placegroups.group_differences(frame, "x")
    assert out["difference"].isna().all()
    assert "fewer than two" in out.loc[0, "note"]
