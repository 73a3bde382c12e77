"""``inequalities data validate``: every file against its schema, plus cross-file rules.

Per file: present, SHA-256 as pinned in the manifest, declared columns present, canonical
fields valid (types, ranges, code formats, allowed values, unique keys, counts
non-negative, numerators not above denominators, limits in order). Across files: every
LSOA in exactly one local authority and one region, every LA in one region, LSOA 2011 and
2021 codes never mixed in a file declared as one vintage, every small area covered by
each LSOA-level source. All problems are collected and returned together.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from inequalities.data.digests import known_sha256
from inequalities.data.manifest import Manifest, ManifestError, find_manifest
from inequalities.data.readers import KINDS, SourceError, _population_columns, read_raw
from inequalities.data.schemas import (
    MAX_MAGNITUDE,
    MAX_ROWS_PER_RULE,
    SOURCE_SCHEMAS,
    Problem,
    _report,
    _rows,
    check_frame,
)


def _names(src) -> dict[str, str]:
    return {canon: col for canon, col in src.columns.items()}


def validate_source(src, root: Path, *, check_sha: bool = True
                    ) -> tuple[list[Problem], pd.DataFrame | None]:
    """Validate one source file; return its problems and its canonical raw frame."""
    path = src.path(root)
    if not path.is_file():
        if src.required:
            return [Problem(src.file, None, None, "file-missing",
                            f"required source {src.id!r} is absent; fetch it with "
                            "'inequalities data fetch' or correct the manifest")], None
        return [], None
    problems: list[Problem] = []
    if check_sha and src.sha256:
        actual = known_sha256(path)  # hashed once per process: the memo's key has it too
        if actual != src.sha256:
            problems.append(Problem(src.file, None, None, "checksum",
                                    f"SHA-256 is {actual}, manifest says {src.sha256}; the "
                                    "file changed: re-fetch it or update the manifest"))
    try:
        df = read_raw(src, root)
    except (SourceError, ValueError) as exc:
        problems.append(Problem(src.file, None, None, "layout", str(exc)))
        return problems, None
    if df.empty and src.required:
        problems.append(Problem(src.file, None, None, "no-rows",
                                "the file has a header but no rows; fetch it again"))
        return problems, None
    names = _names(src)
    schema = SOURCE_SCHEMAS[src.kind]
    if src.kind == "fingertips" and "category_type" in df:  # breakdown rows repeat areas
        extra = tuple(c for c in ("category_type", "category") if c in df)
        schema = dataclasses.replace(schema, key=schema.key + extra)
    problems += check_frame(df, schema, src.file, names)
    if src.kind == "population_sya":
        problems += _check_population(df, src)
    if KINDS[src.kind].wide_indicators:
        for ind_id, col in src.indicators.items():
            values = pd.to_numeric(df[col], errors="coerce")
            bad = df[col].notna() & ~(values.abs() <= MAX_MAGNITUDE)
            if bad.any():
                _report(problems, src.file, _rows(bad), col, "type",
                        lambda r, col=col: f"{df[col].iloc[r - 1]!r} is not a finite "
                        "number")
            if ind_id.endswith("_km"):
                neg = values < 0
                if neg.any():
                    _report(problems, src.file, _rows(neg), col, "non-negative",
                            lambda r: "a distance cannot be negative")
    return problems, df


def _check_population(df: pd.DataFrame, src) -> list[Problem]:
    problems: list[Problem] = []
    cols = _population_columns(src)
    ages = df[cols].apply(pd.to_numeric, errors="coerce")
    for bad, rule, message in (
            ((ages < 0).to_numpy(), "non-negative", "a population count cannot be negative"),
            ((ages.abs() > MAX_MAGNITUDE).to_numpy(), "finite",
             f"a population count must be finite and at most {MAX_MAGNITUDE:g}")):
        rows, cidx = np.nonzero(bad)
        for r, c in list(zip(rows, cidx, strict=True))[:MAX_ROWS_PER_RULE]:
            problems.append(Problem(src.file, int(r) + 1, cols[c], rule, message))
    total = pd.to_numeric(df["total"], errors="coerce")
    off = (ages.sum(axis=1) - total).abs() > 0.5
    if off.any():
        shown = src.columns.get("total", "total")
        _report(problems, src.file, _rows(off), shown, "total-equals-sum",
                lambda r: f"total {total.iloc[r - 1]:g} differs from the sum of the single "
                f"years of age {ages.sum(axis=1).iloc[r - 1]:g}")
    return problems


def _cross_file(manifest: Manifest, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    geo_src = next((s for s in manifest.by_kind("lookup_lsoa11") if s.id in frames), None)
    walk_src = next((s for s in manifest.by_kind("lsoa_crosswalk") if s.id in frames), None)
    lsoa11 = lsoa21 = None
    if walk_src is not None:
        walk = frames[walk_src.id]
        lsoa11 = walk["lsoa11_code"].dropna().unique().astype(str)
        lsoa21 = walk["lsoa21_code"].dropna().unique().astype(str)
    if geo_src is not None:
        geo = frames[geo_src.id]
        names = _names(geo_src)
        # one LA and one region per LSOA: a repeated LSOA with different LA/region
        for col in [c for c in ("lad_code", "region_code") if c in geo]:
            n = geo.groupby("area_code")[col].transform("nunique")
            _report(problems, geo_src.file, _rows(n > 1), names.get(col, col),
                    "one-la-one-region", lambda r, col=col: f"this LSOA appears with more "
                    f"than one {col}; each LSOA must lie in exactly one")
        n = (geo.groupby("lad_code")["region_code"].transform("nunique")
             if "region_code" in geo else pd.Series(0, index=geo.index))
        _report(problems, geo_src.file, _rows(n > 1), names.get("region_code"),
                "one-la-one-region", lambda r: "this local authority's LSOAs lie in more "
                "than one region")
        if lsoa11 is None:
            lsoa11 = geo["area_code"].dropna().unique().astype(str)
    problems += _unknown_lads(manifest, frames)
    for src in manifest.sources:
        if src.id not in frames or src.area_vintage not in ("LSOA11", "LSOA21"):
            continue
        df = frames[src.id]
        codes = df["area_code"].astype(object)
        shown = src.columns.get("area_code", "area_code")
        own, other = (lsoa11, lsoa21) if src.area_vintage == "LSOA11" else (lsoa21, lsoa11)
        if own is None:
            continue
        vintage = src.area_vintage
        unknown = ~codes.isin(own).fillna(False)
        if other is not None:
            mixed = unknown & codes.isin(other).fillna(False)
            label = "2021" if vintage == "LSOA11" else "2011"
            _report(problems, src.file, _rows(mixed), shown, "lsoa-vintage-mixed",
                    lambda r, codes=codes, label=label, vintage=vintage:
                    f"{codes.iloc[r - 1]} is an LSOA {label} code in a file declared as "
                    f"{vintage}; convert it through the LSOA 2011 -> 2021 lookup")
            unknown &= ~mixed
        _report(problems, src.file, _rows(unknown), shown, "unknown-area",
                lambda r, codes=codes, vintage=vintage:
                f"{codes.iloc[r - 1]} is not an {vintage} code in the lookups")
        if src.area_vintage == "LSOA11" and geo_src is not None and src.id != geo_src.id:
            absent = np.setdiff1d(frames[geo_src.id]["area_code"].to_numpy(dtype=str),
                                  codes.dropna().to_numpy(dtype=str)).tolist()
            if absent:
                problems.append(Problem(src.file, None, shown, "coverage",
                                        f"{len(absent)} LSOAs of the lookup have no row "
                                        f"here (first: {', '.join(absent[:3])})"))
    return problems


def _unknown_lads(manifest: Manifest, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """LA codes in LA-level sources must exist in some vintage of the LA lookups."""
    known: list[np.ndarray] = []
    for src in manifest.sources:
        if src.id in frames and src.kind in ("lad_history", "lad_region"):
            df = frames[src.id]
            for col in df.columns:
                if col.endswith("lad_code") or (col.startswith("lad") and col.endswith("_code")):
                    known.append(df[col].dropna().to_numpy(dtype=str))
    if not known:
        return []
    codes_known = np.unique(np.concatenate(known))
    problems: list[Problem] = []
    for src in manifest.sources:
        if src.id not in frames:
            continue
        df = frames[src.id]
        field = {"fingertips": "area_code", "gp_workforce_lad": "lad_code",
                 "ruc_lad": "lad_code", "health_index_lad": "lad_code",
                 "long_lad": "lad_code"}.get(src.kind)
        if field is None or field not in df:
            continue
        codes = df[field].astype(object)
        is_lad = codes.astype(str).str.match(r"E0[6-9]")
        unknown = is_lad & ~codes.isin(codes_known)
        _report(problems, src.file, _rows(unknown), src.columns.get(field, field),
                "unknown-area", lambda r, codes=codes: f"{codes.iloc[r - 1]} is not a local "
                "authority code of any vintage in the LA lookups")
    return problems


def validate_dir(data_dir: str | Path, *, check_sha: bool = True,
                 memo: Path | None = None) -> list[Problem]:
    """Validate every file of a data folder and the rules across them; return problems.

    ``memo`` (a folder) remembers each file's own problems and the code columns the rules
    across files read, keyed by the file's SHA-256, its manifest entry and the data layer's
    code: a rebuild after one file changed validates that file alone, then applies the
    rules across files to every file's codes as before.
    """
    root = Path(data_dir)
    try:
        manifest = find_manifest(root)
    except ManifestError as exc:
        return [Problem(str(root), None, None, "manifest", str(exc))]
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for src in manifest.sources:
        found, df = _validate_remembered(src, root, check_sha, memo)
        problems += found
        if df is not None:
            frames[src.id] = df
    problems += _cross_file(manifest, frames)
    return problems


def _cross_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The columns :func:`_cross_file` reads: the canonical area, LA and region codes."""
    return df[[c for c in df.columns if str(c).endswith("_code")]]


