"""Presentation of the pandoc + Typst engine's HTML and PDF.

HTML: every figure links to its data and the file exists; tables sit in labelled scroll
regions; callouts carry a visible title. PDF: title page, contents, bookmarks, numbered
figures and tables, page numbers, visible callouts, charts inside the text area, and wide
tables whose long words wrap.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pypdf
import pytest

from inequalities.report import outputs
from inequalities.publishing import engine_pandoc
from inequalities.publishing.project import Project
from inequalities.publishing.render import RenderContext
from inequalities.report.charts import chart_bundle

pytestmark = pytest.mark.render

CM = 72 / 2.54  # points per centimetre
A4 = (21.0 * CM, 29.7 * CM)
MARGIN_X = 2.2 * CM  # report.typ: margin x 2.2 cm
MAX_CHART_HEIGHT = 15 * CM  # report.typ: chart-max-height


class _Figures(HTMLParser):
    """Each <figure>'s id and the hrefs of the download links inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self.regions: list[dict] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append({"id": attrs.get("id"), "downloads": [], "text": ""})
            self._depth += 1
        elif tag == "a" and self._depth and "download" in attrs:
            self.figures[-1]["downloads"].append(attrs.get("href"))
        elif tag == "div" and "table-scroll" in (attrs.get("class") or ""):
            self.regions.append(attrs)

    def handle_endtag(self, tag):
        if tag == "figure":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.figures[-1]["text"] += data


@pytest.mark.parametrize("report", ["fixture_report", "england_report"])
def test_every_figure_has_a_csv_link_to_a_file_that_exists(request, report):
    built: Path = request.getfixturevalue(report)
    parser = _Figures()
    parser.feed((built / "report.html").read_text(encoding="utf-8"))
    assert parser.figures, "the report has figures"
    for number, figure in enumerate(parser.figures, start=1):
        assert figure["downloads"] == [f"data/{figure['id']}.csv"], figure
        assert (built / figure["downloads"][0]).is_file()
        assert f"Figure {number}:" in figure["text"]
        assert f"Download the data for Figure {number} (CSV)" in figure["text"]
    # Tables scroll sideways in their own focusable, named region.
    assert parser.regions
    for region in parser.regions:
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region["aria-label"].startswith("Table ")


def test_callouts_have_a_visible_title_in_html(fixture_report):
    html = (fixture_report / "report.html").read_text(encoding="utf-8")
    match = re.search(r'<div class="callout-note callout" role="note" aria-label="Note">\s*'
                      r'<div class="callout-title">\s*<strong>Note</strong>', html)
    assert match, html[html.find("callout-note") - 200:html.find("callout-note") + 400]


def _pdf_text(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text().replace("\xa0", " ").replace("\u200b", "")
            for page in reader.pages]


