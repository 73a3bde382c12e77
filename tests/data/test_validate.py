import pytest
from tinydata import write

from inequalities.cli import main
from inequalities.data.validate import validate_dir

pytestmark = pytest.mark.unit


def _rules(problems):
    return {(p.file, p.rule) for p in problems}


def test_tiny_dataset_is_valid(tiny):
    assert validate_dir(tiny) == []


def test_all_problems_are_reported_at_once_with_file_row_column_rule(tiny):
    # duplicate key (row 6 repeats E01000005), bad decile, negative GP FTE
    imd = (tiny / "imd2019_lsoa11.csv").read_text().replace(
        "E01000006,5.0,6,10", "E01000005,5.0,6,11")
    (tiny / "imd2019_lsoa11.csv").write_text(imd)
    gp = (tiny / "gp_patients_per_fte_lad24.csv").read_text().replace(",12.5,", ",-1.0,")
    (tiny / "gp_patients_per_fte_lad24.csv").write_text(gp)
    problems = validate_dir(tiny)
    by_rule = {(p.file, p.rule): p for p in problems}
    dup = by_rule[("imd2019_lsoa11.csv", "duplicate-key")]
    assert dup.row == 6 and dup.column == "lsoa11_code"
    rng = by_rule[("imd2019_lsoa11.csv", "range")]
    assert rng.row == 6 and rng.column == "IMD_decile"
    neg = by_rule[("gp_patients_per_fte_lad24.csv", "non-negative")]
    assert neg.row == 2 and neg.column == "total_gp_fte"
    # the duplicate also leaves E01000006 without IMD: a coverage problem
    assert ("imd2019_lsoa11.csv", "coverage") in by_rule
    assert "row 6, column lsoa11_code" in str(dup)


def test_lsoa_2021_code_in_a_2011_file_is_flagged(tiny):
    write(tiny, "lookup_lsoa11_lsoa21.csv", """
lsoa11_name,lsoa11_code,change_code,lsoa21_name,lsoa21_code,lad22_name,lad22_code
a,E01000001,U,a,E01000001,x,E06000001
a,E01000002,U,a,E01000002,x,E06000001
a,E01000003,U,a,E01000003,x,E06000001
a,E01000004,U,a,E01000004,x,E06000099
a,E01000005,S,a,E01035001,x,E06000099
a,E01000005,S,a,E01035002,x,E06000099
a,E01000006,U,a,E01000006,x,E06000099
""")
    coastal = (tiny / "coastal_lsoa11.csv").read_text().replace("E01000005,1", "E01035001,1")
    (tiny / "coastal_lsoa11.csv").write_text(coastal)
    problems = [p for p in validate_dir(tiny) if p.rule == "lsoa-vintage-mixed"]
    assert len(problems) == 1
    assert problems[0].file == "coastal_lsoa11.csv" and problems[0].row == 5
    assert "E01035001" in problems[0].message


def test_lsoa_in_two_local_authorities_and_numerator_above_denominator(tiny):
    geo = (tiny / "lookup_lsoa11_geography.csv").read_text()
    geo += ("E01000001,Alpha 001A,E02000001,Alpha 001,E07000001,Beta,E12000009,South West,"
            "E54000002,NHS Two ICB,E38000002,Two sub\n")
    (tiny / "lookup_lsoa11_geography.csv").write_text(geo)
    write(tiny, "nhs_ae_attendances_emergency_admissions_icb22_monthly.csv", """
icb22_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours,pct_attendance_over_4hours,pct_emergency_admissions_over_4hours,date
E54000001,100,30,20,5,0.3,0.25,April 2022
E54000002,100,130,20,5,1.3,0.25,April 2022
""")
    rules = _rules(validate_dir(tiny))
    assert ("lookup_lsoa11_geography.csv", "one-la-one-region") in rules
    assert ("lookup_lsoa11_geography.csv", "duplicate-key") in rules
    assert ("nhs_ae_attendances_emergency_admissions_icb22_monthly.csv",
            "numerator-not-above-denominator") in rules


def test_population_total_must_equal_the_sum_of_ages(tiny):
    path = tiny / "population_lsoa11_mid2019.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",905,", ",906,", 1)
    path.write_text("\n".join(lines) + "\n")
    problems = [p for p in validate_dir(tiny) if p.rule == "total-equals-sum"]
    assert [(p.row, p.column) for p in problems] == [(2, "total_population")]


