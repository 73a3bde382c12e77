"""Access to primary care by type of place: GP workforce and travel distance.

* :func:`gp_frame` - one row per local authority with GP full-time equivalents (FTE),
  registered patients and an age-weighted ("need-weighted") patient count;
* :func:`gp_rates` - GP FTE per 10,000 patients (and per 10,000 age-weighted patients)
  for all areas, urban, rural, coastal and non-coastal authorities, from
  :func:`inequalities.models.access_rates` (ratio estimator, linearisation interval);
* :func:`gp_distance` - mean road distance to a GP surgery (IoD 2019) over small areas;
* :func:`lowest_fifth` - share of each region's population living in the local
  authorities that make up England's lowest-access fifth (GP FTE per patient).

What the chapter's notebook shows, for an edition (:class:`~inequalities.topics.base.EditionData`):

* :func:`gp_rates_by_place` and :func:`gp_rates_chart` - GP FTE per 10,000 (age-weighted)
  patients by place group, with England's rates;
* :func:`gp_ratios_by_place` and :func:`ratio_table` - rural/urban and coastal/non-coastal
  ratios of GP FTE per patient;
* :func:`gp_distance_by_place` and :func:`gp_distance_chart` - distance to a GP surgery by
  place group, with England's;
* :func:`lowest_fifth_of_edition` and :func:`lowest_fifth_table` - share of patients in
  England's lowest-access fifth (every region for England; the region and England else);
* :func:`key_figures` - the numbers and findings the chapter quotes (``access.*``).

Need weighting: a simple age weight, not the Carr-Hill allocation formula. Patients are
counted as ``1 + (NEED_WEIGHT_65 - 1) * pct_65_plus / 100`` each, i.e. people aged 65 and
over count :data:`NEED_WEIGHT_65` times (they consult general practice about twice as
often as younger adults: Hippisley-Cox & Vinogradova, Trends in consultation rates in
general practice 1995-2009, NHS Information Centre 2009). ``pct_65_plus`` is the
authority's resident share aged 65+ (ONS mid-2019), applied to its registered list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inequalities import models
from inequalities.data import Dataset, editions, membership
from inequalities.report import charts, outputs, wording
from inequalities.topics import _places as places
from inequalities.topics.base import EditionData, Measure

#: Weight of a person aged 65+ relative to a younger person in the need-weighted count.
NEED_WEIGHT_65 = 2.0
GP_FTE = "gp_fte_per_10k"
GP_DISTANCE = "iod_gp_distance_km"
PER = 10_000
DENOMINATORS = {"patients": "Registered patients", "need_patients": "Age-weighted patients"}


def gp_frame(dataset: Dataset) -> pd.DataFrame:
    """GP FTE, registered patients and age-weighted patients per local authority.

    From indicator ``gp_fte_per_10k`` (count = FTE GPs, denominator = registered patients;
    NHS Digital GP workforce) joined to the ``lads`` table. Authorities without patients
    are dropped. Columns: the ``lads`` columns plus ``gp_fte``, ``patients``,
    ``need_patients`` and ``fte_per_10k``.
    """
    frame = dataset.indicator(GP_FTE)
    frame = frame[(frame["denominator"] > 0) & frame["count"].notna()].copy()
    frame["gp_fte"] = frame["count"].astype(float)
    frame["patients"] = frame["denominator"].astype(float)
    weight = 1 + (NEED_WEIGHT_65 - 1) * frame["pct_65_plus"].astype(float) / 100
    frame["need_patients"] = frame["patients"] * weight
    frame["fte_per_10k"] = PER * frame["gp_fte"] / frame["patients"]
    return frame.reset_index(drop=True)


def gp_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """GP FTE per 10,000 patients and per 10,000 age-weighted patients by place group.

    ``frame`` is :func:`gp_frame` output. Returns ``denominator`` (label from
    :data:`DENOMINATORS`), ``dimension``, ``group``, ``rate``, ``lower``, ``upper``
    (95% ratio-estimator interval over authorities), ``n`` authorities, ``patients``.
    """
    labelled = places.label_places(frame)
    parts = []
    for column, dimension in (("place_all", "All areas"), ("place_ur", "Urban/rural"),
                              ("place_coast", "Coastal")):
        rates = models.access_rates(labelled, workforce="gp_fte", population="patients",
                                    need="need_patients", groups=[column], by=None, per=PER)
        rates = rates.rename(columns={column: "group", "population": "patients"})
        rates["dimension"] = dimension
        parts.append(rates)
    out = pd.concat(parts, ignore_index=True)
    out["denominator"] = out["denominator"].map(DENOMINATORS)
    out["_order"] = out["group"].map({g: i for i, g in enumerate(places.GROUP_ORDER)})
    out["_denominator"] = out["denominator"].map(
        {label: i for i, label in enumerate(DENOMINATORS.values())})
    out = out.sort_values(["_denominator", "_order"], kind="stable").reset_index(drop=True)
    return out[["denominator", "dimension", "group", "rate", "lower", "upper", "n", "patients"]]


def gp_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Ratios of GP FTE per patient: rural vs urban and coastal vs non-coastal authorities.

    Quasi-Poisson GLM with log(patients) offset (:func:`inequalities.models.access_ratios`),
    once per denominator (registered and age-weighted patients). Returns ``comparison``,
    ``denominator``, ``rate_ratio``, ``lower``, ``upper``, ``p_value``, ``n``, ``note``;
    ratios that cannot be estimated (e.g. no rural authority) are missing with a note.
    """
    work = frame.copy()
    work["urban_rural"] = pd.Categorical(work["urban_rural"].astype(str), ["Urban", "Rural"])
    work["coastal_group"] = pd.Categorical(
        work["coastal"].astype(bool).map({True: "Coastal", False: "Non-coastal"}),
        ["Non-coastal", "Coastal"])
    rows = []
    for exposure, comparison in (("urban_rural", "Rural vs urban"),
                                 ("coastal_group", "Coastal vs non-coastal")):
        for column, label in DENOMINATORS.items():
            fit = models.access_ratios(work, workforce="gp_fte", population=column,
                                       exposure=exposure)
            rows.append(fit.iloc[:1].assign(comparison=comparison, denominator=label))
    out = pd.concat(rows, ignore_index=True)
    return out[["comparison", "denominator", "rate_ratio", "lower", "upper", "p_value", "n",
                "note"]]


