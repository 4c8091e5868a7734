"""Helpers for the LSTM course notebooks.

Modules, one idea each:

* :mod:`helpers.notebook` – ``setup()`` (versions, seeds, determinism, plot style),
  ``quick_mode()`` (QUICK vs FULL sizes), ``save_fig()`` (figures to ``screenshots/``);
* :mod:`helpers.datasets` – ``load_shakespeare()``, offline first and sha256-verified, and
  ``split_speeches()`` (speaker, speech) pairs;
* :mod:`helpers.data` – ``make_windows()``, ``one_hot()``, ``CharVocab``;
* :mod:`helpers.words` – ``tokenize()``, ``WordVocab``, ``ppmi_svd_vectors()``,
  ``nearest_neighbours()`` (import it from ``helpers.words``).

Further modules are imported by name: ``language_model`` (an LSTM language model over token
ids: model, windows, generation, scores, the command's model and batches), ``charlm`` (the
command, a package of its own: settings, text, backend, run folder, checkpoints, clock,
training, sampling, command line), ``checks`` (argument checks), ``files`` (files written
whole, sha256), ``optim``,
``stateful``, ``numpy_rnn``, ``shapes``, ``synthetic``, ``timing``, ``diagrams``,
``sequences`` (Japanese Vowels, padding with lengths), ``cudnn`` (Keras 3's cuDNN conditions),
``training`` (``restart_from``: train one compiled model again from a fresh start),
``forecasting`` (a chronological split, a scaler check, persistence and seasonal naive
forecasts, the skill score, the best-correlating lag), ``torch_port`` (weights between Keras
and PyTorch), ``source_code`` (a package's source as a corpus, per-character features),
``ngram`` (interpolated Kneser-Ney baselines), ``interpret`` (what a trained LSTM's units
track: notebook 11), ``fused_lstm`` (Keras's LSTM run by PyTorch's fused kernel on the torch
backend), ``speed`` (a matmul peak, FLOPs per character, Keras and PyTorch timed side by side:
notebook 12 and ``benchmarks/``).

Importing this package does not import TensorFlow; ``setup()`` does.
"""

from helpers.data import CharVocab, make_windows, one_hot
from helpers.datasets import find_shakespeare, load_shakespeare
from helpers.notebook import quick_mode, save_fig, setup

__all__ = [
    "CharVocab",
    "find_shakespeare",
    "load_shakespeare",
    "make_windows",
    "one_hot",
    "quick_mode",
    "save_fig",
    "setup",
]
__version__ = "0.1.0"
