"""Readers: one code path from any declared file layout to canonical tidy frames.

:func:`read_source` reads the columns a :class:`~inequalities.data.manifest.Source`
declares, renames them to canonical fields, adds declared constants, and hands the frame
to the tidy step of the source's *kind* (for example wide single-year population to
five-year bands, or wide IoD indicators to a long table). Whether the file is a
publisher's original layout or a tidied copy only changes the manifest, never this code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data.catalogue import AGE_BANDS, INDICATORS, RUC11_LSOA, RUC21_LAD, RUC21_LSOA
from inequalities.data.manifest import Source


class SourceError(ValueError):
    """A source file that does not match its declared layout (says file, column, fix)."""


@dataclass(frozen=True)
class Kind:
    """What a kind of source must provide and how it is tidied."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    tidy: Callable[[pd.DataFrame, Source], pd.DataFrame]
    wide_indicators: bool = False


# --------------------------------------------------------------------------- helpers

_TEXT_FIELDS = {"sex", "period", "indicator_id", "indicator", "area_type", "age", "unit",
                "category_type", "category", "compared", "icb_code_nhs", "list_type",
                "rurality", "rurality_code", "urban_rural", "ruc_label"}

_LEVEL_BY_PREFIX = {
    "E92": "England", "E12": "Region", "E06": "LAD", "E07": "LAD", "E08": "LAD",
    "E09": "LAD", "E10": "UTLA", "E11": "MCTY", "E47": "CA", "E54": "ICB", "E38": "SICBL",
    "E01": "LSOA", "E02": "MSOA",
}


def area_level_of(codes: pd.Series) -> pd.Series:
    """Geography level of ONS GSS codes from their entity prefix (E01 LSOA, E06-9 LAD ...).

    Reference: ONS Register of Geographic Codes. Unknown prefixes give ``"Other"``.
    """
    return codes.astype("string").str[:3].map(_LEVEL_BY_PREFIX).fillna("Other").astype(str)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().astype(str)


