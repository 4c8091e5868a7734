"""What pyproject.toml promises: every import of helpers/ is declared, installing the
package never asks pip to replace an existing TensorFlow (Colab's), and the wheel a
non-editable install builds (Colab's) holds every subpackage and runs the command.

Imports are read from the source (AST), subpackages included, so a new helper that imports
an undeclared library fails here, not on a learner's machine; the same reading checks that
the helpers import each other without a cycle, and that no lesson module imports the
command (helpers.charlm).
"""

from __future__ import annotations

import ast
import shutil
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
HELPERS = sorted((REPO / "helpers").rglob("*.py"))


def module_name(path: Path) -> str:
    """``helpers/charlm/cli.py`` -> ``helpers.charlm.cli``; a package's ``__init__.py`` is
    the package."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in HELPERS}


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
                yield (str(path.relative_to(REPO / "helpers")), node.lineno, top,
                       parents.get(node) is tree, _guarded(node, parents))


def helpers_imports() -> dict[str, set[str]]:
    """Each helpers module -> the helpers modules it imports, at module level or inside a
    function (both are cycles waiting to happen). ``from helpers import checks`` imports
    ``helpers.checks``; ``from helpers.charlm.config import X`` ``helpers.charlm.config``."""
    graph = {}
    for name, path in MODULES.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}"
                         in MODULES else node.module for alias in node.names]
            else:
                continue
            targets |= {t for t in found if t in MODULES and t != name}
        graph[name] = targets
    return graph


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


def test_the_helpers_import_each_other_without_a_cycle():
    """helpers.progress once imported SCHEDULES from helpers.charlm, which imported
    TrainingClock back: an import order away from a crash."""
    graph, cycles = helpers_imports(), []
    state = {}                            # module -> "open" while on the path, then "done"

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert "helpers.charlm.cli" in graph["helpers.charlm"]     # the graph reads the package
    assert not cycles, cycles


def test_no_lesson_module_imports_the_command():
    """The notebooks' modules may be used without the command; what both need lives in a
    lesson-level module (helpers.language_model)."""
    offenders = {name: sorted(t for t in targets if t.startswith("helpers.charlm"))
                 for name, targets in helpers_imports().items()
                 if not name.startswith("helpers.charlm")}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_wheel_holds_every_subpackage_and_runs_the_command_outside_the_repository(
        tmp_path):
    """Build the wheel as pip does for ``pip install git+...`` (Colab's install, not the
    editable one of CI), install it into a scratch folder first on the path, and run the
    command from outside the repository."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source)
    shutil.copytree(REPO / "helpers", source / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist",
                    source], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", site, wheel], check=True,
                   capture_output=True)
    installed = {module_name(REPO / p.relative_to(site)) for p in site.rglob("*.py")
                 if p.relative_to(site).parts[0] == "helpers"}
    assert installed == set(MODULES)
    assert sorted(p.name for p in (site / "helpers" / "models").iterdir()) == \
        sorted(p.name for p in (REPO / "helpers" / "models").glob("*.npz"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "helpers.charlm", "--help"], cwd=elsewhere,
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0 and "{train,sample}" in run.stdout, run.stderr
    where = subprocess.run(
        [sys.executable, "-c", "import sys, helpers.charlm.cli as m; print(m.__file__); "
         "print(sorted({'keras', 'tensorflow'} & set(sys.modules)))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    assert Path(where[0]).is_relative_to(site), where     # the wheel's copy, not the repo's
    assert where[1] == "[]"                               # checks come before Keras starts
