"""Which release names a build of each data vintage may print (issue 18).

A 2025 build (IoD 2025, Census 2021 counts, 2021 small areas, RUC 2021) must not label its
numbers with the 2019 vintage's sources (IoD 2019, mid-2019 estimates, 2011 small areas,
RUC 2011), and a 2019 build not with the 2025 ones, except for the sources that are the
same on both vintages and are named as what they are (:data:`SAME_ON_BOTH`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

#: Phrases naming sources that both vintages use, struck out before the search.
SAME_ON_BOTH = (
    # road distance to a GP surgery: IoD 2019 on both (the 2025 Indices publish none)
    "English Indices of Deprivation 2019 (Barriers domain, road distance)",
    "2016 (IoD 2019 input)",
    # GP practices' deprivation: OHID Fingertips 93553, IMD 2019 on both
    "practice IMD 2019",
    # local authorities are classified by RUC 2021 on both vintages
    "ONS RUC 2021 LA classification",
)
#: Names of the *other* vintage's sources, by the vintage of the build.
FOREIGN = {
    "2025": ("mid-2019", "RUC 2011", "Classification 2011", "LSOA 2011", "2011 LSOAs",
             "Deprivation 2019", "IoD 2019", "IMD 2019"),
    "2019": ("Census 2021", "RUC 2021", "Classification 2021", "LSOA 2021", "2021 LSOAs",
             "Deprivation 2025", "IoD 2025", "IMD 2025"),
}
_CHART_SOURCE = re.compile(r"Source: ([^\"<\\]+)")


def foreign(texts: dict[str, str], vintage: str) -> list[str]:
    """``where: text`` of every text naming a source of the other vintage."""
    found = []
    for where, text in texts.items():
        rest = str(text)
        for phrase in SAME_ON_BOTH:
            rest = rest.replace(phrase, "")
        if any(name in rest for name in FOREIGN[vintage]):
            found.append(f"{where}: {text}")
    return found


def build_texts(edition: Path) -> dict[str, str]:
    """What an edition's build says about its sources: the ledger's ``source``,
    ``period``, ``method``, ``label`` and ``note`` of every row, every chart's source line
    in the HTML report, and every key figure."""
    texts: dict[str, str] = {}
    ledger = pd.read_csv(edition / "data" / "statistics.csv", dtype=str).fillna("")
    for column in ("source", "period", "method", "label", "note"):
        for value in ledger[column].unique():
            texts[f"statistics.csv {column} {value[:40]!r}"] = value
    html = (edition / "report.html").read_text(encoding="utf-8")
    for i, line in enumerate(_CHART_SOURCE.findall(html)):
        texts[f"chart source {i}"] = line
    for path in sorted((edition / "key_figures").glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            # the vintage statement and the "What changed" section name both vintages
            if isinstance(value, str) and key not in {"data.label", "data.vintage"} \
                    and not key.startswith("vintages."):
                texts[f"key figure {key}"] = value
    return {k: v for k, v in texts.items() if v}
