"""The pre-render step of `quarto render` in the project root, checked without Quarto.

What Quarto does with it (runs ``project: pre-render`` scripts, then reads the project again
and renders the files listed in ``project: render``) is quarto-cli's
``src/command/render/project.ts``; here: that the step leaves exactly that document,
embedding executed notebooks, and never touches files it did not write.
"""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from inequalities import cli
from inequalities.publishing import engine_quarto, quarto_project
from inequalities.publishing.cells import labelled_cells

pytestmark = pytest.mark.render



@pytest.fixture()
def project(project, monkeypatch):
    """The fixture project (tests/publishing/conftest.py), as the working folder."""
    monkeypatch.chdir(project)
    return project


def test_prerender_stages_the_executed_edition_for_quarto(project, tmp_path):
    source = (project / "analysis" / "demo.ipynb").read_bytes()
    document = quarto_project.prerender(project, "north-east", None, tmp_path / "out")
    assert document == project / "quarto-report" / "chapters" / "report.qmd"
    assert engine_quarto.hidden_component(document) is None
    # The user's notebook is untouched; the staged copy is executed and its embeds resolve.
    assert (project / "analysis" / "demo.ipynb").read_bytes() == source
    embeds = re.findall(r"embed (\S+?)#(\S+) >", "".join(
        p.read_text() for p in document.parent.glob("0*.qmd")))
    assert embeds
    for notebook, label in embeds:
        cells = labelled_cells(document.parent / notebook)
        assert cells[label].outputs, (notebook, label)  # saved outputs for Quarto to embed
        nb = nbformat.read(str(document.parent / notebook), as_version=4)
        assert not any("text/html" in out.get("data", {}) for c in nb.cells
                       for out in c.get("outputs", []))
    # Key figures beside _quarto.yml, where Quarto reads them; the date is 1700000000.
    variables = (project / "_variables.yml").read_text()
    assert variables.startswith(engine_quarto.GENERATED)
    assert yaml.safe_load(variables)["edition"]["name"] == "North East"
    assert "date: '2023-11-14'" in document.read_text()
    # Running it again replaces its own files.
    (document.parent / "stale.txt").write_text("x")
    quarto_project.prerender(project, "north-east", None, tmp_path / "out")
    assert not (document.parent / "stale.txt").exists()


@pytest.mark.parametrize("name", ["_variables.yml", "quarto-report"])
def test_prerender_never_replaces_files_it_did_not_write(project, tmp_path, name, capsys):
    path = project / name
    if name.endswith(".yml"):
        path.write_text("mine: 1\n")
    else:
        (path / "chapters").mkdir(parents=True)
        (path / "chapters" / "notes.md").write_text("mine\n")
    status = cli.main(["quarto-prerender"])
    assert status == 2
    err = capsys.readouterr().err
    assert str(path) in err and "was not written by this step" in err
    assert (path.read_text() if path.is_file() else (path / "chapters" / "notes.md").read_text()
            ) in {"mine: 1\n", "mine\n"}


def test_an_unknown_edition_is_one_line_naming_the_choices(project, monkeypatch, capsys):
    monkeypatch.setenv("INEQUALITIES_EDITION", "atlantis")
    assert cli.main(["quarto-prerender"]) == 2
    err = capsys.readouterr().err.strip()
    assert "atlantis" in err and "england" in err and "\n" not in err
    assert not (project / "quarto-report").exists()
