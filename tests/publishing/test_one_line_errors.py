"""Finding 8 of issue 14: bad input caught before work starts, failures in one line."""

import pytest

from inequalities import cli

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("argv,message", [
    (["--seed", "-5"], "--seed must be a non-negative integer"),
    (["--data", ""], "--data is empty"),
])
def test_bad_input_exits_2_before_any_work(argv, message, tmp_path, capsys):
    out = tmp_path / "site"
    assert cli.main(["build", "--edition", "england", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not out.exists()


def test_quarto_missing_is_caught_before_the_notebooks(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    out = tmp_path / "site"
    assert cli.main(["build", "--edition", "london", "--renderer", "quarto",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "`quarto` is not on PATH" in err and err.count("\n") == 1 and not out.exists()


def test_an_output_folder_that_cannot_be_made_is_one_line(capsys):
    # /proc takes no new folders, even from root (a read-only folder would not stop root)
    assert cli.main(["build", "--edition", "england", "--out", "/proc/inequalities-site"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "/proc/inequalities-site" in err


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    from inequalities.publishing import cli as build_cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_cli, "_run", interrupted)
    assert cli.main(["build", "--edition", "england"]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err
