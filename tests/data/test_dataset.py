import warnings

import numpy as np
import pandas as pd
import pytest

from inequalities.data import Dataset, load
from inequalities.data.dataset import ChecksumWarning
from inequalities.data.schemas import TABLE_SCHEMAS, check_frame

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Dataset:
    from tinydata import make_tiny

    root = tmp_path_factory.mktemp("tinyds")
    return load(make_tiny(root / "tiny"), cache_dir=root / "cache")


def test_areas_have_the_contract_columns_and_hand_values(ds):
    a = ds.areas.set_index("area_code")
    assert list(ds.areas["area_code"]) == sorted(ds.areas["area_code"])
    # E01000004 was in Beta (E07000001, 2019), merged into Betagamma (E06000099) in 2023
    assert a.loc["E01000004", "lad19_code"] == "E07000001"
    assert a.loc["E01000004", "lad_code"] == "E06000099"
    assert a.loc["E01000004", "lad_name"] == "Betagamma"
    assert a.loc["E01000003", "rurality_code"] == "C2"
    assert bool(a.loc["E01000003", "sparse"]) and not bool(a.loc["E01000002", "sparse"])
    assert a.loc["E01000005", "urban_rural"] == "Rural"
    # Core20 = IMD deciles 1-2 (most deprived national quintile)
    assert a["core20"].tolist() == [True, True, False, False, False, False]
    assert a["imd_quintile"].tolist() == [1, 1, 2, 3, 4, 5]
    # 10 people at each age 0..89 + 5 aged 90+ = 905; 65+ = 25*10 + 5 = 255
    assert a.loc["E01000001", "population"] == 905
    assert a.loc["E01000006", "population"] == 1810
    assert a.loc["E01000001", "pct_65_plus"] == pytest.approx(100 * 255 / 905)
    # median of 905: cumulative 450 below age 45 (bands 0-44), 50 in 45-49 -> 45 + 2.5/50*5
    assert a.loc["E01000001", "median_age"] == pytest.approx(45 + (452.5 - 450) / 50 * 5)


def test_areas_carry_the_income_domain_not_the_imd(ds):
    """The income domain (no health domain in it) comes from its own columns of the file:
    E01000003 and E01000004 are IMD deciles 4 and 6 but income deciles 3 and 7."""
    a = ds.areas.set_index("area_code")
    assert a["income_decile"].tolist() == [1, 2, 3, 7, 8, 10]
    assert a["imd_decile"].tolist() == [1, 2, 4, 6, 8, 10]
    assert a.loc["E01000004", "income_score"] == pytest.approx(0.15)
    for name in ("areas", "population", "indicators", "lads", "practices"):
        assert check_frame(getattr(ds, name), TABLE_SCHEMAS[name], name) == []


def test_population_bands(ds):
    p = ds.population
    assert set(p["sex"]) == {"Persons"}
    one = p[p["area_code"] == "E01000001"].set_index("age_band")["population"]
    assert one["0-4"] == 50 and one["85-89"] == 50 and one["90+"] == 5
    assert len(one) == 19


def test_lads_aggregate_population_weighted(ds):
    lads = ds.lads.set_index("lad_code")
    assert list(lads.index) == ["E06000001", "E06000099"]
    bg = lads.loc["E06000099"]
    # populations 905, 905, 1810; scores 20, 10, 5; coastal: 0, 1, 1
    assert bg["population"] == 3620
    assert bg["imd_score"] == pytest.approx((905 * 20 + 905 * 10 + 1810 * 5) / 3620)
    assert bg["coastal_share"] == pytest.approx(2715 / 3620)
    assert bool(bg["coastal"])
    assert bg["rural_share"] == pytest.approx(1.0)
    assert bg["rurality_code"] == "RMF" and bg["urban_rural"] == "Rural"
    assert lads.loc["E06000001", "core20_share"] == pytest.approx(2 / 3)


def test_indicators_harmonised_to_lad_2023(ds):
    ind = ds.indicators
    le = ind[ind["indicator_id"] == "90366"]
    # 2019-21 rows of Beta and Gamma (merged predecessors) are dropped, not averaged
    assert set(le.loc[le["area_level"] == "LAD", "area_code"]) == {"E06000001", "E06000099"}
    assert len(le[(le["area_code"] == "E06000099")]) == 1
    assert ds.log["rows"].sum() == 2
    gp = ind[ind["indicator_id"] == "gp_fte_per_10k"].set_index("area_code")
    assert gp.loc["E06000099", "value"] == pytest.approx(12.5 / 15000 * 10_000)
    ppf = ind[ind["indicator_id"] == "gp_patients_per_fte"].set_index("area_code")
    assert ppf.loc["E06000001", "value"] == pytest.approx(2000.0)
    u75 = ind[(ind["indicator_id"] == "93721") & (ind["area_code"] == "E06000099")]
    assert np.isnan(u75["value"].iloc[0])
    dist = ind[ind["indicator_id"] == "iod_gp_distance_km"]
    assert dist["area_level"].astype(str).eq("LSOA").all() and len(dist) == 6
    eng = ind[ind["area_level"] == "England"]
    assert set(eng["area_code"]) == {"E92000001"}