def _number(series: pd.Series, where: str) -> pd.Series:
    out = pd.to_numeric(series, errors="coerce")
    bad = out.isna() & series.notna() & (series.astype("string").str.strip() != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise SourceError(f"{where}: value {series.iloc[row]!r} in data row {row + 1} is not "
                          "a number; correct the file or its manifest column mapping")
    return out.astype(float)


def _urban_rural_from_code(codes: pd.Series, table: dict) -> pd.Series:
    return codes.map({k: v[1] for k, v in table.items()})


# --------------------------------------------------------------------------- tidy steps

def _tidy_lookup_lsoa11(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    return df.sort_values("area_code", ignore_index=True)


def _tidy_lookup_lsoa21(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """LSOA 2021 -> LAD geography from the ONS LSOA 2011 -> 2021 -> LAD 2022 lookup.

    That lookup has one row per 2011/2021 pair (several for split and merged areas); every
    2021 LSOA lies in one LAD, so one row per 2021 code is kept. A 2021 code placed in two
    LADs is an error in the file.
    """
    df = df.drop_duplicates(subset=[c for c in df.columns if c in
                                    ("area_code", "area_name", "lad_code", "lad_name")])
    dup = df["area_code"].duplicated(keep=False)
    if dup.any():
        raise SourceError(f"{src.file}: LSOA 2021 {df.loc[dup, 'area_code'].iloc[0]} lies in "
                          "more than one LAD; a 2021 LSOA must nest in one authority")
    return df.sort_values("area_code", ignore_index=True)


def _tidy_area_icb(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    dup = df["area_code"].duplicated()
    if dup.any():
        raise SourceError(f"{src.file}: small area {df.loc[dup, 'area_code'].iloc[0]} appears "
                          "twice; the ICB lookup needs one row per area")
    return df


def _tidy_identity(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    return df


def _tidy_lad_region(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    df["lad_vintage"] = _number(df["lad_vintage"], f"{src.file}, column lad_vintage")
    df["lad_vintage"] = df["lad_vintage"].astype(int)
    return df


def _tidy_ruc_lsoa(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    codes = _text(df["rurality_code"])
    df["rurality_code"] = codes
    table = RUC11_LSOA if codes.isin(list(RUC11_LSOA)).all() else RUC21_LSOA
    if "rurality" not in df:
        df["rurality"] = codes.map({k: v[0] for k, v in table.items()})
    if "urban_rural" not in df:
        df["urban_rural"] = _urban_rural_from_code(codes, table)
    if table is RUC11_LSOA:
        df["sparse"] = codes.map({k: v[2] for k, v in RUC11_LSOA.items()}).astype(bool)
    else:  # RUC 2021 has no sparsity context (it distinguishes "further from" a city)
        df["sparse"] = pd.Series(pd.NA, index=df.index, dtype="boolean")
    return df


def _tidy_ruc_lad(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    codes = _text(df["rurality_code"])
    df["rurality_code"] = codes
    if "rurality" not in df:
        df["rurality"] = codes.map({k: v[0] for k, v in RUC21_LAD.items()})
    if "urban_rural" not in df:
        df["urban_rural"] = _urban_rural_from_code(codes, RUC21_LAD)
    return df


def _tidy_ruc_lad11(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    df["ruc_class"] = _number(df["ruc_class"], f"{src.file}, ruc_class").astype(int)
    df["urban_rural"] = np.where(df["ruc_class"] <= 2, "Rural", "Urban")
    return df


def _tidy_imd(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    df["imd_score"] = _number(df["imd_score"], f"{src.file}, imd_score")
    for col in ("imd_rank", "imd_decile", "health_decile", "access_decile", "income_decile"):
        if col in df:
            df[col] = _number(df[col], f"{src.file}, {col}").astype("Int64")
    if "income_score" in df:
        df["income_score"] = _number(df["income_score"], f"{src.file}, income_score")
    df["imd_quintile"] = ((df["imd_decile"] + 1) // 2).astype("Int64")
    df["core20"] = (df["imd_quintile"] == 1).astype(bool)
    return df


def _tidy_coastal(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    values = _number(df["coastal"], f"{src.file}, coastal")
    df["coastal"] = values.fillna(0).astype(int).astype(bool)
    return df


def _wide_to_long(df: pd.DataFrame, src: Source, keys: list[str]) -> pd.DataFrame:
    columns = {col: ind_id for ind_id, col in src.indicators.items()}
    frame = df[keys + list(columns)].rename(columns=columns)
    long = frame.melt(id_vars=keys, var_name="indicator_id", value_name="value")
    long["value"] = _number(long["value"], f"{src.file}, indicator columns")
    return long


def _tidy_iod_indicators(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    long = _wide_to_long(df, src, ["area_code"])
    long["period"] = str(src.options.get("period", "2019"))
    long["sex"] = "Persons"
    long["age"] = "All ages"
    return long


def _tidy_msoa_values(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Wide MSOA files (one column per indicator, e.g. OHID Local Health life expectancy):
    long rows with the manifest's ``period``; an id ending ``_male``/``_female`` is that
    sex, any other "Persons". Suppressed cells ("N/A") become missing values."""
    for col in src.indicators.values():
        df[col] = df[col].replace({"N/A": None, "n/a": None})
    long = _wide_to_long(df, src, ["area_code"])
    long["period"] = str(src.constants.get("period", ""))
    ids = long["indicator_id"].astype(str)
    long["sex"] = np.select([ids.str.endswith("_male"), ids.str.endswith("_female")],
                            ["Male", "Female"], "Persons")
    long["age"] = "All ages"
    return long


def _smi_period(labels: pd.Series) -> pd.Series:
    """NHS England's "SMI-Q4-2023-2024" -> "2023-24 Q4" (sorts in time order)."""
    parts = _text(labels).str.extract(r"Q(?P<q>[1-4])-(?P<y>\d{4})-\d{2}(?P<e>\d{2})$")
    if parts.isna().any().any():
        row = int(np.flatnonzero(parts.isna().any(axis=1).to_numpy())[0])
        raise SourceError(f"period {labels.iloc[row]!r} in data row {row + 1} is not like "
                          "'SMI-Q4-2023-2024'")
    return parts["y"] + "-" + parts["e"] + " Q" + parts["q"]


def _tidy_smi(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """NHS England's physical health checks for people with SMI (long: period, sub-ICB,
    question, answer): one row per sub-ICB and quarter, ``count`` the people with all six
    checks in the 12 months to the quarter's end (All6PHC), ``denominator`` the SMI register
    (SMIRegister), ``value`` their percentage. ``area_code`` is the ODS sub-ICB (or CCG)
    code; the data layer aggregates to ICBs and England (``subicb_icb`` lookup)."""
    df["answer"] = _number(df["answer"], f"{src.file}, answer")
    wide = df[_text(df["question"]).isin(["All6PHC", "SMIRegister"])].pivot_table(
        index=["subicb_code", "period"], columns="question", values="answer",
        aggfunc="sum", min_count=1).reset_index()
    out = pd.DataFrame({"area_code": _text(wide["subicb_code"]),
                        "period": _smi_period(wide["period"]).to_numpy(),
                        "count": wide["All6PHC"].to_numpy(dtype=float),
                        "denominator": wide["SMIRegister"].to_numpy(dtype=float)})
    out["value"] = 100 * out["count"] / out["denominator"]
    out["indicator_id"] = "smi_all6_checks"
    out["sex"] = "Persons"
    out["age"] = "All ages"
    return out


def _tidy_subicb(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Sub-ICB (ODS code) -> ICB (ONS code), one row per sub-ICB."""
    df["subicb_code"] = _text(df["subicb_code"])
    df["icb_code"] = _text(df["icb_code"])
    return df[["subicb_code", "icb_code"]].drop_duplicates("subicb_code").reset_index(
        drop=True)


def _tidy_trust_workforce(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Consultant FTE by trust and quarter; the staged file holds the SUM of the monthly
    FTEs of the months present, so ``months`` says how many (3, or 1 for the quarters in
    ``options.one_month_quarters``) and mean FTE = ``consultant_fte_months / months``."""
    single = set(src.options.get("one_month_quarters", []))
    period = _text(df["period"])
    return pd.DataFrame({
        "trust_code": _text(df["trust_code"]), "period": period,
        "year": period.str[:4].astype(int),
        "consultant_fte_months": _number(df["consultant"], f"{src.file}, consultant"),
        "months": np.where(period.isin(single), 1, 3)})


def _tidy_trust_catchment(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    return pd.DataFrame({
        "trust_code": _text(df["trust_code"]),
        "year": _number(df["year"], f"{src.file}, year").astype(int),
        "catchment": _number(df["catchment"], f"{src.file}, catchment")})


def _tidy_trust_sites(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    return pd.DataFrame({"trust_code": _text(df["trust_code"]),
                         "site_code": _text(df["site_code"]),
                         "lad_code": _text(df["lad_code"])}).drop_duplicates("site_code")


def _tidy_hex_layout(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Open Innovations HexJSON layouts flattened to one row per hexagon: ``geography``
    (``options.geography``, "LAD" or "ICB"), ``code``, ``name``, offset coordinates ``q``
    (column) and ``r`` (row) and the ``layout`` (odd-r, even-r, odd-q, even-q)."""
    return pd.DataFrame({
        "geography": str(src.options.get("geography", "LAD")),
        "code": _text(df["code"]), "name": _text(df["name"]).str.strip(),
        "q": _number(df["q"], f"{src.file}, q").astype(int),
        "r": _number(df["r"], f"{src.file}, r").astype(int),
        "layout": _text(df["layout"])})


def _tidy_health_index(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    df["period"] = _number(df["period"], f"{src.file}, period").astype(int).astype(str)
    long = _wide_to_long(df, src, ["lad_code", "period"])
    long = long.rename(columns={"lad_code": "area_code"})
    long["sex"] = "Persons"
    long["age"] = "All ages"
    return long


def _tidy_long_lad(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Long LA files (code, year, indicator name, value): keep the declared indicators."""
    names = {str(name): ind_id for ind_id, name in src.indicators.items()}
    df = df[_text(df["indicator_name"]).isin(list(names))].reset_index(drop=True)
    return pd.DataFrame({
        "area_code": _text(df["lad_code"]),
        "period": _number(df["period"], f"{src.file}, period").astype(int).astype(str),
        "indicator_id": _text(df["indicator_name"]).map(names),
        "value": _number(df["value"], f"{src.file}, value"),
        "sex": "Persons", "age": "All ages",
    })


def _tidy_population(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Single years of age 0..(open-1) plus an open band -> ESP 2013 five-year bands."""
    pattern = src.options.get("age_column", "age_{age}")
    open_age = int(src.options.get("open_age", 90))
    open_col = src.options.get("open_age_column", pattern.format(age=f"{open_age}plus"))
    single = [pattern.format(age=a) for a in range(open_age)]
    bands = {}
    for start in range(0, open_age, 5):
        cols = single[start:start + 5]
        bands[f"{start}-{start + 4}"] = df[cols].to_numpy(dtype=float).sum(axis=1)
    bands[f"{open_age}+"] = df[open_col].to_numpy(dtype=float)
    wide = pd.DataFrame(bands)
    wide.insert(0, "area_code", df["area_code"].to_numpy())
    long = wide.melt(id_vars="area_code", var_name="age_band", value_name="population")
    long["sex"] = src.constants.get("sex", df["sex"].iloc[0] if "sex" in df else "Persons")
    long["age_band"] = pd.Categorical(long["age_band"], categories=list(AGE_BANDS),
                                      ordered=True)
    long["population"] = long["population"].round().astype("int64")
    long = long.sort_values(["area_code", "age_band"], ignore_index=True)
    return long[["area_code", "sex", "age_band", "population"]]


def _band_columns(src: Source) -> dict[str, str]:
    """Age-band label -> file column for a five-year-band population file.

    ``options``: ``band_column`` (pattern with ``{lo}`` and ``{hi}``, default
    ``age_{lo}_{hi}``), ``open_age`` (start of the open band, default 85) and
    ``open_age_column`` (default ``age_{open_age}plus``).
    """
    pattern = src.options.get("band_column", "age_{lo}_{hi}")
    open_age = int(src.options.get("open_age", 85))
    bands = {f"{lo}-{lo + 4}": pattern.format(lo=lo, hi=lo + 4) for lo in range(0, open_age, 5)}
    bands[f"{open_age}+"] = src.options.get("open_age_column", f"age_{open_age}plus")
    return bands


def _tidy_population_bands(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Five-year-band counts (Census 2021 TS007A: 0-4 ... 80-84, 85+) -> long table.

    The open band is kept as published (``85+``): Census small-area tables do not split
    it, so it is not forced into the ESP 2013 bands 85-89 and 90+.
    """
    bands = _band_columns(src)
    long = pd.DataFrame({
        "area_code": np.repeat(_text(df["area_code"]).to_numpy(), len(bands)),
        "age_band": np.tile(list(bands), len(df)),
        "population": df[list(bands.values())].to_numpy(dtype=float).ravel(),
    })
    long["sex"] = src.constants.get("sex", "Persons")
    long["age_band"] = pd.Categorical(long["age_band"], categories=list(bands), ordered=True)
    long["population"] = long["population"].round().astype("int64")
    long = long.sort_values(["area_code", "age_band"], ignore_index=True)
    return long[["area_code", "sex", "age_band", "population"]]


def _population_columns(src: Source) -> list[str]:
    pattern = src.options.get("age_column", "age_{age}")
    open_age = int(src.options.get("open_age", 90))
    open_col = src.options.get("open_age_column", pattern.format(age=f"{open_age}plus"))
    return [pattern.format(age=a) for a in range(open_age)] + [open_col]


#: The publisher's comparison of an area with England as Fingertips writes it (the
#: standard export's "Compared to England value or percentiles" names the confidence
#: level, "Better 95%"; tidied extracts drop it, "Better"), and as the data layer keeps it.
#: Only 95% judgements are accepted: a "Better 99.8%" would be a different test.
COMPARED_VALUES = {
    "Better": "better", "Better 95%": "better", "Similar": "similar",
    "Worse": "worse", "Worse 95%": "worse", "Higher": "higher", "Higher 95%": "higher",
    "Lower": "lower", "Lower 95%": "lower", "Not compared": "not compared",
}


def _compared(values: pd.Series, src: Source) -> pd.Series:
    """The publisher's judgement in :data:`COMPARED_VALUES`' words; blank is missing.
    Raises :class:`SourceError` at the first value not in the list."""
    text = _text(values).str.strip()
    blank = values.isna() | text.eq("")
    mapped = text.map(COMPARED_VALUES)
    bad = ~blank & mapped.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise SourceError(f"{src.file}: comparison with England {text.iloc[row]!r} in data "
                          f"row {row + 1} is not one of {', '.join(COMPARED_VALUES)}")
    return mapped.where(~blank)


def _tidy_fingertips(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    if "category_type" in df:  # the standard export repeats each area by inequality breakdown
        blank = df["category_type"].isna() | _text(df["category_type"]).eq("")
        df = df[blank].drop(columns=["category_type", "category"], errors="ignore")
        df = df.reset_index(drop=True)
    df["area_code"] = _text(df["area_code"])
    df["indicator_id"] = _text(df["indicator_id"]).str.replace(r"\.0$", "", regex=True)
    for col in ("value", "lower", "upper", "count", "denominator"):
        df[col] = _number(df[col], f"{src.file}, {col}") if col in df else np.nan
    df["period"] = _text(df["period"])
    df["sex"] = _text(df["sex"])
    df["compared"] = _compared(df["compared"], src) if "compared" in df else np.nan
    return df


def _tidy_gp(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    patients = _number(df["patients"], f"{src.file}, patients")
    fte = _number(df["gp_fte"], f"{src.file}, gp_fte")
    base = pd.DataFrame({"area_code": _text(df["lad_code"]), "period": df["period"]})
    per_fte = base.assign(indicator_id="gp_patients_per_fte", count=patients,
                          denominator=fte, value=patients / fte)
    per_10k = base.assign(indicator_id="gp_fte_per_10k", count=fte, denominator=patients,
                          value=fte / patients * 10_000)
    out = pd.concat([per_fte, per_10k], ignore_index=True)
    out["sex"] = "Persons"
    out["age"] = "All ages"
    return out


def _tidy_ae(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    when = pd.to_datetime(_text(df["period"]), format="%B %Y", errors="coerce")
    if when.isna().any():
        when = pd.to_datetime(_text(df["period"]), errors="coerce")
    if when.isna().any():
        row = int(np.flatnonzero(when.isna().to_numpy())[0])
        raise SourceError(f"{src.file}: period {df['period'].iloc[row]!r} in data row "
                          f"{row + 1} is not a month like 'April 2022' or '2022-04'")
    period = when.dt.strftime("%Y-%m")
    att = _number(df["attendances"], f"{src.file}, attendances")
    over = _number(df["attendances_over_4h"], f"{src.file}, attendances_over_4h")
    adm = _number(df["emergency_admissions"], f"{src.file}, emergency_admissions")
    base = pd.DataFrame({"area_code": _text(df["icb_code"]), "period": period})
    pct = base.assign(indicator_id="ae_over_4h_pct", count=over, denominator=att,
                      value=100 * over / att)
    adm_rows = base.assign(indicator_id="ae_emergency_admissions", count=adm,
                           denominator=np.nan, value=adm)
    out = pd.concat([pct, adm_rows], ignore_index=True)
    out["sex"] = "Persons"
    out["age"] = "All ages"
    return out


def _tidy_practice_prevalence(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """QOF raw prevalence file: one row per practice and register (``GROUP_CODE``).

    ``measure`` is ``qof_`` + the lower-case group code (``qof_hyp``, ``qof_copd``,
    ``qof_mh`` for severe mental illness); ``count`` the register (stored as a float in
    the original, e.g. ``112.0``) and ``denominator`` the list size of the register's age
    band (``list_type``: TOTAL, 06OV ... 50OV). NHS England, Quality and Outcomes
    Framework raw data (PREVALENCE_2223.csv).
    """
    count = _number(df["register"], f"{src.file}, register")
    den = _number(df["list_size"], f"{src.file}, list_size")
    return pd.DataFrame({"practice_code": _text(df["practice_code"]),
                         "measure": "qof_" + _text(df["group_code"]).str.lower(),
                         "period": _text(df["period"]), "count": count,
                         "denominator": den,
                         "list_type": _text(df["list_type"]) if "list_type" in df else ""})


def _tidy_practice_workforce(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Practice GP workforce by financial year: ``measure`` ``gp_fte``.

    ``count`` = fully qualified GP FTE (excluding trainees and locums) and ``denominator``
    = registered patients, both as the file gives them: HEEC's means of NHS Digital's
    monthly practice-level General Practice Workforce files within each financial year
    (not sums, so nothing is divided by a number of months here). ``period`` is the
    financial year, ``2022/23`` for the file's year 2023 (its end year).
    """
    year = _number(df["year"], f"{src.file}, year").astype("Int64")
    if year.isna().any():
        raise SourceError(f"{src.file}: a year is missing; every row needs its financial year")
    period = (year - 1).astype(str) + "/" + (year % 100).astype(str).str.zfill(2)
    return pd.DataFrame({"practice_code": _text(df["practice_code"]), "measure": "gp_fte",
                         "period": period.to_numpy(),
                         "count": _number(df["gp_fte"], f"{src.file}, gp_fte"),
                         "denominator": _number(df["patients"], f"{src.file}, patients"),
                         "list_type": "TOTAL"})


def _tidy_practice_geography(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Practice -> ICB (ODS code) lookup; one row per practice (the first kept)."""
    out = pd.DataFrame({"practice_code": _text(df["practice_code"]),
                        "icb_code_nhs": _text(df["icb_code_nhs"])})
    out["practice_name"] = (_text(df["practice_name"]) if "practice_name" in df
                            else out["practice_code"])
    return out.drop_duplicates("practice_code").reset_index(drop=True)


def _tidy_practice_imd(df: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Practice IMD scores (Fingertips 93553): rows of ``options.year`` (default 2019)."""
    year = _number(df["year"], f"{src.file}, year")
    keep = year == float(src.options.get("year", 2019))
    out = pd.DataFrame({"practice_code": _text(df.loc[keep, "practice_code"]),
                        "imd_score": _number(df.loc[keep, "imd_score"],
                                             f"{src.file}, imd_score")})
    return out.drop_duplicates("practice_code").reset_index(drop=True)


KINDS: dict[str, Kind] = {
    "lookup_lsoa11": Kind(("area_code", "lad_code"),
                          ("region_code", "region_name", "area_name", "lad_name", "msoa_code",
                           "msoa_name", "icb_code", "icb_name", "sicbl_code", "sicbl_name"),
                          _tidy_lookup_lsoa11),
    "lookup_lsoa21": Kind(("area_code", "lad_code"), ("area_name", "lad_name"),
                          _tidy_lookup_lsoa21),
    "area_icb": Kind(("area_code", "icb_code"), ("icb_name", "sicbl_code", "sicbl_name"),
                     _tidy_area_icb),
    "area_msoa11": Kind(("area_code", "msoa_code"), ("msoa_name",), _tidy_identity),
    "lad_history": Kind((), (), _tidy_identity),
    "lad_region": Kind(("lad_vintage", "lad_code", "lad_name", "region_code", "region_name"),
                       (), _tidy_lad_region),
    "lsoa_crosswalk": Kind(("lsoa11_code", "lsoa21_code"), ("change_code",), _tidy_identity),
    "ruc_lsoa": Kind(("area_code", "rurality_code"), ("area_name", "rurality", "urban_rural"),
                     _tidy_ruc_lsoa),
    "ruc_lad": Kind(("lad_code", "rurality_code"), ("rurality", "urban_rural"), _tidy_ruc_lad),
    "ruc_lad11": Kind(("lad_code", "ruc_class"), ("lad_name", "ruc_label",
                                                  "rural_incl_hub_pop", "total_pop"),
                      _tidy_ruc_lad11),
    "imd_lsoa": Kind(("area_code", "imd_score", "imd_rank", "imd_decile"),
                     ("health_decile", "access_decile", "income_score", "income_decile"),
                     _tidy_imd),
    "iod_indicators": Kind(("area_code",), (), _tidy_iod_indicators, wide_indicators=True),
    "population_sya": Kind(("area_code", "total"), ("area_name", "sex"), _tidy_population),
    "population_bands": Kind(("area_code", "total"), ("area_name",), _tidy_population_bands),
    "coastal_lsoa": Kind(("area_code", "coastal"), (), _tidy_coastal),
    "fingertips": Kind(("area_code", "sex", "period", "value", "indicator_id"),
                       ("indicator", "area_name", "area_type", "age", "lower", "upper",
                        "count", "denominator", "unit", "category_type", "category",
                        "compared"),
                       _tidy_fingertips),
    "gp_workforce_lad": Kind(("lad_code", "patients", "gp_fte", "period"), (), _tidy_gp),
    "ae_icb": Kind(("icb_code", "period", "attendances", "attendances_over_4h",
                    "emergency_admissions"), (), _tidy_ae),
    "msoa_values": Kind(("area_code",), ("period",), _tidy_msoa_values, wide_indicators=True),
    "health_index_lad": Kind(("lad_code", "period"), (), _tidy_health_index,
                             wide_indicators=True),
    "long_lad": Kind(("lad_code", "period", "indicator_name", "value"), (), _tidy_long_lad),
    "practice_prevalence": Kind(("practice_code", "group_code", "register", "list_size",
                                 "period"), ("list_type",), _tidy_practice_prevalence),
    "practice_workforce": Kind(("practice_code", "year", "patients", "gp_fte"), (),
                               _tidy_practice_workforce),
    "practice_geography": Kind(("practice_code", "icb_code_nhs"), ("practice_name",),
                               _tidy_practice_geography),
    "practice_imd": Kind(("practice_code", "year", "imd_score"), (), _tidy_practice_imd),
    "smi_checks": Kind(("subicb_code", "period", "question", "answer"), (), _tidy_smi),
    "subicb_icb": Kind(("subicb_code", "icb_code"), (), _tidy_subicb),
    "trust_workforce": Kind(("trust_code", "period", "consultant"), (),
                            _tidy_trust_workforce),
    "trust_catchment": Kind(("trust_code", "year", "catchment"), (), _tidy_trust_catchment),
    "trust_sites": Kind(("trust_code", "site_code", "lad_code"), (), _tidy_trust_sites),
    "hex_layout": Kind(("code", "name", "q", "r", "layout"), (), _tidy_hex_layout),
}


def file_columns(src: Source) -> list[str]:
    """Return the file columns a source's manifest entry declares (what the file must hold)."""
    cols = list(dict.fromkeys(src.columns.values()))
    if KINDS[src.kind].wide_indicators:
        cols += [c for c in src.indicators.values() if c not in cols]
    if src.kind == "population_sya":
        cols += _population_columns(src)
    if src.kind == "population_bands":
        cols += list(_band_columns(src).values())
    return cols


def _read_table(src: Source, path: Path, *, columns: list[str] | None = None,
                header_only: bool = False, dtype: dict | None = None) -> pd.DataFrame:
    """Read a CSV or an Excel sheet (optionally inside a zip archive) into a frame.

    ``options.sheet`` names the sheet, ``options.skip_rows`` the rows above the header and
    ``options.member`` the file inside a zip archive (for publishers that ship xlsx in a
    zip, such as ONS small-area population estimates).
    """
    if src.format == "csv":
        try:
            if header_only:
                return pd.read_csv(path, nrows=0, encoding="utf-8-sig")
            _check_rows(src, path)
            return pd.read_csv(path, usecols=columns, dtype=dtype, encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{src.file}: byte {exc.start} is not UTF-8 ({exc.reason}); save "
                              "the file as UTF-8") from None
        except pd.errors.EmptyDataError:
            raise SourceError(f"{src.file}: the file is empty (not even a header row); "
                              "fetch it again") from None
    if src.format != "xlsx":
        raise SourceError(f"{src.file}: format {src.format!r} is not supported; use 'csv' "
                          "or 'xlsx' (with options.sheet, options.skip_rows, options.member)")
    import io
    import zipfile

    handle: object = path
    member = src.options.get("member")
    if member:
        with zipfile.ZipFile(path) as archive:
            if member not in archive.namelist():
                raise SourceError(f"{path}: archive has no member {member!r}; it holds "
                                  f"{', '.join(archive.namelist()[:5])}")
            handle = io.BytesIO(archive.read(member))
    df = pd.read_excel(handle, sheet_name=src.options.get("sheet", 0),
                       skiprows=int(src.options.get("skip_rows", 0)),
                       nrows=0 if header_only else None, dtype=dtype)
    df.columns = [str(c).strip() for c in df.columns]
    return df if columns is None else df[columns]


def _check_rows(src: Source, path: Path) -> None:
    """Raise :class:`SourceError` at the first row whose field count differs from the
    header's: ``usecols`` would otherwise read a short or long row misaligned, silently."""
    import csv

    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle)
        width = len(next(rows, []))
        for line, row in enumerate(rows, start=2):
            if len(row) != width and row:
                raise SourceError(
                    f"{src.file}: line {line} has {len(row)} fields where the header has "
                    f"{width}; correct that row (a missing or extra comma, or an unquoted "
                    "comma in a name)")


def read_header(src: Source, root: str | Path) -> list[str]:
    """Column names of a source file, without reading its body (CSV) or data (xlsx)."""
    return list(_read_table(src, src.path(Path(root)), header_only=True).columns)


def read_raw(src: Source, root: str | Path) -> pd.DataFrame:
    """Read the declared columns of a source file, renamed to canonical fields.

    Raises :class:`SourceError` naming the file and the missing columns if the file does
    not match the manifest. Codes are read as text, everything else as pandas infers it.
    """
    if src.kind not in KINDS:
        raise SourceError(f"source {src.id!r}: unknown kind {src.kind!r}; "
                          f"known kinds: {', '.join(sorted(KINDS))}")
    path = src.path(Path(root))
    if not path.is_file():
        raise SourceError(f"{path}: file not found for source {src.id!r}; fetch it with "
                          "'inequalities data fetch' or correct 'file' in the manifest")
    header = read_header(src, root)
    wanted = file_columns(src)
    missing = [c for c in wanted if c not in header]
    if missing:
        raise SourceError(f"{path}: missing column(s) {', '.join(map(repr, missing))} "
                          f"declared for source {src.id!r}; the file has "
                          f"{', '.join(header[:12])}{' …' if len(header) > 12 else ''}. "
                          "Fix the manifest's [source.columns] mapping or the file.")
    text_cols = {col: str for canon, col in src.columns.items()
                 if canon.endswith(("_code", "_name")) or canon in _TEXT_FIELDS}
    df = _read_table(src, path, columns=wanted, dtype=text_cols)
    rename = {}
    for canon, col in src.columns.items():
        rename.setdefault(col, canon)
    df = df.rename(columns=rename)
    for canon, col in src.columns.items():  # one file column feeding two canonical fields
        if canon not in df:
            df[canon] = df[rename[col]]
    for canon, value in src.constants.items():
        df[canon] = str(value) if not isinstance(value, int | float) else value
    kind = KINDS[src.kind]
    absent = [c for c in kind.required if c not in df]
    if absent:
        raise SourceError(f"source {src.id!r} ({src.file}): the manifest maps no column to "
                          f"required field(s) {', '.join(absent)}; add them to "
                          "[source.columns] or [source.constants]")
    return df


def read_source(src: Source, root: str | Path) -> pd.DataFrame:
    """Read one source and return its canonical tidy frame (see :data:`KINDS`).

    Every error names the file: a :class:`SourceError` as raised, anything else (a value
    the tidying cannot handle) as a :class:`SourceError` naming the file and the cause.
    """
    df = read_raw(src, root)
    try:
        return KINDS[src.kind].tidy(df, src)
    except SourceError:
        raise
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        raise SourceError(f"{src.file}: cannot be read as a {src.kind!r} source "
                          f"({type(exc).__name__}: {exc}); check it with 'inequalities data "
                          "validate'") from None


def indicator_metadata(ids: pd.Series) -> pd.DataFrame:
    """Name and unit for indicator ids from :data:`~inequalities.data.catalogue.INDICATORS`."""
    names = {k: v.name for k, v in INDICATORS.items()}
    units = {k: v.unit for k, v in INDICATORS.items()}
    return pd.DataFrame({"indicator": ids.map(names), "unit": ids.map(units)})
