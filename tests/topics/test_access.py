"""Tests of inequalities.topics.access (named _topic: tests/models/test_access.py holds the model tests)."""

import numpy as np
import pandas as pd
import pytest

from inequalities.report import ledger
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


# --- ledger and key figures: hand-made frames as the notebook passes them ---------------

NATIONAL = {"gp_fte_rate": {"Registered patients|All areas": 6.123,
                            "Age-weighted patients|All areas": 4.5},
            "gp_fte_rate_n": {"Registered patients|All areas": 296,
                              "Age-weighted patients|All areas": 296},
            "gp_distance_km": {"All areas": 1.5, "Urban": 1.3},
            "gp_distance_n": {"All areas": 32844, "Urban": 26000}}
RATES = pd.DataFrame({
    "denominator": ["Registered patients"] * 4 + ["Age-weighted patients"] * 4,
    "group": ["All areas", "Urban", "Coastal", "Non-coastal"] * 2,
    "value": [6.1234, 6.0, 5.5, 6.2, 4.4, 4.5, 3.9, 4.6],
    "lower": [5.9, 5.8, 5.0, 6.0, 4.2, 4.3, 3.5, 4.4],
    "upper": [6.35, 6.2, 6.0, 6.4, 4.6, 4.7, 4.3, 4.8],
    "n": [33, 30, 3, 30, 33, 30, 3, 30]})
RATIOS = pd.DataFrame({
    "comparison": ["Rural vs urban", "Rural vs urban", "Coastal vs non-coastal",
                   "Coastal vs non-coastal"],
    "denominator": ["Registered patients", "Age-weighted patients"] * 2,
    "rate_ratio": [1.10, 0.97, 0.80, np.nan], "lower": [1.02, 0.90, 0.70, np.nan],
    "upper": [1.19, 1.05, 0.91, np.nan], "n": [33, 33, 33, 33],
    "note": ["", "", "", "no coastal authority"]})


def _edition(slug):
    data = _dataset()
    return edition_data(slug, indicators=data.indicators, lads=data.lads, national=NATIONAL)


def _figures(slug, distance, lowest):
    ed = _edition(slug)
    stats = access.statistics(ed, RATES, RATIOS, distance, lowest)
    assert ledger.problems(stats) == []
    return access.key_figures(ed, stats, RATIOS)


def test_key_figures_of_a_region_compare_with_england_and_mark_what_is_missing():
    distance = pd.DataFrame({"group": ["All areas", "Urban"], "value": [1.2, 1.0],
                             "lower": [1.1, 0.9], "upper": [1.3, 1.1], "n": [4835, 4500],
                             "england": [1.5, 1.3]})
    lowest = pd.DataFrame({"region_code": ["E12000007", "E92000001"],
                           "region_name": ["London", "England"], "share": [25.0, 19.8],
                           "n": [33, 296]})
    figures = _figures("london", distance, lowest)
    no_authorities = "not available (no such authorities in this edition)"
    assert figures == {
        "access.gp_rate_all_areas": "6.12 (95% CI 5.90 to 6.35)",
        "access.gp_rate_urban": "6.00 (95% CI 5.80 to 6.20)",
        "access.gp_rate_rural": no_authorities,
        "access.gp_rate_coastal": "5.50 (95% CI 5.00 to 6.00)",
        "access.gp_rate_non_coastal": "6.20 (95% CI 6.00 to 6.40)",
        "access.gp_rate_summary": "Across all authorities there were 6.12 (95% CI 5.90 to "
                                  "6.35) GP FTE per 10,000 patients, against 6.12 in England.",
        "access.gp_need_rate_all_areas": "4.40 (95% CI 4.20 to 4.60)",
        "access.gp_need_rate_urban": "4.50 (95% CI 4.30 to 4.70)",
        "access.gp_need_rate_rural": no_authorities,
        "access.gp_need_rate_coastal": "3.90 (95% CI 3.50 to 4.30)",
        "access.gp_need_rate_non_coastal": "4.60 (95% CI 4.40 to 4.80)",
        "access.gp_need_rate_summary": "On this basis there were 4.40 (95% CI 4.20 to 4.60) GP "
                                       "FTE per 10,000 age-weighted patients (England 4.50).",
        "access.rural_ratio": "1.10 (95% CI 1.02 to 1.19)",
        "access.rural_ratio_finding": "GP FTE per patient was higher in rural authorities than "
                                      "in urban authorities (ratio 1.10, 95% CI 1.02 to 1.19)",
        "access.rural_ratio_need": "0.97 (95% CI 0.90 to 1.05)",
        "access.rural_ratio_need_finding":
            "GP FTE per age-weighted patient was not clearly different between rural "
            "authorities and urban authorities (ratio 0.97, 95% CI 0.90 to 1.05)",
        "access.coastal_ratio": "0.80 (95% CI 0.70 to 0.91)",
        "access.coastal_ratio_finding":
            "GP FTE per patient was lower in coastal authorities than in non-coastal "
            "authorities (ratio 0.80, 95% CI 0.70 to 0.91)",
        "access.coastal_ratio_need": "not estimated (no coastal authority)",
        "access.coastal_ratio_need_finding":
            "GP FTE per age-weighted patient could not be compared between coastal "
            "authorities and non-coastal authorities (no coastal authority)",
        "access.distance_all_areas": "1.20 km (95% CI 1.10 to 1.30)",
        "access.distance_summary": "Across London it was 1.20 km (95% CI 1.10 to 1.30), "
                                   "against 1.50 km in England: the mean distance was 0.30 km "
                                   "lower in London than in England.",
        "access.distance_urban": "1.00 km (95% CI 0.90 to 1.10)",
        "access.distance_urban_sentence":
            "in urban areas the mean was 1.00 km (95% CI 0.90 to 1.10), 0.30 km lower in "
            "urban areas of London than in urban areas of England",
        "access.distance_rural": "not available (no such areas in this edition)",
        "access.distance_rural_sentence": "London has no rural small areas",
        "access.distance_coastal": "not available (no such areas in this edition)",
        "access.distance_coastal_sentence": "London has no coastal small areas",
        "access.distance_non_coastal": "not available (no such areas in this edition)",
        "access.distance_non_coastal_sentence": "London has no non-coastal small areas",
        "access.lowest_fifth_share": "25.0%",
        "access.lowest_fifth_sentence": "25.0% of the registered patients of London live in "
                                        "them, against 19.8% of England's",
        "access.need_weight": "2",
        "access.n_lads": "5",
        "access.lads_words": "5 local authorities",
    }


