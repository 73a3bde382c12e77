"""Tests of inequalities.topics.adjusted_gaps (chapter 7: rural and coastal gaps, adjusted)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.topics import adjusted_gaps
from inequalities.topics.base import EditionData

pytestmark = pytest.mark.unit


def _edition(rural, coastal, slug="north-east", areas=80):
    """``areas`` small areas, the first ``rural`` rural and the last ``coastal`` coastal."""
    frame = pd.DataFrame({
        "area_code": [f"A{i}" for i in range(areas)], "value": 50.0,
        "urban_rural": ["Rural"] * rural + ["Urban"] * (areas - rural),
        "coastal": [False] * (areas - coastal) + [True] * coastal,
        "region_name": "Somewhere", "lad_code": "L1"})
    data = SimpleNamespace(indicator=lambda indicator_id: frame.copy())
    return EditionData(edition=editions.get(slug), data=data, national=pd.DataFrame())


@pytest.fixture
def calls(monkeypatch):
    """Record the calls to the mixed model and return a fixed table instead of fitting."""
    seen = []

    def multilevel(frame, **kwargs):
        seen.append(kwargs)
        return pd.DataFrame({"region": ["North", "South", "North"],
                             "kind": ["fixed", "fixed", "random"],
                             "term": ["urban_rural[Rural]"] * 2 + ["lad_code"],
                             "estimate": [1.0, np.nan, 0.5], "lower": [0.5, np.nan, 0.1],
                             "upper": [1.5, np.nan, 0.9]})

    monkeypatch.setattr(adjusted_gaps.models, "multilevel", multilevel)
    return seen


def test_model_keeps_only_exposures_with_enough_areas_on_each_side(calls):
    adjusted_gaps.model(_edition(rural=40, coastal=0))
    adjusted_gaps.model(_edition(rural=40, coastal=30))
    adjusted_gaps.model(_edition(rural=29, coastal=0))  # neither: both, flagged by the model
    assert [c["exposure"] for c in calls] == [["urban_rural"], ["urban_rural", "coastal"],
                                              ["urban_rural", "coastal"]]
    assert calls[0]["adjust"] == ["imd_score", "pct_65_plus"]
    assert calls[0]["groups"] == "lad_code"


def _fixed():
    return pd.DataFrame({"kind": ["fixed", "fixed"],
                         "term": ["urban_rural[Rural]", "coastal[True]"],
                         "estimate": [2.0, 0.2], "lower": [1.0, -0.5], "upper": [3.0, 0.9],
                         "n": [1234, 1234]})


def test_differences_are_the_labelled_fixed_effects():
    fit = pd.concat([_fixed(), pd.DataFrame({"kind": ["random"], "term": ["lad_code"]})])
    out = adjusted_gaps.differences(fit)
    assert out["label"].tolist() == ["Rural (vs urban)", "Coastal (vs non-coastal)"]


def test_regional_edition_shows_its_own_differences():
    fixed = adjusted_gaps.differences(_fixed())
    fixed.loc[1, "estimate"] = np.nan  # not estimable: left out of the figure
    out = adjusted_gaps.regional_differences(_edition(40, 0), fixed)
    assert out["category"].tolist() == ["Rural (vs urban)"]


def test_england_shows_one_rural_difference_per_region(calls):
    out = adjusted_gaps.regional_differences(_edition(40, 0, slug="england"), _fixed())
    assert calls[0]["by"] == "region" and calls[0]["exposure"] == ["urban_rural"]
    assert out["category"].tolist() == ["North"]  # South has no interval; random rows go


def test_diagnostics_keep_the_columns_the_chapter_shows(monkeypatch):
    monkeypatch.setattr(adjusted_gaps.models, "diagnostics", lambda fit: pd.DataFrame(
        {"model": ["m"], "extra": [1], "n": [10], "converged": [True]}))
    assert list(adjusted_gaps.diagnostics(None).columns) == ["model", "n", "converged"]


def test_key_figures_by_hand():
    assert adjusted_gaps.key_figures(_edition(40, 3), _fixed()) == {
        "models.rural_gap": "premature mortality is 2.0 points higher in rural areas than in "
                            "urban areas (2.0 (95% CI 1.0 to 3.0))",
        "models.coastal_gap": "premature mortality is not clearly different between coastal "
                              "areas and other areas (0.2 (95% CI \u22120.5 to 0.9))",
        "models.areas": "1,234",
    }


def test_key_figures_say_why_a_gap_could_not_be_estimated():
    fixed = _fixed()
    fixed.loc[1, ["estimate", "lower", "upper"]] = np.nan
    figures = adjusted_gaps.key_figures(_edition(40, 3), fixed)
    assert figures["models.coastal_gap"] == (
        "the difference between coastal areas and other areas could not be estimated (this "
        "edition has 3 coastal small areas; the model needs 30)")
    empty = adjusted_gaps.key_figures(_edition(1234, 0, areas=1500), fixed.iloc[:0])
    assert empty["models.areas"] == "0"
    assert empty["models.rural_gap"] == (
        "the difference between rural areas and urban areas could not be estimated (this "
        "edition has 1,234 rural small areas; the model needs 30)")


def test_differences_table_by_hand():
    fixed = adjusted_gaps.differences(_fixed().iloc[:1]).assign(p_value=0.0001234, n_groups=12)
    markdown = adjusted_gaps.differences_table(fixed)._repr_mimebundle_()["text/markdown"]
    assert markdown.splitlines()[2] == (
        "| Rural \\(vs urban\\) | 2\\.00 | 1\\.00 | 3\\.00 | p \\< 0\\.001 | 1\\,234 | 12 |")
