"""Finding 1 of issue 14: the program writes only into folders it made (marker files)."""

from pathlib import Path

import pytest

from inequalities import cli
from inequalities.data import demo
from inequalities.data.folders import DEMO_MARKER, UnsafeDestination, check_destination

pytestmark = pytest.mark.unit


def _user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v"
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.txt").write_text("precious")
    return folder


def test_demo_refuses_a_users_folder_and_leaves_it_as_it_was(tmp_path, capsys):
    folder = _user_folder(tmp_path)
    assert cli.main(["data", "demo", "--dest", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err and DEMO_MARKER in err
    assert (folder / "thesis.txt").read_text() == "precious" and (folder / "sub").is_dir()
    assert sorted(p.name for p in folder.iterdir()) == ["sub", "thesis.txt"]


@pytest.mark.parametrize("dest", ["", "/", "~", "."])
def test_demo_refuses_root_home_project_and_empty_paths(dest, monkeypatch, capsys):
    monkeypatch.chdir(Path(__file__).parents[2])  # the project root
    assert cli.main(["data", "demo", "--dest", dest]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(UnsafeDestination, match="is a file"):
        check_destination(tmp_path / "f", DEMO_MARKER, "--dest")


def _finished(tmp_path: Path, seed: int) -> Path:
    tmp = tmp_path / f".new-{seed}"
    tmp.mkdir()
    (tmp / "data.csv").write_text(f"seed {seed}\n")
    (tmp / DEMO_MARKER).write_text(f"seed {seed}\n")
    return tmp


def test_only_an_earlier_demo_dataset_or_an_empty_folder_is_replaced(tmp_path):
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / DEMO_MARKER).write_text("seed 1\n")
    (earlier / "old.csv").write_text("old")
    demo._move_into_place(_finished(tmp_path, 2), earlier)
    assert sorted(p.name for p in earlier.iterdir()) == [DEMO_MARKER, "data.csv"]

    empty = tmp_path / "empty"
    empty.mkdir()
    demo._move_into_place(_finished(tmp_path, 3), empty)
    assert (empty / "data.csv").read_text() == "seed 3\n"

    users = _user_folder(tmp_path)
    with pytest.raises(UnsafeDestination):
        demo._move_into_place(_finished(tmp_path, 4), users)
    assert (users / "thesis.txt").read_text() == "precious"


def test_fetch_refuses_a_users_folder_before_any_download(tmp_path, capsys):
    folder = _user_folder(tmp_path)
    (folder / "manifest.toml").write_text("mine")
    assert cli.main(["data", "fetch", "--dest", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".inequalities-data" in err
    assert (folder / "manifest.toml").read_text() == "mine"
