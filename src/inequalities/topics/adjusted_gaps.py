"""Chapter 7, adjusted gaps: premature mortality in rural and coastal areas, adjusted.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`model` - a linear mixed model (REML) of the years of potential life lost indicator
  of the data vintage's Indices of Deprivation over the edition's small areas, with a
  random intercept per local authority, adjusted for :data:`ADJUST`
  (:func:`inequalities.models.multilevel`): the IoD *income*
  domain score, not the IMD score, because the IMD includes the Health Deprivation and
  Disability domain of which the outcome is itself a component (adjusting for it would
  adjust the outcome for part of itself), and the share of residents aged 65 and over.
  Rural (vs urban) and coastal (vs other) areas are modelled when each side has
  :data:`MIN_AREAS` areas (:func:`fit_areas`);
* :func:`differences` - the model's rural and coastal differences with their intervals;
* :func:`regional_differences` - what the figure shows: in the England edition the
  rural - urban difference of each region, each from :func:`fit_areas` over the region's
  small areas, the very model that region's own edition fits, so a region's number is the
  same in both editions; in a regional edition its own differences.
  :func:`differences_chart` draws it;
* :func:`statistics` - the chapter's ledger rows; a difference with fewer than
  :data:`MIN_AREAS` small areas on either side is not estimated and says why.
  :func:`differences_table` and :func:`key_figures` format from them;
* :func:`diagnostics` / :func:`diagnostics_table` - areas, parameters, convergence and
  warnings of each fit (:func:`inequalities.models.diagnostics`), in words for readers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from inequalities import models
from inequalities.report import charts, ledger, numbers, outputs
from inequalities.topics.base import EditionData
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "area_code", "lad_code", "region_name", "urban_rural", "coastal", "income_score",
        "pct_65_plus",
    ),
    "indicators": ALL,
}

TOPIC = "adjusted_gaps"
YPLL = "iod_ypll"
ADJUST = ["income_score", "pct_65_plus"]
#: Small areas needed on each side of a contrast to estimate it.
MIN_AREAS = 30
UNIT = "indicator points"
REFERENCE = {"urban_rural": "Urban", "coastal": False}
LABELS = {"urban_rural[Rural]": "Rural (vs urban)", "coastal[True]": "Coastal (vs non-coastal)"}
#: Per contrast: model term, ledger key part and group, the exposed side's column and level,
#: and the words of the two sides.
CONTRASTS = {
    "rural": ("urban_rural[Rural]", "Rural minus urban", "urban_rural", "Rural", "rural",
              "urban"),
    "coastal": ("coastal[True]", "Coastal minus non-coastal", "coastal", True, "coastal",
                "other"),
}
DIAGNOSTICS = {"model": "Model", "n": "Small areas", "n_parameters": "Parameters",
               "converged": "Converged", "aic": "AIC (Akaike information criterion)",
               "warnings": "Warnings", "note": "Note"}


def source(ed: EditionData) -> str:
    """The vintage's Indices (outcome and income score), population base (share aged 65 and
    over) and rural-urban classification."""
    v = ed.vintage
    return (f"{v.deprivation_source} (years of potential life lost indicator; income "
            f"domain); {v.population_short}; ONS {v.ruc}")


def method(ed: EditionData) -> str:
    """The model, naming the vintage's income domain score."""
    return ("Linear mixed model (REML) of the years of potential life lost indicator over "
            "small areas, random intercept per local authority, adjusted for the "
            f"{ed.vintage.iod} income domain score and the share aged 65 and over; Wald 95% "
            "interval")



def _small_areas(ed: EditionData) -> pd.DataFrame:
    """The edition's small areas with the indicator, rurality and coastal flag as categories."""
    ypll = ed.data.indicator(YPLL)
    ypll["urban_rural"] = pd.Categorical(ypll["urban_rural"], categories=["Urban", "Rural"])
    ypll["coastal"] = pd.Categorical(ypll["coastal"], categories=[False, True])
    return ypll


