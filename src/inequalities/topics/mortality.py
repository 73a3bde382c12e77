"""Small-area mortality: life expectancy and standardised mortality ratios of MSOAs by
deprivation decile, type of place, and the gradient within urban and within rural areas.

Source: OHID Local Health, deaths 2015-19 pooled, all 6,791 middle layer super output
areas (MSOA 2011) of England: life expectancy at birth by sex, and standardised mortality
ratios (SMR, indirectly age-standardised, England = 100) for all causes, all cancer,
circulatory disease, respiratory disease (all ages) and causes considered preventable
(under 75). The staged extract has values only (no counts, no confidence limits).

Deprivation (:func:`msoa_deciles`): an MSOA's score is the mean IMD score of its small
areas weighted by their residents (the edition's IMD: 2019 on 2011 small areas, 2025 on
2021 small areas through their 2011 MSOA; :mod:`inequalities.data.vintage`); England's
MSOAs are ranked by it and cut into ten equal-sized groups of MSOAs, decile 1 the most
deprived. A regional edition uses
England's cut points (:data:`MEASURES`), so its deciles are national ones.

Methods:

* decile and place-group means are population-weighted over every MSOA of the group
  (:func:`inequalities.methods.weighted_mean`, linearised variance, t interval: a complete
  enumeration, so the interval describes chance variation between areas); the
  life-expectancy gap is the least minus the most deprived decile's mean, with
  :func:`inequalities.methods.weighted_difference` (Welch) -- the headline measure of ONS
  ("Health state life expectancies by national deprivation deciles") and Public Health
  Scotland;
* SII and RII of life expectancy within urban and within rural MSOAs follow OHID's method
  (:func:`inequalities.models.gradients`, 10,000 Monte Carlo simulations; decile 1 = most
  deprived), read in OHID's direction for life expectancy: the SII is the modelled gap in
  years between the least and the most deprived ends of the ranking, the RII the least
  deprived end's life expectancy divided by the most deprived end's. A kind of area needs
  all ten deciles (:data:`SII_DECILES`), each with at least two MSOAs: OHID's method ranks
  the whole population and cannot skip a decile;
* an SMR group mean is a population-weighted mean of MSOA SMRs, not the SMR of the group
  (which would need each MSOA's observed and expected deaths, absent from the extract);
  it describes the residents' typical MSOA ratio.

Census 2021 general health and disability (:func:`census_shares`, 2021 small areas, the
2025 data vintage only): the share of usual residents in bad or very bad health, and the
share disabled under the Equality Act, by type of place and national small-area
deprivation decile. Crude shares pool the counts of the group's small areas, with Wilson
intervals (:func:`inequalities.methods.proportion`; the census is a near-complete count, so
the interval treats the residents as a binomial realisation). The staged tables have no
age-by-health counts, so neither direct nor indirect standardisation is possible; the
adjusted share instead removes the linear effect of age structure: a least-squares
regression over England's small areas (weighted by residents) of the share on the
per cent aged 65 and over, with a dummy per deprivation decile so that the age slope is not
deprivation's, gives the slope ``b``; each small area's share becomes
``share - b x (its % aged 65+ - England's % aged 65+)``, and a group's adjusted share is the
residents-weighted mean of these (:func:`inequalities.methods.weighted_mean`). England's
slope and 65+ share are national comparators (:data:`MEASURES`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inequalities import methods, models
from inequalities.data import Dataset
from inequalities.report import charts, ledger, numbers, outputs, wording
from inequalities.topics import _places as places
from inequalities.topics import inequality, outcomes
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "area_code", "msoa_code", "urban_rural", "coastal", "imd_score", "imd_decile",
        "population", "pct_65_plus",
    ),
    "indicators": ALL,
}

def source(ed: EditionData) -> str:
    """MSOA life expectancy and the vintage's Indices, which rank the MSOAs."""
    return f"{outcomes.LOCAL_HEALTH}; {ed.vintage.deprivation_source}"

MIN_MSOAS = outcomes.MIN_SMALL_AREAS
#: Deciles (each with two or more MSOAs) a kind of area needs for its SII and RII.
SII_DECILES = 10
DECILES = tuple(range(1, 11))
YEARS = "years"
SMR_UNIT = "SMR (England = 100)"
SII_METHOD = ("OHID slope index of inequality over national MSOA deprivation deciles "
              "(decile 1 = most deprived), population-weighted least squares on the decile "
              "means, 10,000 Monte Carlo simulations from each decile mean's standard error")