def _validate_remembered(src, root: Path, check_sha: bool, memo: Path | None
                         ) -> tuple[list[Problem], pd.DataFrame | None]:
    """:func:`validate_source`, through ``memo`` when given (see :func:`validate_dir`)."""
    import json

    from inequalities.data._files import write_atomically
    from inequalities.data._parsed import source_key

    path = src.path(root)
    if memo is None or not path.is_file():
        return validate_source(src, root, check_sha=check_sha)
    key = source_key(src, known_sha256(path), "validate-1", str(check_sha))[:24]
    found, codes = memo / f"{src.id}--{key}.json", memo / f"{src.id}--{key}.parquet"
    try:
        remembered = json.loads(found.read_text(encoding="utf-8"))
        frame = pd.read_parquet(codes).astype(object) if remembered["frame"] else None
        if frame is not None:  # as read_raw gives them: text, NaN where missing
            frame = frame.where(frame.notna(), np.nan)
        return [Problem(**p) for p in remembered["problems"]], frame
    except (OSError, ValueError, KeyError, TypeError):
        pass
    problems, df = validate_source(src, root, check_sha=check_sha)
    try:
        memo.mkdir(parents=True, exist_ok=True)
        if df is not None:
            kept = _cross_columns(df).astype(object)
            write_atomically(codes, lambda tmp: kept.to_parquet(tmp, index=False))
        record = {"problems": [dataclasses.asdict(p) for p in problems],
                  "frame": df is not None}
        write_atomically(found, lambda tmp: tmp.write_text(json.dumps(record),
                                                           encoding="utf-8"))
    except (OSError, ValueError, TypeError, pa.ArrowException):  # only costs the time
        pass
    return problems, None if df is None else _cross_columns(df)
