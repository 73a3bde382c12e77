"""inequalities: England's health inequalities report, urban, rural and coastal, by region.

The package's folders are its layers, in the order the data flow through them:

* :mod:`~inequalities.data`: sources, manifests, loaders, validation, demonstration data and
  the registry of editions (:mod:`inequalities.data.editions`);
* :mod:`~inequalities.methods` (indicator statistics with their intervals) and
  :mod:`~inequalities.models` (statsmodels fits with tidy outputs);
* :mod:`~inequalities.report`: the house style every chapter uses (wording of findings,
  tables, charts, the files a notebook hands to the report);
* :mod:`~inequalities.topics`: one module per chapter, what that chapter computes for an
  edition (the analysis notebooks in ``analysis/`` call these);
* :mod:`~inequalities.publishing`: planning, caching, running the notebooks, rendering
  with Quarto or pandoc + Typst, and publishing editions;
* :mod:`~inequalities.cli`: the ``inequalities`` command.

A module imports only from its own layer or the layers above it in this list (the
``tests/test_layers.py`` test checks it).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inequalities")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
