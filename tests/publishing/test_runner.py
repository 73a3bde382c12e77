"""Multi-edition builds of the fixture project: incremental, atomic, parallel, on Dask."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from inequalities import cli

pytestmark = pytest.mark.render

EDITIONS = "england,north-east,london"




def _build(out, *extra, editions=EDITIONS, jobs="1"):
    # --jobs 1 runs the editions in this process (its warm kernel persists across tests);
    # the process pool is exercised by the reproducibility test.
    return cli.main(["build", "--edition", editions, "--renderer", "pandoc", "--jobs", jobs,
                     "--out", str(out), *extra])


def _rows(text):
    """Summary rows: edition -> (result, steps)."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"(\S+)\s+(built|reused|failed)\s+(.*?)\s+\d+\.\d$", line)
        if match:
            rows[match[1]] = (match[2], match[3])
    return rows


def test_incremental_rebuilds_and_isolated_failure(project, tmp_path, capsys, monkeypatch):
    out = tmp_path / "site"
    assert _build(out) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows == {slug: ("built", "notebooks ran, render html ran, render pdf ran")
                    for slug in EDITIONS.split(",")}
    for slug in EDITIONS.split(","):
        record = json.loads((out / slug / "provenance.json").read_text())
        assert set(record["cache_keys"]) == {"notebooks", "render-html", "render-pdf"}
        assert (out / slug / "report.pdf").read_bytes().startswith(b"%PDF")
        assert "stage: publish" in (out / slug / "logs" / "build.log").read_text()
    index = (out / "index.html").read_text()
    assert all(f'href="{slug}/report.html"' in index for slug in EDITIONS.split(","))

    # Nothing changed: every edition is reused without running anything.
    before = {slug: (out / slug / "report.html").stat().st_mtime_ns for slug in EDITIONS.split(",")}
    assert _build(out) == 0
    assert {r for r, _ in _rows(capsys.readouterr().out).values()} == {"reused"}
    assert before == {s: (out / s / "report.html").stat().st_mtime_ns for s in before}

    # Fingerprints not remembered (as after a data change): the workers start early, and
    # each published edition's files are checked once, not again after the fingerprints.
    from inequalities.publishing import plan, runner

    checked = []

    def counted(job):
        checked.append(job.slug)
        return plan.is_current(job)

    class NoWorkers:  # nothing is stale, so nothing may be submitted
        def __init__(self, workers, *, warm=True):
            pass

        def submit(self, job):
            raise AssertionError(f"{job.slug} is current, yet was submitted")

        def wait(self, progress, on_result):
            pass

        def close(self, *, now=False):
            pass

    for entry in (out / ".cache" / "fingerprints").iterdir():
        entry.rename(tmp_path / f"fingerprints-{entry.name}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "is_current", counted)
        patch.setattr(runner, "LocalPool", NoWorkers)
        patch.setattr(plan, "_FINGERPRINTS", {})
        assert _build(out, jobs="2") == 0
    assert {r for r, _ in _rows(capsys.readouterr().out).values()} == {"reused"}
    assert sorted(checked) == sorted(EDITIONS.split(","))

    # A chapter changed: re-render without re-running notebooks.
    chapter = project / "chapters" / "02-more.qmd"
    chapter.write_text(chapter.read_text() + "\n\nOne more sentence.\n")
    assert _build(out) == 0
    rows = _rows(capsys.readouterr().out)
    assert set(rows.values()) == {("built", "notebooks cached, render html ran, render pdf ran")}
    assert "One more sentence." in (out / "london" / "report.html").read_text()
    # ... and each edition's log says so (benchmarks/bench_build.py checks these lines)
    for slug in EDITIONS.split(","):
        log = (out / slug / "logs" / "build.log").read_text()
        assert "notebooks reused from cache" in log and "notebooks done in" not in log
        assert re.search(r"rendered html \([\d.]+ MB\) in [\d.]+ s", log)

    # Again in worker processes: with every notebook step cached they warm no kernel.
    warmed = []

    class Recorded(runner.LocalPool):
        def __init__(self, workers, *, warm=True):
            warmed.append(warm)
            super().__init__(workers, warm=warm)

    real = runner.LocalPool
    monkeypatch.setattr(runner, "LocalPool", Recorded)
    chapter.write_text(chapter.read_text() + "\n\nAnd one more.\n")
    assert _build(out, jobs="2") == 0
    rows = _rows(capsys.readouterr().out)
    assert set(rows.values()) == {("built", "notebooks cached, render html ran, render pdf ran")}
    assert warmed == [False]
    monkeypatch.setattr(runner, "LocalPool", real)

    # London's notebook fails: the others publish, London's good copy stays, exit 1.
    good = (out / "london" / "report.html").read_bytes()
    notebook = project / "analysis" / "demo.ipynb"
    notebook.write_text(notebook.read_text().replace(
        "import altair as alt", "import altair as alt\\n\",\n    \"if edition == 'london': "
        "raise RuntimeError('boom')"))
    assert _build(out) == 1
    captured = capsys.readouterr()
    rows = _rows(captured.out)
    assert rows["london"][0] == "failed"
    assert rows["england"][0] == rows["north-east"][0] == "built", captured
    log = out / ".failed" / "london" / "logs" / "build.log"
    # cell 4: the heading, the parameters, papermill's injected parameters, then this one
    assert ("edition london failed at step 'notebooks': NotebookError: demo.ipynb failed in "
            "cell 4: RuntimeError: boom") in captured.err
    assert f"(log: {log})" in captured.err and "boom" in log.read_text()
    assert (out / "london" / "report.html").read_bytes() == good
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))
    assert "The last build of this edition failed" in (out / "index.html").read_text()

    # --force runs every step again.
    notebook.write_text(notebook.read_text().replace("if edition == 'london': ", "if False: "))
    assert _build(out, editions="north-east,london") == 0
    assert {r for r, _ in _rows(capsys.readouterr().out).values()} == {"built"}
    assert _build(out, "--force", editions="north-east,london") == 0
    assert set(_rows(capsys.readouterr().out).values()) == {
        ("built", "notebooks ran, render html ran, render pdf ran")}


