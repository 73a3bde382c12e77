"""SHA-256 digests of files, and of the package's own source, for the caches' keys.

A cached result made by one version of the code must not be served to another, so the
build steps (:mod:`inequalities.publishing.keys`), England's stored comparators
(:mod:`inequalities.topics.edition`) and the data layer's parquet caches
(:mod:`inequalities.data`) all key on these digests. Standard library only: any layer may
import it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

#: The whole ``inequalities`` package (not only ``data``): a change to any topic, model or
#: report module must invalidate the cached notebook steps built with the old code.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def files_digest(root: Path, paths: Iterable[Path]) -> str:
    """SHA-256 over the names (relative to ``root``, sorted) and bytes of ``paths``."""
    digest = hashlib.sha256()
    for name, path in sorted((path.relative_to(root).as_posix(), path) for path in paths):
        data = path.read_bytes()
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def package_digest(package_root: Path | None = None) -> str:
    """SHA-256 of the installed ``inequalities`` package: every file except bytecode."""
    root = package_root or PACKAGE_ROOT
    return files_digest(root, [path for path in root.rglob("*") if path.is_file()
                               and "__pycache__" not in path.parts
                               and path.suffix not in {".pyc", ".pyo"}])
