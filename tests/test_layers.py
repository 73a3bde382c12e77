"""The analysis library does not depend on the build system (only the CLI joins them)."""

import ast
from pathlib import Path

import pytest

import inequalities

pytestmark = pytest.mark.unit

PACKAGE = Path(inequalities.__file__).resolve().parent


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


def test_library_modules_never_import_the_build_system():
    library = [p for p in PACKAGE.rglob("*.py")
               if "build" not in p.relative_to(PACKAGE).parts and p.name != "cli.py"]
    assert len(library) > 20  # the scan found the package
    offenders = {p.relative_to(PACKAGE).as_posix(): sorted(
                     m for m in _imported_modules(p) if m.startswith("inequalities.build"))
                 for p in library}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_the_scan_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from inequalities.build.keys import library_digest\n")
    assert "inequalities.build.keys" in _imported_modules(sample)