def test_two_clean_builds_give_identical_data_outputs(project, tmp_path):
    sites = []
    for name, jobs in (("one", "2"), ("two", "1")):  # in parallel workers, then in turn
        out = tmp_path / name
        assert _build(out, "--format", "html", "--cache", str(tmp_path / f"cache-{name}"),
                      editions="england,london", jobs=jobs) == 0
        sites.append(out)
    files = sorted(p.relative_to(sites[0]) for pattern in ("*/data/*.csv", "*/key_figures/*.json")
                   for p in sites[0].glob(pattern))
    assert len(files) == 6  # per edition: fig-bars.csv, statistics.csv, demo.json
    for rel in files:
        assert (sites[0] / rel).read_bytes() == (sites[1] / rel).read_bytes(), rel


def _killed_build(out, point, tmp_path):
    """Start a build, SIGKILL its whole process group at ``point``; return the pause file."""
    marker = tmp_path / f"paused-{point}"
    env = dict(os.environ, INEQUALITIES_TEST_PAUSE=point, INEQUALITIES_TEST_PAUSE_FILE=str(marker))
    proc = subprocess.Popen(
        [sys.executable, "-m", "inequalities.cli", "build", "--edition", "england,london",
         "--format", "html", "--renderer", "pandoc", "--jobs", "1", "--out", str(out)],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), f"the build never reached {point}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)  # let the kernel notice its parent is gone


def _complete(out):
    for slug in ("england", "london"):
        html = (out / slug / "report.html").read_text()
        assert html.rstrip().endswith("</html>") and "Fixture report" in html
        assert json.loads((out / slug / "provenance.json").read_text())["edition"]["slug"] == slug
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))
    assert not list((out / ".cache" / ".tmp").iterdir())
    entries = list((out / ".cache" / "notebook").glob("*/*"))
    assert entries
    for entry in entries:
        assert {p.name for p in entry.iterdir()} == {"notebooks", "data", "key_figures"}


def test_killed_while_writing_a_cache_entry_then_rebuilt(project, tmp_path):
    out = tmp_path / "site"
    _killed_build(out, "cache-put", tmp_path)
    assert not (out / "england").exists()
    assert not list((out / ".cache").glob("notebook/*/*"))  # no entry is visible
    assert list((out / ".cache" / ".tmp").iterdir())  # only an unfinished temporary
    assert _build(out, "--format", "html", editions="england,london") == 0
    _complete(out)


def test_killed_during_publish_then_rebuilt(project, tmp_path, capsys):
    out = tmp_path / "site"
    assert _build(out, "--format", "html", editions="england,london") == 0
    chapter = project / "chapters" / "01-intro.qmd"
    chapter.write_text(chapter.read_text() + "\n\nNew text.\n")
    _killed_build(out, "publish", tmp_path)
    assert not (out / "england").exists() and list(out.glob(".old-england-*"))
    capsys.readouterr()
    assert _build(out, "--format", "html", editions="england,london") == 0
    assert "recovered: restored the previous copy of england" in capsys.readouterr().out
    _complete(out)
    assert "New text." in (out / "england" / "report.html").read_text()


