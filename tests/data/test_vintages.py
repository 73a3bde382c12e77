"""Data vintages: the manifest switch, the 2021-small-area loaders, and both real vintages.

Hand-made files (``tinydata.make_tiny_2025``) give values checked by hand; the real-data
checks quote ../shared/data/PROVENANCE.md and the publishers' releases.
"""

import pytest
from tinydata import make_tiny_2025, shared_data

from inequalities.data import load
from inequalities.data._assemble import map_small_areas
from inequalities.data.manifest import ManifestError, find_manifest, parse_manifest
from inequalities.data.validate import validate_dir

MANIFEST = """
[manifest]
name = "m"
{default}
[manifest.vintages.2019]
description = "old"
[manifest.vintages.2025]
description = "new"

[[source]]
id = "both"
kind = "lad_history"
file = "h.csv"

[[source]]
id = "old"
kind = "imd_lsoa"
file = "imd2019.csv"
vintages = ["2019"]

[[source]]
id = "new"
kind = "imd_lsoa"
file = "imd2025.csv"
vintages = ["2025"]
"""


def _ids(manifest):
    return [s.id for s in manifest.sources]


@pytest.mark.unit
def test_vintage_defaults_to_the_newest_and_can_be_chosen():
    m = parse_manifest(MANIFEST.format(default=""))
    assert m.vintage_ids() == ["2019", "2025"]
    assert (m.select().vintage, _ids(m.select())) == ("2025", ["both", "new"])
    assert _ids(m.select("2019")) == ["both", "old"]
    assert _ids(m.select(2019)) == ["both", "old"]  # a number works as well as text
    assert m.select("2019").vintage_setting("description") == "old"
    # the manifest's own default wins over "newest"
    pinned = parse_manifest(MANIFEST.format(default='vintage = "2019"'))
    assert pinned.select().vintage == "2019"
    # the cache key differs between vintages
    assert m.select("2019").fingerprint() != m.select("2025").fingerprint()


@pytest.mark.unit
def test_unknown_vintage_names_the_choices():
    m = parse_manifest(MANIFEST.format(default=""))
    with pytest.raises(ManifestError, match="no data vintage '2031'.*2019, 2025"):
        m.select("2031")
    plain = parse_manifest('[[source]]\nid = "a"\nkind = "lad_history"\nfile = "a.csv"\n')
    assert plain.select() is plain
    with pytest.raises(ManifestError, match="declares no data vintages"):
        plain.select("2019")
    with pytest.raises(ManifestError, match=r"vintages must be a list"):
        parse_manifest('[[source]]\nid = "a"\nkind = "k"\nfile = "a"\nvintages = {x = 1}\n')


@pytest.mark.unit
def test_map_small_areas_copies_splits_and_averages_merges():
    import pandas as pd

    long = pd.DataFrame({"area_code": ["A", "B", "C"], "indicator_id": "d",
                         "period": "2019", "sex": "Persons", "age": "All ages",
                         "value": [1.0, 2.0, 4.0]})
    walk = pd.DataFrame({"lsoa11_code": ["A", "B", "B", "C"],
                         "lsoa21_code": ["X", "Y", "Z", "Y"]})
    out = map_small_areas(long, walk).set_index("area_code")["value"]
    # X <- A (unchanged); Y <- mean(B, C) = 3; Z <- B (split)
    assert out.to_dict() == {"X": 1.0, "Y": 3.0, "Z": 2.0}


