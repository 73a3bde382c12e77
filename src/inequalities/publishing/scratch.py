"""Temporary folders owned by a running process, removed by the next build once it is dead.

A notebook kernel needs a folder outside ``OUT`` (its IPC socket paths must stay short)
for its sockets, its connection file and its log. If the process that started the kernel
is killed (SIGKILL), nothing removes that folder, so each one is made owned:

* it is ``$TMPDIR/inequalities-tmp-<kind>-<pid>-<random>`` (``tempfile.gettempdir()``);
* it holds ``.owner``, on which the owning process keeps an exclusive ``flock`` for as long
  as it lives (the kernel, a child process, does not inherit the descriptor);
* :func:`sweep` (every build, after its recovery, and every new kernel session) removes
  the folders of this user whose lock it can take, that is whose owner is gone. A folder
  that lost its owner before ``.owner`` was written is removed when its pid is not running.

Nothing else in the temporary folder is touched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

from inequalities.data._files import process_running

PREFIX = "inequalities-tmp-"
OWNER = ".owner"

_held: dict[Path, IO[str]] = {}


def make(kind: str) -> Path:
    """Create an owned temporary folder for ``kind`` (letters) and return its path."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))
    # Locked before it gets its name, so a sweep never sees an unlocked owner file.
    handle = open(path / ".owning", "w", encoding="utf-8")  # noqa: SIM115 - held while we live
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"inequalities {kind} folder of process {os.getpid()}\n")
    handle.flush()
    os.rename(path / ".owning", path / OWNER)
    _held[path] = handle
    return path


def remove(path: Path) -> None:
    """Remove an owned folder made by :func:`make` in this process (and release it)."""
    handle = _held.pop(path, None)
    shutil.rmtree(path, ignore_errors=True)
    if handle is not None:
        handle.close()


def _pid_of(path: Path) -> int | None:
    parts = path.name[len(PREFIX):].split("-")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None


def sweep(root: Path | None = None) -> list[str]:
    """Remove the owned folders in ``root`` (default: the temporary folder) whose owner
    is gone; return their names."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        candidates = sorted(root.glob(PREFIX + "*"))
    except OSError:
        return removed
    for path in candidates:
        try:
            if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        if path in _held:
            continue
        try:
            handle = open(path / OWNER, encoding="utf-8")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            pid = _pid_of(path)
            if pid is not None and not process_running(pid):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
            continue
        except OSError:
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                ours = handle.read(200).startswith("inequalities ")
            except (OSError, UnicodeDecodeError):
                continue  # its owner is alive, or the file is not one we wrote
            if not ours or _pid_of(path) is None:
                continue  # a folder someone else named like ours: never touched
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
