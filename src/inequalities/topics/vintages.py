"""What changed: an edition's key statistics under two data vintages (issue 18).

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

import numpy as np
import pandas as pd

from inequalities.data import Dataset

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
