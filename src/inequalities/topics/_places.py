"""Summaries of an area-level value by type of place: urban/rural and coastal/non-coastal.

Used by the access and outcomes chapters. A "place group" is one of ``All areas``,
``Urban``, ``Rural``, ``Coastal`` and ``Non-coastal``; the groups overlap (a coastal area
is also urban or rural). Areas are the units: the mean of an area-level value is the
unweighted mean over areas (each local authority, or each small area, counts once), with
Student's t interval from :func:`inequalities.methods.mean`.

National comparators are stored in :mod:`inequalities.topics.edition` as ``group`` strings
built by :func:`key` (parts joined by ``|``) and read back with :func:`unpack`.

:func:`weighted_group_means` and :func:`weighted_group_differences` are the
population-weighted versions (areas weighted by their residents), for summaries meant to
describe the residents of a type of place rather than its typical area.

Key figures name a place group with :func:`key_suffix`; a group the edition lacks reads
:data:`NO_SUCH_AREAS`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from inequalities import methods

#: Place groups in display order, with the dimension each belongs to.
GROUPS: tuple[tuple[str, str], ...] = (
    ("All areas", "All areas"),
    ("Urban", "Urban/rural"),
    ("Rural", "Urban/rural"),
    ("Coastal", "Coastal"),
    ("Non-coastal", "Coastal"),
)
GROUP_ORDER: list[str] = [group for group, _ in GROUPS]
SEPARATOR = "|"


def label_places(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``place_ur`` (Urban/Rural) and ``place_coast`` (Coastal/Non-coastal).

    ``frame`` needs ``urban_rural`` ("Urban"/"Rural") and boolean ``coastal`` columns.
    """
    missing = {"urban_rural", "coastal"} - set(frame.columns)
    if missing:
        raise ValueError(f"place groups need column(s) {sorted(missing)}; pass the areas or "
                         "lads table (or Dataset.indicator output)")
    out = frame.copy()
    out["place_ur"] = out["urban_rural"].astype(str)
    out["place_coast"] = out["coastal"].astype(bool).map({True: "Coastal", False: "Non-coastal"})
    out["place_all"] = "All areas"
    return out


def group_means(frame: pd.DataFrame, value: str, *, by: Sequence[str] = (),
                confidence: float = 0.95) -> pd.DataFrame:
    """Unweighted mean of ``value`` over areas in each place group, with a t interval.

    Returns columns ``by``, ``dimension``, ``group``, ``value``, ``lower``, ``upper``,
    ``n`` (areas with a value), one row per group present, in :data:`GROUP_ORDER`.
    Areas with a missing value are left out; a group of one area has no interval.
    """
    labelled = label_places(frame)
    by = list(by)
    parts = []
    for column, dimension in (("place_all", "All areas"), ("place_ur", "Urban/rural"),
                              ("place_coast", "Coastal")):
        stats = methods.mean(labelled, value=value, by=[*by, column], confidence=confidence)
        stats = stats.rename(columns={column: "group", "value_count": "n"})
        stats["dimension"] = dimension
        parts.append(stats[[*by, "dimension", "group", "value", "lower", "upper", "n"]])
    out = pd.concat(parts, ignore_index=True)
    out = out[out["n"] > 0]
    out["n"] = out["n"].astype(int)
    out["_order"] = out["group"].map({g: i for i, g in enumerate(GROUP_ORDER)})
    return (out.sort_values([*by, "_order"], kind="stable").drop(columns="_order")
            .reset_index(drop=True))


#: The two comparisons of :func:`group_differences`: (label, column, group, reference).
COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    ("Rural minus urban", "place_ur", "Rural", "Urban"),
    ("Coastal minus non-coastal", "place_coast", "Coastal", "Non-coastal"),
)