RII_METHOD = SII_METHOD.replace("slope index", "relative index") + (
    "; RII = least deprived end / most deprived end")
GAP_METHOD = ("least deprived decile's population-weighted mean minus the most deprived "
              "decile's, Welch-Satterthwaite t interval")
SII_GAP_METHOD = "rural SII minus urban SII, independent estimates, normal approximation"
DECILE_WORDS = ("MSOAs ranked by the population-weighted mean IMD score of their small "
                "areas and cut into ten equal numbers of England's MSOAs")


@dataclass(frozen=True)
class Cause:
    """One cause-specific SMR of the Local Health extract."""

    stem: str
    indicator_id: str
    name: str


CAUSES: tuple[Cause, ...] = (
    Cause("all", "msoa_smr_all", "All causes, all ages"),
    Cause("cancer", "msoa_smr_cancer", "All cancer, all ages"),
    Cause("circulatory", "msoa_smr_circulatory", "Circulatory disease, all ages"),
    Cause("respiratory", "msoa_smr_respiratory", "Respiratory disease, all ages"),
    Cause("preventable", "msoa_smr_preventable_u75", "Causes considered preventable, under 75"),
)
SEXES = ("Female", "Male")
LEVEL_COLUMNS = ["measure", "sex", "group", "value", "lower", "upper", "se", "df", "n",
                 "period"]


def decile_label(decile: int) -> str:
    """``"Decile 1 (most deprived)"``, ``"Decile 5"``, ``"Decile 10 (least deprived)"``."""
    extra = {1: " (most deprived)", 10: " (least deprived)"}.get(int(decile), "")
    return f"Decile {int(decile)}{extra}"


# --------------------------------------------------------------------- deprivation deciles

def msoa_scores(areas: pd.DataFrame) -> pd.DataFrame:
    """Each MSOA's population-weighted mean IMD score, with its residents and place
    (:func:`inequalities.topics.outcomes.msoas`)."""
    work = areas.dropna(subset=["imd_score", "population"])
    work = work.assign(_wx=work["imd_score"].astype(float) * work["population"])
    score = work.groupby("msoa_code")[["_wx", "population"]].sum()
    score = (score["_wx"] / score["population"]).rename("imd_score").reset_index()
    return outcomes.msoas(areas).merge(score.rename(columns={"msoa_code": "area_code"}),
                                       on="area_code", how="left")


def decile_cuts(scores: pd.Series) -> list[float]:
    """Nine scores splitting ``scores`` (England's MSOAs) into ten equal numbers of MSOAs.

    Cut ``d`` lies half-way between the lowest score of decile ``d`` and the highest of
    decile ``d + 1``, ranked from the highest score (decile 1 = most deprived), where decile
    = ceil(rank x 10 / N) as MHCLG assigns small-area deciles.
    """
    ordered = np.sort(scores.dropna().to_numpy(dtype=float))[::-1]
    n = len(ordered)
    if n < 10:  # no MSOAs (a dataset without them): no deciles
        return [math.nan] * 9
    ends = [math.ceil(d * n / 10) for d in range(1, 10)]
    return [float((ordered[e - 1] + ordered[e]) / 2) for e in ends]


def assign_deciles(scores: pd.Series, cuts: list[float]) -> pd.Series:
    """National decile of each score: 1 + the number of cuts above it."""
    values = scores.to_numpy(dtype=float)
    above = (np.asarray(cuts)[None, :] >= values[:, None]).sum(axis=1)
    out = pd.Series(1 + above, index=scores.index, dtype="Int64")
    return out.where(scores.notna())


def _cuts_measure(dataset: Dataset) -> pd.DataFrame:
    cuts = decile_cuts(msoa_scores(dataset.areas)["imd_score"])
    return pd.DataFrame({"group": [str(d) for d in range(1, 10)], "value": cuts})


def msoa_deciles(ed: EditionData) -> pd.DataFrame:
    """The edition's MSOAs with residents, place, IMD score and national decile."""
    frame = msoa_scores(ed.data.areas)
    national = ed.england("msoa_imd_decile_cuts")
    cuts = [float(national[str(d)]) for d in range(1, 10)]
    return frame.assign(imd_decile=assign_deciles(frame["imd_score"], cuts))


# --------------------------------------------------------------------- summaries

