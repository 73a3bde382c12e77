"""Finding 10 of issue 14: CSV downloads cannot carry a spreadsheet formula."""

import csv

import pandas as pd
import pytest

from inequalities.report.outputs import save_figure_data

pytestmark = pytest.mark.unit


def test_formula_leading_text_is_neutralised_and_numbers_are_not(tmp_path):
    frame = pd.DataFrame({
        "area_name": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab",
                      "\rCR", "Hartlepool", "-1.5"],
        "change": [-1.25, 2.0, -3e-05, 0.0, 1.0, -7.0, 4.5, 1.0],
    })
    path = save_figure_data(tmp_path, "fig-places", frame)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["area_name", "change"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3",
                                        "'@SUM(A1)", "'\tTab", "'\nCR", "Hartlepool", "-1.5"]
    assert [r[1] for r in rows[1:]] == ["-1.25", "2", "-0.00003", "0", "1", "-7", "4.5", "1"]
    assert frame.loc[0, "area_name"].startswith("=")  # the caller's frame is unchanged
