"""A trained run folder, loaded and sampled: :func:`load_trained`, :func:`sample_texts`.

The loading is :func:`helpers.language_model.load_trained` (the lesson-level module: notebook
11 analyses a run folder with it); here its refusals become :class:`UserError`, and every
option is checked before Keras starts. Generation is
:func:`helpers.language_model.sample` and :func:`helpers.language_model.sample_batch`.
"""

from __future__ import annotations

import os

from helpers import checks
from helpers.charlm.config import Arg, UserError, user_check

__all__ = ["SAMPLE_LIMITS", "check_sample_options", "load_trained", "sample_texts"]

#: The largest ``length`` (characters after the prime) and ``num_samples`` (texts drawn as
#: the rows of one batch: for more, sample again with another seed).
SAMPLE_LIMITS = {"length": 10_000_000, "num_samples": 10_000}


def _run_folder(read, model_dir):
    """``read(model_dir)``, a :mod:`helpers.language_model` reader whose
    :class:`helpers.language_model.RunFolderError` (beginning ``model_dir ...``) is the
    user's; any other error is a bug, and shows its traceback."""
    from helpers.language_model import RunFolderError

    try:
        return read(model_dir)
    except RunFolderError as exc:
        raise UserError(Arg("model_dir"), str(exc).removeprefix("model_dir")) from None


def check_sample_options(model_dir: str | os.PathLike, *, length: int, temperature: float,
                         prime: str, seed: int, num_samples: int) -> str:
    """Check the folder (its ``vocab.json``, JSON only) and the options of
    :func:`sample_texts` without starting Keras; return the vocabulary's characters.

    Raises:
        UserError: no model or a damaged ``vocab.json`` in ``model_dir``, a size that is
            not a positive integer, a temperature that is not a positive number, a seed
            outside ``[0, 2**32)``, or a prime with characters the model never saw.
    """
    from helpers.language_model import read_run_vocab

    chars = _run_folder(read_run_vocab, model_dir)
    for name, value in (("length", length), ("num_samples", num_samples)):
        user_check(checks.positive_int, name, value, "", at_most=SAMPLE_LIMITS[name])
    user_check(checks.positive_number, "temperature", temperature)
    user_check(checks.random_seed, "seed", seed)
    if prime == "\n" and "\n" not in chars:    # the default, which the user may never have typed
        raise UserError(Arg("prime"), " is a line break unless given, and the model's text had "
                        "none; give a prime of its characters, e.g. ", Arg("prime"),
                        f" {next((c for c in chars if c.isalpha()), chars[0])!r}")
    user_check(checks.known_symbols, "prime", prime, chars,
               "Use characters of the training text.")
    return chars


def load_trained(model_dir: str | os.PathLike):
    """``(model, vocab)`` from a folder written by :func:`helpers.charlm.train`
    (:func:`helpers.language_model.load_trained`).

    Raises:
        UserError: the folder holds no trained model, or a damaged one.
    """
    from helpers.language_model import load_trained as load

    return _run_folder(load, model_dir)


def sample_texts(model_dir: str | os.PathLike, *, length: int = 500, temperature: float = 0.8,
                 prime: str = "\n", seed: int = 0, num_samples: int = 1) -> list[str]:
    """``num_samples`` texts of ``length`` characters generated after ``prime`` by the model
    in ``model_dir``, drawn from ``softmax(logits / temperature)`` with ``seed``. One text is
    :func:`helpers.language_model.sample`, several one batch of
    :func:`helpers.language_model.sample_batch`.

    Raises:
        UserError: as :func:`check_sample_options` and :func:`load_trained`.
    """
    options = dict(length=length, temperature=temperature, prime=prime, seed=seed)
    check_sample_options(model_dir, num_samples=num_samples, **options)
    from helpers.language_model import sample, sample_batch

    model, vocab = load_trained(model_dir)
    if num_samples == 1:
        return [sample(model, vocab, **options)]
    return sample_batch(model, vocab, num_samples, **options)


