"""helpers.notebook: QUICK switch, setup(), save_fig()."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import notebook
from helpers.notebook import (
    TESTED_VERSIONS,
    figures_dir,
    quick_mode,
    save_fig,
    seed_from,
    setup,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value, gpu, expected", [
    (None, False, True), (None, True, False), ("", True, False), (" ", False, True),
    ("1", True, True), ("true", True, True), ("0", False, False), ("OFF", False, False),
])
def test_quick_mode(value, gpu, expected):
    env = {} if value is None else {"LSTM_QUICK": value}
    assert quick_mode(gpu, env) is expected


def test_quick_mode_rejects_other_values():
    with pytest.raises(ValueError, match=r"LSTM_QUICK must be 1 .* or 0 .*; got 'fast'"):
        quick_mode(False, {"LSTM_QUICK": "fast"})


def test_tested_versions_are_the_pinned_requirements():
    pins = dict(re.findall(r"^([a-z]+)==(\S+)$", (REPO / "requirements.txt").read_text(), re.M))
    for package, version in TESTED_VERSIONS.items():
        assert pins[package] == version, f"requirements.txt pins {package}=={pins[package]}"


def test_setup_seeds_reports_and_enables_determinism(capsys, monkeypatch):
    import keras
    import numpy as np
    import tensorflow as tf

    monkeypatch.setenv("LSTM_QUICK", "1")
    monkeypatch.delenv("LSTM_SEED", raising=False)
    calls = []
    real = tf.config.experimental.enable_op_determinism
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism",
                        lambda: (calls.append(1), real())[1])
    env = setup("07", seed=3)
    line = capsys.readouterr().out
    assert env.quick and env.notebook == "07" and env.seed == 3
    assert f"Keras {keras.__version__}" in line and "QUICK sizes | seed 3" in line
    assert calls == [1]
    first = (np.random.rand(),  # noqa: NPY002 (the global state is what setup seeds)
              keras.random.uniform((2,), seed=None).numpy().tolist())
    setup("07", seed=3, verbose=False)
    second = (np.random.rand(),  # noqa: NPY002
               keras.random.uniform((2,), seed=None).numpy().tolist())
    assert first == second


@pytest.mark.parametrize("value, expected", [(None, 7), ("", 7), (" 3 ", 3), ("0", 0)])
def test_seed_from_lstm_seed_overrides_the_notebook_seed(value, expected):
    env = {} if value is None else {"LSTM_SEED": value}
    assert seed_from(7, env) == expected


@pytest.mark.parametrize("value", ["-1", "3.5", "abc"])
def test_seed_from_rejects_other_values(value):
    with pytest.raises(ValueError, match=rf"LSTM_SEED must be a non-negative integer.*"
                                         rf"got {re.escape(repr(value))}"):
        seed_from(7, {"LSTM_SEED": value})


def test_setup_takes_lstm_seed_and_makes_running_out_of_data_an_error(monkeypatch):
    import warnings

    import keras
    import numpy as np

    monkeypatch.setenv("LSTM_SEED", "11")
    with warnings.catch_warnings():  # setup's filter is process-wide: keep it to this test
        env = setup("07", seed=3, verbose=False)
        assert env.seed == 11
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        x = np.zeros((8, 2), "float32")
        # 2 batches of data, 5 steps asked for: Keras would only warn and train on nothing
        with pytest.raises(UserWarning, match="ran out of data"):
            model.fit(x, x[:, :1], batch_size=4, steps_per_epoch=5, epochs=2, verbose=0)


def test_setup_rejects_a_bad_notebook_number():
    with pytest.raises(ValueError, match=r"two-digit number.*got '1'"):
        setup("1")


def test_save_fig_writes_numbered_png(tmp_path, monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("LSTM_FIGURES_DIR", str(tmp_path / "figs"))
    monkeypatch.setattr(notebook, "_current_notebook", "05")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    path = save_fig("tiny_plot", fig)
    plt.close(fig)
    assert path == tmp_path / "figs" / "05_tiny_plot.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert capsys.readouterr().out.strip() == "saved figs/05_tiny_plot.png"


def test_save_fig_errors(monkeypatch):
    monkeypatch.setattr(notebook, "_current_notebook", None)
    with pytest.raises(RuntimeError, match=r"call setup\(notebook='01'\) first"):
        save_fig("ok_name")
    monkeypatch.setattr(notebook, "_current_notebook", "01")
    with pytest.raises(ValueError, match=r"snake_case.*got 'Bad Name'"):
        save_fig("Bad Name")


def test_figures_dir_is_the_repository_screenshots_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("LSTM_FIGURES_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # independent of the working directory
    assert figures_dir() == REPO / "screenshots"


def test_require_names_what_is_missing_and_how_to_install_it_without_importing_it():
    from helpers.notebook import require

    assert require("json", "Reading JSON", extra="none") is None
    with pytest.raises(ModuleNotFoundError) as info:
        require("no_such_module_xyz", "Seattle's weather, this notebook's data,", extra="vega",
                pip_name="no-such-module")
    assert str(info.value) == (
        "Seattle's weather, this notebook's data, needs no_such_module_xyz, which is not "
        "installed: pip install no-such-module (or the extra: pip install "
        "'lstm-course-helpers[vega]')")
    assert info.value.name == "no_such_module_xyz"
    code = ("import sys; from helpers.notebook import require; "
            "require('vega_datasets', 'Seattle', extra='vega'); "
            "print('vega_datasets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"          # found, not imported
