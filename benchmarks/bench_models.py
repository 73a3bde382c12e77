"""Benchmark: every model of inequalities.models for all ten editions on England-sized data.

Simulated data (``simulate_areas``: 32,844 small areas, 296 local authorities, three
periods for the trend model). For each edition (England, then the nine regions) every
model is fitted on that edition's slice, and the time per model and per edition is
printed, with each edition's share of the England time. Target: a few seconds per
edition on 2 cores. Not a test: nothing is asserted.

    .venv/bin/python benchmarks/bench_models.py [--areas 32844] [--repeat 1]
"""

from __future__ import annotations

import os

# One BLAS thread: the design matrices are tall and thin (about 33,000 x 10-90), where
# multi-threaded BLAS gains little and, on 2 shared cores, loses several-fold to
# contention (measured: England 2.9 s with one thread vs 5-11 s with the default under
# load). Set before numpy is imported; override from the environment to compare.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import time  # noqa: E402

import pandas as pd  # noqa: E402

from inequalities.models import (  # noqa: E402
    access_rates,
    access_ratios,
    adjusted_rates,
    gap_trend,
    lowest_access_share,
    multilevel,
    rate_ratios,
    simulate_areas,
)
from inequalities.models.simulate import REGIONS  # noqa: E402

try:
    from inequalities.methods import sii as _sii  # noqa: F401

    from inequalities.models import gradients

    HAVE_SII = True
except ImportError:
    HAVE_SII = False


def models_for(edition: str, frame: pd.DataFrame, trend_frame: pd.DataFrame, england):
    national = edition == "england"
    region_adjust = ["region_code"] if national else []
    cells = ["urban_rural", "imd_quintile"] + (["region_code"] if national else [])
    deaths = {"count": "deaths", "population": "population"}
    jobs = {
        "rate_ratios urban/rural+coastal": lambda: rate_ratios(
            frame,
            **deaths,
            exposure=["urban_rural", "coastal"],
            adjust=["imd_decile", "pct_65_plus", *region_adjust],
        ),
        "rate_ratios rurality classes": lambda: rate_ratios(
            frame,
            **deaths,
            exposure="rurality_code",
            adjust=["coastal", "C(imd_decile)", "pct_65_plus", *region_adjust],
        ),
        "rate_ratios rurality x area": lambda: rate_ratios(
            frame,
            **deaths,
            exposure="urban_rural",
            adjust=["coastal", "imd_decile", "pct_65_plus"],
            within="region_code" if national else "lad_code",
        ),
        "multilevel life expectancy": lambda: multilevel(
            frame,
            outcome="life_expectancy",
            exposure=["urban_rural", "coastal"],
            adjust=["imd_decile", *region_adjust],
        ),
        "adjusted_rates cells": lambda: adjusted_rates(
            frame, **deaths, groups=cells, adjust=["pct_65_plus"]
        ),
        "access_rates": lambda: access_rates(
            frame, workforce="gp_fte", population="population", need="need_population"
        ),
        "access_ratios": lambda: access_ratios(
            frame, workforce="gp_fte", population="need_population", adjust=["imd_decile"]
        ),
        "lowest_access_share": lambda: lowest_access_share(
            england, access="gp_per_100k", population="population", by="region_code"
        ),
        "gap_trend (3 periods)": lambda: gap_trend(
            trend_frame, **deaths, period="period", adjust=["coastal", "imd_decile", "pct_65_plus"]
        ),
    }
    if HAVE_SII:
        jobs["gradients (SII)"] = lambda: gradients(
            frame,
            quantile="imd_decile",
            population="population",
            count="deaths",
            repetitions=10_000,
        )
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=32_844)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    trend = simulate_areas(args.areas, 296, periods=3, seed=2026, rural_trend=0.98).frame
    england = trend[trend["period"] == 2].reset_index(drop=True).copy()
    # Declared levels: editions without rural areas (London) get flagged rows, not errors.
    for data in (trend, england):
        data["urban_rural"] = pd.Categorical(data["urban_rural"], categories=["Urban", "Rural"])
    england["gp_per_100k"] = england["gp_fte"] / england["population"] * 1e5
    print(f"BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']} (OPENBLAS_NUM_THREADS)")
    print(f"simulate {len(england):,} areas x 3 periods: {time.perf_counter() - start:.2f} s")
    editions = [("england", None)] + [
        (name.lower().replace(" ", "-"), code) for code, name in REGIONS
    ]
    totals = {}
    rows = []
    for edition, code in editions:
        frame = england if code is None else england[england["region_code"] == code]
        trend_frame = trend if code is None else trend[trend["region_code"] == code]
        edition_time = 0.0
        for name, job in models_for(edition, frame, trend_frame, england).items():
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                job()
                best = min(best, time.perf_counter() - t0)
            rows.append((edition, name, best))
            edition_time += best
        totals[edition] = (len(frame), edition_time)
    width = max(len(name) for _, name, _ in rows)
    for edition, (n, seconds) in totals.items():
        print(
            f"\n{edition} ({n:,} areas): {seconds:.2f} s "
            f"({seconds / totals['england'][1]:.2f} x England)"
        )
        for ed, name, seconds_model in rows:
            if ed == edition:
                print(f"  {name:<{width}}  {seconds_model:6.3f} s")
    all_time = sum(s for _, s in totals.values())
    print(
        f"\nall ten editions: {all_time:.2f} s; mean per edition {all_time / len(totals):.2f} s"
        f"; SII {'included' if HAVE_SII else 'skipped (inequalities.methods.sii not available)'}"
    )


if __name__ == "__main__":
    main()
