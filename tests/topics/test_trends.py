"""Tests of inequalities.topics.trends (chapter 8: the rural - urban life expectancy gap)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.topics import trends
from inequalities.topics.base import EditionData

pytestmark = pytest.mark.unit

NO_TREND = ("cannot be estimated for this edition, which has no rural (or no urban) local "
            "authorities")


def test_gap_by_period_recovers_a_known_narrowing_gap():
    rng = np.random.default_rng(3)
    rows = []
    for t, true_gap in enumerate([-2.0, -1.5, -1.0, -0.5]):
        for group in ["Rural", "Urban"]:
            base = 80 + (true_gap if group == "Rural" else 0)
            for v in base + rng.normal(0, 0.3, 200):
                rows.append({"period": f"20{10 + t}", "urban_rural": group, "le": v})
    frame = pd.DataFrame(rows)
    table, trend = trends.gap_by_period(frame, value="le", group="urban_rural", period="period")
    assert table["gap"].to_numpy() == pytest.approx([-2.0, -1.5, -1.0, -0.5], abs=0.1)
    assert (table["lower"] < table["gap"]).all() and (table["gap"] < table["upper"]).all()
    assert trend["lower"] < 0.5 < trend["upper"]  # true change +0.5 a period
    assert trend["direction"] == "narrowing"


def test_gap_by_period_without_change_is_no_clear_change():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"period": np.repeat(["a", "b", "c"], 100),
                          "urban_rural": np.tile(["Rural", "Urban"], 150),
                          "le": rng.normal(80, 1, 300)})
    _, trend = trends.gap_by_period(frame, value="le", group="urban_rural", period="period")
    assert trend["direction"] == "no clear change"


def test_gap_by_period_says_what_is_missing():
    frame = pd.DataFrame({"period": ["a", "b"], "urban_rural": ["Urban", "Urban"], "le": [1, 2]})
    with pytest.raises(ValueError, match="both 'Rural' and 'Urban'"):
        trends.gap_by_period(frame, value="le", group="urban_rural", period="period")


def _edition(rural_lads):
    """Four authorities (the last ``rural_lads`` rural), life expectancy in three periods.

    Rural authorities live 1 year less in the first period, 0.5 in the second, 0 in the
    third (females; males are not published).
    """
    codes = ["L1", "L2", "L3", "L4"]
    lads = pd.DataFrame({"lad_code": codes,
                         "urban_rural": ["Urban"] * (4 - rural_lads) + ["Rural"] * rural_lads})
    rows = []
    for position, period in enumerate(["2001 - 03", "2002 - 04", "2003 - 05"]):
        for code, kind in zip(codes, lads["urban_rural"]):
            spread = 0.1 if code in ("L1", "L3") else -0.1
            value = 80 + spread - (1 - 0.5 * position) * (kind == "Rural")
            rows.append({"area_code": code, "area_level": "LAD", "indicator_id": "90366",
                         "period": period, "sex": "Female", "value": value})
    data = SimpleNamespace(indicators=pd.DataFrame(rows), lads=lads)
    return EditionData(edition=editions.get("north-east"), data=data, national=pd.DataFrame())


def test_life_expectancy_gaps_by_hand():
    gaps, trend = trends.life_expectancy_gaps(_edition(rural_lads=2))
    assert gaps["sex"].unique().tolist() == ["Female"]  # no male rows: no male estimate
    assert gaps["gap"].to_numpy() == pytest.approx([-1.0, -0.5, 0.0])
    assert trend["sex"].tolist() == ["Female"]
    assert trend["change_per_period"].iloc[0] == pytest.approx(0.5)
    assert trend["periods"].iloc[0] == 3


def test_life_expectancy_gaps_without_rural_authorities_are_empty():
    gaps, trend = trends.life_expectancy_gaps(_edition(rural_lads=0))
    assert gaps.empty and list(gaps.columns) == ["period", "gap", "lower", "upper", "n", "sex"]
    assert trend.empty


def test_trend_data_are_saved_only_when_there_is_a_trend(tmp_path):
    assert trends.save_trend_data(tmp_path, pd.DataFrame()) is None
    assert not (tmp_path / "data").exists()
    path = trends.save_trend_data(tmp_path, pd.DataFrame({"sex": ["Female"], "p_value": [0.5]}))
    assert path == tmp_path / "data" / "tbl-le-gap-trend.csv"
    assert path.read_text() == "sex,p_value\nFemale,0.5\n"


def _markdown(table):
    return table._repr_mimebundle_()["text/markdown"]


def _trend():
    return pd.DataFrame({"sex": ["Female"], "change_per_period": [0.1234], "lower": [0.05],
                         "upper": [0.2], "p_value": [0.001234], "periods": [3],
                         "direction": ["narrowing"], "test": ["Wald"]})


def test_trend_table_by_hand():
    assert _markdown(trends.trend_table(_trend())) == (
        "| Sex | Change per period | Lower 95\\% | Upper 95\\% | p | Periods | Result |\n"
        "|:---|---:|---:|---:|---:|---:|:---|\n"
        "| Female | 0\\.123 | 0\\.050 | 0\\.200 | 0\\.00123 | 3 | narrowing |")
    assert _markdown(trends.trend_table(pd.DataFrame())) == (
        "| Sex | Result |\n|:---|:---|\n"
        "| Both | not estimable\\: this edition has no rural \\(or no urban\\) local authorities |")


def test_key_figures_quote_the_latest_gap_with_an_interval():
    gaps = pd.DataFrame({"period": ["2001 - 03", "2002 - 04", "2003 - 05"],
                         "gap": [-1.5, -1.0, np.nan], "lower": [-2.0, -1.5, np.nan],
                         "upper": [-1.0, -0.5, np.nan], "n": [40, 40, 40], "sex": "Female"})
    assert trends.key_figures(gaps, _trend()) == {
        "trends.le_female": "was \u22121.0 (95% CI \u22121.5 to \u22120.5) years in 2002 - 04, and over 3 "
                            "periods shows narrowing (change per period 0.123 (95% CI 0.050 "
                            "to 0.200), p = 0.0012)",
        "trends.le_male": NO_TREND,
    }


def test_key_figures_without_trends():
    gaps = pd.DataFrame(columns=["period", "gap", "lower", "upper", "n", "sex"])
    assert trends.key_figures(gaps, pd.DataFrame()) == {"trends.le_female": NO_TREND,
                                                        "trends.le_male": NO_TREND}


def test_gap_chart_without_female_gaps_draws_a_placeholder():
    spec = trends.gap_chart(pd.DataFrame(columns=["period", "gap", "lower", "upper", "n",
                                                  "sex"])).to_dict()
    values = [row for data in spec["datasets"].values() for row in data]
    assert {"period": "not available", "gap": 0.0, "lower": 0.0, "upper": 0.0} in values
