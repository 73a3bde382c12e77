"""Benchmark ``inequalities build --all`` (all 59 editions) against the naive way.

Every figure comes from one run of this script, on this machine, with the real project
(analysis/*.ipynb, chapters/, _quarto.yml: a private copy) and a private copy of the real
data (../shared/data, or $INEQUALITIES_BENCH_DATA). Runs:

* naive: each edition in turn, papermill each notebook in its own fresh kernel, then
  render HTML and PDF, no cache (measured last; the build path with one edition at a time, ``--force``,
  an empty step cache each time and ``fresh_kernels``). All 59 editions take about an hour
  on a loaded 2-core machine, so by default a sample is measured: ``--naive-editions N``
  editions spread over the four sets (England, ONS regions, NHS England regions, ICBs),
  and the 59-edition time is *estimated* as the sum over the sets of (editions in the set)
  x (mean seconds of the set's sampled editions). ``--naive-editions 59`` measures all.
* full: ``inequalities build --all --force`` with an empty step cache (and no data caches);
* unchanged: the same command again (without ``--force``), nothing changed;
* one ICB: one small area's IMD 2025 score raised by 0.001 in the data copy (Telford and
  Wrekin 007A, E01014102, in the smallest ICB, Shropshire, Telford and Wrekin). England's
  edition, its NHS England region (Midlands) and its ONS region (West Midlands) contain
  the area too, so four editions must rebuild; the data copy carries its own
  ``manifest.toml`` (the shipped ``shared.toml``) whose checksum is updated, as a real
  data update would. (A population count would not do: see ``ICB_FILE``.) Each notebook
  re-runs only when what it declares it reads changes (``inequalities.topics.reads``): of
  the four editions' notebooks, those reading the small areas' IMD score, and provenance;
* one ICB, an indicator (informational, no target): then the same area's years of
  potential life lost indicator raised by 0.001, a value in the indicators table that
  most notebooks read, so most of the four editions' notebooks re-run;
* one chapter: a sentence of chapters/08-trends.qmd reworded in the project copy: every
  edition re-renders, and the build logs must show that no notebook ran;
* memory: the peak, during the full build, of the summed resident memory (RSS, and PSS
  which shares pages fairly) of the build process and all its descendants (workers,
  kernels, renderers), RSS sampled from /proc every 0.2 s, PSS every 2 s (reading it
  walks each process's page tables and slowed the build it measured).

Targets (issue #17): naive / full >= 8x; unchanged < 1 % of full; one ICB < 10 %; one
chapter < 15 %; peak memory < 6 GiB. For each figure the script prints what dominates it,
from the build logs' per-notebook and per-step timings.

    .venv/bin/python benchmarks/bench_build.py [--jobs 2] [--format html,pdf]
        [--naive-editions N | --skip-naive] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("INEQUALITIES_BENCH_DATA", ROOT.parent / "shared" / "data"))
GIB = 1024 ** 3

#: The changed small area (LSOA 2011 = LSOA 2021, unchanged boundary) and the editions
#: that contain it.
ICB_AREA = "E01014102"
ICB_EDITIONS = ("england", "west-midlands", "nhs-midlands", "icb-shropshire-telford-and-wrekin")
#: A file of the current vintage. Not a population count: a file of the previous vintage
#: (population_lsoa11_mid2019) moves every edition's fingerprint (each compares itself with
#: the previous vintage), and one more resident in Census 2021's age file moves England's
#: comparator census_age_adjustment (printed to 6 decimals), so every edition as well.
ICB_FILE = ("imd2025_lsoa21.csv", "IMD_score")
#: A second, informational change to the same small area (no target): its years of
#: potential life lost indicator, a value in the indicators table that most notebooks
#: read, where the IMD score is read by few (each notebook is re-run only when what it
#: declares it reads changes; see inequalities.topics.reads).
ICB_INDICATOR = ("imd2025_lsoa21_indicators.csv", "years_of_potential_life_lost_indicator")
CHAPTER = "chapters/08-trends.qmd"
SENTENCE = ("The question every edition must answer is whether gaps are closing.",
            "Every edition must answer one question: are the gaps closing?")

NAIVE = """
import json, sys, tempfile, time
from pathlib import Path
from inequalities.data import editions
from inequalities.publishing import runner
from inequalities.publishing.plan import BuildRequest
out, data, formats = Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3].split(","))
seconds = {}
for slug in sys.argv[4].split(","):
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:  # no cache: each edition from scratch
        results = runner.run_editions(BuildRequest(
            editions=(editions.get(slug),), formats=formats, renderer="pandoc",
            data_dir=data, out_dir=out, seed=20240101, jobs=1, force=True,
            cache_dir=Path(cache), fresh_kernels=True), stream=open("/dev/null", "w"))
    assert all(r.status == "built" for r in results), results
    seconds[slug] = time.perf_counter() - started
    print(json.dumps({slug: seconds[slug]}), file=sys.stderr, flush=True)
