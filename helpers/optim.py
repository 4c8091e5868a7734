"""Embedding gradients and Adam on the TensorFlow backend: the lr*sqrt(k) effect, and a fix.

On the TensorFlow backend an ``Embedding`` layer's gradient arrives as a
``tf.IndexedSlices`` (one slice per looked-up id, repeats included). Keras 3.15's Adam then
moves a row that appears ``k`` times in a batch by about ``lr * sqrt(k)`` on the first step,
instead of the ``lr`` that Adam's normalisation promises (JAX and torch move ``lr``).
:class:`DenseGradientAdam` converts such gradients to dense tensors first, which removes the
difference. :func:`embedding_row_step` measures the step.

Source: Kingma & Ba (2015), "Adam" (the first step of every parameter is about ``lr``);
``tests/test_optim.py`` pins the behaviour of the installed Keras.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from helpers.checks import positive_int

__all__ = ["DenseGradientAdam", "embedding_row_step"]


@keras.saving.register_keras_serializable(package="helpers")
class DenseGradientAdam(keras.optimizers.Adam):
    """Adam that densifies ``tf.IndexedSlices`` gradients (e.g. an Embedding's) first.

    Same arguments as ``keras.optimizers.Adam``. Costs a dense ``(vocabulary, dim)`` gradient
    per step for each embedding matrix.
    """

    def apply(self, grads, trainable_variables=None):
        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                 for g in grads]
        return super().apply(grads, trainable_variables)


def embedding_row_step(k: int, optimizer_class=keras.optimizers.Adam, lr: float = 0.01) -> float:
    """How far one optimizer step moves an embedding row looked up ``k`` times in the batch.

    The loss is the sum of the looked-up values, so every occurrence contributes a gradient
    of 1 to the row.

    Raises:
        ValueError: ``k`` is not a positive integer.
    """
    k = positive_int("k", k, "Pass how often the row is looked up in the batch, e.g. k=4.")
    embedding = keras.layers.Embedding(10, 1, embeddings_initializer="zeros")
    embedding.build((None,))
    optimizer = optimizer_class(learning_rate=lr)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(embedding(tf.constant([3] * k)))
    optimizer.apply(tape.gradient(loss, embedding.trainable_variables),
                    embedding.trainable_variables)
    return float(abs(embedding.embeddings.numpy()[3, 0]))
