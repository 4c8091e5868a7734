"""A character-level LSTM language model: train it on any text, sample from it.

Command line (``python -m helpers.charlm --help``)::

    python -m helpers.charlm train [TEXT_FILE] --out DIR [--epochs 10 --units 256 ...]
    python -m helpers.charlm sample DIR [--length 500 --temperature 0.8 --prime "ROMEO:"]

With no TEXT_FILE, ``train`` uses Tiny Shakespeare (``helpers.load_shakespeare``). The first
90 % of the text trains, the last 10 % validates. ``DIR`` receives:

* ``config.json`` - the settings, the text's sha256 and whether training finished;
* ``vocab.json`` - the characters, in id order;
* ``best.keras`` - the model with the lowest validation loss so far (``ModelCheckpoint``,
  written to a temporary file and renamed, so it is never half-written);
* ``backup/`` - while training: ``BackupAndRestore``'s state (this epoch's and the previous
  one's). Run the same command again after an interruption and training resumes from the
  last finished epoch, or the one before if the kill hit the backup being written;
* ``history.csv`` - per-epoch losses (``CSVLogger``, appended across resumed runs).

The model: Embedding -> LSTM x layers (return_sequences) -> TimeDistributed(Dense(vocab)),
producing logits; loss: sparse categorical cross-entropy from logits, in nats per character.
Sampling copies the weights into a stateful batch-1 model, so each new character costs one
LSTM step (h and c are kept between steps).

Errors a user can cause (missing, empty, binary or non-UTF-8 file; text too short; a
vocabulary of one character; a prime with unseen characters; an output folder holding
another model; non-positive sizes) print one line and exit with status 2, before anything
is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["CharLMConfig", "UserError", "build_model", "load_text", "main", "sample",
           "train", "windows", "windows_dataset"]


class UserError(ValueError):
    """Bad input from the user: reported in one line, exit status 2."""


@dataclass
class CharLMConfig:
    """Training settings (saved to ``config.json``)."""

    units: int = 256
    layers: int = 1
    embedding_dim: int = 64
    seq_len: int = 64
    batch_size: int = 64
    epochs: int = 10
    steps_per_epoch: int | None = None   # None: one pass over the training windows
    lr: float = 3e-3
    val_fraction: float = 0.1
    seed: int = 0

    def check(self) -> None:
        for name in ("units", "layers", "embedding_dim", "seq_len", "batch_size", "epochs"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise UserError(f"--{name.replace('_', '-')} must be a positive integer; "
                                f"got {value!r}")
        if self.steps_per_epoch is not None and self.steps_per_epoch < 1:
            raise UserError(f"--steps-per-epoch must be a positive integer; got "
                            f"{self.steps_per_epoch}")
        if not self.lr > 0:
            raise UserError(f"--lr must be positive; got {self.lr}")
        if not 0 < self.val_fraction < 1:
            raise UserError(f"--val-fraction must be between 0 and 1; got {self.val_fraction}")


# ----------------------------------------------------------------------------- text
def load_text(path: str | os.PathLike | None, encoding: str = "utf-8") -> str:
    """Read a training text, or Tiny Shakespeare when ``path`` is None.

    Raises:
        UserError: the file is missing, empty, binary, or not in ``encoding``.
    """
    if path is None:
        from helpers.datasets import load_shakespeare

        return load_shakespeare()
    path = Path(path)
    if not path.is_file():
        raise UserError(f"TEXT_FILE {str(path)!r} does not exist or is not a file")
    data = path.read_bytes()
    if not data:
        raise UserError(f"TEXT_FILE {str(path)!r} is empty; give a file with text in it")
    if b"\x00" in data[:65536]:
        raise UserError(f"TEXT_FILE {str(path)!r} looks binary (it contains NUL bytes); "
                        "give a plain-text file")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserError(
            f"TEXT_FILE {str(path)!r} is not valid {encoding} (byte {data[exc.start]:#04x} at "
            f"offset {exc.start}); pass its encoding, e.g. --encoding latin-1") from None
    except LookupError:
        raise UserError(f"--encoding {encoding!r} is not an encoding Python knows") from None


def _split(ids, config: CharLMConfig):
    """First (1 - val_fraction) for training, the rest for validation.

    Training needs one full batch of windows (``--batch-size`` windows of ``--seq-len`` + 1
    characters), validation one window: the counts below are exactly those of
    :func:`windows`, so a text accepted here always trains and always validates.

    Raises:
        UserError: the text is too short for that, with the settings that would fit it.
    """
    n_val = int(len(ids) * config.val_fraction)
    train_ids, val_ids = ids[: len(ids) - n_val], ids[len(ids) - n_val:]
    window = config.seq_len + 1
    train_windows, val_windows = len(train_ids) // window, len(val_ids) // window

    def enough(n: int) -> bool:  # would a text of n characters pass both checks?
        n_val = int(n * config.val_fraction)
        return n_val // window >= 1 and (n - n_val) // window >= config.batch_size

    if val_windows < 1:
        shorter = (f" or --seq-len {len(val_ids) - 1} or smaller" if len(val_ids) > 1 else "")
        raise UserError(
            f"the text is too short: {len(ids)} characters leave {len(val_ids)} for validation "
            f"(the last {config.val_fraction:.0%}), less than one sequence of --seq-len "
            f"{config.seq_len} + 1; use a text of at least "
            f"{_shortest_text(enough)} characters{shorter}")
    if train_windows < config.batch_size:
        raise UserError(
            f"the text is too short: its {len(train_ids)} training characters give "
            f"{train_windows} sequences of --seq-len {config.seq_len} + 1, fewer than one batch "
            f"of --batch-size {config.batch_size}; use --batch-size {max(train_windows, 1)} "
            f"or smaller, a smaller --seq-len, or a text of at least {_shortest_text(enough)} "
            "characters")
    return train_ids, val_ids


def _shortest_text(fits) -> int:
    """The smallest text length ``n`` with ``fits(n)`` (``fits`` grows with ``n``)."""
    low, high = 1, 1
    while not fits(high):
        high *= 2
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if fits(mid) else (mid + 1, high)
    return low


# ----------------------------------------------------------------------------- model
def build_model(vocab_size: int, *, units: int = 256, layers: int = 1, embedding_dim: int = 64,
                batch_size: int | None = None, seq_len: int | None = None,
                stateful: bool = False):
    """Embedding -> LSTM x ``layers`` -> TimeDistributed(Dense(vocab_size)): logits.

    Input ``(batch, seq_len)`` integer character ids; output ``(batch, seq_len,
    vocab_size)`` logits for the next character at every position. ``stateful=True``
    (with a fixed ``batch_size``) keeps h and c between calls, for generation.

    Source: Karpathy's char-rnn; Keras docs, "LSTM layer", "TimeDistributed layer".
    """
    import keras

    inputs = keras.Input(shape=(seq_len,), batch_size=batch_size, dtype="int32", name="chars")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    for k in range(layers):
        x = keras.layers.LSTM(units, return_sequences=True, stateful=stateful,
                              name=f"lstm_{k + 1}")(x)
    logits = keras.layers.TimeDistributed(keras.layers.Dense(vocab_size), name="logits")(x)
    return keras.Model(inputs, logits, name="char_lm")


def windows(ids, seq_len: int):
    """Non-overlapping windows of ``seq_len + 1`` ids: ``x`` the first ``seq_len``, ``y`` the
    last ``seq_len`` (the next character at every position). Shapes ``(n, seq_len)``; the
    incomplete last window is dropped."""
    import numpy as np

    ids = np.asarray(ids)
    n = len(ids) // (seq_len + 1)
    w = ids[: n * (seq_len + 1)].reshape(n, seq_len + 1)
    return w[:, :-1], w[:, 1:]


def windows_dataset(ids, seq_len: int, batch_size: int, *, shuffle: bool, seed: int = 0,
                    drop_remainder: bool = True):
    """tf.data pipeline of ``(x, y)`` batches of :func:`windows`, ``(batch_size, seq_len)``
    each. The incomplete last batch is dropped (training: every step sees a full batch)
    unless ``drop_remainder=False`` (evaluation: every window counts).

    ``shuffle`` draws the windows in a new random order each pass, over *all* windows (a
    smaller shuffle buffer would make the first batches of every pass come from the start
    of the text: training stopped after part of a pass would never see its end).

    tf.data's autotuning is off and two batches are prefetched: with autotuning on,
    destroying an iterator (what every ``fit`` does when it returns) waited for the
    autotuner's thread, from 2 s to 36 s on a 2-core CPU, at random."""
    import tensorflow as tf

    x, y = windows(ids, seq_len)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(max(len(x), 1), seed=seed, reshuffle_each_iteration=True)
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(2).with_options(options)


