"""Execute the analysis notebooks for one edition with papermill.

Each notebook gets its parameters injected (edition slug, data folder, output folder,
seed), runs in its own kernel with the edition's build folder as working directory (so
parallel editions never share files), and is saved executed into ``BUILD/notebooks/``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import papermill


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
) -> list[NotebookRun]:
    """Run each notebook with ``parameters``; return the executed copies.

    Raises:
        NotebookError: at the first notebook that fails (its executed copy, with the
            traceback in the failing cell, is kept for inspection).
    """
    out_dir = build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = list(notebooks)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    runs = []
    for number, source in enumerate(notebooks, start=1):
        target = out_dir / source.name
        progress(f"notebook {number}/{len(notebooks)}: {source.name}")
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
                f"(the executed copy with the traceback is notebooks/{target.name} in the build folder)"
            ) from exc
        runs.append(NotebookRun(source=source, executed=target))
    return runs
