"""Finding 5 of issue 14: what validation used to let through, or crash on."""

import pandas as pd
import pytest
from tinydata import write

from inequalities.data.manifest import ManifestError, parse_manifest
from inequalities.data.schemas import SOURCE_SCHEMAS, check_frame
from inequalities.data.validate import validate_dir

pytestmark = pytest.mark.unit

GP = "gp_patients_per_fte_lad24.csv"


def _problems(folder, file):
    return [p for p in validate_dir(folder) if p.file == file]


def test_a_required_file_with_a_header_and_no_rows(tiny):
    write(tiny, GP, "lad24_code,total_patients,total_gp_fte,patients_per_gp\n")
    assert [p.rule for p in _problems(tiny, GP)] == ["no-rows"]


@pytest.mark.parametrize("value", ["inf", "1e300", "-inf"])
def test_infinite_and_absurd_numbers(tiny, value):
    gp = tiny / GP
    gp.write_text(gp.read_text().replace(",12.5,", f",{value},"))
    found = {(p.rule, p.row, p.column) for p in _problems(tiny, GP)}
    assert ("finite", 2, "total_gp_fte") in found


def test_an_absurd_population_count(tiny):
    pop = tiny / "population_lsoa11_mid2019.csv"
    lines = pop.read_text().splitlines()
    fields = lines[3].split(",")
    fields[-1] = "1e300"
    lines[3] = ",".join(fields)
    pop.write_text("\n".join(lines) + "\n")
    rules = {(p.rule, p.row) for p in _problems(tiny, "population_lsoa11_mid2019.csv")}
    assert ("finite", 3) in rules


def test_a_count_above_its_denominator():
    frame = pd.DataFrame({"indicator_id": ["1", "1"], "area_code": ["E06000001", "E06000002"],
                          "sex": ["Persons"] * 2, "period": ["2024"] * 2, "age": ["All"] * 2,
                          "value": [1.0, 2.0], "count": [12.0, 5.0],
                          "denominator": [10.0, 10.0]})
    problems = check_frame(frame, SOURCE_SCHEMAS["fingertips"], "f.csv")
    assert [(p.rule, p.row) for p in problems] == [("numerator-not-above-denominator", 1)]


@pytest.mark.parametrize("row", ["E06000099,15000.0,12.5", "E06000099,15000.0,12.5,1200.0,9"])
def test_rows_with_missing_or_extra_fields(tiny, row):
    gp = tiny / GP
    gp.write_text(gp.read_text().replace("E06000099,15000.0,12.5,1200.0", row))
    [problem] = _problems(tiny, GP)
    assert problem.rule == "layout" and "line 3 has" in problem.message


def test_latin1_and_empty_files_name_the_file(tiny):
    (tiny / GP).write_bytes((tiny / GP).read_bytes().replace(b"E06000099", b"E0600009\xe9"))
    [problem] = _problems(tiny, GP)
    assert "not UTF-8" in problem.message
    (tiny / GP).write_bytes(b"")
    [problem] = _problems(tiny, GP)
    assert "empty" in problem.message


@pytest.mark.parametrize("head,source,key", [
    ('demo = "no"', 'file = "a.csv"', "demo"),
    ('seed = "abc"', 'file = "a.csv"', "seed"),
    ("", "file = 42", "file"),
])
def test_wrong_types_in_the_manifest_are_one_line_errors(head, source, key):
    text = f'[manifest]\n{head}\n[[source]]\nid = "a"\nkind = "fingertips"\n{source}\n'
    with pytest.raises(ManifestError, match=f"{key} = .* must be"):
        parse_manifest(text)
