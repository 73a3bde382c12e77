"""Tests of inequalities.topics.adjusted_gaps (chapter 7: rural and coastal gaps, adjusted)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.topics import adjusted_gaps
from inequalities.topics.base import EditionData

pytestmark = pytest.mark.unit


def _edition(rural, coastal, slug="north-east", areas=80, regions=("Somewhere",)):
    """``areas`` small areas, the first ``rural`` rural and the last ``coastal`` coastal,
    in ``regions`` taken in turn."""
    frame = pd.DataFrame({
        "area_code": [f"A{i}" for i in range(areas)], "value": 50.0,
        "urban_rural": ["Rural"] * rural + ["Urban"] * (areas - rural),
        "coastal": [False] * (areas - coastal) + [True] * coastal,
        "region_name": [regions[i % len(regions)] for i in range(areas)], "lad_code": "L1"})
    data = SimpleNamespace(indicator=lambda indicator_id: frame.copy(), vintage_id="2025")
    return EditionData(edition=editions.get(slug), data=data, national=pd.DataFrame())


@pytest.fixture
def calls(monkeypatch):
    """Record the calls to the mixed model and return a fixed table instead of fitting."""
    seen = []

    def multilevel(frame, **kwargs):
        seen.append({**kwargs, "areas": len(frame)})
        return pd.DataFrame({"kind": ["fixed", "random"],
                             "term": ["urban_rural[Rural]", "lad_code"],
                             "estimate": [1.0, 0.5], "lower": [0.5, 0.1],
                             "upper": [1.5, 0.9], "p_value": [0.01, np.nan]})

    monkeypatch.setattr(adjusted_gaps.models, "multilevel", multilevel)
    return seen


def test_model_keeps_only_exposures_with_enough_areas_on_each_side(calls):
    adjusted_gaps.model(_edition(rural=40, coastal=0))
    adjusted_gaps.model(_edition(rural=40, coastal=30))
    adjusted_gaps.model(_edition(rural=29, coastal=0))  # neither: both, flagged by the model
    assert [c["exposure"] for c in calls] == [["urban_rural"], ["urban_rural", "coastal"],
                                              ["urban_rural", "coastal"]]
    # the income domain, not the IMD (whose health domain holds the outcome itself)
    assert calls[0]["adjust"] == ["income_score", "pct_65_plus"]
    assert calls[0]["groups"] == "lad_code"


def _fixed():
    return pd.DataFrame({"kind": ["fixed", "fixed"],
                         "term": ["urban_rural[Rural]", "coastal[True]"],
                         "estimate": [2.0, 0.2], "lower": [1.0, -0.5], "upper": [3.0, 0.9],
                         "p_value": [0.0001234, 0.5], "n": [1234, 1234],
                         "n_groups": [12, 12]})


def test_differences_are_the_labelled_fixed_effects():
    fit = pd.concat([_fixed(), pd.DataFrame({"kind": ["random"], "term": ["lad_code"]})])
    out = adjusted_gaps.differences(fit)
    assert out["label"].tolist() == ["Rural (vs urban)", "Coastal (vs non-coastal)"]


def test_regional_edition_shows_its_own_differences():
    fixed = adjusted_gaps.differences(_fixed())
    out = adjusted_gaps.regional_differences(_edition(40, 3), fixed)
    assert out["category"].tolist() == ["Rural (vs urban)", "Coastal (vs non-coastal)"]
    assert out[["exposed", "other"]].values.tolist() == [[40, 40], [3, 77]]


def test_england_fits_each_region_with_the_regions_own_model(calls):
    # Four regions of 70 areas, 40 rural and 30 urban each, but West only 4 rural (too few:
    # not fitted, kept without an estimate).
    ed = _edition(160, 0, slug="england", areas=280, regions=("North", "South", "West", "East"))
    frame = ed.data.indicator("iod_ypll")
    frame.loc[frame["region_name"] == "West", "urban_rural"] = ["Rural"] * 4 + ["Urban"] * 66
    ed = EditionData(ed.edition,
                     SimpleNamespace(indicator=lambda i: frame.copy(), vintage_id="2025"),
                     ed.national)
    out = adjusted_gaps.regional_differences(ed, _fixed()).set_index("category")
    assert [c["areas"] for c in calls] == [70, 70, 70]  # East, North, South; not West
    # one model per region, as its edition fits, never split by group
    assert all(c.get("by") is None for c in calls)
    assert out.loc["West", "exposed"] == 4 and np.isnan(out.loc["West", "estimate"])
    assert out.loc["North", "estimate"] == 1.0


def test_region_in_england_and_its_own_edition_give_one_number():
    """The same areas give the same model whichever edition fits them (a real fit)."""
    rng = np.random.default_rng(3)
    n = 120
    frame = pd.DataFrame({
        "area_code": [f"A{i}" for i in range(n)], "region_name": "North East",
        "lad_code": [f"L{i % 6}" for i in range(n)],
        "urban_rural": ["Rural"] * 40 + ["Urban"] * 80, "coastal": [False] * 80 + [True] * 40,
        "income_score": rng.uniform(0.02, 0.4, n), "pct_65_plus": rng.uniform(10, 30, n)})
    frame["value"] = (50 + 40 * frame["income_score"] - 2 * (frame["urban_rural"] == "Rural")
                      + rng.normal(0, 3, n))
    data = SimpleNamespace(indicator=lambda i: frame.copy(), vintage_id="2025")
    england = EditionData(editions.get("england"), data, pd.DataFrame())
    region = EditionData(editions.get("north-east"), data, pd.DataFrame())
    fixed = adjusted_gaps.differences(adjusted_gaps.model(region))
    own = adjusted_gaps.statistics(region, fixed, adjusted_gaps.regional_differences(region,
                                                                                     fixed))
    regional = adjusted_gaps.regional_differences(england, fixed)
    national = adjusted_gaps.statistics(england, fixed, regional).set_index("key")
    mine = own.set_index("key").loc["adjusted_gaps.gap.rural_minus_urban"]
    theirs = national.loc["adjusted_gaps.rural_gap_by_region.north_east"]
    assert theirs[["value", "lower", "upper"]].tolist() == pytest.approx(
        mine[["value", "lower", "upper"]].tolist(), abs=1e-9)


def test_diagnostics_table_names_columns_for_readers(monkeypatch):
    monkeypatch.setattr(adjusted_gaps.models, "diagnostics", lambda fit: pd.DataFrame(
        {"model": ["multilevel"], "extra": [1], "n": [1657], "n_parameters": [7],
         "converged": [True], "aic": [np.nan], "warnings": [""], "note": [""]}))
    table = adjusted_gaps.diagnostics_table(adjusted_gaps.diagnostics(None)).frame
    assert list(table.columns) == ["Model", "Small areas", "Parameters", "Converged",
                                   "Warnings", "Note"]  # AIC undefined under REML: dropped
    assert table.iloc[0].tolist() == [
        "Linear mixed model, random intercept per local authority", "1,657", 7, "yes",
        "none", "none"]


def _stats(fixed, rural=40, coastal=3):
    ed = _edition(rural, coastal)
    return adjusted_gaps.statistics(ed, fixed, adjusted_gaps.regional_differences(ed, fixed))


def test_key_figures_by_hand():
    minus = "\u2212"
    assert adjusted_gaps.key_figures(_stats(_fixed(), coastal=30), _fixed()) == {
        "models.rural_gap": "premature mortality is 2.0 points higher in rural areas than in "
                            "urban areas (rural minus urban 2.0 points; 95% CI 1.0 to 3.0)",
        "models.coastal_gap": "premature mortality shows no clear difference between coastal "
                              "and other areas (coastal minus other 0.2 points; 95% CI "
                              f"{minus}0.5 to 0.9)",
        "models.areas": "1,234",
        "models.regions": "The figure shows this edition's differences from the model in the "
                          "table; a difference not estimated is left out",
    }


def test_lower_gap_in_words():
    fixed = _fixed()
    fixed.loc[0, ["estimate", "lower", "upper"]] = [-2.0, -3.0, -1.0]
    words = adjusted_gaps.key_figures(_stats(fixed), fixed)["models.rural_gap"]
    assert words.startswith("premature mortality is 2.0 points lower in rural areas than in "
                            "urban areas")


def test_key_figures_say_why_a_gap_could_not_be_estimated():
    fixed = _fixed()
    figures = adjusted_gaps.key_figures(_stats(fixed), fixed)
    assert figures["models.coastal_gap"] == (
        "the difference between coastal and other areas is not estimated: this edition has 3 "
        "small areas on the smaller side, fewer than the 30 the model needs")
    one = adjusted_gaps.key_figures(_stats(fixed, coastal=1), fixed)["models.coastal_gap"]
    assert "has 1 small area on the smaller side" in one
    none = adjusted_gaps.key_figures(_stats(fixed, coastal=0), fixed)["models.coastal_gap"]
    assert none == ("the difference between coastal and other areas is not estimated: this "
                    "edition has no coastal (or no other) small areas")
    failed = fixed.copy()
    failed.loc[0, ["estimate", "lower", "upper", "p_value"]] = np.nan
    words = adjusted_gaps.key_figures(_stats(failed), failed)["models.rural_gap"]
    assert words == ("the difference between rural and urban areas could not be estimated: "
                     "the model gave no interval")
    empty = adjusted_gaps.key_figures(_stats(fixed.iloc[:0]), fixed.iloc[:0])
    assert empty["models.areas"] == "0"


@pytest.mark.parametrize(("units", "words"), [
    ([40, 50], "Every region has enough rural and urban small areas to be shown"),
    ([8, 50], "London (8 small areas on the smaller side) is not shown: a region needs 30 "
              "rural and 30 urban small areas for its model"),
    ([8, 1], "London (8 small areas on the smaller side) and North East (1 small area on the "
             "smaller side) are not shown: a region needs 30 rural and 30 urban small areas "
             "for its model"),
])
def test_englands_figure_says_which_regions_it_leaves_out(units, words):
    regional = pd.DataFrame({"category": ["London", "North East"], "contrast": "rural",
                             "exposed": units, "other": 100, "estimate": 1.0, "lower": 0.5,
                             "upper": 1.5, "p_value": 0.01})
    ed = _edition(40, 30, slug="england")
    stats = adjusted_gaps.statistics(ed, _fixed(), regional)
    assert adjusted_gaps.key_figures(stats, _fixed())["models.regions"] == words


def test_differences_table_formats_from_the_ledger():
    table = adjusted_gaps.differences_table(_stats(_fixed()), _fixed()).frame
    assert table.values.tolist() == [
        ["Rural minus urban", "2.0 (95% CI 1.0 to 3.0)", "p < 0.001", "1,234", "12"],
        ["Coastal minus non-coastal", "not estimated: 3 small areas, fewer than the 30 needed",
         "–", "1,234", "12"]]


@pytest.mark.parametrize(("converged", "warnings", "words"), [
    (True, "", "The model converged without warnings (1,657 small areas in 12 local "
               "authorities, 7 parameters)"),
    (True, "boundary", "The model converged (1,657 small areas in 12 local authorities, 7 "
                       "parameters) with these warnings: boundary"),
    (False, "", "The model did not converge (1,657 small areas in 12 local authorities, 7 "
                "parameters); its estimates are not reliable"),
])
def test_the_fit_in_words_every_case(converged, warnings, words):
    diag = pd.DataFrame({"model": ["multilevel"], "n": [1657], "n_parameters": [7],
                         "converged": [converged], "warnings": [warnings], "note": [""]})
    figures = adjusted_gaps.key_figures(_stats(_fixed()), _fixed(), diag)
    assert figures["models.fit"] == words


def test_englands_figure_draws_the_regions_own_rows_only():
    regional = pd.DataFrame({"category": ["London", "North East"], "contrast": "rural",
                             "exposed": [8, 291], "other": 100, "estimate": [1.0, -0.4],
                             "lower": [0.5, -1.7], "upper": [1.5, 0.8], "p_value": 0.01})
    stats = adjusted_gaps.statistics(_edition(40, 30, slug="england"), _fixed(), regional)
    spec = adjusted_gaps.differences_chart(stats).to_dict()
    groups = {row.get("group") for rows in spec["datasets"].values() for row in rows}
    assert "North East" in groups and "London" not in groups  # 8 rural areas: not shown
    assert "Rural minus urban" not in groups  # England's own model is the table's


def test_one_authority_says_why_the_model_is_not_fitted():
    fixed = pd.DataFrame({"term": ["urban_rural[Rural]"], "estimate": [np.nan],
                          "n_groups": [1], "n": [300]})
    diag = pd.DataFrame({"model": ["multilevel"], "n": [300], "n_parameters": [None],
                         "converged": [False], "note": ["1 group(s) in 'lad_code'"]})
    assert adjusted_gaps._fit_words(diag, fixed) == (
        "The model could not be fitted: this edition has one local authority, and the model "
        "compares small areas within and between authorities, so it needs at least two")


def test_one_authority_is_not_fitted_by_the_model_itself():
    """A real fit over one authority: the model's own "not fitted" record, in words."""
    from inequalities import models
    from inequalities.models.multilevel import MULTILEVEL_COLUMNS

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "value": rng.normal(50, 5, 80), "income_score": rng.uniform(0, 0.3, 80),
        "pct_65_plus": rng.uniform(10, 30, 80), "lad_code": "L1",
        "urban_rural": pd.Categorical(["Rural"] * 40 + ["Urban"] * 40,
                                      categories=["Urban", "Rural"]),
        "coastal": pd.Categorical([False] * 80, categories=[False, True])})
    fit = adjusted_gaps.fit_areas(frame)
    assert list(fit.columns) == list(MULTILEVEL_COLUMNS)  # no helper column left
    assert fit["term"].tolist() == ["urban_rural[Rural]"] and fit["estimate"].isna().all()
    assert fit["note"].iloc[0].startswith("not fitted: 1 group(s) in 'lad_code'")
    diag = models.diagnostics(fit)
    assert adjusted_gaps._fit_words(diag, adjusted_gaps.differences(fit)) == (
        "The model could not be fitted: this edition has one local authority, and the model "
        "compares small areas within and between authorities, so it needs at least two")
