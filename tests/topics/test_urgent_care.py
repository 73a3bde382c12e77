import numpy as np
import pandas as pd
import pytest

from inequalities.topics import urgent_care

pytestmark = pytest.mark.unit


def _rows(code, period, count, denominator):
    return {"area_code": code, "area_level": "ICB", "indicator_id": "ae_over_4h_pct",
            "period": period, "count": count, "denominator": denominator}


def test_latest_months_are_summed_per_icb_by_hand():
    frame = pd.DataFrame([_rows("A", "2024-01", 10, 100), _rows("A", "2024-02", 30, 100),
                          _rows("A", "2024-03", 20, 200), _rows("B", "2024-03", 5, 50),
                          {**_rows("LAD1", "2024-03", 1, 1), "area_level": "LAD"}])
    out = urgent_care.four_hour_totals(frame, months=2).set_index("area_code")
    # Latest two months are 2024-02 and 2024-03: A = (30 + 20) / (100 + 200) = 16.67%.
    assert out.loc["A", "over_4h"] == 50 and out.loc["A", "attendances"] == 300
    assert out.loc["A", "share"] == pytest.approx(100 * 50 / 300)
    assert out.loc["B", "months"] == 1 and list(out.index) == ["A", "B"]
    assert out["period"].iloc[0] == "2024-02 to 2024-03"
    england = urgent_care.england_share(frame, months=2)
    assert england["value"].iloc[0] == pytest.approx(100 * 55 / 350)


def test_absent_indicator_gives_empty_totals_and_missing_england():
    frame = pd.DataFrame([{**_rows("A", "2024-01", 1, 2), "indicator_id": "other"}])
    assert urgent_care.four_hour_totals(frame).empty
    assert np.isnan(urgent_care.england_share(frame)["value"].iloc[0])
