"""Character n-gram language models with interpolated Kneser-Ney smoothing: the baselines an
LSTM language model must beat (notebook 11).

:class:`KneserNey` counts the n-grams of a training sequence of token ids and gives, for
every position of another sequence, ``-log p(token | the n-1 tokens before it)`` in nats.

Interpolated Kneser-Ney (Chen & Goodman 1998, section 3.4, one discount per order)::

    p_k(w | h) = max(a_k(h w) - D_k, 0) / S_k(h)  +  D_k T_k(h) / S_k(h) * p_{k-1}(w | h')

for a context ``h`` of k-1 tokens, ``h'`` the same without its first token, where

* ``a_k`` is the count of the k-gram for the highest order, and for lower orders its
  *continuation count*: how many distinct tokens precede it (Kneser & Ney 1995);
* ``S_k(h) = sum_w a_k(h w)`` and ``T_k(h)`` the number of distinct ``w`` with
  ``a_k(h w) > 0``;
* ``D_k = n1 / (n1 + 2 n2)`` from the number of k-grams with ``a_k`` equal to 1 and to 2
  (Ney, Essen & Kneser 1994);
* ``p_0(w) = 1 / vocab_size`` (every token of the vocabulary keeps some probability).

A context never seen in training (``S_k(h) = 0``) passes the lower order's probability on
unchanged. The first tokens of a sequence, with fewer than n-1 before them, use the longest
context they have. The probabilities over the vocabulary sum to 1 for every context
(checked in ``tests/test_ngram.py``).

NumPy only: every n-gram is one int64 code (base ``vocab_size``), counted with
``np.unique`` and looked up with ``np.searchsorted``.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import ids_in_range, positive_int

__all__ = ["KneserNey"]


class KneserNey:
    """Interpolated Kneser-Ney n-gram model over token ids ``0 .. vocab_size - 1``.

    Args:
        order: n, the number of tokens in the longest n-gram (1 = unigram).
        vocab_size: the number of distinct tokens (e.g. ``len(vocab)``).

    Raises:
        ValueError: ``order`` or ``vocab_size`` is not a positive integer, or
            ``vocab_size ** order`` does not fit the int64 codes (use a smaller order).
    """

    def __init__(self, order: int, vocab_size: int):
        self.order = positive_int("order", order, "Use e.g. order=5.")
        self.vocab_size = positive_int("vocab_size", vocab_size, "Pass len(vocab).")
        if self.vocab_size ** self.order >= 2 ** 62:
            raise ValueError(f"order={order} with vocab_size={vocab_size}: the n-gram codes "
                             "do not fit in int64. Use a smaller order.")
        self._tables = None

    def __repr__(self) -> str:
        return f"KneserNey(order={self.order}, vocab_size={self.vocab_size})"

    def _codes(self, ids: np.ndarray, k: int) -> np.ndarray:
        """Codes of the k-grams ending at positions k-1 .. len(ids)-1."""
        codes = np.zeros(len(ids) - k + 1, dtype=np.int64)
        for j in range(k):
            codes = codes * self.vocab_size + ids[j:len(ids) - k + 1 + j]
        return codes

    def fit(self, ids) -> KneserNey:
        """Count the n-grams of ``ids`` (1-D token ids). Returns ``self``.

        Raises:
            ValueError: ``ids`` is not 1-D, has fewer than ``order`` tokens, or holds an id
                outside ``[0, vocab_size)``.
        """
        ids = self._check(ids, "ids")
        if len(ids) < self.order:
            raise ValueError(f"ids must hold at least order={self.order} tokens to count "
                             f"{self.order}-grams; got {len(ids)}.")
        V = self.vocab_size
        tables = {}
        for k in range(self.order, 0, -1):
            if k == self.order:
                grams, counts = np.unique(self._codes(ids, k), return_counts=True)
            else:   # continuation counts: how many distinct tokens come before each k-gram
                longer = np.unique(self._codes(ids, k + 1))
                grams, counts = np.unique(longer % V ** k, return_counts=True)
            contexts, first = np.unique(grams // V, return_index=True)
            totals = np.add.reduceat(counts, first)
            types = np.diff(np.r_[first, len(grams)])
            n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
            discount = n1 / (n1 + 2 * n2) if n1 else 0.5
            tables[k] = (grams, counts, contexts, totals, types, float(discount))
        self._tables = tables
        return self

    def discounts(self) -> dict[int, float]:
        """``{k: D_k}``, the discount of each order."""
        self._fitted()
        return {k: table[-1] for k, table in sorted(self._tables.items())}

    def nats(self, ids) -> np.ndarray:
        """``-log p(ids[t] | ids[t-n+1 .. t-1])`` for every position t, in nats, shape
        ``(len(ids),)``. Position t uses the ``min(t, order - 1)`` tokens before it.

        Raises:
            ValueError: not fitted yet, or ``ids`` is not 1-D token ids in range.
        """
        self._fitted()
        ids = self._check(ids, "ids")
        V = self.vocab_size
        p = np.full(len(ids), 1.0 / V)
        for k in range(1, self.order + 1):
            if len(ids) < k:
                break
            grams, counts, contexts, totals, types, discount = self._tables[k]
            code = self._codes(ids, k)
            a = _lookup(grams, counts, code)
            total = _lookup(contexts, totals, code // V)
            kinds = _lookup(contexts, types, code // V)
            seen = total > 0
            lower = p[k - 1:]
            safe = np.where(seen, total, 1)
            mixed = (np.maximum(a - discount, 0) + discount * kinds * lower) / safe
            p[k - 1:] = np.where(seen, mixed, lower)
        return -np.log(p)

    def probabilities(self, context) -> np.ndarray:
        """``p(w | context)`` for every token w, shape ``(vocab_size,)``; ``context`` is the
        tokens before (its last ``order - 1`` are used). They sum to 1.

        Raises:
            ValueError: as :meth:`nats`.
        """
        context = list(self._check(context, "context"))[-(self.order - 1):] \
            if self.order > 1 else []
        out = np.empty(self.vocab_size)
        for w in range(self.vocab_size):
            out[w] = np.exp(-self.nats(np.array([*context, w]))[-1])
        return out

    def _check(self, ids, name):
        ids = np.asarray(ids)
        if ids.ndim != 1:
            raise ValueError(f"{name} must be 1-D token ids; got shape {ids.shape}. "
                             "Pass vocab.encode(text).")
        return ids_in_range(name, ids, self.vocab_size, "vocab_size").astype(np.int64)

    def _fitted(self):
        if self._tables is None:
            raise ValueError("this KneserNey model is not fitted; call .fit(training_ids) "
                             "first.")


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """values[keys == query] for each query, 0 where the key is absent (keys sorted)."""
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[at] == query, values[at], 0)
