import pypandoc
import pytest

from inequalities.publishing import chapters

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{{< include other.qmd >}}", "shortcode 'include'"),
        ("```{python}\nx = 1\n```", "executable code blocks"),
        ("Some <b>bold</b> text", "raw HTML"),
        ("As shown [@smith2020].", "citations"),
        ("::: {.column-margin}\nx\n:::", "div {.column-margin}"),
        ("See {{< embed ../analysis/a.ipynb#fig-x >}} inline", "own line"),
        ("---\ntitle: x\n---", "front matter"),
        ("`x`{=html}", "raw format"),
    ],
)
def test_syntax_outside_the_subset_is_reported_with_line(text, fragment):
    problems = chapters.check_syntax(text, "chapters/x.qmd")
    assert problems, text
    assert any(fragment in p.message for p in problems)
    assert str(problems[0]).startswith("chapters/x.qmd:")


def test_supported_syntax_passes():
    text = (
        "# Title {#sec-a}\n\nValue {{< var access.gap >}} and @fig-one, @tbl-two.\n\n"
        "{{< embed ../analysis/access.ipynb#fig-one >}}\n\n::: {.callout-note}\nNote\n:::\n\n"
        "```\n<b>code is literal</b>\n```\n\nEmail me at x@example.org.\n"
    )
    assert chapters.check_syntax(text) == []


def test_numbering_counts_figures_tables_and_sections_in_book_order():
    first = "# One {#sec-one}\n\n{{< embed ../analysis/a.ipynb#fig-a >}}\n\n## Sub {#sec-sub}\n"
    second = ("# Preface {.unnumbered}\n\n# Two {#sec-two}\n\n"
              "{{< embed ../analysis/a.ipynb#tbl-t >}}\n{{< embed ../analysis/b.ipynb#fig-b >}}\n")
    numbers = chapters.numbering([first, second])
    assert numbers == {"fig-a": "1", "sec-one": "1", "sec-sub": "1.1", "tbl-t": "1",
                       "fig-b": "2", "sec-two": "2"}


def test_crossrefs_become_links_in_html_and_native_refs_in_typst():
    numbers = {"fig-a": "3", "sec-two": "2.1"}
    html = chapters.expand_crossrefs("See @fig-a and @sec-two.", numbers, "html")
    assert html == "See [Figure 3](#fig-a) and [Section 2.1](#sec-two)."
    typ = chapters.expand_crossrefs("See @fig-a.", numbers, "typst")
    assert typ == "See `@fig-a`{=typst}."
    with pytest.raises(chapters.ChapterSyntaxError, match="@fig-missing"):
        chapters.expand_crossrefs("@fig-missing", numbers, "html")


def test_vars_are_escaped_so_data_cannot_inject_markup():
    text = chapters.expand_vars("Area: {{< var area.name >}}.",
                                {"area.name": "<script>alert(1)</script> *x*"})
    html = pypandoc.convert_text(text, "html", format="markdown")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *x*" in html


def test_unknown_var_names_the_key_and_lists_known_ones():
    with pytest.raises(chapters.ChapterSyntaxError, match=r"gap.*known"):
        chapters.expand_vars("{{< var gap >}}", {"known": 1}, "c.qmd")
