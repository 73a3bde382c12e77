"""Hex cartograms: one equal hexagon per area, placed by an Open Innovations layout.

A HexJSON layout (https://open-innovations.org/projects/hexmaps/hexjson) gives each area
offset coordinates ``q`` (column) and ``r`` (row, counting upwards: north is up) in one of
four layouts. In the ``-r`` layouts the hexagons are pointy-topped and every other row is
shifted half a hexagon to the right (``odd-r``: the odd rows; ``even-r``: the even rows);
in the ``-q`` layouts they are flat-topped and every other column is shifted half a hexagon
up. :func:`hex_centre` and :func:`hex_polygon` turn these into plane coordinates (hexagons
of circumradius 1); :func:`hex_map` draws them as vector shapes (a GeoJSON collection on an
identity projection), so the PDF gets vector paths and the HTML tooltips, offline.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import altair as alt
import pandas as pd

from inequalities.report.charts._theme import TEXT_COLOUR, with_source

SQRT3 = math.sqrt(3)
LAYOUTS = ("odd-r", "even-r", "odd-q", "even-q")

#: Comparison with England: Okabe-Ito orange and blue (told apart under deuteranopia,
#: protanopia and tritanopia), a light grey for "similar" and white for no comparison; the
#: legend and the tooltip carry the word, so colour is never the only cue.
COMPARISON_COLOURS: dict[str, str] = {
    "Higher than England": "#E69F00",
    "Similar to England": "#D9D9D9",
    "Lower than England": "#0072B2",
    "Not compared": "#F0F0F0",
    "No value": "#FFFFFF",
}
#: Text on each fill: white on the dark blue (5.0:1), dark grey elsewhere.
LABEL_COLOURS: dict[str, str] = {"Lower than England": "#FFFFFF"}


def _check(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"hex layout {layout!r} is not one of {', '.join(LAYOUTS)}")


def hex_centre(q: int, r: int, layout: str = "odd-r") -> tuple[float, float]:
    """Centre ``(x, y)`` of hexagon ``(q, r)``, circumradius 1, y upwards."""
    _check(layout)
    q, r = int(q), int(r)
    if layout.endswith("-r"):
        shifted = (r % 2 == 1) if layout == "odd-r" else (r % 2 == 0)
        return SQRT3 * (q + (0.5 if shifted else 0.0)), 1.5 * r
    shifted = (q % 2 == 1) if layout == "odd-q" else (q % 2 == 0)
    return 1.5 * q, SQRT3 * (r + (0.5 if shifted else 0.0))


def hex_polygon(q: int, r: int, layout: str = "odd-r") -> list[tuple[float, float]]:
    """The six vertices of hexagon ``(q, r)``, anticlockwise from the first after 0°
    (pointy-topped: 30°, 90° ...; flat-topped: 0°, 60° ...), rounded to 9 decimals."""
    x, y = hex_centre(q, r, layout)
    start = 30 if layout.endswith("-r") else 0
    return [(round(x + math.cos(math.radians(start + 60 * k)), 9),
             round(y + math.sin(math.radians(start + 60 * k)), 9)) for k in range(6)]


def features(frame: pd.DataFrame, layout: str, fields: list[str]) -> list[dict[str, Any]]:
    """GeoJSON features of ``frame``'s hexagons (columns ``q``, ``r`` and ``fields``)."""
    out = []
    for row in frame.to_dict("records"):
        ring = hex_polygon(row["q"], row["r"], layout)
        ring = [*ring[::-1], ring[-1]]  # clockwise, closed: d3's winding for a small polygon
        out.append({"type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
                    "properties": {f: _plain(row[f]) for f in fields}})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def hex_map(
    frame: pd.DataFrame,
    *,
    layout: str,
    colour: str,
    label: str,
    tooltip: list[tuple[str, str]],
    title: str,
    source: str,
    description: str,
    categories: dict[str, str] | None = None,
    legend_title: str = "",
    hex_px: float = 0.0,
) -> alt.LayerChart:
    """A hex cartogram of ``frame`` (one row per area: ``q``, ``r``, ``colour``, ``label``).

    ``categories`` (word -> colour, in legend order) colours by the words in ``colour``;
    without it, ``colour`` is a number drawn on a sequential scale (viridis). ``label`` is
    a short text written in each hexagon (the row's key in the table beside the map);
    ``tooltip`` lists ``(column, title)`` pairs shown on hover in the HTML. The map keeps
    the layout's proportions; ``hex_px`` fixes the hexagon size in px (default: the map
    fits 520 × 440 px).
    """
    _check(layout)
    if frame.empty:
        raise ValueError("a hex map needs at least one area")
    frame = frame.reset_index(drop=True)
    centres = [hex_centre(q, r, layout) for q, r in zip(frame["q"], frame["r"])]
    frame = frame.assign(_x=[c[0] for c in centres], _y=[c[1] for c in centres])
    xs, ys = frame["_x"], frame["_y"]
    span_x, span_y = float(xs.max() - xs.min()) + 2, float(ys.max() - ys.min()) + 2
    scale = hex_px or min(520 / span_x, 440 / span_y, 40)
    width, height = max(120, round(span_x * scale)), max(100, round(span_y * scale))
    fields = sorted({colour, label, *(c for c, _ in tooltip)})
    values = features(frame, layout, fields)
    tips = [alt.Tooltip(f"properties.{c}:N", title=t) for c, t in tooltip]
    if categories is not None:
        present = [k for k in categories if k in set(frame[colour])]
        fill = alt.Color(f"properties.{colour}:N", title=legend_title or None,
                         scale=alt.Scale(domain=present,
                                         range=[categories[k] for k in present]),
                         legend=alt.Legend(orient="bottom", direction="horizontal",
                                           symbolStrokeColor="#595959", symbolType="square",
                                           columns=3, labelLimit=260, titleLimit=480))
        ink = [LABEL_COLOURS.get(str(c), TEXT_COLOUR) for c in frame[colour]]
    else:
        fill = alt.Color(f"properties.{colour}:Q", title=legend_title or None,
                         scale=alt.Scale(scheme="viridis"),
                         legend=alt.Legend(orient="bottom", direction="horizontal",
                                           gradientLength=240, titleLimit=480))
        numbers = pd.to_numeric(frame[colour], errors="coerce")
        middle = float(numbers.min() + numbers.max()) / 2 if numbers.notna().any() else 0.0
        # viridis is dark at its low end: white text there, dark grey above the middle
        ink = ["#FFFFFF" if v < middle else TEXT_COLOUR for v in numbers.fillna(math.inf)]
    projection = {"type": "identity", "reflectY": True}
    # every hexagon in white first, so an area without a value is drawn (and fitted) too
    outline = alt.Chart(alt.Data(values=values)).mark_geoshape(
        fill="#FFFFFF", stroke="#595959", strokeWidth=0.8).encode(tooltip=tips).project(
        **projection)
    shapes = alt.Chart(alt.Data(values=values)).mark_geoshape(
        stroke="#595959", strokeWidth=0.8).encode(color=fill, tooltip=tips).project(
        **projection)
    labels_data = [{"lon": x, "lat": y, "ink": c, "properties": v["properties"]}
                   for (x, y), c, v in zip(centres, ink, values)]
    labels = alt.Chart(alt.Data(values=labels_data)).mark_text(
        fontSize=max(8, min(12, round(scale * 0.55))), fontWeight="bold").encode(
        longitude="lon:Q", latitude="lat:Q", text=f"properties.{label}:N",
        color=alt.Color("ink:N", scale=None), tooltip=tips).project(**projection)
    # the labels' colours are literal (no scale), so the layers keep separate colour scales
    chart = alt.layer(outline, shapes, labels).resolve_scale(color="independent").properties(
        width=width, height=height, title=title, description=description)
    chart = with_source(chart, source)
    # a long source line wraps instead of widening the chart beyond the map
    lines = textwrap.wrap(f"Source: {source}", width=max(60, round(width / 6)))
    return chart.properties(title=alt.TitleParams(text=title, subtitle=lines))
