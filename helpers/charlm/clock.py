"""A training run's clock: the learning-rate schedule, a time budget, and an estimate of the time.

:class:`TrainingClock` is one Keras callback that

* sets the learning rate before every step from the run's progress ``p`` in ``[0, 1]``
  (``schedule="cosine"``: Keras's ``CosineDecay`` from ``lr`` to 0; ``"constant"``: ``lr``),
  where ``p`` is the fraction of the planned steps done or, with a time budget, the fraction
  of the budget spent, whichever is larger;
* stops training at the end of the step that spends the budget (Keras then validates the
  part epoch and saves as after any other);
* prints, once the first steps after compilation are timed, the speed and the estimated
  time of the rest of the run;
* counts the seconds spent training, so a resumed run knows how much budget is left.

:func:`epoch_lines` prints one plain line per epoch, for logs and CI.

Importing this module imports Keras. Source: Keras docs, "CosineDecay", "Writing your own
callbacks"; Loshchilov & Hutter, "SGDR" (2017) for cosine decay.
"""

from __future__ import annotations

import math
import time

import keras

from helpers.charlm.config import SCHEDULES

__all__ = ["TrainingClock", "epoch_lines"]
_TIMED_AFTER, _TIMED_STEPS = 3, 20       # steps skipped (tracing, warm-up), then timed


class TrainingClock(keras.callbacks.Callback):
    """See the module docstring.

    Args:
        lr: the learning rate at ``p = 0``.
        schedule: one of :data:`SCHEDULES`.
        steps_per_epoch, epochs: the planned run (epochs counted from 0, as Keras does).
        chars_per_step: characters in one training batch (for the speed line).
        budget_s: a time budget in seconds for the whole run, or None.
        spent_s: seconds of that budget spent by earlier, interrupted processes.
        verbose: print the speed and estimate (one line).

    Raises:
        ValueError: an unknown ``schedule``.
    """

    def __init__(self, *, lr: float, schedule: str, steps_per_epoch: int, epochs: int,
                 chars_per_step: int, budget_s: float | None = None, spent_s: float = 0.0,
                 verbose: bool = True):
        super().__init__()
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {SCHEDULES}; got {schedule!r}.")
        self.lr, self.schedule = lr, schedule
        self.steps_per_epoch, self.epochs = steps_per_epoch, epochs
        self.chars_per_step = chars_per_step
        self.budget_s, self.spent_s = budget_s, spent_s
        self.verbose = verbose
        self._cosine = keras.optimizers.schedules.CosineDecay(lr, decay_steps=10_000)
        self._epoch, self._started, self._steps_here, self._timing = 0, None, 0, None

    # progress ---------------------------------------------------------------------------
    def seconds(self) -> float:
        """Seconds spent training so far, this process and earlier ones."""
        return self.spent_s + (time.perf_counter() - self._started if self._started else 0.0)

    def progress(self, batch: int) -> float:
        """The run's progress ``p`` at ``batch`` of the current epoch (see the module doc)."""
        p = (self._epoch * self.steps_per_epoch + batch) / (self.epochs * self.steps_per_epoch)
        if self.budget_s:
            p = max(p, self.seconds() / self.budget_s)
        return min(p, 1.0)

    def rate(self, p: float) -> float:
        """The learning rate at progress ``p``."""
        if self.schedule == "constant":
            return self.lr
        return float(self._cosine(round(p * 10_000)))

    # Keras hooks ------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._started = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        self.model.optimizer.learning_rate.assign(self.rate(self.progress(batch)))
        if self._steps_here == _TIMED_AFTER:
            self._timing = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self._steps_here += 1
        if self._steps_here == _TIMED_AFTER + _TIMED_STEPS and self.verbose:
            step_s = (time.perf_counter() - self._timing) / _TIMED_STEPS
            left = (self.epochs - self._epoch) * self.steps_per_epoch - batch - 1
            estimate = left * step_s
            if self.budget_s:
                estimate = min(estimate, max(self.budget_s - self.seconds(), 0.0))
            print(f"speed: {self.chars_per_step / step_s:,.0f} chars/s; "
                  f"{_duration(estimate)} of training left ({self._plan(step_s)}), "
                  "plus validation", flush=True)
        if self.budget_s and self.seconds() >= self.budget_s:
            self.model.stop_training = True

    def _plan(self, step_s: float) -> str:
        if self.budget_s and self.seconds() + step_s * self.steps_per_epoch * self.epochs > \
                self.budget_s:
            return f"the time budget, about " \
                   f"{self.budget_s / (step_s * self.steps_per_epoch):.1f} epochs in all"
        return f"{self.epochs} epochs of {self.steps_per_epoch:,} steps"


def _duration(seconds: float) -> str:
    """``42 s``, ``9.5 min``, ``2.1 h``."""
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def epoch_lines(epochs: int) -> keras.callbacks.Callback:
    """A callback printing one plain line per epoch (no escape codes), for logs and CI::

        epoch 3/10: loss 1.734, val_loss 1.812 nats/char (41.2 s)
    """
    started = {}

    def report(epoch, logs):
        parts = [f"{k} {logs[k]:.3f}" for k in ("loss", "val_loss") if k in (logs or {})]
        print(f"epoch {epoch + 1}/{epochs}: {', '.join(parts)} nats/char "
              f"({time.perf_counter() - started[epoch]:.1f} s)", flush=True)

    return keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: started.__setitem__(epoch, time.perf_counter()),
        on_epoch_end=report)