def gp_distance(dataset: Dataset) -> pd.DataFrame:
    """Mean road distance (km) to the nearest GP surgery over small areas, by place group.

    IoD 2019 Barriers domain input (MHCLG); unweighted mean over LSOAs with a t interval
    (:func:`inequalities.topics._places.group_means`).
    """
    return places.group_means(dataset.indicator(GP_DISTANCE), "value")


def lowest_fifth(dataset: Dataset, *, nhs: bool = False) -> pd.DataFrame:
    """Per cent of each area's population in England's lowest-access fifth of authorities.

    Authorities are ranked by GP FTE per patient over the whole of ``dataset`` (England)
    with :func:`inequalities.models.lowest_access_share`; returns ``region_code``,
    ``region_name``, ``share``, ``lower``, ``upper`` (per cent, 95% interval), ``n``: one
    row per ONS region, then (with ``nhs``) per NHS England region and ICB (each authority
    counted whole in the one where most of its residents live,
    :mod:`inequalities.data.membership`), with England last (E92000001; 20% by construction).
    """
    frame = gp_frame(dataset)
    parts = [models.lowest_access_share(frame, access="fte_per_10k", population="patients",
                                        by="region_code")]
    if nhs:
        for set_name in ("nhs-region", "icb"):
            homes = membership.home(dataset.areas, "lad_code",
                                    membership.unit_of(dataset.areas, set_name))
            home = homes[homes["is_home"]].set_index("lad_code")["unit"]
            by_set = frame.assign(region_code=frame["lad_code"].map(home)).dropna(
                subset=["region_code"])
            parts.append(models.lowest_access_share(
                by_set, access="fte_per_10k", population="patients", by="region_code"))
    england = models.lowest_access_share(frame, access="fte_per_10k", population="patients",
                                         by=None)
    england.insert(0, "region_code", "E92000001")
    out = pd.concat([*parts, england], ignore_index=True)
    names = frame.drop_duplicates("region_code").set_index("region_code")["region_name"]
    out["region_name"] = out["region_code"].map(names).fillna(
        out["region_code"].map({e.code: e.name for e in editions.EDITIONS}))
    for column in ("share", "lower", "upper"):
        out[column] = 100 * out[column]
    return out[["region_code", "region_name", "share", "lower", "upper", "n", "threshold"]]


