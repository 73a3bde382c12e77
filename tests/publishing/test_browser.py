"""The HTML report in headless Chromium: axe-core accessibility audit, charts, no script.

axe-core (Deque, MPL-2.0) comes from the PyPI package ``axe-playwright-python``, which
bundles axe's ``axe.min.js`` from npm; it is pinned with a hash in ``requirements.lock``,
so nothing but Python and Debian's ``chromium`` is needed. Only the JavaScript file is
used: it is injected into the page and ``axe.run`` is called directly. The audit uses
axe's default rule set (WCAG 2.x A and AA plus best practices) and fails on every
violation whose impact is serious or critical.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tests.publishing.conftest import HOSTILE_NAMES, chromium_path

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; "
                    "`python3 run.py test` installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def _open(browser, report, viewport=WIDE):
    """Open ``report/report.html``; return (page, dialogs, errors) once every chart is drawn."""
    page = browser.new_page(viewport=viewport)
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((report / "report.html").as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-chart')]"
        ".every(c => c.querySelector('svg.marks'))", timeout=15_000)
    return page, dialogs, errors


def _serious(browser, axe_source, report, viewport):
    page, _, errors = _open(browser, report, viewport)
    try:
        page.add_script_tag(content=axe_source)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    assert errors == []
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [node["target"] for node in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["desktop", "phone"])
@pytest.mark.parametrize("report", ["fixture_report", "england_report"])
def test_axe_finds_no_serious_or_critical_violation(browser, axe_source, request, report,
                                                    viewport):
    found = _serious(browser, axe_source, request.getfixturevalue(report), viewport)
    assert found == [], json.dumps(found, indent=1)


def test_hostile_names_run_no_script_and_show_as_text(browser, hostile_report):
    page, dialogs, errors = _open(browser, hostile_report)
    try:
        for bar in page.locator("svg.marks .mark-rect path").all()[:12]:
            bar.hover()
        chart_text = page.evaluate(
            "() => [...document.querySelectorAll('svg.marks text')].map(t => t.textContent)")
        images = page.evaluate("() => document.querySelectorAll('img').length")
        scripts = page.evaluate("() => document.scripts.length")
        charts = page.evaluate("() => document.querySelectorAll('.vega-chart').length")
    finally:
        page.close()
    assert dialogs == [] and errors == []
    assert images == 0
    assert scripts == 2 + charts  # the bundle, the loader and one JSON spec per chart
    assert HOSTILE_NAMES["North East"] in chart_text  # drawn as a label, as text
    assert HOSTILE_NAMES["North West"] in chart_text


def test_charts_have_tooltips_alt_text_and_a_minimal_menu(browser, fixture_report):
    page, _, errors = _open(browser, fixture_report)
    try:
        page.locator("svg.marks .mark-rect path").first.hover()
        page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
        tooltip = page.inner_text("#vg-tooltip-element")
        svg_label = page.get_attribute(".vega-chart svg.marks", "aria-label")
        container_role = page.get_attribute(".vega-chart", "role")
        menu = page.evaluate(
            "() => [...document.querySelectorAll('.vega-chart .vega-actions a')]"
            ".map(a => a.textContent.trim())")
    finally:
        page.close()
    assert errors == []
    assert "<script>alert(1)</script>" in tooltip and "1200" in tooltip  # from the data, as text
    assert svg_label == "Bar chart of people by area"  # the cell's fig-alt
    assert container_role is None
    assert sorted(menu) == ["Save as PNG", "Save as SVG"]


def test_demo_banner_stays_visible_and_print_styles_are_sane(browser, england_report,
                                                             tmp_path):
    page, _, _ = _open(browser, england_report)
    try:
        banner = page.locator(".demo-banner")
        text = banner.inner_text()
        assert "Demonstration data, not official statistics" in text
        assert text.lower().count("not official statistics") == 1  # said once, not twice
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(200)
        box = banner.bounding_box()
        assert box is not None and 0 <= box["y"] < 5 and box["height"] > 20  # sticky on top
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "() => ['nav#TOC', '.skip-link', '.vega-embed details']"
            ".map(s => getComputedStyle(document.querySelector(s)).display)")
        position = page.evaluate("() => getComputedStyle(document.querySelector("
                                 "'.demo-banner')).position")
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    assert hidden == ["none", "none", "none"]
    assert position == "static"
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_landing_page_filter_narrows_editions_by_name(browser, tmp_path):
    from inequalities.publishing import site_index

    slugs = ["england", "london", "nhs-south-east", "icb-sussex", "icb-surrey-heartlands"]
    site_index.write(tmp_path, title="T", build_line="b", slugs=slugs)
    page = browser.new_page(viewport=WIDE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((tmp_path / "index.html").as_uri())
    assert page.is_visible("#edition-filter-text")
    assert page.locator("tbody tr:visible").count() == 5
    page.fill("#edition-filter-text", "SUSSEX")
    assert page.locator("tbody tr:visible").count() == 1
    assert page.locator("section.edition-set:visible").count() == 1
    assert page.inner_text("#edition-filter-count") == "1 edition shown"
    page.fill("#edition-filter-text", "")
    assert page.locator("tbody tr:visible").count() == 5
    assert errors == []
    page.close()
