"""Access to primary care by type of place: GP workforce and travel distance.

* :func:`gp_frame` - one row per local authority with GP full-time equivalents (FTE),
  registered patients and an age-weighted ("need-weighted") patient count;
* :func:`gp_rates` - GP FTE per 10,000 patients (and per 10,000 age-weighted patients)
  for all areas, urban, rural, coastal and non-coastal authorities, from
  :func:`inequalities.models.access_rates` (ratio estimator, linearisation interval);
* :func:`gp_distance` - mean road distance to a GP surgery (IoD 2019 on both vintages)
  over small areas;
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
authority's resident share aged 65+ (the vintage's population base), applied to its
registered list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inequalities import models
from inequalities.data import Dataset, editions, membership
from inequalities.report import charts, ledger, outputs, wording
from inequalities.topics import _places as places
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": ("area_code", "urban_rural", "coastal"),
    "lads": (
        "lad_code", "region_code", "region_name", "pct_65_plus", "coastal", "urban_rural",
    ),
    "indicators": ALL,
}

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
    ratios that cannot be estimated (fewer than :data:`MIN_AUTHORITIES` authorities on a
    side, none included) are missing with a note.
    """
    work = frame.copy()
    work["urban_rural"] = pd.Categorical(work["urban_rural"].astype(str), ["Urban", "Rural"])
    work["coastal_group"] = pd.Categorical(
        work["coastal"].astype(bool).map({True: "Coastal", False: "Non-coastal"}),
        ["Non-coastal", "Coastal"])
    rows = []
    for exposure, comparison, sides in (("urban_rural", "Rural vs urban", ("Rural", "Urban")),
                                        ("coastal_group", "Coastal vs non-coastal",
                                         ("Coastal", "Non-coastal"))):
        counts = work[exposure].value_counts()
        few = [f"{int(counts.get(side, 0)):,} {side.lower()}" if counts.get(side, 0)
               else f"no {side.lower()}" for side in sides]
        estimable = min(counts.get(side, 0) for side in sides) >= MIN_AUTHORITIES
        for column, label in DENOMINATORS.items():
            if not estimable:  # the model needs authorities enough on both sides
                rows.append(pd.DataFrame({
                    "rate_ratio": [np.nan], "lower": [np.nan], "upper": [np.nan],
                    "p_value": [np.nan], "n": [len(work)],
                    "note": [f"not estimated: {few[0]} and {few[1]} local authorities; each "
                             f"side needs {MIN_AUTHORITIES}"],
                    "comparison": [comparison], "denominator": [label]}))
                continue
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
    ``region_name``, ``share`` (per cent), ``n`` (authorities) and ``threshold``: one row
    per ONS region, then (with ``nhs``) per NHS England region and ICB (each authority
    counted whole in the one where most of its residents live,
    :mod:`inequalities.data.membership`), with England last (E92000001). Every registered
    patient of every authority is counted, so a share is a complete enumeration with no
    sampling interval. England's share is close to but not exactly 20%: the fifth is made
    of whole authorities (an authority belongs when the midpoint of its patients on the
    cumulative scale lies below 20%).
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
    out["share"] = 100 * out["share"]
    return out[["region_code", "region_name", "share", "n", "threshold"]]


def _rates_measure(dataset: Dataset) -> pd.DataFrame:
    rates = gp_rates(gp_frame(dataset))
    return pd.DataFrame({"group": [places.key(d, g) for d, g in
                                   zip(rates["denominator"], rates["group"])],
                         "value": rates["rate"].to_numpy()})


def _rates_n_measure(dataset: Dataset) -> pd.DataFrame:
    rates = gp_rates(gp_frame(dataset))
    return pd.DataFrame({"group": [places.key(d, g) for d, g in
                                   zip(rates["denominator"], rates["group"])],
                         "value": rates["n"].to_numpy(dtype=float)})


def _distance_measure(dataset: Dataset) -> pd.DataFrame:
    means = gp_distance(dataset)
    return pd.DataFrame({"group": means["group"], "value": means["value"]})


def _distance_n_measure(dataset: Dataset) -> pd.DataFrame:
    means = gp_distance(dataset)
    return pd.DataFrame({"group": means["group"], "value": means["n"].astype(float)})