# ----------------------------------------------------------------------------- files
def _atomic_write_text(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp",
                                     encoding="utf-8") as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_out_dir(out: Path, fingerprint: dict) -> bool:
    """Return True to resume an interrupted run in ``out``; False for a fresh folder.

    Raises:
        UserError: ``out`` is a file, holds another model, or a finished run.
    """
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {str(out)!r} is a file; give a folder")
    config_file = out / "config.json"
    if not out.exists() or not any(out.iterdir()):
        return False
    if not config_file.is_file():
        raise UserError(f"--out {str(out)!r} is not empty and holds no charlm config.json; "
                        "give a new or empty folder")
    saved = json.loads(config_file.read_text(encoding="utf-8"))
    if {k: saved.get(k) for k in fingerprint} != fingerprint:
        raise UserError(f"--out {str(out)!r} holds another model (different text or settings); "
                        "give a new folder, or repeat that model's exact command to resume it")
    if saved.get("finished"):
        raise UserError(f"--out {str(out)!r} already holds this model, fully trained; sample "
                        "from it, or give a new folder to train again")
    return True


def _atomic_checkpoint(filepath: Path):
    """A ModelCheckpoint (best by val_loss) that writes to a temporary file and renames it,
    so ``filepath`` always holds a whole model, the old one or the new one."""
    import keras

    class AtomicModelCheckpoint(keras.callbacks.ModelCheckpoint):
        def _save_model(self, epoch, batch, logs):
            final = self.filepath
            tmp = str(Path(final).with_name(f".{Path(final).stem}.tmp.keras"))
            self.filepath = tmp
            try:
                super()._save_model(epoch, batch, logs)
                if os.path.exists(tmp):
                    os.replace(tmp, final)
            finally:
                self.filepath = final

    return AtomicModelCheckpoint(str(filepath), monitor="val_loss", save_best_only=True,
                                 verbose=0)


