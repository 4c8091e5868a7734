"""Keras callbacks that keep a training run's files whole when the process is killed.

* :class:`AtomicModelCheckpoint` - Keras's ``ModelCheckpoint`` that writes to a temporary
  file and renames it: the model file is always whole, the old one or the new one;
* :class:`ResumableBackup` - Keras's ``BackupAndRestore`` that also survives a kill while
  the backup itself is being written.

The rest of a run folder (its ``config.json``, the history) is
:mod:`helpers.charlm.run_folder`, which does not import Keras; this module does.

Source: Keras docs, "ModelCheckpoint", "BackupAndRestore"; POSIX ``rename``, which replaces
a file atomically (Python's ``os.replace``).
"""

from __future__ import annotations

import os
import shutil
import sys

import keras

from helpers.files import atomic_path

__all__ = ["AtomicModelCheckpoint", "ResumableBackup"]


class AtomicModelCheckpoint(keras.callbacks.ModelCheckpoint):
    """``ModelCheckpoint`` that writes to a temporary file beside ``filepath`` and then
    renames it over ``filepath`` (:func:`helpers.files.atomic_path`), so ``filepath`` always
    holds a whole model.

    Takes ``ModelCheckpoint``'s arguments (``monitor``, ``save_best_only``, ...).
    """

    def _save_model(self, epoch, batch, logs):
        final = self.filepath
        try:
            with atomic_path(final, suffix=".keras") as tmp:
                # ModelCheckpoint formats its path ({epoch}, {val_loss:.2f}): a folder
                # named with braces must reach the disk as it is spelled
                self.filepath = str(tmp).replace("{", "{{").replace("}", "}}")
                super()._save_model(epoch, batch, logs)
        finally:
            self.filepath = final


class ResumableBackup(keras.callbacks.BackupAndRestore):
    """``BackupAndRestore`` that survives being killed while it writes its backup.

    Keras writes the backup in place; a process killed mid-write leaves a file it cannot
    read (seen in this project's tests). ``double_checkpoint=True`` (the default here) keeps
    the previous epoch's backup and Keras falls back to it when the weights file is
    unreadable; this class also falls back when the metadata file is (Keras lets that
    ``ValueError`` through), and starts over, with a warning on stderr, when no whole
    backup exists at all (files outside ``backup_dir``, such as the best model, are kept).
    """

    def __init__(self, backup_dir, *, double_checkpoint: bool = True, **kwargs):
        super().__init__(str(backup_dir), double_checkpoint=double_checkpoint, **kwargs)

    def on_train_begin(self, logs=None):
        try:
            super().on_train_begin(logs)
            return
        except (OSError, ValueError) as exc:
            error = exc
        pairs = [(self._prev_weights_path, self._weights_path),
                 (self._prev_training_metadata_path, self._training_metadata_path)]
        if all(os.path.exists(prev) for prev, _ in pairs):
            try:
                for prev, current in pairs:
                    shutil.copyfile(prev, current)
                self._load_model()
                return
            except (OSError, ValueError):
                pass
        shutil.rmtree(self.backup_dir, ignore_errors=True)
        print(f"warning: the backup could not be read ({type(error).__name__}): the run was "
              "stopped while writing it; training starts again from epoch 1 "
              "(the best model so far is kept)", file=sys.stderr)
