"""Assemble the canonical tables (areas, population, indicators, lads) from a manifest.

Area-code vintages are explicit: small areas are those of the manifest's data vintage
(LSOA 2011 for IoD 2019, RUC 2011, mid-2019 population and the 2011 coastal flag; LSOA 2021
for IoD 2025, RUC 2021, Census 2021 populations and the 2021 coastal flag); local authorities are harmonised to the
manifest's ``lad_vintage`` (2023 by default, the vintage of the current Fingertips and GP
workforce files) through the LAD code-history lookup. Indicators published for an older
authority that was merged into a larger one are dropped rather than averaged (a value for
part of a new authority cannot stand for all of it); pure re-codes are carried over.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data._columns import isin
from inequalities.data.manifest import Manifest, Source
from inequalities.data.readers import SourceError, area_level_of, indicator_metadata, read_source

INDICATOR_COLUMNS = ["area_code", "area_level", "indicator_id", "indicator", "unit", "period",
                     "sex", "age", "count", "denominator", "value", "lower", "upper",
                     "compared", "source_id"]


def _one(manifest: Manifest, kind: str | tuple[str, ...], root: Path, *,
         required: bool = True) -> Source | None:
    kinds = (kind,) if isinstance(kind, str) else kind
    found = [s for s in manifest.sources
             if s.kind in kinds and (s.path(root).is_file() or s.required)]
    if not found:
        if required:
            raise SourceError(f"manifest {manifest.name!r} (vintage {manifest.vintage or '-'})"
                              f" declares no source of kind {' or '.join(kinds)}, which the "
                              "areas table needs; add one")
        return None
    return found[0]


#: Kinds that give each small area its LAD (and, in the 2011 lookup, region and ICB).
AREA_LOOKUPS = ("lookup_lsoa11", "lookup_lsoa21")


def map_small_areas(long: pd.DataFrame, crosswalk: pd.DataFrame,
                    keys: tuple[str, ...] = ("indicator_id", "period", "sex", "age"),
                    ) -> pd.DataFrame:
    """Carry LSOA 2011 values onto LSOA 2021 with the ONS LSOA 2011 -> 2021 lookup.

    ``crosswalk`` has ``lsoa11_code, lsoa21_code`` (one row per pair). An unchanged (U) or
    split (S) 2021 area takes its 2011 area's value; a merged (M) or irregular (X) 2021
    area takes the unweighted mean over the 2011 areas it overlaps. Values are area
    properties (a distance, a rate), so copying and averaging, not summing, is right.
    Returns ``long`` with ``area_code`` in 2021 codes, one row per 2021 area and key.
    """
    pairs = crosswalk[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    keys = [k for k in keys if k in long]
    joined = long.merge(pairs, left_on="area_code", right_on="lsoa11_code", how="inner")
    out = (joined.groupby(["lsoa21_code", *keys], observed=True, sort=True)["value"]
           .mean().reset_index().rename(columns={"lsoa21_code": "area_code"}))
    return out


def lad_code_map(history: pd.DataFrame, from_vintage: int, to_vintage: int) -> pd.DataFrame:
    """Map LAD codes of ``from_vintage`` to ``to_vintage`` with the ONS code history.

    Returns columns ``from_code, to_code, n_predecessors`` (how many distinct from-codes
    end in the same to-code: 1 for a pure re-code or unchanged authority, >1 for a merger).
    """
    src, dst = f"lad{from_vintage % 100:02d}_code", f"lad{to_vintage % 100:02d}_code"
    if from_vintage == to_vintage:
        codes = history[dst].dropna().unique() if dst in history else []
        pairs = pd.DataFrame({"from_code": codes, "to_code": codes})
    else:
        missing = [c for c in (src, dst) if c not in history]
        if missing:
            raise SourceError(f"LAD code history has no column {', '.join(missing)}; "
                              f"it cannot move LA codes from {from_vintage} to {to_vintage}")
        pairs = (history[[src, dst]].dropna().drop_duplicates()
                 .rename(columns={src: "from_code", dst: "to_code"}))
    dup = pairs["from_code"].duplicated(keep=False)
    if dup.any():
        raise SourceError(f"LAD code history maps {pairs.loc[dup, 'from_code'].iloc[0]} "
                          f"({from_vintage}) to several {to_vintage} codes; a split cannot "
                          "be harmonised by code alone")
    pairs["n_predecessors"] = pairs.groupby("to_code")["from_code"].transform("size")
    return pairs.reset_index(drop=True)


def _harmonise_lad_rows(ind: pd.DataFrame, history: pd.DataFrame, target: int,
                        target_codes: set[str]) -> tuple[pd.DataFrame, int]:
    """Recode LAD rows to the target vintage; drop rows of merged predecessors."""
    is_lad = ind["area_level"].eq("LAD")
    ok = ~is_lad | isin(ind["area_code"], target_codes)
    if ok.all():
        return ind, 0
    dst = f"lad{target % 100:02d}_code"
    recodes = []
    for col in history.columns:
        if not col.endswith("_code") or col == dst:
            continue
        pairs = history[[col, dst]].dropna().drop_duplicates()
        n_pred = pairs.groupby(dst)[col].transform("nunique")
        recodes.append(pairs[n_pred.eq(1)].set_axis(["from_code", "to_code"], axis=1))
    table = pd.concat(recodes).drop_duplicates()
    table = table[~table["from_code"].isin(target_codes)].drop_duplicates("from_code")
    recode = dict(zip(table["from_code"], table["to_code"], strict=True))
    bad = ind.index[~ok]
    new = ind.loc[bad, "area_code"].map(recode).astype(object)
    ind.loc[bad, "area_code"] = new.fillna(ind.loc[bad, "area_code"])
    drop = bad[new.isna().to_numpy()]
    return ind.drop(index=drop), len(drop)


def build_tables(manifest: Manifest, root: str | Path, *,
                 read: Callable[[Source, Path], pd.DataFrame] = read_source,
                 ) -> dict[str, pd.DataFrame]:
    """Read every source of ``manifest`` under ``root`` and return the canonical tables.

    ``read`` reads one source (default :func:`~inequalities.data.readers.read_source`;
    the loader passes a cached reader, :class:`~inequalities.data._parsed.ParsedSources`).

    Keys: ``areas``, ``population``, ``indicators``, ``lads``, ``practices`` (see
    :class:`inequalities.data.Dataset` for their columns) and ``log`` (one row per
    harmonisation step that dropped or recoded rows).
    """
    root = Path(root)
    manifest = manifest.select()  # no-op when narrowed already; else its default vintage
    target = manifest.lad_vintage
    log: list[dict] = []

    geo_src = _one(manifest, AREA_LOOKUPS, root)
    geo = read(geo_src, root)
    history = read(_one(manifest, "lad_history", root), root)
    regions = read(_one(manifest, "lad_region", root), root)
    names = (regions[regions["lad_vintage"] == target]
             .drop_duplicates("lad_code").set_index("lad_code"))
    target_codes = set(names.index)

    geo_vintage = geo_src.lad_vintage or 2019
    lad_map = lad_code_map(history, geo_vintage, target).set_index("from_code")["to_code"]
    areas = pd.DataFrame({
        "area_code": geo["area_code"],
        "area_name": geo.get("area_name", geo["area_code"]),
        f"lad{geo_vintage % 100:02d}_code": geo["lad_code"],
        "lad_code": geo["lad_code"].map(lad_map),
    })
    unmapped = areas["lad_code"].isna()
    if unmapped.any():
        code = geo.loc[unmapped, "lad_code"].iloc[0]
        raise SourceError(f"{geo_src.file}: LAD {geo_vintage} code {code} has no "
                          f"{target} successor in the LAD code history; update the lookup")
    areas["lad_name"] = areas["lad_code"].map(names["lad_name"])
    if "region_code" in geo:
        areas["region_code"] = geo["region_code"]
        areas["region_name"] = geo["region_name"]
    else:  # official ONS LSOA lookups carry no region: take it from the LA -> region lookup
        areas["region_code"] = areas["lad_code"].map(names["region_code"])
        areas["region_name"] = areas["lad_code"].map(names["region_name"])
    for col in ("icb_code", "icb_name", "msoa_code", "msoa_name"):
        areas[col] = geo[col] if col in geo else pd.NA
    icb_src = _one(manifest, "area_icb", root, required=False)
    if icb_src is not None:  # ICB membership from its own lookup (LSOA 2021 -> ICB 2024)
        icb = read(icb_src, root).set_index("area_code")
        for col in ("icb_code", "icb_name"):
            areas[col] = areas["area_code"].map(icb[col]) if col in icb else pd.NA

    _msoa11_of_lsoa21(areas, manifest, root, read)

    ruc = read(_one(manifest, "ruc_lsoa", root), root).set_index("area_code")
    for col in ("rurality_code", "rurality", "urban_rural", "sparse"):
        areas[col] = areas["area_code"].map(ruc[col])
    coastal = read(_one(manifest, "coastal_lsoa", root), root).set_index("area_code")
    areas["coastal"] = areas["area_code"].map(coastal["coastal"]).fillna(False).astype(bool)
    imd = read(_one(manifest, "imd_lsoa", root), root).set_index("area_code")
    for col in ("imd_score", "imd_rank", "imd_decile", "imd_quintile", "core20",
                "income_score", "income_decile"):
        areas[col] = areas["area_code"].map(imd[col]) if col in imd else np.nan
    areas["core20"] = areas["core20"].fillna(False).astype(bool)

    pop_src = _one(manifest, ("population_sya", "population_bands"), root)
    population = read(pop_src, root)
    population = population[isin(population["area_code"], areas["area_code"])]
    wide = population.pivot_table(index="area_code", columns="age_band", values="population",
                                  aggfunc="sum", observed=False)
    total = wide.sum(axis=1)
    old = wide[[b for b in wide.columns if int(str(b).split("-")[0].rstrip("+")) >= 65]]
    old = old.sum(axis=1)
    areas["population"] = areas["area_code"].map(total).fillna(0).astype("int64")
    areas["pct_65_plus"] = areas["area_code"].map(100 * old / total.where(total > 0))
    areas["median_age"] = areas["area_code"].map(_median_age(wide))
    for col in ("imd_rank", "imd_decile", "imd_quintile", "income_decile"):
        areas[col] = areas[col].astype("Int64")
    areas = areas.sort_values("area_code", ignore_index=True)

    # ------------------------------------------------------------ indicators
    parts = []
    for src in manifest.sources:
        if src.kind not in {"iod_indicators", "fingertips", "gp_workforce_lad", "ae_icb",
                            "health_index_lad", "long_lad", "msoa_values", "smi_checks"}:
            continue
        if not src.path(root).is_file():
            if src.required:
                raise SourceError(f"{src.path(root)}: required source {src.id!r} is missing")
            log.append({"source_id": src.id, "step": "skipped", "rows": 0,
                        "detail": "file absent (optional source)"})
            continue
        part = read(src, root)
        if src.options.get("map_to") == "LSOA21":
            part = _mapped_to_lsoa21(part, src, manifest, root, read, log)
        if src.kind == "smi_checks":
            part = _subicbs_to_icbs(part, src, manifest, root, read, log)
        part["source_id"] = src.id
        part["area_level"] = area_level_of(part["area_code"])
        part = _icb_codes_of_areas(part, areas, src, log)
        vintage = src.lad_vintage or target
        if (part["area_level"] == "LAD").any():
            part, dropped = _harmonise_lad_rows(part, history, target, target_codes)
            if dropped:
                log.append({"source_id": src.id, "step": f"LAD {vintage}->{target}",
                            "rows": dropped, "detail": "rows for merged predecessor "
                            "authorities dropped"})
        parts.append(part)
    ind = pd.concat(parts, ignore_index=True)
    meta = indicator_metadata(ind["indicator_id"])
    if "indicator" in ind:
        ind["indicator"] = meta["indicator"].fillna(ind["indicator"])
    else:
        ind["indicator"] = meta["indicator"]
    if "unit" in ind:
        ind["unit"] = meta["unit"].fillna(ind["unit"])
    else:
        ind["unit"] = meta["unit"]
    ind["indicator"] = _with_notes(ind, manifest)
    for col in INDICATOR_COLUMNS:
        if col not in ind:
            ind[col] = np.nan
    ind = ind[INDICATOR_COLUMNS]
    ind = ind[ind["area_level"].isin(["LSOA", "MSOA", "LAD", "ICB", "England", "Region",
                                   "UTLA"])]
    for col in ("count", "denominator", "value", "lower", "upper"):
        ind[col] = ind[col].astype(float)
    ind["age"] = ind["age"].fillna("All ages")
    ind["compared"] = ind["compared"].astype(object).where(ind["compared"].notna(), None)
    for col in ("area_level", "indicator_id", "indicator", "unit", "sex", "age", "source_id"):
        ind[col] = ind[col].astype(str).astype("category")
    ind = ind.sort_values(["indicator_id", "area_level", "area_code", "period", "sex"],
                          ignore_index=True)

    lads = _lads(areas, manifest, root, names, history, read)
    practices = build_practices(manifest, root, areas, read=read, log=log)
    return {"areas": areas, "population": population.reset_index(drop=True),
            "indicators": ind, "lads": lads, "practices": practices,
            "trusts": _trusts(manifest, root, read, lads, history, target),
            "hexes": _hexes(manifest, root, read),
            "log": pd.DataFrame(log, columns=["source_id", "step", "rows", "detail"])}


#: The two boards whose ONS code changed in April 2024 (ICB 2022 -> ICB 2024), checked
#: against the staged files: ONS's LSOA 2021 -> ICB April 2024 lookup gives E54000063 to
#: NHS Surrey Heartlands (ODS QXU) and E54000064 to NHS Sussex (QNX); the QOF 2022-23
#: practice mapping gives the same ODS codes E54000052 and E54000053 (PROVENANCE.md,
#: qof_practice_nhs_geography_2223). The same change moved four 2011 small areas in
#: Chichester from Surrey Heartlands to Sussex.
ICB_CODES_2024 = {"E54000052": "E54000063", "E54000053": "E54000064"}


def _icb_codes_of_areas(part: pd.DataFrame, areas: pd.DataFrame, src: Source,
                        log: list[dict]) -> pd.DataFrame:
    """``part`` with its ICB rows under the codes the small areas carry.

    A series published on 2022 ICB codes (the A&E attendances) names Surrey Heartlands and
    Sussex by codes that 2021 small areas (ICB April 2024) no longer carry, so neither
    board, nor its ONS region, would get its rows: on such data they take their 2024 codes
    (:data:`ICB_CODES_2024`). The other way round too: the previous vintage's 2011 small
    areas carry the 2022 codes, and a series published on 2024 codes (the SMI checks)
    takes those. Rows are relabelled, not apportioned: the counts are of the board's own
    services, so the 2024 boundary change (four small areas in Chichester) does not move
    them.
    """
    held = set(areas["icb_code"].dropna().unique())  # 33,755 rows, a few dozen codes
    recode = {old: new for old, new in ICB_CODES_2024.items()
              if new in held and old not in held}
    recode.update({new: old for old, new in ICB_CODES_2024.items()
                   if old in held and new not in held})
    hit = part["area_level"].eq("ICB") & part["area_code"].isin(list(recode))
    if not hit.any():
        return part
    part = part.copy()
    part.loc[hit, "area_code"] = part.loc[hit, "area_code"].map(recode)
    log.append({"source_id": src.id, "step": "ICB codes as the small areas'",
                "rows": int(hit.sum()),
                "detail": "rows of " + ", ".join(f"{o} as {n}" for o, n in recode.items())
                          + " (board codes changed in April 2024)"})
    return part


def _mapped_to_lsoa21(part: pd.DataFrame, src: Source, manifest: Manifest, root: Path,
                      read: Callable[[Source, Path], pd.DataFrame], log: list[dict],
                      ) -> pd.DataFrame:
    """A source on 2011 small areas carried onto 2021 ones (``options.map_to = "LSOA21"``)."""
    walk_src = _one(manifest, "lsoa_crosswalk", root, required=False)
    if walk_src is None or not walk_src.path(root).is_file():
        raise SourceError(f"source {src.id!r} ({src.file}) is on 2011 small areas and must be "
                          "mapped to 2021 ones, but the LSOA 2011 -> 2021 lookup "
                          "(kind lsoa_crosswalk, lookup_lsoa11_lsoa21.csv) is missing; add it")
    mapped = map_small_areas(part, read(walk_src, root))
    log.append({"source_id": src.id, "step": "LSOA 2011->2021", "rows": len(mapped),
                "detail": "2011 values carried to 2021 areas (split: copied; merged: mean)"})
    return mapped


TRUST_COLUMNS = ["trust_code", "year", "consultant_fte", "months", "catchment", "sites",
                 "sites_placed", "coastal_sites", "rural_sites"]


def _trusts(manifest: Manifest, root: Path, read: Callable[[Source, Path], pd.DataFrame],
            lads: pd.DataFrame, history: pd.DataFrame, target: int) -> pd.DataFrame:
    """One row per acute trust and calendar year with consultant FTE and a catchment.

    ``consultant_fte``: the year's mean FTE (sum of the quarterly sums of monthly FTE over
    the months present); ``catchment``: OHID's catchment population that year; ``sites``:
    the trust's hospital sites in the sites list, ``sites_placed`` those in an authority of
    the dataset (site authorities of older vintages carried to their successor, merged
    ones included), ``coastal_sites``/``rural_sites`` those in coastal/rural authorities.
    Empty without the three trust sources.
    """
    sources = {kind: _one(manifest, kind, root, required=False)
               for kind in ("trust_workforce", "trust_catchment", "trust_sites")}
    if any(s is None or not s.path(root).is_file() for s in sources.values()):
        return pd.DataFrame(columns=TRUST_COLUMNS)
    work = read(sources["trust_workforce"], root)
    fte = work.groupby(["trust_code", "year"], as_index=False)[
        ["consultant_fte_months", "months"]].sum()
    fte["consultant_fte"] = fte["consultant_fte_months"] / fte["months"]
    out = fte.merge(read(sources["trust_catchment"], root), on=["trust_code", "year"])
    sites = read(sources["trust_sites"], root)
    dst = f"lad{target % 100:02d}_code"
    successor = {}
    for col in [c for c in history.columns if c.endswith("_code") and c != dst]:
        pairs = history[[col, dst]].dropna().drop_duplicates(col)
        successor.update({k: v for k, v in zip(pairs[col], pairs[dst]) if k not in successor})
    code = sites["lad_code"].where(sites["lad_code"].isin(set(lads["lad_code"])),
                                   sites["lad_code"].map(successor))
    place = lads.set_index("lad_code")
    sites = sites.assign(placed=code.isin(place.index),
                         coastal=code.map(place["coastal"]).fillna(False).astype(bool),
                         rural=code.map(place["urban_rural"]).eq("Rural"))
    per = sites.groupby("trust_code").agg(sites=("site_code", "size"),
                                          sites_placed=("placed", "sum"),
                                          coastal_sites=("coastal", "sum"),
                                          rural_sites=("rural", "sum")).reset_index()
    out = out.merge(per, on="trust_code", how="left")
    for col in ("sites", "sites_placed", "coastal_sites", "rural_sites"):
        out[col] = out[col].fillna(0).astype("int64")
    return out[TRUST_COLUMNS].sort_values(["trust_code", "year"], ignore_index=True)


HEX_COLUMNS = ["geography", "code", "name", "q", "r", "layout"]


def _hexes(manifest: Manifest, root: Path,
           read: Callable[[Source, Path], pd.DataFrame]) -> pd.DataFrame:
    """Hex cartogram positions of every layout source present (kind ``hex_layout``), one
    row per ``geography`` ("LAD", "ICB") and ``code``; national, never sliced; empty
    without the layout sources. Codes are as published: the report checks them against
    its own authorities and ICBs and names any without a hexagon."""
    parts = [read(s, root) for s in manifest.sources
             if s.kind == "hex_layout" and s.path(root).is_file()]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("q", "r") else object)
                             for c in HEX_COLUMNS})
    out = pd.concat(parts, ignore_index=True)[HEX_COLUMNS]
    return out.drop_duplicates(["geography", "code"]).sort_values(
        ["geography", "code"], ignore_index=True)


def _subicbs_to_icbs(part: pd.DataFrame, src: Source, manifest: Manifest, root: Path,
                     read: Callable[[Source, Path], pd.DataFrame], log: list[dict],
                     ) -> pd.DataFrame:
    """Sub-ICB counts summed to ICBs and to England, as NHS England sums them.

    England: every reporting sub-ICB (or CCG) of the quarter. ICBs: only quarters in which
    every reporting code is a sub-ICB of the ``subicb_icb`` lookup (ICB 2024), so that no
    ICB total is partial; earlier quarters (CCG codes) give England only.
    """
    keys = ["indicator_id", "period", "sex", "age"]
    england = part.groupby(keys, as_index=False)[["count", "denominator"]].sum(min_count=1)
    england["area_code"] = "E92000001"
    frames = [england]
    lookup_src = _one(manifest, "subicb_icb", root, required=False)
    if lookup_src is not None and lookup_src.path(root).is_file():
        icb = read(lookup_src, root).set_index("subicb_code")["icb_code"]
        mapped = part.assign(area_code=part["area_code"].map(icb))
        complete = mapped.groupby("period")["area_code"].apply(lambda c: c.notna().all())
        mapped = mapped[mapped["period"].isin(complete[complete].index)]
        frames.append(mapped.groupby(["area_code", *keys], as_index=False)[
            ["count", "denominator"]].sum(min_count=1))
        log.append({"source_id": src.id, "step": "sub-ICB->ICB", "rows": len(frames[-1]),
                    "detail": f"{int(complete.sum())} of {len(complete)} quarters have "
                              "every sub-ICB in the ICB 2024 lookup"})
    out = pd.concat(frames, ignore_index=True)
    out["value"] = 100 * out["count"] / out["denominator"]
    return out


def _msoa11_of_lsoa21(areas: pd.DataFrame, manifest: Manifest, root: Path,
                      read: Callable[[Source, Path], pd.DataFrame]) -> None:
    """Give 2021 small areas the 2011 MSOA of their 2011 predecessor (in place).

    MSOA sources (OHID Local Health) are on 2011 MSOAs, and the staged copies hold no 2021
    MSOA lookup. A 2021 area split from a 2011 one keeps its MSOA; one merged from several
    takes the first predecessor's (merged neighbours almost always share an MSOA). Needs a
    source of kind ``area_msoa11`` (LSOA 2011 -> MSOA 2011) and the LSOA 2011 -> 2021
    crosswalk; without them, or when the areas already carry MSOAs, nothing changes.
    """
    msoa_src = _one(manifest, "area_msoa11", root, required=False)
    walk_src = _one(manifest, "lsoa_crosswalk", root, required=False)
    if (msoa_src is None or walk_src is None or areas["msoa_code"].notna().any()
            or not msoa_src.path(root).is_file() or not walk_src.path(root).is_file()):
        return
    msoa = read(msoa_src, root).drop_duplicates("area_code").set_index("area_code")
    walk = read(walk_src, root).sort_values(["lsoa21_code", "lsoa11_code"])
    walk = walk.assign(msoa_code=walk["lsoa11_code"].map(msoa["msoa_code"]))
    if "msoa_name" in msoa:
        walk["msoa_name"] = walk["lsoa11_code"].map(msoa["msoa_name"])
    first = walk.dropna(subset=["msoa_code"]).drop_duplicates("lsoa21_code")
    first = first.set_index("lsoa21_code")
    for col in ("msoa_code", "msoa_name"):
        if col in first:
            areas[col] = areas["area_code"].map(first[col])


def _with_notes(ind: pd.DataFrame, manifest: Manifest) -> pd.Series:
    """Indicator names with the source's ``options.indicator_note`` (vintage, definition)."""
    names = ind["indicator"].astype(object).copy()
    for src in manifest.sources:
        note = src.options.get("indicator_note")
        if note:
            rows = ind["source_id"].eq(src.id)
            names[rows] = names[rows].astype(str) + f" ({note})"
    return names


