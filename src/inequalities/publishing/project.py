"""The report project on disk: ``_quarto.yml``, ``chapters/``, ``analysis/``.

Both engines read the same declaration: the book's title and its chapter list come from
``_quarto.yml``; the notebooks to execute are every ``analysis/*.ipynb``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml


class ProjectError(ValueError):
    """The report project is incomplete or inconsistent."""


@dataclass(frozen=True)
class Project:
    """A report project: where its parts are and what the book declares."""

    root: Path
    title: str
    subtitle: str
    chapters: tuple[str, ...]

    @property
    def notebooks(self) -> tuple[Path, ...]:
        """The analysis notebooks, in name order."""
        return tuple(sorted((self.root / "analysis").glob("*.ipynb")))

    def chapter_paths(self) -> list[Path]:
        """Absolute paths of the chapters, in book order."""
        return [self.root / chapter for chapter in self.chapters]


def find_root(start: Path | None = None) -> Path:
    """Find the project root: ``$INEQUALITIES_PROJECT``, else upward from ``start``/cwd,
    else the source tree this package was installed from (editable installs)."""
    env = os.environ.get("INEQUALITIES_PROJECT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_quarto.yml").is_file() and (candidate / "analysis").is_dir():
            return candidate
    package_root = Path(__file__).resolve().parents[3]
    if (package_root / "_quarto.yml").is_file():
        return package_root
    raise ProjectError(
        "cannot find the report project (a folder with _quarto.yml and analysis/); run from "
        "the repository or set INEQUALITIES_PROJECT to its path"
    )


def load(root: Path | None = None) -> Project:
    """Read ``_quarto.yml`` under ``root`` and check that every chapter exists."""
    root = (root or find_root()).resolve()
    config_path = root / "_quarto.yml"
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {config_path}: {exc}") from exc
    book = config.get("book") or {}
    chapters = tuple(str(c) for c in book.get("chapters") or [])
    if not chapters:
        raise ProjectError(f"{config_path}: book.chapters lists no chapters")
    missing = [c for c in chapters if not (root / c).is_file()]
    if missing:
        raise ProjectError(f"{config_path}: chapters listed but not found: {', '.join(missing)}")
    return Project(
        root=root,
        title=str(book.get("title") or "Health inequalities report"),
        subtitle=str(book.get("subtitle") or ""),
        chapters=chapters,
    )
