"""helpers.numpy_rnn against the Keras layers it re-implements.

Tolerances from the issue: max |difference| <= 1e-6 in float64 and <= 1e-5 in float32.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.numpy_rnn import (
    gru_backward,
    gru_forward,
    lstm_backward,
    lstm_forward,
    sigmoid,
    simple_rnn_backward,
    simple_rnn_forward,
)

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


def keras_input_gradient(layer_cls, weights, x, grad_h, grad_c=None):
    """dL/dx by TensorFlow's autodiff, for L = sum(h_T * grad_h) (+ sum(c_T * grad_c))."""
    import tensorflow as tf

    layer = layer_cls(weights[1].shape[0], return_state=True, dtype=x.dtype)
    layer.build(x.shape)
    layer.set_weights(weights)
    x_var = tf.Variable(x)
    with tf.GradientTape() as tape:
        out = layer(x_var)
        loss = tf.reduce_sum(out[1] * grad_h)
        if grad_c is not None:
            loss += tf.reduce_sum(out[2] * grad_c)
    return np.asarray(tape.gradient(loss, x_var))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_passes_match_tensorflow_autodiff(shape, dtype):
    batch, timesteps, features, units = shape
    rng = np.random.default_rng(sum(shape) + 1)
    x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
    grad_h, grad_c = (rng.normal(size=(batch, units)).astype(dtype) for _ in range(2))
    tol = {"float64": 1e-9, "float32": 1e-4}[dtype]
    rnn_weights = [rng.normal(scale=0.5, size=s).astype(dtype)
                   for s in [(features, units), (units, units), (units,)]]
    ours = simple_rnn_backward(x, *rnn_weights, grad_h=grad_h)
    expected = keras_input_gradient(keras.layers.SimpleRNN, rnn_weights, x, grad_h)
    np.testing.assert_allclose(ours.x, expected, atol=tol, rtol=tol)
    np.testing.assert_allclose(ours.h[:, -1], grad_h)
    lstm_weights = [rng.normal(scale=0.5, size=s).astype(dtype)
                    for s in [(features, 4 * units), (units, 4 * units), (4 * units,)]]
    gru_weights = [rng.normal(scale=0.5, size=s).astype(dtype)
                   for s in [(features, 3 * units), (units, 3 * units), (2, 3 * units)]]
    ours = gru_backward(x, *gru_weights, grad_h=grad_h)
    expected = keras_input_gradient(keras.layers.GRU, gru_weights, x, grad_h)
    np.testing.assert_allclose(ours.x, expected, atol=tol, rtol=tol)
    for c_grad in (None, grad_c):
        ours = lstm_backward(x, *lstm_weights, grad_h=grad_h, grad_c=c_grad)
        expected = keras_input_gradient(keras.layers.LSTM, lstm_weights, x, grad_h, c_grad)
        np.testing.assert_allclose(ours.x, expected, atol=tol, rtol=tol)
        assert ours.x.dtype == np.dtype(dtype) and ours.c.shape == (batch, timesteps, units)


def test_backward_state_gradients_follow_the_jacobians():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 6, 3))
    W, U, b = rng.normal(size=(3, 4)), rng.normal(scale=0.5, size=(4, 4)), rng.normal(size=4)
    grad_h = rng.normal(size=(2, 4))
    ours = simple_rnn_backward(x, W, U, b, grad_h=grad_h)
    h = simple_rnn_forward(x, W, U, b).outputs
    for t in range(5):  # dh_t = dh_{t+1} J_{t+1}, J = diag(1 - h**2) U^T
        np.testing.assert_allclose(ours.h[:, t], (ours.h[:, t + 1] * (1 - h[:, t + 1] ** 2)) @ U.T)
    kernels = rng.normal(size=(3, 16)), rng.normal(scale=0.5, size=(4, 16)), rng.normal(size=16)
    lstm = lstm_backward(x, *kernels, grad_h=grad_h)
    f = lstm_forward(x, *kernels).gates["f"]
    np.testing.assert_allclose(lstm.cell_path[:, -1], lstm.c[:, -1])  # dL/dc_T itself
    for t in range(5):  # then only the forget gates
        np.testing.assert_allclose(lstm.cell_path[:, t], lstm.cell_path[:, t + 1] * f[:, t + 1])


@pytest.mark.parametrize("call, match", [
    (lambda: simple_rnn_backward(np.zeros((2, 5, 3)), np.zeros((3, 4)), np.zeros((4, 4)),
                                 grad_h=np.zeros(4)),
     r"grad_h must be \(batch, units\) = \(2, 4\), the gradient .* got \(4,\)"),
    (lambda: lstm_backward(np.zeros((2, 5, 3)), np.zeros((3, 8)), np.zeros((2, 8)),
                           grad_h=np.zeros((2, 2)), grad_c=np.zeros((1, 2))),
     r"grad_c must be \(batch, units\) = \(2, 2\)"),
    (lambda: lstm_backward(np.zeros((5, 3)), np.zeros((3, 8)), np.zeros((2, 8)),
                           grad_h=np.zeros((5, 2))), r"x must be 3-D"),
    (lambda: gru_backward(np.zeros((1, 5, 3)), np.zeros((3, 6)), np.zeros((2, 6)), np.zeros(6),
                          grad_h=np.zeros((1, 2))), r"bias must have shape \(2, 6\) for GRU"),
])
def test_backward_bad_input_raises_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


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
