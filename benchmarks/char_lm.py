"""Speed of the character LSTM of `python -m helpers.charlm`, default configuration.

Prints a table: training characters per second, generation characters per second, the
achieved GFLOP/s of each, and their ratio to a NumPy float32 matrix-multiply peak measured in
the same run (so the numbers say how close the LSTM gets to what this machine can do).

FLOPs counted per character (multiply-add = 2 FLOPs; element-wise work ignored):
  forward  = 2*4*units*(embedding_dim + units) per LSTM layer + 2*units*vocab (output layer)
  training = 3 x forward (the backward pass costs about twice the forward)

Usage: python benchmarks/char_lm.py [--steps 60]   (about a minute on 2 CPU cores)
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import numpy as np

from helpers import CharVocab, load_shakespeare
from helpers.charlm import CharLMConfig
from helpers.language_model import build_model, generator_from, sample, windows_dataset


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60, help="timed training steps")
    parser.add_argument("--chars", type=int, default=500, help="generated characters")
    args = parser.parse_args()
    c = CharLMConfig()
    text = load_shakespeare()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    vocab_size = len(vocab)
    forward = c.layers * 8 * c.units * (c.embedding_dim + c.units) + 2 * c.units * vocab_size

    keras.utils.set_random_seed(0)
    model = build_model(vocab_size, units=c.units, layers=c.layers, embedding_dim=c.embedding_dim,
                        timesteps=c.timesteps)
    model.compile(keras.optimizers.Adam(c.lr),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    data = windows_dataset(ids, c.timesteps, c.batch_size, shuffle=True).repeat()
    model.fit(data, steps_per_epoch=5, epochs=1, verbose=0, shuffle=False)  # trace, warm up
    start = time.perf_counter()
    model.fit(data, steps_per_epoch=args.steps, epochs=1, verbose=0, shuffle=False)
    train_cps = args.steps * c.batch_size * c.timesteps / (time.perf_counter() - start)

    generator = generator_from(model)
    sample(model, vocab, length=20, generator=generator)  # trace the compiled step
    start = time.perf_counter()
    sample(model, vocab, length=args.chars, generator=generator)
    gen_cps = args.chars / (time.perf_counter() - start)

    peak = numpy_matmul_gflops()
    rows = [("training", train_cps, 3 * forward * train_cps / 1e9),
            ("generation (batch 1)", gen_cps, forward * gen_cps / 1e9)]
    print(f"char LSTM: {c.layers} x LSTM({c.units}), embedding {c.embedding_dim}, vocabulary "
          f"{vocab_size}, training batch {c.batch_size} x {c.timesteps}; TensorFlow "
          f"{__import__('tensorflow').__version__}, oneDNN "
          f"{os.environ['TF_ENABLE_ONEDNN_OPTS']}, {os.cpu_count()} CPU cores")
    print(f"NumPy float32 matmul peak (1024 x 1024): {peak:.1f} GFLOP/s\n")
    print(f"| {'workload':<20} | {'chars/s':>9} | {'GFLOP/s':>8} | {'of NumPy peak':>13} |")
    print(f"|{'-' * 22}|{'-' * 11}|{'-' * 10}|{'-' * 15}|")
    for name, cps, gflops in rows:
        print(f"| {name:<20} | {cps:>9,.0f} | {gflops:>8.2f} | {gflops / peak:>12.1%} |")


if __name__ == "__main__":
    main()
