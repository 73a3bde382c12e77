import json

import numpy as np
import pandas as pd
import pypandoc
import pytest

from inequalities.report import outputs

pytestmark = pytest.mark.unit


def test_markdown_table_survives_pandoc_with_hostile_cells():
    frame = pd.DataFrame({"area": ["<script>alert(1)</script>", "A | B", "*x* @y [z](w)"],
                          "people": [1200, 35, 7]})
    html = pypandoc.convert_text(outputs.markdown_table(frame), "html", format="markdown")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<tr") == 4  # header + 3 rows: the pipe did not split a cell
    assert "<td style=\"text-align: right;\">1,200</td>" in html
    assert "*x* @y [z](w)" in html  # literal, no emphasis, citation or link


def test_format_frame_prints_whole_floats_without_decimals_and_missing_as_dash():
    frame = pd.DataFrame({"year": [2015.0, 2016.0], "rate": [1.234, np.nan], "flag": [True, False]})
    text = outputs.format_frame(frame)
    assert text["year"].tolist() == ["2,015", "2,016"]
    assert text["rate"].tolist() == ["1.2", "–"]
    assert text["flag"].tolist() == ["Yes", "No"]
    assert outputs.format_frame(frame, {"year": "{:.0f}"})["year"].tolist() == ["2015", "2016"]


def test_html_table_escapes_headers_and_cells():
    frame = pd.DataFrame({"<th>": ["<td>&"]})
    html = outputs.html_table(frame)
    assert "<th scope=\"col\">&lt;th&gt;</th>" in html and "&lt;td&gt;&amp;" in html


def test_key_figures_are_written_sorted_and_merged_once(tmp_path):
    outputs.save_key_figures(tmp_path, "b", {"z.value": np.float64(1.5), "a.count": np.int64(3)})
    outputs.save_key_figures(tmp_path, "a", {"m.flag": np.bool_(True), "m.missing": float("nan")})
    text = (tmp_path / "key_figures" / "b.json").read_text()
    assert list(json.loads(text)) == ["a.count", "z.value"]
    merged = outputs.load_key_figures(tmp_path)
    assert merged == {"a.count": 3, "z.value": 1.5, "m.flag": True, "m.missing": None}
    outputs.save_key_figures(tmp_path, "c", {"a.count": 4})
    with pytest.raises(ValueError, match="more than one notebook"):
        outputs.load_key_figures(tmp_path)


@pytest.mark.parametrize("label", ["figure-x", "fig_x", "fig-X", "../fig-x", "fig-"])
def test_figure_data_labels_are_validated(tmp_path, label):
    with pytest.raises(ValueError, match="not valid"):
        outputs.save_figure_data(tmp_path, label, pd.DataFrame({"a": [1]}))


def test_figure_data_is_deterministic_csv(tmp_path):
    frame = pd.DataFrame({"group": ["Urban", "Rural"], "rate": [1 / 3, 2.0],
                          "population": [2669940.0, 1.5e-7]})
    path = outputs.save_figure_data(tmp_path, "fig-rates", frame)
    # written by hand: ten decimals at most, whole numbers as integers, never 2.66994e+06
    assert path.read_bytes() == (b"group,rate,population\nUrban,0.3333333333,2669940\n"
                                 b"Rural,2,0.00000015\n")


def test_table_cells_use_true_minus_and_no_negative_zero():
    frame = pd.DataFrame({"gap": [-1.25, -0.04, 0.5], "n": [-3, 0, 1200],
                          "ratio": [-0.001, -1.5, 2.0]})
    text = outputs.format_frame(frame, {"ratio": "{:.2f}"})
    assert text["gap"].tolist() == ["\u22121.2", "0.0", "0.5"]
    assert text["n"].tolist() == ["\u22123", "0", "1,200"]
    assert text["ratio"].tolist() == ["0.00", "\u22121.50", "2.00"]


def test_duplicate_columns_are_refused_with_their_names():
    frame = pd.DataFrame([[1, 2]], columns=["% of England", "% of England"])
    with pytest.raises(ValueError, match="duplicate column names"):
        outputs.show_table(frame)._repr_mimebundle_()


def test_marked_cells_are_spans_with_escaped_text_and_plain_elsewhere():
    import pandas as pd

    from inequalities.report.outputs import Marked, html_table, markdown_table

    cell = Marked(("55.0 ", None), ("<b>|x", "compare-lower"))
    assert cell == "55.0 <b>|x"  # equals, downloads and prints as its plain text
    frame = pd.DataFrame([{"Area": "*A*", "Value": cell}], dtype=object)
    md = markdown_table(frame)
    assert md.splitlines()[-1] == "| \\*A\\* | 55\\.0 [\\<b\\>\\|x]{.compare-lower} |"
    html = html_table(frame)
    assert '<td>55.0 <span class="compare-lower">&lt;b&gt;|x</span></td>' in html
    with pytest.raises(ValueError, match="class name"):
        Marked(("x", 'a" onclick="1'))
