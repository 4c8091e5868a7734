"""helpers.words: tokens, vocabulary, PPMI+SVD vectors, cosine nearest neighbours."""

from __future__ import annotations

import collections

import keras
import numpy as np
import pytest

from helpers.words import (
    OOV_TOKEN,
    WordVocab,
    nearest_neighbours,
    ppmi_svd_vectors,
    tokenize,
)


# ----------------------------------------------------------------------------- tokenize
def test_tokenize_lowercases_and_keeps_punctuation_marks():
    assert tokenize("Nay, I'll go!\nWhat?  No--yes.") == [
        "nay", ",", "i'll", "go", "!", "what", "?", "no", "yes", "."]


def test_tokenize_rejects_bytes():
    with pytest.raises(TypeError, match="text must be a str"):
        tokenize(b"bytes")


# ----------------------------------------------------------------------------- WordVocab
def test_vocab_keeps_the_most_frequent_tokens_and_maps_the_rest_to_unk():
    tokens = tokenize("a a a a b b b c c d")
    vocab = WordVocab(tokens, size=3)
    assert vocab.words == [OOV_TOKEN, "a", "b"]
    assert len(vocab) == 3
    assert vocab.encode(["a", "b", "c", "d", "zzz"]).tolist() == [1, 2, 0, 0, 0]
    assert vocab.decode([[1, 2], [0, 1]]) == ["a", "b", OOV_TOKEN, "a"]


def test_vocab_is_smaller_when_the_corpus_has_fewer_distinct_tokens():
    vocab = WordVocab(["x", "y", "x"], size=100)
    assert vocab.words == [OOV_TOKEN, "x", "y"]


def test_vocab_matches_counting_by_hand_on_real_text(shakespeare_path):
    tokens = tokenize(shakespeare_path.read_text(encoding="utf-8")[:50_000])
    vocab = WordVocab(tokens, size=51)
    counts = collections.Counter(tokens)
    top = [w for w, _ in counts.most_common(50)]
    assert set(vocab.words[1:]) == set(top)
    freqs = [counts[w] for w in vocab.words[1:]]
    assert freqs == sorted(freqs, reverse=True)            # ids follow frequency
    ids = vocab.encode(tokens)
    assert ids.dtype == np.int32 and ids.shape == (len(tokens),)
    assert (ids == 0).sum() == sum(counts[w] for w in counts if w not in top)


def test_vocab_encode_agrees_with_the_keras_layer():
    tokens = tokenize("the cat sat on the mat and the dog sat too")
    vocab = WordVocab(tokens, size=4)
    np.testing.assert_array_equal(vocab.encode(tokens), np.asarray(vocab.lookup(tokens)))
    assert isinstance(vocab.lookup, keras.layers.StringLookup)
    assert vocab.encode([]).shape == (0,)


@pytest.mark.parametrize(
    ("tokens", "size", "error", "match"),
    [
        ([], 10, ValueError, "tokens is empty"),
        (["a", "b"], 1, ValueError, "size must be at least 2"),
        (["a", "b"], 0, ValueError, "size must be a positive integer"),
        (["a", "b"], 2.5, ValueError, "size must be a positive integer"),
        ("to be or not", 10, TypeError, "sequence of tokens, not one str"),
        (["a", 3], 10, TypeError, "must hold str tokens"),
    ],
)
def test_vocab_rejects_bad_input(tokens, size, error, match):
    with pytest.raises(error, match=match):
        WordVocab(tokens, size=size)


def test_vocab_decode_rejects_ids_out_of_range():
    vocab = WordVocab(["a", "b"], size=3)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, len\(vocab\)=3\)"):
        vocab.decode([0, 3])


# ----------------------------------------------------------------------------- PPMI + SVD
def _ppmi_by_hand(ids, vocab_size, window, alpha):
    counts = np.zeros((vocab_size, vocab_size))
    for i, a in enumerate(ids):
        for j in range(max(0, i - window), min(len(ids), i + window + 1)):
            if j != i:
                counts[a, ids[j]] += 1
    total = counts.sum()
    p_word = counts.sum(1) / total
    context = counts.sum(0) ** alpha
    p_context = context / context.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(counts / total / np.outer(p_word, p_context))
    return np.maximum(pmi, 0)


def test_ppmi_svd_vectors_equal_the_svd_of_ppmi_computed_by_loops():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 12, 400)
    vectors = ppmi_svd_vectors(ids, 12, dim=11, window=3, alpha=0.75)
    ppmi = _ppmi_by_hand(ids, 12, 3, 0.75)
    u, s, _ = np.linalg.svd(ppmi)
    expected = u[:, :11] * np.sqrt(s[:11])
    # Singular vectors are defined up to sign: compare column by column.
    signs = np.sign((vectors * expected).sum(0))
    np.testing.assert_allclose(vectors * signs, expected, atol=1e-4)
    assert vectors.dtype == np.float32 and vectors.shape == (12, 11)


