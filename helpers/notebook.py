"""What every notebook does first: versions, seeds, determinism, plot style, sizes.

The shared setup cell of each notebook sets ``TF_CPP_MIN_LOG_LEVEL``,
``TF_ENABLE_ONEDNN_OPTS`` and ``KERAS_BACKEND`` (they only work before TensorFlow is
imported), then calls :func:`setup`. Sizes come from :func:`quick_mode`: quick on a
CPU, full on a GPU, or whatever ``LSTM_QUICK=1`` / ``LSTM_QUICK=0`` says.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["TESTED_VERSIONS", "NotebookEnv", "figures_dir", "quick_mode", "require", "save_fig",
           "seed_from", "setup"]

# The versions the stored notebook outputs were produced with (requirements.txt pins
# the same; tests/test_notebook_setup.py checks the two agree).
TESTED_VERSIONS = {"tensorflow": "2.21.0", "keras": "3.15.1", "numpy": "2.4.6"}

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_PACKAGE_DIR = Path(__file__).resolve().parent
_current_notebook: str | None = None  # "01", set by setup(); used by save_fig()


@dataclass(frozen=True)
class NotebookEnv:
    """What :func:`setup` found and did. ``quick`` picks the notebook's sizes."""

    notebook: str
    seed: int
    quick: bool
    gpus: tuple[str, ...]
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def gpu(self) -> bool:
        return bool(self.gpus)


def quick_mode(gpu: bool, env: dict[str, str] | None = None) -> bool:
    """Decide between quick and full sizes.

    ``LSTM_QUICK=1`` forces quick sizes, ``LSTM_QUICK=0`` full sizes; unset (or empty)
    means quick on a CPU and full when a GPU is present.

    Args:
        gpu: whether a GPU is present.
        env: the environment to read (default ``os.environ``).

    Raises:
        ValueError: ``LSTM_QUICK`` holds something other than 1/0 (or true/false).
    """
    value = (os.environ if env is None else env).get("LSTM_QUICK", "").strip().lower()
    if not value:
        return not gpu
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"LSTM_QUICK must be 1 (quick sizes) or 0 (full sizes); got {value!r}. "
                     "Unset it to choose by hardware: quick on CPU, full on GPU.")


def seed_from(default: int, env: dict[str, str] | None = None) -> int:
    """The notebook's seed: ``LSTM_SEED`` when set (the seed sweep sets it), else ``default``.

    Args:
        default: the seed the notebook passes to :func:`setup`.
        env: the environment to read (default ``os.environ``).

    Raises:
        ValueError: ``LSTM_SEED`` is not a non-negative integer.
    """
    value = (os.environ if env is None else env).get("LSTM_SEED", "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"LSTM_SEED must be a non-negative integer such as 3; got {value!r}. "
                         "Unset it to use the notebook's own seed.")
    return int(value)


# Keras warns, and goes on, when a dataset runs dry before `steps_per_epoch * epochs` batches:
# the rest of training then silently does nothing (notebook 04 at FULL sizes trained on nothing
# after its first segment). Notebooks turn that warning into an error.
RAN_OUT_OF_DATA = r"(?s).*Your input ran out of data"


def _loud_data_warnings() -> None:
    import warnings

    warnings.filterwarnings("error", message=RAN_OUT_OF_DATA)


def _check_versions() -> dict[str, str]:
    import keras
    import numpy as np
    import tensorflow as tf

    if int(keras.__version__.split(".")[0]) < 3:
        raise RuntimeError(
            f"These notebooks need Keras 3; found Keras {keras.__version__}. "
            "Install the tested set: pip install -r requirements.txt (or on Colab, "
            "pip install -U 'keras>=3').")
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"These notebooks use Keras on the TensorFlow backend; found {backend!r}. "
            "Set os.environ['KERAS_BACKEND'] = 'tensorflow' before importing keras "
            "(the setup cell does) and restart the kernel.")
    return {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__}


def _style_plots() -> None:
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": (8.0, 3.5),
        "figure.dpi": 80,             # inline size: keeps stored notebooks small
        "savefig.dpi": 110,           # screenshots/ a little sharper
        "savefig.bbox": "tight",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "image.cmap": "viridis",
    })


