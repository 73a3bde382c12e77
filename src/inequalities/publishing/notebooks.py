"""Execute the analysis notebooks for one edition with papermill.

Each notebook gets its parameters injected (edition slug, data folder, output folder,
seed), runs in its own kernel with the edition's build folder as working directory (so
parallel editions never share files), and is saved executed into ``BUILD/notebooks/``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from inequalities.publishing.cache import _pause
# Set in the kernel to the running notebook's stem: the edition's data are then cut to what
# the notebook declares it reads (inequalities.topics.reads), exactly what its key covers.
from inequalities.topics.reads import NOTEBOOK_ENV


class NotebookError(RuntimeError):
    """A notebook failed; the message names it and points at the saved executed copy."""


@dataclass(frozen=True)
class NotebookRun:
    """One notebook execution: where it came from and where the executed copy is."""

    source: Path
    executed: Path


def execute(
    notebooks: Iterable[Path],
    *,
    parameters: dict[str, object],
    build_dir: Path,
    progress: Callable[[str], None] = print,
    on_done: Callable[[NotebookRun], None] | None = None,
) -> list[NotebookRun]:
    """Run each notebook with ``parameters`` in a fresh kernel; return the executed copies.

    ``on_done(run)`` is called after each notebook. The kernel inherits this process's
    environment, with :data:`NOTEBOOK_ENV` naming the notebook.

    Raises:
        NotebookError: at the first notebook that fails (its executed copy, with the
            traceback in the failing cell, is kept for inspection).

    """
    import papermill

    out_dir = build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = list(notebooks)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    runs = []
    for number, source in enumerate(notebooks, start=1):
        target = out_dir / source.name
        progress(f"notebook {number}/{len(notebooks)}: {source.name}")
        before = os.environ.get(NOTEBOOK_ENV)
        os.environ[NOTEBOOK_ENV] = source.stem
        try:
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                cwd=str(build_dir),
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
        except papermill.PapermillExecutionError as exc:
            raise NotebookError(
                f"{source.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} "
                f"(the executed copy with the traceback is notebooks/{target.name} in the build "
                "folder)"
            ) from exc
        finally:
            if before is None:
                os.environ.pop(NOTEBOOK_ENV, None)
            else:
                os.environ[NOTEBOOK_ENV] = before
        runs.append(NotebookRun(source=source, executed=target))
        if on_done is not None:
            on_done(runs[-1])
    return runs


# --- One warm kernel per worker ------------------------------------------------------------
#
# Starting a kernel and importing pandas, statsmodels and altair costs about 3 s, more than
# most notebooks' work. A build of many editions therefore keeps one kernel per worker
# (process, or thread under Dask) and runs every notebook of every edition it is given in
# it. Before each notebook the kernel's namespace is cleared (``%reset -f``), its execution
# counter set back to 1 and its working directory set to the edition's build folder, so a
# notebook sees exactly what a fresh kernel would, except that imported modules are warm.
# Kernels talk over IPC sockets in a private folder per kernel, so parallel kernels never
# race for TCP ports or share connection files.

_PRELUDE = (  # chdir first: %reset reads the working directory, which may have moved
    "import os as _os\n_os.chdir({cwd!r})\n"
    "_os.environ.update({env_set!r})\n"
    "for _name in {env_unset!r}:\n    _os.environ.pop(_name, None)\n"
    "from inequalities.publishing.notebooks import reset_namespace as _reset\n"
    "_reset(get_ipython())\n"
    "get_ipython().execution_count = 1\n"
)


def reset_namespace(shell) -> None:
    """IPython's ``%reset -f`` (a hard reset of the user namespace, run in the kernel)
    without the two full garbage collections it forces.

    The magic calls :func:`gc.collect` twice, once in ``DisplayHook.flush`` and once at
    its end. In a warm kernel the heap holds pandas, statsmodels, Altair and the edition's
    data, so each pass costs about 0.15 s: 0.3 s a notebook, about 4 s an edition, a
    quarter of the kernel's time (py-spy of four ICB editions, 2026-11-28). What the reset
    clears is the same; unreachable objects are still freed, by reference counting at
    once and by Python's own collector when its thresholds say so. No result depends on
    when that happens.
    """
    import gc

    collect = gc.collect
    gc.collect = lambda generation=2: 0
    try:
        shell.run_line_magic("reset", "-f")
    finally:
        gc.collect = collect

#: Environment variables a notebook reads (where the data cache is), copied from this
#: process into the warm kernel before each notebook: the kernel may have been started
#: before the caller changed them.
KERNEL_ENV = ("INEQUALITIES_CACHE", "XDG_CACHE_HOME", "INEQUALITIES_VINTAGE")


def _prelude(cwd: Path, notebook: str) -> str:
    import os

    env_set = {name: os.environ[name] for name in KERNEL_ENV if name in os.environ}
    env_set[NOTEBOOK_ENV] = notebook
    env_unset = [name for name in KERNEL_ENV if name not in os.environ]
    return _PRELUDE.format(cwd=str(cwd), env_set=env_set, env_unset=env_unset)


#: What a worker's kernel imports ahead of the first notebook (the slow part of a start).
WARM_CODE = ("import pandas, numpy, altair, statsmodels.api\n"
             "import inequalities.report.charts, inequalities.topics.edition, inequalities.report.outputs\n"
             "import inequalities.publishing.notebooks\n"
             # The imported modules live as long as the kernel: keeping them out of the
             # collector's generations makes each later collection scan only new objects.
             "import gc\ngc.freeze()\n")


def _new_loop():
    """An event loop on which nobody may install signal handlers.

    nbclient installs SIGINT and SIGTERM handlers on the loop for each notebook: they shut
    the kernel down (the build then saw a "dead kernel", a failed edition, not an
    interruption) and, when the notebook ends, reset both signals to their defaults (a
    SIGTERM between two notebooks killed the build with no message). nbclient skips them
    when the loop refuses, as it does outside the main thread; the build handles both
    signals itself (:mod:`inequalities.publishing.interrupt`).
    """
    import asyncio

    class Loop(asyncio.SelectorEventLoop):
        def add_signal_handler(self, sig, callback, *args):
            raise RuntimeError("signals are handled by the build, not the kernel session")

        def remove_signal_handler(self, sig):
            raise RuntimeError("signals are handled by the build, not the kernel session")

    return Loop()


class KernelSession:
    """A kernel reused across notebooks and editions (one per worker thread)."""

    def __init__(self, timeout: int = 1800):
        self.loop = _new_loop()
        self.timeout = timeout
        self.km = None
        self.kc = None  # one client for the kernel's life: a new one costs 0.2 s a notebook
        self._socket_dir: Path | None = None

    async def _ensure_kernel(self, cwd: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager

        from inequalities.publishing import scratch

        if self.km is not None and await self.km.is_alive():
            return
        await self._shutdown()
        scratch.sweep()  # folders of kernels whose owner was killed
        # Sockets, connection file and the kernel's own output in one owned folder that
        # the next build removes if this process is killed (see publishing.scratch).
        self._socket_dir = scratch.make("kernel")
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                     ip=str(self._socket_dir / "k"),
                                     connection_file=str(self._socket_dir / "kernel.json"))
        log = open(self._socket_dir / "kernel.log", "ab")  # noqa: SIM115 - the kernel's
        try:
            # History in memory, as papermill does: nothing written to ~/.ipython per cell.
            # The kernel dies with this process (ipykernel polls its parent every second).
            await self.km.start_kernel(cwd=str(cwd), stdout=log, stderr=log,
                                       extra_arguments=["--HistoryManager.hist_file=:memory:"])
        finally:
            log.close()

    async def _client(self):
        """Return the kernel's client, started and ready (one per kernel)."""
        if self.kc is None:
            client = self.km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=120)
            self.kc = client
        return self.kc

    async def _shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                if await self.km.is_alive():
                    await self.km.shutdown_kernel(now=True)
            finally:
                await self.km.cleanup_resources()
                self.km = None
        if self._socket_dir is not None:
            from inequalities.publishing import scratch

            scratch.remove(self._socket_dir)
            self._socket_dir = None

    async def _run_one(self, source: Path, target: Path, parameters: dict[str, object],
                       cwd: Path) -> None:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError
        from papermill.parameterize import parameterize_notebook

        await self._ensure_kernel(cwd)
        nb = nbformat.read(str(source), as_version=4)
        for cell in nb.cells:  # papermill's loader does the same before parameterising
            cell.metadata.setdefault("tags", [])
        nb.metadata.setdefault("papermill", {})
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        for cell in nb.cells:  # papermill gives this cell a random id: builds must reproduce
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell["id"] = "injected-parameters"
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, record_timing=False,
                                kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
        # The session's client serves every notebook: nbclient keeps a client it was given
        # (it does not own the kernel manager) and reads only replies to its own requests.
        client.kc = await self._client()
        try:
            msg_id = client.kc.execute(_prelude(cwd, source.stem), silent=True,
                                       store_history=False)
            reply = await client.async_wait_for_reply(msg_id)
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                raise NotebookError(f"{source.name}: could not prepare the kernel for the "
                                    f"edition: {content.get('ename')}: {content.get('evalue')}")
            try:
                await client.async_execute()
            except CellExecutionError as exc:
                failed = next((i for i, cell in enumerate(nb.cells)
                               if any(o.get("output_type") == "error"
                                      for o in cell.get("outputs", []))), None)
                nbformat.write(nb, str(target))
                where = f"cell {failed + 1}" if failed is not None else "a cell"
                raise NotebookError(
                    f"{source.name} failed in {where}: {exc.ename}: {exc.evalue} (the executed "
                    f"copy with the traceback is notebooks/{target.name} in the build folder)"
                ) from exc
            except DeadKernelError as exc:
                nbformat.write(nb, str(target))
                self._keep_kernel_log(cwd)
                raise NotebookError(f"{source.name}: the kernel died ({exc}); the executed "
                                    f"copy is notebooks/{target.name}, the kernel's own "
                                    "output logs/kernel.log") from exc
        except BaseException:
            # After a timeout, a dead kernel or an interruption the client may hold replies
            # meant for the failed run: the next notebook starts with a fresh client.
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            raise
        nbformat.write(nb, str(target))

    def _keep_kernel_log(self, build_dir: Path) -> None:
        """Copy the kernel's own output (why it died) to ``BUILD/logs/kernel.log``."""
        import shutil

        if self._socket_dir is not None and (self._socket_dir / "kernel.log").is_file():
            (build_dir / "logs").mkdir(exist_ok=True)
            shutil.copyfile(self._socket_dir / "kernel.log", build_dir / "logs" / "kernel.log")

    def _run(self, coroutine):
        """Run ``coroutine`` on this session's loop and return its result.

        From code that is itself inside a running event loop (a Jupyter notebook,
        Playwright's sync API), this thread cannot run another loop, so the session's loop
        runs in a helper thread for the call instead.
        """
        import asyncio
        import threading

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.loop.run_until_complete(coroutine)
        outcome: dict[str, object] = {}

        def target() -> None:
            try:
                outcome["value"] = self.loop.run_until_complete(coroutine)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                outcome["error"] = exc

        helper = threading.Thread(target=target, name="kernel-session")
        helper.start()
        helper.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def execute(self, notebooks: Iterable[Path], *, parameters: dict[str, object],
                build_dir: Path, progress: Callable[[str], None] = print,
                on_done: Callable[[NotebookRun], None] | None = None) -> list[NotebookRun]:
        """Run each notebook in this session's kernel with ``parameters`` (see module
        notes); ``on_done(run)`` is called after each.

        Raises:
            NotebookError: at the first notebook that fails (its executed copy is kept).

        """
        out_dir = build_dir / "notebooks"
        out_dir.mkdir(parents=True, exist_ok=True)
        notebooks = list(notebooks)
        runs = []
        for number, source in enumerate(notebooks, start=1):
            target = out_dir / source.name
            progress(f"notebook {number}/{len(notebooks)}: {source.name}")
            started = time.perf_counter()
            self._run(self._run_one(source, target, parameters, build_dir.resolve()))
            progress(f"notebook {number}/{len(notebooks)} done in "
                     f"{time.perf_counter() - started:.1f} s")
            _pause("notebook-done")
            runs.append(NotebookRun(source=source, executed=target))
            if on_done is not None:
                on_done(runs[-1])
        return runs

    def warm(self, code: str = WARM_CODE) -> None:
        """Start the kernel now and run ``code`` (imports) so the first notebook starts warm.

        The namespace is cleared again before every notebook, so this changes no result.
        """
        import tempfile

        async def run() -> None:
            from jupyter_client.manager import AsyncKernelManager  # noqa: F401

            await self._ensure_kernel(Path(tempfile.gettempdir()))
            client = await self._client()
            await client.execute_interactive(code, store_history=False, timeout=300,
                                             output_hook=lambda msg: None)

        self._run(run())

    def close(self) -> None:
        """Shut the kernel down and release the event loop."""
        if not self.loop.is_closed():
            self._run(self._shutdown())
            self.loop.close()


_SESSIONS: dict[int, KernelSession] = {}


def session() -> KernelSession:
    """Return this thread's warm :class:`KernelSession` (created on first use)."""
    import atexit
    import threading

    ident = threading.get_ident()
    if ident not in _SESSIONS:
        if not _SESSIONS:
            atexit.register(close_sessions)
        _SESSIONS[ident] = KernelSession()
    return _SESSIONS[ident]


def close_sessions() -> None:
    """Shut down every kernel this process started."""
    while _SESSIONS:
        _, item = _SESSIONS.popitem()
        try:
            item.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
