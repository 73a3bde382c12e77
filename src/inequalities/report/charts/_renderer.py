"""An Altair renderer that emits HTML, SVG and PDF for each chart, all offline.

Altair's default renderer gives notebooks HTML only and loads Vega from a CDN, so a PDF
gets no chart and an offline page stays blank. This renderer converts the spec with
vl-convert (an embedded JavaScript engine, no browser) and writes the spec into the HTML
as inert JSON that the page's own inlined Vega draws.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import escape

from inequalities.report.charts._theme import print_spec

RENDERER_NAME = "inequalities"


def _script_safe_json(spec: dict[str, Any]) -> str:
    """Serialise ``spec`` so it cannot end a ``<script>`` element or open a comment."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_id(spec: dict[str, Any]) -> str:
    """Return a deterministic element id for ``spec`` (a digest, so builds reproduce)."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"chart-{digest[:12]}"


def chart_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the MIME bundle for one Vega-Lite ``spec`` (HTML, SVG, PDF, plain text).

    The PDF (for the PDF report) is drawn from :func:`print_spec`, with larger type, since
    the page shrinks the chart to the text width; HTML and SVG use the spec as it is.
    """
    element = chart_id(spec)
    description = spec.get("description") or "Chart"
    html = (
        f'<div class="vega-chart" id="{element}" role="img" '
        f'aria-label="{escape(description)}"></div>\n'
        f'<script type="application/json" class="vega-spec" data-target="{element}">'
        f"{_script_safe_json(spec)}</script>"
    )
    svg = vlc.vegalite_to_svg(spec)
    pdf = vlc.vegalite_to_pdf(print_spec(spec))
    return {
        "text/html": html,
        "image/svg+xml": svg,
        "application/pdf": base64.b64encode(pdf).decode("ascii"),
        "text/plain": f"<Chart: {description}>",
    }


def _render(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return chart_bundle(spec)


def enable() -> None:
    """Register and enable the renderer (idempotent)."""
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _render)
    alt.renderers.enable(RENDERER_NAME)
