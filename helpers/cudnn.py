"""When Keras 3 can run an LSTM or GRU layer on cuDNN, the fast fused GPU kernel.

On the TensorFlow backend, ``keras.layers.LSTM`` and ``keras.layers.GRU`` (with the default
``use_cudnn="auto"``) call cuDNN only when every condition below holds, and otherwise run
the generic loop, which is many times slower on a GPU. On a CPU cuDNN is never used.
:func:`cudnn_conditions` reads the conditions off a layer's configuration, so a notebook
can print why a layer will or will not get cuDNN without a GPU at hand. The conditions are
those of Keras 3.15's source: ``keras/src/backend/tensorflow/rnn.py``
(``_do_lstm_arguments_support_cudnn``, ``_do_gru_arguments_support_cudnn``,
``_assert_valid_mask``) and the layers' ``inner_loop`` (``recurrent_dropout``);
``tests/test_cudnn.py`` checks them against those functions.

The mask condition is about the data, not the layer: a mask must be right-padded (every
row ``True`` then ``False``, as ``padding="post"`` gives) with no row fully masked. On a
GPU a left-padded mask is not a silent fallback: it fails inside ``fit``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cudnn_conditions", "mask_is_cudnn_compatible"]


def cudnn_conditions(layer) -> dict[str, bool]:
    """Which of Keras 3's cuDNN conditions a ``keras.layers.LSTM`` or ``GRU`` meets.

    Args:
        layer: a ``keras.layers.LSTM`` or ``keras.layers.GRU`` (built or not).

    Returns:
        An ordered dict ``condition -> met``: ``activation is tanh``, ``recurrent_activation
        is sigmoid``, ``recurrent_dropout == 0``, ``unroll is False``, ``use_bias``,
        ``use_cudnn is not False``, and for a GRU ``reset_after``. cuDNN runs only if all
        are ``True``, a GPU is present and the mask (if any) passes
        :func:`mask_is_cudnn_compatible`.

    Raises:
        TypeError: ``layer`` is neither an LSTM nor a GRU layer (SimpleRNN has no cuDNN path).

    Source: Keras 3.15, ``keras/src/backend/tensorflow/rnn.py`` and
    ``keras/src/layers/rnn/lstm.py``, ``gru.py``; Keras docs, "LSTM layer" (``use_cudnn``).
    """
    import keras

    if not isinstance(layer, keras.layers.LSTM | keras.layers.GRU):
        raise TypeError(f"layer must be a keras.layers.LSTM or keras.layers.GRU; got "
                        f"{type(layer).__name__}. SimpleRNN and other layers have no cuDNN "
                        "kernel in Keras 3.")
    config = layer.get_config()
    conditions = {
        "activation is tanh": config["activation"] == "tanh",
        "recurrent_activation is sigmoid": config["recurrent_activation"] == "sigmoid",
        "recurrent_dropout == 0": not config["recurrent_dropout"],
        "unroll is False": not config["unroll"],
        "use_bias": bool(config["use_bias"]),
        "use_cudnn is not False": getattr(layer, "use_cudnn", "auto") is not False,
    }
    if isinstance(layer, keras.layers.GRU):
        conditions["reset_after"] = bool(config["reset_after"])
    return conditions


def mask_is_cudnn_compatible(mask) -> bool:
    """Whether a mask ``(batch, timesteps)`` meets cuDNN's rule in Keras 3: every row is
    ``True`` for a prefix and ``False`` after it (right padding), and no row is all ``False``.

    Raises:
        ValueError: ``mask`` is not 2-D.
    """
    mask = np.asarray(mask, bool)
    if mask.ndim != 2:
        raise ValueError(f"mask must be 2-D (batch, timesteps); got shape {mask.shape}.")
    lengths = mask.sum(axis=1)
    right_padded = (mask == (np.arange(mask.shape[1]) < lengths[:, np.newaxis])).all()
    return bool(right_padded and (lengths > 0).all())
