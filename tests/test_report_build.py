"""The real report builds end to end with the pandoc + Typst engine (and with Quarto if present)."""

import html as htmllib
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from inequalities import cli
from inequalities.publishing.chapters import EMBED_LINE
from tests.reports import ROOT
from tests.vintage_labels import build_texts, foreign

pytestmark = pytest.mark.render


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages).replace("\xa0", " ")


#: The caveat the breakdowns chapter states where ethnicity figures appear (issue 17).
ECOLOGICAL_CAVEAT = ("This is an ecological comparison: an area's ethnic composition is not "
                     "a person's ethnicity.")


def test_england_on_demonstration_data(england_report):
    edition = england_report
    html = (edition / "report.html").read_text(encoding="utf-8")
    assert "Demonstration data, not official statistics" in html
    text = _pdf_text(edition / "report.pdf")
    assert "England edition" in text and "Demonstration data, not official statistics" in text
    figures = json.loads((edition / "key_figures" / "population.json").read_text())
    assert figures["data.is_demo"] is True
    # issue 17: the ecological caveat stands where the ethnicity figures appear
    for page in (htmllib.unescape(re.sub(r"<[^>]+>", " ", html)), text):
        flat = " ".join(page.replace("\u2019", "'").split())
        assert ECOLOGICAL_CAVEAT in flat
        assert "Person-level data on health by ethnicity are not in the staged data" in flat
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
    # issue 18: no ledger row, chart source line or key figure names the 2019 vintage's
    # sources (IoD 2019, mid-2019 estimates, 2011 small areas, RUC 2011)
    assert foreign(build_texts(edition), "2025") == []


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
    # ... and none names the 2025 vintage's (IoD 2025, Census 2021, 2021 small areas)
    assert foreign(build_texts(site / "south-west"), "2019") == []


def test_every_edition_builds_on_real_data(real_site):
    """England, the ONS regions and the edge-case NHS editions, including those that lack a
    kind of place (tests/reports.py: REAL_EDITIONS)."""
    from tests.reports import real_site_slugs

    index = (real_site / "index.html").read_text(encoding="utf-8")
    for slug in real_site_slugs():
        folder = real_site / slug
        assert (folder / "report.html").stat().st_size > 100_000, slug
        assert (folder / "report.pdf").stat().st_size > 100_000, slug
        assert f'href="{slug}/report.html"' in index, slug
    models = {slug: json.loads((real_site / slug / "key_figures" / "adjusted_gaps.json").read_text())
              for slug in ("west-midlands", "london", "south-west")}
    # ONS RUC 2011 and the coastal flag: West Midlands has no coastal small area and
    # London 8 rural ones (fewer than the 30 the model asks for on each side).
    assert models["west-midlands"]["models.coastal_gap"].endswith(
        "is not estimated: this edition has no coastal (or no other) small areas")
    # RUC 2021 (the default vintage) finds no rural small area in London; RUC 2011 found 8
    assert models["london"]["models.rural_gap"].startswith(
        "the difference between rural and urban areas is not estimated: this edition has ")
    assert models["south-west"]["models.rural_gap"].startswith("premature mortality ")
    # issue 17: Sussex's A&E series is on its 2022 ICB code; its edition still gets its
    # board's share over four hours, with the board as its unit, and a funnel point
    ledger = pd.read_csv(real_site / "icb-sussex" / "data" / "statistics.csv")
    board = ledger[ledger["key"].str.startswith("inequality.ae_share.")
                   & ledger["group"].ne("England")]
    assert len(board) == 1 and "Sussex" in board["group"].iloc[0]
    assert board["value"].notna().all() and board["units"].tolist() == [1]
    assert ledger.set_index("key").loc["inequality.ae_boards.above", "units"] == 1


_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//"""
                       r"""|@import\s+url\(["']?(?:https?:)?//|@font-face[^}]*url\(["']?https?:""",
                       re.IGNORECASE)
_DATA_LINKS = re.compile(r'href="(data/[a-z0-9-]+\.csv)"')
_REFS = re.compile(r"\b(?:Figure|Table)\s\d+\b")
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


def _html_text(html: str) -> str:
    return " ".join(htmllib.unescape(_TAGS.sub(" ", html)).split())


@pytest.fixture
def quarto_on_path() -> None:
    """Skip without Quarto, unless INEQUALITIES_REQUIRE_QUARTO=1 (CI): then fail."""
    if shutil.which("quarto") is None:
        why = ("the quarto binary is not on PATH (install Quarto to test the quarto engine; "
               "the pandoc engine is tested above)")
        if os.environ.get("INEQUALITIES_REQUIRE_QUARTO") == "1":
            pytest.fail(why + "; INEQUALITIES_REQUIRE_QUARTO=1 says it must be")
        pytest.skip(why)


