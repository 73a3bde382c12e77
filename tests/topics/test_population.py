import pandas as pd
import pytest

from inequalities.data import editions
from inequalities.report import ledger
from inequalities.topics import population as profiles
from tests.topics._editions import edition_data

pytestmark = pytest.mark.unit


def _areas():
    return pd.DataFrame({
        "population": [1000, 3000, 2000, 4000],
        "pct_65_plus": [10.0, 20.0, 30.0, 40.0],
        "urban_rural": ["Urban", "Urban", "Rural", "Rural"],
        "coastal": [True, False, False, False],
        "core20": [True, False, False, False],
        "imd_quintile": [1, 2, 5, 5],
    })


def test_age_profile_is_population_weighted():
    out = profiles.age_profile(_areas()).set_index("group")["pct_65_plus"]
    assert out["Urban"] == pytest.approx((100 + 600) / 4000 * 100)  # 17.5
    assert out["Rural"] == pytest.approx((600 + 1600) / 6000 * 100)  # 36.67
    assert out["Coastal"] == pytest.approx(10.0)
    assert out["All areas"] == pytest.approx(2900 / 10000 * 100)


def test_deprivation_profile_shares_sum_to_100_with_zero_quintiles():
    out = profiles.deprivation_profile(_areas())
    totals = out.groupby("group")["share"].sum()
    assert totals.to_numpy() == pytest.approx([100.0] * len(totals))
    urban = out[out["group"] == "Urban"].set_index("imd_quintile")["share"]
    assert urban.to_dict() == pytest.approx({1: 25.0, 2: 75.0, 3: 0.0, 4: 0.0, 5: 0.0})
    rural = out[out["group"] == "Rural"].set_index("imd_quintile")["share"]
    assert rural[5] == pytest.approx(100.0)


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="imd_quintile"):
        profiles.deprivation_profile(_areas().drop(columns="imd_quintile"))


# --- ledger and key figures: hand-made frames as the notebook passes them ---------------

NO_AREAS = "not available (no such areas in this edition)"
PROFILE = pd.DataFrame({
    "group": ["Urban", "Rural", "Coastal", "Non-coastal",
              "Core20 (most deprived fifth of England)", "All areas"],
    "areas": [2, 1, 1, 2, 1, 3],
    "population": [3500, 1500, 617, 4383, 1002, 5000],
    "share": [70.0, 30.0, 12.34, 87.66, 20.04, 100.0]})
ENGLAND_AREAS = {"Urban": 26000, "Rural": 6844, "Coastal": 5000, "Non-coastal": 27844,
                 "Core20 (most deprived fifth of England)": 6569, "All areas": 32844}
RURAL = pd.DataFrame({"region_code": ["E12000001", "E92000001"],
                      "region_name": ["North East", "England"],
                      "rural_share": [18.04, 17.0], "areas": [1657, 32844]})


def _areas_of(populations):
    return pd.DataFrame({"population": populations})


def _statistics(ed, age, deprivation):
    stats = profiles.statistics(ed, PROFILE, age, deprivation, RURAL)
    assert ledger.problems(stats) == []
    return stats


def test_key_figures_of_england():
    ed = edition_data("england", areas=_areas_of([1500, 2500, 1000]),
                      national={"age_65_plus": {"All areas": 18.26},
                                "profile_areas": ENGLAND_AREAS})
    age = pd.DataFrame({"group": ["All areas", "Urban", "Rural", "Coastal"],
                        "pct_65_plus": [18.26, 15.02, 25.61, 30.0],
                        "england": [18.26, 15.02, 25.61, 30.0]})
    deprivation = pd.DataFrame({
        "group": ["All areas", "All areas", "Urban", "Rural", "Rural", "Coastal", "Non-coastal"],
        "imd_quintile": [1, 5, 1, 1, 5, 1, 1],
        "share": [20.0, 20.0, 24.44, 6.66, 31.0, 22.2, 19.8]})
    deprivation["row"] = deprivation["group"]
    stats = _statistics(ed, age, deprivation)
    assert not stats["group"].str.contains("(England)", regex=False).any()
    figures = profiles.key_figures(ed, stats)
    assert figures == {
        "data.label": "Test data", "data.vintage": "2024", "data.is_demo": False,
        "population.total": "5,000", "population.small_areas": "3",
        "population.rural_share": "30.0%", "population.coastal_share": "12.3%",
        "population.core20_share": "20.0%",
        "population.age65_all": "18.3%", "population.age65_urban": "15.0%",
        "population.age65_rural": "25.6%", "population.age65_coastal": "30.0%",
        "population.age65_sentence": "In England, 18.3% of people were aged 65 and over.",
        "population.q1_all": "20.0%", "population.q1_urban": "24.4%",
        "population.q1_rural": "6.7%", "population.q1_coastal": "22.2%",
        "population.q1_non_coastal": "19.8%", "population.q5_rural": "31.0%",
        # data that declare no vintage are the publishers' 2019 layout (official.toml)
        "vintage.iod": "IoD 2019", "vintage.imd": "IMD 2019",
        "vintage.deprivation": "English Indices of Deprivation 2019",
        "vintage.iod_url": "https://www.gov.uk/government/statistics/"
                           "english-indices-of-deprivation-2019",
        "vintage.residents": "mid-2019 residents",
        "vintage.population": "ONS, mid-2019 small-area (LSOA 2011) population estimates",
        "vintage.small_areas": "LSOA 2011", "vintage.ruc": "RUC 2011",
    }


