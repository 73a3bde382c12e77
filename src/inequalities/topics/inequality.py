"""Chapter 6, inequality measures: the deprivation gradient and the A&E funnel plot.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`ypll_deciles` - premature mortality (IoD 2019 years of potential life lost
  indicator) per national deprivation decile, urban and rural small areas: the
  population-weighted mean and its standard error (:func:`decile_summary`);
  :func:`deciles_chart` draws it;
* :func:`gradients` - the slope (SII) and relative (RII) indices of inequality within urban
  and within rural areas and the rural - urban SII difference, read as most relative to
  least deprived (:func:`most_versus_least`); :func:`gradients_table` displays them.
  Method: OHID's Monte Carlo SII (:func:`inequalities.models.gradients`, 10,000
  simulations), estimated only for a kind of area with :data:`MIN_DECILES` or more deciles;
* :func:`ae_funnel` - A&E attendances over four hours per integrated care board over the
  latest 12 months (:func:`four_hour_totals`), each classed against England. England's 42
  ICBs are first tested for over-dispersion (Spiegelhalter 2005,
  :func:`inequalities.methods.overdispersion`, a national comparator so that every edition
  uses England's estimate); when present, the limits are Spiegelhalter's random-effects
  limits with England's between-ICB variance, otherwise OHID's funnel limits for
  proportions (:func:`inequalities.methods.funnel_significance`); :func:`ae_funnel_chart`
  draws it over 2 and 3 sigma limits;
* :func:`key_figures` - the figures chapter 6 quotes, as printed.

The national sources give values (scores, rates, years) per area but not counts, so the
gradient works on area values: :func:`decile_summary` is the input that
:func:`inequalities.models.gradients` takes with ``value=`` and ``se=``. NHS England
publishes A&E attendances and attendances over four hours by provider each month; the
staged file attributes them to ICBs, a proportion with numerator and denominator, which is
what a funnel plot needs. England's share is this chapter's national comparator
(:data:`MEASURES`).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from inequalities import methods, models
from inequalities.report import charts, numbers, outputs, wording
from inequalities.topics.base import EditionData, Measure

YPLL = "iod_ypll"
AE_INDICATOR = "ae_over_4h_pct"
#: Deprivation deciles (each with a standard error) a kind of area needs for its SII.
MIN_DECILES = 5
SIMULATIONS = 10_000
GAP = "Rural - Urban"
DEPRIVATION_SOURCE = ("MHCLG English Indices of Deprivation 2019; ONS mid-2019 population; "
                      "ONS RUC 2011")
AE_SOURCE = "NHS England A&E Attendances and Emergency Admissions, attributed to ICBs"
NO_SII = "not estimable here (too few deprivation deciles have areas of this kind)"
GRADIENT_COLUMNS = ["group", "measure", "estimate", "lower", "upper", "n", "note"]


def ypll_deciles(ed: EditionData) -> pd.DataFrame:
    """Premature mortality per deprivation decile, urban and rural (:func:`decile_summary`)."""
    return decile_summary(ed.data.indicator(YPLL), value="value")


def deciles_chart(deciles: pd.DataFrame) -> alt.LayerChart:
    """Dot and whisker chart of :func:`ypll_deciles`, with normal 95% intervals."""
    plot = deciles.assign(lower=deciles["value"] - 1.96 * deciles["se"],
                          upper=deciles["value"] + 1.96 * deciles["se"],
                          decile=deciles["urban_rural"].astype(str) + " decile "
                          + deciles["imd_decile"].astype(str))
    return charts.interval_chart(
        plot.dropna(subset=["lower"]), category="decile", estimate="value",
        colour="urban_rural", reference=None, sort=plot["decile"].tolist(),
        title="Premature mortality by deprivation decile",
        axis_title="Years of potential life lost (standardised indicator)",
        source=DEPRIVATION_SOURCE, description="YPLL by IMD decile, urban and rural")


def gradients(deciles: pd.DataFrame, *, seed: int | None) -> pd.DataFrame:
    """SII and RII within urban and within rural areas, and the rural - urban SII difference.

    Only kinds of area with :data:`MIN_DECILES` deciles that have a standard error are
    estimated; none gives an empty frame. Simulated with ``seed``, then read as most
    relative to least deprived (:func:`most_versus_least`). Columns: ``group``,
    ``measure`` ("sii" or "rii"), ``estimate``, ``lower``, ``upper``, ``n``, ``note``.
    """
    usable = deciles.dropna(subset=["se"])
    enough = usable.groupby("urban_rural")["imd_decile"].nunique()
    groups = [g for g in ["Urban", "Rural"] if enough.get(g, 0) >= MIN_DECILES]
    usable = usable[usable["urban_rural"].isin(groups)]
    if groups:
        sii = models.gradients(usable, quantile="imd_decile", population="population",
                               value="value", se="se", repetitions=SIMULATIONS, seed=seed,
                               rii=True, contrast=("Rural", "Urban"))
        sii = sii[sii["group"].isin([*groups, GAP])]
    else:
        sii = pd.DataFrame(columns=GRADIENT_COLUMNS)
    return most_versus_least(sii)


def gradients_table(gradient: pd.DataFrame) -> outputs.Table:
    """:func:`gradients` as the chapter's table ("not available" when there is none)."""
    table = gradient.assign(measure=gradient["measure"].str.upper())[
        ["group", "measure", "estimate", "lower", "upper"]].rename(columns={
            "group": "Areas", "measure": "Measure", "estimate": "Estimate",
            "lower": "Lower 95%", "upper": "Upper 95%"})
    if table.empty:
        table = pd.DataFrame({"Areas": ["not available"], "SII": [float("nan")]})
    return outputs.show_table(
        table, formats={c: "{:.2f}" for c in ["Estimate", "Lower 95%", "Upper 95%"]})


