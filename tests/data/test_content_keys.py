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


def test_a_file_digest_is_read_once_and_again_after_a_copy_keeping_size_and_time(
        tmp_path, monkeypatch):
    import hashlib
    import time

    from inequalities.data import digests

    path = tmp_path / "source.csv"
    path.write_text("code,value\nE01000001,1.5\n")
    time.sleep(0.05)  # past the file system's timestamp tick
    monkeypatch.setattr(digests, "RACY_NS", 0)  # the file counts as settled at once
    reads = []
    real = digests.sha256_file
    monkeypatch.setattr(digests, "sha256_file", lambda p: reads.append(p) or real(p))

    first = digests.known_sha256(path)
    assert first == hashlib.sha256(path.read_bytes()).hexdigest()
    assert digests.known_sha256(path) == first and len(reads) == 1  # remembered

    time.sleep(0.05)
    edit_keeping_size_and_time(path, "1.5", "2.5")  # as cp -p would leave it
    second = digests.known_sha256(path)
    assert second == hashlib.sha256(path.read_bytes()).hexdigest() != first
    assert len(reads) == 2


def test_a_file_changed_just_before_it_is_read_is_not_remembered(tmp_path, monkeypatch):
    from inequalities.data import digests

    path = tmp_path / "source.csv"
    path.write_text("code,value\nE01000001,1.5\n")  # changed now: within RACY_NS
    reads = []
    real = digests.sha256_file
    monkeypatch.setattr(digests, "sha256_file", lambda p: reads.append(p) or real(p))
    digests.known_sha256(path)
    digests.known_sha256(path)
    assert len(reads) == 2
