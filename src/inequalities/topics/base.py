"""What every topic module builds on: an edition's inputs and the national measures.

* :class:`EditionData`: what one edition's notebooks may read, its own slice of the
  :class:`~inequalities.data.Dataset` (for England, everything; for a region, its small
  areas, local authorities and ICBs, plus the published England rows of each indicator)
  and ``national``, England's comparator figures (see :mod:`inequalities.topics.national`);
* :class:`Measure`: one national comparator. Each topic module lists the comparators its
  chapter needs in a module-level ``MEASURES`` tuple; :mod:`inequalities.topics.national`
  collects them. Topic modules never import that collector (it imports them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from inequalities.data import Dataset, editions
from inequalities.data.vintage import Vintage, describe


@dataclass(frozen=True)
class Measure:
    """A national comparator: a function of a Dataset giving ``group``/``value`` rows."""

    name: str
    compute: Callable[[Dataset], pd.DataFrame]
    decimals: int
    description: str


@dataclass(frozen=True)
class EditionData:
    """The inputs of one edition: its data slice and England's comparator figures."""

    edition: editions.Edition
    data: Dataset
    national: pd.DataFrame

    @property
    def vintage(self) -> Vintage:
        """The sources of the data's vintage, as the report names them
        (:mod:`inequalities.data.vintage`): every source line, period and method that
        depends on the vintage asks this."""
        return describe(self.data.vintage_id)

    def england(self, measure: str) -> pd.Series:
        """England's values of ``measure`` indexed by group."""
        rows = self.national[self.national["measure"] == measure]
        if rows.empty:
            known = sorted(set(self.national.get("measure", pd.Series(dtype=str))))
            raise KeyError(f"no national measure {measure!r}; this edition has: "
                           f"{', '.join(known) or 'none'}")
        return rows.set_index("group")["value"]