def _resumable_backup(backup_dir: Path):
    """``BackupAndRestore`` that survives being killed while it writes its backup.

    Keras writes the backup in place; a process killed mid-write leaves a file it cannot read
    (seen in this project's tests). ``double_checkpoint=True`` keeps the previous epoch's
    backup and Keras falls back to it when the weights file is unreadable; this subclass also
    falls back when the metadata file is (Keras lets that ``ValueError`` through), and starts
    over, keeping ``best.keras``, when no whole backup exists at all.
    """
    import shutil

    import keras

    class ResumableBackup(keras.callbacks.BackupAndRestore):
        def on_train_begin(self, logs=None):
            try:
                super().on_train_begin(logs)
                return
            except (OSError, ValueError) as exc:
                error = exc
            pairs = [(self._prev_weights_path, self._weights_path),
                     (self._prev_training_metadata_path, self._training_metadata_path)]
            if all(os.path.exists(prev) for prev, _ in pairs):
                try:
                    for prev, current in pairs:
                        shutil.copyfile(prev, current)
                    self._load_model()
                    return
                except (OSError, ValueError):
                    pass
            shutil.rmtree(self.backup_dir, ignore_errors=True)
            print(f"warning: the backup could not be read ({type(error).__name__}): the run was "
                  "stopped while writing it; training starts again from epoch 1 "
                  "(best.keras is kept)", file=sys.stderr)

    return ResumableBackup(str(backup_dir), double_checkpoint=True)


# ----------------------------------------------------------------------------- train
def _epoch_lines(epochs: int):
    """A callback printing one plain line per epoch (no escape codes), for logs and CI::

        epoch 3/10: loss 1.734, val_loss 1.812 nats/char (41.2 s)
    """
    import time

    import keras

    started = {}

    def report(epoch, logs):
        parts = [f"{k} {logs[k]:.3f}" for k in ("loss", "val_loss") if k in (logs or {})]
        print(f"epoch {epoch + 1}/{epochs}: {', '.join(parts)} nats/char "
              f"({time.perf_counter() - started[epoch]:.1f} s)", flush=True)

    return keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: started.__setitem__(epoch, time.perf_counter()),
        on_epoch_end=report)


