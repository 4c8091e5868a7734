"""An LSTM language model over token ids: characters or words, it does not matter which.

* :func:`build_model` - Embedding -> LSTM x layers -> TimeDistributed(Dense(vocab_size)),
  producing logits for the next token at every position (char-rnn's model);
* :func:`windows`, :func:`windows_dataset` - next-token training pairs: a window of
  ``timesteps + 1`` ids gives the inputs (all but the last) and the targets (all but the
  first), as NumPy arrays or as shuffled tf.data batches;
* :func:`generator_from`, :func:`sample` - generation with h and c carried between steps
  (a stateful batch-1 copy of the model), sampling from ``softmax(logits / temperature)``;
* :func:`predict_in_chunks`, :func:`next_token_scores`, :func:`ranked_scores` - validation
  loss in nats per token, perplexity, top-1 and top-5 accuracy.

Used by notebooks 02, 04, 05 and 06, the benchmarks and ``python -m helpers.charlm`` (the
command, which adds the run folder and its checkpoints: :mod:`helpers.checkpoints`).
Bad arguments raise ``ValueError`` naming the argument (:mod:`helpers.checks`).

TensorFlow and Keras are imported by the functions that need them, not by this module.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import ids_in_range, known_symbols, positive_int, positive_number

__all__ = ["build_model", "generator_from", "next_token_scores", "predict_in_chunks",
           "ranked_scores", "sample", "windows", "windows_dataset"]


# ----------------------------------------------------------------------------- model
def build_model(vocab_size: int, *, units: int = 256, layers: int = 1, embedding_dim: int = 64,
                batch_size: int | None = None, timesteps: int | None = None,
                stateful: bool = False):
    """Embedding -> LSTM x ``layers`` -> TimeDistributed(Dense(vocab_size)): logits.

    Input ``(batch, timesteps)`` integer token ids; output ``(batch, timesteps, vocab_size)``
    logits for the next token at every position. ``timesteps=None`` accepts any length.
    ``stateful=True`` (with a fixed ``batch_size``) keeps h and c between calls, for
    generation.

    Raises:
        ValueError: a size is not a positive integer, or ``stateful=True`` without
            ``batch_size`` (a stateful layer keeps one state per row of a fixed batch).

    Source: Karpathy's char-rnn; Keras docs, "LSTM layer", "TimeDistributed layer".
    """
    vocab_size = positive_int("vocab_size", vocab_size, "Pass len(vocab).")
    units, layers, embedding_dim = (positive_int(name, value) for name, value in
                                    (("units", units), ("layers", layers),
                                     ("embedding_dim", embedding_dim)))
    if timesteps is not None:
        timesteps = positive_int("timesteps", timesteps, "Use None for any length.")
    if batch_size is not None:
        batch_size = positive_int("batch_size", batch_size, "Use None for any batch size.")
    elif stateful:
        raise ValueError("stateful=True needs a fixed batch_size; got None. Pass e.g. "
                         "batch_size=1 to generate one sequence.")
    import keras

    inputs = keras.Input(shape=(timesteps,), batch_size=batch_size, dtype="int32", name="ids")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    for k in range(layers):
        x = keras.layers.LSTM(units, return_sequences=True, stateful=stateful,
                              name=f"lstm_{k + 1}")(x)
    logits = keras.layers.TimeDistributed(keras.layers.Dense(vocab_size), name="logits")(x)
    return keras.Model(inputs, logits, name="language_model")


# ----------------------------------------------------------------------------- data
def windows(ids, timesteps: int):
    """Non-overlapping windows of ``timesteps + 1`` ids, as next-token pairs.

    Returns:
        ``(x, y)``, each of shape ``(n, timesteps)`` with ``n = len(ids) // (timesteps + 1)``:
        ``x`` the first ``timesteps`` ids of each window, ``y`` the last ``timesteps`` (the
        next token at every position). The incomplete last window is dropped.

    Raises:
        ValueError: ``timesteps`` is not a positive integer, or ``ids`` is not 1-D.
    """
    timesteps = positive_int("timesteps", timesteps, "Pass the window length, e.g. 64.")
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D (the encoded text, one id per token); got shape "
                         f"{ids.shape}. Pass vocab.encode(text).")
    n = len(ids) // (timesteps + 1)
    w = ids[: n * (timesteps + 1)].reshape(n, timesteps + 1)
    return w[:, :-1], w[:, 1:]


def windows_dataset(ids, timesteps: int, batch_size: int, *, shuffle: bool, seed: int = 0,
                    drop_remainder: bool = True):
    """tf.data pipeline of ``(x, y)`` batches of :func:`windows`, each ``(batch_size,
    timesteps)``.

    The incomplete last batch is dropped (training: every step sees a full batch) unless
    ``drop_remainder=False`` (evaluation: every window counts).

    ``shuffle`` draws the windows in a new random order each pass, over *all* windows (a
    smaller shuffle buffer would make the first batches of every pass come from the start
    of the text: training stopped after part of a pass would never see its end).

    tf.data's autotuning is off and two batches are prefetched: with autotuning on,
    destroying an iterator (what every ``fit`` does when it returns) waited for the
    autotuner's thread, from 2 s to 36 s on a 2-core CPU, at random.

    Raises:
        ValueError: ``timesteps`` or ``batch_size`` is not a positive integer.
    """
    batch_size = positive_int("batch_size", batch_size, "Pass e.g. batch_size=64.")
    import tensorflow as tf

    x, y = windows(ids, timesteps)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(max(len(x), 1), seed=seed, reshuffle_each_iteration=True)
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(2).with_options(options)


# ----------------------------------------------------------------------------- generation
def generator_from(model):
    """A stateful, batch-1 copy of a :func:`build_model` model that reads one token per call.

    Raises:
        ValueError: ``model`` has no ``embedding`` layer or no ``lstm_k`` layers (it was not
            made by :func:`build_model`).
    """
    lstms = [layer for layer in model.layers if layer.name.startswith("lstm_")]
    names = [layer.name for layer in model.layers]
    if not lstms or "embedding" not in names:
        raise ValueError(f"model must be built by build_model() (layers 'embedding', "
                         f"'lstm_1', ...); got layers {names}.")
    gen = build_model(model.output_shape[-1], units=lstms[0].units, layers=len(lstms),
                      embedding_dim=model.get_layer("embedding").output_dim, batch_size=1,
                      timesteps=1, stateful=True)
    gen.set_weights(model.get_weights())
    return gen


def _compiled_step(gen):
    """``gen`` as a compiled function (cached on the model): an eager Keras call costs
    milliseconds of Python per layer, more than the step itself."""
    step = getattr(gen, "_language_model_step", None)
    if step is None:
        import tensorflow as tf

        step = tf.function(lambda token: gen(token, training=False))
        gen._language_model_step = step
    return step


def sample(model, vocab, *, length: int = 500, temperature: float = 0.8, prime: str = "\n",
           seed: int = 0, generator=None) -> str:
    """Generate ``length`` characters after ``prime`` with a character model.

    The prime is read one character at a time into a stateful copy of the model
    (``generator``, made by :func:`generator_from` when not given; its state is reset
    first); each generated character is drawn from ``softmax(logits / temperature)`` and
    fed back, so each costs one LSTM step.

    Args:
        vocab: the :class:`helpers.data.CharVocab` the model was trained with.
        temperature: below 1, safer and more repetitive text; above 1, more surprising.
        seed: the sampling seed; the same seed gives the same text.

    Raises:
        ValueError: ``prime`` is empty or holds characters the model never saw; ``length``
            is not a positive integer or ``temperature`` not a positive number.

    Source: Karpathy's char-rnn, ``sample.lua``; Keras docs, "Recurrent layers: stateful".
    """
    length = positive_int("length", length, "Ask for e.g. length=500 characters.")
    temperature = positive_number("temperature", temperature, "Use e.g. temperature=0.8.")
    known_symbols("prime", prime, vocab.chars, "Use characters of the training text.")
    from helpers.stateful import reset_rnn_states

    gen = generator or generator_from(model)
    reset_rnn_states(gen)
    step = _compiled_step(gen)
    rng = np.random.default_rng(seed)
    ids = vocab.encode(prime).astype(np.int32)
    for token in ids[:-1]:
        step(np.array([[token]], dtype=np.int32))
    token, out = ids[-1], []
    for _ in range(length):
        logits = np.asarray(step(np.array([[token]], dtype=np.int32)),
                            dtype=np.float64)[0, -1] / temperature
        p = np.exp(logits - logits.max())
        token = int(rng.choice(len(p), p=p / p.sum()))
        out.append(token)
    return vocab.decode(np.array(out, dtype=np.int64))


# ----------------------------------------------------------------------------- scores
def predict_in_chunks(model, x, *, chunk: int = 512, transform=None) -> np.ndarray:
    """``model(x)`` as one NumPy array, computed eagerly ``chunk`` rows at a time.

    For a model evaluated once: an eager call costs no tracing (``model.predict`` compiles
    a function first). ``transform`` is applied to each chunk before the model sees it,
    e.g. ``lambda ids: one_hot(ids, vocab_size)``.

    Raises:
        ValueError: ``chunk`` is not a positive integer.
    """
    chunk = positive_int("chunk", chunk, "Use e.g. chunk=512 rows.")
    transform = transform or (lambda rows: rows)
    return np.concatenate([np.asarray(model(transform(x[i:i + chunk])))
                           for i in range(0, len(x), chunk)])


def ranked_scores(ranked, targets) -> dict:
    """Top-1 and top-k accuracy of token ids ranked best first.

    Args:
        ranked: ``(N, k)`` integer ids, the best guess first (e.g. ``k = 5``).
        targets: the ``N`` true ids, any shape.

    Returns:
        ``{"top1": float, "top5": float, "decoded": (N,) ids}``: ``top5`` is the fraction of
        targets among the ``k`` ranked ids (named for the usual ``k = 5``), ``decoded`` the
        top-1 ids.

    Raises:
        ValueError: ``ranked`` is not 2-D or does not have one row per target.
    """
    ranked, targets = np.asarray(ranked), np.asarray(targets).reshape(-1)
    if ranked.ndim != 2 or len(ranked) != len(targets):
        raise ValueError(f"ranked must be (N, k) with one row per target (N = {len(targets)}); "
                         f"got shape {ranked.shape}.")
    return {"top1": float(np.mean(ranked[:, 0] == targets)),
            "top5": float(np.mean((ranked == targets[:, None]).any(1))), "decoded": ranked[:, 0]}


def next_token_scores(logits, targets, k: int = 5) -> dict:
    """Cross-entropy, perplexity and top-1 / top-k accuracy of next-token logits.

    Args:
        logits: ``(..., vocab_size)`` unnormalized scores, e.g. ``(N, timesteps, vocab_size)``.
        targets: the true next ids, ``logits.shape[:-1]``.

    Returns:
        ``{"loss": nats per token, "perplexity": exp(loss), "top1", "top5", "decoded"}``
        (see :func:`ranked_scores`), computed in float64.

    Raises:
        ValueError: the shapes do not match, or a target lies outside ``[0, vocab_size)``.

    Source: the same loss as ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``
    and accuracy as ``keras.metrics.SparseTopKCategoricalAccuracy`` (checked in
    ``tests/test_language_model.py``).
    """
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets)
    if logits.shape[:-1] != targets.shape:
        raise ValueError(f"targets must have the shape of logits without its last axis, "
                         f"{logits.shape[:-1]}; got {targets.shape}.")
    vocab_size = logits.shape[-1]
    k = positive_int("k", k, "Use e.g. k=5.")
    if k >= vocab_size:
        raise ValueError(f"k must be smaller than the vocabulary ({vocab_size}); got {k}.")
    logits = logits.reshape(-1, vocab_size)
    targets = ids_in_range("targets", targets, vocab_size, "vocab_size").reshape(-1)
    log_z = np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1)) + logits.max(1)
    nats = float(np.mean(log_z - logits[np.arange(len(targets)), targets]))
    top = np.argpartition(-logits, k, axis=1)[:, :k]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(logits, top, 1), 1), 1)
    return {"loss": nats, "perplexity": float(np.exp(nats)), **ranked_scores(top, targets)}
