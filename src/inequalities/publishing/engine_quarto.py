"""The Quarto engine: ``quarto render`` of the same chapters, where Quarto is installed.

:func:`write_stage` writes one edition's document for Quarto; :func:`stage` puts it in a
standalone project for the build (``--renderer quarto``), and
:mod:`inequalities.publishing.quarto_project` in the project root for ``quarto render``
there. What Quarto needs, with the Quarto source (quarto-cli, ``main`` of 2026-07) and
documentation each point rests on:

* The project's absolute path has no folder whose name starts with ``.`` or ``_``
  (:func:`hidden_component`; staging refuses otherwise). Quarto ignores such folders when
  it finds a project and its inputs (``src/project/project-context.ts``,
  ``projectHiddenIgnoreGlob``: ``**/.*``, ``**/_*``), so a stage under the build folder
  ``OUT/.build-SLUG-*/`` lost its ``_quarto.yml`` and ``_variables.yml`` (issue 13: every
  ``{{< var >}}`` unknown, no section numbers, failed renders). The build's stage is a new
  folder under the system's temporary folder (``inequalities-quarto-*``), removed after.
* ``chapters/report.qmd`` includes the chapters in book order. It sits in ``chapters/``
  because Quarto's include is a copy-and-paste: relative paths inside an included file
  (the chapters' ``{{< embed ../analysis/NB.ipynb#label >}}``) resolve from the
  *including* document's folder (https://quarto.org/docs/authoring/includes.html).
* ``analysis/`` holds the *executed* notebooks: Quarto embeds the saved outputs of an
  ``.ipynb`` and never runs it (``src/core/jupyter/jupyter-embed.ts``; "Please be sure to
  have executed any cells that you are embedding"; ``execute: enabled: false`` as well).
  Their outputs are adapted because Quarto picks an output's representation by a fixed
  priority (``src/core/jupyter/display-data.ts``, ``displayDataMimeType``: HTML takes
  ``application/javascript`` and ``text/html`` before ``text/markdown``; Typst takes
  ``text/markdown`` first) and because it adds ``<script src>`` tags for require.js and
  jQuery from a CDN to any page that embeds a notebook with *any* ``text/html`` or
  ``application/javascript`` display output, taking them for widgets
  (``src/core/jupyter/widgets.ts``, ``extractJupyterWidgetDependencies``,
  ``includesForJupyterWidgetDependencies``). So no output keeps either type: ``text/html``
  becomes ``text/markdown`` holding a raw HTML block (the pandoc engine's chart markup)
  and, for a chart, a raw Typst block drawing its vector PDF with the pandoc engine's
  ``report-chart`` (https://quarto.org/docs/authoring/markdown-basics.html#raw-content:
  each format keeps its own raw blocks and drops the others).
* ``_variables.yml`` beside the ``_quarto.yml`` Quarto reads: the key figures for
  ``{{< var >}}``, nested by their dotted keys. Quarto reads variable values as Markdown
  (https://quarto.org/docs/authoring/variables.html), so every value is Markdown-escaped,
  as the pandoc engine escapes them; so are the title and subtitle. The ``date`` is not:
  Quarto parses it as a date (escaped, it showed "Invalid Date"), so it must be ISO.
* The formats are the ones the root ``_quarto.yml`` declares, with ``notebook-links:
  false`` for HTML (``src/resources/schema/document-links.yml``;
  https://quarto.org/docs/authoring/notebook-embed.html): no notebook preview pages, no
  "Source" links to files that are never published.
* ``chapters/vega.html`` (``include-after-body``): the Vega bundle and chart loader, so
  charts work offline; ``chapters/demo.html`` (``include-before-body``, demonstration data
  only): the pandoc engine's banner. For Typst, ``chapters/report-header.typ``
  (``include-in-header``: Quarto's ``src/resources/formats/typst/pandoc/quarto/
  template.typ`` places it before ``page.typ``, whose ``set page`` sets no header, so the
  header set here stays): figures (tables included) may break across pages, the
  demonstration notice heads every page, and ``report-chart`` is defined. The pandoc
  engine's Lua filter runs too (``filters``), for its Typst table rule only (long words
  get break opportunities; callouts are Quarto's own).
* The data, vintage and build lines under the title, and the "Download the data" link
  after each embed whose data the notebook saved, inside Quarto's conditional content for
  HTML only (https://quarto.org/docs/authoring/conditional.html), relative to the report
  (``data/NAME.csv``).
"""

from __future__ import annotations

import base64
import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import yaml

