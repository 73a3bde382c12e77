"""Data layer: official sources (or demonstration data) in, validated tidy tables out.

Public API:

* :func:`load` -> :class:`Dataset` with ``areas``, ``population``, ``indicators``,
  ``lads`` and ``sources`` tables (see :mod:`inequalities.data.dataset`);
* manifests (:mod:`inequalities.data.manifest`), readers (:mod:`.readers`), the indicator
  catalogue (:mod:`.catalogue`), schemas (:mod:`.schemas`), demonstration data
  (:mod:`.demo`), download (:mod:`.fetch`) and validation (:mod:`.validate`).

Names are imported lazily so that ``import inequalities.data`` (and the command line)
does not pay for pandas until data are actually loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["DEFAULT_SEED", "Dataset", "default_cache_dir", "load"]

if TYPE_CHECKING:  # pragma: no cover
    from inequalities.data.dataset import DEFAULT_SEED, Dataset, default_cache_dir, load


def __getattr__(name: str) -> Any:
    if name in __all__:
        from inequalities.data import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'inequalities.data' has no attribute {name!r}")
