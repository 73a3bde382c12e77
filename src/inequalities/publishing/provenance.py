"""Provenance of a build: package version, git commit, data checksums, engine, build date.

NHS England's RAP guidance (Gold level) asks that outputs record the code version and the
configuration that produced them; this is that record, written to ``provenance.json``
and summarised on the report's title page and footer.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from pathlib import Path
from typing import Any

from inequalities import __version__


def git_commit(root: Path) -> str:
    """Return the project's git commit (``+dirty`` if the tree has changes), or ``unknown``."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return "unknown"
    head = subprocess.run([git, "rev-parse", "HEAD"], cwd=root, capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        return "unknown"
    status = subprocess.run([git, "status", "--porcelain", "--untracked-files=no"], cwd=root,
                            capture_output=True, text=True, check=False)
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def build_date() -> str:
    """The build date (UTC, ISO): from ``SOURCE_DATE_EPOCH`` when set, so builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch
              else dt.datetime.now(tz=dt.UTC))
    return moment.date().isoformat()


def pin_build_date(root: Path) -> str:
    """Set ``SOURCE_DATE_EPOCH`` from the commit date of ``root``'s HEAD when it is unset, so
    two builds of one commit give the same dates (and byte-identical PDFs); return a line
    saying what was done ("" when it was already set)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return ""
    git = shutil.which("git")
    stamp = (subprocess.run([git, "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                            text=True, check=False).stdout.strip()
             if git and (root / ".git").exists() else "")
    if not stamp.isdigit():
        return ("SOURCE_DATE_EPOCH is unset and there is no git commit: the build date is "
                "today's, so PDFs differ from day to day")
    os.environ["SOURCE_DATE_EPOCH"] = stamp
    return (f"SOURCE_DATE_EPOCH is unset: using the commit date {build_date()} "
            f"({stamp}), so the build reproduces")


def data_checksums(build_dir: Path) -> dict[str, str]:
    """Return ``{source id: SHA-256}`` of the files an edition's notebooks read.

    Read from ``BUILD/data/sources.csv`` (written by the notebooks); empty without it.
    """
    path = build_dir / "data" / "sources.csv"
    if not path.is_file():
        return {}
    import pandas as pd

    sources = pd.read_csv(path, dtype=str)
    if {"source_id", "sha256"} <= set(sources.columns):
        return dict(zip(sources["source_id"], sources["sha256"].fillna(""), strict=True))
    return {}


def data_label(data_dir: Path | None) -> str:
    """How published output names the data: the folder's name, never its path."""
    return f"data folder {data_dir.name!r}" if data_dir else "embedded demonstration data"


#: Text files of an edition that may quote a path (notebooks, their outputs, the log).
_TEXT_SUFFIXES = (".ipynb", ".json", ".csv", ".log", ".txt", ".md")


def scrub_paths(folder: Path, places: dict[str, str], files: list[Path] | None = None) -> None:
    """Replace each machine path of ``places`` (path -> neutral name) in the text files
    under ``folder`` (or in ``files`` only), longest path first, so nothing published
    reveals where it was built."""
    pairs = sorted(((k, v) for k, v in places.items() if k and k not in ("/", ".")),
                   key=lambda kv: len(kv[0]), reverse=True)
    for path in folder.rglob("*") if files is None else files:
        if not path.is_file() or path.suffix not in _TEXT_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        clean = text
        for place, name in pairs:
            clean = clean.replace(place, name)
        if clean != text:
            path.write_text(clean, encoding="utf-8")


def file_digests(folder: Path) -> dict[str, str]:
    """``{relative path: SHA-256}`` of every file an edition publishes (for reuse checks):
    all but the record itself, the folder's marker and the scratch folders."""
    from inequalities.data.folders import OUTPUT_MARKER
    from inequalities.data.manifest import sha256_file
    from inequalities.publishing.publish import SCRATCH

    skip = {"provenance.json", OUTPUT_MARKER}
    return {path.relative_to(folder).as_posix(): sha256_file(path)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).as_posix() not in skip
            and path.relative_to(folder).parts[0] not in SCRATCH}


def files_intact(folder: Path, listed: Any) -> bool:
    """True when ``folder`` holds exactly the files ``listed`` (from :func:`file_digests`)
    with the same bytes: a published copy may be reused only then."""
    return (isinstance(listed, dict) and bool(listed)
            and file_digests(folder) == listed)


def record(
    *,
    root: Path,
    edition: Any,
    engine: str,
    engine_versions: dict[str, str],
    formats: tuple[str, ...],
    data_dir: Path | None,
    seed: int,
    data_checksums: dict[str, str],
) -> dict[str, Any]:
    """Return the provenance record of one edition build."""
    return {
        "package": "inequalities",
        "version": __version__,
        "git_commit": git_commit(root),
        "python": platform.python_version(),
        "edition": {"slug": edition.slug, "code": edition.code, "name": edition.name},
        "engine": engine,
        "engine_versions": dict(sorted(engine_versions.items())),
        "formats": list(formats),
        "data_dir": data_label(data_dir),
        "seed": seed,
        "data_checksums": dict(sorted(data_checksums.items())),
        "build_date": build_date(),
    }


def summary_line(record: dict[str, Any]) -> str:
    """One line for the report footer."""
    commit = record["git_commit"]
    return (f"Built {record['build_date']} by inequalities {record['version']} "
            f"(git {commit[:12]}{'+dirty' if commit.endswith('+dirty') else ''}) with the "
            f"{record['engine']} engine ("
            + ", ".join(f"{k} {v}" for k, v in record["engine_versions"].items())
            + f"); Python {record['python']}; data checksums in provenance.json.")


def variables(record: dict[str, Any]) -> dict[str, str]:
    """Build facts for chapters (``{{< var build.* >}}``), from a provenance record."""
    commit = record["git_commit"]
    return {
        "build.provenance": summary_line(record),
        "build.version": str(record["version"]),
        "build.commit": commit,
        "build.engine": str(record["engine"]),
        "build.engine_versions": ", ".join(f"{k} {v}"
                                           for k, v in record["engine_versions"].items()),
        "build.date": str(record["build_date"]),
        "build.python": str(record["python"]),
        "build.data_dir": str(record["data_dir"]),
        "build.seed": str(record["seed"]),
    }
