"""A content-addressed store of build steps, safe against a build killed at any moment.

Each entry is a folder ``ROOT/<kind>/<key[:2]>/<key>`` (``kind`` is the step:
``notebooks`` or ``render-html`` ...; ``key`` a SHA-256 of everything the step depends on,
see :mod:`inequalities.publishing.keys`). An entry is written into a temporary folder
``ROOT/.tmp/<pid>-...`` and then renamed into place in one ``os.rename``, so a reader
sees either a complete entry or none: a build killed with SIGKILL leaves at most a
temporary folder, which :meth:`StepCache.clean` removes on the next run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from inequalities.data._files import process_running

_KIND_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def default_root(out_dir: Path) -> Path:
    """The cache folder: ``$INEQUALITIES_CACHE/build``, else ``OUT/.cache``."""
    env = os.environ.get("INEQUALITIES_CACHE")
    return Path(env).expanduser() / "build" if env else out_dir / ".cache"


class StepCache:
    """Content-addressed store of step outputs (folders of files)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _entry(self, kind: str, key: str) -> Path:
        if not kind or set(kind) - _KIND_CHARS:
            raise ValueError(f"cache kind {kind!r} must be lower-case letters, digits, hyphens")
        if len(key) != 64 or set(key) - set("0123456789abcdef"):
            raise ValueError(f"cache key {key!r} is not a SHA-256 hex digest")
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Path | None:
        """Folder of the complete entry ``kind/key``, or None when there is none."""
        path = self._entry(kind, key)
        return path if path.is_dir() else None

    def put(self, kind: str, key: str, files: Iterable[tuple[Path, str]]) -> Path:
        """Store ``files`` (pairs of source path and relative name) as entry ``kind/key``.

        Folders among the sources are copied recursively. Returns the entry folder. If the
        entry already exists (another worker stored it first) the existing one is kept:
        both are the output of the same inputs.
        """
        target = self._entry(kind, key)
        if target.is_dir():
            return target
        tmp_root = self.root / ".tmp"
        tmp_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=tmp_root))
        try:
            for source, name in files:
                dest = tmp / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, dest)
                else:
                    shutil.copyfile(source, dest)
            _pause("cache-put")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, target)
            except OSError:
                if not target.is_dir():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def restore(self, kind: str, key: str, dest: Path) -> bool:
        """Copy the entry's files into ``dest``; False (and nothing copied) when absent."""
        entry = self.get(kind, key)
        if entry is None:
            return False
        shutil.copytree(entry, dest, dirs_exist_ok=True)
        return True

    def clean(self) -> int:
        """Remove temporary folders left by processes that no longer run; return how many."""
        tmp_root = self.root / ".tmp"
        removed = 0
        if not tmp_root.is_dir():
            return 0
        for path in tmp_root.iterdir():
            pid = path.name.split("-", 1)[0]
            if not pid.isdigit() or not process_running(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        return removed


def _pause(point: str) -> None:
    """Test hook: with ``INEQUALITIES_TEST_PAUSE=<point>`` announce and sleep at ``point``.

    Used only by the kill tests, which wait for the announcement file and then SIGKILL the
    build at exactly that moment.
    """
    if os.environ.get("INEQUALITIES_TEST_PAUSE") != point:
        return
    marker = os.environ.get("INEQUALITIES_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    import time

    time.sleep(float(os.environ.get("INEQUALITIES_TEST_PAUSE_SECONDS", "60")))
