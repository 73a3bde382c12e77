"""An edition's fingerprints move with its own data and England's printed comparators
only, and each notebook's with what it declares it reads only."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.topics import edition as editiondata
from inequalities.topics import national, reads
from inequalities.data import load

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dataset():
    return load(None)


#: A few editions of each set (not all 59: the suite stays fast).
SAMPLE = ("england", "north-east", "london", "nhs-north-east-and-yorkshire", "nhs-london",
          "icb-north-east-and-north-cumbria", "icb-north-east-london", "icb-sussex")


#: The analysis notebooks, by the names fingerprints go by.
NOTEBOOKS = tuple(p.stem for p in sorted(
    (Path(__file__).parents[2] / "analysis").glob("*.ipynb")))


def _fingerprints(dataset, slugs=SAMPLE):
    national = editiondata.national_figures(dataset)
    return {slug: editiondata.fingerprints(editiondata.from_dataset(
        editions.get(slug), dataset, national=national), NOTEBOOKS) for slug in slugs}


def editions_holding(area: pd.Series) -> set[str]:
    """England, the area's ONS region, its ICB (the data's own 2024 code) and that ICB's
    NHS England region: the editions whose slice holds the small area."""
    icb = editions.by_code(area["icb_code"])
    return {"england", editions.by_code(area["region_code"]).slug, icb.slug, icb.parent}


def test_changing_one_area_changes_only_the_editions_holding_it(dataset):
    areas = dataset.areas.copy()
    # Move one North East small area's IMD score slightly: a change to that region's data
    # that leaves every printed national comparator as it was.
    row = areas.index[areas["region_code"] == "E12000001"][0]
    areas.loc[row, "imd_score"] += 0.001
    holding = editions_holding(areas.loc[row])
    slugs = sorted(set(SAMPLE) | holding)
    before = _fingerprints(dataset, slugs)
    after = _fingerprints(replace(dataset, areas=areas), slugs)
    changed = {slug for slug in before if before[slug] != after[slug]}
    assert changed == holding and len(holding) == 4
    # Within each, only the notebooks that read the IMD score of small areas move (the
    # provenance notebook declares nothing, so reads everything).
    readers = {nb for nb in NOTEBOOKS if reads.declared(nb) is None
               or "imd_score" in reads.declared(nb).get("areas", ())}
    assert readers and readers != set(NOTEBOOKS)
    for slug in holding:
        moved = {nb for nb in NOTEBOOKS if before[slug][nb] != after[slug][nb]}
        assert moved == readers, slug


def test_fingerprints_from_row_hashes_equal_the_slices_own(dataset):
    # The build fingerprints editions from the rows' hashes and Dataset.select, without
    # cutting the large tables: every edition of every set must get the digest of its
    # own slice, as the notebooks will read it.
    national = editiondata.national_figures(dataset)
    hashes = editiondata.row_hashes(dataset)
    for edition in editions.EDITIONS:
        sliced = editiondata.fingerprints(editiondata.from_dataset(
            edition, dataset, national=national), NOTEBOOKS)
        assert editiondata.fingerprints_of(edition, dataset, national, hashes,
                                           NOTEBOOKS) == sliced, edition.slug


def test_one_indicator_row_moves_only_the_editions_holding_its_area(dataset):
    national = editiondata.national_figures(dataset)
    ind = dataset.indicators
    row = ind.index[ind["area_level"].eq("LSOA").to_numpy(dtype=bool)][0]
    changed_ind = ind.copy()
    changed_ind.loc[row, "value"] = changed_ind.loc[row, "value"] + 0.5
    changed = replace(dataset, indicators=changed_ind)
    area = dataset.areas.set_index("area_code").loc[ind.loc[row, "area_code"]]
    holding = editions_holding(area)
    slugs = sorted(set(SAMPLE) | holding)

    def prints(data):
        hashes = editiondata.row_hashes(data)
        return {slug: editiondata.fingerprints_of(editions.get(slug), data, national, hashes,
                                                  NOTEBOOKS) for slug in slugs}

    before, after = prints(dataset), prints(changed)
    assert {slug for slug in slugs if before[slug] != after[slug]} == holding


def test_national_comparators_are_rounded_to_printed_precision(dataset):
    national = editiondata.national_figures(dataset)
    shares = national[national["measure"] == "population_share"].set_index("group")["value"]
    total = dataset.areas["population"].sum()
    rural = dataset.areas.loc[dataset.areas["urban_rural"] == "Rural", "population"].sum()
    assert shares["Rural"] == round(100 * rural / total, 1)
    assert shares["All areas"] == 100.0


def test_unknown_measure_names_the_registered_ones(dataset):
    ed = editiondata.from_dataset(editions.get("london"), dataset)
    with pytest.raises(KeyError, match="population_share"):
        ed.england("nonexistent")



def test_comparators_are_computed_once_per_process_and_stay_independent(dataset, monkeypatch):
    expected = editiondata.national_figures(dataset)
    first = editiondata.load("london")
    pd.testing.assert_frame_equal(first.national, expected)
    first.national.loc[0, "value"] = -1.0  # a notebook scribbling on its copy
    calls = []
    monkeypatch.setattr(national, "national_figures",
                        lambda dataset: calls.append(dataset) or expected.iloc[:0])
    second = editiondata.load("north-east")
    assert calls == []  # remembered for the same sources, not recomputed
    pd.testing.assert_frame_equal(second.national, expected)


def test_englands_fingerprints_cover_the_comparators(dataset):
    """A notebook of England may read part of the data only, while the comparators are a
    function of all of it: they are in England's fingerprints too."""
    england = editiondata.from_dataset(editions.get("england"), dataset)
    moved = replace(england, national=england.national.assign(
        value=england.national["value"] + 0.1))
    before = editiondata.fingerprints(england, NOTEBOOKS)
    after = editiondata.fingerprints(moved, NOTEBOOKS)
    assert all(before[nb] != after[nb] for nb in NOTEBOOKS)


