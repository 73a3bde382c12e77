"""Parsed source files kept as parquet, so a change to one file re-reads only that file.

Assembling the tables reads every source (2.4 s of CSV parsing on the real data). When
one file changes, say a region's corrected population estimates, the other sources'
parsed frames are still valid: :class:`ParsedSources` keeps each as parquet under a key
of the file's SHA-256, the source's manifest entry and the data layer's code, and reads
it back instead of parsing the file again.

Cold and warm loads give identical frames because a freshly parsed frame is returned as
read back from its parquet file, the same bytes a warm load reads.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from pathlib import Path

import pandas as pd

from inequalities.data.digests import files_digest
from inequalities.data._files import write_atomically
from inequalities.data.manifest import Source
from inequalities.data.readers import read_source

#: Versions of one source kept side by side (older ones are removed when a new one lands).
KEEP = 3


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the data layer's Python source (readers, assembly, catalogue...)."""
    folder = Path(__file__).parent
    return files_digest(folder, folder.glob("*.py"))


def source_key(src: Source, checksum: str, *salt: str) -> str:
    """SHA-256 naming what is computed from one source file alone: ``salt`` (what is
    computed), the data layer's code, the file's manifest entry and its SHA-256."""
    entry = json.dumps(dataclasses.asdict(src), sort_keys=True, default=str)
    return hashlib.sha256("\0".join([*salt, code_digest(), entry, checksum]).encode()
                          ).hexdigest()


class ParsedSources:
    """Read sources through a parquet cache in ``folder`` (``None``: no cache)."""

    def __init__(self, folder: Path | None, checksums: dict[str, str]):
        self.folder = folder
        self.checksums = checksums

    def _key(self, src: Source) -> str:
        return source_key(src, self.checksums[src.id])[:20]

    def read(self, src: Source, root: Path) -> pd.DataFrame:
        """Return the canonical frame of ``src`` (as :func:`~.readers.read_source` does)."""
        if self.folder is None or src.id not in self.checksums:
            return read_source(src, root)
        path = self.folder / f"{src.id}--{self._key(src)}.parquet"
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):
            pass
        frame = read_source(src, root)
        try:
            self._write(frame, path)
            return pd.read_parquet(path)
        except (OSError, ValueError, TypeError):  # unwritable cache or a frame parquet
            return frame                          # cannot hold: parse every time instead

    def _write(self, frame: pd.DataFrame, path: Path) -> None:
        write_atomically(path, frame.to_parquet)
        _prune(path)


def _prune(path: Path) -> None:
    """Remove all but the newest :data:`KEEP` versions of the source stored at ``path``."""
    def age(candidate: Path) -> int:
        try:
            return candidate.stat().st_mtime_ns
        except OSError:  # removed meanwhile by another process
            return 0

    versions = sorted(path.parent.glob(f"{path.name.split('--')[0]}--*.parquet"),
                      key=age, reverse=True)
    for old in versions[KEEP:]:
        old.unlink(missing_ok=True)
