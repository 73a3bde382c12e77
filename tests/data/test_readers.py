"""Each reader on a small sample written here, in the tidied and the official layouts."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydata import FINGERTIPS_OFFICIAL, IOD_FILE7, write

from inequalities.data.manifest import parse_manifest
from inequalities.data.readers import SourceError, area_level_of, read_source

pytestmark = pytest.mark.unit


def _source(body: str):
    return parse_manifest("[manifest]\nname='t'\n[[source]]\n" + body).sources[0]


def test_ruc11_lsoa_sparse_and_urban_rural_from_codes(tmp_path):
    write(tmp_path, "ruc.csv", """
LSOA11CD,RUC11CD
E01000001,A1
E01000002,C2
E01000003,D2
E01000004,E1
""")
    src = _source('id="r"\nkind="ruc_lsoa"\nfile="ruc.csv"\n'
                  '[source.columns]\narea_code="LSOA11CD"\nrurality_code="RUC11CD"\n')
    df = read_source(src, tmp_path)
    assert df["urban_rural"].tolist() == ["Urban", "Urban", "Rural", "Rural"]
    assert df["sparse"].tolist() == [False, True, True, False]
    assert df["rurality"].iloc[2] == "Rural town and fringe in a sparse setting"


def test_ruc21_lad_labels(tmp_path):
    write(tmp_path, "r.csv", "LAD24CD,RUC21CD\nE06000001,UUN\nE07000001,RMF\n")
    src = _source('id="r"\nkind="ruc_lad"\nfile="r.csv"\n'
                  '[source.columns]\nlad_code="LAD24CD"\nrurality_code="RUC21CD"\n')
    df = read_source(src, tmp_path)
    assert df["urban_rural"].tolist() == ["Urban", "Rural"]


def test_ruc11_lad_broad_class(tmp_path):
    write(tmp_path, "r.csv", "LAD11CD,RUC11CD\nE06000001,4\nE07000001,1\nE07000002,2\n")
    src = _source('id="r"\nkind="ruc_lad11"\nfile="r.csv"\n'
                  '[source.columns]\nlad_code="LAD11CD"\nruc_class="RUC11CD"\n')
    assert read_source(src, tmp_path)["urban_rural"].tolist() == ["Urban", "Rural", "Rural"]


def test_imd_official_file7_layout_core20(tmp_path):
    write(tmp_path, "f7.csv", IOD_FILE7)
    src = _source('id="i"\nkind="imd_lsoa"\nfile="f7.csv"\n[source.columns]\n'
                  'area_code="LSOA code (2011)"\n'
                  'imd_score="Index of Multiple Deprivation (IMD) Score"\n'
                  'imd_rank="Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"\n'
                  'imd_decile="Index of Multiple Deprivation (IMD) Decile (where 1 is most '
                  'deprived 10% of LSOAs)"\n')
    df = read_source(src, tmp_path).set_index("area_code")
    assert df.loc["E01021988", "imd_rank"] == 1
    assert df["imd_quintile"].tolist() == [5, 1, 2]
    assert df["core20"].tolist() == [False, True, False]


FINGERTIPS_OFFICIAL_COLUMNS = """
[source.columns]
indicator_id = "Indicator ID"
indicator = "Indicator Name"
area_code = "Area Code"
area_name = "Area Name"
area_type = "Area Type"
sex = "Sex"
age = "Age"
period = "Time period"
value = "Value"
lower = "Lower CI 95.0 limit"
upper = "Upper CI 95.0 limit"
count = "Count"
denominator = "Denominator"
"""


def test_fingertips_standard_export_layout(tmp_path):
    write(tmp_path, "ft.csv", FINGERTIPS_OFFICIAL)
    src = _source('id="f"\nkind="fingertips"\nfile="ft.csv"\n' + FINGERTIPS_OFFICIAL_COLUMNS)
    df = read_source(src, tmp_path)
    assert df["indicator_id"].tolist() == ["93721"] * 3
    row = df.iloc[1]
    assert (row["area_code"], row["count"], row["denominator"]) == ("E06000001", 180, 90000)
    assert (row["lower"], row["value"], row["upper"]) == (180.1, 200.5, 222.3)
    assert np.isnan(df["count"].iloc[2])
    assert area_level_of(df["area_code"]).tolist() == ["England", "LAD", "LAD"]


def test_fingertips_tidied_layout_with_constants(tmp_path):
    write(tmp_path, "le.csv", """