def _median_age(wide: pd.DataFrame) -> pd.Series:
    """Median age (years) by linear interpolation within five-year bands; 90+ as 90-99."""
    counts = wide.to_numpy(dtype=float)
    cum = counts.cumsum(axis=1)
    half = cum[:, -1:] / 2
    idx = (cum < half).sum(axis=1)
    idx = np.minimum(idx, counts.shape[1] - 1)
    rows = np.arange(len(counts))
    below = np.where(idx > 0, cum[rows, np.maximum(idx - 1, 0)], 0.0)
    within = counts[rows, idx]
    start = idx * 5.0
    width = np.where(idx == counts.shape[1] - 1, 10.0, 5.0)
    frac = np.divide(half[:, 0] - below, within, out=np.zeros(len(rows)), where=within > 0)
    return pd.Series(start + frac * width, index=wide.index)


def _lads(areas: pd.DataFrame, manifest: Manifest, root: Path, names: pd.DataFrame,
          history: pd.DataFrame,
          read: Callable[[Source, Path], pd.DataFrame] = read_source) -> pd.DataFrame:
    """One row per local authority of the target vintage, aggregated from its LSOAs."""
    pop = areas["population"].astype(float)
    a = areas.assign(
        _pop=pop, _coastal=pop * areas["coastal"], _core20=pop * areas["core20"],
        _rural=pop * areas["urban_rural"].eq("Rural"), _imd=pop * areas["imd_score"],
        _old=pop * areas["pct_65_plus"].fillna(0) / 100,
    )
    g = a.groupby("lad_code", sort=True)
    lads = pd.DataFrame({
        "lad_name": g["lad_name"].first(),
        "region_code": g["region_code"].first(),
        "region_name": g["region_name"].first(),
        "n_areas": g.size(),
        "population": g["_pop"].sum().astype("int64"),
        "coastal_share": g["_coastal"].sum() / g["_pop"].sum(),
        "rural_share": g["_rural"].sum() / g["_pop"].sum(),
        "core20_share": g["_core20"].sum() / g["_pop"].sum(),
        "imd_score": g["_imd"].sum() / g["_pop"].sum(),
        "pct_65_plus": 100 * g["_old"].sum() / g["_pop"].sum(),
    }).reset_index()
    lads["coastal"] = lads["coastal_share"] >= 0.5
    lads["imd_rank"] = lads["imd_score"].rank(ascending=False, method="min").astype("int64")
    lads["imd_quintile"] = (np.ceil(5 * lads["imd_rank"] / len(lads))).astype("int64")
    ruc_src = next((s for s in manifest.by_kind("ruc_lad") if s.path(root).is_file()), None)
    ruc_lsoa = _one(manifest, "ruc_lsoa", root)
    lads["urban_rural_basis"] = f"population majority of LSOAs ({ruc_lsoa.vintage})"
    lads["rurality_code"] = pd.NA
    lads["rurality"] = pd.NA
    lads["urban_rural"] = np.where(lads["rural_share"] >= 0.5, "Rural", "Urban")
    if ruc_src is not None:
        ruc = read(ruc_src, root)
        vintage = ruc_src.lad_vintage or manifest.lad_vintage
        mapping = lad_code_map(history, vintage, manifest.lad_vintage)
        mapping = mapping[mapping["n_predecessors"] == 1].set_index("from_code")["to_code"]
        ruc["lad_code"] = ruc["lad_code"].map(mapping)
        ruc = ruc.dropna(subset=["lad_code"]).drop_duplicates("lad_code").set_index("lad_code")
        has = lads["lad_code"].isin(ruc.index)
        for col in ("rurality_code", "rurality", "urban_rural"):
            lads.loc[has, col] = lads.loc[has, "lad_code"].map(ruc[col])
        lads.loc[has, "urban_rural_basis"] = f"{ruc_src.title} ({ruc_src.vintage})"
    lads["rurality_code"] = lads["rurality_code"].astype("string")
    lads["rurality"] = lads["rurality"].astype("string")
    lads["urban_rural"] = lads["urban_rural"].astype(str)
    return lads


