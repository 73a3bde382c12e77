import pypdf
import pytest
import typst

from inequalities.publishing import escape

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", ['plain', 'quote " and \\ backslash', "#set page(width: 1cm)",
                                   "<label> @ref *bold* $x$", "line\nbreak"])
def test_typst_string_round_trips_through_the_typst_compiler(tmp_path, value):
    # Typst itself is the oracle: the string must compile and print literally.
    source = tmp_path / "t.typ"
    source.write_text(f"#let v = {escape.typst_string(value)}\n#v\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "t.pdf"))
    text = pypdf.PdfReader(tmp_path / "t.pdf").pages[0].extract_text()
    assert " ".join(text.split()) == " ".join(value.split())


def test_html_escapes_markup_and_quotes():
    assert escape.html('<a href="x">&</a>') == "&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;"
    assert escape.html(None) == ""
