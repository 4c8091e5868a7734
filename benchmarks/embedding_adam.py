"""Does the character language model need the dense-gradient correction for Adam?

On the TensorFlow backend, Keras 3.15's Adam moves an Embedding row that appears k times in a
batch by about lr*sqrt(k) (see helpers/optim.py). This script prints the first-step size for
k = 1, 4, 100, then trains the quick configuration of notebook 05 (256 units, 32 x 64 windows,
lr 6e-3, 500 steps) with Adam and with DenseGradientAdam from the same seed, and prints the
validation loss of each.

Usage: python benchmarks/embedding_adam.py [--steps 500]   (about 2 minutes on 2 CPU cores)
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras

from helpers import CharVocab, load_shakespeare
from helpers.language_model import build_model, windows_dataset
from helpers.optim import DenseGradientAdam, embedding_row_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args()

    print("first Adam step of an embedding row looked up k times (lr 0.01)")
    print(f"{'k':>5} {'Adam':>8} {'DenseGradientAdam':>18}")
    for k in (1, 4, 100):
        print(f"{k:>5} {embedding_row_step(k):>8.4f} "
              f"{embedding_row_step(k, DenseGradientAdam):>18.4f}")

    text = load_shakespeare()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    split = int(0.9 * len(ids))
    print(f"\ncharacter LM, {args.steps} steps of 64 x 32, 256 units, lr 6e-3, same seed")
    print(f"{'optimizer':<18} {'val nats/char':>14} {'seconds':>8}")
    for cls in (keras.optimizers.Adam, DenseGradientAdam):
        keras.utils.set_random_seed(0)
        model = build_model(len(vocab), units=256, embedding_dim=64, timesteps=32)
        model.compile(cls(6e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        start = time.perf_counter()
        model.fit(windows_dataset(ids[:split], 32, 64, shuffle=True, seed=0).repeat(),
                  steps_per_epoch=args.steps, epochs=1, shuffle=False, verbose=0)
        val = model.evaluate(windows_dataset(ids[split:], 32, 64, shuffle=False), verbose=0)
        print(f"{cls.__name__:<18} {val:>14.3f} {time.perf_counter() - start:>8.1f}")


if __name__ == "__main__":
    main()
