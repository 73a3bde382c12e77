"""Ctrl-C and SIGTERM stop a build with one line and the shell's exit status (130, 143),
publish nothing half-made, report no edition as failed, and the next build succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.render


def _start(out, tmp_path, point="cache-put"):
    marker = tmp_path / "paused"
    env = dict(os.environ, INEQUALITIES_TEST_PAUSE=point,
               INEQUALITIES_TEST_PAUSE_FILE=str(marker))
    proc = subprocess.Popen(
        [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england,london",
         "--format", "html", "--renderer", "pandoc", "--jobs", "1", "--out", str(out)],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), proc.stderr.read().decode() if proc.poll() is not None else "timeout"
    return proc


@pytest.mark.parametrize(("point", "signum", "status", "name"), [
    # After a notebook, where nbclient had reset both signals to their defaults: the
    # build died of SIGTERM with no message and left its build folder.
    ("notebook-done", signal.SIGTERM, 143, "SIGTERM"),
    ("notebook-done", signal.SIGINT, 130, "Ctrl-C"),
    ("cache-put", signal.SIGTERM, 143, "SIGTERM"),
])
def test_a_signal_stops_the_build_with_one_line(project, tmp_path, point, signum, status, name):
    out = tmp_path / "site"
    proc = _start(out, tmp_path, point)
    os.killpg(proc.pid, signum)  # as a terminal (Ctrl-C) or a service manager does
    _, err = proc.communicate(timeout=60)
    lines = err.decode().splitlines()
    assert proc.returncode == status, lines
    assert len(lines) == 1 and lines[0].startswith(f"inequalities: interrupted by {name};"), lines
    assert not (out / ".failed").exists()  # an interruption is no failed edition
    assert not list(out.glob(".build-*")) and not (out / "england").exists()
    assert not (out / "index.html").exists()  # the index is not rewritten half-way
    done = subprocess.run(
        [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england,london",
         "--format", "html", "--renderer", "pandoc", "--jobs", "1", "--out", str(out)],
        env={k: v for k, v in os.environ.items() if k != "INEQUALITIES_TEST_PAUSE"},
        capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert (out / "england" / "report.html").is_file() and (out / "index.html").is_file()
