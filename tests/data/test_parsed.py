"""Parsed-source cache: identical tables cold and warm; a changed file re-reads only itself."""

from pathlib import Path

import pandas as pd
import pytest

from inequalities.data import _assemble, _parsed
from inequalities.data.dataset import file_checksums
from inequalities.data.manifest import find_manifest

pytestmark = pytest.mark.unit


def _tables(root: Path, cache: Path | None):
    manifest = find_manifest(root)
    reader = _parsed.ParsedSources(cache, file_checksums(manifest, root))
    return _assemble.build_tables(manifest, root, read=reader.read)


def _assert_same(left: dict, right: dict) -> None:
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


def test_cold_warm_and_uncached_reads_give_identical_tables(tiny, tmp_path):
    plain = _assemble.build_tables(find_manifest(tiny), tiny)
    cold = _tables(tiny, tmp_path / "sources")
    assert list((tmp_path / "sources").glob("*.parquet"))
    warm = _tables(tiny, tmp_path / "sources")
    _assert_same(cold, warm)
    _assert_same(plain, warm)


def test_a_changed_file_is_the_only_one_parsed_again(tiny, tmp_path, monkeypatch):
    _tables(tiny, tmp_path / "sources")
    parsed = []
    real = _parsed.read_source
    monkeypatch.setattr(_parsed, "read_source",
                        lambda src, root: parsed.append(src.file) or real(src, root))
    _tables(tiny, tmp_path / "sources")
    assert parsed == []
    path = tiny / "imd2019_lsoa11.csv"
    path.write_text(path.read_text().replace("E01000006,5.0", "E01000006,6.0"))
    changed = _tables(tiny, tmp_path / "sources")
    assert parsed == ["imd2019_lsoa11.csv"]
    assert changed["areas"].set_index("area_code").loc["E01000006", "imd_score"] == 6.0


def test_only_the_newest_versions_of_a_source_are_kept(tiny, tmp_path):
    path = tiny / "imd2019_lsoa11.csv"
    text = path.read_text()
    for score in range(_parsed.KEEP + 2):
        path.write_text(text.replace("E01000006,5.0", f"E01000006,{score}.5"))
        _tables(tiny, tmp_path / "sources")
    kept = list((tmp_path / "sources").glob("imd2019_lsoa11--*.parquet"))
    assert len(kept) == _parsed.KEEP
