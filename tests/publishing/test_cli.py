"""Validation of ``inequalities build`` options for one, several or all editions."""

import argparse

import pytest

from inequalities import cli
from inequalities.data import editions
from inequalities.publishing import cli as build_cli
from inequalities.publishing.plan import BuildRequest

pytestmark = pytest.mark.unit


def _args(*argv):
    parser = argparse.ArgumentParser()
    build_cli.add_parser(parser.add_subparsers())
    return parser.parse_args(["build", *argv])


def test_a_single_edition_is_a_plan_with_one_edition(tmp_path):
    request = build_cli.validate(_args("--edition", "london", "--out", str(tmp_path)))
    assert isinstance(request, BuildRequest)
    assert [e.slug for e in request.editions] == ["london"]


def test_all_builds_every_edition_with_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    request = build_cli.validate(_args("--all", "--out", str(tmp_path), "--force"))
    assert isinstance(request, BuildRequest)
    assert [e.slug for e in request.editions] == editions.slugs()
    assert request.jobs == 3 and request.force and request.executor == "local"


def test_edition_list_dedupes_and_keeps_order(tmp_path):
    request = build_cli.validate(_args("--edition", "london, england,london", "--jobs", "2",
                                       "--out", str(tmp_path)))
    assert [e.slug for e in request.editions] == ["london", "england"] and request.jobs == 2


@pytest.mark.parametrize("argv,message", [
    (["--all", "--edition", "london"], "either --all or --edition"),
    ([], "say what to build"),
    (["--all", "--jobs", "0"], "--jobs must be at least 1"),
    (["--all", "--executor", "ray"], "unknown executor 'ray'"),
    (["--all", "--executor", "dask"], "needs --scheduler"),
    (["--all", "--executor", "dask", "--scheduler", "tcp://h:1; rm -rf /"], "not a Dask"),
    (["--edition", ","], "names no edition"),
])
def test_bad_options_exit_2_with_one_line(argv, message, tmp_path, capsys):
    assert cli.main(["build", *argv, "--out", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "site").exists()


def test_dask_scheduler_address_accepted(tmp_path):
    request = build_cli.validate(_args("--all", "--executor", "dask", "--scheduler",
                                       "tcp://127.0.0.1:8786", "--out", str(tmp_path)))
    assert request.executor == "dask" and request.scheduler == "tcp://127.0.0.1:8786"
