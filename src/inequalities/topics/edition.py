"""Load one edition's inputs, and fingerprint them for the build cache.

An edition's report depends on exactly two inputs, and nothing else from the data
(:class:`~inequalities.topics.base.EditionData`): its own slice of the dataset and
England's comparators (:mod:`inequalities.topics.national`). Because of that contract,
:func:`fingerprint` can key an edition's build on those two inputs: a change to one
region's data changes that region's slice and (only where it moves a printed national
figure) England's comparators, so only that region and England rebuild. Notebooks
therefore compare a region with England through ``national``, never by reading other
regions' rows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data import Dataset, editions
from inequalities.data import load as load_dataset
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.national import MEASURES, comparators, national_figures

__all__ = ["EditionData", "Measure", "MEASURES", "comparators", "england_fingerprint",
           "fingerprint", "fingerprint_of", "from_dataset", "load", "national_figures",
           "row_hashes"]


def load(edition: str | editions.Edition, data_dir: str | Path | None = None, *,
         seed: int | None = None) -> EditionData:
    """Load the data and return the :class:`EditionData` of ``edition``.

    The data layer remembers loaded tables and :func:`comparators` the national figures,
    so the notebooks of an edition run in one warm kernel pay for them once.
    """
    this = edition if isinstance(edition, editions.Edition) else editions.get(edition)
    kwargs = {} if seed is None else {"seed": seed}
    dataset = load_dataset(data_dir or None, **kwargs)
    return EditionData(edition=this, data=_slice(dataset, this),
                       national=comparators(dataset))


#: Slices made by :func:`load` in this process, by (sources' key, edition slug), newest
#: last: the notebooks of an edition run one after another in a warm kernel, and each
#: loads the edition again. A dataset as loaded is a function of its ``source_key``
#: (manifest, files' SHA-256, library code), so a changed file gives a new key and a new
#: slice. A few are kept (an edition's slice and the previous vintage's), not all 59.
_SLICES: OrderedDict[tuple[str, str], Dataset] = OrderedDict()
_KEEP_SLICES = 3


def _slice(dataset: Dataset, edition: editions.Edition) -> Dataset:
    """``dataset.for_edition(edition)``, remembered for a dataset as loaded; callers get
    their own frame objects over the same (copy-on-write) data."""
    if not dataset.source_key:
        return dataset.for_edition(edition)
    key = (dataset.source_key, edition.slug)
    cut = _SLICES.get(key)
    if cut is None:
        cut = _SLICES[key] = dataset.for_edition(edition)
        while len(_SLICES) > _KEEP_SLICES:
            _SLICES.popitem(last=False)
    else:
        _SLICES.move_to_end(key)
    # Only what slicing changes comes from the memo; the rest (sources table with its
    # paths, checksums, log) is the dataset just loaded.
    return replace(dataset, region_code=cut.region_code,
                   **{name: getattr(cut, name).copy(deep=False) for name in _SLICED})


#: The fields :meth:`Dataset.for_edition` restricts.
_SLICED = ("areas", "population", "indicators", "lads", "practices")


def from_dataset(edition: editions.Edition, dataset: Dataset, *,
                 national: pd.DataFrame | None = None) -> EditionData:
    """Slice ``dataset`` for ``edition``; ``national`` may be passed when already computed."""
    return EditionData(edition=edition, data=dataset.for_edition(edition),
                       national=national_figures(dataset) if national is None else national)


#: What an edition's notebooks may read of its slice, in the order hashed.
_HASHED = ("areas", "population", "indicators", "lads", "practices", "trusts", "hexes")
#: The large tables an edition keeps rows of, unchanged: hashed once per dataset, row by row.
_BY_ROW = ("indicators", "population")


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row (:func:`pandas.util.hash_pandas_object`); a row's hash is a
    function of its values alone, so the hashes of a slice are the slice of the hashes."""
    if not len(frame):
        return np.empty(0, dtype=np.uint64)
    return np.ascontiguousarray(
        pd.util.hash_pandas_object(frame, index=False, categorize=True).to_numpy())


