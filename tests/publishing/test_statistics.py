"""Publishing the statistics ledger: an edition's parts joined, every edition's rows in one
file, and a broken ledger failing the edition with one clear line."""

import pandas as pd
import pytest

from inequalities.publishing import runner, site_index, worker
from inequalities.report import ledger

pytestmark = pytest.mark.unit


def _part(build, topic, values, units=(40, 12)):
    frame = pd.DataFrame({"group": ["All areas", "Rural"], "value": values,
                          "lower": [v - 1 for v in values], "upper": [v + 1 for v in values],
                          "n": list(units)})
    rows = ledger.rows(frame, topic=topic, key=f"{topic}.total", label="People", unit="people",
                       kind="level", unit_type="LSOA", method="sum", source="ONS",
                       period="mid-2019")
    return ledger.save(build, topic, rows)


def test_an_editions_parts_are_joined_into_its_data_folder(tmp_path):
    _part(tmp_path, "population", [2669941.0, 481334.0])
    _part(tmp_path, "access", [12.5, 3.0])
    path = worker.publish_statistics(tmp_path)
    assert path == tmp_path / "data" / "statistics.csv"
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(ledger.COLUMNS)
    # sorted by key; a whole number is written as one (2669941, never 2.66994e+06)
    assert [line.split(",")[0] for line in lines[1:]] == [
        "access.total.all_areas", "access.total.rural", "population.total.all_areas",
        "population.total.rural"]
    assert ",2669941,2669940,2669942,people," in lines[3]


def test_a_broken_ledger_fails_the_edition_with_one_line(tmp_path):
    _part(tmp_path, "population", [1.0, 2.0])
    _part(tmp_path, "access", [1.0, 2.0])
    part = tmp_path / "statistics" / "access.csv"
    part.write_text(part.read_text().replace("access.total", "population.total"))
    with pytest.raises(ledger.LedgerError) as caught:
        worker.publish_statistics(tmp_path)
    first = str(caught.value).splitlines()[0]
    assert first == ("the statistics ledger breaks its rules (2 problem(s)); first: "
                     "population.total.all_areas: key used by more than one statistic")


def test_the_site_file_holds_every_published_edition_with_its_name(tmp_path):
    for slug, values in (("england", [10.0, 2.0]), ("london", [5.0, 1.0])):
        build = tmp_path / f"build-{slug}"
        _part(build, "population", values)
        worker.publish_statistics(build)
        (tmp_path / slug / "data").mkdir(parents=True)
        (build / "data" / "statistics.csv").rename(tmp_path / slug / "data" / "statistics.csv")
    # an edition published earlier and reused now counts like one built now: both are read
    # from their published copy
    path = runner.write_statistics(tmp_path)
    table = pd.read_csv(path)
    assert table.columns[0] == "edition"
    assert table["edition"].tolist() == ["england", "england", "london", "london"]
    assert table["value"].tolist() == [10, 2, 5, 1]
    page = site_index.render(tmp_path, title="T", build_line="b")
    assert 'href="statistics.csv"' in page


def test_no_ledger_no_site_file(tmp_path):
    (tmp_path / "statistics.csv").write_text("stale")
    assert runner.write_statistics(tmp_path) is None
    assert not (tmp_path / "statistics.csv").exists()


def test_the_site_file_is_what_formatting_every_ledger_again_would_write(tmp_path):
    """The site file copies each edition's formatted records; the expected text here is
    made the long way: each ledger read back, joined and written by pandas."""
    awkward = ['text, with a comma', 'a "quoted" word', "two\nlines", "Ynys Môn", ""]
    for slug, scale in (("england", 1.0), ("north-east", 1e-7), ("london", 123456789.0)):
        build = tmp_path / f"build-{slug}"
        frame = pd.DataFrame({"group": [f"{w} {slug}" if w else slug for w in awkward],
                              "value": [v * scale for v in (0.1, 2.0, 1 / 3, 45.25, 7.0)],
                              "lower": [v * scale for v in (0.0, 1.5, float("nan"), 40, 6.5)],
                              "upper": [v * scale for v in (0.2, 2.5, float("nan"), 50, 7.5)],
                              "n": [40, 12, 3, 7, 9]})
        rows = ledger.rows(frame, topic="population", key="population.odd", label="People",
                           unit="people", kind="level", unit_type="LSOA", method="sum",
                           source='ONS, "mid-year"', period="mid-2019")
        ledger.save(build, "population", rows)
        worker.publish_statistics(build)
        (tmp_path / slug / "data").mkdir(parents=True)
        (build / "data" / "statistics.csv").rename(tmp_path / slug / "data" / "statistics.csv")
    expected = tmp_path / "expected.csv"
    joined = pd.concat([ledger.read(tmp_path / slug / "data" / "statistics.csv")
                        .assign(edition=slug) for slug in ("england", "north-east", "london")],
                       ignore_index=True)
    ledger.to_csv(joined[["edition", *ledger.COLUMNS]], expected)
    assert runner.write_statistics(tmp_path).read_bytes() == expected.read_bytes()
