"""The :class:`Dataset` the report is built from, and :func:`load` with its parquet cache."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data import editions, membership
from inequalities.data._assemble import empty_practices
from inequalities.data._columns import code_index, isin
from inequalities.data.catalogue import ENGLAND, REGIONS
from inequalities.data.digests import known_sha256
from inequalities.data.manifest import VINTAGE_ENV, Manifest, find_manifest

DEFAULT_SEED = 20240101
#: Bump when the assembled tables change shape, so old caches are not reused.
CACHE_VERSION = "4"
TABLES = ("areas", "population", "indicators", "lads", "practices", "log", "trusts",
          "hexes")


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
    * ``practices``: long table of GP practice measures, one row per ``practice_code,
      measure, period, list_type``: ``practice_name``, ``measure`` (``qof_hyp``,
      ``qof_copd``, ``qof_mh`` ... QOF registers; ``gp_fte`` fully qualified GPs),
      ``period`` (``2022-23`` QOF year; ``2022/23`` financial year), ``list_type`` (QOF
      age band of the list size), ``count`` (register or GP FTE), ``denominator`` (list
      size or registered patients), ``icb_code, icb_name`` (ICB 2024),
      ``nhs_region_code, nhs_region_name``, ``region_code, region_name`` (ONS region
      where most of the ICB's residents live), ``imd_score`` (practice IMD 2019,
      Fingertips 93553), ``imd_decile`` (national practice decile, 1 = most deprived).
      Empty when the data have no practice sources.
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
    #: Data vintage id of the manifest (``"2019"``, ``"2025"``; "" if it declares none).
    vintage_id: str = ""
    practices: pd.DataFrame = field(default_factory=empty_practices)
    #: Acute trusts by year: consultant FTE, catchment population and where their hospital
    #: sites are (see ``_assemble._trusts``); national, never sliced; empty without the
    #: trust sources.
    trusts: pd.DataFrame | None = None
    #: Hex cartogram positions (Open Innovations layouts): ``geography`` ("LAD", "ICB"),
    #: ``code``, ``name``, ``q``, ``r``, ``layout``; national, never sliced; None or
    #: empty without the layout sources.
    hexes: pd.DataFrame | None = None

    def indicator(self, indicator_id: str, *, period: str | None = None,
                  sex: str | None = None) -> pd.DataFrame:
        """Return one indicator joined to its areas' attributes, one row per area.

        LSOA indicators are joined to ``areas`` (rurality, coastal, IMD, population...),
        LAD indicators to ``lads``; other levels (MSOA, ICB, England) come back as published.
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

        LSOA and MSOA rows follow their region; LAD rows follow the LA's region; ICB rows are kept
        when any of the ICB's LSOAs lies in the region; England rows are always kept as the
        benchmark.
        """
        if code == ENGLAND:
            return self
        return self._cut(self._select_region(code))

    def _select_region(self, code: str) -> Selection:
        if code not in REGIONS:
            raise ValueError(f"unknown region code {code!r}; use {ENGLAND} (England) or one "
                             f"of {', '.join(REGIONS)}")
        in_areas = self.areas["region_code"] == code
        return replace(self._rows(in_areas, self.lads["region_code"] == code,
                                  self.areas.loc[in_areas, "icb_code"].dropna(), code),
                       practices=self._practices_in("region_code", code))

    def _practices_in(self, column: str, code: str) -> pd.DataFrame:
        """The practices whose ``column`` (``region_code``, ``icb_code``,
        ``nhs_region_code``) is ``code``: a region's practices are those of the ICBs most
        of whose residents live in it (practices carry no small area)."""
        return self.practices[self.practices[column].eq(code).fillna(False)
                              .to_numpy(dtype=bool)].reset_index(drop=True)

    def for_edition(self, edition: editions.Edition) -> Dataset:
        """Return the dataset restricted to ``edition`` (any set; England returns itself).

        ONS regions: :meth:`for_region`. ICBs and NHS England regions: the small areas
        whose ICB (April 2024) is the edition or one of its ICBs
        (:mod:`~inequalities.data.membership`, for LSOA 2011 or 2021 codes). A local
        authority, and the published rows of a 2022 ICB, belong whole to the edition where
        most of their residents live (``lads`` gains ``share_in_edition``, the share of
        the authority's residents inside); England rows are kept as the benchmark.
        """
        if edition.is_england or edition.set == "ons-region":
            return self.for_region(edition.code)
        return self._cut(self.select(edition))

    def select(self, edition: editions.Edition) -> Selection:
        """Which rows :meth:`for_edition` keeps, without cutting the two large tables.

        The same rules (one computation for both): :meth:`for_edition` is this selection
        applied, and the build fingerprints an edition from it and the rows' hashes
        (:func:`inequalities.topics.edition.fingerprints_of`) without copying a million
        indicator rows per edition. England selects every row.
        """
        if edition.is_england:
            return Selection(self.areas, self.lads, self.practices, None, None, ENGLAND)
        if edition.set == "ons-region":
            return self._select_region(edition.code)
        units = membership.unit_of(self.areas, edition.set)
        in_areas = units.eq(edition.code).fillna(False).to_numpy(dtype=bool)
        if not in_areas.any():
            raise ValueError(f"edition {edition.slug!r} ({edition.name}, {edition.code}): "
                             "no small area of this dataset belongs to it; check that the "
                             "data use LSOA 2011 or 2021 codes (or, for generated data, "
                             "2024 ICB codes)")
        lad_home = membership.home(self.areas, "lad_code", units)
        mine = lad_home[lad_home["unit"] == edition.code].set_index("lad_code")
        homed = mine.index[mine["is_home"]]
        in_lads = isin(self.lads["lad_code"], homed)
        icb_home = membership.home(self.areas, "icb_code", units)
        icbs = icb_home.loc[icb_home["is_home"] & icb_home["unit"].eq(edition.code),
                            "icb_code"]
        out = self._rows(in_areas, in_lads, icbs, edition.code)
        share = out.lads["lad_code"].map(mine["share"]).astype(float)
        column = "icb_code" if edition.set == "icb" else "nhs_region_code"
        # Within the slice "region" is the edition (what the chapters compare with
        # England); the ONS region stays in ons_region_code/ons_region_name.
        return replace(out, areas=_as_region(out.areas, edition),
                       lads=_as_region(out.lads, edition).assign(share_in_edition=share),
                       practices=self._practices_in(column, edition.code))

    def _rows(self, in_areas, in_lads, icbs, code: str) -> Selection:
        """The small areas ``in_areas`` and LAs ``in_lads``; of the indicators, the rows of
        those areas and LAs, of their MSOAs, of the ICBs ``icbs``, of ``code`` itself and
        England's; of the population, the small areas' rows."""
        areas = self.areas[np.asarray(in_areas, dtype=bool)].reset_index(drop=True)
        lads = self.lads[np.asarray(in_lads, dtype=bool)].reset_index(drop=True)
        level = self.indicators["area_level"]  # categorical: compared without making strings
        codes = code_index(self.indicators, "area_code")
        keep = (
            (level.eq("LSOA").to_numpy(dtype=bool) & codes.isin(areas["area_code"]))
            | (level.eq("MSOA").to_numpy(dtype=bool)
               & codes.isin(areas["msoa_code"].dropna()))
            | (level.eq("LAD").to_numpy(dtype=bool) & codes.isin(lads["lad_code"]))
            | (level.eq("ICB").to_numpy(dtype=bool) & codes.isin(icbs))
            | level.eq("England").to_numpy(dtype=bool)
            | (level.eq("Region").to_numpy(dtype=bool) & codes.isin([code]))
        )
        people = code_index(self.population, "area_code").isin(areas["area_code"])
        return Selection(areas, lads, self.practices, keep, people, code)

    def _cut(self, selection: Selection) -> Dataset:
        """The dataset of ``selection``'s rows."""
        def rows(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
            return frame if mask is None else frame[mask].reset_index(drop=True)

        return replace(self, areas=selection.areas, lads=selection.lads,
                       practices=selection.practices,
                       indicators=rows(self.indicators, selection.indicators),
                       population=rows(self.population, selection.population),
                       region_code=selection.region_code)


@dataclass(frozen=True)
class Selection:
    """The rows of a :class:`Dataset` one edition keeps (:meth:`Dataset.select`).

    The small tables (``areas``, ``lads``, ``practices``) are already cut and relabelled
    as the edition's; ``indicators`` and ``population`` are boolean masks over the
    dataset's own tables (None: every row).
    """

    areas: pd.DataFrame
    lads: pd.DataFrame
    practices: pd.DataFrame
    indicators: np.ndarray | None
    population: np.ndarray | None
    region_code: str


def _as_region(frame: pd.DataFrame, edition: editions.Edition) -> pd.DataFrame:
    return frame.assign(ons_region_code=frame["region_code"],
                        ons_region_name=frame["region_name"],
                        region_code=edition.code, region_name=edition.name)


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


def file_checksums(manifest: Manifest, root: Path) -> dict[str, str]:
    """SHA-256 of each present source file, from its bytes.

    Never memoised by path, size or modification time alone: a file rewritten in place
    keeping both (``cp -p``, ``rsync -a``, ``tar``) must not be taken for the old one.
    :func:`~inequalities.data.digests.known_sha256` also keys on the inode and the change
    time, which no copying tool keeps, so a kernel reads the national data (95 MB, about a
    quarter of a second) once, not once per notebook.
    """
    return {src.id: known_sha256(src.path(root))
            for src in manifest.sources if src.path(root).is_file()}


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

    manifest = manifest.select()  # no-op when narrowed already; else its default vintage
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    checksums = file_checksums(manifest, root)
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
    label, vintage = _labels(manifest)
    return Dataset(areas=tables["areas"], population=tables["population"],
                   indicators=tables["indicators"], lads=tables["lads"],
                   practices=tables["practices"],
                   sources=sources_table(manifest, root, checksums), is_demo=manifest.is_demo,
                   label=label, vintage=vintage, checksums=checksums, log=tables["log"],
                   source_key=key, vintage_id=manifest.vintage, trusts=tables["trusts"],
                   hexes=tables["hexes"])


def _labels(manifest: Manifest) -> tuple[str, str]:
    """The dataset's label and its vintage statement (printed on every page).

    Real data take both from the selected vintage's ``label`` and ``description`` in the
    manifest (``[manifest.vintages.ID]``); the defaults describe the 2019 vintage.
    """
    if manifest.is_demo:
        layout = f", layout of vintage {manifest.vintage}" if manifest.vintage else ""
        return (f"Demonstration data (seed {manifest.seed}): not official statistics",
                f"demonstration data, seed {manifest.seed}{layout}")
    label = manifest.vintage_setting(
        "label", "Official statistics: IoD 2019 (MHCLG), ONS mid-2019 population, RUC 2011 "
        "and 2021 (ONS/Defra), OHID Fingertips, NHS Digital GP workforce 2024, NHS England "
        "A&E; coastal flag from Welsh et al. 2024")
    described = manifest.vintage_setting("description",
                                         "IoD 2019, mid-2019 population, LSOA 2011")
    return label, f"{described}, LAD {manifest.lad_vintage}"


def load(data_dir: str | Path | None = None, *, seed: int = DEFAULT_SEED,
         cache_dir: str | Path | None = None, use_cache: bool = True,
         vintage: str | int | None = None) -> Dataset:
    """Load the report's data: real sources from ``data_dir``, or demonstration data.

    ``data_dir=None`` generates (once, into ``<cache>/demo-data-<seed>/``) the deterministic
    demonstration dataset of :mod:`inequalities.data.demo` and loads it through the same
    manifest code. A real folder must hold a ``manifest.toml`` or match a shipped manifest
    (``data/manifests/shared.toml`` for the tidied national files in ``../shared/data``;
    ``official.toml`` for what ``inequalities data fetch`` downloads). Tables are cached
    as parquet under a key made of the manifest and the files' SHA-256, so a warm load
    reads four parquet files. ``cache_dir`` defaults to :func:`default_cache_dir`;
    ``use_cache=False`` (``build --force``) parses every file afresh.

    ``vintage`` chooses the data vintage of a manifest that declares several (the shared
    manifest: ``"2025"``, the default, or ``"2019"``); when None, ``$INEQUALITIES_VINTAGE``
    (set by ``inequalities build --vintage``) and then the manifest's default apply.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if data_dir is None:
        from inequalities.data import demo

        folder = cache / f"demo-data-{int(seed)}"  # "demo-<seed>": before the folder marker
        if not demo.is_complete(folder, int(seed)):
            demo.generate(folder, seed=int(seed))
        data_dir = folder
    root = Path(data_dir).expanduser()
    manifest = find_manifest(root, vintage or os.environ.get(VINTAGE_ENV) or None)
    return load_manifest_dir(manifest, root, cache_dir=cache, use_cache=use_cache)