area_code,area_name,area_type,period,indicator,measure,unit,value,compared_to_England,sex
E92000001,England,Country,2021 - 23,Life expectancy at birth,Life expectancy,Years,79.1,Not compared,Male
E06000001,Hartlepool,UA,2021 - 23,Life expectancy at birth,Life expectancy,Years,,Worse,Male
""")
    src = _source('id="f"\nkind="fingertips"\nfile="le.csv"\n[source.columns]\n'
                  'area_code="area_code"\nsex="sex"\nperiod="period"\nvalue="value"\n'
                  '[source.constants]\nindicator_id="90366"\n')
    df = read_source(src, tmp_path)
    assert df["indicator_id"].tolist() == ["90366", "90366"]
    assert df["value"].iloc[0] == 79.1 and np.isnan(df["value"].iloc[1])
    assert np.isnan(df["lower"]).all()


def test_population_single_years_to_bands(tmp_path):
    ages = ",".join(f"{a}" for a in range(90))
    counts = ",".join(str(a) for a in range(90))  # a people aged a
    write(tmp_path, "p.csv", f"LSOA Code,All Ages,{ages},90+\nE01000001,{sum(range(90)) + 7},"
                             f"{counts},7\n")
    src = _source('id="p"\nkind="population_sya"\nfile="p.csv"\n'
                  '[source.columns]\narea_code="LSOA Code"\ntotal="All Ages"\n'
                  '[source.constants]\nsex="Persons"\n'
                  '[source.options]\nage_column="{age}"\nopen_age_column="90+"\n')
    df = read_source(src, tmp_path).set_index("age_band")["population"]
    assert df["0-4"] == 0 + 1 + 2 + 3 + 4
    assert df["85-89"] == 85 + 86 + 87 + 88 + 89
    assert df["90+"] == 7 and len(df) == 19


def test_iod_indicators_wide_to_long_and_coastal(tmp_path):
    write(tmp_path, "i.csv", "code,gp_km,ypll\nE01000001,0.5,70.3\nE01000002,2.5,\n")
    src = _source('id="i"\nkind="iod_indicators"\nfile="i.csv"\n[source.columns]\n'
                  'area_code="code"\n[source.indicators]\niod_gp_distance_km="gp_km"\n'
                  'iod_ypll="ypll"\n')
    df = read_source(src, tmp_path)
    assert len(df) == 4
    gp = df[df["indicator_id"] == "iod_gp_distance_km"].set_index("area_code")["value"]
    assert gp.to_dict() == {"E01000001": 0.5, "E01000002": 2.5}
    write(tmp_path, "c.csv", "lsoa,flag\nE01000001,1\nE01000002,0\n")
    csrc = _source('id="c"\nkind="coastal_lsoa"\nfile="c.csv"\n[source.columns]\n'
                   'area_code="lsoa"\ncoastal="flag"\n')
    assert read_source(csrc, tmp_path)["coastal"].tolist() == [True, False]


def test_gp_workforce_and_ae(tmp_path):
    write(tmp_path, "g.csv", "lad,pat,fte\nE06000001,20000,8\n")
    src = _source('id="g"\nkind="gp_workforce_lad"\nfile="g.csv"\n[source.columns]\n'
                  'lad_code="lad"\npatients="pat"\ngp_fte="fte"\n[source.constants]\n'
                  'period="2024-03"\n')
    df = read_source(src, tmp_path).set_index("indicator_id")
    assert df.loc["gp_patients_per_fte", "value"] == 2500
    assert df.loc["gp_fte_per_10k", "value"] == 4.0
    write(tmp_path, "a.csv", "icb,att,over,adm,month\nE54000001,200,50,40,April 2022\n")
    asrc = _source('id="a"\nkind="ae_icb"\nfile="a.csv"\n[source.columns]\nicb_code="icb"\n'
                   'attendances="att"\nattendances_over_4h="over"\n'
                   'emergency_admissions="adm"\nperiod="month"\n')
    ae = read_source(asrc, tmp_path).set_index("indicator_id")
    assert ae.loc["ae_over_4h_pct", "value"] == 25.0
    assert ae.loc["ae_over_4h_pct", "period"] == "2022-04"


def test_missing_column_error_names_file_column_and_fix(tmp_path):
    write(tmp_path, "c.csv", "lsoa,flag\nE01000001,1\n")
    src = _source('id="c"\nkind="coastal_lsoa"\nfile="c.csv"\n[source.columns]\n'
                  'area_code="lsoa11_code"\ncoastal="flag"\n')
    with pytest.raises(SourceError, match=r"c\.csv: missing column\(s\) 'lsoa11_code'.*Fix"):
        read_source(src, tmp_path)


def test_non_numeric_value_is_reported_with_row(tmp_path):
    write(tmp_path, "g.csv", "lad,pat,fte\nE06000001,20000,8\nE06000002,many,8\n")
    src = _source('id="g"\nkind="gp_workforce_lad"\nfile="g.csv"\n[source.columns]\n'
                  'lad_code="lad"\npatients="pat"\ngp_fte="fte"\n[source.constants]\n'
                  'period="2024-03"\n')
    with pytest.raises(SourceError, match="'many' in data row 2"):
        read_source(src, tmp_path)


def test_long_lad_keeps_declared_indicators(tmp_path):
    write(tmp_path, "hi.csv", """
