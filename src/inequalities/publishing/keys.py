"""Cache keys: a SHA-256 of everything a build step depends on.

* notebook step (one per edition and notebook): the notebook's data fingerprint
  (:func:`inequalities.topics.edition.fingerprints`: the edition's slice cut to what the
  notebook reads, plus England's rounded comparators), the notebook's bytes, the library's
  source tree and package data, the parameters (seed) and the Python and key package
  versions; an edition's notebooks together are keyed by their keys
  (:func:`notebooks_key`);
* render step (one per edition and format): the notebooks' key (the steps are
  deterministic, so their keys stand for their outputs), the chapters, ``_quarto.yml``, the
  renderer's name and tool versions, the format, and the facts printed on the title page
  (package version, git commit, build date).

Keys are computed in the parent process before any work starts, so an unchanged edition
is recognised without starting a worker.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import inequalities
from inequalities.data.digests import files_digest
from inequalities.data.digests import package_digest as library_digest

#: Bump to invalidate every cached step after a change in what a step stores.
SCHEMA = "1"
#: Packages whose versions change what the notebooks compute or draw.
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "altair", "vl-convert-python",
            "nbclient", "papermill", "ipykernel", "pyarrow")


def _digest(parts: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"inequalities-build-{SCHEMA}".encode())
    for name, data in parts:
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def environment() -> dict[str, str]:
    """Python and package versions that change the notebooks' results."""
    versions = {"python": platform.python_version(), "inequalities": inequalities.__version__}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, default=str).encode()


def notebook_key(*, fingerprint: str, notebook: str, source: bytes, seed: int,
                 library: str | None = None, env: dict[str, str] | None = None) -> str:
    """Key of one notebook's step for one edition (see the module docstring): ``notebook``
    is its file name, ``source`` its bytes."""
    return _digest([("fingerprint", fingerprint.encode()),
                    ("library", (library or library_digest()).encode()),
                    ("environment", _json(env if env is not None else environment())),
                    ("parameters", _json({"seed": seed})),
                    (f"notebook:{notebook}", source)])


def notebooks_key(notebook_keys: dict[str, str]) -> str:
    """Key of all of an edition's notebooks: the key of each, by notebook file name."""
    return _digest([(f"notebook:{name}", key.encode())
                    for name, key in sorted(notebook_keys.items())])


def project_digest(root: Path, chapters: Iterable[str]) -> str:
    """SHA-256 of what the renderers read from the project: chapters and ``_quarto.yml``."""
    paths = [root / "_quarto.yml", *(root / c for c in chapters)]
    chapter_dir = root / "chapters"
    if chapter_dir.is_dir():  # includes and assets beside the chapters
        paths += [p for p in chapter_dir.rglob("*") if p.is_file()]
    return files_digest(root, sorted(set(paths)))


def render_key(*, notebook_key: str, project: str, engine: str,
               engine_versions: dict[str, str], fmt: str, facts: dict[str, Any],
               library: str | None = None) -> str:
    """Key of one render step: an edition in one format (see the module docstring)."""
    return _digest([("notebooks", notebook_key.encode()), ("project", project.encode()),
                    ("library", (library or library_digest()).encode()),
                    ("engine", _json({"name": engine, "versions": engine_versions})),
                    ("format", fmt.encode()), ("facts", _json(facts))])
