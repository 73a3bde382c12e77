"""Findings 4-5 of issue 14: data that fail validation stop the build before any work."""

import pytest

from inequalities import cli
from inequalities.data import editions
from inequalities.publishing.plan import BuildRequest, verify_data
from inequalities.publishing.render import DEMO_NOTICE, UNVERIFIED_NOTICE, page_notice
from tests.data.tinydata import make_tiny

pytestmark = pytest.mark.unit


@pytest.fixture()
def broken(tmp_path):
    data = make_tiny(tmp_path / "data")
    gp = data / "gp_patients_per_fte_lad24.csv"
    gp.write_text(gp.read_text().replace(",12.5,", ",-1.0,"))
    return data


def test_invalid_data_stop_the_build_with_file_row_and_rule(broken, tmp_path, capsys):
    out = tmp_path / "site"
    assert cli.main(["build", "--edition", "england", "--format", "html", "--data",
                     str(broken), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "gp_patients_per_fte_lad24.csv, row " in err and "--accept-unverified" in err
    assert not out.exists()  # nothing written, no notebook run


def test_accepting_unverified_data_lists_the_problems_for_every_page(broken, tmp_path):
    request = BuildRequest(editions=(editions.get("england"),), formats=("html",),
                           renderer="pandoc", data_dir=broken, out_dir=tmp_path / "o",
                           seed=1, jobs=1, accept_unverified=True)
    problems = verify_data(request)
    assert problems and all("gp_patients_per_fte_lad24.csv" in p for p in problems)
    assert page_notice({"unverified": len(problems)}) == UNVERIFIED_NOTICE
    assert page_notice({"demo": True, "unverified": 1}) == f"{DEMO_NOTICE}; {UNVERIFIED_NOTICE}"
    assert page_notice({"demo": False, "unverified": 0}) == ""


def test_validation_is_memoised_by_content_not_by_size_or_time(tmp_path, monkeypatch):
    """A rebuild of unchanged data reads the validation memo; a file changed in place,
    keeping its size and modification time, is validated again (issue 14)."""
    import os

    from inequalities.data import validate
    from inequalities.publishing import plan

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("INEQUALITIES_CACHE", raising=False)
    data = make_tiny(tmp_path / "data")
    assert plan.validation_problems(data) == []
    real = validate.validate_dir
    monkeypatch.setattr(validate, "validate_dir", lambda *a, **k: 1 / 0)
    assert plan.validation_problems(data) == []  # from the memo: nothing parsed
    gp = data / "gp_patients_per_fte_lad24.csv"
    stat = gp.stat()
    text = gp.read_text()
    assert ",12.5," in text
    gp.write_text(text.replace(",12.5,", ",-1.5,", 1))  # same size
    os.utime(gp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert gp.stat().st_size == stat.st_size
    monkeypatch.setattr(validate, "validate_dir", real)
    problems = plan.validation_problems(data)
    assert problems and "gp_patients_per_fte_lad24.csv" in problems[0]


def test_workers_started_before_validation_are_stopped_and_leave_nothing(
        broken, tmp_path, monkeypatch, capsys):
    """Several editions start their workers before the data are validated (their warm-up
    overlaps validation); invalid data then stop them, and their kernel folders go too."""
    import tempfile

    from inequalities.publishing import runner

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the spawned workers' temporary folder
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    started = []
    real = runner.LocalPool

    class Recorded(real):
        def __init__(self, workers):
            started.append(workers)
            super().__init__(workers)

    monkeypatch.setattr(runner, "LocalPool", Recorded)
    out = tmp_path / "site"
    assert cli.main(["build", "--edition", "north-east,london", "--jobs", "2", "--format",
                     "html", "--data", str(broken), "--out", str(out)]) == 2
    assert started == [2]
    assert "gp_patients_per_fte_lad24.csv, row " in capsys.readouterr().err
    assert not out.exists()
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("inequalities-tmp-")]
