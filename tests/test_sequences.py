"""helpers.sequences: the Japanese Vowels loader and padding with lengths."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.sequences import JAPANESE_VOWELS_SPLITS, load_japanese_vowels, pad_with_lengths


@pytest.mark.parametrize("split", ["train", "test"])
def test_japanese_vowels_is_the_standard_split(split):
    sequences, labels = load_japanese_vowels(split)
    assert len(sequences) == len(labels) == JAPANESE_VOWELS_SPLITS[split]
    assert all(s.dtype == np.float32 and s.ndim == 2 and s.shape[1] == 12 for s in sequences)
    lengths = [len(s) for s in sequences]
    assert 7 <= min(lengths) and max(lengths) <= 29
    assert labels.dtype == np.int64 and set(labels) == set(range(9))


def test_japanese_vowels_bad_split():
    with pytest.raises(ValueError, match=r"split must be 'train' or 'test'; got 'valid'\."):
        load_japanese_vowels("valid")


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_padding_keeps_the_data_and_the_lengths(padding):
    rng = np.random.default_rng(0)
    sequences = [rng.normal(size=(n, 3)).astype(np.float32) for n in (4, 1, 6)]
    padded, lengths = pad_with_lengths(sequences, padding=padding, value=-1.0)
    assert padded.shape == (3, 6, 3) and padded.dtype == np.float32
    assert lengths.tolist() == [4, 1, 6]
    for row, sequence in zip(padded, sequences, strict=True):
        data = row[:len(sequence)] if padding == "post" else row[len(row) - len(sequence):]
        rest = row[len(sequence):] if padding == "post" else row[:len(row) - len(sequence)]
        np.testing.assert_array_equal(data, sequence)
        assert (rest == -1.0).all()
    expected = keras.utils.pad_sequences(sequences, dtype="float32", padding=padding, value=-1.0)
    np.testing.assert_array_equal(padded, expected)


def test_maxlen_cuts_on_the_padding_side_and_caps_the_lengths():
    sequences = [np.arange(10, dtype=np.float32).reshape(5, 2), np.ones((2, 2), np.float32)]
    padded, lengths = pad_with_lengths(sequences, maxlen=3)
    assert padded.shape == (2, 3, 2) and lengths.tolist() == [3, 2]
    np.testing.assert_array_equal(padded[0], sequences[0][:3])


@pytest.mark.parametrize("kwargs, match", [
    (dict(sequences=[]), r"sequences must hold at least one sequence; got an empty list"),
    (dict(sequences=[np.zeros(4)]), r"sequences\[0\] must be 2-D .* got shape \(4,\)"),
    (dict(sequences=[np.zeros((4, 2)), np.zeros((3, 5))]),
     r"sequences\[1\] must be 2-D \(timesteps, features\) with the features of sequences\[0\] "
     r"\(2\); got shape \(3, 5\)"),
    (dict(sequences=[np.zeros((4, 2))], padding="left"), r"padding must be 'post' or 'pre'"),
    (dict(sequences=[np.zeros((4, 2))], maxlen=0), r"maxlen must be a positive integer; got 0"),
])
def test_padding_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pad_with_lengths(**kwargs)
