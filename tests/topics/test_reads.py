"""What a notebook declares it reads: the data it is given, and nothing else.

The build keys each notebook's cached results on what its topic module's ``READS``
declares and hands it the data cut to that (:mod:`inequalities.topics.reads`). The cut must
change no result: here each analysis notebook's code runs twice on the demonstration data,
with the cut, and with every column instead, the undeclared ones altered (names marked,
numbers moved, flags flipped), and what it writes and shows must be the same bytes. A
notebook that reads an undeclared column shows the altered values in the second run; one
that falls back to something else when a column is absent (a presence check) shows the
fallback in the first.
"""

import ast
import json
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from inequalities.data import editions, load
from inequalities.topics import edition as editiondata
from inequalities.topics import reads

ANALYSIS = Path(__file__).parents[2] / "analysis"
NOTEBOOKS = tuple(p.stem for p in sorted(ANALYSIS.glob("*.ipynb")))


@pytest.fixture(scope="module")
def dataset():
    return load(None)


def test_an_undeclared_column_is_absent_and_an_undeclared_table_refuses(dataset):
    declared = {"areas": ("area_code", "urban_rural"), "indicators": reads.ALL}
    cut = reads.project(dataset, "mortality", declared)
    assert list(cut.areas.columns) == ["area_code", "urban_rural"]
    assert cut.indicators is dataset.indicators
    with pytest.raises(reads.UndeclaredRead, match=r"mortality notebook reads the 'lads' "
                       r"table.*topics\.mortality\.READS.*\"lads\": ALL"):
        cut.lads["lad_code"]
    with pytest.raises(reads.UndeclaredRead):
        len(cut.population)
    with pytest.raises(reads.UndeclaredRead):
        cut.practices.empty
    with pytest.raises(KeyError, match="imd_score"):
        cut.areas["imd_score"]
    assert "undeclared table" in repr(cut)  # a dataset with stand-ins still prints


def test_every_declaration_names_tables_and_columns():
    for notebook in NOTEBOOKS:
        declared = reads.declared(notebook)
        if declared is None:
            continue
        assert set(declared) <= set(reads.TABLES), notebook


def test_a_malformed_declaration_is_refused(monkeypatch):
    from inequalities.topics import trends

    monkeypatch.setattr(trends, "READS", {"area": reads.ALL}, raising=False)
    with pytest.raises(ValueError, match=r"trends\.READS names 'area', not a table"):
        reads.declared("trends")
    monkeypatch.setattr(trends, "READS", {"areas": "area_code"}, raising=False)
    with pytest.raises(ValueError, match=r"READS\['areas'\] must be ALL or a tuple"):
        reads.declared("trends")
    monkeypatch.setattr(trends, "READS", {"population": ("area_code",)}, raising=False)
    with pytest.raises(ValueError, match=r"READS\['population'\] must be ALL$"):
        reads.declared("trends")


def test_a_notebook_without_a_module_or_declaration_reads_everything():
    assert reads.declared("no_such_notebook") is None
    assert reads.declared("provenance") is None  # it records every file's checksum


def test_the_files_checksums_are_written_by_a_notebook_that_reads_everything():
    """Fingerprints leave the files' checksums out (with them, any changed file would
    rebuild every edition), so the notebook recording them must re-run whenever any
    notebook of its edition does: it declares everything, and its fingerprint moves with
    any other's. A notebook declaring less would keep the old checksums beside figures
    computed from the new files."""
    writers = [path.stem for path in ANALYSIS.glob("*.ipynb")
               if "save_sources" in path.read_text() or "checksums_table" in path.read_text()]
    assert writers == ["provenance"]
    assert reads.declared("provenance") is None


def test_load_cuts_only_in_a_notebook_the_build_runs(monkeypatch):
    monkeypatch.delenv(reads.NOTEBOOK_ENV, raising=False)
    whole = editiondata.load("north-east")
    monkeypatch.setenv(reads.NOTEBOOK_ENV, "trends")
    cut = editiondata.load("north-east")
    declared = reads.declared("trends")
    assert list(cut.data.lads.columns) == reads.columns(whole.data.lads, declared["lads"])
    assert len(cut.data.lads.columns) < len(whole.data.lads.columns)
    with pytest.raises(reads.UndeclaredRead):
        cut.data.practices.columns


# --- the cut changes no result ---------------------------------------------------------------

