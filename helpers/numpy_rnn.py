"""Recurrent layers written out in NumPy, weight-compatible with Keras 3.

Each function takes the arrays that ``layer.get_weights()`` returns and computes the
layer's forward pass one timestep at a time, in the dtype of ``x``. They exist to be
read: every gate is a named line below. ``tests/test_numpy_rnn.py`` checks them against
the Keras layers (max |difference| <= 1e-6 in float64, <= 1e-5 in float32).

:func:`simple_rnn_backward`, :func:`gru_backward` and :func:`lstm_backward` are
backpropagation through time written out: from the gradient of a loss with respect to the
last hidden state, they walk the steps backwards and return the gradient with respect to
every input ``x_t`` and every state. The same test file checks them against TensorFlow's
automatic differentiation.

Shapes: ``x`` is ``(batch, timesteps, features)``; ``units`` is the size of the hidden
state ``h`` (and of the cell state ``c`` for an LSTM).

Keras weight layout (gate blocks are concatenated along the last axis, ``units`` each):

======== ===================== ========================= ==========================
layer    kernel                recurrent_kernel          bias
======== ===================== ========================= ==========================
SimpleRNN (features, units)    (units, units)            (units,)
LSTM     (features, 4*units)   (units, 4*units)          (4*units,)   gates i, f, c, o
GRU      (features, 3*units)   (units, 3*units)          (2, 3*units) gates z, r, h;
                                                          row 0 input, row 1 recurrent
======== ===================== ========================= ==========================

Sources: Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", with the forget gate
of Gers, Schmidhuber & Cummins (2000); Cho et al. (2014) for the GRU, in the
``reset_after=True`` form Keras uses by default; Keras docs, "LSTM layer", "GRU layer",
"SimpleRNN layer".
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["LSTMGradients", "LSTMResult", "RNNGradients", "RNNResult", "gru_backward",
           "gru_forward", "lstm_backward", "lstm_forward", "sigmoid", "simple_rnn_backward",
           "simple_rnn_forward"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), in (0, 1); numerically safe for large |z|."""
    return np.exp(-np.logaddexp(0, -z))


class RNNResult(NamedTuple):
    """``outputs``: every step's ``h``, ``(batch, timesteps, units)``, in processing order
    (reversed input order when ``go_backwards``); ``h``: the last one, ``(batch, units)``."""

    outputs: np.ndarray
    h: np.ndarray


class LSTMResult(NamedTuple):
    """As :class:`RNNResult`, plus the final cell state ``c`` ``(batch, units)`` and, per
    step, the gates ``i``, ``f``, ``g`` (candidate), ``o`` and the cell states ``cs``,
    each ``(batch, timesteps, units)``."""

    outputs: np.ndarray
    h: np.ndarray
    c: np.ndarray
    gates: dict[str, np.ndarray]
    cs: np.ndarray


