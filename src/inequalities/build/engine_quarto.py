"""The Quarto engine: ``quarto render`` of the same chapters, where Quarto is installed.

The edition's build folder gets a staged Quarto project: a single document
``report.qmd`` that includes the chapters in book order, the executed notebooks under
``analysis/`` (Quarto embeds their saved outputs; ``execute: enabled: false`` makes sure
nothing is re-run), ``_variables.yml`` with the key figures for ``{{< var >}}``, and the
Vega bundle included after the body so charts work offline. Each edition renders in its
own staged folder, so parallel editions never share Quarto's figure or freeze folders.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from inequalities.build import escape
from inequalities.build.engine_pandoc import _template, _vega_bundle
from inequalities.build.render import DEMO_NOTICE, RenderContext, RenderError

NAME = "quarto"


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
    tree: dict[str, Any] = {}
    for key, value in variables.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def stage(ctx: RenderContext) -> Path:
    """Write the staged Quarto project for this edition; return its folder."""
    root = ctx.build_dir / "quarto"
    if root.exists():
        shutil.rmtree(root)
    (root / "analysis").mkdir(parents=True)
    shutil.copytree(ctx.project.root / "chapters", root / "chapters")
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
                     "include-after-body": "vega.html", "anchor-sections": False},
            "typst": {"toc": True, "number-sections": True, "papersize": "a4"},
        },
    }
    (root / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    (root / "_variables.yml").write_text(
        yaml.safe_dump(_nested({k: str(v) for k, v in ctx.variables.items()}), sort_keys=True),
        encoding="utf-8")
    (root / "vega.html").write_text(
        f"<script>\n{_vega_bundle()}\n</script>\n<script>\n{_template('vega-loader.js')}\n</script>\n",
        encoding="utf-8")
    front = {
        "title": ctx.project.title,
        "subtitle": f"{meta['edition']}: {meta['data_label']}",
        "date": meta["build_date"],
    }
    notice = (f"::: {{.callout-warning}}\n{escape.html(DEMO_NOTICE)}.\n:::\n\n"
              if meta.get("demo") else "")
    includes = "\n\n".join(f"{{{{< include {chapter} >}}}}" for chapter in ctx.project.chapters)
    (root / "report.qmd").write_text(
        f"---\n{yaml.safe_dump(front, sort_keys=True)}---\n\n{notice}{includes}\n", encoding="utf-8")
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
        result = subprocess.run([exe, "render", "report.qmd", "--to", to], cwd=root,
                                capture_output=True, text=True, check=False)
        (ctx.build_dir / "logs").mkdir(exist_ok=True)
        (ctx.build_dir / "logs" / f"quarto-{fmt}.log").write_text(
            result.stdout + result.stderr, encoding="utf-8")
        source = root / ("report.html" if fmt == "html" else "report.pdf")
        if result.returncode != 0 or not source.is_file():
            raise RenderError(f"quarto render --to {to} failed (status {result.returncode}); "
                              f"see {ctx.build_dir / 'logs' / f'quarto-{fmt}.log'}")
        target = ctx.build_dir / source.name
        shutil.move(str(source), target)
        produced[fmt] = target
    return produced
