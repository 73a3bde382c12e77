"""Build one edition: execute notebooks, then render (filled in by the build pipeline)."""

from __future__ import annotations

from inequalities.build.cli import BuildRequest


def run(request: BuildRequest) -> int:
    """Build ``request`` and return an exit status."""
    raise NotImplementedError("the build pipeline is not written yet")
