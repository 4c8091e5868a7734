"""Checks on the stored notebooks and the README that nbval itself does not make.

* every code cell was executed, top to bottom in one fresh kernel (counts 1..n);
* no output shows a machine-specific path (home folders, temp dirs, site-packages);
* every notebook opens with a title, a Colab badge, and the shared setup cell;
* expected errors are marked for nbval and tagged for Jupyter, with the error stored;
* the Colab badges, the install line and pyproject's repository URL agree;
* the README's table lists every notebook.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import NOTEBOOKS, REPO

MACHINE_PATH = re.compile(r"(/work/|/root/|/tmp/|/home/[a-z]|/Users/|/farm/|site-packages|"
                          r"[A-Z]:\\\\)")
REPO_URL = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
GITHUB_PATH = REPO_URL.removeprefix("https://github.com/")
MAX_BYTES = 3_000_000


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_name.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_in_a_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert None not in counts, f"{path.name}: unexecuted code cells (run `make notebooks`)"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(counts)}: "
        "re-run it top to bottom in a fresh kernel (`make notebooks`)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_machine_specific_paths_in_outputs(path):
    for i, cell in enumerate(code_cells(load(path)), start=1):
        hit = MACHINE_PATH.search(json.dumps(cell.get("outputs", [])))
        assert hit is None, f"{path.name}, code cell {i}: output shows {hit.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_small(path):
    assert path.stat().st_size < MAX_BYTES, f"{path.name}: use fewer or smaller figures"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_title_badge_and_the_shared_setup_cell(path):
    nb = load(path)
    number = path.name[:2]
    title, intro = (source(c) for c in nb["cells"][:2])
    assert title.startswith(f"# {number} · "), f"{path.name}: first cell must be '# {number} · ...'"
    badge = (f"https://colab.research.google.com/github/{GITHUB_PATH}/blob/main/notebooks/"
             f"{path.name}")
    assert badge in intro, f"{path.name}: the second cell needs the Colab badge {badge}"
    assert "Questions this notebook answers" in intro

    setup_cell = source(code_cells(nb)[0])
    reference = source(code_cells(load(NOTEBOOKS[0]))[0])
    expected = reference.replace(f'notebook="{NOTEBOOKS[0].name[:2]}"', f'notebook="{number}"')
    assert setup_cell == expected, f"{path.name}: the setup cell differs from notebook 01's"
    assert f'git+{REPO_URL}"' in setup_cell, "the Colab install line must use pyproject's URL"
    # Environment variables only work if set before TensorFlow is first imported.
    first_tf_import = re.search(r"^import (keras|tensorflow)", setup_cell, re.M).start()
    for var in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND"):
        assert setup_cell.index(var) < first_tf_import, f"{var} must be set before the import"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_expected_errors_are_marked_tagged_and_stored(path):
    for i, cell in enumerate(code_cells(load(path)), start=1):
        text = source(cell)
        lines = [line.strip() for line in text.splitlines()]
        for marker in ("NBVAL_IGNORE_OUTPUT", "NBVAL_RAISES_EXCEPTION", "NBVAL_SKIP"):
            if marker in text:  # nbval ignores a marker with anything else on its line
                assert f"# {marker}" in lines, f"{path.name}, cell {i}: '# {marker}' alone"
        raises = "# NBVAL_RAISES_EXCEPTION" in lines
        has_error = any(o["output_type"] == "error" for o in cell["outputs"])
        assert raises == has_error, (
            f"{path.name}, cell {i}: an error output needs '# NBVAL_RAISES_EXCEPTION', and a "
            "marked cell needs its stored error")
        if raises:
            assert "raises-exception" in cell["metadata"].get("tags", []), (
                f"{path.name}, cell {i}: tag it 'raises-exception' so Run All carries on")


def test_readme_lists_every_notebook_with_its_badge():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        badge = (f"https://colab.research.google.com/github/{GITHUB_PATH}/blob/main/notebooks/"
                 f"{path.name}")
        assert f"notebooks/{path.name}" in readme and badge in readme, path.name
    assert "make test" in readme and "make lab" in readme


def test_no_data_files_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    assert not [p for p in tracked if "shakespeare" in p.lower() and p.endswith(".txt")]
    assert not [p for p in tracked if (REPO / p).is_file()
                and (REPO / p).stat().st_size > 5_000_000]
