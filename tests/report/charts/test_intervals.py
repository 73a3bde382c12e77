"""The funnel chart's axes follow the units, not limits at tiny denominators."""

import pandas as pd
import pytest

from inequalities.methods import funnel_limits
from inequalities.report import charts

pytestmark = pytest.mark.unit


def _three_boards():
    """Three boards (B beyond 3 sigma) and their limits around 25%. The limits' axis starts
    at 1 (largest > 2 x smallest), where they span 0-100%."""
    points = pd.DataFrame({"attendances": [20_000, 60_000, 150_000],
                           "share": [24.0, 31.0, 26.0], "icb_name": ["A", "B", "C"],
                           "significance": ["Not significant", "High (0.001)", "Low (0.025)"]})
    return points, funnel_limits([4_800, 18_600, 39_000], points["attendances"],
                                 statistic="proportion", baseline=25.0)


def _funnel():
    points, limits = _three_boards()
    assert limits["upper_3s"].max() == 100
    spec = charts.funnel_chart(points, limits, x="attendances", y="share", label="icb_name",
                               title="t", x_title="x", y_title="y", source="s",
                               description="d").to_dict()
    return spec


def test_vertical_axis_is_set_by_the_units_range():
    layers = _funnel()["layer"]
    low, high = layers[0]["encoding"]["y"]["scale"]["domain"]
    assert 20 < low < 24 and 31 < high < 36  # hand-read: 24% to 31%, limits near 25% +/- 1


def test_units_beyond_three_sigma_are_named():
    spec = _funnel()
    rows = [row for layer in spec["layer"][2:] for row in spec["datasets"][layer["data"]["name"]]]
    assert [row["icb_name"] for row in rows] == ["B"]


def _svg_text(spec):
    import re

    import vl_convert as vlc
    return " ".join(re.findall(r">([^<>]+)</text>", vlc.vegalite_to_svg(spec)))


def test_funnel_legend_names_every_line_in_the_drawn_chart():
    # the legend is read from the SVG the PDF prints, not from the spec
    text = _svg_text(_funnel())
    for name in ("England", "2 sigma limits", "3 sigma limits"):
        assert name in text


def test_highlighted_units_have_their_own_legend_entry_colour_and_name():
    points, limits = _three_boards()
    spec = charts.funnel_chart(points, limits, x="attendances", y="share", label="icb_name",
                               title="t", x_title="x", y_title="y", source="s",
                               description="d", unit_name="Other ICBs", highlight=["C"],
                               highlight_name="Our ICB").to_dict()
    dots = spec["layer"][1]
    rows = spec["datasets"][dots["data"]["name"]]
    assert {r["icb_name"]: r["_who"] for r in rows} == {"A": "Other ICBs", "B": "Other ICBs",
                                                        "C": "Our ICB"}
    assert dots["encoding"]["color"]["scale"]["domain"] == ["Other ICBs", "Our ICB"]
    assert len(set(dots["encoding"]["color"]["scale"]["range"])) == 2
    left, right = (spec["datasets"][layer["data"]["name"]] for layer in spec["layer"][2:])
    # beyond 3 sigma, and ours; C, at the right edge, is named to the left of its point
    assert [r["icb_name"] for r in left] == ["B"] and [r["icb_name"] for r in right] == ["C"]
    assert spec["layer"][3]["mark"]["align"] == "right"
    text = _svg_text(spec)
    assert "Our ICB" in text and "Other ICBs" in text


def _drawn_points(spec) -> int:
    """Symbols the renderer draws in the chart's point layer (legend symbols excluded)."""
    import re

    import vl_convert as vlc
    svg = vlc.vegalite_to_svg(spec)
    groups = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    # a point of no size is still a <path>, with the path "MNaN,0"
    return sum(len(re.findall(r'<path[^>]* d="M[0-9.-]', group)) for group in groups)


@pytest.mark.parametrize("highlight", [[], ["C"]])
def test_every_unit_is_drawn_as_a_point(highlight):
    # A one-entry nominal size scale once drew no point at all (South West, England).
    points, limits = _three_boards()
    spec = charts.funnel_chart(points, limits, x="attendances", y="share", label="icb_name",
                               title="t", x_title="x", y_title="y", source="s",
                               description="d", highlight=highlight,
                               highlight_name="Our ICB" if highlight else "").to_dict()
    assert _drawn_points(spec) == 3
