"""The house style: readable type in the HTML and the PDF, text contrast, the source line.

Contrast uses WCAG 2.2's definitions (relative luminance of sRGB, ratio (L1 + 0.05) /
(L2 + 0.05); 4.5:1 for text, 3:1 for graphical objects), written out here rather than taken
from the code under test, and checked on the published reference points (black on white is
21:1; #767676 is the lightest grey with 4.5:1 on white).
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from inequalities.report import charts
from inequalities.report.charts import _theme

pytestmark = pytest.mark.unit

TEXT_WIDTH_PT = (21.0 - 2 * 2.2) / 2.54 * 72  # report.typ: A4, 2.2 cm side margins


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str = "#ffffff") -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_published_points():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777") < 4.5


def _text_colours(config: dict) -> dict[str, str]:
    found = {}
    for block, values in config.items():
        if isinstance(values, dict):
            for key, value in values.items():
                if key.endswith(("Color", "color")) and key not in {"gridColor"} \
                        and isinstance(value, str) and value.startswith("#") \
                        and ("label" in key or "title" in key or "subtitle" in key
                             or key == "color" and block in {"title", "text"}):
                    found[f"{block}.{key}"] = value
    return found


def test_every_text_colour_has_4_5_to_1_contrast_on_the_background():
    config = charts.house_theme()["config"]
    assert config["background"] == "white"
    colours = _text_colours(config)
    assert {"axis.labelColor", "axis.titleColor", "title.color", "title.subtitleColor",
            "legend.labelColor"} <= set(colours)
    for where, colour in colours.items():
        assert contrast(colour) >= 4.5, (where, colour)


@pytest.mark.parametrize("group", ["Urban", "Rural", "Coastal", "Non-coastal", "Region"])
def test_group_colours_meet_the_3_to_1_graphics_contrast(group):
    # WCAG 2.1 SC 1.4.11: graphical objects need 3:1 against adjacent colours (white here).
    assert contrast(charts.COLOURS[group]) >= 3.0


def test_grey_marks_and_reference_lines_are_visible():
    assert contrast(charts.COLOURS["Other"]) >= 3.0  # the bars of every other region
    assert contrast(charts.COLOURS["England"]) >= 3.0


def _font_sizes(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith(("fontSize", "FontSize")) and isinstance(value, (int, float)):
                yield f"{path}{key}", value
            else:
                yield from _font_sizes(value, f"{path}{key}.")


def _region_chart() -> alt.TopLevelMixin:
    frame = pd.DataFrame({"region_code": [f"E1200000{i}" for i in range(1, 10)] + ["E92000001"],
                          "region_name": ["Yorkshire and The Humber"] * 9 + ["England"],
                          "share": [10.0 + i for i in range(10)]})
    return charts.region_bars(frame, value="share", title="Share", axis_title="% of people",
                              highlight="E12000003", source="ONS", description="d")


def test_type_is_readable_on_screen_and_in_print():
    spec = _region_chart().to_dict()
    screen = dict(_font_sizes(spec))
    assert screen and min(screen.values()) >= 11, screen  # CSS px on screen
    printed = _theme.print_spec(spec)
    svg = vl_convert.vegalite_to_svg(printed)
    width_px = float(re.search(r'<svg[^>]*\bwidth="([0-9.]+)"', svg)[1])
    shrink = min(1.0, TEXT_WIDTH_PT / (width_px * 0.75))
    for where, size in _font_sizes(printed):
        points = size * 0.75 * shrink  # CSS px -> pt, then fitted to the text width
        assert points >= 7.5, (where, points)
        assert size == pytest.approx(screen[where] * _theme.PRINT_TYPE_SCALE)


def test_with_source_adds_the_source_as_text_and_keeps_the_title():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").properties(
        title="Rates <b>")
    spec = charts.with_source(chart, "ONS <script>").to_dict()
    assert spec["title"] == {"text": "Rates <b>", "subtitle": "Source: ONS <script>"}
    svg = vl_convert.vegalite_to_svg(spec)
    assert "Source: ONS &lt;script&gt;" in svg and "<script>" not in svg
    again = charts.with_source(charts.with_source(chart, "A"), "B").to_dict()
    assert again["title"] == {"text": "Rates <b>", "subtitle": "Source: B"}
