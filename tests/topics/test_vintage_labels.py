"""Every source line, period and method names the edition's own data vintage (issue 18)."""

from dataclasses import replace

import pandas as pd
import pytest

from inequalities.data import vintage
from inequalities.topics import access, adjusted_gaps, inequality, mortality, outcomes, population

from tests.topics._editions import edition_data
from tests.vintage_labels import foreign

pytestmark = pytest.mark.unit


def _edition(vintage_id: str):
    ed = edition_data("north-east")
    return replace(ed, data=replace(ed.data, vintage_id=vintage_id))


def _labels(ed) -> dict[str, str]:
    """What each topic prints about its sources for ``ed``."""
    v = ed.vintage
    texts = {"population ruc": population.source_ruc(ed),
             "population imd": population.source_imd(ed),
             "population base": v.population_source, "population period": v.population_period,
             "access workforce": access.workforce_source(ed),
             "access distance": v.gp_distance_source, "access period": v.gp_distance_period,
             "inequality": inequality.deprivation_source(ed),
             "adjusted gaps source": adjusted_gaps.source(ed),
             "adjusted gaps method": adjusted_gaps.method(ed),
             "mortality": mortality.source(ed)}
    for level in outcomes.METHOD:
        texts[f"outcomes method {level}"] = outcomes.method(level, ed)
    for o in outcomes.OUTCOMES:
        texts[f"outcomes source {o.stem}"] = outcomes.source_of(o, ed)
    texts.update({f"key figure {k}": str(val) for k, val in v.terms().items()})
    return texts


@pytest.mark.parametrize("vintage_id", ["2019", "2025"])
def test_no_label_of_the_other_vintage(vintage_id):
    assert foreign(_labels(_edition(vintage_id)), vintage_id) == []


def test_each_vintage_names_its_own_sources():
    new, old = _labels(_edition("2025")), _labels(_edition("2019"))
    assert new["population imd"] == ("MHCLG, English Indices of Deprivation 2025; ONS, Census "
                                     "2021 usual residents of small areas (LSOA 2021)")
    assert old["population ruc"] == ("ONS, Rural-Urban Classification 2011; ONS, mid-2019 "
                                     "small-area (LSOA 2011) population estimates")
    assert new["population period"] == "Census 2021" and old["population period"] == "mid-2019"
    assert new["outcomes source ypll"] == ("MHCLG, English Indices of Deprivation 2025 (Health "
                                           "Deprivation and Disability domain)")
    assert new["outcomes source msoa_le"] == old["outcomes source msoa_le"] == (
        "OHID Local Health (ONS deaths and mid-year estimates), MSOA 2011")
    assert "(Census 2021 residents)" in new["outcomes method LSOA"]
    assert "IoD 2025 income domain score" in new["adjusted gaps method"]
    assert new["inequality"].endswith("; ONS Census 2021 population; ONS RUC 2021")
    assert old["adjusted gaps source"].endswith("; ONS mid-2019 population; ONS RUC 2011")
    # the road distance to a GP surgery is IoD 2019's on both, and says how 2025 gets it
    assert new["access distance"].startswith(old["access distance"])
    assert new["access distance"].endswith("carried from 2011 to 2021 small areas")


def test_the_checker_finds_the_other_vintage():
    # the checker itself can fail: a 2025 build quoting mid-2019 estimates, a 2019 one
    # quoting the Census, are both caught; the GP-distance source is the same on both
    assert foreign({"a": "ONS mid-2019 small-area population estimates"}, "2025") == [
        "a: ONS mid-2019 small-area population estimates"]
    assert foreign({"b": "Census 2021 residents"}, "2019") == ["b: Census 2021 residents"]
    assert foreign({"c": "MHCLG, English Indices of Deprivation 2019 (Barriers domain, road "
                         "distance)"}, "2025") == []


def test_an_undescribed_vintage_is_refused():
    assert vintage.describe("").id == "2019"  # data that declare none: the official layout
    with pytest.raises(ValueError, match="'2031' is not described.*2019, 2025"):
        _edition("2031").vintage


def test_population_ledger_follows_the_vintage():
    ed = _edition("2025")
    areas = pd.DataFrame({"group": ["All areas"], "population": [10], "areas": [3],
                          "share": [100.0]})
    rows = population.statistics(
        replace(ed, national=pd.DataFrame({"measure": ["profile_areas"],
                                           "group": ["All areas"], "value": [3]})),
        areas, pd.DataFrame({"group": ["All areas"], "pct_65_plus": [20.0],
                             "england": [20.0]}),
        pd.DataFrame({"group": ["All areas"], "imd_quintile": [1], "share": [20.0],
                      "row": ["All areas"]}),
        pd.DataFrame({"region_name": ["North East"], "rural_share": [10.0], "areas": [3]}))
    assert set(rows["period"]) == {"Census 2021"}
    assert rows.set_index("key").loc["population.small_areas.all_areas", "method"] == \
        "count of 2021 LSOAs"
    assert foreign({r.key: f"{r.source} {r.label} {r.method}" for r in rows.itertuples()},
                   "2025") == []
