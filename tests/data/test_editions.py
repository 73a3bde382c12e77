import pytest

from inequalities.data import editions

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
    assert len(editions.EDITIONS) == 10
    assert editions.slugs()[0] == "england"


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
        editions.Edition(slug, "E12000001", "x", "region")
