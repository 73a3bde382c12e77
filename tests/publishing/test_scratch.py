"""Owned temporary folders: the sweep removes only folders this program made whose owner
is gone, and nothing else in the temporary folder (issue 14)."""

import subprocess
import sys

import pytest

from inequalities.publishing import scratch

pytestmark = pytest.mark.unit


def _made_by_a_process_that_ended(root) -> str:
    code = ("import os, sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
            "from inequalities.publishing import scratch\n"
            "print(scratch.make('kernel').name); os._exit(0)")
    return subprocess.run([sys.executable, "-c", code, str(root)], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_sweep_removes_a_dead_owners_folder_and_nothing_else(tmp_path, monkeypatch):
    import tempfile

    dead = _made_by_a_process_that_ended(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    alive = scratch.make("kernel")  # held by this process
    foreign = tmp_path / "inequalities-tmp-notes"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious")
    lookalike = tmp_path / "inequalities-tmp-kernel-1-abc"  # a pid, but not our owner file
    lookalike.mkdir()
    (lookalike / ".owner").write_text("someone else's\n")
    other = tmp_path / "unrelated"
    other.mkdir()
    try:
        assert scratch.sweep(tmp_path) == [dead]
        assert not (tmp_path / dead).exists()
        assert (foreign / "thesis.txt").read_text() == "precious"
        assert (lookalike / ".owner").exists() and other.exists()
        assert alive.exists() and alive.parent == tmp_path
    finally:
        scratch.remove(alive)
