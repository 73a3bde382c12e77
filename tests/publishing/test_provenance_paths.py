"""Finding 9 of issue 14: published text names the data folder, never a machine path."""

from pathlib import Path

import pytest

from inequalities.publishing.provenance import data_label, scrub_paths

pytestmark = pytest.mark.unit


def test_data_label_is_the_folder_name_only():
    assert data_label(Path("/home/ana/secret/national-data")) == "data folder 'national-data'"
    assert data_label(None) == "embedded demonstration data"


def test_scrub_replaces_the_longest_path_first_in_text_files_only(tmp_path):
    folder = tmp_path / "build"
    (folder / "notebooks").mkdir(parents=True)
    nb = folder / "notebooks" / "a.ipynb"
    nb.write_text('{"data_dir": "/srv/d", "out": "PosixPath(\'/srv/d/b/.build-x/data/f.csv\')"}')
    (folder / "report.pdf").write_bytes(b"/srv/d")
    scrub_paths(folder, {"/srv/d": "<data>", "/srv/d/b/.build-x": "."})
    assert nb.read_text() == '{"data_dir": "<data>", "out": "PosixPath(\'./data/f.csv\')"}'
    assert (folder / "report.pdf").read_bytes() == b"/srv/d"
