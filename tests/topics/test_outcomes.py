import numpy as np
import pandas as pd
import pytest

from inequalities.topics import outcomes
from inequalities.data import Dataset
from tests.topics._editions import edition_data

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


# --- what the notebook shows and its key figures ----------------------------------------


def test_differences_carry_their_finding_in_words():
    lads = pd.DataFrame({"lad_code": [f"L{i}" for i in range(6)],
                         "urban_rural": ["Urban"] * 3 + ["Rural"] * 3, "coastal": False})
    indicators = pd.DataFrame({
        "area_code": lads["lad_code"], "area_level": "LAD", "indicator_id": "90366",
        "sex": "Female", "period": "2021 - 23", "value": [70.0, 71.0, 72.0, 80.0, 81.0, 82.0],
        "count": np.nan, "denominator": np.nan, "lower": np.nan, "upper": np.nan})
    ed = edition_data("england", indicators=indicators, lads=lads)
    findings = outcomes.differences_with_findings(ed).set_index("comparison")["finding"]
    # 10 years, Welch interval 10 -+ t(0.975, 4) * sqrt(1/3 + 1/3) = 7.7 to 12.3
    assert findings["Rural minus urban"] == "10.0 years higher in rural areas than in urban areas"
    assert findings["Coastal minus non-coastal"] == \
        "not estimable (fewer than two coastal or non-coastal areas)"


def _means(rows):
    columns = ["indicator_id", "sex", "group", "value", "lower", "upper", "n", "period",
               "england"]
    return pd.DataFrame(rows, columns=columns)


LIFE = _means([("90366", "Male", "All areas", 80.0, 79.2, 80.8, 3, "2021 - 23", 79.0),
               ("90366", "Male", "Urban", 79.0, 78.1, 79.9, 2, "2021 - 23", 78.5)])
MOOD = _means([("iod_mood_anxiety", "Persons", "All areas", 0.5, 0.45, 0.55, 4000, "2019",
                0.02)])
DIFFERENCES = pd.DataFrame({
    "indicator_id": ["90366", "iod_mood_anxiety"], "sex": ["Male", "Persons"],
    "comparison": ["Rural minus urban", "Coastal minus non-coastal"],
    "difference": [np.nan, 0.1234], "lower": [np.nan, 0.05], "upper": [np.nan, 0.2],
    "finding": ["not estimable (fewer than two rural or urban areas)", "as computed"]})


def test_key_figures_of_a_region():
    data = _dataset()
    ed = edition_data("london", indicators=data.indicators, lads=data.lads)
    figures = outcomes.key_figures(ed, [LIFE, MOOD], DIFFERENCES)
    expected = {
        "outcomes.le_male_all_areas": "80.0 (95% CI 79.2 to 80.8)",
        "outcomes.le_male_urban": "79.0 (95% CI 78.1 to 79.9)",
        "outcomes.le_male_rural": "not available",
        "outcomes.le_male_period": "2021 - 23",
        "outcomes.le_male_n": "3",
        "outcomes.le_male_england_mean": "79.0",
        "outcomes.le_male_vs_england":
            "1.0 years higher in authorities of London than in England's authorities",
        "outcomes.le_male_rural_gap": "not available",
        "outcomes.le_male_rural_finding": "not estimable (fewer than two rural or urban areas)",
        "outcomes.le_male_england_published": "79.5",
        "outcomes.mood_all_areas": "0.50 (95% CI 0.45 to 0.55)",
        "outcomes.mood_n": "4,000",
        "outcomes.mood_england_mean": "0.02",
        "outcomes.mood_vs_england":
            "0.48 higher in small areas of London than in England's small areas",
        "outcomes.mood_coastal_gap": "0.12 (95% CI 0.05 to 0.20)",
        "outcomes.mood_coastal_finding": "as computed",
        "outcomes.le_female_all_areas": "not available",
        "outcomes.le_female_england_published": "not available",
        "outcomes.hle_male_vs_england": "not available",
    }
    assert {key: figures[key] for key in expected} == expected
    assert len(figures) == 9 * 14  # every stem x suffix, nothing else


def test_key_figures_of_england_do_not_compare_england_with_itself():
    data = _dataset()
    ed = edition_data("england", indicators=data.indicators, lads=data.lads)
    figures = outcomes.key_figures(ed, [LIFE, MOOD], DIFFERENCES)
    assert figures["outcomes.le_male_vs_england"] == "the figure for England itself"
    assert figures["outcomes.mood_vs_england"] == "the figure for England itself"