def test_a_notebooks_fingerprint_follows_only_what_it_declares(dataset, monkeypatch):
    """Hand-made declarations: a column or table a notebook does not declare moves none of
    its fingerprint; one it declares does."""
    declared = {"a": {"areas": ("area_code", "urban_rural"), "indicators": reads.ALL},
                "b": {"lads": ("lad_code",)}, "c": None}
    monkeypatch.setattr(reads, "declared", declared.get)
    ed = editiondata.from_dataset(editions.get("north-east"), dataset)

    def moved(**tables):
        before = editiondata.fingerprints(ed, declared)
        after = editiondata.fingerprints(replace(ed, data=replace(ed.data, **tables)),
                                         declared)
        return {nb for nb in declared if before[nb] != after[nb]}

    areas, lads = ed.data.areas.copy(), ed.data.lads.copy()
    areas.loc[0, "imd_score"] += 1
    assert moved(areas=areas) == {"c"}
    areas.loc[0, "urban_rural"] = "Rural" if areas.loc[0, "urban_rural"] == "Urban" else "Urban"
    assert moved(areas=areas) == {"a", "c"}
    lads.loc[0, "lad_code"] = "E0X"
    assert moved(lads=lads) == {"b", "c"}
    assert moved(population=ed.data.population.iloc[1:]) == {"c"}


def test_comparators_are_stored_for_other_processes(dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("INEQUALITIES_CACHE", str(tmp_path))
    monkeypatch.setattr(national, "_NATIONAL", {})
    expected = editiondata.national_figures(dataset)
    pd.testing.assert_frame_equal(national.comparators(dataset), expected)
    assert len(list((tmp_path / "national").glob("*.parquet"))) == 1
    # another process: nothing remembered, and computing would fail; the stored copy is read
    monkeypatch.setattr(national, "_NATIONAL", {})
    monkeypatch.setattr(national, "national_figures", lambda dataset: 1 / 0)
    pd.testing.assert_frame_equal(national.comparators(dataset), expected)
    # other sources (a changed file changes source_key) are not served the stored copy
    monkeypatch.setattr(national, "_NATIONAL", {})
    with pytest.raises(ZeroDivisionError):
        national.comparators(replace(dataset, source_key="another"))


def test_a_changed_file_checksum_alone_moves_no_fingerprint(dataset):
    """Every edition lists every file's checksum; only changed rows rebuild an edition."""
    before = _fingerprints(dataset)
    sources = dataset.sources.assign(sha256="0" * 64)
    after = _fingerprints(replace(dataset, sources=sources))
    assert after == before
    # nor does the manifest's checksum, updated with a data update (bench_build's one ICB)
    sources = dataset.sources.assign(manifest_sha256="1" * 64)
    assert _fingerprints(replace(dataset, sources=sources)) == before


def test_load_remembers_a_slice_until_a_source_file_changes(tmp_path, monkeypatch):
    """Notebooks of an edition each call ``load``: the slice is made once per set of
    sources (its ``source_key``), and a changed file gives a fresh slice."""
    from tests.data.tinydata import make_tiny

    monkeypatch.setattr(editiondata, "_SLICES", type(editiondata._SLICES)())
    folder = make_tiny(tmp_path / "tiny")
    cache = tmp_path / "cache"
    monkeypatch.setenv("INEQUALITIES_CACHE", str(cache))
    calls = []
    real = load(folder).for_edition.__func__
    monkeypatch.setattr(type(load(folder)), "for_edition",
                        lambda self, e: calls.append(e.slug) or real(self, e))
    first = editiondata.load("north-east", folder)
    again = editiondata.load("north-east", folder)
    assert calls == ["north-east"]  # the second load reused the slice
    assert again.data.areas is not first.data.areas  # callers get their own frames
    pd.testing.assert_frame_equal(again.data.areas, first.data.areas)
    again.data.areas["extra"] = 1
    assert "extra" not in editiondata.load("north-east", folder).data.areas

    changed = next(p for p in sorted(folder.glob("imd*_lsoa*.csv"))
                   if "indicators" not in p.name and "E01000001," in p.read_text())
    text = changed.read_text()
    row = next(line for line in text.splitlines() if line.startswith("E01000001,"))
    fields_ = row.split(",")
    fields_[1] = str(float(fields_[1]) + 1.5)
    changed.write_text(text.replace(row, ",".join(fields_)))
    after = editiondata.load("north-east", folder)
    assert calls == ["north-east", "north-east"]  # a new slice for the new sources
    assert after.data.source_key != first.data.source_key
    fresh = load(folder).for_edition(editions.get("north-east"))
    pd.testing.assert_frame_equal(after.data.areas, fresh.areas)
    assert not after.data.areas.equals(first.data.areas)
