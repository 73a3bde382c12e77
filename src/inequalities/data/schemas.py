"""Light in-house schemas: declared columns with types, ranges, patterns and keys.

A :class:`Schema` is checked by :func:`check_frame`, which returns every violation as a
:class:`Problem` (file, row, column, rule, message) instead of stopping at the first, so
``inequalities data validate`` can report all problems at once. Rows are 1-based data
rows (the header is not counted; file line = row + 1). In-house rather than pandera to
keep ``import inequalities.data`` light: notebooks import it on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_ROWS_PER_RULE = 20
#: Largest magnitude a number in a source may have: no count, rate or score in England's
#: data comes near it, and beyond it sums overflow (1e300) or are not numbers (inf).
MAX_MAGNITUDE = 1e12

LSOA_CODE = r"E01\d{6}"
MSOA_CODE = r"E02\d{6}"
LAD_CODE = r"E0[6-9]\d{6}"
REGION_CODE = r"E12\d{6}"
ICB_CODE = r"E54\d{6}"
ANY_GSS = r"[EKNSW]\d{8}"
#: ODS code of a GP practice (England: a letter and five digits, e.g. A81001; some
#: prescribing cost centres have other letters, so letters and digits are allowed).
PRACTICE_CODE = r"[A-Z0-9]{6}"
NHS_REGION_CODE = r"E40\d{6}"
#: The publisher's comparison with England in a Fingertips file (readers.COMPARED_VALUES).
FINGERTIPS_COMPARED = ("Better", "Better 95%", "Similar", "Worse", "Worse 95%", "Higher",
                       "Higher 95%", "Lower", "Lower 95%", "Not compared")


@dataclass(frozen=True)
class Problem:
    """One rule broken: where (file, row, column) and what (rule, message)."""

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: [{self.rule}] {self.message}"


@dataclass(frozen=True)
class Field:
    """A column: kind ('text', 'int', 'float', 'bool'), nullability and value rules."""

    kind: str = "text"
    nullable: bool = False
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    allowed: Sequence | None = None
    required: bool = True


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns: ``ok(frame)`` is True for rows that pass."""

    name: str
    columns: tuple[str, ...]
    ok: Callable[[pd.DataFrame], pd.Series]
    message: str


@dataclass(frozen=True)
class Schema:
    """Columns, a unique key and row rules of one table."""

    name: str
    fields: dict[str, Field]
    key: tuple[str, ...] = ()
    rules: tuple[RowRule, ...] = field(default_factory=tuple)


def _rows(mask: pd.Series | np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask, dtype=bool)) + 1


def _report(problems: list[Problem], file: str, rows: np.ndarray, column: str | None,
            rule: str, message: Callable[[int], str], columns: list[str] | None = None) -> None:
    for r in rows[:MAX_ROWS_PER_RULE]:
        problems.append(Problem(file, int(r), column, rule, message(int(r))))
    if len(rows) > MAX_ROWS_PER_RULE:
        problems.append(Problem(file, None, column, rule,
                                f"... and {len(rows) - MAX_ROWS_PER_RULE} more rows "
                                f"break this rule ({len(rows)} in all)"))


