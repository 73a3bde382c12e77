import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inequalities.report import ledger
from inequalities.topics import outcomes
from tests.topics._editions import edition_data

pytestmark = pytest.mark.unit

SHARED = Path("/work/shared/data")

# Eight authorities: six urban (one of them coastal), two rural (one coastal).
LADS = pd.DataFrame({
    "lad_code": ["U1", "U2", "U3", "U4", "U5", "U6", "R1", "R2"],
    "lad_name": ["Urbia", "Townsend", "Portly", "Millbury", "Kings", "Queens", "Dale",
                 "Fell"],
    "urban_rural": ["Urban"] * 6 + ["Rural"] * 2,
    "coastal": [False, False, True, False, False, False, False, True],
    "coastal_share": [0.1, 0.2, 0.7, 0.45, 0.0, 0.35, 0.0, 0.52],
    "population": [100.0, 300.0, 100.0, 100.0, 100.0, 100.0, 50.0, 50.0],
})
VALUES = {"U1": 78.0, "U2": 80.0, "U3": 76.0, "U4": 79.0, "U5": 81.0, "U6": 77.0,
          "R1": 82.0, "R2": 84.0}


def _indicators(values: dict[str, float], england: float, indicator_id: str = "90366",
                sex: str = "Male") -> pd.DataFrame:
    rows = [{"area_code": code, "area_level": "LAD", "value": v} for code, v in values.items()]
    rows.append({"area_code": "E92000001", "area_level": "England", "value": england})
    return pd.DataFrame(rows).assign(indicator_id=indicator_id, sex=sex, period="2021 - 23",
                                     count=np.nan, denominator=np.nan, lower=np.nan,
                                     upper=np.nan)


def _edition(slug="north-east", **kw):
    return edition_data(slug, lads=LADS, indicators=_indicators(VALUES, 79.5), **kw)


def test_authority_means_are_population_weighted_with_a_linearised_interval():
    stats = outcomes.statistics(_edition(), outcomes.summaries(_edition()))
    urban = stats.set_index("key").loc["outcomes.le_male.urban"]
    # by hand: (7800 + 24000 + 7600 + 7900 + 8100 + 7700) / 800 = 78.875
    assert urban["value"] == pytest.approx(78.875)
    # w*(y - ybar): -87.5, 337.5, -287.5, 12.5, 212.5, -187.5; squares sum 284,687.5;
    # v = 6/5 * 284687.5 / 800^2 = 0.533789; t(0.975, 5) = 2.570582
    assert urban["upper"] - urban["value"] == pytest.approx(2.570582 * 0.533789 ** 0.5,
                                                            rel=1e-5)
    assert urban["units"] == 6 and urban["unit_type"] == "LA"
    # not an unweighted mean (78.5)
    assert urban["value"] != pytest.approx(78.5)


def test_groups_below_the_minimum_are_not_estimated_and_say_why():
    stats = outcomes.statistics(_edition(), outcomes.summaries(_edition())).set_index("key")
    rural = stats.loc["outcomes.le_male.rural"]
    assert math.isnan(rural["value"]) and math.isnan(rural["lower"])
    assert rural["note"] == "not estimated: 2 local authorities, fewer than the 5 needed"
    gap = stats.loc["outcomes.le_male.rural_minus_urban"]
    assert math.isnan(gap["value"])
    assert gap["note"] == ("not estimated: only 2 rural authorities, fewer than the 5 "
                           "needed on each side")
    both = stats.loc["outcomes.le_male.coastal_minus_non_coastal"]
    assert both["note"] == ("not estimated: only 2 coastal authorities, fewer than the 5 "
                            "needed on each side")
    assert ledger.problems(stats.reset_index()) == []


def test_england_is_the_published_england_row_not_a_mean_of_authorities():
    stats = outcomes.statistics(_edition(), outcomes.summaries(_edition())).set_index("key")
    england = stats.loc["outcomes.le_male.england"]
    assert england["value"] == 79.5 and england["unit_type"] == "country"
    assert math.isnan(england["lower"])  # a published figure carries no interval here
    figures = outcomes.key_figures(_edition(), stats.reset_index())
    assert figures["outcomes.le_male_england"] == "79.5 years"


