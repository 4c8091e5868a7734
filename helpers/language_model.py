"""An LSTM language model over token ids: characters or words, it does not matter which.

* :func:`build_model` - Embedding -> LSTM x layers -> TimeDistributed(Dense(vocab_size)),
  producing logits for the next token at every position (char-rnn's model);
* :func:`windows`, :func:`windows_dataset` - next-token training pairs: a window of
  ``timesteps + 1`` ids gives the inputs (all but the last) and the targets (all but the
  first), as NumPy arrays or as shuffled tf.data batches; :class:`BatchStream`, the same
  batches as NumPy on every Keras backend (the command's data path);
* :func:`generator_from`, :func:`sample`, :func:`sample_batch` - generation with h and c
  carried between steps (a stateful copy of the model, batch 1 or one row per text),
  sampling from ``softmax(logits / temperature)``;
* :func:`predict_in_chunks`, :func:`next_token_scores`, :func:`ranked_scores` - validation
  loss in nats per token, perplexity, top-1 and top-5 accuracy;
* :func:`save_npz`, :func:`load_npz` - weights and vocabulary in a plain NumPy file, which
  any later Keras reads (notebook 11's committed model);
* :func:`training_model`, :func:`training_batches` - the model compiled and the batches fed
  as ``python -m helpers.charlm`` trains them (notebook 12 times them);
  :func:`load_trained`, :func:`read_run_vocab` - the model in a folder the command wrote.

Used by notebooks 02, 04, 05, 06, 10, 11 and 12, the benchmarks and the command
(:mod:`helpers.charlm`, which adds the run folder, its checkpoints and the clock). This
module never imports the command.
Bad arguments raise ``ValueError`` naming the argument (:mod:`helpers.checks`).

TensorFlow and Keras are imported by the functions that need them, not by this module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from helpers.checks import (
    dropout_rate,
    ids_in_range,
    known_symbols,
    positive_int,
    positive_number,
)

__all__ = ["BatchStream", "RunFolderError", "build_model", "generator_from", "load_npz",
           "load_trained", "lstm_layers", "next_token_scores", "predict_in_chunks", "ranked_scores",
           "read_run_vocab", "sample", "sample_batch", "save_npz", "token_nats",
           "training_batches", "training_model", "windows", "windows_dataset"]


# ----------------------------------------------------------------------------- model
def build_model(vocab_size: int, *, units: int = 256, layers: int = 1, embedding_dim: int = 64,
                batch_size: int | None = None, timesteps: int | None = None,
                stateful: bool = False, dropout: float = 0.0, fused: bool = False):
    """Embedding -> LSTM x ``layers`` -> TimeDistributed(Dense(vocab_size)): logits.

    Input ``(batch, timesteps)`` integer token ids; output ``(batch, timesteps, vocab_size)``
    logits for the next token at every position. ``timesteps=None`` accepts any length.
    ``stateful=True`` (with a fixed ``batch_size``) keeps h and c between calls, for
    generation. ``dropout > 0`` adds a ``Dropout`` layer (``dropout_k``) after each LSTM
    layer, active in training only, as char-rnn applies it between layers and before the
    output; ``dropout=0`` builds no such layer (the model of earlier versions).
    ``fused=True`` is the build of ``python -m helpers.charlm``, for speed: the LSTM layers
    are :class:`helpers.fused_lstm.FusedLSTM` (the same layer, run by PyTorch's fused kernel
    on the torch backend), and the logits one ``Dense`` over all timesteps (with a fixed
    ``timesteps``, Keras's ``TimeDistributed`` calls the Dense once per timestep, in a
    Python loop). The weights are the same, in the same order.

    Raises:
        ValueError: a size is not a positive integer, ``dropout`` is not in ``[0, 1)``, or
            ``stateful=True`` without
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
    dropout = dropout_rate("dropout", dropout, "Use e.g. dropout=0.2, or 0 for none.")
    import keras

    inputs = keras.Input(shape=(timesteps,), batch_size=batch_size, dtype="int32", name="ids")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    lstm = keras.layers.LSTM
    if fused:
        from helpers.fused_lstm import FusedLSTM as lstm
    for k in range(layers):
        x = lstm(units, return_sequences=True, stateful=stateful, name=f"lstm_{k + 1}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{k + 1}")(x)
    if fused:   # Dense acts on the last axis: the same numbers as TimeDistributed, one call
        logits = keras.layers.Dense(vocab_size, name="logits")(x)
    else:
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
    return _prefetched(ds.batch(batch_size, drop_remainder=drop_remainder))