def msoa_values(ed: EditionData) -> pd.DataFrame:
    """One row per MSOA: place, decile, and a column per life expectancy and SMR id."""
    ind = ed.data.indicators
    ids = [f"msoa_le_{s.lower()}" for s in SEXES] + [c.indicator_id for c in CAUSES]
    rows = ind[(ind["area_level"] == "MSOA") & ind["indicator_id"].isin(ids)]
    wide = rows.pivot_table(index="area_code", columns="indicator_id", values="value",
                            aggfunc="first")
    frame = msoa_deciles(ed).merge(wide.reset_index(), on="area_code", how="inner")
    frame.attrs["period"] = str(rows["period"].iloc[0]) if len(rows) else ""
    return frame


def _measures() -> list[tuple[str, str, str]]:
    """(measure key, sex, indicator id) for every summarised measure."""
    return ([(f"le_{s.lower()}", s, f"msoa_le_{s.lower()}") for s in SEXES]
            + [(f"smr_{c.stem}", "Persons", c.indicator_id) for c in CAUSES])


def summaries(msoa: pd.DataFrame) -> pd.DataFrame:
    """Population-weighted means of each measure by place group and by national decile.

    Columns :data:`LEVEL_COLUMNS`; ``group`` a place group (:data:`places.GROUP_ORDER`) or
    a :func:`decile_label`.
    """
    rows = []
    period = msoa.attrs.get("period", "")
    for measure, sex, column in _measures():
        if column not in msoa:
            continue
        means = places.weighted_group_means(msoa, column, "population")
        work = msoa[["imd_decile", "population", column]]  # only what the deciles read
        for m in means.itertuples(index=False):
            rows.append({"measure": measure, "sex": sex, "group": m.group, "value": m.value,
                         "lower": m.lower, "upper": m.upper, "se": m.se, "df": m.df,
                         "n": m.n, "period": period})
        for decile in DECILES:
            part = work[(work["imd_decile"] == decile)].dropna(subset=[column])
            stat = methods.weighted_mean(part[column], part["population"])
            rows.append({"measure": measure, "sex": sex, "group": decile_label(decile),
                         **{k: stat[k] for k in ("value", "lower", "upper", "se", "df")},
                         "n": int(stat["n"]), "period": period})
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def life_expectancy_gaps(summary: pd.DataFrame) -> pd.DataFrame:
    """Least minus most deprived decile's mean life expectancy, by sex (Welch interval).

    Columns ``sex``, ``group``, ``value``, ``lower``, ``upper``, ``n`` (MSOAs in the
    smaller decile), ``period``.
    """
    rows = []
    for sex in SEXES:
        part = summary[summary["measure"] == f"le_{sex.lower()}"].set_index("group")
        if part.empty:
            continue
        least, most = (part.loc[decile_label(d)].to_dict() for d in (10, 1))
        diff = methods.weighted_difference(least, most)
        rows.append({"sex": sex, "group": "Least minus most deprived", "value": diff["value"],
                     "lower": diff["lower"], "upper": diff["upper"],
                     "n": min(least["n"], most["n"]), "period": least["period"]})
    return pd.DataFrame(rows, columns=["sex", "group", "value", "lower", "upper", "n",
                                       "period"])


