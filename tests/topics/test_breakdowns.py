"""Breakdowns by ethnicity, age and sex (topics.breakdowns).

Expected values are worked by hand from the constructed inputs, or are ONS's published
Census 2021 totals, not taken from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from inequalities.report import ledger
from inequalities.topics import breakdowns as bd
from tests.topics._editions import edition_data

pytestmark = pytest.mark.unit

K = "breakdowns"


# --------------------------------------------------------------------- tiny data

def _areas() -> pd.DataFrame:
    """Four small areas: two urban (income deciles 1 and 2 -> fifth 1), one rural
    coastal (decile 10 -> fifth 5), one rural (decile 5 -> fifth 3)."""
    return pd.DataFrame({
        "area_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "urban_rural": ["Urban", "Urban", "Rural", "Rural"],
        "coastal": [False, False, True, False],
        "income_decile": [1, 2, 10, 5],
        "pct_65_plus": [10.0, 20.0, 30.0, 25.0],
    })


#: residents, white, asian, black, mixed, other per area
COUNTS = {"E01000001": (1000, 600, 250, 100, 30, 20),
          "E01000002": (500, 450, 20, 10, 10, 10),
          "E01000003": (800, 790, 4, 2, 3, 1),
          "E01000004": (700, 693, 3, 1, 2, 1)}


def _indicators() -> pd.DataFrame:
    rows = []
    stems = ["residents", "white", "asian", "black", "mixed", "other"]
    for code, values in COUNTS.items():
        for stem, v in zip(stems, values):
            rows.append({"area_code": code, "area_level": "LSOA",
                         "indicator_id": f"census_eth_{stem}", "value": float(v)})
    return pd.DataFrame(rows)


def _edition(slug: str = "england", cuts=(1.0, 1.25, 10.0, 40.0)):
    national = {"ethnicity_minority_fifth_cuts": {str(k + 1): c for k, c in enumerate(cuts)}}
    return edition_data(slug, areas=_areas(), indicators=_indicators(), national=national)


def test_shares_pool_the_counts_of_each_kind_of_place_and_income_fifth():
    ed = _edition()
    comp = bd.composition(bd.ethnicity_frame(ed.data)).set_index(["ethnic", "group"])
    # hand: all areas 3,000 residents, White 600 + 450 + 790 + 693 = 2,533
    assert comp.loc[("white", "All areas"), "value"] == pytest.approx(100 * 2533 / 3000)
    assert comp.loc[("not_white", "All areas"), "value"] == pytest.approx(100 * 467 / 3000)
    # urban: areas 1 and 2, Asian 270 of 1,500 (pooled, not the mean of 25% and 4%)
    assert comp.loc[("asian", "Urban"), "value"] == pytest.approx(18.0)
    assert comp.loc[("not_white", "Rural"), "value"] == pytest.approx(100 * 17 / 1500)
    assert comp.loc[("black", "Coastal"), "value"] == pytest.approx(0.25)
    # income fifth 1 = deciles 1-2 = the two urban areas; fifth 3 = decile 5 only
    assert comp.loc[("asian", "Income fifth 1 (most deprived)"), "value"] == \
        pytest.approx(18.0)
    assert comp.loc[("white", "Income fifth 3"), "value"] == pytest.approx(99.0)
    assert comp.loc[("white", "Income fifth 3"), "n"] == 1
    # the five groups add up to 100 in every kind of place
    groups = comp.reset_index()
    groups = groups[groups["residents"] > 0]       # income fifths 2 and 4 have no areas
    five = groups[groups["ethnic"] != "not_white"].groupby("group")["value"].sum()
    assert len(five) == 8 and np.allclose(five, 100.0)


def test_income_fifths_pair_the_deciles():
    fifths = bd.income_fifths(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None]))
    assert fifths.iloc[:10].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert pd.isna(fifths.iloc[10])


# --------------------------------------------------------------------- fifths

def test_fifths_cut_ranked_shares_into_equal_numbers_of_areas():
    shares = pd.Series(np.arange(1.0, 11.0))  # ten areas, 1% .. 10%
    cuts = bd.fifth_cuts(shares)
    assert cuts == [2.0, 4.0, 6.0, 8.0]       # the highest share of each fifth
    assert bd.assign_fifths(shares, cuts).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_a_share_equal_to_a_cut_goes_to_the_lower_fifth_and_ties_stay_together():
    shares = pd.Series([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    cuts = bd.fifth_cuts(shares)
    assert cuts == [0.0, 0.0, 1.0, 3.0]
    # hand: five tied zeros all in fifth 1; 1.0 equals cut 3 -> fifth 3; 2 and 3 -> 4
    assert bd.assign_fifths(shares, cuts).tolist() == [1, 1, 1, 1, 1, 3, 4, 4, 5, 5]
    # the edges: below every cut -> 1, above every cut -> 5, missing stays missing
    edges = bd.assign_fifths(pd.Series([-1.0, 99.0, np.nan]), [1.0, 2.0, 3.0, 4.0])
    assert edges.iloc[:2].tolist() == [1, 5] and pd.isna(edges.iloc[2])


def test_too_few_areas_give_no_fifths():
    cuts = bd.fifth_cuts(pd.Series([1.0, 2.0, 3.0, np.nan]))
    assert all(math.isnan(c) for c in cuts)
    assert bd.assign_fifths(pd.Series([1.0, 2.0]), cuts).isna().all()


def test_regional_areas_take_england_cut_points():
    ed = _edition()
    frame = bd.with_fifths(ed, bd.ethnicity_frame(ed.data))
    # shares not White: 40%, 10%, 1.25%, 1% against cuts 1, 1.25, 10, 40
    assert frame.set_index("area_code")["minority_fifth"].tolist() == [4, 3, 2, 1]


# --------------------------------------------------------------------- ledger

def _composition_statistics(ed, comp):
    """The ledger rows of ``comp`` alone (no minority-health, age or sex rows)."""
    return bd.statistics(ed, comp, pd.DataFrame(columns=["measure"]),
                         pd.DataFrame(columns=["group", "value", "count", "residents", "n"]),
                         pd.DataFrame(columns=["stem", "group", "value", "lower", "upper",
                                               "n", "period", "level"]))


def test_ledger_rows_carry_unit_units_and_no_interval_for_a_census_count(monkeypatch):
    monkeypatch.setattr(bd, "MIN_AREAS", 1)
    ed = _edition()
    comp = bd.composition(bd.ethnicity_frame(ed.data))
    stats = _composition_statistics(ed, comp)
    assert ledger.problems(stats) == []
    row = stats.set_index("key").loc[f"{K}.eth_not_white.all_areas"]
    assert row["unit"] == "%" and row["unit_type"] == "LSOA" and row["period"] == "2021"
    assert math.isnan(row["lower"]) and "no sampling interval" in row["note"]
    assert row["value"] == pytest.approx(100 * 467 / 3000) and row["units"] == 4
    assert row["kind"] == "share" and row["min_units"] == 1
    assert not stats["key"].str.contains("england_").any()  # England's own edition


def test_a_group_below_the_minimum_of_small_areas_is_not_estimated():
    ed = _edition()
    comp = bd.composition(bd.ethnicity_frame(ed.data))
    stats = _composition_statistics(ed, comp)
    rural = stats.set_index("key").loc[f"{K}.eth_white.rural"]
    assert math.isnan(rural["value"])
    assert rural["note"] == "not estimated: 2 small areas, fewer than the 10 needed"


# --------------------------------------------------------------------- sentences

def _stats(values: dict[str, float], *, unit: str = "%", ci: dict | None = None):
    rows = [{c: None for c in ("key", "value", "lower", "upper", "unit", "note", "group",
                               "units")}] if not values else []
    for key, value in values.items():
        lower, upper = (ci or {}).get(key, (math.nan, math.nan))
        rows.append({"key": key, "value": value, "lower": lower, "upper": upper,
                     "unit": unit, "note": "" if not math.isnan(value) else
                     "not estimated: 2 small areas, fewer than the 10 needed",
                     "group": key.split(".")[-1].replace("_", " ").capitalize(),
                     "units": 20})
    frame = pd.DataFrame(rows)
    return frame.iloc[0:0].astype({"key": str}) if not values else frame


def test_ethnicity_sentence_in_a_region_names_england_and_every_kind_of_place():
    s = _stats({f"{K}.eth_not_white.{g}": v for g, v in (
        ("all_areas", 7.04), ("england_all_areas", 19.0), ("urban", 8.0), ("rural", 2.1),
        ("coastal", 6.9), ("non_coastal", 7.0))})
    text = bd.ethnicity_sentence(s, area="the North East region", england=False)
    assert text == ("In the North East region, 7.0% of usual residents were in an ethnic "
                    "group other than White (England: 19.0%). The share was 8.0% in urban "
                    "and 2.1% in rural small areas, and 6.9% in coastal and 7.0% in "
                    "non-coastal ones.")


def test_ethnicity_sentence_for_england_and_for_an_edition_without_rural_areas():
    s = _stats({f"{K}.eth_not_white.{g}": v for g, v in (
        ("all_areas", 19.0), ("urban", 22.0), ("rural", math.nan), ("coastal", 16.2),
        ("non_coastal", 19.7))})
    text = bd.ethnicity_sentence(s, area="England", england=True)
    assert text.startswith("In England, 19.0% of usual residents were in an ethnic group "
                           "other than White. The share was 16.2% in coastal and 19.7% in "
                           "non-coastal small areas.")
    assert text.endswith("Urban and rural small areas are not compared: the edition has "
                         "too few rural or urban small areas.")
    s.loc[s["key"].str.endswith(".rural"), "units"] = 0          # London under RUC 2021
    assert bd.ethnicity_sentence(s, area="England", england=True).endswith(
        "Urban and rural small areas are not compared: the edition has no rural small areas.")
    assert "England:" not in text


def test_ethnicity_sentence_without_the_census_table():
    assert bd.ethnicity_sentence(_stats({}), area="England", england=True) == (
        "The staged data hold ethnic group counts only for the 2021 small areas of the "
        "newest data vintage, so this edition shows no breakdown by ethnicity.")


def _fifths(values: list[float]) -> pd.DataFrame:
    keys = [f"{K}.minority_bad_health_adjusted.{ledger.key_part(bd.minority_fifth_label(k))}"
            for k in range(1, 6)]
    s = _stats(dict(zip(keys, values)), ci={k: (v - 0.2, v + 0.2) for k, v in
                                            zip(keys, values)})
    s["group"] = [bd.minority_fifth_label(k) for k in range(1, 6)]
    return s


def test_minority_sentence_compares_the_lowest_and_highest_fifths():
    text = bd.minority_sentence(_fifths([6.6, 6.8, 7.0, 7.4, 7.8]))
    assert text == ("Adjusted for age, 6.6% (95% CI 6.4 to 6.8) of residents were in bad or "
                    "very bad health in the small areas of the national fifth with the lowest "
                    "share not White, and 7.8% (95% CI 7.6 to 8.0) in those of the national "
                    "fifth with the highest share not White.")


def test_minority_sentence_sets_england_beside_a_region():
    s = _fifths([6.6, 6.8, 7.0, 7.4, 7.8])
    england = _stats({f"{K}.minority_bad_health_adjusted.england_fifth_1_lowest_share_not_"
                      "white": 4.63,
                      f"{K}.minority_bad_health_adjusted.england_fifth_5_highest_share_not_"
                      "white": 5.92})
    text = bd.minority_sentence(pd.concat([s, england], ignore_index=True))
    assert text.endswith("highest share not White. In England's small areas of the same "
                         "fifths the shares were 4.6% and 5.9%.")


def test_minority_sentence_names_fifths_not_estimated():
    one = bd.minority_sentence(_fifths([6.6, 6.8, 7.0, 7.4, math.nan]))
    assert "in those of national fifth 4 of the share not White." in one
    assert one.endswith("One national fifth has fewer than 10 of the edition's small areas "
                        "and is not estimated.")
    two = bd.minority_sentence(_fifths([6.6, 6.8, 7.0, math.nan, math.nan]))
    assert two.endswith("Two national fifths have fewer than 10 of the edition's small areas "
                        "and are not estimated.")
    none = bd.minority_sentence(_fifths([6.6, math.nan, math.nan, math.nan, math.nan]))
    assert none.startswith("Too few of the edition's small areas")
    assert bd.minority_sentence(_stats({})).startswith("Health by the ethnic "
                                                       "composition of small areas is not")


def test_age_sentence_branches():
    s = _stats({f"{K}.age_65_plus.{g}": v for g, v in (
        ("all_areas", 20.42), ("england_all_areas", 18.41), ("urban", 19.5),
        ("rural", 24.7), ("coastal", 19.8), ("non_coastal", 20.9))})
    assert bd.age_sentence(s, area="the North East region", england=False) == (
        "In the North East region, 20.4% of residents were aged 65 or over (England: "
        "18.4%). The share aged 65 or over was 19.5% in urban and 24.7% in rural small "
        "areas, and 19.8% in coastal and 20.9% in non-coastal ones.")
    inland = s[~s["key"].str.endswith(".coastal")]                  # no coastal row at all
    assert bd.age_sentence(inland, area="the NHS Example ICB area", england=False).endswith(
        "24.7% in rural small areas. Coastal and non-coastal small areas are not compared: "
        "the edition has no coastal small areas.")
    assert bd.age_sentence(_stats({}), area="England", england=True) == (
        "The population by age is not available for this edition.")


def _gap(stem: str, value: float, lower: float, upper: float) -> dict:
    return {"key": f"{K}.sex_gap_{stem}.all_areas", "value": value, "lower": lower,
            "upper": upper, "unit": "years", "note": "", "group": "All areas", "units": 12}


def test_sex_sentence_in_each_direction_with_true_minus_signs():
    s = pd.DataFrame([_gap("le", 3.97, 3.7, 4.24), _gap("hle", -0.11, -0.39, 0.17)])
    assert bd.sex_sentence(s) == (
        "Females' life expectancy at birth exceeded males' by 4.0 years (95% CI 3.7 to 4.2) "
        "across the edition's authorities (population-weighted). Females' and males' healthy "
        "life expectancy at birth did not differ clearly across the edition's authorities "
        "(population-weighted): female minus male \u22120.1 years (95% CI \u22120.4 to 0.2).")
    males = bd.sex_sentence(pd.DataFrame([_gap("le", -1.5, -2.0, -1.0)]))
    assert males.startswith("Males' life expectancy at birth exceeded females' by 1.5 years "
                            "(95% CI 1.0 to 2.0)")
    assert males.endswith("The gap between females' and males' healthy life expectancy at "
                          "birth is not available for this edition.")


def test_area_words():
    from inequalities.data import editions
    assert bd.area_words(editions.get("england")) == "England"
    assert bd.area_words(editions.get("north-east")) == "the North East region"
    nhs = [e for e in editions.in_set("nhs-region") if e.name == "NHS England London"][0]
    assert bd.area_words(nhs) == "the NHS England London region"
    icb = [e for e in editions.in_set("icb") if e.name == "NHS Cheshire and Merseyside ICB"]
    assert bd.area_words(icb[0]) == "the NHS Cheshire and Merseyside ICB area"


# --------------------------------------------------------------------- real data

@pytest.mark.integration
def test_real_north_east_and_london_against_census_2021_published_shares():
    """ONS Census 2021 (TS021): England 81.0% White; North East 93.0% White; London
    53.8% White. The female minus male gap equals the outcomes chapter's two means."""
    from inequalities.topics import outcomes
    from inequalities.topics.edition import load
    from tests.reports import SHARED_DATA, have_real_data

    if not have_real_data():
        pytest.skip(f"real national data not found at {SHARED_DATA}")
    shares = {}
    for slug in ("north-east", "london"):
        ed = load(slug, SHARED_DATA)
        frame = bd.with_fifths(ed, bd.ethnicity_frame(ed.data))
        comp = bd.composition(frame).set_index(["ethnic", "group"])["value"]
        shares[slug] = comp[("not_white", "All areas")]
        national = ed.england("ethnicity_composition")
        assert national["white|All areas"] == pytest.approx(81.0, abs=0.05)
        # England's fifths hold equal numbers of its 33,755 small areas (ties aside)
        cuts = [float(ed.england("ethnicity_minority_fifth_cuts")[str(k)]) for k in range(1, 5)]
        assert cuts == sorted(cuts) and 0 < cuts[0] < cuts[3] < 100
        if slug == "london":
            gaps = bd.sex_gaps(ed).set_index(["stem", "group"])["value"]
            summary = outcomes.summaries(ed)
            means = summary[(summary["stem"] == "le") & (summary["kind"] == "mean")
                            & (summary["group"] == "All areas")].set_index("sex")["value"]
            assert gaps[("le", "All areas")] == pytest.approx(
                means["Female"] - means["Male"], abs=1e-9)
            # London has no rural small area under RUC 2021: not estimated, says why
            stats = bd.statistics(ed, bd.composition(frame), bd.minority_shares(ed, frame),
                                  bd.age_shares(bd.age_frame(ed.data)), bd.sex_gaps(ed))
            assert ledger.problems(stats) == []
            row = stats.set_index("key").loc[f"{K}.eth_white.rural"]
            assert math.isnan(row["value"]) and row["note"].startswith("not estimated")
    assert shares["north-east"] == pytest.approx(7.0, abs=0.1)
    assert shares["london"] == pytest.approx(46.2, abs=0.1)


