"""One edition's build as a job a worker process runs: cached steps, then atomic publish.

A job runs in a worker (a local process, or a Dask worker): it executes the edition's
notebooks in the worker's warm kernel (or restores them from the step cache), renders each
format (or restores it), writes provenance and logs, and publishes the edition folder in
one rename. Every job has its own temporary build folder ``OUT/.build-<slug>-*`` as the
kernel's working directory, so editions running side by side never share a file.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inequalities.data import editions
from inequalities.publishing import interrupt, provenance
from inequalities.publishing import project as project_mod
from inequalities.publishing.cache import StepCache
from inequalities.publishing.render import UNVERIFIED_NOTICE

#: What the notebook step stores: the executed notebooks and everything they wrote.
NOTEBOOK_OUTPUTS = ("notebooks", "data", "key_figures", "statistics")


def report_inputs(edition: editions.Edition, figures: dict[str, Any], record: dict[str, Any],
                  engine: str, *, demo: bool, unverified: tuple[str, ...] = ()
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Title-page facts and ``{{< var >}}`` values of one edition's report.

    ``figures`` are its key figures, ``record`` its provenance record, ``demo`` whether it
    was built without ``--data`` (used when the key figures do not say), ``unverified`` the
    validation problems accepted with ``--accept-unverified`` (the data label says so). Returns
    ``(meta, variables)`` as :class:`~inequalities.publishing.render.RenderContext` takes them.
    """
    meta = {
        "edition": f"{edition.name} edition",
        "data_label": str(figures.get("data.label", "unknown data")),
        "vintage": str(figures.get("data.vintage", "unknown")),
        "demo": bool(figures.get("data.is_demo", demo)),
        "unverified": len(unverified),
        "version": record["version"], "engine": engine,
        "build_date": record["build_date"],
        "provenance": provenance.summary_line(record),
    }
    if unverified:
        meta["data_label"] = f"{UNVERIFIED_NOTICE}. {meta['data_label']}"
    variables: dict[str, Any] = {"edition.name": edition.name, "edition.code": edition.code,
                                 "edition.slug": edition.slug,
                                 **editions.variables(edition), **figures,
                                 **provenance.variables(record)}
    return meta, variables


@dataclass(frozen=True)
class EditionJob:
    """Everything a worker needs to build one edition (picklable, paths absolute)."""

    slug: str
    formats: tuple[str, ...]
    engine: str
    engine_versions: dict[str, str]  # as in the render keys (see runner.engine_identity)
    data_dir: str | None
    seed: int
    out_dir: Path
    cache_root: Path
    project_root: Path
    notebook_key: str  # of all the notebooks (keys.notebooks_key)
    render_keys: dict[str, str]
    git_commit: str
    force: bool = False
    #: Run each notebook in a fresh kernel (the naive way: the build benchmark's baseline).
    fresh_kernels: bool = False
    #: Validation problems of data built with ``--accept-unverified`` (empty: valid).
    unverified: tuple[str, ...] = ()
    #: The key of each notebook's step, by file name (keys.notebook_key).
    notebook_keys: dict[str, str] = field(default_factory=dict)


@dataclass
class JobResult:
    """What became of one edition: ``built``, ``reused`` or ``failed``."""

    slug: str
    status: str
    seconds: float = 0.0
    steps: dict[str, str] = field(default_factory=dict)  # step -> "ran" | "cached"
    failed_step: str = ""
    message: str = ""
    log: str = ""


def publish_statistics(build_dir: Path) -> Path:
    """Join the notebooks' ledger parts (``BUILD/statistics/*.csv``) into the edition's
    ``BUILD/data/statistics.csv`` (:func:`inequalities.report.ledger.collect`).

    A ledger that breaks its rules fails the edition with one line naming the first
    problem and how many there are (the log lists them all).
    """
    from inequalities.report import ledger

    try:
        table = ledger.collect(build_dir)
    except ledger.LedgerError as exc:
        found = str(exc).splitlines()[1:]
        raise ledger.LedgerError(
            f"the statistics ledger breaks its rules ({len(found)} problem(s)); first: "
            f"{found[0].strip() if found else exc}\n" + "\n".join(found)) from None
    return ledger.to_csv(table, build_dir / "data" / "statistics.csv")


class NotebookClash(RuntimeError):
    """A notebook rewrote a file another notebook of the edition wrote."""


def notebooks_cached(job: EditionJob, cache: StepCache) -> bool:
    """True when every notebook of ``job`` has its step in ``cache``."""
    return all(cache.get("notebook", key) is not None for key in job.notebook_keys.values())


