"""Generation speed of `python -m helpers.charlm sample`: one text at a time, or N in one batch.

Each generated character costs one step of the model for one character: a batch-1 step is
almost all per-call overhead (Python, the framework, a tiny matrix product), so drawing N
texts as N rows of one batch (``charlm sample --num-samples N``,
:func:`helpers.language_model.sample_batch`) costs little more per step than drawing one.
This script times N single draws (:func:`helpers.language_model.sample`) against one batch of
N, on the command's backend (torch where installed), and prints characters per second (medians of
3 timed calls after a warm-up call).

The model has the command's default sizes and random weights: speed does not depend on
what the weights are.

Usage: python benchmarks/generation.py [--length 200 --num-samples 1,8,32]
                                          (about a minute on 2 CPU cores)
"""

from __future__ import annotations

import argparse

from helpers.charlm import CharLMConfig, apply_speed_settings, backend_words, select_backend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=200, help="characters per text")
    parser.add_argument("--num-samples", default="1,8,32",
                        help="batch sizes to time, comma-separated (default: %(default)s)")
    args = parser.parse_args()
    select_backend(None)
    apply_speed_settings()
    import keras

    settings = backend_words()

    from helpers import CharVocab, load_shakespeare
    from helpers.language_model import build_model, generator_from, sample, sample_batch
    from helpers.speed import call_ms

    c = CharLMConfig()
    vocab = CharVocab(load_shakespeare())
    keras.utils.set_random_seed(0)
    model = build_model(len(vocab), units=c.units, layers=c.layers, embedding_dim=c.embedding_dim)
    single = generator_from(model)
    one = args.length / call_ms(lambda: sample(model, vocab, length=args.length,
                                                 generator=single), repeats=3) * 1e3
    print(f"{c.layers} x LSTM({c.units}), embedding {c.embedding_dim}, vocabulary {len(vocab)}; "
          f"{settings}; {args.length} characters per text\n")
    print(f"| {'texts':>5} | {'N single draws: chars/s':>23} | {'one batch of N: chars/s':>23} "
          f"| {'speed-up':>8} |")
    print(f"|{'-' * 7}|{'-' * 25}|{'-' * 25}|{'-' * 10}|")
    for n in (int(v) for v in args.num_samples.split(",")):
        gen = generator_from(model, batch_size=n)
        batched = n * args.length / call_ms(
            lambda gen=gen, n=n: sample_batch(model, vocab, n, length=args.length,
                                              generator=gen), repeats=3) * 1e3
        print(f"| {n:>5} | {one:>23,.0f} | {batched:>23,.0f} | {batched / one:>7.1f}x |")


if __name__ == "__main__":
    main()
