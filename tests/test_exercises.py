"""helpers.exercises: each check says right for the solution, "not attempted" for the
placeholder, and names the likely mistake for the wrong answers its hints are written for;
and the notebooks' exercise cells are tagged, followed by a hidden, checked solution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises

REPO = Path(__file__).resolve().parents[1]
SHAPES = ((32, 16), (32, 20, 16))           # LSTM(16) on (32, 20, 6)
WINDOWS = ((82, 6), (526, 36, 6))           # 526 steps, timesteps 36, stride 6


def said(capsys) -> str:
    return capsys.readouterr().out.strip()


def placeholder(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer, hint", [
    (((32, 20, 16), (32, 16)), "the two are swapped"),
    (((16,), (20, 16)), "the batch axis stays first"),
    (((32, 6), (32, 20, 6)), "the last axis of an LSTM's output is its units (16)"),
    ((32, 16), "give two shapes as tuples of integers"),
    (((32, 16),), "give two shapes, without and with return_sequences=True; got 1"),
    (((32, 8), (32, 20, 8)), "the last axis of an LSTM's output is its units (16)"),
    (((20, 16), (32, 20, 16)), "is not it"),
])
def test_lstm_output_shapes_hints(capsys, answer, hint):
    assert not exercises.check_lstm_output_shapes(answer, SHAPES)
    out = said(capsys)
    assert out.startswith("✗ 1.1 not yet: ") and hint in out


@pytest.mark.parametrize("fn, hint", [
    (lambda ids, v: np.eye(v, dtype="float32")[ids.reshape(-1)], "merges batch and timesteps"),
    (lambda ids, v: np.moveaxis(np.eye(v, dtype="float32")[ids], -1, 1),
     "the one-hot axis goes last"),
    (lambda ids, v: np.eye(v - 1, dtype="float32")[np.minimum(ids, v - 2)],
     "vocab_size columns, not the largest id"),
    (lambda ids, v: np.eye(v, dtype="int64")[ids], "the dtype is int64"),
    (lambda ids, v: 1 / 0, "it raised ZeroDivisionError"),
])
def test_one_hot_batch_hints(capsys, fn, hint):
    assert not exercises.check_one_hot_batch(fn)
    out = said(capsys)
    assert out.startswith("✗ 1.2 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ((490, 6), "the count with stride 1"),
    ((14, 6), "windows overlap"),
    ((81, 6), "one short"),
    ((82, 1), "window k starts at k * stride: window 1 at 6"),
    ((83, 6), "is not it"),
    ("82", "give two integers"),
])
def test_window_count_hints(capsys, answer, hint):
    assert not exercises.check_window_count(answer, WINDOWS)
    out = said(capsys)
    assert out.startswith("✗ 1.3 not yet: ") and hint in out


@pytest.mark.parametrize("fn, hint", [
    (lambda x: x.reshape(x.shape[1], x.shape[0], x.shape[2]), "reshape gives the right shape"),
    (lambda x: x.T, ".T reverses all three axes"),
    (lambda x: x, "came back unchanged"),
    (lambda x: x[:1], "expected shape (2, 3, 4)"),
])
def test_batch_first_hints(capsys, fn, hint):
    assert not exercises.check_batch_first(fn)
    out = said(capsys)
    assert out.startswith("✗ 1.4 not yet: ") and hint in out


def test_the_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_lstm_output_shapes(SHAPES, SHAPES),
             exercises.check_one_hot_batch(lambda ids, v: np.eye(v, dtype="float32")[ids]),
             exercises.check_window_count((82, 6), WINDOWS),
             exercises.check_batch_first(lambda x: np.swapaxes(x, 0, 1))]
    assert [bool(v) for v in right] == [True] * 4
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 1.{k} right" for k in
                                                                range(1, 5)]
    placeholders = [exercises.check_lstm_output_shapes(None, SHAPES),
                    exercises.check_one_hot_batch(placeholder),
                    exercises.check_window_count(None, WINDOWS),
                    exercises.check_batch_first(placeholder)]
    assert [bool(v) for v in placeholders] == [False] * 4
    assert all(line.startswith(f"· 1.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebooks
#: Notebooks that follow the exercise pattern (CONTRIBUTING, "Exercises"), and how many each
#: has at least.
WITH_EXERCISES = {"01_input_shapes.ipynb": 4}


def cells(name: str) -> list[dict]:
    return json.loads((REPO / "notebooks" / name).read_text())["cells"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("name", sorted(WITH_EXERCISES))
def test_each_exercise_is_followed_by_a_hidden_solution_that_asserts_the_same_check(name):
    notebook = cells(name)
    exercise_code = [k for k, c in enumerate(notebook)       # the cells that check an answer
                     if "exercise" in tags(c) and c["cell_type"] == "code"
                     and "check_" in "".join(c["source"])]
    assert len(exercise_code) >= WITH_EXERCISES[name]
    for k in exercise_code:
        source = "".join(notebook[k]["source"])
        check = re.findall(r"\b(check_\w+)\(", source)[-1]
        solution = notebook[k + 1]
        assert "solution" in tags(solution) and solution["cell_type"] == "code", k
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True   # Jupyter
        assert solution["metadata"].get("cellView") == "form"                         # Colab
        body = "".join(solution["source"])
        assert body.startswith("#@title Solution") and f"assert {check}(" in body, k
        outputs = "".join("".join(o.get("text", "")) for o in solution["outputs"])
        assert outputs.startswith(f"✓ {int(name[:2])}."), outputs    # CI ran it: right
        stored = "".join("".join(o.get("text", "")) for o in notebook[k]["outputs"])
        assert "not attempted yet" in stored, k         # the notebook ships unanswered


def test_keep_random_state_leaves_later_draws_as_they_were():
    """The legacy global NumPy generator is the one keras.utils.set_random_seed seeds."""
    import random

    def draws():
        return random.random(), np.random.random()  # noqa: NPY002

    random.seed(1)
    np.random.seed(1)  # noqa: NPY002
    expected = draws()
    random.seed(1)
    np.random.seed(1)  # noqa: NPY002
    with exercises.keep_random_state():
        draws()
    assert draws() == expected
