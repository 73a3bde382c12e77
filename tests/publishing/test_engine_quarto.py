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

import base64
import dataclasses
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import nbformat
import pypandoc
import pytest
import yaml

from inequalities.publishing import engine_pandoc, engine_quarto
from inequalities.publishing.project import Project
from inequalities.publishing.render import DEMO_NOTICE, RenderContext, RenderError

pytestmark = pytest.mark.unit

CHAPTERS = {
    "chapters/02-results.qmd": "# Results {#sec-results}\n\n"
                               "{{< embed ../analysis/results.ipynb#fig-rates >}}\n",
    "chapters/01-intro.qmd": "# Intro\n\n{{< var population.total >}} people in "
                             "{{< var edition.name >}}.\n",
}


CHART_HTML = ('<div class="vega-chart" aria-label="chart"></div>'
              '<script type="application/json" class="vega-spec">{}</script>')
TABLE_MD = "| Area | Rate |\n|---|---|\n| North | 1.0 |"


PROJECT_CONFIG = {
    "project": {"type": "default", "pre-render": "inequalities quarto-prerender"},
    "lang": "en-GB",
    "format": {"html": {"embed-resources": True, "notebook-links": False, "toc": True},
               "typst": {"papersize": "a4", "toc": True}},
}


def _results_notebook() -> nbformat.NotebookNode:
    """An executed notebook as the chart renderer and table display leave it."""
    chart = nbformat.v4.new_code_cell(
        "#| label: fig-rates\n#| fig-cap: Rates\n#| fig-alt: Rates by area, <alt> text\nchart")
    chart.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": CHART_HTML, "image/svg+xml": "<svg></svg>",
        "application/pdf": base64.b64encode(b"%PDF-1.4 chart").decode("ascii"),
        "text/plain": "chart"})]
    table = nbformat.v4.new_code_cell("#| label: tbl-areas\n#| tbl-cap: Areas\ntable")
    table.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
        "text/markdown": TABLE_MD, "text/html": "<table></table>", "text/plain": "t"})]
    other = nbformat.v4.new_code_cell("widget")
    other.outputs = [nbformat.v4.new_output("display_data", data={
        "application/javascript": "alert(1)", "text/plain": "w"})]
    return nbformat.v4.new_notebook(cells=[chart, table, other])


def _context(tmp_path: Path, *, demo: bool = True, variables: dict | None = None,
             chapters: dict[str, str] = CHAPTERS) -> RenderContext:
    root = tmp_path / "project"
    for name, text in chapters.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    build = tmp_path / "build"
    (build / "notebooks").mkdir(parents=True)
    nbformat.write(_results_notebook(), str(build / "notebooks" / "results.ipynb"))
    (build / "data").mkdir()
    (build / "data" / "fig-rates.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    meta = {"edition": "North East edition", "data_label": "Data <b>bold</b> & *stars*",
            "vintage": "2019", "demo": demo, "version": "0.1", "build_date": "2024-01-01",
            "engine": "quarto", "provenance": "p"}
    if variables is None:
        variables = {"population.total": "2,647,013", "edition.name": "North East",
                     "data.label": "<script>alert(1)</script> | *x*"}
    (root / "_quarto.yml").write_text(yaml.safe_dump(PROJECT_CONFIG), encoding="utf-8")
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
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    for name in ["_quarto.yml", "_variables.yml", "chapters/report.qmd", "chapters/vega.html",
                 "chapters/01-intro.qmd", "chapters/02-results.qmd",
                 "analysis/results.ipynb", "chapters/data/fig-rates.csv"]:
        assert (root / name).is_file(), name
    config = yaml.safe_load((root / "_quarto.yml").read_text())
    assert config["project"] == {"type": "default"}  # no pre-render: nothing runs again
    assert config["execute"] == {"enabled": False}  # embeds use saved outputs only
    # The formats are the report's own, declared once in the project's _quarto.yml.
    assert config["format"] == PROJECT_CONFIG["format"] and config["lang"] == "en-GB"
    vega = (root / "chapters" / "vega.html").read_text()
    assert "window.vegaEmbed=" in vega and "script.vega-spec" in vega
    assert "<script src=" not in vega  # offline: nothing loaded from elsewhere