def _digest_rows(digest: hashlib._Hash, name: str, columns, hashed: np.ndarray) -> None:
    digest.update(f"\0{name}\0{','.join(map(str, columns))}\0{len(hashed)}\0".encode())
    if len(hashed):
        digest.update(np.ascontiguousarray(hashed).tobytes())


def _digest_frame(digest: hashlib._Hash, name: str, frame: pd.DataFrame) -> None:
    _digest_rows(digest, name, frame.columns, _row_hashes(frame))


def fingerprint(edition_data: EditionData) -> str:
    """SHA-256 of everything an edition's notebooks may read (its slice and comparators).

    England's slice is the whole dataset, of which the comparators are a function (their
    code is in every build step's key through the library's digest), so England's
    fingerprint leaves them out and can be computed before they are: a build starts
    England's notebooks while the regions are still being fingerprinted.
    """
    return _fingerprint(edition_data.edition, edition_data.data, edition_data.national, {})


def _fingerprint(edition: editions.Edition, data: Dataset, national: pd.DataFrame,
                 rows: dict[str, np.ndarray]) -> str:
    """:func:`fingerprint`, with the row hashes of the tables in ``rows`` given (their
    frames in ``data`` then only name the columns)."""
    digest = hashlib.sha256()
    digest.update(f"{edition.slug}\0{data.is_demo}\0{data.label}\0{data.vintage}".encode())
    for name in _HASHED:
        frame = getattr(data, name)
        if frame is None:  # trusts, hexes: national, present only with their sources
            continue
        if name in rows:
            _digest_rows(digest, name, frame.columns, rows[name])
        else:
            _digest_frame(digest, name, frame)
    # The checksums of the files as read are left out: every edition reads every national
    # file, so with them a change to one region's rows would rebuild every edition. An
    # edition whose slice is unchanged is reused, and its provenance keeps the checksums of
    # the files it was built from (which give the same figures). The manifest's checksums
    # go too: a data update that records its new checksum in the manifest would otherwise
    # rebuild every edition as well.
    _digest_frame(digest, "sources", data.sources.drop(columns=["sha256", "manifest_sha256"],
                                                       errors="ignore"))
    if not edition.is_england:
        _digest_frame(digest, "national", national)
    return digest.hexdigest()


def row_hashes(dataset: Dataset) -> dict[str, np.ndarray]:
    """The row hashes of ``dataset``'s large tables, for :func:`fingerprint_of`."""
    return {name: _row_hashes(getattr(dataset, name)) for name in _BY_ROW}


def fingerprint_of(edition: editions.Edition, dataset: Dataset, national: pd.DataFrame,
                   hashes: dict[str, np.ndarray]) -> str:
    """``fingerprint(from_dataset(edition, dataset, national=national))`` without cutting
    the large tables: their rows are picked from ``hashes`` (:func:`row_hashes` of
    ``dataset``) by :meth:`~inequalities.data.Dataset.select`, the same selection
    :meth:`~inequalities.data.Dataset.for_edition` applies. A build fingerprints all 59
    editions this way in about a second instead of slicing and hashing each."""
    chosen = dataset.select(edition)
    data = replace(dataset, areas=chosen.areas, lads=chosen.lads,
                   practices=chosen.practices, region_code=chosen.region_code)
    rows = {name: hashed if getattr(chosen, name) is None else hashed[getattr(chosen, name)]
            for name, hashed in hashes.items()}
    return _fingerprint(edition, data, national, rows)


def england_fingerprint(dataset: Dataset, hashes: dict[str, np.ndarray] | None = None) -> str:
    """:func:`fingerprint` of the England edition, without computing the comparators."""
    return _fingerprint(editions.get("england"), dataset, pd.DataFrame(),
                        hashes if hashes is not None else {})