def train(text: str, out: str | os.PathLike, config: CharLMConfig | None = None, *,
          verbose: int = 1) -> dict:
    """Train a character LSTM on ``text`` into folder ``out`` (see the module docstring).

    Returns:
        The history: ``{"epoch": [...], "loss": [...], "val_loss": [...]}``.

    Raises:
        UserError: bad settings, a text too short or with one distinct character, or an
            output folder that holds another model. Nothing is written in that case.
    """
    config = config or CharLMConfig()
    config.check()
    from helpers.data import CharVocab

    vocab = CharVocab(text)
    if len(vocab) < 2:
        raise UserError(f"the text has a vocabulary of {len(vocab)} character "
                        f"({vocab.chars!r}); a language model needs at least 2")
    ids = vocab.encode(text)
    train_ids, val_ids = _split(ids, config)
    out = Path(out)
    fingerprint = {"text_sha256": _sha256(text), "settings": asdict(config)}
    resuming = _check_out_dir(out, fingerprint)

    import keras

    out.mkdir(parents=True, exist_ok=True)
    if not resuming:
        _atomic_write_text(out / "vocab.json", json.dumps({"chars": vocab.chars}))
        _atomic_write_text(out / "config.json",
                           json.dumps({**fingerprint, "finished": False}, indent=2))
    elif verbose:
        print(f"resuming the interrupted run in {out}", flush=True)

    keras.utils.set_random_seed(config.seed)
    model = build_model(len(vocab), units=config.units, layers=config.layers,
                        embedding_dim=config.embedding_dim, seq_len=config.seq_len)
    model.compile(optimizer=keras.optimizers.Adam(config.lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    train_ds = windows_dataset(train_ids, config.seq_len, config.batch_size, shuffle=True,
                               seed=config.seed).repeat()
    # every validation window, in batches of up to --batch-size (the last may be smaller)
    val_ds = windows_dataset(val_ids, config.seq_len, config.batch_size, shuffle=False,
                             drop_remainder=False)
    batches = (len(train_ids) // (config.seq_len + 1)) // config.batch_size
    steps = config.steps_per_epoch or batches
    checkpoint = _atomic_checkpoint(out / "best.keras")
    earlier = _read_history(out / "history.csv")
    if earlier["val_loss"]:  # a resumed run must not overwrite a better model
        checkpoint.best = min(earlier["val_loss"])
    # On a terminal, Keras's live progress bar; in a log file or CI, one plain line per epoch
    # (the bar's carriage returns and escape codes make logs unreadable).
    live = bool(verbose) and sys.stdout.isatty()
    callbacks = [checkpoint, keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
                 _resumable_backup(out / "backup")]
    if verbose and not live:
        callbacks.append(_epoch_lines(config.epochs))
    model.fit(
        train_ds, validation_data=val_ds, epochs=config.epochs, steps_per_epoch=steps,
        shuffle=False,  # the dataset shuffles its windows itself
        verbose=1 if live else 0, callbacks=callbacks)
    _atomic_write_text(out / "config.json", json.dumps({**fingerprint, "finished": True},
                                                       indent=2))
    return _read_history(out / "history.csv")


def _read_history(path: Path) -> dict:
    """Per-epoch logs from CSVLogger's file; an epoch repeated after a resume keeps its last row."""
    import csv

    rows = {}
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                try:  # a row cut short by a killed process is skipped
                    float(row["val_loss"])
                    rows[int(row["epoch"]) + 1] = row
                except (KeyError, TypeError, ValueError):
                    continue
    epochs = sorted(rows)
    record = {"epoch": epochs}
    for key in ("loss", "val_loss"):
        record[key] = [float(rows[e][key]) for e in epochs if rows[e].get(key)]
    return record


# ----------------------------------------------------------------------------- sample
def load_trained(model_dir: str | os.PathLike):
    """Return ``(model, vocab)`` from a folder written by :func:`train`.

    The model is loaded with ``keras.saving.load_model(..., safe_mode=True)``.

    Raises:
        UserError: the folder holds no trained model.
    """
    model_dir = Path(model_dir)
    chars = _saved_chars(model_dir)
    import keras

    from helpers.data import CharVocab

    model = keras.saving.load_model(model_dir / "best.keras", safe_mode=True)
    return model, CharVocab(chars)


def _saved_chars(model_dir: Path) -> str:
    if not (model_dir / "best.keras").is_file() or not (model_dir / "vocab.json").is_file():
        raise UserError(f"MODEL_DIR {str(model_dir)!r} holds no trained model (best.keras and "
                        "vocab.json); train one with: python -m helpers.charlm train --out DIR")
    return json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))["chars"]


def generator_from(model):
    """A stateful, batch-1 copy of ``model`` that reads one character per call."""
    lstms = [layer for layer in model.layers if layer.name.startswith("lstm_")]
    gen = build_model(model.output_shape[-1], units=lstms[0].units, layers=len(lstms),
                      embedding_dim=model.get_layer("embedding").output_dim, batch_size=1,
                      seq_len=1, stateful=True)
    gen.set_weights(model.get_weights())
    return gen


def _compiled_step(gen):
    """``gen`` as a compiled function (cached on the model): an eager Keras call costs
    milliseconds of Python per layer, more than the step itself."""
    step = getattr(gen, "_charlm_step", None)
    if step is None:
        import tensorflow as tf

        step = tf.function(lambda token: gen(token, training=False))
        gen._charlm_step = step
    return step


def _check_prime(prime: str, chars: str) -> None:
    if not prime:
        raise UserError("--prime must hold at least one character")
    unseen = sorted(set(prime) - set(chars))
    if unseen:
        raise UserError(f"--prime holds characters the model never saw: {''.join(unseen)!r}; "
                        "use characters of the training text")


def sample(model, vocab, *, length: int = 500, temperature: float = 0.8, prime: str = "\n",
           seed: int = 0, generator=None) -> str:
    """Generate ``length`` characters after ``prime``.

    The prime is read one character at a time into a stateful copy of the model; each
    generated character is drawn from ``softmax(logits / temperature)`` and fed back,
    so each costs one step.

    Raises:
        UserError: ``prime`` is empty or holds characters the model never saw; ``length``
            or ``temperature`` is not positive.
    """
    import numpy as np

    if length < 1:
        raise UserError(f"--length must be a positive integer; got {length}")
    if not temperature > 0:
        raise UserError(f"--temperature must be positive; got {temperature}")
    _check_prime(prime, vocab.chars)
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


# ----------------------------------------------------------------------------- CLI
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    d = CharLMConfig()
    parser = argparse.ArgumentParser(
        prog="python -m helpers.charlm", description="Train and sample a character LSTM.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train on a text file (default: Tiny Shakespeare)")
    t.add_argument("text_file", nargs="?",
                   help="the training text; the last 10 %% validates (default: Tiny Shakespeare)")
    t.add_argument("--out", required=True,
                   help="folder for the model: new or empty, or an interrupted run to resume")
    t.add_argument("--encoding", default="utf-8",
                   help="the text file's encoding (default: %(default)s)")
    options = {
        "epochs": "passes over the training text (or of --steps-per-epoch steps each)",
        "units": "size of each LSTM layer's hidden state h and cell state c",
        "layers": "number of stacked LSTM layers",
        "embedding-dim": "size of each character's learned vector (Embedding)",
        "seq-len": "timesteps per training sequence (backpropagation through time length)",
        "batch-size": "sequences per training step",
    }
    for name, text in options.items():
        t.add_argument(f"--{name}", type=_positive_int,
                       default=getattr(d, name.replace("-", "_")),
                       help=f"{text} (default: %(default)s)")
    t.add_argument("--steps-per-epoch", type=_positive_int, default=None,
                   help="training steps between validations (default: one pass over the text)")
    t.add_argument("--lr", type=_positive_float, default=d.lr,
                   help="Adam's learning rate (default: %(default)s)")
    t.add_argument("--seed", type=int, default=d.seed,
                   help="random seed for the initial weights and the order of sequences "
                        "(default: %(default)s)")
    s = sub.add_parser("sample", help="generate text from a trained model")
    s.add_argument("model_dir", help="a folder written by 'train' (holds best.keras)")
    s.add_argument("--length", type=_positive_int, default=500,
                   help="characters to generate after the prime (default: %(default)s)")
    s.add_argument("--temperature", type=_positive_float, default=0.8,
                   help="below 1: safer, more repetitive text; above 1: more surprising "
                        "(default: %(default)s)")
    s.add_argument("--prime", default="\n",
                   help="text the model reads before generating (default: a line break)")
    s.add_argument("--seed", type=int, default=0,
                   help="random seed for sampling (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        if args.command == "train":
            text = load_text(args.text_file, args.encoding)
            config = CharLMConfig(units=args.units, layers=args.layers,
                                  embedding_dim=args.embedding_dim, seq_len=args.seq_len,
                                  batch_size=args.batch_size, epochs=args.epochs,
                                  steps_per_epoch=args.steps_per_epoch, lr=args.lr,
                                  seed=args.seed)
            record = train(text, args.out, config)
            finite = [v for v in record["val_loss"] if math.isfinite(v)]
            if not finite:  # never report NaN as a result
                print(f"error: training diverged (validation loss {record['val_loss']}); "
                      "lower --lr and train into a new --out folder", file=sys.stderr)
                return 1
            print(f"best validation loss {min(finite):.3f} nats/char; "
                  f"model in {args.out}/best.keras")
        else:
            _check_prime(args.prime, _saved_chars(Path(args.model_dir)))  # before TensorFlow
            model, vocab = load_trained(args.model_dir)
            print(args.prime + sample(model, vocab, length=args.length,
                                      temperature=args.temperature, prime=args.prime,
                                      seed=args.seed))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
