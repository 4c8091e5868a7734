"""Stateful recurrent layers on Keras 3: the batch layout, and resetting states.

A stateful layer keeps its final states after each batch and starts the next batch from
them, row by row: sample ``i`` of batch ``k+1`` continues from sample ``i`` of batch ``k``.
That only means something if the data are laid out so that it is true.
:func:`stateful_layout` does that for one long sequence (the layout of char-rnn and of
fastai's language-model loader): cut it into ``batch_size`` streams, then cut every
stream into consecutive chunks of ``timesteps``.

Keras 3 removed ``model.reset_states()``; :func:`reset_rnn_states` resets every stateful
layer of a model, and :class:`ResetStatesCallback` does it during ``fit``.

Sources: Keras docs, "RNN layer" (note on statefulness: static batch size, ``shuffle=False``,
``layer.reset_state()``); Karpathy's char-rnn, ``CharSplitLMMinibatchLoader``.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from helpers.checks import positive_int

__all__ = ["ResetStatesCallback", "StatefulLayout", "reset_rnn_states", "stateful_layout"]


@dataclass(frozen=True)
class StatefulLayout:
    """Inputs and targets laid out for a stateful layer.

    ``x`` and ``y`` have shape ``(batches * batch_size, timesteps, *features)``; rows
    ``k*batch_size ... (k+1)*batch_size - 1`` form batch ``k``, and row ``k*batch_size + i``
    is chunk ``k`` of stream ``i``. ``y`` is ``x`` shifted one step ahead in the sequence.
    Feed them with ``fit(x, y, batch_size=batch_size, shuffle=False)``.
    """

    x: np.ndarray
    y: np.ndarray
    batch_size: int
    timesteps: int
    batches: int
    stream_length: int   # steps per stream before cutting into chunks
    used: int            # sequence elements that appear in x
    dropped: int         # elements of the sequence never fed as input

    def position(self, row: int, step: int) -> int:
        """Index in the original sequence of ``x[row, step]``."""
        batch, stream = divmod(row, self.batch_size)
        return stream * self.stream_length + batch * self.timesteps + step


def stateful_layout(sequence, batch_size: int, timesteps: int) -> StatefulLayout:
    """Lay out one long sequence so that batch ``k+1`` continues batch ``k`` row by row.

    The sequence (minus its last element, which is only ever a target) is cut into
    ``batch_size`` equal streams of ``stream_length = (len - 1) // batch_size`` steps; each
    stream is cut into ``batches = stream_length // timesteps`` chunks. What does not fit is
    dropped: the remainder of the division into streams (at the end of the sequence) and the
    last ``stream_length - batches * timesteps`` steps of every stream. A stateful layer
    needs every batch full (its batch size is fixed) and every chunk the same length.

    Args:
        sequence: ``(length,)`` tokens or values, or ``(length, features)``.
        batch_size: number of parallel streams (= the model's static batch size).
        timesteps: length of each chunk (the truncation length of backpropagation).

    Returns:
        :class:`StatefulLayout`.

    Raises:
        ValueError: ``batch_size`` or ``timesteps`` is not a positive integer, ``sequence``
            is not 1-D or 2-D, or it is shorter than ``batch_size * timesteps + 1``.
    """
    batch_size = positive_int("batch_size", batch_size,
                           "Use the static batch size of the stateful model, e.g. 32.")
    timesteps = positive_int("timesteps", timesteps,
                          "Use the chunk length the model is built for, e.g. 64.")
    seq = np.asarray(sequence)
    if seq.ndim not in (1, 2):
        raise ValueError(f"sequence must be 1-D (length,) or 2-D (length, features); got shape "
                         f"{seq.shape}. Concatenate several sequences into one first.")
    need = batch_size * timesteps + 1
    if len(seq) < need:
        raise ValueError(
            f"sequence is too short: batch_size={batch_size} streams of at least "
            f"timesteps={timesteps} steps need {need} elements; got {len(seq)}. Use a smaller "
            "batch_size or timesteps.")
    stream_length = (len(seq) - 1) // batch_size
    batches = stream_length // timesteps
    span = batches * timesteps
    feature_shape = seq.shape[1:]

    def arrange(a):  # (B*L, ...) -> streams (B, L, ...) -> chunks -> batch-major rows
        streams = a[: batch_size * stream_length].reshape(batch_size, stream_length,
                                                          *feature_shape)
        chunks = streams[:, :span].reshape(batch_size, batches, timesteps, *feature_shape)
        return chunks.swapaxes(0, 1).reshape(batches * batch_size, timesteps, *feature_shape)

    x, y = arrange(seq), arrange(seq[1:])
    used = batches * batch_size * timesteps
    return StatefulLayout(x=x, y=y, batch_size=batch_size, timesteps=timesteps, batches=batches,
                          stream_length=stream_length, used=used, dropped=len(seq) - used)


def _stateful_layers(layer):
    """Yield the stateful recurrent layers in ``layer`` (recursing into models/wrappers)."""
    if isinstance(layer, keras.layers.Bidirectional):
        if layer.forward_layer.stateful:
            yield layer
        return
    if isinstance(layer, keras.layers.RNN):
        if layer.stateful:
            yield layer
        return
    for sub in getattr(layer, "layers", []):
        yield from _stateful_layers(sub)


def reset_rnn_states(model) -> list[str]:
    """Reset the states of every stateful recurrent layer in ``model`` to zeros.

    Keras 3 replacement for Keras 2's ``model.reset_states()``: calls ``reset_state()`` on
    each stateful ``RNN`` layer (LSTM, GRU, SimpleRNN, RNN) and ``Bidirectional`` wrapper,
    including those inside nested models.

    Returns:
        The names of the layers that were reset.

    Raises:
        ValueError: the model has no stateful recurrent layer (nothing to reset: was it
            built with ``stateful=True``?).
    """
    layers = list(_stateful_layers(model))
    if not layers:
        raise ValueError(f"{getattr(model, 'name', model)!r} has no stateful recurrent layer, so "
                         "there is nothing to reset. Build the layers with stateful=True, or "
                         "drop the reset: stateless layers start every batch from zeros.")
    for layer in layers:
        layer.reset_state()
    return [layer.name for layer in layers]


class ResetStatesCallback(keras.callbacks.Callback):
    """Reset a model's stateful layers at the start of every epoch (and, optionally, of
    every ``every_n_batches``-th batch), during ``fit``, ``evaluate`` and ``predict``.

    Use ``every_n_batches`` when the data hold independent groups of consecutive batches:
    e.g. sequences cut into 3 chunks each, laid out as 3 batches, need a reset every 3
    batches so that one group's final state does not leak into the next group.

    Args:
        every_n_batches: also reset before batches 0, n, 2n, ... of each epoch; None: only
            at epoch start (and at the start of evaluate/predict).

    Raises:
        ValueError: ``every_n_batches`` is not None or a positive integer.
    """

    def __init__(self, every_n_batches: int | None = None):
        super().__init__()
        if every_n_batches is not None:
            every_n_batches = positive_int("every_n_batches", every_n_batches,
                                        "Use None to reset only at the start of each epoch.")
        self.every_n_batches = every_n_batches

    def _maybe_reset(self, batch):
        if batch == 0 or (self.every_n_batches and batch % self.every_n_batches == 0):
            reset_rnn_states(self.model)

    def on_epoch_begin(self, epoch, logs=None):
        reset_rnn_states(self.model)

    def on_train_batch_begin(self, batch, logs=None):
        if self.every_n_batches:
            self._maybe_reset(batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._maybe_reset(batch)

    def on_predict_batch_begin(self, batch, logs=None):
        self._maybe_reset(batch)
