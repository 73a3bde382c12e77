"""Chapter 6, inequality measures: the deprivation gradient and the A&E funnel plot.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`ypll_deciles` - premature mortality (the years of potential life lost indicator
  of the data vintage's Indices of Deprivation) per national *income* deprivation decile
  (:data:`DEPRIVATION`), urban and rural small areas: the population-weighted mean and its
  standard error
  (:func:`decile_summary`); :func:`deciles_chart` draws it. The deciles are those of the
  IoD income domain, not of the IMD: the IMD includes the Health Deprivation and Disability
  domain, of which the years-of-potential-life-lost indicator is itself one component, so
  grading this outcome by the IMD would be circular and steepen the gradient;
* :func:`gradients` - the slope (SII) and relative (RII) indices of inequality within urban
  and within rural areas and the rural - urban SII difference, read as most relative to
  least deprived (:func:`most_versus_least`). Method: OHID's Monte Carlo SII
  (:func:`inequalities.models.gradients`, 10,000 simulations), estimated only for a kind of
  area with :data:`MIN_DECILES` or more deciles;
* :func:`ae_funnel` - A&E attendances over four hours per integrated care board over the
  latest 12 months (:func:`four_hour_totals`), each classed against England. England's 42
  ICBs are first tested for over-dispersion (Spiegelhalter 2005,
  :func:`inequalities.methods.overdispersion`, a national comparator so that every edition
  uses England's estimate); when present, the limits are Spiegelhalter's random-effects
  limits with England's between-ICB variance, otherwise OHID's funnel limits for
  proportions (:func:`inequalities.methods.funnel_significance`); :func:`ae_funnel_chart`
  draws it over 2 and 3 sigma limits. An edition with fewer than :data:`MIN_FUNNEL_ICBS`
  boards has no funnel of its own: the chart shows England's boards and
  :func:`ae_boards_table` its own boards against England, classed the same way;
* :func:`statistics` - the chapter's ledger rows (:mod:`inequalities.report.ledger`);
  :func:`gradients_table`, :func:`ae_boards_table` and :func:`key_figures` format from them.

The national sources give values (scores, rates, years) per area but not counts, so the
gradient works on area values: :func:`decile_summary` is the input that
:func:`inequalities.models.gradients` takes with ``value=`` and ``se=``. NHS England
publishes A&E attendances and attendances over four hours by provider each month; the
staged file attributes them to ICBs, a proportion with numerator and denominator, which is
what a funnel plot needs. England's share is this chapter's national comparator
(:data:`MEASURES`).
"""

from __future__ import annotations

import math

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from inequalities import methods, models
from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "area_code", "icb_code", "icb_name", "urban_rural", "income_decile", "population",
    ),
    "indicators": ALL,
}

TOPIC = "inequality"
YPLL = "iod_ypll"
AE_INDICATOR = "ae_over_4h_pct"
#: The deprivation measure of the gradient: IoD income domain deciles (1 = most
#: income-deprived 10% of England's small areas). It has no health domain in it.
DEPRIVATION = "income_decile"
#: The unit of the years-of-potential-life-lost indicator, as the ledger prints it.
UNIT = "indicator points"
#: Deprivation deciles (each with a standard error) a kind of area needs for its SII.
MIN_DECILES = 5
#: Integrated care boards an edition needs for a funnel plot of its own.
MIN_FUNNEL_ICBS = 5
SIMULATIONS = 10_000
GAP = "Rural - Urban"
GROUP_NAMES = {"Urban": "Urban", "Rural": "Rural", GAP: "Rural minus urban"}
AE_SOURCE = "NHS England A&E Attendances and Emergency Admissions, attributed to ICBs"
NO_SII = "not estimated: fewer than 5 income deprivation deciles have small areas of this kind"
GRADIENT_COLUMNS = ["group", "measure", "estimate", "lower", "upper", "n", "note"]
SII_METHOD = ("Slope index of inequality across income deprivation deciles (OHID Monte Carlo "
              "method, 10,000 simulations), most minus least deprived")
RII_METHOD = ("Relative index of inequality across income deprivation deciles (OHID Monte "
              "Carlo method, 10,000 simulations), most divided by least deprived")
#: OHID's funnel classes in words, against England.
CLASS_WORDS = {"High (0.001)": "above the upper 3 sigma limit",
               "High (0.025)": "between the upper 2 and 3 sigma limits",
               "Not significant": "within the 2 sigma limits",
               "Low (0.025)": "between the lower 2 and 3 sigma limits",
               "Low (0.001)": "below the lower 3 sigma limit"}


