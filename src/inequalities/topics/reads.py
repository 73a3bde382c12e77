"""What each analysis notebook reads of its edition's data, and the data cut to just that.

A topic module may declare, in a module-level ``READS``, what its notebook (the notebook
of the same name in ``analysis/``) reads of the edition's :class:`~inequalities.data.Dataset`:

* for ``areas`` and ``lads``, the columns, by name;
* for ``population``, ``indicators``, ``practices``, ``trusts`` and ``hexes``, the whole
  table (:data:`ALL`), or nothing (the table left out of ``READS``).

For example ``READS = {"areas": ("area_code", "urban_rural"), "indicators": ALL}``.
A module without ``READS`` reads everything.

Two things follow from one declaration, so they cannot disagree:

* the build keys each notebook's cached results on exactly what it declares
  (:func:`inequalities.topics.edition.fingerprints`): a changed deprivation score
  re-runs the notebooks that read ``imd_score`` and reuses the others;
* the build tells the kernel which notebook runs (the environment variable
  :data:`NOTEBOOK_ENV`), and :func:`inequalities.topics.edition.load` then hands the
  notebook the dataset cut to its declaration (:func:`project`). A column it did not
  declare is absent (pandas raises ``KeyError`` naming it); a table it did not declare
  raises :class:`UndeclaredRead` when used. A notebook therefore cannot read what its cache
  key does not cover. Run by hand (no :data:`NOTEBOOK_ENV`), a notebook sees everything.

That the cut changes no result (no code takes another path when a column is absent) is
tested: each notebook's outputs with and without the cut are compared byte for byte.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from inequalities.data import Dataset

__all__ = ["ALL", "NOTEBOOK_ENV", "TABLES", "UndeclaredRead", "declared", "project"]

#: A whole table.
ALL = "*"
#: The tables a declaration covers, in the order fingerprints hash them.
TABLES = ("areas", "population", "indicators", "lads", "practices", "trusts", "hexes")
#: The tables declared column by column.
BY_COLUMN = ("areas", "lads")
#: Set by the build in a notebook's kernel: the notebook's name (its file's stem).
NOTEBOOK_ENV = "INEQUALITIES_NOTEBOOK"

#: What a declaration is: table -> :data:`ALL` or a tuple of column names.
Reads = Mapping[str, object]


class UndeclaredRead(RuntimeError):
    """A notebook used a table its topic module's ``READS`` does not declare."""


class _Undeclared:
    """Stands in for a table a notebook did not declare: any use raises."""

    def __init__(self, table: str, notebook: str):
        self._message = (
            f"the {notebook} notebook reads the {table!r} table, which "
            f"inequalities.topics.{notebook}.READS does not declare; add "
            f'"{table}": ALL there (the build re-runs the notebook when what READS '
            "declares changes, and gives it nothing else)")

    def __repr__(self) -> str:
        return f"<undeclared table: {self._message}>"

    def _refuse(self, *args, **kwargs):
        raise UndeclaredRead(self._message)

    __getattr__ = __getitem__ = __iter__ = __len__ = __bool__ = __contains__ = _refuse


def declared(notebook: str) -> Reads | None:
    """The ``READS`` of ``notebook``'s topic module (:mod:`inequalities.topics.<notebook>`);
    None (everything) when the module has none or there is no such module.

    Raises ValueError for a declaration naming an unknown table or giving a table neither
    :data:`ALL` nor column names.
    """
    try:
        module = importlib.import_module(f"inequalities.topics.{notebook}")
    except ModuleNotFoundError as exc:
        if exc.name != f"inequalities.topics.{notebook}":
            raise
        return None
    reads = getattr(module, "READS", None)
    if reads is None:
        return None
    for table, what in reads.items():
        if table not in TABLES:
            raise ValueError(f"inequalities.topics.{notebook}.READS names {table!r}, not "
                             f"a table; the tables are {', '.join(TABLES)}")
        by_column = table in BY_COLUMN and isinstance(what, tuple) and all(
            isinstance(c, str) for c in what)
        if what != ALL and not by_column:
            raise ValueError(
                f"inequalities.topics.{notebook}.READS[{table!r}] must be ALL"
                + (" or a tuple of column names" if table in BY_COLUMN else ""))
    return reads


def columns(frame: pd.DataFrame, what: object) -> list[str]:
    """The columns of ``frame`` a declaration ``what`` keeps, in the frame's order."""
    if what == ALL:
        return list(frame.columns)
    wanted = set(what)
    return [c for c in frame.columns if c in wanted]


def project(dataset: Dataset, notebook: str, reads: Reads | None = None) -> Dataset:
    """``dataset`` cut to what ``notebook`` declares (``reads``, default its topic
    module's ``READS``): undeclared columns of ``areas`` and ``lads`` dropped, undeclared
    tables replaced by a stand-in that raises :class:`UndeclaredRead` on use."""
    reads = declared(notebook) if reads is None else reads
    if reads is None:
        return dataset
    cut = {}
    for table in TABLES:
        frame = getattr(dataset, table)
        if table not in reads:
            cut[table] = _Undeclared(table, notebook)
        elif frame is not None and table in BY_COLUMN and reads[table] != ALL:
            cut[table] = frame[columns(frame, reads[table])]
    return replace(dataset, **cut)


def active() -> str | None:
    """The notebook the build said is running in this kernel (:data:`NOTEBOOK_ENV`)."""
    return os.environ.get(NOTEBOOK_ENV) or None
