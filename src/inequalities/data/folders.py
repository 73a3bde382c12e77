"""Folders the program may write into, replace or delete: only the ones it created.

A folder the program creates for its output gets a marker file (:data:`OUTPUT_MARKER` for
``build --out``, :data:`DEMO_MARKER` for ``data demo --dest``, :data:`DATA_MARKER` for
``data fetch --dest``). Before writing, a command calls :func:`check_destination`: an
empty or missing folder is fine, a folder holding the command's marker is the program's
own, and anything else (a non-empty folder without the marker, ``/``, the home folder, the
project root or a folder above them, an empty path) is refused with one line saying what
to do. Nothing is ever removed from a folder that lacks the marker.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Marks a build output folder (``OUT``) and each edition folder the build published.
OUTPUT_MARKER = ".inequalities-output"
#: Marks a folder of demonstration data (written last: it also means "complete").
DEMO_MARKER = ".inequalities-demo"
#: Marks a folder ``data fetch --dest`` downloads into.
DATA_MARKER = ".inequalities-data"


class UnsafeDestination(ValueError):
    """A destination folder the program must not write into (the message says why)."""


def _project_roots() -> list[Path]:
    """The report project's root(s): upward from the working folder, and the source tree."""
    roots = []
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_quarto.yml").is_file() and (candidate / "analysis").is_dir():
            roots.append(candidate)
    source = Path(__file__).resolve().parents[3]
    if (source / "pyproject.toml").is_file():
        roots.append(source)
    return roots


def protected() -> list[Path]:
    """Folders never used as a destination: ``/``, the home folder and the project root."""
    return [Path("/").resolve(), Path.home().resolve(), *_project_roots()]


def is_ours(folder: Path, marker: str) -> bool:
    """True when ``folder`` holds ``marker``: the program created it."""
    return (folder / marker).is_file()


def check_destination(path: str | os.PathLike | None, marker: str, option: str) -> Path:
    """Return ``path`` resolved if the program may write there, else raise
    :class:`UnsafeDestination` with one line naming ``option`` and how to fix it."""
    if path is None or not str(path).strip():
        raise UnsafeDestination(f"{option} is empty; give the folder to write to")
    folder = Path(path).expanduser().resolve()
    for place in protected():
        if place.is_relative_to(folder):
            raise UnsafeDestination(
                f"{option} {str(folder)!r} is (or contains) {str(place)!r}, the root, home or "
                "project folder; give a new or empty folder of its own")
    if folder.exists() and not folder.is_dir():
        raise UnsafeDestination(f"{option} {str(folder)!r} is a file, not a folder; give a "
                                "new or empty folder")
    if folder.is_dir() and not is_ours(folder, marker) and any(folder.iterdir()):
        raise UnsafeDestination(
            f"{option} {str(folder)!r} is not empty and was not made by inequalities (no "
            f"{marker} file); give a new or empty folder (nothing in it is changed or "
            f"deleted; for an earlier version's output, add an empty {marker} file to it)")
    return folder


def claim(folder: Path, marker: str) -> None:
    """Create ``folder`` if needed and mark it as the program's (after
    :func:`check_destination` passed)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not is_ours(folder, marker):
        (folder / marker).write_text("created by inequalities; its contents may be replaced "
                                     "by the next run\n", encoding="utf-8")
