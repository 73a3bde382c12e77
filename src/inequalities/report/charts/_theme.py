"""The report's Altair theme: palette, type and the source line under each chart."""

from __future__ import annotations

from typing import Any

import altair as alt

#: Okabe-Ito colours, fixed per group so a colour means the same thing in every chart.
COLOURS: dict[str, str] = {
    "Urban": "#0072B2",  # blue
    "Rural": "#009E73",  # bluish green
    "Coastal": "#D55E00",  # vermillion, 4.0:1 on white
    "Non-coastal": "#6E6E6E",  # neutral grey, 5.1:1 on white
    "England": "#000000",  # black: the national comparator
    "Region": "#CC79A7",  # reddish purple
    "Other": "#888888",  # grey, 3.5:1 on white (WCAG 1.4.11 asks 3:1 for chart marks)
}
GROUP_ORDER: list[str] = list(COLOURS)
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
#: Type sizes in CSS px for the HTML report. Text colours are at least 4.5:1 on white
#: (WCAG 2.2, 1.4.3); the source line is the smallest text and still 11 px.
SOURCE_FONT_SIZE = 11
TEXT_COLOUR = "#333333"
SOURCE_COLOUR = "#595959"
#: The PDF prints a chart at its CSS size (1 px = 0.75 pt), shrunk to the text width (about
#: 470 pt) when wider; type is enlarged by this factor in the PDF version so that axis
#: labels print at about 9-10 pt and the source line at 8-9 pt, beside 10.5 pt body text.
PRINT_TYPE_SCALE = 1.15
_FONT_SIZE_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def house_theme() -> dict[str, Any]:
    """Return the Vega-Lite config of the house style (readable type, light grid)."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"fontSize": 15, "fontWeight": "bold", "anchor": "start", "offset": 10,
                      "color": TEXT_COLOUR, "subtitleFontSize": SOURCE_FONT_SIZE,
                      "subtitleColor": SOURCE_COLOUR},
            "axis": {
                "labelFontSize": 12,
                "labelLimit": 320,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e5e5e5",
                "domainColor": "#767676",
                "tickColor": "#767676",
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom",
                       "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "header": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR,
                       "titleColor": TEXT_COLOUR},
            "text": {"fontSize": 12, "color": TEXT_COLOUR},
            "range": {"category": list(COLOURS.values())},
            "bar": {"color": COLOURS["Urban"]},
            "point": {"filled": True, "size": 60},
        }
    }


def with_source(chart: alt.TopLevelMixin, source: str) -> alt.TopLevelMixin:
    """Add the source line to ``chart`` as its subtitle (``Source: ...``), in grey.

    Size and colour come from the theme's ``title`` config (:data:`SOURCE_FONT_SIZE`,
    :data:`SOURCE_COLOUR`), so the PDF version can enlarge it with the other text. The
    source is plain text; Vega renders it as text, never as markup.
    """
    title = chart.title
    if isinstance(title, alt.TitleParams):
        text = title.text if isinstance(title.text, str) else ""
    else:
        text = title if isinstance(title, str) else ""
    return chart.properties(title=alt.TitleParams(text=text or "", subtitle=f"Source: {source}"))


def print_spec(spec: dict[str, Any], scale: float = PRINT_TYPE_SCALE) -> dict[str, Any]:
    """Return a copy of Vega-Lite ``spec`` with every configured type size times ``scale``.

    Used for the PDF version of a chart, which is shrunk to the page's text width; font
    sizes set on individual marks or titles of the chart are scaled too.
    """
    def scaled(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: (round(value * scale, 2) if key in _FONT_SIZE_KEYS
                          and isinstance(value, (int, float)) and not isinstance(value, bool)
                          else scaled(value))
                    for key, value in node.items()}
        if isinstance(node, list):
            return [scaled(item) for item in node]
        return node

    return scaled(spec)


@alt.theme.register("inequalities", enable=True)
def _registered_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(house_theme())  # type: ignore[misc]