from inequalities.publishing import escape
from inequalities.publishing.cells import LabelledCell, cell_options
from inequalities.publishing.chapters import EMBED_LINE, raw_block
from inequalities.publishing.engine_pandoc import (
    _template,
    _vega_bundle,
    chart_figure_markup,
    demo_banner_html,
    typst_chart_call,
)
from inequalities.publishing.render import DEMO_NOTICE, RenderContext, RenderError
from inequalities.report.outputs import markdown_escape

NAME = "quarto"
DOCUMENT = "report.qmd"
DOCUMENT_DIR = "chapters"
STAGE_PREFIX = "inequalities-quarto-"
#: Quarto output representations that make it load require.js and jQuery from a CDN.
WIDGET_MIMES = ("text/html", "application/javascript")
#: First line of every file the engine generates where a user might look.
GENERATED = "# Generated by inequalities (inequalities.publishing.engine_quarto); do not edit."


def executable() -> str | None:
    """Path of the ``quarto`` binary, or None when it is not on PATH."""
    return shutil.which("quarto")


def versions() -> dict[str, str]:
    """Version of Quarto (recorded in provenance and cache keys)."""
    exe = executable()
    if exe is None:
        return {"quarto": "absent"}
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return {"quarto": result.stdout.strip() or "unknown"}


def hidden_component(path: Path) -> str | None:
    """The first folder of ``path`` (made absolute) that Quarto would ignore, or None.

    Quarto skips files under folders whose names start with ``.`` or ``_`` when it finds a
    project's inputs (quarto-cli ``src/project/project-context.ts``).
    """
    for part in path.resolve().parts[1:]:
        if part.startswith((".", "_")):
            return part
    return None


def _check_visible(path: Path) -> None:
    """Raise RenderError when Quarto would ignore ``path`` (see :func:`hidden_component`)."""
    bad = hidden_component(path)
    if bad is not None:
        raise RenderError(f"cannot stage the Quarto project in {path}: its folder {bad!r} "
                          "starts with '.' or '_', and Quarto ignores projects and inputs in "
                          "such folders; set TMPDIR (or move the project) to a folder "
                          "without one")


def _nested(variables: dict[str, Any]) -> dict[str, Any]:
    """Nest dotted keys (``a.b: 1`` becomes ``a: {b: 1}``), as ``{{< var a.b >}}`` reads them."""
    tree: dict[str, Any] = {}
    for key in sorted(variables):
        node = tree
        *parents, leaf = key.split(".")
        for depth, part in enumerate(parents):
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"key figure {key!r} cannot be nested under "
                                 f"{'.'.join(parents[:depth + 1])!r}, which is itself a value; "
                                 "rename one of the two keys")
        if isinstance(node.get(leaf), dict):
            raise ValueError(f"key figure {key!r} is also the prefix of other keys "
                             f"({key}.…); rename one of them")
        node[leaf] = variables[key]
    return tree


def _with_data_links(text: str, data_dir: Path) -> str:
    """Add an HTML-only "download the data" link after each embed whose CSV exists.

    The same link the pandoc engine puts under a figure or table; Quarto shows it in HTML
    only (``content-visible when-format="html"``). The path is relative to where the
    report is published (``BUILD/report.html`` beside ``BUILD/data/``).
    """
    lines = []
    for line in text.splitlines():
        lines.append(line)
        match = EMBED_LINE.match(line.strip())
        if match and (data_dir / f"{match['label']}.csv").is_file():
            kind = "figure" if match["label"].startswith("fig-") else "table"
            lines += ["", '::: {.content-visible when-format="html"}',
                      f"[Download the data for this {kind} (CSV)](data/{match['label']}.csv)",
                      ":::", ""]
    return "\n".join(lines) + "\n"


def _text(value: Any) -> str:
    """A notebook output value (a string or a list of lines) as one string."""
    return "".join(value) if isinstance(value, list) else str(value)


