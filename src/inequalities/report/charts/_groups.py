"""Interval charts comparing types of place (urban, rural, coastal) with England."""

from __future__ import annotations

import altair as alt
import pandas as pd

from inequalities.report.charts._theme import COLOURS, with_source

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
    columns: int | None = None,
    order: list[str] | None = None,
    unit_label: str = "Areas",
) -> alt.TopLevelMixin:
    """Point + 95% interval per place group, with England's value as a black tick.

    ``frame`` has ``group`` (All areas/Urban/Rural/Coastal/Non-coastal), ``value``,
    ``lower``, ``upper``, ``n`` and optionally ``england`` (England's value of the same
    group; missing where there is none). ``panel`` names a column to facet rows by (e.g.
    sex or indicator); each panel gets its own x scale. ``columns`` wraps the panels into
    that many columns (give a smaller ``width``) so that tall figures fit a page.
    ``order`` gives other groups (e.g. deprivation deciles) in the order shown, drawn in
    the region colour where they are not place groups; ``unit_label`` names ``n`` in the
    tooltip (Areas, Practices).
    """
    data = frame.copy()
    if "england" not in data:
        data["england"] = float("nan")
    order = ([g for g in order if g in set(data["group"])] if order is not None
             else [g for g in _GROUP_COLOURS if g in set(data["group"])])
    fmt = f",.{decimals}f"
    y = alt.Y("group:N", title=None, sort=order)
    palette = [_GROUP_COLOURS.get(g, COLOURS["Region"]) for g in order]
    colour = alt.Color("group:N", title=None, legend=None,
                       scale=alt.Scale(domain=order, range=palette))
    tooltip = [alt.Tooltip("group:N", title="Group"),
               alt.Tooltip("value:Q", title="Estimate", format=fmt),
               alt.Tooltip("lower:Q", title="95% CI lower", format=fmt),
               alt.Tooltip("upper:Q", title="95% CI upper", format=fmt),
               alt.Tooltip("n:Q", title=unit_label),
               alt.Tooltip("england:Q", title="England", format=fmt)]
    if panel:
        tooltip.insert(0, alt.Tooltip(f"{panel}:N"))
    base = alt.Chart()
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lower:Q", title=axis_title, scale=alt.Scale(zero=False)), x2="upper:Q",
        color=colour, tooltip=tooltip)
    points = base.mark_point(filled=True, size=70).encode(
        y=y, x="value:Q", color=colour, tooltip=tooltip)
    # aria=False: where a panel has no England value the tick layer is empty, and an empty
    # mark group would otherwise be an image without alternative text (axe: svg-img-alt);
    # the figure's own aria-label describes the ticks.
    england = base.transform_filter("isValid(datum.england)").mark_tick(aria=False,
        color=COLOURS["England"], thickness=2, size=16).encode(
        y=y, x="england:Q", tooltip=tooltip)
    layered = alt.layer(bars, points, england, data=data).properties(
        width=width, height=(20 if panel else 26) * len(order))
    if panel:
        panels = list(dict.fromkeys(data[panel].astype(str)))
        header = alt.Header(labelOrient="top", labelAnchor="start", labelFontWeight="bold")
        if columns:
            chart = layered.facet(facet=alt.Facet(f"{panel}:N", title=None, sort=panels,
                                                  header=header),
                                  columns=columns).resolve_scale(x="independent")
        else:
            chart = layered.facet(row=alt.Row(f"{panel}:N", title=None, sort=panels,
                                              header=header)).resolve_scale(x="independent")
    else:
        chart = layered
    chart = chart.properties(title=title, description=description)
    return with_source(chart, source + ". Black tick: England.")


def group_bars(
    frame: pd.DataFrame,
    *,
    value: str,
    axis_title: str,
    title: str,
    source: str,
    description: str,
    decimals: int = 1,
) -> alt.TopLevelMixin:
    """Horizontal bars of ``value`` per place ``group``, England's value as a black tick.

    ``frame`` has ``group``, ``value`` and optionally ``england`` (missing where none).
    """
    data = frame.copy()
    if "england" not in data:
        data["england"] = float("nan")
    colours = {**_GROUP_COLOURS, "Core20": COLOURS["Region"]}
    data["colour_key"] = data["group"].map(lambda g: "Core20" if str(g).startswith("Core20")
                                           else g)
    order = list(dict.fromkeys(data["group"]))
    keys = list(dict.fromkeys(data["colour_key"]))
    fmt = f",.{decimals}f"
    tooltip = [alt.Tooltip("group:N", title="Group"),
               alt.Tooltip(f"{value}:Q", title=axis_title, format=fmt),
               alt.Tooltip("england:Q", title="England", format=fmt)]
    y = alt.Y("group:N", title=None, sort=order)
    bars = alt.Chart().mark_bar().encode(
        y=y, x=alt.X(f"{value}:Q", title=axis_title),
        color=alt.Color("colour_key:N", legend=None,
                        scale=alt.Scale(domain=keys, range=[colours.get(k, COLOURS["Other"])
                                                            for k in keys])),
        tooltip=tooltip)
    england = alt.Chart().transform_filter("isValid(datum.england)").mark_tick(aria=False,
        color=COLOURS["England"], thickness=2, size=20).encode(y=y, x="england:Q",
                                                                tooltip=tooltip)
    chart = alt.layer(bars, england, data=data).properties(
        width=440, height=28 * len(order), title=title, description=description)
    return with_source(chart, source + ". Black tick: England.")


#: Sequential colours for IMD quintiles, most deprived (1) darkest (after ColorBrewer Purples;
#: the lightest is kept visible against white, and bars are outlined).
QUINTILE_COLOURS = ["#3f007d", "#6a51a3", "#807dba", "#bcbddc", "#e3e2f0"]


def quintile_bars(
    frame: pd.DataFrame, *, title: str, source: str, description: str
) -> alt.TopLevelMixin:
    """100% stacked bars: share of each row's population by national IMD quintile.

    ``frame`` has ``row`` (bar label, in display order), ``imd_quintile`` (1-5) and
    ``share`` (per cent).
    """
    data = frame.copy()
    data["quintile"] = data["imd_quintile"].map(
        lambda q: f"{int(q)} (most deprived)" if q == 1 else
        (f"{int(q)} (least deprived)" if q == 5 else str(int(q))))
    labels = [f"{q} (most deprived)" if q == 1 else (f"{q} (least deprived)" if q == 5
                                                     else str(q)) for q in range(1, 6)]
    rows = list(dict.fromkeys(data["row"]))
    chart = alt.Chart(data).mark_bar(stroke="#595959", strokeWidth=0.5).encode(
        y=alt.Y("row:N", title=None, sort=rows),
        x=alt.X("share:Q", title="% of population", stack="zero",
                scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("quintile:N", title="National IMD quintile",
                        scale=alt.Scale(domain=labels, range=QUINTILE_COLOURS),
                        legend=alt.Legend(orient="bottom", columns=5, titleLimit=300)),
        order=alt.Order("imd_quintile:Q"),
        tooltip=[alt.Tooltip("row:N", title="Group"), alt.Tooltip("quintile:N", title="Quintile"),
                 alt.Tooltip("share:Q", title="% of population", format=".1f")],
    ).properties(width=400, height=22 * len(rows), title=title, description=description)
    return with_source(chart, source)
