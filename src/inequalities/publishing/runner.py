"""Run a planned build: lock, recover, run the jobs, publish, summarise.

``inequalities build`` comes here for one edition as for all (``--edition a,b``, ``--all``):

1. lock the output folder (one build at a time per folder) and undo what a killed build
   left behind (:func:`inequalities.publishing.publish.recover`, stale cache temporaries);
2. plan (:mod:`inequalities.publishing.plan`): fingerprints, step keys, and which editions
   are already published from exactly those keys (``reused`` untouched);
3. run the other jobs (:func:`inequalities.publishing.worker.run_job`): one edition in this
   process's warm kernel, several in a local process pool (default) or on a Dask cluster
   (``--executor dask --scheduler ADDRESS``); each job takes cached steps from the step
   cache, fills it with the steps it ran, and publishes its edition atomically;
4. write ``OUT/index.html`` and print the summary table; exit status 1 if any edition
   failed (the others are still published).
"""

from __future__ import annotations

import fcntl
import os
import queue
import sys
import time
from collections.abc import Callable
from pathlib import Path

from inequalities.data import editions, folders
from inequalities.data.manifest import ManifestError
from inequalities.data.readers import SourceError
from inequalities.publishing import project as project_mod
from inequalities.publishing import interrupt, provenance, scratch, site_index
from inequalities.publishing.cache import StepCache, default_root
from inequalities.publishing.plan import (BuildRequest, DataNotValid, _context,
                                          _fingerprints_known, _plan_one, fingerprints,
                                          is_current, notebook_names, verify_data)
from inequalities.publishing.progress import Progress, summary_table
from inequalities.publishing.worker import EditionJob, JobResult, notebooks_cached, run_job


class OutputLocked(RuntimeError):
    """Another build is writing to the same output folder."""


class _Lock:
    def __init__(self, out_dir: Path):
        folders.claim(folders.check_destination(out_dir, folders.OUTPUT_MARKER, "--out"),
                      folders.OUTPUT_MARKER)
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


class LocalPool:
    """A pool of spawned worker processes that start (and warm up) at once; jobs can be
    submitted while the parent is still planning."""

    def __init__(self, workers: int, *, warm: bool = True):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        # A plain queue the workers inherit (no manager process, which would outlive a
        # parent killed with SIGKILL, nor its socket folder).
        self.events = context.Queue()
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=_worker_init,
                                        initargs=(os.getpid(), self.events, warm,
                                                  render_threads(workers)))
        for _ in range(workers):  # each submission while none is idle starts a worker
            self.pool.submit(_noop)
        self.pending: dict = {}
        self.early: list[JobResult] = []

    def submit(self, job: EditionJob) -> None:
        """Queue ``job`` on the workers."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            self.pending[self.pool.submit(_run_pooled, job)] = job
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

    def close(self, *, now: bool = False) -> None:
        """Stop the workers (their kernels stop with them) and the event queue; ``now``
        (the build was interrupted) terminates them instead of letting running jobs end."""
        if now:
            for process in list((self.pool._processes or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.events.close()
        self.events.join_thread()
        if now:  # a terminated worker could not remove its kernel's folder; it is dead now
            scratch.sweep()


class _Direct:
    """Stage events straight to the display (jobs run in this process)."""

    def __init__(self, progress: Progress):
        self.progress = progress

    def put(self, event: tuple[str, str]) -> None:
        self.progress.update(*event)


_EVENTS = None  # in a worker: the pool's event queue


def _run_pooled(job: EditionJob) -> JobResult:
    """Run ``job`` in a pool worker, sending stage events to the parent."""
    return run_job(job, _EVENTS)


def render_threads(workers: int) -> int:
    """Threads each of ``workers`` workers gives Typst (``RAYON_NUM_THREADS``): its share
    of the machine's cores, at least one.

    Typst lays out and writes a PDF on every core. With as many workers as cores those
    threads only compete with the other workers' work, and one thread writes the same
    bytes with about a fifth less CPU (0.51-0.64 -> 0.39-0.49 CPU-s a report, measured on
    three real editions, 2026-11-29).
    """
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _worker_init(parent: int, events, warm: bool = True, threads: int | None = None) -> None:
    """Worker initialiser: exit (taking the kernel with it) as soon as the parent is gone,
    so a build killed with SIGKILL leaves no worker writing behind it; give Typst its
    share of the cores (:func:`render_threads`, unless the user set
    ``RAYON_NUM_THREADS``); then warm up (start the kernel with the heavy imports, import
    the renderer) while the parent plans."""
    import signal
    import threading

    global _EVENTS
    _EVENTS = events
    if threads is not None:
        os.environ.setdefault("RAYON_NUM_THREADS", str(threads))
    # Ctrl-C reaches the whole process group: the parent alone handles it (one line, exit
    # 130) and terminates the workers, which would otherwise each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(70)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()
    try:
        from multiprocessing.util import Finalize

        from inequalities.publishing import notebooks

        # A pool worker ends without running atexit: shut its kernel down (and remove the
        # kernel's folder) from multiprocessing's own exit hook instead.
        Finalize(None, notebooks.close_sessions, exitpriority=10)

        if warm:  # else the kernel starts with the first notebook, if any runs
            notebooks.session().warm()
        from inequalities.publishing import engine_pandoc

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


def run_editions(request: BuildRequest, stream=None) -> list[JobResult]:
    """Build the requested editions (see the module docstring); return one result each."""
    stream = stream or sys.stdout
    project = project_mod.load()
    note = provenance.pin_build_date(project.root)  # before the workers start: they inherit it
    if note:
        print(note, file=stream)
    # When work is likely (--force, or data whose fingerprints were never computed), the
    # workers start first: spawning them and warming their kernels (imports) takes seconds
    # that now overlap validating, loading and fingerprinting the data here. They write
    # nothing in OUT until they are given a job, which needs valid data.
    pool = _early_pool(request, project)
    try:
        return _run_editions(request, project, stream, pool)
    except BaseException:
        if pool is not None:
            pool.close(now=True)
        raise


def _early_pool(request: BuildRequest, project: project_mod.Project) -> LocalPool | None:
    """A :class:`LocalPool` started now, or None: one edition, ``--jobs 1``, Dask, or every
    requested edition's fingerprints already known (a rebuild that is likely to reuse)."""
    workers = min(request.jobs, len(request.editions))
    if request.executor != "local" or workers <= 1:
        return None
    cache = StepCache(request.cache_dir or default_root(request.out_dir))
    if not request.force and _fingerprints_known(request, cache, notebook_names(project)):
        return None
    return LocalPool(workers)