def _drawn_xobjects(page) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in points of every form XObject (chart) drawn on ``page``."""
    boxes = []
    xobjects = (page.get("/Resources") or {}).get("/XObject") or {}

    def visit(op, args, cm, tm):
        if op == b"Do" and args and args[0] in xobjects:
            x0, y0, x1, y1 = (float(v) for v in xobjects[args[0]].get_object()["/BBox"])
            a, _, _, d, e, f = cm
            boxes.append((e + a * x0, f + d * y0, e + a * x1, f + d * y1))

    page.extract_text(visitor_operand_before=visit)
    return boxes


@pytest.mark.parametrize("report", ["fixture_report", "england_report"])
def test_pdf_has_title_page_contents_numbering_and_page_numbers(request, report):
    reader = pypdf.PdfReader(request.getfixturevalue(report) / "report.pdf")
    pages = _pdf_text(reader)
    assert "edition" in pages[0] and "Page" not in pages[0]  # title page, no footer
    assert "Contents" in pages[1]
    assert [item["/Title"] for item in reader.outline if isinstance(item, dict)][0][0] == "1"
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
    body = "\n".join(pages)
    assert re.search(r"Figure 1: \S", body) and re.search(r"Table 1: \S", body)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (round(A4[0]), round(A4[1]))
    charts = [box for page in reader.pages for box in _drawn_xobjects(page)]
    assert charts, "charts are embedded as vector form XObjects"
    for x0, y0, x1, y1 in charts:
        assert MARGIN_X - 1 <= x0 < x1 <= A4[0] - MARGIN_X + 1, (x0, x1)
        assert 0 < y0 < y1 <= A4[1] and y1 - y0 <= MAX_CHART_HEIGHT + 1


def test_pdf_callout_is_visible(fixture_report):
    pages = _pdf_text(pypdf.PdfReader(fixture_report / "report.pdf"))
    assert re.search(r"Note\s*\n\s*A note\.", "\n".join(pages))


def _context(tmp_path: Path, chapter: str, cells: dict[str, dict]) -> RenderContext:
    root = tmp_path / "project"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "01.qmd").write_text(chapter, encoding="utf-8")
    build = tmp_path / "build"
    (build / "notebooks").mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    for label, (options, bundle) in cells.items():
        cell = nbformat.v4.new_code_cell(f"#| label: {label}\n{options}\npass")
        cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
        notebook.cells.append(cell)
    nbformat.write(notebook, str(build / "notebooks" / "nb.ipynb"))
    meta = {"edition": "Test edition", "data_label": "test data", "vintage": "2024",
            "demo": False, "version": "0", "build_date": "2024-01-01", "engine": "pandoc",
            "provenance": "test"}
    return RenderContext(project=Project(root, "Test", "", ("chapters/01.qmd",)),
                         build_dir=build, variables={}, meta=meta, formats=("pdf",))


def test_tall_chart_is_capped_and_wide_table_wraps_long_words(tmp_path):
    tall = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"k": f"row {i}", "v": i} for i in range(40)]},
            "mark": "bar", "width": 300, "height": 1400,
            "encoding": {"y": {"field": "k", "type": "nominal"},
                         "x": {"field": "v", "type": "quantitative"}}}
    digest = "c985c80e35162182303d7faff3d17750e60b1b6e79c911c4922d2976f691895e"
    wide = pd.DataFrame({f"column {i}": [f"value {i}"] for i in range(8)})
    wide["sha256"] = digest
    ctx = _context(tmp_path, "# Test\n\n{{< embed ../analysis/nb.ipynb#fig-tall >}}\n\n"
                   "{{< embed ../analysis/nb.ipynb#tbl-wide >}}\n", {
                       "fig-tall": ("#| fig-cap: Tall chart", chart_bundle(tall)),
                       "tbl-wide": ("#| tbl-cap: Wide table",
                                    {"text/markdown": outputs.markdown_table(wide)}),
                   })
    reader = pypdf.PdfReader(engine_pandoc.render_pdf(ctx))
    charts = [box for page in reader.pages for box in _drawn_xobjects(page)]
    assert len(charts) == 1
    x0, y0, x1, y1 = charts[0]
    assert y1 - y0 == pytest.approx(MAX_CHART_HEIGHT, abs=1)  # shrunk to the cap
    assert x1 - x0 < 300  # and not stretched to the text width
    text = "\n".join(_pdf_text(reader))
    assert digest not in text  # the 64-character hash is broken over lines ...
    assert digest in re.sub(r"\s+", "", text)  # ... and its characters are all printed


def _table_after_text(tmp_path, filler_words: int, rows: int):
    """A PDF whose first page holds ``filler_words`` words, then a lead-in paragraph and a
    table of ``rows`` rows; returns each page's text."""
    filler = " ".join(f"word{i % 10}" for i in range(filler_words))
    table = pd.DataFrame({"Area": [f"Area {i}" for i in range(rows)],
                          "Estimate": [f"{i}.5 (95% CI {i}.0 to {i + 1}.0)" for i in range(rows)]})
    chapter = (f"# Test\n\n{filler}\n\nLEADIN paragraph introducing the table below, which "
               "it should never be parted from.\n\n{{< embed ../analysis/nb.ipynb#tbl-short >}}"
               "\n\nAfter the table.\n")
    ctx = _context(tmp_path, chapter, {"tbl-short": ("#| tbl-cap: CAPTION of the table",
                                                     {"text/markdown":
                                                      outputs.markdown_table(table)})})
    return _pdf_text(pypdf.PdfReader(engine_pandoc.render_pdf(ctx)))


@pytest.mark.parametrize("filler_words", [560, 600, 640, 680])
def test_short_table_stays_whole_with_its_lead_in_paragraph(tmp_path, filler_words):
    # The filler pushes the table to the foot of a page at several offsets: wherever it
    # falls, the lead-in, the caption and every row print on one page.
    pages = _table_after_text(tmp_path, filler_words, rows=4)
    holding = [i for i, text in enumerate(pages) if "CAPTION" in text]
    assert len(holding) == 1
    page = pages[holding[0]]
    assert "LEADIN" in page and all(f"Area {i}" in page for i in range(4))


def test_table_cells_are_not_hyphenated(tmp_path):
    words = "Comparative illness and disability ratio standardised underrepresentation"
    narrow = pd.DataFrame({f"c{i}": [words] for i in range(6)})
    ctx = _context(tmp_path, "# Test\n\n{{< embed ../analysis/nb.ipynb#tbl-narrow >}}\n",
                   {"tbl-narrow": ("#| tbl-cap: Narrow", {"text/markdown":
                                                          outputs.markdown_table(narrow)})})
    text = "\n".join(_pdf_text(pypdf.PdfReader(engine_pandoc.render_pdf(ctx))))
    assert not re.search(r"[a-z]-\s*\n", text)  # no word is split with a hyphen
    for word in words.split():
        assert word in text  # and no word is broken over lines without one


@pytest.mark.parametrize("render", [engine_pandoc.render_html, engine_pandoc.render_pdf])
def test_each_format_starts_pandoc_once(tmp_path, monkeypatch, render):
    # A re-render after a wording change is mostly pandoc; pypandoc by default starts it
    # twice more per conversion just to list its formats.
    import subprocess

    started = []
    real = subprocess.Popen

    def counting(args, *rest, **kwargs):
        started.append(Path(args[0]).name)
        return real(args, *rest, **kwargs)

    ctx = _context(tmp_path, "# Test\n\nWords.\n", {})
    monkeypatch.setattr(subprocess, "Popen", counting)
    render(ctx)
    assert sum(name.startswith("pandoc") for name in started) == 1


