"""suppress(): primary and secondary small-number suppression."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.methods import proportion, suppress

pytestmark = pytest.mark.unit


def test_primary_and_secondary_in_one_margin():
    table = pd.DataFrame(
        {"region": ["A"] * 3 + ["B"] * 3, "group": list("xyz") * 2, "n": [3, 50, 40, 20, 30, 25]}
    )
    out = suppress(table, count="n", threshold=5, by="region")
    # A: 3 is primary; its total would reveal it, so the smaller other cell (40) goes too
    assert out["suppression"].fillna("-").tolist() == ["primary", "-", "secondary", "-", "-", "-"]
    assert out["value"].isna().tolist() == [True, False, True, False, False, False]
    assert out["n"].isna().sum() == 2  # the published count column is blanked as well


def test_two_way_table_with_row_and_column_totals():
    # 3 x 3 table; one small cell. Row and column totals are published.
    table = pd.DataFrame(
        {
            "r": np.repeat(["r1", "r2", "r3"], 3),
            "c": ["c1", "c2", "c3"] * 3,
            "n": [2, 30, 40, 25, 35, 45, 50, 60, 70],
        }
    )
    out = suppress(table, count="n", threshold=5, by=[["r"], ["c"]])
    s = out["suppressed"].to_numpy().reshape(3, 3)
    # by hand: r1c1 (primary) -> r1c2=30 (row) and r2c1=25 (column); then r2 and c2 each
    # have one withheld cell -> r2c2=35 closes both
    assert s.tolist() == [[True, True, False], [True, True, False], [False, False, False]]
    assert all(k not in (1,) for k in s.sum(axis=0)) and all(k not in (1,) for k in s.sum(axis=1))


def test_zero_shown_unless_requested_and_missing_left_alone():
    table = pd.DataFrame({"n": [0, 12, np.nan, 15]})
    assert not suppress(table, count="n").suppressed.any()
    out = suppress(table, count="n", include_zero=True)
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert np.isnan(out["value"].iloc[2]) and pd.isna(out["suppression"].iloc[2])


def test_indicator_limits_are_blanked():
    table = pd.DataFrame({"area": list("abc"), "x": [3, 40, 60], "n": [100, 200, 300]})
    ind = pd.concat([table, proportion(table["x"], table["n"], confidence=[95, 99.8])], axis=1)
    out = suppress(ind, count="x", threshold=5)
    assert out.loc[[0, 1], ["value", "lower_95", "upper_99_8"]].isna().all(axis=None)
    assert out.loc[2, ["value", "lower_95", "upper_99_8"]].notna().all()


def test_negative_count_raises():
    with pytest.raises(ValueError, match="row 1"):
        suppress(pd.DataFrame({"n": [4, -1]}), count="n")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=4, max_size=30), st.integers(2, 6), st.integers(1, 15))
def test_no_margin_group_has_a_single_withheld_cell(counts, n_rows, threshold):
    table = pd.DataFrame({"n": counts})
    table["r"] = np.arange(len(table)) % n_rows
    table["c"] = np.arange(len(table)) // n_rows
    out = suppress(table, count="n", threshold=threshold, by=[["r"], ["c"]])
    s = out["suppressed"]
    assert s[(table["n"] < threshold) & (table["n"] > 0)].all()
    kept = ~s
    assert (out.loc[kept, "value"] == table.loc[kept, "n"]).all()
    for key in ("r", "c"):
        per = s.groupby(table[key]).agg(["sum", "size"])
        assert not ((per["sum"] == 1) & (per["size"] >= 2)).any()
