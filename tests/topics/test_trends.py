"""Tests of inequalities.topics.trends (chapter 8: the rural - urban life expectancy gap)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.report import ledger
from inequalities.topics import trends
from inequalities.topics.base import EditionData

pytestmark = pytest.mark.unit

MINUS = "\u2212"
NO_TREND = ("cannot be estimated for this edition, which has no rural (or no urban) local "
            "authorities")


def test_non_overlapping_periods_count_back_from_the_latest():
    nine = [f"{y} - {str(y + 2)[-2:]}" for y in range(2015, 2024)]
    assert trends.non_overlapping(nine) == ["2017 - 19", "2020 - 22", "2023 - 25"]
    assert trends.non_overlapping(["2001 - 03", "2004 - 06"]) == ["2001 - 03", "2004 - 06"]
    assert trends.non_overlapping(list("abcdefg")) == ["a", "d", "g"]  # by position


def _panel(rng, *, rural=15, urban=45, years=range(2001, 2021), change=0.03, slopes=0.04):
    """Authorities' life expectancy in overlapping three-year periods, with known truth.

    Each authority has its own level and its own yearly drift (sd ``slopes``), so its
    periods are correlated; every period averages three years of yearly noise, so
    neighbouring periods share two of them. The rural - urban gap starts at -1 and changes
    by ``change`` a year.
    """
    rows = []
    for i in range(rural + urban):
        is_rural = i < rural
        level, drift = rng.normal(0, 1.0), rng.normal(0, slopes)
        yearly = rng.normal(0, 0.4, len(years) + 2)
        for k, year in enumerate(years):
            noise = yearly[k:k + 3].mean()
            gap = (-1 + change * (year - years[0])) if is_rural else 0.0
            rows.append({"lad_code": f"L{i}", "urban_rural": "Rural" if is_rural else "Urban",
                         "period": f"{year} - {str(year + 2)[-2:]}",
                         "le": 80 + 0.2 * (year - years[0]) + level + drift * (year - years[0])
                         + gap + noise})
    return pd.DataFrame(rows)


def test_trend_recovers_a_known_change_and_its_interval_covers_it():
    """Simulation: the cluster-robust interval over non-overlapping periods covers the true
    change in about 95% of panels, where an OLS test that counted every authority again in
    every overlapping period would cover it far less often (its errors ignore the drift)."""
    rng = np.random.default_rng(11)
    truth = 0.03 * 18  # a yearly change of 0.03 over the 18 years from 2002-04 to 2020-22
    covered, estimates = 0, []
    for _ in range(200):
        _, trend = trends.gap_by_period(_panel(rng), value="le", group="urban_rural",
                                        period="period")
        estimates.append(trend["change"])
        covered += trend["lower"] <= truth <= trend["upper"]
    assert trend["first"] == "2002 - 04" and trend["last"] == "2020 - 22"
    assert np.mean(estimates) == pytest.approx(truth, abs=0.05)
    assert 0.90 <= covered / 200 <= 0.99


def test_gap_by_period_gives_each_periods_gap_and_direction_by_hand():
    # Four authorities, three non-overlapping periods; rural 1 year behind, then 0.5, then 0.
    rows = []
    for k, period in enumerate(["2001 - 03", "2004 - 06", "2007 - 09"]):
        for code, kind, spread in [("A", "Urban", 0.1), ("B", "Urban", -0.1),
                                   ("C", "Rural", 0.1), ("D", "Rural", -0.1)]:
            rows.append({"lad_code": code, "urban_rural": kind, "period": period,
                         "le": 80 + spread - (1 - 0.5 * k) * (kind == "Rural")})
    gaps, trend = trends.gap_by_period(pd.DataFrame(rows), value="le", group="urban_rural",
                                       period="period")
    assert gaps["gap"].to_numpy() == pytest.approx([-1.0, -0.5, 0.0])
    assert gaps[["rural", "urban"]].values.tolist() == [[2, 2]] * 3
    assert trend["change"] == pytest.approx(1.0)  # 1/6 a year over the 6 years
    assert trend["authorities"] == 4 and trend["rural"] == 2


def test_gap_by_period_says_what_is_missing():
    frame = pd.DataFrame({"period": ["a", "b"], "urban_rural": ["Urban", "Urban"], "le": [1, 2],
                          "lad_code": ["A", "A"]})
    with pytest.raises(ValueError, match="both 'Rural' and 'Urban'"):
        trends.gap_by_period(frame, value="le", group="urban_rural", period="period")


def _edition(rural_lads, lads=12, male=True):
    """``lads`` authorities (the last ``rural_lads`` rural), life expectancy in four
    non-overlapping periods; rural authorities 1 year behind, catching up 0.25 a period."""
    codes = [f"L{i:02d}" for i in range(lads)]
    kinds = ["Urban"] * (lads - rural_lads) + ["Rural"] * rural_lads
    rows = []
    for k, period in enumerate(["2001 - 03", "2004 - 06", "2007 - 09", "2010 - 12"]):
        for i, (code, kind) in enumerate(zip(codes, kinds)):
            for sex in ("Female", "Male") if male else ("Female",):
                value = 80 + 0.1 * (i % 3) - (1 - 0.25 * k) * (kind == "Rural")
                rows.append({"area_code": code, "area_level": "LAD", "indicator_id": "90366",
                             "period": period, "sex": sex, "value": value})
    data = SimpleNamespace(indicators=pd.DataFrame(rows),
                           lads=pd.DataFrame({"lad_code": codes, "urban_rural": kinds}))
    return EditionData(edition=editions.get("north-east"), data=data, national=pd.DataFrame())


def _stats(ed):
    return ledger.check(trends.statistics(*trends.life_expectancy_gaps(ed)))


def test_statistics_carry_both_sexes_and_flag_too_few_authorities():
    stats = _stats(_edition(rural_lads=6)).set_index("key")
    assert stats.loc["trends.le_gap.female_2010_12", "value"] == pytest.approx(-0.25)
    assert stats.loc["trends.le_gap_change.male", "value"] == pytest.approx(0.75)
    assert stats.loc["trends.le_gap_change.male", "unit"] == "years of change"
    few = _stats(_edition(rural_lads=2)).set_index("key")
    assert np.isnan(few.loc["trends.le_gap_change.female", "value"])
    assert few.loc["trends.le_gap_change.female", "note"] == (
        "not estimated: 2 local authorities, fewer than the 5 needed")
    # a period's gap needs as many authorities of each kind as the trend test
    assert np.isnan(few.loc["trends.le_gap.female_2010_12", "value"])
    assert few.loc["trends.le_gap.female_2010_12", "note"] == (
        "not estimated: 2 local authorities, fewer than the 5 needed")
    five = _stats(_edition(rural_lads=5)).set_index("key")
    assert five.loc["trends.le_gap.female_2010_12", "value"] < 0


def test_key_figures_every_case():
    narrowing = trends.key_figures(_stats(_edition(rural_lads=6)))["trends.le_female"]
    assert narrowing.startswith(f"was {MINUS}0.2 (95% CI ")  # -0.25 to one decimal
    assert " years in 2010\u201312, and narrowed from 2001\u201303 to 2010\u201312 (change +0.75 " \
           "years, 95% CI " in narrowing
    few = trends.key_figures(_stats(_edition(rural_lads=2)))["trends.le_male"]
    assert few == ("is not estimated for this edition, which has only 2 authorities of one "
                   "kind (rural or urban) with a value, fewer than the 5 needed")
    one = trends.key_figures(_stats(_edition(rural_lads=1)))["trends.le_male"]
    assert "which has only 1 authority of one kind" in one
    none = trends.key_figures(_stats(_edition(rural_lads=0)))
    assert none == {"trends.le_female": NO_TREND, "trends.le_male": NO_TREND,
                    "trends.summary": f"for females and males alike, {NO_TREND}"}


def test_no_clear_change_and_widening_in_words():
    stats = _stats(_edition(rural_lads=6))
    flat = stats.copy()
    row = flat["key"] == "trends.le_gap_change.female"
    flat.loc[row, ["value", "lower", "upper"]] = [0.1, -0.2, 0.4]
    assert "and shows no clear change from 2001\u201303 to 2010\u201312 (change +0.10 years, 95% CI " \
           f"{MINUS}0.20 to +0.40, p" in trends.key_figures(flat)["trends.le_female"]
    wide = stats.copy()
    wide.loc[row, ["value", "lower", "upper"]] = [-0.5, -0.8, -0.2]  # the gap is negative
    assert "and widened from" in trends.key_figures(wide)["trends.le_female"]


def test_trend_table_formats_from_the_ledger():
    table = trends.trend_table(_stats(_edition(rural_lads=2))).frame
    assert table.values.tolist()[0] == [
        "Female", "2001\u201303 to 2010\u201312",
        "not estimated: 2 local authorities, fewer than the 5 needed", "–", "2"]
    empty = trends.trend_table(_stats(_edition(rural_lads=0))).frame
    assert empty["Change in the gap, years (95% CI)"].tolist() == [
        "not estimated: this edition has no rural (or no urban) local authorities"] * 2


def test_gap_chart_draws_both_sexes():
    spec = trends.gap_chart(_stats(_edition(rural_lads=6))).to_dict()
    sexes = {row.get("sex") for data in spec["datasets"].values() for row in data}
    assert {"Female", "Male"} <= sexes
    # the axis prints periods as the text does: "2001–03", not the source's "2001 - 03"
    periods = {row.get("period") for data in spec["datasets"].values() for row in data}
    assert "2001\u201303" in periods and not any(" - " in str(p) for p in periods)


def test_gap_chart_without_gaps_draws_a_placeholder():
    spec = trends.gap_chart(_stats(_edition(rural_lads=0))).to_dict()
    values = [row for data in spec["datasets"].values() for row in data]
    assert {"period": "not available", "gap": 0.0, "lower": 0.0, "upper": 0.0,
            "sex": "not available"} in values


def _beside_england(rural_lads: int) -> tuple[pd.DataFrame, set]:
    """The ledger of an edition with ``rural_lads`` rural authorities, given England's
    gaps (those of an edition with 6) as its comparators; its chart's series."""
    national = trends._england_gaps(_edition(rural_lads=6).data).assign(
        measure="le_gap_by_period")
    ed = _edition(rural_lads=rural_lads)
    ed = EditionData(ed.edition, ed.data, national)
    stats = ledger.check(trends.statistics(*trends.life_expectancy_gaps(ed), ed))
    spec = trends.gap_chart(stats).to_dict()
    return stats, {r.get("sex") for data in spec["datasets"].values() for r in data}


