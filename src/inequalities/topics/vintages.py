"""What changed: an edition's key statistics under two data vintages (issue 18).

For the report (notebook ``analysis/vintages.ipynb``, section "What changed" of the methods
chapter): :func:`previous` loads the same edition on the vintage before the one it was
built on (None for the demonstration data, which have one vintage);
:func:`comparison` and :func:`changes_table` give the side-by-side table;
:func:`key_figures` the sentences; :func:`previous_key` the checksums of the older
vintage's files, which the build adds to every edition's fingerprint so that a change to
them rebuilds the section.

The report is rebuilt each year on the newest sources. :func:`compare` puts the key
statistics of the same edition side by side under an older and a newer vintage (for
example IoD 2019 on 2011 small areas with mid-2019 populations, and IoD 2025 on 2021 small
areas with Census 2021 counts), flagging which comparisons are like for like;
:func:`unchanged_areas` measures how far the deprivation ranking moved on the small areas
whose boundaries did not change (ONS LSOA 2011 -> 2021 lookup, change code U: their code
is kept, so they are the codes present in both vintages).

Caveats, written into the ``caveat`` column: IoD ranks, deciles and the Core20 are
relative within each release, so a change in them is a change of position, not of level;
2021 small areas differ from 2011 ones (31,810 of 32,844 are unchanged); the population
base differs (mid-year estimate vs census count); a measure carried over from the older
vintage (road distance to a GP surgery) changes only through the small-area mapping.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data import Dataset
from inequalities.data import load as load_dataset
from inequalities.data.dataset import file_checksums
from inequalities.data.manifest import ManifestError, find_manifest
from inequalities.report import numbers, outputs
from inequalities.topics.base import EditionData
from inequalities.topics.edition import from_dataset
from inequalities.topics.reads import ALL

#: What the notebook reads of the edition's data (:mod:`inequalities.topics.reads`): the
#: build re-runs it only when one of these changes, and gives it nothing else.
READS = {
    "areas": (
        "area_code", "urban_rural", "coastal", "imd_rank", "imd_decile", "core20",
        "population", "pct_65_plus",
    ),
    "indicators": ALL,
}

GP_DISTANCE = "iod_gp_distance_km"
RELATIVE = "IoD ranks are relative within each release: a change of position, not of level"
BOUNDARIES = "small areas of different census geographies; counts are not comparable"
BASE = "population base differs (mid-year estimate vs Census count)"

#: The statistics compared: (key, label, whether like for like across vintages, caveat).
STATISTICS: tuple[tuple[str, str, bool, str], ...] = (
    ("small_areas", "Small areas (LSOAs)", False, BOUNDARIES),
    ("population", "Population", True, BASE),
    ("pct_65_plus", "Per cent aged 65 and over", True, BASE),
    ("pct_rural", "Per cent living in rural small areas", True,
     "Rural-Urban Classification 2011 vs 2021 definitions differ"),
    ("pct_coastal", "Per cent living in coastal small areas", True,
     "same definition on each census's small areas"),
    ("pct_core20", "Per cent living in England's most deprived fifth (Core20)", False,
     RELATIVE),
    ("mean_gp_distance_km", "Mean road distance to a GP surgery over small areas (km)", True,
     "IoD 2019 distances in both; the newer vintage maps them onto its small areas"),
)


def key_statistics(data: Dataset) -> dict[str, float]:
    """The :data:`STATISTICS` of one dataset (an edition's slice), as numbers."""
    a = data.areas
    pop = a["population"].astype(float)
    total = float(pop.sum())

    def share(mask: pd.Series) -> float:
        return 100 * float(pop[mask.fillna(False).astype(bool)].sum()) / total

    gp = data.indicators[data.indicators["indicator_id"] == GP_DISTANCE]
    gp = gp[gp["area_code"].isin(a["area_code"])]
    return {
        "small_areas": float(len(a)),
        "population": total,
        "pct_65_plus": float((a["pct_65_plus"] * pop).sum()) / total,
        "pct_rural": share(a["urban_rural"].eq("Rural")),
        "pct_coastal": share(a["coastal"]),
        "pct_core20": share(a["core20"]),
        "mean_gp_distance_km": float(gp["value"].mean()) if len(gp) else np.nan,
    }


def compare(old: Dataset, new: Dataset) -> pd.DataFrame:
    """Key statistics under two vintages of the same edition, one row per statistic.

    Columns ``statistic, label, old, new, change`` (new - old), ``comparable`` (like for
    like across vintages) and ``caveat``; ``old_vintage``/``new_vintage`` name the vintages
    (``Dataset.vintage``).
    """
    a, b = key_statistics(old), key_statistics(new)
    rows = [{"statistic": key, "label": label, "old": a[key], "new": b[key],
             "change": b[key] - a[key], "comparable": comparable, "caveat": caveat}
            for key, label, comparable, caveat in STATISTICS]
    out = pd.DataFrame(rows)
    out["old_vintage"], out["new_vintage"] = old.vintage, new.vintage
    return out


def unchanged_areas(old: Dataset, new: Dataset) -> dict[str, float]:
    """How the deprivation ranking moved on small areas with unchanged boundaries.

    Unchanged LSOAs keep their code from 2011 to 2021, so they are the codes in both
    ``areas`` tables. Returns ``n`` (such areas), ``spearman`` (rank correlation of the
    IMD ranks), ``same_decile`` and ``within_one_decile`` (shares, 0-1). Ranks are national
    within each release, so this measures relative movement only.
    """
    cols = ["area_code", "imd_rank", "imd_decile"]
    both = old.areas[cols].merge(new.areas[cols], on="area_code", suffixes=("_old", "_new"))
    if both.empty:
        return {"n": 0.0, "spearman": np.nan, "same_decile": np.nan,
                "within_one_decile": np.nan}
    ranks = both[["imd_rank_old", "imd_rank_new"]].astype(float).rank()
    step = (both["imd_decile_new"].astype(int) - both["imd_decile_old"].astype(int)).abs()
    return {"n": float(len(both)),
            "spearman": float(ranks["imd_rank_old"].corr(ranks["imd_rank_new"])),
            "same_decile": float(step.eq(0).mean()),
            "within_one_decile": float(step.le(1).mean())}


def _older(data_dir: str | Path | None, current: str) -> tuple[str, object] | None:
    """The vintage before ``current`` in ``data_dir``'s manifest, and that manifest."""
    if not data_dir or not current:
        return None
    try:
        manifest = find_manifest(Path(data_dir), current)
    except ManifestError:
        return None
    older = [v for v in manifest.vintage_ids() if v < current]
    if not older:
        return None
    try:
        return older[-1], find_manifest(Path(data_dir), older[-1])
    except ManifestError:  # the older vintage's files are not in this folder
        return None


def previous_key(data_dir: str | Path | None, current: str) -> str:
    """SHA-256 over the older vintage's files ("" when there is no older vintage)."""
    found = _older(data_dir, current)
    if found is None:
        return ""
    vintage, manifest = found
    sums = file_checksums(manifest, Path(data_dir))
    text = vintage + "".join(f"\0{k}\0{v}" for k, v in sorted(sums.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def previous(ed: EditionData, data_dir: str | Path | None, *,
             seed: int | None = None) -> EditionData | None:
    """The same edition on the vintage before ``ed``'s, or None when there is none.

    There is none for the demonstration data (one vintage) or a folder whose manifest
    declares one vintage, or lacks the older vintage's files.
    """
    found = None if ed.data.is_demo else _older(data_dir, ed.data.vintage_id)
    if found is None:
        return None
    kwargs = {} if seed is None else {"seed": seed}
    old = load_dataset(data_dir, vintage=found[0], **kwargs)
    return from_dataset(ed.edition, old, national=ed.national)


def comparison(ed: EditionData, old: EditionData | None) -> pd.DataFrame:
    """:func:`compare` of the edition's previous and current data (no rows without one)."""
    if old is None:
        return pd.DataFrame(columns=["statistic", "label", "old", "new", "change",
                                     "comparable", "caveat", "old_vintage", "new_vintage"])
    out = compare(old.data, ed.data)
    out["old_id"], out["new_id"] = old.data.vintage_id, ed.data.vintage_id
    return out


#: Decimals of each compared statistic (counts whole, shares 1, distances 2).
_DECIMALS = {"small_areas": 0, "population": 0, "mean_gp_distance_km": 2}


def changes_table(changes: pd.DataFrame) -> outputs.Table:
    """The comparison as the reader sees it: each statistic under both vintages."""
    if changes.empty:
        return outputs.show_table(pd.DataFrame({"Note": [
            "Not available: this edition's data have one vintage, so there is nothing to "
            "compare."]}))
    rows = []
    for r in changes.itertuples(index=False):
        places = _DECIMALS.get(r.statistic, 1)
        rows.append({"Statistic": r.label,
                     f"Previous data ({r.old_id})": numbers.number(r.old, places),
                     f"This edition ({r.new_id})": numbers.number(r.new, places),
                     "Change": numbers.number(r.change, places, signed=True),
                     "Like for like": "yes" if r.comparable else "no",
                     "Caveat": r.caveat})
    return outputs.show_table(pd.DataFrame(rows))


def key_figures(ed: EditionData, old: EditionData | None,
                changes: pd.DataFrame) -> dict[str, str]:
    """The sentences of the "What changed" section."""
    if old is None:
        why = ("the demonstration data have one vintage" if ed.data.is_demo else
               "the data folder holds one vintage")
        return {"vintages.summary": f"There is no earlier vintage to compare with: {why}.",
                "vintages.previous": "none", "vintages.current": ed.data.vintage}
    moved = unchanged_areas(old.data, ed.data)
    if moved["n"]:
        rank = (f"Of the {numbers.number(moved['n'], 0)} small areas of this edition whose "
                "boundaries did not change between the 2011 and 2021 censuses, "
                f"{numbers.number(100 * moved['same_decile'], 1)}% are in the same national "
                "deprivation decile in both releases and "
                f"{numbers.number(100 * moved['within_one_decile'], 1)}% within one decile "
                f"(rank correlation {numbers.number(moved['spearman'], 2)}).")
    else:
        rank = "No small area of this edition kept its boundaries, so ranks cannot be compared."
    return {"vintages.summary": rank, "vintages.previous": old.data.vintage,
            "vintages.current": ed.data.vintage}
