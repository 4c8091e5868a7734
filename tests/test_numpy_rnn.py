"""helpers.numpy_rnn against the Keras layers it re-implements.

Tolerances from the issue: max |difference| <= 1e-6 in float64 and <= 1e-5 in float32.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.numpy_rnn import gru_forward, lstm_forward, sigmoid, simple_rnn_forward

TOLERANCE = {"float64": 1e-6, "float32": 1e-5}
SHAPES = [  # (batch, timesteps, features, units): from 1 up
    (1, 1, 1, 1), (2, 3, 1, 1), (1, 5, 3, 2), (4, 7, 2, 5), (3, 12, 6, 9), (2, 30, 4, 16),
]
LAYERS = {
    "LSTM": (keras.layers.LSTM, lstm_forward, 2),        # 2 states: h, c
    "GRU": (keras.layers.GRU, gru_forward, 1),
    "SimpleRNN": (keras.layers.SimpleRNN, simple_rnn_forward, 1),
}


def run_both(name, dtype, shape, *, go_backwards=False, with_state=False, use_bias=True,
             seed=0):
    """Run a Keras layer (return_sequences and return_state on) and the NumPy version."""
    layer_cls, forward, n_states = LAYERS[name]
    batch, timesteps, features, units = shape
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
    states = [rng.normal(size=(batch, units)).astype(dtype) for _ in range(n_states)]
    layer = layer_cls(units, return_sequences=True, return_state=True, dtype=dtype,
                      go_backwards=go_backwards, use_bias=use_bias)
    layer.build((batch, timesteps, features))
    # Random (not initial) weights, biases included: a zero bias would hide layout mistakes.
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype(dtype)
                       for w in layer.get_weights()])
    kwargs = {"initial_state": states} if with_state else {}
    keras_out = [np.asarray(t) for t in layer(x, **kwargs)]
    weights = layer.get_weights()
    if not use_bias:
        weights.append(None)
    init = (states if name == "LSTM" else states[0]) if with_state else None
    ours = forward(x, *weights, initial_state=init, go_backwards=go_backwards)
    return keras_out, ours, layer


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", list(LAYERS))
def test_matches_keras_sequences_and_states(name, shape, dtype):
    keras_out, ours, _ = run_both(name, dtype, shape, seed=sum(shape))
    tol = TOLERANCE[dtype]
    assert ours.outputs.dtype == np.dtype(dtype)
    np.testing.assert_allclose(ours.outputs, keras_out[0], atol=tol, rtol=0)  # sequences on
    np.testing.assert_allclose(ours.outputs[:, -1], keras_out[1], atol=tol, rtol=0)  # h
    np.testing.assert_allclose(ours.h, keras_out[1], atol=tol, rtol=0)
    if name == "LSTM":
        np.testing.assert_allclose(ours.c, keras_out[2], atol=tol, rtol=0)
        np.testing.assert_allclose(ours.cs[:, -1], ours.c, atol=0)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(LAYERS))
@pytest.mark.parametrize("go_backwards, with_state, use_bias", [
    (True, False, True), (False, True, True), (True, True, True), (False, True, False),
])
def test_matches_keras_with_initial_state_go_backwards_and_no_bias(name, dtype, go_backwards,
                                                                   with_state, use_bias):
    keras_out, ours, _ = run_both(name, dtype, (3, 9, 4, 6), go_backwards=go_backwards,
                                  with_state=with_state, use_bias=use_bias, seed=7)
    for k, mine in zip(keras_out, [ours.outputs, ours.h, getattr(ours, "c", None)],
                       strict=False):
        np.testing.assert_allclose(mine, k, atol=TOLERANCE[dtype], rtol=0)


def test_return_sequences_off_is_the_last_step():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 3))
    layer = keras.layers.LSTM(4, dtype="float64")  # return_sequences=False
    out = np.asarray(layer(x))
    ours = lstm_forward(x, *layer.get_weights())
    np.testing.assert_allclose(ours.outputs[:, -1], out, atol=1e-6, rtol=0)


def test_lstm_gates_are_recorded_and_obey_the_cell_update():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 3))
    ours = lstm_forward(x, rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8))
    i, f, g, o = (ours.gates[k] for k in "ifgo")
    assert all(v.shape == (2, 5, 2) for v in (i, f, g, o, ours.cs))
    c_prev = np.concatenate([np.zeros((2, 1, 2)), ours.cs[:, :-1]], axis=1)
    np.testing.assert_allclose(ours.cs, f * c_prev + i * g)
    np.testing.assert_allclose(ours.outputs, o * np.tanh(ours.cs))
    assert ((i > 0) & (i < 1)).all() and (np.abs(g) < 1).all()


def test_sigmoid_is_stable_for_large_inputs():
    z = np.array([-1000.0, -5.0, 0.0, 5.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
    expected = [0.0, 1 / (1 + np.exp(5.0)), 0.5, 1 / (1 + np.exp(-5.0)), 1.0]
    np.testing.assert_allclose(s, expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("call, match", [
    (lambda: lstm_forward(np.zeros((5, 3)), np.zeros((3, 8)), np.zeros((2, 8))),
     r"x must be 3-D \(batch, timesteps, features\); got shape \(5, 3\)"),
    (lambda: lstm_forward(np.zeros((1, 5, 3)), np.zeros((4, 8)), np.zeros((2, 8))),
     r"kernel must be \(features, 4\*units\) = \(3, 8\) .* got \(4, 8\)"),
    (lambda: lstm_forward(np.zeros((1, 5, 3)), np.zeros((3, 8)), np.zeros((2, 6))),
     r"recurrent_kernel must be \(units, 4\*units\) for LSTM; got shape \(2, 6\)"),
    (lambda: lstm_forward(np.zeros((1, 5, 3)), np.zeros((3, 8)), np.zeros((2, 8)),
                          np.zeros(6)), r"bias must have shape \(8,\)"),
    (lambda: lstm_forward(np.zeros((1, 5, 3)), np.zeros((3, 8)), np.zeros((2, 8)),
                          initial_state=[np.zeros((1, 2)), np.zeros((2, 2))]),
     r"initial_state\[1\] \(c\) must be \(batch, units\) = \(1, 2\)"),
    (lambda: gru_forward(np.zeros((1, 5, 3)), np.zeros((3, 6)), np.zeros((2, 6)), np.zeros(6)),
     r"bias must have shape \(2, 6\) for GRU \(reset_after=True\)"),
    (lambda: simple_rnn_forward(np.zeros((1, 5, 3)), np.zeros((3, 2)), np.zeros((2, 3))),
     r"recurrent_kernel must be \(units, 1\*units\)"),
])
def test_bad_input_raises_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
