"""Adjusted rates per cell: hand-checkable crude case, adjustment with known truth, edges."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from inequalities.models import adjusted_rates, diagnostics, simulate_areas

pytestmark = pytest.mark.unit

Z95 = stats.norm.ppf(0.975)


def frame():
    return pd.DataFrame(
        {
            "ur": ["Urban", "Urban", "Rural", "Rural", "Urban", "Rural"],
            "q": [1, 1, 1, 1, 2, 2],
            "deaths": [30, 50, 20, 40, 10, 0],
            "pop": [10_000, 10_000, 5_000, 7_000, 4_000, 3_000],
        }
    )


def test_without_adjustment_rates_are_crude_cell_rates():
    out = adjusted_rates(
        frame(), count="deaths", population="pop", groups=["ur", "q"], family="poisson"
    )
    assert list(out[["ur", "q"]].itertuples(index=False, name=None)) == [
        ("Rural", 1),
        ("Rural", 2),
        ("Urban", 1),
        ("Urban", 2),
    ]
    cell = out.set_index(["ur", "q"])
    # Urban, quintile 1: 80 deaths / 20,000 -> 400 per 100,000; log-scale se 1/sqrt(80)
    assert cell.loc[("Urban", 1), "rate"] == pytest.approx(400.0)
    assert cell.loc[("Urban", 1), "lower"] == pytest.approx(400 * math.exp(-Z95 / math.sqrt(80)))
    assert cell.loc[("Urban", 1), "upper"] == pytest.approx(400 * math.exp(Z95 / math.sqrt(80)))
    assert cell.loc[("Rural", 1), "rate"] == pytest.approx(60 / 12_000 * 1e5)
    assert cell.loc[("Urban", 2), "rate"] == pytest.approx(250.0)
    # the cell with areas but no events is flagged, not a silent NaN
    assert np.isnan(cell.loc[("Rural", 2), "rate"])
    assert "no events" in cell.loc[("Rural", 2), "note"]
    assert cell.loc[("Urban", 1), "n"] == 2 and cell.loc[("Urban", 1), "events"] == 80


def test_absent_cells_are_listed_and_flagged():
    data = frame()
    data = data[~((data["ur"] == "Rural") & (data["q"] == 2))]
    data = pd.concat(
        [data, pd.DataFrame({"ur": ["Mixed"], "q": [1], "deaths": [5], "pop": [1000]})]
    )
    out = adjusted_rates(data, count="deaths", population="pop", groups=["ur", "q"])
    assert len(out) == 6  # 3 x 2 cells, all listed
    missing = out[out["n"] == 0]
    assert len(missing) == 2 and missing["note"].eq("no areas in this cell").all()


def test_adjusted_rates_remove_confounding_by_age():
    # Rural areas are older; adjusting for pct_65_plus should bring the rural / urban ratio
    # of adjusted rates within each quintile to the generating rural rate ratio.
    sim = simulate_areas(12_000, 100, seed=21)
    out = adjusted_rates(
        sim.frame,
        count="deaths",
        population="population",
        groups=["urban_rural", "imd_decile"],
        adjust=["pct_65_plus", "coastal"],
    )
    wide = out.pivot(index="imd_decile", columns="urban_rural", values="rate")
    ratio = wide["Rural"] / wide["Urban"]
    assert ratio.mean() == pytest.approx(sim.truth.rural_rate_ratio, abs=0.03)
    crude = (
        sim.frame.groupby(["urban_rural", "imd_decile"])[["deaths", "population"]]
        .sum()
        .eval("deaths / population")
        .unstack(0)
    )
    assert (crude["Rural"] / crude["Urban"]).mean() > ratio.mean() + 0.05
    assert len(diagnostics(out)) == 1


def test_by_group_with_no_events_gets_flagged_rows():
    data = pd.concat([frame().assign(region="A"), frame().assign(region="B", deaths=0)])
    out = adjusted_rates(data, count="deaths", population="pop", groups=["ur", "q"], by="region")
    b = out[out["region"] == "B"]
    assert b["rate"].isna().all() and b["note"].str.startswith("not fitted").all()
    assert out[out["region"] == "A"]["rate"].notna().sum() == 3


def test_overlapping_columns_raise():
    with pytest.raises(ValueError, match="groups"):
        adjusted_rates(frame(), count="deaths", population="pop", groups=["ur"], by="ur")
