"""``inequalities build``: argument parsing and validation.

Everything the user typed is checked here, before anything is created on disk, so that a
typo never leaves a half-made output folder behind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from inequalities.data import editions
from inequalities.data.folders import OUTPUT_MARKER, UnsafeDestination, check_destination

FORMATS = ("html", "pdf")
RENDERERS = ("auto", "quarto", "pandoc")
EXECUTORS = ("local", "dask")
_SCHEDULER = re.compile(r"(tcp|tls|inproc|ucx)://[A-Za-z0-9._\-\[\]:]+|[A-Za-z0-9._\-]+:[0-9]{1,5}")


class BuildUsageError(ValueError):
    """A build option that is not valid; the message lists the valid choices."""


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse ``"html,pdf"`` into an ordered tuple of unique, known formats."""
    items = [item.strip().lower() for item in text.split(",") if item.strip()]
    unknown = [item for item in items if item not in FORMATS]
    if unknown or not items:
        shown = ", ".join(repr(item) for item in unknown) or "nothing"
        raise BuildUsageError(
            f"unknown format {shown} in --format; choose from: {', '.join(FORMATS)} "
            "(comma-separated, for example --format html,pdf)"
        )
    return tuple(dict.fromkeys(items))


def validate(args: argparse.Namespace):
    """Turn parsed arguments into a :class:`~inequalities.publishing.plan.BuildRequest`
    (one edition, several or ``--all``: one path for all), or raise with one clear line."""
    all_ = getattr(args, "all", False)
    sets = getattr(args, "set", None)
    if all_ and (args.edition or sets):
        raise BuildUsageError("give either --all or --edition/--set, not both")
    if not all_ and not args.edition and not sets:
        raise BuildUsageError("say what to build: --edition SLUG (or a comma-separated list), "
                              "--set NAME (" + ", ".join(editions.SETS) + ") or --all; "
                              "list the editions with 'inequalities editions'")
    executor = getattr(args, "executor", "local")
    if executor not in EXECUTORS:
        raise BuildUsageError(f"unknown executor {executor!r}; choose one of: "
                              f"{', '.join(EXECUTORS)}")
    scheduler = getattr(args, "scheduler", None)
    if executor == "dask" and not scheduler:
        raise BuildUsageError("--executor dask needs --scheduler ADDRESS (for example "
                              "tcp://10.0.0.5:8786)")
    if scheduler and not _SCHEDULER.fullmatch(scheduler):
        raise BuildUsageError(f"--scheduler {scheduler!r} is not a Dask scheduler address; "
                              "write it as tcp://HOST:PORT")
    if args.seed < 0:
        raise BuildUsageError(f"--seed must be a non-negative integer (got {args.seed})")
    if args.renderer == "quarto" and not shutil.which("quarto"):
        raise BuildUsageError("--renderer quarto: `quarto` is not on PATH; install Quarto "
                              "or use --renderer pandoc")
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise BuildUsageError(f"--jobs must be at least 1 (got {jobs})")
    if all_:
        chosen = editions.EDITIONS
    else:
        chosen = parse_slugs(args.edition or [])
        if sets:
            chosen = tuple(dict.fromkeys(chosen + tuple(
                e for name in editions.parse_sets(sets) for e in editions.in_set(name))))
        if not chosen:
            raise BuildUsageError("--edition names no edition; editions: "
                                  + ", ".join(editions.slugs()))
    return _request(args, chosen, executor, scheduler, jobs)


def _data_dir(args: argparse.Namespace) -> Path | None:
    if args.data is None:
        return None
    if not args.data.strip():
        raise BuildUsageError("--data is empty; give the folder of source data, or omit "
                              "--data to use the embedded demonstration data")
    data_dir = Path(args.data).expanduser()
    if not data_dir.is_dir():
        raise BuildUsageError(
            f"data directory {str(data_dir)!r} does not exist or is not a directory; "
            "give a folder of source files (with its manifest) or omit --data to use "
            "the embedded demonstration data"
        )
    return data_dir.resolve()


def parse_slugs(values: Iterable[str]) -> tuple[editions.Edition, ...]:
    """Editions named in comma-separated ``values`` (validated, duplicates dropped)."""
    slugs = [s.strip() for value in values for s in value.split(",") if s.strip()]
    return tuple(dict.fromkeys(editions.get(s) for s in slugs))


