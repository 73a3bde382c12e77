"""Replacing an older demonstration dataset: the old one is set aside, the new one renamed
in, the old one removed; a process killed between the renames loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from inequalities.data import demo
from inequalities.data.folders import DEMO_MARKER

pytestmark = pytest.mark.integration

KILLED_RUN = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from inequalities.data import demo

    def pause():
        Path(sys.argv[2]).write_text("paused")
        time.sleep(120)

    demo._between_renames = pause
    demo.generate(sys.argv[1], seed=7)
""")


def _older_dataset(folder):
    folder.mkdir()
    (folder / DEMO_MARKER).write_text("seed 7, layout 1\n")  # an earlier layout: replaced
    (folder / "old.csv").write_text("a\n1\n")


def test_killed_between_the_renames_then_recovered(tmp_path):
    dest = tmp_path / "demo"
    _older_dataset(dest)
    marker = tmp_path / "paused"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(dest), str(marker)])
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the generator never reached the replacement"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Killed between the renames: the old dataset is aside, the new one unfinished.
    assert not dest.exists()
    assert [p.name for p in tmp_path.glob(".demo.old-*")] == [f".demo.old-{proc.pid}"]
    assert list(tmp_path.glob(f".demo-{proc.pid}-*"))
    done = demo.recover(dest)
    assert done[0].startswith("removed the unfinished demonstration data .demo-")
    assert done[1:] == ["restored the demonstration data demo"]
    assert (dest / "old.csv").read_text() == "a\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "paused"]


def test_recovery_leaves_a_running_replacement_and_foreign_folders_alone(tmp_path):
    dest = tmp_path / "demo"
    _older_dataset(dest)
    running = tmp_path / f".demo.old-{os.getpid()}"  # this process is alive
    _older_dataset(running)
    foreign = tmp_path / ".demo.old-1x"
    foreign.mkdir()
    lookalike = tmp_path / ".demo-99999999-notes"  # named like an unfinished one, not ours
    lookalike.mkdir()
    (lookalike / "thesis.txt").write_text("precious")
    assert demo.recover(dest) == []
    assert running.is_dir() and foreign.is_dir() and (dest / "old.csv").is_file()
    assert (lookalike / "thesis.txt").read_text() == "precious"


def test_an_older_dataset_is_replaced_with_nothing_left_aside(tmp_path, monkeypatch):
    dest = tmp_path / "demo"
    _older_dataset(dest)
    seen = []
    monkeypatch.setattr(demo, "_between_renames", lambda: seen.append(sorted(
        p.name for p in tmp_path.iterdir() if not p.name.startswith(".demo-"))))
    demo.generate(dest, seed=7)
    assert seen == [[f".demo.old-{os.getpid()}"]]  # the old one aside, dest free
    assert demo.is_complete(dest, 7) and not (dest / "old.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
