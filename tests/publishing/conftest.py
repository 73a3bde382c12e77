"""Reports built once per test session and shared by the presentation tests.

* ``fixture_report``: the small fixture project (one chart, one table, a callout, a
  hostile area name in a key figure and a table cell), North East edition;
* ``england_report`` (in ``tests/conftest.py``): the real project, England edition, on
  demonstration data;
* ``hostile_report``: the real project, England edition, built with ``--data`` from
  demonstration data whose region, local authority and small-area names were rewritten to
  markup (``HOSTILE_NAMES``), with the manifest's checksums updated to match.

Each build runs the notebooks (a few seconds each), so tests share them instead of
building their own. The session uses a private data cache (see ``tests/conftest.py``).
"""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.reports import ROOT, build

FIXTURE = Path(__file__).parent / "fixture_project"

#: What the hostile build renames, and to what: region names (these reach the charts),
#: a local authority name (reaches LA and small-area names) in every CSV of the dataset.
HOSTILE_NAMES = {
    "North East": "<script>alert(1)</script>",
    "North West": '"><img src=x onerror=alert(2)>',
    "Oakcombe": "</script><script>alert(3)</script>",
}


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """A private copy of the fixture project, made the project every build of the test uses
    (reproducible dates, no test-only pause hook)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv("INEQUALITIES_PROJECT", str(root))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("INEQUALITIES_TEST_PAUSE", raising=False)
    return root


def chromium_path() -> str | None:
    """Debian's Chromium, or None when it is not installed (browser tests then skip)."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _build(out: Path, edition: str, project: Path, data: Path | None = None) -> Path:
    args = ["--edition", edition] + (["--data", str(data)] if data is not None else [])
    return build(out, args, project) / edition


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fixture") / "project"
    shutil.copytree(FIXTURE, root)
    return _build(root.parent / "site", "north-east", root)


def _rewrite_names(folder: Path) -> None:
    """Replace the names in every CSV of ``folder`` and update the manifest's checksums."""
    from inequalities.data.manifest import sha256_file

    manifest_path = folder / "manifest.toml"
    manifest_text = manifest_path.read_text(encoding="utf-8")
    manifest = tomllib.loads(manifest_text)
    for source in manifest["source"]:
        path = folder / source["file"]
        if path.suffix != ".csv" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if not any(old in text for old in HOSTILE_NAMES):
            continue
        rows = list(csv.reader(io.StringIO(text)))
        for row in rows:
            for i, field in enumerate(row):
                for old, hostile in HOSTILE_NAMES.items():
                    field = field.replace(old, hostile)
                row[i] = field
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        manifest_text = manifest_text.replace(source["sha256"], sha256_file(path))
    manifest_path.write_text(manifest_text, encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> Path:
    from inequalities.data import demo

    base = tmp_path_factory.mktemp("hostile")
    data = demo.generate(base / "data", seed=20240101)
    _rewrite_names(data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INEQUALITIES_CACHE", str(base / "cache"))
        return _build(base / "site", "england", ROOT, data=data)
