import pytest

from inequalities import cli
from inequalities.data import editions

pytestmark = pytest.mark.unit


def test_editions_lists_every_slug_code_and_name(capsys):
    assert cli.main(["editions"]) == 0
    out = capsys.readouterr().out
    for edition in editions.EDITIONS:
        line = next(row for row in out.splitlines()
                    if row.strip().startswith(edition.slug + " "))
        assert edition.code in line and edition.name in line
    # listed by set, each set under its heading, ICBs with their NHS England region
    headings = [out.index(f"(--set {name},") for name in editions.SETS]
    assert headings == sorted(headings)
    assert "(--set icb, 42)" in out
    sussex = next(row for row in out.splitlines() if row.strip().startswith("icb-sussex "))
    assert sussex.endswith("(NHS England South East)")


def test_editions_of_one_set(capsys):
    assert cli.main(["editions", "--set", "nhs-region"]) == 0
    out = capsys.readouterr().out
    slugs = [row.split()[0] for row in out.splitlines()[2:]]
    assert slugs == [e.slug for e in editions.in_set("nhs-region")]


def test_build_set_selects_every_edition_of_the_set():
    from inequalities.publishing import cli as build_cli

    args = cli.build_parser().parse_args(["build", "--set", "nhs-region", "--edition",
                                          "icb-sussex", "--out", "/tmp/x"])
    request = build_cli.validate(args)
    assert [e.slug for e in request.editions] == ["icb-sussex"] + [
        e.slug for e in editions.in_set("nhs-region")]
    assert len(request.editions) == 8
    args = cli.build_parser().parse_args(["build", "--all", "--out", "/tmp/x"])
    assert len(build_cli.validate(args).editions) == 59


def test_repeated_edition_options_build_every_edition_named():
    """``--edition a --edition b,c`` builds all three (the last one alone was built)."""
    from inequalities.publishing import cli as build_cli

    args = cli.build_parser().parse_args(["build", "--edition", "england", "--edition",
                                          "north-east,london", "--edition", "england",
                                          "--out", "/tmp/x"])
    assert [e.slug for e in build_cli.validate(args).editions] == [
        "england", "north-east", "london"]


@pytest.mark.parametrize(
    ("argv", "fragment", "choices"),
    [
        (["build", "--edition", "atlantis"], "unknown edition 'atlantis'", "south-west"),
        (["build", "--edition", "england", "--format", "docx"], "unknown format 'docx'",
         "html, pdf"),
        (["build", "--edition", "england", "--renderer", "word"], "unknown renderer 'word'",
         "auto, quarto, pandoc"),
        (["build", "--edition", "england", "--data", "/nonexistent/dir"],
         "does not exist", "--data"),
    ],
)
def test_bad_build_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capsys, argv, fragment, choices
):
    out = tmp_path / "site"
    status = cli.main([*argv, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert fragment in err and choices in err
    assert not out.exists()


def test_missing_subcommand_is_a_usage_error(capsys):
    assert cli.main([]) == 2
    assert "required" in capsys.readouterr().err


def test_a_closed_pipe_is_not_a_traceback():
    """``inequalities editions | head -1``: the reader leaves early; no traceback, status 0."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    writer = subprocess.run(
        [sys.executable, "-u", "-c", "from inequalities.cli import main; import sys; "
         "sys.exit(main(['editions']))"], stdout=write_end, stderr=subprocess.PIPE,
        check=False, timeout=60)
    os.close(write_end)
    assert writer.stderr.decode() == "" and writer.returncode == 0