def fit_areas(ypll: pd.DataFrame) -> pd.DataFrame:
    """The mixed model over some small areas: the contrasts with :data:`MIN_AREAS` on each
    side (both when neither has, so the model says why), adjusted for :data:`ADJUST`."""
    exposure = ([c for c in REFERENCE if ypll[c].value_counts().min() >= MIN_AREAS]
                or list(REFERENCE))
    # one authority: the model returns its "not fitted" record, saying why
    return models.multilevel(ypll, outcome="value", exposure=exposure, adjust=ADJUST,
                             groups="lad_code", reference=REFERENCE)


def model(ed: EditionData) -> pd.DataFrame:
    """The mixed model's table (:func:`fit_areas` over the edition), fixed and random rows."""
    return fit_areas(_small_areas(ed))


def differences(fit: pd.DataFrame) -> pd.DataFrame:
    """The fixed-effect rows of :func:`model`, with a ``label`` for the differences."""
    fixed = fit[fit["kind"] == "fixed"].copy()
    fixed["label"] = fixed["term"].map(LABELS)
    return fixed


def _side_counts(ypll: pd.DataFrame, column: str, level: object) -> tuple[int, int]:
    """Small areas on the exposed side and on the other side of a contrast."""
    exposed = int((ypll[column] == level).sum())
    return exposed, len(ypll) - exposed


def own_differences(ed: EditionData, fixed: pd.DataFrame) -> pd.DataFrame:
    """The edition's own rural and coastal differences (:func:`differences`), one row per
    contrast: ``category``, ``contrast``, ``exposed`` and ``other`` (small areas on each
    side), ``estimate``, ``lower``, ``upper``, ``p_value``."""
    ypll = _small_areas(ed)
    rows = []
    for name, (term, _group, column, level, _w, _r) in CONTRASTS.items():
        exposed, other = _side_counts(ypll, column, level)
        rows.append({"category": LABELS[term], "contrast": name, "exposed": exposed,
                     "other": other, **_estimate(fixed[fixed["term"] == term])})
    return pd.DataFrame(rows)


def regional_differences(ed: EditionData, fixed: pd.DataFrame) -> pd.DataFrame:
    """The differences of the figure, with :func:`own_differences`' columns.

    England: the rural - urban difference of each region, each from :func:`fit_areas` over
    the region's small areas (the model of the region's own edition; a region with fewer
    than :data:`MIN_AREAS` on either side keeps its row, without estimate). A region: its
    :func:`own_differences`.
    """
    if not ed.edition.is_england:
        return own_differences(ed, fixed)
    rows = []
    term, _group, column, level = CONTRASTS["rural"][:4]
    for region, areas in _small_areas(ed).groupby("region_name", observed=True, sort=True):
        exposed, other = _side_counts(areas, column, level)
        fit = (fit_areas(areas) if min(exposed, other) >= MIN_AREAS
               else pd.DataFrame({"term": [], "kind": []}))
        rows.append({"category": region, "contrast": "rural", "exposed": exposed,
                     "other": other, **_estimate(fit[(fit["kind"] == "fixed")
                                                      & (fit["term"] == term)])})
    return pd.DataFrame(rows)


def _estimate(row: pd.DataFrame) -> dict[str, float]:
    """Estimate, interval and p-value of a one-row fixed-effect frame (NaN when none)."""
    if row.empty:
        return {"estimate": np.nan, "lower": np.nan, "upper": np.nan, "p_value": np.nan}
    r = row.iloc[0]
    return {c: float(r[c]) for c in ("estimate", "lower", "upper", "p_value")}


def differences_chart(stats: pd.DataFrame) -> alt.LayerChart:
    """Dot and whisker chart of the figure's rows of :func:`statistics` (England: each
    region's own model; a region: its own differences), estimated rows only, a dashed line
    at no difference."""
    by_region = stats["key"].str.startswith("adjusted_gaps.rural_gap_by_region.")
    rows = stats[by_region] if by_region.any() else stats[
        stats["key"].str.startswith("adjusted_gaps.gap.")]
    shown = rows.dropna(subset=["value", "lower", "upper"]).sort_values("group")
    return charts.interval_chart(
        shown, category="group", estimate="value", title="Adjusted gaps in premature mortality",
        axis_title="Difference in indicator points (rural minus urban; coastal minus not)",
        source=str(stats["source"].iloc[0]),
        description="Adjusted gaps with intervals")


