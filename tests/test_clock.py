"""helpers.charlm.clock.TrainingClock: the learning-rate schedule, the time budget, the estimate."""

from __future__ import annotations

from itertools import pairwise

import keras
import numpy as np
import pytest

from helpers.charlm.clock import TrainingClock
from helpers.language_model import BatchStream, build_model


def clock(**kwargs) -> TrainingClock:
    options = dict(lr=0.01, schedule="cosine", steps_per_epoch=10, epochs=4, chars_per_step=64,
                   verbose=False)
    return TrainingClock(**{**options, **kwargs})


def test_cosine_runs_from_lr_to_zero_over_the_planned_steps_and_constant_stays():
    c = clock()
    assert c.rate(0.0) == pytest.approx(0.01)
    assert c.rate(0.5) == pytest.approx(0.005)
    assert c.rate(1.0) == pytest.approx(0.0, abs=1e-9)
    # Keras's CosineDecay, not a formula of our own: 0.5 * (1 + cos(pi * p))
    assert c.rate(0.25) == pytest.approx(0.01 * 0.5 * (1 + np.cos(np.pi / 4)), rel=1e-5)
    c._epoch = 2
    assert c.progress(5) == pytest.approx(25 / 40)
    assert clock(schedule="constant").rate(0.9) == 0.01
    with pytest.raises(ValueError, match=r"^schedule must be one of \('cosine', 'constant'\)"):
        clock(schedule="linear")


def test_with_a_budget_progress_is_the_larger_of_steps_and_time_spent():
    c = clock(budget_s=100.0, spent_s=60.0)   # 60 s spent by an earlier, interrupted run
    c._started = None
    assert c.progress(0) == pytest.approx(0.6)
    assert clock(budget_s=1e9).progress(5) == pytest.approx(5 / 40)


def fit_with(c: TrainingClock, epochs: int = 2, steps: int = 30):
    keras.utils.set_random_seed(0)
    model = build_model(10, units=4, embedding_dim=3, timesteps=4)
    model.compile(keras.optimizers.Adam(0.01),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    stream = BatchStream(np.arange(400) % 10, 4, 8)
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_begin=lambda b, logs: seen.append(
            float(keras.ops.convert_to_numpy(model.optimizer.learning_rate.value))))
    history = model.fit(stream.for_fit(), epochs=epochs, steps_per_epoch=steps, verbose=0,
                        shuffle=False, callbacks=[c, record])
    return history, seen


def test_the_clock_sets_the_rate_before_every_step_and_prints_one_estimate(capsys):
    c = clock(steps_per_epoch=30, epochs=2, verbose=True)
    _, seen = fit_with(c)
    assert len(seen) == 60 and seen[0] == pytest.approx(0.01)
    assert all(a >= b for a, b in pairwise(seen))   # decays, never rises
    assert seen[-1] < 0.0002
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("speed: ") and "chars/s" in out[0]
    assert "of training left (2 epochs of 30 steps), plus validation" in out[0]


def test_a_spent_budget_stops_training_after_the_next_step():
    c = clock(steps_per_epoch=30, epochs=5, budget_s=1.0, spent_s=1.0)
    history, seen = fit_with(c, epochs=5)
    assert len(seen) == 1 and len(history.history["loss"]) == 1
