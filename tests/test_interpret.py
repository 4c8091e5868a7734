"""helpers.interpret: every step's states, unit-feature correlations, gate saturation, the
coloured text, and the analysis of a charlm run folder."""

from __future__ import annotations

import codecs
import this
from pathlib import Path

import keras
import matplotlib
import numpy as np
import pytest

from helpers.interpret import (
    analyze_charlm,
    best_units,
    colored_html,
    gate_saturation,
    lstm_states,
    plot_colored_text,
    unit_correlations,
)
from helpers.language_model import build_model

matplotlib.use("Agg")
RUN = Path(__file__).parent / "data" / "pre_split_run"   # trained on the Zen of Python


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return build_model(12, units=8, layers=2, embedding_dim=4)


def keras_outputs(model, ids, layer):
    x = model.get_layer("embedding")(ids[None])
    for k in range(1, layer + 1):
        x = model.get_layer(f"lstm_{k}")(x)
    return np.asarray(x)[0]


@pytest.mark.parametrize("layer", [1, 2])
def test_states_equal_keras_when_the_warmup_covers_the_whole_text(model, layer):
    ids = np.random.default_rng(1).integers(0, 12, 120)
    states = lstm_states(model, ids, row_length=40, warmup=120, layer=layer)
    assert states.h.shape == states.c.shape == states.f.shape == (120, 8)
    np.testing.assert_allclose(states.h, keras_outputs(model, ids, layer), atol=1e-5)
    np.testing.assert_allclose(states.h, states.o * np.tanh(states.c), atol=1e-6)
    if layer == 2:   # the next character's loss, from the model's own logits
        logits = np.asarray(model(ids[None]), np.float64)[0]
        log_z = np.log(np.exp(logits).sum(1))
        expected = log_z[:-1] - logits[np.arange(119), ids[1:]]
        np.testing.assert_allclose(states.nats[:-1], expected, atol=1e-5)
        assert np.isnan(states.nats[-1])
        only = lstm_states(model, ids, row_length=40, warmup=120, layer=2, keep="")
        assert only.h is None and only.c is None
        np.testing.assert_array_equal(only.nats, states.nats)
    else:
        assert np.isnan(states.nats).all()    # not the last layer: no logits


def test_short_warmup_only_changes_the_first_steps_of_each_row(model):
    ids = np.random.default_rng(2).integers(0, 12, 600)
    full = lstm_states(model, ids, row_length=200, warmup=600).h
    short = lstm_states(model, ids, row_length=200, warmup=50).h
    np.testing.assert_allclose(short[:200], full[:200], atol=1e-6)   # row 0 has no warmup
    assert np.abs(short[200:] - full[200:]).max() < np.abs(full).max()


def test_lstm_states_errors(model):
    with pytest.raises(ValueError, match=r"layer must be 1\.\.2"):
        lstm_states(model, [1, 2], layer=3)
    with pytest.raises(ValueError, match="ids must lie in"):
        lstm_states(model, [1, 40])
    with pytest.raises(ValueError, match="warmup must be an integer >= 0"):
        lstm_states(model, [1, 2], warmup=-1)
    with pytest.raises(ValueError, match="keep must be letters of 'hcifo'"):
        lstm_states(model, [1, 2], keep="hx")
    with pytest.raises(ValueError, match="ids must be 1-D"):
        lstm_states(model, np.zeros((2, 2), int))
    with pytest.raises(ValueError, match="built by build_model"):
        lstm_states(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]), [1])


def test_correlations_find_a_planted_unit_and_treat_a_dead_unit_as_zero():
    rng = np.random.default_rng(3)
    feature = rng.normal(size=500)
    h = rng.normal(size=(500, 6))
    h[:, 4] = -2 * feature + 1
    c = np.c_[np.ones(500), rng.normal(size=(500, 5))]      # unit 0 never changes
    corr = unit_correlations({"h": h, "c": c}, {"x": feature})
    assert corr["x"]["h"][4] == pytest.approx(-1)
    assert corr["x"]["c"][0] == 0
    assert best_units(corr) == [{"feature": "x", "state": "h", "unit": 4,
                                 "r": pytest.approx(-1)}]
    assert abs(corr["x"]["h"][0] - np.corrcoef(h[:, 0], feature)[0, 1]) < 1e-12
    with pytest.raises(ValueError, match=r"features\['flat'\] is constant"):
        unit_correlations({"h": h}, {"flat": np.zeros(500)})
    with pytest.raises(ValueError, match="one per character"):
        unit_correlations({"h": h}, {"x": feature[:10]})


def test_gate_saturation_counts_steps_beyond_the_thresholds():
    f = np.array([[0.05, 0.5], [0.95, 0.5], [0.05, 0.99], [0.5, 0.5]])
    below, above = gate_saturation({"f": f})["f"]
    assert below.tolist() == [0.5, 0] and above.tolist() == [0.25, 0.25]
    with pytest.raises(ValueError, match="0 <= low < high <= 1"):
        gate_saturation({"f": f}, low=0.9, high=0.1)


def test_coloured_text_escapes_html_and_checks_its_values():
    page = colored_html("<a\n", [1.0, -1.0, 0.0])
    assert "&lt;" in page and "<a" not in page.replace("<span", "")
    assert page.count("<span") == 3 and "rgb(59,76,192)" in page   # -1: full blue
    with pytest.raises(ValueError, match="one number per character"):
        colored_html("ab", [1.0])
    with pytest.raises(ValueError, match="finite"):
        colored_html("ab", [1.0, np.nan])
    fig, ax = matplotlib.pyplot.subplots()
    plot_colored_text(ax, "ab\ncd", [0, 1, 0, -1, 0.5])
    assert len(ax.texts) == 4
    grid = ax.images[0].get_array()
    blue, white = grid[1, 0, :3], grid[0, 0, :3]          # "c" at -1; "a" at 0
    assert np.allclose(blue, 1 - 0.55 * (1 - np.array([59, 76, 192]) / 255), atol=0.01)
    assert white.min() > 0.85                        # pale: black text stays readable
    with pytest.raises(ValueError, match="strength"):
        plot_colored_text(ax, "ab", [0, 1], strength=0)
    matplotlib.pyplot.close(fig)


def test_analyze_charlm_reads_a_run_folder_and_falls_back_to_text_features():
    zen = codecs.decode(this.s, "rot13")
    rows, states = analyze_charlm(RUN, zen * 2, max_chars=1500)
    assert states.h.shape == (1500, 16)
    assert {row["feature"] for row in rows} == {"column", "to_line_end", "in_word",
                                                "word_position"}   # the Zen is not Python
    # (and has no indented line: in_indentation is constant, so it is left out)
    assert all(-1 <= row["r"] <= 1 and row["state"] in ("h", "tanh(c)") for row in rows)
    # Python in the Zen's own characters: each line a string literal, which is a statement
    source = "".join(f"'{line}'\n" if "'" not in line else f"{line}\n"
                     for line in zen.split("\n")[2:] if line and "'" not in line)
    rows, _ = analyze_charlm(RUN, source)
    found = {row["feature"] for row in rows}
    assert "in_string" in found
    assert not found & {"in_comment", "bracket_depth", "indent"}   # constant here: left out
    with pytest.raises(ValueError, match="never saw"):
        analyze_charlm(RUN, "{}")
