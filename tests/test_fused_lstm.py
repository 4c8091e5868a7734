"""helpers.fused_lstm.FusedLSTM: keras.layers.LSTM's numbers, by PyTorch's kernel on torch.

The torch backend is checked in a subprocess (a process has one Keras backend; these tests
run on TensorFlow): outputs, final states, a stateful carry and the gradients of every weight
against ``keras.layers.LSTM`` holding the same weights.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from helpers.fused_lstm import FusedLSTM
from helpers.language_model import build_model

TORCH_CHECK = textwrap.dedent("""
    import keras, numpy as np, torch
    from helpers.fused_lstm import FusedLSTM

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")
    pairs = {}
    for cls in (keras.layers.LSTM, FusedLSTM):
        layer = cls(4, return_sequences=True, return_state=True)
        layer.build((3, 7, 5))
        pairs[cls.__name__] = layer
    pairs["FusedLSTM"].set_weights(pairs["LSTM"].get_weights())
    assert pairs["FusedLSTM"].fused() and not pairs["FusedLSTM"].fused(mask=np.ones((3, 7)))
    results = {}
    for name, layer in pairs.items():
        xt = torch.tensor(x, requires_grad=True)
        outputs, h, c = layer(xt)
        (outputs.square().sum() + h.sum() + 2 * c.sum()).backward()
        results[name] = [t.detach().numpy() for t in (outputs, h, c, xt.grad)] + [
            w.value.grad.numpy() for w in layer.weights]
    for a, b in zip(results["LSTM"], results["FusedLSTM"], strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    # stateful: two calls of 3 steps carry h and c as one call of 6 steps does
    for cls in (keras.layers.LSTM, FusedLSTM):
        step = cls(4, return_sequences=True, stateful=True)
        step.build((3, 3, 5))
        step.set_weights(pairs["LSTM"].get_weights()[:3])
        parts = [step(torch.tensor(x[:, :3])), step(torch.tensor(x[:, 3:6]))]
        whole = pairs["LSTM"](torch.tensor(x[:, :6]))[0]
        np.testing.assert_allclose(torch.cat(parts, 1).detach().numpy(),
                                   whole.detach().numpy(), rtol=1e-5, atol=1e-6)
    print("torch: same outputs, states and gradients")
""")


def test_on_torch_fused_lstm_gives_keras_lstm_outputs_states_and_gradients():
    pytest.importorskip("torch")
    env = {**os.environ, "KERAS_BACKEND": "torch", "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, "-c", TORCH_CHECK], capture_output=True, text=True,
                         env=env, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "torch: same outputs, states and gradients" in run.stdout


def test_elsewhere_fused_lstm_is_keras_lstm():
    assert keras.backend.backend() != "torch"
    keras.utils.set_random_seed(0)
    plain = build_model(9, units=6, embedding_dim=4, timesteps=5)
    fused = build_model(9, units=6, embedding_dim=4, timesteps=5, fused=True)
    assert isinstance(fused.get_layer("lstm_1"), FusedLSTM)
    assert not fused.get_layer("lstm_1").fused()
    assert isinstance(fused.get_layer("logits"), keras.layers.Dense)   # one call, all steps
    fused.set_weights(plain.get_weights())
    ids = np.random.default_rng(0).integers(0, 9, (2, 5))
    np.testing.assert_allclose(np.asarray(fused(ids)), np.asarray(plain(ids)), atol=1e-6)


def test_a_saved_fused_model_loads_as_one(tmp_path):
    model = build_model(9, units=6, embedding_dim=4, fused=True)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert isinstance(loaded.get_layer("lstm_1"), FusedLSTM)
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
