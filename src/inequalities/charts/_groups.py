"""Interval charts comparing types of place (urban, rural, coastal) with England."""

from __future__ import annotations

import altair as alt
import pandas as pd

from inequalities.charts._theme import COLOURS, with_source

_GROUP_COLOURS = {"All areas": COLOURS["Region"], "Urban": COLOURS["Urban"],
                  "Rural": COLOURS["Rural"], "Coastal": COLOURS["Coastal"],
                  "Non-coastal": COLOURS["Non-coastal"]}


def group_intervals(
    frame: pd.DataFrame,
    *,
    axis_title: str,
    title: str,
    source: str,
    description: str,
    panel: str | None = None,
    decimals: int = 1,
    width: int = 440,
) -> alt.TopLevelMixin:
    """Point + 95% interval per place group, with England's value as a black tick.

    ``frame`` has ``group`` (All areas/Urban/Rural/Coastal/Non-coastal), ``value``,
    ``lower``, ``upper``, ``n`` and optionally ``england`` (England's value of the same
    group; missing where there is none). ``panel`` names a column to facet rows by (e.g.
    sex or indicator); each panel gets its own x scale.
    """
    data = frame.copy()
    if "england" not in data:
        data["england"] = float("nan")
    order = [g for g in _GROUP_COLOURS if g in set(data["group"])]
    fmt = f",.{decimals}f"
    y = alt.Y("group:N", title=None, sort=order)
    colour = alt.Color("group:N", title=None, legend=None,
                       scale=alt.Scale(domain=order, range=[_GROUP_COLOURS[g] for g in order]))
    tooltip = [alt.Tooltip("group:N", title="Group"),
               alt.Tooltip("value:Q", title="Estimate", format=fmt),
               alt.Tooltip("lower:Q", title="95% CI lower", format=fmt),
               alt.Tooltip("upper:Q", title="95% CI upper", format=fmt),
               alt.Tooltip("n:Q", title="Areas"),
               alt.Tooltip("england:Q", title="England", format=fmt)]
    if panel:
        tooltip.insert(0, alt.Tooltip(f"{panel}:N"))
    base = alt.Chart()
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lower:Q", title=axis_title, scale=alt.Scale(zero=False)), x2="upper:Q",
        color=colour, tooltip=tooltip)
    points = base.mark_point(filled=True, size=70).encode(
        y=y, x="value:Q", color=colour, tooltip=tooltip)
    england = base.transform_filter("isValid(datum.england)").mark_tick(
        color=COLOURS["England"], thickness=2, size=16).encode(
        y=y, x="england:Q", tooltip=tooltip)
    layered = alt.layer(bars, points, england, data=data).properties(
        width=width, height=26 * len(order))
    if panel:
        panels = list(dict.fromkeys(data[panel].astype(str)))
        chart = layered.facet(row=alt.Row(f"{panel}:N", title=None, sort=panels,
                                          header=alt.Header(labelAngle=0, labelAlign="left")),
                              ).resolve_scale(x="independent")
    else:
        chart = layered
    chart = chart.properties(title=title, description=description)
    return with_source(chart, source + ". Black tick: England.")
