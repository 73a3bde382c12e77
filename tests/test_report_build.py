"""The real report builds end to end with the pandoc + Typst engine (and with Quarto if present)."""

import json
import os
import shutil
from pathlib import Path

import pypdf
import pytest

from inequalities import cli
from tests.reports import ROOT

pytestmark = pytest.mark.render


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages).replace("\xa0", " ")


def test_england_on_demonstration_data(england_report):
    edition = england_report
    html = (edition / "report.html").read_text(encoding="utf-8")
    assert "Demonstration data, not official statistics" in html
    text = _pdf_text(edition / "report.pdf")
    assert "England edition" in text and "Demonstration data, not official statistics" in text
    figures = json.loads((edition / "key_figures" / "population.json").read_text())
    assert figures["data.is_demo"] is True
    assert json.loads((edition / "provenance.json").read_text())["engine"] == "pandoc"


def test_south_west_on_real_data(real_site):
    edition = real_site / "south-west"
    text = _pdf_text(edition / "report.pdf")
    assert "South West edition" in text
    assert "Demonstration data" not in text
    assert "Official statistics" in text
    # the default vintage is the newest: IoD 2025 on 2021 small areas, Census 2021 counts
    html = (edition / "report.html").read_text(encoding="utf-8")
    assert "IoD 2025, Census 2021 population, LSOA 2021" in html
    profile = (edition / "data" / "tbl-population-profile.csv").read_text()
    total = int(profile.strip().splitlines()[-1].split(",")[2])
    # ONS Census 2021: South West 5,701,200 usual residents (rounded; LSOA cells are
    # perturbed, England's LSOA sum is 43 above the official total, PROVENANCE.md)
    assert total == pytest.approx(5_701_200, abs=100)


def test_south_west_on_the_previous_vintage(tmp_path_factory):
    """The 2019 vintage stays buildable with ``--vintage 2019`` and says so on its pages."""
    from tests.reports import SHARED_DATA, build, have_real_data

    if not have_real_data():
        pytest.skip(f"real national data not found at {SHARED_DATA}")
    site = build(tmp_path_factory.mktemp("v2019") / "site",
                 ["--edition", "south-west", "--data", str(SHARED_DATA), "--vintage", "2019",
                  "--format", "html"])
    html = (site / "south-west" / "report.html").read_text(encoding="utf-8")
    assert "IoD 2019, mid-2019 population, LSOA 2011" in html
    assert os.environ.get("INEQUALITIES_VINTAGE") is None  # not leaked to later tests
    profile = (site / "south-west" / "data" / "tbl-population-profile.csv").read_text()
    # ONS mid-2019: South West population 5,624,696 (sum of its LSOA estimates).
    assert "5624696" in profile


def test_every_edition_builds_on_real_data(real_site):
    """All ten editions, including the regions that lack a kind of place."""
    from inequalities.data import editions

    index = (real_site / "index.html").read_text(encoding="utf-8")
    for edition in editions.EDITIONS:
        folder = real_site / edition.slug
        assert (folder / "report.html").stat().st_size > 100_000, edition.slug
        assert (folder / "report.pdf").stat().st_size > 100_000, edition.slug
        assert f'href="{edition.slug}/report.html"' in index, edition.slug
    models = {slug: json.loads((real_site / slug / "key_figures" / "models.json").read_text())
              for slug in ("west-midlands", "london", "south-west")}
    # ONS RUC 2011 and the coastal flag: West Midlands has no coastal small area and
    # London 8 rural ones (fewer than the 30 the model asks for on each side).
    assert "could not be estimated" in models["west-midlands"]["models.coastal_gap"]
    assert "could not be estimated" in models["london"]["models.rural_gap"]
    assert models["south-west"]["models.rural_gap"].startswith("premature mortality ")


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


# Chapters 3-5 (population, access, outcomes): one build per edition, shared by the checks.
CONTENT_A_FIGURES = (
    "fig-age-65-by-place", "fig-deprivation-by-place", "fig-gp-fte-by-place", "tbl-gp-ratios",
    "fig-gp-distance", "tbl-lowest-access-fifth", "fig-life-expectancy-by-place",
    "fig-healthy-life-expectancy-by-place",
    "fig-preventable-mortality-by-place", "fig-iod-health-by-place", "tbl-outcome-differences",
)


@pytest.fixture(scope="module")
def england_demo_build(england_report):
    return england_report


@pytest.fixture(scope="module")
def south_west_real_build(real_site):
    return real_site / "south-west"


def _check_chapters_3_to_5(edition: Path) -> dict:
    html = (edition / "report.html").read_text(encoding="utf-8")
    for label in CONTENT_A_FIGURES:
        assert f'id="{label}"' in html, label
        assert f'{label}.csv" download' in html, label
        assert (edition / "data" / f"{label}.csv").stat().st_size > 0
    figures = {}
    for name in ("population", "access", "outcomes"):
        figures.update(json.loads((edition / "key_figures" / f"{name}.json").read_text()))
    # every {{< var >}} in the chapters was resolved (no shortcode left in the output)
    assert "{{&lt;" not in html and "{{<" not in html
    return figures


def test_chapters_3_to_5_on_demonstration_data(england_demo_build):
    figures = _check_chapters_3_to_5(england_demo_build)
    assert figures["access.lowest_fifth_finding"].startswith("by definition")
    for key in ("access.rural_ratio_finding", "outcomes.le_male_rural_finding"):
        assert any(word in figures[key] for word in ("higher", "lower", "no clear difference"))


def test_chapters_3_to_5_on_real_data(south_west_real_build):
    figures = _check_chapters_3_to_5(south_west_real_build)
    # NHS Digital / ONS: South West 27 local authorities (LAD 2023) with GP workforce data.
    assert figures["access.n_lads"] == "27"
    # Fingertips 90366, England males 2023-25 as published in the shared data: 79.7 years.
    assert figures["outcomes.le_male_england_published"] == "79.7"
    text = _pdf_text(south_west_real_build / "report.pdf")
    assert "Access to care" in text and "Core20PLUS5 clinical areas" in text
