"""``inequalities build``: argument parsing and validation.

Everything the user typed is checked here, before anything is created on disk, so that a
typo never leaves a half-made output folder behind.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from inequalities import editions

FORMATS = ("html", "pdf")
RENDERERS = ("auto", "quarto", "pandoc")


class BuildUsageError(ValueError):
    """A build option that is not valid; the message lists the valid choices."""


@dataclass(frozen=True)
class BuildRequest:
    """A validated build request."""

    edition: editions.Edition
    formats: tuple[str, ...]
    renderer: str
    data_dir: Path | None
    out_dir: Path
    seed: int


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


def validate(args: argparse.Namespace) -> BuildRequest:
    """Turn parsed arguments into a :class:`BuildRequest`, or raise with one clear line."""
    edition = editions.get(args.edition)
    formats = parse_formats(args.format)
    if args.renderer not in RENDERERS:
        raise BuildUsageError(
            f"unknown renderer {args.renderer!r}; choose one of: {', '.join(RENDERERS)}"
        )
    data_dir = None
    if args.data is not None:
        data_dir = Path(args.data).expanduser()
        if not data_dir.is_dir():
            raise BuildUsageError(
                f"data directory {str(data_dir)!r} does not exist or is not a directory; "
                "give a folder of source files (with its manifest) or omit --data to use "
                "the embedded demonstration data"
            )
        data_dir = data_dir.resolve()
    return BuildRequest(
        edition=edition,
        formats=formats,
        renderer=args.renderer,
        data_dir=data_dir,
        out_dir=Path(args.out).expanduser().resolve(),
        seed=args.seed,
    )


def _run(args: argparse.Namespace) -> int:
    from inequalities.build import pipeline

    try:
        request = validate(args)
    except (BuildUsageError, editions.UnknownEditionError) as exc:
        from inequalities.cli import UsageError

        raise UsageError(f"inequalities build: {exc}") from None
    return pipeline.run(request)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``build`` on the top-level parser."""
    parser = subparsers.add_parser(
        "build",
        help="run the analysis and render one edition's report",
        description="Run the analysis notebooks for one edition with papermill and render "
        "its report to OUT/EDITION/report.html and report.pdf.",
    )
    parser.add_argument("--edition", required=True, metavar="SLUG",
                        help="edition to build: " + ", ".join(editions.slugs()))
    parser.add_argument("--format", default="html,pdf", metavar="FORMATS",
                        help="comma-separated output formats (default: html,pdf)")
    parser.add_argument("--renderer", default="auto", metavar="NAME",
                        help="auto (quarto when on PATH, else pandoc), quarto or pandoc")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="folder of real source data with its manifest "
                        "(default: the embedded demonstration data)")
    parser.add_argument("--out", default="_site", metavar="DIR",
                        help="output folder (default: _site)")
    parser.add_argument("--seed", type=int, default=20240101,
                        help="seed for the demonstration data and simulations")
    parser.set_defaults(func=_run)
    return parser
