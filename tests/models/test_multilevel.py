"""Multilevel model: known truth from simulation, coverage over seeds, edge cases."""

import math

import numpy as np
import pandas as pd
import pytest

from inequalities.models import diagnostics, multilevel, simulate_areas

pytestmark = pytest.mark.unit


def test_fixed_effects_and_variances_recover_truth():
    sim = simulate_areas(6000, 120, seed=5)
    out = multilevel(
        sim.frame,
        outcome="life_expectancy",
        exposure=["urban_rural", "coastal", "imd_decile"],
        adjust=["region_code"],
    )
    fixed = out[out["kind"] == "fixed"].set_index("term")
    truth = {
        "urban_rural[Rural]": sim.truth.le_rural,
        "coastal[True]": sim.truth.le_coastal,
        "imd_decile": sim.truth.le_per_decile,
    }
    for term, value in truth.items():
        assert fixed.loc[term, "lower"] <= value <= fixed.loc[term, "upper"], term
    variance = out[out["kind"] == "variance"].set_index("variable")["estimate"]
    assert variance["lad_code"] == pytest.approx(sim.truth.le_lad_sd**2, rel=0.5)
    assert variance["residual"] == pytest.approx(sim.truth.le_residual_sd**2, rel=0.1)
    assert (out["n"] == 6000).all() and (out["n_groups"] == 120).all()
    diag = diagnostics(out)
    assert bool(diag["converged"].iloc[0]) and diag["family"].iloc[0] == "gaussian_mixed"


def test_coverage_of_rural_effect_over_seeds():
    # 40 fits, nominal 95%: accept coverage within 3 sd = 3 * sqrt(0.95 * 0.05 / 40) = 0.103.
    n = 40
    hits = 0
    for seed in range(n):
        sim = simulate_areas(800, 40, seed=100 + seed)
        out = multilevel(
            sim.frame,
            outcome="life_expectancy",
            exposure=["urban_rural"],
            adjust=["coastal", "imd_decile"],
        )
        row = out.set_index("term").loc["urban_rural[Rural]"]
        hits += bool(row["lower"] <= sim.truth.le_rural <= row["upper"])
    assert abs(hits / n - 0.95) <= 3 * math.sqrt(0.95 * 0.05 / n)


def test_by_region_with_a_single_local_authority_is_flagged():
    sim = simulate_areas(3000, 60, seed=2)
    frame = sim.frame.copy()
    one_la = frame["lad_code"].iloc[0]
    frame.loc[frame["lad_code"] == one_la, "region_code"] = "E99999999"
    out = multilevel(frame, outcome="life_expectancy", exposure="coastal", by="region_code")
    flagged = out[out["region_code"] == "E99999999"]
    assert len(flagged) == 1 and np.isnan(flagged["estimate"].iloc[0])
    assert "at least 2" in flagged["note"].iloc[0]
    london = out[(out["region_code"] == "E12000007") & (out["kind"] == "fixed")]
    assert np.isfinite(london["estimate"]).all()


def test_single_group_without_by_is_not_fitted_and_says_why():
    # one local authority: no random intercept, so the model returns its "not fitted"
    # record itself (the exposure's row unestimated, the reason in note and diagnostics)
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "x": ["a", "b", "a", "b"], "g": "L1"})
    out = multilevel(frame, outcome="y", exposure="x", groups="g")
    assert out["term"].tolist() == ["x[b]"] and out["kind"].tolist() == ["fixed"]
    assert np.isnan(out["estimate"].iloc[0]) and out["n"].tolist() == [4]
    assert out["n_groups"].tolist() == [1]
    assert out["note"].iloc[0] == ("not fitted: 1 group(s) in 'g': a random intercept needs at "
                                   "least 2; use an ordinary regression")
    diag = diagnostics(out)
    assert diag["family"].tolist() == ["not fitted"] and "at least 2" in diag["note"].iloc[0]


def test_region_without_rural_areas_gives_note_row():
    sim = simulate_areas(3000, 60, seed=8)
    london = sim.frame[sim.frame["region_code"] == "E12000007"]
    out = multilevel(
        pd.concat([london, sim.frame[sim.frame["region_code"] == "E12000001"]]),
        outcome="life_expectancy",
        exposure="urban_rural",
        by="region_code",
    )
    row = out[(out["region_code"] == "E12000007") & (out["kind"] == "fixed")].iloc[0]
    assert np.isnan(row["estimate"]) and "no areas" in row["note"]


def test_non_numeric_outcome_raises():
    frame = pd.DataFrame({"y": ["a", "b", "c", "d"], "x": [0, 1, 0, 1], "g": [1, 1, 2, 2]})
    with pytest.raises(ValueError, match="numeric"):
        multilevel(frame, outcome="y", exposure="x", groups="g")
