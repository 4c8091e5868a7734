"""helpers.optim: pins today's Keras behaviour, so an upgrade that changes it is noticed."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers.optim import DenseGradientAdam, embedding_row_step


def test_embedding_gradients_are_indexed_slices_on_tensorflow():
    embedding = keras.layers.Embedding(5, 2)
    embedding.build((None,))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(embedding(tf.constant([1, 1, 2])))
    assert isinstance(tape.gradient(loss, embedding.embeddings), tf.IndexedSlices)


def test_keras_adam_moves_a_repeated_row_by_lr_sqrt_k():
    # If this fails after a Keras upgrade, the quirk changed: revisit notebooks 05 and 06.
    steps = [embedding_row_step(k) for k in (1, 4, 100)]
    np.testing.assert_allclose(steps, [0.01, 0.02, 0.10], rtol=1e-3)


def test_dense_gradient_adam_moves_every_row_by_lr():
    steps = [embedding_row_step(k, DenseGradientAdam) for k in (1, 4, 100)]
    np.testing.assert_allclose(steps, [0.01, 0.01, 0.01], rtol=1e-3)


def test_dense_gradient_adam_matches_adam_on_dense_gradients():
    rng = np.random.default_rng(0)
    results = []
    for cls in (keras.optimizers.Adam, DenseGradientAdam):
        w = keras.Variable(np.ones((3, 2), "float32"))
        opt = cls(learning_rate=0.1)
        for _ in range(3):
            opt.apply([tf.constant(rng.normal(size=(3, 2)), tf.float32)], [w])
        results.append(w.numpy())
        rng = np.random.default_rng(0)
    np.testing.assert_allclose(results[0], results[1])


def test_dense_gradient_adam_round_trips_through_saving(tmp_path):
    model = keras.Sequential([keras.Input((3,), dtype="int32"), keras.layers.Embedding(5, 2)])
    model.compile(DenseGradientAdam(0.01), "mse")
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert isinstance(loaded.optimizer, DenseGradientAdam)


def test_embedding_row_step_rejects_bad_k():
    with pytest.raises(ValueError, match=r"^k must be a positive integer; got 0\. Pass how often "
                                         r"the row is looked up in the batch, e\.g\. k=4\.$"):
        embedding_row_step(0)