@pytest.fixture(scope="module")
def tiny25(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny25")
    return make_tiny_2025(root / "tiny"), root / "cache"


@pytest.mark.unit
def test_2021_small_areas_load_into_the_same_tables(tiny25):
    folder, cache = tiny25
    ds = load(folder, cache_dir=cache)
    assert ds.vintage_id == "2025"
    a = ds.areas.set_index("area_code")
    assert list(a.index) == sorted(["E01000001", "E01000003", "E01000004", "E01035001",
                                    "E01035002", "E01035003"])
    # LAD 2022 (= 2021) Gamma was merged into Betagamma in 2023; region from LAD lookup
    assert a.loc["E01035003", "lad21_code"] == "E07000002"
    assert a.loc["E01035003", "lad_code"] == "E06000099"
    assert a.loc["E01035003", "region_code"] == "E12000009"
    assert a.loc["E01035003", "icb_code"] == "E54000063"  # ICB 2024 from its own lookup
    assert a.loc["E01035003", "rurality_code"] == "RSF1"
    assert a.loc["E01035003", "urban_rural"] == "Rural"
    assert a["sparse"].isna().all()  # RUC 2021 has no sparse context
    assert a.loc["E01035001", "core20"] and not a.loc["E01000003", "core20"]
    # Census bands: 17 x 10 + 20 = 190; 65+ = 4 x 10 + 20 = 60
    assert a.loc["E01000001", "population"] == 190
    assert a.loc["E01035003", "population"] == 380
    assert a.loc["E01000001", "pct_65_plus"] == pytest.approx(100 * 60 / 190)
    # median of 190: 90 below 45 (9 bands), 10 in 45-49 -> 45 + (95 - 90) / 10 * 5
    assert a.loc["E01000001", "median_age"] == pytest.approx(47.5)
    bands = ds.population["age_band"].cat.categories.tolist()
    assert bands[0] == "0-4" and bands[-1] == "85+" and len(bands) == 18
    # same column names as the 2019 vintage: topics run unchanged
    old = load(folder, cache_dir=cache, vintage="2019")
    assert old.vintage_id == "2019" and len(old.areas) == 6
    for name in ("areas", "population", "indicators", "lads"):
        new_cols = set(getattr(ds, name).columns) - {"lad21_code"}
        assert new_cols == set(getattr(old, name).columns) - {"lad19_code"}, name


@pytest.mark.unit
def test_2019_distances_are_carried_to_2021_areas_and_say_so(tiny25):
    folder, cache = tiny25
    ds = load(folder, cache_dir=cache)
    gp = ds.indicator("iod_gp_distance_km").set_index("area_code")
    # 2011 values: E01000002 0.7 (split), E01000005 4.0 and E01000006 3.0 (merged)
    assert gp.loc["E01035001", "value"] == gp.loc["E01035002", "value"] == 0.7
    assert gp.loc["E01035003", "value"] == pytest.approx(3.5)
    assert gp.loc["E01000004", "value"] == 2.0
    assert set(gp["period"]) == {"2019"}
    name = ds.indicators.loc[ds.indicators["indicator_id"] == "iod_gp_distance_km",
                             "indicator"].iloc[0]
    assert "IoD 2019" in name and "2021" in name
    ypll = ds.indicator("iod_ypll").set_index("area_code")
    assert set(ypll["period"]) == {"2025"} and ypll.loc["E01035003", "value"] == 75.0
    assert "2011 values carried" in " ".join(ds.log["detail"])


@pytest.mark.unit
def test_tiny_2025_folder_validates(tiny25):
    folder, _ = tiny25
    assert validate_dir(folder) == []


@pytest.mark.unit
def test_missing_new_files_point_to_the_switch(tmp_path):
    from tinydata import make_tiny

    folder = make_tiny(tmp_path / "old")
    (folder / "manifest.toml").unlink()  # a bare folder of 2019 files, found by its files
    with pytest.raises(ManifestError, match="--vintage 2019"):
        find_manifest(folder)
    assert find_manifest(folder, "2019").vintage == "2019"


@pytest.mark.integration
@pytest.mark.parametrize("vintage, n_areas, population, coastal", [
    # PROVENANCE: 32,844 LSOA 2011, ONS mid-2019 56,286,961, 7,377 coastal (2011 flag);
    # 33,755 LSOA 2021, Census 2021 TS007A 56,490,091, 7,545 coastal (2021 flag)
    ("2019", 32844, 56_286_961, 7377),
    ("2025", 33755, 56_490_091, 7545),
])
def test_real_vintages_load(vintage, n_areas, population, coastal, tmp_path_factory):
    ds = load(shared_data(), cache_dir=tmp_path_factory.mktemp("c"), vintage=vintage)
    a = ds.areas
    assert (len(a), int(a["population"].sum()), int(a["coastal"].sum())) == (
        n_areas, population, coastal)
    assert ds.vintage_id == vintage and f"IoD {vintage}" in ds.vintage
    assert a["region_code"].notna().all() and a["lad_code"].nunique() == 296
    assert a["icb_code"].nunique() == 42
    imd = a.set_index("area_code")
    # PROVENANCE: rank 1 is Jaywick (Tendring 018A, E01021988) in both releases;
    # score 92.735 (2019) and 94.223 (2025)
    assert imd.loc["E01021988", "imd_rank"] == 1
    assert imd.loc["E01021988", "imd_score"] == pytest.approx(
        {"2019": 92.735, "2025": 94.223}[vintage])
    gp = ds.indicator("iod_gp_distance_km")
    assert len(gp) == n_areas and set(gp["period"]) == {"2019"}
    if vintage == "2025":
        # PROVENANCE: Jaywick CIDR 318.8, YPLL 99.8 (IoD 2025 File 8)
        cidr = ds.indicator("iod_cidr").set_index("area_code")
        assert cidr.loc["E01021988", "value"] == pytest.approx(318.8, abs=0.05)
        # PROVENANCE: Census 2021 England 65+ share 18.4%
        old = (a["pct_65_plus"] * a["population"]).sum() / a["population"].sum()
        assert old == pytest.approx(18.4, abs=0.05)
