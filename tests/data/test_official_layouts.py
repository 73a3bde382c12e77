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
                        "most deprived 10% of LSOAs)")
    rows = [line + ",5,6" for line in text[1:]]
    write(tmp_path, src.file, "\n".join([header, *rows]) + "\n")
    df = read_source(src, tmp_path).set_index("area_code")
    assert df.loc["E01021988", "imd_score"] == 92.735 and bool(df.loc["E01021988", "core20"])


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
