"""Turning raw sequences into what a recurrent layer eats.

* :func:`make_windows` cuts a series into ``(samples, timesteps, features)`` inputs
  and their targets (the sliding-window layout of
  ``keras.utils.timeseries_dataset_from_array``, as plain NumPy arrays).
* :func:`one_hot` turns integer ids into one-hot vectors.
* :class:`CharVocab` maps text to integer tokens and back.

Everything here is NumPy only (no TensorFlow import), so it is cheap to import.
Bad input raises ``ValueError`` (or ``TypeError`` for a wrong type) whose message names
the argument, what was expected, what was given, and how to fix it.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import ids_in_range, positive_int

__all__ = ["CharVocab", "make_windows", "one_hot"]


def make_windows(series, timesteps: int, horizon: int = 1, stride: int = 1):
    """Cut a series into overlapping input windows and the value that follows each.

    Window ``i`` covers rows ``i*stride ... i*stride + timesteps - 1`` of ``series``; its
    target is row ``i*stride + timesteps - 1 + horizon`` (``horizon=1``: the next step).
    Windows are built only while their target exists, so

        samples = (len(series) - timesteps - horizon) // stride + 1

    Args:
        series: array-like of shape ``(length,)`` (one feature) or
            ``(length, features)``. Numeric, with no NaN or infinity.
        timesteps: length of each input window (>= 1).
        horizon: how many steps after the window's last step the target lies (>= 1).
        stride: steps between the starts of consecutive windows (>= 1).

    Returns:
        ``(X, y)``: ``X`` of shape ``(samples, timesteps, features)`` and ``y`` of shape
        ``(samples, features)``, both float32 copies (editing them leaves ``series``
        alone). A 1-D series gives ``features = 1``.

    Raises:
        ValueError: ``series`` is not 1-D or 2-D, is not numeric, holds NaN/inf, or is
            too short for one window plus its target; ``timesteps``, ``horizon`` or
            ``stride`` is not a positive integer.

    Source: the window/target layout of ``keras.utils.timeseries_dataset_from_array``
    (Keras docs, "Timeseries data loading") with ``data=series[:-horizon]`` and
    ``targets=series[timesteps + horizon - 1:]``; ``tests/test_data.py`` checks the two agree.
    """
    timesteps = positive_int("timesteps", timesteps,
                              "Pass the window length, e.g. timesteps=24.")
    horizon = positive_int("horizon", horizon,
                            "Use horizon=1 to predict the step right after each window.")
    stride = positive_int("stride", stride,
                           "Use stride=1 for every window, stride=k to keep every k-th.")
    arr = np.asarray(series)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"series must be numeric; got dtype {arr.dtype}. "
                         "Convert it first, e.g. np.asarray(series, dtype='float32').")
    if arr.ndim == 1:
        arr = arr[:, np.newaxis]
    elif arr.ndim != 2:
        raise ValueError(
            f"series must be 1-D (length,) or 2-D (length, features); got ndim={arr.ndim}, "
            f"shape {arr.shape}. A batch of separate series should be windowed one by one "
            "and the results concatenated.")
    if not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
        raise ValueError(
            f"series holds {bad.size} rows with NaN or infinity (first at row {bad[0]}); "
            "an LSTM would propagate them into every later step. Fill or drop them first, "
            "e.g. pandas' .interpolate() or .dropna().")
    length = arr.shape[0]
    if length < timesteps + horizon:
        raise ValueError(
            f"timesteps={timesteps} with horizon={horizon} needs a series of at least "
            f"{timesteps + horizon} steps; got length {length}. Use a shorter window "
            "or a longer series.")
    samples = (length - timesteps - horizon) // stride + 1
    starts = np.arange(samples) * stride                     # (samples,)
    idx = starts[:, np.newaxis] + np.arange(timesteps)       # (samples, timesteps)
    X = arr[idx].astype(np.float32)                          # (samples, timesteps, features)
    y = arr[starts + timesteps - 1 + horizon].astype(np.float32)  # (samples, features)
    return X, y


def one_hot(ids, depth: int) -> np.ndarray:
    """One-hot encode integer ids.

    Args:
        ids: integer array-like of any shape, e.g. ``(timesteps,)`` or
            ``(batch, timesteps)``, with values in ``[0, depth)``.
        depth: number of classes (the vocabulary size), >= 1.

    Returns:
        float32 array of shape ``ids.shape + (depth,)``: 1.0 at each id, 0.0 elsewhere.
        It takes ``depth`` times the memory of int32 ids (4 bytes per class per token).

    Raises:
        ValueError: ``depth`` is not a positive integer, ``ids`` is not integer, or an
            id lies outside ``[0, depth)``.

    Source: same result as ``keras.ops.one_hot(ids, depth)`` (Keras docs, "Core ops").
    """
    depth = positive_int("depth", depth, "Pass the vocabulary size, e.g. len(vocab).")
    arr = ids_in_range("ids", ids, depth, "depth", "Use depth = vocabulary size (max id + 1), "
                       "and ids encoded by that vocabulary (e.g. CharVocab.encode).")
    # One row of the identity matrix per id: the definition of one-hot, vectorized.
    return np.eye(depth, dtype=np.float32)[arr.astype(np.intp)]


class CharVocab:
    """A character vocabulary: each distinct character gets an integer id.

    Ids are assigned in sorted (code point) order, so the same text always gives the
    same vocabulary. Tiny Shakespeare has 65 characters: ids 0..64.

    Example:
        >>> vocab = CharVocab("hello")
        >>> vocab.chars
        'ehlo'
        >>> vocab.encode("hole").tolist()
        [1, 3, 2, 0]
        >>> vocab.decode([1, 3, 2, 0])
        'hole'

    Raises:
        ValueError: from the constructor for empty text; from :meth:`encode` for a
            character the vocabulary lacks; from :meth:`decode` for an id out of range.

    Source: the same mapping as ``keras.layers.StringLookup(vocabulary=list(vocab.chars),
    num_oov_indices=0)`` (checked in ``tests/test_data.py``).
    """

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise TypeError(f"text must be a str; got {type(text).__name__}. "
                            "Decode bytes first, e.g. data.decode('utf-8').")
        if not text:
            raise ValueError("text must hold at least one character; got ''. "
                             "Pass the corpus the vocabulary should cover.")
        self._codes = np.unique(self._code_points(text))        # sorted, distinct
        self.chars = "".join(map(chr, self._codes))

    @staticmethod
    def _code_points(text: str) -> np.ndarray:
        # UTF-32 gives one 4-byte code point per character: vectorized, no Python loop.
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        more = "..." if len(self) > 20 else ""
        return f"CharVocab({len(self)} characters: {self.chars[:20]!r}{more})"

    def encode(self, text: str) -> np.ndarray:
        """Map ``text`` to an int32 array of shape ``(len(text),)``.

        Raises:
            ValueError: ``text`` holds characters that are not in the vocabulary.
        """
        codes = self._code_points(text)
        ids = np.searchsorted(self._codes, codes)
        ids_clipped = np.minimum(ids, len(self._codes) - 1)
        unknown = self._codes[ids_clipped] != codes
        if unknown.any():
            missing = "".join(sorted(set(chr(c) for c in codes[unknown])))
            raise ValueError(
                f"text holds {len(missing)} character(s) not in the vocabulary: {missing!r}. "
                "Build the vocabulary from text that contains them, or remove them.")
        return ids.astype(np.int32)

    def decode(self, ids) -> str:
        """Map integer ids (any 1-D array-like) back to a string.

        Raises:
            ValueError: an id lies outside ``[0, len(self))``.
        """
        arr = ids_in_range("ids", ids, len(self), "len(vocab)",
                           "Decode with the vocabulary that encoded them.").reshape(-1)
        if arr.size == 0:
            return ""
        return self._codes[arr].astype("<u4").tobytes().decode("utf-32-le")
