"""Data layer: official sources (or demonstration data) in, validated tidy tables out.

Public API:

* :func:`load` -> :class:`Dataset` with ``areas``, ``population``, ``indicators``,
  ``lads`` and ``sources`` tables (see :mod:`inequalities.data.dataset`);
* manifests (:mod:`inequalities.data.manifest`), readers (:mod:`.readers`), the indicator
  catalogue (:mod:`.catalogue`), demonstration data (:mod:`.demo`), download
  (:mod:`.fetch`) and validation (:mod:`.validate`).
"""

from inequalities.data.dataset import DEFAULT_SEED, Dataset, default_cache_dir, load

__all__ = ["DEFAULT_SEED", "Dataset", "default_cache_dir", "load"]