def group_differences(frame: pd.DataFrame, value: str, *, by: Sequence[str] = (),
                      confidence: float = 0.95) -> pd.DataFrame:
    """Difference in mean ``value``: rural minus urban and coastal minus non-coastal areas.

    Welch's unequal-variance t interval: ``d -+ t(df) * sqrt(s1^2/n1 + s2^2/n2)`` with the
    Welch-Satterthwaite degrees of freedom (Welch, Biometrika 1947). Returns ``by``,
    ``comparison``, ``group``, ``reference``, ``difference``, ``lower``, ``upper``, ``n``,
    ``n_reference``; missing estimates (with ``note``) when a side has fewer than two areas.
    """
    labelled = label_places(frame)
    labelled = labelled[labelled[value].notna()]
    by = list(by)
    keys = labelled.groupby(by, sort=True).size().index if by else [()]
    rows = []
    for key_values in keys:
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        part = labelled
        for column, level in zip(by, key_values):
            part = part[part[column] == level]
        for label, column, group, reference in COMPARISONS:
            a = part.loc[part[column] == group, value].astype(float)
            b = part.loc[part[column] == reference, value].astype(float)
            row = dict(zip(by, key_values))
            row.update(comparison=label, group=group, reference=reference, n=len(a),
                       n_reference=len(b), difference=np.nan, lower=np.nan, upper=np.nan,
                       note="")
            if len(a) < 2 or len(b) < 2:
                row["note"] = f"fewer than two {group.lower()} or {reference.lower()} areas"
            else:
                va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
                se = np.sqrt(va + vb)
                df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
                half = stats.t.ppf(0.5 + confidence / 2, df) * se
                d = a.mean() - b.mean()
                row.update(difference=d, lower=d - half, upper=d + half)
            rows.append(row)
    return pd.DataFrame(rows, columns=[*by, "comparison", "group", "reference", "difference",
                                       "lower", "upper", "n", "n_reference", "note"])


_DIMENSIONS = (("place_all", "All areas"), ("place_ur", "Urban/rural"),
               ("place_coast", "Coastal"))


def weighted_group_means(frame: pd.DataFrame, value: str, weight: str, *,
                         confidence: float = 0.95) -> pd.DataFrame:
    """Population-weighted mean of ``value`` over areas in each place group.

    Each group's mean and interval come from :func:`inequalities.methods.weighted_mean`
    (ratio estimator, linearised variance, t on n - 1 degrees of freedom), with ``weight``
    (e.g. ``population``) as the weights. Returns ``dimension``, ``group``, ``value``,
    ``lower``, ``upper``, ``se``, ``df``, ``n`` (areas with a value), a row per place group
    in :data:`GROUP_ORDER`, with ``n`` = 0 and missing values for a group with no areas.
    """
    # Only the columns read: filtering the areas' many text columns per group cost more
    # than the means.
    needed = list(dict.fromkeys([value, weight, *(c for c in ("urban_rural", "coastal")
                                                  if c in frame.columns)]))
    labelled = label_places(frame[needed])
    labelled = labelled[labelled[value].notna() & labelled[weight].notna()]
    rows = []
    for column, dimension in _DIMENSIONS:
        for group in [g for g, d in GROUPS if d == dimension]:
            part = labelled[labelled[column] == group]
            stats_ = methods.weighted_mean(part[value], part[weight], confidence=confidence)
            rows.append({"dimension": dimension, "group": group, **stats_})
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype(int)
    return out[["dimension", "group", "value", "lower", "upper", "se", "df", "n"]]


def weighted_group_differences(means: pd.DataFrame, *,
                               confidence: float = 0.95) -> pd.DataFrame:
    """Rural minus urban and coastal minus non-coastal from :func:`weighted_group_means`.

    Interval from :func:`inequalities.methods.weighted_difference` (Welch). Returns
    ``comparison``, ``group``, ``reference``, ``value``, ``lower``, ``upper``, ``n`` (areas
    in ``group``), ``n_reference``.
    """
    by_group = means.set_index("group")
    rows = []
    for label, _column, group, reference in COMPARISONS:
        a, b = by_group.loc[group].to_dict(), by_group.loc[reference].to_dict()
        d = methods.weighted_difference(a, b, confidence=confidence)
        rows.append({"comparison": label, "group": group, "reference": reference,
                     "value": d["value"], "lower": d["lower"], "upper": d["upper"],
                     "n": int(a["n"]), "n_reference": int(b["n"])})
    return pd.DataFrame(rows)


def key(*parts: object) -> str:
    """Join ``parts`` into one national-measure group string (``"90366|Male|Rural"``)."""
    return SEPARATOR.join(map(str, parts))


def unpack(values: pd.Series, names: Sequence[str]) -> pd.DataFrame:
    """Split a national measure (index of :func:`key` strings) into columns ``names`` + value."""
    parts = values.index.to_series().str.split(SEPARATOR, expand=True, regex=False)
    if parts.shape[1] != len(names):
        raise ValueError(f"national measure groups have {parts.shape[1]} parts, expected "
                         f"{len(names)} ({', '.join(names)})")
    parts.columns = list(names)
    return parts.assign(value=values.to_numpy()).reset_index(drop=True)


#: What a key figure says when the edition has no area of a place group.
NO_SUCH_AREAS = "not available (no such areas in this edition)"


def key_suffix(group: str) -> str:
    """The key-figure name of a place group: ``"Non-coastal"`` -> ``"non_coastal"``."""
    return group.lower().replace(" ", "_").replace("-", "_")

