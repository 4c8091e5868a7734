"""Words instead of characters: tokens, a vocabulary, corpus word vectors, cosine neighbours.

* :func:`tokenize` splits text into lower-case words and punctuation marks.
* :class:`WordVocab` keeps the most frequent tokens (plus ``[UNK]`` for every other one),
  on top of Keras's ``StringLookup``.
* :func:`ppmi_svd_vectors` computes word vectors from the corpus itself: positive pointwise
  mutual information of co-occurrence counts, reduced by truncated SVD.
* :func:`nearest_neighbours` finds the rows of a vector table closest to queries by cosine:
  the decoder of a model that predicts embedding vectors, and the tool for word neighbours
  and analogies.

Bad input raises ``ValueError`` (or ``TypeError`` for a wrong type) whose message names the
argument, what was expected, what was given, and how to fix it. Importing this module does
not import TensorFlow; building a :class:`WordVocab` does.
"""

from __future__ import annotations

import re

import numpy as np

from helpers.checks import ids_in_range, positive_int

__all__ = ["OOV_TOKEN", "WordVocab", "nearest_neighbours", "ppmi_svd_vectors", "tokenize"]

OOV_TOKEN = "[UNK]"
TOKEN_PATTERN = re.compile(r"[a-z']+|[.,;:!?]")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case words (letters and apostrophes) and the marks
    ``. , ; : ! ?``; everything else (spaces, newlines, digits, dashes) separates tokens.

    >>> tokenize("Nay, I'll go!")
    ['nay', ',', "i'll", 'go', '!']

    Raises:
        TypeError: ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}. "
                        "Decode bytes first, e.g. data.decode('utf-8').")
    return TOKEN_PATTERN.findall(text.lower())


def _token_list(tokens, name: str = "tokens") -> list[str]:
    if isinstance(tokens, str):
        raise TypeError(f"{name} must be a sequence of tokens, not one str (that would make "
                        f"every character a token); got the str {tokens[:40]!r}. "
                        "Split it first: tokenize(text).")
    tokens = list(tokens)
    if tokens and not all(isinstance(t, str) for t in tokens):
        bad = next(t for t in tokens if not isinstance(t, str))
        raise TypeError(f"{name} must hold str tokens; got a {type(bad).__name__} ({bad!r}). "
                        "Use tokenize(text) to make them.")
    return tokens


class WordVocab:
    """The ``size - 1`` most frequent tokens of a corpus, plus ``[UNK]`` (id 0) for the rest.

    Ids follow frequency: 1 is the most frequent token. Built on
    ``keras.layers.StringLookup(max_tokens=size, num_oov_indices=1)`` (Keras docs,
    "StringLookup layer"), so ``vocab.lookup`` can sit inside a model that reads strings.

    Example:
        >>> vocab = WordVocab(tokenize("to be or not to be"), size=3)
        >>> vocab.words
        ['[UNK]', 'to', 'be']
        >>> vocab.encode(["to", "or", "be"]).tolist()
        [1, 0, 2]

    Args:
        tokens: the training tokens (a list of str), e.g. ``tokenize(train_text)``.
        size: vocabulary size including ``[UNK]``, >= 2. A corpus with fewer distinct
            tokens gives a smaller vocabulary (``len(vocab)`` tells).

    Raises:
        ValueError: ``tokens`` is empty; ``size`` is not an integer >= 2.
        TypeError: ``tokens`` is a single str, or holds something other than str.
    """

    def __init__(self, tokens, size: int):
        size = positive_int("size", size, "Pass the vocabulary size, e.g. size=1001.")
        if size < 2:
            raise ValueError(f"size must be at least 2 ([UNK] and one word); got {size}. "
                             "Pass e.g. size=1001 for the 1,000 most frequent tokens.")
        tokens = _token_list(tokens)
        if not tokens:
            raise ValueError("tokens is empty: a vocabulary needs a corpus; got 0 tokens. "
                             "Pass the tokenized training text, e.g. tokenize(text).")
        import keras
        import tensorflow as tf

        self.lookup = keras.layers.StringLookup(max_tokens=size, num_oov_indices=1,
                                                oov_token=OOV_TOKEN)
        self.lookup.adapt(tf.constant(tokens))
        self.words: list[str] = [str(w) for w in self.lookup.get_vocabulary()]

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return f"WordVocab({len(self)} tokens: {self.words[:8]}...)"

    def encode(self, tokens) -> np.ndarray:
        """Map tokens (a list of str) to an int32 array of shape ``(len(tokens),)``; tokens
        outside the vocabulary map to 0 (``[UNK]``).

        Raises:
            TypeError: ``tokens`` is a single str or holds non-str items.
        """
        import tensorflow as tf

        tokens = _token_list(tokens)
        if not tokens:
            return np.zeros(0, np.int32)
        # A tensor first: StringLookup on a Python list converts item by item (300x slower).
        return np.asarray(self.lookup(tf.constant(tokens))).astype(np.int32)

    def decode(self, ids) -> list[str]:
        """Map integer ids (any shape) back to a flat list of tokens.

        Raises:
            ValueError: an id lies outside ``[0, len(self))``.
        """
        arr = ids_in_range("ids", ids, len(self), "len(vocab)",
                           "Decode ids made by this vocabulary's encode().").reshape(-1)
        return [self.words[i] for i in arr]


