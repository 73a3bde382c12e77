"""The 'Your areas' chapter in built reports: the table, its download, the map and the
ledger, on demonstration data (England) and on the real data (a region and an ICB)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from inequalities.report import ledger

pytestmark = pytest.mark.render


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _check(edition: Path) -> tuple[list[dict], list[dict], dict]:
    html = (edition / "report.html").read_text(encoding="utf-8")
    for label in ("tbl-areas", "fig-areas-map"):
        assert f'id="{label}"' in html, label
        assert f'{label}.csv" download' in html, label
    assert "{{<" not in html and "{{&lt;" not in html
    table = _rows(edition / "data" / "tbl-areas.csv")
    mapped = _rows(edition / "data" / "fig-areas-map.csv")
    figures = json.loads((edition / "key_figures" / "areas.json").read_text())
    stats = ledger.read(edition / "data" / "statistics.csv")
    areas = stats[stats["topic"] == "areas"]
    # five indicators for every area, plus England's value of each indicator it has
    assert len(areas) == len(table) + (areas["unit_type"] == "country").sum()
    assert set(r["compared_with_england"] for r in table) <= {
        "higher", "similar", "lower", "not compared", "no value"}
    return table, mapped, figures


def test_england_demonstration_lists_regions_and_icbs(england_report):
    table, mapped, figures = _check(england_report)
    codes = {(r["area_type"], r["area_code"]) for r in table}
    assert sum(t == "region" for t, _ in codes) == 9        # ONS regions of England
    assert sum(t == "integrated care board" for t, _ in codes) == 42   # ICBs, July 2022 on
    assert len(mapped) == 42 and figures["areas.map_units"] == "integrated care boards"
    assert figures["areas.map_sentence"] == (
        "Every integrated care board of the edition has a hexagon in the layout.")


@pytest.mark.integration
def test_north_east_real_lists_and_maps_its_twelve_authorities(real_site):
    table, mapped, figures = _check(real_site / "north-east")
    # the North East's 12 local authorities (LAD 2023: 7 unitary, 5 metropolitan)
    assert len({r["area_code"] for r in table}) == 12 and len(mapped) == 12
    assert figures["areas.units"] == "the 12 local authorities"
    # OHID Fingertips 93671, England 2022 as published in the staged data: 56.8%
    assert figures["areas.la_sentences"].startswith("Compared with England's 56.8%")
    hartlepool = [r for r in table if r["area_code"] == "E06000001"
                  and r["indicator"].startswith("Cancers")][0]
    assert hartlepool["compared_with_england"] == "lower"  # 50.5 (45.6 to 55.3) < 56.8


@pytest.mark.integration
def test_icb_real_lists_its_authorities(real_site):
    table, mapped, figures = _check(real_site / "icb-somerset")
    assert {r["area_name"] for r in table} == {"Somerset"}  # one unitary authority
    assert len(mapped) == 1