print(json.dumps(seconds))
"""


# --- measuring ------------------------------------------------------------------------------

def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc/*/stat."""
    children = collections.defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children[ppid].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


PAGE = os.sysconf("SC_PAGE_SIZE")


def _memory(pid: int, pss: bool = False) -> tuple[int, int, str]:
    """(RSS, PSS) in bytes and a short name of one process; zeros when it is gone.

    RSS comes from ``/proc/PID/statm`` (the kernel's counters, cheap). PSS (0 unless ``pss``)
    needs ``smaps_rollup``, which walks the process's page tables under its memory-map lock:
    for the 2 GiB workers, read five times a second, that slowed the build being measured.
    """
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text() if pss else ""
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, IndexError, ValueError):
        return 0, 0, ""
    fields = dict(re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M))
    text = b" ".join(cmd).decode(errors="replace")
    exe = Path(cmd[0].decode(errors="replace")).name
    name = ("build (parent)" if "inequalities.cli" in text else
            "kernel" if "ipykernel" in text else
            "worker" if "multiprocessing" in text and "spawn" in text else
            exe or "?")
    return rss, int(fields.get("Pss", 0)) * 1024, name


class Sampler(threading.Thread):
    """Samples the summed RSS and PSS of a process tree until stopped; keeps the peaks."""

    def __init__(self, pid: int, every: float = 0.2, pss_every: int = 10):
        super().__init__(daemon=True)
        self.pid, self.every, self.pss_every = pid, every, pss_every
        self.peak_rss = self.peak_pss = 0
        self.at_peak: list[tuple[str, int]] = []
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            # RSS every sample; PSS (costly to read, see _memory) every pss_every-th
            pss = self.samples % self.pss_every == 0
            procs = [_memory(p, pss) for p in _tree(self.pid)]
            rss = sum(p[0] for p in procs)
            self.samples += 1
            if rss > self.peak_rss:
                self.peak_rss = rss
                self.at_peak = sorted(((n, r) for r, _, n in procs if r), key=lambda x: -x[1])
            self.peak_pss = max(self.peak_pss, sum(p[1] for p in procs))
            self.stop.wait(self.every)


