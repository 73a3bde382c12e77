"""``inequalities data fetch|validate|demo``: argument parsing and dispatch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _usage(message: str) -> Exception:
    from inequalities.data.errors import UsageError

    return UsageError(f"inequalities data: {message}")


def _manifest_arg(value: str | None):
    from inequalities.data.manifest import ManifestError, read_manifest, shipped_manifests

    shipped = shipped_manifests()
    if value is None:
        value = "official"
    if value in shipped:
        return read_manifest(shipped[value])
    path = Path(value).expanduser()
    if not path.is_file():
        raise _usage(f"manifest {value!r} is neither a shipped manifest "
                     f"({', '.join(shipped)}) nor a file")
    try:
        return read_manifest(path)
    except ManifestError as exc:
        raise _usage(str(exc)) from None


def _cmd_fetch(args: argparse.Namespace) -> int:
    from inequalities.data.fetch import fetch_all

    if args.retries < 1 or args.timeout <= 0:
        raise _usage("--retries must be at least 1 and --timeout positive")
    from inequalities.data.folders import DATA_MARKER, UnsafeDestination, check_destination, claim

    manifest = _manifest_arg(args.manifest)
    try:
        dest = check_destination(args.dest, DATA_MARKER, "--dest")
    except UnsafeDestination as exc:
        raise _usage(str(exc)) from None
    claim(dest, DATA_MARKER)
    results = fetch_all(manifest, dest, retries=args.retries,
                        timeout=args.timeout, backoff=args.backoff)
    failed = [r for r in results if r.status == "failed"]
    counts = {s: sum(r.status == s for r in results)
              for s in ("downloaded", "up-to-date", "skipped", "failed")}
    print("fetch: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 1 if failed else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from inequalities.data.validate import validate_dir

    folder = Path(args.dir).expanduser()
    if not folder.is_dir():
        raise _usage(f"data folder {str(folder)!r} does not exist or is not a directory")
    problems = validate_dir(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"validate: {len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"validate: {folder} is valid")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from inequalities.data import demo

    if args.seed < 0:
        raise _usage("--seed must be a non-negative integer")
    from inequalities.data.folders import UnsafeDestination, check_destination

    try:
        dest = demo.generate(check_destination(args.dest, demo.COMPLETE_MARKER, "--dest"),
                             seed=args.seed)
    except UnsafeDestination as exc:
        raise _usage(str(exc)) from None
    print(f"demo: demonstration data (seed {args.seed}) written to {dest}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``data`` (with ``fetch``, ``validate`` and ``demo``) on the top level."""
    parser = subparsers.add_parser("data", help="fetch, validate or generate the data",
                                   description="Manage the report's source data.")
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION",
                                parser_class=type(parser))
    sub.required = True
    p_fetch = sub.add_parser("fetch", help="download every source of a manifest",
                             description="Download each source with retries and timeouts, "
                             "verify its SHA-256 and write it atomically.")
    p_fetch.add_argument("--dest", default="data/raw", metavar="DIR",
                         help="destination folder (default: data/raw)")
    p_fetch.add_argument("--manifest", default=None, metavar="NAME|FILE",
                         help="shipped manifest name (official, shared) or a TOML file "
                         "(default: official)")
    p_fetch.add_argument("--retries", type=int, default=3, help="attempts per file")
    p_fetch.add_argument("--timeout", type=float, default=60.0, help="seconds per attempt")
    p_fetch.add_argument("--backoff", type=float, default=1.0,
                         help="first back-off in seconds, doubling per retry")
    p_fetch.set_defaults(func=_cmd_fetch)

    p_val = sub.add_parser("validate", help="check every file and the cross-file rules",
                           description="Check every file against its schema and the rules "
                           "across files; list all problems; exit 1 if any.")
    p_val.add_argument("dir", nargs="?", default="data/raw", metavar="DIR",
                       help="data folder (default: data/raw)")
    p_val.set_defaults(func=_cmd_validate)

    p_demo = sub.add_parser("demo", help="write the demonstration dataset",
                            description="Write the deterministic demonstration dataset "
                            "(byte-identical for the same seed).")
    p_demo.add_argument("--seed", type=int, default=20240101, help="random seed")
    p_demo.add_argument("--dest", default="data/demo", metavar="DIR",
                        help="destination folder (default: data/demo)")
    p_demo.set_defaults(func=_cmd_demo)
    return parser