def test_missing_column_and_missing_file(tiny):
    (tiny / "ruc21_lad24.csv").unlink()
    text = (tiny / "coastal_lsoa11.csv").read_text().replace("coastal_G25_5", "coastal")
    (tiny / "coastal_lsoa11.csv").write_text(text)
    rules = _rules(validate_dir(tiny))
    assert ("ruc21_lad24.csv", "file-missing") in rules
    assert ("coastal_lsoa11.csv", "layout") in rules


def test_cli_exit_status(tiny, capsys):
    assert main(["data", "validate", str(tiny)]) == 0
    text = (tiny / "imd2019_lsoa11.csv").read_text().replace("60.0", "-3")
    (tiny / "imd2019_lsoa11.csv").write_text(text)
    assert main(["data", "validate", str(tiny)]) == 1
    out = capsys.readouterr().out
    assert "imd2019_lsoa11.csv, row 1, column IMD_score: [non-negative]" in out
    assert main(["data", "validate", str(tiny / "nope")]) == 2


def test_unknown_local_authority_code(tiny):
    gp = (tiny / "gp_patients_per_fte_lad24.csv").read_text().replace("E06000099", "E06000777")
    (tiny / "gp_patients_per_fte_lad24.csv").write_text(gp)
    problems = [p for p in validate_dir(tiny) if p.rule == "unknown-area"]
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("gp_patients_per_fte_lad24.csv", 2, "lad24_code")]


def test_every_row_of_the_publishers_comparison_is_checked(tiny):
    # Two rows with a judgement outside the allowed words (one at 99.8%, one a typo):
    # each is reported with its row and the file's column name.
    path = tiny / "fingertips_u75_preventable_mortality_lad.csv"
    text = path.read_text().replace("200.0,Worse,", "200.0,Worse 99.8%,").replace(
        ",,Not compared,", ",,Not compard,")
    path.write_text(text)
    bad = [p for p in validate_dir(tiny) if p.rule == "allowed-values"
           and p.file == "fingertips_u75_preventable_mortality_lad.csv"]
    assert [(p.row, p.column) for p in bad] == [(2, "compared_to_England"),
                                                 (3, "compared_to_England")]
    assert "'Worse 99.8%'" in bad[0].message


def test_remembered_files_give_the_problems_a_fresh_validation_gives(tiny, tmp_path,
                                                                      monkeypatch):
    from inequalities.data import validate

    memo = tmp_path / "memo"
    assert validate_dir(tiny, memo=memo) == []
    # Change two files: the lookup (so that rules across files now flag rows of files
    # that did not change and come from the memo) and the IMD file (its own rules).
    geo = (tiny / "lookup_lsoa11_geography.csv").read_text()
    geo = "\n".join(line for line in geo.splitlines() if not line.startswith("E01000004,"))
    (tiny / "lookup_lsoa11_geography.csv").write_text(geo + "\n")
    imd = (tiny / "imd2019_lsoa11.csv").read_text().replace(
        "E01000006,5.0,6,10", "E01000005,5.0,6,11")
    (tiny / "imd2019_lsoa11.csv").write_text(imd)
    read = []
    real = validate.validate_source

    def recorded(src, root, **kwargs):
        read.append(src.file)
        return real(src, root, **kwargs)

    monkeypatch.setattr(validate, "validate_source", recorded)
    remembered = validate_dir(tiny, memo=memo)
    # (absent optional files are looked at, and have nothing to remember)
    assert sorted(f for f in read if (tiny / f).is_file()) == [
        "imd2019_lsoa11.csv", "lookup_lsoa11_geography.csv"]
    fresh = validate_dir(tiny)
    assert remembered == fresh
    # the memo's rows and codes are the file's own: an unchanged file's row is named
    unknown = [p for p in fresh if p.rule == "unknown-area" and p.file == "coastal_lsoa11.csv"]
    assert unknown and all("E01000004" in p.message for p in unknown)
    assert {(p.file, p.rule) for p in fresh} >= {("imd2019_lsoa11.csv", "duplicate-key"),
                                                 ("imd2019_lsoa11.csv", "range")}
