"""The error every command raises for bad input: one line on standard error, exit status 2.

It lives in the lowest layer so that each subcommand (``data``, ``build``, ``diff``) can
raise it without importing the top-level :mod:`inequalities.cli`, which imports them.
"""

from __future__ import annotations


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit status 2."""
