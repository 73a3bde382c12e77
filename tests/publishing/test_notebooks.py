"""The warm kernel session: each notebook sees a fresh namespace in its own folder."""

import json

import nbformat
import pytest

from inequalities.publishing import notebooks

pytestmark = pytest.mark.render


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("edition = 'x'\noutput_dir = '.'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def session():
    item = notebooks.KernelSession()
    yield item
    item.close()


def test_namespace_cwd_and_counter_reset_between_editions(session, tmp_path):
    first = _notebook(tmp_path / "a.ipynb",
                      "leak = 42\nimport os, json\n"
                      "json.dump({'cwd': os.getcwd(), 'edition': edition}, open('out.json', 'w'))")
    second = _notebook(tmp_path / "b.ipynb", "'leak' in dir()")
    results = {}
    for slug in ("england", "london"):
        build = tmp_path / slug
        build.mkdir()
        runs = session.execute([first, second], parameters={"edition": slug},
                               build_dir=build, progress=lambda m: None)
        assert [r.executed for r in runs] == [build / "notebooks" / "a.ipynb",
                                              build / "notebooks" / "b.ipynb"]
        results[slug] = json.loads((build / "out.json").read_text())
        executed = nbformat.read(str(build / "notebooks" / "b.ipynb"), as_version=4)
        code = [c for c in executed.cells if c.cell_type == "code"]
        # parameters, injected parameters, then the check: a fresh kernel would count 1, 2, 3
        assert [c.execution_count for c in code] == [1, 2, 3]
        assert code[-1].outputs[0]["data"]["text/plain"] == "False"  # no leak from a.ipynb
        assert "timing" not in json.dumps(executed.cells[-1].metadata.get("execution", {}))
    assert results["england"] == {"cwd": str((tmp_path / "england").resolve()),
                                  "edition": "england"}
    assert results["london"]["cwd"] == str((tmp_path / "london").resolve())


def test_kernel_follows_the_callers_cache_settings(session, tmp_path, monkeypatch):
    """A kernel started earlier still reads the data cache the caller uses now."""
    probe = _notebook(tmp_path / "env.ipynb",
                      "import os, json\njson.dump({k: os.environ.get(k) for k in "
                      "('INEQUALITIES_CACHE', 'XDG_CACHE_HOME')}, open('env.json', 'w'))")
    seen = []
    for cache in (tmp_path / "first", None):
        if cache is None:
            monkeypatch.delenv("INEQUALITIES_CACHE", raising=False)
        else:
            monkeypatch.setenv("INEQUALITIES_CACHE", str(cache))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"xdg-{len(seen)}"))
        build = tmp_path / f"b{len(seen)}"
        build.mkdir()
        session.execute([probe], parameters={}, build_dir=build, progress=lambda m: None)
        seen.append(json.loads((build / "env.json").read_text()))
    assert seen == [{"INEQUALITIES_CACHE": str(tmp_path / "first"),
                     "XDG_CACHE_HOME": str(tmp_path / "xdg-0")},
                    {"INEQUALITIES_CACHE": None, "XDG_CACHE_HOME": str(tmp_path / "xdg-1")}]


def test_runs_from_inside_a_running_event_loop(session, tmp_path):
    """As when a build is started from a notebook, or under Playwright's sync API."""
    import asyncio

    probe = _notebook(tmp_path / "p.ipynb", "open('ran.txt', 'w').write(edition)")

    async def caller():
        session.execute([probe], parameters={"edition": "london"}, build_dir=tmp_path,
                        progress=lambda m: None)

    asyncio.run(caller())
    assert (tmp_path / "ran.txt").read_text() == "london"
    with pytest.raises(notebooks.NotebookError, match="ZeroDivisionError"):
        bad = _notebook(tmp_path / "bad.ipynb", "1 / 0")
        asyncio.run(_call(session.execute, [bad], parameters={}, build_dir=tmp_path,
                          progress=lambda m: None))


async def _call(function, *args, **kwargs):
    return function(*args, **kwargs)


def test_a_dead_kernel_fails_its_notebook_and_the_next_gets_a_new_one(session, tmp_path):
    fatal = _notebook(tmp_path / "fatal.ipynb", "import os\nos._exit(3)")
    with pytest.raises(notebooks.NotebookError, match="fatal.ipynb"):
        session.execute([fatal], parameters={}, build_dir=tmp_path, progress=lambda m: None)
    after = _notebook(tmp_path / "after.ipynb",
                      "import os\nopen('pid', 'w').write(str(os.getpid()))")
    for _ in range(2):  # and the new kernel's client serves notebook after notebook
        session.execute([after], parameters={}, build_dir=tmp_path, progress=lambda m: None)
    assert (tmp_path / "pid").read_text().isdigit()


def test_failure_names_notebook_and_cell_and_keeps_the_copy(session, tmp_path):
    bad = _notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('no data for ' + edition)")
    with pytest.raises(notebooks.NotebookError,
                       match=r"bad.ipynb failed in cell 4: ValueError: no data for london"):
        session.execute([bad], parameters={"edition": "london"}, build_dir=tmp_path,
                        progress=lambda m: None)
    kept = nbformat.read(str(tmp_path / "notebooks" / "bad.ipynb"), as_version=4)
    assert kept.cells[3].outputs[0]["ename"] == "ValueError"
    # The session recovers for the next edition.
    good = _notebook(tmp_path / "good.ipynb", "y = 2")
    session.execute([good], parameters={}, build_dir=tmp_path, progress=lambda m: None)


def test_the_log_says_how_long_each_notebook_took(session, tmp_path):
    """Per-notebook times in the build log show where an edition's time goes."""
    import re

    quick = _notebook(tmp_path / "quick.ipynb", "1 + 1")
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(0.6)")
    messages = []
    session.execute([quick, slow], parameters={}, build_dir=tmp_path, progress=messages.append)
    assert messages[0] == "notebook 1/2: quick.ipynb" and messages[2] == "notebook 2/2: slow.ipynb"
    took = [float(re.fullmatch(r"notebook (\d)/2 done in ([0-9.]+) s", m)[2])
            for m in (messages[1], messages[3])]
    assert took[0] >= 0 and took[1] >= 0.6  # the second slept 0.6 s


def test_the_reset_clears_the_namespace_without_forcing_full_collections():
    import gc

    class Shell:  # IPython's %reset -f, as far as collections go: two gc.collect() calls
        user_ns = {"left_over": object()}

        def run_line_magic(self, name, line):
            assert (name, line) == ("reset", "-f")
            gc.collect()
            self.user_ns.clear()
            gc.collect()

    shell = Shell()
    collect, forced = gc.collect, []
    gc.collect = lambda generation=2: forced.append(generation) or 0
    try:
        notebooks.reset_namespace(shell)
        assert forced == []
        assert gc.collect is not collect  # the caller's function is put back, not ours
    finally:
        gc.collect = collect
    assert shell.user_ns == {}
