"""The :class:`Dataset` the report is built from, and :func:`load` with its parquet cache."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from inequalities.data._columns import isin
from inequalities.data._files import write_atomically
from inequalities.data.catalogue import ENGLAND, REGIONS
from inequalities.data.manifest import Manifest, find_manifest, sha256_file

DEFAULT_SEED = 20240101
#: Bump when the assembled tables change shape, so old caches are not reused.
CACHE_VERSION = "1"
TABLES = ("areas", "population", "indicators", "lads", "log")


class ChecksumWarning(UserWarning):
    """A source file whose SHA-256 differs from its manifest (the data changed)."""


@dataclass(frozen=True)
class Dataset:
    """Everything the report needs from the data layer, for England or one region.

    Tables (all sorted, one row per key):

    * ``areas``: one row per small area (LSOA 2011): ``area_code, area_name, lad19_code,
      lad_code, lad_name`` (LAD of the harmonised vintage, 2023), ``region_code,
      region_name, icb_code, icb_name, msoa_code, msoa_name, rurality_code`` (RUC 2011
      A1..E2), ``rurality`` (label), ``urban_rural`` ("Urban"/"Rural"), ``sparse``,
      ``coastal``, ``imd_score, imd_rank`` (1 = most deprived), ``imd_decile`` (1 = most
      deprived 10%), ``imd_quintile``, ``core20`` (most deprived national quintile),
      ``income_score`` (IoD income domain, share of residents income-deprived) and
      ``income_decile`` (1 = most income-deprived 10%; missing when the source lacks them),
      ``population`` (mid-2019 persons), ``pct_65_plus`` (%), ``median_age`` (years,
      interpolated within five-year bands).
    * ``population``: ``area_code, sex, age_band, population`` (ESP 2013 bands 0-4 ..
      90+). The real LSOA file is persons only, so ``sex`` is "Persons".
    * ``indicators``: long table ``area_code, area_level`` (LSOA/LAD/ICB/England/...),
      ``indicator_id, indicator, unit, period, sex, age, count, denominator, value, lower,
      upper, source_id`` (NaN where not published).
    * ``lads``: one row per local authority (LAD 2023): ``lad_code, lad_name, region_code,
      region_name, n_areas, population, coastal_share, rural_share, core20_share`` (shares
      of population in coastal / rural / Core20 LSOAs), ``imd_score`` (population-weighted
      mean LSOA score), ``pct_65_plus, coastal`` (coastal_share >= 0.5), ``imd_rank,
      imd_quintile`` (among LAs), ``rurality_code, rurality, urban_rural`` (RUC 2021 LA
      classification where available, else the population majority of its LSOAs;
      ``urban_rural_basis`` says which).
    * ``sources``: the manifest as a table for the Methods chapter.
    """

    areas: pd.DataFrame
    population: pd.DataFrame
    indicators: pd.DataFrame
    lads: pd.DataFrame
    sources: pd.DataFrame
    is_demo: bool
    label: str
    vintage: str
    checksums: dict[str, str] = field(default_factory=dict)
    region_code: str = ENGLAND
    log: pd.DataFrame | None = None
    #: Identity of the sources this dataset was loaded from (manifest and files' SHA-256,
    #: see :func:`load`); "" for a Dataset built by hand. Slices and
    #: ``dataclasses.replace`` keep it, so it names the sources, not the tables in hand.
    source_key: str = ""

    def indicator(self, indicator_id: str, *, period: str | None = None,
                  sex: str | None = None) -> pd.DataFrame:
        """Return one indicator joined to its areas' attributes, one row per area.

        LSOA indicators are joined to ``areas`` (rurality, coastal, IMD, population...),
        LAD indicators to ``lads``; other levels (ICB, England) come back as published.
        ``period`` defaults to the latest period present (periods sort as text: "2015 -
        17", "2024", "2024-03"); ``sex`` defaults to "Persons" when present, else all
        sexes are kept (one row per area and sex).
        """
        ind = self.indicators[self.indicators["indicator_id"] == indicator_id]
        if ind.empty:
            known = ", ".join(sorted(map(str, self.indicators["indicator_id"].unique())))
            raise KeyError(f"no indicator {indicator_id!r} in this dataset; known: {known}")
        period = period if period is not None else ind["period"].astype(str).max()
        ind = ind[ind["period"] == period]
        if sex is None and (ind["sex"] == "Persons").any():
            sex = "Persons"
        if sex is not None:
            ind = ind[ind["sex"] == sex]
        cols = ["area_code", "area_level", "period", "sex", "count", "denominator", "value",
                "lower", "upper"]
        ind = ind[cols].reset_index(drop=True)
        level = set(ind["area_level"].astype(str).unique())
        if level == {"LSOA"}:
            return self.areas.merge(ind, on="area_code", how="inner")
        if "LAD" in level:
            lad = ind[ind["area_level"] == "LAD"].rename(columns={"area_code": "lad_code"})
            return self.lads.merge(lad, on="lad_code", how="inner")
        return ind

    def for_region(self, code: str) -> Dataset:
        """Return the dataset restricted to one region (E12...); England returns itself.

        LSOA rows follow their region; LAD rows follow the LA's region; ICB rows are kept
        when any of the ICB's LSOAs lies in the region; England rows are always kept as the
        benchmark.
        """
        if code == ENGLAND:
            return self
        if code not in REGIONS:
            raise ValueError(f"unknown region code {code!r}; use {ENGLAND} (England) or one "
                             f"of {', '.join(REGIONS)}")
        areas = self.areas[self.areas["region_code"] == code].reset_index(drop=True)
        lads = self.lads[self.lads["region_code"] == code].reset_index(drop=True)
        ind = self.indicators
        level = ind["area_level"].astype(str)
        codes = ind["area_code"]
        keep = (
            (level.eq("LSOA") & isin(codes, areas["area_code"]))
            | (level.eq("LAD") & isin(codes, lads["lad_code"]))
            | (level.eq("ICB") & isin(codes, areas["icb_code"].dropna()))
            | level.eq("England")
            | (level.eq("Region") & codes.eq(code))
        )
        pop = self.population[isin(self.population["area_code"], areas["area_code"])]
        return replace(self, areas=areas, lads=lads,
                       indicators=ind[keep].reset_index(drop=True),
                       population=pop.reset_index(drop=True), region_code=code)


def default_cache_dir() -> Path:
    """Return the cache root.

    ``$INEQUALITIES_CACHE``, else ``$XDG_CACHE_HOME/inequalities`` or
    ``~/.cache/inequalities``.
    """
    env = os.environ.get("INEQUALITIES_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "inequalities"


def file_checksums(manifest: Manifest, root: Path, cache_dir: Path) -> dict[str, str]:
    """SHA-256 of each present source file, memoised by (path, size, mtime) in the cache.

    Rehashing 50 MB on every warm load would dominate it; the memo is only trusted while
    the file's size and modification time are unchanged.
    """
    memo_path = cache_dir / "file-hashes.json"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    out, changed = {}, False
    for src in manifest.sources:
        path = src.path(root)
        if not path.is_file():
            continue
        st = path.stat()
        key = str(path.resolve())
        stamp = [st.st_size, st.st_mtime_ns]
        hit = memo.get(key)
        if hit and hit[0] == stamp:
            digest = hit[1]
        else:
            digest = sha256_file(path)
            memo[key] = [stamp, digest]
            changed = True
        out[src.id] = digest
    if changed:
        text = json.dumps(memo, sort_keys=True)
        write_atomically(memo_path, lambda path: path.write_text(text))
    return out


def _cache_key(manifest: Manifest, checksums: dict[str, str]) -> str:
    import hashlib

    from inequalities.data._parsed import code_digest

    payload = json.dumps({"v": CACHE_VERSION, "manifest": manifest.fingerprint(),
                          "code": code_digest(), "files": checksums}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def sources_table(manifest: Manifest, root: Path | None = None,
                  checksums: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the manifest as a DataFrame, in manifest order.

    Columns ``source_id, kind, publisher, title, vintage, url, licence, sha256,
    manifest_sha256, file, present``: the Methods chapter's data-sources table.
    ``sha256`` is the checksum of the file as read (from ``checksums``; the manifest's
    where the file was not read), ``manifest_sha256`` the one the manifest declares (""
    when it declares none), so a report records the bytes it was built from even when a
    file has changed since its manifest was written.
    """
    checksums = checksums or {}
    rows = [{"source_id": s.id, "kind": s.kind, "publisher": s.publisher, "title": s.title,
             "vintage": s.vintage, "url": s.url, "licence": s.licence,
             "sha256": checksums.get(s.id, s.sha256), "manifest_sha256": s.sha256,
             "file": s.file, "present": bool(root and s.path(root).is_file())}
            for s in manifest.sources]
    return pd.DataFrame(rows)


#: Tables loaded in this process, by cache folder (the last :data:`_REMEMBER` of them). A
#: warm kernel that runs every notebook of an edition loads the data once, not once per
#: notebook; pandas' copy-on-write keeps each caller's frames independent.
_LOADED: dict[str, dict[str, pd.DataFrame]] = {}
_REMEMBER = 2


def _remember(key: str, tables: dict[str, pd.DataFrame]) -> None:
    _LOADED.pop(key, None)
    _LOADED[key] = tables
    while len(_LOADED) > _REMEMBER:
        _LOADED.pop(next(iter(_LOADED)))


def _read_cached(folder: Path) -> dict[str, pd.DataFrame] | None:
    if not (folder / "complete").is_file():
        return None
    try:
        return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    except (OSError, ValueError):
        return None


def _write_cache(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        for name in TABLES:
            tables[name].to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "complete").write_text("ok\n")
        if folder.exists() and not (folder / "complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.replace(tmp, folder)
        except OSError:
            # another process wrote the same key first: its tables are identical
            if not (folder / "complete").is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_manifest_dir(manifest: Manifest, root: Path, *, cache_dir: Path | None = None,
                      use_cache: bool = True) -> Dataset:
    """Load the tables declared by ``manifest`` from ``root`` (cached as parquet)."""
    from inequalities.data import _assemble, _parsed

    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    checksums = file_checksums(manifest, root, cache_dir)
    mismatched = [s.id for s in manifest.sources
                  if s.sha256 and s.id in checksums and checksums[s.id] != s.sha256]
    if mismatched:
        warnings.warn(f"{root}: SHA-256 differs from manifest {manifest.name!r} for "
                      f"{', '.join(mismatched)}; the files changed since the manifest was "
                      "written (run 'inequalities data validate' and update the manifest)",
                      ChecksumWarning, stacklevel=3)
    key = _cache_key(manifest, checksums)
    folder = cache_dir / f"tables-{key}"
    tables = _LOADED.get(str(folder)) if use_cache else None
    if tables is None:
        tables = _read_cached(folder) if use_cache else None
        if tables is None:
            parsed = _parsed.ParsedSources(cache_dir / "sources" if use_cache else None,
                                           checksums)
            tables = _assemble.build_tables(manifest, root, read=parsed.read)
            if use_cache:
                _write_cache(folder, tables)
        if use_cache:
            _remember(str(folder), tables)
    # New frame objects over the same (copy-on-write) data: a caller adding or changing a
    # column never changes the tables remembered for the next load in this process.
    tables = {name: frame.copy(deep=False) for name, frame in tables.items()}
    if manifest.is_demo:
        label = (f"Demonstration data (seed {manifest.seed}): not official statistics")
        vintage = f"demonstration data, seed {manifest.seed}"
    else:
        label = ("Official statistics: IoD 2019 (MHCLG), ONS mid-2019 population, RUC 2011 "
                 "and 2021 (ONS/Defra), OHID Fingertips, NHS Digital GP workforce 2024, "
                 "NHS England A&E; coastal flag from Welsh et al. 2024")
        vintage = f"IoD 2019, mid-2019 population, LSOA 2011, LAD {manifest.lad_vintage}"
    return Dataset(areas=tables["areas"], population=tables["population"],
                   indicators=tables["indicators"], lads=tables["lads"],
                   sources=sources_table(manifest, root, checksums), is_demo=manifest.is_demo,
                   label=label, vintage=vintage, checksums=checksums, log=tables["log"],
                   source_key=key)


def load(data_dir: str | Path | None = None, *, seed: int = DEFAULT_SEED,
         cache_dir: str | Path | None = None) -> Dataset:
    """Load the report's data: real sources from ``data_dir``, or demonstration data.

    ``data_dir=None`` generates (once, into ``<cache>/demo-<seed>/``) the deterministic
    demonstration dataset of :mod:`inequalities.data.demo` and loads it through the same
    manifest code. A real folder must hold a ``manifest.toml`` or match a shipped manifest
    (``data/manifests/shared.toml`` for the tidied national files in ``../shared/data``;
    ``official.toml`` for what ``inequalities data fetch`` downloads). Tables are cached
    as parquet under a key made of the manifest and the files' SHA-256, so a warm load
    reads four parquet files. ``cache_dir`` defaults to :func:`default_cache_dir`.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if data_dir is None:
        from inequalities.data import demo

        folder = cache / f"demo-{int(seed)}"
        if not (folder / demo.COMPLETE_MARKER).is_file():
            demo.generate(folder, seed=int(seed))
        data_dir = folder
    root = Path(data_dir).expanduser()
    manifest = find_manifest(root)
    return load_manifest_dir(manifest, root, cache_dir=cache)