#: Columns of the ``practices`` table (see :class:`inequalities.data.Dataset`).
PRACTICE_COLUMNS = ["practice_code", "practice_name", "measure", "period", "list_type",
                    "count", "denominator", "icb_code", "icb_name", "nhs_region_code",
                    "nhs_region_name", "region_code", "region_name", "imd_score",
                    "imd_decile", "source_id"]
PRACTICE_MEASURE_KINDS = ("practice_prevalence", "practice_workforce")


def empty_practices() -> pd.DataFrame:
    """A ``practices`` table with no rows (data without practice sources)."""
    frame = pd.DataFrame({c: pd.Series(dtype=float if c in ("count", "denominator",
                                                             "imd_score") else object)
                          for c in PRACTICE_COLUMNS})
    frame["imd_decile"] = frame["imd_decile"].astype("Int64")
    return frame


def practice_deciles(scores: pd.Series) -> pd.Series:
    """National practice deprivation deciles, 1 = most deprived tenth of practices.

    Practices (one score each) are ranked by IMD score, highest (most deprived) first,
    ties broken by order of appearance, and decile = ceil(10 * rank / n), as MHCLG forms
    IMD deciles of small areas; every practice counts once, whatever its list size.
    Missing scores stay missing.
    """
    known = scores.dropna()
    rank = known.rank(ascending=False, method="first")
    decile = np.ceil(10 * rank / len(known)).astype("int64") if len(known) else rank
    return pd.Series(decile, index=known.index).reindex(scores.index).astype("Int64")


