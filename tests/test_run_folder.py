"""helpers.charlm.run_folder: a charlm run's files (config, history), read without
Keras."""

from __future__ import annotations

import json

import pytest

from helpers.charlm import run_folder


def test_read_history_keeps_the_last_row_of_a_repeated_epoch_and_skips_torn_rows(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("epoch,loss,val_loss\n0,2.0,2.1\n1,1.8,1.9\n1,1.7,1.85\n2,1.6,")
    assert run_folder.read_history(path) == {"epoch": [1, 2], "loss": [2.0, 1.7],
                                             "val_loss": [2.1, 1.85]}
    assert run_folder.read_history(tmp_path / "none.csv") == {"epoch": [], "loss": [],
                                                              "val_loss": []}


def test_read_run_config_upgrades_old_formats_and_refuses_what_it_cannot_read(tmp_path):
    path = tmp_path / "config.json"
    old = {"text_sha256": "ab", "settings": {"units": 16, "seq_len": 16}, "finished": False}
    path.write_text(json.dumps(old))
    before_3 = {"dropout": 0.0, "schedule": "constant", "fused": False}   # how they trained
    assert run_folder.read_run_config(path) == {
        "text_sha256": "ab", "settings": {"units": 16, "timesteps": 16, **before_3},
        "finished": False, "format": run_folder.RUN_FORMAT}
    path.write_text(json.dumps({**old, "settings": {"timesteps": 8}, "format": 2}))
    assert run_folder.read_run_config(path)["settings"] == {"timesteps": 8, **before_3}
    new = {**old, "settings": {"timesteps": 8, "dropout": 0.2, "schedule": "cosine",
                               "fused": True},
           "format": 3, "trained_seconds": 12.5}
    path.write_text(json.dumps(new))
    assert run_folder.read_run_config(path) == new
    for content, message in [
        ("{not json", f"{path} is not valid JSON (damaged?); train into a new folder"),
        ('{"finished": true}', f"{path} holds no training settings; it was not written by "
                               "python -m helpers.charlm"),
        (json.dumps({**old, "format": 7}), f"{path} has format 7, newer than this code reads "
                                           "(3); update the helpers (pip install -U ...) to "
                                           "resume it"),
    ]:
        path.write_text(content)
        with pytest.raises(ValueError) as info:
            run_folder.read_run_config(path)
        assert str(info.value) == message
