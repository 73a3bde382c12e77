"""Tests of inequalities.topics.access (named _topic: tests/models/test_access.py holds the model tests)."""

import numpy as np
import pandas as pd
import pytest

from inequalities.topics import access
from inequalities.data import Dataset
from tests.topics._editions import edition_data

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


# --- key figures: hand-made frames as the notebook passes them --------------------------

NATIONAL = {"gp_fte_rate": {"Registered patients|All areas": 6.123,
                            "Age-weighted patients|All areas": 4.5},
            "gp_distance_km": {"All areas": 1.5}}
RATES = pd.DataFrame({
    "denominator": ["Registered patients"] * 4 + ["Age-weighted patients"] * 4,
    "group": ["All areas", "Urban", "Coastal", "Non-coastal"] * 2,
    "value": [6.1234, 6.0, 5.5, 6.2, 4.4, 4.5, 3.9, 4.6],
    "lower": [5.9, 5.8, 5.0, 6.0, 4.2, 4.3, 3.5, 4.4],
    "upper": [6.35, 6.2, 6.0, 6.4, 4.6, 4.7, 4.3, 4.8]})
RATIOS = pd.DataFrame({
    "comparison": ["Rural vs urban", "Rural vs urban", "Coastal vs non-coastal",
                   "Coastal vs non-coastal"],
    "denominator": ["Registered patients", "Age-weighted patients"] * 2,
    "rate_ratio": [1.10, 0.97, 0.80, np.nan], "lower": [1.02, 0.90, 0.70, np.nan],
    "upper": [1.19, 1.05, 0.91, np.nan], "note": ["", "", "", "no coastal authority"]})


def _edition(slug):
    data = _dataset()
    return edition_data(slug, indicators=data.indicators, lads=data.lads, national=NATIONAL)


def test_key_figures_of_a_region_compare_with_england_and_mark_what_is_missing():
    distance = pd.DataFrame({"group": ["All areas", "Urban"], "value": [1.2, 1.0],
                             "lower": [1.1, 0.9], "upper": [1.3, 1.1], "england": [1.5, 1.3]})
    lowest = pd.DataFrame({"region_code": ["E12000007", "E92000001"],
                           "region_name": ["London", "England"], "share": [25.0, 20.0],
                           "lower": [22.0, 20.0], "upper": [28.0, 20.0]})
    figures = access.key_figures(_edition("london"), RATES, RATIOS, distance, lowest)
    no_authorities = "not available (no such authorities in this edition)"
    assert figures == {
        "access.gp_rate_all_areas": "6.12 (95% CI 5.90 to 6.35)",
        "access.gp_rate_urban": "6.00 (95% CI 5.80 to 6.20)",
        "access.gp_rate_rural": no_authorities,
        "access.gp_rate_coastal": "5.50 (95% CI 5.00 to 6.00)",
        "access.gp_rate_non_coastal": "6.20 (95% CI 6.00 to 6.40)",
        "access.gp_rate_england": "6.12",
        "access.gp_need_rate_all_areas": "4.40 (95% CI 4.20 to 4.60)",
        "access.gp_need_rate_urban": "4.50 (95% CI 4.30 to 4.70)",
        "access.gp_need_rate_rural": no_authorities,
        "access.gp_need_rate_coastal": "3.90 (95% CI 3.50 to 4.30)",
        "access.gp_need_rate_non_coastal": "4.60 (95% CI 4.40 to 4.80)",
        "access.gp_need_rate_england": "4.50",
        "access.rural_ratio": "1.10 (95% CI 1.02 to 1.19)",
        "access.rural_ratio_finding": "higher in rural authorities than in urban authorities",
        "access.rural_ratio_need": "0.97 (95% CI 0.90 to 1.05)",
        "access.rural_ratio_need_finding":
            "no clear difference between rural authorities and urban authorities",
        "access.coastal_ratio": "0.80 (95% CI 0.70 to 0.91)",
        "access.coastal_ratio_finding":
            "lower in coastal authorities than in non-coastal authorities",
        "access.coastal_ratio_need": "not available",
        "access.coastal_ratio_need_finding":
            "not estimable, because the edition does not have authorities of both types",
        "access.distance_all_areas": "1.20 (95% CI 1.10 to 1.30)",
        "access.distance_all_areas_vs_england": "0.30 km lower in London than in England",
        "access.distance_urban": "1.00 (95% CI 0.90 to 1.10)",
        "access.distance_urban_vs_england":
            "0.30 km lower in urban areas of London than in urban areas of England",
        "access.distance_rural": "not available (no such areas in this edition)",
        "access.distance_rural_vs_england": "not available",
        "access.distance_coastal": "not available (no such areas in this edition)",
        "access.distance_coastal_vs_england": "not available",
        "access.distance_non_coastal": "not available (no such areas in this edition)",
        "access.distance_non_coastal_vs_england": "not available",
        "access.distance_england": "1.50",
        "access.lowest_fifth_share": "25.0 (95% CI 22.0 to 28.0)",
        "access.lowest_fifth_finding": "5.0 percentage points higher in London than in "
                                       "England as a whole (20% by definition)",
        "access.need_weight": "2",
        "access.n_lads": "5",
    }


def test_key_figures_of_england_compare_place_groups_with_england_as_a_whole():
    distance = pd.DataFrame({"group": ["All areas", "Rural"], "value": [1.5, 2.5],
                             "lower": [1.4, 2.3], "upper": [1.6, 2.7], "england": [1.5, 2.5]})
    lowest = pd.DataFrame({"region_code": ["E12000001", "E92000001"],
                           "region_name": ["North East", "England"], "share": [30.0, 20.0],
                           "lower": [25.0, 20.0], "upper": [35.0, 20.0]})
    figures = access.key_figures(_edition("england"), RATES, RATIOS, distance, lowest)
    assert figures["access.distance_all_areas_vs_england"] == "the figure for England itself"
    assert figures["access.distance_rural_vs_england"] == \
        "1.00 km higher in rural areas than in England as a whole"
    assert figures["access.lowest_fifth_share"] == "20.0 (95% CI 20.0 to 20.0)"
    assert figures["access.lowest_fifth_finding"] == "by definition 20% for England as a whole"


def test_a_regions_lowest_fifth_comes_from_the_national_measure():
    national = {"lowest_access_fifth": {"E12000007|share": 25.0, "E12000007|lower": 22.0,
                                        "E12000007|upper": 28.0, "E92000001|share": 20.0,
                                        "E92000001|lower": 20.0, "E92000001|upper": 20.0}}
    lowest = access.lowest_fifth_of_edition(edition_data("london", national=national))
    assert lowest.to_dict("list") == {
        "region_code": ["E12000007", "E92000001"], "region_name": ["London", "England"],
        "share": [25.0, 20.0], "lower": [22.0, 20.0], "upper": [28.0, 20.0]}