@pytest.mark.quarto
@pytest.mark.usefixtures("quarto_on_path")
def test_england_with_quarto_matches_the_pandoc_engine(england_report, tmp_path, monkeypatch):
    """Issue 13: both engines give the same report, and both HTML files work offline."""
    monkeypatch.chdir(ROOT)
    assert cli.main(["build", "--edition", "england", "--renderer", "quarto",
                     "--out", str(tmp_path)]) == 0
    quarto, pandoc = tmp_path / "england", england_report
    assert json.loads((quarto / "provenance.json").read_text())["engine"] == "quarto"
    html = {name: (folder / "report.html").read_text(encoding="utf-8")
            for name, folder in (("quarto", quarto), ("pandoc", pandoc))}
    text = {name: _html_text(page) for name, page in html.items()}
    for name, page in html.items():
        assert not _EXTERNAL.search(page), (name, _EXTERNAL.search(page)[0])
        assert "{{<" not in page, name  # every shortcode expanded
    # Every embedded figure and table is there, by its label, in both (Quarto adds other
    # ids, such as fig-…-caption-…, so the chapters' embeds are the reference).
    labels = [m["label"] for chapter in sorted((ROOT / "chapters").glob("*.qmd"))
              for m in map(EMBED_LINE.match, chapter.read_text().splitlines()) if m]
    assert len(labels) > 10
    for name, page in html.items():
        assert [lb for lb in labels if f'id="{lb}"' not in page] == [], name
    # The same data downloads and cross-reference numbers.
    assert set(_DATA_LINKS.findall(html["quarto"])) == set(_DATA_LINKS.findall(html["pandoc"]))
    assert set(_REFS.findall(text["quarto"])) == set(_REFS.findall(text["pandoc"]))
    # Every key figure the pandoc report shows, the Quarto report shows too.
    for path in sorted((pandoc / "key_figures").glob("*.json")):
        for key, value in json.loads(path.read_text()).items():
            if isinstance(value, str) and len(value) > 3 and value in text["pandoc"]:
                assert value in text["quarto"], (path.name, key, value)
    # The ecological caveat of the ethnicity breakdown (issue 17), in both engines.
    for name, page in text.items():
        assert ECOLOGICAL_CAVEAT in " ".join(page.replace("\u2019", "'").split()), name
    # Title block and notice.
    meta = json.loads((quarto / "provenance.json").read_text())
    for name, page in text.items():
        for fact in ("England edition", "Demonstration data, not official statistics",
                     meta["build_date"]):
            assert fact in page, (name, fact)
        assert "Invalid Date" not in page, name
    # PDF: the notice on every page, the chapters' headings, no leftover shortcode.
    headings = [line[2:].split("{")[0].strip() for chapter in sorted((ROOT / "chapters").glob(
        "*.qmd")) for line in chapter.read_text().splitlines() if line.startswith("# ")]
    for folder in (quarto, pandoc):
        pages = [p.extract_text().replace("\xa0", " ")
                 for p in pypdf.PdfReader(folder / "report.pdf").pages]
        assert all("Demonstration data, not official statistics" in p for p in pages), folder
        whole = " ".join(" ".join(pages).split())
        assert "{{<" not in whole and "Invalid Date" not in whole
        for heading in headings:
            assert " ".join(heading.split()) in whole, (folder, heading)


# Chapters 3-5 (population, access, outcomes): one build per edition, shared by the checks.
CONTENT_A_FIGURES = (
    "fig-age-65-by-place", "fig-deprivation-by-place", "fig-gp-fte-by-place", "tbl-gp-ratios",
    "fig-gp-distance", "tbl-lowest-access-fifth", "fig-msoa-life-expectancy-by-place",
    "fig-life-expectancy-by-place",
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
    assert "of England's registered patients live in them" in \
        figures["access.lowest_fifth_sentence"]
    assert figures["access.rural_ratio_finding"].startswith("GP FTE per patient ")
    for key in ("access.rural_ratio_finding", "outcomes.le_male_rural_sentence"):
        assert any(word in figures[key] for word in ("higher", "lower", "not clearly different",
                                                     "could not be compared", "not estimable",
                                                     "not compared"))


def test_chapters_3_to_5_on_real_data(south_west_real_build):
    figures = _check_chapters_3_to_5(south_west_real_build)
    # NHS Digital / ONS: South West 27 local authorities (LAD 2023) with GP workforce data.
    assert figures["access.n_lads"] == "27"
    # Fingertips 90366, England males 2023-25 as published in the shared data: 79.7 years.
    assert figures["outcomes.le_male_england"] == "79.7 years"
    text = _pdf_text(south_west_real_build / "report.pdf")
    assert "Access to care" in text and "Core20PLUS5 clinical areas" in text
