"""inequalities: England's health inequalities report, urban, rural and coastal, by region.

The package is a library (``data``, ``methods``, ``models``, ``charts``) used by the
analysis notebooks in ``analysis/``, plus a build system (``build``) and the console
script ``inequalities`` (``cli``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inequalities")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
