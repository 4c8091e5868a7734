"""helpers.speed: the FLOP count, the timers and the side-by-side trainers (nothing timed is
asserted: speed is printed by benchmarks/ and notebook 12, never tested)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers.charlm import CharLMConfig
from helpers.speed import call_ms, flops_per_char, keras_trainer, torch_trainer


def test_flops_per_char_counts_every_layer_and_the_logits():
    one = CharLMConfig(units=256, embedding_dim=64, layers=1)
    assert flops_per_char(one, 65) == 8 * 256 * (64 + 256) + 2 * 256 * 65   # 688,128
    two = CharLMConfig(units=8, embedding_dim=4, layers=2)
    assert flops_per_char(two, 10) == 8 * 8 * (4 + 8) + 8 * 8 * (8 + 8) + 2 * 8 * 10


def test_call_ms_calls_warmup_plus_repeats_times_and_checks_repeats():
    calls = []
    assert call_ms(lambda: calls.append(1), repeats=4, warmup=2) >= 0
    assert len(calls) == 6
    # sleeps of 20, 0 and 20 ms (after one untimed call): the median is 20 ms, the best 0
    for best, low, high in [(False, 15, 200), (True, 0, 10)]:
        pauses = iter([0, 0.02, 0, 0.02])
        timed = call_ms(lambda pauses=pauses: time.sleep(next(pauses)), repeats=3, best=best)
        assert low <= timed < high
    with pytest.raises(ValueError, match=r"^repeats must be a positive integer; got 0"):
        call_ms(lambda: None, repeats=0)


def test_both_trainers_train_the_same_model_and_return_seconds_per_step():
    pytest.importorskip("torch")
    config = CharLMConfig(units=8, embedding_dim=4, timesteps=8, batch_size=4)
    ids = np.arange(2000) % 13
    keras_run, torch_run = keras_trainer(config, ids, 13), torch_trainer(config, ids, 13)
    # as many weights in tensors of the same sizes (torch's LSTM has a second bias, bias_hh,
    # that Keras's has not: notebook 10), so the same arithmetic per step
    keras_sizes = sorted(int(np.prod(w.shape)) for w in keras_run.model.weights)
    torch_sizes = sorted(p.numel() for name, p in torch_run.model.named_parameters()
                         if not name.startswith("lstm.bias_hh"))
    assert keras_sizes == torch_sizes == sorted([13 * 4, 4 * 32, 8 * 32, 32, 8 * 13, 13])
    for run, weights in [(keras_run, lambda: [np.array(w) for w in keras_run.model.get_weights()]),
                         (torch_run, lambda: [p.detach().numpy().copy()
                                              for p in torch_run.model.parameters()])]:
        before = weights()
        seconds = run(2)
        assert 0 < seconds < 10                              # seconds per step, not ms
        assert all(not np.array_equal(a, b) for a, b in zip(before, weights(), strict=True))


def test_call_ms_reads_the_first_tensor_of_a_result_back_before_stopping_the_clock():
    read = []

    class Pending:                       # stands for a GPU tensor still being computed
        def __init__(self, name):
            self.name = name

        def numpy(self):
            return np.zeros(1)

        def __array__(self, dtype=None, copy=None):
            read.append(self.name)
            return np.zeros(1)
    call_ms(lambda: [None, {"grads": (Pending("first"), Pending("second"))}], repeats=2,
            warmup=1)
    assert read == ["first"] * 3                 # one read per call, the first tensor only
    assert call_ms(lambda: None, repeats=1) >= 0