def _describe(value) -> str:
    """What a notebook shows of ``value``, as text (charts as their Vega-Lite JSON)."""
    if type(value).__module__.startswith("altair"):
        return value.to_json()
    if isinstance(value, pd.DataFrame):
        return value.to_csv()
    if hasattr(value, "_repr_mimebundle_"):
        return repr(value._repr_mimebundle_())
    return repr(value)


def _altered(frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """``frame`` with every column but ``keep`` altered: text marked, numbers moved by one,
    flags flipped."""
    out = frame.copy()
    for column in frame.columns:
        if column in keep:
            continue
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = ~values
        elif pd.api.types.is_numeric_dtype(values):
            out[column] = values + 1
        else:
            out[column] = values.astype("string") + "~"
    return out


def _alter_undeclared(dataset, notebook, declared=None):
    """Every table, with the columns ``notebook`` does not declare altered."""
    declared = reads.declared(notebook) if declared is None else declared
    changed = {table: _altered(getattr(dataset, table), reads.columns(
        getattr(dataset, table), declared[table]) if table in declared else [])
        for table in reads.BY_COLUMN}
    return replace(dataset, **changed)


def _run(notebook: str, slug: str, folder: Path, monkeypatch, cut: bool, data_dir: str = ""):
    """Run ``notebook``'s code cells in this process, as its kernel would (parameters
    injected after the parameters cell); return the files it wrote and what it showed.
    ``cut``: the data cut to its declaration, as the build gives it; else every column,
    the undeclared ones altered."""
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv(reads.NOTEBOOK_ENV, notebook)
    if not cut:
        monkeypatch.setattr(reads, "project", _alter_undeclared)
    shown: list[str] = []
    namespace = {"display": lambda *values, **_: shown.extend(map(_describe, values))}
    cells = [c for c in json.loads((ANALYSIS / f"{notebook}.ipynb").read_text())["cells"]
             if c["cell_type"] == "code"]
    for cell in cells:
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, notebook, "exec"), namespace)  # noqa: S102 - our own notebooks
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(edition=slug, data_dir=data_dir, output_dir=".", seed=20240101)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), notebook, "eval"), namespace)  # noqa: S307
            if value is not None:
                shown.append(_describe(value))
    written = {p.relative_to(folder).as_posix(): p.read_bytes()
               for p in sorted(folder.rglob("*")) if p.is_file()}
    return written, shown


#: One edition of each set: the code paths differ by set (a region's ICBs, an ICB's
#: ONS region columns, England's regions).
EDITIONS = ("england", "north-east", "nhs-midlands", "icb-shropshire-telford-and-wrekin")


@pytest.mark.integration
@pytest.mark.parametrize("slug", EDITIONS)
def test_each_notebook_gives_the_same_results_from_what_it_declares(slug, tmp_path,
                                                                     monkeypatch):
    editions.get(slug)
    for notebook in NOTEBOOKS:
        if reads.declared(notebook) is None:
            continue
        with monkeypatch.context() as m:
            whole = _run(notebook, slug, tmp_path / f"{notebook}-whole", m, cut=False)
        with monkeypatch.context() as m:
            cut = _run(notebook, slug, tmp_path / f"{notebook}-cut", m, cut=True)
        assert sorted(cut[0]) == sorted(whole[0]), notebook
        for name in whole[0]:
            assert cut[0][name] == whole[0][name], f"{notebook}: {name}"
        assert cut[1] == whole[1], f"{notebook}: what it shows"
    assert os.environ.get(reads.NOTEBOOK_ENV) is None


def test_the_comparison_finds_a_column_read_but_not_declared(tmp_path, monkeypatch):
    """The check above can fail: population reads the regions' names where the data
    have them (else the registry's), so a declaration without ``region_name`` shows the
    altered names in one run and the registry's in the other."""
    from inequalities.topics import population

    declared = {**population.READS, "areas": tuple(
        c for c in population.READS["areas"] if c != "region_name")}
    monkeypatch.setattr(population, "READS", declared)
    with monkeypatch.context() as m:
        whole = _run("population", "england", tmp_path / "whole", m, cut=False)
    with monkeypatch.context() as m:
        cut = _run("population", "england", tmp_path / "cut", m, cut=True)
    name = "data/fig-rural-share-by-region.csv"
    assert cut[0][name] != whole[0][name]
    assert "North East~" in whole[0][name].decode()
