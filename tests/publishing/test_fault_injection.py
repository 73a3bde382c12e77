"""Builds killed at random moments, then one more build: what readers get must equal a
clean build's, and nothing but the documented build-private entries may remain in OUT.

The real project on the demonstration data, England, HTML only. The clean reference is the
session's ``england_report`` (built in this process with HTML and PDF; its HTML, data
downloads, ledger and key figures do not depend on the other format). The killed builds
run as separate processes in their own process group, as a user's or a scheduler's would;
the kill moments are drawn from a seeded generator, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reports import EPOCH, ROOT

pytestmark = pytest.mark.render

#: What a finished build may leave in OUT besides the published editions and the index:
#: the build-private entries documented in docs/building.md.
PRIVATE = {".inequalities-output", ".lock", ".cache"}


def build_env() -> dict[str, str]:
    """Environment of a build subprocess: the real project, a fixed build date, no hooks."""
    env = dict(os.environ, INEQUALITIES_PROJECT=str(ROOT), SOURCE_DATE_EPOCH=EPOCH)
    for name in ("INEQUALITIES_TEST_PAUSE", "INEQUALITIES_VINTAGE"):
        env.pop(name, None)
    return env


def start_build(out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``inequalities build`` (England, HTML) in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england",
         "--format", "html", "--renderer", "pandoc", "--jobs", "1", "--out", str(out), *args],
        env=env or build_env(), cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def published_files(edition: Path) -> dict[str, bytes]:
    """What readers download from an edition folder, by relative path."""
    files = {}
    for pattern in ("data/*.csv", "key_figures/*.json", "report.html"):
        for path in sorted(edition.glob(pattern)):
            files[str(path.relative_to(edition))] = path.read_bytes()
    return files


def assert_only_private_leftovers(out: Path, slugs: set[str]) -> None:
    """OUT holds the editions, the index, the joined ledger and the private entries only."""
    names = {p.name for p in out.iterdir()}
    assert names == slugs | {"index.html", "statistics.csv"} | PRIVATE, sorted(names)
    tmp = out / ".cache" / ".tmp"
    assert not tmp.exists() or not list(tmp.iterdir()), list(tmp.iterdir())


def test_builds_killed_at_random_moments_then_a_build_equals_a_clean_one(england_report,
                                                                       tmp_path):
    reference = published_files(england_report)
    assert {"report.html", "data/statistics.csv"} <= set(reference)
    out = tmp_path / "site"
    rng = random.Random(14)
    kills = []
    # Up to 30 s each: an uncached England build on two busy cores takes 30-45 s, and a
    # build restoring cached notebooks under 10 s: kills land in every phase.
    for signum in (signal.SIGKILL, signal.SIGTERM, signal.SIGKILL):
        delay = rng.uniform(0.5, 30.0)
        proc = start_build(out)
        try:
            proc.wait(timeout=delay)
            kills.append(f"finished before {delay:.1f} s")
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signum)
            proc.wait()
            kills.append(f"{signal.Signals(signum).name} at {delay:.1f} s")
        proc.stderr.close()
    final = start_build(out)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, (kills, err.decode())
    assert published_files(out / "england") == reference, kills
    assert (out / "statistics.csv").read_bytes() == (
        england_report.parent / "statistics.csv").read_bytes()
    assert_only_private_leftovers(out, {"england"})


def _descendants(root: int) -> dict[int, str]:
    """Running descendants of process ``root``: pid -> start time (pids may be reused)."""
    children: dict[int, list[int]] = {}
    starts = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        starts[int(entry.name)] = fields[19]
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found[pid] = starts[pid]
        todo.extend(children.get(pid, []))
    return found


def _alive(pid: int, start: str) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[19] == start and fields[0] != "Z"


def test_killing_the_parent_of_a_pool_build_leaves_no_process_and_no_kernel_files(project,
                                                                                 tmp_path):
    import tempfile
    import time

    short = Path(tempfile.mkdtemp(prefix="ineq-t-", dir="/tmp"))  # socket paths stay short
    try:
        (short / "tmp").mkdir()
        (short / "runtime").mkdir()
        env = dict(os.environ, TMPDIR=str(short / "tmp"),
                   JUPYTER_RUNTIME_DIR=str(short / "runtime"))
        marker = tmp_path / "paused"
        args = [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england,london",
                "--format", "html", "--renderer", "pandoc", "--jobs", "2",
                "--out", str(tmp_path / "site")]
        proc = subprocess.Popen(args, env=dict(env, INEQUALITIES_TEST_PAUSE="cache-put",
                                               INEQUALITIES_TEST_PAUSE_FILE=str(marker)),
                                start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the build never reached cache-put"
        time.sleep(0.5)  # the other worker's kernel is up too
        family = _descendants(proc.pid)
        assert len(family) >= 4, family  # two workers, their kernels, the resource tracker
        assert list((short / "tmp").glob("inequalities-tmp-kernel-*"))
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, not its group
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(p, s) for p, s in family.items()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p, s in family.items() if _alive(p, s)], "processes outlived the build"
        assert list((short / "tmp").glob("inequalities-tmp-kernel-*"))  # left by the kill
        done = subprocess.run(args, env=env, capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr.decode()
        assert "recovered: removed the kernel folder" in done.stdout.decode()
        assert not list((short / "tmp").iterdir()), list((short / "tmp").iterdir())
        assert not list((short / "runtime").iterdir())
        assert_only_private_leftovers(tmp_path / "site", {"england", "london"})
    finally:
        import shutil

        shutil.rmtree(short, ignore_errors=True)
