"""What changed between data vintages: hand values on the tiny data, PROVENANCE on the real."""

import sys
from pathlib import Path

import pytest

from inequalities.data import load
from inequalities.topics import vintages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
from tinydata import make_tiny_2025, shared_data  # noqa: E402


@pytest.fixture(scope="module")
def tiny_pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("tv")
    folder = make_tiny_2025(root / "tiny")
    return (load(folder, cache_dir=root / "c", vintage="2019"),
            load(folder, cache_dir=root / "c", vintage="2025"))


@pytest.mark.unit
def test_compare_on_hand_made_vintages(tiny_pair):
    old, new = tiny_pair
    rows = vintages.compare(old, new).set_index("statistic")
    # 2019: five LSOAs of 905 people and one of 1,810; 2025: five of 190 and one of 380
    assert rows.loc["population", ["old", "new"]].tolist() == [6335, 1330]
    assert rows.loc["small_areas", "change"] == 0
    # rural: 2019 E01000004-6 (905 + 905 + 1,810); 2025 E01000004 and E01035003 (190 + 380)
    assert rows.loc["pct_rural", "old"] == pytest.approx(100 * 3620 / 6335)
    assert rows.loc["pct_rural", "new"] == pytest.approx(100 * 570 / 1330)
    # Core20 2025: deciles 1-2 = E01000001 and E01035001 -> 380 of 1,330
    assert rows.loc["pct_core20", "new"] == pytest.approx(100 * 380 / 1330)
    assert not rows.loc["pct_core20", "comparable"]
    assert "relative within each release" in rows.loc["pct_core20", "caveat"]
    # GP distance 2025: mean over 6 areas of 0.5, 1.0, 2.0, 0.7, 0.7, 3.5
    assert rows.loc["mean_gp_distance_km", "new"] == pytest.approx(8.4 / 6)
    assert set(rows["new_vintage"]) == {new.vintage}


@pytest.mark.unit
def test_unchanged_areas_on_hand_made_vintages(tiny_pair):
    # unchanged codes E01000001, -03, -04: ranks 1, 3, 4 -> 1, 4, 5; deciles 1, 4, 6 -> 1, 5, 7
    got = vintages.unchanged_areas(*tiny_pair)
    assert got == {"n": 3.0, "spearman": pytest.approx(1.0), "same_decile": pytest.approx(1 / 3),
                   "within_one_decile": 1.0}


@pytest.mark.integration
def test_unchanged_areas_match_provenance(tmp_path_factory):
    root = shared_data()
    cache = tmp_path_factory.mktemp("c")
    old, new = load(root, cache_dir=cache, vintage="2019"), load(root, cache_dir=cache)
    got = vintages.unchanged_areas(old, new)
    # PROVENANCE.md (IoD 2019 -> 2025): 31,810 unchanged LSOAs, Spearman 0.963, 51.7% same
    # decile, 92% within one decile
    assert got["n"] == 31810
    assert got["spearman"] == pytest.approx(0.963, abs=0.0005)
    assert got["same_decile"] == pytest.approx(0.517, abs=0.0005)
    assert got["within_one_decile"] == pytest.approx(0.92, abs=0.005)
    ne = vintages.compare(old.for_region("E12000001"), new.for_region("E12000001"))
    assert ne.set_index("statistic").loc["small_areas", ["old", "new"]].tolist() == [1657, 1682]