def _rates_measure(dataset: Dataset) -> pd.DataFrame:
    rates = gp_rates(gp_frame(dataset))
    return pd.DataFrame({"group": [places.key(d, g) for d, g in
                                   zip(rates["denominator"], rates["group"])],
                         "value": rates["rate"].to_numpy()})


def _distance_measure(dataset: Dataset) -> pd.DataFrame:
    means = gp_distance(dataset)
    return pd.DataFrame({"group": means["group"], "value": means["value"]})


def _lowest_measure(dataset: Dataset) -> pd.DataFrame:
    table = lowest_fifth(dataset, nhs=True)
    long = table.melt(id_vars="region_code", value_vars=["share", "lower", "upper"],
                      var_name="stat")
    long["group"] = [places.key(c, s) for c, s in zip(long["region_code"], long["stat"])]
    return long[["group", "value"]].sort_values("group").reset_index(drop=True)


def england_rates(national: pd.Series) -> pd.DataFrame:
    """England's GP FTE rates from the ``gp_fte_rate`` measure: denominator, group, value."""
    return places.unpack(national, ["denominator", "group"])


def region_lowest_fifth(national: pd.Series, region_code: str) -> dict[str, float]:
    """The ``share``/``lower``/``upper`` of one region from the ``lowest_access_fifth`` measure."""
    table = places.unpack(national, ["region_code", "stat"])
    rows = table[table["region_code"] == region_code]
    return {stat: float(v) for stat, v in zip(rows["stat"], rows["value"])} or \
        {"share": np.nan, "lower": np.nan, "upper": np.nan}


#: England's comparators for this chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("gp_fte_rate", _rates_measure, 2,
            "GP FTE per 10,000 registered (and age-weighted) patients by place group"),
    Measure("gp_distance_km", _distance_measure, 2,
            "Mean road distance to a GP surgery (km) over small areas by place group"),
    Measure("lowest_access_fifth", _lowest_measure, 1,
            "Per cent of each region's patients in England's lowest-access fifth of LAs"),
)


ENGLAND_CODE = "E92000001"
WORKFORCE_SOURCE = ("NHS Digital, General Practice Workforce (March 2024); "
                    "ONS mid-2019 population")
#: Key-figure stem of each denominator's GP rates.
RATE_KEYS = {"Registered patients": "access.gp_rate",
             "Age-weighted patients": "access.gp_need_rate"}
#: Per comparison of :func:`gp_ratios`: key-figure stem, the group and its reference.
RATIO_KEYS = {"Rural vs urban": ("access.rural_ratio", "rural authorities", "urban authorities"),
              "Coastal vs non-coastal": ("access.coastal_ratio", "coastal authorities",
                                         "non-coastal authorities")}
NO_SUCH_AUTHORITIES = "not available (no such authorities in this edition)"
NOT_ESTIMABLE_RATIO = ("not estimable, because the edition does not have authorities of "
                       "both types")


