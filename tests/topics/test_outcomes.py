import numpy as np
import pandas as pd
import pytest

from inequalities.topics import outcomes
from inequalities.data import Dataset

pytestmark = pytest.mark.unit


def _dataset():
    lads = pd.DataFrame({"lad_code": ["L1", "L2", "L3", "L4"],
                         "urban_rural": ["Urban", "Urban", "Rural", "Rural"],
                         "coastal": [True, False, False, True]})
    le = pd.DataFrame({"area_code": ["L1", "L2", "L3", "L4", "E92000001"],
                       "area_level": ["LAD"] * 4 + ["England"],
                       "value": [78.0, 80.0, 82.0, np.nan, 79.5]})
    old = le.assign(period="2020 - 22", value=le["value"] - 5)
    indicators = pd.concat([le.assign(period="2021 - 23"), old], ignore_index=True).assign(
        indicator_id="90366", sex="Male", count=np.nan, denominator=np.nan, lower=np.nan,
        upper=np.nan)
    empty = pd.DataFrame()
    return Dataset(areas=empty, population=empty, indicators=indicators, lads=lads,
                   sources=empty, is_demo=True, label="test", vintage="test")


def test_lad_outcomes_latest_period_means_by_hand():
    out = outcomes.lad_outcomes(_dataset()).set_index("group")
    assert set(out["period"]) == {"2021 - 23"}
    assert out.loc["All areas", "value"] == pytest.approx(80.0)  # missing L4 left out
    assert out.loc["Urban", "value"] == pytest.approx(79.0)
    assert out.loc["Rural", "n"] == 1
    assert np.isnan(out.loc["Rural", "lower"])  # one authority: no interval
    # Urban: 78, 80 -> sd sqrt(2), t(0.975, 1) = 12.7062
    assert out.loc["Urban", "upper"] == pytest.approx(79 + 12.7062 * 2 ** 0.5 / 2 ** 0.5, rel=1e-4)


def test_england_published_and_differences():
    ds = _dataset()
    published = outcomes.england_published(ds)
    assert published.to_dict("records") == [{"indicator_id": "90366", "sex": "Male",
                                             "england": 79.5}]
    diffs = outcomes.outcome_differences(ds).set_index("comparison")
    assert np.isnan(diffs.loc["Rural minus urban", "difference"])  # one rural authority
    assert "fewer than two" in diffs.loc["Rural minus urban", "note"]