def test_dask_local_cluster_builds_each_edition_in_its_own_folder(project, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "site"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        status = cli.main(["build", "--edition", "england,london", "--format", "html",
                           "--renderer", "pandoc", "--executor", "dask",
                           "--scheduler", cluster.scheduler_address, "--out", str(out)])
    assert status == 0
    folders = set()
    for slug in ("england", "london"):
        assert (out / slug / "report.html").is_file()
        log = (out / slug / "logs" / "build.log").read_text()
        folders.add(re.search(r"build folder (\S+)", log)[1])
        assert f"[{slug}] stage: publish" in log
    assert len(folders) == 2 and all(f.startswith(".build-") for f in folders)


def test_workers_give_typst_their_share_of_the_cores(monkeypatch):
    from inequalities.publishing import runner

    cores = os.cpu_count() or 1
    assert runner.render_threads(1) == cores
    assert runner.render_threads(cores) == runner.render_threads(4 * cores) == 1
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    pool = runner.LocalPool(2, warm=False)
    try:
        seen = pool.pool.submit(os.getenv, "RAYON_NUM_THREADS").result(timeout=300)
    finally:
        pool.close()
    assert seen == str(max(1, cores // 2))


def _extra_notebook(project, file: str, code: str) -> None:
    """Add ``analysis/<file>`` to the project: the parameters cell, then ``code``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('edition = "england"\ndata_dir = ""\noutput_dir = "."\n'
                                       "seed = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, str(project / "analysis" / file))


def _second_notebook(project, value: str, name: str = "b") -> None:
    """Add ``analysis/b.ipynb``: one key figure, ``fixture.b``, in
    ``key_figures/<name>.json``."""
    _extra_notebook(project, "b.ipynb", "from inequalities.report import outputs\n"
                    f"outputs.save_key_figures(output_dir, {name!r}, {{'fixture.b': {value!r}}})")


def test_only_the_notebooks_whose_inputs_changed_run(project, tmp_path, capsys):
    """Each notebook is its own step: after one notebook changed, it alone runs and the
    other's files are restored, byte for byte; together they are the edition's results."""
    out = tmp_path / "site"
    _second_notebook(project, "one")
    assert _build(out, "--format", "html", editions="england") == 0
    first = (out / "england" / "data" / "fig-bars.csv").read_bytes()
    executed = (out / "england" / "notebooks" / "demo.ipynb").read_bytes()
    assert json.loads((out / "england" / "key_figures" / "b.json").read_text()) == {
        "fixture.b": "one"}
    capsys.readouterr()

    _second_notebook(project, "two")
    assert _build(out, "--format", "html", editions="england") == 0
    assert _rows(capsys.readouterr().out)["england"] == ("built",
                                                         "notebooks ran, render html ran")
    log = (out / "england" / "logs" / "build.log").read_text()
    assert "notebooks: 1 to run, 1 restored from cache" in log
    assert re.findall(r"notebook \d+/\d+: (\S+)", log) == ["b.ipynb"]
    assert json.loads((out / "england" / "key_figures" / "b.json").read_text()) == {
        "fixture.b": "two"}
    assert (out / "england" / "data" / "fig-bars.csv").read_bytes() == first
    assert (out / "england" / "notebooks" / "demo.ipynb").read_bytes() == executed
    assert (out / "england" / "data" / "statistics.csv").is_file()


def test_a_notebook_rewriting_anothers_file_fails_its_edition(project, tmp_path, capsys):
    """Steps kept apart need files kept apart: a notebook that rewrites a file another
    wrote fails the edition, naming both the notebook and the file."""
    out = tmp_path / "site"
    _second_notebook(project, "one", name="demo")  # demo.ipynb's key figures file
    assert _build(out, "--format", "html", editions="england") == 1
    message = capsys.readouterr()
    assert ("demo.ipynb rewrote or removed key_figures/demo.json, which b.ipynb wrote"
            in message.out + message.err)
    assert not (out / "england").exists()


def test_a_notebook_removing_anothers_file_fails_its_edition(project, tmp_path, capsys):
    _extra_notebook(project, "z.ipynb",  # runs after demo.ipynb
                    "import os\nos.remove(os.path.join(output_dir, 'data', 'fig-bars.csv'))")
    assert _build(tmp_path / "site", "--format", "html", editions="england") == 1
    message = capsys.readouterr()
    assert ("z.ipynb rewrote or removed data/fig-bars.csv, which demo.ipynb wrote"
            in message.out + message.err)
