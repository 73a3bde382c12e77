"""What analysis notebooks hand to the report: tables, figure data and key figures.

* :func:`show_table` displays a DataFrame as a Markdown pipe table (read by both report
  engines, so the PDF gets a real table) with every cell escaped, plus an escaped HTML
  table for notebook viewers.
* :func:`save_figure_data` writes the data behind a figure to ``OUTPUT/data/<label>.csv``
  (the HTML report links to it).
* :func:`save_key_figures` writes the numbers the chapters quote to
  ``OUTPUT/key_figures/<notebook>.json``; chapters read them with ``{{< var ... >}}``.
* :func:`save_sources` writes the edition's manifest table to ``OUTPUT/data/sources.csv``
  (read by the build's provenance record).

Files are written deterministically: sorted keys, fixed float formatting, no timestamps.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import escape

from inequalities.report import ledger, numbers

LABEL_PATTERN = re.compile(r"(fig|tbl)-[a-z0-9]+(?:-[a-z0-9]+)*")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_MD_SPECIAL = set(string.punctuation)

Formatter = str | Callable[[Any], str]
#: A mark's name: the class of its Markdown span and HTML element, which the report's Lua
#: filter (publishing/templates/report-filter.lua) draws, e.g. as a coloured square.
MARK_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class Marked(str):
    """A table cell's text in parts, each part plain or carrying a mark (a class name).

    It equals, prints and downloads as its plain text. :func:`markdown_table` writes a
    marked part as a bracketed span, ``[lower]{.compare-lower}`` (pandoc's and Quarto's
    Markdown), :func:`html_table` as ``<span class="compare-lower">``; the text of every
    part is escaped. ``Marked(("54.1 ", None), ("lower", "compare-lower"))``.
    """

    parts: tuple[tuple[str, str | None], ...]

    def __new__(cls, *parts: tuple[str, str | None]) -> Marked:
        clean = []
        for text, mark in parts:
            if mark is not None and not MARK_PATTERN.fullmatch(str(mark)):
                raise ValueError(f"mark {mark!r} is not a class name like 'compare-lower'")
            clean.append((str(text), mark))
        obj = super().__new__(cls, "".join(text for text, _ in clean))
        obj.parts = tuple(clean)
        return obj

    def markdown(self) -> str:
        return "".join(f"[{markdown_escape(t)}]{{.{m}}}" if m and t else markdown_escape(t)
                       for t, m in self.parts)

    def html(self) -> str:
        return "".join(f'<span class="{m}">{escape(t)}</span>' if m and t else str(escape(t))
                       for t, m in self.parts)


def markdown_escape(text: object) -> str:
    r"""Escape ``text`` so pandoc's Markdown reader takes every character literally.

    Every ASCII punctuation character gets a backslash (pandoc: "any punctuation or space
    character preceded by a backslash will be treated literally"), so ``<script>`` stays
    text, ``|`` cannot split a table cell and ``@`` cannot start a citation.
    """
    value = "" if text is None else str(text)
    value = value.replace("\r", " ").replace("\n", " ")
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in value)


def _format_cell(value: Any, formatter: Formatter | None) -> str:
    if isinstance(value, Marked):
        return str(value)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    is_number = (isinstance(value, (int, float, np.integer, np.floating))
                 and not isinstance(value, (bool, np.bool_)))
    if formatter is not None:
        text = formatter(value) if callable(formatter) else formatter.format(value)
        return numbers.typeset(text) if is_number else text
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, (int, np.integer)):
        return numbers.number(int(value), 0)
    if isinstance(value, (float, np.floating)):
        return numbers.number(float(value), 1)
    return str(value)


def format_frame(frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> pd.DataFrame:
    """Return ``frame`` as strings, formatted per column (integers never print as ``2015.0``)."""
    formats = dict(formats or {})
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise ValueError(f"table has duplicate column names {duplicated}; rename them before "
                         "showing the table")
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        formatter = formats.get(column)
        series = frame[column]
        if formatter is None and pd.api.types.is_float_dtype(series):
            finite = series.dropna()
            if len(finite) and np.all(np.mod(finite, 1) == 0) and finite.abs().max() < 1e15:
                formatter = "{:,.0f}"
        out[column] = [_format_cell(value, formatter) for value in series.tolist()]
    return out


def markdown_table(frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> str:
    """Render ``frame`` as an escaped pipe table (numbers right-aligned, text left)."""
    text = format_frame(frame, formats)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    header = "| " + " | ".join(markdown_escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if is_num else ":---" for is_num in numeric) + "|"
    rows = ["| " + " | ".join(o.markdown() if isinstance(o, Marked) else markdown_escape(v)
                              for v, o in zip(row, raw)) + " |"
            for row, raw in zip(text.itertuples(index=False), frame.itertuples(index=False))]
    return "\n".join([header, rule, *rows])


def html_table(frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> str:
    """Render ``frame`` as an HTML table with every header and cell escaped."""
    text = format_frame(frame, formats)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{o.html() if isinstance(o, Marked) else escape(v)}</td>"
                         for v, o in zip(row, raw)) + "</tr>"
        for row, raw in zip(text.itertuples(index=False), frame.itertuples(index=False))
    )
    return f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class Table:
    """A DataFrame displayed for the report: Markdown for the engines, HTML for viewers."""

    def __init__(self, frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None):
        self.frame = frame
        self.formats = formats

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "text/markdown": markdown_table(self.frame, self.formats),
            "text/html": html_table(self.frame, self.formats),
            "text/plain": self.frame.to_string(index=False),
        }


def show_table(frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> Table:
    """Return a displayable :class:`Table` (make it the last expression of a cell)."""
    return Table(frame.reset_index(drop=True), formats)


def _check_label(label: str) -> str:
    if not LABEL_PATTERN.fullmatch(label):
        raise ValueError(
            f"figure/table label {label!r} is not valid: use 'fig-' or 'tbl-' followed by "
            "lower-case words joined by hyphens, e.g. 'fig-gp-access'"
        )
    return label


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Numbers, and text that is just a number (``"-1.5"``), are left as they are. A carriage
    return inside text becomes a line feed, which the CSV writer quotes (a bare CR would
    split the row in some readers).
    """
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + text
    return text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and text column name) passed through
    :func:`neutralise_cell`; numeric columns are untouched."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    out = frame.copy()
    for column in text:
        out[column] = frame[column].map(neutralise_cell)
    return out.rename(columns=lambda c: neutralise_cell(c) if isinstance(c, str) else c)


