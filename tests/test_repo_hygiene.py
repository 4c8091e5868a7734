"""Checks on the stored notebooks and the README that nbval itself does not make.

* every code cell was executed, top to bottom in one fresh kernel (counts 1..n);
* no output shows a machine-specific path (home folders, temp dirs, site-packages);
* every notebook opens with a title, a Colab badge, and the shared setup cell;
* no code cell after the setup cell writes a literal seed, or calls a helper that takes ``seed``
  without one: every draw derives from ``env.seed``, so a sweep over ``LSTM_SEED``
  (tools/seed_sweep.py) re-draws everything;
* no placeholder (TODO, FIXME, TBD, XXX) stands in a notebook's text;
* names follow CONTRIBUTING.md's table (no single-letter globals but x, y, X, h, c; no `SEQ`,
  `BATCH` or `_TASK` names), and no code cell defines more than three functions or classes;
* nbval's instructions are cell tags, not comment lines in the code learners read; expected
  errors carry the `raises-exception` tag (read by nbval, nbclient and JupyterLab's Run All),
  with the error stored;
* the Colab badges, the install line and pyproject's repository URL agree;
* the README's table lists every notebook.

The checks live in :func:`notebook_problems`, which is also run on deliberately broken
notebooks below, so that each check is shown to fail when it should.
"""

from __future__ import annotations

import ast
import copy
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
# nbval's comment markers and the cell tags that say the same (nbval 0.11 reads both; a comment
# would win over a tag, and it sits in the code a learner reads).
MARKER_TAGS = {"NBVAL_IGNORE_OUTPUT": "nbval-ignore-output",
               "NBVAL_CHECK_OUTPUT": "nbval-check-output",
               "NBVAL_RAISES_EXCEPTION": "raises-exception", "NBVAL_SKIP": "nbval-skip"}
LITERAL_SEED = re.compile(r"(default_rng|set_random_seed|RandomState|\bseed\s*=)\s*\(?\s*\d")


# Stub text left in a notebook's prose (notebooks 03 and 05 once stored "FULL-NOTE-TODO-03").
PLACEHOLDER = re.compile(r"\b(TODO|FIXME|TBD|XXX)\b")


