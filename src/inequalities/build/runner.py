"""Build many editions: plan with content hashes, run in parallel, publish, summarise.

``inequalities build --all`` (or ``--edition a,b``) comes here:

1. lock the output folder (one build at a time per folder) and undo what a killed build
   left behind (:func:`inequalities.build.pipeline.recover`, stale cache temporaries);
2. load the data once and compute every edition's fingerprint
   (:func:`inequalities.editiondata.fingerprint`), then the key of each step
   (:mod:`inequalities.build.keys`);
3. an edition whose published copy carries exactly these keys is ``reused`` untouched;
   the others become jobs (:func:`inequalities.build.worker.run_job`) run by a local
   process pool (default) or a Dask cluster (``--executor dask --scheduler ADDRESS``);
4. write ``OUT/index.html`` and print the summary table; exit status 1 if any edition
   failed (the others are still published).
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from inequalities import editions
from inequalities.build import keys, provenance, site_index
from inequalities.build import project as project_mod
from inequalities.build.cache import StepCache, default_root
from inequalities.build.progress import Progress, summary_table
from inequalities.build.worker import EditionJob, JobResult, run_job


@dataclass(frozen=True)
class MultiBuildRequest:
    """A validated request to build several editions."""

    editions: tuple[editions.Edition, ...]
    formats: tuple[str, ...]
    renderer: str
    data_dir: Path | None
    out_dir: Path
    seed: int
    jobs: int
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    cache_dir: Path | None = None


class OutputLocked(RuntimeError):
    """Another build is writing to the same output folder."""


class _Lock:
    def __init__(self, out_dir: Path):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / ".lock"
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")  # noqa: SIM115 - held for the whole build
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise OutputLocked(f"another build is writing to {self.path.parent}; wait for it "
                               "to finish or choose another --out folder") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


_FINGERPRINTS: dict[str, dict[str, str]] = {}


def _fingerprints_known(request: MultiBuildRequest, cache: StepCache) -> bool:
    state = _data_state(request)
    return state in _FINGERPRINTS or cache.get("fingerprints", state) is not None


def _data_state(request: MultiBuildRequest) -> str:
    """SHA-256 of what the dataset is made from: the library (loaders, slicing, measures,
    demonstration generator), the seed, and each data file's name, size and mtime."""
    import hashlib

    digest = hashlib.sha256(f"{keys.library_digest()}\0{request.seed}\0"
                            f"{request.data_dir or ''}".encode())
    if request.data_dir is not None:
        for path in sorted(p for p in request.data_dir.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"\0{path.relative_to(request.data_dir).as_posix()}\0"
                          f"{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def fingerprints(request: MultiBuildRequest, cache: StepCache | None = None,
                 on_print: Callable[[str, str], None] | None = None) -> dict[str, str]:
    """Data fingerprint of every edition, from one load of the data.

    Slicing and hashing every edition takes a few seconds, so the fingerprints are memoised
    in the step cache under :func:`_data_state`: any change to a data file (its size or
    modification time), the seed or the library computes them afresh. When computing,
    ``on_print(slug, fingerprint)`` is called as each is ready, England (the whole data,
    no slicing) first, so its work can start while the regions are sliced.
    """
    state = _data_state(request)
    if state in _FINGERPRINTS:
        return dict(_FINGERPRINTS[state])
    entry = cache.get("fingerprints", state) if cache is not None else None
    if entry is not None:
        prints = json.loads((entry / "fingerprints.json").read_text(encoding="utf-8"))
        _FINGERPRINTS[state] = prints
        return dict(prints)
    from inequalities import editiondata
    from inequalities.data import load

    dataset = load(request.data_dir, seed=request.seed)
    prints = {"england": editiondata.england_fingerprint(dataset)}
    if on_print is not None:
        on_print("england", prints["england"])
    national = editiondata.comparators(dataset)  # also stored for the notebooks' kernels
    for edition in editions.EDITIONS:
        if edition.is_england:
            continue
        prints[edition.slug] = editiondata.fingerprint(
            editiondata.from_dataset(edition, dataset, national=national))
        if on_print is not None:
            on_print(edition.slug, prints[edition.slug])
    if cache is not None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fingerprints.json"
            path.write_text(json.dumps(prints, indent=1, sort_keys=True), encoding="utf-8")
            cache.put("fingerprints", state, [(path, "fingerprints.json")])
    _FINGERPRINTS[state] = prints
    return dict(prints)