def test_includes_follow_book_order_and_their_embeds_resolve(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
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
    root = engine_quarto.stage(ctx, parent=tmp_path)
    tree = yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))
    assert set(tree) == {"population", "edition", "data"}
    for key, original in ctx.variables.items():
        first, second = key.split(".")
        assert _markdown_to_text(tree[first][second]) == original


def test_front_matter_and_notice_are_text_not_markup(tmp_path):
    root = engine_quarto.stage(_context(tmp_path, demo=True), parent=tmp_path)
    text = (root / "chapters" / "report.qmd").read_text()
    front = _front_matter(text)
    assert _markdown_to_text(front["title"]) == "Health <i>inequalities</i>"
    assert _markdown_to_text(front["subtitle"]) == (
        "North East edition: Data <b>bold</b> & *stars*")
    assert front["date"] == "2024-01-01"  # unescaped: Quarto parses it as a date
    assert "::: {.callout-warning}" in text and DEMO_NOTICE.split(",")[0] in text
    plain = engine_quarto.stage(_context(tmp_path / "real", demo=False), parent=tmp_path)
    assert "callout-warning" not in (plain / "chapters" / "report.qmd").read_text()


def test_every_stage_is_a_new_folder(tmp_path):
    ctx = _context(tmp_path)
    root = engine_quarto.stage(ctx, parent=tmp_path)
    (root / "stale.txt").write_text("old")
    again = engine_quarto.stage(ctx, parent=tmp_path)
    assert again != root and not (again / "stale.txt").exists()


def test_a_key_that_is_also_a_prefix_is_refused(tmp_path):
    ctx = _context(tmp_path, variables={"population": "1", "population.total": "2"})
    with pytest.raises(ValueError, match="population"):
        engine_quarto.stage(ctx, parent=tmp_path)


def test_chapters_outside_the_chapters_folder_are_refused(tmp_path):
    ctx = _context(tmp_path, chapters={"intro.qmd": "# Intro\n",
                                       "chapters/01.qmd": "# One\n"})
    with pytest.raises(RenderError, match="intro.qmd"):
        engine_quarto.stage(ctx, parent=tmp_path)


