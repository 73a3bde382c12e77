"""The step cache: complete entries or none, leftovers of dead writers cleaned."""

import hashlib
import os
import subprocess
import sys
import time

import pytest

from inequalities.publishing.cache import StepCache, default_root

pytestmark = pytest.mark.unit

KEY = hashlib.sha256(b"step").hexdigest()


def test_put_then_get_and_restore(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "data" / "a.csv").write_text("x\n1\n")
    (src / "report.html").write_text("<p>hi</p>")
    cache = StepCache(tmp_path / "cache")
    assert cache.get("notebooks", KEY) is None
    entry = cache.put("notebooks", KEY, [(src / "data", "data"), (src / "report.html", "r.html")])
    assert entry == tmp_path / "cache" / "notebooks" / KEY[:2] / KEY
    dest = tmp_path / "dest"
    assert cache.restore("notebooks", KEY, dest)
    assert (dest / "data" / "a.csv").read_text() == "x\n1\n"
    assert (dest / "r.html").read_text() == "<p>hi</p>"
    assert not cache.restore("render-pdf", KEY, tmp_path / "other")
    assert not (tmp_path / "other").exists()
    assert list((tmp_path / "cache" / ".tmp").iterdir()) == []


def test_second_put_keeps_first_entry(tmp_path):
    cache = StepCache(tmp_path)
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("1")
    two.write_text("2")
    cache.put("k", KEY, [(one, "f")])
    cache.put("k", KEY, [(two, "f")])
    assert (cache.get("k", KEY) / "f").read_text() == "1"


def test_rejects_bad_kind_and_key(tmp_path):
    cache = StepCache(tmp_path)
    with pytest.raises(ValueError, match="SHA-256"):
        cache.get("notebooks", "../../etc")
    with pytest.raises(ValueError, match="lower-case"):
        cache.get("../x", KEY)


def test_killed_writer_leaves_no_entry_and_clean_removes_its_temporary(tmp_path):
    src = tmp_path / "f.txt"
    src.write_text("payload")
    marker = tmp_path / "paused"
    code = ("import sys; from pathlib import Path; from inequalities.publishing.cache import StepCache;"
            f"StepCache(Path({str(tmp_path / 'cache')!r})).put('k', {KEY!r}, "
            f"[(Path({str(src)!r}), 'f.txt')])")
    env = dict(os.environ, INEQUALITIES_TEST_PAUSE="cache-put",
               INEQUALITIES_TEST_PAUSE_FILE=str(marker))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the writer never reached the pause point"
    proc.kill()
    proc.wait()
    cache = StepCache(tmp_path / "cache")
    assert cache.get("k", KEY) is None  # nothing half-written is visible
    assert len(list((tmp_path / "cache" / ".tmp").iterdir())) == 1
    assert cache.clean() == 1
    assert list((tmp_path / "cache" / ".tmp").iterdir()) == []


def test_default_root(tmp_path, monkeypatch):
    monkeypatch.delenv("INEQUALITIES_CACHE", raising=False)
    assert default_root(tmp_path) == tmp_path / ".cache"
    monkeypatch.setenv("INEQUALITIES_CACHE", str(tmp_path / "c"))
    assert default_root(tmp_path) == tmp_path / "c" / "build"
