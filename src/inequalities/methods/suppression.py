"""Small-number disclosure control for published counts.

Rules (in the spirit of the ONS and NHS England guidance on disclosure control for
health statistics, and OHID's practice of withholding small counts):

1. **Primary suppression**: a count below ``threshold`` (by default 1 to 9; zeros too if
   ``include_zero``) is withheld.
2. **Secondary (complementary) suppression**: within every group whose total is published
   (each *margin*, given by ``by``), a single withheld cell could be recovered by
   subtracting the others from the total. So wherever a group has exactly one withheld
   cell, the smallest other cell of that group is withheld too. This repeats across all
   margins until no group has exactly one withheld cell among two or more cells.

Missing counts stay missing and are never used to protect another cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from ._frames import column

__all__ = ["suppress"]


def _margins(frame: pd.DataFrame, by) -> list[list[Hashable]]:
    if by is None:
        return [[]]
    if isinstance(by, (str, int, tuple)):
        margins = [[by]]
    else:
        items = list(by)
        if items and all(isinstance(i, (list, tuple)) and not isinstance(i, str) for i in items):
            margins = [list(i) for i in items]
        else:
            margins = [items]
    for margin in margins:
        missing = [c for c in margin if c not in frame.columns]
        if missing:
            raise ValueError(
                f"by: {missing} not columns of the frame; columns are {list(frame.columns)}"
            )
    return margins


def suppress(
    frame: pd.DataFrame,
    *,
    count: Hashable,
    threshold: float = 10,
    by: Hashable | Sequence[Hashable] | Sequence[Sequence[Hashable]] | None = None,
    include_zero: bool = False,
) -> pd.DataFrame:
    """Withhold small counts and the cells that would let them be recovered from totals.

    Args:
        frame: one row per published cell.
        count: column of counts (numbers of events or people) the rule is applied to.
        threshold: counts below this are withheld (primary suppression). Default 10.
        by: the margins whose totals are published: a column or list of columns (one
            margin, e.g. ``"region"`` when each region's total is shown), or a list of
            lists for several margins (e.g. ``[["region"], ["sex"]]`` for a two-way table
            with row and column totals). ``None``: one grand total over all rows.
        include_zero: also withhold zero counts (by default a zero is shown).

    Returns:
        A copy of ``frame`` (same index and row order) with ``value`` set to the count, or
        missing where withheld; on withheld rows the count column, an existing ``value``
        column and any ``lower*``/``upper*`` columns are blanked too; ``suppressed`` (bool) and
        ``suppression`` ("primary", "secondary" or missing).

    Raises:
        ValueError: a negative count (naming the row) or a missing column.

    """
    counts = column(frame, count, "count")
    with np.errstate(invalid="ignore"):
        negative = counts < 0
    if negative.any():
        label = frame.index[np.flatnonzero(negative)[0]]
        raise ValueError(
            f"count column {count!r} must be zero or more: "
            f"row {label!r} has {frame.at[label, count]!r}"
        )
    margins = _margins(frame, by)
    present = ~np.isnan(counts)
    with np.errstate(invalid="ignore"):
        primary = present & (counts < threshold) & ((counts > 0) | include_zero)
    suppressed = primary.copy()
    secondary = np.zeros_like(primary)
    order = np.arange(len(frame))
    group_ids = []
    for margin in margins:
        if margin:
            ids = frame.groupby(margin, sort=False, dropna=False, observed=True).ngroup().to_numpy()
        else:
            ids = np.zeros(len(frame), dtype=np.intp)
        group_ids.append(ids)
    changed = True
    while changed:
        changed = False
        for ids in group_ids:
            n_cells = np.bincount(ids, weights=present, minlength=ids.max() + 1 if ids.size else 0)
            n_supp = np.bincount(ids, weights=suppressed, minlength=n_cells.size)
            lonely = (n_supp == 1) & (n_cells >= 2)
            candidate = present & ~suppressed & lonely[ids]
            if not candidate.any():
                continue
            cand = pd.DataFrame(
                {"g": ids[candidate], "c": counts[candidate], "o": order[candidate]}
            )
            chosen = cand.sort_values(["g", "c", "o"]).drop_duplicates("g")["o"].to_numpy()
            suppressed[chosen] = True
            secondary[chosen] = True
            changed = True

    out = frame.copy()
    if "value" not in out.columns:
        out["value"] = counts
    blank = [
        c for c in out.columns if c in ("value", count) or str(c).startswith(("lower", "upper"))
    ]
    for c in blank:
        out[c] = out[c].astype(float)
        out.loc[suppressed, c] = np.nan
    out["suppressed"] = suppressed
    reason = np.full(len(frame), None, dtype=object)
    reason[primary] = "primary"
    reason[secondary] = "secondary"
    out["suppression"] = reason
    return out
