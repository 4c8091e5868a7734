"""``python -m helpers.charlm``: train a character LSTM on any text, and sample from it.

    python -m helpers.charlm train [TEXT_FILE] --out DIR [--epochs 10 --units 256 ...]
    python -m helpers.charlm sample DIR [--length 500 --temperature 0.8 --prime "ROMEO:"]

This module is the command line only: its options, its messages and its exit status. The
model, its training windows and sampling are :mod:`helpers.language_model`; what a run
writes safely and how it resumes is :mod:`helpers.checkpoints` (the Keras callbacks) and
:mod:`helpers.run_folder` (its settings and history).

With no TEXT_FILE, ``train`` uses Tiny Shakespeare (``helpers.load_shakespeare``). The first
90 % of the text trains, the last 10 % validates. ``DIR`` receives:

* ``config.json`` - the settings, the text's sha256, whether training finished, and the
  folder's format (:data:`helpers.run_folder.RUN_FORMAT`; folders written before it
  existed are read too, and resume);
* ``vocab.json`` - the characters, in id order;
* ``best.keras`` - the model with the lowest validation loss so far (written to a temporary
  file and renamed, so it is never half-written);
* ``backup/`` - while training: ``BackupAndRestore``'s state (this epoch's and the previous
  one's). Run the same command again after an interruption and training resumes from the
  last finished epoch, or the one before if the kill hit the backup being written;
* ``history.csv`` - per-epoch losses (``CSVLogger``, appended across resumed runs).

Loss: sparse categorical cross-entropy from logits, in nats per character.

Exit status: 0 done; 1 training diverged (no finite validation loss); 2 bad input (missing,
empty, binary or non-UTF-8 file; text too short; a vocabulary of one character; a prime
with unseen characters; an output folder holding another model; non-positive sizes), with
one line on stderr and nothing written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from helpers import checks

__all__ = ["CharLMConfig", "UserError", "load_text", "load_trained", "main", "train"]


class UserError(ValueError):
    """Bad input from the user: reported in one line, exit status 2."""


@dataclass
class CharLMConfig:
    """Training settings (saved to ``config.json``); see ``--help`` for each one."""

    units: int = 256
    layers: int = 1
    embedding_dim: int = 64
    timesteps: int = 64
    batch_size: int = 64
    epochs: int = 10
    steps_per_epoch: int | None = None   # None: one pass over the training windows
    lr: float = 3e-3
    val_fraction: float = 0.1
    seed: int = 0

    def check(self) -> None:
        """Raises UserError naming the option (``--units``, ...) of a bad setting."""
        for name in ("units", "layers", "embedding_dim", "timesteps", "batch_size", "epochs"):
            _user_check(checks.positive_int, "--" + name.replace("_", "-"), getattr(self, name))
        if self.steps_per_epoch is not None:
            _user_check(checks.positive_int, "--steps-per-epoch", self.steps_per_epoch)
        _user_check(checks.positive_number, "--lr", self.lr)
        _user_check(checks.fraction, "val_fraction", self.val_fraction)


def _user_check(check, *args):
    """Run a :mod:`helpers.checks` check; its ValueError becomes a UserError (exit status 2).
    Only the command's own checks are turned into user errors: a ValueError from deeper
    down is a bug, and shows its traceback."""
    try:
        return check(*args)
    except ValueError as exc:
        raise UserError(str(exc)) from None


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

    Training needs one full batch of windows (``--batch-size`` windows of ``--timesteps`` + 1
    characters), validation one window: the counts below are exactly those of
    :func:`helpers.language_model.windows`, so a text accepted here always trains and
    always validates.

    Raises:
        UserError: the text is too short for that, with the settings that would fit it.
    """
    n_val = int(len(ids) * config.val_fraction)
    train_ids, val_ids = ids[: len(ids) - n_val], ids[len(ids) - n_val:]
    window = config.timesteps + 1
    train_windows, val_windows = len(train_ids) // window, len(val_ids) // window

    def enough(n: int) -> bool:  # would a text of n characters pass both checks?
        n_val = int(n * config.val_fraction)
        return n_val // window >= 1 and (n - n_val) // window >= config.batch_size

    if val_windows < 1:
        shorter = (f" or --timesteps {len(val_ids) - 1} or smaller" if len(val_ids) > 1 else "")
        raise UserError(
            f"the text is too short: {len(ids)} characters leave {len(val_ids)} for validation "
            f"(the last {config.val_fraction:.0%}), less than one sequence of --timesteps "
            f"{config.timesteps} + 1; use a text of at least "
            f"{_shortest_text(enough)} characters{shorter}")
    if train_windows < config.batch_size:
        raise UserError(
            f"the text is too short: its {len(train_ids)} training characters give "
            f"{train_windows} sequences of --timesteps {config.timesteps} + 1, fewer than one "
            f"batch of --batch-size {config.batch_size}; use --batch-size "
            f"{max(train_windows, 1)} or smaller, a smaller --timesteps, or a text of at least "
            f"{_shortest_text(enough)} characters")
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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_out_dir(out: Path, fingerprint: dict) -> bool:
    """Return True to resume an interrupted run in ``out``; False for a fresh folder.

    Raises:
        UserError: ``out`` is a file, holds something else, another model, or a finished run.
    """
    from helpers.run_folder import read_run_config

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {str(out)!r} is a file; give a folder")
    config_file = out / "config.json"
    if not out.exists() or not any(out.iterdir()):
        return False
    if not config_file.is_file():
        raise UserError(f"--out {str(out)!r} is not empty and holds no charlm config.json; "
                        "give a new or empty folder")
    try:
        saved = read_run_config(config_file)
    except ValueError as exc:
        raise UserError(f"--out {str(out)!r}: {exc}") from None
    if {k: saved.get(k) for k in fingerprint} != fingerprint:
        raise UserError(f"--out {str(out)!r} holds another model (different text or settings); "
                        "give a new folder, or repeat that model's exact command to resume it")
    if saved.get("finished"):
        raise UserError(f"--out {str(out)!r} already holds this model, fully trained; sample "
                        "from it, or give a new folder to train again")
    return True


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

    from helpers.checkpoints import AtomicModelCheckpoint, ResumableBackup
    from helpers.language_model import build_model, windows_dataset
    from helpers.run_folder import RUN_FORMAT, atomic_write_text, read_history

    def write_config(finished: bool) -> None:
        atomic_write_text(out / "config.json", json.dumps(
            {**fingerprint, "finished": finished, "format": RUN_FORMAT}, indent=2))

    out.mkdir(parents=True, exist_ok=True)
    if not resuming:
        atomic_write_text(out / "vocab.json", json.dumps({"chars": vocab.chars}))
        write_config(finished=False)
    elif verbose:
        print(f"resuming the interrupted run in {out}", flush=True)

    keras.utils.set_random_seed(config.seed)
    model = build_model(len(vocab), units=config.units, layers=config.layers,
                        embedding_dim=config.embedding_dim, timesteps=config.timesteps)
    model.compile(optimizer=keras.optimizers.Adam(config.lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    train_ds = windows_dataset(train_ids, config.timesteps, config.batch_size, shuffle=True,
                               seed=config.seed).repeat()
    # every validation window, in batches of up to --batch-size (the last may be smaller)
    val_ds = windows_dataset(val_ids, config.timesteps, config.batch_size, shuffle=False,
                             drop_remainder=False)
    batches = (len(train_ids) // (config.timesteps + 1)) // config.batch_size
    steps = config.steps_per_epoch or batches
    checkpoint = AtomicModelCheckpoint(str(out / "best.keras"), monitor="val_loss",
                                       save_best_only=True, verbose=0)
    earlier = read_history(out / "history.csv")
    if earlier["val_loss"]:  # a resumed run must not overwrite a better model
        checkpoint.best = min(earlier["val_loss"])
    # On a terminal, Keras's live progress bar; in a log file or CI, one plain line per epoch
    # (the bar's carriage returns and escape codes make logs unreadable).
    live = bool(verbose) and sys.stdout.isatty()
    callbacks = [checkpoint, keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
                 ResumableBackup(out / "backup")]
    if verbose and not live:
        callbacks.append(_epoch_lines(config.epochs))
    model.fit(
        train_ds, validation_data=val_ds, epochs=config.epochs, steps_per_epoch=steps,
        shuffle=False,  # the dataset shuffles its windows itself
        verbose=1 if live else 0, callbacks=callbacks)
    write_config(finished=True)
    return read_history(out / "history.csv")


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


# ----------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    d = CharLMConfig()
    positive_int = checks.argparse_type(checks.positive_int, int)
    positive_number = checks.argparse_type(checks.positive_number, float)
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
        "timesteps": "timesteps per training sequence (backpropagation through time length)",
        "batch-size": "sequences per training step",
    }
    for name, text in options.items():
        # --seq-len: this option's name before 2026-12, still accepted
        aliases = ["--seq-len"] if name == "timesteps" else []
        t.add_argument(f"--{name}", *aliases, type=positive_int,
                       default=getattr(d, name.replace("-", "_")),
                       help=f"{text} (default: %(default)s)")
    t.add_argument("--steps-per-epoch", type=positive_int, default=None,
                   help="training steps between validations (default: one pass over the text)")
    t.add_argument("--lr", type=positive_number, default=d.lr,
                   help="Adam's learning rate (default: %(default)s)")
    t.add_argument("--seed", type=int, default=d.seed,
                   help="random seed for the initial weights and the order of sequences "
                        "(default: %(default)s)")
    s = sub.add_parser("sample", help="generate text from a trained model")
    s.add_argument("model_dir", help="a folder written by 'train' (holds best.keras)")
    s.add_argument("--length", type=positive_int, default=500,
                   help="characters to generate after the prime (default: %(default)s)")
    s.add_argument("--temperature", type=positive_number, default=0.8,
                   help="below 1: safer, more repetitive text; above 1: more surprising "
                        "(default: %(default)s)")
    s.add_argument("--prime", default="\n",
                   help="text the model reads before generating (default: a line break)")
    s.add_argument("--seed", type=int, default=0,
                   help="random seed for sampling (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        if args.command == "train":
            text = load_text(args.text_file, args.encoding)
            config = CharLMConfig(units=args.units, layers=args.layers,
                                  embedding_dim=args.embedding_dim, timesteps=args.timesteps,
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
            chars = _saved_chars(Path(args.model_dir))
            # before TensorFlow is imported: a typo costs no start-up
            _user_check(checks.known_symbols, "--prime", args.prime, chars,
                        "Use characters of the training text.")
            from helpers.language_model import sample

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