def gradients(msoa: pd.DataFrame, *, seed: int | None = 20240101) -> pd.DataFrame:
    """SII and RII of life expectancy within all, urban and rural MSOAs, and rural - urban.

    Per kind of area and sex, the decile means and standard errors of
    :func:`inequalities.methods.weighted_mean` go to :func:`inequalities.models.gradients`;
    a kind of area with fewer than :data:`SII_DECILES` deciles holding two or more MSOAs is
    not estimated. Columns ``sex``, ``group`` (All areas, Urban, Rural, Rural -
    Urban), ``measure`` (sii, rii), ``estimate``, ``lower``, ``upper``, ``n`` (MSOAs),
    ``note``.
    """
    frames = []
    data = msoa.assign(all_areas="All areas")
    for sex in SEXES:
        column = f"msoa_le_{sex.lower()}"
        if column not in data:
            continue
        for rurality in ("all_areas", "urban_rural"):
            rows = []
            for (group, decile), part in data.dropna(subset=[column, "imd_decile"]).groupby(
                    [rurality, "imd_decile"]):
                stat = methods.weighted_mean(part[column], part["population"])
                rows.append({rurality: group, "imd_decile": int(decile),
                             "population": float(part["population"].sum()),
                             "value": stat["value"], "se": stat["se"], "areas": len(part)})
            deciles = pd.DataFrame(rows, columns=[rurality, "imd_decile", "population",
                                                  "value", "se", "areas"]).dropna(subset=["se"])
            groups = sorted(deciles[rurality].unique()) if len(deciles) else []
            usable = [g for g in groups if deciles.loc[deciles[rurality] == g, "imd_decile"]
                      .nunique() >= SII_DECILES]
            wanted = ["All areas"] if rurality == "all_areas" else ["Urban", "Rural"]
            for group in wanted:
                if group not in usable:
                    frames.append(pd.DataFrame({
                        "sex": sex, "group": group, "measure": ["sii", "rii"],
                        "estimate": np.nan, "lower": np.nan, "upper": np.nan,
                        "n": float(deciles.loc[deciles[rurality] == group, "areas"].sum()),
                        "note": "not estimated: not every deprivation decile has two or "
                                "more MSOAs of this kind"}))
            if not usable:
                continue
            part = deciles[deciles[rurality].isin(usable)]
            result = models.gradients(part, quantile="imd_decile", population="population",
                                      value="value", se="se", rurality=rurality, rii=True,
                                      repetitions=inequality.SIMULATIONS, seed=seed,
                                      contrast=("Rural", "Urban"))
            areas = part.groupby(rurality)["areas"].sum()
            result = result[result["group"].isin(usable) | (
                (result["group"] == inequality.GAP) & (len(usable) == 2))]
            result = result.assign(
                sex=sex, n=[float(areas.get(g, areas.sum())) for g in result["group"]])
            frames.append(result[["sex", "group", "measure", "estimate", "lower", "upper",
                                  "n", "note"]])
    return (pd.concat(frames, ignore_index=True) if frames else
            pd.DataFrame(columns=["sex", "group", "measure", "estimate", "lower", "upper",
                                  "n", "note"]))


# --------------------------------------------------------------------- Census 2021

#: Census measures: stem, words, numerator ids (summed), denominator id.
CENSUS = (
    ("bad_health", "Bad or very bad general health",
     ("census_bad_health", "census_very_bad_health"), "census_residents_health"),
    ("disabled", "Disabled under the Equality Act", ("census_disabled",),
     "census_residents_disability"),
)
CENSUS_SOURCE = ("ONS Census 2021 (TS037 general health, TS038 disability, TS007A age), "
                 "LSOA 2021; MHCLG English Indices of Deprivation 2025")
CRUDE_METHOD = ("crude share: counts of the group's small areas pooled, Wilson score "
                "interval")
ADJUSTED_METHOD = ("share adjusted to England's age structure: each small area's share "
                   "minus England's regression slope on the % aged 65+ (with deprivation "
                   "decile dummies) times its excess % aged 65+; residents-weighted mean, "
                   "linearised t interval")


def census_frame(dataset: Dataset) -> pd.DataFrame:
    """Small areas with place, decile, % aged 65+ and each census measure's numerator
    (``<stem>_n``) and denominator (``<stem>_d``); empty without the census tables."""
    ind = dataset.indicators
    ids = [i for _, _, num, den in CENSUS for i in (*num, den)]
    rows = ind[ind["indicator_id"].isin(ids) & (ind["area_level"] == "LSOA")]
    if rows.empty:
        return pd.DataFrame()
    wide = rows.pivot_table(index="area_code", columns="indicator_id", values="value",
                            aggfunc="first")
    out = dataset.areas[["area_code", "urban_rural", "coastal", "imd_decile",
                         "pct_65_plus"]].merge(wide.reset_index(), on="area_code")
    for stem, _, num, den in CENSUS:
        out[f"{stem}_n"] = out[list(num)].sum(axis=1, min_count=len(num))
        out[f"{stem}_d"] = out[den]
    return out.drop(columns=ids)


def age_slope(frame: pd.DataFrame, stem: str) -> tuple[float, float]:
    """(slope of the share in % per point of % aged 65+, England's % aged 65+): weighted
    least squares over ``frame``'s small areas with a dummy per deprivation decile."""
    data = frame.dropna(subset=[f"{stem}_n", f"{stem}_d", "pct_65_plus", "imd_decile"])
    data = data[data[f"{stem}_d"] > 0]
    share = 100 * data[f"{stem}_n"] / data[f"{stem}_d"]
    w = np.sqrt(data[f"{stem}_d"].to_numpy(dtype=float))
    dummies = pd.get_dummies(data["imd_decile"].astype(int)).to_numpy(dtype=float)
    design = np.column_stack([data["pct_65_plus"].to_numpy(dtype=float), dummies])
    coef = np.linalg.lstsq(design * w[:, None], share.to_numpy() * w, rcond=None)[0]
    p65 = float(np.average(data["pct_65_plus"], weights=data[f"{stem}_d"]))
    return float(coef[0]), p65


