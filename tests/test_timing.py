"""helpers.timing: the StepTimer callback."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.timing import StepTimer


def test_step_timer_times_every_step_and_leaves_out_the_first():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    timer = StepTimer()
    with pytest.raises(ValueError, match=r"^median_ms needs at least 2 timed steps .* got 0\."):
        timer.median_ms()
    model.fit(np.zeros((12, 2)), np.zeros(12), batch_size=3, epochs=1, verbose=0,
              callbacks=[timer])
    assert len(timer.seconds) == 4 and all(s > 0 for s in timer.seconds)
    assert timer.median_ms() == pytest.approx(1e3 * np.median(timer.seconds[1:]))