@pytest.mark.parametrize("rural_lads, words", [
    (0, NO_TREND),
    (2, "is not estimated for this edition, which has only 2 authorities of one kind (rural "
        "or urban) with a value, fewer than the 5 needed")])
def test_an_edition_with_too_few_rural_authorities_shows_englands_gap(rural_lads, words):
    stats, sexes = _beside_england(rural_lads)
    assert stats[stats["key"].str.startswith("trends.le_gap.")]["value"].isna().all()
    row = stats.set_index("key").loc["trends.le_gap_england.england_female_2010_12"]
    assert row["value"] == pytest.approx(-0.25)
    assert "England (shown where the edition has fewer than 5 rural or urban authorities)" in \
        row["label"]
    assert {"England, female", "England, male"} <= sexes
    assert trends.key_figures(stats)["trends.le_female"] == (
        words + "; the figure shows England's gap instead")


def test_summary_words_say_the_same_finding_once():
    same = ("cannot be estimated for this edition, which has no rural (or no urban) local "
            "authorities")
    assert trends.summary_words(same, same) == f"for females and males alike, {same}"
    assert trends.summary_words("was 0.9 years in 2023–25", "was 1.1 years in 2023–25") == \
        "for females, was 0.9 years in 2023–25; for males, it was 1.1 years in 2023–25"