def test_key_figures_of_england_never_compare_england_with_itself():
    distance = pd.DataFrame({"group": ["All areas", "Rural"], "value": [1.5, 2.5],
                             "lower": [1.4, 2.3], "upper": [1.6, 2.7], "n": [32844, 6844],
                             "england": [1.5, 2.5]})
    lowest = pd.DataFrame({"region_code": ["E12000001", "E92000001"],
                           "region_name": ["North East", "England"], "share": [0.0, 19.8],
                           "n": [12, 296]})
    figures = _figures("england", distance, lowest)
    assert figures["access.distance_summary"] == "Across England it was 1.50 km (95% CI 1.40 " \
        "to 1.60)."
    assert figures["access.distance_rural_sentence"] == (
        "in rural areas the mean was 2.50 km (95% CI 2.30 to 2.70), 1.00 km higher in rural "
        "areas than in England as a whole")
    assert figures["access.gp_rate_summary"] == (
        "Across all of England's authorities there were 6.12 (95% CI 5.90 to 6.35) GP FTE "
        "per 10,000 patients.")
    assert figures["access.lowest_fifth_share"] == "19.8%"  # no interval: a complete count
    assert figures["access.lowest_fifth_sentence"] == (
        "19.8% of England's registered patients live in them; not exactly 20%, because the "
        "fifth is made of whole authorities")
    assert not any("England" in v and "(England" in v for v in figures.values())


def test_a_region_with_none_of_the_lowest_fifth_says_none():
    distance = pd.DataFrame({"group": ["All areas"], "value": [1.2], "lower": [1.1],
                             "upper": [1.3], "n": [1657], "england": [1.5]})
    lowest = pd.DataFrame({"region_code": ["E12000001", "E92000001"],
                           "region_name": ["North East", "England"], "share": [0.0, 19.8],
                           "n": [12, 296]})
    figures = _figures("north-east", distance, lowest)
    assert figures["access.lowest_fifth_sentence"] == (
        "none of the registered patients of North East live in them (England 19.8%)")


def test_a_regions_lowest_fifth_comes_from_the_national_measure():
    national = {"lowest_access_fifth": {"E12000007|share": 25.0, "E12000007|n": 33,
                                        "E92000001|share": 19.8, "E92000001|n": 296}}
    lowest = access.lowest_fifth_of_edition(edition_data("london", national=national))
    assert lowest.to_dict("list") == {
        "region_code": ["E12000007", "E92000001"], "region_name": ["London", "England"],
        "share": [25.0, 19.8], "n": [33.0, 296.0]}
