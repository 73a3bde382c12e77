"""Gap trend: known narrowing recovered, constant gap not flagged, edge cases."""

import numpy as np
import pytest

from inequalities.models import diagnostics, gap_trend, simulate_areas

pytestmark = pytest.mark.unit


def test_known_narrowing_is_recovered():
    sim = simulate_areas(5000, 80, periods=4, seed=31, rural_trend=0.95)
    out = gap_trend(
        sim.frame,
        count="deaths",
        population="population",
        period="period",
        adjust=["coastal", "imd_decile", "pct_65_plus"],
    )
    row = out.iloc[0]
    assert row["lower"] <= 0.95 <= row["upper"]
    assert row["direction"] == "narrowing"
    # fitted gaps at first and last period against the generating values 1.15, 1.15*0.95^3
    assert row["gap_first_lower"] <= sim.truth.rural_rate_ratio <= row["gap_first_upper"]
    last = sim.truth.rural_rate_ratio * 0.95**3
    assert row["gap_last_lower"] <= last <= row["gap_last_upper"]
    assert "Wald z-test" in row["test"] and row["periods"] == 4
    assert diagnostics(out)["converged"].all()


def test_constant_gap_rejection_rate_is_near_the_test_size():
    # Under H0 (constant gap) the Wald test at 5% should reject in about 5% of data sets:
    # with 40 independent data sets accept a rate up to 0.05 + 3 * sqrt(0.05 * 0.95 / 40)
    # = 0.153, and "no clear change" for (almost) all of the rest.
    n = 40
    directions = []
    for seed in range(n):
        sim = simulate_areas(600, 20, periods=3, seed=1000 + seed)
        out = gap_trend(
            sim.frame,
            count="deaths",
            population="population",
            period="period",
            adjust=["coastal", "imd_decile", "pct_65_plus"],
        )
        directions.append(out["direction"].iloc[0])
    rejected = np.mean([d != "no clear change" for d in directions])
    assert rejected <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / n)
    assert set(directions) <= {"no clear change", "narrowing", "widening"}


def test_string_periods_are_ordered_and_noted():
    sim = simulate_areas(3000, 60, periods=2, seed=33)
    frame = sim.frame.assign(period=sim.frame["period"].map({0: "2019/20", 1: "2020/21"}))
    out = gap_trend(
        frame, count="deaths", population="population", period="period", adjust=["imd_decile"]
    )
    assert "numbered 0..1" in out["note"].iloc[0]


def test_single_period_raises_and_region_without_rural_is_flagged():
    sim = simulate_areas(3000, 60, periods=1, seed=34)
    with pytest.raises(ValueError, match="at least 2"):
        gap_trend(sim.frame, count="deaths", population="population", period="period")
    sim = simulate_areas(4000, 60, periods=2, seed=35)
    out = gap_trend(
        sim.frame, count="deaths", population="population", period="period", by="region_code"
    )
    london = out[out["region_code"] == "E12000007"].iloc[0]
    assert np.isnan(london["change_ratio"]) and london["direction"] == "not estimable"
    assert london["note"] != ""
