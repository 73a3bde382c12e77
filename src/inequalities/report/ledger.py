"""The statistics ledger: one tidy table of every number an edition shows.

Each topic turns its results into ledger rows with :func:`rows`; the notebook saves them
with :func:`save` (``BUILD/statistics/<topic>.csv``); publishing joins an edition's parts
into ``OUT/SLUG/data/statistics.csv`` (:func:`collect`) and every edition's into
``OUT/statistics.csv``. Text, tables and charts format their numbers from these rows
(:func:`interval_text`), so one statistic has one value and one interval everywhere.

Columns (:data:`COLUMNS`):

=============  =========================================================================
``key``        dotted lower-case identifier, unique within an edition
               (``access.gp_rate.rural``)
``topic``      the chapter's topic (``access``)
``label``      what the number is, in words
``group``      the group it describes (``Rural``, ``Rural minus urban``, ``England``)
``value``      the estimate; ``lower``/``upper`` its 95% interval (empty when none applies,
               e.g. a complete count or a share fixed by definition)
``unit``       the unit as printed (``years``, ``%``, ``per 10,000 patients``); its decimals
               are :data:`inequalities.report.numbers.DECIMALS`
``kind``       ``level``, ``difference``, ``ratio``, ``share`` or ``count``
``units``      how many units of analysis are behind the number; ``unit_type`` which
               (``LSOA``, ``MSOA``, ``LA``, ``ICB``, ``practice`` …)
``min_units``  the stated minimum of units below which the number is not estimated (0 when
               no minimum applies, e.g. a published figure)
``method``     how the number and its interval were made
``source``     publisher and dataset; ``period`` the period it covers
``note``       why a number is not estimated, or a caveat that travels with it
=============  =========================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.report import numbers

COLUMNS = ["key", "topic", "label", "group", "value", "lower", "upper", "unit", "kind",
           "units", "unit_type", "min_units", "method", "source", "period", "note"]
KINDS = ("level", "difference", "ratio", "share", "count")
UNIT_TYPES = ("LSOA", "MSOA", "LA", "UTLA", "ICB", "sub-ICB", "practice", "trust",
              "region", "country", "person")
_KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_]*)*")


class LedgerError(ValueError):
    """Ledger rows that break its rules; the message lists every problem with its key."""


def key_part(text: object) -> str:
    """A key segment from a group name: ``"Non-coastal"`` gives ``non_coastal``."""
    part = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")
    return part or "all"


def rows(frame: pd.DataFrame, *, topic: str, key: str, label: str, unit: str, kind: str,
         unit_type: str, method: str, source: str, period: str | None = None,
         min_units: int = 0, group: str = "group", value: str = "value",
         lower: str | None = "lower", upper: str | None = "upper", units: str = "n",
         note: str | None = None) -> pd.DataFrame:
    """Ledger rows, one per row of ``frame`` (a tidy result with one row per group).

    The key of each row is ``KEY.<group>`` (:func:`key_part`). Column arguments name
    ``frame``'s columns; ``period`` may name a column or give the period itself. Rows whose
    ``units`` fall below ``min_units`` are not estimated: their value and interval are
    emptied and the note says why, in words.
    """
    n = len(frame)
    units_col = pd.to_numeric(frame[units], errors="coerce") if units in frame else \
        pd.Series(np.nan, index=frame.index)
    out = pd.DataFrame({
        "key": [f"{key}.{key_part(g)}" for g in frame[group]],
        "topic": topic,
        "label": label,
        "group": frame[group].astype(str).to_numpy(),
        "value": pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float),
        "lower": (pd.to_numeric(frame[lower], errors="coerce").to_numpy(dtype=float)
                  if lower else np.full(n, np.nan)),
        "upper": (pd.to_numeric(frame[upper], errors="coerce").to_numpy(dtype=float)
                  if upper else np.full(n, np.nan)),
        "unit": unit,
        "kind": kind,
        "units": units_col.to_numpy(dtype=float),
        "unit_type": unit_type,
        "min_units": int(min_units),
        "method": method,
        "source": source,
        "period": (frame[period].astype(str).to_numpy() if period in frame.columns
                   else (period or "")),
        "note": (frame[note].fillna("").astype(str).to_numpy() if note in frame.columns
                 else (note or "")),
    })
    too_few = out["units"].fillna(0) < out["min_units"]
    if too_few.any():
        out.loc[too_few, ["value", "lower", "upper"]] = np.nan
        out.loc[too_few, "note"] = [
            f"not estimated: {int(u):,} {_plural(t, int(u))}, fewer than the {m:,} needed"
            for u, t, m in zip(out.loc[too_few, "units"].fillna(0), out.loc[too_few, "unit_type"],
                               out.loc[too_few, "min_units"])]
    return out[COLUMNS]


def find(ledger: pd.DataFrame, key: str) -> pd.Series | None:
    """The first row of ``ledger`` whose key is ``key`` (None when there is none).

    Locates the row and takes only it: filtering the whole ledger copies every column
    of every match, which key figures did hundreds of times per chapter.
    """
    hits = np.flatnonzero((ledger["key"] == key).to_numpy(dtype=bool, na_value=False))
    return ledger.iloc[int(hits[0])] if len(hits) else None


def _plural(unit_type: str, count: int) -> str:
    words = {"LA": ("local authority", "local authorities"), "UTLA": ("upper-tier authority",
             "upper-tier authorities"), "ICB": ("ICB", "ICBs"), "sub-ICB": ("sub-ICB area",
             "sub-ICB areas"), "LSOA": ("small area", "small areas"), "MSOA": ("MSOA", "MSOAs"),
             "practice": ("practice", "practices"), "trust": ("trust", "trusts"),
             "region": ("region", "regions"), "country": ("country", "countries"),
             "person": ("person", "people")}
    one, many = words.get(unit_type, (unit_type, unit_type + "s"))
    return one if count == 1 else many


def problems(ledger: pd.DataFrame) -> list[str]:
    """Every way ``ledger`` breaks the ledger's rules, one line each (empty when clean)."""
    found: list[str] = []
    missing = [c for c in COLUMNS if c not in ledger.columns]
    if missing:
        return [f"ledger lacks column(s) {missing}"]
    dupes = ledger["key"][ledger["key"].duplicated()].unique().tolist()
    found += [f"{k}: key used by more than one statistic" for k in dupes]
    for row in ledger.itertuples(index=False):
        where = row.key
        if not isinstance(row.key, str) or not _KEY.fullmatch(row.key):
            found.append(f"{where}: key must be dotted lower-case words")
        if row.kind not in KINDS:
            found.append(f"{where}: kind {row.kind!r} is not one of {', '.join(KINDS)}")
        if row.unit_type not in UNIT_TYPES:
            found.append(f"{where}: unit_type {row.unit_type!r} is not one of "
                         f"{', '.join(UNIT_TYPES)}")
        if not str(row.unit):
            found.append(f"{where}: no unit")
        value, lower, upper = (float(v) for v in (row.value, row.lower, row.upper))
        if any(math.isinf(v) for v in (value, lower, upper)):
            found.append(f"{where}: infinite value or limit")
            continue
        if math.isnan(lower) != math.isnan(upper):
            found.append(f"{where}: interval has one limit only")
        if not math.isnan(lower) and not math.isnan(value) and not lower <= value <= upper:
            found.append(f"{where}: interval {lower}..{upper} does not contain {value}")
        if not math.isnan(lower) and math.isnan(value):
            found.append(f"{where}: interval without an estimate")
        if math.isnan(value) and not str(row.note):
            found.append(f"{where}: not estimated but the note does not say why")
        if row.kind == "share" and not math.isnan(value) and not 0 <= value <= 100:
            found.append(f"{where}: share {value} outside 0-100")
        if row.kind == "ratio" and not math.isnan(value) and value <= 0:
            found.append(f"{where}: ratio {value} is not positive")
        if row.kind == "count" and not math.isnan(value) and (value < 0 or value % 1):
            found.append(f"{where}: count {value} is not a whole number")
        units = float(row.units)
        if not math.isnan(value) and not math.isnan(units) and units < row.min_units:
            found.append(f"{where}: estimated from {units:g} units, below its minimum "
                         f"{row.min_units}")
    return found


