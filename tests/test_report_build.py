"""The real report builds end to end with the pandoc + Typst engine (and with Quarto if present)."""

import json
import os
import shutil
from pathlib import Path

import pypdf
import pytest

from inequalities import cli

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages).replace("\xa0", " ")


def test_england_on_demonstration_data(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["build", "--edition", "england", "--renderer", "pandoc",
                     "--out", str(tmp_path)]) == 0
    edition = tmp_path / "england"
    html = (edition / "report.html").read_text(encoding="utf-8")
    assert "Demonstration data, not official statistics" in html
    text = _pdf_text(edition / "report.pdf")
    assert "England edition" in text and "Demonstration data, not official statistics" in text
    figures = json.loads((edition / "key_figures" / "population.json").read_text())
    assert figures["data.is_demo"] is True
    assert json.loads((edition / "provenance.json").read_text())["engine"] == "pandoc"


@pytest.mark.skipif(not (SHARED_DATA / "PROVENANCE.md").is_file(),
                    reason=f"real national data not found at {SHARED_DATA}")
def test_south_west_on_real_data(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["build", "--edition", "south-west", "--data", str(SHARED_DATA),
                     "--renderer", "pandoc", "--out", str(tmp_path)]) == 0
    edition = tmp_path / "south-west"
    text = _pdf_text(edition / "report.pdf")
    assert "South West edition" in text
    assert "Demonstration data" not in text
    assert "Official statistics" in text
    profile = (edition / "data" / "tbl-population-profile.csv").read_text()
    # ONS mid-2019: South West population 5,624,696 (sum of its LSOA estimates).
    assert "5624696" in profile


@pytest.mark.quarto
@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="the quarto binary is not on PATH (install Quarto to test the "
                    "quarto engine; the pandoc engine is tested above)")
def test_england_with_quarto(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["build", "--edition", "england", "--renderer", "quarto",
                     "--out", str(tmp_path)]) == 0
    for name in ("report.html", "report.pdf"):
        assert (tmp_path / "england" / name).stat().st_size > 0
    assert json.loads((tmp_path / "england" / "provenance.json").read_text())["engine"] == "quarto"
    assert os.path.getsize(tmp_path / "england" / "report.html") > 100_000