def _lowest_measure(dataset: Dataset) -> pd.DataFrame:
    table = lowest_fifth(dataset, nhs=True)
    long = table.melt(id_vars="region_code", value_vars=["share", "n"], var_name="stat")
    long["group"] = [places.key(c, s) for c, s in zip(long["region_code"], long["stat"])]
    return long[["group", "value"]].sort_values("group").reset_index(drop=True)


def england_rates(national: pd.Series) -> pd.DataFrame:
    """England's GP FTE rates from the ``gp_fte_rate`` measure: denominator, group, value."""
    return places.unpack(national, ["denominator", "group"])


def region_lowest_fifth(national: pd.Series, region_code: str) -> dict[str, float]:
    """The ``share`` and ``n`` of one region from the ``lowest_access_fifth`` measure."""
    table = places.unpack(national, ["region_code", "stat"])
    rows = table[table["region_code"] == region_code]
    return {stat: float(v) for stat, v in zip(rows["stat"], rows["value"])} or \
        {"share": np.nan, "n": np.nan}


#: England's comparators for this chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("gp_fte_rate", _rates_measure, 2,
            "GP FTE per 10,000 registered (and age-weighted) patients by place group"),
    Measure("gp_fte_rate_n", _rates_n_measure, 0,
            "Local authorities behind each GP FTE rate"),
    Measure("gp_distance_km", _distance_measure, 2,
            "Mean road distance to a GP surgery (km) over small areas by place group"),
    Measure("gp_distance_n", _distance_n_measure, 0,
            "Small areas behind each mean distance to a GP surgery"),
    Measure("lowest_access_fifth", _lowest_measure, 1,
            "Per cent of each region's patients in England's lowest-access fifth of LAs, "
            "and the region's authorities"),
)


ENGLAND_CODE = "E92000001"
WORKFORCE = "NHS Digital, General Practice Workforce (March 2024)"


def workforce_source(ed: EditionData) -> str:
    """Source of a GP rate: the workforce and the vintage's population (ages 65+)."""
    return f"{WORKFORCE}; {ed.vintage.population_source}"

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


def gp_rates_chart(rates: pd.DataFrame, ed: EditionData):
    """Interval chart of :func:`gp_rates_by_place`, one panel per denominator."""
    return charts.group_intervals(
        rates, axis_title="GP FTE per 10,000 patients", title="GP workforce per patient",
        source=workforce_source(ed), description="GP FTE per 10,000 patients by type of place",
        panel="denominator", decimals=2)


def gp_ratios_by_place(ed: EditionData) -> pd.DataFrame:
    """:func:`gp_ratios` of the edition's local authorities."""
    return gp_ratios(gp_frame(ed.data))


