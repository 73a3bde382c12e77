"""Stopping a build on Ctrl-C (SIGINT) or SIGTERM: one line, exit 128 + signal number.

A signal usually reaches the whole process group, so the notebook kernel may die of it
before this process notices; the notebook step then fails with "kernel died". To tell an
interruption from a failure whatever arrives first, the handler records the signal here,
and :func:`inequalities.publishing.worker.run_job` and the runner check
:func:`received` before reporting a failure: an interrupted edition is not moved to
``OUT/.failed`` and the site index is not rewritten; its build folder is removed (or, after
SIGKILL, by the next build's recovery).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal; ``signum`` says which (exit 128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_status(self) -> int:
        """The shell's convention: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def received() -> int | None:
    """The signal that stopped this build, or None."""
    return _received[-1] if _received else None


def _handle(signum, frame) -> None:
    _received.append(signum)
    raise Interrupted(signum)


def check() -> None:
    """Raise :class:`Interrupted` if a stopping signal was received."""
    if _received:
        raise Interrupted(_received[-1])


@contextmanager
def handled() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (and are recorded);
    the previous handlers are restored on exit. Only the main thread can install them."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