def _three_tables(tmp_path):
    """A chapter with a lead-in paragraph and a short table, a long table alone, and a
    table with marks and a long token, as the notebooks write them; and the same chapter
    with the tables inlined as markdown, as the engine once gave them to pandoc whole."""
    short = pd.DataFrame({"Area": ["A", "B"], "Value": ["1.5", "2.5"]})
    long = pd.DataFrame({"Area": [f"Area {i}" for i in range(30)], "N": list(range(30))})
    marked = pd.DataFrame({"Area": ["Somewhere"], "Compared": ["[lower]{.compare-lower}"],
                           "Digest": ["c985c80e35162182303d7faff3d17750e60b1b6e79"]})
    tables = {"tbl-short": ("Short `table`", outputs.markdown_table(short)),
              "tbl-long": ("Long table", outputs.markdown_table(long)),
              "tbl-marked": ("Marked table", outputs.markdown_table(marked))}
    chapter = ("# Test\n\nLEADIN paragraph.\n\n{{< embed ../analysis/nb.ipynb#tbl-short >}}\n\n"
               "Between.\n\n## Next\n\n{{< embed ../analysis/nb.ipynb#tbl-long >}}\n\n"
               "{{< embed ../analysis/nb.ipynb#tbl-marked >}}\n\nAfter.\n")
    ctx = _context(tmp_path, chapter, {label: (f"#| tbl-cap: {cap}", {"text/markdown": md})
                                       for label, (cap, md) in tables.items()})

    def inline(fmt):
        text = chapter
        for number, (label, (cap, md)) in enumerate(tables.items(), start=1):
            caption = outputs.markdown_escape(f"Table {number}: {cap}" if fmt == "html" else cap)
            text = text.replace(f"{{{{< embed ../analysis/nb.ipynb#{label} >}}}}",
                                f"\n{md}\n\n: {caption} {{#{label}}}\n")
        return text

    return ctx, inline


def test_tables_converted_apart_read_and_print_as_within_the_document(tmp_path, monkeypatch):
    import typst

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ctx, inline = _three_tables(tmp_path)
    # HTML: the same markup
    html = engine_pandoc._pandoc(ctx, engine_pandoc._expand(ctx, "html"), "html5", [])
    assert html == engine_pandoc._pandoc(ctx, inline("html"), "html5", [])
    # PDF: the same bytes (the Typst source may differ in blank lines only)
    pdf = engine_pandoc.render_pdf(ctx).read_bytes()
    source = (ctx.work_dir / "report.typ").read_text(encoding="utf-8")
    body = engine_pandoc._pandoc(ctx, engine_pandoc._expand(ctx, "typst"), "typst", [])
    assert source.count(body) == 1 and "report-table" not in body
    whole = engine_pandoc._pandoc(ctx, inline("typst"), "typst", [])
    (ctx.work_dir / "whole.typ").write_text(source.replace(body, whole), encoding="utf-8")
    typst.compile(str(ctx.work_dir / "whole.typ"), output=str(tmp_path / "whole.pdf"),
                  root=str(ctx.work_dir), timestamp=1700000000)
    assert (tmp_path / "whole.pdf").read_bytes() == pdf
    assert "LEADIN" in "".join(_pdf_text(pypdf.PdfReader(tmp_path / "whole.pdf")))


def test_a_reworded_chapter_reuses_the_converted_tables(tmp_path, monkeypatch):
    from dataclasses import replace

    from inequalities.publishing.cache import StepCache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ctx, _ = _three_tables(tmp_path)
    ctx = replace(ctx, cache=StepCache(tmp_path / "cache"), formats=("html", "pdf"))
    engine_pandoc.render(ctx)
    chapter = ctx.project.root / "chapters" / "01.qmd"
    chapter.write_text(chapter.read_text().replace("Between.", "In between."))
    calls = []
    real = engine_pandoc._pandoc

    def recorded(ctx, markdown, to, extra):
        calls.append((to, "|" in markdown, any("tables-alone" in arg for arg in extra)))
        return real(ctx, markdown, to, extra)

    monkeypatch.setattr(engine_pandoc, "_pandoc", recorded)
    cached = {fmt: path.read_bytes() for fmt, path in engine_pandoc.render(ctx).items()}
    # the text only (no markdown table in it), and no table converted again
    assert calls == [("html5", False, False), ("typst", False, False)]
    calls.clear()  # --force converts the tables again
    engine_pandoc.render(replace(ctx, force=True))
    assert [tables for _, _, tables in calls].count(True) == 2
    monkeypatch.setattr(engine_pandoc, "_pandoc", real)
    fresh = {fmt: path.read_bytes()
             for fmt, path in engine_pandoc.render(replace(ctx, cache=None)).items()}
    assert cached == fresh and b"In between." in cached["html"]