def gp_rates_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`gp_rates` of the edition (``rate`` named ``value``) with England's rate.

    ``england`` is England's rate of the same denominator and place group.
    """
    rates = gp_rates(gp_frame(ed.data)).rename(columns={"rate": "value"})
    england = england_rates(ed.england("gp_fte_rate")).set_index(["denominator", "group"])
    rates["england"] = rates.set_index(["denominator", "group"]).index.map(
        england["value"]).to_numpy(dtype=float)
    return rates


def gp_rates_chart(rates: pd.DataFrame):
    """Interval chart of :func:`gp_rates_by_place`, one panel per denominator."""
    return charts.group_intervals(
        rates, axis_title="GP FTE per 10,000 patients", title="GP workforce per patient",
        source=WORKFORCE_SOURCE, description="GP FTE per 10,000 patients by type of place",
        panel="denominator", decimals=2)


def gp_ratios_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`gp_ratios` of the edition's local authorities."""
    return gp_ratios(gp_frame(ed.data))


def ratio_table(ratios: pd.DataFrame) -> outputs.Table:
    """:func:`gp_ratios_by_place` as shown: ratios and bounds with two decimals, notes."""
    table = ratios.rename(columns={"comparison": "Comparison", "denominator": "Patients counted",
                                   "rate_ratio": "Ratio", "lower": "95% CI lower",
                                   "upper": "95% CI upper", "n": "Local authorities"})
    table["Note"] = ratios["note"].replace("", "–")
    table = table.drop(columns=["p_value", "note"])
    return outputs.show_table(table, formats={"Ratio": "{:.2f}", "95% CI lower": "{:.2f}",
                                              "95% CI upper": "{:.2f}"})


def gp_distance_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`gp_distance` of the edition with ``england``, England's mean of each group."""
    distance = gp_distance(ed.data)
    distance["england"] = distance["group"].map(ed.england("gp_distance_km")).astype(float)
    return distance


def gp_distance_chart(distance: pd.DataFrame):
    """Interval chart of :func:`gp_distance_by_place`."""
    return charts.group_intervals(
        distance, axis_title="Road distance to a GP surgery (km)",
        title="Distance to a GP surgery",
        source="MHCLG, English Indices of Deprivation 2019 (Barriers domain)",
        description="Mean road distance to a GP surgery by type of area", decimals=2)


def lowest_fifth_of_edition(ed: EditionData) -> pd.DataFrame:
    """Share of patients in England's lowest-access fifth: ``region_code``, ``region_name``,
    ``share``, ``lower``, ``upper`` (per cent).

    For England, every region (computed here) and England; for a region, the region and
    England from the national ``lowest_access_fifth`` measure (the ranking needs all of
    England's authorities).
    """
    if ed.edition.is_england:
        lowest = lowest_fifth(ed.data)
    else:
        national = ed.england("lowest_access_fifth")
        own = region_lowest_fifth(national, ed.edition.code)
        eng = region_lowest_fifth(national, ENGLAND_CODE)
        lowest = pd.DataFrame({"region_code": [ed.edition.code, ENGLAND_CODE],
                               "region_name": [ed.edition.name, "England"],
                               "share": [own["share"], eng["share"]],
                               "lower": [own["lower"], eng["lower"]],
                               "upper": [own["upper"], eng["upper"]]})
    return lowest[["region_code", "region_name", "share", "lower", "upper"]]


def lowest_fifth_table(lowest: pd.DataFrame) -> outputs.Table:
    """:func:`lowest_fifth_of_edition` as shown, with plain column names."""
    return outputs.show_table(lowest.rename(columns={
        "region_code": "Code", "region_name": "Area", "share": "% in lowest fifth",
        "lower": "95% CI lower", "upper": "95% CI upper"}))


def _rate_figures(ed: EditionData, rates: pd.DataFrame) -> dict[str, str]:
    figures = {}
    england = england_rates(ed.england("gp_fte_rate"))
    for denominator, stem in RATE_KEYS.items():
        own = rates[rates["denominator"] == denominator].set_index("group")
        for group in places.GROUP_ORDER:
            figures[f"{stem}_{places.key_suffix(group)}"] = (
                wording.format_interval(*own.loc[group, ["value", "lower", "upper"]], decimals=2)
                if group in own.index else NO_SUCH_AUTHORITIES)
        national = england[(england["denominator"] == denominator)
                           & (england["group"] == "All areas")]
        figures[f"{stem}_england"] = f"{national['value'].iloc[0]:.2f}"
    return figures


