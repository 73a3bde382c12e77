"""The Quarto engine's staged project, checked without Quarto (the binary is not needed).

Expected layout and semantics come from Quarto's documentation: includes are copy-and-paste,
so relative paths in an included chapter resolve from the including document's folder
(quarto.org/docs/authoring/includes.html) and must stand alone between blank lines;
``_variables.yml`` sits next to ``_quarto.yml``, nests dotted keys, and its values are read
as Markdown (quarto.org/docs/authoring/variables.html); embeds name a notebook and a cell
label (quarto.org/docs/authoring/notebook-embed.html). Pandoc's Markdown reader (the one
Quarto runs) is the oracle for the escaping.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pypandoc
import pytest
import yaml

from inequalities.publishing import engine_quarto
from inequalities.publishing.project import Project
from inequalities.publishing.render import DEMO_NOTICE, RenderContext, RenderError

pytestmark = pytest.mark.unit

CHAPTERS = {
    "chapters/02-results.qmd": "# Results {#sec-results}\n\n"
                               "{{< embed ../analysis/results.ipynb#fig-rates >}}\n",
    "chapters/01-intro.qmd": "# Intro\n\n{{< var population.total >}} people in "
                             "{{< var edition.name >}}.\n",
}


def _context(tmp_path: Path, *, demo: bool = True, variables: dict | None = None,
             chapters: dict[str, str] = CHAPTERS) -> RenderContext:
    root = tmp_path / "project"
    for name, text in chapters.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    build = tmp_path / "build"
    (build / "notebooks").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), str(build / "notebooks" / "results.ipynb"))
    (build / "data").mkdir()
    (build / "data" / "fig-rates.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    meta = {"edition": "North East edition", "data_label": "Data <b>bold</b> & *stars*",
            "vintage": "2019", "demo": demo, "version": "0.1", "build_date": "2024-01-01",
            "engine": "quarto", "provenance": "p"}
    if variables is None:
        variables = {"population.total": "2,647,013", "edition.name": "North East",
                     "data.label": "<script>alert(1)</script> | *x*"}
    project = Project(root, "Health <i>inequalities</i>", "", tuple(chapters))
    return RenderContext(project=project, build_dir=build, variables=variables, meta=meta)


def _front_matter(text: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, text[:200]
    return yaml.safe_load(match[1])


def _markdown_to_text(value: str) -> str:
    """What Quarto shows for a Markdown value: pandoc's reading of it, as plain text."""
    return pypandoc.convert_text(value, "plain", format="markdown",
                                 extra_args=["--wrap=none"]).strip()


def test_stage_writes_the_project_files(tmp_path):
    root = engine_quarto.stage(_context(tmp_path))
    for name in ["_quarto.yml", "_variables.yml", "chapters/report.qmd", "chapters/vega.html",
                 "chapters/01-intro.qmd", "chapters/02-results.qmd",
                 "analysis/results.ipynb", "data/fig-rates.csv"]:
        assert (root / name).is_file(), name
    config = yaml.safe_load((root / "_quarto.yml").read_text())
    assert config["project"] == {"type": "default"}
    assert config["execute"] == {"enabled": False}  # embeds use saved outputs only
    assert config["format"]["html"]["embed-resources"] is True
    assert config["format"]["typst"]["papersize"] == "a4"
    vega = (root / "chapters" / "vega.html").read_text()
    assert "window.vegaEmbed=" in vega and "script.vega-spec" in vega
    assert "<script src=" not in vega  # offline: nothing loaded from elsewhere


def test_includes_follow_book_order_and_their_embeds_resolve(tmp_path):
    root = engine_quarto.stage(_context(tmp_path))
    document = root / "chapters" / "report.qmd"
    text = document.read_text()
    includes = re.findall(r"^\{\{< include (\S+) >\}\}$", text, re.MULTILINE)
    assert includes == ["02-results.qmd", "01-intro.qmd"]  # _quarto.yml order, not names
    for name in includes:  # each include alone on its line, between blank lines
        assert f"\n\n{{{{< include {name} >}}}}\n" in text
    # Quarto pastes the included text into the document, so relative paths inside it
    # resolve from the document's folder: every embed must find its notebook from there.
    for name in includes:
        assert (document.parent / name).is_file()
        for notebook in re.findall(r"embed (\S+?)#", (document.parent / name).read_text()):
            assert (document.parent / notebook).resolve().is_file(), notebook
    front = _front_matter(text)
    assert (document.parent / front["format"]["html"]["include-after-body"]).is_file()


def test_variables_nest_dotted_keys_and_read_back_literally(tmp_path):
    ctx = _context(tmp_path)
    root = engine_quarto.stage(ctx)
    tree = yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))
    assert set(tree) == {"population", "edition", "data"}
    for key, original in ctx.variables.items():
        first, second = key.split(".")
        assert _markdown_to_text(tree[first][second]) == original


def test_front_matter_and_notice_are_text_not_markup(tmp_path):
    root = engine_quarto.stage(_context(tmp_path, demo=True))
    text = (root / "chapters" / "report.qmd").read_text()
    front = _front_matter(text)
    assert _markdown_to_text(front["title"]) == "Health <i>inequalities</i>"
    assert _markdown_to_text(front["subtitle"]) == (
        "North East edition: Data <b>bold</b> & *stars*")
    assert _markdown_to_text(front["date"]) == "2024-01-01"
    assert "::: {.callout-warning}" in text and DEMO_NOTICE.split(",")[0] in text
    plain = engine_quarto.stage(_context(tmp_path / "real", demo=False))
    assert "callout-warning" not in (plain / "chapters" / "report.qmd").read_text()


def test_restaging_replaces_the_previous_stage(tmp_path):
    ctx = _context(tmp_path)
    root = engine_quarto.stage(ctx)
    (root / "stale.txt").write_text("old")
    assert not (engine_quarto.stage(ctx) / "stale.txt").exists()


def test_a_key_that_is_also_a_prefix_is_refused(tmp_path):
    ctx = _context(tmp_path, variables={"population": "1", "population.total": "2"})
    with pytest.raises(ValueError, match="population"):
        engine_quarto.stage(ctx)


def test_chapters_outside_the_chapters_folder_are_refused(tmp_path):
    ctx = _context(tmp_path, chapters={"intro.qmd": "# Intro\n",
                                       "chapters/01.qmd": "# One\n"})
    with pytest.raises(RenderError, match="intro.qmd"):
        engine_quarto.stage(ctx)


def test_embeds_with_saved_data_get_an_html_only_download_link(tmp_path):
    root = engine_quarto.stage(_context(tmp_path))
    text = (root / "chapters" / "02-results.qmd").read_text()
    embed = "{{< embed ../analysis/results.ipynb#fig-rates >}}"
    link = "[Download the data for this figure (CSV)](data/fig-rates.csv)"
    assert text.index(embed) < text.index(link)
    assert '::: {.content-visible when-format="html"}\n' + link + "\n:::" in text
    # The link is relative to the published report, BUILD/report.html, beside BUILD/data.
    assert (tmp_path / "build" / "data" / "fig-rates.csv").is_file()
    assert "Download" not in (root / "chapters" / "01-intro.qmd").read_text()
