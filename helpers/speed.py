"""Measuring speed: a matmul peak, FLOPs per character, and training steps timed the same way
in Keras (the command's code path) and in plain PyTorch.

Used by ``benchmarks/vs_pytorch.py`` and notebook 12. Numbers from here are printed (in
benchmark tables and in notebook cells whose output nbval ignores), never asserted.

* :func:`numpy_matmul_gflops` - what this machine's BLAS reaches on a large float32 GEMM;
* :func:`flops_per_char` - the arithmetic of one character through the command's model;
* :func:`keras_trainer`, :func:`torch_trainer` - ``run(steps)`` functions returning seconds
  per training step, for the same model, data and optimizer, and :func:`side_by_side`,
  which times the two in alternating rounds;
* :func:`call_ms` - the median (or best) time of any call, after a warm-up call (not
  :meth:`helpers.timing.StepTimer.median_ms`, the median training step inside ``fit``).

Importing this module imports neither Keras nor PyTorch; the functions do.
"""

from __future__ import annotations

import time

import numpy as np

__all__ = ["call_ms", "flops_per_char", "keras_trainer", "numpy_matmul_gflops",
           "side_by_side", "torch_trainer"]


def numpy_matmul_gflops(n: int = 1024, repeats: int = 20) -> float:
    """Best-of float32 GEMM rate of NumPy's BLAS on this machine, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, n, n)).astype(np.float32)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def flops_per_char(config, vocab_size: int) -> int:
    """Forward FLOPs per character of the command's model: ``2 * 4 * units * (input +
    units)`` per LSTM layer plus ``2 * units * vocab_size`` for the logits (a multiply-add
    counts 2; element-wise work is left out). Training costs about 3 times this (the
    backward pass about twice the forward). ``config`` has the attributes of a
    :class:`helpers.charlm.CharLMConfig` (it is one in notebook 12 and the benchmarks)."""
    lstm = sum(8 * config.units * ((config.embedding_dim if k == 0 else config.units)
                                   + config.units) for k in range(config.layers))
    return lstm + 2 * config.units * vocab_size


def keras_trainer(config, train_ids, vocab_size: int):
    """A function ``run(steps) -> seconds`` training the command's model for ``steps`` steps,
    inside one ``fit`` call: the seconds from the end of its first step to the end of its
    last, per step (what a long run's steps cost, without ``fit``'s own start and end).
    ``run.model`` is the model it trains."""
    import keras

    from helpers.language_model import training_batches, training_model

    keras.utils.set_random_seed(config.seed)
    model = training_model(vocab_size, config)
    batches = training_batches(train_ids, config)
    ends = []
    timer = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: ends.append(time.perf_counter()))

    def run(steps: int) -> float:
        ends.clear()
        model.fit(batches, epochs=1, steps_per_epoch=steps + 1, verbose=0, shuffle=False,
                  callbacks=[timer])
        return (ends[-1] - ends[0]) / steps

    run.model = model
    return run


def torch_trainer(config, train_ids, vocab_size: int):
    """The same model, data and optimizer as plain PyTorch: ``run(steps) -> seconds`` per
    step, a plain loop (batch drawn, forward, dropout as ``config.dropout``, loss, backward,
    Adam step). ``run.model`` is the module it trains, a
    :func:`helpers.torch_port.torch_language_model`.

    Raises:
        ImportError: PyTorch is not installed.
    """
    import torch

    from helpers.language_model import windows
    from helpers.torch_port import torch_language_model

    torch.manual_seed(config.seed)
    model = torch_language_model(vocab_size, units=config.units, layers=config.layers,
                                 embedding_dim=config.embedding_dim)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = (torch.from_numpy(a.astype(np.int64)) for a in windows(train_ids, config.timesteps))
    rng = np.random.default_rng(config.seed)

    def run(steps: int) -> float:
        start = time.perf_counter()
        for _ in range(steps):
            rows = torch.from_numpy(rng.choice(len(x), config.batch_size, replace=False))
            h, _ = model.lstm(model.embedding(x[rows]))
            logits = model.logits(torch.nn.functional.dropout(h, config.dropout))
            loss = loss_fn(logits.reshape(-1, vocab_size), y[rows].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) / steps

    run.model = model
    return run


def _wait_for(result) -> None:
    """Block until ``result`` is computed: on a GPU, TensorFlow returns a tensor before the
    device has finished it, so a timer stopped at the return would time only the launch.
    Reading the first tensor of a (nested) result into NumPy waits for the device's queue.
    Results that are not arrays (None, a torch tensor on a GPU) are left alone."""
    pending = [result]
    while pending:
        leaf = pending.pop(0)
        if isinstance(leaf, (list, tuple)):
            pending.extend(leaf)
        elif isinstance(leaf, dict):
            pending.extend(leaf.values())
        elif hasattr(leaf, "numpy"):
            try:
                np.asarray(leaf)
            except (TypeError, RuntimeError, ValueError):   # e.g. a CUDA torch tensor
                pass
            return


def call_ms(fn, repeats: int = 5, warmup: int = 1, *, best: bool = False) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``repeats`` calls, after ``warmup``
    untimed calls (the first call of a ``tf.function`` traces and compiles it). With
    ``best=True``, the fastest call instead: on a shared machine another process can only
    slow a call down, so the minimum is the least disturbed figure (as ``timeit`` advises).
    Each call's result is read back (its first tensor) before the clock stops, so that a
    GPU's asynchronous work is timed, not only its launch.

    Raises:
        ValueError: ``repeats`` is not a positive integer.
    """
    from helpers.checks import positive_int

    repeats = positive_int("repeats", repeats, "Use e.g. repeats=5.")
    for _ in range(warmup):
        _wait_for(fn())
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        _wait_for(fn())
        seconds.append(time.perf_counter() - start)
    return 1e3 * float(np.min(seconds) if best else np.median(seconds))


def side_by_side(config, train_ids, vocab_size: int, *, rounds: int = 3, steps: int = 30) -> dict:
    """Keras (the command's code path, on this process's backend) and plain PyTorch, timed in
    alternating rounds after a warm-up: ``{"keras": chars/s, "torch": chars/s}``, medians
    of ``rounds`` rounds of ``steps`` steps each.

    Raises:
        ImportError: PyTorch is not installed.
    """
    trainers = {"keras": keras_trainer(config, train_ids, vocab_size),
                "torch": torch_trainer(config, train_ids, vocab_size)}
    for run in trainers.values():
        run(3)                                  # trace, compile, warm the caches
    seconds = {name: [] for name in trainers}
    for _ in range(rounds):
        for name, run in trainers.items():
            seconds[name].append(run(steps))
    chars = config.batch_size * config.timesteps
    return {name: chars / float(np.median(s)) for name, s in seconds.items()}

