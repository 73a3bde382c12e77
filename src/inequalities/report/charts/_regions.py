"""Charts that compare regions with England."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from inequalities.report.charts._theme import COLOURS, with_source


def region_bars(
    frame: pd.DataFrame,
    *,
    value: str,
    title: str,
    axis_title: str,
    highlight: str | Iterable[str] | None,
    source: str,
    description: str,
    highlight_label: str = "This edition",
) -> alt.Chart:
    """Horizontal bars of ``value`` per region, England as a reference rule.

    ``frame`` has ``region_code``, ``region_name`` and ``value`` (England's row has code
    E92000001); ``highlight`` is the region code of the edition (or the codes of the regions
    an edition that is not a region lies in), drawn in the region colour and named in the
    legend as ``highlight_label``. The legend appears only when a bar is highlighted.
    """
    england = frame.loc[frame["region_code"] == "E92000001", value]
    regions = frame.loc[frame["region_code"] != "E92000001"].copy()
    marked = {highlight} if isinstance(highlight, str) else set(highlight or ())
    regions["role"] = [highlight_label if code in marked else "Other regions"
                       for code in regions["region_code"]]
    shown = bool(marked & set(regions["region_code"]))
    bars = alt.Chart(regions).mark_bar().encode(
        y=alt.Y("region_name:N", title=None, sort=alt.SortField("region_code")),
        x=alt.X(f"{value}:Q", title=axis_title),
        color=alt.Color("role:N", title=None,
                        legend=alt.Legend() if shown else None,
                        scale=alt.Scale(domain=[highlight_label, "Other regions"],
                                        range=[COLOURS["Region"], COLOURS["Other"]])),
        tooltip=[alt.Tooltip("region_name:N", title="Region"),
                 alt.Tooltip(f"{value}:Q", title=axis_title, format=".1f")],
    )
    layers = [bars]
    if len(england):
        rule_frame = pd.DataFrame({value: [float(england.iloc[0])], "label": ["England"]})
        layers.append(alt.Chart(rule_frame).mark_rule(color=COLOURS["England"], strokeDash=[4, 3],
                                                      strokeWidth=2)
                      .encode(x=f"{value}:Q", tooltip=[alt.Tooltip(f"{value}:Q", title="England",
                                                                   format=".1f")]))
    chart = alt.layer(*layers).properties(width=520, height=260, title=title,
                                          description=description)
    return with_source(chart, source)
