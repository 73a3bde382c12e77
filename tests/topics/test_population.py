import pandas as pd
import pytest

from inequalities.topics import population as profiles

pytestmark = pytest.mark.unit


def _areas():
    return pd.DataFrame({
        "population": [1000, 3000, 2000, 4000],
        "pct_65_plus": [10.0, 20.0, 30.0, 40.0],
        "urban_rural": ["Urban", "Urban", "Rural", "Rural"],
        "coastal": [True, False, False, False],
        "core20": [True, False, False, False],
        "imd_quintile": [1, 2, 5, 5],
    })


def test_age_profile_is_population_weighted():
    out = profiles.age_profile(_areas()).set_index("group")["pct_65_plus"]
    assert out["Urban"] == pytest.approx((100 + 600) / 4000 * 100)  # 17.5
    assert out["Rural"] == pytest.approx((600 + 1600) / 6000 * 100)  # 36.67
    assert out["Coastal"] == pytest.approx(10.0)
    assert out["All areas"] == pytest.approx(2900 / 10000 * 100)


def test_deprivation_profile_shares_sum_to_100_with_zero_quintiles():
    out = profiles.deprivation_profile(_areas())
    totals = out.groupby("group")["share"].sum()
    assert totals.to_numpy() == pytest.approx([100.0] * len(totals))
    urban = out[out["group"] == "Urban"].set_index("imd_quintile")["share"]
    assert urban.to_dict() == pytest.approx({1: 25.0, 2: 75.0, 3: 0.0, 4: 0.0, 5: 0.0})
    rural = out[out["group"] == "Rural"].set_index("imd_quintile")["share"]
    assert rural[5] == pytest.approx(100.0)


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="imd_quintile"):
        profiles.deprivation_profile(_areas().drop(columns="imd_quintile"))
