"""Wall time of training steps, measured inside ``fit``.

:class:`StepTimer` records the seconds of every training step; its :meth:`StepTimer.median_ms`
leaves out the first step, which traces and compiles the step function. Speed is reported in
notebook cells whose output nbval ignores, and in ``benchmarks/``; never asserted in tests.

Importing this module imports Keras.
"""

from __future__ import annotations

import time

import keras
import numpy as np

__all__ = ["StepTimer"]


class StepTimer(keras.callbacks.Callback):
    """A callback that records the wall time of every training batch, in seconds.

    ``seconds`` holds one float per step of the last ``fit`` (``time.perf_counter``
    around ``train_on_batch``'s work, as Keras's ``on_train_batch_begin/end`` see it).

    Source: Keras docs, "Writing your own callbacks".
    """

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)

    def median_ms(self) -> float:
        """Median step time in milliseconds, without the first (tracing) step.

        Raises:
            ValueError: fewer than two steps were timed.
        """
        if len(self.seconds) < 2:
            raise ValueError(f"median_ms needs at least 2 timed steps (the first traces); got "
                             f"{len(self.seconds)}. Fit for more steps with this callback.")
        return 1e3 * float(np.median(self.seconds[1:]))
