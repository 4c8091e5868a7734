"""helpers.training.restart_from: retraining one compiled model equals training a fresh one."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.training import restart_from, reuse_traced


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6, 3)).astype("float32")
    x[::2, 4:] = 0.0                                     # some padded rows
    return x, (x[:, 0, 0] > 0).astype("int64")


def classifier(seed, units=8, optimizer="adam", masked=True, dropout=False):
    keras.utils.set_random_seed(seed)
    layers = [keras.Input((None, 3))] + ([keras.layers.Masking(0.0)] if masked else [])
    if dropout:   # draws masks from seed generators, whose states get_weights leaves out
        layers += [keras.layers.LSTM(units, dropout=0.3, recurrent_dropout=0.2),
                   keras.layers.Dropout(0.3)]
    else:
        layers += [keras.layers.LSTM(units)]
    model = keras.Sequential([*layers, keras.layers.Dense(2)])
    model.compile(optimizer, keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


@pytest.mark.parametrize("dropout", [False, True])
def test_retraining_a_restarted_model_equals_training_a_fresh_one(data, dropout):
    """With dropout too: a restarted model draws the fresh model's masks, not those of the
    model it used to be."""
    x, y = data
    used = classifier(seed=1, dropout=dropout)
    used.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    restart_from(used, classifier(seed=2, dropout=dropout))
    used.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    fresh = classifier(seed=2, dropout=dropout)
    fresh.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for mine, theirs in zip(used.get_weights(), fresh.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
    assert int(used.optimizer.iterations) == int(fresh.optimizer.iterations) == 8


def test_restart_from_a_model_that_never_trained(data):
    x, _ = data
    used, fresh = classifier(seed=1), classifier(seed=2)
    restart_from(used, fresh)
    np.testing.assert_allclose(used.predict(x, verbose=0), fresh.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize("other, message", [
    (lambda: classifier(seed=2, units=4), "fresh must have model's architecture"),
    (lambda: classifier(seed=2, optimizer="sgd"), "fresh must have model's optimizer"),
    (lambda: classifier(seed=2, dropout=True), "(?s)architecture.*dropout included"),
])
def test_restart_from_rejects_another_architecture_or_optimizer(other, message):
    with pytest.raises(ValueError, match=message):
        restart_from(classifier(seed=1), other())


def test_restart_from_rejects_an_uncompiled_model():
    keras.utils.set_random_seed(0)
    plain = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(8), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="model must be a compiled Keras model"):
        restart_from(plain, classifier(seed=2, masked=False))


def test_reuse_traced_keeps_one_model_per_key_and_restarts_it_from_the_fresh_one(data):
    x, _ = data
    traced = {}
    first = classifier(seed=1)
    assert reuse_traced(traced, "lstm-8", first) is first and traced == {"lstm-8": first}
    second = classifier(seed=2)
    reused = reuse_traced(traced, "lstm-8", second)
    assert reused is first                                    # the traced model, not a new one
    np.testing.assert_allclose(reused.predict(x, verbose=0), second.predict(x, verbose=0),
                               atol=1e-6)                     # ... with the fresh one's weights
    other = classifier(seed=3, units=4)
    assert reuse_traced(traced, "lstm-4", other) is other and len(traced) == 2
