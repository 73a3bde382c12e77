"""The GP practice sources and the ``practices`` table (issue 16).

Small hand-made files in the layouts of ../shared/data, read through the shipped shared
manifest's own entries for them; expected values are worked out by hand in each test. The
real-data test recomputes national totals from the CSV files with the csv module and
checks them against PROVENANCE.md's published QOF and workforce figures.
"""

import csv
import math

import pandas as pd
import pytest
from tinydata import shared_data, write

from inequalities.data import _assemble
from inequalities.data.manifest import find_manifest, read_manifest, shipped_manifests
from inequalities.data.readers import read_source

PRACTICE_IDS = ("qof_prevalence_practice_2223", "qof_practice_nhs_geography_2223",
                "gp_practices_ods_epraccur", "fingertips_93553_gp_practice_imd_score",
                "gp_practice_workforce_fy_heec")


@pytest.fixture
def manifest():
    return read_manifest(shipped_manifests()["shared"])


@pytest.fixture
def folder(tmp_path):
    write(tmp_path, "qof_prevalence_practice_2223.csv", """
PRACTICE_CODE,GROUP_CODE,REGISTER,PATIENT_LIST_TYPE,PRACTICE_LIST_SIZE
A81001,HYP,600.0,TOTAL,4000
A81001,COPD,80.0,TOTAL,4000
H81002,HYP,900.0,TOTAL,6000
H81002,COPD,60.0,TOTAL,6000
W91003,HYP,10.0,TOTAL,100
""")
    write(tmp_path, "qof_practice_nhs_geography_2223.csv", """
ICB_ODS_CODE,PRACTICE_CODE,PRACTICE_NAME
QHM,A81001,The Densham Surgery
QXU,H81002,Surrey Practice
""")
    # the second geography source only fills gaps; W91003 has a Welsh health board code
    write(tmp_path, "gp_practices_ods_epraccur.csv", """
organisation_code,name,high_level_health_geography
A81001,SHOULD NOT WIN,QNX
W91003,WELSH PRACTICE,7A1
Y99999,NEW PRACTICE,QNX
""")
    write(tmp_path, "fingertips_93553_gp_practice_imd_score.csv", """
IndicatorID,Year,AreaCode,AreaName,IsAreaCurrent,Value
93553,2015,A81001,The Densham Surgery,1,10.0
93553,2019,A81001,The Densham Surgery,1,32.5
93553,2019,H81002,Surrey Practice,1,8.25
""")
    write(tmp_path, "gp_practice_workforce_fy_heec.csv", """
"Practice.Code","Year","ICB_NAME","TOTAL_PATIENTS","TOTAL_GP_EXTGL_FTE"
"A81001","2023","x",4027.5,2
"A81001","2025","x",4100,NA
"Y99999","2024","x",3000,1.5
""")
    return tmp_path


def _areas():
    """Two ICBs' residents: QHM (E54000050) mostly in the North East, QXU (E54000063) in
    the South East."""
    return pd.DataFrame({"area_code": ["X1", "X2", "X3"],
                         "icb_code": ["E54000050", "E54000050", "E54000063"],
                         "region_code": ["E12000001", "E12000002", "E12000008"],
                         "region_name": ["North East", "North West", "South East"],
                         "population": [900, 100, 500]})


def _practices(manifest, folder):
    narrowed = manifest.select()
    return _assemble.build_practices(narrowed, folder, _areas())


def test_manifest_declares_practice_sources_for_both_vintages(manifest):
    for source_id in PRACTICE_IDS:
        src = manifest.get(source_id)
        assert src.vintages == ()  # practice data belong to both vintages
        for vintage in ("2019", "2025"):
            assert source_id in {s.id for s in manifest.select(vintage).sources}


def test_readers_tidy_each_layout(manifest, folder):
    qof = read_source(manifest.get("qof_prevalence_practice_2223"), folder)
    assert qof["measure"].tolist()[:2] == ["qof_hyp", "qof_copd"]
    assert qof["count"].tolist()[:2] == [600.0, 80.0]  # "600.0" read as a number
    assert set(qof["period"]) == {"2022-23"}
    imd = read_source(manifest.get("fingertips_93553_gp_practice_imd_score"), folder)
    assert imd.set_index("practice_code")["imd_score"].to_dict() == {"A81001": 32.5,
                                                                     "H81002": 8.25}
    work = read_source(manifest.get("gp_practice_workforce_fy_heec"), folder)
    assert work["period"].tolist() == ["2022/23", "2024/25", "2023/24"]
    assert math.isnan(work["count"].iloc[1])  # NA FTE stays missing (no zero)