def _census_measure(dataset: Dataset) -> pd.DataFrame:
    frame = census_frame(dataset)
    groups, values = [], []
    for stem, *_ in CENSUS:
        if frame.empty:
            continue
        slope, p65 = age_slope(frame, stem)
        groups += [f"{stem}|slope", f"{stem}|pct_65_plus"]
        values += [slope, p65]
    return pd.DataFrame({"group": pd.Series(groups, dtype="str"),
                         "value": pd.Series(values, dtype=float)})


def _groups(frame: pd.DataFrame):
    """(group name, rows) for every place group and national small-area decile."""
    labelled = places.label_places(frame)
    for column, dimension in places._DIMENSIONS:
        for group in [g for g, d in places.GROUPS if d == dimension]:
            yield group, labelled[labelled[column] == group]
    for decile in DECILES:
        yield decile_label(decile), labelled[labelled["imd_decile"] == decile]


def census_shares(ed: EditionData) -> pd.DataFrame:
    """Crude and age-adjusted census shares (%) by place group and decile.

    Columns ``measure`` (``<stem>_crude``/``<stem>_adjusted``), ``group``, ``value``,
    ``lower``, ``upper``, ``n`` (small areas), ``count`` and ``residents`` (crude rows);
    empty without the census tables.
    """
    return group_census_shares(ed, census_frame(ed.data), _groups)


def group_census_shares(ed: EditionData, frame: pd.DataFrame, groups) -> pd.DataFrame:
    """:func:`census_shares` of ``frame`` (:func:`census_frame` rows, perhaps with more
    columns) over the groups ``groups(data)`` yields as ``(name, rows)``: the one
    computation of the crude and age-adjusted shares, reused by other breakdowns."""
    if frame.empty:
        return pd.DataFrame(columns=["measure", "group", "value", "lower", "upper", "n",
                                     "count", "residents"])
    national = ed.england("census_age_adjustment")
    rows = []
    for stem, *_ in CENSUS:
        num, den = f"{stem}_n", f"{stem}_d"
        slope, p65 = float(national[f"{stem}|slope"]), float(national[f"{stem}|pct_65_plus"])
        data = frame.dropna(subset=[num, den])
        data = data[data[den] > 0].assign(
            _adj=lambda d: 100 * d[num] / d[den] - slope * (d["pct_65_plus"] - p65))
        for group, part in groups(data):
            count, residents = float(part[num].sum()), float(part[den].sum())
            crude = (methods.proportion([count], [residents], multiplier=100).iloc[0]
                     if residents > 0 else pd.Series({"value": np.nan, "lower": np.nan,
                                                      "upper": np.nan}))
            rows.append({"measure": f"{stem}_crude", "group": group, "value": crude["value"],
                         "lower": crude["lower"], "upper": crude["upper"], "n": len(part),
                         "count": count, "residents": residents})
            adj = methods.weighted_mean(part["_adj"], part[den])
            rows.append({"measure": f"{stem}_adjusted", "group": group, "value": adj["value"],
                         "lower": adj["lower"], "upper": adj["upper"], "n": len(part),
                         "count": np.nan, "residents": residents})
    return pd.DataFrame(rows)


def census_statistics(shares: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows ``mortality.census_<measure>.<group>`` (share, %, small areas); crude
    rows' counts and residents are in the note."""
    parts = []
    words = {stem: name for stem, name, *_ in CENSUS}
    for measure, part in shares.groupby("measure", sort=False):
        stem, _, kind = measure.rpartition("_")
        part = part.assign(note=[
            f"{int(c):,} of {int(r):,} residents" if not math.isnan(c) else ""
            for c, r in zip(part["count"], part["residents"])])
        parts.append(ledger.rows(
            part, topic="mortality", key=f"mortality.census_{measure}",
            label=f"{words[stem]}, {'crude' if kind == 'crude' else 'adjusted for age'}",
            unit="%", kind="share", unit_type="LSOA",
            method=CRUDE_METHOD if kind == "crude" else ADJUSTED_METHOD,
            source=CENSUS_SOURCE, period="2021", min_units=MIN_MSOAS, note="note"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


def census_table(stats: pd.DataFrame) -> outputs.Table:
    """Crude and age-adjusted shares by group, with intervals as in the text."""
    rows = stats[stats["key"].str.startswith("mortality.census_")]
    if rows.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "Census 2021 health and disability are staged for 2021 small areas only "
            "(the 2025 data vintage); not available for this edition."]}))
    records = {}
    for _, row in rows.iterrows():
        measure = row["key"].split(".")[1].removeprefix("census_")
        record = records.setdefault(row["group"], {"Areas": row["group"]})
        heading = {"bad_health_crude": "Bad or very bad health, crude",
                   "bad_health_adjusted": "Bad or very bad health, age-adjusted",
                   "disabled_crude": "Disabled, crude",
                   "disabled_adjusted": "Disabled, age-adjusted"}[measure]
        record[heading] = ledger.interval_text(row)
    order = [*places.GROUP_ORDER, *(decile_label(d) for d in DECILES)]
    return outputs.show_table(pd.DataFrame([records[g] for g in order if g in records]))


