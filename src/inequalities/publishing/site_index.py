"""``OUT/index.html``: the page reviewers land on, listing every published edition.

For each edition: links to its HTML and PDF reports and to the CSV behind each figure
and table, the data label and vintage (from its key figures), and its provenance line.
Editions are grouped by set (England, ONS regions, NHS England regions, ICBs), one
captioned table each, and a name filter narrows them. The page is self-contained (inline
CSS and one small inline script for the filter, no external resources, works offline;
without scripts the filter stays hidden and every edition is listed), declares its
language, uses landmarks, headings, captioned tables with header cells, and link texts
that make sense out of context. Every value from data or provenance is HTML-escaped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from inequalities.data import editions
from inequalities.publishing import escape

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#1d1d1b;
line-height:1.5}
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:4px solid #005eb8}
h1{font-size:1.8rem;margin:.5rem 0}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border-bottom:1px solid #d8dde0;padding:.5rem;text-align:left;vertical-align:top}
thead th{background:#f0f4f5}
a{color:#005eb8}a:focus{outline:3px solid #ffeb3b;background:#ffeb3b;color:#212b32}
ul{margin:0;padding-left:1.1rem}
.failed{color:#b30000;font-weight:600}
.small{font-size:.9rem;color:#4c6272}
.filter{margin:1rem 0}.filter input{font:inherit;padding:.3rem .5rem;min-width:18rem}
""".strip()

# Hides the rows (and whole sets) whose edition name does not contain the typed text.
_FILTER_JS = """
(function(){var f=document.getElementById('edition-filter');if(!f)return;
f.hidden=false;var i=document.getElementById('edition-filter-text'),
o=document.getElementById('edition-filter-count');
function run(){var q=i.value.trim().toLowerCase(),n=0;
document.querySelectorAll('section.edition-set').forEach(function(s){var k=0;
s.querySelectorAll('tbody tr').forEach(function(r){
var show=!q||r.getAttribute('data-name').indexOf(q)>=0;r.hidden=!show;if(show)k++;});
s.hidden=k===0;n+=k;});o.textContent=n+(n===1?' edition':' editions')+' shown';}
i.addEventListener('input',run);run();})();
""".strip()


def _edition_row(out_dir: Path, edition: editions.Edition, failed: dict[str, str]) -> str:
    folder = out_dir / edition.slug
    name = escape.html(edition.name)
    status = ""
    if edition.slug in failed:
        status = (f'<p class="failed">The last build of this edition failed '
                  f"({escape.html(failed[edition.slug])}); the copy shown is the previous "
                  "good one.</p>" if folder.is_dir() else
                  f'<p class="failed">Build failed: {escape.html(failed[edition.slug])}</p>')
    if not (folder / "provenance.json").is_file():
        return (f'<tr data-name="{_filter_name(edition)}"><th scope="row">{name}</th>'
                f'<td colspan="4">Not built.{status}</td></tr>')
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    figures: dict = {}
    for path in sorted((folder / "key_figures").glob("*.json")):
        try:
            figures.update(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue
    slug = escape.html(edition.slug)
    reports = []
    for fmt, label in (("html", "HTML"), ("pdf", "PDF")):
        if (folder / f"report.{fmt}").is_file():
            size = (folder / f"report.{fmt}").stat().st_size / 1e6
            reports.append(f'<li><a href="{slug}/report.{fmt}">{name} report ({label}, '
                           f"{size:.1f}&nbsp;MB)</a></li>")
    data = [f'<li><a href="{slug}/data/{escape.html(p.name)}" download>{name}: '
            f"{escape.html(p.stem)} (CSV)</a></li>"
            for p in sorted((folder / "data").glob("*.csv"))]
    data_cell = (f"<details><summary>{len(data)} CSV files for {name}</summary>"
                 f"<ul>{''.join(data)}</ul></details>") if data else "None"
    vintage = escape.html(figures.get("data.vintage", "unknown"))
    label = escape.html(figures.get("data.label", ""))
    commit = str(record.get("git_commit", "unknown"))
    built = (f"{escape.html(record.get('build_date', ''))}, inequalities "
             f"{escape.html(record.get('version', ''))}, git {escape.html(commit[:12])}, "
             f"{escape.html(record.get('engine', ''))} engine; "
             f'<a href="{slug}/provenance.json">provenance record for {name} (JSON)</a>, '
             f'<a href="{slug}/logs/build.log">build log for {name}</a>')
    up = editions.parent(edition)
    within = (f'<br><span class="small">in {escape.html(up.name)}</span>'
              if up is not None and not up.is_england else "")
    return (f'<tr data-name="{_filter_name(edition)}"><th scope="row">{name}{within}</th>'
            f'<td><ul>{"".join(reports)}</ul>{status}</td>'
            f"<td>{data_cell}</td><td>{vintage}<br><span class=\"small\">{label}</span></td>"
            f'<td class="small">{built}</td></tr>')


def _filter_name(edition: editions.Edition) -> str:
    """What the name filter matches: the edition's name, slug and code, lower case."""
    return escape.html(f"{edition.name} {edition.slug} {edition.code}".lower())


def _set_section(name: str, rows: list[str]) -> str:
    title = escape.html(editions.SET_TITLES[name])
    return f"""<section class="edition-set" aria-labelledby="set-{name}">
<h3 id="set-{name}">{title}</h3>
<table>
<caption>{title}: {len(rows)} edition{'' if len(rows) == 1 else 's'} with reports, data
downloads, data vintage and provenance</caption>
<thead><tr><th scope="col">Edition</th><th scope="col">Reports</th>
<th scope="col">Data downloads</th><th scope="col">Data vintage</th>
<th scope="col">Provenance</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""


def render(out_dir: Path, *, title: str, build_line: str,
           failed: dict[str, str] | None = None,
           slugs: Iterable[str] | None = None) -> str:
    """Return the index page for the editions published in ``out_dir``."""
    failed = failed or {}
    wanted = set(slugs) if slugs is not None else None
    sections = []
    for set_name in editions.SETS:
        rows = [_edition_row(out_dir, e, failed) for e in editions.in_set(set_name)
                if (wanted is None or e.slug in wanted or (out_dir / e.slug).is_dir())]
        if rows:
            sections.append(_set_section(set_name, rows))
    statistics = ('<p><a href="statistics.csv" download>Every statistic of every edition '
                  "(CSV)</a>: one row per number the reports show, with its interval, unit, "
                  "units of analysis, method, source and period, and an edition "
                  "column.</p>") if (out_dir / "statistics.csv").is_file() else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape.html(title)}: all editions</title>
<style>{_CSS}</style>
</head>
<body>
<header><p class="small">Health inequalities report</p><h1>{escape.html(title)}</h1></header>
<main id="main">
<h2>Editions</h2>
{statistics}
<form id="edition-filter" class="filter" role="search" hidden onsubmit="return false">
<label for="edition-filter-text">Filter editions by name</label>
<input id="edition-filter-text" type="search" autocomplete="off">
<span id="edition-filter-count" class="small" aria-live="polite"></span>
</form>
{chr(10).join(sections)}
</main>
<footer><h2>About this build</h2><p class="small">{escape.html(build_line)}</p></footer>
<script>{_FILTER_JS}</script>
</body>
</html>
"""


def write(out_dir: Path, **kwargs) -> Path:
    """Write ``OUT/index.html`` atomically (temporary name, then ``os.replace``)."""
    target = out_dir / "index.html"
    tmp = out_dir / f".index.html.{os.getpid()}.tmp"
    tmp.write_text(render(out_dir, **kwargs), encoding="utf-8")
    os.replace(tmp, target)
    return target