def engine_identity(renderer: str) -> tuple[str, dict[str, str]]:
    """Name and tool versions of the engine ``renderer`` picks, for the render keys.

    Chosen as :func:`inequalities.build.pipeline.choose_engine` does (``auto`` prefers
    Quarto when it is on PATH). The pandoc engine's tools are wheels, so their distribution
    versions name them (``pypandoc_binary`` bundles pandoc); Quarto is asked for its
    version. Importing the engines is left to the workers: it costs about a second.
    """
    import shutil
    import subprocess
    from importlib import metadata

    versions = {}
    for dist in ("pypandoc_binary", "typst", "vl-convert-python"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "absent"
    quarto = shutil.which("quarto")
    if renderer == "quarto" or (renderer == "auto" and quarto):
        result = (subprocess.run([quarto, "--version"], capture_output=True, text=True,
                                 check=False) if quarto else None)
        versions["quarto"] = (result.stdout.strip() or "unknown") if result else "absent"
        return "quarto", versions
    return "pandoc", versions


@dataclass(frozen=True)
class _PlanContext:
    request: MultiBuildRequest
    project: project_mod.Project
    engine: str
    versions: dict[str, str]
    commit: str
    chapters: str
    facts: dict[str, str]
    cache_root: Path


def _context(request: MultiBuildRequest, project: project_mod.Project) -> _PlanContext:
    engine_name, versions = engine_identity(request.renderer)
    commit = provenance.git_commit(project.root)
    return _PlanContext(
        request=request, project=project, engine=engine_name, versions=versions,
        commit=commit, chapters=keys.project_digest(project.root, project.chapters),
        facts={"git_commit": commit, "build_date": provenance.build_date(),
               "data_dir": str(request.data_dir or "")},
        cache_root=request.cache_dir or default_root(request.out_dir))


def _plan_one(ctx: _PlanContext, slug: str, fingerprint: str) -> EditionJob:
    request = ctx.request
    nb_key = keys.notebook_key(fingerprint=fingerprint, notebooks=ctx.project.notebooks,
                               seed=request.seed)
    render_keys = {fmt: keys.render_key(notebook_key=nb_key, project=ctx.chapters,
                                        engine=ctx.engine, engine_versions=ctx.versions,
                                        fmt=fmt, facts=ctx.facts)
                   for fmt in request.formats}
    return EditionJob(
        slug=slug, formats=request.formats, engine=ctx.engine, engine_versions=ctx.versions,
        data_dir=str(request.data_dir) if request.data_dir else None, seed=request.seed,
        out_dir=request.out_dir, cache_root=ctx.cache_root, project_root=ctx.project.root,
        notebook_key=nb_key, render_keys=render_keys, git_commit=ctx.commit,
        force=request.force)


def plan(request: MultiBuildRequest, project: project_mod.Project,
         prints: dict[str, str]) -> list[EditionJob]:
    """One :class:`EditionJob` per requested edition with its step keys."""
    ctx = _context(request, project)
    return [_plan_one(ctx, e.slug, prints[e.slug]) for e in request.editions]


def is_current(job: EditionJob) -> bool:
    """True when ``OUT/<slug>`` was published from exactly this job's step keys."""
    folder = job.out_dir / job.slug
    try:
        record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {"notebooks": job.notebook_key,
              **{f"render-{f}": k for f, k in job.render_keys.items()}}
    return (record.get("cache_keys") == wanted
            and all((folder / f"report.{f}").is_file() for f in job.formats))


class LocalPool:
    """A pool of spawned worker processes that start (and warm up) at once; jobs can be
    submitted while the parent is still planning."""

    def __init__(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=_worker_init, initargs=(os.getpid(),))
        for _ in range(workers):  # each submission while none is idle starts a worker
            self.pool.submit(_noop)
        self.manager = context.Manager()
        self.events = self.manager.Queue()
        self.pending: dict = {}
        self.early: list[JobResult] = []

    def submit(self, job: EditionJob) -> None:
        """Queue ``job`` on the workers."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            self.pending[self.pool.submit(run_job, job, self.events)] = job
        except BrokenProcessPool as exc:
            self.early.append(JobResult(job.slug, "failed", failed_step="worker",
                                        message=f"the worker pool is broken: {exc}",
                                        log="(no log: no worker could start)"))

    def wait(self, progress: Progress, on_result: Callable[[JobResult], None]) -> None:
        """Show progress until every submitted job is done; report each result."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        for result in self.early:
            on_result(result)
        while self.pending:
            done, _ = wait(self.pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(self.events, progress)
            for future in done:
                job = self.pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    result = JobResult(job.slug, "failed", failed_step="worker",
                                       message=f"the worker process died: {exc}",
                                       log="(no log: the worker process died)")
                on_result(result)
        _drain(self.events, progress)

    def close(self) -> None:
        """Stop the workers (their kernels stop with them) and the event queue."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.manager.shutdown()


class _Direct:
    """Stage events straight to the display (jobs run in this process)."""

    def __init__(self, progress: Progress):
        self.progress = progress

    def put(self, event: tuple[str, str]) -> None:
        self.progress.update(*event)


def _worker_init(parent: int) -> None:
    """Worker initialiser: exit (taking the kernel with it) as soon as the parent is gone,
    so a build killed with SIGKILL leaves no worker writing behind it; then warm up (start
    the kernel with the heavy imports, import the renderer) while the parent plans."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(70)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()
    try:
        from inequalities.build import notebooks

        notebooks.session().warm()
        from inequalities.build import engine_pandoc

        engine_pandoc._vega_bundle()
    except Exception:  # noqa: BLE001 - warming is an optimisation; the job reports errors
        pass


def _noop() -> None:
    """A task that makes the pool start a worker."""


def _drain(events, progress: Progress) -> None:
    while True:
        try:
            slug, stage = events.get_nowait()
        except (queue.Empty, EOFError, OSError):
            return
        progress.update(slug, stage)


def _run_dask(jobs: list[EditionJob], scheduler: str, progress: Progress,
              on_result: Callable[[JobResult], None]) -> None:
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for job in jobs:
            future = client.submit(run_job, job, None, pure=False,
                                   key=f"edition-{job.slug}-{os.getpid()}-{time.time_ns()}")
            futures[future] = job
            progress.update(job.slug, "submitted")
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its edition only
                result = JobResult(job.slug, "failed", failed_step="worker",
                                   message=f"the Dask task failed: {exc}",
                                   log="(no log: the Dask worker was lost)")
            on_result(result)


def run_editions(request: MultiBuildRequest, stream=None) -> list[JobResult]:
    """Build the requested editions (see the module docstring); return one result each."""
    from inequalities.build.publish import recover

    stream = stream or sys.stdout
    project = project_mod.load()
    with _Lock(request.out_dir):
        for line in recover(request.out_dir):
            print(f"recovered: {line}", file=stream)
        cache = StepCache(request.cache_dir or default_root(request.out_dir))
        cache.clean()
        progress = Progress([e.slug for e in request.editions], stream=stream)
        progress.start()
        for slug in progress.stages:
            progress.update(slug, "data")
        # Work is likely when the data changed (or --force): start the workers now, so they
        # warm up while the data are loaded and fingerprinted here.
        ctx = _context(request, project)
        wanted = {e.slug for e in request.editions}
        workers = min(request.jobs, len(request.editions))
        pool = None
        if (request.executor == "local" and workers > 1
                and (request.force or not _fingerprints_known(request, cache))):
            pool = LocalPool(workers)
        submitted: set[str] = set()

        def submit_early(slug: str, fingerprint: str) -> None:
            if pool is not None and slug in wanted:
                job = _plan_one(ctx, slug, fingerprint)
                if request.force or not is_current(job):
                    pool.submit(job)
                    submitted.add(slug)

        try:
            prints = fingerprints(request, cache, on_print=submit_early)
            jobs = [_plan_one(ctx, e.slug, prints[e.slug]) for e in request.editions]
        except BaseException:
            if pool is not None:
                pool.close()
            raise
        results: dict[str, JobResult] = {}

        def finish(result: JobResult) -> None:
            results[result.slug] = result
            progress.update(result.slug, result.status)

        todo = []
        for job in jobs:
            if job.slug in submitted:
                continue
            if not request.force and is_current(job):
                finish(JobResult(job.slug, "reused"))
            else:
                todo.append(job)
        if todo and request.executor == "dask":
            _run_dask(todo, request.scheduler or "", progress, finish)
        elif todo and min(request.jobs, len(todo)) <= 1 and pool is None:
            # One at a time: no pool to start; this process's warm kernel does the work.
            events = _Direct(progress)
            for job in todo:
                finish(run_job(job, events))
        elif todo or pool is not None:
            pool = pool or LocalPool(min(request.jobs, len(todo)))
            try:
                for job in todo:
                    pool.submit(job)
                pool.wait(progress, finish)
            finally:
                pool.close()
        ordered = [results[e.slug] for e in request.editions]
        failed = {r.slug: f"step '{r.failed_step}'" for r in ordered if r.status == "failed"}
        record = provenance.record(root=project.root, edition=editions.get("england"),
                                   engine=jobs[0].engine, engine_versions=jobs[0].engine_versions,
                                   formats=request.formats, data_dir=request.data_dir,
                                   seed=request.seed, data_checksums={})
        build_line = (f"Built {record['build_date']} by inequalities {record['version']} "
                      f"(git {record['git_commit'][:12]}) with the {record['engine']} engine; "
                      f"Python {record['python']}; data: {record['data_dir']}.")
        site_index.write(request.out_dir, title=project.title, build_line=build_line,
                         failed=failed, slugs=[e.slug for e in request.editions])
    return ordered


def run(request: MultiBuildRequest) -> int:
    """Build, print the summary table; exit status 0, or 1 when any edition failed."""
    try:
        results = run_editions(request)
    except (OutputLocked, project_mod.ProjectError) as exc:
        print(f"inequalities build: {exc}", file=sys.stderr)
        return 1
    print(summary_table(results))
    print(f"wrote {request.out_dir / 'index.html'}")
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        print(f"inequalities build: edition {r.slug} failed at step '{r.failed_step}': "
              f"{r.message} (log: {r.log})", file=sys.stderr)
    return 1 if failed else 0


def parse_slugs(values: Iterable[str]) -> tuple[editions.Edition, ...]:
    """Editions named in comma-separated ``values`` (validated, duplicates dropped)."""
    slugs = [s.strip() for value in values for s in value.split(",") if s.strip()]
    return tuple(dict.fromkeys(editions.get(s) for s in slugs))
