"""The report's Altair theme: palette, type and the source line under each chart."""

from __future__ import annotations

from typing import Any

import altair as alt

#: Okabe-Ito colours, fixed per group so a colour means the same thing in every chart.
COLOURS: dict[str, str] = {
    "Urban": "#0072B2",  # blue
    "Rural": "#009E73",  # bluish green
    "Coastal": "#E69F00",  # orange
    "Non-coastal": "#56B4E9",  # sky blue
    "England": "#000000",  # black: the national comparator
    "Region": "#CC79A7",  # reddish purple
    "Other": "#999999",
}
GROUP_ORDER: list[str] = list(COLOURS)
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
SOURCE_FONT_SIZE = 10


def house_theme() -> dict[str, Any]:
    """Return the Vega-Lite config of the house style (readable type, light grid)."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"fontSize": 15, "fontWeight": "bold", "anchor": "start", "offset": 10},
            "axis": {
                "labelFontSize": 12,
                "labelLimit": 320,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e5e5e5",
                "domainColor": "#767676",
                "tickColor": "#767676",
                "labelColor": "#333333",
                "titleColor": "#333333",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": list(COLOURS.values())},
            "bar": {"color": COLOURS["Urban"]},
            "point": {"filled": True, "size": 60},
        }
    }


def with_source(chart: alt.TopLevelMixin, source: str) -> alt.TopLevelMixin:
    """Add the source line under ``chart`` (as its subtitle at the bottom), Okabe-Ito grey.

    The source is plain text; Vega renders it as text, never as markup.
    """
    title = chart.title if isinstance(chart.title, str) else ""
    return chart.properties(
        title=alt.TitleParams(
            text=title or "",
            subtitle=f"Source: {source}",
            subtitleFontSize=SOURCE_FONT_SIZE,
            subtitleColor="#595959",
        )
    )


@alt.theme.register("inequalities", enable=True)
def _registered_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(house_theme())  # type: ignore[misc]