def test_a_region_sets_england_beside_it_with_the_small_areas_behind_england(monkeypatch):
    monkeypatch.setattr(bd, "MIN_AREAS", 1)
    national = {"ethnicity_minority_fifth_cuts": {"1": 1.0, "2": 1.25, "3": 10.0, "4": 40.0,
                                                  "n": 33755.0},
                "ethnicity_composition": {"white|All areas": 81.0, "not_white|All areas": 19.0,
                                          "n|All areas": 33755.0, "white|Rural": 96.2,
                                          "n|Rural": 5554.0}}
    ed = edition_data("north-east", areas=_areas(), indicators=_indicators(),
                      national=national)
    comp = bd.composition(bd.ethnicity_frame(ed.data))
    empty = pd.DataFrame(columns=["group", "value", "count", "residents", "n"])
    stats = bd.statistics(ed, comp, pd.DataFrame(columns=["measure"]), empty,
                          pd.DataFrame(columns=["stem", "group", "value", "lower", "upper",
                                                "n", "period", "level"]))
    assert ledger.problems(stats) == []
    rows = stats.set_index("key")
    assert rows.loc[f"{K}.eth_white.england_all_areas", ["value", "units"]].tolist() == \
        [81.0, 33755.0]
    assert rows.loc[f"{K}.eth_white.england_rural", "units"] == 5554.0
    assert rows.loc[f"{K}.eth_white.england_rural", "group"] == "England: rural"
    assert rows.loc[f"{K}.minority_cut.fifth_4", ["value", "units"]].tolist() == [40.0, 33755.0]
    assert not any(k.startswith(f"{K}.eth_n.") for k in rows.index)  # counts are no group


