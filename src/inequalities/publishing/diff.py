"""``inequalities diff``: which key figures changed between two builds, and by how much.

Compares the key figures (``key_figures/*.json``) and the figure and table data
(``data/*.csv``) of two built sites (folders of editions) or two single editions. Key
figures are often formatted text ("12,345", "4.5%"); where both values read as numbers the
absolute and relative changes are given, otherwise the old and new text.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path
from typing import Any


_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
COLUMNS = ["edition", "key", "old", "new", "change", "relative_change", "status"]


def as_number(value: Any) -> float | None:
    """The number a key figure shows (``"12,345"`` -> 12345.0, ``"4.5%"`` -> 4.5), else None.

    Text with more than one number (``"3 of 9"``) is not a number.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(float(value)) else None
    text = str(value).strip().replace(",", "").replace("£", "").replace("%", "")
    text = text.replace("\u2212", "-").strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def editions_in(folder: Path) -> dict[str, Path]:
    """The edition folders of a site (sub-folders with key figures), or the folder itself."""
    folder = Path(folder)
    if (folder / "key_figures").is_dir():
        return {folder.name: folder}
    return {p.name: p for p in sorted(folder.iterdir())
            if p.is_dir() and not p.name.startswith(".") and (p / "key_figures").is_dir()}


def _frame(rows, columns):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _key_figures(folder: Path) -> dict[str, Any]:
    from inequalities.report import outputs

    return outputs.load_key_figures(folder)


def key_figure_changes(old_dir: Path, new_dir: Path):
    """Changed, added and removed key figures, one row per edition and key.

    Columns: ``edition, key, old, new`` (as written), ``change`` (new - old) and
    ``relative_change`` (change / |old|, NaN when old is 0 or not a number), ``status``
    (changed/added/removed). Sorted by edition then key.
    """
    old_sites, new_sites = editions_in(old_dir), editions_in(new_dir)
    if len(old_sites) == 1 and len(new_sites) == 1:  # two single editions
        old_sites = {next(iter(new_sites)): next(iter(old_sites.values()))}
    rows = []
    for edition in sorted(set(old_sites) | set(new_sites)):
        old = _key_figures(old_sites[edition]) if edition in old_sites else {}
        new = _key_figures(new_sites[edition]) if edition in new_sites else {}
        for key in sorted(set(old) | set(new)):
            if key in old and key in new and old[key] == new[key]:
                continue
            status = "changed" if key in old and key in new else ("added" if key in new
                                                                 else "removed")
            a, b = as_number(old.get(key)), as_number(new.get(key))
            change = b - a if a is not None and b is not None else math.nan
            relative = change / abs(a) if a not in (None, 0.0) and not math.isnan(change) \
                else math.nan
            rows.append((edition, key, old.get(key, ""), new.get(key, ""), change, relative,
                         status))
    return _frame(rows, COLUMNS)


def data_changes(old_dir: Path, new_dir: Path):
    """Data files (``data/*.csv``) that differ: ``edition, file, status, rows_old, rows_new``."""
    old_sites, new_sites = editions_in(old_dir), editions_in(new_dir)
    if len(old_sites) == 1 and len(new_sites) == 1:
        old_sites = {next(iter(new_sites)): next(iter(old_sites.values()))}
    rows = []
    for edition in sorted(set(old_sites) | set(new_sites)):
        files_old = {p.name: p for p in (old_sites[edition] / "data").glob("*.csv")} \
            if edition in old_sites else {}
        files_new = {p.name: p for p in (new_sites[edition] / "data").glob("*.csv")} \
            if edition in new_sites else {}
        for name in sorted(set(files_old) | set(files_new)):
            a, b = files_old.get(name), files_new.get(name)
            if a is not None and b is not None and a.read_bytes() == b.read_bytes():
                continue
            count = (lambda p: None if p is None else
                     max(len(p.read_text(encoding="utf-8").splitlines()) - 1, 0))
            status = "changed" if a and b else ("added" if b else "removed")
            rows.append((edition, name, status, count(a), count(b)))
    return _frame(rows, ["edition", "file", "status", "rows_old", "rows_new"])