def _run_editions(request: BuildRequest, project, stream, pool: LocalPool | None
                  ) -> list[JobResult]:
    from inequalities.publishing.publish import published_by_us, recover

    unverified = tuple(verify_data(request))  # before anything is written
    with _Lock(request.out_dir):
        for line in recover(request.out_dir):
            print(f"recovered: {line}", file=stream)
        for name in scratch.sweep():
            print(f"recovered: removed the kernel folder {name} of a killed build", file=stream)
        foreign = [e.slug for e in request.editions if (request.out_dir / e.slug).exists()
                   and not published_by_us(request.out_dir / e.slug)]
        if foreign:  # refused before any work, not at publishing time
            raise folders.UnsafeDestination(
                f"{', '.join(str(request.out_dir / slug) for slug in foreign)} exist(s) and "
                "were not published by inequalities; move them away or choose another --out "
                "folder (nothing was changed)")
        cache = StepCache(request.cache_dir or default_root(request.out_dir))
        cache.clean()
        progress = Progress([e.slug for e in request.editions], stream=stream)
        progress.start()
        for slug in progress.stages:
            progress.update(slug, "data")
        ctx = _context(request, project, unverified)
        wanted = {e.slug for e in request.editions}
        submitted: set[str] = set()
        # Editions found published from exactly their keys while the fingerprints were
        # computed: checking again would hash their files a second time (about 1 s for 59).
        current: set[str] = set()

        def submit_early(slug: str, found: dict[str, str]) -> None:
            if pool is not None and slug in wanted:
                job = _plan_one(ctx, slug, found)
                if request.force or not is_current(job):
                    pool.submit(job)
                    submitted.add(slug)
                else:
                    current.add(slug)

        prints = fingerprints(request, notebook_names(project), cache,
                              on_print=submit_early)
        jobs = [_plan_one(ctx, e.slug, prints[e.slug]) for e in request.editions]
        results: dict[str, JobResult] = {}

        def finish(result: JobResult) -> None:
            results[result.slug] = result
            progress.update(result.slug, result.status)

        todo = []
        for job in jobs:
            if job.slug in submitted:
                continue
            if not request.force and (job.slug in current or is_current(job)):
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
            # Started only now, the rebuild is likely to restore every notebook step from
            # the cache (a chapter's wording changed): a kernel would then only cost its
            # start and imports, about 5 s of both cores, so none is warmed.
            pool = pool or LocalPool(min(request.jobs, len(todo)), warm=any(
                job.force or not notebooks_cached(job, cache) for job in todo))
            try:
                for job in todo:
                    pool.submit(job)
                pool.wait(progress, finish)
            except BaseException:  # Ctrl-C or SIGTERM: stop the workers, not wait for them
                pool.close(now=True)
                raise
            pool.close()
        interrupt.check()  # a kernel killed by the same signal is no failed edition
        ordered = [results[e.slug] for e in request.editions]
        failed = {r.slug: f"step '{r.failed_step}'" for r in ordered if r.status == "failed"}
        record = provenance.record(root=project.root, edition=editions.get("england"),
                                   engine=jobs[0].engine, engine_versions=jobs[0].engine_versions,
                                   formats=request.formats, data_dir=request.data_dir,
                                   seed=request.seed, data_checksums={})
        build_line = (f"Built {record['build_date']} by inequalities {record['version']} "
                      f"(git {record['git_commit'][:12]}) with the {record['engine']} engine; "
                      f"Python {record['python']}; data: {record['data_dir']}.")
        write_statistics(request.out_dir)
        site_index.write(request.out_dir, title=project.title, build_line=build_line,
                         failed=failed, slugs=[e.slug for e in request.editions])
    return ordered


