"""End-to-end build of a small fixture project with the pandoc + Typst engine."""

import json
import re

import pypdf
import pytest

from inequalities import cli

pytestmark = pytest.mark.render





@pytest.fixture()
def built(project, tmp_path):
    out = tmp_path / "site"
    status = cli.main(["build", "--edition", "north-east", "--renderer", "pandoc",
                       "--out", str(out)])
    assert status == 0
    return out / "north-east"


def test_html_is_self_contained_offline_and_escapes_data(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    # No external scripts, stylesheets or images: the page works offline.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    # Charts are interactive: Vega is inlined once and each chart is a div with its spec.
    assert html.count("window.vegaEmbed=") == 1
    assert html.count('class="vega-chart"') == 1
    assert 'aria-label="Bar chart of people by area"' in html
    # The hostile area name only ever appears as text.
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Figure 1:" in html and "Table 1: Areas and rates" in html
    assert 'href="data/fig-bars.csv"' in html and (built / "data" / "fig-bars.csv").is_file()


def test_pdf_has_title_page_contents_vector_chart_and_table(built):
    reader = pypdf.PdfReader(built / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    first = reader.pages[0].extract_text()
    assert "Fixture report" in first and "North East edition" in first and "2019" in first
    assert "Demonstration data, not official statistics" in first
    assert "Contents" in reader.pages[1].extract_text()
    assert "Figure 1: People by area <i>" in text
    assert "Table 1: Areas and rates" in text
    assert "<script>alert(1)</script>" in text  # printed literally, not interpreted
    assert f"Page 3 of {len(reader.pages)}" in text
    # The chart is vector: its page carries a form XObject with embedded Liberation Sans.
    fonts = {str(font) for page in reader.pages for font in _fonts(page)}
    assert any("LiberationSans" in font for font in fonts), fonts


def _fonts(page):
    resources = page.get("/Resources") or {}
    stack = [resources]
    while stack:
        res = stack.pop().get_object()
        for font in (res.get("/Font") or {}).values():
            yield font.get_object().get("/BaseFont")
        for xobject in (res.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Resources") is not None:
                stack.append(xobject["/Resources"])


def test_provenance_records_engine_commit_and_edition(built):
    record = json.loads((built / "provenance.json").read_text())
    assert record["engine"] == "pandoc"
    assert set(record["engine_versions"]) >= {"pandoc", "typst"}
    assert record["edition"] == {"slug": "north-east", "code": "E12000001", "name": "North East"}
    assert record["build_date"] == "2023-11-14"  # from SOURCE_DATE_EPOCH=1700000000
    assert (built / "notebooks" / "demo.ipynb").is_file()  # executed notebook kept
    assert "renderer: pandoc" in (built / "logs" / "build.log").read_text()


def test_failed_build_keeps_previous_good_copy_and_says_where(built, project, capsys):
    good = (built / "report.html").read_bytes()
    notebook = project / "analysis" / "demo.ipynb"
    notebook.write_text(notebook.read_text().replace("import altair as alt",
                                                     "raise RuntimeError('boom')"))
    status = cli.main(["build", "--edition", "north-east", "--renderer", "pandoc",
                       "--out", str(built.parent)])
    err = capsys.readouterr().err
    assert status == 1
    assert "north-east failed at step 'notebooks'" in err and "boom" in err
    assert (built / "report.html").read_bytes() == good
    assert (built.parent / ".failed" / "north-east" / "notebooks" / "demo.ipynb").is_file()
    assert not list(built.parent.glob(".build-*"))


def test_published_files_name_no_machine_path_host_or_pid(built, tmp_path):
    """Finding 9 of issue 14: build folder, project and data paths stay on the machine."""
    import socket

    machine = str(tmp_path)  # holds the project, the output and the build folders
    for path in built.rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert machine not in text, path
    log = (built / "logs" / "build.log").read_text()
    assert not re.search(rf"\b{re.escape(socket.gethostname())}\b", log) and " pid " not in log
    assert (json.loads((built / "provenance.json").read_text())["data_dir"]
            == "embedded demonstration data")
