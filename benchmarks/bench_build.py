"""Benchmark ``inequalities build --all`` against the naive way; prints ratios.

Measured once each, on this machine, with the real project (analysis/*.ipynb, chapters/)
and a private copy of the real data (../shared/data, or $INEQUALITIES_BENCH_DATA):

* naive: each edition in turn, papermill each notebook in its own kernel, then render
  HTML and PDF, no cache (the build path with one edition at a time, ``--force``, an empty
  cache each time and a fresh kernel per notebook);
* full: ``inequalities build --all --force --jobs N`` with an empty step cache;
* unchanged: the same command again, nothing changed;
* one region: after changing one North East small area's population in the data copy.

Targets on 2 cores: naive / full >= 2, unchanged / full < 5 %, one region / full < 25 %.

    .venv/bin/python benchmarks/bench_build.py [--jobs N] [--format html,pdf]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("INEQUALITIES_BENCH_DATA", ROOT.parent / "shared" / "data"))

NAIVE = """
import sys, tempfile
from pathlib import Path
from inequalities.data import editions
from inequalities.publishing import runner
from inequalities.publishing.plan import BuildRequest
out, data, formats = Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3].split(","))
for edition in editions.EDITIONS:
    with tempfile.TemporaryDirectory() as cache:  # no cache: each edition from scratch
        runner.run_editions(BuildRequest(
            editions=(edition,), formats=formats, renderer="pandoc", data_dir=data,
            out_dir=out, seed=20240101, jobs=1, force=True, cache_dir=Path(cache),
            fresh_kernels=True), stream=open("/dev/null", "w"))
"""


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def _change_one_region(data: Path) -> None:
    """Add one person aged 0 to the first North East LSOA (E01011949, Hartlepool)."""
    path = data / "population_lsoa11_mid2019.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    code, total, age0 = (header.index(c) for c in ("lsoa11_code", "total_population", "age_0"))
    row = next(r for r in rows[1:] if r[code] == "E01011949")
    row[total] = str(int(row[total]) + 1)
    row[age0] = str(int(row[age0]) + 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", default="html,pdf")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(DATA, data)
        env = dict(os.environ, INEQUALITIES_PROJECT=str(ROOT), SOURCE_DATE_EPOCH="1700000000",
                   INEQUALITIES_CACHE=str(tmp / "cache"))
        # Warm-up: the data layer's parquet cache and Python's bytecode, shared by both ways.
        _timed([python, "-c", f"from inequalities.data import load; load({str(data)!r})"], env)
        build = [python, "-m", "inequalities.cli", "build", "--all", "--renderer", "pandoc",
                 "--format", args.format, "--jobs", str(args.jobs), "--out", str(tmp / "site"),
                 "--data", str(data)]
        naive = None
        if not args.skip_naive:
            naive = _timed([python, "-c", NAIVE, str(tmp / "naive"), str(data), args.format], env)
        full = _timed([*build, "--force"], env)
        unchanged = _timed(build, env)
        _change_one_region(data)
        one_region = _timed(build, env)
    print(f"editions: 10, formats: {args.format}, jobs: {args.jobs}, cores: {os.cpu_count()}")
    if naive is not None:
        print(f"naive (each edition in turn, no cache): {naive:7.1f} s")
    print(f"full build --all --force:               {full:7.1f} s")
    print(f"rebuild, nothing changed:               {unchanged:7.1f} s")
    print(f"rebuild, one region's data changed:     {one_region:7.1f} s")
    if naive is not None:
        print(f"(a) naive / full          = {naive / full:5.2f}x   (target >= 2x)")
    print(f"(b) unchanged / full      = {unchanged / full:6.1%}   (target < 5%)")
    print(f"(c) one region / full     = {one_region / full:6.1%}   (target < 25%)")


if __name__ == "__main__":
    main()
