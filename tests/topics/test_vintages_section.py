"""The "What changed" section: which vintage is previous, its sentences and its table."""

import pandas as pd
import pytest

from inequalities.topics import vintages
from inequalities.topics.edition import load as load_edition

from tests.topics._editions import edition_data

pytestmark = pytest.mark.integration
SHARED = __import__("pathlib").Path(__file__).resolve().parents[3] / "shared" / "data"


def test_demonstration_data_have_nothing_to_compare():
    ed = edition_data("england", is_demo=True)
    assert vintages.previous(ed, None) is None
    figures = vintages.key_figures(ed, None, vintages.comparison(ed, None))
    assert figures["vintages.summary"] == ("There is no earlier vintage to compare with: the "
                                           "demonstration data have one vintage.")
    assert "Not available" in vintages.changes_table(
        vintages.comparison(ed, None))._repr_mimebundle_()["text/markdown"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="the real national data are not beside the repo")
def test_real_data_compare_2025_with_2019_for_a_region():
    ed = load_edition("north-east", SHARED)
    assert ed.data.vintage_id == "2025"
    old = vintages.previous(ed, SHARED)
    assert old is not None and old.data.vintage_id == "2019"
    changes = vintages.comparison(ed, old).set_index("statistic")
    # Counts read independently from the staged files: North East small areas, 2011 and 2021.
    geo11 = pd.read_csv(SHARED / "lookup_lsoa11_geography.csv", dtype=str)
    assert changes.loc["small_areas", "old"] == geo11["region_code"].eq("E12000001").sum()
    figures = vintages.key_figures(ed, old, vintages.comparison(ed, old))
    assert figures["vintages.summary"].startswith("Of the ")
    assert "same national deprivation decile" in figures["vintages.summary"]
    assert vintages.previous_key(SHARED, "2025") and not vintages.previous_key(SHARED, "2019")