def write_statistics(out_dir: Path) -> Path | None:
    """Write ``OUT/statistics.csv``: every published edition's ledger rows
    (``OUT/<slug>/data/statistics.csv``, reused editions included) with an ``edition``
    column first, editions in registry order. Returns the path, or None when no edition
    has a ledger (the stale file, if any, is removed).

    Each edition's file is already in the ledger's CSV form (:func:`ledger.to_csv`), so its
    records are copied as they are behind the edition's slug, through the same CSV dialect
    pandas writes with: nothing is parsed into numbers and formatted again, which took
    about 7 s for 59 editions. A file with other columns is read and written the long way.
    """
    import csv

    from inequalities.report import ledger

    published = [(edition.slug, path) for edition in editions.EDITIONS
                 for path in [out_dir / edition.slug / "data" / "statistics.csv"]
                 if path.is_file()]
    target = out_dir / "statistics.csv"
    if not published:
        target.unlink(missing_ok=True)
        return None
    tmp = out_dir / f".statistics.csv.{os.getpid()}.tmp"
    try:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["edition", *ledger.COLUMNS])
            for slug, path in published:
                with path.open(encoding="utf-8", newline="") as handle:
                    records = csv.reader(handle)
                    if next(records, None) != ledger.COLUMNS:
                        records = _formatted_records(ledger.read(path))
                    writer.writerows([slug, *record] for record in records)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _formatted_records(table):
    """A ledger table's rows as :func:`ledger.to_csv` writes their cells."""
    from inequalities.report import ledger

    return (list(map(ledger.csv_cell, row))
            for row in table[ledger.COLUMNS].itertuples(index=False, name=None))


def run(request: BuildRequest) -> int:
    """Build, print the summary table; exit status 0, or 1 when any edition failed."""
    try:
        with interrupt.handled():  # SIGTERM stops the build as Ctrl-C does
            results = run_editions(request)
    except (folders.UnsafeDestination, DataNotValid, ManifestError, SourceError) as exc:
        print(f"inequalities build: {exc}", file=sys.stderr)
        return 2
    except (OutputLocked, project_mod.ProjectError) as exc:
        print(f"inequalities build: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the output folder read-only, the disk full, no Dask scheduler
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"inequalities build: {exc.strerror or exc}{where}; check that the --out and "
              "--cache folders are writable with free space (and, with --executor dask, "
              "that the scheduler is reachable)", file=sys.stderr)
        return 1
    print(summary_table(results))
    for result in results:
        if result.status != "failed":
            for fmt in request.formats:
                print(f"wrote {request.out_dir / result.slug / ('report.' + fmt)}")
    print(f"wrote {request.out_dir / 'index.html'}")
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        print(f"inequalities build: edition {r.slug} failed at step '{r.failed_step}': "
              f"{r.message} (log: {r.log})", file=sys.stderr)
    return 1 if failed else 0
