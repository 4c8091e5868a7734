"""``python -m helpers.charlm``: train a character LSTM on any text, and sample from it.

    python -m helpers.charlm train [TEXT_FILE] --out DIR [--minutes 10 | --epochs 20 ...]
    python -m helpers.charlm sample DIR [--length 500 --temperature 0.8 --prime "ROMEO:"
                                         --num-samples 4]

One role per module:

* :mod:`~helpers.charlm.config` - the settings (:class:`CharLMConfig`) and the errors
  (:class:`UserError`, :class:`TrainingDiverged`); standard library only;
* :mod:`~helpers.charlm.text` - the training text read and split;
* :mod:`~helpers.charlm.backend` - the Keras backend, the speed settings, tf.distribute;
* :mod:`~helpers.charlm.run_folder` - a run folder's settings and history, whether a run
  may use it; :mod:`~helpers.charlm.checkpoints` - the Keras callbacks that keep its model
  and backup whole;
* :mod:`~helpers.charlm.clock` - the learning-rate schedule, a time budget, progress lines;
* :mod:`~helpers.charlm.training` - :func:`train`;
* :mod:`~helpers.charlm.sampling` - a trained folder loaded and sampled;
* :mod:`~helpers.charlm.cli` - the command line, its messages and exit status: the only
  module that speaks of ``--flags``.

The model, its batches and generation are :mod:`helpers.language_model` (lesson-level: the
notebooks use it, and it never imports this package). Importing this package imports no
Keras: every input is checked before Keras starts.

Backend: ``--backend``, else ``KERAS_BACKEND``, else torch where PyTorch is installed (the
LSTM then runs on PyTorch's fused kernel, :class:`helpers.fused_lstm.FusedLSTM`), else
tensorflow. On torch and JAX the command never imports TensorFlow. The data path is NumPy
(:class:`helpers.language_model.BatchStream`), the same on every backend, and a saved model
loads on any of them.

With no TEXT_FILE, ``train`` uses Tiny Shakespeare (``helpers.load_shakespeare``). The first
90 % of the text trains, the last 10 % validates. ``DIR`` receives:

* ``config.json`` - the settings, the text's sha256, whether training finished, and the
  folder's format (:data:`helpers.charlm.run_folder.RUN_FORMAT`; folders written before it
  existed are read too, and resume);
* ``vocab.json`` - the characters, in id order (``{"chars": "..."}``);
* ``best.keras`` - the model with the lowest validation loss so far (written to a temporary
  file and renamed, so it is never half-written);
* ``backup/`` - while training: ``BackupAndRestore``'s state (this epoch's and the previous
  one's). Run the same command again after an interruption and training resumes from the
  last finished epoch, or the one before if the kill hit the backup being written;
* ``history.csv`` - per-epoch losses (``CSVLogger``, appended across resumed runs);
* ``tensorboard/`` - with ``--tensorboard``, Keras's TensorBoard logs.

Resuming: settings not given on the command line are the interrupted run's own; a setting
given that differs from them is refused. A ``--minutes`` budget resumes with what is left.

Loss: sparse categorical cross-entropy from logits, in nats per character.

Exit status: 0 done; 1 training diverged or learned nothing (no finite validation loss below
the uniform guess, ``ln`` of the vocabulary size); 2 bad input (a bad option value; a
missing, unreadable, empty, binary or wrongly decoded file; a text too short; a vocabulary
of one character; a prime with unseen characters; an output folder holding another model or
not writable; a damaged run folder; a ``--strategy`` on a backend other than TensorFlow),
with one line on stderr and nothing written.
"""

from helpers.charlm.backend import (
    apply_speed_settings,
    backend_words,
    default_backend,
    distribution_strategy,
    select_backend,
)
from helpers.charlm.cli import main
from helpers.charlm.config import SCHEDULES, CharLMConfig, TrainingDiverged, UserError
from helpers.charlm.sampling import load_trained, sample_texts
from helpers.charlm.text import load_text
from helpers.charlm.training import train

__all__ = ["SCHEDULES", "CharLMConfig", "TrainingDiverged", "UserError", "apply_speed_settings",
           "backend_words", "default_backend", "distribution_strategy", "load_text",
           "load_trained", "main", "sample_texts", "select_backend", "train"]
