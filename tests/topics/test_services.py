"""Early cancer diagnosis (topics.services): expected values worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.report import ledger
from inequalities.topics import services
from inequalities.topics.base import EditionData


def _frame() -> pd.DataFrame:
    rows = []
    for year, shift in (("2013", 0.0), ("2022", 2.0)):
        for i in range(12):
            rows.append({"area_level": "LAD", "year": year, "value": 50.0 + i + shift,
                         "population": 1000.0 * (1 + i % 2),
                         "urban_rural": "Rural" if i < 6 else "Urban", "coastal": i % 3 == 0})
        rows.append({"area_level": "England", "year": year, "value": 54.0 + shift,
                     "lower": 53.8 + shift, "upper": 54.2 + shift})
    return pd.DataFrame(rows)


def test_group_means_are_population_weighted_and_england_is_published():
    summary = services.cancer_summaries(_frame())
    rural = summary[(summary["year"] == "2013") & (summary["group"] == "Rural")].iloc[0]
    # rural: i = 0..5, weights 1,2,1,2,1,2 (thousands)
    assert rural["value"] == pytest.approx(sum((50 + i) * (1 + i % 2) for i in range(6)) / 9)
    eng = summary[(summary["year"] == "2022") & (summary["kind"] == "england")].iloc[0]
    assert (eng["value"], eng["lower"]) == (56.0, 55.8)


def test_change_interval_combines_the_two_published_intervals():
    change = services.england_change(services.cancer_summaries(_frame())).iloc[0]
    se = math.sqrt(2) * 0.4 / (2 * 1.959964)          # both intervals 0.4 wide
    assert change["value"] == pytest.approx(2.0)
    assert change["upper"] - change["value"] == pytest.approx(1.959964 * se)


def test_ledger_rows_and_key_figures_of_the_latest_year():
    stats = ledger.check(services.statistics(services.cancer_summaries(_frame())))
    coastal = stats[stats["key"] == "services.cancer_stage12_2022.coastal"].iloc[0]
    assert coastal["units"] == 4 and math.isnan(coastal["value"])   # i = 0, 3, 6, 9 < 5
    figures = services.key_figures(stats)
    assert figures["services.cancer_latest_year"] == "2022"
    assert figures["services.cancer_stage12_latest_england"] == "56.0% (95% CI 55.8 to 56.2)"
    assert figures["services.cancer_change"].startswith("2.0 percentage points")


def test_sentences_name_the_types_too_few_to_estimate():
    stats = ledger.check(services.statistics(services.cancer_summaries(_frame())))
    figures = services.key_figures(stats)
    sentence = figures["services.cancer_places_sentence"]
    assert sentence.startswith("Averaged over the edition's authorities it was ")
    assert sentence.endswith("; coastal authorities are too few (fewer than 5 with a value) "
                             "to estimate.")
    assert figures["services.cancer_coastal_sentence"].startswith(
        "The share diagnosed at stage 1 or 2 was not compared between coastal and "
        "non-coastal authorities")


def test_smi_shares_are_pooled_counts_with_wilson_intervals():
    england = services._with_wilson(pd.DataFrame({
        "period": ["2022-23 Q4", "2023-24 Q4"], "count": [300.0, 450.0],
        "denominator": [600.0, 600.0]}))
    icbs = services._with_wilson(pd.DataFrame({
        "icb_code": ["E54000001"] * 2, "icb_name": ["NHS Somewhere Integrated Care Board"] * 2,
        "period": ["2022-23 Q4", "2023-24 Q4"], "count": [10.0, 20.0],
        "denominator": [40.0, 40.0]}))
    stats = ledger.check(services.smi_statistics(england, icbs))
    latest = stats[stats["key"] == "services.smi_all6_england.2023_24_q4"].iloc[0]
    assert latest["value"] == pytest.approx(75.0)              # 450 / 600
    z, p, n = 1.959964, 0.75, 600
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert latest["upper"] == pytest.approx(100 * (centre + half) / (1 + z * z / n), rel=1e-5)
    assert latest["note"].startswith("450 of 600 people; sum of the staged sub-ICB returns")
    figures = services.smi_key_figures(stats, england, icbs)
    assert figures["services.smi_year_before"] == "50.0% (95% CI 46.0 to 54.0)"
    assert figures["services.smi_latest_register"] == "600"
    assert figures["services.smi_icb_range"] == "50.0% in Somewhere"


def test_consultant_rates_pool_fte_over_catchments_and_compare_coastal_trusts():
    trusts = pd.DataFrame({
        "trust_code": [f"R{i:02d}" for i in range(12)], "year": 2020,
        "consultant_fte": [100.0] * 6 + [80.0] * 6, "catchment": [100_000.0] * 12,
        "sites": 2, "sites_placed": [2] * 11 + [0], "coastal_sites": [0] * 6 + [1] * 6,
        "rural_sites": 0})
    ed = type("Ed", (), {"data": type("D", (), {"trusts": trusts})()})()
    frame = services.consultant_trusts(ed)
    # a trust with half its placed sites coastal is coastal; one with none placed is not placed
    assert frame["place"].tolist() == ["Non-coastal"] * 6 + ["Coastal"] * 5 + ["Not placed"]
    stats = ledger.check(services.consultant_statistics(services.consultant_summary(frame)))
    by = stats.set_index("key")["value"]
    assert by["services.consultants.coastal"] == pytest.approx(80.0)
    assert by["services.consultants.non_coastal"] == pytest.approx(100.0)
    assert by["services.consultants_relative.coastal_relative_to_non_coastal"] == \
        pytest.approx(-20.0)
    # all 11 placed trusts: (600 + 400) FTE over 1.1m people
    assert by["services.consultants.all_placed_trusts"] == pytest.approx(1000 / 11)
    assert by["services.consultants_relative.coastal_relative_to_all_placed_trusts"] == \
        pytest.approx(100 * (80 / (1000 / 11) - 1))


def test_cmo_sentence_reads_the_interval_against_zero_and_minus_15():
    row = lambda lo, hi: pd.Series({"lower": lo, "upper": hi})  # noqa: E731
    assert "neither confirm nor rule out" in services.cmo_sentence(row(-17.7, 2.9))
    assert services.cmo_sentence(row(-20.0, -1.0)).endswith("excludes no difference.")
    assert "excludes a gap" in services.cmo_sentence(row(-10.0, 2.0))


@pytest.mark.parametrize(("boards", "range_text", "expected"), [
    (0, "not available", "no integrated care board of this edition has figures"),
    (1, "76.2% in North East and North Cumbria",
     "the share in North East and North Cumbria was 76.2%"),
    (2, "from 60.1% in Somerset to 70.3% in Dorset",
     "the shares of the edition's 2 integrated care boards ranged from 60.1% in Somerset "
     "to 70.3% in Dorset"),
])
def test_smi_icb_sentence_reads_as_english_for_any_number_of_boards(boards, range_text,
                                                                     expected):
    sentence = services.icb_sentence(boards, range_text)
    assert sentence == expected and "1 integrated care boards" not in sentence


def _smi_edition(register=800.0, practices=12.0):
    from types import SimpleNamespace
    national = pd.DataFrame({"measure": ["smi_qof_register"] * 2,
                             "group": ["register", "practices"],
                             "value": [register, practices]})
    return EditionData(edition=editions.get("north-east"), data=SimpleNamespace(),
                       national=national)


def test_smi_register_is_checked_against_the_qof_register_of_the_same_date():
    england = services._with_wilson(pd.DataFrame({
        "period": ["2022-23 Q4", "2023-24 Q4"], "count": [300.0, 450.0],
        "denominator": [600.0, 620.0]}))
    check = ledger.check(services.smi_register_check(england, _smi_edition()))
    by = check.set_index("key")
    # by hand: QOF 800 people; returns 600 at 31 March 2023; 300 / 800 = 37.5%
    assert by.loc["services.smi_qof_register.england", "value"] == 800
    assert by.loc["services.smi_register_shortfall.england", "value"] == 200
    assert by.loc["services.smi_all6_of_qof_register.2022_23_q4", "value"] == 37.5
    assert check[["lower", "upper"]].isna().all().all()  # complete counts: no interval
    assert (check["units"] == 12).all() and (check["unit_type"] == "practice").all()
    stats = pd.concat([services.smi_statistics(england, england.iloc[0:0].assign(
        icb_code=[], icb_name=[])), check], ignore_index=True)
    figures = services.smi_check_figures(stats)
    assert figures["services.smi_qof_register"] == "800 people"
    assert figures["services.smi_returns_register"] == "600 people"
    assert figures["services.smi_register_shortfall"] == \
        "200 people (25.0% of the QOF register) fewer"
    assert figures["services.smi_share_of_qof"] == "37.5%"
    assert figures["services.smi_share_of_returns"] == "50.0% (95% CI 46.0 to 54.0)"
    assert figures["services.smi_check_sentence"] == (
        "At the end of March 2023 (2022-23 Q4) the returns' register summed to 600 people, "
        "while the mental health register that the Quality and Outcomes Framework "
        "published for the same date counted 800 people: the returns have 200 people "
        "(25.0% of the QOF register) fewer. Over the QOF register, the people with all "
        "six checks that quarter would be 37.5% rather than 50.0% (95% CI 46.0 to 54.0).")


def test_smi_register_check_says_so_when_it_cannot_be_made():
    england = services._with_wilson(pd.DataFrame({
        "period": ["2023-24 Q4"], "count": [450.0], "denominator": [620.0]}))
    assert services.smi_register_check(england, _smi_edition()).empty
    figures = services.smi_check_figures(services.smi_statistics(
        england, england.iloc[0:0].assign(icb_code=[], icb_name=[])))
    assert "neither verified nor checked" in figures["services.smi_check_sentence"]


def test_summary_sentence_gives_early_diagnosis_and_smi_checks_in_english():
    nan = float("nan")
    rows = pd.DataFrame([
        {"key": "services.cancer_stage12_2022.all_areas", "value": 53.9, "lower": 52.0,
         "upper": 55.8, "unit": "%", "note": ""},
        {"key": "services.cancer_stage12_2022.england", "value": 56.8, "lower": 56.5,
         "upper": 57.0, "unit": "%", "note": ""}])
    figures = {"services.cancer_latest_year": "2022", "services.smi_latest": "68.5% (95% CI "
               "68.3 to 68.6)", "services.smi_latest_period": "2023-24 Q4",
               "services.smi_icb_sentence": "the share in Somerset was 70.1%"}
    assert services.summary_sentence(rows, figures) == (
        "In 2022, 53.9% (95% CI 52.0 to 55.8) of staged cancers in the edition's authorities "
        "were diagnosed at stage 1 or 2, averaged over the authorities (England 56.8%, 95% CI "
        "56.5 to 57.0). In the 12 months to 2023-24 Q4, 68.5% (95% CI 68.3 to 68.6) of people "
        "on England's SMI register had all six physical health checks, as summed from NHS "
        "England's returns, which no published national figure was available to verify; the "
        "share in Somerset was 70.1%.")
    rows.loc[0, ["value", "lower", "upper", "note"]] = [nan, nan, nan, "not estimated: 2 "
                                                        "local authorities, fewer than the 5 needed"]
    assert services.summary_sentence(rows, {"services.cancer_latest_year": "2022"}) == (
        "The share of cancers diagnosed at stage 1 or 2 in 2022 was not estimated for the "
        "edition's authorities (2 local authorities, fewer than the 5 needed); England's was "
        "56.8% (95% CI 56.5 to 57.0).")
    assert services.summary_sentence(rows.iloc[0:0], {}) == \
        "No early diagnosis or SMI health check figures are available."
    # England's edition: England's published figure alone, one interval for one share
    assert services.summary_sentence(rows, {"services.cancer_latest_year": "2022"},
                                     is_england=True) == (
        "In 2022, 56.8% (95% CI 56.5 to 57.0) of staged cancers in England were diagnosed "
        "at stage 1 or 2 (the published national figure).")


@pytest.mark.parametrize(("have", "total", "expected"), [
    (212, 296, "212 of 296 authorities"), (1, 1, "its one authority"),
    (0, 1, "none of its authorities (it has one)"), (0, 3, "none of its 3 authorities")])
def test_cancer_coverage_never_says_1_of_1_authorities(have, total, expected):
    assert services.coverage_words(have, total) == expected


def test_smi_boards_whose_codes_changed_take_the_codes_and_names_of_the_small_areas():
    """The previous vintage's small areas carry 2022 ICB codes; two boards' codes changed
    in 2024 (Surrey Heartlands E54000052 -> E54000063, Sussex E54000053 -> E54000064) and
    the SMI returns use the new ones. The data layer gives those rows the codes the small
    areas carry (as it does the other way for series on 2022 codes), so the boards get the
    areas' names: without that both were keyed 'nan' in the ledger, which refused the
    England edition."""
    from types import SimpleNamespace

    from inequalities.data._assemble import _icb_codes_of_areas

    periods = ["2022-23 Q4", "2023-24 Q4"]
    codes = ["E54000063", "E54000064", "E54000048"]
    indicators = pd.DataFrame({
        "indicator_id": services.SMI, "area_level": "ICB",
        "area_code": [c for c in codes for _ in periods], "period": periods * 3,
        "count": 10.0, "denominator": 40.0})
    areas = pd.DataFrame({"area_code": ["E01000001", "E01000002", "E01000003"],
                          "icb_code": ["E54000052", "E54000053", "E54000048"],
                          "icb_name": ["NHS Surrey Heartlands Integrated Care Board",
                                       "NHS Sussex Integrated Care Board",
                                       "NHS Lancashire and South Cumbria Integrated Care "
                                       "Board"]})
    log = []
    indicators = _icb_codes_of_areas(indicators, areas, SimpleNamespace(id="smi"), log)
    assert "E54000063 as E54000052" in log[0]["detail"]
    ed = EditionData(editions.get("england"), SimpleNamespace(indicators=indicators,
                                                              areas=areas), pd.DataFrame())
    icbs = services.smi_icbs(ed)
    names = icbs.drop_duplicates("icb_code").set_index("icb_code")["icb_name"]
    assert names["E54000052"] == "NHS Surrey Heartlands Integrated Care Board"
    assert names["E54000053"] == "NHS Sussex Integrated Care Board"
    assert names["E54000048"] == "NHS Lancashire and South Cumbria Integrated Care Board"
    stats = ledger.check(services.smi_statistics(icbs.iloc[:0], icbs))
    assert stats["key"].is_unique and len(stats) == 6
