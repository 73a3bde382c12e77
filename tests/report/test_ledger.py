import math

import numpy as np
import pandas as pd
import pytest

from inequalities.report import ledger

pytestmark = pytest.mark.unit
M = "\u2212"


def _result():
    return pd.DataFrame({"group": ["All areas", "Rural", "Non-coastal"],
                         "value": [80.12, 81.5, 79.9], "lower": [79.9, 80.0, 79.1],
                         "upper": [80.3, 83.0, 80.7], "n": [40, 2, 30]})


def _rows(**kwargs):
    args = dict(topic="outcomes", key="outcomes.le_female", label="Female life expectancy",
                unit="years", kind="level", unit_type="LA", method="weighted mean",
                source="OHID", period="2018-20", min_units=5)
    args.update(kwargs)
    return ledger.rows(_result(), **args)


def test_rows_give_keys_per_group_and_withhold_groups_below_the_minimum():
    rows = _rows()
    assert rows["key"].tolist() == ["outcomes.le_female.all_areas", "outcomes.le_female.rural",
                                    "outcomes.le_female.non_coastal"]
    rural = rows.set_index("group").loc["Rural"]
    assert math.isnan(rural["value"]) and math.isnan(rural["lower"])
    assert rural["note"] == "not estimated: 2 local authorities, fewer than the 5 needed"
    assert rows["value"].iloc[0] == 80.12 and rows["units"].tolist() == [40, 2, 30]
    assert ledger.problems(rows) == []


def test_problems_name_each_broken_rule():
    bad = _rows(min_units=0)
    bad.loc[0, "upper"] = 80.0          # interval misses its estimate
    bad.loc[1, "kind"] = "average"      # unknown kind
    bad.loc[2, "key"] = bad.loc[0, "key"]
    found = ledger.problems(bad)
    assert "outcomes.le_female.all_areas: key used by more than one statistic" in found
    assert any("does not contain 80.12" in f for f in found)
    assert any("kind 'average'" in f for f in found)
    with pytest.raises(ledger.LedgerError, match="breaks its rules"):
        ledger.check(bad)


def test_shares_counts_and_minimums_are_checked():
    frame = pd.DataFrame({"group": ["a", "b", "c"], "value": [101.0, 2.5, 7.0],
                          "n": [10, 10, 1]})
    share = ledger.rows(frame.iloc[[0]], topic="t", key="t.s", label="l", unit="%",
                        kind="share", unit_type="LSOA", method="m", source="s", lower=None,
                        upper=None)
    count = ledger.rows(frame.iloc[[1]], topic="t", key="t.c", label="l", unit="people",
                        kind="count", unit_type="LSOA", method="m", source="s", lower=None,
                        upper=None)
    assert ledger.problems(share) == ["t.s.a: share 101.0 outside 0-100"]
    assert ledger.problems(count) == ["t.c.b: count 2.5 is not a whole number"]
    sneaky = ledger.rows(frame.iloc[[2]], topic="t", key="t.m", label="l", unit="%",
                         kind="share", unit_type="LA", method="m", source="s", lower=None,
                         upper=None)
    sneaky["min_units"] = 5              # estimated anyway from one unit
    assert ledger.problems(sneaky) == ["t.m.c: estimated from 1 units, below its minimum 5"]


def test_csv_writes_numbers_as_numbers(tmp_path):
    frame = pd.DataFrame({"group": ["England"], "value": [2669940.0], "lower": [np.nan],
                          "upper": [np.nan], "n": [32844]})
    rows = ledger.rows(frame, topic="population", key="population.total", label="People",
                       unit="people", kind="count", unit_type="LSOA", method="sum",
                       source="ONS", period="mid-2019")
    path = ledger.save(tmp_path, "population", rows)
    text = path.read_text()
    assert "2669940" in text and "e+" not in text and "2669940.0" not in text
    back = ledger.read(path)
    pd.testing.assert_frame_equal(back, ledger.check(rows), check_dtype=False)
    assert ledger.collect(tmp_path)["key"].tolist() == ["population.total.england"]


def test_interval_text_uses_the_units_decimals_and_true_minus():
    row = {"value": -0.764, "lower": -1.958, "upper": 0.432, "unit": "years", "note": ""}
    assert ledger.interval_text(row) == f"{M}0.8 (95% CI {M}2.0 to 0.4)"
    assert ledger.interval_text({**row, "unit": "%", "lower": np.nan, "upper": np.nan},
                                unit=True) == f"{M}0.8%"
    missing = {"value": np.nan, "lower": np.nan, "upper": np.nan, "unit": "years",
               "note": "not estimated: 2 local authorities, fewer than the 5 needed"}
    assert ledger.interval_text(missing) == missing["note"]


@pytest.mark.parametrize(("row", "kwargs", "expected"), [
    # written by hand: one decimal for years, two for ratios, none for people
    ({"value": 1.234, "lower": 1.1, "upper": 1.371, "unit": "years"}, {},
     "1.2 (95% CI 1.1 to 1.4)"),
    ({"value": 1.234, "lower": 1.1, "upper": 1.371, "unit": "rate ratio"}, {},
     "1.23 (95% CI 1.10 to 1.37)"),
    ({"value": 1234.5, "lower": 1000, "upper": 1500.25, "unit": "people"}, {"unit": True},
     "1,234 people (95% CI 1,000 to 1,500)"),
    # a bound that rounds to zero prints without a sign; true minus elsewhere
    ({"value": -1.25, "lower": -2.04, "upper": -0.04, "unit": "years"}, {},
     "\u22121.2 (95% CI \u22122.0 to 0.0)"),
    ({"value": 61.25, "lower": 60.01, "upper": 62.5, "unit": "%"}, {"unit": True},
     "61.2% (95% CI 60.0 to 62.5)"),
    ({"value": 1.234, "lower": 1.1, "upper": 1.371, "unit": "ratio"}, {"inline": True},
     "1.23, 95% CI 1.10 to 1.37"),
    ({"value": 12.0, "lower": np.nan, "upper": np.nan, "unit": "%", "note": ""},
     {"inline": True}, "12.0"),
    ({"value": np.nan, "lower": np.nan, "upper": np.nan, "unit": "%", "note": "suppressed"},
     {}, "not estimated (suppressed)"),
])
def test_interval_text_is_the_one_format_of_an_estimate_and_interval(row, kwargs, expected):
    assert ledger.interval_text(row, **kwargs) == expected
