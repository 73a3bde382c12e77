"""The publishers' layouts, read through the shipped official.toml by the same readers.

Samples are written here in each publisher's layout (column headings as published); the
expected values are the samples' own numbers.
"""

import io
import zipfile

import pandas as pd
import pytest
from tinydata import FINGERTIPS_OFFICIAL, IOD_FILE7, write

from inequalities.data.manifest import read_manifest, shipped_manifests
from inequalities.data.readers import read_source
from inequalities.data.validate import validate_source

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def official():
    return read_manifest(shipped_manifests()["official"])


def test_fingertips_export_with_breakdown_rows(official, tmp_path):
    src = official.get("fingertips_93721_u75_preventable")
    write(tmp_path, src.file, FINGERTIPS_OFFICIAL)
    df = read_source(src, tmp_path)
    assert len(df) == 2  # the "Most deprived" breakdown row is not an area total
    assert df.set_index("area_code").loc["E06000001", "count"] == 180
    problems, _ = validate_source(src, tmp_path)
    assert problems == []


def test_iod_file7(official, tmp_path):
    src = official.get("imd2019_file7")
    text = IOD_FILE7.strip().splitlines()
    header = text[0] + (",Health Deprivation and Disability Decile (where 1 is most deprived "
                        "10% of LSOAs),Barriers to Housing and Services Decile (where 1 is "
                        "most deprived 10% of LSOAs),Income Score (rate),Income Decile (where 1 is "
                        "most deprived 10% of LSOAs)")
    rows = [line + ",5,6,0.569,1" for line in text[1:]]
    write(tmp_path, src.file, "\n".join([header, *rows]) + "\n")
    df = read_source(src, tmp_path).set_index("area_code")
    assert df.loc["E01021988", "imd_score"] == 92.735 and bool(df.loc["E01021988", "core20"])
    assert df.loc["E01021988", "income_score"] == 0.569
    assert df.loc["E01021988", "income_decile"] == 1


def test_iod_file8_sheet_xlsx(official, tmp_path):
    src = official.get("imd2019_file8_barriers")
    frame = pd.DataFrame({
        "LSOA code (2011)": ["E01000001", "E01000002"],
        "LSOA name (2011)": ["a", "b"],
        "Road distance to a post office indicator (km)": [0.4, 0.9],
        "Road distance to a primary school indicator (km)": [0.3, 0.8],
        "Road distance to general store or supermarket indicator (km)": [0.2, 0.7],
        "Road distance to a GP surgery indicator (km)": [0.5, 2.5],
    })
    with pd.ExcelWriter(tmp_path / src.file) as xl:
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="Notes", index=False)
        frame.to_excel(xl, sheet_name="Barriers", index=False)
    df = read_source(src, tmp_path)
    gp = df[df["indicator_id"] == "iod_gp_distance_km"].set_index("area_code")["value"]
    assert gp.to_dict() == {"E01000001": 0.5, "E01000002": 2.5}


def test_sape_population_zip_xlsx(official, tmp_path):
    src = official.get("population_lsoa11_mid2019")
    ages = {str(a): [1] for a in range(90)}
    frame = pd.DataFrame({"LSOA Code": ["E01000001"], "LSOA Name": ["x"],
                          "All Ages": [92], **ages, "90+": [2]})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as xl:
        # four title rows above the header, as in the ONS "unformatted" workbook
        frame.to_excel(xl, sheet_name="Mid-2019 Persons", index=False, startrow=4)
    with zipfile.ZipFile(tmp_path / src.file, "w") as archive:
        archive.writestr(src.options["member"], buf.getvalue())
    df = read_source(src, tmp_path).set_index("age_band")["population"]
    assert df["0-4"] == 5 and df["90+"] == 2 and df.sum() == 92


