"""Every value that comes from data is escaped: a report built from hostile names.

The England edition is built with ``--data`` from demonstration data whose region, local
authority and small-area names are markup (see ``conftest.HOSTILE_NAMES``). The HTML must
create no element or attribute from them, the chart specs must carry them as escaped JSON
text, and the PDF, CSV and JSON outputs must hold them literally.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
import pypdf
import pytest

from tests.publishing.conftest import HOSTILE_NAMES

pytestmark = pytest.mark.render

# The only inline scripts a report may contain: the Vega bundle, the chart loader, and
# one inert JSON spec per chart.
LOADER_MARK = 'document.querySelectorAll("script.vega-spec")'
BUNDLE_MARK = "window.vegaEmbed="


class _Page(HTMLParser):
    """Collects elements, attributes, text and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._buffer = dict(attrs), []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None

    def handle_data(self, data):
        (self._buffer if self._script is not None else self.text).append(data)


@pytest.fixture(scope="module")
def page(hostile_report) -> _Page:
    parser = _Page()
    parser.feed((hostile_report / "report.html").read_text(encoding="utf-8"))
    return parser


def test_no_element_or_attribute_is_made_from_a_name(page, hostile_report):
    html = (hostile_report / "report.html").read_text(encoding="utf-8")
    assert not [tag for tag, _ in page.tags if tag == "img"]
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    for hostile in HOSTILE_NAMES.values():
        assert hostile not in html  # never raw, anywhere in the file
    # Every script element is one of the report's own.
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/json":
            assert attrs.get("class") == "vega-spec"
        else:
            assert attrs == {} and (LOADER_MARK in body or BUNDLE_MARK in body), body[:200]
        assert "alert(" not in body or attrs.get("type") == "application/json"


def test_chart_specs_hold_the_names_as_escaped_json_text(page, hostile_report):
    specs = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    assert specs, "the England report has at least one chart"
    raw = "".join(specs)
    # Inside <script> only JSON's \\u escapes keep "<" and ">" from being markup.
    assert "<" not in raw and ">" not in raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in raw
    values = json.dumps([json.loads(body) for body in specs], ensure_ascii=False)
    assert HOSTILE_NAMES["North East"] in values
    assert HOSTILE_NAMES["North West"].replace('"', '\\"') in values


def test_figure_data_holds_the_names_verbatim(hostile_report):
    frame = pd.read_csv(hostile_report / "data" / "fig-rural-share-by-region.csv")
    names = set(frame["region_name"])
    assert HOSTILE_NAMES["North East"] in names and HOSTILE_NAMES["North West"] in names
    # JSON outputs are data too: each parses, and a name in them is plain text.
    for path in sorted((hostile_report / "key_figures").glob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))


def test_pdf_prints_the_names_literally(hostile_report):
    reader = pypdf.PdfReader(hostile_report / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert HOSTILE_NAMES["North East"] in text
    assert "onerror=alert(2)>" in text