def _ratio_figures(ratios: pd.DataFrame) -> dict[str, str]:
    figures = {}
    for r in ratios.itertuples(index=False):
        stem, what, reference = RATIO_KEYS[r.comparison]
        key = stem + ("_need" if r.denominator == DENOMINATORS["need_patients"] else "")
        figures[key] = wording.format_interval(r.rate_ratio, r.lower, r.upper, decimals=2)
        figures[f"{key}_finding"] = (
            wording.describe_ratio(r.rate_ratio, r.lower, r.upper, what=what,
                                   reference=reference)
            if pd.notna(r.rate_ratio) else NOT_ESTIMABLE_RATIO)
    return figures


def _distance_finding(ed: EditionData, distance: pd.DataFrame, group: str) -> str:
    """How a group's mean distance compares with England's (or, for England, the whole)."""
    row = distance.loc[group]
    if pd.notna(row["england"]) and not ed.edition.is_england:
        what = ed.edition.name if group == "All areas" else \
            f"{group.lower()} areas of {ed.edition.name}"
        reference = "England" if group == "All areas" else f"{group.lower()} areas of England"
        base = row["england"]
    elif group == "All areas":
        return "the figure for England itself"
    else:
        what, reference = f"{group.lower()} areas", "England as a whole"
        base = distance.loc["All areas", "value"]
    return wording.describe_difference(row["value"] - base, row["lower"] - base,
                                       row["upper"] - base, what=what, reference=reference,
                                       unit="km", decimals=2)


def _distance_figures(ed: EditionData, distance: pd.DataFrame) -> dict[str, str]:
    figures = {}
    by_group = distance.set_index("group")
    for group in places.GROUP_ORDER:
        name = f"access.distance_{places.key_suffix(group)}"
        if group in by_group.index:
            figures[name] = wording.format_interval(
                *by_group.loc[group, ["value", "lower", "upper"]], decimals=2)
            figures[f"{name}_vs_england"] = _distance_finding(ed, by_group, group)
        else:
            figures[name] = places.NO_SUCH_AREAS
            figures[f"{name}_vs_england"] = "not available"
    figures["access.distance_england"] = f"{ed.england('gp_distance_km')['All areas']:.2f}"
    return figures


def _lowest_figures(ed: EditionData, lowest: pd.DataFrame) -> dict[str, str]:
    row = lowest.set_index("region_code").loc[ed.edition.code]
    share = wording.format_interval(row["share"], row["lower"], row["upper"])
    if ed.edition.is_england:
        finding = "by definition 20% for England as a whole"
    else:
        finding = wording.describe_difference(
            row["share"] - 20, row["lower"] - 20, row["upper"] - 20, what=ed.edition.name,
            reference="England as a whole (20% by definition)", unit="percentage points")
    return {"access.lowest_fifth_share": share, "access.lowest_fifth_finding": finding}


def key_figures(ed: EditionData, rates: pd.DataFrame, ratios: pd.DataFrame,
                distance: pd.DataFrame, lowest: pd.DataFrame) -> dict[str, str]:
    """The chapter's key figures from the frames the notebook shows.

    ``rates`` is :func:`gp_rates_by_place`, ``ratios`` :func:`gp_ratios_by_place`,
    ``distance`` :func:`gp_distance_by_place` and ``lowest`` :func:`lowest_fifth_of_edition`
    of edition ``ed``. Estimates print with their 95% interval; findings claim a difference
    only when the interval supports it (:mod:`inequalities.report.wording`). A region is
    compared with England; England's place groups with England as a whole. Place groups the
    edition lacks read "not available …"; ratios that cannot be estimated say so.
    """
    return {**_rate_figures(ed, rates), **_ratio_figures(ratios),
            **_distance_figures(ed, distance), **_lowest_figures(ed, lowest),
            "access.need_weight": f"{NEED_WEIGHT_65:g}",
            "access.n_lads": f"{len(gp_frame(ed.data)):,}"}
