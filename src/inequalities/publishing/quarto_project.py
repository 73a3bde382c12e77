"""``quarto render`` and ``quarto preview`` in the project root: the pre-render step.

The root ``_quarto.yml`` declares ``project: pre-render: inequalities quarto-prerender`` and
``render: [quarto-report/chapters/report.qmd]``. Quarto runs pre-render scripts before it
renders and then reads the project again and recomputes what to render (quarto-cli
``src/command/render/project.ts``, ``renderProject``: "re-initialize project context",
"Recompute the project render list"; https://quarto.org/docs/projects/scripts.html and
https://quarto.org/docs/prerelease/1.5/pre-render.html: since Quarto 1.5 a pre-render
script may generate the files to render; ``pre-render`` may be a shell command, parsed
into words and run without a shell), so this step may write the document Quarto then
renders. A listed ``render`` file that does not exist yet matches nothing
(``src/core/path.ts``, ``resolvePathGlobs``), so the first render starts with an empty
list. It:

1. builds one edition with the library (``inequalities build``, HTML only, into the cache
   folder): its notebooks run with the edition's parameters, so Quarto only ever embeds
   *executed* notebooks, and the notebooks in ``analysis/`` are never written;
2. writes that edition's document as the quarto engine stages it
   (:func:`inequalities.publishing.engine_quarto.write_stage`): ``quarto-report/`` (the
   chapters, ``chapters/report.qmd``, the executed notebooks, the data) and the key
   figures in ``_variables.yml`` beside ``_quarto.yml``, where Quarto reads them
   (https://quarto.org/docs/authoring/variables.html).

The edition is ``england`` on demonstration data unless ``INEQUALITIES_EDITION`` (a slug)
and ``INEQUALITIES_DATA`` (a data folder) say otherwise; Quarto passes its environment on
to the script. Files this step did not create are never replaced: it refuses when
``quarto-report/`` or ``_variables.yml`` exists without its "generated" mark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

from inequalities.data import default_cache_dir, editions
from inequalities.data.errors import UsageError
from inequalities.publishing import cli as build_cli
from inequalities.publishing import engine_quarto
from inequalities.publishing import project as project_mod
from inequalities.publishing.render import RenderContext
from inequalities.publishing.worker import report_inputs
from inequalities.report.outputs import load_key_figures

STAGE_DIR = "quarto-report"
DEFAULT_EDITION = "england"
#: Marks a ``quarto-report/`` folder as this step's own (safe to replace).
MARK = ".generated-by-inequalities"


def _refuse_foreign(path: Path, generated: bool) -> None:
    if path.exists() and not generated:
        raise UsageError(f"inequalities quarto-prerender: {path} exists and was not written by "
                         "this step; move it away (it would be replaced by the edition's "
                         "generated report)")


def _clear(root: Path) -> None:
    """Remove the previous generated stage and variables, refusing anything else."""
    stage = root / STAGE_DIR
    _refuse_foreign(stage, (stage / MARK).is_file())
    variables = root / "_variables.yml"
    _refuse_foreign(variables, variables.is_file() and variables.read_text(
        encoding="utf-8").startswith(engine_quarto.GENERATED))
    if stage.exists():
        shutil.rmtree(stage)


def prerender(root: Path, slug: str, data_dir: Path | None, out: Path) -> Path:
    """Build edition ``slug`` and write its Quarto document in ``root``; return the document.

    ``out`` is the library's output folder for the build (its published edition folder
    supplies the executed notebooks, data, key figures and provenance).
    """
    edition = editions.get(slug)
    project = project_mod.load(root)
    _clear(project.root)
    args = ["build", "--edition", edition.slug, "--renderer", "pandoc", "--format", "html",
            "--out", str(out)]
    if data_dir is not None:
        args += ["--data", str(data_dir)]
    parser = argparse.ArgumentParser(prog="inequalities")
    build_cli.add_parser(parser.add_subparsers())
    parsed = parser.parse_args(args)
    status = int(parsed.func(parsed) or 0)
    if status != 0:
        raise UsageError(f"inequalities quarto-prerender: building {edition.slug} failed "
                         f"(status {status}); see the messages above")
    built = out / edition.slug
    record = json.loads((built / "provenance.json").read_text(encoding="utf-8"))
    meta, variables = report_inputs(edition, load_key_figures(built), record,
                                    engine_quarto.NAME, demo=data_dir is None)
    ctx = RenderContext(project=project, build_dir=built, variables=variables, meta=meta)
    stage = project.root / STAGE_DIR
    stage.mkdir()
    (stage / MARK).write_text(engine_quarto.GENERATED + "\n", encoding="utf-8")
    return engine_quarto.write_stage(ctx, stage, project.root)


def _run(args: argparse.Namespace) -> int:
    slug = os.environ.get("INEQUALITIES_EDITION") or DEFAULT_EDITION
    data = os.environ.get("INEQUALITIES_DATA")
    document = prerender(project_mod.find_root(), slug, Path(data) if data else None,
                         default_cache_dir() / "quarto-prerender")
    print(f"inequalities quarto-prerender: {slug} staged for Quarto in {document}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``inequalities quarto-prerender`` (run by Quarto, see the module docstring)."""
    parser = subparsers.add_parser(
        "quarto-prerender",
        help="pre-render step of `quarto render` in the project root (see docs/rendering.md)",
        description="Build one edition (INEQUALITIES_EDITION, default england; data from "
        "INEQUALITIES_DATA, default demonstration data) and write its executed report "
        "document to quarto-report/ for Quarto to render.")
    parser.set_defaults(func=_run)
    return parser
