"""The subset of Quarto syntax that chapters may use, and its expansion for the pandoc engine.

Chapters are Quarto Markdown, read by Quarto itself where it is installed and by this
module otherwise. To keep the two engines from drifting, chapters may use only:

* Pandoc Markdown: headings (with ``{#sec-id}`` and ``.unnumbered``), paragraphs, lists,
  emphasis, links, block quotes, footnotes and pipe tables;
* ``{{< embed ../analysis/NOTEBOOK.ipynb#LABEL >}}`` on a line of its own, where LABEL is
  a ``fig-`` or ``tbl-`` cell label in that notebook;
* ``{{< var KEY >}}`` for a key figure or build variable (never a number typed by hand);
* cross-references ``@fig-…``, ``@tbl-…`` and ``@sec-…``;
* callouts ``::: {.callout-note}``, ``{.callout-important}``, ``{.callout-warning}``,
  ``{.callout-tip}``, closed by ``:::``.

Anything else (other shortcodes, executable code blocks, raw HTML or Typst, citations) is
rejected by :func:`check_syntax`, which a test runs over every chapter. The list is also
in ``docs/quarto-subset.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inequalities.report.outputs import markdown_escape

_BACKTICKS = re.compile(r"`{3,}")


def raw_block(fmt: str, content: str) -> str:
    """A Markdown raw block of ``fmt`` whose fence is longer than any backtick run inside."""
    fence = "`" * max([3] + [len(run) + 1 for run in _BACKTICKS.findall(content)])
    return f"{fence}{{={fmt}}}\n{content.rstrip()}\n{fence}\n"


SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[a-z-]+)\s+(?P<arg>[^>]*?)\s*>\}\}")
EMBED_LINE = re.compile(
    r"^\{\{<\s*embed\s+(?P<path>\.\./analysis/[A-Za-z0-9_-]+\.ipynb)#(?P<label>(?:fig|tbl)-[a-z0-9-]+)\s*>\}\}\s*$"
)
VAR_ARG = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
CROSSREF = re.compile(r"(?<![\w@`])@(?P<id>(?:fig|tbl|sec)-[a-z0-9]+(?:-[a-z0-9]+)*)")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
FENCE = re.compile(r"^(```|~~~)")
DIV_OPEN = re.compile(r"^:::+\s*(?P<attrs>\{[^}]*\}|\S+)?\s*$")
ALLOWED_DIVS = {"callout-note", "callout-important", "callout-warning", "callout-tip"}
KIND_NAMES = {"fig": "Figure", "tbl": "Table", "sec": "Section"}


class ChapterSyntaxError(ValueError):
    """A chapter uses syntax outside the supported Quarto subset."""


@dataclass(frozen=True)
class Problem:
    """One syntax problem: where and what."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def check_syntax(text: str, path: str = "<chapter>") -> list[Problem]:
    """Return every use of syntax outside the supported subset in ``text``."""
    problems: list[Problem] = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if FENCE.match(stripped):
            if not in_fence and re.match(r"^(```|~~~)\s*\{", stripped):
                problems.append(Problem(path, number, "executable code blocks are not allowed "
                                        "in chapters; compute in a notebook and embed the output"))
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if number == 1 and stripped == "---":
            problems.append(Problem(path, number, "YAML front matter is not allowed; the book "
                                    "metadata lives in _quarto.yml"))
        for match in SHORTCODE.finditer(line):
            name, arg = match["name"], match["arg"]
            if name == "embed":
                if not EMBED_LINE.match(stripped):
                    problems.append(Problem(path, number, "embed must stand on its own line as "
                                            "{{< embed ../analysis/NAME.ipynb#fig-or-tbl-label >}}"))
            elif name == "var":
                if not VAR_ARG.fullmatch(arg):
                    problems.append(Problem(path, number, f"var key {arg!r} is not a dotted "
                                            "lower-case name"))
            else:
                problems.append(Problem(path, number, f"shortcode {name!r} is not supported "
                                        "(only embed and var)"))
        div = DIV_OPEN.match(stripped)
        if div and div["attrs"]:
            classes = set(re.findall(r"\.([A-Za-z0-9_-]+)", div["attrs"]))
            if not classes or not classes <= ALLOWED_DIVS:
                problems.append(Problem(path, number, f"div {div['attrs']} is not supported; "
                                        f"use one of {', '.join(sorted(ALLOWED_DIVS))}"))
        if re.search(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>", line):
            problems.append(Problem(path, number, "raw HTML is not allowed in chapters"))
        if re.search(r"\[[^\]]*@(?!fig-|tbl-|sec-)[A-Za-z]", line):
            problems.append(Problem(path, number, "citations are not supported; cite sources "
                                    "in the text with a link"))
        if "`{=" in line:
            problems.append(Problem(path, number, "raw format blocks are not allowed"))
    return problems


def headings(text: str) -> list[tuple[int, str, str | None, bool]]:
    """Return ``(level, text, id, numbered)`` for each heading outside code fences."""
    found = []
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match:
            attrs = match["attrs"] or ""
            ident = re.search(r"#([A-Za-z0-9_-]+)", attrs)
            found.append((len(match["hashes"]), match["text"], ident[1] if ident else None,
                          ".unnumbered" not in attrs and "-" != attrs.strip()))
    return found


def numbering(chapters: list[str]) -> dict[str, str]:
    """Number sections (``1``, ``1.2``), figures and tables (``1``, ``2`` … in book order)."""
    numbers: dict[str, str] = {}
    counters = [0] * 6
    kinds = {"fig": 0, "tbl": 0}
    for text in chapters:
        for line in text.splitlines():
            embed = EMBED_LINE.match(line.strip())
            if embed:
                kind = embed["label"].split("-", 1)[0]
                kinds[kind] += 1
                numbers[embed["label"]] = str(kinds[kind])
        for level, _, ident, numbered in headings(text):
            if not numbered:
                continue
            counters[level - 1] += 1
            counters[level:] = [0] * (6 - level)
            if ident:
                numbers[ident] = ".".join(str(c) for c in counters[:level])
    return numbers


def expand_vars(text: str, variables: Mapping[str, Any], path: str = "<chapter>") -> str:
    """Replace ``{{< var KEY >}}`` with the escaped value; an unknown key is an error."""
    def replace(match: re.Match[str]) -> str:
        if match["name"] != "var":
            return match[0]
        key = match["arg"]
        if key not in variables:
            raise ChapterSyntaxError(f"{path}: {{{{< var {key} >}}}} has no value; key figures "
                                     f"available: {', '.join(sorted(variables)) or 'none'}")
        return markdown_escape(variables[key])

    return SHORTCODE.sub(replace, text)


def expand_embeds(text: str, render: Callable[[str, str], str]) -> str:
    """Replace each embed line with ``render(notebook_name, label)``."""
    lines = []
    for line in text.splitlines():
        match = EMBED_LINE.match(line.strip())
        lines.append(render(Path(match["path"]).name, match["label"]) if match else line)
    return "\n".join(lines) + "\n"


def expand_crossrefs(text: str, numbers: Mapping[str, str], fmt: str) -> str:
    """Turn ``@fig-x`` into "Figure 1" linked to the target (HTML) or a Typst reference."""
    def replace(match: re.Match[str]) -> str:
        ident = match["id"]
        if ident not in numbers:
            raise ChapterSyntaxError(f"cross-reference @{ident} points at nothing: no embed or "
                                     "heading has that label")
        if fmt == "typst":
            return f"`@{ident}`{{=typst}}"
        return f"[{KIND_NAMES[ident.split('-', 1)[0]]} {numbers[ident]}](#{ident})"

    return CROSSREF.sub(replace, text)
