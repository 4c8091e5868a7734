"""The Keras backend the command runs on, the settings that make it fast, and tf.distribute.

* :func:`default_backend`, :func:`select_backend` - torch where PyTorch is installed, else
  tensorflow, unless ``--backend`` or ``KERAS_BACKEND`` says otherwise; chosen before Keras
  starts;
* :func:`apply_speed_settings` - environment variables read when TensorFlow starts (oneDNN
  on, its C++ logs hidden);
* :func:`keep_tensorflow_out` - on torch and JAX, TensorFlow is not imported at all (Keras
  would import it to seed it and to save a model, and it prints C++ log lines at start);
* :func:`backend_words` - ``"Keras backend tensorflow, oneDNN on"``, for logs and tables;
* :func:`check_strategy_backend`, :func:`distribution_strategy` - ``--strategy mirrored``.

Importing this module imports nothing beyond the standard library; the functions import
Keras or TensorFlow where they need them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator

from helpers.charlm.config import Arg, UserError

__all__ = ["BACKENDS", "apply_speed_settings", "backend_words", "check_strategy_backend",
           "default_backend", "distribution_strategy", "keep_tensorflow_out", "select_backend"]

BACKENDS = ("tensorflow", "jax", "torch")


def apply_speed_settings() -> None:
    """Settings the command makes before Keras starts (environment variables: set later,
    they have no effect). oneDNN is on unless ``TF_ENABLE_ONEDNN_OPTS`` says otherwise (see
    the speed table in docs/command.md); the notebooks turn it off, for outputs that reproduce
    exactly. TensorFlow's C++ log lines are hidden. Imports nothing."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def backend_words() -> str:
    """``"Keras backend tensorflow, oneDNN on"`` and the like, for logs and tables."""
    import keras

    words = f"Keras backend {keras.backend.backend()}"
    if keras.backend.backend() == "tensorflow":
        words += f", oneDNN {'off' if os.environ.get('TF_ENABLE_ONEDNN_OPTS') == '0' else 'on'}"
    return words


def default_backend() -> str:
    """The command's Keras backend when neither ``--backend`` nor ``KERAS_BACKEND`` names one:
    torch where PyTorch is installed (with :class:`helpers.fused_lstm.FusedLSTM` it trained
    at 0.96x plain PyTorch's speed on a 2-core CPU, TensorFlow at 0.74-0.86x: the speed table
    in docs/command.md), else tensorflow.
    """
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    return "torch" if importlib.util.find_spec("torch") else "tensorflow"


#: The package each backend imports.
_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def select_backend(name: str | None) -> None:
    """Select the Keras backend (``name``, or :func:`default_backend`) before Keras starts.

    Raises:
        UserError: an unknown backend (``KERAS_BACKEND`` may hold any text), one whose
            package is not installed, or Keras already running with another backend
            (in-process use).
    """
    given = name
    name = name or default_backend()
    source = "" if given else " (from $KERAS_BACKEND)"
    if name not in BACKENDS:
        raise UserError(Arg("backend"), f" {name!r}{source} is not one of "
                        f"{', '.join(BACKENDS)}; give one of those")
    if importlib.util.find_spec(_PACKAGES[name]) is None:
        raise UserError(Arg("backend"), f" {name}{source}: {_PACKAGES[name]} is not "
                        f"installed; pip install {_PACKAGES[name]}, or choose another backend")
    if "keras" in sys.modules and sys.modules["keras"].backend.backend() != name:
        raise UserError(Arg("backend"), f" {name}: Keras is already running with backend "
                        f"{sys.modules['keras'].backend.backend()} in this process; run the "
                        "command in a new process, or set KERAS_BACKEND before Python starts")
    os.environ["KERAS_BACKEND"] = name


@contextlib.contextmanager
def keep_tensorflow_out(backend: str) -> Iterator[None]:
    """On a backend other than TensorFlow, make ``import tensorflow`` fail inside the block
    (``sys.modules["tensorflow"] = None``, Python's documented way), unless it is already
    imported. Keras then treats TensorFlow as not installed: ``keras.utils.set_random_seed``
    seeds Python, NumPy and torch without it, and saving a model does not start it. What
    it saves: TensorFlow's import (2-4 s here) and the C++ log lines it prints on stderr
    whatever ``TF_CPP_MIN_LOG_LEVEL`` says. Everything is restored when the block ends.

    Do not use it around code that needs TensorFlow on any backend (``--tensorboard``).
    """
    if backend == "tensorflow" or "tensorflow" in sys.modules:
        yield
        return
    sys.modules["tensorflow"] = None
    try:
        yield
    finally:
        if sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]


def check_strategy_backend(strategy, backend: str) -> None:
    """Raises UserError when ``strategy`` (a tf.distribute one) is asked for on ``backend``."""
    if strategy is not None and backend != "tensorflow":
        raise UserError(Arg("strategy"), f" {strategy if isinstance(strategy, str) else 'given'}"
                        f": tf.distribute needs the TensorFlow backend, and Keras runs on "
                        f"{backend}; add ", Arg("backend"), " tensorflow (on JAX, Keras's own "
                        "keras.distribution API does data parallelism; this command does not "
                        "use it)")


def distribution_strategy(strategy, batch_size: int, *, verbose: bool = True):
    """The ``tf.distribute`` strategy to train under, or None for one device.

    ``"mirrored"`` is ``tf.distribute.MirroredStrategy()`` over every visible GPU (on a
    machine without one it has a single replica, the CPU). Each step splits the
    ``batch_size`` sequences evenly over the replicas, each replica computes the gradient
    of its share, and the gradients are summed across replicas (all-reduce) before one
    update of the mirrored weights: the step is the single-device step on the whole batch,
    so the learning rate stays as given. For several machines, the same code runs under
    ``tf.distribute.MultiWorkerMirroredStrategy`` (pass it as ``strategy``; each machine
    reads its role from the ``TF_CONFIG`` variable: the "Several GPUs" section of docs/command.md).

    Raises:
        UserError: the Keras backend is not TensorFlow (tf.distribute is TensorFlow's), an
            unknown name, or a ``batch_size`` the replicas do not divide.

    Source: TensorFlow guide, "Distributed training with Keras"; Keras docs, "Multi-GPU
    distributed training with TensorFlow".
    """
    if strategy is None:
        return None
    import keras

    check_strategy_backend(strategy, keras.backend.backend())
    import tensorflow as tf

    if isinstance(strategy, str):
        if strategy != "mirrored":
            raise UserError(Arg("strategy"), f" must be mirrored; got {strategy!r}")
        strategy = tf.distribute.MirroredStrategy()
    replicas = strategy.num_replicas_in_sync
    if batch_size % replicas:
        raise UserError(Arg("batch_size"), f" {batch_size} does not split evenly over "
                        f"{replicas} replicas; use a multiple of {replicas}, e.g. "
                        f"{replicas * max(1, round(batch_size / replicas))}")
    if verbose:
        devices = ", ".join(strategy.extended.worker_devices)
        print(f"{type(strategy).__name__}: {replicas} replica(s) on {devices}; each step "
              f"gives each {batch_size // replicas} of the {batch_size} sequences and sums "
              "their gradients, so the learning rate is unchanged", flush=True)
    return strategy
