"""Two clean builds of one edition, in separate output folders with separate caches and in
separate processes, publish byte-identical files (``SOURCE_DATE_EPOCH`` fixed).

The first build is the session's ``england_report`` (in the test process, HTML and PDF, on
the demonstration data); the second runs as a new process with its own data cache
(``XDG_CACHE_HOME``: the demonstration data are generated and assembled again), its own
step cache and another ``PYTHONHASHSEED``, so no set or dict order, random name or
temporary path can be shared between them.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest

from tests.reports import EPOCH, ROOT

pytestmark = pytest.mark.render

#: What readers download, compared byte for byte.
PUBLISHED = ("report.html", "report.pdf", "data/*.csv", "key_figures/*.json")


def _notebook(path):
    """The executed notebook with the charts' embedded PDFs set aside (see the docs:
    vl-convert orders a chart PDF's resources differently from run to run); returns the
    notebook and the PDFs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    pdfs = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            pdf = output.get("data", {}).pop("application/pdf", None)
            if pdf is not None:
                pdfs.append(base64.b64decode(pdf))
    return nb, pdfs


def test_two_clean_builds_are_byte_identical(england_report, tmp_path):
    out = tmp_path / "site"
    env = dict(os.environ, INEQUALITIES_PROJECT=str(ROOT), SOURCE_DATE_EPOCH=EPOCH,
               XDG_CACHE_HOME=str(tmp_path / "xdg"), PYTHONHASHSEED="7")
    env.pop("INEQUALITIES_VINTAGE", None)
    done = subprocess.run(
        [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england",
         "--renderer", "pandoc", "--jobs", "1", "--cache", str(tmp_path / "steps"),
         "--out", str(out)], env=env, cwd=tmp_path, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    second = out / "england"
    compared = 0
    for pattern in PUBLISHED:
        first = sorted(p.relative_to(england_report) for p in england_report.glob(pattern))
        assert first == sorted(p.relative_to(second) for p in second.glob(pattern)), pattern
        for rel in first:
            assert (england_report / rel).read_bytes() == (second / rel).read_bytes(), rel
            compared += 1
    assert compared > 10
    assert (england_report.parent / "statistics.csv").read_bytes() == (
        out / "statistics.csv").read_bytes()
    notebooks = sorted(p.name for p in (england_report / "notebooks").glob("*.ipynb"))
    assert notebooks
    for name in notebooks:
        nb1, pdfs1 = _notebook(england_report / "notebooks" / name)
        nb2, pdfs2 = _notebook(second / "notebooks" / name)
        assert nb1 == nb2, name
        assert [len(p) for p in pdfs1] == [len(p) for p in pdfs2], name