def _fmt(value: Any, percent: bool = False) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:+.1%}" if percent else f"{value:+,.6g}"
    return str(value)


def _table(frame, markdown: bool) -> str:
    from inequalities.report import outputs

    shown = frame.copy()
    if "change" in shown:
        shown["change"] = [_fmt(v) for v in frame["change"]]
        shown["relative_change"] = [_fmt(v, True) for v in frame["relative_change"]]
    shown = shown.astype(str)
    if markdown:
        def cell(text: str) -> str:
            return outputs.markdown_escape(text) if text else ""
        lines = ["| " + " | ".join(cell(c) for c in shown.columns) + " |",
                 "|" + "|".join("---" for _ in shown.columns) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |"
                  for row in shown.itertuples(index=False)]
        return "\n".join(lines)
    widths = [max([len(c)] + [len(v) for v in shown[c]]) for c in shown.columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(shown.columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
              for row in shown.itertuples(index=False)]
    return "\n".join(lines)


#: Why figures of two data vintages are not like for like (issue 18; PROVENANCE.md of the
#: staged data: 31,810 of the 32,844 LSOAs of 2011 are unchanged in 2021).
VINTAGE_CAVEAT = ("The builds use different data vintages, so changes mix real change with "
                  "the change of sources: deprivation ranks and deciles are relative within "
                  "each release of the Indices, 2021 small areas differ from 2011 ones (about "
                  "31,800 are unchanged) and the population base differs.")


def vintage_changes(old_dir: Path, new_dir: Path) -> list[tuple[str, str, str]]:
    """``(edition, old vintage, new vintage)`` for editions whose ``data.vintage`` differs."""
    figures = key_figure_changes(old_dir, new_dir)
    rows = figures[(figures["key"] == "data.vintage") & (figures["status"] == "changed")]
    return [(r.edition, str(r.old), str(r.new)) for r in rows.itertuples(index=False)]


def report(old_dir: Path, new_dir: Path, *, markdown: bool = False) -> str:
    """The diff as text (or GitHub-flavoured Markdown for a job summary).

    When the two builds are of different data vintages, a note before the tables says so
    and why their figures are not like for like (:data:`VINTAGE_CAVEAT`).
    """
    figures = key_figure_changes(old_dir, new_dir)
    data = data_changes(old_dir, new_dir)
    title = "Changes in key figures"
    parts = [f"## {title}" if markdown else title, ""]
    vintages = sorted({(old, new) for _, old, new in vintage_changes(old_dir, new_dir)})
    for old, new in vintages:
        parts += [f"Data vintage: {old} -> {new}.", ""]
    if vintages:
        parts += [VINTAGE_CAVEAT, ""]
    parts.append(_table(figures, markdown) if len(figures) else "No key figure changed.")
    parts += ["", "### Changed data files" if markdown else "Changed data files", ""]
    parts.append(_table(data, markdown) if len(data) else "No data file changed.")
    return "\n".join(parts) + "\n"


def _run(args: argparse.Namespace) -> int:
    from inequalities.data.errors import UsageError

    old, new = Path(args.old).expanduser(), Path(args.new).expanduser()
    for flag, folder in (("--old", old), ("--new", new)):
        if not folder.is_dir() or not editions_in(folder):
            raise UsageError(f"inequalities diff: {flag} {str(folder)!r} is not a built site "
                             "or edition (no key_figures/ folder found in it or below it)")
    print(report(old, new, markdown=args.markdown), end="")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``diff`` on the top-level parser."""
    parser = subparsers.add_parser(
        "diff", help="list key figures that changed between two builds",
        description="Compare the key figures and data files of two built sites (or two "
        "editions): which changed, old and new values, absolute and relative change.")
    parser.add_argument("--old", required=True, metavar="DIR", help="the previous build")
    parser.add_argument("--new", required=True, metavar="DIR", help="the new build")
    parser.add_argument("--markdown", action="store_true",
                        help="write Markdown (for $GITHUB_STEP_SUMMARY)")
    parser.set_defaults(func=_run)
    return parser