def _prefetched(ds):
    """``ds`` with two batches prefetched and tf.data's autotuning off (see
    :func:`windows_dataset` for why): every pipeline of this module ends here."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.prefetch(2).with_options(options)


class BatchStream:
    """Shuffled training batches of :func:`windows` as NumPy arrays, the same on every Keras
    backend (TensorFlow, JAX, torch): the data path of ``python -m helpers.charlm``.

    Batch ``step`` (counted from 0 over the whole run) is rows ``j*batch_size ...`` of pass
    ``p``'s permutation of all windows, where ``p, j = divmod(step, batches_per_pass)`` and
    pass ``p``'s permutation is drawn from ``(seed, p)``: any step's batch is known without
    replaying the ones before, so a resumed run continues the same stream.

    Args:
        ids: the encoded training text, 1-D.
        timesteps, batch_size: each batch is ``(x, y)``, int32, ``(batch_size, timesteps)``.

    Raises:
        ValueError: a size is not a positive integer, or the text holds fewer than
            ``batch_size`` windows of ``timesteps + 1`` ids.
    """

    def __init__(self, ids, timesteps: int, batch_size: int, *, seed: int = 0):
        self.batch_size = positive_int("batch_size", batch_size, "Pass e.g. batch_size=64.")
        x, y = windows(ids, timesteps)
        if len(x) < self.batch_size:
            raise ValueError(f"ids hold {len(x)} windows of timesteps + 1 = {timesteps + 1} "
                             f"ids, fewer than one batch of batch_size {self.batch_size}. Use "
                             "a longer text or smaller sizes.")
        self.x, self.y = x.astype(np.int32), y.astype(np.int32)
        self.seed = seed
        self.batches_per_pass = len(x) // self.batch_size
        self._order = (None, None)

    def batch(self, step: int):
        """The ``(x, y)`` batch at ``step`` (0, 1, ...; past one pass, the next pass's order)."""
        passes, j = divmod(step, self.batches_per_pass)
        if self._order[0] != passes:
            rng = np.random.default_rng([self.seed, passes])
            self._order = (passes, rng.permutation(len(self.x)))
        rows = self._order[1][j * self.batch_size:(j + 1) * self.batch_size]
        return self.x[rows], self.y[rows]

    def batches(self, start: int = 0):
        """Batches ``start``, ``start + 1``, ... without end (``fit`` takes
        ``steps_per_epoch`` of them per epoch)."""
        step = start
        while True:
            yield self.batch(step)
            step += 1

    def for_fit(self, start: int = 0):
        """What ``model.fit`` reads on the active Keras backend: on TensorFlow a tf.data
        pipeline over :meth:`batches` with autotuning off and two batches prefetched (see
        :func:`windows_dataset`); on JAX and torch the generator itself."""
        import keras

        if keras.backend.backend() != "tensorflow":
            return self.batches(start)
        import tensorflow as tf

        spec = tf.TensorSpec((self.batch_size, self.x.shape[1]), tf.int32)
        ds = tf.data.Dataset.from_generator(lambda: self.batches(start),
                                            output_signature=(spec, spec))
        return _prefetched(ds)


# ----------------------------------------------------------------------------- generation
def generator_from(model, batch_size: int = 1):
    """A stateful copy of a :func:`build_model` model that reads one token per call, for
    ``batch_size`` sequences at once (each row keeps its own h and c).

    Raises:
        ValueError: ``model`` has no ``embedding`` layer or no ``lstm_k`` layers (it was not
            made by :func:`build_model`), or ``batch_size`` is not a positive integer.
    """
    lstms = lstm_layers(model)
    gen = build_model(model.output_shape[-1], units=lstms[0].units, layers=len(lstms),
                      embedding_dim=model.get_layer("embedding").output_dim,
                      batch_size=batch_size, timesteps=1, stateful=True)
    gen.set_weights(model.get_weights())
    return gen


def _compiled_step(gen):
    """``gen`` as a compiled function (cached on the model): an eager Keras call costs
    milliseconds of Python per layer, more than the step itself. On TensorFlow a
    ``tf.function``; on JAX and torch the model's own ``predict_on_batch``."""
    step = getattr(gen, "_language_model_step", None)
    if step is None:
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            step = tf.function(lambda token: gen(token, training=False))
        else:
            step = gen.predict_on_batch
        gen._language_model_step = step
    return step


def _draw(logits, temperature: float, rng) -> np.ndarray:
    """One id per row of ``(N, vocab_size)`` logits from ``softmax(logits / temperature)``,
    by the inverse CDF with one uniform number per row: the draw ``rng.choice(len(p), p=p)``
    makes, so batch 1 gives the same text as one ``rng.choice`` per character. A row whose
    ``logits / temperature`` overflows (a temperature near 0) gets its most likely id."""
    logits = np.asarray(logits, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = logits / temperature
        p = np.exp(scaled - scaled.max(1, keepdims=True))
        cdf = np.cumsum(p / p.sum(1, keepdims=True), axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(cdf))
    ids = np.minimum((cdf <= u[:, None]).sum(1), cdf.shape[1] - 1)
    # a temperature so small that logits / temperature overflow: its limit, the most
    # likely id (a draw from NaN probabilities would be a silent wrong answer)
    greedy = ~np.isfinite(cdf).all(1)
    ids[greedy] = logits[greedy].argmax(1)
    return ids


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
    return sample_batch(model, vocab, 1, length=length, temperature=temperature,
                        prime=prime, seed=seed, generator=generator)[0]


def sample_batch(model, vocab, num_samples: int, *, length: int = 500,
                 temperature: float = 0.8, prime: str = "\n", seed: int = 0,
                 generator=None) -> list[str]:
    """``num_samples`` texts at once: :func:`sample` with a batch-``num_samples`` stateful
    model, so each step reads one character for every text (one matrix multiply where
    ``num_samples`` calls of :func:`sample` make ``num_samples`` small ones). Every row
    starts from the same prime and draws its own characters.

    Returns:
        ``num_samples`` strings of ``length`` characters. With ``num_samples=1``, the text
        :func:`sample` gives for the same seed.

    Raises:
        ValueError: as :func:`sample`; also ``num_samples`` not a positive integer, or a
            ``generator`` whose batch size is not ``num_samples``.
    """
    num_samples = positive_int("num_samples", num_samples, "Ask for e.g. num_samples=8.")
    length = positive_int("length", length, "Ask for e.g. length=500 characters.")
    temperature = positive_number("temperature", temperature, "Use e.g. temperature=0.8.")
    known_symbols("prime", prime, vocab.chars, "Use characters of the training text.")
    from helpers.stateful import reset_rnn_states

    gen = generator or generator_from(model, batch_size=num_samples)
    if gen.input_shape[0] != num_samples:
        raise ValueError(f"generator must have batch size num_samples ({num_samples}); got "
                         f"{gen.input_shape[0]}. Pass generator_from(model, {num_samples}).")
    reset_rnn_states(gen)
    step = _compiled_step(gen)
    rng = np.random.default_rng(seed)
    ids = vocab.encode(prime).astype(np.int32)
    for token in ids[:-1]:
        step(np.full((num_samples, 1), token, dtype=np.int32))
    tokens, out = np.full(num_samples, ids[-1], dtype=np.int32), []
    for _ in range(length):
        logits = np.asarray(step(tokens[:, None].astype(np.int32)))[:, -1]
        tokens = _draw(logits, temperature, rng)
        out.append(tokens)
    columns = np.stack(out, axis=1)
    return [vocab.decode(row.astype(np.int64)) for row in columns]


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


def token_nats(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``-log softmax(logits)[target]`` for each row: ``(N, vocab_size)`` logits and ``N``
    target ids give ``N`` losses in nats (float64, computed stably via the row maximum)."""
    logits = np.asarray(logits, dtype=np.float64)
    top = logits.max(1, keepdims=True)
    log_z = np.log(np.exp(logits - top).sum(1)) + top[:, 0]
    return log_z - logits[np.arange(len(targets)), targets]


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
    nats = float(np.mean(token_nats(logits, targets)))
    top = np.argpartition(-logits, k, axis=1)[:, :k]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(logits, top, 1), 1), 1)
    return {"loss": nats, "perplexity": float(np.exp(nats)), **ranked_scores(top, targets)}


# ----------------------------------------------------------------------------- weights file
def save_npz(model, chars: str, path, **meta) -> str:
    """Write a :func:`build_model` model's weights and its vocabulary to a ``.npz`` file.

    A ``.npz`` holds plain NumPy arrays (no code, no Keras version): any later Keras and
    NumPy read it. Stored: every weight (``w0``, ``w1``, ... in ``model.get_weights()``
    order), the sizes (``units``, ``layers``, ``embedding_dim``), ``chars`` (the vocabulary
    in id order) and ``meta`` (strings or numbers, e.g. how it was trained). Written to a
    temporary file and renamed, so it is never half-written.

    Returns:
        The file's sha256 (hex).

    Raises:
        ValueError: ``model`` was not made by :func:`build_model`, or ``chars`` does not
            have one character per output.
    """
    from helpers.files import atomic_path, sha256

    lstms = lstm_layers(model)
    vocab_size = model.output_shape[-1]
    if not isinstance(chars, str) or len(chars) != vocab_size:
        raise ValueError(f"chars must be the vocabulary, one character per output "
                         f"({vocab_size}); got {len(chars) if isinstance(chars, str) else chars!r}."
                         " Pass vocab.chars.")
    sizes = {"units": lstms[0].units, "layers": len(lstms),
             "embedding_dim": model.get_layer("embedding").output_dim}
    arrays = {f"w{k}": w for k, w in enumerate(model.get_weights())}
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays, **{k: np.asarray(v) for k, v in {**sizes, **meta}.items()},
                 chars=np.asarray(chars))
    return sha256(Path(path))


def load_npz(path, sha256: str | None = None):
    """Read a file written by :func:`save_npz`: ``(model, chars, meta)``.

    ``model`` is a fresh :func:`build_model` model (any length, any batch) with the stored
    weights; ``meta`` the stored extras as Python values.

    Raises:
        ValueError: the file is missing, its sha256 differs from ``sha256`` (when given), or
            it was not written by :func:`save_npz`.
    """
    from helpers.files import sha256 as sha256_of

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path {str(path)!r} is not a file. Pass a .npz written by "
                         "save_npz().")
    data = path.read_bytes()
    if sha256 is not None and sha256_of(data) != sha256:
        raise ValueError(f"{path.name}: sha256 {sha256_of(data)} differs "
                         f"from the expected {sha256}: the file is damaged or another one. "
                         "Restore it (git checkout) or pass its own hash.")
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        missing = {"units", "layers", "embedding_dim", "chars", "w0"} - set(npz.files)
        if missing:
            raise ValueError(f"{path.name} was not written by save_npz(): it lacks "
                             f"{sorted(missing)}.")
        stored = {k: npz[k] for k in npz.files}
    chars = str(stored.pop("chars"))
    weights = [stored.pop(f"w{k}") for k in range(sum(k.startswith("w") and k[1:].isdigit()
                                                       for k in stored))]
    sizes = {k: int(stored.pop(k)) for k in ("units", "layers", "embedding_dim")}
    model = build_model(len(chars), **sizes)
    model.set_weights(weights)
    return model, chars, {k: v.item() for k, v in stored.items()}


def lstm_layers(model) -> list:
    """The LSTM layers of a :func:`build_model` model (``lstm_1``, ``lstm_2``, ...), in order.

    Raises:
        ValueError: ``model`` has no ``embedding`` layer or no ``lstm_k`` layers (it was not
            made by :func:`build_model`).
    """
    lstms = [layer for layer in model.layers if layer.name.startswith("lstm_")]
    names = [layer.name for layer in model.layers]
    if not lstms or "embedding" not in names:
        raise ValueError(f"model must be built by build_model() (layers 'embedding', "
                         f"'lstm_1', ...); got layers {names}.")
    return lstms


# ----------------------------------------------------------------------------- training
def training_model(vocab_size: int, settings):
    """:func:`build_model` compiled for training as ``python -m helpers.charlm`` trains it:
    Adam at ``settings.lr``, sparse categorical cross-entropy from logits (nats per token).

    ``settings`` has the sizes of :func:`build_model` as attributes (``units``, ``layers``,
    ``embedding_dim``, ``timesteps``, ``dropout``, ``fused``) and ``lr``: a
    :class:`helpers.charlm.CharLMConfig` is one.

    Raises:
        ValueError: as :func:`build_model`, or ``settings.lr`` is not a positive number.
    """
    import keras

    lr = positive_number("lr", settings.lr, "Use e.g. lr=5e-3.")
    model = build_model(vocab_size, units=settings.units, layers=settings.layers,
                        embedding_dim=settings.embedding_dim, timesteps=settings.timesteps,
                        dropout=settings.dropout, fused=settings.fused)
    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def training_batches(train_ids, settings, start_step: int = 0):
    """The training data of ``python -m helpers.charlm`` for ``model.fit`` on the active
    backend, from batch ``start_step`` on: :meth:`BatchStream.for_fit` with
    ``settings.timesteps``, ``settings.batch_size`` and ``settings.seed``.

    Raises:
        ValueError: as :class:`BatchStream`.
    """
    stream = BatchStream(train_ids, settings.timesteps, settings.batch_size,
                         seed=settings.seed)
    return stream.for_fit(start_step)


# ----------------------------------------------------------------------------- a run folder
class RunFolderError(ValueError):
    """A folder that holds no model ``python -m helpers.charlm train`` wrote, or a damaged
    one; the message begins ``model_dir``."""


def read_run_vocab(model_dir: str | os.PathLike) -> str:
    """The characters, in id order, of a model folder written by ``python -m helpers.charlm
    train`` (its ``vocab.json``, ``{"chars": "..."}``), after checking that the folder holds
    a model (``best.keras``). Reads no model: JSON only.

    Raises:
        RunFolderError: ``model_dir`` holds no ``best.keras`` or no ``vocab.json``, or its
            ``vocab.json`` is not what the command writes (damaged or replaced).
    """
    model_dir = Path(model_dir)
    try:
        found = (model_dir / "best.keras").is_file() and (model_dir / "vocab.json").is_file()
    except OSError as exc:
        raise RunFolderError(f"model_dir {str(model_dir)!r} cannot be read "
                             f"({exc.strerror or exc}); check its permissions") from None
    if not found:
        raise RunFolderError(f"model_dir {str(model_dir)!r} holds no trained model (best.keras "
                             "and vocab.json); train one with python -m helpers.charlm train")
    try:
        saved = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        saved = exc
    chars = saved.get("chars") if isinstance(saved, dict) else None
    if not isinstance(chars, str) or len(chars) < 2 or len(set(chars)) != len(chars):
        got = (f"unreadable ({type(saved).__name__})" if isinstance(saved, Exception)
               else f"{type(saved).__name__} {str(saved)[:40]!r}")
        raise RunFolderError(f"model_dir {str(model_dir)!r} has a damaged vocab.json: expected "
                         f'{{"chars": "<2 or more distinct characters>"}} as the command '
                         f"writes it, got {got}; train the model again into a new folder")
    return chars


def load_trained(model_dir: str | os.PathLike):
    """``(model, vocab)`` from a folder written by ``python -m helpers.charlm train``: its
    ``best.keras`` loaded with ``keras.saving.load_model(..., safe_mode=True)`` and a
    :class:`helpers.data.CharVocab` of its ``vocab.json`` (:func:`read_run_vocab`).

    Raises:
        RunFolderError: ``model_dir`` holds no trained model, a damaged file (a
            ``best.keras`` cut short, a ``vocab.json`` of another shape), a model
            :func:`build_model` did not build, or files of two different models (the
            vocabulary's size is not the model's number of outputs).
    """
    chars = read_run_vocab(model_dir)
    import zipfile

    import keras

    import helpers.fused_lstm  # noqa: F401  (registers FusedLSTM, which the command trains)
    from helpers.data import CharVocab

    path = Path(model_dir) / "best.keras"
    try:
        model = keras.saving.load_model(path, safe_mode=True)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise RunFolderError(f"model_dir {str(model_dir)!r} has a damaged best.keras (Keras "
                             f"cannot read it: {type(exc).__name__}); train the model again "
                             "into a new folder") from None
    try:
        lstm_layers(model)
    except ValueError:
        raise RunFolderError(f"model_dir {str(model_dir)!r} holds a best.keras that "
                             "build_model() did not build (no 'embedding' and 'lstm_k' "
                             "layers); train the model again into a new folder") from None
    outputs = model.output_shape[-1]
    if outputs != len(chars):
        raise RunFolderError(f"model_dir {str(model_dir)!r} holds files of two models: "
                             f"best.keras has {outputs} outputs, vocab.json {len(chars)} "
                             "characters; train the model again into a new folder")
    return model, CharVocab(chars)
