"""Benchmark of inequalities.methods: throughput, ratio to plain loops and to PHStatsMethods.

    .venv/bin/python benchmarks/bench_methods.py   # full run (peer on 1,000,000 rows: minutes)
    .venv/bin/python benchmarks/bench_methods.py --peer-rows 20000 --sii-groups 1000

Prints rows per second, the ratio to a plain row-by-row Python loop of the same formula,
and, where PHStatsMethods (optional ``bench`` extra) has the method, its time on the same
rows, whether its limits agree with ours, and the speed-up. SII runs in a child process so
its peak memory is measured on its own. Threads are pinned to 2 (the target machine).
Nothing here asserts a time: it prints.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from inequalities.methods import proportion, rate, sii  # noqa: E402
from inequalities.methods._confidence import exact_lower, exact_upper  # noqa: E402

SEED = 20240607


def make_rows(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    den = rng.integers(20, 200_000, n)
    # at least one event: PHStatsMethods rejects zero counts for rates
    num = np.maximum(rng.binomial(den, rng.uniform(0.0001, 0.3, n)), 1)
    return pd.DataFrame({"id": np.arange(n), "num": num, "den": den})


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def loop_wilson(num, den, z=1.959963984540054):
    out = []
    for x, n in zip(num, den, strict=True):
        root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
        out.append(
            (
                x / n,
                (2 * x + z * z - root) / 2 / (n + z * z),
                (2 * x + z * z + root) / 2 / (n + z * z),
            )
        )
    return out


def loop_rate(num, den, z=1.959963984540054, multiplier=100_000):
    out = []
    for x, n in zip(num, den, strict=True):
        if x < 10:
            lo, hi = (
                float(exact_lower(np.array([x]), 0.95)[0]),
                float(exact_upper(np.array([x]), 0.95)[0]),
            )
        else:
            lo = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
            x1 = x + 1
            hi = x1 * (1 - 1 / (9 * x1) + z / (3 * math.sqrt(x1))) ** 3
        out.append((x / n * multiplier, lo / n * multiplier, hi / n * multiplier))
    return out


def report(name, rows, seconds, loop_rows, loop_seconds):
    ours = rows / seconds
    loop = loop_rows / loop_seconds
    print(
        f"{name:<11} {rows:>9,} rows  {seconds:8.3f} s  {ours:14,.0f} rows/s  "
        f"plain loop {loop:10,.0f} rows/s  ratio {ours / loop:8.1f}x"
    )
    return ours


def peer(name, frame, ours_rate, ours_frame, fn_name, multiplier):
    try:
        import PHStatsMethods as phs
    except ImportError:
        print(f"{name:<11} PHStatsMethods not installed (pip install '.[bench]'): skipped")
        return
    fn = getattr(phs, fn_name)
    out, seconds = timed(fn, frame, "num", "den", multiplier=multiplier)
    mine = ours_frame.iloc[: len(frame)]
    agree = np.allclose(
        out["lower_95_ci"].to_numpy(float), mine["lower"].to_numpy(), rtol=1e-9, atol=0
    ) and np.allclose(
        out["upper_95_ci"].to_numpy(float), mine["upper"].to_numpy(), rtol=1e-9, atol=0
    )
    theirs = len(frame) / seconds
    print(
        f"{name:<11} PHStatsMethods {fn_name} on {len(frame):,} rows: {seconds:8.2f} s "
        f"({theirs:,.0f} rows/s); limits agree (rtol 1e-9): {agree}; "
        f"speed-up {ours_rate / theirs:,.0f}x"
    )


def bench_rows(args):
    frame = make_rows(args.rows)
    num, den = frame["num"].to_numpy(), frame["den"].to_numpy()
    loop_n = min(args.loop_rows, args.rows)

    out_p, t_p = timed(proportion, frame["num"], frame["den"])
    _, t_lp = timed(loop_wilson, num[:loop_n].tolist(), den[:loop_n].tolist())
    rate_p = report("proportion", args.rows, t_p, loop_n, t_lp)
    if args.peer_rows:
        peer("proportion", frame.iloc[: args.peer_rows], rate_p, out_p, "ph_proportion", 1)

    out_r, t_r = timed(rate, frame["num"], frame["den"])
    _, t_lr = timed(loop_rate, num[:loop_n].tolist(), den[:loop_n].tolist())
    rate_r = report("rate", args.rows, t_r, loop_n, t_lr)
    if args.peer_rows:
        peer("rate", frame.iloc[: args.peer_rows], rate_r, out_r, "ph_rate", 100_000)


def sii_frame(groups: int, deciles: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    n = groups * deciles
    frame = pd.DataFrame(
        {
            "group": np.repeat(np.arange(groups), deciles),
            "decile": np.tile(np.arange(1, deciles + 1), groups),
            "pop": rng.integers(5_000, 20_000, n).astype(float),
        }
    )
    frame["le"] = 75 + np.tile(np.linspace(0, 6, deciles), groups) + rng.normal(0, 1, n)
    frame["se"] = rng.uniform(0.2, 2.0, n)
    frame["p"] = rng.uniform(0.1, 0.3, n)
    frame["lo"], frame["up"] = frame["p"] - 0.01, frame["p"] + 0.012
    return frame


def loop_sii_group(sub: pd.DataFrame, reps: int, rng) -> tuple[float, float]:
    """OHID's algorithm for one group, one repetition at a time (the plain loop)."""
    a = sub["pop"].to_numpy() / sub["pop"].sum()
    b = np.cumsum(a) - a / 2
    x = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    solve = np.linalg.solve(x.T @ x, x.T)
    slopes = []
    for _ in range(reps):
        y = rng.normal(sub["le"].to_numpy(), sub["se"].to_numpy()) * np.sqrt(a)
        slopes.append((solve @ y)[1])
    slopes.sort()
    return slopes[int(round(reps * 0.025)) - 1], slopes[int(round(reps * 0.975)) - 1]


