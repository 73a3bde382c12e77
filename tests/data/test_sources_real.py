"""Every source read from the real national files (../shared/data) through shared.toml.

Expected values are the checks published in ../shared/data/PROVENANCE.md and in the
publishers' own releases (quoted next to each assertion), not outputs of this code.
"""

import pytest
from tinydata import shared_data

from inequalities.data import load
from inequalities.data.manifest import find_manifest, read_manifest, shipped_manifests
from inequalities.data.readers import read_source
from inequalities.data.validate import validate_dir

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def root():
    return shared_data()


@pytest.fixture(scope="module")
def manifest(root):
    """The shared manifest with the sources of every data vintage (2019 and 2025)."""
    return read_manifest(find_manifest(root).path)


def _read(manifest, root, source_id):
    return read_source(manifest.get(source_id), root)


def test_shipped_shared_manifest_is_found_and_checksums_match(manifest):
    assert manifest.path == shipped_manifests()["shared"]


def test_ruc11_lsoa(manifest, root):
    df = _read(manifest, root, "ruc11_lsoa11")
    counts = df["rurality_code"].value_counts()
    # PROVENANCE: A1 11,523, B1 1,208, C1 14,456, C2 59, D1 2,937, D2 119, E1 2,361, E2 181
    assert counts.to_dict() == {"C1": 14456, "A1": 11523, "D1": 2937, "E1": 2361,
                                "B1": 1208, "E2": 181, "D2": 119, "C2": 59}
    assert (df["urban_rural"] == "Urban").sum() == 27246
    assert df["sparse"].sum() == 59 + 119 + 181


def test_ruc11_lad_and_ruc21(manifest, root):
    lad = _read(manifest, root, "ruc11_lad11")
    # PROVENANCE: classes 1:50, 2:41, 3:54, 4:97, 5:9, 6:75
    assert lad["ruc_class"].value_counts().sort_index().tolist() == [50, 41, 54, 97, 9, 75]
    r21 = _read(manifest, root, "ruc21_lad24")
    assert len(r21) == 296 and (r21["urban_rural"] == "Urban").sum() == 217
    l21 = _read(manifest, root, "ruc21_lsoa21")
    assert len(l21) == 33755 and (l21["rurality_code"] == "UN1").sum() == 26199


def test_imd(manifest, root):
    imd = _read(manifest, root, "imd2019_lsoa11").set_index("area_code")
    # PROVENANCE: rank 1 = E01021988 (Jaywick), score 92.735; E01000001 rank 29,199 decile 9
    assert imd.loc["E01021988", "imd_rank"] == 1
    assert imd.loc["E01021988", "imd_score"] == pytest.approx(92.735)
    assert imd.loc["E01000001", "imd_decile"] == 9
    # Core20 is the most deprived national quintile: 20% of 32,844 LSOAs
    assert imd["core20"].sum() == pytest.approx(0.2 * 32844, abs=2)


def test_lookups_population_coastal(manifest, root):
    geo = _read(manifest, root, "lookup_lsoa11_geography").set_index("area_code")
    assert len(geo) == 32844 and geo["region_code"].nunique() == 9
    assert geo.loc["E01021988", "lad_code"] == "E07000076"  # Tendring
    assert geo["icb_code"].nunique() == 42
    pop = _read(manifest, root, "population_lsoa11_mid2019")
    # ONS mid-2019 England population: 56,286,961
    assert pop["population"].sum() == 56_286_961
    coastal = _read(manifest, root, "coastal_lsoa11")
    assert coastal["coastal"].sum() == 7377


def test_fingertips(manifest, root):
    le = _read(manifest, root, "fingertips_life_expectancy_lad")
    eng = le[(le["area_code"] == "E92000001") & (le["period"] == "2021 - 23")]
    # ONS national life tables 2021-23: males 79.1, females 83.1
    assert eng.set_index("sex")["value"].to_dict() == {"Male": 79.1, "Female": 83.1}
    u75 = _read(manifest, root, "fingertips_u75_preventable_mortality_lad")
    e24 = u75[(u75["area_code"] == "E92000001") & (u75["period"] == "2024")
              & (u75["sex"] == "Persons")]
    assert e24["value"].iloc[0] == pytest.approx(145.8)
    assert set(u75["indicator_id"]) == {"93721"}


def test_gp_workforce_and_ae(manifest, root):
    gp = _read(manifest, root, "gp_patients_per_fte_lad24")
    fte = gp[gp["indicator_id"] == "gp_fte_per_10k"]
    # NHS Digital March 2024: about 62.9 million patients and 36,064 GP FTE
    assert fte["denominator"].sum() == pytest.approx(62.9e6, rel=0.005)
    assert fte["count"].sum() == pytest.approx(36064, rel=0.001)
    ppf = gp[gp["indicator_id"] == "gp_patients_per_fte"]
    assert ppf["value"].median() == pytest.approx(1742, abs=1)
    ae = _read(manifest, root, "nhs_ae_icb22_monthly")
    assert ae["area_code"].nunique() == 42 and ae["period"].nunique() == 40


