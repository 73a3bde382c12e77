"""Hex cartogram geometry, worked by hand, and the chart it draws."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inequalities.report import charts
from inequalities.report.charts.hexmap import hex_centre, hex_polygon

pytestmark = pytest.mark.unit

S = math.sqrt(3) / 2  # 0.8660254...: half a pointy-topped hexagon's width (circumradius 1)


def _close(points, expected):
    assert len(points) == len(expected)
    for (x, y), (ex, ey) in zip(points, expected):
        assert x == pytest.approx(ex, abs=1e-9) and y == pytest.approx(ey, abs=1e-9)


def test_odd_r_two_by_two_grid_centres():
    # row 0 in place; row 1 (odd) shifted right by half a width; rows 1.5 apart, upwards
    assert hex_centre(0, 0, "odd-r") == pytest.approx((0.0, 0.0))
    assert hex_centre(1, 0, "odd-r") == pytest.approx((2 * S, 0.0))
    assert hex_centre(0, 1, "odd-r") == pytest.approx((S, 1.5))
    assert hex_centre(1, 1, "odd-r") == pytest.approx((3 * S, 1.5))


def test_odd_r_two_by_two_grid_vertices():
    # pointy-topped, anticlockwise from 30 degrees: (cos 30, sin 30) = (S, 0.5), top (0, 1) ...
    _close(hex_polygon(0, 0, "odd-r"),
           [(S, 0.5), (0, 1), (-S, 0.5), (-S, -0.5), (0, -1), (S, -0.5)])
    _close(hex_polygon(1, 0, "odd-r"),
           [(3 * S, 0.5), (2 * S, 1), (S, 0.5), (S, -0.5), (2 * S, -1), (3 * S, -0.5)])
    _close(hex_polygon(0, 1, "odd-r"),
           [(2 * S, 2.0), (S, 2.5), (0, 2.0), (0, 1.0), (S, 0.5), (2 * S, 1.0)])
    _close(hex_polygon(1, 1, "odd-r"),
           [(4 * S, 2.0), (3 * S, 2.5), (2 * S, 2.0), (2 * S, 1.0), (3 * S, 0.5),
            (4 * S, 1.0)])


def test_neighbours_share_an_edge_and_nothing_overlaps():
    # (0, 1) sits on (0, 0) and (1, 0): its lower-left edge is (0,0)'s upper-right edge
    upper = set((round(x, 6), round(y, 6)) for x, y in hex_polygon(0, 1, "odd-r"))
    for q in (0, 1):
        lower = set((round(x, 6), round(y, 6)) for x, y in hex_polygon(q, 0, "odd-r"))
        assert len(upper & lower) == 2
    centres = [hex_centre(q, r, "odd-r") for q in range(2) for r in range(2)]
    gaps = [math.dist(a, b) for i, a in enumerate(centres) for b in centres[i + 1:]]
    assert min(gaps) == pytest.approx(2 * S)  # touching, never overlapping


def test_other_layouts_shift_the_other_rows_or_columns():
    assert hex_centre(0, 0, "even-r") == pytest.approx((S, 0.0))
    assert hex_centre(0, 1, "even-r") == pytest.approx((0.0, 1.5))
    assert hex_centre(1, 0, "odd-q") == pytest.approx((1.5, S))
    assert hex_centre(0, 0, "even-q") == pytest.approx((0.0, S))
    _close(hex_polygon(0, 0, "odd-q")[:2], [(1, 0), (0.5, S)])  # flat-topped from 0 degrees
    with pytest.raises(ValueError, match="not one of"):
        hex_centre(0, 0, "odd-x")


def _frame():
    return pd.DataFrame({"code": ["E1", "E2", "E3"], "name": ["A", "<b>B</b>", "C"],
                         "q": [0, 1, 0], "r": [0, 0, 1], "key": ["1", "2", "3"],
                         "category": ["Higher than England", "Similar to England",
                                      "Lower than England"],
                         "value": [1.0, 2.0, 3.0]})


def test_map_by_category_has_words_in_legend_and_tooltips():
    spec = charts.hex_map(_frame(), layout="odd-r", colour="category", label="key",
                          tooltip=[("name", "Area"), ("category", "Compared")],
                          categories=charts.COMPARISON_COLOURS, title="T",
                          source="S", description="D").to_dict()
    outline, shapes, labels = spec["layer"]
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["projection"] == {"type": "identity", "reflectY": True}
    colour = shapes["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Higher than England", "Similar to England",
                                         "Lower than England"]
    assert colour["scale"]["range"] == ["#E69F00", "#D9D9D9", "#0072B2"]
    assert [t["title"] for t in shapes["encoding"]["tooltip"]] == ["Area", "Compared"]
    features = shapes["data"]["values"]
    assert [f["properties"]["name"] for f in features] == ["A", "<b>B</b>", "C"]
    ring = features[0]["geometry"]["coordinates"][0]
    assert len(ring) == 7 and ring[0] == ring[-1]
    assert spec["description"] == "D"


def test_map_by_value_is_sequential_and_renders_to_svg():
    chart = charts.hex_map(_frame(), layout="odd-r", colour="value", label="key",
                           tooltip=[("name", "Area")], title="T", source="S",
                           description="D")
    spec = chart.to_dict()
    assert spec["layer"][1]["encoding"]["color"]["scale"] == {"scheme": "viridis"}
    svg = charts.chart_bundle(spec)["image/svg+xml"]
    assert svg.count("<path") >= 3 and "<b>" not in svg  # a name is text, never markup


def test_labels_stay_readable_and_areas_without_a_value_are_drawn():
    frame = _frame().assign(value=[1.0, 5.0, float("nan")])
    spec = charts.hex_map(frame, layout="odd-r", colour="value", label="key",
                          tooltip=[("name", "Area")], title="T", source="S",
                          description="D").to_dict()
    outline, _, labels = spec["layer"]
    assert len(outline["data"]["values"]) == 3  # the empty area keeps its white hexagon
    # middle of 1 and 5 is 3: white on the dark low end of viridis, dark grey elsewhere
    assert [d["ink"] for d in labels["data"]["values"]] == ["#FFFFFF", "#333333", "#333333"]
    svg = charts.chart_bundle(spec)["image/svg+xml"]
    assert 'fill="#FFFFFF">1</text>' in svg.replace("#ffffff", "#FFFFFF")
    by_word = charts.hex_map(_frame(), layout="odd-r", colour="category", label="key",
                             tooltip=[("name", "Area")], categories=charts.COMPARISON_COLOURS,
                             title="T", source="S", description="D").to_dict()
    assert [d["ink"] for d in by_word["layer"][2]["data"]["values"]] == [
        "#333333", "#333333", "#FFFFFF"]  # white only on the dark blue of "lower"
