"""Helpers for the data-layer tests: a tiny hand-made dataset in the shared layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
if not SHARED.is_dir():  # worktrees sit beside the main clone; CI has ../shared
    SHARED = Path("/work/shared/data")


def shared_data() -> Path:
    """The real national files, or skip the test with the reason."""
    if not (SHARED / "PROVENANCE.md").is_file():
        pytest.skip(f"real data folder {SHARED} is absent (CI has it at ../shared/data)")
    return SHARED


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text.lstrip("\n"), encoding="utf-8")


def write_manifest_without_checksums(folder: Path, vintage: str = "2019") -> None:
    """Copy the shipped shared manifest into ``folder`` with checksums not pinned.

    ``vintage`` becomes the folder's default data vintage: the tiny dataset of
    :func:`make_tiny` is in the 2019 layout (LSOA 2011), that of :func:`make_tiny_2025`
    in the 2025 one (LSOA 2021).
    """
    text = (REPO / "data" / "manifests" / "shared.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^sha256 = "[0-9a-f]*"', 'sha256 = ""', text)
    text = re.sub(r'(?m)^vintage = "\d+"$', f'vintage = "{vintage}"', text, count=1)
    (folder / "manifest.toml").write_text(text, encoding="utf-8")


# Six LSOAs: three in LA "E06000001" (North East), three in two LAs of the South West,
# one of which (E07000001, 2019) was merged into E06000099 in 2023 together with
# E07000002. Ages: every LSOA has 10 people of each single year 0..89 and 5 aged 90+,
# except E01000006 which has 20 of each (so hand calculations are easy).
LSOAS = ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005", "E01000006"]


def make_tiny(folder: Path) -> Path:
    """Write the tiny dataset (all required sources of shared.toml) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    write(folder, "lookup_lsoa11_geography.csv", """
lsoa11_code,lsoa11_name,msoa11_code,msoa11_name,lad19_code,lad19_name,region_code,region_name,icb22_code,icb22_name,sicbl22_code,sicbl22_name
E01000001,Alpha 001A,E02000001,Alpha 001,E06000001,Alpha,E12000001,North East,E54000001,NHS One ICB,E38000001,One sub
E01000002,Alpha 001B,E02000001,Alpha 001,E06000001,Alpha,E12000001,North East,E54000001,NHS One ICB,E38000001,One sub
E01000003,Alpha 002A,E02000002,Alpha 002,E06000001,Alpha,E12000001,North East,E54000001,NHS One ICB,E38000001,One sub
E01000004,Beta 001A,E02000003,Beta 001,E07000001,Beta,E12000009,South West,E54000002,NHS Two ICB,E38000002,Two sub
E01000005,Gamma 001A,E02000004,Gamma 001,E07000002,Gamma,E12000009,South West,E54000002,NHS Two ICB,E38000002,Two sub
E01000006,Gamma 001B,E02000004,Gamma 001,E07000002,Gamma,E12000009,South West,E54000002,NHS Two ICB,E38000002,Two sub
""")
    write(folder, "lookup_lad_code_history.csv", """
lad19_code,lad19_name,lad21_code,lad21_name,lad23_code,lad23_name,lad24_code,lad24_name
E06000001,Alpha,E06000001,Alpha,E06000001,Alpha,E06000001,Alpha
E07000001,Beta,E07000001,Beta,E06000099,Betagamma,E06000099,Betagamma
E07000002,Gamma,E07000002,Gamma,E06000099,Betagamma,E06000099,Betagamma
""")
    write(folder, "lookup_lad_region.csv", """
lad_vintage,lad_name,lad_code,region_name,region_code
2019,Alpha,E06000001,North East,E12000001
2019,Beta,E07000001,South West,E12000009
2019,Gamma,E07000002,South West,E12000009
2023,Alpha,E06000001,North East,E12000001
2023,Betagamma,E06000099,South West,E12000009
2024,Alpha,E06000001,North East,E12000001
2024,Betagamma,E06000099,South West,E12000009
""")
    write(folder, "ruc11_lsoa11.csv", """
LSOA11CD,LSOA11NM,RUC11CD,RUC11,urban_rural
E01000001,Alpha 001A,A1,Urban major conurbation,Urban
E01000002,Alpha 001B,C1,Urban city and town,Urban
E01000003,Alpha 002A,C2,Urban city and town in a sparse setting,Urban
E01000004,Beta 001A,D1,Rural town and fringe,Rural
E01000005,Gamma 001A,E2,Rural village and dispersed in a sparse setting,Rural
E01000006,Gamma 001B,E1,Rural village and dispersed,Rural
""")
    write(folder, "ruc21_lad24.csv", """
lad24_code,ruc21_code,classification,ruc
E06000001,UUN,Urban: Majority nearer to a major town or city,Urban
E06000099,RMF,Majority rural: Majority further from a major town or city,Rural
""")
    write(folder, "imd2019_lsoa11.csv", """
lsoa11_code,IMD_score,IMD_rank,IMD_decile,Health_decile,Housing_and_Access_decile,Income_score,Income_decile
E01000001,60.0,1,1,1,5,0.41,1
E01000002,40.0,2,2,2,5,0.32,2
E01000003,30.0,3,4,3,5,0.21,3
E01000004,20.0,4,6,5,2,0.15,7
E01000005,10.0,5,8,7,1,0.08,8
E01000006,5.0,6,10,9,1,0.03,10
""")
    write(folder, "imd2019_lsoa11_indicators.csv", """
lsoa11_code,road_distance_to_a_gp_surgery_indicator_km,road_distance_to_a_post_office_indicator_km,road_distance_to_general_store_or_supermarket_indicator_km,road_distance_to_a_primary_school_indicator_km,years_of_potential_life_lost_indicator,comparative_illness_and_disability_ratio_indicator,acute_morbidity_indicator,mood_and_anxiety_disorders_indicator
E01000001,0.5,0.4,0.3,0.2,120.0,110.0,0.5,0.4
E01000002,0.7,0.4,0.3,0.2,110.0,105.0,0.3,0.2
E01000003,1.0,0.4,0.3,0.2,100.0,100.0,0.1,0.0
E01000004,2.0,0.4,0.3,0.2,90.0,95.0,-0.1,-0.2
E01000005,4.0,0.4,0.3,0.2,80.0,90.0,-0.3,-0.4
E01000006,3.0,0.4,0.3,0.2,70.0,85.0,-0.5,-0.6
""")
    ages = [f"age_{a}" for a in range(90)] + ["age_90plus"]
    lines = ["lsoa11_name,lsoa11_code,total_population," + ",".join(ages)]
    for code in LSOAS:
        k = 20 if code == "E01000006" else 10
        counts = [k] * 90 + [k // 2]
        lines.append(f"x,{code},{sum(counts)}," + ",".join(map(str, counts)))
    write(folder, "population_lsoa11_mid2019.csv", "\n".join(lines) + "\n")
    write(folder, "coastal_lsoa11.csv", """
lsoa11_code,coastal_G25_5
E01000001,1
E01000002,1
E01000003,0
E01000004,0
E01000005,1
E01000006,1
""")
    head = ("area_code,area_name,area_type,period,indicator,measure,unit,value,"
            "compared_to_England,sex")
    write(folder, "fingertips_life_expectancy_lad.csv", f"""
{head}
E92000001,England,Country,2019 - 21,Life expectancy at birth,Life expectancy,Years,79.0,Not compared,Male
E06000001,Alpha,UA,2019 - 21,Life expectancy at birth,Life expectancy,Years,76.0,Worse,Male
E07000001,Beta,District,2019 - 21,Life expectancy at birth,Life expectancy,Years,81.0,Better,Male
E07000002,Gamma,District,2019 - 21,Life expectancy at birth,Life expectancy,Years,82.0,Better,Male
E92000001,England,Country,2021 - 23,Life expectancy at birth,Life expectancy,Years,79.1,Not compared,Male
E06000001,Alpha,UA,2021 - 23,Life expectancy at birth,Life expectancy,Years,76.5,Worse,Male
E06000099,Betagamma,UA,2021 - 23,Life expectancy at birth,Life expectancy,Years,81.5,Better,Male
""")
    write(folder, "fingertips_le_inequality_sii_lad.csv", f"""
{head}
E92000001,England,Country,2021 - 23,Inequality in life expectancy at birth,Slope Index of Inequality,Years,9.7,Not compared,Male
E06000001,Alpha,UA,2021 - 23,Inequality in life expectancy at birth,Slope Index of Inequality,Years,11.0,Worse,Male
""")
    write(folder, "fingertips_u75_preventable_mortality_lad.csv", """
area_code,area_name,area_type,period,indicator,measure,sex,value,compared_to_England,unit
E92000001,England,Country,2024,Under 75 preventable,Age-standardised rate,Persons,145.8,Not compared,"per 100,000"
E06000001,Alpha,UA,2024,Under 75 preventable,Age-standardised rate,Persons,200.0,Worse,"per 100,000"
E06000099,Betagamma,UA,2024,Under 75 preventable,Age-standardised rate,Persons,,Not compared,"per 100,000"
""")
    write(folder, "gp_patients_per_fte_lad24.csv", """
lad24_code,total_patients,total_gp_fte,patients_per_gp
E06000001,20000.0,10.0,2000.0
E06000099,15000.0,12.5,1200.0
""")
    write_manifest_without_checksums(folder)
    return folder


# Samples in the publishers' layouts (headings as published).
IOD_FILE7 = """
LSOA code (2011),LSOA name (2011),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)
E01000001,City of London 001A,6.208,29199,9
E01021988,Tendring 018A,92.735,1,1
E01000003,x,30.1,9000,3
"""

FINGERTIPS_OFFICIAL = """
Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Time period Sortable
93721,Under 75 mortality rate from causes considered preventable,,,E92000001,England,England,Persons,<75 yrs,,,2024,145.8,145.0,146.6,,,73000,50000000,,,,20240000
93721,Under 75 mortality rate from causes considered preventable,E12000001,North East region,E06000001,Hartlepool,UA,Persons,<75 yrs,,,2024,200.5,180.1,222.3,,,180,90000,,,,20240000
93721,Under 75 mortality rate from causes considered preventable,E12000001,North East region,E06000001,Hartlepool,UA,Persons,<75 yrs,Deprivation,Most deprived,2024,250.0,,,,,,,,,,20240000
"""


# The same places on 2021 small areas (vintage 2025). E01000001, E01000003 and E01000004
# are unchanged (U); E01000002 split (S) into E01035001 and E01035002; E01000005 and
# E01000006 merged (M) into E01035003. LAD 2022 codes are the 2021 (= 2019 here) ones.
LSOAS21 = ["E01000001", "E01000003", "E01000004", "E01035001", "E01035002", "E01035003"]
AGE_BANDS21 = [f"age_{lo}_{lo + 4}" for lo in range(0, 85, 5)] + ["age_85plus"]


def make_tiny_2025(folder: Path) -> Path:
    """The tiny dataset plus its 2021-small-area files; the folder's default vintage 2025.

    Census ages: 10 people in each five-year band 0-4 .. 80-84 and 20 aged 85+ (190), except
    E01035003 with 20 in each band and 40 aged 85+ (380).
    """
    make_tiny(folder)
    write(folder, "lookup_lsoa11_lsoa21.csv", """
lsoa11_name,lsoa11_code,change_code,lsoa21_name,lsoa21_code,lad22_name,lad22_code
Alpha 001A,E01000001,U,Alpha 001A,E01000001,Alpha,E06000001
Alpha 001B,E01000002,S,Alpha 001C,E01035001,Alpha,E06000001
Alpha 001B,E01000002,S,Alpha 001D,E01035002,Alpha,E06000001
Alpha 002A,E01000003,U,Alpha 002A,E01000003,Alpha,E06000001
Beta 001A,E01000004,U,Beta 001A,E01000004,Beta,E07000001
Gamma 001A,E01000005,M,Gamma 001E,E01035003,Gamma,E07000002
Gamma 001B,E01000006,M,Gamma 001E,E01035003,Gamma,E07000002
""")
    write(folder, "lookup_lsoa21_icb24.csv", """
lsoa21_name,lsoa21_code,sicbl24_name,sicbl24_code,sicbl24_code_nhs,icb24_name,icb24_code
Alpha 001A,E01000001,One sub,E38000001,01A,NHS One ICB,E54000001
Alpha 002A,E01000003,One sub,E38000001,01A,NHS One ICB,E54000001
Beta 001A,E01000004,Two sub,E38000002,02B,NHS Two ICB,E54000063
Alpha 001C,E01035001,One sub,E38000001,01A,NHS One ICB,E54000001
Alpha 001D,E01035002,One sub,E38000001,01A,NHS One ICB,E54000001
Gamma 001E,E01035003,Two sub,E38000002,02B,NHS Two ICB,E54000063
""")
    write(folder, "ruc21_lsoa21.csv", """
lsoa21_code,ruc21_code,classification,ruc
E01000001,UN1,Urban: Nearer to a major town or city,Urban
E01000003,UF1,Urban: Further from a major town or city,Urban
E01000004,RLN1,Larger rural: Nearer to a major town or city,Rural
E01035001,UN1,Urban: Nearer to a major town or city,Urban
E01035002,UN1,Urban: Nearer to a major town or city,Urban
E01035003,RSF1,Smaller rural: Further from a major town or city,Rural
""")
    write(folder, "coastal_lsoa21.csv", """
lsoa21_code,coastal_G25_5
E01000001,1
E01000003,0
E01000004,0
E01035001,1
E01035002,0
E01035003,1
""")
    write(folder, "imd2025_lsoa21.csv", """
lsoa21_code,IMD_score,IMD_rank,IMD_decile,Health_decile,Housing_and_Access_decile,Income_score,Income_decile
E01000001,62.0,1,1,1,5,0.40,1
E01000003,28.0,4,5,3,5,0.14,4
E01000004,21.0,5,7,5,2,0.12,6
E01035001,45.0,2,2,2,5,0.30,2
E01035002,35.0,3,3,2,5,0.20,3
E01035003,6.0,6,10,9,1,0.03,10
""")
    write(folder, "imd2025_lsoa21_indicators.csv", """
lsoa21_code,years_of_potential_life_lost_indicator,comparative_illness_and_disability_ratio_indicator,acute_morbidity_indicator,mental_health_indicator,connectivity_score
E01000001,125.0,111.0,0.6,0.5,90.0
E01000003,99.0,100.0,0.1,0.0,80.0
E01000004,91.0,96.0,-0.1,-0.2,70.0
E01035001,112.0,106.0,0.3,0.2,88.0
E01035002,108.0,104.0,0.2,0.1,87.0
E01035003,75.0,88.0,-0.4,-0.5,40.0
""")
    lines = ["lsoa21_code,lsoa21_name,total_usual_residents," + ",".join(AGE_BANDS21)]
    for code in LSOAS21:
        k = 20 if code == "E01035003" else 10
        counts = [k] * 17 + [2 * k]
        lines.append(f"{code},x,{sum(counts)}," + ",".join(map(str, counts)))
    write(folder, "census21_age_lsoa21.csv", "\n".join(lines) + "\n")
    write_manifest_without_checksums(folder, vintage="2025")
    return folder
