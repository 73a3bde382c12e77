"""The progress display of a multi-edition build and its final summary table.

On a terminal each edition has one line that is redrawn in place as it moves through
its stages (queued, notebooks, render html, render pdf, publish, then built, reused or
failed). Elsewhere (CI logs, files) each change is printed as one plain line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import TextIO

from inequalities.publishing.worker import JobResult


class Progress:
    """Live per-edition stage display."""

    def __init__(self, slugs: Iterable[str], stream: TextIO | None = None,
                 tty: bool | None = None):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.stages = {slug: "queued" for slug in slugs}
        self.started = {slug: time.perf_counter() for slug in self.stages}
        self.width = max((len(s) for s in self.stages), default=7)
        self._drawn = 0

    def _line(self, slug: str) -> str:
        return f"  {slug:<{self.width}}  {self.stages[slug]}"

    def _draw(self) -> None:
        if self._drawn:
            self.stream.write(f"\x1b[{self._drawn}F")
        for slug in self.stages:
            self.stream.write("\x1b[2K" + self._line(slug) + "\n")
        self._drawn = len(self.stages)
        self.stream.flush()

    def start(self) -> None:
        """Show every edition as queued."""
        if self.tty:
            self._draw()

    def update(self, slug: str, stage: str) -> None:
        """Record that ``slug`` entered ``stage`` and show it."""
        if slug not in self.stages or self.stages[slug] == stage:
            return
        self.stages[slug] = stage
        if self.tty:
            self._draw()
        else:
            self.stream.write(f"[{slug}] {stage}\n")
            self.stream.flush()


def _steps(result: JobResult) -> str:
    if result.status == "reused":
        return "all steps unchanged"
    return ", ".join(f"{step} {how}" for step, how in result.steps.items()) or "-"


def summary_table(results: Iterable[JobResult]) -> str:
    """The end-of-build table: edition, result, steps run or cached, seconds; then failures."""
    results = list(results)
    rows = [("edition", "result", "steps", "time (s)")]
    rows += [(r.slug, r.status, _steps(r), f"{r.seconds:.1f}") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) if i < 3 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    counts = {status: sum(r.status == status for r in results)
              for status in ("built", "reused", "failed")}
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()))
    for r in results:
        if r.status == "failed":
            lines.append(f"edition {r.slug} failed at step '{r.failed_step}': {r.message} "
                         f"(log: {r.log})")
    return "\n".join(lines)
