"""What one edition's notebooks may read: its own slice of the data and England's comparators.

An edition's report depends on exactly two inputs, and nothing else from the data:

* ``data``: the edition's slice of the :class:`~inequalities.data.Dataset` (for England,
  everything; for a region, its small areas, local authorities and ICBs, plus the
  published England rows of each indicator);
* ``national``: England's comparator figures, a small tidy table computed by the
  registered :data:`MEASURES` from the whole country and rounded to the precision the
  report prints.

Because of that contract, :func:`fingerprint` can key an edition's build on those two
inputs: a change to one region's data changes that region's slice and (only where it moves
a printed national figure) England's comparators, so only that region and England rebuild.
Notebooks therefore compare a region with England through ``national``, never by reading
other regions' rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities import editions, profiles, urgent_care
from inequalities._source import package_digest
from inequalities.data import Dataset, default_cache_dir
from inequalities.data import load as load_dataset
from inequalities.data._files import write_atomically


@dataclass(frozen=True)
class Measure:
    """A national comparator: a function of a Dataset giving ``group``/``value`` rows."""

    name: str
    compute: Callable[[Dataset], pd.DataFrame]
    decimals: int
    description: str


def _population_share(dataset: Dataset) -> pd.DataFrame:
    profile = profiles.population_profile(dataset.areas)
    return profile.rename(columns={"share": "value"})[["group", "value"]]


def _age_65(dataset: Dataset) -> pd.DataFrame:
    profile = profiles.age_profile(dataset.areas)
    return profile.rename(columns={"pct_65_plus": "value"})[["group", "value"]]


def _deprivation_share(dataset: Dataset) -> pd.DataFrame:
    profile = profiles.deprivation_profile(dataset.areas)
    return pd.DataFrame({"group": profile["group"] + "|" + profile["imd_quintile"].astype(str),
                         "value": profile["share"]})


#: Registered national measures. Add one here when a chapter compares a region with England.
MEASURES: dict[str, Measure] = {
    "population_share": Measure(
        "population_share", _population_share, 1,
        "Per cent of the population in each profile group (urban, rural, coastal, Core20)"),
    "ae_over_4h_share": Measure(
        "ae_over_4h_share", lambda dataset: urgent_care.england_share(dataset.indicators), 2,
        "Per cent of A&E attendances over four hours in England, latest 12 months"),
    "age_65_plus": Measure(
        "age_65_plus", _age_65, 1, "Per cent of each profile group's population aged 65+"),
    "deprivation_share": Measure(
        "deprivation_share", _deprivation_share, 1,
        "Per cent of each place group's population in each national IMD quintile"),
}


def register(measure: Measure) -> Measure:
    """Add ``measure`` to :data:`MEASURES` (names are unique)."""
    if measure.name in MEASURES and MEASURES[measure.name] is not measure:
        raise ValueError(f"a national measure called {measure.name!r} is already registered")
    MEASURES[measure.name] = measure
    return measure


def national_figures(dataset: Dataset) -> pd.DataFrame:
    """England's comparators: one row per measure and group, rounded as the report prints.

    Columns: ``measure``, ``group``, ``value``. Sorted by measure then group order.
    """
    frames = []
    for measure in MEASURES.values():
        frame = measure.compute(dataset).copy()
        frame["value"] = frame["value"].astype(float).round(measure.decimals)
        frame.insert(0, "measure", measure.name)
        frames.append(frame[["measure", "group", "value"]])
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class EditionData:
    """The inputs of one edition: its data slice and England's comparator figures."""

    edition: editions.Edition
    data: Dataset
    national: pd.DataFrame

    def england(self, measure: str) -> pd.Series:
        """England's values of ``measure`` indexed by group."""
        rows = self.national[self.national["measure"] == measure]
        if rows.empty:
            raise KeyError(f"no national measure {measure!r}; registered: "
                           f"{', '.join(sorted(MEASURES))}")
        return rows.set_index("group")["value"]


#: England's comparators computed in this process, by :func:`_comparators_key`.
_NATIONAL: dict[str, pd.DataFrame] = {}