def ratio_table(ratios: pd.DataFrame) -> outputs.Table:
    """:func:`gp_ratios_by_place` as shown: ratios and bounds with two decimals, notes."""
    table = ratios.assign(denominator=ratios["denominator"].str.replace(" patients", ""))
    table = table.rename(columns={"comparison": "Comparison", "denominator": "Patients counted",
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


def gp_distance_chart(distance: pd.DataFrame, ed: EditionData):
    """Interval chart of :func:`gp_distance_by_place`."""
    return charts.group_intervals(
        distance, axis_title="Road distance to a GP surgery (km)",
        title="Distance to a GP surgery",
        source=ed.vintage.gp_distance_source,
        description="Mean road distance to a GP surgery by type of area", decimals=2)


def lowest_fifth_of_edition(ed: EditionData) -> pd.DataFrame:
    """Share of patients in England's lowest-access fifth: ``region_code``, ``region_name``,
    ``share`` (per cent, a complete enumeration: no interval) and ``n`` (authorities).

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
                               "n": [own.get("n", np.nan), eng.get("n", np.nan)]})
    return lowest[["region_code", "region_name", "share", "n"]]


def lowest_fifth_table(lowest: pd.DataFrame) -> outputs.Table:
    """:func:`lowest_fifth_of_edition` as shown, with plain column names and units."""
    return outputs.show_table(pd.DataFrame({
        "Code": lowest["region_code"], "Area": lowest["region_name"],
        "% of registered patients in the lowest fifth": lowest["share"],
        "Local authorities": lowest["n"].round().astype("Int64")}))


# --- the ledger ---------------------------------------------------------------------------

PERIOD_WORKFORCE = "March 2024"
RATE_METHOD = ("ratio estimator (total FTE / total patients over authorities) with a "
               "linearisation 95% interval, authorities as units")
RATIO_METHOD = ("quasi-Poisson GLM of GP FTE with log(patients) offset, variance scaled by "
                "the Pearson dispersion; Wald 95% interval")
DISTANCE_METHOD = "unweighted mean over small areas with Student's t 95% interval"
LOWEST_METHOD = ("complete enumeration: per cent of registered patients living in the "
                 "local authorities that make up England's lowest fifth for GP FTE per "
                 "patient (authorities ranked over England; whole authorities, so England's "
                 "share is close to but not exactly 20%)")
#: Fewest authorities (or small areas) behind a group's rate, ratio or mean.
MIN_AUTHORITIES = 3
RATE_UNIT = "per 10,000 patients"


def _england_rows(ed: EditionData, measure: str, n_measure: str) -> pd.DataFrame:
    values, n = ed.england(measure), ed.england(n_measure)
    return pd.DataFrame({"group": values.index, "value": values.to_numpy(dtype=float),
                         "n": values.index.map(n).to_numpy(dtype=float)})


def statistics(ed: EditionData, rates: pd.DataFrame, ratios: pd.DataFrame,
               distance: pd.DataFrame, lowest: pd.DataFrame) -> pd.DataFrame:
    """The chapter's ledger rows (:func:`inequalities.report.ledger.rows`).

    From :func:`gp_rates_by_place` (GP FTE per 10,000 patients, local authorities as
    units), :func:`gp_ratios_by_place`, :func:`gp_distance_by_place` (small areas as
    units) and :func:`lowest_fifth_of_edition`; for a region also England's rates and
    distances (the national comparators, without interval). Groups of fewer than
    :data:`MIN_AUTHORITIES` units are not estimated.
    """
    common = {"topic": "access", "min_units": MIN_AUTHORITIES}
    workforce = workforce_source(ed)
    distance_source = {"source": ed.vintage.gp_distance_source,
                       "period": ed.vintage.gp_distance_period}
    parts = [
        ledger.rows(rates.assign(group=rates["group"] + ", " + rates["denominator"].str.lower()),
                    key="access.gp_rate", label="GP FTE per 10,000 patients", unit=RATE_UNIT,
                    kind="level", unit_type="LA", method=RATE_METHOD, source=workforce,
                    period=PERIOD_WORKFORCE, **common),
        ledger.rows(ratios.assign(group=ratios["comparison"] + ", "
                                  + ratios["denominator"].str.lower()),
                    key="access.gp_ratio", label="Ratio of GP FTE per patient", unit="ratio",
                    kind="ratio", unit_type="LA", method=RATIO_METHOD, value="rate_ratio",
                    source=workforce, period=PERIOD_WORKFORCE, note="note", **common),
        ledger.rows(distance, key="access.gp_distance",
                    label="Mean road distance to a GP surgery", unit="km", kind="level",
                    unit_type="LSOA", method=DISTANCE_METHOD, **distance_source, **common),
        ledger.rows(lowest.assign(group=lowest["region_name"]),
                    key="access.lowest_fifth_share",
                    label="Per cent of registered patients in England's lowest-access fifth "
                          "of local authorities", unit="%", kind="share", unit_type="LA",
                    method=LOWEST_METHOD, source=workforce, period=PERIOD_WORKFORCE,
                    value="share", lower=None, upper=None, topic="access", min_units=1),
    ]
    if not ed.edition.is_england:
        england = _england_rows(ed, "gp_fte_rate", "gp_fte_rate_n")
        parts.append(ledger.rows(
            england.assign(group=[f"{g.split(places.SEPARATOR)[1]}, "
                                  f"{g.split(places.SEPARATOR)[0].lower()} (England)"
                                  for g in england["group"]]),
            key="access.gp_rate_england", label="GP FTE per 10,000 patients, England",
            unit=RATE_UNIT, kind="level", unit_type="LA", method=RATE_METHOD + " (England)",
            source=workforce, period=PERIOD_WORKFORCE, lower=None, upper=None,
            **common))
        england = _england_rows(ed, "gp_distance_km", "gp_distance_n")
        parts.append(ledger.rows(
            england.assign(group=england["group"] + " (England)"),
            key="access.gp_distance_england",
            label="Mean road distance to a GP surgery, England", unit="km", kind="level",
            unit_type="LSOA", method=DISTANCE_METHOD.split(" with")[0] + " (England)",
            **distance_source, lower=None, upper=None, **common))
    return pd.concat(parts, ignore_index=True)


def _row(stats: pd.DataFrame, key: str) -> pd.Series | None:
    return ledger.find(stats, key)


def _text(stats: pd.DataFrame, key: str, missing: str, *, unit: bool = False) -> str:
    """A row's estimate and interval, or why there is none ("not estimated (…)" reads in
    a sentence), or ``missing`` when the edition has no such row."""
    row = _row(stats, key)
    if row is None:
        return missing
    text = ledger.interval_text(row, unit=unit)
    return (f"not estimated ({text.removeprefix('not estimated: ')})"
            if text.startswith("not estimated: ") else text)


def _rate_key(denominator: str, group: str, england: bool = False) -> str:
    suffix = " (England)" if england else ""
    return ("access.gp_rate" + ("_england" if england else "") + "."
            + ledger.key_part(f"{group}, {denominator.lower()}{suffix}"))


def _rate_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, str]:
    figures = {}
    for denominator, stem in RATE_KEYS.items():
        for group in places.GROUP_ORDER:
            figures[f"{stem}_{places.key_suffix(group)}"] = _text(
                stats, _rate_key(denominator, group), NO_SUCH_AUTHORITIES)
    own = figures["access.gp_rate_all_areas"]
    need = figures["access.gp_need_rate_all_areas"]
    if ed.edition.is_england:
        figures["access.gp_rate_summary"] = (
            f"Across all of England's authorities there were {own} GP FTE per 10,000 "
            "patients.")
        figures["access.gp_need_rate_summary"] = (
            f"On this basis there were {need} GP FTE per 10,000 age-weighted patients in "
            "England.")
        return figures
    england = {d: _text(stats, _rate_key(d, "All areas", True), "not available")
               for d in RATE_KEYS}
    figures["access.gp_rate_summary"] = (
        f"Across all authorities there were {own} GP FTE per 10,000 patients, against "
        f"{england['Registered patients']} in England." if not own.startswith("not ") else
        f"GP FTE per 10,000 patients across all authorities was {own} (England "
        f"{england['Registered patients']}).")
    figures["access.gp_need_rate_summary"] = (
        f"On this basis there were {need} GP FTE per 10,000 age-weighted patients (England "
        f"{england['Age-weighted patients']})." if not need.startswith("not ") else
        f"On this basis GP FTE per 10,000 age-weighted patients was {need} (England "
        f"{england['Age-weighted patients']}).")
    return figures


def _ratio_figures(stats: pd.DataFrame, ratios: pd.DataFrame) -> dict[str, str]:
    figures = {}
    for r in ratios.itertuples(index=False):
        stem, what, reference = RATIO_KEYS[r.comparison]
        need = r.denominator == DENOMINATORS["need_patients"]
        key = stem + ("_need" if need else "")
        row = _row(stats, "access.gp_ratio." + ledger.key_part(
            f"{r.comparison}, {r.denominator.lower()}"))
        subject = "GP FTE per age-weighted patient" if need else "GP FTE per patient"
        figures[key] = ledger.interval_text(row)
        if pd.notna(row["value"]):
            ratio = ledger.interval_text(row, inline=True)
            figures[f"{key}_finding"] = (
                wording.describe_ratio(row["value"], row["lower"], row["upper"], what=what,
                                       reference=reference, subject=subject)
                + f" (ratio {ratio})")
        else:
            reason = (str(row["note"]) or NOT_ESTIMABLE_RATIO).removeprefix("not estimated: ")
            figures[f"{key}_finding"] = wording.clause(
                None, what=what, reference=reference, subject=subject, reason=reason)
    return figures


def _distance_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, str]:
    """Each group's mean distance and how it compares: a region with England's same group,
    England's groups with England as a whole; England's edition never with itself."""
    figures = {}
    name = ed.edition.name
    base_key = ("access.gp_distance.all_areas" if ed.edition.is_england
                else "access.gp_distance_england.all_areas_england")
    base = _row(stats, base_key)
    for group in places.GROUP_ORDER:
        stem = f"access.distance_{places.key_suffix(group)}"
        row = _row(stats, f"access.gp_distance.{ledger.key_part(group)}")
        figures[stem] = (places.NO_SUCH_AREAS if row is None
                         else ledger.interval_text(row, unit=True))
        if group == "All areas":
            continue
        label = group.lower()
        if row is None:
            figures[f"{stem}_sentence"] = f"{name} has no {label} small areas"
            continue
        if ed.edition.is_england:
            reference, what = base, f"{label} areas"
            against = "England as a whole"
        else:
            reference = _row(stats, "access.gp_distance_england."
                             + ledger.key_part(f"{group} (England)"))
            what, against = f"{label} areas of {name}", f"{label} areas of England"
        comparison = (wording.describe_difference(
            row["value"] - reference["value"], row["lower"] - reference["value"],
            row["upper"] - reference["value"], what=what, reference=against, unit="km")
            if reference is not None else "England's figure is not available")
        figures[f"{stem}_sentence"] = (f"in {label} areas the mean was {figures[stem]}, "
                                       f"{comparison}")
    own = figures["access.distance_all_areas"]
    if ed.edition.is_england:
        figures["access.distance_summary"] = f"Across England it was {own}."
    else:
        row = _row(stats, "access.gp_distance.all_areas")
        eng = ledger.interval_text(base, unit=True)
        clause = wording.describe_difference(
            row["value"] - base["value"], row["lower"] - base["value"],
            row["upper"] - base["value"], what=name, reference="England", unit="km",
            subject="the mean distance")
        figures["access.distance_summary"] = (f"Across {name} it was {own}, against {eng} in "
                                              f"England: {clause}.")
    return figures


def _lowest_figures(ed: EditionData, stats: pd.DataFrame) -> dict[str, str]:
    own = _row(stats, "access.lowest_fifth_share." + ledger.key_part(ed.edition.name))
    england = _row(stats, "access.lowest_fifth_share.england")
    share = ledger.interval_text(own, unit=True)
    if ed.edition.is_england:
        sentence = (f"{share} of England's registered patients live in them; not exactly 20%, "
                    "because the fifth is made of whole authorities")
    elif own["value"] == 0:
        sentence = (f"none of the registered patients of {ed.edition.name} live in them "
                    f"(England {ledger.interval_text(england, unit=True)})")
    else:
        sentence = (f"{share} of the registered patients of {ed.edition.name} live in them, "
                    f"against {ledger.interval_text(england, unit=True)} of England's")
    return {"access.lowest_fifth_share": share, "access.lowest_fifth_sentence": sentence}


def key_figures(ed: EditionData, stats: pd.DataFrame, ratios: pd.DataFrame) -> dict[str, str]:
    """The chapter's key figures, formatted from :func:`statistics` rows.

    Estimates print with their 95% interval; findings are whole clauses that claim a
    difference only when the interval supports it (:mod:`inequalities.report.wording`). A
    region is compared with England; England's place groups with England as a whole, and
    England's edition never with itself. Place groups the edition lacks read "not
    available …"; ratios that cannot be estimated say why.
    """
    return {**_rate_figures(ed, stats), **_ratio_figures(stats, ratios),
            **_distance_figures(ed, stats), **_lowest_figures(ed, stats),
            "access.need_weight": f"{NEED_WEIGHT_65:g}",
            "access.n_lads": f"{len(gp_frame(ed.data)):,}",
            "access.lads_words": wording.count(len(gp_frame(ed.data)), "local authority",
                                               "local authorities")}