def _check_column(problems: list[Problem], file: str, shown: str, spec: Field,
                  values: pd.Series) -> None:
    """Append the problems of one column (type, nulls, range, pattern, allowed)."""
    missing = values.isna()
    if spec.kind == "text":
        missing |= values.astype("string").str.strip().eq("").fillna(False)
    if not spec.nullable and missing.any():
        _report(problems, file, _rows(missing), shown, "not-null",
                lambda r: "value is missing; this column must be filled")
    present = ~missing
    if spec.kind in ("int", "float", "bool"):
        num = pd.to_numeric(values.where(present), errors="coerce")
        bad = present & num.isna()
        if bad.any():
            _report(problems, file, _rows(bad), shown, "type",
                    lambda r: f"{values.iloc[r - 1]!r} is not a number")
        huge = present & num.notna() & ~(num.abs() <= MAX_MAGNITUDE)
        if huge.any():
            _report(problems, file, _rows(huge), shown, "finite",
                    lambda r: f"{values.iloc[r - 1]!r} is not a finite number of at most "
                    f"{MAX_MAGNITUDE:g} in magnitude")
        if spec.kind == "int":
            frac = present & num.notna() & (num != np.round(num))
            if frac.any():
                _report(problems, file, _rows(frac), shown, "type",
                        lambda r: f"{values.iloc[r - 1]!r} is not a whole number")
        if spec.kind == "bool":
            badb = present & num.notna() & ~num.isin([0, 1])
            if badb.any():
                _report(problems, file, _rows(badb), shown, "allowed-values",
                        lambda r: f"{values.iloc[r - 1]!r} is not 0 or 1")
        if spec.min is not None:
            low = present & (num < spec.min)
            if low.any():
                rule = "non-negative" if spec.min == 0 else "range"
                _report(problems, file, _rows(low), shown, rule,
                        lambda r: f"{num.iloc[r - 1]!r} is below the minimum {spec.min}")
        if spec.max is not None:
            high = present & (num > spec.max)
            if high.any():
                _report(problems, file, _rows(high), shown, "range",
                        lambda r: f"{num.iloc[r - 1]!r} is above the maximum {spec.max}")
    text = values.astype("string")
    if spec.pattern is not None:
        bad = present & ~text.str.fullmatch(spec.pattern).fillna(False)
        if bad.any():
            _report(problems, file, _rows(bad), shown, "code-format",
                    lambda r: f"{values.iloc[r - 1]!r} does not look like a code "
                    f"matching {spec.pattern}")
    if spec.allowed is not None:
        bad = present & ~text.isin([str(a) for a in spec.allowed])
        if bad.any():
            _report(problems, file, _rows(bad), shown, "allowed-values",
                    lambda r: f"{values.iloc[r - 1]!r} is not one of "
                    f"{', '.join(map(str, spec.allowed))}")


def check_frame(df: pd.DataFrame, schema: Schema, file: str,
                names: dict[str, str] | None = None) -> list[Problem]:
    """Check ``df`` against ``schema``; return every problem (empty list when valid).

    ``names`` maps canonical field -> column name in the file, so messages name the
    column the user sees.
    """
    names = names or {}
    problems: list[Problem] = []
    for col, spec in schema.fields.items():
        shown = names.get(col, col)
        if col not in df:
            if spec.required:
                problems.append(Problem(file, None, shown, "column-missing",
                                        f"required column {shown!r} is absent"))
            continue
        _check_column(problems, file, shown, spec, df[col])
    key = [k for k in schema.key if k in df]
    if key and len(key) == len(schema.key):
        dup = df.duplicated(subset=key, keep="first")
        if dup.any():
            shown = ", ".join(names.get(k, k) for k in key)
            _report(problems, file, _rows(dup), shown, "duplicate-key",
                    lambda r: "the key (" + ", ".join(
                        f"{names.get(k, k)}={df[k].iloc[r - 1]}" for k in key)
                    + ") already appeared on an earlier row")
    for rule in schema.rules:
        if not all(c in df for c in rule.columns):
            continue
        ok = rule.ok(df).fillna(True).astype(bool)
        if (~ok).any():
            shown = ", ".join(names.get(c, c) for c in rule.columns)
            message = rule.message
            _report(problems, file, _rows(~ok), shown, rule.name,
                    lambda r, message=message: message)
    return problems