def ypll_deciles(ed: EditionData) -> pd.DataFrame:
    """Premature mortality per income deprivation decile, urban and rural
    (:func:`decile_summary` over :data:`DEPRIVATION`)."""
    return decile_summary(ed.data.indicator(YPLL), value="value", quantile=DEPRIVATION)


def _decile_name(decile: int) -> str:
    """``"decile 1 (most deprived)"``, ``"decile 10 (least deprived)"``, ``"decile 4"``."""
    end = {1: " (most deprived)", 10: " (least deprived)"}.get(int(decile), "")
    return f"decile {int(decile)}{end}"


def deprivation_source(ed: EditionData) -> str:
    """Source of the gradient: the vintage's Indices (the outcome and the deciles), its
    population base (the weights) and its rural-urban classification."""
    v = ed.vintage
    return (f"{v.deprivation_source} (income domain; years of potential life lost "
            f"indicator); {v.population_short}; ONS {v.ruc}")


def deciles_chart(stats: pd.DataFrame) -> alt.LayerChart:
    """Dot and whisker chart of the decile rows of :func:`statistics` (normal 95% intervals
    of :func:`ypll_deciles`); the labels say that decile 1 is the most deprived."""
    plot = stats[stats["key"].str.startswith("inequality.ypll_decile.")
                 & stats["lower"].notna()]
    plot = plot.assign(urban_rural=plot["group"].str.split(",").str[0])
    return charts.interval_chart(
        plot, category="group", estimate="value", colour="urban_rural", reference=None,
        sort=plot["group"].tolist(),
        title="Premature mortality by income deprivation decile (1 = most deprived)",
        axis_title="Years of potential life lost indicator (age- and sex-standardised)",
        source=str(stats.loc[stats["key"].str.startswith("inequality.ypll_decile."),
                             "source"].iloc[0]),
        description="YPLL indicator by income deprivation decile, urban and rural")


def gradients(deciles: pd.DataFrame, *, seed: int | None) -> pd.DataFrame:
    """SII and RII within urban and within rural areas, and the rural - urban SII difference.

    Only kinds of area with :data:`MIN_DECILES` deciles that have a standard error are
    estimated; none gives an empty frame. Simulated with ``seed``, then read as most
    relative to least deprived (:func:`most_versus_least`). Columns: ``group``,
    ``measure`` ("sii" or "rii"), ``estimate``, ``lower``, ``upper``, ``n``, ``note``.
    """
    usable = deciles.dropna(subset=["se"])
    enough = usable.groupby("urban_rural")[DEPRIVATION].nunique()
    groups = [g for g in ["Urban", "Rural"] if enough.get(g, 0) >= MIN_DECILES]
    usable = usable[usable["urban_rural"].isin(groups)]
    if groups:
        sii = models.gradients(usable, quantile=DEPRIVATION, population="population",
                               value="value", se="se", repetitions=SIMULATIONS, seed=seed,
                               rii=True, contrast=("Rural", "Urban"))
        sii = sii[sii["group"].isin([*groups, GAP])]
    else:
        sii = pd.DataFrame(columns=GRADIENT_COLUMNS)
    return most_versus_least(sii)


def gradients_table(stats: pd.DataFrame) -> outputs.Table:
    """The SII and RII rows of :func:`statistics` as the chapter's table, each estimate with
    its interval or the reason it is not estimated."""
    rows = stats[stats["key"].str.startswith(("inequality.sii.", "inequality.rii."))]
    measure = np.where(rows["key"].str.startswith("inequality.sii."),
                       "SII, most minus least deprived (indicator points)",
                       "RII, most divided by least deprived (ratio)")
    table = pd.DataFrame({"Areas": rows["group"].to_numpy(), "Measure": measure,
                          "Estimate (95% CI)": [ledger.interval_text(r)
                                                for _, r in rows.iterrows()]})
    return outputs.show_table(table)


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


def _board_totals(dataset, column: str) -> pd.DataFrame:
    """One of :func:`four_hour_totals`' columns per ICB of England, by ICB name."""
    totals = four_hour_totals(dataset.indicators)
    names = dataset.areas[["icb_code", "icb_name"]].drop_duplicates().set_index("icb_code")
    return pd.DataFrame({"group": totals["area_code"].map(names["icb_name"]).fillna(
        totals["area_code"]).to_numpy(), "value": totals[column].to_numpy(dtype=float)})


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
    ae = ae.merge(ed.data.areas[["icb_code", "icb_name"]].drop_duplicates("icb_code"),
                  left_on="area_code", right_on="icb_code", how="left")
    ae["icb_name"] = ae["icb_name"].fillna("ICB " + ae["area_code"].astype(str))
    return _classed(ae, ed)


