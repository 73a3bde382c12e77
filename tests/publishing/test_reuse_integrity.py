"""Finding 11 of issue 14: a published copy is reused only when its files are intact."""

import json
from pathlib import Path

import pytest

from inequalities.publishing import provenance
from inequalities.publishing.plan import is_current
from inequalities.publishing.worker import EditionJob

pytestmark = pytest.mark.unit

KEY = "a" * 64


def _published(out: Path) -> EditionJob:
    folder = out / "england"
    (folder / "data").mkdir(parents=True)
    (folder / "report.html").write_text("<html>report</html>")
    (folder / "data" / "fig-a.csv").write_text("x\n1\n")
    (folder / "key_figures").mkdir()
    (folder / "key_figures" / "a.json").write_text("{}")
    record = {"cache_keys": {"notebooks": KEY, "render-html": KEY},
              "files": provenance.file_digests(folder)}
    (folder / "provenance.json").write_text(json.dumps(record))
    return EditionJob(slug="england", formats=("html",), engine="pandoc", engine_versions={},
                      data_dir=None, seed=1, out_dir=out, cache_root=out / ".cache",
                      project_root=out, notebook_key=KEY, render_keys={"html": KEY},
                      git_commit="x")


def test_an_intact_copy_is_current(tmp_path):
    assert is_current(_published(tmp_path))


@pytest.mark.parametrize("damage", ["garbage report", "deleted data", "extra file",
                                    "deleted key figures"])
def test_a_damaged_copy_is_rebuilt(tmp_path, damage):
    job = _published(tmp_path)
    folder = tmp_path / "england"
    if damage == "garbage report":
        (folder / "report.html").write_text("<html>garbage</html>")
    elif damage == "deleted data":
        (folder / "data" / "fig-a.csv").unlink()
    elif damage == "extra file":
        (folder / "data" / "fig-b.csv").write_text("y\n")
    else:
        for path in (folder / "key_figures").iterdir():
            path.unlink()
    assert not is_current(job)


def test_a_record_without_file_digests_is_not_trusted(tmp_path):
    job = _published(tmp_path)
    path = tmp_path / "england" / "provenance.json"
    record = json.loads(path.read_text())
    del record["files"]
    path.write_text(json.dumps(record))
    assert not is_current(job)