def _run(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, str, Sampler]:
    """Run ``cmd`` (niced like everything else here), sampling its tree's memory."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, text=True)
        sampler = Sampler(process.pid)
        sampler.start()
        code = process.wait()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    text = log.read_text()
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{text[-4000:]}")
    return seconds, text, sampler


# --- what the build logs say ----------------------------------------------------------------

def _results(stdout: str) -> dict[str, tuple[str, str, float]]:
    """The summary table: slug -> (status, steps, seconds)."""
    from inequalities.data import editions

    slugs = set(editions.slugs())
    rows = {}
    for line in stdout.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 4 and parts[0] in slugs:
            rows[parts[0]] = (parts[1], parts[2], float(parts[3]))
    return rows


def _logs(out: Path, slugs) -> dict[str, str]:
    return {s: (out / s / "logs" / "build.log").read_text(encoding="utf-8") for s in slugs}


def _timings(logs: dict[str, str]) -> dict[str, object]:
    """Per-edition notebook-step and render seconds, per-notebook totals, and which
    notebooks ran in each edition (the others were restored from the cache)."""
    step, render, per_nb, ran = {}, collections.Counter(), collections.Counter(), {}
    for slug, text in logs.items():
        names = dict(re.findall(r"notebook (\d+)/\d+: (\S+)", text))
        ran[slug] = [name.removesuffix(".ipynb") for name in names.values()]
        for number, secs in re.findall(r"notebook (\d+)/\d+ done in ([\d.]+) s", text):
            per_nb[names.get(number, number)] += float(secs)
        found = re.search(r"notebooks done in ([\d.]+) s", text)
        if found:
            step[slug] = float(found.group(1))
        for fmt, secs in re.findall(r"rendered (\w+) \([^)]*\) in ([\d.]+) s", text):
            render[fmt] += float(secs)
    return {"step": step, "render": render, "per_nb": per_nb, "ran": ran}


def _top(counter, n=3) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in collections.Counter(counter).most_common(n))


def _profile(text: str) -> str:
    """The heaviest of a few telling functions in a ``cProfile -s cumtime`` listing."""
    wanted = ("run_editions", "verify_data", "validate_dir", "_data_state", "fingerprints",
              "_context", "is_current", "files_intact", "write_statistics", "write")
    found = {}
    for line in text.splitlines():
        parts = line.split()
        match = re.search(r"\((\w+)\)$", line.strip())
        if len(parts) >= 6 and match and match.group(1) in wanted and match.group(1) not in found:
            found[match.group(1)] = float(parts[3])
    return ", ".join(f"{k} {v:.2f} s" for k, v in found.items())


# --- changes --------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _change_one_icb(data: Path, change: tuple[str, str] = ICB_FILE) -> None:
    """Raise ``ICB_AREA``'s value in ``change`` (file, column; by default its IMD 2025
    score, a file of the current vintage) by 0.001 and update the data copy's manifest
    checksum."""
    name, column = change
    path = data / name
    old = _sha256(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    code, score = (rows[0].index(c) for c in ("lsoa21_code", column))
    row = next(r for r in rows[1:] if r[code] == ICB_AREA)
    row[score] = f"{float(row[score]) + 0.001:.3f}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    manifest = data / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the manifest does not list {name}'s checksum"
    manifest.write_text(text.replace(old, _sha256(path)), encoding="utf-8")


def _change_chapter(project: Path) -> None:
    path = project / CHAPTER
    text = path.read_text(encoding="utf-8")
    assert text.count(SENTENCE[0]) == 1, f"the sentence to reword is not in {CHAPTER}"
    path.write_text(text.replace(*SENTENCE), encoding="utf-8")


def _sample(n: int) -> list[str]:
    """``n`` editions spread over the sets: England and one edition of each other set, the
    rest shared out in proportion to the sets' sizes (largest remainder); each set's
    editions are taken evenly spaced through its list."""
    from inequalities.data import editions

    sets = {s: editions.in_set(s) for s in editions.SETS}
    n = max(len(sets), min(n, len(editions.EDITIONS)))
    wanted = {s: 1 for s in sets}
    while sum(wanted.values()) < n:
        room = {s: len(m) * n / len(editions.EDITIONS) - wanted[s]
                for s, m in sets.items() if wanted[s] < len(m)}
        wanted[max(room, key=room.get)] += 1
    chosen = []
    for s, k in wanted.items():
        members = sets[s]
        chosen += [members[(2 * j + 1) * len(members) // (2 * k)].slug for j in range(k)]
    return chosen


# --- the benchmark --------------------------------------------------------------------------

def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", default="html,pdf")
    parser.add_argument("--naive-editions", type=int, default=8, metavar="N",
                        help="measure the naive way on N editions spread over the sets and "
                             "estimate the 59 (default 8; 59 measures all)")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip", default="", metavar="RUNS",
                        help="comma-separated runs not to measure: icb, indicator, chapter, "
                             "profile")
    parser.add_argument("--keep", type=Path, help="work in DIR (kept) instead of a temporary")
    parser.add_argument("--resume", action="store_true",
                        help="with --keep DIR of an earlier run whose full build finished "
                             "(DIR/full.json: its seconds and timings): put the data and "
                             "chapter back, rebuild from the step cache (not timed), then "
                             "measure the other runs")
    args = parser.parse_args()

    from inequalities.data import editions

    python = sys.executable
    n_all = len(editions.EDITIONS)
    with contextlib.ExitStack() as stack:
        if args.keep and args.resume:
            tmp = args.keep.resolve()
        elif args.keep:
            tmp = args.keep.resolve()
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-build-")))
        data, project, site = tmp / "data", tmp / "project", tmp / "site"
        from inequalities.data.manifest import shipped_manifests

        if args.resume:  # the data and chapters as the full build had them
            for path in DATA.rglob("*"):
                if path.is_file():
                    shutil.copyfile(path, data / path.relative_to(DATA))
            shutil.copytree(ROOT / "chapters", project / "chapters", dirs_exist_ok=True)
        else:
            shutil.copytree(DATA, data)
            for path in [data, *data.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)  # the shared copy is read-only
            project.mkdir()
            shutil.copy(ROOT / "_quarto.yml", project)
            for folder in ("analysis", "chapters"):
                shutil.copytree(ROOT / folder, project / folder)
        shutil.copy(shipped_manifests()["shared"], data / "manifest.toml")
        for path in data.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        # Private data-layer caches (parsed sources, tables) under the work folder; the
        # step cache is the build's default, OUT/.cache.
        env = dict(os.environ, INEQUALITIES_PROJECT=str(project),
                   SOURCE_DATE_EPOCH="1700000000", XDG_CACHE_HOME=str(tmp / "xdg-cache"))
        env.pop("INEQUALITIES_CACHE", None)
        logs = tmp / "logs"
        logs.mkdir(exist_ok=True)
        print(f"work folder {tmp}; logs in {logs}", flush=True)
        # Warm-up, shared by both ways: Python's bytecode and the data layer's parsed files.
        if not args.resume:
            _run([python, "-c", f"from inequalities.data import load; load({str(data)!r})"],
                 env, logs / "warmup.log")
        build = [python, "-m", "inequalities.cli", "build", "--all", "--renderer", "pandoc",
                 "--format", args.format, "--jobs", str(args.jobs), "--out", str(site),
                 "--data", str(data)]

        resumed = None
        if args.resume:
            resumed = json.loads((tmp / "full.json").read_text())
            full, full_mem, full_logs = resumed["seconds"], None, {}
            _run(build, env, logs / "reset.log")  # back to the full build's state
            print(f"full: {full:.1f} s (resumed from {tmp / 'full.json'})", flush=True)
        else:
            full, full_out, full_mem = _run([*build, "--force"], env, logs / "full.log")
            print(f"full: {full:.1f} s", flush=True)
            full_logs = _logs(site, editions.slugs())
            (tmp / "full.json").write_text(json.dumps({"seconds": full}))
        unchanged, unchanged_out, _ = _run(build, env, logs / "unchanged.log")
        print(f"unchanged: {unchanged:.1f} s", flush=True)
        def rebuild(name: str, change) -> tuple[float, object, list[str], dict[str, str]]:
            """Apply ``change``, rebuild, and return the seconds, the memory sampler, the
            editions built and their logs."""
            change()
            seconds, out, mem = _run(build, env, logs / f"{name.replace(' ', '-').lower()}.log")
            print(f"{name}: {seconds:.1f} s", flush=True)
            built = sorted(s for s, r in _results(out).items() if r[0] == "built")
            return seconds, mem, built, _logs(site, built)

        icb = indicator = chapter = None
        if "icb" not in args.skip:
            icb, icb_mem, icb_built, icb_logs = rebuild("one ICB", lambda: _change_one_icb(data))
        if "indicator" not in args.skip:
            indicator, _, indicator_built, indicator_logs = rebuild(
                "one ICB indicator", lambda: _change_one_icb(data, ICB_INDICATOR))
        if "chapter" not in args.skip:
            chapter, chapter_mem, chapter_built, chapter_logs = rebuild(
                "one chapter", lambda: _change_chapter(project))
        naive = naive_note = None
        naive_seconds: dict[str, float] = {}
        if not args.skip_naive:
            sample = _sample(args.naive_editions)
            print(f"naive: {len(sample)} edition(s): {', '.join(sample)}", flush=True)
            _, text, _ = _run([python, "-c", NAIVE, str(tmp / "naive"), str(data), args.format,
                               ",".join(sample)], env, logs / "naive.log")
            naive_seconds = next(found for line in reversed(text.splitlines())
                                 if line.startswith("{")
                                 for found in [json.loads(line)] if len(found) == len(sample))
            if len(sample) == n_all:
                naive, naive_note = sum(naive_seconds.values()), f"measured, all {n_all}"
            else:
                naive = 0.0
                parts = []
                for s in editions.SETS:
                    size = len(editions.in_set(s))
                    got = [v for k, v in naive_seconds.items() if editions.get(k).set == s]
                    naive += size * sum(got) / len(got)
                    parts.append(f"{size} x {sum(got) / len(got):.1f} s ({s}, {len(got)} "
                                 "measured)")
                naive_note = (f"ESTIMATE from {len(sample)} measured editions: "
                              + " + ".join(parts))
            print(f"naive: {naive:.1f} s ({naive_note})", flush=True)

        profile = ""
        if "profile" not in args.skip:
            # what the unchanged rebuild spends its time on: one profiled repeat (not timed)
            _run([python, "-m", "cProfile", "-s", "cumtime", "-m", "inequalities.cli",
                  *build[3:]], env, logs / "unchanged-profile.log")
            profile = (logs / "unchanged-profile.log").read_text()


    # --- report ----------------------------------------------------------------------------
    fmts = args.format
    print()
    print(f"editions: {n_all}, formats: {fmts}, jobs: {args.jobs}, cores: {os.cpu_count()}, "
          f"load average at end: {os.getloadavg()[0]:.2f} (the machine is shared: timings "
          "are noisy; compare the ratios)")
    rows = []

    def row(name, seconds, ratio, target, ok, dominates):
        rows.append((name, seconds, ratio, target, "PASS" if ok else "FAIL", dominates))

    if resumed is not None:
        print(f"(resumed: the full build's figures are {resumed.get('note', 'from full.json')})")
        t = {"step": {}, "render": {}, "per_nb": {}}
        full_dom = resumed.get("dominates", "")
    else:
        t = _timings(full_logs)
        work = sum(t["step"].values()) + sum(t["render"].values())
        full_dom = (f"notebooks {sum(t['step'].values()):.0f} s + render "
                    f"{sum(t['render'].values()):.0f} s of work over {args.jobs} workers "
                    f"({work / args.jobs:.0f} s at best); heaviest notebooks: "
                    f"{_top(t['per_nb'])}; heaviest editions: {_top(t['step'])}")
    if naive is not None:
        per = sum(naive_seconds.values()) / len(naive_seconds)
        row("naive", naive, f"naive/full = {naive / full:.2f}x", ">= 8x", naive / full >= 8,
            f"{naive_note}; {per:.1f} s per sampled edition: a fresh kernel, imports and data "
            f"load for each of its {len(list((ROOT / 'analysis').glob('*.ipynb')))} notebooks, "
            "one edition at a time on one core")
    row("full", full, "", "", True, full_dom)
    row("unchanged", unchanged, f"{unchanged / full:.1%}", "< 1%", unchanged / full < 0.01,
        "the parent alone (no worker starts); cumulative seconds of one profiled repeat: "
        + _profile(profile))
    if icb is not None:
        it = _timings(icb_logs)
        row("one ICB", icb, f"{icb / full:.1%}", "< 10%", icb / full < 0.10,
            f"rebuilt {len(icb_built)}: {', '.join(icb_built)} (expected {', '.join(ICB_EDITIONS)}); "
            f"notebook steps {_top(it['step'], 4)}; notebooks run (the others restored): "
            + "; ".join(f"{slug} {', '.join(names) or 'none'}"
                        for slug, names in it["ran"].items()))
    if indicator is not None:
        it = _timings(indicator_logs)
        row("one ICB, an indicator", indicator, f"{indicator / full:.1%}", "(none)", True,
            f"informational: {ICB_INDICATOR[1]} of the same small area; rebuilt "
            f"{len(indicator_built)}: {', '.join(indicator_built)}; notebook steps "
            f"{_top(it['step'], 4)}; notebooks run: "
            + "; ".join(f"{slug} {', '.join(names) or 'none'}"
                        for slug, names in it["ran"].items()))
    if chapter is not None:
        ct = _timings(chapter_logs)
        ran = [s for s, text in chapter_logs.items() if "notebooks done in" in text
               or "notebooks reused" not in text]
        row("one chapter", chapter, f"{chapter / full:.1%}", "< 15%",
            chapter / full < 0.15 and not ran,
            f"re-rendered {len(chapter_built)} editions, notebooks re-run in "
            f"{len(ran)} ({', '.join(ran) or 'none: every log says notebooks reused'}); render "
            + ", ".join(f"{k} {v:.0f} s" for k, v in ct["render"].items())
            + f" of work over {args.jobs} workers")
    if full_mem is not None:
        top = collections.Counter()
        for name, rss in full_mem.at_peak:
            top[name] += rss
        row("peak memory (full)", full_mem.peak_rss / GIB, "GiB (sum of RSS)", "< 6 GiB",
            full_mem.peak_rss < 6 * GIB,
            f"PSS sum (read every 2 s) {full_mem.peak_pss / GIB:.2f} GiB; at the peak "
            f"{len(full_mem.at_peak)} processes: "
            + ", ".join(f"{n} {v / GIB:.2f}" for n, v in top.most_common(4))
            + f" GiB ({full_mem.samples} samples)")
    for name, mem in (("peak memory (one ICB)", icb_mem if icb else None),
                      ("peak memory (chapter)", chapter_mem if chapter else None)):
        if mem is None:
            continue
        row(name, mem.peak_rss / GIB, "GiB (sum of RSS)", "< 6 GiB", mem.peak_rss < 6 * GIB,
            f"PSS sum (read every 2 s) {mem.peak_pss / GIB:.2f} GiB, {len(mem.at_peak)} processes at the peak")
    for name, seconds, ratio, target, ok, dominates in rows:
        unit = "" if name.startswith("peak") else " s"
        print(f"{name:<19} {seconds:8.2f}{unit:<2} {ratio:<22} {target:<7} {ok}")
        print(f"{'':<19} dominated by: {dominates}")
    print("\n| run | seconds | ratio | target | result | what dominates |\n|---|---|---|---|---|---|")
    for name, seconds, ratio, target, ok, dominates in rows:
        print(f"| {name} | {seconds:.2f} | {ratio} | {target} | {ok} | {dominates} |")


if __name__ == "__main__":
    main()