def check(ledger: pd.DataFrame) -> pd.DataFrame:
    """Return ``ledger`` sorted by key, or raise :class:`LedgerError` listing its problems."""
    found = problems(ledger)
    if found:
        raise LedgerError("the statistics ledger breaks its rules:\n  " + "\n  ".join(found))
    return ledger.sort_values("key", kind="stable").reset_index(drop=True)


def csv_cell(value: object) -> str:
    """One CSV cell: whole numbers as integers, other numbers positional (never scientific
    notation, shortest digits that round-trip), missing values empty, text as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value.is_integer() and abs(value) < 2 ** 53:
            return str(int(value))
        return np.format_float_positional(value, precision=10, unique=True, trim="-")
    return str(value)


def to_csv(ledger: pd.DataFrame, path: Path) -> Path:
    """Write ``ledger`` as CSV: numbers as numbers (whole numbers as integers, never
    scientific notation), text as text, rows sorted by key; returns ``path``."""
    text = ledger.map(csv_cell) if len(ledger) else ledger.astype(str)
    path.parent.mkdir(parents=True, exist_ok=True)
    text.to_csv(path, index=False, lineterminator="\n")
    return path


def save(output_dir: str | Path, topic: str, *parts: pd.DataFrame) -> Path:
    """Check and write one topic's rows to ``OUTPUT/statistics/<topic>.csv``."""
    if not re.fullmatch(r"[a-z0-9_]+", topic):
        raise ValueError(f"topic name {topic!r} must be lower-case letters, digits or _")
    ledger = check(pd.concat(parts, ignore_index=True) if parts else
                   pd.DataFrame(columns=COLUMNS))
    return to_csv(ledger, Path(output_dir) / "statistics" / f"{topic}.csv")