def test_practices_table_joins_icb_region_and_deciles(manifest, folder):
    p = _practices(manifest, folder)
    one = p.drop_duplicates("practice_code").set_index("practice_code")
    # the Welsh practice has no English ICB: dropped
    assert set(one.index) == {"A81001", "H81002", "Y99999"}
    assert one.loc["A81001", "practice_name"] == "The Densham Surgery"  # QOF mapping first
    assert one.loc["A81001", "icb_code"] == "E54000050"
    assert one.loc["A81001", "nhs_region_code"] == "E40000012"  # North East and Yorkshire
    assert one.loc["A81001", "region_code"] == "E12000001"  # 900 of QHM's 1,000 residents
    # QXU's ONS code changed in 2024 (E54000052 in QOF's mapping): the ODS code gives the
    # 2024 code of Surrey Heartlands
    assert one.loc["H81002", "icb_code"] == "E54000063"
    assert one.loc["H81002", "region_code"] == "E12000008"
    assert one.loc["Y99999", "icb_code"] == "E54000064"  # QNX Sussex, from epraccur
    # two practices with a score: decile = ceil(10 * rank / 2) -> 5 and 10
    assert one.loc["A81001", "imd_decile"] == 5
    assert one.loc["H81002", "imd_decile"] == 10
    assert pd.isna(one.loc["Y99999", "imd_decile"])


def test_practice_deciles_split_practices_equally_most_deprived_first():
    scores = pd.Series([float(s) for s in range(20, 0, -1)] + [float("nan")])
    deciles = _assemble.practice_deciles(scores)
    assert deciles.iloc[:20].tolist() == [d for d in range(1, 11) for _ in range(2)]
    assert pd.isna(deciles.iloc[20])


def test_no_practice_sources_gives_an_empty_table(manifest, tmp_path):
    p = _assemble.build_practices(manifest.select(), tmp_path, _areas())
    assert p.empty and list(p.columns) == _assemble.PRACTICE_COLUMNS


@pytest.mark.integration
def test_real_national_totals_match_the_csv_files():
    from inequalities.data import load
    from inequalities.topics import clinical

    root = shared_data()
    assert find_manifest(root).name == "shared"
    registers: dict[str, list[float]] = {}
    with open(root / "qof_prevalence_practice_2223.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["GROUP_CODE"] in ("HYP", "COPD", "MH"):
                total = registers.setdefault(row["GROUP_CODE"], [0.0, 0.0, 0])
                total[0] += float(row["REGISTER"])
                total[1] += float(row["PRACTICE_LIST_SIZE"])
                total[2] += 1
    fte = patients = all_fte = 0.0
    with open(root / "gp_practice_workforce_fy_heec.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Year"] == "2023" and row["TOTAL_GP_EXTGL_FTE"] not in ("", "NA"):
                all_fte += float(row["TOTAL_GP_EXTGL_FTE"])
                if float(row["TOTAL_PATIENTS"]) > 0:  # a rate needs patients
                    fte += float(row["TOTAL_GP_EXTGL_FTE"])
                    patients += float(row["TOTAL_PATIENTS"])
    dataset = load(root)
    prev = clinical.prevalence_frame(dataset).set_index(["measure", "group"])
    for group, (register, listed, n) in registers.items():
        row = prev.loc[("qof_" + group.lower(), clinical.ALL)]
        assert row["count"] == register and row["denominator"] == listed
        assert row["n"] == n == 6_378
    # PROVENANCE.md (= QOF 2022-23 national table): HYP 14.42%, COPD 1.85%, MH 1.00%
    assert prev.loc[("qof_hyp", clinical.ALL), "value"] == pytest.approx(14.42, abs=0.005)
    assert prev.loc[("qof_copd", clinical.ALL), "value"] == pytest.approx(1.85, abs=0.005)
    assert prev.loc[("qof_mh", clinical.ALL), "value"] == pytest.approx(1.00, abs=0.005)
    work = clinical.workforce_frame(dataset)
    england = work[work["view"].eq("decile") & work["group"].eq(clinical.ALL)
                   & work["period"].eq("2022/23")].iloc[0]
    assert england["fte"] == pytest.approx(fte) and england["patients"] == pytest.approx(patients)
    assert round(all_fte) == 26_627  # PROVENANCE.md: England FY 2022/23, every row
    assert 0 < all_fte - fte < 200  # practice-years with no patients recorded: left out


def test_icb_home_region_reads_2022_icb_codes_of_2011_areas():
    # E01016849 (Brighton and Hove 026A) carries Sussex's 2022 code E54000053; the
    # practices carry its 2024 code E54000064 (ODS QNX)
    areas = pd.DataFrame({"area_code": ["E01016849"], "icb_code": ["E54000053"],
                          "region_code": ["E12000008"], "region_name": ["South East"],
                          "population": [1500]})
    home = _assemble._icb_home_region(areas)
    assert home.loc["E54000064", "region_code"] == "E12000008"
