"""Shared test configuration.

nbval compares every stored cell output in strict mode, but not stderr: TensorFlow writes
its C++ log lines there, and they are captured in Jupyter yet not under pytest (see
../shared/CONVENTIONS.md). We drop stderr stream outputs from both sides of nbval's
comparison; everything else (stdout, results, displayed text, errors) is still compared.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))

_nbval_compare = IPyNbCell.compare_outputs


def _without_stderr(outputs):
    return [o for o in outputs if not (o.get("output_type") == "stream"
                                       and o.get("name") == "stderr")]


def _compare_outputs_without_stderr(self, test, ref, skip_compare=None):
    return _nbval_compare(self, _without_stderr(test), _without_stderr(ref), skip_compare)


IPyNbCell.compare_outputs = _compare_outputs_without_stderr

# Notebooks run under nbval write their figures to a scratch folder, so a test run
# never rewrites the committed screenshots/ (they are refreshed by `make notebooks`).
if "LSTM_FIGURES_DIR" not in os.environ:
    import tempfile

    # named like the real folder, so the notebooks' "saved screenshots/NN_name.png" lines match
    os.environ["LSTM_FIGURES_DIR"] = str(Path(tempfile.mkdtemp(prefix="lstm-")) / "screenshots")
# Keras fixes its backend when it is first imported, and python -m helpers.charlm picks torch
# where PyTorch is installed: the tests that call the command in this process (test_charlm.py)
# need TensorFlow, so the whole session is pinned to it before any test imports Keras (a
# per-test monkeypatch would come too late). Tests of the torch backend run a child process.
os.environ["KERAS_BACKEND"] = "tensorflow"
# Stored outputs were made with quick sizes and each notebook's own seed; nbval must re-run
# the same (tools/seed_sweep.py is what runs other seeds).
os.environ.setdefault("LSTM_QUICK", "1")
os.environ.pop("LSTM_SEED", None)
# Kernels must use the inline backend (another backend stores no figure outputs).
os.environ.pop("MPLBACKEND", None)


# Read once at start-up: some tests unset LSTM_DATA_DIR to test the loader's fallbacks.
_DATA_DIR = os.environ.get("LSTM_DATA_DIR")
_SHARED_COPY = Path(_DATA_DIR).resolve() / "tinyshakespeare.txt" if _DATA_DIR else None


@pytest.fixture
def shakespeare_path() -> Path:
    """The shared Tiny Shakespeare copy (CI sets LSTM_DATA_DIR); skip when absent."""
    if _SHARED_COPY is None or not _SHARED_COPY.is_file():
        pytest.skip("LSTM_DATA_DIR with tinyshakespeare.txt is not set")
    return _SHARED_COPY


# what python -m helpers.charlm writes to os.environ (apply_speed_settings, select_backend)
COMMAND_ENV = ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def _run_command(*args) -> Run:
    """``python -m helpers.charlm ARGS`` in this process: ``main(argv)``, what it printed,
    and the environment variables it sets put back, so nothing leaks into the rest of this
    pytest worker."""
    from helpers.charlm import main

    saved = {name: os.environ.get(name) for name in COMMAND_ENV}
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([str(a) for a in args])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Run(status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def charlm():
    """The command in this process: ``charlm("train", ...)`` returns a :class:`Run`, its exit
    status and what it printed (a child process would cost a Python and Keras start-up).
    Session-scoped, so Hypothesis may call it for every example."""
    return _run_command