def test_tables_say_why_a_cell_is_empty_in_few_words(monkeypatch):
    ed = _edition()
    comp = bd.composition(bd.ethnicity_frame(ed.data))
    empty = pd.DataFrame(columns=["group", "value", "count", "residents", "n"])
    stats = bd.statistics(ed, comp, pd.DataFrame(columns=["measure"]), empty,
                          pd.DataFrame(columns=["stem", "group", "value", "lower", "upper",
                                                "n", "period", "level"]))
    table = bd.ethnicity_table(stats, england=True).frame.set_index("Small areas")
    # four small areas, fewer than ten: every share is "too few areas"; income fifth 2
    # has none of the edition's small areas
    assert table.loc["All areas", "White (%)"] == "too few areas"
    assert table.loc["Income fifth 2", "White (%)"] == "no areas"
    assert table.loc["Income fifth 2", "Areas"] == "0"
    assert "England, not White (%)" not in table.columns
    assert bd.ethnicity_table(stats.iloc[0:0], england=True).frame.columns.tolist() == ["Note"]


def test_a_fifth_without_any_of_the_editions_areas_publishes_no_share():
    minority = pd.DataFrame([
        {"measure": "residents_share", "group": bd.minority_fifth_label(1), "value": 0.0,
         "lower": np.nan, "upper": np.nan, "n": 0, "count": 0.0, "residents": 500.0},
        {"measure": "residents_share", "group": bd.minority_fifth_label(5), "value": 100.0,
         "lower": np.nan, "upper": np.nan, "n": 12, "count": 500.0, "residents": 500.0}])
    rows = pd.concat(bd._minority_statistics(minority)).set_index("group")
    empty = rows.loc[bd.minority_fifth_label(1)]
    assert math.isnan(empty["value"]) and empty["units"] == 0
    assert empty["note"] == ("not estimated: none of the edition's small areas is in this "
                             "national fifth")
    assert rows.loc[bd.minority_fifth_label(5), "value"] == 100.0
    assert ledger.problems(rows.reset_index()) == []