def _comparators_key(dataset: Dataset) -> str:
    """Return the key of a loaded dataset's comparators.

    They depend on its sources (manifest and files' SHA-256), the registered measures and
    the library's source (their code).
    """
    text = "\0".join([dataset.source_key, *MEASURES, package_digest()])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def comparators(dataset: Dataset) -> pd.DataFrame:
    """:func:`national_figures` of a loaded dataset, computed once for the same sources.

    Remembered in this process and stored under the data cache
    (``<cache>/national/<key>.parquet``, written atomically), so a build's parent process
    computes them once and every notebook kernel of every edition reads them. A dataset
    built by hand (no ``source_key``) is computed afresh. Pass a dataset as loaded: one
    changed with ``dataclasses.replace`` keeps the ``source_key`` of the data it came from.
    Callers get their own frame.
    """
    if not dataset.source_key:
        return national_figures(dataset)
    key = _comparators_key(dataset)
    national = _NATIONAL.get(key)
    if national is None:
        path = default_cache_dir() / "national" / f"{key}.parquet"
        try:
            national = pd.read_parquet(path)
        except (OSError, ValueError):
            national = national_figures(dataset)
            try:
                write_atomically(path, lambda tmp: national.to_parquet(tmp, index=False))
            except OSError:
                pass  # a read-only cache only costs recomputation
        _NATIONAL.clear()  # one vintage at a time: new sources replace the old
        _NATIONAL[key] = national
    return national.copy(deep=False)


def load(edition: str | editions.Edition, data_dir: str | Path | None = None, *,
         seed: int | None = None) -> EditionData:
    """Load the data and return the :class:`EditionData` of ``edition``.

    The data layer remembers loaded tables and :func:`comparators` the national figures,
    so the notebooks of an edition run in one warm kernel pay for them once.
    """
    this = edition if isinstance(edition, editions.Edition) else editions.get(edition)
    kwargs = {} if seed is None else {"seed": seed}
    dataset = load_dataset(data_dir or None, **kwargs)
    return from_dataset(this, dataset, national=comparators(dataset))


def from_dataset(edition: editions.Edition, dataset: Dataset, *,
                 national: pd.DataFrame | None = None) -> EditionData:
    """Slice ``dataset`` for ``edition``; ``national`` may be passed when already computed."""
    return EditionData(edition=edition, data=dataset.for_region(edition.code),
                       national=national_figures(dataset) if national is None else national)


def _digest_frame(digest: hashlib._Hash, name: str, frame: pd.DataFrame) -> None:
    digest.update(f"\0{name}\0{','.join(map(str, frame.columns))}\0{len(frame)}\0".encode())
    if len(frame):
        hashed = pd.util.hash_pandas_object(frame, index=False, categorize=True)
        digest.update(np.ascontiguousarray(hashed.to_numpy()).tobytes())


def fingerprint(edition_data: EditionData) -> str:
    """SHA-256 of everything an edition's notebooks may read (its slice and comparators).

    England's slice is the whole dataset, of which the comparators are a function (their
    code is in every build step's key through the library's digest), so England's
    fingerprint leaves them out and can be computed before they are: a build starts
    England's notebooks while the regions are still being fingerprinted.
    """
    digest = hashlib.sha256()
    data = edition_data.data
    digest.update(f"{edition_data.edition.slug}\0{data.is_demo}\0{data.label}\0"
                  f"{data.vintage}".encode())
    for name in ("areas", "population", "indicators", "lads"):
        _digest_frame(digest, name, getattr(data, name))
    # The checksums of the files as read are left out: every edition reads every national
    # file, so with them a change to one region's rows would rebuild every edition. An
    # edition whose slice is unchanged is reused, and its provenance keeps the checksums of
    # the files it was built from (which give the same figures).
    _digest_frame(digest, "sources", data.sources.drop(columns="sha256", errors="ignore"))
    if not edition_data.edition.is_england:
        _digest_frame(digest, "national", edition_data.national)
    return digest.hexdigest()


def england_fingerprint(dataset: Dataset) -> str:
    """:func:`fingerprint` of the England edition, without computing the comparators."""
    england = editions.get("england")
    return fingerprint(EditionData(edition=england, data=dataset.for_region(england.code),
                                   national=pd.DataFrame()))


# Topic modules register their national measures on import (they import Measure/register
# from this module, so this import stays at the bottom).
from inequalities import access as _access  # noqa: E402,F401
from inequalities import outcomes as _outcomes  # noqa: E402,F401
