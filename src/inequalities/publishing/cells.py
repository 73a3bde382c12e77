"""Read labelled cells and their outputs from executed notebooks.

A cell is addressed by its Quarto cell option ``#| label: fig-...`` (or ``tbl-...``);
its other options (``fig-cap``, ``fig-alt``, ``tbl-cap``) are the same YAML lines Quarto
reads, so both engines see the same captions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml


class CellError(ValueError):
    """A labelled cell is missing, duplicated or has no usable output."""


@dataclass(frozen=True)
class LabelledCell:
    """One labelled cell: its options and its display outputs (MIME bundles)."""

    notebook: Path
    label: str
    options: dict[str, Any]
    outputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``"fig"`` or ``"tbl"``, from the label prefix."""
        return self.label.split("-", 1)[0]

    @property
    def caption(self) -> str:
        """The figure or table caption (plain text)."""
        return str(self.options.get(f"{self.kind}-cap") or "")

    @property
    def alt(self) -> str:
        """The figure's alternative text (falls back to the caption)."""
        return str(self.options.get("fig-alt") or self.caption)

    def find(self, mime: str) -> Any:
        """Return the first output of MIME type ``mime``, or raise naming what exists."""
        for bundle in self.outputs:
            if mime in bundle:
                return bundle[mime]
        have = sorted({m for bundle in self.outputs for m in bundle})
        raise CellError(f"{self.notebook.name}#{self.label} has no {mime} output "
                        f"(it has: {', '.join(have) or 'no output at all'})")


#: ``yaml.safe_load``'s loader, in C when PyYAML was built with libyaml: the pure-Python
#: scanner took most of the time of reading an edition's cells (0.07 of 0.11 s).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def cell_options(source: str) -> dict[str, Any]:
    """Parse the leading ``#|`` option lines of a cell (YAML), as Quarto does."""
    lines = []
    for line in source.splitlines():
        if line.startswith("#|"):
            lines.append(line[2:].strip() if not line.startswith("#| ") else line[3:])
        elif line.strip():
            break
    if not lines:
        return {}
    options = yaml.load("\n".join(lines), Loader=_SAFE_LOADER) or {}
    if not isinstance(options, dict):
        raise CellError(f"cell options are not a YAML mapping: {lines!r}")
    return options


def labelled_cells(notebook: Path) -> dict[str, LabelledCell]:
    """Return every labelled code cell of ``notebook`` by label."""
    nb = nbformat.read(str(notebook), as_version=4)
    cells: dict[str, LabelledCell] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        options = cell_options(cell.source)
        label = options.get("label")
        if not label:
            continue
        if label in cells:
            raise CellError(f"{notebook.name}: label {label!r} is used by two cells")
        outputs = [dict(out.get("data", {})) for out in cell.get("outputs", [])
                   if out.get("output_type") in {"display_data", "execute_result"}]
        cells[str(label)] = LabelledCell(notebook, str(label), options, outputs)
    return cells
