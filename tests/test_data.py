"""helpers.data: windowing, one-hot, character vocabulary."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import CharVocab, make_windows, one_hot


# ---------------------------------------------------------------- make_windows
@pytest.mark.parametrize("length, features, timesteps, horizon, stride", [
    (20, 1, 5, 1, 1), (20, 3, 5, 1, 1), (21, 2, 4, 3, 2), (50, 1, 7, 2, 5),
    (10, 1, 9, 1, 1), (10, 1, 1, 1, 3), (37, 4, 6, 4, 7),
])
def test_make_windows_matches_keras_timeseries_dataset(length, features, timesteps, horizon,
                                                       stride):
    import keras

    rng = np.random.default_rng(length * 100 + timesteps)
    series = rng.normal(size=(length, features)).astype(np.float32)
    X, y = make_windows(series, timesteps, horizon=horizon, stride=stride)

    # Keras: inputs from data[:-horizon], targets aligned to each window's start.
    ds = keras.utils.timeseries_dataset_from_array(
        series[:-horizon], series[timesteps + horizon - 1:], sequence_length=timesteps,
        sequence_stride=stride, batch_size=10_000, shuffle=False)
    Xk, yk = next(iter(ds))
    np.testing.assert_array_equal(X, Xk.numpy())
    np.testing.assert_array_equal(y, yk.numpy())
    assert X.shape == ((length - timesteps - horizon) // stride + 1, timesteps, features)


def test_make_windows_1d_series_gets_one_feature_and_values_are_right():
    X, y = make_windows([0, 1, 2, 3, 4, 5], timesteps=3)
    assert X.shape == (3, 3, 1) and y.shape == (3, 1)
    assert X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    np.testing.assert_array_equal(y[:, 0], [3, 4, 5])


def test_make_windows_horizon_and_stride():
    X, y = make_windows(np.arange(10), timesteps=2, horizon=3, stride=4)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1], [4, 5]])
    np.testing.assert_array_equal(y[:, 0], [4, 8])


def test_make_windows_returns_copies():
    series = np.arange(8, dtype=np.float32)
    X, _ = make_windows(series, 3)
    X[0, 0, 0] = 99
    assert series[0] == 0


WINDOW_FIX = "Pass the window length, e.g. timesteps=24."
STRIDE_FIX = "Use stride=1 for every window, stride=k to keep every k-th."
SHORT_FIX = "Use a shorter window or a longer series."
FILL_FIX = "Fill or drop them first, e.g. pandas' .interpolate() or .dropna()."


@pytest.mark.parametrize("kwargs, match, fix", [
    (dict(series=np.zeros((2, 3, 4)), timesteps=1), r"series must be 1-D .* got ndim=3",
     "A batch of separate series should be windowed one by one and the results concatenated."),
    (dict(series=np.zeros(5), timesteps=5), r"timesteps=5 with horizon=1 needs .* at least 6",
     SHORT_FIX),
    (dict(series=np.zeros(5), timesteps=3, horizon=3), r"at least 6 steps; got length 5",
     SHORT_FIX),
    (dict(series=np.zeros(5), timesteps=2, stride=0), r"stride must be a positive integer; got 0",
     STRIDE_FIX),
    (dict(series=np.zeros(5), timesteps=2, stride=-1), r"stride must be a positive integer",
     STRIDE_FIX),
    (dict(series=np.zeros(5), timesteps=0), r"timesteps must be a positive integer; got 0",
     WINDOW_FIX),
    (dict(series=np.zeros(5), timesteps=2.5), r"timesteps must be a positive integer; got 2.5",
     WINDOW_FIX),
    (dict(series=np.zeros(5), timesteps=True), r"timesteps must be a positive integer",
     WINDOW_FIX),
    (dict(series=np.zeros(5), timesteps=2, horizon=0), r"horizon must be a positive integer",
     "Use horizon=1 to predict the step right after each window."),
    (dict(series=[1.0, np.nan, 3.0, 4.0], timesteps=2), r"NaN or infinity \(first at row 1\)",
     FILL_FIX),
    (dict(series=[1.0, 2.0, np.inf, 4.0], timesteps=2), r"NaN or infinity", FILL_FIX),
    (dict(series=np.array(["a", "b", "c"]), timesteps=1), r"series must be numeric",
     "Convert it first, e.g. np.asarray(series, dtype='float32')."),
])
def test_make_windows_bad_input_names_the_argument_and_the_fix(kwargs, match, fix):
    with pytest.raises(ValueError, match=match) as info:
        make_windows(**kwargs)
    # every message ends with what to do about it, not only what is wrong
    assert str(info.value).endswith(fix), str(info.value)


# ---------------------------------------------------------------- one_hot
def test_one_hot_matches_keras_and_the_seed_example():
    import keras

    x = one_hot([4, 7, 8, 4], depth=10)
    assert x.shape == (4, 10) and x.dtype == np.float32
    np.testing.assert_array_equal(x.argmax(axis=-1), [4, 7, 8, 4])
    np.testing.assert_array_equal(x.sum(axis=-1), 1.0)
    ids = np.random.default_rng(0).integers(0, 65, size=(3, 7))
    np.testing.assert_array_equal(one_hot(ids, 65),
                                  keras.ops.convert_to_numpy(keras.ops.one_hot(ids, 65)))


def test_one_hot_empty_input_keeps_shape():
    assert one_hot(np.zeros((0, 3), dtype=int), 5).shape == (0, 3, 5)


@pytest.mark.parametrize("ids, depth, match", [
    ([0, 10], 10, r"ids must lie in \[0, depth=10\); got values from 0 to 10"),
    ([-1, 2], 10, r"got values from -1 to 2"),
    ([0.5, 1.0], 10, r"ids must be integers; got dtype float64"),
    ([0, 1], 0, r"depth must be a positive integer; got 0"),
])
def test_one_hot_bad_input(ids, depth, match):
    with pytest.raises(ValueError, match=match):
        one_hot(ids, depth)


# ---------------------------------------------------------------- CharVocab
def test_char_vocab_round_trip_sorted_ids_and_unicode():
    text = "To be, or not to be: that is the question.\nΩ café ✓"
    vocab = CharVocab(text)
    assert vocab.chars == "".join(sorted(set(text)))
    ids = vocab.encode(text)
    assert ids.dtype == np.int32 and ids.shape == (len(text),)
    assert vocab.decode(ids) == text
    assert vocab.decode([]) == "" and vocab.encode("").shape == (0,)


def test_char_vocab_agrees_with_keras_string_lookup():
    import keras

    text = "First Citizen:\nBefore we proceed any further, hear me speak."
    vocab = CharVocab(text)
    lookup = keras.layers.StringLookup(vocabulary=list(vocab.chars), num_oov_indices=0)
    keras_ids = keras.ops.convert_to_numpy(lookup(list(text)))
    np.testing.assert_array_equal(vocab.encode(text), keras_ids)


def test_char_vocab_on_tiny_shakespeare(shakespeare_path):
    text = shakespeare_path.read_text(encoding="utf-8")
    vocab = CharVocab(text)
    assert len(vocab) == 65
    assert vocab.decode(vocab.encode(text)) == text


@pytest.mark.parametrize("call, error, match", [
    (lambda v: CharVocab(""), ValueError, r"at least one character"),
    (lambda v: CharVocab(b"bytes"), TypeError, r"text must be a str; got bytes"),
    (lambda v: v.encode("abz!"), ValueError, r"2 character\(s\) not in the vocabulary: '!z'"),
    (lambda v: v.decode([0, 3]), ValueError, r"ids must lie in \[0, len\(vocab\)=3\)"),
    (lambda v: v.decode([-1]), ValueError, r"ids must lie in \[0, len\(vocab\)=3\)"),
    (lambda v: v.decode([0.0]), ValueError, r"got dtype float64"),
])
def test_char_vocab_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call(CharVocab("abc"))
