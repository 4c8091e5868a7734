"""Sequences of different lengths: a real multivariate set, and padding that keeps the lengths.

* :func:`load_japanese_vowels` reads the Japanese Vowels set (Kudo, Toyama & Shimbo 1999)
  from the copy inside sktime's wheel, through sktime's own loader: no download.
* :func:`pad_with_lengths` pads a list of ``(timesteps_i, features)`` arrays into one
  ``(batch, timesteps, features)`` array with ``keras.utils.pad_sequences`` and returns each
  sequence's true length beside it.

sktime and Keras are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import positive_int

__all__ = ["JAPANESE_VOWELS_SPLITS", "load_japanese_vowels", "pad_with_lengths"]

JAPANESE_VOWELS_SPLITS = {"train": 270, "test": 370}   # utterances in the standard split


def load_japanese_vowels(split: str) -> tuple[list[np.ndarray], np.ndarray]:
    """The Japanese Vowels utterances of one split, as a list of arrays and integer labels.

    Nine male speakers said the vowels /ae/; each utterance is 7 to 29 frames of 12 LPC
    cepstrum coefficients. The task is to name the speaker.

    Args:
        split: ``"train"`` (270 utterances) or ``"test"`` (370): the standard split.

    Returns:
        ``(sequences, labels)``: ``sequences[i]`` is a float32 array ``(frames_i, 12)``
        (timesteps, features); ``labels`` is an int64 array of speakers 0 to 8 (the
        archive's labels 1 to 9, minus one).

    Raises:
        ValueError: ``split`` is neither ``"train"`` nor ``"test"``.
        ModuleNotFoundError: sktime is not installed (it holds the data).

    Source: M. Kudo, J. Toyama, M. Shimbo (1999), "Multidimensional curve classification
    using passing-through regions", Pattern Recognition Letters 20; the copy of the UEA/UCR
    archive in sktime (``sktime.datasets.load_japanese_vowels``).
    """
    if split not in JAPANESE_VOWELS_SPLITS:
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}. The standard split "
                         "has 270 training and 370 test utterances.")
    from helpers.notebook import require

    require("sktime", "load_japanese_vowels (the data ships inside sktime's wheel)",
            extra="sktime")
    from sktime.datasets import load_japanese_vowels as sktime_loader

    frame, labels = sktime_loader(split=split, return_X_y=True)
    # sktime's nested format: one row per utterance, one pandas Series per channel
    sequences = [np.stack([np.asarray(frame.iloc[row, channel], np.float32)
                           for channel in range(frame.shape[1])], axis=1)
                 for row in range(frame.shape[0])]
    return sequences, np.asarray(labels).astype(np.int64) - 1


def pad_with_lengths(sequences, *, padding: str = "post", value: float = 0.0,
                     maxlen: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pad sequences of different lengths into one array, and keep each true length.

    Args:
        sequences: a non-empty list of arrays ``(timesteps_i, features)``, the same
            ``features`` for all.
        padding: ``"post"`` (zeros after the data: the layout Keras 3's cuDNN kernel needs
            for masks) or ``"pre"`` (before it, ``keras.utils.pad_sequences``'s default).
        value: the padding value. With ``keras.layers.Masking(mask_value=value)``, pick a
            value no real timestep holds in every feature.
        maxlen: the padded length; default the longest sequence. Longer sequences are cut
            on the same side as the padding.

    Returns:
        ``(padded, lengths)``: float32 ``(batch, timesteps, features)`` and int64
        ``(batch,)``, each length at most ``maxlen``.

    Raises:
        ValueError: ``sequences`` is empty, an item is not 2-D or has another number of
            features, ``padding`` is neither ``"post"`` nor ``"pre"``, or ``maxlen`` is not a
            positive integer.

    Source: Keras docs, ``keras.utils.pad_sequences``.
    """
    import keras

    if padding not in ("post", "pre"):
        raise ValueError(f"padding must be 'post' or 'pre'; got {padding!r}.")
    arrays = [np.asarray(s, np.float32) for s in sequences]
    if not arrays:
        raise ValueError("sequences must hold at least one sequence; got an empty list.")
    if arrays[0].ndim != 2:
        raise ValueError(f"sequences[0] must be 2-D (timesteps, features); got shape "
                         f"{arrays[0].shape}. For one feature, add an axis: s[:, None].")
    features = arrays[0].shape[1]
    for i, array in enumerate(arrays):
        if array.ndim != 2 or array.shape[1] != features:
            raise ValueError(f"sequences[{i}] must be 2-D (timesteps, features) with the "
                             f"features of sequences[0] ({features}); got shape {array.shape}.")
    if maxlen is not None:
        maxlen = positive_int("maxlen", maxlen, "Leave it at None to pad to the longest.")
    lengths = np.array([len(a) for a in arrays], np.int64)
    if maxlen is not None:
        lengths = np.minimum(lengths, maxlen)
    padded = keras.utils.pad_sequences(arrays, maxlen=maxlen, dtype="float32",
                                       padding=padding, truncating=padding, value=value)
    return padded, lengths