def _england_boards(ed: EditionData) -> pd.DataFrame:
    """England's boards for the funnel plot, from the national comparators, classed as
    :func:`ae_funnel` classes an edition's boards."""
    over = ed.england("ae_icb_over_4h")
    attendances = ed.england("ae_icb_attendances").reindex(over.index)
    boards = pd.DataFrame({"icb_name": over.index.astype(str), "over_4h": over.to_numpy(),
                           "attendances": attendances.to_numpy()})
    boards["share"] = 100 * boards["over_4h"] / boards["attendances"]
    return _classed(boards, ed)


def _classed(boards: pd.DataFrame, ed: EditionData) -> pd.DataFrame:
    """``boards`` with OHID's ``significance`` class against England's share (allowing for
    England's over-dispersion, :func:`ae_tau2`); no rows, no classes."""
    boards = boards.copy()
    if len(boards):
        boards["significance"] = methods.funnel_significance(
            boards["over_4h"], boards["attendances"], statistic="proportion",
            baseline=_england_ae(ed) / 100, tau2=ae_tau2(ed))["significance"].to_numpy()
    return boards


def ae_funnel_chart(ae: pd.DataFrame, ed: EditionData) -> alt.LayerChart:
    """Funnel plot of :func:`ae_funnel` around England's share, 2 and 3 sigma limits
    (random-effects limits when England's ICBs are over-dispersed).

    An edition with fewer than :data:`MIN_FUNNEL_ICBS` boards has no funnel of its own (a
    funnel needs a spread of sizes to show anything); the plot is then England's, and
    :func:`ae_boards_table` shows the edition's boards against England.
    """
    own = len(ae) >= MIN_FUNNEL_ICBS
    points = ae if own else _england_boards(ed)
    limits = methods.funnel_limits(points["over_4h"], points["attendances"],
                                   statistic="proportion", multiplier=100,
                                   baseline=_england_ae(ed), tau2=ae_tau2(ed))
    mine = [] if own or ed.edition.is_england else ae["icb_name"].astype(str).tolist()
    return charts.funnel_chart(
        points, limits, x="attendances", y="share", label="icb_name",
        title=("A&E attendances over four hours, by ICB" if own else
               "A&E attendances over four hours, England's ICBs"),
        x_title="A&E attendances (12 months)", y_title="% over four hours",
        source=AE_SOURCE, unit_name="Other ICBs" if mine else "ICBs", highlight=mine,
        highlight_name=own_boards_name(ed.edition, mine),
        description=("Funnel plot of ICB four-hour performance against England"
                     + (f", {own_boards_name(ed.edition, mine)} marked" if mine else "")))


def own_boards_name(edition, boards: list[str]) -> str:
    """The legend's name for an edition's own boards drawn among England's: the board's
    own name in an ICB edition ("NHS Somerset ICB"), else "North East's ICB" or
    "NHS England South West's ICBs"; empty for none."""
    if not boards:
        return ""
    if edition.set == "icb" and len(boards) == 1:
        return boards[0]
    possessive = edition.name + ("'" if edition.name.endswith("s") else "'s")
    return f"{possessive} {'ICB' if len(boards) == 1 else 'ICBs'}"


def ae_boards_table(stats: pd.DataFrame, ed: EditionData) -> outputs.Table:
    """The edition's boards against England (:func:`statistics`): share over four hours and
    where it falls against England's funnel limits. The England edition lists only the
    boards beyond the 3 sigma limits (all of them are in the funnel plot)."""
    boards = stats[stats["key"].str.startswith("inequality.ae_share.")
                   & (stats["group"] != "England")]
    if ed.edition.is_england:
        boards = boards[boards["note"].str.contains("3 sigma limit", regex=False)
                        & ~boards["note"].str.contains("between", regex=False)]
    if boards.empty:
        return outputs.show_table(pd.DataFrame({
            "Board": ["none"], "Against England": ["no board is beyond the 3 sigma limits"]}))
    return outputs.show_table(pd.DataFrame({
        "Board": boards["group"].to_numpy(),
        "% over four hours": [ledger.interval_text(r, unit=True) for _, r in boards.iterrows()],
        "Against England": boards["note"].to_numpy()}))


