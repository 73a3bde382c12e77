"""Writing cache files so that a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Create ``path`` by calling ``write(temporary)`` beside it, then renaming.

    The temporary file is in the same folder (so the rename is atomic) and is removed if
    ``write`` fails; a process killed meanwhile leaves at most a ``.tmp-*`` file, never a
    truncated ``path``. Raises ``OSError`` when the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def process_running(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 probes without sending anything;
    a process of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
