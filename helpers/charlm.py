"""``python -m helpers.charlm``: train a character LSTM on any text, and sample from it.

    python -m helpers.charlm train [TEXT_FILE] --out DIR [--minutes 10 | --epochs 20 ...]
    python -m helpers.charlm sample DIR [--length 500 --temperature 0.8 --prime "ROMEO:"
                                         --num-samples 4]

This module is the command line: its options, its messages and its exit status, and the
settings that make training fast (:func:`apply_speed_settings`, :func:`training_model`,
:func:`training_batches`; measured by ``benchmarks/vs_pytorch.py``). The model, its
training batches and sampling are :mod:`helpers.language_model`; the learning-rate
schedule and the time budget :mod:`helpers.progress`; what a run writes safely and how it
resumes :mod:`helpers.checkpoints` (the Keras callbacks) and :mod:`helpers.run_folder` (its
settings and history).

Backend: ``--backend``, else ``KERAS_BACKEND``, else torch where PyTorch is installed (the
LSTM then runs on PyTorch's fused kernel, :class:`helpers.fused_lstm.FusedLSTM`), else
tensorflow. The data path is NumPy (:class:`helpers.language_model.BatchStream`), the same
on every backend, and a saved model loads on any of them.

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
* ``history.csv`` - per-epoch losses (``CSVLogger``, appended across resumed runs);
* ``tensorboard/`` - with ``--tensorboard``, Keras's TensorBoard logs.

Resuming: settings not given on the command line are the interrupted run's own; a setting
given that differs from them is refused. A ``--minutes`` budget resumes with what is left.

Loss: sparse categorical cross-entropy from logits, in nats per character.

Exit status: 0 done; 1 training diverged (no finite validation loss); 2 bad input (missing,
empty, binary or non-UTF-8 file; text too short; a vocabulary of one character; a prime
with unseen characters; an output folder holding another model; non-positive sizes; a
``--strategy`` on a backend other than TensorFlow), with one line on stderr and nothing
written.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from helpers import checks

__all__ = ["CharLMConfig", "UserError", "load_text", "load_trained", "main", "train"]


#: ``--schedule``: the learning rate over a run (:class:`helpers.progress.TrainingClock`).
SCHEDULES = ("cosine", "constant")


class UserError(ValueError):
    """Bad input from the user: reported in one line, exit status 2."""


@dataclass
class CharLMConfig:
    """Training settings (saved to ``config.json``); see ``--help`` for each one.

    The defaults were chosen by training Tiny Shakespeare on a 2-core CPU to the best
    validation loss in about 10 minutes (README, "Speed and quality"): 20 epochs, Adam from
    5e-3 with cosine decay, dropout 0.3 after the LSTM.
    """

    units: int = 256
    layers: int = 1
    embedding_dim: int = 64
    timesteps: int = 64
    batch_size: int = 64
    epochs: int = 20
    steps_per_epoch: int | None = None   # None: one pass over the training windows
    lr: float = 5e-3
    val_fraction: float = 0.1
    seed: int = 0
    dropout: float = 0.3
    schedule: str = "cosine"
    fused: bool = True      # FusedLSTM and one Dense for the logits (runs before 2026-12: False)

    def check(self) -> None:
        """Raises UserError naming the option (``--units``, ...) of a bad setting."""
        for name in ("units", "layers", "embedding_dim", "timesteps", "batch_size", "epochs"):
            _user_check(checks.positive_int, "--" + name.replace("_", "-"), getattr(self, name))
        if self.steps_per_epoch is not None:
            _user_check(checks.positive_int, "--steps-per-epoch", self.steps_per_epoch)
        _user_check(checks.positive_number, "--lr", self.lr)
        _user_check(checks.fraction, "val_fraction", self.val_fraction)
        if not (isinstance(self.dropout, (int, float)) and 0 <= self.dropout < 1):
            raise UserError(f"--dropout must be a fraction in [0, 1); got {self.dropout!r}")
        if self.schedule not in SCHEDULES:
            raise UserError(f"--schedule must be one of {', '.join(SCHEDULES)}; got "
                            f"{self.schedule!r}")


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


# ----------------------------------------------------------------------------- speed
def apply_speed_settings() -> None:
    """Settings the command makes before Keras starts (environment variables: set later,
    they have no effect). oneDNN is on unless ``TF_ENABLE_ONEDNN_OPTS`` says otherwise (see
    the README's speed table); the notebooks turn it off, for outputs that reproduce
    exactly. TensorFlow's C++ log lines are hidden. Imports nothing."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def backend_words() -> str:
    """``"Keras backend tensorflow, oneDNN on"`` and the like, for logs and tables."""
    import keras

    words = f"Keras backend {keras.backend.backend()}"
    if keras.backend.backend() == "tensorflow":
        words += f", oneDNN {'off' if os.environ.get('TF_ENABLE_ONEDNN_OPTS') == '0' else 'on'}"
    return words


def training_model(vocab_size: int, config: CharLMConfig):
    """The command's model, compiled for training: :func:`helpers.language_model.build_model`
    with ``config``'s sizes and dropout, Adam at ``config.lr``, cross-entropy from logits."""
    import keras

    from helpers.language_model import build_model

    model = build_model(vocab_size, units=config.units, layers=config.layers,
                        embedding_dim=config.embedding_dim, timesteps=config.timesteps,
                        dropout=config.dropout, fused=config.fused)
    model.compile(optimizer=keras.optimizers.Adam(config.lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def training_batches(train_ids, config: CharLMConfig, start_step: int = 0):
    """The command's training data for ``model.fit`` on the active backend, from batch
    ``start_step`` on (:class:`helpers.language_model.BatchStream`)."""
    from helpers.language_model import BatchStream

    stream = BatchStream(train_ids, config.timesteps, config.batch_size, seed=config.seed)
    return stream.for_fit(start_step)


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


def _check_strategy_backend(strategy, backend: str) -> None:
    """Raises UserError when ``strategy`` (a tf.distribute one) is asked for on ``backend``."""
    if strategy is not None and backend != "tensorflow":
        raise UserError(f"--strategy {strategy if isinstance(strategy, str) else 'given'}: "
                        f"tf.distribute needs the TensorFlow backend, and Keras runs on "
                        f"{backend}; add --backend tensorflow (on JAX, Keras's own "
                        "keras.distribution API does data parallelism; this command does not "
                        "use it)")


def distribution_strategy(strategy, batch_size: int, *, verbose: bool = True):
    """The ``tf.distribute`` strategy to train under, or None for one device.

    ``"mirrored"`` is ``tf.distribute.MirroredStrategy()`` over every visible GPU (on a
    machine without one it has a single replica, the CPU). Each step splits the
    ``batch_size`` sequences evenly over the replicas, each replica computes the gradient
    of its share, and the gradients are summed across replicas (all-reduce) before one
    update of the mirrored weights: the step is the single-device step on the whole batch,
    so the learning rate stays as given. For several machines, the same code runs under
    ``tf.distribute.MultiWorkerMirroredStrategy`` (pass it as ``strategy``; each machine
    reads its role from the ``TF_CONFIG`` variable: the README's "Several GPUs" section).

    Raises:
        UserError: the Keras backend is not TensorFlow (tf.distribute is TensorFlow's), an
            unknown name, or a ``batch_size`` the replicas do not divide.

    Source: TensorFlow guide, "Distributed training with Keras"; Keras docs, "Multi-GPU
    distributed training with TensorFlow".
    """
    if strategy is None:
        return None
    import keras

    _check_strategy_backend(strategy, keras.backend.backend())
    import tensorflow as tf

    if isinstance(strategy, str):
        if strategy != "mirrored":
            raise UserError(f"--strategy must be mirrored; got {strategy!r}")
        strategy = tf.distribute.MirroredStrategy()
    replicas = strategy.num_replicas_in_sync
    if batch_size % replicas:
        raise UserError(f"--batch-size {batch_size} does not split evenly over {replicas} "
                        f"replicas; use a multiple of {replicas}, e.g. "
                        f"{replicas * max(1, round(batch_size / replicas))}")
    if verbose:
        devices = ", ".join(strategy.extended.worker_devices)
        print(f"{type(strategy).__name__}: {replicas} replica(s) on {devices}; each step "
              f"gives each {batch_size // replicas} of the {batch_size} sequences and sums "
              "their gradients, so --lr is unchanged", flush=True)
    return strategy


def train(text: str, out: str | os.PathLike, config: CharLMConfig | None = None, *,
          minutes: float | None = None, tensorboard: bool = False, strategy=None,
          verbose: int = 1) -> dict:
    """Train a character LSTM on ``text`` into folder ``out`` (see the module docstring).

    Args:
        minutes: a time budget for training, each epoch's validation included: training
            stops at the end of the step that spends it, or after ``config.epochs``,
            whichever comes first, and the learning-rate schedule runs over the budget. A
            resumed run gets what is left of it (the budget is saved in ``config.json`` and
            kept unless another is given). Not part of the model's settings: nothing
            reproduces a time budget step for step (notebooks use fixed step counts).
        tensorboard: also write TensorBoard logs to ``out/tensorboard``.
        strategy: ``"mirrored"`` (``tf.distribute.MirroredStrategy`` over every visible
            GPU), or a ``tf.distribute.Strategy`` to train under; None: one device. See
            :func:`distribution_strategy`.

    Returns:
        The history: ``{"epoch": [...], "loss": [...], "val_loss": [...]}``.

    Raises:
        UserError: bad settings, a text too short or with one distinct character, or an
            output folder that holds another model. Nothing is written in that case.
    """
    config = config or CharLMConfig()
    config.check()
    if minutes is not None:
        _user_check(checks.positive_number, "--minutes", minutes)
    import importlib.util

    if tensorboard and importlib.util.find_spec("tensorboard") is None:
        raise UserError("--tensorboard needs the tensorboard package (its writer and viewer): "
                        "pip install tensorboard, or leave --tensorboard out")
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
    from helpers.language_model import windows
    from helpers.progress import TrainingClock
    from helpers.run_folder import RUN_FORMAT, atomic_write_text, read_history, read_run_config

    strategy = distribution_strategy(strategy, config.batch_size, verbose=bool(verbose))
    saved = read_run_config(out / "config.json") if resuming else {}
    spent = saved.get("trained_seconds", 0.0)
    if minutes is None:          # a resumed run keeps its own budget unless given another
        minutes = saved.get("minutes")

    def write_config(finished: bool, seconds: float) -> None:
        atomic_write_text(out / "config.json", json.dumps(
            {**fingerprint, "finished": finished, "format": RUN_FORMAT,
             "trained_seconds": round(seconds, 1), "minutes": minutes}, indent=2))

    out.mkdir(parents=True, exist_ok=True)
    if not resuming:
        atomic_write_text(out / "vocab.json", json.dumps({"chars": vocab.chars}))
        write_config(finished=False, seconds=0.0)
    elif verbose:
        print(f"resuming the interrupted run in {out}", flush=True)

    keras.utils.set_random_seed(config.seed)
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = training_model(len(vocab), config)
    batches = (len(train_ids) // (config.timesteps + 1)) // config.batch_size
    steps = config.steps_per_epoch or batches
    earlier = read_history(out / "history.csv")
    # the data stream goes on where the finished epochs left it (BatchStream)
    train_data = training_batches(train_ids, config, start_step=len(earlier["epoch"]) * steps)
    # every validation window, in batches of up to --batch-size (the last may be smaller)
    val_x, val_y = windows(val_ids, config.timesteps)
    checkpoint = AtomicModelCheckpoint(str(out / "best.keras"), monitor="val_loss",
                                       save_best_only=True, verbose=0)
    if earlier["val_loss"]:  # a resumed run must not overwrite a better model
        checkpoint.best = min(earlier["val_loss"])
    clock = TrainingClock(lr=config.lr, schedule=config.schedule, steps_per_epoch=steps,
                          epochs=config.epochs, chars_per_step=config.batch_size *
                          config.timesteps, budget_s=minutes and minutes * 60, spent_s=spent,
                          verbose=bool(verbose))
    # On a terminal, Keras's live progress bar; in a log file or CI, one plain line per epoch
    # (the bar's carriage returns and escape codes make logs unreadable).
    live = bool(verbose) and sys.stdout.isatty()
    callbacks = [clock, checkpoint,
                 keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
                 ResumableBackup(out / "backup"),
                 keras.callbacks.LambdaCallback(
                     on_epoch_end=lambda epoch, logs: write_config(False, clock.seconds()))]
    if tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(str(out / "tensorboard")))
    if verbose and not live:
        callbacks.append(_epoch_lines(config.epochs))
    if verbose:
        budget = f", or {minutes:g} minutes of training" if minutes else ""
        print(f"training {config.epochs} epochs of {steps:,} steps of {config.batch_size} x "
              f"{config.timesteps} characters{budget}; {backend_words()}", flush=True)
    model.fit(
        train_data, validation_data=(val_x, val_y), validation_batch_size=config.batch_size,
        epochs=config.epochs, steps_per_epoch=steps, verbose=1 if live else 0, shuffle=False,
        callbacks=callbacks)
    write_config(finished=True, seconds=clock.seconds())
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

    import helpers.fused_lstm  # noqa: F401  (registers FusedLSTM, which the command trains)
    from helpers.data import CharVocab

    model = keras.saving.load_model(model_dir / "best.keras", safe_mode=True)
    return model, CharVocab(chars)


def _saved_chars(model_dir: Path) -> str:
    if not (model_dir / "best.keras").is_file() or not (model_dir / "vocab.json").is_file():
        raise UserError(f"MODEL_DIR {str(model_dir)!r} holds no trained model (best.keras and "
                        "vocab.json); train one with: python -m helpers.charlm train --out DIR")
    return json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))["chars"]


# ----------------------------------------------------------------------------- CLI
BACKENDS = ("tensorflow", "jax", "torch")
_SETTINGS_HELP = {
    "epochs": "passes over the training text (or of --steps-per-epoch steps each); with "
              "--minutes and no --epochs, the budget alone decides",
    "units": "size of each LSTM layer's hidden state h and cell state c",
    "layers": "number of stacked LSTM layers",
    "embedding_dim": "size of each character's learned vector (Embedding)",
    "timesteps": "timesteps per training sequence (backpropagation through time length)",
    "batch_size": "sequences per training step",
    "steps_per_epoch": "training steps between validations (default: one pass over the text)",
    "lr": "Adam's learning rate at the start",
    "schedule": "the learning rate over the run: cosine decay to 0, or constant",
    "dropout": "fraction of each LSTM layer's outputs dropped in training",
    "seed": "random seed for the initial weights and the order of sequences",
}
#: --epochs when --minutes is given without it: the time budget ends the run.
EPOCHS_FOR_A_BUDGET = 1000


def _parser() -> argparse.ArgumentParser:
    d = CharLMConfig()
    positive_int = checks.argparse_type(checks.positive_int, int)
    positive_number = checks.argparse_type(checks.positive_number, float)
    parser = argparse.ArgumentParser(
        prog="python -m helpers.charlm", description="Train and sample a character LSTM.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser(
        "train", help="train on a text file (default: Tiny Shakespeare)",
        description="Train a character LSTM. To resume an interrupted run, repeat the command; "
                    "settings not given are then those of the run in --out.")
    t.add_argument("text_file", nargs="?",
                   help="the training text; the last 10 %% validates (default: Tiny Shakespeare)")
    t.add_argument("--out", required=True,
                   help="folder for the model: new or empty, or an interrupted run to resume")
    t.add_argument("--encoding", default="utf-8",
                   help="the text file's encoding (default: %(default)s)")
    types = {"lr": positive_number, "seed": int, "dropout": float, "schedule": str}
    for field, text in _SETTINGS_HELP.items():
        # --seq-len: --timesteps's name before 2026-12, still accepted
        aliases = ["--seq-len"] if field == "timesteps" else []
        default = "" if field == "steps_per_epoch" else f" (default: {getattr(d, field)})"
        extra = {"choices": SCHEDULES} if field == "schedule" else {}
        # default None: a resumed run keeps its own value, a new run takes CharLMConfig's
        t.add_argument(f"--{field.replace('_', '-')}", *aliases, dest=field, default=None,
                       type=types.get(field, positive_int), help=text + default, **extra)
    t.add_argument("--minutes", type=positive_number, default=None,
                   help="time budget for training, in minutes (validation included): "
                        "stops when spent, the learning-rate schedule runs over it")
    t.add_argument("--backend", choices=BACKENDS, default=None,
                   help="Keras backend (default: $KERAS_BACKEND, or tensorflow)")
    t.add_argument("--strategy", choices=("mirrored",), default=None,
                   help="train on every visible GPU with tf.distribute.MirroredStrategy "
                        "(TensorFlow backend; --batch-size is split over the replicas)")
    t.add_argument("--tensorboard", action="store_true",
                   help="also write TensorBoard logs to OUT/tensorboard "
                        "(view: tensorboard --logdir OUT/tensorboard)")
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
    s.add_argument("--num-samples", type=positive_int, default=1,
                   help="texts to draw at once, as one batch (default: %(default)s)")
    s.add_argument("--backend", choices=BACKENDS, default=None,
                   help="Keras backend (default: $KERAS_BACKEND, or tensorflow)")
    return parser


def _config_from(args) -> CharLMConfig:
    """The settings of ``charlm train``: those given, then (resuming) the run's own, then
    :class:`CharLMConfig`'s defaults."""
    from helpers.run_folder import read_run_config

    defaults = asdict(CharLMConfig())
    given = {k: getattr(args, k) for k in _SETTINGS_HELP if getattr(args, k) is not None}
    if args.minutes is not None and "epochs" not in given:
        defaults["epochs"] = EPOCHS_FOR_A_BUDGET
    saved = {}
    config_file = Path(args.out) / "config.json"
    if config_file.is_file():
        try:
            saved = {k: v for k, v in read_run_config(config_file)["settings"].items()
                     if k in defaults}
        except ValueError:
            pass          # train() refuses the folder with the reason
    return CharLMConfig(**{**defaults, **saved, **given})


def default_backend() -> str:
    """The command's Keras backend when neither ``--backend`` nor ``KERAS_BACKEND`` names one:
    torch where PyTorch is installed (with :class:`helpers.fused_lstm.FusedLSTM` it trained
    2-4x faster than TensorFlow on a 2-core CPU: the README's speed table), else tensorflow.
    """
    import importlib.util

    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    return "torch" if importlib.util.find_spec("torch") else "tensorflow"


def select_backend(name: str | None) -> None:
    """Select the Keras backend (``name``, or :func:`default_backend`) before Keras starts.

    Raises:
        UserError: Keras is already running with another backend (in-process use).
    """
    name = name or default_backend()
    if "keras" in sys.modules and sys.modules["keras"].backend.backend() != name:
        raise UserError(f"--backend {name}: Keras is already running with backend "
                        f"{sys.modules['keras'].backend.backend()} in this process; run the "
                        "command in a new process, or set KERAS_BACKEND before Python starts")
    os.environ["KERAS_BACKEND"] = name


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    apply_speed_settings()
    try:
        if getattr(args, "strategy", None) and not (args.backend or
                                                     os.environ.get("KERAS_BACKEND")):
            args.backend = "tensorflow"      # tf.distribute is TensorFlow's
        # before Keras starts: a wrong pair costs no start-up
        _check_strategy_backend(getattr(args, "strategy", None),
                                args.backend or default_backend())
        select_backend(args.backend)
        if args.command == "train":
            text = load_text(args.text_file, args.encoding)
            config = _config_from(args)
            config.check()              # before Keras starts: a typo costs no start-up
            record = train(text, args.out, config, minutes=args.minutes,
                           tensorboard=args.tensorboard, strategy=args.strategy)
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
            from helpers.language_model import sample, sample_batch

            model, vocab = load_trained(args.model_dir)
            if args.num_samples == 1:
                texts = [sample(model, vocab, length=args.length, temperature=args.temperature,
                                prime=args.prime, seed=args.seed)]
            else:
                texts = sample_batch(model, vocab, args.num_samples, length=args.length,
                                     temperature=args.temperature, prime=args.prime,
                                     seed=args.seed)
            print("\n\n".join(args.prime + text for text in texts))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
