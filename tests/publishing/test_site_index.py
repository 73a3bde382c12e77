"""OUT/index.html: every edition linked, self-contained, accessible, escaped."""

import json
import re
from html.parser import HTMLParser

import pytest

from inequalities.publishing import site_index

pytestmark = pytest.mark.unit


def _edition(out, slug, vintage="2019 <b>", formats=("html", "pdf")):
    folder = out / slug
    (folder / "key_figures").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "key_figures" / "a.json").write_text(json.dumps(
        {"data.vintage": vintage, "data.label": "Real & official"}))
    (folder / "data" / "fig-gp-access.csv").write_text("x\n")
    for fmt in formats:
        (folder / f"report.{fmt}").write_bytes(b"x" * 1000)
    (folder / "provenance.json").write_text(json.dumps(
        {"build_date": "2024-01-02", "version": "0.1.0", "git_commit": "0123456789abcdef",
         "engine": "pandoc"}))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.tags, self._href, self._text = [], [], None, ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._href, self._text = dict(attrs)["href"], ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.links.append((self._href, self._text.strip()))
            self._href = None


@pytest.fixture()
def page(tmp_path):
    _edition(tmp_path, "england")
    _edition(tmp_path, "london", vintage="<script>alert(1)</script>", formats=("html",))
    path = site_index.write(tmp_path, title="Report <T>", build_line="Built by x & y",
                            failed={"london": "step 'render pdf'", "north-east": "step 'notebooks'"},
                            slugs=["england", "london", "north-east"])
    assert path == tmp_path / "index.html"
    return path.read_text(encoding="utf-8")


def test_links_to_every_report_and_data_download(page):
    parser = _Links()
    parser.feed(page)
    links = dict(parser.links)
    assert links["england/report.html"] == "England report (HTML, 0.0\xa0MB)"
    assert links["england/report.pdf"] == "England report (PDF, 0.0\xa0MB)"
    assert links["london/report.html"].startswith("London report (HTML")
    assert "london/report.pdf" not in links
    assert links["england/data/fig-gp-access.csv"] == "England: fig-gp-access (CSV)"
    assert links["england/provenance.json"] == "provenance record for England (JSON)"
    # Link texts are unique, so each makes sense out of context.
    texts = [text for _, text in parser.links]
    assert len(texts) == len(set(texts))


def test_accessible_and_self_contained(page):
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")
    for landmark in ("<header>", "<main", "<footer>", "<h1>", "<caption>", '<th scope="col">',
                     '<th scope="row">'):
        assert landmark in page
    # one inline script (the name filter), nothing fetched: the page works offline
    assert page.count("<script") == 1 and "<script>" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_editions_grouped_by_set_with_a_name_filter(tmp_path):
    _edition(tmp_path, "england")
    _edition(tmp_path, "icb-sussex")
    _edition(tmp_path, "nhs-south-east")
    page = site_index.render(tmp_path, title="T", build_line="b",
                             slugs=["england", "london", "icb-sussex", "nhs-south-east"])
    order = [page.index(f'id="set-{name}"') for name in
             ("country", "ons-region", "nhs-region", "icb")]
    assert order == sorted(order)
    sussex = page[page.index('id="set-icb"'):]
    assert "NHS Sussex ICB<br><span class=\"small\">in NHS England South East</span>" in sussex
    assert 'data-name="nhs sussex icb icb-sussex e54000064"' in sussex
    # without scripts the filter stays hidden and every edition is listed
    assert '<form id="edition-filter" class="filter" role="search" hidden' in page
    assert '<label for="edition-filter-text">Filter editions by name</label>' in page
    assert page.count("<tr data-name=") == 4


def test_values_are_escaped_and_failures_shown(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Report &lt;T&gt;" in page and "Built by x &amp; y" in page
    assert "2019 &lt;b&gt;" in page and "Real &amp; official" in page
    assert "The last build of this edition failed (step &#39;render pdf&#39;)" in page
    assert "North East</th><td colspan=\"4\">Not built." in page
    assert "0123456789ab" in page and "0123456789abc" not in page
