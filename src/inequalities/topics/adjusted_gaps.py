"""Chapter 7, adjusted gaps: premature mortality in rural and coastal areas, adjusted.

What each public function gives (``ed`` is an edition's
:class:`~inequalities.topics.base.EditionData`):

* :func:`model` - a linear mixed model of the IoD 2019 years of potential life lost
  indicator over the edition's small areas, with a random intercept per local authority,
  adjusted for :data:`ADJUST` (:func:`inequalities.models.multilevel`). Rural (vs urban)
  and coastal (vs other) areas are modelled when each side has :data:`MIN_AREAS` areas;
  an edition with fewer gets a flagged row instead of an estimate;
* :func:`differences` - the model's rural and coastal differences with their intervals;
  :func:`differences_table` displays them;
* :func:`regional_differences` - what the figure shows: in the England edition one
  rural - urban difference per region, each from its own model; in a regional edition the
  rural and coastal differences. :func:`differences_chart` draws it;
* :func:`diagnostics` - areas, parameters, convergence and warnings of each fit
  (:func:`inequalities.models.diagnostics`);
* :func:`key_figures` - the figures chapter 7 quotes, as printed.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from inequalities import models
from inequalities.report import charts, numbers, outputs, wording
from inequalities.topics.base import EditionData

YPLL = "iod_ypll"
ADJUST = ["imd_score", "pct_65_plus"]
#: Small areas needed on each side of a contrast to estimate it.
MIN_AREAS = 30
REFERENCE = {"urban_rural": "Urban", "coastal": False}
LABELS = {"urban_rural[Rural]": "Rural (vs urban)", "coastal[True]": "Coastal (vs non-coastal)"}
DIAGNOSTICS = ["model", "n", "n_parameters", "converged", "aic", "warnings", "note"]
SOURCE = ("MHCLG English Indices of Deprivation 2019; ONS mid-2019 population; "
          "ONS RUC 2011")


def _small_areas(ed: EditionData) -> pd.DataFrame:
    """The edition's small areas with the indicator, rurality and coastal flag as categories."""
    ypll = ed.data.indicator(YPLL)
    ypll["urban_rural"] = pd.Categorical(ypll["urban_rural"], categories=["Urban", "Rural"])
    ypll["coastal"] = pd.Categorical(ypll["coastal"], categories=[False, True])
    return ypll


def model(ed: EditionData) -> pd.DataFrame:
    """The mixed model's table (:func:`inequalities.models.multilevel`), fixed and random rows."""
    ypll = _small_areas(ed)
    exposure = ([c for c in REFERENCE if ypll[c].value_counts().min() >= MIN_AREAS]
                or list(REFERENCE))
    return models.multilevel(ypll, outcome="value", exposure=exposure, adjust=ADJUST,
                             groups="lad_code", reference=REFERENCE)


def differences(fit: pd.DataFrame) -> pd.DataFrame:
    """The fixed-effect rows of :func:`model`, with a ``label`` for the differences."""
    fixed = fit[fit["kind"] == "fixed"].copy()
    fixed["label"] = fixed["term"].map(LABELS)
    return fixed


def differences_table(fixed: pd.DataFrame) -> outputs.Table:
    """:func:`differences` as the chapter's table."""
    columns = {"label": "Difference", "estimate": "Estimate", "lower": "Lower 95%",
               "upper": "Upper 95%", "p_value": "p", "n": "Small areas",
               "n_groups": "Local authorities"}
    return outputs.show_table(
        fixed[list(columns)].rename(columns=columns),
        formats={"Estimate": "{:.2f}", "Lower 95%": "{:.2f}", "Upper 95%": "{:.2f}",
                 "p": numbers.p_value})


def regional_differences(ed: EditionData, fixed: pd.DataFrame) -> pd.DataFrame:
    """The figure's differences, labelled by ``category``; rows without an interval dropped.

    England: the rural - urban difference of a model per region (``category`` is the
    region). A region: :func:`differences` (``category`` is the difference's label).
    """
    if ed.edition.is_england:
        ypll = _small_areas(ed)
        ypll["region"] = ypll["region_name"]
        by_region = models.multilevel(ypll, outcome="value", exposure=["urban_rural"],
                                      adjust=ADJUST, groups="lad_code", by="region",
                                      reference={"urban_rural": "Urban"})
        regional = by_region[(by_region["kind"] == "fixed")].copy()
        regional["category"] = regional["region"]
    else:
        regional = fixed.assign(category=fixed["label"])
    return regional.dropna(subset=["estimate", "lower", "upper"])


def differences_chart(regional: pd.DataFrame) -> alt.LayerChart:
    """Dot and whisker chart of :func:`regional_differences`, a dashed line at no difference."""
    return charts.interval_chart(
        regional, category="category", title="Adjusted gaps in premature mortality",
        axis_title="Difference in indicator (rural minus urban; coastal minus not)",
        source=SOURCE, description="Adjusted gaps with intervals")


def diagnostics(fit: pd.DataFrame) -> pd.DataFrame:
    """The diagnostics of :func:`model` that the chapter shows (:data:`DIAGNOSTICS`)."""
    diag = models.diagnostics(fit)
    return diag[[c for c in DIAGNOSTICS if c in diag.columns]]


def _gap_words(fixed: pd.DataFrame, ypll: pd.DataFrame, term: str, column: str,
               level: object, what: str, reference: str) -> str:
    """A clause for the key findings: the adjusted difference, or why there is none."""
    row = fixed[(fixed["term"] == term) & fixed["estimate"].notna()]
    if row.empty:
        n = int((ypll[column] == level).sum())
        return (f"the difference between {what} and {reference} could not be estimated "
                f"(this edition has {n:,} {what.replace(' areas', '')} small areas; the model "
                f"needs {MIN_AREAS})")
    r = row.iloc[0]
    text = wording.describe_difference(r["estimate"], r["lower"], r["upper"], what=what,
                                       reference=reference, unit="points")
    verb = "shows" if text.startswith("no clear") else "is"
    return (f"premature mortality {verb} {text} ("
            + wording.format_interval(r["estimate"], r["lower"], r["upper"]) + ")")


def key_figures(ed: EditionData, fixed: pd.DataFrame) -> dict[str, str]:
    """The figures chapter 7 quotes, from :func:`differences` (keys keep the ``models.`` stem)."""
    ypll = _small_areas(ed)
    return {
        "models.rural_gap": _gap_words(fixed, ypll, "urban_rural[Rural]", "urban_rural",
                                       "Rural", "rural areas", "urban areas"),
        "models.coastal_gap": _gap_words(fixed, ypll, "coastal[True]", "coastal", True,
                                         "coastal areas", "other areas"),
        "models.areas": f"{int(fixed['n'].iloc[0]):,}" if len(fixed) else "0",
    }