def _adapt_notebook(source: Path, target: Path, document_dir: Path) -> None:
    """Copy an executed notebook with its display outputs adapted (see the module docstring).

    No output keeps a :data:`WIDGET_MIMES` type: ``text/html`` becomes a raw-HTML block in
    ``text/markdown`` (unless the output has Markdown already, as tables do). A chart's
    ``application/pdf`` is written to ``document_dir/figures/`` and drawn by a raw Typst
    ``report-chart`` block beside the HTML one; each format drops the other's raw block.
    """
    nb = nbformat.read(str(source), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        options = cell_options(cell.source)
        label = str(options.get("label") or "")
        for index, output in enumerate(cell.get("outputs", [])):
            if output.get("output_type") not in {"display_data", "execute_result"}:
                continue
            data = output.get("data", {})
            one = LabelledCell(source, label or "fig-unlabelled", options,
                               [{k: _text(v) for k, v in data.items()}])
            html = data.pop("text/html", None)
            data.pop("application/javascript", None)
            if html is None or "text/markdown" in data:
                continue
            chart = label.startswith("fig-")
            blocks = [raw_block("html", chart_figure_markup(one) if chart else _text(html))]
            if chart and "application/pdf" in data:
                name = f"figures/{label}-{index}.pdf"
                (document_dir / name).parent.mkdir(exist_ok=True)
                (document_dir / name).write_bytes(base64.b64decode(_text(data["application/pdf"])))
                blocks.append(raw_block("typst", "#" + typst_chart_call(one, name)))
            data["text/markdown"] = "\n".join(blocks)
    nbformat.write(nb, str(target))


def _iso_date(value: Any) -> str:
    """``value`` checked to be an ISO date (``YYYY-MM-DD``), the form Quarto parses."""
    try:
        return datetime.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise RenderError(f"build date {value!r} is not an ISO date (YYYY-MM-DD); Quarto "
                          "would print 'Invalid Date' (set SOURCE_DATE_EPOCH to a Unix "
                          "time, or leave it unset)") from None


def _facts(meta: dict[str, Any]) -> str:
    """The title block's data, vintage and build lines (as the pandoc engine's title page)."""
    lines = [("Data", meta["data_label"]), ("Data vintage", meta["vintage"]),
             ("Built", f"{meta['build_date']} with inequalities {meta['version']} "
                       f"({meta['engine']})")]
    body = "\\\n".join(f"**{name}:** {markdown_escape(value)}" for name, value in lines)
    return f"::: {{.report-facts}}\n{body}\n:::\n\n"


def _typst_header(meta: dict[str, Any]) -> str:
    """Typst lines placed before Quarto's page setup (see the module docstring)."""
    lines = ["// Written by inequalities' quarto engine.",
             "#show figure: set block(breakable: true)",
             _template("report-chart.typ")]
    if meta.get("demo"):
        lines.append('#set page(header: align(right, text(size: 8.5pt, weight: "bold", '
                     f'fill: rgb("#8a4b00"), {escape.typst_string(DEMO_NOTICE)})))')
    return "\n".join(lines) + "\n"


def quarto_options(project_root: Path) -> dict[str, Any]:
    """The report's ``lang`` and ``format`` options, as declared in ``_quarto.yml``."""
    path = project_root / "_quarto.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RenderError(f"cannot read the report's formats from {path}: {exc}") from exc
    if not isinstance(config.get("format"), dict):
        raise RenderError(f"{path} declares no format (html and typst); see docs/rendering.md")
    return {"lang": config.get("lang", "en-GB"), "format": config["format"]}


def write_stage(ctx: RenderContext, root: Path, variables_dir: Path) -> Path:
    """Write the edition's document, chapters and executed notebooks under ``root``.

    ``root`` gets ``chapters/`` (with ``report.qmd``, the document to render, which it
    returns), ``analysis/`` and ``chapters/data/``; ``_variables.yml`` goes to
    ``variables_dir``, the folder of the ``_quarto.yml`` that Quarto will read.
    """
    _check_visible(root)
    (root / "analysis").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ctx.project.root / DOCUMENT_DIR, root / DOCUMENT_DIR)
    document_dir = root / DOCUMENT_DIR
    includes = []
    for chapter in ctx.project.chapters:
        target = (root / chapter).resolve()
        if target.parent != document_dir.resolve() or target.name == DOCUMENT:
            raise RenderError(f"chapter {chapter}: the quarto engine needs every chapter "
                              f"directly in {DOCUMENT_DIR}/ and none named {DOCUMENT}")
        includes.append(f"{{{{< include {target.name} >}}}}")
        target.write_text(_with_data_links(target.read_text(encoding="utf-8"),
                                           ctx.build_dir / "data"), encoding="utf-8")
    for notebook in sorted(ctx.notebooks_dir.glob("*.ipynb")):
        _adapt_notebook(notebook, root / "analysis" / notebook.name, document_dir)
    if (ctx.build_dir / "data").is_dir():
        # Links are relative to the report (data/NAME.csv beside report.html).
        shutil.copytree(ctx.build_dir / "data", document_dir / "data")
    meta = ctx.meta
    variables = {key: markdown_escape(value) for key, value in ctx.variables.items()}
    (variables_dir / "_variables.yml").write_text(
        f"{GENERATED}\n" + yaml.safe_dump(_nested(variables), sort_keys=True, allow_unicode=True),
        encoding="utf-8")
    (document_dir / "vega.html").write_text(
        f"<script>\n{_vega_bundle()}\n</script>\n"
        f"<script>\n{_template('vega-loader.js')}\n</script>\n", encoding="utf-8")
    (document_dir / "report-header.typ").write_text(_typst_header(meta), encoding="utf-8")
    (document_dir / "report-filter.lua").write_text(_template("report-filter.lua"),
                                                    encoding="utf-8")
    html_format: dict[str, Any] = {"include-after-body": "vega.html"}
    if meta.get("demo"):
        (document_dir / "demo.html").write_text(demo_banner_html(meta) + "\n", encoding="utf-8")
        html_format["include-before-body"] = "demo.html"
    front = {
        "title": markdown_escape(ctx.project.title),
        "subtitle": markdown_escape(f"{meta['edition']}: {meta['data_label']}"),
        "date": _iso_date(meta["build_date"]),
        "filters": ["report-filter.lua"],
        "format": {"html": html_format, "typst": {"include-in-header": "report-header.typ"}},
    }
    notice = (f"::: {{.callout-warning}}\n{markdown_escape(DEMO_NOTICE)}.\n:::\n\n"
              if meta.get("demo") else "")
    document = document_dir / DOCUMENT
    document.write_text(
        f"---\n{yaml.safe_dump(front, sort_keys=True, allow_unicode=True)}---\n\n{notice}"
        + _facts(meta) + "\n\n".join(includes) + "\n", encoding="utf-8")
    return document