def _request(args: argparse.Namespace, chosen, executor: str, scheduler: str | None,
             jobs: int | None):
    from inequalities.publishing.plan import BuildRequest

    if args.renderer not in RENDERERS:
        raise BuildUsageError(
            f"unknown renderer {args.renderer!r}; choose one of: {', '.join(RENDERERS)}")
    cache = getattr(args, "cache", None)
    try:
        out_dir = check_destination(args.out, OUTPUT_MARKER, "--out")
    except UnsafeDestination as exc:
        raise BuildUsageError(str(exc)) from None
    return BuildRequest(
        editions=tuple(chosen), formats=parse_formats(args.format), renderer=args.renderer,
        data_dir=_data_dir(args), out_dir=out_dir,
        seed=args.seed, jobs=jobs or os.cpu_count() or 1, force=bool(getattr(args, "force", False)),
        executor=executor, scheduler=scheduler,
        accept_unverified=bool(getattr(args, "accept_unverified", False)),
        cache_dir=Path(cache).expanduser().resolve() if cache else None)


def choose_vintage(args: argparse.Namespace) -> None:
    """Apply ``--vintage``: check the data folder's manifest has it, then set
    ``$INEQUALITIES_VINTAGE`` so that every loader of this build (the planner, worker
    processes and notebook kernels) reads the same vintage."""
    vintage = getattr(args, "vintage", None)
    if vintage is None:
        return
    from inequalities.data import demo
    from inequalities.data.manifest import VINTAGE_ENV, ManifestError, find_manifest

    if args.data is None and str(vintage) != demo.VINTAGE:
        raise BuildUsageError(f"--vintage {vintage}: the demonstration data follow the "
                              f"layout of vintage {demo.VINTAGE} only; give --data DIR for "
                              "another vintage")
    try:
        if args.data is not None:
            find_manifest(Path(args.data).expanduser(), vintage)
    except ManifestError as exc:
        raise BuildUsageError(f"--vintage {vintage}: {exc}") from None
    os.environ[VINTAGE_ENV] = str(vintage)


def _run(args: argparse.Namespace) -> int:
    try:
        request = validate(args)
        choose_vintage(args)
    except (BuildUsageError, editions.UnknownEditionError) as exc:
        from inequalities.data.errors import UsageError

        raise UsageError(f"inequalities build: {exc}") from None
    from inequalities.publishing import runner

    return runner.run(request)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``build`` on the top-level parser."""
    parser = subparsers.add_parser(
        "build",
        help="run the analysis and render the reports of one, several or all editions",
        description="Run the analysis notebooks for an edition and render its report to "
        "OUT/EDITION/report.html and report.pdf. With --all (or several editions) the "
        "editions build in parallel worker processes, unchanged steps are reused from a "
        "content-addressed cache, each edition is published atomically and OUT/index.html "
        "lists them all.",
    )
    parser.add_argument("--edition", action="append", default=None, metavar="SLUG",
                        help="edition to build, or a comma-separated list; may be repeated "
                        "(see 'inequalities editions')")
    parser.add_argument("--set", default=None, metavar="SETS",
                        help="build every edition of these sets (comma-separated): "
                        + ", ".join(editions.SETS))
    parser.add_argument("--all", action="store_true",
                        help="build every edition of every set")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="editions built at once (default: the number of cores)")
    parser.add_argument("--force", action="store_true",
                        help="rebuild every step, ignoring the cache")
    parser.add_argument("--executor", default="local", metavar="NAME",
                        help="local (a process pool, default) or dask")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address for --executor dask (tcp://HOST:PORT)")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help="step cache folder (default: $INEQUALITIES_CACHE/build, "
                        "else OUT/.cache)")
    parser.add_argument("--format", default="html,pdf", metavar="FORMATS",
                        help="comma-separated output formats (default: html,pdf)")
    parser.add_argument("--renderer", default="auto", metavar="NAME",
                        help="auto (quarto when on PATH, else pandoc), quarto or pandoc")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="folder of real source data with its manifest "
                        "(default: the embedded demonstration data)")
    parser.add_argument("--accept-unverified", action="store_true",
                        help="build even if the --data folder fails validation or its "
                        "manifest checksums (every page of the report then says so)")
    parser.add_argument("--vintage", default=None, metavar="YEAR",
                        help="data vintage of the small-area sources: 2025 (IoD 2025, LSOA "
                        "2021, Census 2021; the default) or 2019 (IoD 2019, LSOA 2011, "
                        "mid-2019); also $INEQUALITIES_VINTAGE")
    parser.add_argument("--out", default="_site", metavar="DIR",
                        help="output folder (default: _site)")
    parser.add_argument("--seed", type=int, default=20240101,
                        help="seed for the demonstration data and simulations")
    parser.set_defaults(func=_run)
    return parser
