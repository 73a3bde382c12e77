"""Altair house style and the notebook renderer for the report's charts.

Import this module in a notebook and every Altair chart is displayed with three
representations, so each output format can take what it shows best:

* ``text/html``: a small ``<div>`` plus the Vega-Lite spec as inert JSON; the page loads
  Vega once (inlined, no CDN) and draws every chart interactively;
* ``image/svg+xml``: a static vector image (notebook viewers, Quarto);
* ``application/pdf``: a vector PDF with embedded fonts, used by the Typst (PDF) engine.

The palette is Okabe & Ito's colour-blind-safe set (Okabe M, Ito K. Color Universal
Design, 2008), with fixed colours for urban, rural and coastal areas.
"""

from inequalities.report.charts._intervals import funnel_chart, interval_chart, interval_line
from inequalities.report.charts._groups import group_bars, group_intervals, quintile_bars
from inequalities.report.charts._regions import region_bars
from inequalities.report.charts.hexmap import COMPARISON_COLOURS, hex_map
from inequalities.report.charts._renderer import chart_bundle, enable
from inequalities.report.charts._theme import COLOURS, GROUP_ORDER, SOURCE_FONT_SIZE, house_theme, with_source

__all__ = [
    "COLOURS",
    "COMPARISON_COLOURS",
    "GROUP_ORDER",
    "SOURCE_FONT_SIZE",
    "chart_bundle",
    "enable",
    "funnel_chart",
    "group_bars",
    "group_intervals",
    "hex_map",
    "quintile_bars",
    "house_theme",
    "interval_chart",
    "interval_line",
    "region_bars",
    "with_source",
]

enable()
