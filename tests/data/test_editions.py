import csv

import pytest
from tinydata import SHARED

from inequalities.data import editions

needs_shared = pytest.mark.skipif(not (SHARED / "lookup_lsoa21_icb24.csv").is_file(),
                                  reason=f"staged lookups not found at {SHARED}")

pytestmark = pytest.mark.unit

# ONS Regions (December 2023) codes and names, typed from the ONS register.
ONS_REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}


def test_england_and_nine_regions_with_ons_codes():
    assert editions.get("england").code == "E92000001"
    assert {e.code: e.name for e in editions.regions()} == ONS_REGIONS
    assert editions.slugs()[0] == "england"
    assert [e.slug for e in editions.EDITIONS[:10]] == ["england"] + [
        e.slug for e in editions.regions()]


@pytest.mark.parametrize("slug", ["north-east", "yorkshire-and-the-humber", "south-west"])
def test_round_trip_slug_and_code(slug):
    edition = editions.get(slug)
    assert editions.by_code(edition.code) is edition


@pytest.mark.parametrize("bad", ["North-East", "../etc", "", "england ", None, "wales"])
def test_unknown_slug_lists_valid_choices(bad):
    with pytest.raises(editions.UnknownEditionError) as info:
        editions.get(bad)
    assert "north-east" in str(info.value) and "south-west" in str(info.value)


@pytest.mark.parametrize("slug", ["a/b", "A", "a--b", "-a", "a b", "a.b"])
def test_slug_pattern_rejects_unsafe_slugs(slug):
    with pytest.raises(ValueError):
        editions.Edition(slug, "E12000001", "x", "ons-region")


# NHS England's seven regions (ONS E40 codes, NHS England register) and the 42 ICBs of
# April 2024, typed from ONS's "ICB (April 2024) names and codes" list.
NHS_REGIONS = {
    "E40000003": "London", "E40000005": "South East", "E40000006": "South West",
    "E40000007": "East of England", "E40000010": "North West", "E40000011": "Midlands",
    "E40000012": "North East and Yorkshire",
}


def test_four_sets_with_their_sizes_and_unique_slugs():
    sizes = {name: len(editions.in_set(name)) for name in editions.SETS}
    assert sizes == {"country": 1, "ons-region": 9, "nhs-region": 7, "icb": 42}
    assert len(editions.EDITIONS) == 59
    assert len(set(editions.slugs())) == 59
    assert {e.code: e.name.removeprefix("NHS England ")
            for e in editions.in_set("nhs-region")} == NHS_REGIONS


@pytest.mark.parametrize(("slug", "code", "name", "parent"), [
    ("icb-north-east-and-north-cumbria", "E54000050", "NHS North East and North Cumbria ICB",
     "nhs-north-east-and-yorkshire"),
    # ONS re-coded these two in April 2024 (E54000052/53 before): the region comes from
    # the NHS (ODS) code, QXU and QNX
    ("icb-surrey-heartlands", "E54000063", "NHS Surrey Heartlands ICB", "nhs-south-east"),
    ("icb-sussex", "E54000064", "NHS Sussex ICB", "nhs-south-east"),
    ("icb-cornwall-and-the-isles-of-scilly", "E54000036",
     "NHS Cornwall and the Isles of Scilly ICB", "nhs-south-west"),
    ("icb-shropshire-telford-and-wrekin", "E54000011", "NHS Shropshire, Telford and Wrekin ICB",
     "nhs-midlands"),
    ("nhs-north-east-and-yorkshire", "E40000012", "NHS England North East and Yorkshire",
     "england"),
    ("north-east", "E12000001", "North East", "england"),
])
def test_stable_readable_slugs_codes_and_parents(slug, code, name, parent):
    edition = editions.get(slug)
    assert (edition.code, edition.name, edition.parent) == (code, name, parent)
    assert editions.parent(edition) is editions.get(parent)
    assert edition in editions.children(editions.get(parent))
    assert editions.by_code(code) is edition


def test_every_icb_sits_in_an_nhs_region_and_regions_in_england():
    for icb in editions.in_set("icb"):
        assert editions.parent(icb).set == "nhs-region", icb.slug
    for region in editions.in_set("nhs-region") + editions.in_set("ons-region"):
        assert editions.parent(region) is editions.get("england")
    assert editions.parent(editions.get("england")) is None
    assert sum(len(editions.children(r)) for r in editions.in_set("nhs-region")) == 42


@pytest.mark.parametrize("bad", ["icbs", "", "ICB", "icb,,wards"])
def test_unknown_set_names_the_sets(bad):
    with pytest.raises(editions.UnknownEditionError, match="nhs-region"):
        editions.parse_sets(bad)
    assert editions.parse_sets("icb, nhs-region,icb") == ("icb", "nhs-region")


@needs_shared
def test_checked_in_nhs_table_is_what_the_staged_lookups_give():
    assert editions.derive_nhs_table(SHARED) == editions.read_nhs_table()
    with (SHARED / "lookup_lsoa21_icb24.csv").open(newline="") as f:
        icbs = {row["icb24_code"] for row in csv.DictReader(f)}
    assert {e.code for e in editions.in_set("icb")} == icbs


@needs_shared
def test_checked_in_membership_is_what_the_staged_lookups_give():
    import pandas as pd

    from inequalities.data import membership

    packaged = pd.read_csv(membership.TABLE, dtype=str)
    pd.testing.assert_frame_equal(membership.derive(SHARED), packaged)


def test_chapter_variables_name_the_parent_and_the_straddling_rule():
    icb = editions.variables(editions.get("icb-sussex"))
    assert icb["edition.parent"] == "NHS England South East"
    assert "NHS England South East" in icb["edition.membership"]
    assert "most of its residents" in icb["edition.membership"]
    region = editions.variables(editions.get("nhs-midlands"))
    assert "11 integrated care boards" in region["edition.membership"]
    assert editions.variables(editions.get("england"))["edition.parent"] == ""
