"""Finding 2 of issue 14: ``build`` never replaces or deletes what it did not create."""

import json
from pathlib import Path

import pytest

from inequalities import cli
from inequalities.data.folders import OUTPUT_MARKER
from inequalities.publishing.publish import NotOurs, publish

pytestmark = pytest.mark.unit


def test_build_refuses_an_output_folder_it_did_not_make(tmp_path, capsys):
    out = tmp_path / "h"
    (out / "england").mkdir(parents=True)
    (out / "england" / "thesis.txt").write_text("x")
    assert cli.main(["build", "--edition", "england", "--format", "html",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err and OUTPUT_MARKER in err
    assert [p.name for p in out.rglob("*")] == ["england", "thesis.txt"]


@pytest.mark.parametrize("out", ["", "/", "~"])
def test_build_refuses_root_home_and_empty_paths(out, capsys):
    assert cli.main(["build", "--edition", "england", "--out", out]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _build_dir(tmp_path: Path) -> Path:
    build = tmp_path / "out" / ".build-england-1"
    build.mkdir(parents=True)
    (build / "report.html").write_text("new")
    return build


def test_publish_never_replaces_an_edition_folder_it_did_not_publish(tmp_path):
    build = _build_dir(tmp_path)
    target = tmp_path / "out" / "england"
    target.mkdir()
    (target / "thesis.txt").write_text("x")
    with pytest.raises(NotOurs, match="not published by inequalities"):
        publish(build, target)
    assert [p.name for p in target.iterdir()] == ["thesis.txt"]


@pytest.mark.parametrize("earlier", [OUTPUT_MARKER, "provenance.json"])
def test_publish_replaces_its_own_earlier_edition(tmp_path, earlier):
    build = _build_dir(tmp_path)
    target = tmp_path / "out" / "england"
    target.mkdir()
    (target / earlier).write_text(json.dumps({"package": "inequalities"}))
    publish(build, target)
    assert sorted(p.name for p in target.iterdir()) == [OUTPUT_MARKER, "report.html"]


def test_build_refuses_a_foreign_edition_folder_before_any_work(tmp_path, capsys):
    out = tmp_path / "h"
    (out / "england").mkdir(parents=True)
    (out / "england" / "thesis.txt").write_text("x")
    (out / OUTPUT_MARKER).write_text("")  # the output folder itself is the program's
    assert cli.main(["build", "--edition", "england", "--format", "html",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not published by inequalities" in err
    assert (out / "england" / "thesis.txt").read_text() == "x"
    assert not (out / ".failed").exists() and not (out / ".cache").exists()  # no work done
