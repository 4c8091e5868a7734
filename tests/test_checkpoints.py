"""helpers.charlm.checkpoints: the Keras callbacks that write a run's best model and its backup.

Killing a real training run and resuming it is tested through the command, in
test_charlm.py; here each piece is tested alone.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import pytest

from helpers import files
from helpers.charlm import checkpoints
from helpers.language_model import build_model

X = np.zeros((8, 3), "int32")                       # 8 windows of 3 ids, targets the same


def tiny_model():
    model = build_model(5, units=4, embedding_dim=2, timesteps=3)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def test_checkpoint_is_written_to_a_temporary_file_then_renamed(tmp_path, monkeypatch):
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace",
                        lambda src, dst: (renames.append((Path(src).name, Path(dst).name)),
                                          real_replace(src, dst))[1])
    model = tiny_model()
    checkpoint = checkpoints.AtomicModelCheckpoint(str(tmp_path / "best.keras"),
                                                   monitor="val_loss", save_best_only=True)
    model.fit(X, X, validation_data=(X, X), epochs=1, verbose=0, callbacks=[checkpoint])
    assert len(renames) == 1 and renames[0][1] == "best.keras"
    assert renames[0][0].startswith(".best.keras.") and renames[0][0].endswith(".keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.keras"]
    assert keras.saving.load_model(tmp_path / "best.keras", safe_mode=True).count_params() == \
        model.count_params()


def test_resumable_backup_starts_over_when_no_whole_backup_exists(tmp_path, capsys):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "training_metadata.json").write_text('{"epoch": 0, "ba')   # torn, no previous
    (backup / "latest.weights.h5").write_bytes(b"\x89HDF torn")
    history = tiny_model().fit(X, X, epochs=2, verbose=0,
                               callbacks=[checkpoints.ResumableBackup(backup)])
    assert history.epoch == [0, 1]                                      # from epoch 1 again
    assert "the backup could not be read" in capsys.readouterr().err
    assert not backup.exists()                                          # removed when done


class Stop(Exception):
    """Stands in for a kill: fit ends without its on_train_end, so the backup stays."""


def test_resumable_backup_falls_back_to_the_previous_backup_when_the_newest_is_torn(tmp_path):
    backup = tmp_path / "backup"
    model = tiny_model()
    after_epoch = {}

    def stop_at_epoch_2(epoch, logs):
        if epoch == 2:
            raise Stop

    with pytest.raises(Stop):
        model.fit(X, X, epochs=4, verbose=0, callbacks=[
            checkpoints.ResumableBackup(backup),
            keras.callbacks.LambdaCallback(
                on_epoch_end=lambda epoch, logs: after_epoch.__setitem__(
                    epoch, [w.copy() for w in model.get_weights()]),
                on_epoch_begin=stop_at_epoch_2)])
    assert sorted(after_epoch) == [0, 1]          # backups of epoch 0 (previous) and 1 (newest)
    for name in ("latest.weights.h5", "training_metadata.json"):   # the newest, half written
        path = backup / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    resumed = tiny_model()
    restored = []
    history = resumed.fit(X, X, epochs=4, verbose=0, callbacks=[
        checkpoints.ResumableBackup(backup),
        keras.callbacks.LambdaCallback(on_train_begin=lambda logs: restored.extend(
            w.copy() for w in resumed.get_weights()))])
    assert history.epoch == [1, 2, 3]             # epoch 1 again: its backup was torn
    for got, saved in zip(restored, after_epoch[0], strict=True):
        np.testing.assert_array_equal(got, saved)  # the weights after epoch 0, not fresh ones
    assert not backup.exists()
