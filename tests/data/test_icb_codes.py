"""A&E rows on 2022 ICB codes reach the boards of 2021 small areas (issue 17)."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from inequalities.data import _assemble, editions, load

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tinydata import shared_data  # noqa: E402


AE = SimpleNamespace(id="nhs_ae_icb22_monthly")


def _ae(codes):
    return pd.DataFrame({"area_code": codes, "area_level": "ICB", "period": "2025-07",
                         "indicator_id": "ae_over_4h_pct", "value": 30.0})


def _areas(codes):
    return pd.DataFrame({"area_code": [f"E0100000{i}" for i in range(len(codes))],
                         "icb_code": codes})


@pytest.mark.unit
def test_boards_recoded_in_2024_take_the_codes_of_2021_small_areas():
    log: list[dict] = []
    part = _assemble._icb_codes_of_areas(
        _ae(["E54000052", "E54000053", "E54000040"]),
        _areas(["E54000063", "E54000064", "E54000040"]), AE, log)
    assert part["area_code"].tolist() == ["E54000063", "E54000064", "E54000040"]
    assert log[0]["rows"] == 2 and "E54000053 as E54000064" in log[0]["detail"]


@pytest.mark.unit
def test_2011_small_areas_keep_the_2022_codes():
    # the 2019 vintage's small areas carry ICB 2022 codes, which the series already uses
    log: list[dict] = []
    part = _assemble._icb_codes_of_areas(_ae(["E54000052", "E54000053"]),
                                         _areas(["E54000052", "E54000053"]), AE, log)
    assert part["area_code"].tolist() == ["E54000052", "E54000053"] and log == []


@pytest.mark.integration
def test_the_recoding_matches_the_staged_lookups():
    # Independently of the code: the A&E codes that the ICB 2024 lookup lacks, through the
    # QOF practice mapping's ODS code, to the 2024 lookup's ONS code.
    root = shared_data()
    ae = set(pd.read_csv(root / "nhs_ae_attendances_emergency_admissions_icb22_monthly.csv",
                         usecols=["icb22_code"])["icb22_code"])
    icb24 = pd.read_csv(root / "lookup_lsoa21_icb24.csv", usecols=["icb24_code",
                                                                   "icb24_code_nhs"])
    qof = pd.read_csv(root / "qof_practice_nhs_geography_2223.csv",
                      usecols=["ICB_ONS_CODE", "ICB_ODS_CODE"]).drop_duplicates()
    ods = dict(zip(qof["ICB_ONS_CODE"], qof["ICB_ODS_CODE"]))
    ons24 = dict(zip(icb24["icb24_code_nhs"], icb24["icb24_code"]))
    retired = ae - set(icb24["icb24_code"])
    assert {code: ons24[ods[code]] for code in retired} == _assemble.ICB_CODES_2024
    assert {editions.get("icb-sussex").code, editions.get("icb-surrey-heartlands").code} == {
        "E54000064", "E54000063"}


@pytest.mark.integration
def test_sussex_and_its_region_get_their_ae_rows_on_both_vintages(tmp_path_factory):
    root = shared_data()
    cache = tmp_path_factory.mktemp("c")
    for vintage, code in (("2025", "E54000064"), ("2019", "E54000053")):
        data = load(root, cache_dir=cache, vintage=vintage)
        for slug in ("icb-sussex", "south-east"):
            ind = data.for_edition(editions.get(slug)).indicators
            ae = ind[ind["indicator_id"].eq("ae_over_4h_pct") & ind["area_level"].eq("ICB")]
            # 40 months, April 2022 - July 2025 (PROVENANCE.md)
            assert (ae["area_code"] == code).sum() == 40, (vintage, slug)