def save_figure_data(output_dir: str | Path, label: str, frame: pd.DataFrame) -> Path:
    """Write the data behind figure or table ``label`` to ``OUTPUT/data/<label>.csv``.

    Readers open these in spreadsheets, so text cells that would start a formula (a place
    name such as ``=HYPERLINK(...)``) are written with a leading ``'``
    (:func:`neutralise_frame`). Numbers as numbers (:func:`inequalities.report.ledger.csv_cell`):
    whole numbers as integers, others in full positional notation, never scientific notation.
    """
    path = Path(output_dir) / "data" / f"{_check_label(label)}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(frame).map(ledger.csv_cell).to_csv(path, index=False, lineterminator="\n")
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else round(float(value), 10)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def save_key_figures(output_dir: str | Path, notebook: str, figures: Mapping[str, Any]) -> Path:
    """Write ``figures`` (flat, dotted lower-case keys) to ``OUTPUT/key_figures/<notebook>.json``.

    Values should be what the text prints (strings already formatted) or plain numbers.
    """
    bad = [key for key in figures if not KEY_PATTERN.fullmatch(key)]
    if bad:
        raise ValueError(f"key figure names {bad} are not valid: use lower-case words with "
                         "underscores, dotted for nesting, e.g. 'access.rural_gap'")
    if not re.fullmatch(r"[a-z0-9_-]+", notebook):
        raise ValueError(f"notebook name {notebook!r} must be lower-case letters, digits, _ or -")
    path = Path(output_dir) / "key_figures" / f"{notebook}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_plain(dict(figures)), indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


def load_key_figures(output_dir: str | Path) -> dict[str, Any]:
    """Merge every ``key_figures/*.json`` under ``output_dir``; a key defined twice is an error."""
    merged: dict[str, Any] = {}
    for path in sorted((Path(output_dir) / "key_figures").glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"key figure {key!r} is written by more than one notebook "
                                 f"(again in {path.name}); give each key one owner")
            merged[key] = value
    return merged


def save_sources(output_dir: str | Path, sources: pd.DataFrame) -> Path:
    """Write the manifest table the edition was read with to ``OUTPUT/data/sources.csv``.

    ``sources`` is ``Dataset.sources``; the build's provenance record reads the file.
    """
    path = Path(output_dir) / "data" / "sources.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sources.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return path