def statistics(ed: EditionData, fixed: pd.DataFrame, regional: pd.DataFrame) -> pd.DataFrame:
    """The chapter's ledger rows (:func:`inequalities.report.ledger.rows`).

    ``adjusted_gaps.gap.{rural_minus_urban,coastal_minus_non_coastal}``: the edition's
    model; in England also ``adjusted_gaps.rural_gap_by_region.<region>``, each region's
    own model (the same number as that region's edition's ``adjusted_gaps.gap`` row). Units
    are the small areas on the smaller side of the contrast; below :data:`MIN_AREAS` the
    row is not estimated. The note carries the p-value.
    """
    own = own_differences(ed, fixed)
    own = own.assign(group=own["contrast"].map({k: v[1] for k, v in CONTRASTS.items()}))
    parts = [_rows(ed, own, "adjusted_gaps.gap", "Adjusted difference in premature mortality "
                   "(years of potential life lost indicator)")]
    if ed.edition.is_england:
        parts.append(_rows(ed, regional.assign(group=regional["category"]),
                           "adjusted_gaps.rural_gap_by_region", "Adjusted rural minus urban "
                           "difference in premature mortality, each region's own model"))
    return pd.concat(parts, ignore_index=True)


def _rows(ed: EditionData, frame: pd.DataFrame, key: str, label: str) -> pd.DataFrame:
    """Ledger rows of ``frame`` (:func:`regional_differences` columns plus ``group``)."""
    frame = frame.assign(n=frame[["exposed", "other"]].min(axis=1),
                         note=[numbers.p_value(p) if not np.isnan(p) else "not estimated: the "
                               "model gave no interval" for p in frame["p_value"]])
    return ledger.rows(frame, topic=TOPIC, key=key, label=label, unit=UNIT, kind="difference",
                       unit_type="LSOA", method=method(ed), source=source(ed),
                       period=ed.vintage.iod,
                       min_units=MIN_AREAS, value="estimate", note="note")


def differences_table(stats: pd.DataFrame, fixed: pd.DataFrame) -> outputs.Table:
    """The edition's differences (:func:`statistics`) as the chapter's table: estimate and
    interval, p-value, and the small areas and local authorities of the model."""
    keys = [f"adjusted_gaps.gap.{ledger.key_part(c[1])}" for c in CONTRASTS.values()]
    rows = stats.set_index("key").reindex(keys).dropna(how="all").reset_index()
    areas = f"{int(fixed['n'].iloc[0]):,}" if len(fixed) else "0"
    authorities = (f"{int(fixed['n_groups'].iloc[0]):,}"
                   if len(fixed) and "n_groups" in fixed else "–")
    return outputs.show_table(pd.DataFrame({
        "Difference": rows["group"].to_numpy(),
        "Estimate, indicator points (95% CI)": [ledger.interval_text(r)
                                                for _, r in rows.iterrows()],
        "p-value": [n if n.startswith("p") else "–" for n in rows["note"]],
        "Small areas": areas, "Local authorities": authorities}))


def diagnostics(fit: pd.DataFrame) -> pd.DataFrame:
    """The diagnostics of :func:`model` that the chapter shows (keys of :data:`DIAGNOSTICS`)."""
    diag = models.diagnostics(fit)
    return diag[[c for c in DIAGNOSTICS if c in diag.columns]]


def diagnostics_table(diag: pd.DataFrame) -> outputs.Table:
    """:func:`diagnostics` for readers: named columns, "yes"/"no", AIC to one decimal."""
    shown = diag.dropna(axis="columns", how="all").copy()  # AIC is undefined under REML
    if "model" in shown:
        shown["model"] = shown["model"].replace(
            "multilevel", "Linear mixed model, random intercept per local authority")
    if "converged" in shown:
        shown["converged"] = shown["converged"].map({True: "yes", False: "no"}).fillna("–")
    if "aic" in shown:
        shown["aic"] = [numbers.number(v, 1) for v in pd.to_numeric(shown["aic"])]
    if "n" in shown:
        shown["n"] = [numbers.number(v, 0) for v in pd.to_numeric(shown["n"])]
    for column in ("warnings", "note"):
        if column in shown:
            shown[column] = shown[column].replace("", "none")
    return outputs.show_table(shown.rename(columns=DIAGNOSTICS))