def _outputs(build_dir: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of each file the notebook step keeps, by relative path."""
    found = {}
    for name in NOTEBOOK_OUTPUTS:
        for path in (build_dir / name).rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path.relative_to(build_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def _notebooks(job: EditionJob, project, cache: StepCache, build_dir: Path,
               places: dict[str, str], say) -> str:
    """The notebook step of ``job``: each notebook restored from the cache, or run.

    Each notebook's step is keyed on its own inputs (its fingerprint: the edition's data
    cut to what it reads), so a change re-runs only the notebooks that read it. A notebook
    that runs has what it wrote (its executed copy, figure data, key figures, ledger part)
    stored as its step, with machine paths replaced; notebooks write files of their own,
    so the restored and the new together are what running all of them gives. Returns
    ``"cached"`` when no notebook ran.
    """
    from inequalities.publishing import notebooks

    todo, owner = [], {}  # owner: the notebook that wrote each file, by relative path
    for path in project.notebooks:
        entry = None if job.force else cache.get("notebook", job.notebook_keys[path.name])
        if entry is None or not cache.restore("notebook", job.notebook_keys[path.name],
                                              build_dir):
            todo.append(path)
            continue
        owner.update((p.relative_to(entry).as_posix(), path.name)
                     for p in entry.rglob("*") if p.is_file())
    reused = len(project.notebooks) - len(todo)
    if todo:
        say(f"notebooks: {len(todo)} to run, {reused} restored from cache")
        seen = _outputs(build_dir)

        def keep(run) -> None:
            nonlocal seen
            now = _outputs(build_dir)
            written = sorted(rel for rel, stat in now.items() if seen.get(rel) != stat)
            rewritten = [rel for rel in written if rel in seen] + sorted(set(seen) - set(now))
            if rewritten:
                raise NotebookClash(
                    f"{run.source.name} rewrote or removed {rewritten[0]}, which "
                    f"{owner.get(rewritten[0], 'another notebook')} wrote; give each notebook "
                    "files of its own (the build keeps each notebook's files apart, to "
                    "re-run it alone)")
            owner.update((rel, run.source.name) for rel in written)
            provenance.scrub_paths(build_dir, places, [build_dir / rel for rel in written])
            cache.put("notebook", job.notebook_keys[run.source.name],
                      [(build_dir / rel, rel) for rel in written])
            seen = _outputs(build_dir)

        t0 = time.perf_counter()
        execute = notebooks.execute if job.fresh_kernels else notebooks.session().execute
        execute(todo, parameters={"edition": job.slug, "data_dir": job.data_dir or "",
                                  "output_dir": ".", "seed": job.seed},
                build_dir=build_dir, progress=say, on_done=keep)
        say(f"notebooks done in {time.perf_counter() - t0:.1f} s")
    else:
        say(f"notebooks reused from cache ({reused})")
    return "ran" if todo else "cached"


def _engine(name: str):
    from inequalities.publishing import engine_pandoc, engine_quarto

    return engine_quarto if name == "quarto" else engine_pandoc


def run_job(job: EditionJob, events: Any = None) -> JobResult:
    """Build ``job``'s edition and publish it to ``OUT/<slug>``; never raises.

    ``events`` (optional) is a queue receiving ``(slug, stage)`` tuples for the progress
    display. Failures return a result naming the step and the log; the failed build folder
    goes to ``OUT/.failed/<slug>`` and the previous published copy is left untouched.
    """
    from inequalities.report import outputs
    from inequalities.publishing import notebooks
    from inequalities.publishing.publish import publish
    from inequalities.publishing.render import RenderContext

    started = time.perf_counter()
    edition = editions.get(job.slug)
    result = JobResult(slug=job.slug, status="built")
    log_lines: list[str] = []

    def say(message: str) -> None:
        log_lines.append(f"[{job.slug}] {message}")

    def stage(name: str) -> None:
        say(f"stage: {name}")
        if events is not None:
            try:
                events.put((job.slug, name))
            except Exception:  # noqa: BLE001 - the display must never fail a build
                pass

    cache = StepCache(job.cache_root)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix=f".build-{job.slug}-", dir=job.out_dir))
    build_dir.chmod(0o755)
    step = "notebooks"
    # Machine paths the notebooks may print, and what published files say instead.
    places = {str(build_dir): ".", str(build_dir.resolve()): ".",
              job.data_dir or "": "<data>", str(job.project_root): "<project>"}
    try:
        say(f"build folder {build_dir.name}")  # no host, pid or path: the log is published
        project = project_mod.load(job.project_root)
        engine = _engine(job.engine)
        engine_versions = engine.versions()
        say(f"renderer: {engine.NAME} ("
            + ", ".join(f"{k} {v}" for k, v in engine_versions.items()) + ")")
        stage("notebooks")
        result.steps["notebooks"] = _notebooks(job, project, cache, build_dir, places, say)
        # The joined ledger is stored under the key of all the notebooks: joining and
        # checking it takes about 0.4 s, a fifth of a re-render's work.
        step = "statistics"
        if (result.steps["notebooks"] == "ran" or job.force
                or not cache.restore("ledger", job.notebook_key, build_dir)):
            cache.put("ledger", job.notebook_key,
                      [(publish_statistics(build_dir), "data/statistics.csv")])
        step = "key figures"
        figures = outputs.load_key_figures(build_dir)
        record = provenance.record(
            root=job.project_root, edition=edition, engine=engine.NAME,
            engine_versions=engine_versions, formats=job.formats,
            data_dir=Path(job.data_dir) if job.data_dir else None, seed=job.seed,
            data_checksums=provenance.data_checksums(build_dir))
        record["git_commit"] = job.git_commit
        if job.unverified:
            record["unverified_data"] = list(job.unverified)
        record["cache_keys"] = {"notebooks": job.notebook_key,
                                **{f"render-{f}": k for f, k in job.render_keys.items()}}
        meta, variables = report_inputs(edition, figures, record, engine.NAME,
                                        demo=job.data_dir is None, unverified=job.unverified)
        for fmt in job.formats:
            step = f"render {fmt}"
            stage(step)
            key = job.render_keys[fmt]
            if not job.force and cache.restore(f"render-{fmt}", key, build_dir):
                result.steps[step] = "cached"
                continue
            t0 = time.perf_counter()
            ctx = RenderContext(project=project, build_dir=build_dir, variables=variables,
                                meta=meta, formats=(fmt,), cache=cache, force=job.force)
            produced = engine.render(ctx)
            say(f"rendered {fmt} ({produced[fmt].stat().st_size / 1e6:.1f} MB) in "
                f"{time.perf_counter() - t0:.1f} s")
            cache.put(f"render-{fmt}", key, [(produced[fmt], f"report.{fmt}")])
            result.steps[step] = "ran"
        step = "publish"
        stage(step)
        (build_dir / "logs").mkdir(exist_ok=True)
        (build_dir / "logs" / "build.log").write_text("\n".join(log_lines) + "\n",
                                                      encoding="utf-8")
        provenance.scrub_paths(build_dir, places)
        record["files"] = provenance.file_digests(build_dir)  # checked before any reuse
        (build_dir / "provenance.json").write_text(
            json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        publish(build_dir, job.out_dir / job.slug)
        result.log = str(job.out_dir / job.slug / "logs" / "build.log")
    except BaseException as exc:
        if isinstance(exc, Exception) and not interrupt.received():
            return _failed(job, result, build_dir, step, exc, log_lines, stage, started)
        # Stopped by Ctrl-C or SIGTERM (perhaps seen first as a kernel killed by the same
        # signal): nothing of this edition is kept, published or reported as failed.
        shutil.rmtree(build_dir, ignore_errors=True)
        if isinstance(exc, Exception):
            interrupt.check()
        raise
    result.seconds = time.perf_counter() - started
    return result


def _failed(job: EditionJob, result: JobResult, build_dir: Path, step: str, exc: Exception,
            log_lines: list[str], stage, started: float) -> JobResult:
    """Report ``exc`` as the edition's failure at ``step``: the build folder, with its log,
    becomes ``OUT/.failed/<slug>``."""
    say = log_lines.append
    say(f"[{job.slug}] FAILED at step '{step}': {exc}")
    say(f"[{job.slug}] {traceback.format_exc()}")
    failed = job.out_dir / ".failed" / job.slug
    try:
        (build_dir / "logs").mkdir(exist_ok=True)
        (build_dir / "logs" / "build.log").write_text("\n".join(log_lines) + "\n",
                                                      encoding="utf-8")
        shutil.rmtree(failed, ignore_errors=True)
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(build_dir), failed)
    except OSError:
        pass
    result.status = "failed"
    result.failed_step = step
    result.message = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
    result.log = str(failed / "logs" / "build.log")
    stage("failed")
    result.seconds = time.perf_counter() - started
    return result