def test_real_folder_validates(root):
    assert validate_dir(root) == []


def test_load_real_england_and_a_region(root, tmp_path_factory):
    ds = load(root, cache_dir=tmp_path_factory.mktemp("cache"), vintage="2019")
    assert not ds.is_demo and "Official statistics" in ds.label
    assert len(ds.areas) == 32844 and ds.areas["population"].sum() == 56_286_961
    assert len(ds.lads) == 296 and ds.lads["region_code"].nunique() == 9
    lads = ds.lads.set_index("lad_code")
    # PROVENANCE: Blackpool, Torbay, Thanet 100% coastal; Birmingham 0%
    for code in ("E06000009", "E06000027", "E07000114"):
        assert lads.loc[code, "coastal_share"] == pytest.approx(1.0)
    assert lads.loc["E08000025", "coastal_share"] == 0
    # PROVENANCE: 71 LAD19 have >= 50% coastal LSOAs (by count); by population on LAD23
    # a similar number is expected
    assert 55 <= lads["coastal"].sum() <= 80
    sw = ds.for_region("E12000009")
    assert len(sw.areas) == 3281 and set(sw.lads["region_code"]) == {"E12000009"}
    le = sw.indicators[(sw.indicators["indicator_id"] == "90366")
                       & (sw.indicators["area_level"] == "LAD")]
    assert set(le["area_code"]) <= set(sw.lads["lad_code"])
    # ONS Health Index (LAD 2021): 307 LAs minus the 17 merged into 2023 unitaries = 290,
    # over 7 years (PROVENANCE: 307 LAD21 x 7 years; City and Scilly absent from scores)
    dist = ds.indicators[ds.indicators["indicator_id"] == "hi_distance_gp"]
    assert dist["area_code"].nunique() == 290 and dist["period"].nunique() == 7


def test_icb_and_nhs_region_editions_follow_the_staged_lookups(root):
    import csv

    from inequalities.data import editions

    with (root / "lookup_lsoa21_icb24.csv").open(newline="") as f:
        icb = {r["lsoa21_code"]: r["icb24_code"] for r in csv.DictReader(f)}
    # 2025 vintage (2021 small areas): membership straight from the ICB 2024 lookup
    newest = load(root).for_edition(editions.get("icb-north-east-and-north-cumbria"))
    assert set(newest.areas["area_code"]) == {c for c, i in icb.items() if i == "E54000050"}
    # 2019 vintage (2011 small areas): through the LSOA 2011 -> 2021 lookup
    ds = load(root, vintage="2019")
    with (root / "lookup_lsoa11_lsoa21.csv").open(newline="") as f:
        expected = {r["lsoa11_code"] for r in csv.DictReader(f)
                    if icb[r["lsoa21_code"]] == "E54000050"}
    nenc = ds.for_edition(editions.get("icb-north-east-and-north-cumbria"))
    assert set(nenc.areas["area_code"]) == expected
    assert set(nenc.areas["region_code"]) == {"E54000050"}
    # the ICB crosses ONS regions: North East and (north Cumbria) North West
    assert set(nenc.areas["ons_region_code"]) == {"E12000001", "E12000002"}
    icbs = editions.children(editions.get("nhs-north-east-and-yorkshire"))
    region = ds.for_edition(editions.get("nhs-north-east-and-yorkshire"))
    assert len(icbs) == 4
    assert set(region.areas["area_code"]) == set().union(
        *(ds.for_edition(e).areas["area_code"] for e in icbs))
    # Straddling authorities go whole to the ICB of most of their residents: Cumberland
    # (E06000063) to North East and North Cumbria, Westmorland and Furness (E06000064) to
    # Lancashire and South Cumbria
    lads = nenc.lads.set_index("lad_code")
    assert 0.5 < lads.loc["E06000063", "share_in_edition"] < 1.0
    assert "E06000064" not in lads.index
    lsc = ds.for_edition(editions.get("icb-lancashire-and-south-cumbria"))
    assert "E06000064" in set(lsc.lads["lad_code"])
    # every authority is in exactly one ICB edition
    homes = [c for e in editions.in_set("icb") for c in ds.for_edition(e).lads["lad_code"]]
    assert sorted(homes) == sorted(ds.lads["lad_code"])
    # Sussex's published ICB rows keep their 2022 code (E54000053)
    sussex = ds.for_edition(editions.get("icb-sussex")).indicators
    assert set(sussex.loc[sussex["area_level"] == "ICB", "area_code"]) == {"E54000053"}