lad21_code,year,indicator,value
E06000001,2019,Distance to GP services,1.25
E06000001,2019,Smoking,17.0
E06000002,2019,Distance to GP services,0.75
""")
    src = _source('id="h"\nkind="long_lad"\nfile="hi.csv"\n[source.columns]\n'
                  'lad_code="lad21_code"\nperiod="year"\nindicator_name="indicator"\n'
                  'value="value"\n[source.indicators]\nhi_distance_gp="Distance to GP services"\n')
    df = read_source(src, tmp_path)
    assert df["indicator_id"].tolist() == ["hi_distance_gp", "hi_distance_gp"]
    assert df["value"].tolist() == [1.25, 0.75] and df["period"].tolist() == ["2019", "2019"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=91, max_size=91))
def test_population_bands_partition_the_single_years(counts):
    import tempfile
    from pathlib import Path

    header = ",".join(f"age_{a}" for a in range(90))
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "p.csv").write_text(
            f"code,total,{header},age_90plus\nE01000001,{sum(counts)},"
            + ",".join(map(str, counts)) + "\n")
        src = _source('id="p"\nkind="population_sya"\nfile="p.csv"\n'
                      '[source.columns]\narea_code="code"\ntotal="total"\n')
        bands = read_source(src, tmp)["population"].tolist()
    assert sum(bands) == sum(counts)
    assert bands[:18] == [sum(counts[5 * i:5 * i + 5]) for i in range(18)]
    assert bands[18] == counts[90]


def test_fingertips_publisher_comparison_read_and_checked(tmp_path):
    # The publisher's judgement is kept in plain words, both spellings of it (the tidied
    # extract's "Better", the standard export's "Worse 95%"); anything else stops the read.
    write(tmp_path, "le.csv", """
area_code,sex,period,value,compared_to_England
E92000001,Male,2021 - 23,79.1,Not compared
E06000001,Male,2021 - 23,76.5,Worse 95%
E06000002,Male,2021 - 23,81.0,Better
E06000003,Male,2021 - 23,79.0,Similar
E06000004,Male,2021 - 23,,
""")
    manifest = ('id="f"\nkind="fingertips"\nfile="le.csv"\n[source.columns]\n'
                'area_code="area_code"\nsex="sex"\nperiod="period"\nvalue="value"\n'
                'compared="compared_to_England"\n[source.constants]\nindicator_id="90366"\n')
    df = read_source(_source(manifest), tmp_path)
    assert df["compared"].iloc[:4].tolist() == ["not compared", "worse", "better", "similar"]
    assert pd.isna(df["compared"].iloc[4])
    write(tmp_path, "le.csv", "area_code,sex,period,value,compared_to_England\n"
                              "E06000001,Male,2021 - 23,76.5,Worse 99.8%\n")
    with pytest.raises(SourceError, match="Worse 99.8%"):
        read_source(_source(manifest), tmp_path)


def test_readers_and_schema_accept_the_same_comparisons():
    from inequalities.data.readers import COMPARED_VALUES
    from inequalities.data.schemas import FINGERTIPS_COMPARED

    assert set(COMPARED_VALUES) == set(FINGERTIPS_COMPARED)