def test_embeds_with_saved_data_get_an_html_only_download_link(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    text = (root / "chapters" / "02-results.qmd").read_text()
    embed = "{{< embed ../analysis/results.ipynb#fig-rates >}}"
    link = "[Download the data for this figure (CSV)](data/fig-rates.csv)"
    assert text.index(embed) < text.index(link)
    assert '::: {.content-visible when-format="html"}\n' + link + "\n:::" in text
    # The link is relative to the published report, BUILD/report.html, beside BUILD/data.
    assert (tmp_path / "build" / "data" / "fig-rates.csv").is_file()
    assert "Download" not in (root / "chapters" / "01-intro.qmd").read_text()


# --- issue 13: what a real Quarto needs (quarto-cli source and docs cited in the engine) ---


def test_the_stage_is_outside_hidden_folders_even_when_the_build_folder_is_hidden(tmp_path):
    hidden_build = tmp_path / "OUT" / ".build-england-abc123"
    ctx = _context(hidden_build)
    assert engine_quarto.hidden_component(ctx.build_dir) == ".build-england-abc123"
    root = engine_quarto.stage(ctx)  # the default: the system's temporary folder
    try:
        assert engine_quarto.hidden_component(root) is None
        assert ctx.build_dir not in root.parents
        assert root.name.startswith(engine_quarto.STAGE_PREFIX)
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("folder", [".hidden", "_site"])
def test_staging_under_a_folder_quarto_ignores_is_refused(tmp_path, folder):
    with pytest.raises(RenderError, match=f"{folder}.*TMPDIR"):
        engine_quarto.stage(_context(tmp_path), parent=tmp_path / folder / "x")


def test_the_projects_own_quarto_yml_declares_what_quarto_needs():
    """The repository's _quarto.yml: the one declaration of the report's formats."""
    from tests.reports import ROOT

    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    html = config["format"]["html"]
    assert html["notebook-links"] is False and html["embed-resources"] is True
    assert config["execute"] == {"enabled": False}
    assert config["project"]["pre-render"] == "inequalities quarto-prerender"
    assert config["project"]["render"] == ["quarto-report/chapters/report.qmd"]
    assert config["project"]["type"] == "default"  # a book would demand an index page


def test_html_has_no_notebook_links_and_no_output_that_brings_cdn_scripts(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    nb = nbformat.read(str(root / "analysis" / "results.ipynb"), as_version=4)
    mimes = [set(out.get("data", {})) for cell in nb.cells for out in cell.outputs]
    assert all(not mime & {"text/html", "application/javascript"} for mime in mimes), mimes
    chart, table, _ = (cell.outputs[0].data for cell in nb.cells)
    # The chart is the pandoc engine's markup, as raw HTML, labelled with the cell's fig-alt.
    html_block = chart["text/markdown"].split("```{=typst}")[0]
    assert html_block.startswith("```{=html}\n<div class=\"vega-chart\"")
    assert 'aria-label="Rates by area, &lt;alt&gt; text"' in chart["text/markdown"]
    assert table["text/markdown"] == TABLE_MD  # tables stay Markdown tables


def test_typst_charts_are_the_vector_pdf_drawn_like_the_pandoc_engine(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    nb = nbformat.read(str(root / "analysis" / "results.ipynb"), as_version=4)
    chart = nb.cells[0].outputs[0].data["text/markdown"]
    # Beside the HTML block: each format keeps its own raw block and drops the other.
    assert "\n```{=typst}\n#report-chart(\"figures/fig-rates-0.pdf\"" in chart
    assert (root / "chapters" / "figures" / "fig-rates-0.pdf").read_bytes() == b"%PDF-1.4 chart"
    header = (root / "chapters" / "report-header.typ").read_text()
    assert "#let report-chart(" in header
    assert "#show figure: set block(breakable: true)" in header  # long tables break


def test_front_matter_wires_the_typst_header_and_the_table_filter(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    front = _front_matter((root / "chapters" / "report.qmd").read_text())
    assert front["format"]["typst"]["include-in-header"] == "report-header.typ"
    for name in front["filters"] + [front["format"]["typst"]["include-in-header"]]:
        assert (root / "chapters" / name).is_file(), name  # relative to the document


def _run_filter(tmp_path: Path, filter_path: Path, *, in_quarto: bool) -> str:
    source = tmp_path / "in.md"
    source.write_text("::: {.callout-warning}\nHi\n:::\n\n| a |\n|---|\n"
                      "| abcdefghijklmnopqrstuvwxyz |\n", encoding="utf-8")
    wrapper = tmp_path / "wrapper.lua"
    # Inside Quarto the global `quarto` module exists; one Lua state runs both lines.
    wrapper.write_text(("quarto = {}\n" if in_quarto else "")
                       + f"return dofile({str(filter_path)!r})\n", encoding="utf-8")
    return pypandoc.convert_file(str(source), "typst", extra_args=[f"--lua-filter={wrapper}"])


def test_under_quarto_the_filter_breaks_table_words_but_leaves_callouts_to_quarto(tmp_path):
    root = engine_quarto.stage(_context(tmp_path), parent=tmp_path)
    lua = root / "chapters" / "report-filter.lua"
    quarto = _run_filter(tmp_path, lua, in_quarto=True)
    pandoc = _run_filter(tmp_path, lua, in_quarto=False)
    assert "#callout(" in pandoc and "#callout(" not in quarto
    assert "abcdefghij\u200bklmnopqrst" in quarto and "abcdefghij\u200bklmnopqrst" in pandoc


def test_demo_notice_and_title_block_match_the_pandoc_engine(tmp_path):
    ctx = _context(tmp_path, demo=True)
    root = engine_quarto.stage(ctx, parent=tmp_path)
    text = (root / "chapters" / "report.qmd").read_text()
    front = _front_matter(text)
    banner = (root / "chapters" / front["format"]["html"]["include-before-body"]).read_text()
    assert banner.strip() == engine_pandoc.demo_banner_html(ctx.meta)
    assert "Demonstration data, not official statistics." in banner
    header = (root / "chapters" / "report-header.typ").read_text()
    assert "#set page(header:" in header
    assert '"Demonstration data, not official statistics"' in header
    body = text.split("---\n", 2)[2]
    plain = _markdown_to_text(body.split("{{< include")[0])
    for line in ["Data: Data <b>bold</b> & *stars*", "Data vintage: 2019",
                 "Built: 2024-01-01 with inequalities 0.1 (quarto)"]:
        assert line in plain, plain
    real = _context(tmp_path / "real", demo=False)
    real_root = engine_quarto.stage(real, parent=tmp_path)
    real_front = _front_matter((real_root / "chapters" / "report.qmd").read_text())
    assert "include-before-body" not in real_front["format"]["html"]
    assert "Demonstration" not in (real_root / "chapters" / "report-header.typ").read_text()


def test_a_build_date_quarto_cannot_parse_is_refused(tmp_path):
    ctx = _context(tmp_path)
    ctx.meta["build_date"] = "28/11/2026"
    with pytest.raises(RenderError, match="ISO date"):
        engine_quarto.stage(ctx, parent=tmp_path)


def _fake_quarto(tmp_path: Path, monkeypatch, script: str) -> None:
    """Put a stand-in `quarto` on PATH (a shell script; the real binary is not needed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "quarto"
    exe.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_a_failing_render_names_the_log_by_its_place_in_the_build_folder(tmp_path, monkeypatch):
    _fake_quarto(tmp_path, monkeypatch,
                 'echo "WARN something"; echo "ERROR: Book contents must include" >&2; exit 1\n')
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    ctx = _context(tmp_path)
    with pytest.raises(RenderError) as info:
        engine_quarto.render(ctx)
    message = str(info.value)
    assert "ERROR: Book contents must include" in message
    assert "logs/quarto-html.log in the edition's build folder" in message
    assert str(ctx.build_dir) not in message  # that folder is moved when a build fails
    assert "ERROR: Book" in (ctx.build_dir / "logs" / "quarto-html.log").read_text()
    assert list((tmp_path / "tmp").iterdir()) == []  # the stage is removed


def test_render_runs_quarto_in_the_stage_and_keeps_its_output(tmp_path, monkeypatch):
    # The stand-in records where it ran and what it was asked, and writes the output file.
    _fake_quarto(tmp_path, monkeypatch,
                 f'pwd > "{tmp_path}/cwd"; echo "$@" > "{tmp_path}/args"\n'
                 'echo "<html>ok</html>" > chapters/report.html\n')
    ctx = dataclasses.replace(_context(tmp_path), formats=("html", "pdf"))
    with pytest.raises(RenderError, match=r"status 0\): it wrote no chapters/report.pdf"):
        engine_quarto.render(ctx)  # the stand-in writes no PDF
    ctx = dataclasses.replace(ctx, formats=("html",))
    produced = engine_quarto.render(ctx)
    assert produced["html"].read_text() == "<html>ok</html>\n"
    ran_in = Path((tmp_path / "cwd").read_text().strip())
    assert engine_quarto.hidden_component(ran_in) is None and not ran_in.exists()
    assert (tmp_path / "args").read_text().split() == [
        "render", "chapters/report.qmd", "--to", "html"]


def test_under_quarto_the_filter_draws_the_comparison_marks_in_both_formats(tmp_path):
    # What Quarto would receive: the staged notebook keeps the table's marked Markdown
    # (written by outputs.Marked) and the staged filter draws the marks when `quarto`
    # exists, as the pandoc engine does.
    import pandas as pd

    from inequalities.report import outputs

    marked = outputs.markdown_table(pd.DataFrame(
        [{"Area": "A", "LE": outputs.Marked(("81.0 ", None), ("lower", "compare-lower"))}],
        dtype=object))
    ctx = _context(tmp_path)
    path = ctx.build_dir / "notebooks" / "results.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[1].outputs[0].data["text/markdown"] = marked
    nbformat.write(nb, str(path))
    root = engine_quarto.stage(ctx, parent=tmp_path)
    staged = nbformat.read(str(root / "analysis" / "results.ipynb"), as_version=4)
    table = staged.cells[1].outputs[0].data["text/markdown"]
    assert "81\\.0 [lower]{.compare-lower}" in table
    source = tmp_path / "table.md"
    source.write_text(table + "\n", encoding="utf-8")
    wrapper = tmp_path / "wrapper.lua"
    lua = root / "chapters" / "report-filter.lua"
    wrapper.write_text(f"quarto = {{}}\nreturn dofile({str(lua)!r})\n", encoding="utf-8")
    typst = pypandoc.convert_file(str(source), "typst", extra_args=[f"--lua-filter={wrapper}"])
    html = pypandoc.convert_file(str(source), "html5", extra_args=[f"--lua-filter={wrapper}"])
    assert 'fill: rgb("#0072B2")' in typst and "lower]" in typst
    assert "background:#0072B2" in html and 'class="compare-lower"' in html
    assert re.search(r"</span>lower</span>", html)  # the word follows its square
