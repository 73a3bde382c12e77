"""Access: ratio estimator by hand, lowest-fifth share by hand, access gap with known truth."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from inequalities.models import access_rates, access_ratios, lowest_access_share, simulate_areas

pytestmark = pytest.mark.unit

Z95 = stats.norm.ppf(0.975)


def frame():
    return pd.DataFrame(
        {
            "region": ["A", "A", "A", "B", "B"],
            "ur": ["Urban", "Urban", "Urban", "Rural", "Rural"],
            "fte": [6.0, 4.0, 5.0, 1.0, 3.0],
            "pop": [10_000, 10_000, 10_000, 5_000, 5_000],
            "need": [9_000, 11_000, 10_000, 6_000, 6_000],
        }
    )


def test_ratio_estimator_by_hand():
    out = access_rates(
        frame(), workforce="fte", population="pop", need="need", groups=["ur"], by="region"
    )
    a = out[(out["region"] == "A") & (out["denominator"] == "pop")].iloc[0]
    # R = 15 / 30,000; residuals w - R p = 1, -1, 0; var = 3/2 * 2 / 30,000^2
    rate = 15 / 30_000 * 1e5
    se = math.sqrt(1.5 * 2) / 30_000 * 1e5
    assert a["rate"] == pytest.approx(rate)
    assert a["lower"] == pytest.approx(rate - Z95 * se)
    assert a["upper"] == pytest.approx(rate + Z95 * se)
    b_need = out[(out["region"] == "B") & (out["denominator"] == "need")].iloc[0]
    assert b_need["rate"] == pytest.approx(4 / 12_000 * 1e5)
    assert len(out) == 4 and out["n"].tolist() == [3, 3, 2, 2]


def test_one_area_group_has_flagged_interval():
    out = access_rates(
        frame().iloc[:4], workforce="fte", population="pop", groups=["ur"], by="region"
    )
    b = out[out["region"] == "B"].iloc[0]
    assert b["rate"] == pytest.approx(1 / 5000 * 1e5)
    assert np.isnan(b["lower"]) and b["note"] == "one area: no interval"


def test_lowest_fifth_share_by_hand():
    data = pd.DataFrame(
        {
            "region": ["A", "A", "B", "B", "B"],
            "access": [1.0, 5.0, 2.0, 3.0, 4.0],
            "pop": [100, 100, 100, 100, 100],
        }
    )
    out = lowest_access_share(data, access="access", population="pop", by="region")
    # cumulative midpoints 0.1, 0.3, ...: only the access=1 area (region A) is in the fifth
    assert out["share"].tolist() == pytest.approx([0.5, 0.0])
    assert out["threshold"].iloc[0] == 1.0
    total = lowest_access_share(data, access="access", population="pop", by=None)
    assert total["share"].iloc[0] == pytest.approx(0.2)


def test_access_ratio_recovers_truth():
    sim = simulate_areas(6000, 80, seed=41)
    out = access_ratios(
        sim.frame, workforce="gp_fte", population="population", adjust=["imd_decile"]
    )
    row = out.iloc[0]
    assert row["family"] == "quasi_poisson"
    assert row["lower"] <= sim.truth.access_rural_ratio <= row["upper"]
