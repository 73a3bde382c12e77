"""Fixtures for the data-layer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tinydata import make_tiny


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """A fresh copy of the tiny hand-made dataset (see ``tinydata.py``)."""
    return make_tiny(tmp_path / "tiny")