def _gradient_frame(gradient: pd.DataFrame, measure: str, groups: Sequence[str],
                    areas: dict[str, int]) -> pd.DataFrame:
    """One row per group of ``measure`` (its estimate, or why there is none) for the ledger."""
    rows = gradient[gradient["measure"] == measure].set_index("group")
    out = []
    for group in groups:
        has = group in rows.index and not np.isnan(float(rows.loc[group, "estimate"]))
        r = rows.loc[group] if has else None
        out.append({"group": GROUP_NAMES[group], "n": areas.get(group, 0),
                    "value": r["estimate"] if has else np.nan,
                    "lower": r["lower"] if has else np.nan,
                    "upper": r["upper"] if has else np.nan,
                    "note": "" if has else NO_SII})
    return pd.DataFrame(out)


def statistics(ed: EditionData, deciles: pd.DataFrame, gradient: pd.DataFrame,
               ae: pd.DataFrame) -> pd.DataFrame:
    """The chapter's ledger rows (:func:`inequalities.report.ledger.rows`).

    ``inequality.sii.{urban,rural,rural_minus_urban}`` and ``inequality.rii.{urban,rural}``
    from :func:`gradients` (units: the small areas behind each); England's share over four
    hours (``inequality.ae_share.england``), each board's share with its class against
    England in the note, England's dispersion ratio and the number of the edition's boards
    beyond each 3 sigma limit (``inequality.ae_boards.{above,below}``).
    """
    by_kind = deciles.groupby("urban_rural", observed=True)["areas"].sum()
    areas = {g: int(by_kind.get(g, 0)) for g in ("Urban", "Rural")}
    areas[GAP] = areas["Urban"] + areas["Rural"]
    common = {"topic": TOPIC, "unit_type": "LSOA", "period": ed.vintage.iod,
              "source": deprivation_source(ed)}
    decile_rows = deciles.assign(
        group=deciles["urban_rural"].astype(str) + ", " + deciles[DEPRIVATION].map(_decile_name),
        lower=deciles["value"] - 1.96 * deciles["se"],
        upper=deciles["value"] + 1.96 * deciles["se"],
        note=np.where(deciles["se"].isna(), "a single small area: no interval", ""))
    order = {"Rural": 0, "Urban": 1}
    decile_rows = decile_rows.iloc[np.lexsort((
        decile_rows[DEPRIVATION].to_numpy(), decile_rows["urban_rural"].map(order).to_numpy()))]
    parts = [
        ledger.rows(decile_rows, key="inequality.ypll_decile", label="Years of potential life "
                    "lost indicator, population-weighted mean of small areas",
                    unit=UNIT, kind="level", method="Population-weighted mean with Kish's "
                    "effective sample size; normal 95% interval", units="areas", note="note",
                    **common),
        ledger.rows(_gradient_frame(gradient, "sii", ["Urban", "Rural", GAP], areas),
                    key="inequality.sii", label="Slope index of inequality in premature "
                    "mortality (years of potential life lost indicator) by income deprivation",
                    unit=UNIT, kind="difference", method=SII_METHOD, note="note", **common),
        ledger.rows(_gradient_frame(gradient, "rii", ["Urban", "Rural"], areas),
                    key="inequality.rii", label="Relative index of inequality in premature "
                    "mortality (years of potential life lost indicator) by income deprivation",
                    unit="ratio", kind="ratio", method=RII_METHOD, note="note", **common),
    ]
    od = ed.england("ae_overdispersion")
    period = ae["period"].iloc[0] if len(ae) else "latest 12 months"
    ae_common = {"topic": TOPIC, "unit_type": "ICB", "source": AE_SOURCE, "period": period,
                 "lower": None, "upper": None}
    england = pd.DataFrame({"group": ["England"], "value": [_england_ae(ed)],
                            "n": [od["units"]]})
    boards = pd.DataFrame({"group": ae["icb_name"] if len(ae) else [],
                           "value": ae["share"] if len(ae) else [], "n": 1,
                           "note": [f"{CLASS_WORDS.get(s, s)} around England"
                                    for s in ae.get("significance", [])]})
    limits = ("Spiegelhalter's random-effects funnel limits around England's share"
              if ae_tau2(ed) is not None else "binomial funnel limits around England's share")
    counts = pd.DataFrame({"group": ["Above", "Below"], "n": len(ae),
                           "value": [_beyond(ae, "High (0.001)"), _beyond(ae, "Low (0.001)")]})
    parts += [
        ledger.rows(england, key="inequality.ae_share", label="Per cent of A&E attendances "
                    "over four hours", unit="%", kind="share", method="Attendances over four "
                    "hours divided by all attendances, England's boards summed", **ae_common),
        ledger.rows(boards, key="inequality.ae_share", label="Per cent of A&E attendances "
                    "over four hours", unit="%", kind="share", note="note",
                    method=f"Attendances over four hours divided by all attendances; {limits}",
                    **ae_common),
        ledger.rows(pd.DataFrame({"group": ["England"], "value": [od["phi"]],
                                  "n": [od["units"]],
                                  "note": [numbers.p_value(od["p_value"])]}),
                    key="inequality.ae_dispersion", label="Dispersion ratio of England's "
                    "boards' four-hour shares", unit="ratio", kind="ratio", note="note",
                    method="Spiegelhalter (2005) over-dispersion test, Winsorised z-scores",
                    **ae_common),
        ledger.rows(counts, key="inequality.ae_boards", label="Boards beyond the 3 sigma limit "
                    "around England", unit="boards", kind="count",
                    method=f"OHID funnel classes; {limits}", min_units=1,  # no board, no count
                    **ae_common),
    ]
    return pd.concat(parts, ignore_index=True)


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


