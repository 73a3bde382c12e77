"""What every rendering engine needs to know about one edition's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inequalities.publishing.project import Project


@dataclass(frozen=True)
class RenderContext:
    """Inputs to a renderer.

    Attributes:
        project: the report project (chapters and book metadata).
        build_dir: the edition's build folder; executed notebooks are in
            ``build_dir/notebooks`` and figure data in ``build_dir/data``. Outputs
            (``report.html``, ``report.pdf``) are written here.
        variables: values for ``{{< var KEY >}}`` (key figures and build variables).
        meta: title-page facts: ``edition``, ``data_label``, ``vintage``, ``demo`` (bool),
            ``version``, ``build_date``, ``provenance`` (one line).
        formats: ``("html", "pdf")`` or a subset.
        cache: the build's step cache (:class:`~inequalities.publishing.cache.StepCache`),
            where an engine may keep work that outlives one render (the pandoc engine:
            its conversions of the notebooks' tables); None keeps nothing.
        force: do the work again instead of taking it from ``cache`` (``--force``); what
            is done is still stored.
    """

    project: Project
    build_dir: Path
    variables: dict[str, Any]
    meta: dict[str, Any]
    formats: tuple[str, ...] = ("html", "pdf")
    log: list[str] = field(default_factory=list)
    cache: Any = None
    force: bool = False

    @property
    def notebooks_dir(self) -> Path:
        """Where the executed notebooks are."""
        return self.build_dir / "notebooks"

    @property
    def work_dir(self) -> Path:
        """Scratch folder for intermediate files (Typst source, figure files)."""
        path = self.build_dir / "work"
        path.mkdir(parents=True, exist_ok=True)
        return path


class RenderError(RuntimeError):
    """Rendering failed; the message says which format and why."""


DEMO_NOTICE = "Demonstration data, not official statistics"
#: Shown on every page of a report built from data that failed validation.
UNVERIFIED_NOTICE = "Unverified data: failed validation, built with --accept-unverified"


def page_notice(meta: dict) -> str:
    """The notice every page carries (demonstration and/or unverified data), or ""."""
    notices = [DEMO_NOTICE] if meta.get("demo") else []
    if meta.get("unverified"):
        notices.append(UNVERIFIED_NOTICE)
    return "; ".join(notices)
