"""Load one edition's inputs, and fingerprint them for the build cache.

An edition's report depends on exactly two inputs, and nothing else from the data
(:class:`~inequalities.topics.base.EditionData`): its own slice of the dataset and
England's comparators (:mod:`inequalities.topics.national`). Because of that contract,
:func:`fingerprints` can key each notebook of an edition on those two inputs, the slice
cut to what the notebook declares it reads (:mod:`inequalities.topics.reads`): a change to
one region's data changes that region's slice and (only where it moves a printed national
figure) England's comparators, so only that region and England rebuild, and of their
notebooks only those that read what changed. Notebooks therefore compare a region with
England through ``national``, never by reading other regions' rows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data import Dataset, editions
from inequalities.data import load as load_dataset
from inequalities.topics import reads
from inequalities.topics.base import EditionData, Measure
from inequalities.topics.national import MEASURES, comparators, national_figures

__all__ = ["EditionData", "Measure", "MEASURES", "comparators", "fingerprints",
           "fingerprints_of", "from_dataset", "load", "national_figures", "row_hashes"]


def load(edition: str | editions.Edition, data_dir: str | Path | None = None, *,
         seed: int | None = None) -> EditionData:
    """Load the data and return the :class:`EditionData` of ``edition``.

    The data layer remembers loaded tables and :func:`comparators` the national figures,
    so the notebooks of an edition run in one warm kernel pay for them once. In a kernel
    the build runs a notebook in (:data:`~inequalities.topics.reads.NOTEBOOK_ENV` set),
    the slice is cut to what that notebook's topic module declares it reads
    (:func:`inequalities.topics.reads.project`), exactly what its cache key covers.
    """
    this = edition if isinstance(edition, editions.Edition) else editions.get(edition)
    kwargs = {} if seed is None else {"seed": seed}
    dataset = load_dataset(data_dir or None, **kwargs)
    data = _slice(dataset, this)
    notebook = reads.active()
    if notebook is not None:
        data = reads.project(data, notebook)
    return EditionData(edition=this, data=data, national=comparators(dataset))


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
_HASHED = reads.TABLES
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


def fingerprints(edition_data: EditionData, notebooks: Iterable[str]) -> dict[str, str]:
    """SHA-256 of what each of ``notebooks`` (names: file stems of ``analysis/``) may read
    of the edition: its slice cut to the notebook's declaration
    (:func:`inequalities.topics.reads.project`), England's comparators, the sources table
    and the data's label and vintage.

    Each notebook's cached results are keyed on its own fingerprint, so a change to one
    column re-runs only the notebooks that declare it. England's comparators are in every
    fingerprint, England's too: they are a function of the whole dataset, of which a
    notebook of England may declare only a part.
    """
    return _fingerprints(edition_data.edition, edition_data.data, edition_data.national,
                         {}, notebooks)


def _fingerprints(edition: editions.Edition, data: Dataset, national: pd.DataFrame,
                  rows: dict[str, np.ndarray], notebooks: Iterable[str]) -> dict[str, str]:
    """:func:`fingerprints`, with the row hashes of the tables in ``rows`` given (their
    frames in ``data`` then only name the columns). What every notebook reads is hashed
    once; each table's part (each column, for ``areas`` and ``lads``) once, when the
    first notebook declaring it asks."""
    head = hashlib.sha256()
    head.update(f"{edition.slug}\0{data.is_demo}\0{data.label}\0{data.vintage}".encode())
    # The checksums of the files as read are left out: every edition reads every national
    # file, so with them a change to one region's rows would rebuild every edition. An
    # edition whose notebooks' inputs are unchanged is reused, and its provenance keeps the
    # checksums of the files it was built from (which give the same figures); the
    # provenance notebook declares everything, so any change that re-runs a notebook of
    # the edition also records the new checksums. The manifest's checksums go too: a data
    # update that records its new checksum in the manifest would otherwise rebuild every
    # edition as well.
    _digest_frame(head, "sources", data.sources.drop(columns=["sha256", "manifest_sha256"],
                                                     errors="ignore"))
    _digest_frame(head, "national", national)
    parts: dict[tuple[str, str], bytes] = {}

    def part(table: str, column: str | None) -> bytes:
        """The hashed bytes of ``table`` (a column of it, for the tables by column)."""
        if (table, column) not in parts:
            frame = getattr(data, table)
            digest = hashlib.sha256()
            if column is not None:
                series = frame[column]
                digest.update(f"{column}\0{series.dtype}\0{len(series)}\0".encode())
                if len(series):
                    digest.update(np.ascontiguousarray(pd.util.hash_pandas_object(
                        series, index=False, categorize=True).to_numpy()).tobytes())
            elif table in rows:
                _digest_rows(digest, table, frame.columns, rows[table])
            else:
                _digest_frame(digest, table, frame)
            parts[table, column] = digest.digest()
        return parts[table, column]

    prints = {}
    for notebook in notebooks:
        declared = reads.declared(notebook)
        digest = head.copy()
        for table in _HASHED:
            frame = getattr(data, table)
            if frame is None:  # trusts, hexes: national, present only with their sources
                continue
            if declared is not None and table not in declared:
                continue
            digest.update(f"\0{table}\0".encode())
            if table in reads.BY_COLUMN:
                for column in reads.columns(frame, declared[table] if declared else reads.ALL):
                    digest.update(part(table, column))
            else:
                digest.update(part(table, None))
        prints[notebook] = digest.hexdigest()
    return prints


def row_hashes(dataset: Dataset) -> dict[str, np.ndarray]:
    """The row hashes of ``dataset``'s large tables, for :func:`fingerprints_of`."""
    return {name: _row_hashes(getattr(dataset, name)) for name in _BY_ROW}


def fingerprints_of(edition: editions.Edition, dataset: Dataset, national: pd.DataFrame,
                    hashes: dict[str, np.ndarray], notebooks: Iterable[str]) -> dict[str, str]:
    """``fingerprints(from_dataset(edition, dataset, national=national), notebooks)``
    without cutting the large tables: their rows are picked from ``hashes``
    (:func:`row_hashes` of ``dataset``) by :meth:`~inequalities.data.Dataset.select`, the
    same selection :meth:`~inequalities.data.Dataset.for_edition` applies. A build
    fingerprints all 59 editions this way in about two seconds instead of slicing and
    hashing each."""
    chosen = dataset.select(edition)
    data = replace(dataset, areas=chosen.areas, lads=chosen.lads,
                   practices=chosen.practices, region_code=chosen.region_code)
    rows = {name: hashed if getattr(chosen, name) is None else hashed[getattr(chosen, name)]
            for name, hashed in hashes.items()}
    return _fingerprints(edition, data, national, rows, notebooks)
