"""Early cancer diagnosis (topics.clinical): expected values worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inequalities.report import ledger
from inequalities.topics import clinical


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
    summary = clinical.cancer_summaries(_frame())
    rural = summary[(summary["year"] == "2013") & (summary["group"] == "Rural")].iloc[0]
    # rural: i = 0..5, weights 1,2,1,2,1,2 (thousands)
    assert rural["value"] == pytest.approx(sum((50 + i) * (1 + i % 2) for i in range(6)) / 9)
    eng = summary[(summary["year"] == "2022") & (summary["kind"] == "england")].iloc[0]
    assert (eng["value"], eng["lower"]) == (56.0, 55.8)


def test_change_interval_combines_the_two_published_intervals():
    change = clinical.england_change(clinical.cancer_summaries(_frame())).iloc[0]
    se = math.sqrt(2) * 0.4 / (2 * 1.959964)          # both intervals 0.4 wide
    assert change["value"] == pytest.approx(2.0)
    assert change["upper"] - change["value"] == pytest.approx(1.959964 * se)


def test_ledger_rows_and_key_figures_of_the_latest_year():
    stats = ledger.check(clinical.statistics(clinical.cancer_summaries(_frame())))
    coastal = stats[stats["key"] == "clinical.cancer_stage12_2022.coastal"].iloc[0]
    assert coastal["units"] == 4 and math.isnan(coastal["value"])   # i = 0, 3, 6, 9 < 5
    figures = clinical.key_figures(stats)
    assert figures["clinical.cancer_latest_year"] == "2022"
    assert figures["clinical.cancer_stage12_latest_england"] == "56.0% (95% CI 55.8 to 56.2)"
    assert figures["clinical.cancer_change"].startswith("2.0 percentage points")


def test_sentences_name_the_types_too_few_to_estimate():
    stats = ledger.check(clinical.statistics(clinical.cancer_summaries(_frame())))
    figures = clinical.key_figures(stats)
    sentence = figures["clinical.cancer_places_sentence"]
    assert sentence.startswith("Averaged over the edition's authorities it was ")
    assert sentence.endswith("; coastal authorities are too few (fewer than 5 with a value) "
                             "to estimate.")
    assert figures["clinical.cancer_coastal_sentence"].startswith(
        "The share diagnosed at stage 1 or 2 was not compared between coastal and "
        "non-coastal authorities")
