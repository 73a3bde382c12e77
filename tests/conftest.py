"""Reports built once per test session and shared by every test that reads a report.

* ``england_report``: the real project, England edition, on the demonstration data
  (the README's build);
* ``real_site``: a build on the real national data in ``../shared/data``, HTML and PDF,
  and the site index: England, the nine ONS regions (London's eight rural small areas,
  West Midlands' lack of coast), one NHS region and the ICBs with the sharpest edge cases
  (:data:`REAL_EDITIONS`), not all 59 editions, so the suite stays within CI's time.

Builds run notebooks, so tests share these instead of building their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports import REAL_EDITIONS, SHARED_DATA, build, have_real_data


@pytest.fixture(scope="session")
def england_report(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("england") / "site"
    return build(site, ["--edition", "england"]) / "england"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    if not have_real_data():
        pytest.skip(f"real national data not found at {SHARED_DATA}")
    site = tmp_path_factory.mktemp("real") / "site"
    return build(site, ["--set", "country,ons-region", "--edition", ",".join(REAL_EDITIONS),
                        "--data", str(SHARED_DATA), "--jobs", "2"])


def pytest_configure(config) -> None:
    """Give the session a private data cache, so tests never read or write the user's.

    ``XDG_CACHE_HOME`` moves the data cache (demonstration data, parquet tables) and
    nothing else; ``INEQUALITIES_CACHE`` would also move the build step cache out of each
    test's output folder and let tests reuse each other's steps.
    """
    import os
    import tempfile

    if "INEQUALITIES_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="inequalities-test-cache-")
        config._inequalities_xdg = (os.environ.get("XDG_CACHE_HOME"), folder)
        os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config) -> None:
    import os
    import shutil

    saved = getattr(config, "_inequalities_xdg", None)
    if saved:
        previous, folder = saved
        if previous is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = previous
        shutil.rmtree(folder, ignore_errors=True)
