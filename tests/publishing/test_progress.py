"""Progress lines and the summary table."""

import io

import pytest

from inequalities.publishing.progress import Progress, summary_table
from inequalities.publishing.worker import JobResult

pytestmark = pytest.mark.unit


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    progress = Progress(["england", "london"], stream=out)
    progress.start()
    progress.update("london", "notebooks")
    progress.update("london", "notebooks")  # repeated stage: shown once
    progress.update("london", "render html")
    progress.update("unknown", "built")
    assert out.getvalue() == "[london] notebooks\n[london] render html\n"
    assert "\x1b" not in out.getvalue()


def test_terminal_redraws_one_line_per_edition():
    out = io.StringIO()
    progress = Progress(["england", "london"], stream=out, tty=True)
    progress.start()
    progress.update("england", "render pdf")
    text = out.getvalue()
    assert text.count("\x1b[2F") == 1  # moved up over the two lines once
    last = text.rsplit("\x1b[2F", 1)[1]
    assert "england  render pdf" in last and "london   queued" in last


def test_summary_table_counts_and_names_failures():
    results = [
        JobResult("england", "built", 12.34, {"notebooks": "ran", "render html": "cached"}),
        JobResult("london", "reused"),
        JobResult("north-east", "failed", 3.0, {"notebooks": "ran"}, failed_step="render pdf",
                  message="RenderError: typst", log="/out/.failed/north-east/logs/build.log"),
    ]
    table = summary_table(results).splitlines()
    assert table[0].split() == ["edition", "result", "steps", "time", "(s)"]
    assert table[2].split()[:2] == ["england", "built"] and table[2].endswith("12.3")
    assert "notebooks ran, render html cached" in table[2]
    assert "all steps unchanged" in table[3]
    assert table[5] == "1 built, 1 reused, 1 failed"
    assert table[6] == ("edition north-east failed at step 'render pdf': RenderError: typst "
                        "(log: /out/.failed/north-east/logs/build.log)")