def _num(df: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(df[col], errors="coerce")


def _not_above(num: str, den: str) -> RowRule:
    return RowRule("numerator-not-above-denominator", (num, den),
                   lambda d: ~(_num(d, num) > _num(d, den)),
                   f"{num} is larger than {den}, impossible for a proportion")


_RUC = ["A1", "B1", "C1", "C2", "D1", "D2", "E1", "E2", "UN1", "UF1", "RLN1", "RLF1",
        "RSN1", "RSF1"]
_RUC_LAD = ["UUN", "UUF", "UIN", "UIF", "RIN", "RIF", "RMN", "RMF"]

#: Schemas of the canonical fields of each source kind (checked on the file's values).
SOURCE_SCHEMAS: dict[str, Schema] = {
    "lookup_lsoa11": Schema("lookup_lsoa11", {
        "area_code": Field(pattern=LSOA_CODE), "lad_code": Field(pattern=LAD_CODE),
        "region_code": Field(pattern=REGION_CODE, required=False),
        "region_name": Field(required=False),
        "icb_code": Field(pattern=ICB_CODE, required=False),
        "msoa_code": Field(pattern=MSOA_CODE, required=False),
    }, key=("area_code",)),
    "lookup_lsoa21": Schema("lookup_lsoa21", {
        "area_code": Field(pattern=LSOA_CODE), "lad_code": Field(pattern=LAD_CODE),
    }),  # one row per 2011/2021 pair in the file; the reader keeps one per 2021 area
    "area_icb": Schema("area_icb", {
        "area_code": Field(pattern=LSOA_CODE), "icb_code": Field(pattern=ICB_CODE),
    }, key=("area_code",)),
    "area_msoa11": Schema("area_msoa11", {
        "area_code": Field(pattern=LSOA_CODE), "msoa_code": Field(pattern=MSOA_CODE),
    }, key=("area_code",)),
    "lad_region": Schema("lad_region", {
        "lad_vintage": Field("int", min=2009, max=2100), "lad_code": Field(pattern=LAD_CODE),
        "region_code": Field(pattern=REGION_CODE),
    }, key=("lad_vintage", "lad_code")),
    "lsoa_crosswalk": Schema("lsoa_crosswalk", {
        "lsoa11_code": Field(pattern=LSOA_CODE), "lsoa21_code": Field(pattern=LSOA_CODE),
        "change_code": Field(allowed=["U", "S", "M", "X"], required=False),
    }, key=("lsoa11_code", "lsoa21_code")),
    "ruc_lsoa": Schema("ruc_lsoa", {
        "area_code": Field(pattern=LSOA_CODE), "rurality_code": Field(allowed=_RUC),
    }, key=("area_code",)),
    "ruc_lad": Schema("ruc_lad", {
        "lad_code": Field(pattern=LAD_CODE), "rurality_code": Field(allowed=_RUC_LAD),
    }, key=("lad_code",)),
    "ruc_lad11": Schema("ruc_lad11", {
        "lad_code": Field(pattern=LAD_CODE), "ruc_class": Field("int", min=1, max=6),
        "rural_incl_hub_pop": Field("float", min=0, required=False),
        "total_pop": Field("float", min=0, required=False),
    }, key=("lad_code",), rules=(_not_above("rural_incl_hub_pop", "total_pop"),)),
    "imd_lsoa": Schema("imd_lsoa", {
        "area_code": Field(pattern=LSOA_CODE), "imd_score": Field("float", min=0, max=100),
        "imd_rank": Field("int", min=1), "imd_decile": Field("int", min=1, max=10),
    }, key=("area_code",)),
    "iod_indicators": Schema("iod_indicators", {"area_code": Field(pattern=LSOA_CODE)},
                             key=("area_code",)),
    "msoa_values": Schema("msoa_values", {"area_code": Field(pattern=MSOA_CODE)},
                          key=("area_code",)),
    "population_sya": Schema("population_sya", {
        "area_code": Field(pattern=LSOA_CODE), "total": Field("int", min=0),
    }, key=("area_code",)),
    "population_bands": Schema("population_bands", {
        "area_code": Field(pattern=LSOA_CODE), "total": Field("int", min=0),
    }, key=("area_code",)),
    "coastal_lsoa": Schema("coastal_lsoa", {
        "area_code": Field(pattern=LSOA_CODE), "coastal": Field("bool"),
    }, key=("area_code",)),
    "fingertips": Schema("fingertips", {
        "indicator_id": Field(), "area_code": Field(pattern=ANY_GSS), "sex": Field(),
        "period": Field(), "value": Field("float", nullable=True),
        "lower": Field("float", nullable=True, required=False),
        "upper": Field("float", nullable=True, required=False),
        "count": Field("float", nullable=True, min=0, required=False),
        "denominator": Field("float", nullable=True, min=0, required=False),
        "compared": Field(nullable=True, required=False, allowed=FINGERTIPS_COMPARED),
    }, key=("indicator_id", "area_code", "period", "sex", "age"), rules=(
        _not_above("count", "denominator"),
        RowRule("limits-order", ("lower", "value", "upper"),
                lambda d: ~((_num(d, "lower") > _num(d, "value"))
                            | (_num(d, "value") > _num(d, "upper"))),
                "lower limit, value and upper limit are not in order"),
    )),
    "gp_workforce_lad": Schema("gp_workforce_lad", {
        "lad_code": Field(pattern=LAD_CODE), "patients": Field("float", min=0),
        "gp_fte": Field("float", min=0),
    }, key=("lad_code",)),
    "ae_icb": Schema("ae_icb", {
        "icb_code": Field(pattern=ICB_CODE), "period": Field(),
        "attendances": Field("float", min=0), "attendances_over_4h": Field("float", min=0),
        "emergency_admissions": Field("float", min=0),
    }, key=("icb_code", "period"), rules=(_not_above("attendances_over_4h", "attendances"),)),
    "smi_checks": Schema("smi_checks", {
        "subicb_code": Field(pattern=r"[0-9A-Z]{3,5}"), "period": Field(pattern=r"SMI-Q[1-4]-\d{4}-\d{4}"),
        "question": Field(allowed=["SMIRegister", "All6PHC", "Alcohol", "BloodGlucose",
                                   "BloodLipid", "BloodPressure", "BMIWeight", "Smoking"]),
        "answer": Field("float", min=0, nullable=True),
    }, key=("subicb_code", "period", "question")),
    "subicb_icb": Schema("subicb_icb", {
        "subicb_code": Field(pattern=r"[0-9A-Z]{3,5}"), "icb_code": Field(pattern=ICB_CODE),
    }),
    "trust_workforce": Schema("trust_workforce", {
        "trust_code": Field(), "period": Field(pattern=r"\d{4} Q[1-4]"),
        "consultant": Field("float", min=0),
    }, key=("trust_code", "period")),
    "trust_catchment": Schema("trust_catchment", {
        "trust_code": Field(), "year": Field("int", min=2000, max=2100),
        "catchment": Field("float", min=0),
    }, key=("trust_code", "year")),
    "trust_sites": Schema("trust_sites", {
        "trust_code": Field(nullable=True), "site_code": Field(),
        "lad_code": Field(nullable=True),
    }),
    "hex_layout": Schema("hex_layout", {
        "code": Field(), "name": Field(), "q": Field("int", min=-1000, max=1000),
        "r": Field("int", min=-1000, max=1000),
        "layout": Field(allowed=["odd-r", "even-r", "odd-q", "even-q"]),
    }, key=("code",)),
    "health_index_lad": Schema("health_index_lad", {
        "lad_code": Field(pattern=LAD_CODE), "period": Field("int", min=2000, max=2100),
    }, key=("lad_code", "period")),
    "lad_history": Schema("lad_history", {}),
    "long_lad": Schema("long_lad", {
        "lad_code": Field(pattern=LAD_CODE), "period": Field("int", min=2000, max=2100),
        "indicator_name": Field(), "value": Field("float", nullable=True),
    }, key=("lad_code", "period", "indicator_name")),
    "practice_prevalence": Schema("practice_prevalence", {
        "practice_code": Field(pattern=PRACTICE_CODE), "group_code": Field(),
        "register": Field("float", min=0), "list_size": Field("float", min=0),
        "list_type": Field(required=False),
    # No register <= list size rule: the published file has one learning-disability
    # register above its list size (Y05750, a specialist practice); the prevalence
    # estimators refuse such a row for the registers they use.
    }, key=("practice_code", "group_code")),
    "practice_workforce": Schema("practice_workforce", {
        "practice_code": Field(pattern=PRACTICE_CODE), "year": Field("int", min=2000,
                                                                      max=2100),
        "patients": Field("float", min=0), "gp_fte": Field("float", min=0, nullable=True),
    }, key=("practice_code", "year")),
    "practice_geography": Schema("practice_geography", {
        "practice_code": Field(pattern=PRACTICE_CODE), "icb_code_nhs": Field(nullable=True),
        "practice_name": Field(required=False, nullable=True),
    }, key=("practice_code",)),
    "practice_imd": Schema("practice_imd", {
        "practice_code": Field(), "year": Field("int", min=2000, max=2100),
        "imd_score": Field("float", min=0, max=100),
    }, key=("practice_code", "year")),
}

#: Schemas of the assembled tables (see :class:`inequalities.data.Dataset`).
TABLE_SCHEMAS: dict[str, Schema] = {
    "areas": Schema("areas", {
        "area_code": Field(pattern=LSOA_CODE), "area_name": Field(),
        "lad_code": Field(pattern=LAD_CODE), "lad_name": Field(),
        "region_code": Field(pattern=REGION_CODE), "region_name": Field(),
        "icb_code": Field(pattern=ICB_CODE, nullable=True),
        "rurality_code": Field(allowed=_RUC), "rurality": Field(),
        "urban_rural": Field(allowed=["Urban", "Rural"]),
        "sparse": Field("bool", nullable=True),  # RUC 2021 has no sparse context
        "coastal": Field("bool"), "imd_score": Field("float", min=0, max=100),
        "imd_rank": Field("int", min=1), "imd_decile": Field("int", min=1, max=10),
        "imd_quintile": Field("int", min=1, max=5), "core20": Field("bool"),
        "income_score": Field("float", nullable=True, min=0, max=1, required=False),
        "income_decile": Field("int", nullable=True, min=1, max=10, required=False),
        "population": Field("int", min=0), "pct_65_plus": Field("float", min=0, max=100),
    }, key=("area_code",)),
    "population": Schema("population", {
        "area_code": Field(pattern=LSOA_CODE), "sex": Field(allowed=["Persons", "Male",
                                                                    "Female"]),
        "age_band": Field(), "population": Field("int", min=0),
    }, key=("area_code", "sex", "age_band")),
    "indicators": Schema("indicators", {
        "area_code": Field(pattern=ANY_GSS),
        "area_level": Field(allowed=["LSOA", "LAD", "ICB", "England", "Region", "UTLA"]),
        "indicator_id": Field(), "indicator": Field(), "period": Field(), "sex": Field(),
        "value": Field("float", nullable=True),
        "count": Field("float", nullable=True, min=0),
        "denominator": Field("float", nullable=True, min=0),
    }, key=("indicator_id", "area_code", "period", "sex", "age")),
    "lads": Schema("lads", {
        "lad_code": Field(pattern=LAD_CODE), "region_code": Field(pattern=REGION_CODE),
        "population": Field("int", min=0), "coastal_share": Field("float", min=0, max=1),
        "core20_share": Field("float", min=0, max=1), "coastal": Field("bool"),
        "urban_rural": Field(allowed=["Urban", "Rural"]),
    }, key=("lad_code",)),
    "practices": Schema("practices", {
        "practice_code": Field(pattern=PRACTICE_CODE), "measure": Field(), "period": Field(),
        "count": Field("float", nullable=True, min=0),
        "denominator": Field("float", min=0),
        "icb_code": Field(pattern=ICB_CODE), "nhs_region_code": Field(pattern=NHS_REGION_CODE),
        "region_code": Field(pattern=REGION_CODE, nullable=True),
        "imd_score": Field("float", nullable=True, min=0, max=100),
        "imd_decile": Field("int", nullable=True, min=1, max=10),
    }, key=("practice_code", "measure", "period", "list_type")),
}
