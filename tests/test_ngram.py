"""helpers.ngram: interpolated Kneser-Ney, checked against its definition by hand."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.ngram import KneserNey

RNG = np.random.default_rng(0)
TRAIN = np.r_[np.tile([0, 1, 2, 1], 40), RNG.integers(0, 5, 200)]   # token 5 never seen


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_probabilities_sum_to_one_in_seen_unseen_and_short_contexts(order):
    model = KneserNey(order, 6).fit(TRAIN)
    for context in ([0, 1, 2, 1], [5, 5, 5, 5], [3, 0, 4, 2], [], [1]):
        p = model.probabilities(context)
        assert p.sum() == pytest.approx(1, abs=1e-12)
        assert (p > 0).all()           # the never-seen token 5 keeps some probability


def test_unigram_is_counts_discounted_and_mixed_with_uniform():
    ids = np.array([0, 0, 0, 1, 1, 2])
    model = KneserNey(1, 4).fit(ids)
    discount = 1 / (1 + 2 * 1)         # one token seen once (2), one seen twice (1)
    assert model.discounts() == {1: pytest.approx(discount)}
    expected = (np.maximum(np.array([3, 2, 1, 0]) - discount, 0) + discount * 3 / 4) / 6
    assert np.allclose(np.exp(-model.nats(np.arange(4))), expected)


def test_bigram_uses_continuation_counts_below_the_top_order():
    ids = np.array([0, 1, 0, 1, 2, 1])  # bigrams 01 01 10 12 21; 1 follows two kinds
    model = KneserNey(2, 3).fit(ids)
    d1, d2 = model.discounts()[1], model.discounts()[2]
    # continuation counts of the unigrams: 0 after {1}, 1 after {0, 2}, 2 after {1}
    cont = np.array([1, 2, 1])
    assert d1 == pytest.approx(2 / (2 + 2 * 1))
    p1 = (np.maximum(cont - d1, 0) + d1 * 3 / 3) / 4
    # after 0: bigram counts 01 x2, so S = 2, T = 1
    p = (np.maximum(np.array([0, 2, 0]) - d2, 0) + d2 * 1 * p1) / 2
    assert np.allclose(model.probabilities([0]), p)
    assert np.isclose(np.exp(-model.nats([0, 1])[0]), p1[0])   # no context: the lower order


def test_more_context_helps_on_repetitive_text_and_nats_has_one_value_per_token():
    text = np.tile([0, 1, 2, 3, 2, 1], 50)
    scores = [KneserNey(n, 4).fit(text).nats(text)[4:].mean() for n in (1, 2, 3)]
    assert scores[0] > scores[1] > scores[2]
    assert KneserNey(3, 4).fit(text).nats(text[:2]).shape == (2,)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="order must be a positive integer"):
        KneserNey(0, 5)
    with pytest.raises(ValueError, match="do not fit in int64"):
        KneserNey(12, 100)
    with pytest.raises(ValueError, match="not fitted"):
        KneserNey(2, 5).nats([1, 2])
    with pytest.raises(ValueError, match=r"must lie in \[0, vocab_size=5\)"):
        KneserNey(2, 5).fit([1, 7])
    with pytest.raises(ValueError, match="at least order=3 tokens"):
        KneserNey(3, 5).fit([1, 2])
    with pytest.raises(ValueError, match="must be 1-D"):
        KneserNey(2, 5).fit(np.zeros((2, 3), int))
