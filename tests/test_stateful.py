"""helpers.stateful: the batch layout's continuity, and state resets on Keras 3."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.stateful import ResetStatesCallback, reset_rnn_states, stateful_layout


@pytest.mark.parametrize("seed", range(12))
def test_layout_continuity_for_random_sizes(seed):
    rng = np.random.default_rng(seed)
    batch_size, timesteps = int(rng.integers(1, 9)), int(rng.integers(1, 12))
    length = int(rng.integers(batch_size * timesteps + 1, 600))
    seq = np.arange(length)                    # each value is its own position
    lay = stateful_layout(seq, batch_size, timesteps)
    B = batch_size
    assert lay.x.shape == lay.y.shape == (lay.batches * B, timesteps)
    np.testing.assert_array_equal(lay.y, lay.x + 1)               # targets: one step ahead
    for k in range(lay.batches - 1):                              # row i continues row i
        np.testing.assert_array_equal(lay.x[(k + 1) * B:(k + 2) * B, 0],
                                      lay.x[k * B:(k + 1) * B, -1] + 1)
    for row in range(0, len(lay.x), max(1, len(lay.x) // 7)):     # position() is right
        assert lay.position(row, timesteps - 1) == lay.x[row, -1]
    assert len(np.unique(lay.x)) == lay.x.size == lay.used        # nothing used twice
    assert lay.used + lay.dropped == length
    # what is dropped: the stream remainders and the tail, never anything in the middle
    assert lay.dropped == length - B * lay.batches * timesteps
    assert lay.dropped < B * (timesteps + 1) + 1


def test_layout_keeps_feature_axes_and_dtype():
    seq = np.arange(40, dtype=np.float32).reshape(20, 2)          # (length, features)
    lay = stateful_layout(seq, batch_size=3, timesteps=2)
    assert lay.x.shape == (lay.batches * 3, 2, 2) and lay.x.dtype == np.float32
    np.testing.assert_array_equal(lay.y[:, :, 0], lay.x[:, :, 0] + 2)


def test_layout_small_example_by_hand():
    lay = stateful_layout(np.arange(13), batch_size=2, timesteps=3)
    # streams: 0..5 and 6..11 (12 is only a target); chunks of 3
    np.testing.assert_array_equal(lay.x, [[0, 1, 2], [6, 7, 8], [3, 4, 5], [9, 10, 11]])
    assert (lay.batches, lay.stream_length, lay.dropped) == (2, 6, 1)


@pytest.mark.parametrize("args, match", [
    ((np.arange(10), 0, 2), r"batch_size must be a positive integer; got 0"),
    ((np.arange(10), 2, 2.5), r"timesteps must be a positive integer; got 2.5"),
    ((np.arange(9), 3, 3), r"too short: batch_size=3 streams .* need 10 elements; got 9"),
    ((np.zeros((2, 3, 4)), 1, 1), r"sequence must be 1-D .* got shape \(2, 3, 4\)"),
])
def test_layout_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        stateful_layout(*args)


def stateful_model(batch_size=2, bidirectional=False):
    inputs = keras.Input(shape=(3, 1), batch_size=batch_size)
    lstm = keras.layers.LSTM(4, stateful=True, return_sequences=True, name="lstm")
    layer = keras.layers.Bidirectional(lstm, name="bi") if bidirectional else lstm
    hidden = layer(inputs)
    inner = keras.Sequential([keras.Input(shape=(3, hidden.shape[-1]), batch_size=batch_size),
                              keras.layers.GRU(2, stateful=True, name="gru")], name="inner")
    return keras.Model(inputs, inner(hidden))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_reset_rnn_states_zeroes_every_stateful_layer_including_nested(bidirectional):
    model = stateful_model(bidirectional=bidirectional)
    x = np.ones((2, 3, 1), "float32")
    first = model.predict(x, verbose=0)
    second = model.predict(x, verbose=0)           # states carried over: differs
    assert np.abs(first - second).max() > 1e-4
    names = reset_rnn_states(model)
    assert names == ["bi" if bidirectional else "lstm", "gru"]
    np.testing.assert_allclose(model.predict(x, verbose=0), first, atol=1e-6)


def test_reset_rnn_states_refuses_a_stateless_model():
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.LSTM(2)], name="plain")
    with pytest.raises(ValueError, match=r"'plain' has no stateful recurrent layer"):
        reset_rnn_states(model)


def test_callback_resets_at_epoch_start_and_every_n_batches(monkeypatch):
    import helpers.stateful as stateful

    events = []

    class Recorder(keras.callbacks.Callback):          # runs before the reset callback
        def on_train_batch_begin(self, batch, logs=None):
            events.append(f"batch {batch}")

    real = stateful.reset_rnn_states
    monkeypatch.setattr(stateful, "reset_rnn_states",
                        lambda model: (events.append("reset"), real(model))[1])
    model = stateful_model()
    model.compile("sgd", "mse")
    x, y = np.ones((12, 3, 1), "float32"), np.zeros((12, 2), "float32")   # 6 batches of 2
    model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0,
              callbacks=[Recorder(), ResetStatesCallback(every_n_batches=3)])
    one_epoch = ["reset", "batch 0", "reset", "batch 1", "batch 2", "batch 3", "reset",
                 "batch 4", "batch 5"]
    assert events == one_epoch * 2


def test_callback_without_n_resets_only_at_epoch_start(monkeypatch):
    import helpers.stateful as stateful

    calls = []
    monkeypatch.setattr(stateful, "reset_rnn_states", lambda model: calls.append(1))
    model = stateful_model()
    model.compile("sgd", "mse")
    x, y = np.ones((12, 3, 1), "float32"), np.zeros((12, 2), "float32")
    model.fit(x, y, batch_size=2, epochs=3, shuffle=False, verbose=0,
              callbacks=[ResetStatesCallback()])
    assert len(calls) == 3
    with pytest.raises(ValueError, match=r"every_n_batches must be a positive integer; got 0"):
        ResetStatesCallback(every_n_batches=0)