def _check(x, kernel, recurrent_kernel, bias, blocks: int, bias_shape, states, layer: str):
    """Validate shapes; return x as an array and units."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be 3-D (batch, timesteps, features); got shape {x.shape}. "
                         "Add a batch axis with x[np.newaxis] for a single sequence.")
    features = x.shape[2]
    kernel, recurrent_kernel = np.asarray(kernel), np.asarray(recurrent_kernel)
    rk_shape = recurrent_kernel.shape
    if recurrent_kernel.ndim != 2 or rk_shape[1] != blocks * rk_shape[0]:
        raise ValueError(
            f"recurrent_kernel must be (units, {blocks}*units) for {layer}; got shape "
            f"{recurrent_kernel.shape}. Pass the layer's weights in get_weights() order: "
            "kernel, recurrent_kernel, bias.")
    units = recurrent_kernel.shape[0]
    if kernel.shape != (features, blocks * units):
        raise ValueError(
            f"kernel must be (features, {blocks}*units) = ({features}, {blocks * units}) for "
            f"x with {features} features and {units} units; got {kernel.shape}. Check that x "
            "is the input this layer was built for.")
    if bias is not None and np.shape(bias) != bias_shape(units):
        raise ValueError(f"bias must have shape {bias_shape(units)} for {layer} with {units} "
                         f"units; got {np.shape(bias)}. Pass bias=None for use_bias=False.")
    for name, state in states.items():
        if state is not None and np.shape(state) != (x.shape[0], units):
            raise ValueError(f"{name} must be (batch, units) = ({x.shape[0]}, {units}); got "
                             f"{np.shape(state)}.")
    return x, units


def _zeros_or(state, x, units):
    # Keras starts every sequence from zeros unless an initial_state is given.
    return np.zeros((x.shape[0], units), x.dtype) if state is None else np.asarray(state, x.dtype)


def _steps(x, go_backwards):
    return range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])


def simple_rnn_forward(x, kernel, recurrent_kernel, bias=None, *, initial_state=None,
                       go_backwards=False) -> RNNResult:
    """SimpleRNN: ``h_t = tanh(x_t W + h_{t-1} U + b)``.

    Args:
        x: ``(batch, timesteps, features)``.
        kernel: ``W``, ``(features, units)``. recurrent_kernel: ``U``, ``(units, units)``.
        bias: ``b``, ``(units,)``, or None. initial_state: ``h_0``, ``(batch, units)``;
            default zeros. go_backwards: read the timesteps last to first.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight or state has the wrong shape.
    """
    x, units = _check(x, kernel, recurrent_kernel, bias, 1, lambda u: (u,),
                      {"initial_state": initial_state}, "SimpleRNN")
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    b = np.zeros(units, x.dtype) if bias is None else np.asarray(bias, x.dtype)
    h = _zeros_or(initial_state, x, units)
    outputs = []
    for t in _steps(x, go_backwards):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        outputs.append(h)
    return RNNResult(np.stack(outputs, axis=1), h)


def lstm_forward(x, kernel, recurrent_kernel, bias=None, *, initial_state=None,
                 go_backwards=False) -> LSTMResult:
    """LSTM, one timestep at a time, as Keras computes it::

        z   = x_t W + h_{t-1} U + b          # (batch, 4*units), blocks i | f | g | o
        i   = sigmoid(z_i)                   # input gate: how much of g to write
        f   = sigmoid(z_f)                   # forget gate: how much of c_{t-1} to keep
        g   = tanh(z_g)                      # candidate values (Keras calls this block "c")
        o   = sigmoid(z_o)                   # output gate: how much of tanh(c_t) to show
        c_t = f * c_{t-1} + i * g            # cell state (element-wise products)
        h_t = o * tanh(c_t)                  # hidden state = the layer's output at step t

    Args:
        x: ``(batch, timesteps, features)``.
        kernel: ``(features, 4*units)``; recurrent_kernel: ``(units, 4*units)``;
            bias: ``(4*units,)`` or None (``use_bias=False``).
        initial_state: ``[h_0, c_0]``, each ``(batch, units)``; default zeros.
        go_backwards: read the timesteps last to first (``outputs`` then follow that order).

    Returns:
        :class:`LSTMResult` with ``outputs``, ``h``, ``c``, ``gates`` and ``cs``.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight or state has the wrong shape.
    """
    h0, c0 = (None, None) if initial_state is None else initial_state
    x, units = _check(x, kernel, recurrent_kernel, bias, 4, lambda u: (4 * u,),
                      {"initial_state[0] (h)": h0, "initial_state[1] (c)": c0}, "LSTM")
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    b = np.zeros(4 * units, x.dtype) if bias is None else np.asarray(bias, x.dtype)
    h, c = _zeros_or(h0, x, units), _zeros_or(c0, x, units)
    record = {name: [] for name in ("i", "f", "g", "o")}
    outputs, cs = [], []
    for t in _steps(x, go_backwards):
        z = x[:, t] @ W + h @ U + b
        z_i, z_f, z_g, z_o = np.split(z, 4, axis=-1)
        i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip("ifgo", (i, f, g, o), strict=True):
            record[name].append(value)
        outputs.append(h)
        cs.append(c)
    gates = {name: np.stack(values, axis=1) for name, values in record.items()}
    return LSTMResult(np.stack(outputs, axis=1), h, c, gates, np.stack(cs, axis=1))


def gru_forward(x, kernel, recurrent_kernel, bias=None, *, initial_state=None,
                go_backwards=False) -> RNNResult:
    """GRU in Keras's default ``reset_after=True`` form::

        xz, xr, xh = split(x_t W + b_input)          # input contributions
        hz, hr, hh = split(h_{t-1} U + b_recurrent)  # recurrent contributions
        z   = sigmoid(xz + hz)                       # update gate
        r   = sigmoid(xr + hr)                       # reset gate (applied after U)
        n   = tanh(xh + r * hh)                      # candidate
        h_t = z * h_{t-1} + (1 - z) * n

    Args:
        x: ``(batch, timesteps, features)``.
        kernel: ``(features, 3*units)``; recurrent_kernel: ``(units, 3*units)``;
            bias: ``(2, 3*units)`` (row 0 input, row 1 recurrent) or None.
        initial_state: ``h_0``, ``(batch, units)``; default zeros.
        go_backwards: read the timesteps last to first.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight or state has the wrong shape
            (a ``(3*units,)`` bias means a ``reset_after=False`` layer, not supported).
    """
    x, units = _check(x, kernel, recurrent_kernel, bias, 3, lambda u: (2, 3 * u),
                      {"initial_state": initial_state}, "GRU (reset_after=True)")
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    b = np.zeros((2, 3 * units), x.dtype) if bias is None else np.asarray(bias, x.dtype)
    h = _zeros_or(initial_state, x, units)
    outputs = [step[-1] for step in _gru_steps(x, W, U, b, h, _steps(x, go_backwards))]
    return RNNResult(np.stack(outputs, axis=1), outputs[-1])


def _gru_steps(x, W, U, b, h, order):
    """The GRU recurrence of :func:`gru_forward`, one step at a time; yields
    ``(h_{t-1}, z, r, n, hh, h_t)``, which :func:`gru_backward` also needs."""
    for t in order:
        xz, xr, xh = np.split(x[:, t] @ W + b[0], 3, axis=-1)   # input contributions
        hz, hr, hh = np.split(h @ U + b[1], 3, axis=-1)          # recurrent contributions
        z = sigmoid(xz + hz)                                     # update gate
        r = sigmoid(xr + hr)                                     # reset gate (after U)
        n = np.tanh(xh + r * hh)                                 # candidate
        h_new = z * h + (1 - z) * n
        yield h, z, r, n, hh, h_new
        h = h_new


class RNNGradients(NamedTuple):
    """Backpropagation through time for a SimpleRNN or a GRU. ``x``: dL/dx_t, ``(batch, timesteps,
    features)``; ``h``: dL/dh_t for every step, ``(batch, timesteps, units)`` (the last one is
    the ``grad_h`` passed in)."""

    x: np.ndarray
    h: np.ndarray


class LSTMGradients(NamedTuple):
    """As :class:`RNNGradients`, plus ``c``: dL/dc_t for every step, ``(batch, timesteps,
    units)``, and ``cell_path``: dL/dc_T carried back along the cell state alone,
    ``dL/dc_T * f_T * ... * f_{t+1}`` (the additive path; ``dL/dc_T`` includes what reached
    ``c_T`` through ``h_T``)."""

    x: np.ndarray
    h: np.ndarray
    c: np.ndarray
    cell_path: np.ndarray


def _check_grad(name, grad, batch, units, dtype):
    if np.shape(grad) != (batch, units):
        raise ValueError(f"{name} must be (batch, units) = ({batch}, {units}), the gradient of "
                         f"the loss with respect to the last state; got {np.shape(grad)}.")
    return np.asarray(grad, dtype)


def simple_rnn_backward(x, kernel, recurrent_kernel, bias=None, *, grad_h) -> RNNGradients:
    """Backpropagation through time for a SimpleRNN whose loss depends on the last ``h``.

    From ``h_t = tanh(a_t)``, ``a_t = x_t W + h_{t-1} U + b``, one step back is::

        da_t      = dh_t * (1 - h_t**2)      # through tanh
        dx_t      = da_t W^T
        dh_{t-1}  = da_t U^T                 # so dh_t = dh_T J_T ... J_{t+1},
                                             # J_k = diag(1 - h_k**2) U^T

    Args:
        x: ``(batch, timesteps, features)``; kernel ``W`` ``(features, units)``,
            recurrent_kernel ``U`` ``(units, units)``, bias ``(units,)`` or None: as
            :func:`simple_rnn_forward`, zero initial state.
        grad_h: dL/dh_T, ``(batch, units)``: the gradient of the loss with respect to the
            last hidden state (for ``loss = sum(h_T * v)`` it is ``v``).

    Returns:
        :class:`RNNGradients` ``(x, h)``.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight or ``grad_h`` has the wrong shape.

    Source: Werbos (1990), "Backpropagation through time: what it does and how to do it";
    Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent neural
    networks", eqs. 3-5.
    """
    outputs = simple_rnn_forward(x, kernel, recurrent_kernel, bias).outputs
    x = np.asarray(x)
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    dh = _check_grad("grad_h", grad_h, x.shape[0], U.shape[0], x.dtype)
    grad_x, grad_hs = np.zeros_like(x), np.zeros_like(outputs)
    for t in range(x.shape[1] - 1, -1, -1):
        grad_hs[:, t] = dh
        da = dh * (1 - outputs[:, t] ** 2)
        grad_x[:, t] = da @ W.T
        dh = da @ U.T
    return RNNGradients(grad_x, grad_hs)


def lstm_backward(x, kernel, recurrent_kernel, bias=None, *, grad_h,
                  grad_c=None) -> LSTMGradients:
    """Backpropagation through time for an LSTM whose loss depends on the last ``h`` (and ``c``).

    One step back, with the names of :func:`lstm_forward` (``dq`` means dL/dq)::

        do        = dh_t * tanh(c_t)
        dc_t     += dh_t * o * (1 - tanh(c_t)**2)   # what reaches c_t through h_t
        df, di, dg = dc_t * c_{t-1}, dc_t * g, dc_t * i
        dz        = [di*i(1-i), df*f(1-f), dg*(1-g**2), do*o(1-o)]
        dx_t      = dz W^T
        dh_{t-1}  = dz U^T
        dc_{t-1}  = dc_t * f                          # the additive path: only the forget gate

    The last line is why an LSTM can carry a gradient far back: along the cell state each
    step multiplies it by ``f`` element-wise, not by a matrix and a tanh derivative.

    Args:
        x, kernel, recurrent_kernel, bias: as :func:`lstm_forward`, zero initial states.
        grad_h: dL/dh_T, ``(batch, units)``.
        grad_c: dL/dc_T, ``(batch, units)``; default zeros (a loss on ``h`` only).

    Returns:
        :class:`LSTMGradients` ``(x, h, c, cell_path)``.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight, ``grad_h`` or ``grad_c`` has the wrong
            shape.

    Source: Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", section 4 (the
    constant error carousel); Graves (2012), "Supervised Sequence Labelling with Recurrent
    Neural Networks", section 4.6 (the backward pass with forget gates).
    """
    forward = lstm_forward(x, kernel, recurrent_kernel, bias)
    x = np.asarray(x)
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    batch, units = x.shape[0], U.shape[0]
    dh = _check_grad("grad_h", grad_h, batch, units, x.dtype)
    dc = (np.zeros((batch, units), x.dtype) if grad_c is None
          else _check_grad("grad_c", grad_c, batch, units, x.dtype))
    path = None
    i, f, g, o = (forward.gates[name] for name in "ifgo")
    cs = forward.cs
    grads = {name: np.zeros(forward.outputs.shape, x.dtype) for name in ("h", "c", "path")}
    grad_x = np.zeros_like(x)
    for t in range(x.shape[1] - 1, -1, -1):
        c_prev = cs[:, t - 1] if t > 0 else np.zeros((batch, units), x.dtype)
        tanh_c = np.tanh(cs[:, t])
        grads["h"][:, t] = dh
        dc = dc + dh * o[:, t] * (1 - tanh_c ** 2)
        path = dc.copy() if path is None else path  # dL/dc_T, then only forget gates
        grads["c"][:, t], grads["path"][:, t] = dc, path
        do = dh * tanh_c
        df, di, dg = dc * c_prev, dc * g[:, t], dc * i[:, t]
        dz = np.concatenate([di * i[:, t] * (1 - i[:, t]), df * f[:, t] * (1 - f[:, t]),
                             dg * (1 - g[:, t] ** 2), do * o[:, t] * (1 - o[:, t])], axis=-1)
        grad_x[:, t] = dz @ W.T
        dh = dz @ U.T
        dc = dc * f[:, t]
        path = path * f[:, t]
    return LSTMGradients(grad_x, grads["h"], grads["c"], grads["path"])


def gru_backward(x, kernel, recurrent_kernel, bias=None, *, grad_h) -> RNNGradients:
    """Backpropagation through time for a GRU (``reset_after=True``) whose loss depends on
    the last ``h``.

    One step back, with the names of :func:`gru_forward` (``dq`` means dL/dq)::

        dz        = dh_t * (h_{t-1} - n)
        dn        = dh_t * (1 - z)
        da_n      = dn * (1 - n**2)
        dr        = da_n * hh                          # hh: the recurrent part of the candidate
        dx_t      = [dz z(1-z), dr r(1-r), da_n] W^T
        dh_{t-1}  = dh_t * z + [dz z(1-z), dr r(1-r), da_n * r] U^T

    The first term of the last line is the GRU's additive path: the update gate ``z`` plays
    the part of the LSTM's forget gate.

    Args:
        x, kernel, recurrent_kernel, bias: as :func:`gru_forward`, zero initial state.
        grad_h: dL/dh_T, ``(batch, units)``.

    Returns:
        :class:`RNNGradients` ``(x, h)``.

    Raises:
        ValueError: ``x`` is not 3-D, or a weight or ``grad_h`` has the wrong shape.

    Source: Cho et al. (2014), "Learning Phrase Representations using RNN Encoder-Decoder for
    Statistical Machine Translation"; Keras docs, "GRU layer" (``reset_after``).
    """
    x, units = _check(x, kernel, recurrent_kernel, bias, 3, lambda u: (2, 3 * u), {},
                      "GRU (reset_after=True)")
    W, U = np.asarray(kernel, x.dtype), np.asarray(recurrent_kernel, x.dtype)
    b = np.zeros((2, 3 * units), x.dtype) if bias is None else np.asarray(bias, x.dtype)
    dh = _check_grad("grad_h", grad_h, x.shape[0], units, x.dtype)
    h = np.zeros((x.shape[0], units), x.dtype)
    steps = list(_gru_steps(x, W, U, b, h, range(x.shape[1])))  # the forward pass, kept
    grad_x, grad_hs = np.zeros_like(x), np.zeros((x.shape[0], x.shape[1], units), x.dtype)
    for t in range(x.shape[1] - 1, -1, -1):
        h_prev, z, r, n, hh, _ = steps[t]
        grad_hs[:, t] = dh
        dz = dh * (h_prev - n) * z * (1 - z)
        da_n = dh * (1 - z) * (1 - n ** 2)
        dr = da_n * hh * r * (1 - r)
        grad_x[:, t] = np.concatenate([dz, dr, da_n], axis=-1) @ W.T
        dh = dh * z + np.concatenate([dz, dr, da_n * r], axis=-1) @ U.T
    return RNNGradients(grad_x, grad_hs)
