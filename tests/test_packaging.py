"""What pyproject.toml promises: every import of helpers/ is declared, and installing the
package never asks pip to replace an existing TensorFlow (Colab's).

Imports are read from the source (AST), so a new helper that imports an undeclared library
fails here, not on a learner's machine.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
REQUIRED = {Requirement(r).name.lower() for r in PROJECT["dependencies"]}
EXTRAS = {Requirement(r).name.lower(): extra
          for extra, reqs in PROJECT.get("optional-dependencies", {}).items() for r in reqs}
HELPERS = sorted((REPO / "helpers").glob("*.py"))


def _guarded(node: ast.AST, parents: dict) -> bool:
    """Is ``node`` inside ``try: ... except ImportError`` (an optional import)?"""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError",
                                                               "ModuleNotFoundError")
                for h in node.handlers):
            return True
    return False


def third_party_imports():
    """(file, line, top-level module, at module level?, guarded?) for each import."""
    stdlib = sys.stdlib_module_names
    for path in HELPERS:
        tree = ast.parse(path.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in stdlib or top in ("helpers", "__future__"):
                    continue
                yield (path.name, node.lineno, top, parents.get(node) is tree,
                       _guarded(node, parents))


def test_every_import_of_the_helpers_is_declared_or_an_optional_guarded_one():
    dists = packages_distributions()
    undeclared = []
    for file, line, module, _, guarded in third_party_imports():
        names = {d.lower() for d in dists.get(module, [module])}
        if not names & (REQUIRED | set(EXTRAS)) and not guarded:
            undeclared.append(f"{file}:{line} imports {module} ({', '.join(sorted(names))})")
    assert not undeclared, ("declare these in pyproject.toml's dependencies (or an extra):\n"
                            + "\n".join(undeclared))


def test_tensorflow_is_an_extra_and_not_a_dependency():
    assert "tensorflow" not in REQUIRED, "installing on Colab must not touch its TensorFlow"
    assert EXTRAS.get("tensorflow") == "tensorflow"


def test_extras_other_than_tensorflow_are_imported_inside_functions():
    """A heavy library one lesson needs (torch, later) must not load with its module."""
    dists = packages_distributions()
    eager = [f"{file}:{line} imports {module} at module level"
             for file, line, module, top_level, _ in third_party_imports()
             if top_level and {d.lower() for d in dists.get(module, [module])}
             & (set(EXTRAS) - {"tensorflow"})]
    assert not eager, eager


def test_importing_the_package_imports_neither_tensorflow_nor_keras():
    code = "import sys, helpers; print(sorted({'tensorflow', 'keras'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