def _gap_words(row: pd.Series, exposed: str, reference: str) -> str:
    """A clause for the key findings: the adjusted difference, or why there is none."""
    value, lower, upper = (float(row[c]) for c in ("value", "lower", "upper"))
    if np.isnan(value) or np.isnan(lower):
        units = int(row["units"]) if not np.isnan(row["units"]) else 0
        if units == 0:
            return (f"the difference between {exposed} and {reference} areas is not estimated: "
                    f"this edition has no {exposed} (or no {reference}) small areas")
        if units < MIN_AREAS:
            return (f"the difference between {exposed} and {reference} areas is not estimated: "
                    f"this edition has {units:,} small area{'s' if units != 1 else ''} on "
                    f"the smaller side, fewer than the {MIN_AREAS} the model needs")
        return (f"the difference between {exposed} and {reference} areas could not be "
                "estimated: the model gave no interval")
    interval = (f"{exposed} minus {reference} {numbers.number(value, 1)} points; 95% CI "
                f"{numbers.number(lower, 1)} to {numbers.number(upper, 1)}")
    if lower <= 0 <= upper:
        return (f"premature mortality shows no clear difference between {exposed} and "
                f"{reference} areas ({interval})")
    side = "higher" if value > 0 else "lower"
    return (f"premature mortality is {numbers.number(abs(value), 1)} points {side} in "
            f"{exposed} areas than in {reference} areas ({interval})")


def _regions_words(stats: pd.DataFrame) -> str:
    """Which regions England's figure leaves out, and why; "" outside England."""
    rows = stats[stats["key"].str.startswith("adjusted_gaps.rural_gap_by_region.")]
    if rows.empty:
        return ("The figure shows this edition's differences from the model in the table; "
                "a difference not estimated is left out")
    missing = rows[rows["value"].isna()]
    if missing.empty:
        return "Every region has enough rural and urban small areas to be shown"
    parts = [f"{r['group']} ({int(r['units']):,} small area{'s' if r['units'] != 1 else ''} "
             "on the smaller side)" for _, r in missing.iterrows()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "is" if len(parts) == 1 else "are"
    return (f"{listed} {verb} not shown: a region needs {MIN_AREAS} rural and {MIN_AREAS} "
            "urban small areas for its model")


def _fit_words(diag: pd.DataFrame, fixed: pd.DataFrame) -> str:
    """How the edition's fit went (:func:`diagnostics`), as a sentence."""
    if diag.empty:
        return "The model could not be fitted"
    d = diag.iloc[0]
    if d.get("n_parameters") is None or pd.isna(d.get("n_parameters")):
        if len(fixed) and "n_groups" in fixed and int(fixed["n_groups"].fillna(0).iloc[0]) < 2:
            return ("The model could not be fitted: this edition has one local authority, "
                    "and the model compares small areas within and between authorities, so "
                    "it needs at least two")
        return "The model could not be fitted"
    authorities = (f" in {int(fixed['n_groups'].iloc[0]):,} local authorities"
                   if len(fixed) and "n_groups" in fixed else "")
    size = (f"{int(d['n']):,} small areas{authorities}, "
            f"{int(d['n_parameters'])} parameters")
    warnings = str(d.get("warnings", "") or "")
    if not bool(d.get("converged", False)):
        return f"The model did not converge ({size}); its estimates are not reliable"
    if warnings:
        return f"The model converged ({size}) with these warnings: {warnings}"
    return f"The model converged without warnings ({size})"


def key_figures(stats: pd.DataFrame, fixed: pd.DataFrame,
                diag: pd.DataFrame | None = None) -> dict[str, str]:
    """The figures chapter 7 quotes, from :func:`statistics` (keys keep the ``models.``
    stem) and, for the fit, :func:`diagnostics`."""
    row = stats.set_index("key").loc
    fit = {} if diag is None else {"models.fit": _fit_words(diag, fixed)}
    return {**fit,
        "models.rural_gap": _gap_words(row["adjusted_gaps.gap.rural_minus_urban"], "rural",
                                       "urban"),
        "models.coastal_gap": _gap_words(row["adjusted_gaps.gap.coastal_minus_non_coastal"],
                                         "coastal", "other"),
        "models.areas": f"{int(fixed['n'].iloc[0]):,}" if len(fixed) else "0",
        "models.regions": _regions_words(stats),
    }