def _short_tracebacks() -> None:
    """In IPython, show errors as their last line only (``%xmode Minimal``).

    Stored error outputs then carry no file paths of this machine, and a learner sees the
    message first; ``%xmode Context`` brings the full frames back.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "InteractiveTB"):
        shell.InteractiveTB.set_mode(mode="Minimal")


def setup(notebook: str, seed: int = 0, *, verbose: bool = True) -> NotebookEnv:
    """Prepare a notebook run: check versions, seed everything, fix plot style.

    * checks Keras 3 on the TensorFlow backend (and notes versions other than the tested ones);
    * takes the seed from ``LSTM_SEED`` when set (:func:`seed_from`), else ``seed``, and seeds
      Python, NumPy and TensorFlow with ``keras.utils.set_random_seed``. Every other random
      draw of a notebook derives from ``env.seed`` (``default_rng(env.seed + k)``), so one
      variable re-draws everything (``tools/seed_sweep.py``);
    * turns Keras's "Your input ran out of data" warning into an error: a ``fit`` whose data
      runs dry must stop the notebook, not train on nothing;
    * turns on ``tf.config.experimental.enable_op_determinism()``, so a CPU re-run gives
      the same numbers (the stored outputs are checked by nbval);
    * sets matplotlib defaults and remembers ``notebook`` for :func:`save_fig`;
    * in IPython, shortens tracebacks to the error line (``%xmode Context`` restores them);
    * reports the GPU, and picks quick or full sizes (:func:`quick_mode`).

    Args:
        notebook: the notebook's two-digit number, e.g. ``"01"``.
        seed: the random seed, unless ``LSTM_SEED`` is set.
        verbose: print a one-line summary.

    Returns:
        A :class:`NotebookEnv`; use ``.quick`` to choose sizes.

    Raises:
        ValueError: ``notebook`` is not two digits, or ``LSTM_QUICK`` or ``LSTM_SEED`` is
            malformed.
        RuntimeError: Keras is older than 3, or not on the TensorFlow backend.

    Source: Keras docs, "Reproducibility" (``set_random_seed``); TensorFlow docs,
    ``tf.config.experimental.enable_op_determinism``.
    """
    global _current_notebook
    if not re.fullmatch(r"\d\d", str(notebook)):
        raise ValueError(f"notebook must be the notebook's two-digit number, e.g. '01'; "
                         f"got {notebook!r}.")
    seed = seed_from(seed)
    versions = _check_versions()

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    _style_plots()
    _short_tracebacks()
    _loud_data_warnings()
    _current_notebook = str(notebook)

    gpus = tuple(d.name for d in tf.config.list_physical_devices("GPU"))
    quick = quick_mode(bool(gpus))
    env = NotebookEnv(notebook=_current_notebook, seed=seed, quick=quick, gpus=gpus,
                      versions=versions)
    if verbose:
        gpu_text = f"{len(gpus)} GPU" if gpus else "no GPU (CPU)"
        print(f"TensorFlow {versions['tensorflow']}, Keras {versions['keras']}, "
              f"NumPy {versions['numpy']} | {gpu_text} | "
              f"{'QUICK' if quick else 'FULL'} sizes | seed {seed}")
        other = {k: v for k, v in versions.items() if v != TESTED_VERSIONS[k]}
        if other:
            print("Note: stored outputs were made with "
                  + ", ".join(f"{k} {TESTED_VERSIONS[k]}" for k in other)
                  + "; your numbers may differ slightly.")
    return env


def require(module: str, needed_for: str, *, extra: str, pip_name: str | None = None) -> None:
    """Say in one sentence what to install when ``module`` is missing, before an import or a
    child process fails with a bare ``ModuleNotFoundError`` or ``CalledProcessError``.
    Imports nothing (``importlib.util.find_spec``): a notebook on TensorFlow may check for
    PyTorch without loading it.

    Args:
        module: the top-level module, e.g. ``"vega_datasets"``.
        needed_for: what needs it, as the sentence's subject, e.g. ``"Seattle's weather,
            this notebook's data,"``.
        extra: this package's extra that installs it (``pyproject.toml``).
        pip_name: the name pip installs, when it differs from ``module``.

    Raises:
        ModuleNotFoundError: ``module`` is not installed; the message names it, the command
            that installs it, and the extra.
    """
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModuleNotFoundError(
            f"{needed_for} needs {module}, which is not installed: pip install "
            f"{pip_name or module} (or the extra: pip install 'lstm-course-helpers[{extra}]')",
            name=module)


def figures_dir() -> Path:
    """Folder that :func:`save_fig` writes to.

    ``$LSTM_FIGURES_DIR`` if set; else the repository's ``screenshots/`` (found from this
    package's location, not the working directory); else, when the package was installed
    without the repository (e.g. on Colab), ``./screenshots``.
    """
    override = os.environ.get("LSTM_FIGURES_DIR")
    if override:
        return Path(override).expanduser()
    repo = _PACKAGE_DIR.parent
    if (repo / "pyproject.toml").is_file() and (repo / "notebooks").is_dir():
        return repo / "screenshots"
    return Path.cwd() / "screenshots"


def save_fig(name: str, fig=None) -> Path:
    """Save a figure as ``screenshots/NN_name.png`` (NN: the notebook given to :func:`setup`).

    The figure stays open, so the notebook still shows it inline.

    Args:
        name: snake_case file stem without the number, e.g. ``"co2_windows"``.
        fig: the matplotlib figure; default the current one.

    Returns:
        The path written.

    Raises:
        ValueError: ``name`` is not snake_case.
        RuntimeError: :func:`setup` has not been called, so the notebook number is unknown.
    """
    import matplotlib.pyplot as plt

    if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", name or ""):
        raise ValueError(f"name must be snake_case letters and digits, e.g. 'co2_windows'; "
                         f"got {name!r}.")
    if _current_notebook is None:
        raise RuntimeError("save_fig needs the notebook number: call setup(notebook='01') "
                           "first (the setup cell does).")
    out_dir = figures_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{_current_notebook}_{name}.png"
    # No 'Software' stamp: the PNG depends only on the figure, not the matplotlib version.
    (fig or plt.gcf()).savefig(path, metadata={"Software": None})
    print(f"saved {out_dir.name}/{path.name}")
    return path
