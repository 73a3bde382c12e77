"""Cold vs warm ``inequalities.data.load`` of the real national files (or the demo).

Cold: an empty cache, so every source CSV is read, hashed and assembled, and the parquet
cache is written. Warm: the same call again, which hashes nothing (size/mtime memo) and
reads four parquet files. Prints the times and the cold/warm ratio.

    .venv/bin/python benchmarks/bench_data.py [DATA_DIR]   # default ../shared/data
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from inequalities.data import load


def main(argv: list[str]) -> int:
    repo = Path(__file__).resolve().parents[1]
    default = repo.parent / "shared" / "data"
    if not default.is_dir():
        default = Path("/work/shared/data")
    data_dir = Path(argv[0]) if argv else default
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        ds = load(data_dir, cache_dir=cache)
        cold = time.perf_counter() - start
        warm_times = []
        for _ in range(3):
            start = time.perf_counter()
            load(data_dir, cache_dir=cache)
            warm_times.append(time.perf_counter() - start)
    warm = min(warm_times)
    print(f"data: {data_dir} ({len(ds.areas):,} areas, {len(ds.indicators):,} indicator rows)")
    print(f"cold load: {cold:.2f} s   warm load: {warm:.3f} s   cold/warm ratio: "
          f"{cold / warm:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
