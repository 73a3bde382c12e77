"""A&E four-hour performance by integrated care board, for the funnel plot.

NHS England publishes attendances and attendances over four hours by provider each month;
the staged file attributes them to ICBs. :func:`four_hour_totals` sums the latest
``months`` months per ICB; the share over four hours is a proportion with a numerator
and denominator, which is what a funnel plot needs.
"""

from __future__ import annotations

import pandas as pd

from inequalities.topics.base import Measure

INDICATOR = "ae_over_4h_pct"


def four_hour_totals(indicators: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Attendances over four hours and all attendances per ICB over the latest ``months``.

    Columns: ``area_code``, ``over_4h``, ``attendances``, ``share`` (per cent), ``months``
    and ``period`` ("first to last" month). Empty when the indicator is absent.
    """
    rows = indicators[(indicators["indicator_id"] == INDICATOR)
                      & (indicators["area_level"].astype(str) == "ICB")]
    rows = rows.dropna(subset=["count", "denominator"])
    columns = ["area_code", "over_4h", "attendances", "share", "months", "period"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    periods = sorted(rows["period"].astype(str).unique())[-months:]
    recent = rows[rows["period"].astype(str).isin(periods)]
    totals = (recent.groupby("area_code", observed=True, as_index=False)
              .agg(over_4h=("count", "sum"), attendances=("denominator", "sum"),
                   months=("period", "nunique")))
    totals["share"] = 100 * totals["over_4h"] / totals["attendances"]
    totals["period"] = f"{periods[0]} to {periods[-1]}"
    return totals[columns].sort_values("area_code").reset_index(drop=True)


def england_share(indicators: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """England's share over four hours (per cent) as a national measure row."""
    totals = four_hour_totals(indicators, months)
    value = (100 * totals["over_4h"].sum() / totals["attendances"].sum()
             if len(totals) else float("nan"))
    return pd.DataFrame({"group": ["England"], "value": [value]})


#: England's comparator for the A&E funnel plot (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("ae_over_4h_share", lambda dataset: england_share(dataset.indicators), 2,
            "Per cent of A&E attendances over four hours in England, latest 12 months"),
)
