"""Reproducibility (issue 14): the build date comes from the commit when unset."""

import os
import subprocess

import pytest

from inequalities.publishing import provenance

pytestmark = pytest.mark.unit


def test_source_date_epoch_is_pinned_to_the_commit_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # restored after the test
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    env = dict(os.environ, GIT_AUTHOR_DATE="2024-03-05T12:00:00Z",
               GIT_COMMITTER_DATE="2024-03-05T12:00:00Z", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"],
                   check=True, env=env)
    note = provenance.pin_build_date(tmp_path)
    assert os.environ["SOURCE_DATE_EPOCH"] == "1709640000"
    assert "2024-03-05" in note and provenance.build_date() == "2024-03-05"
    assert provenance.pin_build_date(tmp_path) == ""  # set: left alone, nothing said


def test_without_git_the_date_is_today_and_it_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # restored after the test
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert "no git commit" in provenance.pin_build_date(tmp_path)
    assert "SOURCE_DATE_EPOCH" not in os.environ
