"""Build reports for tests: one helper, shared by the session fixtures of every folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from inequalities import cli

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
#: Fixed build date, so outputs are comparable between builds.
EPOCH = "1700000000"


def have_real_data() -> bool:
    """True when the real national data (``../shared/data``) are beside the checkout."""
    return (SHARED_DATA / "PROVENANCE.md").is_file()


def build(out: Path, args: list[str], project: Path = ROOT) -> Path:
    """Run ``inequalities build ARGS --renderer pandoc --out OUT`` from ``project``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INEQUALITIES_PROJECT", str(project))
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setenv("INEQUALITIES_VINTAGE", "")  # --vintage sets it: undone after the build
        mp.chdir(project)
        status = cli.main(["build", *args, "--renderer", "pandoc", "--out", str(out)])
    assert status == 0, f"inequalities build {' '.join(args)} from {project} failed"
    return out


#: Editions beyond England and the ONS regions that the real-data build (``real_site``)
#: covers: an NHS region; an ICB straddling two ONS regions; an ICB whose A&E series is on
#: its 2022 code (Sussex, recoded by the data layer); ICBs with one or two local
#: authorities (Somerset, Dorset).
REAL_EDITIONS = ("nhs-north-east-and-yorkshire", "icb-north-east-and-north-cumbria",
                 "icb-sussex", "icb-somerset", "icb-dorset")


def real_site_slugs() -> list[str]:
    """Every edition the real-data build publishes, in registry order."""
    from inequalities.data import editions

    wanted = {*REAL_EDITIONS, *(e.slug for s in ("country", "ons-region")
                                for e in editions.in_set(s))}
    return [slug for slug in editions.slugs() if slug in wanted]
