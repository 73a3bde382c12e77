"""Shared helpers for the methods tests: where the published reference results live."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

#: PHEindicatormethods v2.1.0 published test data (see its README.md and R-CALLS.md).
REF = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "phe"
if not REF.exists():  # worktrees live beside /work/shared; fall back to the absolute path
    REF = Path("/work/shared/reference/phe")

#: testthat's default expect_equal tolerance, applied element-wise (slightly stricter).
RTOL = 1.5e-8


def read_ref(name: str, **kwargs) -> pd.DataFrame:
    path = REF / name
    if not path.exists():
        pytest.skip(f"reference file {path} not available")
    return pd.read_csv(path, **kwargs)


def assert_close(actual, expected, rtol: float = RTOL, atol: float = 0.0) -> None:
    """Element-wise closeness with identical missing-value patterns."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(e), err_msg="missing-value pattern differs")
    np.testing.assert_allclose(a[~np.isnan(e)], e[~np.isnan(e)], rtol=rtol, atol=atol)
