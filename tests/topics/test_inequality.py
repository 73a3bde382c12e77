"""Tests of inequalities.topics.inequality (chapter 6: deprivation gradient, A&E funnel)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.topics import inequality
from inequalities.topics.base import EditionData

pytestmark = pytest.mark.unit


def test_decile_summary_weighted_mean_and_effective_n_by_hand():
    frame = pd.DataFrame({"urban_rural": ["Urban"] * 3 + ["Rural"],
                          "imd_decile": [1, 1, 1, 1],
                          "value": [10.0, 20.0, 40.0, 5.0], "population": [1, 1, 2, 3]})
    out = inequality.decile_summary(frame, value="value").set_index("urban_rural")
    # Urban: weights 1,1,2 -> mean (10+20+80)/4 = 27.5; E[x^2] = (100+400+3200)/4 = 925,
    # variance 925 - 756.25 = 168.75; n_eff = 16/6; se = sqrt(168.75 * 6 / 16).
    assert out.loc["Urban", "value"] == pytest.approx(27.5)
    assert out.loc["Urban", "se"] == pytest.approx(np.sqrt(168.75 * 6 / 16))
    assert out.loc["Urban", "areas"] == 3 and out.loc["Urban", "population"] == 4
    assert np.isnan(out.loc["Rural", "se"])  # a single area has no spread to measure


def test_most_versus_least_negates_sii_and_inverts_rii_by_hand():
    table = pd.DataFrame({
        "group": ["Urban", "Urban", "Rural - Urban", "Rural - Urban"],
        "measure": ["sii", "rii", "sii", "rii"],
        "estimate": [-10.0, 0.5, 2.0, 0.01], "lower": [-12.0, 0.4, 1.0, -0.1],
        "upper": [-8.0, 0.625, 3.0, 0.1]})
    out = inequality.most_versus_least(table)
    assert out["group"].tolist() == ["Urban", "Urban", "Rural - Urban"]
    assert out.iloc[0][["estimate", "lower", "upper"]].tolist() == [10.0, 8.0, 12.0]
    assert out.iloc[1][["estimate", "lower", "upper"]].tolist() == [2.0, 1.6, 2.5]
    assert out.iloc[2][["estimate", "lower", "upper"]].tolist() == [-2.0, -3.0, -1.0]


# A&E four-hour totals per ICB (the funnel plot's data)

def _rows(code, period, count, denominator):
    return {"area_code": code, "area_level": "ICB", "indicator_id": "ae_over_4h_pct",
            "period": period, "count": count, "denominator": denominator}


def test_latest_months_are_summed_per_icb_by_hand():
    frame = pd.DataFrame([_rows("A", "2024-01", 10, 100), _rows("A", "2024-02", 30, 100),
                          _rows("A", "2024-03", 20, 200), _rows("B", "2024-03", 5, 50),
                          {**_rows("LAD1", "2024-03", 1, 1), "area_level": "LAD"}])
    out = inequality.four_hour_totals(frame, months=2).set_index("area_code")
    # Latest two months are 2024-02 and 2024-03: A = (30 + 20) / (100 + 200) = 16.67%.
    assert out.loc["A", "over_4h"] == 50 and out.loc["A", "attendances"] == 300
    assert out.loc["A", "share"] == pytest.approx(100 * 50 / 300)
    assert out.loc["B", "months"] == 1 and list(out.index) == ["A", "B"]
    assert out["period"].iloc[0] == "2024-02 to 2024-03"
    england = inequality.england_share(frame, months=2)
    assert england["value"].iloc[0] == pytest.approx(100 * 55 / 350)


def test_absent_indicator_gives_empty_totals_and_missing_england():
    frame = pd.DataFrame([{**_rows("A", "2024-01", 1, 2), "indicator_id": "other"}])
    assert inequality.four_hour_totals(frame).empty
    assert np.isnan(inequality.england_share(frame)["value"].iloc[0])


# What the chapter computes for an edition, and the key figures it quotes


def _deciles(rural_deciles):
    """Urban deciles 1-10 whose value falls by 5 a decile (95 to 50), equal populations."""
    urban = pd.DataFrame({"urban_rural": "Urban", "income_decile": range(1, 11),
                          "value": [100.0 - 5 * k for k in range(1, 11)]})
    rural = pd.DataFrame({"urban_rural": "Rural", "income_decile": range(1, rural_deciles + 1),
                          "value": 60.0})
    return pd.concat([urban, rural], ignore_index=True).assign(se=1.0, population=1000.0)


def test_gradients_of_a_straight_line_by_hand():
    out = inequality.gradients(_deciles(rural_deciles=3), seed=1)
    # Value at rank r (0 most deprived, 1 least): 97.5 - 50 r. Most minus least = 50;
    # most divided by least = 97.5 / 47.5. Rural has 3 deciles (< 5): no estimate, no gap.
    sii = out[out["measure"] == "sii"].set_index("group")
    rii = out[out["measure"] == "rii"].set_index("group")
    assert sii.loc["Urban", "estimate"] == pytest.approx(50.0)
    assert sii.loc["Urban", "lower"] < 50.0 < sii.loc["Urban", "upper"]
    assert rii.loc["Urban", "estimate"] == pytest.approx(97.5 / 47.5)
    assert "Rural" not in sii.index and "Rural" not in rii.index
    assert np.isnan(sii.loc["Rural - Urban", "estimate"])


def test_gradients_without_enough_deciles_anywhere_is_empty():
    deciles = _deciles(rural_deciles=2)
    out = inequality.gradients(deciles[deciles["income_decile"] <= 4], seed=1)
    assert out.empty
    assert list(out.columns) == ["group", "measure", "estimate", "lower", "upper", "n", "note"]


def _markdown(table):
    return table._repr_mimebundle_()["text/markdown"]


def test_deciles_are_income_deciles_not_the_imd_which_holds_the_health_domain():
    # Two areas share IMD decile 1 but sit in income deciles 1 and 2: the summary must
    # follow the income domain (the IMD contains the outcome's own health domain).
    areas = pd.DataFrame({"area_code": ["a", "b"], "urban_rural": "Urban", "imd_decile": [1, 1],
                          "income_decile": [1, 2], "population": [100, 100]})
    indicators = pd.DataFrame({"area_code": ["a", "b"], "area_level": "LSOA",
                               "indicator_id": "iod_ypll", "period": "2019", "sex": "Persons",
                               "count": np.nan, "denominator": np.nan, "value": [80.0, 40.0],
                               "lower": np.nan, "upper": np.nan})
    from inequalities.data import Dataset
    data = Dataset(areas=areas, population=pd.DataFrame(), indicators=indicators,
                   lads=pd.DataFrame(), sources=pd.DataFrame(), is_demo=False, label="t",
                   vintage="2019")
    ed = EditionData(edition=editions.get("england"), data=data, national=pd.DataFrame())
    out = inequality.ypll_deciles(ed)
    assert out["income_decile"].tolist() == [1, 2]
    assert out["value"].tolist() == [80.0, 40.0]


def test_decile_chart_says_decile_1_is_the_most_deprived():
    two = pd.concat([_deciles(rural_deciles=10)] * 2, ignore_index=True)  # two areas a decile
    two["value"] += np.tile([0.0, 1.0], len(two) // 2)
    deciles = inequality.decile_summary(two, value="value", quantile="income_decile")
    stats = inequality.statistics(_edition(), deciles, _gradient(), _ae())
    spec = inequality.deciles_chart(stats).to_dict()
    labels = {row.get("group") for rows in spec["datasets"].values() for row in rows}
    assert "Urban, decile 1 (most deprived)" in labels
    assert "Rural, decile 10 (least deprived)" in labels and "Urban, decile 4" in labels


def _edition(indicators=None, areas=None, england_ae=20.0, phi=1.0, p_value=0.5, tau2=0.0,
             units=42, slug="north-east"):
    data = SimpleNamespace(indicators=indicators, areas=areas, vintage_id="2025")
    national = pd.DataFrame({"measure": ["ae_over_4h_share"] + ["ae_overdispersion"] * 4
                             + ["ae_icb_over_4h"] * 2 + ["ae_icb_attendances"] * 2,
                             "group": ["England", "phi", "p_value", "tau2", "units",
                                       "Alpha", "Beta", "Alpha", "Beta"],
                             "value": [england_ae, phi, p_value, tau2, units,
                                       5000, 2000, 10000, 10000]})
    return EditionData(edition=editions.get(slug), data=data, national=national)


def test_over_dispersed_boards_are_judged_against_wider_limits():
    indicators = pd.DataFrame([_rows("A", "2024-01", 5000, 10000),
                               _rows("C", "2024-01", 1000, 10000)])
    areas = pd.DataFrame({"icb_code": ["A", "C"], "icb_name": ["Alpha", "Gamma"]})
    ed = _edition(indicators, areas, phi=60.0, p_value=1e-9, tau2=0.05 ** 2)
    out = inequality.ae_funnel(ed).set_index("area_code")
    # 10%: z = -0.1 / sqrt(0.2 * 0.8 / 10,000 + 0.0025) = -1.994, beyond 1.96 only;
    # 50%: z = 0.3 / 0.05016 = 5.98.
    assert out["significance"].tolist() == ["High (0.001)", "Low (0.025)"]
    words = _figures(ed, _gradient(), out.reset_index())["inequality.ae_dispersion"]
    assert words.startswith("England's 42 boards vary far more than chance alone would make "
                            "them (dispersion ratio 60.0, p < 0.001)")
    calm = _figures(_edition(phi=1.1, p_value=0.3), _gradient(),
                    out.reset_index())["inequality.ae_dispersion"]
    assert calm == ("England's 42 boards vary no more than chance would make them "
                    "(dispersion ratio 1.1, p = 0.30), so the limits are the plain binomial ones")


def test_ae_funnel_names_and_classes_icbs_against_england():
    indicators = pd.DataFrame([_rows("A", "2024-01", 5000, 10000),
                               _rows("B", "2024-01", 2000, 10000),
                               _rows("C", "2024-01", 1000, 10000)])
    areas = pd.DataFrame({"icb_code": ["A", "A", "B", "C"],
                          "icb_name": ["Alpha", "Alpha", "Beta", "Gamma"]})
    out = inequality.ae_funnel(_edition(indicators, areas)).set_index("area_code")
    # England 20%; with 10,000 attendances a 3 sigma limit is 20% +/- 1.2%: 50% is high,
    # 20% is England's own share and 10% is low.
    assert out["icb_name"].tolist() == ["Alpha", "Beta", "Gamma"]
    assert out["significance"].tolist() == ["High (0.001)", "Not significant", "Low (0.001)"]
    assert out.loc["A", "share"] == pytest.approx(50.0)


def _gradient():
    return pd.DataFrame({
        "group": ["Urban", "Rural", "Rural - Urban", "Urban"],
        "measure": ["sii", "sii", "sii", "rii"],
        "estimate": [30.0, 20.0, -10.0, 1.754], "lower": [28.0, 17.5, -13.0, 1.7],
        "upper": [32.0, 22.5, -7.0, 1.8]})


_AREAS = pd.DataFrame({"urban_rural": ["Urban", "Urban", "Rural"], "income_decile": [1, 2, 1],
                       "value": [80.0, 70.0, 60.0], "se": [2.0, 1.0, np.nan],
                       "areas": [300, 200, 50]})


def _stats(ed, gradient, ae):
    return inequality.statistics(ed, _AREAS, gradient, ae)


def _figures(ed, gradient, ae):
    return inequality.key_figures(ed, _stats(ed, gradient, ae), ae)


def _ae():
    return pd.DataFrame({"period": ["2024-01 to 2024-12"] * 3, "icb_name": ["A", "B", "C"],
                         "share": [30.0, 28.0, 20.0],
                         "significance": ["High (0.001)", "High (0.025)", "Low (0.001)"]})


def test_statistics_are_clean_ledger_rows_by_hand():
    from inequalities.report import ledger
    stats = ledger.check(_stats(_edition(england_ae=26.04), _gradient(), _ae()))
    row = stats.set_index("key")
    assert row.loc["inequality.sii.urban", ["value", "lower", "upper", "units"]].tolist() == [
        30.0, 28.0, 32.0, 500]
    assert row.loc["inequality.sii.rural_minus_urban", "units"] == 550
    assert row.loc["inequality.sii.urban", "unit"] == "indicator points"
    assert np.isnan(row.loc["inequality.rii.rural", "value"])
    assert row.loc["inequality.rii.rural", "note"].startswith("not estimated: fewer than 5")
    assert row.loc["inequality.ae_share.b", "note"] == ("between the upper 2 and 3 sigma limits "
                                                         "around England")
    assert row.loc["inequality.ae_boards.above", "value"] == 1
    # decile means with normal intervals: 80 +/- 1.96 x 2; one area, no interval, says so
    decile = row.loc["inequality.ypll_decile.urban_decile_1_most_deprived"]
    assert decile[["value", "lower", "upper", "units"]].tolist() == pytest.approx(
        [80.0, 76.08, 83.92, 300])
    assert row.loc["inequality.ypll_decile.rural_decile_1_most_deprived", "note"] == (
        "a single small area: no interval")


def test_key_figures_by_hand():
    minus = "\u2212"
    assert _figures(_edition(england_ae=26.04), _gradient(), _ae()) == {
        "inequality.ae_icbs": "3",
        "inequality.ae_england": "26.0%",
        "inequality.ae_above": "1",
        "inequality.ae_below": "1",
        "inequality.ae_period": "2024-01 to 2024-12",
        "inequality.ae_dispersion": "England's 42 boards vary no more than chance would make "
                                    "them (dispersion ratio 1.0, p = 0.50), so the limits are "
                                    "the plain binomial ones",
        "inequality.ae_display": "This edition has 3 integrated care boards, too few for a "
                                 "funnel plot of its own (the report draws one from 5 boards), "
                                 "so the plot shows England's boards and the table below gives "
                                 "this edition's against England, classed the same way",
        "inequality.ae_beyond": "Of this edition's 3 boards, 1 is above the upper 3 sigma "
                                "limit and 1 below the lower one",
        "inequality.sii_urban": "30.0 indicator points (95% CI 28.0 to 32.0)",
        "inequality.sii_rural": "20.0 indicator points (95% CI 17.5 to 22.5)",
        "inequality.sii_gap": f"{minus}10.0 indicator points (95% CI {minus}13.0 to "
                              f"{minus}7.0)",
        "inequality.sii_gap_words": "the slope is less steep in rural areas than in urban "
                                    "areas, by 10.0 points on the indicator",
        "inequality.rii_sentence": "The relative index of inequality (RII) expresses the "
                                   "same gradient as a ratio: premature mortality at the most "
                                   "deprived end is 1.75 times (95% CI 1.70 to 1.80) that at "
                                   "the least deprived end in urban areas; in rural areas it "
                                   "is not estimated (fewer than 5 income deprivation deciles "
                                   "have small areas of this kind).",
        "inequality.sii_summary": "is 30.0 (95% CI 28.0 to 32.0) in urban areas and 20.0 (95% "
                                  "CI 17.5 to 22.5) in rural areas: the slope is less steep in "
                                  "rural areas than in urban areas, by 10.0 points on the "
                                  "indicator",
    }


@pytest.mark.parametrize(("gap", "words"), [
    ((4.0, 1.0, 7.0), "the slope is steeper in rural areas than in urban areas, by 4.0 points "
                      "on the indicator"),
    ((-4.0, -7.0, -1.0), "the slope is less steep in rural areas than in urban areas, by 4.0 "
                         "points on the indicator"),
    ((1.0, -2.0, 4.0), "there is no clear difference between the rural and urban slopes"),
    ((np.nan, np.nan, np.nan), "the difference between the rural and urban slopes is not "
                               "estimated for this edition (fewer than 5 income deprivation "
                               "deciles have small areas of this kind)"),
])
def test_slope_difference_in_words_every_case(gap, words):
    gradient = _gradient()
    gradient.loc[2, ["estimate", "lower", "upper"]] = gap
    assert _figures(_edition(), gradient, _ae())["inequality.sii_gap_words"] == words


@pytest.mark.parametrize(("boards", "words"), [
    (0, "No board of this edition has A&E data"),
    (1, "This edition's board is within the 2 sigma limits around England"),
    (2, "Of this edition's 2 boards, 0 are above the upper 3 sigma limit and 0 below the "
        "lower one"),
])
def test_boards_beyond_the_limits_in_words_every_case(boards, words):
    ae = pd.DataFrame({"period": ["p"] * boards, "icb_name": list("AB")[:boards],
                       "share": [20.0] * boards, "significance": ["Not significant"] * boards})
    assert _figures(_edition(), _gradient(), ae)["inequality.ae_beyond"] == words


def test_england_edition_speaks_of_englands_boards():
    ae = pd.DataFrame({"period": ["p"] * 5, "icb_name": list("ABCDE"), "share": [20.0] * 5,
                       "significance": ["Not significant"] * 5})
    figures = _figures(_edition(slug="england"), _gradient(), ae)
    assert figures["inequality.ae_display"] == ("The funnel plot places England's 5 integrated "
                                                "care boards against England's share")
    assert figures["inequality.ae_beyond"].startswith("Of England's 5 boards, 0 are above")


@pytest.mark.parametrize(("boards", "words"), [
    (0, "This edition has no integrated care board with A&E data, too few"),
    (1, "This edition has one integrated care board, too few"),
    (5, "The funnel plot places this edition's 5 integrated care boards against England's "
        "share"),
])
def test_funnel_gives_way_below_five_boards_in_words(boards, words):
    ae = pd.DataFrame({"period": ["p"] * boards, "icb_name": list("ABCDE")[:boards],
                       "share": [20.0] * boards, "significance": ["Not significant"] * boards})
    assert _figures(_edition(), _gradient(), ae)["inequality.ae_display"].startswith(words)


def test_tables_format_from_the_ledger():
    stats = _stats(_edition(), _gradient(), _ae())
    assert inequality.gradients_table(stats).frame.iloc[0].tolist() == [
        "Urban", "SII, most minus least deprived (indicator points)",
        "30.0 (95% CI 28.0 to 32.0)"]
    regional = _markdown(inequality.ae_boards_table(stats, _edition()))
    assert regional.count("\n") == 4  # header, rule and the three boards
    national = _markdown(inequality.ae_boards_table(stats, _edition(slug="england")))
    assert "| A |" in national and "| C |" in national and "| B |" not in national


def test_small_edition_funnel_draws_englands_boards():
    ae = pd.DataFrame({"icb_name": ["Alpha"], "over_4h": [5000], "attendances": [10000],
                       "share": [50.0], "significance": ["High (0.001)"]})
    spec = inequality.ae_funnel_chart(ae, _edition()).to_dict()
    names = {row.get("icb_name") for rows in spec["datasets"].values() for row in rows}
    assert {"Alpha", "Beta"} <= names
    dots = spec["layer"][1]
    marked = {r["icb_name"]: r["_who"] for r in spec["datasets"][dots["data"]["name"]]}
    assert marked == {"Alpha": "North East's ICB", "Beta": "Other ICBs"}


@pytest.mark.parametrize(("slug", "boards", "expected"), [
    ("north-east", ["A"], "North East's ICB"),
    ("north-east", ["A", "B"], "North East's ICBs"),
    ("nhs-south-west", ["A", "B"], "NHS England South West's ICBs"),
    ("icb-somerset", ["NHS Somerset ICB"], "NHS Somerset ICB"),
    ("north-east", [], ""),
])
def test_own_boards_are_named_in_english(slug, boards, expected):
    assert inequality.own_boards_name(editions.get(slug), boards) == expected


def test_england_marks_no_board_of_its_own():
    ae = pd.DataFrame({"icb_name": ["Alpha"], "over_4h": [5000], "attendances": [10000],
                       "share": [50.0], "significance": ["High (0.001)"]})
    spec = inequality.ae_funnel_chart(ae, _edition(slug="england")).to_dict()
    dots = spec["layer"][1]
    assert {r["_who"] for r in spec["datasets"][dots["data"]["name"]]} == {"ICBs"}


def _slope(value, lower, upper, note=""):
    return pd.Series({"value": value, "lower": lower, "upper": upper, "unit": "points",
                      "note": note})


@pytest.mark.parametrize(("urban", "rural", "expected"), [
    (_slope(16.8, 13.7, 19.8), _slope(float("nan"), float("nan"), float("nan"),
                                      "not estimated: fewer than 5 deciles"),
     "is 16.8 (95% CI 13.7 to 19.8) in urban areas; in rural areas it is not estimated "
     "(fewer than 5 deciles), so the two slopes are not compared"),
    (_slope(float("nan"), float("nan"), float("nan"), "not estimated: too few"),
     _slope(float("nan"), float("nan"), float("nan"), "not estimated: too few"),
     "is not estimated for urban or rural areas (too few)"),
])
def test_sii_summary_reads_as_english_when_a_slope_is_missing(urban, rural, expected):
    gap = _slope(float("nan"), float("nan"), float("nan"), "not estimated: too few")
    assert inequality.sii_summary(urban, rural, gap) == expected


def test_sii_summary_with_both_slopes_gives_the_finding():
    text = inequality.sii_summary(_slope(39.0, 36.8, 41.2), _slope(28.1, 24.9, 31.4),
                                  _slope(-10.9, -14.8, -6.9))
    assert text.startswith("is 39.0 (95% CI 36.8 to 41.2) in urban areas and 28.1 (95% CI "
                           "24.9 to 31.4) in rural areas: ")


def _ratio(value, lower, upper, note=""):
    return pd.Series({"value": value, "lower": lower, "upper": upper, "unit": "ratio",
                      "note": note})


NAN = float("nan")
LEAD = "The relative index of inequality (RII) expresses the same gradient as a ratio"


@pytest.mark.parametrize(("urban", "rural", "expected"), [
    (_ratio(1.75, 1.70, 1.80), _ratio(1.5, 1.25, 1.8),
     f"{LEAD}: premature mortality at the most deprived end is 1.75 times (95% CI 1.70 to "
     "1.80) that at the least deprived end in urban areas, and 1.50 times (95% CI 1.25 to "
     "1.80) in rural areas."),
    (_ratio(NAN, NAN, NAN, "not estimated: too few"), _ratio(2.0, 1.5, 2.5),
     f"{LEAD}: premature mortality at the most deprived end is 2.00 times (95% CI 1.50 to "
     "2.50) that at the least deprived end in rural areas; in urban areas it is not "
     "estimated (too few)."),
    (_ratio(NAN, NAN, NAN, "not estimated: too few"),
     _ratio(NAN, NAN, NAN, "not estimated: too few"),
     f"{LEAD}; it is not estimated for urban or rural areas (too few)."),
    (_ratio(NAN, NAN, NAN, "not estimated: a"), _ratio(NAN, NAN, NAN, "not estimated: b"),
     f"{LEAD}; it is not estimated for urban areas (a) or for rural areas (b)."),
])
def test_rii_sentence_reads_as_english_in_every_case(urban, rural, expected):
    assert inequality.rii_sentence(urban, rural) == expected