def _slope_words(row: pd.Series) -> str:
    """The rural minus urban slope difference in words: larger, smaller, no clear
    difference, or why it is not estimated."""
    value, lower, upper = (float(row[c]) for c in ("value", "lower", "upper"))
    if np.isnan(value) or np.isnan(lower):
        reason = str(row["note"]).removeprefix("not estimated: ") or "no interval"
        return (f"the difference between the rural and urban slopes is not estimated for "
                f"this edition ({reason})")
    if lower <= 0 <= upper:
        return "there is no clear difference between the rural and urban slopes"
    size = numbers.number(abs(value), numbers.decimals_for(UNIT))
    side = "steeper" if value > 0 else "less steep"
    return (f"the slope is {side} in rural areas than in urban areas, by {size} points on "
            "the indicator")


def _funnel_words(ae: pd.DataFrame, is_england: bool) -> str:
    """What the funnel plot shows for this edition, and why when it is England's."""
    if len(ae) >= MIN_FUNNEL_ICBS:
        whose = "England's" if is_england else "this edition's"
        return (f"The funnel plot places {whose} {len(ae)} integrated care boards against "
                "England's share")
    boards = "one integrated care board" if len(ae) == 1 else (
        "no integrated care board with A&E data" if not len(ae)
        else f"{len(ae)} integrated care boards")
    return (f"This edition has {boards}, too few for a funnel plot of its own (the report "
            f"draws one from {MIN_FUNNEL_ICBS} boards), so the plot shows England's boards "
            "and the table below gives this edition's against England, classed the same way")


def _beyond_words(stats: pd.DataFrame, is_england: bool) -> str:
    """How many of the edition's boards lie beyond England's 3 sigma limits, in a sentence."""
    boards = stats[stats["key"].str.startswith("inequality.ae_share.")
                   & (stats["group"] != "England")]
    if boards.empty:
        return "No board of this edition has A&E data"
    if len(boards) == 1:
        return f"This edition's board is {boards['note'].iloc[0]}"
    row = stats.set_index("key").loc
    above, below = (int(row[f"inequality.ae_boards.{side}"]["value"])
                    for side in ("above", "below"))
    verb = "is" if above == 1 else "are"
    whose = "England's" if is_england else "this edition's"
    return (f"Of {whose} {len(boards)} boards, {above} {verb} above the upper 3 sigma "
            f"limit and {below} below the lower one")


