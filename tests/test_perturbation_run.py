"""tools/perturbation_run.py: what it perturbs and reports (the run itself is make portable)."""

from __future__ import annotations

import sys

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO
from nbformat.v4 import new_code_cell, new_notebook, new_output

sys.path.insert(0, str(REPO / "tools"))
from nbval.plugin import get_sanitize_patterns
from perturbation_run import (
    ONEDNN_OFF,
    changed_cells,
    compared_count,
    perturbation_env,
    perturbed_copy,
)

PATTERNS = dict(get_sanitize_patterns((REPO / "tests" / "nbval_sanitize.cfg").read_text()))


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def test_each_perturbation_sets_what_it_names():
    assert perturbation_env("onednn", {"avx2"}, 2) == {}
    assert perturbation_env("none", {"avx2"}, 2) == {}
    assert perturbation_env("threads", set(), 2) == {"TF_NUM_INTRAOP_THREADS": "1",
                                                     "OMP_NUM_THREADS": "1"}
    assert perturbation_env("threads", set(), 1)["TF_NUM_INTRAOP_THREADS"] == "2"
    assert perturbation_env("isa", {"avx2", "avx512f"}, 2)["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    assert perturbation_env("isa", {"sse4_1", "avx2"}, 2) == {
        "ONEDNN_MAX_CPU_ISA": "AVX", "OPENBLAS_CORETYPE": "Sandybridge",
        "ATEN_CPU_CAPABILITY": "default"}


def test_unknown_perturbations_and_cpus_are_refused_with_the_way_out():
    with pytest.raises(ValueError, match=r"--perturb takes onednn, threads, isa or none; "
                                         r"got 'fast'"):
        perturbation_env("fast", set(), 2)
    with pytest.raises(ValueError, match=r"'isa' needs an x86 CPU .*\(--perturb onednn,threads\)"):
        perturbation_env("isa", {"neon"}, 2)


def test_the_onednn_copy_changes_only_the_setup_line():
    stored = nbformat.read(NOTEBOOKS[0], as_version=4)
    copy = perturbed_copy(stored, "onednn")
    changed = [(a.source, b.source) for a, b in zip(stored.cells, copy.cells, strict=True)
               if a.source != b.source]
    assert len(changed) == 1
    old, new = changed[0]
    assert new == old.replace(ONEDNN_OFF, 'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"')
    assert perturbed_copy(stored, "threads") == stored


def test_a_notebook_without_the_setup_line_is_refused():
    with pytest.raises(ValueError, match="the shared setup cell changed"):
        perturbed_copy(new_notebook(cells=[new_code_cell("import os")]), "onednn")


def cells_pair(*pairs):
    """Stored and executed notebooks from (source, tags, stored outputs, new outputs)."""
    stored, executed = new_notebook(), new_notebook()
    for source, tags, old, new in pairs:
        stored.cells.append(new_code_cell(source, metadata={"tags": tags}, outputs=old))
        executed.cells.append(new_code_cell(source, metadata={"tags": tags}, outputs=new))
    return stored, executed


def test_changed_cells_reports_what_nbval_would_fail_and_nothing_else():
    error = new_output("error", ename="AssertionError", evalue="", traceback=[
        "Traceback", "  assert acc < 0.65", "AssertionError"])
    stored, executed = cells_pair(
        ("print(acc)", [], [stdout("stateless 0.504\nshuffle 0.477\n")],
         [stdout("stateless 0.504\nshuffle 0.557\n")]),                   # changed: reported
        ("print(t)", ["nbval-ignore-output"], [stdout("0.2 s\n")], [stdout("0.3 s\n")]),
        ("fit()", [], [stdout("10/10 - 6ms/step\n")], [stdout("10/10 - 9ms/step\n")]),
        ("import tensorflow", [], [new_output("stream", name="stderr", text="I0000 a\n")],
         [new_output("stream", name="stderr", text="I0000 b\n")]),       # stderr: not compared
        ("assert acc < 0.65", [], [], [error]),                           # raised: reported
        ("x[3]", ["raises-exception"], [new_output("error", ename="IndexError", evalue="3",
                                                   traceback=[])],
         [new_output("error", ename="IndexError", evalue="3", traceback=["other"])]),
        ("plt.show()", [], [new_output("display_data", data={
            "image/png": "AAAA", "text/plain": "<Figure size 640x240 with 1 Axes>"})],
         [new_output("display_data", data={
             "image/png": "BBBB", "text/plain": "<Figure size 640x240 with 1 Axes>"})]),
    )
    executed.cells.insert(1, new_code_cell("plain tracebacks",
                                           metadata={"tags": ["perturbation-run"]}))
    found = changed_cells(stored, executed, PATTERNS)
    assert found == [(0, "print(acc)", ["- shuffle 0.477", "+ shuffle 0.557"]),
                     (4, "assert acc < 0.65", ["! raised AssertionError:   <- assert acc < 0.65"])]
    assert compared_count(stored) == 6     # all but the ignored cell


def test_changed_cells_refuses_copies_whose_cells_do_not_line_up():
    stored, executed = cells_pair(("1", [], [], []))
    executed.cells.append(new_code_cell("2"))
    with pytest.raises(ValueError, match="2 code cells, the stored notebook 1"):
        changed_cells(stored, executed, PATTERNS)
