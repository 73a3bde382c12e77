"""The Quarto engine: ``quarto render`` of the same chapters, where Quarto is installed.

The edition's build folder gets a staged Quarto project (``BUILD/quarto``):

* ``chapters/report.qmd``, one document that includes the chapters in book order. It sits
  in ``chapters/`` because Quarto's include is a copy-and-paste: relative paths inside an
  included file (the chapters' ``{{< embed ../analysis/NB.ipynb#label >}}``) resolve from
  the *including* document's folder (https://quarto.org/docs/authoring/includes.html), so
  the including document must live where the chapters do;
* ``analysis/``, the *executed* notebooks (Quarto embeds their saved outputs;
  ``execute: enabled: false`` makes sure nothing is re-run);
* ``_variables.yml`` next to ``_quarto.yml``, the key figures for ``{{< var >}}``, nested
  by their dotted keys (``population.total`` is ``population: {total: ...}``). Quarto reads
  variable values as Markdown (https://quarto.org/docs/authoring/variables.html), so every
  value is Markdown-escaped, exactly as the pandoc engine escapes them; the same goes for
  the title, subtitle and date in the document's front matter;
* ``chapters/vega.html``, the Vega bundle and chart loader, included after the body of the
  HTML (``include-after-body`` in the document's front matter, so the path is relative to
  the document) so charts work offline.

The staged chapters get, after each embed whose data the notebook saved, the same
"Download the data (CSV)" link the pandoc engine draws, inside Quarto's conditional
content for HTML only (https://quarto.org/docs/authoring/conditional.html).

Each edition renders in its own staged folder, so parallel editions never share Quarto's
figure or freeze folders.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from inequalities.publishing.chapters import EMBED_LINE
from inequalities.publishing.engine_pandoc import _template, _vega_bundle
from inequalities.publishing.render import DEMO_NOTICE, RenderContext, RenderError
from inequalities.report.outputs import markdown_escape

NAME = "quarto"
DOCUMENT = "report.qmd"
DOCUMENT_DIR = "chapters"


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


def stage(ctx: RenderContext) -> Path:
    """Write the staged Quarto project for this edition; return its folder.

    The document to render is ``<folder>/chapters/report.qmd`` (see the module docstring).
    """
    root = ctx.build_dir / "quarto"
    if root.exists():
        shutil.rmtree(root)
    (root / "analysis").mkdir(parents=True)
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
        shutil.copy2(notebook, root / "analysis" / notebook.name)
    if (ctx.build_dir / "data").is_dir():
        shutil.copytree(ctx.build_dir / "data", root / "data")
    meta = ctx.meta
    config = {
        "project": {"type": "default"},
        "execute": {"enabled": False},
        "lang": "en-GB",
        "format": {
            "html": {"embed-resources": True, "toc": True, "number-sections": True,
                     "anchor-sections": False},
            "typst": {"toc": True, "number-sections": True, "papersize": "a4"},
        },
    }
    (root / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    variables = {key: markdown_escape(value) for key, value in ctx.variables.items()}
    (root / "_variables.yml").write_text(
        yaml.safe_dump(_nested(variables), sort_keys=True, allow_unicode=True),
        encoding="utf-8")
    (document_dir / "vega.html").write_text(
        f"<script>\n{_vega_bundle()}\n</script>\n"
        f"<script>\n{_template('vega-loader.js')}\n</script>\n", encoding="utf-8")
    front = {
        "title": markdown_escape(ctx.project.title),
        "subtitle": markdown_escape(f"{meta['edition']}: {meta['data_label']}"),
        "date": markdown_escape(meta["build_date"]),
        "format": {"html": {"include-after-body": "vega.html"}},
    }
    notice = (f"::: {{.callout-warning}}\n{markdown_escape(DEMO_NOTICE)}.\n:::\n\n"
              if meta.get("demo") else "")
    (document_dir / DOCUMENT).write_text(
        f"---\n{yaml.safe_dump(front, sort_keys=True, allow_unicode=True)}---\n\n{notice}"
        + "\n\n".join(includes) + "\n", encoding="utf-8")
    return root


def render(ctx: RenderContext) -> dict[str, Path]:
    """Render every requested format with Quarto; return the paths by format."""
    exe = executable()
    if exe is None:
        raise RenderError("the quarto renderer was requested but `quarto` is not on PATH; "
                          "install Quarto or use --renderer pandoc")
    root = stage(ctx)
    produced: dict[str, Path] = {}
    for fmt in ctx.formats:
        to = "html" if fmt == "html" else "typst"
        result = subprocess.run([exe, "render", f"{DOCUMENT_DIR}/{DOCUMENT}", "--to", to],
                                cwd=root,
                                capture_output=True, text=True, check=False)
        (ctx.build_dir / "logs").mkdir(exist_ok=True)
        (ctx.build_dir / "logs" / f"quarto-{fmt}.log").write_text(
            result.stdout + result.stderr, encoding="utf-8")
        source = root / DOCUMENT_DIR / ("report.html" if fmt == "html" else "report.pdf")
        if result.returncode != 0 or not source.is_file():
            raise RenderError(f"quarto render --to {to} failed (status {result.returncode}); "
                              f"see {ctx.build_dir / 'logs' / f'quarto-{fmt}.log'}")
        target = ctx.build_dir / source.name
        shutil.move(str(source), target)
        produced[fmt] = target
    return produced
