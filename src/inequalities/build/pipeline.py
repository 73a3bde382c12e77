"""Build one edition: execute the notebooks, render, record provenance, publish.

The edition is built in a temporary folder inside the output folder and moved into
``OUT/<slug>`` only when everything succeeded, so a failed build never leaves a half
report and never replaces the previous good one.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from inequalities import outputs
from inequalities.build import engine_pandoc, engine_quarto, notebooks, provenance
from inequalities.build import project as project_mod
from inequalities.build.publish import SCRATCH, publish, recover  # noqa: F401 (re-exported)
from inequalities.build.cli import BuildRequest
from inequalities.build.render import RenderContext, RenderError


class BuildError(RuntimeError):
    """A build step failed; the message names the edition and the step."""


def choose_engine(renderer: str):
    """Return the engine module for ``renderer`` (``auto`` prefers Quarto when installed)."""
    if renderer == "quarto" or (renderer == "auto" and engine_quarto.executable()):
        return engine_quarto
    return engine_pandoc


def _variables(request: BuildRequest, figures: dict) -> dict:
    edition = request.edition
    variables = {"edition.name": edition.name, "edition.code": edition.code,
                 "edition.slug": edition.slug}
    variables.update(figures)
    return variables


def build_edition(request: BuildRequest, progress: Callable[[str], None] | None = None, *,
                  fresh_kernels: bool = False) -> Path:
    """Build one edition and publish it to ``OUT/<slug>``; return that folder.

    The notebooks run one after another in this process's warm kernel
    (:func:`inequalities.build.notebooks.session`), which loads the data once for all of
    them; ``fresh_kernels=True`` gives each notebook its own kernel through papermill (the
    naive way, kept for the build benchmark's baseline).
    """
    slug = request.edition.slug
    log_lines: list[str] = []

    def say(message: str) -> None:
        line = f"[{slug}] {message}"
        log_lines.append(line)
        (progress or (lambda m: print(m, flush=True)))(line)

    project = project_mod.load()
    engine = choose_engine(request.renderer)
    engine_versions = engine.versions()
    say(f"renderer: {engine.NAME} ("
        + ", ".join(f"{k} {v}" for k, v in engine_versions.items()) + ")")
    request.out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix=f".build-{slug}-", dir=request.out_dir))
    build_dir.chmod(0o755)  # mkdtemp makes it private; the published edition is for readers
    step = "notebooks"
    try:
        started = time.perf_counter()
        execute = notebooks.execute if fresh_kernels else notebooks.session().execute
        execute(
            project.notebooks,
            parameters={"edition": slug, "data_dir": str(request.data_dir or ""),
                        "output_dir": str(build_dir), "seed": request.seed},
            build_dir=build_dir,
            progress=say,
        )
        say(f"notebooks done in {time.perf_counter() - started:.1f} s")
        step = "key figures"
        figures = outputs.load_key_figures(build_dir)
        record = provenance.record(
            root=project.root, edition=request.edition, engine=engine.NAME,
            engine_versions=engine_versions, formats=request.formats,
            data_dir=request.data_dir, seed=request.seed,
            data_checksums=provenance.data_checksums(build_dir),
        )
        meta = {
            "edition": f"{request.edition.name} edition",
            "data_label": str(figures.get("data.label", "unknown data")),
            "vintage": str(figures.get("data.vintage", "unknown")),
            "demo": bool(figures.get("data.is_demo", request.data_dir is None)),
            "version": record["version"],
            "engine": engine.NAME,
            "build_date": record["build_date"],
            "provenance": provenance.summary_line(record),
        }
        variables = _variables(request, figures)
        variables.update(provenance.variables(record))
        step = "render"
        started = time.perf_counter()
        ctx = RenderContext(project=project, build_dir=build_dir, variables=variables,
                            meta=meta, formats=request.formats)
        produced = engine.render(ctx)
        say("rendered " + ", ".join(f"{fmt} ({path.stat().st_size / 1e6:.1f} MB)"
                                    for fmt, path in produced.items())
            + f" in {time.perf_counter() - started:.1f} s")
        (build_dir / "provenance.json").write_text(
            json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        step = "publish"
        target = request.out_dir / slug
        (build_dir / "logs").mkdir(exist_ok=True)
        (build_dir / "logs" / "build.log").write_text(
            "\n".join(log_lines) + "\n" + json.dumps(record, indent=2, sort_keys=True) + "\n",
            encoding="utf-8")
        publish(build_dir, target)
    except (notebooks.NotebookError, RenderError, project_mod.ProjectError, ValueError,
            OSError) as exc:
        failed = request.out_dir / ".failed" / slug
        shutil.rmtree(failed, ignore_errors=True)
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(build_dir), failed)
        raise BuildError(f"edition {slug} failed at step '{step}': {exc} "
                         f"(build folder kept for inspection: {failed})") from exc
    return target


def run(request: BuildRequest) -> int:
    """Build ``request``; print where the report is. Exit status 0, or 1 on failure."""
    try:
        target = build_edition(request)
    except (BuildError, project_mod.ProjectError) as exc:
        print(f"inequalities build: {exc}", file=sys.stderr)
        return 1
    for fmt in request.formats:
        print(f"wrote {target / ('report.' + fmt)}")
    return 0
