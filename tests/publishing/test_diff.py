"""``inequalities diff`` on hand-made builds with known differences."""

import json
import math

import pytest

from inequalities import cli
from inequalities.publishing import diff

pytestmark = pytest.mark.unit


def _edition(root, slug, figures, csv=None):
    folder = root / slug
    (folder / "key_figures").mkdir(parents=True)
    (folder / "key_figures" / "nb.json").write_text(json.dumps(figures))
    if csv is not None:
        (folder / "data").mkdir()
        (folder / "data" / "fig-a.csv").write_text(csv)
    return folder


@pytest.fixture()
def sites(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    _edition(old, "england", {"gap": "12,000", "share": "4.0%", "label": "2019", "gone": 1},
             "x\n1\n")
    _edition(new, "england", {"gap": "12,600", "share": "3.0%", "label": "2020", "added": 2},
             "x\n1\n2\n")
    _edition(old, "london", {"gap": "5"}, "x\n1\n")
    _edition(new, "london", {"gap": "5"}, "x\n1\n")
    return old, new


@pytest.mark.parametrize("text,number", [("12,345", 12345.0), ("4.5%", 4.5), ("£1,200.5", 1200.5),
                                         ("\u22123.2", -3.2), (7, 7.0), ("3 of 9", None),
                                         (True, None), ("n/a", None)])
def test_as_number(text, number):
    assert diff.as_number(text) == number


def test_key_figure_changes(sites):
    table = diff.key_figure_changes(*sites)
    rows = {row.key: row for row in table.itertuples()}
    assert set(rows) == {"gap", "share", "label", "gone", "added"}  # london unchanged
    assert rows["gap"].change == 600 and rows["gap"].relative_change == pytest.approx(0.05)
    assert rows["share"].change == -1 and rows["share"].relative_change == pytest.approx(-0.25)
    assert rows["label"].change == 1  # a year reads as a number
    assert rows["gone"].status == "removed" and rows["added"].status == "added"
    assert math.isnan(rows["added"].change)


def test_data_changes(sites):
    table = diff.data_changes(*sites)
    assert table.to_dict("records") == [{"edition": "england", "file": "fig-a.csv",
                                         "status": "changed", "rows_old": 1, "rows_new": 2}]


def test_two_single_editions_compare_with_each_other(tmp_path):
    old = _edition(tmp_path / "a", "england", {"gap": "10"})
    new = _edition(tmp_path / "b", "england-2", {"gap": "11"})
    table = diff.key_figure_changes(old, new)
    assert table[["key", "change"]].values.tolist() == [["gap", 1.0]]


def test_command_prints_markdown_for_the_job_summary(sites, capsys):
    assert cli.main(["diff", "--old", str(sites[0]), "--new", str(sites[1]), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Changes in key figures")
    assert "| england | gap | 12\\,000 | 12\\,600 | \\+600 | \\+5\\.0\\% | changed |" in out
    assert "| england | fig\\-a\\.csv | changed | 1 | 2 |" in out


def test_command_rejects_a_folder_that_is_not_a_build(tmp_path, capsys):
    assert cli.main(["diff", "--old", str(tmp_path), "--new", str(tmp_path)]) == 2
    assert "is not a built site" in capsys.readouterr().err


def test_builds_of_different_vintages_are_compared_with_the_caveat(tmp_path):
    old = _edition(tmp_path / "old", "north-east",
                   {"data.vintage": "IoD 2019, LSOA 2011", "outcomes.cidr_period": "2019",
                    "outcomes.mood_all_areas": "0.80", "only_2019": "x"})
    new = _edition(tmp_path / "new", "north-east",
                   {"data.vintage": "IoD 2025, LSOA 2021", "outcomes.cidr_period": "2025",
                    "outcomes.mood_all_areas": "0.65", "only_2025": "y"})
    text = diff.report(old.parent, new.parent)
    assert "Data vintage: IoD 2019, LSOA 2011 -> IoD 2025, LSOA 2021." in text
    assert "relative within each release" in text and "31,800" in text
    rows = diff.key_figure_changes(old.parent, new.parent).set_index("key")
    assert rows.loc["only_2019", "status"] == "removed"
    assert rows.loc["only_2025", "status"] == "added"
    assert rows.loc["outcomes.mood_all_areas", "change"] == pytest.approx(-0.15)
    # same vintage: no note
    assert "Data vintage" not in diff.report(old.parent, old.parent)