def test_key_figures_table_and_chart_show_the_same_interval():
    ed = _edition()
    stats = outcomes.statistics(ed, outcomes.summaries(ed))
    figures = outcomes.key_figures(ed, stats)
    chart = outcomes.chart_frame(stats, "le").set_index("group")
    urban = stats.set_index("key").loc["outcomes.le_male.urban"]
    assert figures["outcomes.le_male_urban"] == ledger.interval_text(urban, unit=True)
    assert chart.loc["Urban", "lower"] == urban["lower"]
    assert math.isnan(chart.loc["Rural", "value"])
    table = outcomes.differences_table(stats).frame
    assert "not estimated: only 2 rural authorities" in " ".join(
        table["Difference (95% CI)"])
    assert set(table["Outcome (unit)"]) == {"Life expectancy at birth, males (years)"}


def test_coverage_names_the_authorities_without_a_value():
    values = {k: v - 18 for k, v in VALUES.items() if k.startswith("U")}  # no R1, R2
    ed = edition_data("south-west", lads=LADS,
                      indicators=_indicators(values, 60.9, indicator_id="90362"))
    stats = outcomes.statistics(ed, outcomes.summaries(ed))
    figures = outcomes.key_figures(ed, stats)
    assert figures["outcomes.hle_male_coverage"] == (
        "The source covers 6 of 8 authorities; the source file has no value for Dale and "
        "Fell.")
    assert figures["outcomes.le_male_coverage"] == "not available"


@pytest.mark.parametrize(("value", "lower", "upper", "note", "expected"), [
    (1.5, 0.8, 2.1, "", "Female life expectancy was higher in rural MSOAs than in urban "
                        "MSOAs, by 1.5 years (95% CI 0.8 to 2.1)."),
    (-0.9, -1.6, -0.3, "", "Female life expectancy was lower in rural MSOAs than in urban "
                           "MSOAs, by 0.9 years (95% CI 0.3 to 1.6)."),
    (-0.2, -0.9, 0.5, "", "Female life expectancy showed no clear difference between rural "
                          "and urban MSOAs: the difference was \u22120.2 years (95% CI "
                          "\u22120.9 to 0.5)."),
    (np.nan, np.nan, np.nan, "not estimated: only 2 rural MSOAs, fewer than the 10 needed "
                             "on each side",
     "Female life expectancy was not compared between rural and urban MSOAs: only 2 rural "
     "MSOAs, fewer than the 10 needed on each side."),
])
def test_comparison_sentences_in_every_case(value, lower, upper, note, expected):
    row = pd.Series({"group": "Rural minus urban", "value": value, "lower": lower,
                     "upper": upper, "unit": "years", "note": note})
    assert outcomes.comparison_sentence(row, "Female life expectancy", "MSOAs") == expected


def test_iod_sentences_use_points_and_the_units_decimals():
    row = pd.Series({"group": "Coastal minus non-coastal", "value": 0.147, "lower": 0.082,
                     "upper": 0.213, "unit": "score", "note": ""})
    assert outcomes.comparison_sentence(row, "Mood and anxiety disorders", "small areas",
                                        "points") == (
        "Mood and anxiety disorders was higher in coastal small areas than in non-coastal "
        "small areas, by 0.15 points (95% CI 0.08 to 0.21).")


def test_msoas_are_rural_or_coastal_by_the_majority_of_their_residents():
    areas = pd.DataFrame({
        "msoa_code": ["M1", "M1", "M1", "M2", "M2"],
        "population": [100, 100, 250, 300, 100],
        "urban_rural": ["Rural", "Rural", "Urban", "Urban", "Rural"],
        "coastal": [True, False, True, False, True]})
    out = outcomes.msoas(areas).set_index("area_code")
    # M1: 200 of 450 rural -> urban; 350 of 450 coastal -> coastal
    assert out.loc["M1", "urban_rural"] == "Urban" and bool(out.loc["M1", "coastal"])
    assert out.loc["M2", "urban_rural"] == "Urban" and not out.loc["M2", "coastal"]
    assert out.loc["M1", "population"] == 450


