"""England's comparators: the national figures every edition compares itself with.

Each topic module lists the comparators its chapter needs in ``MEASURES`` (see
:class:`~inequalities.topics.base.Measure`); :data:`MEASURES` here collects them, in a
fixed order. :func:`national_figures` computes them from the whole country, rounded to the
precision the report prints, and :func:`comparators` computes them once per set of sources
and keeps them under the data cache, so every notebook kernel of every edition reads them.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from inequalities.data import Dataset, default_cache_dir
from inequalities.data._files import write_atomically
from inequalities.data.digests import package_digest
from inequalities.topics import (access, areas, breakdowns, clinical, inequality,
                                   mortality, outcomes, population, services, trends)
from inequalities.topics.base import Measure

#: Every national measure, by name, in the order the comparators table lists them.
MEASURES: dict[str, Measure] = {
    measure.name: measure
    for module in (population, inequality, access, outcomes, clinical, trends, mortality,
                   services, areas, breakdowns)
    for measure in module.MEASURES
}


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
