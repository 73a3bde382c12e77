"""CPU seconds of each notebook's code for some editions, in one warm Python process.

    .venv/bin/python benchmarks/profile_notebooks.py --data ../shared/data \
        --editions icb-somerset,north-east,england [--repeats 2] [--profile DIR]

Runs the code cells of every ``analysis/*.ipynb`` in an IPython shell (so charts render
through the report's renderer, as in a kernel), with the parameters a build injects and
``%reset -f`` between notebooks, after loading the data and England's comparators once
(as a worker's kernel has them after its first edition). Prints ``time.process_time``
per edition and notebook (all threads, so vl-convert's work counts), the lowest of the
repeats; ``--profile DIR`` also writes a cProfile file per notebook (slower). Notebook
outputs go to temporary folders. See docs/building.md, "Per-edition profiling".
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import tempfile
import time
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="", help="data folder (default: demonstration)")
    parser.add_argument("--editions", default="icb-somerset,north-east,england")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="folder for cProfile files")
    args = parser.parse_args()
    data = str(Path(args.data).resolve()) if args.data else ""
    shell = InteractiveShell.instance()
    shell.run_cell("import pandas, numpy, altair, statsmodels.api\n"
                   "import inequalities.report.charts, inequalities.report.outputs\n"
                   "from inequalities.topics.edition import load as _load\n"
                   f"_load('england', {data!r} or None)\n")
    notebooks = sorted((ROOT / "analysis").glob("*.ipynb"))
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.repeats):
        for edition in args.editions.split(","):
            out = Path(tempfile.mkdtemp(prefix=f"profile-{edition}-"))
            for notebook in notebooks:
                cells = [c for c in json.loads(notebook.read_text())["cells"]
                         if c["cell_type"] == "code"]
                os.chdir(out)
                shell.run_line_magic("reset", "-f")
                profile = cProfile.Profile() if args.profile else None
                start = time.process_time()
                if profile:
                    profile.enable()
                for cell in cells:
                    with contextlib.redirect_stdout(io.StringIO()):  # not silent: render
                        result = shell.run_cell("".join(cell["source"]))
                    if "parameters" in (cell.get("metadata", {}).get("tags") or []):
                        shell.run_cell(f"edition = {edition!r}\ndata_dir = {data!r}\n"
                                       f"output_dir = {str(out)!r}\nseed = 20240101\n")
                    result.raise_error()
                if profile:
                    profile.disable()
                    args.profile.mkdir(parents=True, exist_ok=True)
                    profile.dump_stats(args.profile / f"{edition}-{notebook.stem}.prof")
                seconds = time.process_time() - start
                key = (edition, notebook.stem)
                best[key] = min(seconds, best.get(key, seconds))
    for edition in args.editions.split(","):
        rows = {n: s for (e, n), s in best.items() if e == edition}
        for name, seconds in rows.items():
            print(f"{edition:24s} {name:16s} {seconds:6.2f}")
        print(f"{edition:24s} {'total':16s} {sum(rows.values()):6.2f}")


if __name__ == "__main__":
    main()
