import pandas as pd
import pytest

from inequalities.topics import provenance as provenance_tables
from tests.topics._editions import edition_data

pytestmark = pytest.mark.unit

SOURCES = pd.DataFrame({
    "source_id": ["b_pop", "a_imd", "c_absent"],
    "publisher": ["ONS", "MHCLG", "X"], "title": ["Pop", "IoD", "Y"],
    "vintage": ["2019", "2019", "?"], "licence": ["OGL-3.0", "OGL-3.0", "?"],
    "file": ["pop.csv", "imd.csv", "y.csv"],
    "sha256": ["0123456789abcdef" * 4, "f" * 64, None],
    "manifest_sha256": ["0123456789abcdef" * 4, "e" * 64, ""], "present": [True, True, False],
})


USES = {"b_pop": "weights", "a_imd": "deprivation", "c_absent": "never read"}


def test_sources_table_lists_present_used_sources_in_id_order():
    table = provenance_tables.sources_table(SOURCES, USES)
    assert table.columns.tolist() == ["Publisher", "Title", "Vintage", "Licence", "Used for"]
    assert table["Publisher"].tolist() == ["MHCLG", "ONS"]
    assert table["Used for"].tolist() == ["deprivation", "weights"]


def test_sources_the_report_does_not_use_are_left_out():
    table = provenance_tables.sources_table(SOURCES, {"b_pop": "weights"})
    assert table["Publisher"].tolist() == ["ONS"]


def test_every_shared_source_is_either_used_or_said_to_be_unused():
    """A source added to the manifest must be placed: used (and for what) or not used."""
    from inequalities.data.manifest import read_manifest, shipped_manifests
    ids = {s.id for s in read_manifest(shipped_manifests()["shared"]).sources}
    uses, unused = set(provenance_tables.USES), set(provenance_tables.NOT_USED)
    assert not uses & unused
    assert ids == uses | unused
    assert {"fingertips_le_inequality_sii_lad", "ons_health_index_lad21"} <= unused


def test_checksums_are_shortened_to_sixteen_digits():
    table = provenance_tables.checksums_table(SOURCES)
    assert table["SHA-256 (start)"].tolist() == ["f" * 16, "0123456789abcdef"]
    assert table["File"].tolist() == ["imd.csv", "pop.csv"]
    # imd.csv was read with bytes other than the manifest declares
    assert table["As in manifest"].tolist() == ["no: the file differs", "yes"]
    undeclared = SOURCES.assign(manifest_sha256="")
    assert set(provenance_tables.checksums_table(undeclared)["As in manifest"]) == {
        "none declared"}


def test_a_table_without_manifest_columns_is_refused():
    with pytest.raises(ValueError, match="licence"):
        provenance_tables.sources_table(SOURCES.drop(columns="licence"))


def test_key_figures_count_sources_and_say_whether_data_are_official():
    sources = provenance_tables.sources_table(SOURCES, USES)
    official = provenance_tables.key_figures(edition_data("london"), sources)
    vintage = edition_data("london").data.vintage
    assert official == {
        "provenance.sources": "2",
        "provenance.demo_notice": "These figures come from official statistics listed in the "
                                  "data sources table.",
        "provenance.data_line": "2 published sources that the figures use (listed in the "
                                f"Methods chapter), vintages {vintage}",
    }
    assert "seed" not in official["provenance.data_line"]
    assert "/" not in official["provenance.data_line"]
    demo = provenance_tables.key_figures(edition_data("england", is_demo=True), sources)
    assert demo["provenance.demo_notice"] == ("These figures come from demonstration data "
                                              "generated from a seed; they are not official "
                                              "statistics.")
    seeded = provenance_tables.key_figures(edition_data("england", is_demo=True), sources,
                                           seed=7)
    assert seeded["provenance.data_line"] == "demonstration data generated from seed 7"