def ppmi_svd_vectors(ids, vocab_size: int, *, dim: int = 64, window: int = 2,
                     alpha: float = 0.75, seed: int = 0) -> np.ndarray:
    """Word vectors from co-occurrence counts: positive PMI, then truncated SVD.

    Counts how often token ``j`` occurs within ``window`` positions of token ``i`` (either
    side), turns the counts into positive pointwise mutual information with the context
    distribution smoothed by ``alpha``,

        PPMI(i, j) = max(0, log( P(i, j) / (P(i) P_alpha(j)) )),  P_alpha(j) ∝ count(j)^alpha,

    and keeps the top ``dim`` singular directions: ``U[:, :dim] * sqrt(S[:dim])``.

    Args:
        ids: 1-D integer token ids in ``[0, vocab_size)`` (the training text, encoded).
        vocab_size: number of rows of the result, >= 2.
        dim: vector size, ``1 <= dim < vocab_size``.
        window: context half-width in tokens, >= 1.
        alpha: context smoothing exponent in ``(0, 1]`` (1 is plain PMI).
        seed: seed of the randomized SVD (same seed, same vectors).

    Returns:
        float32 array of shape ``(vocab_size, dim)``. A token that never occurs gets a row
        of zeros.

    Raises:
        ValueError: ``ids`` is empty, not 1-D integer, or holds ids outside
            ``[0, vocab_size)``; ``vocab_size < 2``; ``dim`` outside ``[1, vocab_size)``;
            ``window < 1``; ``alpha`` outside ``(0, 1]``.

    Source: Levy, Goldberg & Dagan (2015), "Improving Distributional Similarity with Lessons
    Learned from Word Embeddings" (PPMI with context smoothing 0.75, SVD with the
    square root of the singular values); SVD by scikit-learn's ``randomized_svd``.
    """
    vocab_size = positive_int("vocab_size", vocab_size, "Pass len(vocab).")
    if vocab_size < 2:
        raise ValueError(f"vocab_size must be at least 2; got {vocab_size}. Word vectors "
                         "need at least two distinct tokens to relate.")
    dim = positive_int("dim", dim, "Pass the vector size, e.g. dim=64.")
    if dim >= vocab_size:
        raise ValueError(f"dim must be smaller than vocab_size={vocab_size} (a truncated SVD "
                         f"keeps fewer directions than there are words); got dim={dim}. "
                         f"Use e.g. dim={max(1, min(64, vocab_size - 1))}.")
    window = positive_int("window", window, "Use e.g. window=2 (two tokens each side).")
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must lie in (0, 1]; got {alpha}. Use 0.75 (smoothed) "
                         "or 1 (plain PMI).")
    arr = ids_in_range("ids", ids, vocab_size, "vocab_size", "Pass the encoded training "
                       "text, vocab.encode(tokens), with vocab_size=len(vocab).")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"ids must be a non-empty 1-D array of token ids; got shape "
                         f"{arr.shape}. Pass the encoded training text, vocab.encode(tokens).")
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    rows, cols = [], []
    for offset in range(1, window + 1):                  # pairs (i, i+offset), both ways
        rows += [arr[:-offset], arr[offset:]]
        cols += [arr[offset:], arr[:-offset]]
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    counts = sparse.coo_matrix((np.ones(rows.size), (rows, cols)),
                               shape=(vocab_size, vocab_size)).tocsr()  # duplicates summed
    total = counts.sum()
    p_word = np.asarray(counts.sum(axis=1)).ravel() / total
    context = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    p_context = context / context.sum()
    coo = counts.tocoo()
    pmi = np.log(coo.data / total / (p_word[coo.row] * p_context[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])),
                             shape=(vocab_size, vocab_size))
    u, s, _ = randomized_svd(ppmi, n_components=dim, random_state=seed)
    return (u * np.sqrt(s)).astype(np.float32)


