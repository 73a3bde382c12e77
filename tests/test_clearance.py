"""Clearance: the published real-data editions obey the report's rules for numbers.

Issue 15 ("Fit to publish"): every number comes from one ledger per edition, written as
numbers; the text of the PDF and the HTML uses true minus signs, no negative zero, no
p-values in scientific notation, English findings ("was no clear difference" is not) and
never compares a figure with itself ("England 18.4% (England 18.4%)"). These tests read
the outputs of the session's real-data build (``real_site`` in ``tests/conftest.py``);
the checks are plain functions, so they can be run on any built site.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from inequalities.report import ledger
from tests.reports import SHARED_DATA, real_site_slugs
from tests.test_report_build import _html_text, _pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.render]

#: A number in scientific notation (2.66994e+06, 2.47e-47), also with a true minus.
SCIENTIFIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+\-\u2212]?\d+(?!\w)")
#: A hyphen-minus standing for a minus sign: after a space, bracket or the start, before a
#: digit (dates and ranges such as 2002-04 or mid-2019 have a letter or digit before).
HYPHEN_MINUS = re.compile(r"(?:^|(?<=[\s(\[=,;:]))-\d")
#: Negative zero printed with decimals: -0.0, −0.00 (but not −0.01).
NEGATIVE_ZERO = re.compile(r"[\-\u2212]0\.0+(?![0-9])")
#: A finding spliced into "X was/is/were …" that is not a predicate ("there is no clear
#: difference" is English).
NOT_ENGLISH = re.compile(r"(?<!there )\b(?:was|were|is|are)\s+no\s+clear\b")
#: England compared with itself: "England 18.4% (England 18.4%)", "the figure for England
#: itself" ("East of England 19.9% (England 18.4%)" is a region).
SELF_COMPARISON = re.compile(r"(?<!of )(?<!NHS )\bEngland\b[^()]{0,40}\(England\b"
                             r"|the figure for England itself")
#: Units whose values cannot be negative, with the range they must lie in.
RANGES = {"%": (0, 100), "km": (0, math.inf), "per 10,000 patients": (0, math.inf),
          "people": (0, math.inf), "areas": (0, math.inf), "ratio": (0, math.inf),
          "years": (0, 130)}


def statistics_problems(site: Path) -> list[str]:
    """Why ``site``'s ``statistics.csv`` (and each edition's) is not fit to publish."""
    path = site / "statistics.csv"
    if not path.is_file():
        return [f"{path} is missing"]
    found = []
    raw = path.read_text(encoding="utf-8")
    found += [f"scientific notation in statistics.csv: {m[0]}"
              for m in SCIENTIFIC.finditer(raw)][:5]
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    if "edition" not in table.columns:
        return found + ["statistics.csv has no edition column"]
    for slug, rows in table.groupby("edition"):
        own = site / slug / "data" / "statistics.csv"
        if not own.is_file():
            found.append(f"{slug}: data/statistics.csv missing")
            continue
        edition = ledger.read(own)
        found += [f"{slug}: {p}" for p in ledger.problems(edition)]
        if len(edition) != len(rows):
            found.append(f"{slug}: {len(edition)} rows published, {len(rows)} in the site's")
        for row in edition.itertuples(index=False):
            where = f"{slug}: {row.key}"
            if not row.unit:
                found.append(f"{where}: no unit")
            estimated = not math.isnan(row.value)
            if not row.unit_type or (estimated and (math.isnan(row.units) or row.units < 1)):
                found.append(f"{where}: no units of analysis behind it")
            # differences (and SII gradients) of a measure may be negative; levels may not
            low, high = (RANGES.get(row.unit, (-math.inf, math.inf))
                         if row.kind != "difference" else (-math.inf, math.inf))
            for name in ("value", "lower", "upper"):
                value = getattr(row, name)
                if not math.isnan(value) and not low <= value <= high:
                    found.append(f"{where}: {name} {value} outside {low}..{high} {row.unit}")
            if row.kind == "count" and not math.isnan(row.lower):
                found.append(f"{where}: a complete count has an interval")
    for csv in sorted(site.glob("*/data/*.csv")):
        found += [f"{csv.parent.parent.name}/{csv.name}: scientific notation {m[0]}"
                  for m in SCIENTIFIC.finditer(csv.read_text(encoding="utf-8"))][:2]
    return found


def text_problems(text: str) -> list[str]:
    """Typography and wording problems in a report's text (PDF or HTML, tags removed)."""
    found = []
    for name, pattern in (("hyphen-minus before a digit", HYPHEN_MINUS),
                          ("negative zero", NEGATIVE_ZERO),
                          ("scientific notation", SCIENTIFIC),
                          ("finding that is not English", NOT_ENGLISH),
                          ("England compared with itself", SELF_COMPARISON)):
        for match in list(pattern.finditer(text))[:3]:
            start = max(match.start() - 50, 0)
            found.append(f"{name}: …{text[start:match.end() + 30]}…".replace("\n", " "))
    return found


