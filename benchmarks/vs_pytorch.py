"""Training speed of `python -m helpers.charlm` against plain PyTorch, side by side in one run.

The same model (Embedding -> LSTM -> Dense logits), the same Tiny Shakespeare windows, the
same batch and Adam: once through the repository's training code path (the model, compile
settings and data pipeline that ``charlm train`` uses: :func:`helpers.language_model.training_model`
and :func:`helpers.language_model.training_batches`), once as plain PyTorch (``nn.LSTM``, a plain
training loop). The two are timed in alternating rounds, so a slow minute of this noisy
machine falls on both, and the table gives each one's median.

Printed: characters per second, GFLOP/s, the fraction of the NumPy float32 matmul peak
measured in the same run, plain PyTorch's rate in the same process, and the ratio of the
two. (PyTorch runs slower beside TensorFlow than beside itself: the two frameworks' thread
pools share two cores. The ratio is of the two rates measured together.)

FLOPs per character (multiply-add = 2 FLOPs; element-wise work ignored):
  forward  = 2*4*units*(input + units) per LSTM layer + 2*units*vocab (the logits)
  training = 3 x forward (the backward pass costs about twice the forward)

Each Keras setup (the torch backend, which the command uses where PyTorch is installed;
TensorFlow with oneDNN on, the command's setting there; TensorFlow with oneDNN off, the
notebooks' setting; JAX where installed) runs in its own process, beside its own plain
PyTorch, so every ratio is measured side by side.

Usage:
  python benchmarks/vs_pytorch.py [--rounds 3 --steps 30 --batch-size 64 --units 256]
  python benchmarks/vs_pytorch.py --setups torch               (one setup)
About three minutes on 2 CPU cores with the defaults.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys

from helpers import CharVocab, load_shakespeare
from helpers.charlm import CharLMConfig, apply_speed_settings, backend_words, select_backend
from helpers.speed import flops_per_char, numpy_matmul_gflops, side_by_side

#: Keras configurations the table compares: name -> environment of the child process.
SETUPS = {
    "torch": {"KERAS_BACKEND": "torch"},
    "tensorflow": {"KERAS_BACKEND": "tensorflow", "TF_ENABLE_ONEDNN_OPTS": "1"},
    "tensorflow-onednn-off": {"KERAS_BACKEND": "tensorflow", "TF_ENABLE_ONEDNN_OPTS": "0"},
    "jax": {"KERAS_BACKEND": "jax"},
}


def measure(args) -> dict:
    """One Keras setup (this process's backend) and plain PyTorch, alternating rounds:
    ``{"keras": chars/s, "torch": chars/s, ...}`` (medians)."""
    select_backend(None)
    apply_speed_settings()         # what the command sets before Keras starts
    import keras

    settings = backend_words()
    import torch

    config = CharLMConfig(batch_size=args.batch_size, units=args.units, timesteps=args.timesteps)
    text = load_shakespeare()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    rates = side_by_side(config, ids, len(vocab), rounds=args.rounds, steps=args.steps)
    return {**rates,
            "settings": settings, "keras_version": keras.__version__,
            "torch_version": torch.__version__.split("+")[0],
            "train_flops": 3 * flops_per_char(config, len(vocab)), "vocab": len(vocab)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = CharLMConfig()
    parser.add_argument("--rounds", type=int, default=3, help="alternating timed rounds")
    parser.add_argument("--steps", type=int, default=30, help="training steps per round")
    parser.add_argument("--batch-size", type=int, default=d.batch_size)
    parser.add_argument("--units", type=int, default=d.units)
    parser.add_argument("--timesteps", type=int, default=d.timesteps)
    parser.add_argument("--setups", default="torch,tensorflow,tensorflow-onednn-off,jax",
                        help="Keras setups to time, each in its own process, skipping a "
                             "backend that is not installed (default: %(default)s)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args)))
        return
    rows = {}
    for name in args.setups.split(","):
        backend = SETUPS[name]["KERAS_BACKEND"]
        if importlib.util.find_spec(backend) is None:
            print(f"({name}: {backend} is not installed; skipped)")
            continue
        child = subprocess.run(
            [sys.executable, __file__, "--child", *sys.argv[1:]], capture_output=True,
            text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **SETUPS[name]})
        if child.returncode:
            sys.exit(f"{name} failed:\n{child.stderr[-2000:]}")
        rows[name] = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"({name}: done)", flush=True)
    peak = numpy_matmul_gflops()
    first = next(iter(rows.values()))
    print(f"\n1 x LSTM({args.units}), embedding {d.embedding_dim}, vocabulary {first['vocab']}, "
          f"batch {args.batch_size} x {args.timesteps} timesteps, dropout {d.dropout}, Adam; "
          f"Keras {first['keras_version']}, PyTorch {first['torch_version']}; {os.cpu_count()} "
          f"CPU cores; NumPy float32 matmul peak {peak:.0f} GFLOP/s (1024 x 1024). Each setup "
          f"ran in its own process beside plain PyTorch, alternating; medians of {args.rounds} "
          f"rounds of {args.steps} steps.\n")
    print(f"| {'training':<46} | {'chars/s':>8} | {'GFLOP/s':>7} | {'of peak':>7} | "
          f"{'PyTorch beside it':>17} | {'vs PyTorch':>10} |")
    print(f"|{'-' * 48}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 19}|{'-' * 12}|")

    def line(label, cps, beside, ratio):
        gflops = first["train_flops"] * cps / 1e9
        print(f"| {label:<46} | {cps:>8,.0f} | {gflops:>7.1f} | {gflops / peak:>7.0%} | "
              f"{beside:>17} | {ratio:>10} |")

    for row in rows.values():
        line(f"charlm: {row['settings']}", row["keras"], f"{row['torch']:,.0f}",
             f"{row['keras'] / row['torch']:.2f}x")
    line("plain PyTorch nn.LSTM (median of the above)",
         statistics.median(row["torch"] for row in rows.values()), "", "1.00x")


if __name__ == "__main__":
    main()