def key_figures(ed: EditionData, stats: pd.DataFrame, ae: pd.DataFrame) -> dict[str, str]:
    """The figures chapter 6 quotes, formatted from :func:`statistics`' ledger rows."""
    row = stats.set_index("key").loc
    text = {key: ledger.interval_text(row[key], unit=True) for key in (
        "inequality.sii.urban", "inequality.sii.rural", "inequality.sii.rural_minus_urban")}
    return {
        "inequality.ae_icbs": str(len(ae)),
        "inequality.ae_england": ledger.interval_text(row["inequality.ae_share.england"],
                                                      unit=True),
        "inequality.ae_above": numbers.number(row["inequality.ae_boards.above"]["value"], 0),
        "inequality.ae_below": numbers.number(row["inequality.ae_boards.below"]["value"], 0),
        "inequality.ae_period": ae["period"].iloc[0] if len(ae) else "not available",
        "inequality.ae_dispersion": _dispersion_words(ed),
        "inequality.ae_display": _funnel_words(ae, ed.edition.is_england),
        "inequality.ae_beyond": _beyond_words(stats, ed.edition.is_england),
        "inequality.sii_urban": text["inequality.sii.urban"],
        "inequality.sii_rural": text["inequality.sii.rural"],
        "inequality.sii_gap": text["inequality.sii.rural_minus_urban"],
        "inequality.sii_gap_words": _slope_words(row["inequality.sii.rural_minus_urban"]),
        "inequality.rii_sentence": rii_sentence(row["inequality.rii.urban"],
                                                row["inequality.rii.rural"]),
        "inequality.sii_summary": sii_summary(row["inequality.sii.urban"],
                                              row["inequality.sii.rural"],
                                              row["inequality.sii.rural_minus_urban"]),
    }


def rii_sentence(urban: pd.Series, rural: pd.Series) -> str:
    """The relative index of inequality in urban and rural areas as one sentence: each as
    "N times" the least deprived end, or what is not estimated and why, said once."""
    def missing(row: pd.Series) -> bool:
        return math.isnan(float(row["value"]))

    def times(row: pd.Series) -> str:
        text = ledger.interval_text(row)
        return text.replace(" (", " times (", 1) if " (" in text else f"{text} times"

    def reason(row: pd.Series) -> str:
        note = str(row["note"]).removeprefix("not estimated").lstrip(": ")
        return f" ({note})" if note else ""
    lead = "The relative index of inequality (RII) expresses the same gradient as a ratio"
    if not missing(urban) and not missing(rural):
        return (f"{lead}: premature mortality at the most deprived end is {times(urban)} that "
                f"at the least deprived end in urban areas, and {times(rural)} in rural "
                "areas.")
    if missing(urban) and missing(rural):
        same = str(urban["note"]) == str(rural["note"])
        return (f"{lead}; it is not estimated for urban or rural areas{reason(urban)}." if same
                else f"{lead}; it is not estimated for urban areas{reason(urban)} or for "
                f"rural areas{reason(rural)}.")
    have, lack = ("urban", "rural") if missing(rural) else ("rural", "urban")
    shown, absent = (urban, rural) if missing(rural) else (rural, urban)
    return (f"{lead}: premature mortality at the most deprived end is {times(shown)} that at "
            f"the least deprived end in {have} areas; in {lack} areas it is not "
            f"estimated{reason(absent)}.")


def sii_summary(urban: pd.Series, rural: pd.Series, gap: pd.Series) -> str:
    """The urban and rural slopes after "the slope index of inequality … ": both with the
    rural minus urban finding, or what is not estimated and why, each reason said once."""
    def missing(row: pd.Series) -> bool:
        return math.isnan(float(row["value"]))

    def reason(row: pd.Series) -> str:
        note = str(row["note"]).removeprefix("not estimated").lstrip(": ")
        return f" ({note})" if note else ""
    if not missing(urban) and not missing(rural):
        return (f"is {ledger.interval_text(urban)} in urban areas and "
                f"{ledger.interval_text(rural)} in rural areas: {_slope_words(gap)}")
    if missing(urban) and missing(rural):
        same = str(urban["note"]) == str(rural["note"])
        return ("is not estimated for urban or rural areas" + reason(urban) if same else
                f"is not estimated for urban areas{reason(urban)} or for rural "
                f"areas{reason(rural)}")
    have, lack = ("urban", "rural") if missing(rural) else ("rural", "urban")
    shown, absent = (urban, rural) if missing(rural) else (rural, urban)
    return (f"is {ledger.interval_text(shown)} in {have} areas; in {lack} areas it is not "
            f"estimated{reason(absent)}, so the two slopes are not compared")


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
    Measure("ae_icb_over_4h", lambda dataset: _board_totals(dataset, "over_4h"), 0,
            "A&E attendances over four hours per ICB in England, latest 12 months"),
    Measure("ae_icb_attendances", lambda dataset: _board_totals(dataset, "attendances"), 0,
            "A&E attendances per ICB in England, latest 12 months"),
)
