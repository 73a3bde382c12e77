"""The areas chapter (topics.areas): comparisons, aggregates and sentences by hand."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from inequalities.report import ledger, outputs
from inequalities.topics import areas

pytestmark = pytest.mark.unit
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
NAN = math.nan


@pytest.mark.parametrize(("value", "lower", "upper", "england", "word"), [
    (55.0, 53.0, 57.0, 50.0, "higher"),        # interval wholly above England
    (45.0, 43.0, 47.0, 50.0, "lower"),         # wholly below
    (50.5, 48.0, 53.0, 50.0, "similar"),       # straddles
    (52.0, 50.0, 54.0, 50.0, "similar"),       # a limit equal to England's value includes it
    (55.0, NAN, NAN, 50.0, "not compared"),    # no interval
    (55.0, 53.0, 57.0, NAN, "not compared"),   # no England value
    (NAN, NAN, NAN, 50.0, "no value"),
])
def test_comparison_is_judged_by_the_interval(value, lower, upper, england, word):
    assert areas.compare(value, lower, upper, england) == word


def test_aggregates_weight_authorities_by_their_residents_in_the_area():
    weights = pd.DataFrame({"code": ["A", "A", "B"], "lad_code": ["L1", "L2", "L2"],
                            "residents": [100.0, 300.0, 300.0], "share": [1.0, 0.5, 0.5]})
    la = pd.DataFrame({"lad_code": ["L1", "L2"], "value": [80.0, 84.0],
                       "count": [10.0, 30.0], "denominator": [20_000.0, 40_000.0]})
    mean = areas.aggregate(la, weights, areas.BY_STEM["le_female"]).set_index("code")
    assert mean.loc["A", "value"] == pytest.approx((100 * 80 + 300 * 84) / 400)  # 83.0
    assert mean.loc["B", "value"] == pytest.approx(84.0)
    ratio = areas.aggregate(la, weights, areas.BY_STEM["gp_fte"]).set_index("code")
    # A: (10 + 0.5 x 30) FTE over (20,000 + 0.5 x 40,000) patients, per 10,000 = 6.25
    assert ratio.loc["A", "value"] == pytest.approx(6.25)
    assert (ratio.loc["A", "n"], ratio.loc["A", "n_all"]) == (2, 2)


def _row(code, name, stem, value, lower, upper, england=50.0, unit_type="LA"):
    return {"unit_type": unit_type, "code": code, "name": name, "stem": stem,
            "value": value, "lower": lower, "upper": upper, "n": 1, "period": "2022",
            "method": areas.PUBLISHED_METHOD,
            "note": "" if not math.isnan(value) else "not estimated: no value",
            "england": england, "comparison": areas.compare(value, lower, upper, england)}


def _frame(rows):
    return pd.DataFrame(rows)


def test_sentence_with_every_kind_of_result():
    frame = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                    _row("E2", "B", "cancer_stage12", 56, 54, 58),
                    _row("E3", "C", "cancer_stage12", 50, 48, 52),
                    _row("E4", "D", "cancer_stage12", 45, 44, 46),
                    _row("E5", "E", "cancer_stage12", NAN, NAN, NAN)])
    assert areas.comparison_sentence(frame, "LA", "cancer_stage12") == (
        "Compared with England's 50.0%, the share of cancers diagnosed at stage 1 or 2 was "
        "higher in 2 local authorities, similar in 1 and lower in 1; 1 has no value.")


def test_sentence_when_all_areas_agree_or_there_is_one():
    frame = _frame([_row("E1", "A", "le_female", 80, 79, 81, england=80.5),
                    _row("E2", "B", "le_female", 80.2, 79.5, 81, england=80.5)])
    assert areas.comparison_sentence(frame, "LA", "le_female") == (
        "Compared with England's 80.5 years, female life expectancy was similar in all 2 "
        "local authorities.")
    one = _frame([_row("E1", "A", "le_female", 84, 83, 85, england=80.5,
                       unit_type="ICB")])
    assert areas.comparison_sentence(one, "ICB", "le_female") == (
        "Compared with England's 80.5 years, female life expectancy was higher in the only "
        "integrated care board.")


def test_sentence_tails_agree_in_number():
    frame = _frame([_row("E1", "A", "premature", 150, 140, 160, england=100),
                    _row("E2", "B", "premature", 150, NAN, NAN, england=100),
                    _row("E3", "C", "premature", 150, NAN, NAN, england=100),
                    _row("E4", "D", "premature", NAN, NAN, NAN, england=100)])
    assert areas.comparison_sentence(frame, "LA", "premature") == (
        "Compared with England's 100.0 per 100,000, under-75 mortality from preventable "
        "causes was higher in 1 local authority; 2 have no interval and are not "
        "compared and 1 has no value.")


def test_sentences_without_intervals_values_or_england():
    no_ci = _frame([_row("E1", "A", "gp_fte", 6.0, NAN, NAN, england=5.73)])
    assert areas.comparison_sentence(no_ci, "LA", "gp_fte") == (
        "The data give no interval for the number of GP FTE per patient, so the local "
        "authorities are not compared with England's 5.73 per 10,000 patients.")
    no_value = _frame([_row("E1", "A", "gp_fte", NAN, NAN, NAN)])
    assert areas.comparison_sentence(no_value, "LA", "gp_fte") == (
        "The edition's data hold no value of the number of GP FTE per patient for its local "
        "authorities.")
    no_england = _frame([_row("E1", "A", "gp_fte", 6.0, 5.0, 7.0, england=NAN)])
    assert areas.comparison_sentence(no_england, "LA", "gp_fte") == (
        "The data hold no England figure for the number of GP FTE per patient, so the local "
        "authorities are not compared with England.")


def test_uncompared_indicators_are_named_once():
    frame = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                    _row("E1", "A", "le_female", 80, NAN, NAN),
                    _row("E1", "A", "le_male", 76, NAN, NAN),
                    _row("E1", "A", "premature", NAN, NAN, NAN),
                    _row("E1", "A", "gp_fte", NAN, NAN, NAN)])
    assert areas.uncompared_sentence(frame, "LA") == (
        "The data give no interval for female life expectancy and male life expectancy, so "
        "the local authorities' values of these indicators are shown without a comparison "
        "with England. The edition's data hold no value of under-75 mortality from "
        "preventable causes or GP FTE per 10,000 registered patients.")
    one = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                  _row("E1", "A", "le_female", 80, NAN, NAN)])
    assert "values of this indicator are shown" in areas.uncompared_sentence(one, "LA")


def test_unmatched_areas_are_named():
    none = pd.DataFrame(columns=["code", "name"])
    assert areas.unmatched_sentence(none, "LA") == (
        "Every local authority of the edition has a hexagon in the layout.")
    one = pd.DataFrame({"code": ["E06000001"], "name": ["Hartlepool"]})
    assert areas.unmatched_sentence(one, "LA") == (
        "One local authority, Hartlepool (E06000001), has no hexagon in the layout and is "
        "missing from the map; it is in the table.")
    two = pd.DataFrame({"code": ["E54000063", "E54000064"], "name": ["Surrey", "Sussex"]})
    assert areas.unmatched_sentence(two, "ICB") == (
        "2 integrated care boards, Surrey (E54000063) and Sussex (E54000064), have no hexagon "
        "in the layout and are missing from the map; they are in the table.")


def test_multiple_comparisons_sentence():
    none = _frame([_row("E1", "A", "gp_fte", 6.0, NAN, NAN)])
    assert areas.multiple_sentence(none).startswith("No area is compared with England")
    one = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57)])
    assert areas.multiple_sentence(one).startswith(
        "The table makes only 1 comparison with England. Each is judged on its own")
    two = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                  _row("E2", "B", "cancer_stage12", 50, 49, 51)])
    text = areas.multiple_sentence(two)
    assert text.startswith("The table makes 2 comparisons") and "no adjustment" in text


def _hexes():
    return pd.DataFrame({"geography": "LAD", "code": ["E1", "E2"], "name": ["A", "B"],
                         "q": [0, 1], "r": [0, 0], "layout": "odd-r"})


def test_map_keeps_every_area_or_names_it():
    frame = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                    _row("E2", "B", "cancer_stage12", 49, 48, 49.5),
                    _row("E3", "=C", "cancer_stage12", 50, 48, 52)])
    placed, missing = areas.map_frame(frame, _hexes())
    assert list(placed["code"]) == ["E1", "E2"] and list(placed["key"]) == ["1", "2"]
    assert list(placed["category"]) == ["Higher than England", "Lower than England"]
    assert placed["value_text"].iloc[0] == "55.0% (95% CI 53.0 to 57.0)"
    assert missing.to_dict("records") == [{"code": "E3", "name": "=C"}]
    assert areas.map_description(placed, frame, "Test").endswith(
        "compared with England: 1 higher than England and 1 lower than England.")


def test_table_cells_and_csv_are_escaped():
    frame = _frame([_row("E1", "=HYPERLINK(\"x\")", "cancer_stage12", 55, 53, 57),
                    _row("E1", "=HYPERLINK(\"x\")", "gp_fte", 6.5, NAN, NAN),
                    _row("E2", "<b>|B", "cancer_stage12", NAN, NAN, NAN),
                    _row("E2", "<b>|B", "gp_fte", -0.5, NAN, NAN)])
    table = areas.area_table(frame).frame
    assert list(table.columns)[:2] == ["Key", "Local authority"]
    assert table.iloc[0, 2] == "55.0 (53.0 to 57.0) higher"
    assert table.iloc[1, 2] == "–" and table.iloc[1, -1] == "\u22120.50"  # true minus
    markdown = outputs.markdown_table(table)
    assert "<b>" not in markdown and "\\<b\\>\\|B" in markdown
    path = outputs.save_figure_data(_tmp(), "tbl-areas",
                                    areas.download(frame))
    text = path.read_text()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def _tmp() -> Path:
    import tempfile
    return Path(tempfile.mkdtemp(prefix="areas-test-"))


def test_ledger_rows_pass_the_ledger_rules():
    frame = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                    _row("E2", "B", "cancer_stage12", NAN, NAN, NAN)])
    stats = ledger.check(areas.statistics(frame))
    assert set(stats["key"]) == {"areas.cancer_stage12_la.a", "areas.cancer_stage12_la.b",
                                 "areas.cancer_stage12.england"}
    eng = stats.set_index("key").loc["areas.cancer_stage12.england"]
    assert (eng["value"], eng["unit"], eng["unit_type"]) == (50.0, "%", "country")


@pytest.mark.integration
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the staged real data")
def test_every_authority_of_a_real_region_is_in_the_table_and_on_the_map():
    from inequalities.topics.edition import load

    ed = load("north-east", str(SHARED))
    frame = areas.values(ed)
    codes = set(ed.data.lads["lad_code"])
    assert len(codes) == 12
    table = areas.area_table(frame).frame
    assert len(table) == 12 and set(table["Local authority"]) == set(ed.data.lads["lad_name"])
    placed, missing = areas.map_frame(frame, ed.data.hexes)
    assert set(placed["code"]) == codes and missing.empty
    # the layout's English codes are the LAD 2023 codes the report uses
    lad_hexes = ed.data.hexes[ed.data.hexes["geography"] == "LAD"]
    assert codes <= set(lad_hexes["code"])
    england = load("england", str(SHARED))
    icbs = set(england.data.areas["icb_code"].dropna())
    assert icbs == set(england.data.hexes.loc[england.data.hexes["geography"] == "ICB",
                                              "code"])
    assert {"E54000063", "E54000064"} <= icbs  # Surrey Heartlands and Sussex, 2024 codes


def test_map_summary_by_category_and_by_value():
    frame = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57),
                    _row("E2", "B", "cancer_stage12", 49, 48, 49.5),
                    _row("E3", "C", "cancer_stage12", NAN, NAN, NAN)])
    hexes = pd.concat([_hexes(), pd.DataFrame({"geography": ["LAD"], "code": ["E3"],
                                               "name": ["C"], "q": [2], "r": [0],
                                               "layout": ["odd-r"]})])
    placed, _ = areas.map_frame(frame, hexes)
    assert areas.map_summary(placed, frame) == (
        "Of the 3 local authorities on the map, 1 higher than England, 1 lower than England "
        "and 1 without a value.")
    by_value = _frame([_row("E1", "A", "le_female", 80.04, NAN, NAN),
                       _row("E2", "B", "le_female", 83.26, NAN, NAN)])
    placed, _ = areas.map_frame(by_value, _hexes())
    assert areas.map_summary(placed, by_value) == (
        "The local authorities are not compared with England on this indicator (no "
        "interval), so the colour shows the value, from 80.0 years in A to 83.3 years in B.")
    assert areas.map_summary(placed.iloc[0:0], by_value) == "There is no map for this edition."
    with_gaps = _frame([_row("E1", "A", "le_female", 80.04, NAN, NAN),
                        _row("E2", "B", "le_female", 83.26, NAN, NAN),
                        _row("E3", "C", "le_female", NAN, NAN, NAN)])
    placed, _ = areas.map_frame(with_gaps, hexes)
    assert areas.map_summary(placed, with_gaps).endswith(
        "from 80.0 years in A to 83.3 years in B. Hexagons left white have no value (1 local "
        "authority).")


def test_one_area_reads_as_one():
    frame = _frame([_row("E1", "Somerset", "cancer_stage12", 55, 53, 57)])
    placed, missing = areas.map_frame(frame, _hexes().assign(code=["E1", "E9"]))
    assert areas.map_summary(placed, frame) == (
        "The only local authority on the map is higher than England.")
    figures = areas.key_figures(frame, missing, "Somerset")
    assert figures["areas.units"] == "the one local authority"
    two = _frame([_row("E1", "A", "cancer_stage12", 55, 53, 57, unit_type="region"),
                  _row("E2", "B", "cancer_stage12", 55, 53, 57, unit_type="ICB"),
                  _row("E3", "C", "cancer_stage12", 55, 53, 57, unit_type="ICB")])
    assert areas.key_figures(two, missing, "England")["areas.units"] == (
        "the one region and 2 integrated care boards")


@pytest.mark.parametrize(("value", "england", "verdict", "word"), [
    (81.0, 83.5, "worse", "lower"),        # life expectancy below England, judged worse
    (189.1, 145.8, "worse", "higher"),     # mortality above England, judged worse
    (84.0, 83.5, "better", "higher"),
    (120.0, 145.8, "better", "lower"),
    (83.2, 83.5, "similar", "similar"),    # OHID: the interval includes England
    (90.0, 83.5, "not compared", "not compared"),
    (90.0, 83.5, None, "not compared"),    # no judgement in the file
    (90.0, NAN, "better", "not compared"),
    (83.5, 83.5, "better", "not compared"),  # significant but no direction to give
    (NAN, 83.5, "similar", "no value"),
])
def test_publishers_judgement_gives_significance_and_the_value_direction(
        value, england, verdict, word):
    assert areas.judged(value, england, verdict) == word


def _judged_row(code, name, stem, value, verdict, england, unit_type="LA"):
    method = areas.PUBLISHER_METHOD
    word = areas.judged(value, england, verdict)
    return {**_row(code, name, stem, value, NAN, NAN, england=england,
                   unit_type=unit_type), "method": method, "comparison": word,
            "why": areas.why(areas.BY_STEM[stem], unit_type, method, word, england)}


def test_publishers_judgement_in_table_text_ledger_and_csv():
    frame = _frame([_judged_row("E1", "A", "le_female", 81.0, "worse", 83.5),
                    _judged_row("E2", "B", "le_female", 83.2, "similar", 83.5),
                    _judged_row("E3", "C", "le_female", 82.0, "not compared", 83.5),
                    {**_row("E1", "A", "gp_fte", 6.5, NAN, NAN, england=6.1),
                     "method": areas.PUBLISHED_NO_CI, "comparison": "not compared",
                     "why": "count"}])
    assert areas.comparison_sentence(frame, "LA", "le_female") == (
        "Compared with England's 83.5 years, female life expectancy was similar in 1 local "
        "authority and lower in 1 (OHID's judgement); 1 is not compared by OHID.")
    assert areas.publisher_sentence(frame).startswith(
        "The comparisons of female life expectancy are OHID's (Fingertips)")
    assert "GP FTE per 10,000 registered patients is not compared with England: it is a " \
        "complete count" in areas.uncompared_sentence(frame, "LA")
    table = areas.area_table(frame).frame
    assert "Life expectancy, F, years, vs England (OHID)" in table.columns
    assert table.iloc[0]["Life expectancy, F, years, vs England (OHID)"] == "81.0 lower"
    notes = ledger.check(areas.statistics(frame)).set_index("key")["note"]
    assert notes["areas.le_female_la.a"] == "lower than England (OHID's judgement at 95%)"
    assert notes["areas.le_female_la.c"] == (
        "not compared with England: OHID does not compare it with England")
    assert notes["areas.gp_fte_la.a"].startswith(
        "not compared with England: a complete count")
    csv_rows = areas.download(frame).set_index(["area_code", "indicator"])
    row = csv_rows.loc[("E1", "Life expectancy at birth, females")]
    assert (row["compared_with_england"], row["comparison_note"]) == (
        "lower", "lower than England (OHID's judgement at 95%)")


@pytest.mark.integration
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the staged real data")
def test_real_authorities_carry_ohids_judgement_and_regions_are_not_compared():
    from inequalities.topics.edition import load

    frame = areas.values(load("north-east", str(SHARED))).set_index(["code", "stem"])
    # fingertips_life_expectancy_lad.csv, 2023 - 25: Hartlepool female 80.9, "Worse";
    # Northumberland female 83.2, "Similar"; England female 83.5
    assert frame.loc[("E06000001", "le_female"), "comparison"] == "lower"
    assert frame.loc[("E06000057", "le_female"), "comparison"] == "similar"
    # fingertips_u75_preventable_mortality_lad.csv, 2024: Hartlepool "Worse", above 145.8
    assert frame.loc[("E06000001", "premature"), "comparison"] == "higher"
    assert frame.loc[("E06000001", "gp_fte"), "comparison"] == "not compared"
    england = areas.values(load("england", str(SHARED)))
    regions = england[(england["unit_type"] != "LA") & (england["stem"] == "le_female")]
    assert set(regions["comparison"]) == {"not compared"}
    assert set(regions["why"]) == {"mean"}


FILTER = (Path(__file__).resolve().parents[2] / "src" / "inequalities" / "publishing"
          / "templates" / "report-filter.lua")


def _lua_marks() -> dict[str, str]:
    import re

    block = re.search(r"local MARKS = \{(.*?)\n\}", FILTER.read_text(), re.DOTALL)[1]
    return dict(re.findall(r'\["([a-z-]+)"\] = "(#[0-9A-Fa-f]{6})"', block))


def _luminance(colour: str) -> float:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_table_marks_have_the_maps_colours_and_a_visible_outline():
    from inequalities.report import charts

    marks = _lua_marks()
    # the table's square for each word is the map's colour for the same category
    assert marks == {areas.MARKS[w]: charts.COMPARISON_COLOURS[areas.CATEGORY[w]]
                     for w in ("higher", "similar", "lower")}
    outline = re.search(r'MARK_OUTLINE = "(#[0-9A-F]{6})"', FILTER.read_text())[1]
    # WCAG 2.1 non-text contrast (1.4.11): the square's outline at least 3:1 on white,
    # so the pale "similar" square is still seen; the word itself stays in the text colour
    assert (1.05) / (_luminance(outline) + 0.05) >= 3.0


def test_table_cells_reach_html_and_typst_with_colour_and_word():
    import pypandoc

    frame = _frame([_row("E1", "A<b>", "cancer_stage12", 45, 44, 46),
                    _row("E2", "B", "cancer_stage12", 55, 53, 57),
                    _row("E3", "C", "cancer_stage12", 50, 48, 52),
                    _row("E4", "D", "cancer_stage12", 50, NAN, NAN)])
    table = areas.area_table(frame)
    markdown = table._repr_mimebundle_()["text/markdown"] + "\n\n: Areas {#tbl-areas}\n"
    args = [f"--lua-filter={FILTER}"]
    html = pypandoc.convert_text(markdown, "html5", format="markdown-citations-raw_html",
                                 extra_args=args)
    typst = pypandoc.convert_text(markdown, "typst", format="markdown-citations-raw_html",
                                  extra_args=args)
    for word, colour in (("lower", "#0072B2"), ("higher", "#E69F00"),
                         ("similar", "#D9D9D9")):  # Okabe-Ito, as on the map
        assert re.search(rf'class="compare-{word}"\s+style="white-space:nowrap">'
                         rf'<span class="compare-mark" '
                         rf'aria-hidden="true" style="[^"]*background:{colour};[^"]*">'
                         rf"</span>{word}</span>", html), word
        assert re.search(rf'#box\([^)]*fill: rgb\("{colour}"\)[^\n]*\){word}\]', typst), word
    assert "A&lt;b&gt;" in html and "<b>" not in html
    # an area without an interval keeps the plain words, with no square
    assert html.count("compare-mark") == 3
    # the CSV download has the word only
    csv = areas.download(frame)
    assert list(csv["compared_with_england"]) == ["lower", "higher", "similar",
                                                  "not compared"]


def test_every_region_is_accounted_for_in_the_sentence():
    # England's edition: London's cancer value is a mean of its boroughs (no published
    # regional figure), so the sentence must still count it, with its reason.
    rows = [_row(f"E{k}", f"R{k}", "cancer_stage12", 58, 57, 59, unit_type="region")
            for k in range(2)]
    london = {**_row("E9", "London", "cancer_stage12", 58.5, NAN, NAN, unit_type="region"),
              "method": areas.MEAN_METHOD, "comparison": "not compared", "why": "mean"}
    frame = _frame([*rows, london])
    assert areas.comparison_sentence(frame, "region", "cancer_stage12") == (
        "Compared with England's 50.0%, the share of cancers diagnosed at stage 1 or 2 was "
        "higher in 2 regions; 1 is a mean of its authorities' values, with no interval, "
        "and is not compared.")
