"""Finding 3 of issue 14: the data caches key on file content, never on size or time."""

import os
from pathlib import Path

import pytest

from inequalities.data import load

pytestmark = pytest.mark.unit


def edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` as ``cp -p`` or ``rsync -a`` would leave it: same size, same mtime."""
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_file_edited_keeping_size_and_time_is_read_again(tiny, tmp_path):
    cache = tmp_path / "cache"
    before = load(tiny, cache_dir=cache)
    assert (before.areas == "Alpha 001A").any().any()
    edit_keeping_size_and_time(tiny / "lookup_lsoa11_geography.csv", "Alpha 001A", "Alpha 001Z")
    after = load(tiny, cache_dir=cache)
    assert (after.areas == "Alpha 001Z").any().any()
    assert not (after.areas == "Alpha 001A").any().any()
    assert after.checksums != before.checksums and after.source_key != before.source_key
