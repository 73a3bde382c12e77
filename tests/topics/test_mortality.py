"""Small-area mortality (topics.mortality): deciles, gap, gradients and ledger rows.

Expected values are worked by hand from the constructed inputs, not by the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from inequalities.report import ledger
from inequalities.topics import mortality

from tests.topics._editions import edition_data


def test_deciles_split_ranked_scores_into_equal_tenths_most_deprived_first():
    scores = pd.Series(np.arange(1.0, 21.0))          # 20 MSOAs, score 20 most deprived
    cuts = mortality.decile_cuts(scores)
    assert cuts[0] == pytest.approx(18.5)             # between 19 (decile 1) and 18
    deciles = mortality.assign_deciles(scores, cuts)
    # hand: rank r = 21 - s from the highest score, decile = ceil(r * 10 / 20)
    expected = [math.ceil((21 - s) / 2) for s in range(1, 21)]
    assert deciles.tolist() == expected
    assert pd.isna(mortality.assign_deciles(pd.Series([np.nan]), cuts).iloc[0])


def _msoas(per_decile: int = 2, rural_from: int = 11) -> pd.DataFrame:
    """Two MSOAs per decile, equal residents, LE = 80 + 0.5 (decile - 1) -+ 0.1."""
    rows = []
    for d in range(1, 11):
        for k in range(per_decile):
            le = 80 + 0.5 * (d - 1) + (0.1 if k % 2 else -0.1)
            rows.append({"area_code": f"E02{d:03d}{k:03d}", "population": 1000.0,
                         "urban_rural": "Rural" if d >= rural_from else "Urban",
                         "coastal": False, "imd_decile": d, "msoa_le_female": le,
                         "msoa_le_male": le - 4, "msoa_smr_all": 150.0 - 10 * d})
    frame = pd.DataFrame(rows)
    frame.attrs["period"] = "2015 - 19"
    return frame


def test_summaries_weight_by_residents_and_gap_is_least_minus_most_deprived():
    msoa = _msoas()
    msoa.loc[0, "population"] = 3000.0               # decile 1: 79.9 x 3000, 80.1 x 1000
    summary = mortality.summaries(msoa)
    first = summary[(summary["measure"] == "le_female")
                    & (summary["group"] == "Decile 1 (most deprived)")].iloc[0]
    assert first["value"] == pytest.approx((79.9 * 3000 + 80.1 * 1000) / 4000)
    smr = summary[(summary["measure"] == "smr_all") & (summary["group"] == "All areas")]
    assert smr["value"].iloc[0] == pytest.approx((140 * 4000 + sum(
        2000 * (150 - 10 * d) for d in range(2, 11))) / 22000)
    gaps = mortality.life_expectancy_gaps(summary)
    female = gaps[gaps["sex"] == "Female"].iloc[0]
    assert female["value"] == pytest.approx(84.5 - 79.95)  # decile 10 mean minus decile 1
    assert female["lower"] < female["value"] < female["upper"]


def test_sii_of_a_straight_line_is_its_slope_over_the_whole_ranking():
    # decile means 80 + 0.5 (d - 1) at rank x = (d - 0.5) / 10: LE = 79.75 + 5 x, so the
    # SII (least minus most deprived end) is 5 years and the RII (79.75 + 5) / 79.75
    gradient = mortality.gradients(_msoas(rural_from=11), seed=1)
    sii = gradient[(gradient["sex"] == "Female") & (gradient["group"] == "All areas")
                   & (gradient["measure"] == "sii")].iloc[0]
    rii = gradient[(gradient["sex"] == "Female") & (gradient["group"] == "All areas")
                   & (gradient["measure"] == "rii")].iloc[0]
    assert sii["estimate"] == pytest.approx(5.0, abs=1e-9)
    assert rii["estimate"] == pytest.approx(84.75 / 79.75, abs=1e-9)
    rural = gradient[(gradient["group"] == "Rural")]
    assert rural["estimate"].isna().all()             # no rural MSOAs at all
    assert rural["note"].str.startswith("not estimated").all()


def test_ledger_rows_are_valid_and_short_groups_are_not_estimated():
    msoa = _msoas(rural_from=9)                       # 4 rural MSOAs only
    summary = mortality.summaries(msoa)
    stats = mortality.statistics(edition_data("england"), summary,
                                 mortality.life_expectancy_gaps(summary),
                                 mortality.gradients(msoa, seed=1))
    checked = ledger.check(stats)
    rural = checked[checked["key"] == "mortality.le_female.rural"].iloc[0]
    assert math.isnan(rural["value"]) and "fewer than the 10" in rural["note"]
    # 2 MSOAs per decile < 10: every decile mean is suppressed, the gap too
    gap = checked[checked["key"] == "mortality.le_female_gap.least_minus_most_deprived"]
    assert math.isnan(gap["value"].iloc[0])
    figures = mortality.key_figures(checked, msoa)
    assert "rural MSOAs the SII is not estimated" in figures["mortality.sii_sentences"]
    assert "difference" not in figures["mortality.sii_sentences"]
    assert figures["mortality.n_msoas"] == "20"


def test_age_slope_recovers_the_65_plus_effect_net_of_deprivation():
    # share (%) = 2 + 0.1 x %65+ + 1.5 x (decile is 1): the slope is 0.1 exactly, and the
    # decile level does not leak into it although deprived areas are younger here
    rows = []
    for i in range(40):
        decile = 1 if i < 20 else 10
        p65 = (10 if decile == 1 else 25) + (i % 5)
        share = 2 + 0.1 * p65 + (1.5 if decile == 1 else 0)
        rows.append({"imd_decile": decile, "pct_65_plus": float(p65),
                     "bad_health_n": share * 10, "bad_health_d": 1000.0})
    slope, p65 = mortality.age_slope(pd.DataFrame(rows), "bad_health")
    assert slope == pytest.approx(0.1)
    assert p65 == pytest.approx((20 * 12 + 20 * 27) / 40)


def test_census_rows_give_wilson_interval_and_counts_in_the_note():
    shares = pd.DataFrame([{"measure": "bad_health_crude", "group": "Rural", "value": 5.0,
                            "lower": np.nan, "upper": np.nan, "n": 12, "count": 50.0,
                            "residents": 1000.0}])
    from inequalities import methods
    crude = methods.proportion([50], [1000], multiplier=100).iloc[0]
    shares[["lower", "upper"]] = crude["lower"], crude["upper"]
    # Wilson by hand: (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
    z, p, n = 1.959964, 0.05, 1000
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert crude["lower"] == pytest.approx(100 * (centre - half) / (1 + z * z / n), rel=1e-5)
    row = mortality.census_statistics(shares).iloc[0]
    assert row["key"] == "mortality.census_bad_health_crude.rural"
    assert row["note"] == "50 of 1,000 residents" and row["unit"] == "%"


def test_a_kind_of_area_missing_one_decile_has_no_sii():
    gradient = mortality.gradients(_msoas(rural_from=2), seed=1)   # rural: deciles 2-10
    rural = gradient[gradient["group"] == "Rural"]
    assert rural["estimate"].isna().all() and (rural["n"] == 18).all()
    assert rural["note"].str.contains("not every deprivation decile").all()
    assert not (gradient["group"] == "Rural - Urban").any()


def _le_sii(sex, value, lower, upper, note=""):
    return {"key": f"mortality.le_{sex}_sii.all_areas", "value": value, "lower": lower,
            "upper": upper, "unit": "years", "note": note}


def test_summary_sentence_reads_as_english_in_every_case():
    nan = float("nan")
    stats = pd.DataFrame([_le_sii("female", 7.52, 6.75, 8.29),
                          _le_sii("male", 0.4, -0.3, 1.1)])
    assert mortality.summary_sentence(stats, "2015–19") == (
        "Over 2015–19, female life expectancy at birth was 7.5 years higher at the least "
        "deprived end of the MSOAs' deprivation scale than at the most deprived end (slope "
        "index of inequality 7.5 years, 95% CI 6.8 to 8.3); male life expectancy at birth was "
        "not clearly different between the least and the most deprived ends of the MSOAs' "
        "deprivation scale (slope index of inequality 0.4 years, 95% CI \u22120.3 to 1.1).")
    stats = pd.DataFrame([_le_sii("female", nan, nan, nan,
                                  "not estimated: not every deprivation decile has two or "
                                  "more MSOAs of this kind")])
    assert mortality.summary_sentence(stats, "not available") == (
        "The gap in female life expectancy at birth between the least and the most deprived "
        "MSOAs was not estimated (not every deprivation decile has two or more MSOAs of this "
        "kind); the gap in male life expectancy at birth between the least and the most "
        "deprived MSOAs was not estimated.")


def test_summary_sentence_says_a_shared_reason_once():
    nan = float("nan")
    note = "not estimated: not every deprivation decile has two or more MSOAs of this kind"
    stats = pd.DataFrame([_le_sii("female", nan, nan, nan, note),
                          _le_sii("male", nan, nan, nan, note)])
    assert mortality.summary_sentence(stats, "2015–19") == (
        "Over 2015–19, the gap in life expectancy at birth between the least and the most "
        "deprived MSOAs was not estimated for either sex (not every deprivation decile has "
        "two or more MSOAs of this kind).")
