"""The ``inequalities`` command line.

Subcommands:

* ``inequalities editions``: list the editions with their ONS codes and names.
* ``inequalities build --edition SLUG``: run the analysis notebooks for an edition and
  render its report (see :mod:`inequalities.publishing`); ``--all`` builds every edition.
* ``inequalities diff --old DIR --new DIR``: key figures changed between two builds.
* ``inequalities quarto-prerender``: the pre-render step of ``quarto render`` in the project
  root (:mod:`inequalities.publishing.quarto_project`).

Bad input (an unknown edition, format or renderer, a missing data folder) exits with
status 2 and one line on standard error that says what was wrong and lists the choices;
nothing is written to the output folder in that case.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from inequalities import __version__
from inequalities.data import editions
from inequalities.data.errors import UsageError

__all__ = ["UsageError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _cmd_editions(args: argparse.Namespace) -> int:
    sets = editions.parse_sets(args.set) if args.set else editions.SETS
    for i, name in enumerate(sets):
        chosen = editions.in_set(name)
        width = max(len("edition"), *(len(e.slug) for e in chosen))
        print(("\n" if i else "") + f"{editions.SET_TITLES[name]} (--set {name}, "
              f"{len(chosen)})")
        print(f"  {'edition':<{width}}  code       name (parent)")
        for e in chosen:
            parent = editions.parent(e)
            print(f"  {e.slug:<{width}}  {e.code}  {e.name}"
                  + (f" ({parent.name})" if parent and not parent.is_england else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for the ``inequalities`` command."""
    from inequalities.publishing import cli as build_cli
    from inequalities.publishing import diff as diff_cli
    from inequalities.publishing import quarto_project
    from inequalities.data import cli as data_cli

    parser = _Parser(
        prog="inequalities",
        description="England's health inequalities report: urban, rural and coastal "
        "gaps in access and outcomes, by region.",
    )
    parser.add_argument("--version", action="version", version=f"inequalities {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p_editions = sub.add_parser("editions", help="list the editions by set, with codes "
                                "and names")
    p_editions.add_argument("--set", default=None, metavar="SETS",
                            help="only these sets (comma-separated): "
                            + ", ".join(editions.SETS))
    p_editions.set_defaults(func=_cmd_editions)

    build_cli.add_parser(sub)
    diff_cli.add_parser(sub)
    data_cli.add_parser(sub)
    quarto_project.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except editions.UnknownEditionError as exc:
        print(f"inequalities: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM during a build (Interrupted)
        import logging

        # Tasks of the interrupted kernel session would each log a warning at exit.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        signum = getattr(exc, "signum", 2)
        name = "SIGTERM" if signum == 15 else "Ctrl-C"
        print(f"inequalities: interrupted by {name}; nothing unfinished was published (the next "
              "build removes what was left half-made)", file=sys.stderr)
        return 128 + signum
    except BrokenPipeError:  # the reader went away (``inequalities editions | head``)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