def _official_copy_of_tiny(tiny, dest):
    """Rewrite the tiny dataset in the publishers' layouts (headings as published)."""
    dest.mkdir()
    geo = pd.read_csv(tiny / "lookup_lsoa11_geography.csv")
    geo.rename(columns={
        "lsoa11_code": "LSOA11CD", "lsoa11_name": "LSOA11NM", "sicbl22_code": "SICBL22CD",
        "sicbl22_name": "SICBL22NM", "icb22_code": "ICB22CD", "icb22_name": "ICB22NM",
        "lad19_code": "LAD22CD", "lad19_name": "LAD22NM",
    })[["LSOA11CD", "LSOA11NM", "SICBL22CD", "SICBL22NM", "ICB22CD", "ICB22NM", "LAD22CD",
        "LAD22NM"]].to_csv(dest / "LSOA11_SICBL22_ICB22_LAD22_EN_LU.csv", index=False)
    hist = pd.read_csv(tiny / "lookup_lad_code_history.csv")
    hist.rename(columns={"lad19_code": "LAD22CD", "lad19_name": "LAD22NM",
                         "lad23_code": "LAD23CD", "lad23_name": "LAD23NM"})[
        ["LAD22CD", "LAD22NM", "LAD23CD", "LAD23NM"]].to_csv(dest / "LAD22_LAD23_EW_LU.csv",
                                                             index=False)
    reg = pd.read_csv(tiny / "lookup_lad_region.csv")
    reg[reg["lad_vintage"] == 2023].rename(columns={
        "lad_code": "LAD23CD", "lad_name": "LAD23NM", "region_code": "RGN23CD",
        "region_name": "RGN23NM"})[["LAD23CD", "LAD23NM", "RGN23CD", "RGN23NM"]].to_csv(
        dest / "LAD23_RGN23_EN_LU.csv", index=False)
    ruc = pd.read_csv(tiny / "ruc11_lsoa11.csv")[["LSOA11CD", "LSOA11NM", "RUC11CD", "RUC11"]]
    ruc.to_csv(dest / "RUC11_LSOA11_EW.csv", index=False)
    imd = pd.read_csv(tiny / "imd2019_lsoa11.csv")
    imd.rename(columns={
        "lsoa11_code": "LSOA code (2011)",
        "IMD_score": "Index of Multiple Deprivation (IMD) Score",
        "IMD_rank": "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
        "IMD_decile": "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived "
                      "10% of LSOAs)",
        "Health_decile": "Health Deprivation and Disability Decile (where 1 is most deprived "
                         "10% of LSOAs)",
        "Housing_and_Access_decile": "Barriers to Housing and Services Decile (where 1 is "
                                     "most deprived 10% of LSOAs)",
        "Income_score": "Income Score (rate)",
        "Income_decile": "Income Decile (where 1 is most deprived 10% of LSOAs)",
    }).to_csv(dest / "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_"
                     "Denominators_3.csv", index=False)
    ind = pd.read_csv(tiny / "imd2019_lsoa11_indicators.csv")
    barriers = ind.rename(columns={
        "lsoa11_code": "LSOA code (2011)",
        "road_distance_to_a_gp_surgery_indicator_km":
            "Road distance to a GP surgery indicator (km)",
        "road_distance_to_a_post_office_indicator_km":
            "Road distance to a post office indicator (km)",
        "road_distance_to_general_store_or_supermarket_indicator_km":
            "Road distance to general store or supermarket indicator (km)",
        "road_distance_to_a_primary_school_indicator_km":
            "Road distance to a primary school indicator (km)",
    }).iloc[:, :5]
    health = ind.rename(columns={
        "lsoa11_code": "LSOA code (2011)",
        "years_of_potential_life_lost_indicator": "Years of potential life lost indicator",
        "comparative_illness_and_disability_ratio_indicator":
            "Comparative illness and disability ratio indicator",
        "acute_morbidity_indicator": "Acute morbidity indicator",
        "mood_and_anxiety_disorders_indicator": "Mood and anxiety disorders indicator",
    }).iloc[:, [0, 5, 6, 7, 8]]
    with pd.ExcelWriter(dest / "File_8_-_IoD2019_Underlying_Indicators.xlsx") as xl:
        barriers.to_excel(xl, sheet_name="Barriers", index=False)
        health.to_excel(xl, sheet_name="Health", index=False)
    pop = pd.read_csv(tiny / "population_lsoa11_mid2019.csv")
    pop = pop.rename(columns={"lsoa11_code": "LSOA Code", "lsoa11_name": "LSOA Name",
                              "total_population": "All Ages", "age_90plus": "90+"})
    pop = pop.rename(columns={f"age_{a}": str(a) for a in range(90)})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as xl:
        pop.to_excel(xl, sheet_name="Mid-2019 Persons", index=False, startrow=4)
    with zipfile.ZipFile(dest / "sape22dt2mid2019lsoasyoaestimatesunformatted.zip", "w") as z:
        z.writestr("SAPE22DT2-mid-2019-lsoa-syoa-estimates-unformatted.xlsx", buf.getvalue())
    coast = pd.read_csv(tiny / "coastal_lsoa11.csv")
    coast.rename(columns={"lsoa11_code": "LSOA11CD", "coastal_G25_5": "G25_5"}).to_csv(
        dest / "Coastal_LSOA11_G25_5.csv", index=False)
    le = pd.read_csv(tiny / "fingertips_life_expectancy_lad.csv")
    pd.DataFrame({
        "Indicator ID": 90366, "Indicator Name": le["indicator"], "Area Code": le["area_code"],
        "Area Name": le["area_name"], "Area Type": le["area_type"], "Sex": le["sex"],
        "Age": "All ages", "Category Type": "", "Category": "", "Time period": le["period"],
        "Value": le["value"], "Lower CI 95.0 limit": le["value"] - 0.5,
        "Upper CI 95.0 limit": le["value"] + 0.5, "Count": "", "Denominator": "",
    }).to_csv(dest / "fingertips_90366_501.csv", index=False)
    return dest


def test_official_folder_loads_to_the_same_tables_as_the_tidied_one(tiny, tmp_path):
    from inequalities.data import load
    from inequalities.data.validate import validate_dir

    folder = _official_copy_of_tiny(tiny, tmp_path / "official")
    assert validate_dir(folder) == []
    official = load(folder, cache_dir=tmp_path / "c1")
    tidied = load(tiny, cache_dir=tmp_path / "c2")
    cols = ["area_code", "area_name", "lad_code", "lad_name", "region_code", "region_name",
            "icb_code", "rurality_code", "urban_rural", "sparse", "coastal", "imd_score",
            "imd_decile", "core20", "population", "pct_65_plus"]
    pd.testing.assert_frame_equal(official.areas[cols], tidied.areas[cols])
    pd.testing.assert_frame_equal(official.population, tidied.population)
    for ind_id in ("iod_gp_distance_km", "iod_ypll", "90366"):
        a = official.indicators[official.indicators["indicator_id"] == ind_id]
        b = tidied.indicators[tidied.indicators["indicator_id"] == ind_id]
        assert a["value"].tolist() == b["value"].tolist(), ind_id
    le = official.indicators[official.indicators["indicator_id"] == "90366"]
    assert (le["upper"] - le["lower"]).round(6).eq(1.0).all()
