"""The pandoc + Typst engine: HTML and PDF from the chapters with nothing but PyPI wheels.

Pandoc 3 (wheel ``pypandoc_binary``) converts the expanded chapters to an HTML fragment
and to Typst; Typst (wheel ``typst``) compiles the PDF. Quarto bundles the same two tools,
and the chapters use only the Quarto subset in :mod:`inequalities.publishing.chapters`.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import os
import re
from importlib import resources
from pathlib import Path

import pypandoc
import typst
import vl_convert

from inequalities.publishing import chapters as chapter_syntax
from inequalities.publishing import escape
from inequalities.publishing.cells import CellError, LabelledCell, labelled_cells
from inequalities.publishing.render import (DEMO_NOTICE, UNVERIFIED_NOTICE, RenderContext,
                                            RenderError, page_notice)
from inequalities.report.outputs import markdown_escape

NAME = "pandoc"
BODY_MARKER = "<!--INEQUALITIES-BODY-->"
_ARIA = re.compile(r'aria-label="[^"]*"')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[0-9.]+)"[^>]*?\bheight="(?P<h>[0-9.]+)"')
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
#: Points per CSS pixel (CSS 2.1: 1px = 1/96 in, 1pt = 1/72 in): a chart prints at the size
#: it has on screen, unless it is wider than the text.
PX_TO_PT = 0.75


def versions() -> dict[str, str]:
    """Versions of the tools this engine runs (recorded in provenance and cache keys)."""
    return {"pandoc": pypandoc.get_pandoc_version(), "typst": getattr(typst, "__version__", "?"),
            "vl-convert": vl_convert.__version__ if hasattr(vl_convert, "__version__") else "?"}


def _template(name: str) -> str:
    return resources.files("inequalities.publishing").joinpath("templates", name).read_text("utf-8")


@functools.lru_cache(maxsize=1)
def _vega_bundle() -> str:
    # Bundling takes vl-convert about 4 s per process, so the bundle is kept on disk per
    # vl-convert version (written to a temporary name, then renamed: never half-written).
    from inequalities.data import default_cache_dir

    version = re.sub(r"[^0-9A-Za-z.]", "_", str(getattr(vl_convert, "__version__", "unknown")))
    path = default_cache_dir() / f"vega-bundle-{version}.js"
    try:
        bundle = path.read_text(encoding="utf-8")
    except OSError:
        bundle = vl_convert.javascript_bundle()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(bundle, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    # A literal "</script" inside the bundle would end the element early.
    return bundle.replace("</script", "<\\/script")


class _Cells:
    """Labelled cells of the executed notebooks, read once each."""

    def __init__(self, notebooks_dir: Path):
        self.notebooks_dir = notebooks_dir
        self._cache: dict[str, dict[str, LabelledCell]] = {}

    def get(self, notebook: str, label: str) -> LabelledCell:
        if notebook not in self._cache:
            path = self.notebooks_dir / notebook
            if not path.is_file():
                raise RenderError(f"embed of {notebook}#{label}: no executed notebook {path}")
            self._cache[notebook] = labelled_cells(path)
        try:
            return self._cache[notebook][label]
        except KeyError:
            raise RenderError(f"embed of {notebook}#{label}: the notebook has no cell labelled "
                              f"{label!r}; labels: {', '.join(self._cache[notebook])}") from None


def demo_banner_html(meta: dict) -> str:
    """The demonstration-data (and unverified-data) banner of the HTML report, or "".

    An ``<aside>`` with a name is a landmark, so the banner is inside one (axe: region). The
    notice once, then what it means (``data_label`` repeats the notice for the demo). Both
    engines show this same banner.
    """
    banner = (f'<aside class="demo-banner" aria-label="About the data">'
              f"<strong>{escape.html(DEMO_NOTICE)}.</strong> Every figure comes from a "
              f"synthetic England-like dataset ({escape.html(meta['vintage'])}); build "
              "with <code>--data</code> for the official statistics.</aside>"
              ) if meta.get("demo") else ""
    if meta.get("unverified"):
        banner += (f'<aside class="demo-banner" aria-label="About the data\'s validation">'
                   f"<strong>{escape.html(UNVERIFIED_NOTICE)}.</strong> The data break "
                   f"{int(meta['unverified'])} validation rule(s), listed in "
                   "provenance.json; figures may be wrong.</aside>")
    return banner


def chart_figure_markup(cell: LabelledCell) -> str:
    """A chart's HTML output with its ``aria-label`` set to the cell's ``fig-alt`` text."""
    return _ARIA.sub(f'aria-label="{escape.html(cell.alt)}"', cell.find("text/html"), count=1)


def _data_link(ctx: RenderContext, label: str, number: str) -> str:
    """The download link of a figure's or table's data, when its notebook saved it.

    The link names the figure or table, so a list of links read out of context (a screen
    reader's links list) still says which data each one downloads.
    """
    if (ctx.build_dir / "data" / f"{label}.csv").is_file():
        kind = "Figure" if label.startswith("fig") else "Table"
        return (f'<p class="data-link"><a href="data/{label}.csv" download>'
                f"Download the data for {kind} {escape.html(number)} (CSV)</a></p>")
    return ""


def _html_embed(ctx: RenderContext, cells: _Cells, numbers: dict[str, str],
                tables: dict[tuple[str, str], str], notebook: str, label: str) -> str:
    cell = cells.get(notebook, label)
    number = numbers[label]
    if cell.kind == "fig":
        chart = chart_figure_markup(cell)
        return (f'\n```{{=html}}\n<figure id="{label}" class="report-figure">\n{chart}\n'
                f'<figcaption><span class="figure-number">Figure {number}:</span> '
                f"{escape.html(cell.caption)}</figcaption>\n{_data_link(ctx, label, number)}"
                "</figure>\n```\n")
    link = _data_link(ctx, label, number)
    link_block = f"\n```{{=html}}\n{link}\n```\n" if link else ""
    return f"\n{chapter_syntax.raw_block('html', tables[(notebook, label)])}{link_block}"


def _natural_size(cell: LabelledCell) -> tuple[float, float]:
    """Width and height of a chart in points, from its SVG output in CSS px (0, 0 if unknown).

    The PDF template draws a chart at this size, shrunk to the text width and to a maximum
    height, so a small chart is not blown up and a tall one never runs off a page.
    """
    try:
        match = _SVG_SIZE.search(cell.find("image/svg+xml"))
    except CellError:
        match = None
    if match is None:
        return 0.0, 0.0
    return (round(float(match["w"]) * PX_TO_PT, 2), round(float(match["h"]) * PX_TO_PT, 2))


def typst_chart_call(cell: LabelledCell, path: str) -> str:
    """Typst call drawing a chart's PDF (at ``path``) with ``report-chart`` (report-chart.typ).

    The chart prints at its natural size in points (see :func:`_natural_size`), with the
    cell's ``fig-alt`` as the image's alternative text.
    """
    width, height = _natural_size(cell)
    return (f'report-chart({escape.typst_string(path)}, {width}pt, {height}pt, '
            f"alt: {escape.typst_string(cell.alt)})")


def _wrap_tables(body: str) -> str:
    """Put each table in a labelled, keyboard-focusable region that scrolls sideways.

    A wide table then scrolls inside its own box on a narrow screen (WCAG 1.4.10 reflow) and
    keyboard users can scroll it too (axe: scrollable-region-focusable), while the table
    keeps its native table semantics (no ``display: block`` on the table itself).
    """
    def wrap(match: re.Match[str]) -> str:
        table = match[0]
        caption = _CAPTION.search(table)
        name = html_lib.unescape(_TAG.sub("", caption["text"])).strip() if caption else ""
        label = escape.html(" ".join(name.split()) or "Table")
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
                f"{table}</div>")

    return _TABLE.sub(wrap, body)


def _note_text(markdown: str) -> str:
    """The plain words of a one-cell note table (``| Note |`` ... ``| words |``)."""
    rows = [line.strip().strip("|").strip() for line in markdown.splitlines()
            if line.strip().startswith("|") and not set(line.strip()) <= set("|:- ")]
    words = rows[-1] if rows else markdown
    return re.sub(r"\\(.)", r"\1", words)


def _typst_embed(ctx: RenderContext, cells: _Cells, tables: dict[tuple[str, str], str],
                 notebook: str, label: str) -> str:
    cell = cells.get(notebook, label)
    has_pdf = any("application/pdf" in bundle for bundle in cell.outputs)
    if cell.kind == "fig" and not has_pdf and any("text/markdown" in b for b in cell.outputs):
        # A figure the edition cannot draw (too few areas, no data): its note keeps the
        # figure's number and caption, so cross-references still resolve.
        note = escape.typst_string(_note_text(cell.find("text/markdown")))
        return (f"\n```{{=typst}}\n#figure(block(width: 100%, inset: 8pt, stroke: 0.5pt + "
                f"luma(160))[#{note}], kind: image, "
                f"caption: {escape.typst_string(cell.caption)}) <{label}>\n```\n")
    if cell.kind == "fig":
        pdf = base64.b64decode(cell.find("application/pdf"))
        figures = ctx.work_dir / "figures"
        figures.mkdir(exist_ok=True)
        (figures / f"{label}.pdf").write_bytes(pdf)
        return (f"\n```{{=typst}}\n#figure({typst_chart_call(cell, f'figures/{label}.pdf')}, "
                f"caption: {escape.typst_string(cell.caption)}) <{label}>\n```\n")
    return "\n" + chapter_syntax.raw_block("typst", tables[(notebook, label)])


def _expand(ctx: RenderContext, fmt: str) -> str:
    texts = [path.read_text(encoding="utf-8") for path in ctx.project.chapter_paths()]
    problems = [str(p) for path, text in zip(ctx.project.chapters, texts, strict=True)
                for p in chapter_syntax.check_syntax(text, path)]
    if problems:
        raise RenderError("chapters use syntax outside the supported Quarto subset:\n  "
                          + "\n  ".join(problems))
    numbers = chapter_syntax.numbering(texts)
    cells = _Cells(ctx.notebooks_dir)
    authored = []
    for path, text in zip(ctx.project.chapters, texts, strict=True):
        try:
            # Cross-references first, on the author's text only: data (key figures in
            # vars, names inside charts and tables) is inserted afterwards, so a name such
            # as "@fig-x" stays text instead of becoming (or breaking) a reference.
            text = chapter_syntax.expand_crossrefs(text, numbers, fmt)
            authored.append(chapter_syntax.expand_vars(text, ctx.variables, path))
        except chapter_syntax.ChapterSyntaxError as exc:
            raise RenderError(f"{path}: {exc}") from exc
    sources: dict[tuple[str, str], str] = {}

    def table_source(notebook: str, label: str) -> str:
        cell = cells.get(notebook, label)
        if cell.kind == "tbl":
            caption = (f"Table {numbers[label]}: {cell.caption}" if fmt == "html"
                       else cell.caption)
            sources[(notebook, label)] = (f"{cell.find('text/markdown')}\n\n"
                                          f": {markdown_escape(caption)} {{#{label}}}")
        return ""

    out = []
    for first in (True, False):  # the tables first, all converted at once; then the text
        tables = {} if first else _converted_tables(ctx, sources, fmt)
        for path, text in zip(ctx.project.chapters, authored, strict=True):
            try:
                if first:
                    chapter_syntax.expand_embeds(text, table_source)
                elif fmt == "html":
                    out.append(chapter_syntax.expand_embeds(
                        text, lambda nb, lb: _html_embed(ctx, cells, numbers, tables, nb, lb)))
                else:
                    out.append(chapter_syntax.expand_embeds(
                        text, lambda nb, lb: _typst_embed(ctx, cells, tables, nb, lb)))
            except (chapter_syntax.ChapterSyntaxError, CellError) as exc:
                raise RenderError(f"{path}: {exc}") from exc
    return "\n\n".join(out)


#: The line between two tables in :func:`_converted_tables`' one document, per format.
_SPLIT = {"html": "<!--inequalities-table-split-->", "typst": "// inequalities-table-split"}


def _converted_tables(ctx: RenderContext, sources: dict[tuple[str, str], str], fmt: str
                      ) -> dict[tuple[str, str], str]:
    """Each embedded table (its markdown and caption line) converted to ``fmt`` by pandoc.

    The notebooks' tables do not change when a chapter's words do, yet they were most of
    pandoc's work on a report (about 0.25 of 0.45 CPU-s per format): they are converted
    apart, in one document, and the result is kept in the step cache under the tables,
    the format, pandoc's version and the filter, so re-rendering after a wording change
    parses the chapters' text only (``--force`` converts them again, and stores them).
    Typst tables come with the line that tells the filter
    their body rows (``report-filter.lua``), which keeps them whole or with their lead-in
    paragraph in the report exactly as a table there would be; the bytes of the PDF are
    the same either way (tested).
    """
    if not sources:
        return {}
    import hashlib
    import json

    to = "html5" if fmt == "html" else "typst"
    split = _SPLIT[fmt]
    document = f"\n\n\n{chapter_syntax.raw_block(fmt, split)}\n\n".join(sources.values())
    key = hashlib.sha256(json.dumps(["pandoc-tables-1", pypandoc.get_pandoc_version(), to,
                                     _template("report-filter.lua"), document]).encode()
                         ).hexdigest()
    name = f"tables.{fmt}"
    entry = (ctx.cache.get("pandoc-tables", key)
             if ctx.cache is not None and not ctx.force else None)
    if entry is not None:
        converted = (entry / name).read_text(encoding="utf-8")
    else:
        converted = _pandoc(ctx, document, to, ["--metadata=report-tables-alone:true"])
        if ctx.cache is not None:
            path = ctx.work_dir / name
            path.write_text(converted, encoding="utf-8")
            ctx.cache.put("pandoc-tables", key, [(path, name)])
    parts = [part.strip("\n") for part in converted.split(f"{split}\n")]
    if len(parts) != len(sources):
        raise RenderError(f"pandoc converted {len(sources)} tables to {len(parts)} pieces; "
                          "a table's text holds the line that separates them")
    return dict(zip(sources, parts, strict=True))


def _filter_path(ctx: RenderContext) -> Path:
    path = ctx.work_dir / "report-filter.lua"
    path.write_text(_template("report-filter.lua"), encoding="utf-8")
    return path


def _pandoc(ctx: RenderContext, markdown: str, to: str, extra: list[str]) -> str:
    # verify_format=False: otherwise pypandoc starts pandoc twice more on every call to list
    # its input and output formats (about 0.01 s each), and the formats here are fixed.
    try:
        return pypandoc.convert_text(markdown, to, format="markdown-citations-raw_html",
                                     extra_args=[f"--lua-filter={_filter_path(ctx)}", *extra],
                                     verify_format=False)
    except RuntimeError as exc:
        raise RenderError(f"pandoc could not convert the chapters to {to}: {exc}") from exc


def render_html(ctx: RenderContext) -> Path:
    """Render ``report.html``: self-contained, offline, charts interactive."""
    markdown = _expand(ctx, "html")
    template = ctx.work_dir / "body.html"
    template.write_text(_template("body.html"), encoding="utf-8")
    fragment = _pandoc(ctx, markdown, "html5", [
        "--standalone", f"--template={template}", "--toc", "--toc-depth=2",
        "--number-sections", "--section-divs", "--metadata=title:report",
    ])
    toc, _, body = fragment.partition(BODY_MARKER)
    meta = ctx.meta
    demo_banner = demo_banner_html(meta)
    values = {
        "title": escape.html(ctx.project.title),
        "edition": escape.html(meta["edition"]),
        "data_label": escape.html(meta["data_label"]),
        "vintage": escape.html(meta["vintage"]),
        "build_date": escape.html(meta["build_date"]),
        "version": escape.html(meta["version"]),
        "engine": escape.html(meta["engine"]),
        "provenance": escape.html(meta["provenance"]),
        "demo_banner": demo_banner,
        "css": _template("report.css"),
        "toc": toc.strip(),
        "body": _wrap_tables(body.strip()),
        "vega_bundle": _vega_bundle(),
        "vega_loader": _template("vega-loader.js"),
    }
    page = _template("page.html")
    # Substitute in one pass so a value can never inject another placeholder.
    page = re.sub(r"\{\{([a-z_]+)\}\}", lambda m: values[m[1]], page)
    target = ctx.build_dir / "report.html"
    target.write_text(page, encoding="utf-8")
    return target


def render_pdf(ctx: RenderContext) -> Path:
    """Render ``report.pdf`` through Typst: title page, contents, numbered figures/tables."""
    markdown = _expand(ctx, "typst")
    body = _pandoc(ctx, markdown, "typst", [])
    meta = ctx.meta
    values = {
        "edition": escape.typst_string(meta["edition"]),
        "title": escape.typst_string(ctx.project.title),
        "data_label": escape.typst_string(meta["data_label"]),
        "vintage": escape.typst_string(meta["vintage"]),
        "build_line": escape.typst_string(
            f"{meta['build_date']} with inequalities {meta['version']} ({meta['engine']})"),
        "demo": "true" if page_notice(meta) else "false",
        "demo_notice": escape.typst_string(page_notice(meta)),
        "report_chart": _template("report-chart.typ"),
        "body": body,
    }
    source = re.sub(r"\{\{([a-z_]+)\}\}", lambda m: values[m[1]], _template("report.typ"))
    typ = ctx.work_dir / "report.typ"
    typ.write_text(source, encoding="utf-8")
    target = ctx.build_dir / "report.pdf"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        typst.compile(str(typ), output=str(target), root=str(ctx.work_dir),
                      timestamp=int(epoch) if epoch else None)
    except Exception as exc:  # typst raises its own error types
        raise RenderError(f"typst could not compile {typ}: {exc}") from exc
    return target


def render(ctx: RenderContext) -> dict[str, Path]:
    """Render every requested format; return the paths by format."""
    renderers = {"html": render_html, "pdf": render_pdf}
    return {fmt: renderers[fmt](ctx) for fmt in ctx.formats}