def four_hour_totals(indicators: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Attendances over four hours and all attendances per ICB over the latest ``months``.

    Columns: ``area_code``, ``over_4h``, ``attendances``, ``share`` (per cent), ``months``
    and ``period`` ("first to last" month). Empty when the indicator is absent.
    """
    rows = indicators[(indicators["indicator_id"] == AE_INDICATOR)
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


def _england_ae(ed: EditionData) -> float:
    """England's per cent of attendances over four hours, from the national comparators."""
    return float(ed.england("ae_over_4h_share")["England"])


def _overdispersion(indicators: pd.DataFrame) -> pd.DataFrame:
    """England's ICBs' over-dispersion against England's share: phi, p-value and tau2."""
    totals = four_hour_totals(indicators)
    if totals.empty:
        result = methods.overdispersion([], [])
    else:
        baseline = totals["over_4h"].sum() / totals["attendances"].sum()
        result = methods.overdispersion(totals["over_4h"], totals["attendances"],
                                        baseline=baseline)
    return pd.DataFrame({"group": ["phi", "p_value", "tau2", "units"],
                         "value": [result["phi"], result["p_value"], result["tau2"],
                                   result["units"]]})


def ae_tau2(ed: EditionData) -> float | None:
    """England's between-ICB variance of the four-hour share (a fraction squared) when the
    ICBs are over-dispersed (p < 0.05), else None (plain funnel limits)."""
    od = ed.england("ae_overdispersion")
    if not od["p_value"] < 0.05:
        return None
    return float(od["tau2"])


def ae_funnel(ed: EditionData) -> pd.DataFrame:
    """The edition's ICBs for the funnel plot: :func:`four_hour_totals` named and classed.

    Adds ``icb_code`` and ``icb_name`` and ``significance`` against England's share (OHID's
    labels, e.g. "High (0.001)" beyond the upper 3 sigma limit), allowing for England's
    over-dispersion (:func:`ae_tau2`); no rows, no classes.
    """
    ae = four_hour_totals(ed.data.indicators)
    ae = ae.merge(ed.data.areas[["icb_code", "icb_name"]].drop_duplicates(),
                  left_on="area_code", right_on="icb_code", how="left")
    if len(ae):
        ae["significance"] = methods.funnel_significance(
            ae["over_4h"], ae["attendances"], statistic="proportion",
            baseline=_england_ae(ed) / 100, tau2=ae_tau2(ed))["significance"].to_numpy()
    return ae


def ae_funnel_chart(ae: pd.DataFrame, ed: EditionData) -> alt.LayerChart:
    """Funnel plot of :func:`ae_funnel` around England's share, 2 and 3 sigma limits
    (random-effects limits when England's ICBs are over-dispersed)."""
    limits = methods.funnel_limits(ae["over_4h"], ae["attendances"], statistic="proportion",
                                   multiplier=100, baseline=_england_ae(ed),
                                   tau2=ae_tau2(ed))
    return charts.funnel_chart(
        ae, limits, x="attendances", y="share", label="icb_name",
        title="A&E attendances over four hours, by ICB",
        x_title="A&E attendances (12 months)", y_title="% over four hours",
        source=AE_SOURCE,
        description="Funnel plot of ICB four-hour performance against England")


def _interval_text(gradient: pd.DataFrame, group: str, decimals: int = 1) -> str:
    """One group's estimate and interval, or why there is none."""
    row = gradient[gradient["group"] == group]
    if row.empty:
        return NO_SII
    r = row.iloc[0]
    return wording.format_interval(r["estimate"], r["lower"], r["upper"], decimals)


def _gap_words(sii: pd.DataFrame) -> str:
    """How the rural gradient compares with the urban one, in words."""
    gap = sii[sii["group"] == GAP]
    if gap.empty:
        return "not estimable for this edition"
    r = gap.iloc[0]
    return wording.describe_difference(r["estimate"], r["lower"], r["upper"],
                                       what="rural areas", reference="urban areas",
                                       unit="points")


def _dispersion_words(ed: EditionData) -> str:
    """Whether England's ICBs vary more than chance, and so which limits are drawn."""
    od = ed.england("ae_overdispersion")
    if not od["units"] >= 3:
        return ("Too few boards have A&E data to test whether they vary more than chance "
                "alone would make them, so the limits are the plain binomial ones")
    test = f"dispersion ratio {numbers.number(od['phi'], 1)}, {numbers.p_value(od['p_value'])}"
    if od["p_value"] < 0.05:
        return (f"England's {int(od['units'])} boards vary far more than chance alone would "
                f"make them ({test}), so the limits allow for that extra variation between "
                "boards (Spiegelhalter's random-effects limits); a board outside them "
                "differs from England by more than boards usually do")
    return (f"England's {int(od['units'])} boards vary no more than chance would make them "
            f"({test}), so the limits are the plain binomial ones")


def _beyond(ae: pd.DataFrame, label: str) -> int:
    """Number of ICBs whose class starts with ``label`` (0 without ICBs)."""
    return int(ae["significance"].str.startswith(label).sum()) if len(ae) else 0


def key_figures(ed: EditionData, gradient: pd.DataFrame, ae: pd.DataFrame) -> dict[str, str]:
    """The figures chapter 6 quotes: from :func:`gradients` and :func:`ae_funnel`."""
    sii = gradient[gradient["measure"] == "sii"]
    rii = gradient[gradient["measure"] == "rii"]
    return {
        "inequality.ae_icbs": str(len(ae)),
        "inequality.ae_england": f"{_england_ae(ed):.1f}%",
        "inequality.ae_above": str(_beyond(ae, "High (0.001)")),
        "inequality.ae_below": str(_beyond(ae, "Low (0.001)")),
        "inequality.ae_period": ae["period"].iloc[0] if len(ae) else "not available",
        "inequality.ae_dispersion": _dispersion_words(ed),
        "inequality.sii_urban": _interval_text(sii, "Urban"),
        "inequality.sii_rural": _interval_text(sii, "Rural"),
        "inequality.sii_gap": _interval_text(sii, GAP),
        "inequality.sii_gap_words": _gap_words(sii),
        "inequality.rii_urban": _interval_text(rii, "Urban", 2),
        "inequality.rii_rural": _interval_text(rii, "Rural", 2),
    }


def decile_summary(frame: pd.DataFrame, *, value: str, population: str = "population",
                   quantile: str = "imd_decile",
                   by: Sequence[str] = ("urban_rural",)) -> pd.DataFrame:
    """Population-weighted mean of ``value`` per ``by`` x ``quantile``, with its standard error.

    The standard error is that of a weighted mean with Kish's effective sample size,
    ``sd_w / sqrt(n_eff)`` where ``n_eff = (sum w)^2 / sum w^2`` and ``sd_w`` is the weighted
    standard deviation; quantiles with a single area get a missing standard error.
    Columns: the ``by`` columns, ``quantile``, ``value``, ``se``, ``population``, ``areas``.
    """
    keys = [*by, quantile]
    missing = {value, population, *keys} - set(frame.columns)
    if missing:
        raise ValueError(f"decile_summary: column(s) {sorted(missing)} not in the frame")
    data = frame[[*keys, value, population]].dropna()
    w = data[population].astype(float)
    data = data.assign(_w=w, _wx=w * data[value], _wxx=w * data[value] ** 2, _ww=w * w)
    grouped = data.groupby(keys, observed=True, as_index=False).agg(
        population=("_w", "sum"), _wx=("_wx", "sum"), _wxx=("_wxx", "sum"),
        _ww=("_ww", "sum"), areas=(value, "size"))
    mean = grouped["_wx"] / grouped["population"]
    variance = (grouped["_wxx"] / grouped["population"] - mean**2).clip(lower=0)
    n_eff = grouped["population"] ** 2 / grouped["_ww"]
    se = np.sqrt(variance / n_eff).where(grouped["areas"] > 1)
    out = grouped[keys].assign(value=mean, se=se, population=grouped["population"],
                               areas=grouped["areas"])
    return out.sort_values(keys).reset_index(drop=True)


def t_interval(mean: float, se: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Student-t interval for a mean (helper for prose)."""
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
    return mean - half, mean + half


def most_versus_least(gradient: pd.DataFrame) -> pd.DataFrame:
    """Re-express OHID SII/RII rows as "most deprived relative to least deprived".

    OHID's SII runs from the most to the least deprived end, so a health burden that falls
    with affluence gives a negative SII and an RII below 1. For reading, the SII is negated
    (most minus least) and the RII inverted (most divided by least), limits swapped. The
    difference of two RIIs has no such simple inverse, so ``rii`` rows of a gap group (a
    ``group`` containing " - ") are dropped; SII gap rows are negated like the others.
    Expects ``measure``, ``estimate``, ``lower``, ``upper`` columns.
    """
    out = gradient.copy()
    sii = out["measure"] == "sii"
    rii = out["measure"] == "rii"
    gap = out["group"].astype(str).str.contains(" - ", regex=False)
    out = out[~(rii & gap)].copy()
    sii, rii = sii[out.index], rii[out.index]
    est, low, up = out["estimate"].copy(), out["lower"].copy(), out["upper"].copy()
    out.loc[sii, "estimate"], out.loc[sii, "lower"], out.loc[sii, "upper"] = (
        -est[sii], -up[sii], -low[sii])
    out.loc[rii, "estimate"], out.loc[rii, "lower"], out.loc[rii, "upper"] = (
        1 / est[rii], 1 / up[rii], 1 / low[rii])
    return out.reset_index(drop=True)


#: England's comparator for the A&E funnel plot (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("ae_over_4h_share", lambda dataset: england_share(dataset.indicators), 2,
            "Per cent of A&E attendances over four hours in England, latest 12 months"),
    Measure("ae_overdispersion", lambda dataset: _overdispersion(dataset.indicators), 10,
            "Over-dispersion of England's ICBs' four-hour shares: phi, p-value, tau2, units"),
)