def test_ppmi_svd_vectors_find_words_used_alike():
    # "cat" and "dog" share every context; "sun" never does.
    text = "the cat eats . the dog eats . the cat runs . the dog runs . a sun shines . " * 30
    tokens = tokenize(text)
    vocab = WordVocab(tokens, size=20)
    vectors = ppmi_svd_vectors(vocab.encode(tokens), len(vocab), dim=4, window=1)
    cat, dog, sun = (vocab.words.index(w) for w in ("cat", "dog", "sun"))
    ids, _ = nearest_neighbours(vectors[cat], vectors, k=1, exclude=[cat])
    assert ids[0] == dog
    cos = vectors @ vectors.T / np.outer(*2 * [np.linalg.norm(vectors, axis=1) + 1e-12])
    assert cos[cat, dog] > 0.9 > cos[cat, sun]


def test_ppmi_svd_vectors_are_reproducible_and_zero_for_unseen_ids():
    ids = np.random.default_rng(1).integers(0, 8, 300)     # id 8 and 9 never occur
    a = ppmi_svd_vectors(ids, 10, dim=3, seed=0)
    np.testing.assert_array_equal(a, ppmi_svd_vectors(ids, 10, dim=3, seed=0))
    np.testing.assert_array_equal(a[8:], 0)


@pytest.mark.parametrize(
    ("ids", "kwargs", "match"),
    [
        ([], {"vocab_size": 5, "dim": 2}, "non-empty 1-D"),
        ([[1, 2], [3, 4]], {"vocab_size": 5, "dim": 2}, "non-empty 1-D"),
        ([0.5, 1.0], {"vocab_size": 5, "dim": 2}, "ids must be integers"),
        ([0, 5], {"vocab_size": 5, "dim": 2}, r"ids must lie in \[0, vocab_size=5\)"),
        ([0, 1], {"vocab_size": 1, "dim": 1}, "vocab_size must be at least 2"),
        ([0, 1], {"vocab_size": 5, "dim": 5}, "dim must be smaller than vocab_size=5"),
        ([0, 1], {"vocab_size": 5, "dim": 2, "window": 0}, "window must be a positive"),
        ([0, 1], {"vocab_size": 5, "dim": 2, "alpha": 0}, r"alpha must lie in \(0, 1\]"),
    ],
)
def test_ppmi_svd_vectors_reject_bad_input(ids, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ppmi_svd_vectors(np.asarray(ids), **kwargs)


# ----------------------------------------------------------------------------- neighbours
def test_nearest_neighbours_rank_by_cosine_not_by_length():
    table = np.array([[1, 0], [10, 1], [0, 1], [-1, 0], [0, 0]], np.float32)
    ids, cos = nearest_neighbours([2, 0], table, k=5)
    assert ids.tolist() == [0, 1, 2, 4, 3] or ids.tolist() == [0, 1, 4, 2, 3]
    np.testing.assert_allclose(cos[[0, 4]], [1, -1], atol=1e-6)
    assert cos[1] == pytest.approx(10 / np.sqrt(101))


def test_nearest_neighbours_batch_matches_brute_force_and_exclude_works():
    rng = np.random.default_rng(0)
    table, queries = rng.normal(size=(50, 8)), rng.normal(size=(7, 8))
    ids, cos = nearest_neighbours(queries, table, k=3)
    unit = table / np.linalg.norm(table, axis=1, keepdims=True)
    brute = (queries / np.linalg.norm(queries, axis=1, keepdims=True)) @ unit.T
    np.testing.assert_array_equal(ids, np.argsort(-brute, axis=1)[:, :3])
    np.testing.assert_allclose(cos, np.sort(brute, axis=1)[:, ::-1][:, :3], rtol=1e-5)
    excluded, _ = nearest_neighbours(queries, table, k=3, exclude=ids[:, :1])
    np.testing.assert_array_equal(excluded[:, :2], ids[:, 1:])


@pytest.mark.parametrize(
    ("queries", "vectors", "kwargs", "match"),
    [
        (np.ones((2, 3)), np.ones((5, 4)), {}, "queries have 3 features but vectors have 4"),
        (np.ones(3), np.ones(5), {}, "vectors must be 2-D"),
        (np.ones(4), np.ones((5, 4)), {"k": 6}, "k must be at most the number of rows, 5"),
        (np.ones(4), np.ones((5, 4)), {"k": 0}, "k must be a positive integer"),
        (np.ones((2, 4)), np.ones((5, 4)), {"exclude": [[1]]}, "one entry per query"),
    ],
)
def test_nearest_neighbours_reject_bad_input(queries, vectors, kwargs, match):
    with pytest.raises(ValueError, match=match):
        nearest_neighbours(queries, vectors, **kwargs)
