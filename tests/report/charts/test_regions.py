"""Region bars mark the edition's region(s), and show a legend only when one is marked."""

import pandas as pd
import pytest

from inequalities.report import charts

pytestmark = pytest.mark.unit

FRAME = pd.DataFrame({"region_code": ["E12000001", "E12000009", "E92000001"],
                      "region_name": ["North East", "South West", "England"],
                      "share": [17.6, 30.1, 16.4]})


def _bars(**kwargs):
    spec = charts.region_bars(FRAME, value="share", title="t", axis_title="%", source="s",
                              description="d", **kwargs).to_dict()
    bars = spec["layer"][0]
    roles = {r["region_name"]: r["role"] for r in spec["datasets"][bars["data"]["name"]]}
    return roles, bars["encoding"]["color"]


def test_an_icb_edition_marks_the_region_it_lies_in_and_names_it_so():
    roles, colour = _bars(highlight=["E12000009"], highlight_label="Region of this edition")
    assert roles == {"North East": "Other regions", "South West": "Region of this edition"}
    assert colour["legend"] is not None


def test_no_legend_when_no_bar_is_the_editions():
    # before: an ICB's own code was passed, no bar matched, yet "This edition" was in the legend
    roles, colour = _bars(highlight="E54000038")
    assert set(roles.values()) == {"Other regions"}
    assert colour["legend"] is None
