"""Every chapter uses only the Quarto subset both engines support, and the doc lists it."""

from pathlib import Path

import pytest
import yaml

from inequalities.publishing import cells, chapters

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.qmd"))


def test_book_lists_every_chapter_file():
    book = yaml.safe_load((ROOT / "_quarto.yml").read_text())["book"]["chapters"]
    assert sorted(book) == [f"chapters/{p.name}" for p in CHAPTERS]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_uses_only_the_supported_subset(path):
    problems = chapters.check_syntax(path.read_text(encoding="utf-8"), str(path))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_embed_points_at_a_labelled_cell_with_captions(path):
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        match = chapters.EMBED_LINE.match(line.strip())
        if not match:
            continue
        notebook = (path.parent / match["path"]).resolve()
        assert notebook.is_file(), f"{path.name}: {match['path']} does not exist"
        labelled = cells.labelled_cells(notebook)
        assert match["label"] in labelled, f"{path.name}: no cell {match['label']}"
        cell = labelled[match["label"]]
        assert cell.caption, f"{match['label']} has no caption"
        if cell.kind == "fig":
            assert cell.options.get("fig-alt"), f"{match['label']} has no fig-alt"


def test_documentation_lists_every_allowed_construct():
    doc = (ROOT / "docs" / "quarto-subset.md").read_text(encoding="utf-8")
    for construct in ["embed", "var", "@fig-", "@tbl-", "@sec-", *chapters.ALLOWED_DIVS]:
        assert construct in doc, construct
