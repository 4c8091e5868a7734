"""Training a character LSTM into a run folder: :func:`train`.

The model and its batches are :func:`helpers.language_model.training_model` and
:func:`helpers.language_model.training_batches`; the text is split by
:func:`helpers.charlm.text.split_ids`; the folder is checked and read by
:mod:`helpers.charlm.run_folder`, written whole by :mod:`helpers.files` and the callbacks of
:mod:`helpers.charlm.checkpoints`; the learning rate, a time budget and the progress lines
are :mod:`helpers.charlm.clock`. Keras is imported when :func:`train` runs, after every
check of the input has passed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import sys
from pathlib import Path

from helpers import checks
from helpers.charlm.config import Arg, CharLMConfig, TrainingDiverged, UserError, user_check
from helpers.charlm.run_folder import (
    RUN_FORMAT,
    check_out_dir,
    fingerprint,
    read_history,
    read_run_config,
)
from helpers.charlm.text import split_ids

__all__ = ["best_loss", "train"]


def train(text: str, out: str | os.PathLike, config: CharLMConfig | None = None, *,
          minutes: float | None = None, tensorboard: bool = False, strategy=None,
          verbose: int = 1) -> dict:
    """Train a character LSTM on ``text`` into folder ``out`` (see :mod:`helpers.charlm`).

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
            :func:`helpers.charlm.backend.distribution_strategy`.

    Returns:
        The history: ``{"epoch": [...], "loss": [...], "val_loss": [...]}``, in nats per
        character.

    Raises:
        UserError: bad settings, a model too large, a text too short or with one distinct
            character, an output folder that holds another model or cannot be written, or
            ``tensorboard`` without TensorBoard. Nothing is written in that case.
        TrainingDiverged: no epoch reached a finite validation loss below the uniform
            guess, ``ln(len(vocab))`` (:func:`best_loss`); training stops at the first NaN
            loss (``keras.callbacks.TerminateOnNaN``).
    """
    config = config or CharLMConfig()
    config.check()
    if minutes is not None:
        user_check(checks.positive_number, "minutes", minutes)
    missing = [name for name in ("tensorboard", "tensorflow")
               if tensorboard and importlib.util.find_spec(name) is None]
    if missing:   # Keras's TensorBoard callback writes with tf.summary, on every backend
        raise UserError(Arg("tensorboard"), f" needs {' and '.join(missing)} (the writer and "
                        f"the viewer): pip install {' '.join(missing)}, or leave it out")
    from helpers.data import CharVocab

    vocab = CharVocab(text)
    if len(vocab) < 2:
        raise UserError(f"the text has a vocabulary of {len(vocab)} character "
                        f"({vocab.chars!r}); a language model needs at least 2")
    config.check_size(len(vocab))
    train_ids, val_ids = split_ids(vocab.encode(text), config)
    out = Path(out)
    identity = fingerprint(text, config)
    resuming = check_out_dir(out, identity)
    saved = read_run_config(out / "config.json") if resuming else {}
    spent = saved.get("trained_seconds", 0.0)
    if minutes is None:          # a resumed run keeps its own budget unless given another
        minutes = saved.get("minutes")

    from helpers.charlm.backend import distribution_strategy
    from helpers.files import atomic_write_text

    # the last check (it starts Keras): a batch the replicas do not divide writes nothing
    strategy = distribution_strategy(strategy, config.batch_size, verbose=bool(verbose))

    def write_config(seconds: float, *, finished: bool = False, diverged: bool = False):
        atomic_write_text(out / "config.json", json.dumps(
            {**identity, "finished": finished, "diverged": diverged, "format": RUN_FORMAT,
             "trained_seconds": round(seconds, 1), "minutes": minutes}, indent=2))

    try:                       # a new folder, or one that became read-only since
        out.mkdir(parents=True, exist_ok=True)
        if not resuming:
            atomic_write_text(out / "vocab.json", json.dumps({"chars": vocab.chars}))
        write_config(spent)
    except OSError as exc:
        raise UserError(Arg("out"), f" {str(out)!r} cannot be written "
                        f"({exc.strerror or exc}); give a folder you may write to") from None
    if resuming and verbose:
        print(f"resuming the interrupted run in {out}", flush=True)
    return _fit(out, config, vocab, train_ids, val_ids, minutes=minutes, spent=spent,
                tensorboard=tensorboard, strategy=strategy, verbose=verbose,
                write_config=write_config)


def _fit(out, config, vocab, train_ids, val_ids, *, minutes, spent, tensorboard, strategy,
         verbose, write_config) -> dict:
    """Build, fit and record; the folder is checked and started."""
    import keras

    from helpers.charlm.backend import backend_words
    from helpers.charlm.checkpoints import AtomicModelCheckpoint, ResumableBackup
    from helpers.charlm.clock import TrainingClock, epoch_lines
    from helpers.language_model import training_batches, training_model, windows

    keras.utils.set_random_seed(config.seed)
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = training_model(len(vocab), config)
    batches = (len(train_ids) // (config.timesteps + 1)) // config.batch_size
    steps = config.steps_per_epoch or batches
    earlier = read_history(out / "history.csv")
    # the data stream goes on where the finished epochs left it (BatchStream)
    train_data = training_batches(train_ids, config, start_step=len(earlier["epoch"]) * steps)
    # every validation window, in batches of up to batch_size (the last may be smaller)
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
    callbacks = [clock, keras.callbacks.TerminateOnNaN(), checkpoint,
                 keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
                 ResumableBackup(out / "backup"),
                 keras.callbacks.LambdaCallback(
                     on_epoch_end=lambda epoch, logs: write_config(clock.seconds()))]
    if tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(str(out / "tensorboard")))
    if verbose and not live:
        callbacks.append(epoch_lines(config.epochs))
    if verbose:
        budget = f", or {minutes:g} minutes of training" if minutes else ""
        print(f"training {config.epochs} epochs of {steps:,} steps of {config.batch_size} x "
              f"{config.timesteps} characters{budget}; {backend_words()}", flush=True)
    model.fit(
        train_data, validation_data=(val_x, val_y), validation_batch_size=config.batch_size,
        epochs=config.epochs, steps_per_epoch=steps, verbose=1 if live else 0, shuffle=False,
        callbacks=callbacks)
    record = read_history(out / "history.csv")
    try:
        best_loss(record, len(vocab))
    except TrainingDiverged:
        write_config(clock.seconds(), finished=True, diverged=True)
        raise
    write_config(clock.seconds(), finished=True)
    return record


def best_loss(record: dict, vocab_size: int) -> float:
    """The lowest finite validation loss of ``record`` (a :func:`train` history), in nats
    per character.

    Raises:
        TrainingDiverged: no validation loss is finite and below ``ln(vocab_size)``, the
            loss of guessing every character uniformly: such a run diverged, or learned
            nothing (a text with nothing to learn, or far too few steps).
    """
    finite = [v for v in record["val_loss"] if math.isfinite(v)]
    uniform = math.log(vocab_size)
    if finite and min(finite) < uniform:
        return min(finite)
    got = (f"best validation loss {min(finite):.3f} nats/char" if finite else
           f"no finite validation loss ({record['val_loss']})")
    raise TrainingDiverged(
        f"training diverged or learned nothing: {got}, no better than guessing uniformly "
        f"among the {vocab_size} characters (ln {vocab_size} = {uniform:.3f}); lower ",
        Arg("lr"), " or train longer, into a new ", Arg("out"), " folder")
