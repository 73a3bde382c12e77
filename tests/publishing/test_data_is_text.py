"""Finding 10 of issue 14: names in the data cannot become cross-references (pandoc engine)."""

import nbformat
import pytest

from inequalities.publishing import engine_pandoc
from inequalities.publishing.project import Project
from inequalities.publishing.render import RenderContext

pytestmark = pytest.mark.unit

CHAPTER = """# Intro {#sec-intro}

Area: {{< var area.name >}}, see @sec-intro and @fig-places.

{{< embed ../analysis/a.ipynb#fig-places >}}

{{< embed ../analysis/a.ipynb#tbl-places >}}
"""


def _context(tmp_path, name):
    (tmp_path / "ch.qmd").write_text(CHAPTER, encoding="utf-8")
    notebooks = tmp_path / "b" / "notebooks"
    notebooks.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    chart = f'<div class="vega-chart" aria-label="x">{{"values": [{{"name": "{name}"}}]}}</div>'
    svg = '<svg width="10" height="10"></svg>'
    for label, bundle in (("fig-places", {"text/html": chart, "image/svg+xml": svg,
                                          "application/pdf": "JVBERg=="}),
                          ("tbl-places", {"text/markdown": f"| Area |\n|---|\n| {name} |"})):
        cell = nbformat.v4.new_code_cell(f"#| label: {label}\n#| {label[:3]}-cap: Places\n")
        cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
        nb.cells.append(cell)
    nbformat.write(nb, str(notebooks / "a.ipynb"))
    project = Project(root=tmp_path, title="T", subtitle="", chapters=("ch.qmd",))
    return RenderContext(project=project, build_dir=tmp_path / "b",
                         variables={"area.name": name}, meta={})


@pytest.mark.parametrize("fmt", ["html", "typst"])
@pytest.mark.parametrize("name", ["Upper @fig-x", "Near @fig-places"])
def test_a_name_in_charts_tables_and_key_figures_stays_text(tmp_path, fmt, name):
    text = engine_pandoc._expand(_context(tmp_path, name), fmt)
    # the author's two references are expanded once each, the name never
    if fmt == "html":
        assert text.count("[Section 1](#sec-intro)") == 1
        assert text.count("](#fig-places)") == 1
        assert f'"name": "{name}"' in text  # the chart's data as they were
    else:
        assert text.count("`@fig-places`{=typst}") == 1
    # the table cell as the notebook wrote it, converted as text (the engine converts the
    # tables apart): in Typst its "@" escaped, so it never becomes a reference
    if fmt == "html":
        assert text.count(f"<td>{name}</td>") == 1
    else:
        assert text.count(f"[{name.replace('@', chr(92) + '@')}]") == 1