def bench_sii(args):
    frame = sii_frame(args.sii_groups)
    kind = dict(
        le=dict(value="le", se="se"),
        proportion=dict(value="p", lower="lo", upper="up", value_type=2),
    )
    kw = kind[args.sii_kind]
    start = time.perf_counter()
    out = sii(
        frame,
        quantile="decile",
        population="pop",
        by="group",
        repetitions=args.reps,
        seed=SEED,
        rii=True,
        **kw,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB on Linux
    assert out["sii"].notna().all()
    line = (
        f"sii ({args.sii_kind}) {args.sii_groups:,} groups x 10 deciles x {args.reps:,} reps: "
        f"{seconds:7.2f} s, "
        f"peak RSS {peak:5.2f} GiB, {args.sii_groups / seconds:8.1f} groups/s"
    )
    if args.sii_kind == "le":
        rng = np.random.default_rng(SEED)
        n_loop = 3
        start = time.perf_counter()
        for g in range(n_loop):
            loop_sii_group(frame[frame["group"] == g], args.reps, rng)
        per_group = (time.perf_counter() - start) / n_loop
        ratio = (args.sii_groups / seconds) * per_group
        line += f"; plain loop {1 / per_group:6.2f} groups/s; ratio {ratio:8.0f}x"
    print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--loop-rows", type=int, default=200_000, help="rows for the plain-loop baseline"
    )
    parser.add_argument(
        "--peer-rows", type=int, default=1_000_000, help="rows for PHStatsMethods (0: skip)"
    )
    parser.add_argument("--sii-groups", type=int, default=1_000)
    parser.add_argument("--reps", type=int, default=100_000)
    parser.add_argument("--sii-kind", choices=["le", "proportion"], default="le")
    parser.add_argument("--only", choices=["rows", "sii"], default=None)
    parser.add_argument(
        "--all-sii", action="store_true", help="also time SII for proportions (value_type 2)"
    )
    args = parser.parse_args(argv)
    print(
        f"threads pinned to {os.environ['OMP_NUM_THREADS']}; "
        f"numpy {np.__version__}; pandas {pd.__version__}"
    )
    if args.only == "sii":
        bench_sii(args)
        return
    if args.only in (None, "sii") and args.sii_groups:
        kinds = ["le", "proportion"] if args.all_sii else ["le"]
        for kind in kinds:
            cmd = [
                sys.executable,
                os.path.abspath(__file__),
                "--only",
                "sii",
                "--sii-groups",
                str(args.sii_groups),
                "--reps",
                str(args.reps),
                "--sii-kind",
                kind,
            ]
            result = subprocess.run(cmd, check=True, capture_output=True, text=True)
            print(result.stdout.strip().splitlines()[-1])
    if args.only in (None, "rows"):
        bench_rows(args)


if __name__ == "__main__":
    main()