def test_the_ledger_counts_are_whole_numbers_with_their_small_areas():
    ed = edition_data("england", national={"profile_areas": ENGLAND_AREAS})
    age = pd.DataFrame({"group": ["All areas"], "pct_65_plus": [18.26], "england": [18.26]})
    deprivation = pd.DataFrame({"group": ["All areas"], "imd_quintile": [1], "share": [20.0],
                                "row": ["All areas"]})
    rows = _statistics(ed, age, deprivation).set_index("key")
    assert rows.loc["population.residents.rural", ["value", "units", "kind", "unit"]].tolist() \
        == [1500, 3, "count", "people"]  # the profile enumerates all 3 small areas
    assert rows.loc["population.age65.all_areas", "units"] == 3
    assert rows.loc["population.rural_share_by_region.north_east", "units"] == 1657
    assert rows["lower"].isna().all()  # complete enumerations: no sampling interval


def test_key_figures_of_a_region_use_its_own_rows_and_mark_missing_groups():
    ed = edition_data("london", areas=_areas_of([4000]),
                      national={"age_65_plus": {"All areas": 18.5},
                                "profile_areas": ENGLAND_AREAS})
    # London here has no rural and no coastal areas; England's rows must be ignored.
    age = pd.DataFrame({"group": ["All areas", "Urban"], "pct_65_plus": [11.9, 11.9],
                        "england": [18.5, 17.0]})
    deprivation = pd.DataFrame({
        "group": ["All areas", "All areas", "Urban", "Urban", "Rural"],
        "imd_quintile": [1, 1, 1, 1, 5],
        "share": [14.0, 20.0, 14.0, 23.0, 33.0],
        "row": ["All areas (London)", "All areas (England)", "Urban (London)",
                "Urban (England)", "Rural (England)"]})
    figures = profiles.key_figures(ed, _statistics(ed, age, deprivation))
    assert figures["population.small_areas"] == "3"
    assert figures["population.age65_urban"] == "11.9%"
    assert figures["population.age65_rural"] == NO_AREAS
    assert figures["population.age65_coastal"] == NO_AREAS
    assert figures["population.age65_sentence"] == \
        "In London, 11.9% of people were aged 65 and over (England 18.5%)."
    assert figures["population.q1_all"] == "14.0%"
    assert figures["population.q1_urban"] == "14.0%"
    assert figures["population.q1_rural"] == NO_AREAS
    assert figures["population.q5_rural"] == NO_AREAS


def test_a_regions_rural_chart_shows_all_nine_regions_from_the_national_measure():
    national = {f"{code}|{stat}": value for code, share, n in
                [(e.code, 10.0 + i, 100 + i) for i, e in enumerate(
                    [editions.get("england"), *editions.in_set("ons-region")])]
                for stat, value in (("share", share), ("areas", n))}
    rural = profiles.rural_share_by_region(edition_data(
        "north-east", national={"rural_share_by_region": national}))
    assert len(rural) == 10 and rural["region_code"].iloc[-1] == "E92000001"
    assert rural.set_index("region_code").loc["E12000001", "region_name"] == "North East"


def test_an_nhs_edition_marks_the_ons_region_it_lies_in():
    from types import SimpleNamespace

    from inequalities.data import editions
    from inequalities.topics.base import EditionData
    areas = pd.DataFrame({"region_code": ["E54000038"] * 2,
                          "ons_region_code": ["E12000009"] * 2})
    ed = EditionData(edition=editions.get("icb-somerset"), data=SimpleNamespace(areas=areas),
                     national=pd.DataFrame(columns=["measure", "group", "value"]))
    assert profiles.own_regions(ed) == ["E12000009"]
    region = EditionData(edition=editions.get("south-west"), data=SimpleNamespace(areas=areas),
                         national=pd.DataFrame(columns=["measure", "group", "value"]))
    assert profiles.own_regions(region) == ["E12000009"]