def test_the_authorities_nearest_the_coastal_threshold_are_named():
    assert outcomes.near_threshold(LADS, count=3) == (
        "Fell (52.0%, coastal), Millbury (45.0%, non-coastal) and Queens (35.0%, "
        "non-coastal)")
    assert outcomes.near_threshold(LADS.iloc[:0]) == "no authorities"


def test_every_key_figure_exists_for_an_edition_without_outcomes():
    ed = edition_data("london", lads=LADS, indicators=_indicators({}, 79.5).iloc[:0])
    stats = outcomes.statistics(ed, outcomes.summaries(ed))
    figures = outcomes.key_figures(ed, stats)
    for outcome in outcomes.OUTCOMES:
        for sex in outcome.sexes:
            stem = outcome.stem if sex == "Persons" else f"{outcome.stem}_{sex.lower()}"
            for suffix in outcomes.KEY_SUFFIXES:
                assert figures[f"outcomes.{stem}_{suffix}"] == "not available"


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the staged real data")
def test_real_england_figures_are_the_published_england_rows():
    from inequalities.topics.edition import load
    ed = load("north-east", SHARED)
    stats = outcomes.statistics(ed, outcomes.summaries(ed)).set_index("key")
    for file, stem, sex in (("fingertips_healthy_life_expectancy_ua.csv", "hle_male", "Male"),
                            ("fingertips_u75_preventable_mortality_lad.csv", "premature",
                             "Persons")):
        source = pd.read_csv(SHARED / file, dtype=str)
        row = stats.loc[f"outcomes.{stem}.england"]
        published = source[(source["area_code"] == "E92000001") & (source["sex"] == sex)
                           & (source["period"] == row["period"])]
        assert row["value"] == pytest.approx(float(published["value"].iloc[0]))
    # The North East has two rural authorities: nothing rural is estimated from them.
    assert math.isnan(stats.loc["outcomes.le_female.rural", "value"])
    # MSOA life expectancy: every MSOA of the region, from the Local Health file.
    msoa = pd.read_csv(SHARED / "ohid_localhealth_msoa11_le_smr_2015_19.csv", dtype=str,
                       keep_default_na=False)
    female = pd.to_numeric(msoa["Life expectancy at birth for females"], errors="coerce")
    in_region = msoa["Code"].isin(ed.data.areas["msoa_code"]) & female.notna()
    assert stats.loc["outcomes.msoa_le_female.all_areas", "units"] == in_region.sum()


def test_both_sexes_not_compared_for_one_reason_make_one_sentence():
    note = "not estimated: only 2 rural authorities, fewer than the 5 needed on each side"
    row = pd.Series({"group": "Rural minus urban", "value": np.nan, "lower": np.nan,
                     "upper": np.nan, "unit": "years", "note": note})
    outcome = outcomes.BY_STEM["le"]
    assert outcomes.paired_sentences(row, row, outcome) == (
        "Life expectancy at birth was not compared between rural and urban authorities for "
        "either sex: only 2 rural authorities, fewer than the 5 needed on each side.")
    made = pd.Series({**row.to_dict(), "value": 1.2, "lower": 0.8, "upper": 1.7,
                      "note": ""})
    assert outcomes.paired_sentences(made, row, outcome) == (
        "Female life expectancy at birth was higher in rural authorities than in urban "
        "authorities, by 1.2 years (95% CI 0.8 to 1.7). Male life expectancy at birth was "
        "not compared between rural and urban authorities: only 2 rural authorities, fewer "
        "than the 5 needed on each side.")


def test_outcomes_without_sexes_are_singular_subjects():
    ed = _edition()
    stats = pd.concat([outcomes.statistics(ed, outcomes.summaries(ed)), ledger.rows(
        pd.DataFrame({"group": ["Rural minus urban"], "value": [-6.7], "lower": [-8.1],
                      "upper": [-5.3], "n": [300]}), topic="outcomes", key="outcomes.ypll",
        label="Years of potential life lost", unit="standardised rate", kind="difference",
        unit_type="LSOA", method="m", source="s", period="2019")], ignore_index=True)
    figures = outcomes.key_figures(ed, stats)
    assert figures["outcomes.ypll_rural_sentence"] == (
        "The years of potential life lost indicator was lower in rural small areas than in "
        "urban small areas, by 6.7 points (95% CI 5.3 to 8.1).")