def nearest_neighbours(queries, vectors, k: int = 5, *, exclude=None):
    """The ``k`` rows of ``vectors`` most similar to each query by cosine, best first.

    Args:
        queries: array ``(n, dim)`` or one vector ``(dim,)``.
        vectors: the table to search, ``(vocab_size, dim)`` (word vectors, one row per id).
        k: how many neighbours per query, ``1 <= k <= vocab_size``.
        exclude: optional, for each query an iterable of row ids to leave out (e.g. the
            words of an analogy question); ``None`` leaves nothing out.

    Returns:
        ``(ids, cosines)``: int64 ``(n, k)`` row ids and float32 ``(n, k)`` cosine
        similarities (a single ``(dim,)`` query gives shapes ``(k,)``). A zero vector has
        cosine 0 with everything.

    Raises:
        ValueError: the last dimensions of ``queries`` and ``vectors`` differ; ``vectors``
            is not 2-D; ``k`` is outside ``[1, vocab_size]``; ``exclude`` has a different
            number of entries than there are queries.
    """
    q = np.asarray(queries, dtype=np.float32)
    table = np.asarray(vectors, dtype=np.float32)
    if table.ndim != 2:
        raise ValueError(f"vectors must be 2-D (vocab_size, dim); got shape {table.shape}.")
    single = q.ndim == 1
    q = q[np.newaxis] if single else q
    if q.ndim != 2 or q.shape[1] != table.shape[1]:
        raise ValueError(
            f"queries have {q.shape[-1]} features but vectors have {table.shape[1]} "
            f"(queries shape {np.asarray(queries).shape}, vectors shape {table.shape}). "
            "Compare vectors from the same space: a model predicting 64-d targets must be "
            "decoded against the 64-d target table.")
    k = positive_int("k", k, "Use e.g. k=5.")
    if k > table.shape[0]:
        raise ValueError(f"k must be at most the number of rows, {table.shape[0]}; got {k}.")

    def unit(x):
        norm = np.linalg.norm(x, axis=-1, keepdims=True)
        return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)

    cos = unit(q) @ unit(table).T                                  # (n, vocab_size)
    if exclude is not None:
        exclude = list(exclude)
        if single:
            exclude = [exclude]
        if len(exclude) != len(q):
            raise ValueError(f"exclude needs one entry per query ({len(q)}); got "
                             f"{len(exclude)}.")
        for row, ids in zip(cos, exclude, strict=True):
            row[list(ids)] = -np.inf
    top = np.argpartition(-cos, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(cos, top, axis=1), axis=1, kind="stable")
    ids = np.take_along_axis(top, order, axis=1)
    sims = np.take_along_axis(cos, ids, axis=1)
    return (ids[0], sims[0]) if single else (ids, sims)