# --------------------------------------------------------------------- ledger

def _label(measure: str) -> str:
    if measure.startswith("le_"):
        return f"Life expectancy at birth, {measure.removeprefix('le_')}s, MSOAs"
    cause = next(c for c in CAUSES if f"smr_{c.stem}" == measure)
    return f"Standardised mortality ratio, {cause.name[0].lower() + cause.name[1:]}, MSOAs"


def statistics(ed: EditionData, summary: pd.DataFrame, gaps: pd.DataFrame,
               gradient: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows: ``mortality.<measure>.<group>`` (``mortality.le_female.decile_1_most_
    deprived``, ``mortality.smr_cancer.rural``), ``mortality.le_<sex>_gap.least_minus_most_
    deprived``, ``mortality.le_<sex>_sii.<group>`` and ``mortality.le_<sex>_rii.<group>``."""
    parts = []
    where = source(ed)
    period = str(summary["period"].iloc[0]) if len(summary) else ""
    for measure, part in summary.groupby("measure", sort=False):
        unit = YEARS if measure.startswith("le_") else SMR_UNIT
        parts.append(ledger.rows(part, topic="mortality", key=f"mortality.{measure}",
                                 label=_label(measure), unit=unit, kind="level",
                                 unit_type="MSOA", method=outcomes.method("MSOA", ed),
                                 source=where, period="period", min_units=MIN_MSOAS))
    for row in gaps.itertuples(index=False):
        parts.append(ledger.rows(
            pd.DataFrame([row._asdict()]), topic="mortality",
            key=f"mortality.le_{row.sex.lower()}_gap",
            label=f"Life expectancy gap between the least and most deprived tenths of MSOAs, "
                  f"{row.sex.lower()}s", unit=YEARS, kind="difference", unit_type="MSOA",
            method=GAP_METHOD, source=where, period="period", min_units=MIN_MSOAS))
    for (sex, measure), part in gradient.groupby(["sex", "measure"], sort=False):
        part = part.assign(group=part["group"].replace({inequality.GAP: "Rural minus urban"}))
        sii = measure == "sii"
        within = part["group"] != "Rural minus urban"
        noun = "Slope" if sii else "Relative"
        common = dict(topic="mortality", key=f"mortality.le_{sex.lower()}_{measure}",
                      label=f"{noun} index of inequality in life expectancy, {sex.lower()}s, "
                            "MSOAs", unit=YEARS if sii else "ratio", unit_type="MSOA",
                      source=where, period=period, value="estimate", note="note")
        parts.append(ledger.rows(part[within], kind="difference" if sii else "ratio",
                                 method=SII_METHOD if sii else RII_METHOD, **common))
        if sii and (~within).any():
            parts.append(ledger.rows(part[~within], kind="difference",
                                     method=SII_GAP_METHOD, **common))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=ledger.COLUMNS)


# --------------------------------------------------------------------- chart and table

def decile_chart_frame(stats: pd.DataFrame) -> pd.DataFrame:
    """Life expectancy by decile and sex from the ledger: ``row``, ``sex``, ``decile``,
    ``value``, ``lower``, ``upper``, ``n`` and ``source`` (the chart's source line)."""
    frames = []
    for sex in SEXES:
        rows = stats[stats["key"].str.startswith(f"mortality.le_{sex.lower()}.decile_")]
        frames.append(pd.DataFrame({
            "row": [f"{sex}s: {g[0].lower()}{g[1:]}" for g in rows["group"]],
            "sex": sex, "decile": rows["group"].to_numpy(),
            "value": rows["value"].to_numpy(), "lower": rows["lower"].to_numpy(),
            "upper": rows["upper"].to_numpy(), "n": rows["units"].to_numpy(),
            "source": rows["source"].to_numpy()}))
    frame = pd.concat(frames, ignore_index=True)
    order = {decile_label(d): d for d in DECILES}
    frame["_order"] = frame["decile"].map(order)
    return frame.sort_values(["sex", "_order"]).drop(columns="_order").reset_index(drop=True)


def decile_chart(frame: pd.DataFrame):
    """Dot-and-interval chart of life expectancy by national MSOA deprivation decile."""
    plot = frame.dropna(subset=["value"])
    if plot.empty:
        return outputs.show_table(pd.DataFrame(
            {"Note": ["MSOA life expectancy is not available for this edition."]}))
    return charts.interval_chart(
        plot, category="row", estimate="value", reference=None,
        sort=plot["row"].tolist(), title="Life expectancy by deprivation decile of MSOA",
        axis_title="Life expectancy at birth (years)", source=str(plot["source"].iloc[0]),
        description="Population-weighted mean life expectancy at birth of MSOAs in each "
                    "national deprivation decile, females then males")


TABLE_GROUPS = ("All areas", "Urban", "Rural", "Coastal", "Non-coastal",
                decile_label(1), decile_label(10))

TABLE_HEADINGS = {decile_label(1): "Most deprived tenth", decile_label(10): "Least deprived tenth"}


def smr_table(stats: pd.DataFrame) -> outputs.Table:
    """SMRs by cause (rows) and type of MSOA (columns), values as printed in the text."""
    records = []
    for cause in CAUSES:
        record = {"Cause of death": cause.name}
        for group in TABLE_GROUPS:
            hit = stats[stats["key"] == f"mortality.smr_{cause.stem}.{ledger.key_part(group)}"]
            record[TABLE_HEADINGS.get(group, group)] = (
                ledger.interval_text(hit.iloc[0]).split(" (")[0] if len(hit) else "–")
        records.append(record)
    return outputs.show_table(pd.DataFrame(records))


def gradients_table(stats: pd.DataFrame) -> outputs.Table:
    """The life-expectancy gap, SII and RII rows of the ledger, with their intervals."""
    rows = stats[stats["key"].str.contains(r"\.le_(?:female|male)_(?:gap|sii|rii)\.")]
    return outputs.show_table(pd.DataFrame({
        "Measure": rows["label"].str.replace(", MSOAs", "", regex=False),
        "MSOAs": rows["group"],
        "Estimate (95% CI)": [ledger.interval_text(r, unit=r["unit"] == YEARS)
                              for _, r in rows.iterrows()],
    }))


# --------------------------------------------------------------------- key figures

def key_figures(stats: pd.DataFrame, msoa: pd.DataFrame) -> dict[str, str]:
    """The chapter's numbers, each formatted from a ledger row (``mortality.<key>``)."""
    figures: dict[str, str] = {}
    for _, row in stats.iterrows():
        name = row["key"].removeprefix("mortality.").replace(".", "_")
        figures[f"mortality.{name}"] = ledger.interval_text(row, unit=row["unit"] in (YEARS,
                                                                                    "%"))
    for stem, *_ in CENSUS:
        for kind in ("crude", "adjusted"):
            for group in [*places.GROUP_ORDER, *(decile_label(d) for d in DECILES)]:
                figures.setdefault(f"mortality.census_{stem}_{kind}_{ledger.key_part(group)}",
                                   "not available (the 2021 Census tables are staged for "
                                   "2021 small areas only)")
    groups = [*places.GROUP_ORDER, *(decile_label(d) for d in DECILES)]
    for measure, _, _ in _measures():
        for group in groups:
            figures.setdefault(f"mortality.{measure}_{ledger.key_part(group)}",
                               "not available")
    for sex in SEXES:
        figures.setdefault(f"mortality.le_{sex.lower()}_gap_least_minus_most_deprived",
                           "not available")
    figures["mortality.sii_sentences"] = sii_sentences(stats) or (
        "The SII is not available for this edition.")
    figures["mortality.n_msoas"] = f"{len(msoa):,}"
    figures["mortality.period"] = (msoa.attrs.get("period", "").replace(" - ", "–")
                                   or "not available")
    figures["mortality.min_msoas"] = f"{MIN_MSOAS:,}"
    figures["mortality.min_deciles"] = f"{SII_DECILES:,}"
    for name, stem in (("decile_1", "decile_1_most_deprived"),
                       ("decile_10", "decile_10_least_deprived"),
                       ("gap", "gap_least_minus_most_deprived")):
        figures[f"mortality.le_{name}_by_sex"] = wording.by_sex(
            figures[f"mortality.le_female_{stem}"], figures[f"mortality.le_male_{stem}"])
    figures["mortality.summary"] = summary_sentence(stats, figures["mortality.period"])
    return figures


def summary_sentence(stats: pd.DataFrame, period: str) -> str:
    """The chapter's headline for the summary: for each sex, the slope index of inequality
    in MSOA life expectancy across the edition's deprivation scale (all MSOAs), as a
    difference between the least and the most deprived ends, from the ledger. English in
    every case (a clear gap either way, no clear gap, not estimated)."""
    parts = []
    for sex in SEXES:
        hit = stats[stats["key"] == f"mortality.le_{sex.lower()}_sii.all_areas"]
        subject = f"{sex.lower()} life expectancy at birth"
        if hit.empty or math.isnan(float(hit.iloc[0]["value"])):
            note = "" if hit.empty else str(hit.iloc[0]["note"]).removeprefix(
                "not estimated").lstrip(": ")
            parts.append(f"the gap in {subject} between the least and the most deprived "
                         f"MSOAs was not estimated" + (f" ({note})" if note else ""))
            continue
        row = hit.iloc[0]
        side = 1 if row["lower"] > 0 else -1 if row["upper"] < 0 else 0
        sii = ledger.interval_text(row, unit=True, inline=True)
        if side:
            parts.append(f"{subject} was {numbers.number(abs(row['value']), 1)} years "
                         f"{'higher' if side > 0 else 'lower'} at the least deprived end of "
                         f"the MSOAs' deprivation scale than at the most deprived end "
                         f"(slope index of inequality {sii})")
        else:
            parts.append(f"{subject} was not clearly different between the least and the "
                         f"most deprived ends of the MSOAs' deprivation scale (slope index "
                         f"of inequality {sii})")
    notes = {str(stats.loc[stats["key"] == f"mortality.le_{sex.lower()}_sii.all_areas",
                           "note"].squeeze()) if (stats["key"] == f"mortality.le_{sex.lower()}"
                                                  "_sii.all_areas").any() else "" for sex in SEXES}
    if all(" was not estimated" in p for p in parts) and len(notes) == 1:
        note = notes.pop().removeprefix("not estimated").lstrip(": ")
        parts = ["the gap in life expectancy at birth between the least and the most deprived "
                 "MSOAs was not estimated for either sex" + (f" ({note})" if note else "")]
    text = "; ".join(parts)
    if period and period != "not available":
        return f"Over {period}, {text}."
    return text[0].upper() + text[1:] + "."


def sii_sentences(stats: pd.DataFrame) -> str:
    """The SII within urban and within rural MSOAs, and their difference, in sentences.

    "Within urban MSOAs the SII was 6.3 years (95% CI …) for females and 7.9 years (…) for
    males." A kind of area without an SII: "Within rural MSOAs the SII is not estimated:
    not every deprivation decile has two or more rural MSOAs."; the difference is then
    left out.
    """
    def row(sex: str, group: str) -> pd.Series | None:
        hit = stats[stats["key"] == f"mortality.le_{sex}_sii.{group}"]
        return hit.iloc[0] if len(hit) else None

    sentences = []
    for group in ("urban", "rural", "rural_minus_urban"):
        rows = [row(sex, group) for sex in ("female", "male")]
        if any(r is None or math.isnan(float(r["value"])) for r in rows):
            if group != "rural_minus_urban":
                sentences.append(f"Within {group} MSOAs the SII is not estimated: not every "
                                 f"deprivation decile has two or more {group} MSOAs.")
            continue
        female, male = (ledger.interval_text(r, unit=True) for r in rows)
        lead = ("The rural minus urban difference in the SII was" if group ==
                "rural_minus_urban" else f"Within {group} MSOAs the SII was")
        sentences.append(f"{lead} {female} for females and {male} for males.")
    return " ".join(sentences)


#: England's MSOA deprivation decile cut points (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("msoa_imd_decile_cuts", _cuts_measure, 6,
            "IMD scores dividing England's MSOAs (population-weighted mean score of their "
            "small areas) into ten equal-sized deprivation deciles"),
    Measure("census_age_adjustment", _census_measure, 6,
            "Census 2021 bad health and disability: England's slope of the share on the % "
            "aged 65+ (decile dummies) and England's % aged 65+"),
)
