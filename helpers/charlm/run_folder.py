"""A training run's folder: its settings file, its history, and whether a run may use it.

* :func:`fingerprint` - what identifies a model: its text's sha256 and its settings;
* :func:`check_out_dir` - a new folder, an interrupted run of the same model to resume, or
  a refusal with the reason;
* :func:`read_history` - per-epoch losses from ``CSVLogger``'s file, across resumed runs;
* :func:`read_run_config`, :data:`RUN_FORMAT` - a run folder's ``config.json``; folders
  written by earlier versions of ``python -m helpers.charlm`` are brought up to date.

Files are written whole by :mod:`helpers.files` (``atomic_write_text``). Standard library
only (no Keras import): the command checks a folder before it starts Keras. The Keras
callbacks that write the model and the backup are :mod:`helpers.charlm.checkpoints`; the
model and vocabulary of a finished folder are read by
:func:`helpers.language_model.load_trained`.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict
from pathlib import Path

from helpers.charlm.config import Arg, CharLMConfig, UserError
from helpers.files import sha256

__all__ = ["RUN_FORMAT", "check_out_dir", "fingerprint", "read_history", "read_run_config"]

#: Version of a run folder's ``config.json``. 1: before 2026-12 (no ``format`` key; the
#: window length was called ``seq_len``); 2: a ``format`` key, and ``timesteps``; 3: the
#: settings ``dropout``, ``schedule`` and ``fused``, and ``trained_seconds`` (for
#: ``--minutes``).
RUN_FORMAT = 3
#: What the settings added in format 3 were before it: runs made then trained this way
#: (no dropout, a constant learning rate, keras.layers.LSTM and TimeDistributed logits).
_BEFORE_FORMAT_3 = {"dropout": 0.0, "schedule": "constant", "fused": False}


def read_history(path: str | os.PathLike) -> dict:
    """Per-epoch logs from ``CSVLogger``'s file (``append=True`` across resumed runs).

    Returns:
        ``{"epoch": [1, 2, ...], "loss": [...], "val_loss": [...]}``, epochs counted from 1.
        An epoch repeated after a resume keeps its last row; a row cut short by a killed
        process is skipped; a missing file gives empty lists.
    """
    path = Path(path)
    rows = {}
    if path.is_file():
        # a byte a killed write left undecodable is replaced; its row then fails to parse
        with path.open(newline="", encoding="utf-8", errors="replace") as f:
            for row in csv.DictReader(f):
                try:
                    float(row["val_loss"])
                    rows[int(row["epoch"]) + 1] = row
                except (KeyError, TypeError, ValueError):
                    continue
    epochs = sorted(rows)
    record = {"epoch": epochs}
    for key in ("loss", "val_loss"):
        record[key] = [float(rows[e][key]) for e in epochs if rows[e].get(key)]
    return record


def read_run_config(path: str | os.PathLike) -> dict:
    """A run folder's ``config.json``, upgraded to :data:`RUN_FORMAT`.

    Format 1 folders (no ``format`` key) named the window length ``seq_len``; it is
    renamed ``timesteps``. Folders before format 3 trained without dropout, at a constant
    learning rate, with Keras's own LSTM and TimeDistributed logits, and say so now
    (``dropout`` 0, ``schedule`` ``"constant"``, ``fused`` False): such runs resume under the
    settings they were trained with, into a model whose saved backup fits.

    Raises:
        ValueError: the file is unreadable or not JSON, has no ``settings``, or was written
            by a newer version of this code (its ``format`` is above :data:`RUN_FORMAT`).
    """
    path = Path(path)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise ValueError(f"{path} is not valid JSON (damaged?); train into a new folder") \
            from None
    except OSError as exc:
        raise ValueError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if not isinstance(config, dict) or not isinstance(config.get("settings"), dict):
        raise ValueError(f"{path} holds no training settings; it was not written by "
                         "python -m helpers.charlm")
    version = config.get("format", 1)
    if not isinstance(version, int) or version > RUN_FORMAT:
        raise ValueError(f"{path} has format {version!r}, newer than this code reads "
                         f"({RUN_FORMAT}); update the helpers (pip install -U ...) to resume it")
    for key, lowest in (("trained_seconds", 0), ("minutes", 1e-9)):
        value = config.get(key)
        if value is not None and not (isinstance(value, (int, float)) and
                                      not isinstance(value, bool) and
                                      lowest <= value < float("inf")):
            raise ValueError(f"{path} has a damaged {key!r}: {value!r}; train into a new "
                             "folder")
    settings = dict(config["settings"])
    if version == 1 and "seq_len" in settings:
        settings["timesteps"] = settings.pop("seq_len")
    if version < 3:
        settings = {**_BEFORE_FORMAT_3, **settings}
    return {**config, "settings": settings, "format": RUN_FORMAT}


def fingerprint(text: str, config: CharLMConfig) -> dict:
    """What identifies a model in ``config.json``: ``{"text_sha256": ..., "settings": ...}``."""
    return {"text_sha256": sha256(text), "settings": asdict(config)}


def check_out_dir(out: Path, fingerprint: dict) -> bool:
    """Return True to resume an interrupted run in ``out``; False for a fresh folder.

    Raises:
        UserError: ``out`` is a file, holds something else, another model, or a finished run.
    """
    name = Arg("out"), f" {str(out)!r}"
    config_file = out / "config.json"
    try:
        if out.exists() and not out.is_dir():
            raise UserError(*name, " is a file; give a folder")
        if not out.exists() or not any(out.iterdir()):
            return False
        has_config = config_file.is_file()
    except OSError as exc:
        raise UserError(*name, f" cannot be read ({exc.strerror or exc}); check its "
                        "permissions") from None
    if not has_config:
        raise UserError(*name, " is not empty and holds no charlm config.json; give a new or "
                        "empty folder")
    try:
        saved = read_run_config(config_file)
    except ValueError as exc:
        raise UserError(*name, f": {exc}") from None
    if {k: saved.get(k) for k in fingerprint} != fingerprint:
        raise UserError(*name, " holds another model (different text or settings); give a new "
                        "folder, or repeat that model's exact command to resume it")
    if saved.get("diverged"):
        raise UserError(*name, " holds this model's run, which diverged or learned nothing; "
                        "train into a new folder, with a lower ", Arg("lr"))
    if saved.get("finished"):
        raise UserError(*name, " already holds this model, fully trained; sample from it, or "
                        "give a new folder to train again")
    return True
