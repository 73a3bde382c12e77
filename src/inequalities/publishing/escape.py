"""Escaping for the places user- and data-derived text can reach: HTML and Typst."""

from __future__ import annotations

from markupsafe import escape


def html(value: object) -> str:
    """Escape ``value`` for HTML text or a quoted attribute."""
    return str(escape("" if value is None else str(value)))


def typst_string(value: object) -> str:
    """Return ``value`` as a Typst string literal (quotes included).

    Inside a Typst string only ``\\`` and ``"`` are special, so markup in data (``#``, ``*``,
    ``<``, ``@``) can never be evaluated.
    """
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return f'"{text}"'