def read(path: Path) -> pd.DataFrame:
    """Read a ledger CSV back (numbers as floats, text as text, empty text as "")."""
    frame = pd.read_csv(path, dtype={c: str for c in COLUMNS
                                     if c not in ("value", "lower", "upper", "units",
                                                  "min_units")},
                        keep_default_na=False, na_values={"value": [""], "lower": [""],
                                                          "upper": [""], "units": [""]})
    for column in ("value", "lower", "upper", "units"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["min_units"] = pd.to_numeric(frame["min_units"]).astype(int)
    return frame[COLUMNS]


def collect(build_dir: Path, parts: Iterable[Path] | None = None) -> pd.DataFrame:
    """Join an edition's topic parts (``BUILD/statistics/*.csv``) into one checked ledger."""
    paths = sorted(parts if parts is not None else (build_dir / "statistics").glob("*.csv"))
    frames = [read(path) for path in paths]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return check(pd.concat(frames, ignore_index=True))


def interval_text(row: pd.Series | dict, *, unit: bool = False, inline: bool = False) -> str:
    """``"1.23 (95% CI 1.10 to 1.35)"`` from a ledger row, in the unit's decimals.

    The report's one format of an estimate with its interval: text, tables and key figures
    all print through it. Without an interval, the value alone; not estimated,
    ``"not estimated"`` and the note's reason. ``unit=True`` appends the unit (``"%"``
    without a space); ``inline=True`` gives ``"1.23, 95% CI 1.10 to 1.35"`` for use inside
    brackets.
    """
    decimals = numbers.decimals_for(str(row["unit"]))
    value = float(row["value"])
    if math.isnan(value):
        note = str(row.get("note", "") or "")
        return note if note.startswith("not ") else ("not estimated" + (f" ({note})" if note
                                                                         else ""))
    suffix = ""
    if unit:
        suffix = "%" if row["unit"] == "%" else f" {row['unit']}"
    text = numbers.number(value, decimals) + suffix
    lower, upper = float(row["lower"]), float(row["upper"])
    if math.isnan(lower):
        return text
    interval = f"95% CI {numbers.number(lower, decimals)} to {numbers.number(upper, decimals)}"
    return f"{text}, {interval}" if inline else f"{text} ({interval})"