def seeded_helpers() -> set[str]:
    """Names of the functions in helpers/ that take a ``seed`` argument (read, not imported)."""
    names = set()
    for path in (REPO / "helpers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    a.arg == "seed" for a in node.args.args + node.args.kwonlyargs):
                names.add(node.name)
    return names - {"setup"}  # the setup cell's seed=0 is the one seed LSTM_SEED overrides


SEEDED_HELPERS = seeded_helpers()


def unseeded_calls(text: str) -> list[str]:
    """Calls of a seeded helper that leave ``seed`` at its default, which ``LSTM_SEED`` then
    cannot re-draw (``shuffle=False`` draws nothing, so it needs no seed)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:  # IPython magics: nothing to check
        return []
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        keywords = {k.arg: k.value for k in node.keywords}
        shuffle = keywords.get("shuffle")
        no_draw = isinstance(shuffle, ast.Constant) and shuffle.value is False
        if name in SEEDED_HELPERS and "seed" not in keywords and not no_draw:
            found.append(name)
    return found


SHORT_NAMES = {"x", "y", "X", "h", "c", "_"}       # inputs, targets, hidden and cell state
RENAMED = {"SEQ": "TIMESTEPS", "SEQ_LEN": "TIMESTEPS", "seq_len": "timesteps",
           "BATCH": "BATCH_SIZE"}
MAX_DEFINITIONS = 3


def naming_problems(text: str) -> list[str]:
    """Top-level names against CONTRIBUTING.md's table, and cells that hold a module."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
        names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    found = []
    for name in dict.fromkeys(names):
        if len(name) == 1 and name not in SHORT_NAMES:
            found.append(f"a single-letter global {name!r}: spell it out (vocab_size, "
                         "TIMESTEPS, embedding_matrix; see CONTRIBUTING.md, Names)")
        elif name.endswith("_TASK"):
            found.append(f"{name!r}: no _TASK suffix; put what the sizes are for first "
                         "(e.g. MARKER_UNITS)")
        elif name in RENAMED:
            found.append(f"{name!r}: call it {RENAMED[name]} (CONTRIBUTING.md, Names)")
    definitions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    if len(definitions) > MAX_DEFINITIONS:
        found.append(f"defines {len(definitions)} functions or classes ({', '.join(definitions)})"
                     f"; at most {MAX_DEFINITIONS} per cell: move them to helpers/ with tests")
    return found


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def colab_badge(name: str) -> str:
    return f"https://colab.research.google.com/github/{GITHUB_PATH}/blob/main/notebooks/{name}"


def notebook_problems(nb: dict, name: str, reference_setup: str) -> list[str]:
    """Everything wrong with notebook ``nb`` (file ``name``); empty when it is fine.

    ``reference_setup`` is notebook 01's setup cell with its number replaced by ``NN``.
    """
    problems = []
    cells = code_cells(nb)
    counts = [c.get("execution_count") for c in cells]
    if None in counts:
        problems.append("unexecuted code cells (run `make notebooks`)")
    elif counts != list(range(1, len(counts) + 1)):
        problems.append(f"execution counts {counts} are not 1..{len(counts)}: re-run it top "
                        "to bottom in a fresh kernel (`make notebooks`)")

    for i, cell in enumerate(cells, start=1):
        hit = MACHINE_PATH.search(json.dumps(cell.get("outputs", [])))
        if hit:
            problems.append(f"code cell {i}: an output shows a machine path {hit.group(0)!r}")
        text = source(cell)
        tags = cell["metadata"].get("tags", [])
        for marker, tag in MARKER_TAGS.items():
            if marker in text:
                problems.append(f"code cell {i}: '# {marker}' puts nbval's instruction in the "
                                f"code learners read: remove the line and tag the cell '{tag}'")
        raises = "raises-exception" in tags
        has_error = any(o["output_type"] == "error" for o in cell.get("outputs", []))
        if raises != has_error:
            problems.append(f"code cell {i}: an error output needs the 'raises-exception' tag, "
                            "and a tagged cell needs its stored error")
        seed = LITERAL_SEED.search(text)
        if i > 1 and seed:
            problems.append(f"code cell {i}: a literal seed ({seed.group(0)!r}); derive it from "
                            "env.seed (e.g. default_rng(env.seed + 1)) so LSTM_SEED re-draws it")
        problems += [f"code cell {i}: {p}" for p in naming_problems(text)]
        for helper in unseeded_calls(text) if i > 1 else []:
            problems.append(f"code cell {i}: {helper}() without seed=: pass one derived from "
                            "env.seed (e.g. seed=env.seed + 1) so LSTM_SEED re-draws it")

    for i, cell in enumerate(nb["cells"]):
        hit = PLACEHOLDER.search(source(cell)) if cell["cell_type"] == "markdown" else None
        if hit:
            problems.append(f"cell {i}: a placeholder ({hit.group(0)!r}) in the text: write "
                            "what the cell or the measurement shows, or remove it")

    number = name[:2]
    texts = [source(c) for c in nb["cells"][:2]]
    if len(texts) < 2 or not texts[0].startswith(f"# {number} · "):
        problems.append(f"the first cell must be the title '# {number} · ...'")
    elif colab_badge(name) not in texts[1] or "Questions this notebook answers" not in texts[1]:
        problems.append("the second cell needs the Colab badge and the list of questions")

    setup_cell = source(cells[0]) if cells else ""
    if setup_cell != reference_setup.replace('notebook="NN"', f'notebook="{number}"'):
        problems.append("the first code cell differs from the shared setup cell of notebook 01")
    return problems


def reference_setup() -> str:
    first = NOTEBOOKS[0]
    return source(code_cells(load(first))[0]).replace(f'notebook="{first.name[:2]}"',
                                                      'notebook="NN"')


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_name.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_clean_and_follows_the_template(path):
    assert notebook_problems(load(path), path.name, reference_setup()) == []
    assert path.stat().st_size < 3_000_000, f"{path.name}: use fewer or smaller figures"


def test_shared_setup_cell_sets_the_environment_before_tensorflow_and_uses_the_repo_url():
    setup_cell = reference_setup()
    first_import = re.search(r"^import (keras|tensorflow)", setup_cell, re.M).start()
    for var in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND"):
        assert setup_cell.index(var) < first_import, f"{var} must be set before the import"
    assert f'git+{REPO_URL}"' in setup_cell, "the Colab install line must use pyproject's URL"
    assert "setup(notebook=" in setup_cell


@pytest.mark.parametrize("breakage, expected", [
    (lambda nb, cell: cell.update(execution_count=None), "unexecuted"),
    (lambda nb, cell: cell.update(execution_count=7), "are not 1.."),
    (lambda nb, cell: cell["outputs"].append(
        {"output_type": "stream", "name": "stdout", "text": "/home/ana/.venv/x.py\n"}),
     "machine path"),
    (lambda nb, cell: cell.update(source="# NBVAL_IGNORE_OUTPUT\nx = 1"),
     "tag the cell 'nbval-ignore-output'"),
    (lambda nb, cell: cell.update(source="# NBVAL_RAISES_EXCEPTION\n1 / 0"),
     "tag the cell 'raises-exception'"),
    (lambda nb, cell: cell["outputs"].append(
        {"output_type": "error", "ename": "ValueError", "evalue": "", "traceback": []}),
     "needs the 'raises-exception' tag"),
    (lambda nb, cell: cell.update(metadata={"tags": ["raises-exception"]}, outputs=[]),
     "needs its stored error"),
    (lambda nb, cell: cell.update(source="rng = np.random.default_rng(3)"), "a literal seed"),
    (lambda nb, cell: cell.update(source="ds = windows_dataset(ids, 8, 4, seed=0)"),
     "a literal seed"),
    (lambda nb, cell: nb["cells"][-1].update(source="Full sizes: TODO after a GPU run"),
     "a placeholder"),
    (lambda nb, cell: cell.update(source="text = sample(model, vocab, length=9)"),
     "sample() without seed="),
    (lambda nb, cell: cell.update(source="ds = windows_dataset(ids, 8, 4, shuffle=True)"),
     "windows_dataset() without seed="),
    (lambda nb, cell: cell.update(source="V = len(vocab)"), "a single-letter global 'V'"),
    (lambda nb, cell: cell.update(source="EPOCHS_TASK = 4"), "no _TASK suffix"),
    (lambda nb, cell: cell.update(source="SEQ, BATCH = 16, 64"), "'SEQ': call it TIMESTEPS"),
    (lambda nb, cell: cell.update(source="".join(f"def f{k}():\n    pass\n" for k in range(4))),
     "at most 3 per cell"),
    (lambda nb, cell: nb["cells"][0].update(source="# Input shapes"), "title"),
    (lambda nb, cell: code_cells(nb)[0].update(source="import keras"), "shared setup cell"),
])
def test_hygiene_checks_catch_broken_notebooks(breakage, expected):
    nb = copy.deepcopy(load(NOTEBOOKS[0]))
    assert notebook_problems(nb, NOTEBOOKS[0].name, reference_setup()) == []
    breakage(nb, code_cells(nb)[1])  # the first code cell after the setup cell
    problems = notebook_problems(nb, NOTEBOOKS[0].name, reference_setup())
    assert any(expected in p for p in problems), problems


def test_readme_lists_every_notebook_with_its_badge():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme and colab_badge(path.name) in readme, path.name
    assert "make test" in readme and "make lab" in readme


def test_no_data_files_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    assert not [p for p in tracked if "shakespeare" in p.lower() and p.endswith(".txt")]
    assert not [p for p in tracked if (REPO / p).is_file()
                and (REPO / p).stat().st_size > 5_000_000]
