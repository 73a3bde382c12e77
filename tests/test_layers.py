"""The package's folders are its layers: imports follow the flow, and nothing imports its importer.

Layers, lowest first (a module may import its own layer and the layers below it):

    data  <  methods  <  models  <  report  <  topics  <  publishing  <  cli

``report`` (wording, tables, charts) knows no chapter, so it sits below the topics that
use it; it does not use the models either, which the order allows but nothing needs.
"""

import ast
from pathlib import Path

import pytest

import inequalities

pytestmark = pytest.mark.unit

PACKAGE = Path(inequalities.__file__).resolve().parent
LAYERS = ["data", "methods", "models", "report", "topics", "publishing", "cli"]
#: Modules at the package root, and the layer each belongs to (anything else is a finding).
ROOT_MODULES = {"__init__": None, "cli": "cli"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["inequalities", *parts])


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else ROOT_MODULES.get(parts[1], parts[1])


def _project_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's own modules that ``path`` imports (``from a import b`` counts b if a module)."""
    found = set()
    for name in _imported_modules(path):
        if not name.startswith("inequalities."):
            continue
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != "inequalities":
            found.add(name)
    return found


def test_every_module_is_in_a_layer():
    modules = _modules()
    assert len(modules) > 60  # the scan found the package
    loose = sorted(m for m in modules if _layer(m) not in LAYERS and m != "inequalities")
    assert loose == [], "modules outside the layer folders: move them into one"


def test_imports_never_go_against_the_flow():
    modules = _modules()
    offenders = {}
    for module, path in modules.items():
        own = _layer(module)
        if own is None:
            continue
        bad = sorted(imported for imported in _project_imports(path, modules)
                     if _layer(imported) in LAYERS
                     and LAYERS.index(_layer(imported)) > LAYERS.index(own))
        if bad:
            offenders[module] = bad
    assert offenders == {}


def test_no_module_imports_its_importer():
    """No import cycle of any length among the package's modules (package __init__ aside)."""
    modules = _modules()
    graph = {m: {i for i in _project_imports(p, modules) if i != m and i in modules}
             for m, p in modules.items()}
    # A package's __init__ importing its own submodules is how packages export names.
    for module in graph:
        if modules[module].name == "__init__.py":
            graph[module] = {i for i in graph[module] if not i.startswith(module + ".")}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_the_scan_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from inequalities.publishing.keys import library_digest\n")
    assert "inequalities.publishing.keys" in _imported_modules(sample)


def test_the_checks_can_fail(tmp_path, monkeypatch):
    """A topic importing publishing, and two modules importing each other, are caught."""
    modules = {"inequalities.topics.a": tmp_path / "a.py",
               "inequalities.topics.b": tmp_path / "b.py",
               "inequalities.publishing.keys": tmp_path / "keys.py"}
    modules["inequalities.topics.a"].write_text(
        "from inequalities.publishing import keys\nfrom inequalities.topics import b\n")
    modules["inequalities.topics.b"].write_text("from inequalities.topics import a\n")
    modules["inequalities.publishing.keys"].write_text("")
    imports = _project_imports(modules["inequalities.topics.a"], modules)
    assert imports == {"inequalities.publishing.keys", "inequalities.topics.b"}
    assert LAYERS.index(_layer("inequalities.publishing.keys")) > LAYERS.index("topics")
    assert "inequalities.topics.a" in _project_imports(modules["inequalities.topics.b"], modules)
