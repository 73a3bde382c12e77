"""Tests of inequalities.topics.access (named _topic: tests/models/test_access.py holds the model tests)."""

import numpy as np
import pandas as pd
import pytest

from inequalities.topics import access
from inequalities.data import Dataset

pytestmark = pytest.mark.unit


def _dataset():
    """Five authorities, 1,000 patients each; region A has three (one the lowest access)."""
    lads = pd.DataFrame({
        "lad_code": ["L1", "L2", "L3", "L4", "L5"],
        "region_code": ["A", "A", "A", "B", "B"],
        "region_name": ["Alpha", "Alpha", "Alpha", "Beta", "Beta"],
        "urban_rural": ["Urban", "Urban", "Rural", "Rural", "Urban"],
        "coastal": [False, True, False, True, False],
        "pct_65_plus": [10.0, 20.0, 30.0, 40.0, 0.0],
    })
    fte = [0.2, 0.5, 0.6, 0.7, 0.8]
    indicators = pd.DataFrame({
        "area_code": lads["lad_code"], "area_level": "LAD", "indicator_id": "gp_fte_per_10k",
        "period": "2024-03", "sex": "Persons", "count": fte, "denominator": 1000.0,
        "value": [f * 10 for f in fte], "lower": np.nan, "upper": np.nan})
    empty = pd.DataFrame()
    return Dataset(areas=empty, population=empty, indicators=indicators, lads=lads,
                   sources=empty, is_demo=True, label="test", vintage="test")


def test_gp_frame_age_weights_patients():
    frame = access.gp_frame(_dataset()).set_index("lad_code")
    # weight = 1 + (2 - 1) * pct_65_plus / 100
    assert frame.loc["L3", "need_patients"] == pytest.approx(1300.0)
    assert frame.loc["L5", "need_patients"] == pytest.approx(1000.0)
    assert frame.loc["L1", "fte_per_10k"] == pytest.approx(2.0)


def test_gp_rates_by_hand():
    rates = access.gp_rates(access.gp_frame(_dataset()))
    reg = rates[rates["denominator"] == "Registered patients"].set_index("group")
    assert list(rates["denominator"].unique()) == ["Registered patients", "Age-weighted patients"]
    assert reg.loc["Rural", "rate"] == pytest.approx(10_000 * 1.3 / 2000)  # 6.5
    assert reg.loc["Urban", "rate"] == pytest.approx(10_000 * 1.5 / 3000)  # 5.0
    assert reg.loc["All areas", "rate"] == pytest.approx(10_000 * 2.8 / 5000)
    need = rates[rates["denominator"] == "Age-weighted patients"].set_index("group")
    assert need.loc["Coastal", "rate"] == pytest.approx(10_000 * 1.2 / (1200 + 1400))


def test_lowest_fifth_by_region():
    out = access.lowest_fifth(_dataset()).set_index("region_code")
    # midpoints on the cumulative patient scale: 0.1, 0.3, ...: only L1 (region A) is below 0.2
    assert out.loc["A", "share"] == pytest.approx(100 / 3)
    assert out.loc["B", "share"] == pytest.approx(0.0)
    assert out.loc["E92000001", "share"] == pytest.approx(20.0)
    assert out.loc["A", "region_name"] == "Alpha"