def report_texts(folder: Path) -> dict[str, str]:
    """The text of an edition's PDF and HTML reports."""
    return {"pdf": _pdf_text(folder / "report.pdf"),
            "html": _html_text((folder / "report.html").read_text(encoding="utf-8"))}


def test_text_checks_catch_what_they_are_for():
    """The checks themselves: each catches its example and passes the correct form."""
    bad = ("GP FTE per patient was no clear difference; England, 18.4% (England 18.4%); "
           "(95% CI \u22120.0 to 1.0); p = 2.47e-47; gap -1.2 years; population 2.66994e+06")
    assert [p.split(":")[0] for p in text_problems(bad)] == [
        "hyphen-minus before a digit", "negative zero", "scientific notation",
        "scientific notation", "finding that is not English", "England compared with itself"]
    good = ("GP FTE per patient was not clearly different between rural and urban areas; "
            "gap \u22121.2 years (95% CI \u22122.0 to 0.0); p < 0.001; 2002-04; mid-2019; "
            "North East 21.0% (England 18.4%); In East of England, 19.9% of people were "
            "aged 65 and over (England 18.4%); there is no clear difference; checksum "
            "5869daca50604e34 a12e21e9e3ad8805")
    assert text_problems(good) == []


def test_statistics_ledgers_are_fit_to_publish(real_site):
    assert statistics_problems(real_site) == []
    site = pd.read_csv(real_site / "statistics.csv", keep_default_na=False, dtype=str)
    assert set(site["edition"]) == set(real_site_slugs())
    assert {"population", "access"} <= set(site["topic"])
    # England against its published figure: the Census 2021 usual residents of England,
    # summed here from the staged LSOA file (the default vintage's population base).
    census = pd.read_csv(SHARED_DATA / "census21_age_lsoa21.csv", usecols=["total_usual_residents"])
    england = ledger.read(real_site / "england" / "data" / "statistics.csv").set_index("key")
    assert england.loc["population.residents.all_areas", "value"] == \
        census["total_usual_residents"].sum()
    # The SMI returns' register is checked against QOF 2022-23's published MH register,
    # summed here from the staged practice file (its provenance notes that the file's
    # national totals match the published QOF prevalence table).
    qof = pd.read_csv(SHARED_DATA / "qof_prevalence_practice_2223.csv")
    assert england.loc["services.smi_qof_register.england", "value"] == \
        qof.loc[qof["GROUP_CODE"] == "MH", "REGISTER"].sum()
    index = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'href="statistics.csv"' in index and 'href="england/data/statistics.csv"' in index


@pytest.mark.parametrize("slug", real_site_slugs())
def test_report_text_is_cleared(real_site, slug):
    texts = report_texts(real_site / slug)
    assert {name: text_problems(text) for name, text in texts.items()} == \
        {"pdf": [], "html": []}
