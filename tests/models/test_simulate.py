"""Simulator: deterministic, data-layer columns, London without rural areas."""

import numpy as np
import pandas as pd
import pytest

from inequalities.models import Truth, simulate_areas

pytestmark = pytest.mark.unit

AREA_COLUMNS = [
    "area_code",
    "lad_code",
    "lad_name",
    "region_code",
    "region_name",
    "rurality_code",
    "rurality",
    "urban_rural",
    "sparse",
    "coastal",
    "imd_score",
    "imd_decile",
    "imd_quintile",
    "core20",
    "population",
    "pct_65_plus",
]


def test_same_seed_same_table_and_contract_columns():
    a = simulate_areas(3000, 50, seed=9)
    b = simulate_areas(3000, 50, seed=9)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert list(a.frame.columns[: len(AREA_COLUMNS)]) == AREA_COLUMNS
    assert a.frame["area_code"].is_unique and len(a.frame) == 3000
    assert a.frame["lad_code"].nunique() == 50
    assert set(a.frame["urban_rural"]) == {"Urban", "Rural"}
    counts = a.frame["imd_decile"].value_counts()
    assert counts.min() == 300 and counts.max() == 300  # national deciles
    assert (a.frame["imd_quintile"] == (a.frame["imd_decile"] + 1) // 2).all()
    rural_in_london = a.frame.query("region_code == 'E12000007' and urban_rural == 'Rural'")
    assert rural_in_london.empty


def test_periods_and_overrides():
    sim = simulate_areas(500, 10, periods=3, seed=1, rural_rate_ratio=1.4)
    assert sim.truth == Truth(rural_rate_ratio=1.4)
    assert sorted(sim.frame["period"].unique()) == [0, 1, 2]
    assert len(sim.frame) == 1500
    with pytest.raises(ValueError, match="unknown"):
        simulate_areas(10, 2, nonsense=1.0)


def test_crude_rural_excess_matches_generating_model_without_confounders():
    sim = simulate_areas(
        20_000, 100, seed=3, coastal_rate_ratio=1.0, deprivation_rate_ratio=1.0, age_rate_ratio=1.0
    )
    rates = sim.frame.groupby("urban_rural")[["deaths", "population"]].sum()
    ratio = (rates.loc["Rural", "deaths"] / rates.loc["Rural", "population"]) / (
        rates.loc["Urban", "deaths"] / rates.loc["Urban", "population"]
    )
    assert ratio == pytest.approx(1.15, abs=0.02)
    assert np.all(sim.frame["deaths"] >= 0)
