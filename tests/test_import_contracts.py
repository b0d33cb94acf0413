"""The host package's rooms and the one way its imports run (docs/index.md,
"Repository layout"): import-linter's contracts in pyproject.toml, no import
circle between modules, and no import hidden inside a function to dodge one."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[1] / "cli" / "pynq_remote"
GENERATED = ("v1", "compat")
# Imports inside functions that are there for a reason other than a circle.
LAZY_IMPORTS = {
    # PYNQ's proto packages are registered only by a process that meets such a server.
    ("legacy.py", ".compat"),
}


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=PACKAGE.parents[1],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_through_a_circle():
    graph = grimp.build_graph("pynq_remote")
    circles = []
    for module in sorted(graph.modules):
        if module.split(".")[1:2] and module.split(".")[1] in GENERATED:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported, module):
                circles.append(f"{module} -> {imported} -> ... -> {module}")
    assert circles == []


def _function_imports(path):
    tree = ast.parse(path.read_text())
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.level or (
                        node.module or "").startswith("pynq_remote")):
                    yield "." * node.level + (node.module or "")


def test_no_package_import_inside_a_function():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in GENERATED:
            continue
        for module in _function_imports(path):
            if (relative.as_posix(), module) not in LAZY_IMPORTS:
                found.append(f"{relative}: {module}")
    assert found == []


def test_the_top_of_the_package_holds_at_most_a_dozen_modules():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 12, modules
