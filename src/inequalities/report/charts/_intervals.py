"""Estimates with confidence intervals: dot-and-whisker charts."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from inequalities.report.charts._theme import COLOURS, with_source


def _tooltip(first: alt.Tooltip, estimate: str, name: str, lower: str,
             upper: str) -> list[alt.Tooltip]:
    """Return the tooltip of an estimate: ``first``, then the estimate and its 95% limits."""
    return [first, alt.Tooltip(f"{estimate}:Q", title=name, format=".2f"),
            alt.Tooltip(f"{lower}:Q", title="Lower 95% limit", format=".2f"),
            alt.Tooltip(f"{upper}:Q", title="Upper 95% limit", format=".2f")]


def interval_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    estimate: str = "estimate",
    lower: str = "lower",
    upper: str = "upper",
    title: str,
    axis_title: str,
    source: str,
    description: str,
    colour: str | None = None,
    reference: float | None = 0.0,
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """Dots at ``estimate`` with whiskers from ``lower`` to ``upper``, one row per ``category``.

    ``colour`` names a column whose values are keys of :data:`COLOURS` (Urban, Rural ...);
    ``reference`` draws a dashed rule at no difference (0 for differences, 1 for ratios);
    without one (levels, not differences) the axis need not start at zero.
    """
    y = alt.Y(f"{category}:N", title=None, sort=sort or None)
    colour_enc = (alt.Color(f"{colour}:N", title=None,
                            scale=alt.Scale(domain=[k for k in COLOURS if k in set(frame[colour])],
                                            range=[v for k, v in COLOURS.items()
                                                   if k in set(frame[colour])]))
                  if colour else alt.value(COLOURS["Region"]))
    tooltip = _tooltip(alt.Tooltip(f"{category}:N"), estimate, "Estimate", lower, upper)
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X(f"{lower}:Q", title=axis_title,
                     scale=alt.Scale(zero=reference is not None)), x2=f"{upper}:Q",
        color=colour_enc,
        tooltip=tooltip)
    dots = base.mark_point(filled=True, size=80).encode(
        y=y, x=f"{estimate}:Q", color=colour_enc, tooltip=tooltip)
    layers = [rules, dots]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"x": [reference]})).mark_rule(
            color=COLOURS["England"], strokeDash=[4, 3]).encode(x="x:Q"))
    height = max(80, 28 * frame[category].nunique())
    chart = alt.layer(*layers).properties(width=460, height=height, title=title,
                                          description=description)
    return with_source(chart, source)


#: Colours of the series of :func:`interval_line` (Okabe-Ito, as :data:`COLOURS`).
SERIES_COLOURS = ("#CC79A7", "#0072B2", "#D55E00", "#009E73")


def interval_line(
    frame: pd.DataFrame,
    *,
    x: str,
    estimate: str = "gap",
    lower: str = "lower",
    upper: str = "upper",
    title: str,
    axis_title: str,
    source: str,
    description: str,
    series: str | None = None,
) -> alt.LayerChart:
    """A line of ``estimate`` over ``x`` (periods) with a shaded confidence band and a zero rule.

    ``series`` names a column with one line and band per value (e.g. ``sex``), coloured and
    named in a legend; without it one line in the rural colour.
    """
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:N", title=None, sort=None))
    tooltip = _tooltip(alt.Tooltip(f"{x}:N", title="Period"), estimate, "Gap", lower, upper)
    if series:
        names = list(dict.fromkeys(frame[series].astype(str)))
        colour = alt.Color(f"{series}:N", title=None, sort=names,
                           scale=alt.Scale(domain=names,
                                           range=list(SERIES_COLOURS[:len(names)])))
        tooltip = [alt.Tooltip(f"{series}:N"), *tooltip]
        band = base.mark_area(opacity=0.2).encode(
            y=alt.Y(f"{lower}:Q", title=axis_title), y2=f"{upper}:Q", color=colour)
        line = base.mark_line(point=True).encode(y=f"{estimate}:Q", color=colour,
                                                 tooltip=tooltip)
    else:
        band = base.mark_area(opacity=0.25, color=COLOURS["Rural"]).encode(
            y=alt.Y(f"{lower}:Q", title=axis_title), y2=f"{upper}:Q")
        line = base.mark_line(point=True, color=COLOURS["Rural"]).encode(
            y=f"{estimate}:Q", tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(
        color=COLOURS["England"], strokeDash=[4, 3]).encode(y="y:Q")
    chart = alt.layer(band, zero, line).properties(width=500, height=240, title=title,
                                                   description=description)
    return with_source(chart, source)


#: The funnel chart's lines, as its legend names them, with their colours and dashes.
FUNNEL_LINES = {"England": (COLOURS["England"], [1, 0]),
                "2 sigma limits": ("#767676", [4, 3]),
                "3 sigma limits": ("#B04A00", [2, 2])}


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    title: str,
    x_title: str,
    y_title: str,
    source: str,
    description: str,
    unit_name: str = "Boards",
    highlight: Iterable[str] = (),
    highlight_name: str = "",
) -> alt.LayerChart:
    """Units as points over 2- and 3-sigma funnel limits around a baseline (England).

    ``limits`` is :func:`inequalities.methods.funnel_limits` output (``population``, ``value``,
    ``lower_2s`` ... ``upper_3s``); ``points`` has ``x``, ``y``, ``label`` and ``significance``.
    The limits are drawn only over the units' own range of ``x`` (from 80% of the smallest
    to 120% of the largest), so limits at tiny denominators, which span 0-100%, do not set
    the vertical axis; units beyond the 3-sigma limits are labelled by name.

    A legend names the lines (England, 2 and 3 sigma limits) and the points: the units
    whose ``label`` is in ``highlight`` (an edition's own boards drawn among England's) are
    drawn in their own colour, named in the legend as ``highlight_name`` and labelled;
    the others are ``unit_name``.
    """
    low, high = 0.8 * points[x].min(), 1.2 * points[x].max()
    shown = limits[(limits["population"] >= low) & (limits["population"] <= high)]
    long = shown.melt(id_vars=["population"], value_vars=["lower_3s", "lower_2s", "value",
                                                          "upper_2s", "upper_3s"],
                      var_name="line", value_name="limit")
    names = {"lower_3s": "3 sigma limits", "upper_3s": "3 sigma limits",
             "lower_2s": "2 sigma limits", "upper_2s": "2 sigma limits", "value": "England"}
    long["band"] = long["line"].map(names)
    values = pd.concat([points[y], long["limit"]]).astype(float)
    pad = 0.05 * float(values.max() - values.min()) or 1.0
    y_scale = alt.Scale(domain=[float(values.min()) - pad, float(values.max()) + pad],
                        zero=False)
    x_scale = alt.Scale(domain=[float(low), float(high)], zero=False)
    order = list(FUNNEL_LINES)
    lines = alt.Chart(long).mark_line(strokeWidth=1.5).encode(
        x=alt.X("population:Q", title=x_title, scale=x_scale),
        y=alt.Y("limit:Q", title=y_title, scale=y_scale),
        detail="line:N",
        color=alt.Color("band:N", title="Lines", sort=order,
                        scale=alt.Scale(domain=order,
                                        range=[c for c, _ in FUNNEL_LINES.values()]),
                        legend=alt.Legend(symbolType="stroke", symbolSize=300,
                                          symbolStrokeWidth=2)),
        strokeDash=alt.StrokeDash("band:N", title="Lines", sort=order,
                                  scale=alt.Scale(domain=order,
                                                  range=[d for _, d in FUNNEL_LINES.values()])))
    own = set(highlight)
    points = points.assign(_who=[highlight_name if str(v) in own else unit_name
                                 for v in points[label]])
    who = [unit_name] + ([highlight_name] if own & set(points[label].astype(str)) else [])
    points = points.sort_values("_who", key=lambda s: s.eq(highlight_name), kind="stable")
    dots = alt.Chart(points).mark_point(filled=True, size=70, opacity=0.9).encode(
        x=alt.X(f"{x}:Q", scale=x_scale), y=alt.Y(f"{y}:Q", scale=y_scale),
        color=alt.Color("_who:N", title="Points", sort=who,
                        legend=alt.Legend(labelLimit=480),  # a board's full name
                        scale=alt.Scale(domain=who,
                                        range=[COLOURS["Region"], COLOURS["Urban"]][:len(who)])),
        shape=alt.Shape("_who:N", title="Points", sort=who,
                        scale=alt.Scale(domain=who, range=["circle", "diamond"][:len(who)])),
        # A nominal size scale with one size draws nothing in Vega, so a single kind of
        # point gets a constant size.
        size=(alt.Size("_who:N", legend=None, sort=who,
                       scale=alt.Scale(domain=who, range=[60, 160]))
              if len(who) > 1 else alt.value(60)),
        tooltip=[alt.Tooltip(f"{label}:N", title="Area"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=".1f"),
                 alt.Tooltip(f"{x}:Q", title=x_title, format=",.0f"),
                 alt.Tooltip("significance:N", title="Against England")])
    named = points[points["significance"].astype(str).str.contains("0.001", regex=False)
                   | points[label].astype(str).isin(own)]
    # Names of points in the right half of the plot run leftwards, so they stay inside it.
    right = named[x] > (low + high) / 2
    names_layers = [
        alt.Chart(part).mark_text(align=align, dx=dx, fontSize=10).encode(
            x=alt.X(f"{x}:Q", scale=x_scale), y=alt.Y(f"{y}:Q", scale=y_scale),
            text=f"{label}:N")
        for part, align, dx in ((named[~right], "left", 7), (named[right], "right", -7))]
    chart = alt.layer(lines, dots, *names_layers).resolve_scale(
        color="independent", strokeDash="independent", shape="independent").properties(
        width=500, height=300, title=title, description=description)
    return with_source(chart, source)