def build_practices(manifest: Manifest, root: Path, areas: pd.DataFrame, *,
                    read: Callable[[Source, Path], pd.DataFrame] = read_source,
                    log: list[dict] | None = None) -> pd.DataFrame:
    """The ``practices`` table: one row per practice, measure, period and list type.

    Measures come from the ``practice_prevalence`` (QOF registers) and
    ``practice_workforce`` (GP FTE) sources; each practice gets its ICB from the first
    ``practice_geography`` source that lists it (ODS ICB code -> April 2024 ICB code and
    name, and the ICB's NHS England region, from the edition registry), its ONS region as
    the region where most of its ICB's residents live (practices have no small area
    here: patients' residence by practice was not available), and its IMD 2019 score
    (``practice_imd``) with the national practice decile of :func:`practice_deciles`,
    computed over every practice of the table with a score. Practices whose ICB is
    unknown or not English are dropped (logged).
    """
    from inequalities.data import editions

    log = log if log is not None else []
    present = [s for s in manifest.sources if s.path(root).is_file()]
    parts = []
    for src in present:
        if src.kind in PRACTICE_MEASURE_KINDS:
            parts.append(read(src, root).assign(source_id=src.id))
    if not parts:
        return empty_practices()
    out = pd.concat(parts, ignore_index=True)
    geo = [read(s, root) for s in present if s.kind == "practice_geography"]
    geo = (pd.concat(geo, ignore_index=True).drop_duplicates("practice_code")
           .set_index("practice_code") if geo else
           pd.DataFrame(columns=["icb_code_nhs", "practice_name"]))
    icb = out["practice_code"].map(geo["icb_code_nhs"]).map(editions.ICB_BY_NHS_CODE)
    known = {e.code: e for e in editions.in_set("icb")}
    regions = {e.slug: e for e in editions.in_set("nhs-region")}
    out["practice_name"] = out["practice_code"].map(geo["practice_name"]).fillna(
        out["practice_code"])
    out["icb_code"] = icb
    out["icb_name"] = icb.map({k: e.name for k, e in known.items()})
    parent = icb.map({k: e.parent for k, e in known.items()})
    out["nhs_region_code"] = parent.map({k: e.code for k, e in regions.items()})
    out["nhs_region_name"] = parent.map({k: e.name for k, e in regions.items()})
    home = _icb_home_region(areas)
    out["region_code"] = out["icb_code"].map(home["region_code"])
    out["region_name"] = out["icb_code"].map(home["region_name"])
    lost = out["icb_code"].isna()
    if lost.any():
        log.append({"source_id": "practices", "step": "ICB", "rows": int(lost.sum()),
                    "detail": "practices without an English ICB dropped: "
                              f"{out.loc[lost, 'practice_code'].nunique():,}"})
        out = out[~lost]
    imd = [read(s, root) for s in present if s.kind == "practice_imd"]
    score = (pd.concat(imd).drop_duplicates("practice_code").set_index("practice_code")
             ["imd_score"] if imd else pd.Series(dtype=float))
    codes = pd.Series(out["practice_code"].unique())
    decile = practice_deciles(codes.map(score).astype(float)).set_axis(codes)
    out["imd_score"] = out["practice_code"].map(score).astype(float)
    out["imd_decile"] = out["practice_code"].map(decile).astype("Int64")
    out = out[PRACTICE_COLUMNS].sort_values(["measure", "period", "practice_code",
                                             "list_type"], ignore_index=True)
    for col in ("measure", "period", "list_type", "source_id"):
        out[col] = out[col].astype(str)
    return out


def _icb_home_region(areas: pd.DataFrame) -> pd.DataFrame:
    """ONS region holding most of each ICB's residents (``region_code``, ``region_name``).

    ICBs are those of April 2024 for either small-area vintage
    (:func:`inequalities.data.membership.icb_of`: 2011 areas carry 2022 ICB codes, two of
    which changed in 2024).
    """
    from inequalities.data import membership

    if areas.empty or areas["icb_code"].isna().all():
        return pd.DataFrame(columns=["region_code", "region_name"])
    areas = areas.assign(icb_code=membership.icb_of(areas))
    pop = (areas.groupby(["icb_code", "region_code", "region_name"], observed=True)
           ["population"].sum().reset_index().sort_values(["icb_code", "population"],
                                                          ascending=[True, False]))
    return pop.drop_duplicates("icb_code").set_index("icb_code")[["region_code",
                                                                  "region_name"]]