def test_for_region(ds):
    sw = ds.for_region("E12000009")
    assert set(sw.areas["region_code"]) == {"E12000009"}
    assert list(sw.lads["lad_code"]) == ["E06000099"]
    lad_rows = sw.indicators[sw.indicators["area_level"] == "LAD"]
    assert set(lad_rows["area_code"]) == {"E06000099"}
    assert (sw.indicators["area_level"] == "England").any()
    assert set(sw.population["area_code"]) == {"E01000004", "E01000005", "E01000006"}
    assert ds.for_region("E92000001") is ds
    with pytest.raises(ValueError, match="unknown region"):
        ds.for_region("E12000010")


def test_labels_and_sources(ds):
    assert not ds.is_demo
    assert "Official statistics" in ds.label
    assert {"source_id", "publisher", "title", "vintage", "url", "licence", "sha256",
            "file"} <= set(ds.sources.columns)
    assert len(ds.checksums["imd2019_lsoa11"]) == 64


def test_cache_is_reused_and_invalidated_by_a_changed_file(tiny, tmp_path):
    cache = tmp_path / "cache"
    first = load(tiny, cache_dir=cache)
    folders = sorted(p.name for p in cache.glob("tables-*"))
    second = load(tiny, cache_dir=cache)
    assert sorted(p.name for p in cache.glob("tables-*")) == folders
    pd.testing.assert_frame_equal(first.areas, second.areas)
    pd.testing.assert_frame_equal(first.indicators, second.indicators)
    path = tiny / "imd2019_lsoa11.csv"
    path.write_text(path.read_text().replace("E01000006,5.0", "E01000006,6.0"))
    third = load(tiny, cache_dir=cache)
    assert len(list(cache.glob("tables-*"))) == 2
    assert third.areas.set_index("area_code").loc["E01000006", "imd_score"] == 6.0


def test_checksum_mismatch_warns(tiny, tmp_path):
    text = (tiny / "manifest.toml").read_text()
    text = text.replace('file = "coastal_lsoa11.csv"',
                        'file = "coastal_lsoa11.csv"\nsha256 = "' + "0" * 64 + '"', 1)
    text = text.replace('sha256 = ""\nfile = "coastal_lsoa11.csv"', 'file = "coastal_lsoa11.csv"')
    (tiny / "manifest.toml").write_text(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load(tiny, cache_dir=tmp_path / "c")
    assert any(issubclass(w.category, ChecksumWarning) for w in caught)


def test_folder_without_manifest_gives_a_clear_error(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n")
    with pytest.raises(ValueError, match="no manifest for data folder"):
        load(tmp_path, cache_dir=tmp_path / "c")


def test_indicator_joins_attributes(ds):
    gp = ds.indicator("iod_gp_distance_km")
    assert len(gp) == 6 and {"urban_rural", "coastal", "imd_decile", "value"} <= set(gp.columns)
    assert gp.set_index("area_code").loc["E01000005", "value"] == 4.0
    le = ds.indicator("90366", sex="Male")  # latest period by default: 2021 - 23
    assert set(le["period"]) == {"2021 - 23"}
    assert le.set_index("lad_code").loc["E06000099", "value"] == 81.5
    assert "coastal_share" in le.columns
    old = ds.indicator("90366", period="2019 - 21", sex="Male")
    assert list(old["lad_code"]) == ["E06000001"]  # merged predecessors were dropped
    with pytest.raises(KeyError, match="no indicator 'nope'"):
        ds.indicator("nope")


def test_loads_in_one_process_share_tables_but_not_changes(tiny, tmp_path):
    """A warm kernel loads once; what one notebook does to its frames never reaches the next."""
    cache = tmp_path / "cache"
    first = load(tiny, cache_dir=cache)
    pristine = first.areas.copy(deep=True)
    first.areas["extra"] = 1
    first.areas.loc[0, "imd_score"] = -999.0
    first.indicators.loc[:, "value"] = -1.0
    second = load(tiny, cache_dir=cache)
    assert second.source_key == first.source_key and len(second.source_key) == 20
    pd.testing.assert_frame_equal(second.areas, pristine)
    assert (second.indicators["value"] != -1.0).any()
    # and the remembered tables are the ones a fresh process would read from the files
    fresh = load(tiny, cache_dir=tmp_path / "other-cache")
    pd.testing.assert_frame_equal(second.indicators, fresh.indicators)
