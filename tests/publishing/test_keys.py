"""Step keys change exactly when a step's inputs change."""

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest

from inequalities.data import editions
from inequalities.topics import edition as editiondata
from inequalities.publishing import keys
from inequalities.data import load

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "fixture_project"
ENV = {"python": "3.11", "pandas": "3"}


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    return root


def _nb_key(root, fingerprint="f" * 64, seed=1, env=ENV, library="L"):
    """The notebooks' key of the fixture project (its one notebook)."""
    return keys.notebooks_key({path.name: keys.notebook_key(
        fingerprint=fingerprint, notebook=path.name, source=path.read_bytes(), seed=seed,
        env=env, library=library) for path in sorted(root.glob("analysis/*.ipynb"))})


def test_the_notebooks_key_follows_each_notebooks_key():
    base = keys.notebooks_key({"a.ipynb": "1" * 64, "b.ipynb": "2" * 64})
    assert base == keys.notebooks_key({"b.ipynb": "2" * 64, "a.ipynb": "1" * 64})
    assert keys.notebooks_key({"a.ipynb": "1" * 64, "b.ipynb": "3" * 64}) != base
    assert keys.notebooks_key({"a.ipynb": "2" * 64, "b.ipynb": "1" * 64}) != base
    assert keys.notebooks_key({"a.ipynb": "1" * 64}) != base


def test_notebook_key_follows_each_input(project):
    base = _nb_key(project)
    assert base == _nb_key(project)
    assert len(base) == 64 and int(base, 16) >= 0
    assert _nb_key(project, fingerprint="e" * 64) != base
    assert _nb_key(project, seed=2) != base
    assert _nb_key(project, env={**ENV, "pandas": "4"}) != base
    assert _nb_key(project, library="L2") != base
    notebook = project / "analysis" / "demo.ipynb"
    notebook.write_bytes(notebook.read_bytes() + b" ")
    assert _nb_key(project) != base


def test_render_key_follows_chapters_not_notebook_inputs(project):
    chapters = ["chapters/01-intro.qmd", "chapters/02-more.qmd"]

    def key(**kw):
        args = dict(notebook_key="n", project=keys.project_digest(project, chapters),
                    engine="pandoc", engine_versions={"pandoc": "3.9"}, fmt="html",
                    facts={"git_commit": "abc"}, library="L")
        args.update(kw)
        return keys.render_key(**args)

    base = key()
    assert key(fmt="pdf") != base
    assert key(engine_versions={"pandoc": "3.8"}) != base
    assert key(notebook_key="m") != base
    assert key(facts={"git_commit": "abd"}) != base
    (project / "chapters" / "02-more.qmd").write_text("changed")
    assert key() != base
    # A chapter change leaves the notebook step alone.
    assert _nb_key(project) == _nb_key(project)


def test_library_digest_covers_sources_and_package_data(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "build" / "templates").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "build" / "templates" / "page.html").write_text("<p>")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"junk")
    first = keys.library_digest(pkg)
    keys.library_digest.cache_clear()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"other")
    assert keys.library_digest(pkg) == first
    keys.library_digest.cache_clear()
    (pkg / "build" / "templates" / "page.html").write_text("<p >")
    assert keys.library_digest(pkg) != first
    keys.library_digest.cache_clear()


def test_changing_one_regions_data_changes_only_that_region_and_england(project):
    dataset = load(None)
    national = editiondata.national_figures(dataset)

    # Change one indicator value in one London small area.
    london = set(dataset.areas.loc[dataset.areas["region_code"] == "E12000007", "area_code"])
    ind = dataset.indicators.copy()
    row = ind.index[(ind["area_level"].astype(str) == "LSOA") & ind["area_code"].isin(london)
                    & ind["value"].notna()][0]
    area = dataset.areas.set_index("area_code").loc[ind.loc[row, "area_code"]]
    icb = editions.by_code(area["icb_code"])
    holding = sorted({"england", "london", icb.slug, icb.parent})
    # a few editions of each set, not all 59
    sample = sorted(set(holding) | {"north-east", "nhs-midlands", "icb-devon"})

    def all_keys(ds, nat):
        return {slug: _nb_key(project, fingerprint=editiondata.fingerprints(
            editiondata.from_dataset(editions.get(slug), ds, national=nat), ["demo"])["demo"])
            for slug in sample}

    before = all_keys(dataset, national)
    assert len(set(before.values())) == len(sample)
    ind.loc[row, "value"] = ind.loc[row, "value"] + 1.0
    changed = dataclasses.replace(dataset, indicators=ind)
    after = all_keys(changed, editiondata.national_figures(changed))
    moved = sorted(slug for slug in before if before[slug] != after[slug])
    assert moved == holding and len(holding) == 4
    assert hashlib.sha256(b"").hexdigest() not in after.values()
