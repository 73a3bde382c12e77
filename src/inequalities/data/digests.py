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
import os
import time
from collections.abc import Iterable
from pathlib import Path

#: The whole ``inequalities`` package (not only ``data``): a change to any topic, model or
#: report module must invalidate the cached notebook steps built with the old code.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


#: Digests this process has read, by path: ``(identity, digest)`` (see :func:`known_sha256`).
_DIGESTS: dict[str, tuple[tuple[int, ...], str]] = {}
#: How much older than the read a file's last change must be for its digest to be kept.
RACY_NS = 2_000_000_000


def _identity(path: str | Path) -> tuple[int, ...]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def known_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read once per process while the file is provably unchanged.

    The digest is kept with the file's device, inode, size and modification *and change*
    times (git's index does the same). Tools that copy a file keeping its size and
    modification time (``cp -p``, ``rsync -a``, ``tar``) cannot keep its change time:
    the kernel sets it on every write and no system call sets it back. A file changed so
    soon before it was read that a later write could share its timestamp (within
    :data:`RACY_NS`, git's "racily clean" case) is never kept, nor is one that changed
    while it was read. The analysis kernel loads an edition once per notebook, so without
    this it hashed the same 95 MB 13 times an edition.
    """
    key = str(Path(path).absolute())
    before = _identity(path)
    known = _DIGESTS.get(key)
    if known is not None and known[0] == before:
        return known[1]
    started = time.time_ns()
    digest = sha256_file(path)
    if _identity(path) == before and started - max(before[3], before[4]) > RACY_NS:
        _DIGESTS[key] = (before, digest)
    else:
        _DIGESTS.pop(key, None)
    return digest


def files_digest(root: Path, paths: Iterable[Path]) -> str:
    """SHA-256 over the names (relative to ``root``, sorted) and contents (each file's
    SHA-256, :func:`known_sha256`) of ``paths``."""
    digest = hashlib.sha256()
    for name, path in sorted((path.relative_to(root).as_posix(), path) for path in paths):
        digest.update(f"\0{name}\0{known_sha256(path)}".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def package_digest(package_root: Path | None = None) -> str:
    """SHA-256 of the installed ``inequalities`` package: every file except bytecode."""
    root = package_root or PACKAGE_ROOT
    return files_digest(root, [path for path in root.rglob("*") if path.is_file()
                               and "__pycache__" not in path.parts
                               and path.suffix not in {".pyc", ".pyo"}])