def stage(ctx: RenderContext, parent: Path | None = None) -> Path:
    """Write a standalone staged Quarto project for this edition; return its folder.

    The folder is new, made under ``parent`` (default: the system's temporary folder); the
    caller removes it. Its ``_quarto.yml`` is a plain project (``type: default``) that never
    executes code, with the ``lang`` and ``format`` options of the report's own
    ``_quarto.yml``. The document to render is ``<folder>/chapters/report.qmd``.
    """
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    options = quarto_options(ctx.project.root)
    _check_visible(where / STAGE_PREFIX)
    where.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=where))
    write_stage(ctx, root, root)
    config = {"project": {"type": "default"}, "execute": {"enabled": False}, **options}
    (root / "_quarto.yml").write_text(
        f"{GENERATED}\n" + yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    return root


def _error_lines(output: str, limit: int = 3) -> str:
    """The last ``ERROR``/``error:`` lines of Quarto's output, joined (or its last line)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR", "error"))]
    return " | ".join((errors or lines[-1:])[-limit:])[:400] or "no output"


def render(ctx: RenderContext) -> dict[str, Path]:
    """Render every requested format with Quarto; return the paths by format.

    Quarto's output for format ``F`` is kept in ``logs/quarto-F.log`` of the build folder
    (which the build publishes, or moves to ``OUT/.failed/SLUG`` when it fails).
    """
    exe = executable()
    if exe is None:
        raise RenderError("the quarto renderer was requested but `quarto` is not on PATH; "
                          "install Quarto or use --renderer pandoc")
    produced: dict[str, Path] = {}
    root = stage(ctx)
    try:
        for fmt in ctx.formats:
            to = "html" if fmt == "html" else "typst"
            result = subprocess.run([exe, "render", f"{DOCUMENT_DIR}/{DOCUMENT}", "--to", to],
                                    cwd=root, capture_output=True, text=True, check=False)
            (ctx.build_dir / "logs").mkdir(exist_ok=True)
            log = f"logs/quarto-{fmt}.log"
            (ctx.build_dir / log).write_text(result.stdout + result.stderr, encoding="utf-8")
            source = root / DOCUMENT_DIR / ("report.html" if fmt == "html" else "report.pdf")
            if result.returncode != 0 or not source.is_file():
                why = (_error_lines(result.stdout + result.stderr) if result.returncode
                       else f"it wrote no {DOCUMENT_DIR}/{source.name}")
                raise RenderError(
                    f"quarto render --to {to} failed (status {result.returncode}): {why}; "
                    f"Quarto's full output is {log} in the edition's build folder, beside "
                    "build.log")
            target = ctx.build_dir / source.name
            shutil.move(str(source), target)
            produced[fmt] = target
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return produced
