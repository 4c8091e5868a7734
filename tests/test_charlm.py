"""python -m helpers.charlm: the command's behaviour, tested in this process where a process
is not the point.

Most tests call the command's ``main(argv)`` here (the ``charlm`` fixture), with a tiny
model, and read what it printed (conftest.py): a child process would cost a Python and
Keras start-up each time. A child process is kept where it is the point: killing a run with
SIGKILL, the torch backend (this session's Keras runs on TensorFlow, pinned in conftest.py),
the mirrored strategy's two logical CPUs (set before TensorFlow starts), and one end-to-end
``train`` then ``sample`` typed as a user types them.

(The model, windows and sampling are tested in test_language_model.py; the checkpoint
callbacks in test_checkpoints.py; the run folder's files in test_run_folder.py.)

The training text is the Zen of Python (from the standard library's ``this`` module),
repeated: real English, no download, a few kilobytes.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import this
import time
from pathlib import Path

import numpy as np
import pytest

from helpers.charlm import CharLMConfig, UserError, load_text
from helpers.charlm.text import split_ids as _split
from helpers.language_model import windows

ZEN = codecs.decode(this.s, "rot13")
SMALL = ["--units", "16", "--embedding-dim", "8", "--timesteps", "16", "--batch-size", "8"]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
       "KERAS_BACKEND": "tensorflow", "PYTHONUNBUFFERED": "1"}


def cli(*args, timeout=120) -> subprocess.CompletedProcess:
    """The command in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "helpers.charlm", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=ENV)


@pytest.fixture
def text_file(tmp_path) -> Path:
    path = tmp_path / "zen.txt"
    path.write_text(ZEN * 12, encoding="utf-8")          # about 10,000 characters
    return path


def epochs_logged(out: Path) -> list[int]:
    with (out / "history.csv").open(newline="") as f:
        return [int(row["epoch"]) + 1 for row in csv.DictReader(f)]


def epoch_lines(stdout: str) -> list[str]:
    return [line.split(":")[0] for line in stdout.splitlines() if line.startswith("epoch ")]


def backup_epoch(out: Path):
    """The epoch of the last complete backup (its metadata is written last), or None."""
    try:
        return json.loads((out / "backup" / "training_metadata.json").read_text())["epoch"]
    except (OSError, ValueError, KeyError):
        return None


# ------------------------------------------------------------------ in child processes
def test_train_then_sample_as_a_user_types_them(text_file, tmp_path):
    out = tmp_path / "model"
    run = cli("train", text_file, "--out", out, *SMALL, "--epochs", 2, "--steps-per-epoch", 5)
    assert run.returncode == 0, run.stderr
    assert "best validation loss" in run.stdout
    # stdout is a pipe here, as in a log file or CI: one plain line per epoch, no live bar
    assert "\x1b" not in run.stdout and "\r" not in run.stdout and "━" not in run.stdout
    assert epoch_lines(run.stdout) == ["epoch 1/2", "epoch 2/2"]
    assert {p.name for p in out.iterdir()} >= {"best.keras", "vocab.json", "config.json",
                                               "history.csv"}
    assert not (out / "backup").exists()                  # removed after a finished run
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]   # atomic writes renamed
    assert json.loads((out / "config.json").read_text())["finished"] is True
    assert epochs_logged(out) == [1, 2]

    gen = cli("sample", out, "--length", 40, "--prime", "Beautiful", "--seed", 1)
    assert gen.returncode == 0, gen.stderr
    assert gen.stdout.startswith("Beautiful") and gen.stdout.endswith("\n")
    assert len(gen.stdout) == 9 + 40 + 1              # the text may end in a newline itself
    assert set(gen.stdout) <= set(ZEN) | {"\n"}


def test_killed_training_resumes_from_the_last_finished_epoch_even_from_a_torn_backup(
        text_file, tmp_path, charlm):
    """One run killed with SIGKILL after its first backup; copies of its folder resume, one as
    it was left (a clean kill) and one with the backup torn, as if the kill had hit it."""
    out = tmp_path / "model"
    args = ["--out", out, *SMALL, "--epochs", 4, "--steps-per-epoch", 60]
    proc = subprocess.Popen([sys.executable, "-m", "helpers.charlm", "train", text_file,
                             *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    deadline = time.time() + 90
    while time.time() < deadline:                         # wait for epoch 1 to be saved
        if backup_epoch(out) is not None:                 # a whole backup exists
            break
        if proc.poll() is not None:
            pytest.fail(f"training ended before it could be killed: {proc.stderr.read()}")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = epochs_logged(out)
    assert killed_at and killed_at[-1] < 4
    assert json.loads((out / "config.json").read_text())["finished"] is False
    assert (out / "best.keras").is_file()

    for damage_backup in (False, True):
        copy = tmp_path / f"resumed_{'torn' if damage_backup else 'clean'}"
        shutil.copytree(out, copy)
        if damage_backup:  # as if the kill had hit the backup being written
            for name in ("latest.weights.h5", "training_metadata.json"):
                path = copy / "backup" / name
                path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        resumed = charlm("train", text_file, *[copy if a == out else a for a in args])
        assert resumed.returncode == 0, resumed.stderr
        assert "resuming the interrupted run" in resumed.stdout
        epochs_run = epoch_lines(resumed.stdout)
        assert epochs_run and epochs_run[-1] == "epoch 4/4"
        if not damage_backup:
            assert "epoch 1/4" not in epochs_run          # finished epochs are not redone
        assert epochs_logged(copy)[-1] == 4
        assert sorted(set(epochs_logged(copy))) == [1, 2, 3, 4]
        assert json.loads((copy / "config.json").read_text())["finished"] is True


def test_the_command_trains_and_samples_on_the_torch_backend(text_file, tmp_path, charlm):
    pytest.importorskip("torch")
    out = tmp_path / "torch_model"
    run = cli("train", text_file, "--out", out, *SMALL, "--epochs", 2, "--steps-per-epoch", 3,
              "--backend", "torch", timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Keras backend torch" in run.stdout and epochs_logged(out) == [1, 2]
    assert run.stderr == ""            # TensorFlow is never started, so none of its C++ lines
    code = ("import sys; from helpers.charlm import main; status = main(sys.argv[1:]); "
            "print('tensorflow imported:', 'tensorflow' in sys.modules)")
    on_torch = subprocess.run([sys.executable, "-c", code, "sample", str(out), "--length", "20",
                               "--prime", "Zen", "--backend", "torch"], capture_output=True,
                              text=True, timeout=120, env=ENV)
    assert on_torch.stdout.endswith("tensorflow imported: False\n"), on_torch.stderr
    on_torch.stdout = on_torch.stdout.removesuffix("tensorflow imported: False\n")
    on_tensorflow = charlm("sample", out, "--length", 20, "--prime", "Zen")   # this process
    for gen in (on_torch, on_tensorflow):     # the .keras file is the same on every backend
        assert gen.returncode == 0, gen.stderr
        assert gen.stdout.startswith("Zen") and len(gen.stdout) == 3 + 20 + 1


MIRRORED_CHECK = """
import sys
import keras, numpy as np, tensorflow as tf
from helpers.charlm import CharLMConfig, load_trained, train

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
text, out = open(sys.argv[1]).read(), sys.argv[2]
config = CharLMConfig(units=16, embedding_dim=8, timesteps=16, batch_size=8, epochs=1,
                      steps_per_epoch=1, dropout=0.0)
single = train(text, out + "/single", config, verbose=0)
# by default MirroredStrategy takes one CPU: the two logical devices are named
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
mirrored = train(text, out + "/mirrored", config, strategy=strategy)
model, vocab = load_trained(out + "/mirrored")      # outside the strategy's scope
assert tf.distribute.has_strategy() is False and len(model.get_weights()) == 6
print("first-step loss", single["loss"][0], mirrored["loss"][0])
print("after one step, validation", single["val_loss"][0], mirrored["val_loss"][0])
"""


def test_mirrored_strategy_trains_on_two_replicas_as_one_device_would(text_file, tmp_path):
    run = subprocess.run([sys.executable, "-c", MIRRORED_CHECK, str(text_file), str(tmp_path)],
                         capture_output=True, text=True, timeout=180, env=ENV)
    assert run.returncode == 0, run.stderr[-3000:]
    assert ("MirroredStrategy: 2 replica(s) on /job:localhost/replica:0/task:0/device:CPU:0, "
            "/job:localhost/replica:0/task:0/device:CPU:1; each step gives each 4 of the 8 "
            "sequences") in run.stdout
    numbers = {line.split(" ", 1)[0]: [float(v) for v in line.split()[-2:]]
               for line in run.stdout.splitlines() if line.startswith(("first-step", "after"))}
    single, mirrored = numbers["first-step"]
    assert abs(single - mirrored) < 1e-5 * abs(single)     # the same weights, data and loss
    single, mirrored = numbers["after"]
    assert abs(single - mirrored) < 1e-4 * abs(single)     # the same update, all-reduced


# ------------------------------------------------------------------ in this process
def test_a_finished_run_samples_the_same_text_for_the_same_seed_and_is_not_trained_over(
        text_file, tmp_path, charlm):
    out = tmp_path / "model"
    assert charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1,
                  "--steps-per-epoch", 3).returncode == 0
    first = charlm("sample", out, "--length", 40, "--prime", "Beautiful", "--seed", 1)
    again = charlm("sample", out, "--length", 40, "--prime", "Beautiful", "--seed", 1)
    other = charlm("sample", out, "--length", 40, "--prime", "Beautiful", "--seed", 2)
    assert first.returncode == 0 and first.stdout.startswith("Beautiful"), first.stderr
    assert again.stdout == first.stdout                   # same seed, same text
    assert other.stdout != first.stdout                   # another seed, another draw
    rerun = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1,
                   "--steps-per-epoch", 3)
    assert rerun.returncode == 2 and "already holds this model" in rerun.stderr


USAGE = "error: argument "            # a bad option: one line, no usage block
HELP = "; see python -m helpers.charlm train --help"


@pytest.mark.parametrize("make, extra, message", [
    (None, [], "error: TEXT_FILE '{path}' does not exist or is not a file"),
    (lambda p: p.write_bytes(b""), [],
     "error: TEXT_FILE '{path}' is empty; give a file with text in it"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), [],
     "error: TEXT_FILE '{path}' looks binary (it contains NUL bytes); give a plain-text "
     "file, or, if it is UTF-16 or UTF-32 text, its encoding with --encoding"),
    (lambda p: p.write_text(ZEN * 12, encoding="utf-16"), [],
     "error: TEXT_FILE '{path}' is not valid utf-8: it starts with a utf-16 byte-order mark; "
     "add --encoding utf-16"),
    (lambda p: p.write_text("", encoding="utf-16"), ["--encoding", "utf-16"],  # a BOM only
     "error: TEXT_FILE '{path}' holds no text (read as utf-16); give a file with text in it"),
    (lambda p: p.write_text(ZEN * 12, encoding="utf-16-le"), [],   # no byte-order mark
     "error: TEXT_FILE '{path}' looks binary (read as utf-8, it holds NUL characters); give a "
     "plain-text file, or, if it is UTF-16 or UTF-32 text, give its encoding with --encoding"),
    (lambda p: p.write_bytes("café crème ".encode("latin-1") * 500), [],
     "error: TEXT_FILE '{path}' is not valid utf-8 (byte 0xe9 at offset 3); pass its "
     "encoding, e.g. --encoding latin-1"),
    (lambda p: p.write_text("short text"), [],
     "error: the text is too short: 10 characters leave 1 for validation (the last 10%), "
     "less than one sequence of --timesteps 16 + 1; use a text of at least 170 characters"),
    (lambda p: p.write_text("a" * 5000), [],
     "error: the text has a vocabulary of 1 character ('a'); a language model needs at least 2"),
    (lambda p: p.write_text(ZEN * 12), ["--units", "0"],
     USAGE + "--units: must be a positive integer; got 0" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--units", "many"],
     USAGE + "--units: must be a positive integer; got 'many' (str)" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--lr", "-1"],
     USAGE + "--lr: must be a positive number; got -1.0" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--lr", "nan"],
     USAGE + "--lr: must be a positive number; got nan" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--seed", "-5"],
     USAGE + "--seed: must be an integer from 0 to 4294967295; got -5" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--dropout", "1"],
     USAGE + "--dropout: must be a fraction in [0, 1); got 1.0" + HELP),
    (lambda p: p.write_text(ZEN * 12), ["--encoding", "klingon"],
     "error: --encoding 'klingon' is not an encoding Python knows; use e.g. utf-8, latin-1 "
     "or utf-16"),
])
def test_bad_training_input_exits_2_with_one_line_and_writes_nothing(tmp_path, charlm, make,
                                                                     extra, message):
    path = tmp_path / "input.txt"
    if make:
        make(path)
    out = tmp_path / "model"
    run = charlm("train", path, "--out", out, *SMALL, "--epochs", 1, *extra)
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert last == message.format(path=str(path)), run.stderr
    assert run.stdout == ""
    assert not out.exists()


def test_an_encoding_without_a_text_file_is_refused_not_ignored(tmp_path, charlm):
    """Without TEXT_FILE the command trains on Tiny Shakespeare: an --encoding given then
    would be silently ignored, so it is refused, before anything is read or written."""
    out = tmp_path / "model"
    run = charlm("train", "--out", out, *SMALL, "--epochs", 1, "--encoding", "latin-1")
    assert run.returncode == 2 and run.stdout == "" and not out.exists()
    assert run.stderr.strip().splitlines()[-1] == (
        "error: --encoding 'latin-1' was given without TEXT_FILE: it names a text file's "
        "encoding, and the default text, Tiny Shakespeare, needs none; give the TEXT_FILE it "
        "belongs to, or leave --encoding out")


@pytest.mark.parametrize("config", [CharLMConfig(), CharLMConfig(timesteps=16, batch_size=8),
                                    CharLMConfig(timesteps=1, batch_size=1, val_fraction=0.5)],
                         ids=["defaults", "small", "smallest"])
def test_the_split_accepts_exactly_the_texts_that_train_and_validate(config):
    """Every length either splits into at least one training batch and one validation window
    (counted by helpers.language_model.windows, as training counts them), or is refused with
    the shortest length that fits, which does fit (where validation once came out empty for
    texts of about 1.3 to 42 kB at the defaults: NaN reported, exit 0)."""
    window = config.timesteps + 1
    lengths = sorted({*range(1, 6 * window), *np.geomspace(6 * window, 300_000, 400).astype(int)})
    shortest = None
    for n in lengths:
        ids = np.arange(n) % 50
        try:
            train_ids, val_ids = _split(ids, config)
        except UserError as exc:
            message = str(exc)
            assert message.startswith("the text is too short") and " use " in message, message
            named = int(message.split("a text of at least ")[1].split(" ")[0])
            assert shortest in (None, named)          # the same answer for every short text
            shortest = named
            assert n < named
            continue
        assert len(train_ids) + len(val_ids) == n
        assert len(windows(train_ids, config.timesteps)[0]) >= config.batch_size
        assert len(windows(val_ids, config.timesteps)[0]) >= 1
        assert shortest is None or n >= shortest      # nothing shorter than named passes
    assert shortest is not None
    _split(np.arange(shortest) % 50, config)          # the length it names is enough ...
    with pytest.raises(UserError, match="too short"):  # ... and one less is not
        _split(np.arange(shortest - 1) % 50, config)


def test_any_text_size_that_is_accepted_trains_to_a_finite_validation_loss(
        shakespeare_path, tmp_path, charlm):
    """The one training run behind the split's unit test: 5 kB, a size that once trained
    with an empty validation set and reported NaN (exit 0)."""
    path = tmp_path / "text.txt"
    path.write_bytes(shakespeare_path.read_bytes()[:5_000])
    out = tmp_path / "model"
    run = charlm("train", path, "--out", out, "--units", "16", "--embedding-dim", "8",
                 "--epochs", 1, "--steps-per-epoch", 2)
    assert run.returncode == 0, run.stderr
    assert not re.search(r"\bnan\b", (run.stdout + run.stderr).lower())
    with (out / "history.csv").open(newline="") as f:
        val_losses = [float(row["val_loss"]) for row in csv.DictReader(f)]
    assert len(val_losses) == 1 and 0 < val_losses[0] < 10       # finite, in nats/char
    assert f"best validation loss {val_losses[0]:.3f}" in run.stdout


def test_a_text_too_short_for_one_batch_is_refused_with_the_batch_size_that_fits(tmp_path,
                                                                                 charlm):
    path = tmp_path / "text.txt"
    path.write_text(ZEN * 2, encoding="utf-8")                 # 1,712 characters
    run = charlm("train", path, "--out", tmp_path / "m", "--epochs", 1)
    assert run.returncode == 2
    # 1,541 training characters / 65 = 23 sequences, fewer than the default batch of 64
    assert run.stderr.strip() == (
        "error: the text is too short: its 1541 training characters give 23 sequences of "
        "--timesteps 64 + 1, fewer than one batch of --batch-size 64; use --batch-size 23 or "
        "smaller, a smaller --timesteps, or a text of at least 4622 characters")
    # from Python, the message names the setting as Python spells it
    with pytest.raises(UserError, match=r"leave 60 for validation .* use a text of at least "
                                        r"4622 characters or timesteps 59 or smaller"):
        _split(list(range(600)), CharLMConfig())
    fits = charlm("train", path, "--out", tmp_path / "m", "--epochs", 1, "--batch-size", 23,
                  "--units", 16, "--embedding-dim", 8, "--steps-per-epoch", 1)
    assert fits.returncode == 0, fits.stderr
    assert epochs_logged(tmp_path / "m") == [1]


def test_every_option_has_help():
    from helpers.charlm.cli import _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in subparsers.items():
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.option_strings or action.dest} has no help"
    text = " ".join(subparsers["train"].format_help().split())
    assert "(default: 64)" in text and "backpropagation through time" in text


def test_load_text_reads_the_encoding_it_is_given(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(("Où est la crème brûlée? " * 400).encode("latin-1"))
    assert load_text(path, "latin-1") == "Où est la crème brûlée? " * 400
    with pytest.raises(UserError, match=r"is not valid utf-8 \(byte 0xf9 at offset 1\); pass "
                                        r"its encoding, e.g. encoding latin-1"):
        load_text(path)
    path.write_text("é\n", encoding="utf-8")
    assert load_text(path) == "é\n" and load_text(path, "latin-1") == "Ã©\n"
    for encoding in ("utf-16", "utf-16-le", "utf-32"):     # NUL bytes, yet text: read
        path.write_text(ZEN, encoding=encoding)
        assert load_text(path, encoding) == ZEN
    path.write_text(ZEN, encoding="utf-8-sig")              # Notepad's byte-order mark
    assert load_text(path) == ZEN
    path.write_text(ZEN, encoding="utf-16")                 # little-endian here, read as big
    with pytest.raises(UserError, match=r"is utf-16 in the other byte order than utf-16-be; "
                                        r"use encoding utf-16$"):
        load_text(path, "utf-16-be")
    for codec in ("hex", "rot13"):                          # codecs, but not text encodings
        with pytest.raises(UserError, match=rf"^encoding '{codec}' is not a text encoding"):
            load_text(path, codec)


def test_an_out_folder_that_cannot_be_made_is_refused_and_nothing_is_written(text_file,
                                                                             tmp_path, charlm):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    run = charlm("train", text_file, "--out", blocker / "model", *SMALL, "--epochs", 1)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip() == (f"error: --out {str(blocker / 'model')!r} cannot be written "
                                  "(Not a directory); give a folder you may write to")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "zen.txt"]


def test_folder_holding_another_model_or_other_files_is_refused(text_file, tmp_path, charlm):
    out = tmp_path / "model"
    first = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1,
                   "--steps-per-epoch", 2)
    assert first.returncode == 0, first.stderr
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir())
    other = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1,
                   "--steps-per-epoch", 3)
    assert other.returncode == 2 and "holds another model" in other.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir()) == before

    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "cat.jpg").write_bytes(b"jpg")
    run = charlm("train", text_file, "--out", stranger, *SMALL, "--epochs", 1)
    assert run.returncode == 2 and "holds no charlm config.json" in run.stderr
    assert [p.name for p in stranger.iterdir()] == ["cat.jpg"]

    unseen = charlm("sample", out, "--prime", "Zen~#")               # '~' and '#' are not in it
    assert unseen.returncode == 2
    assert unseen.stderr.strip() == ("error: --prime holds characters the model never saw: "
                                     "'#~'. Use characters of the training text.")
    missing = charlm("sample", tmp_path / "nowhere")
    assert missing.returncode == 2 and "holds no trained model" in missing.stderr


# Written by helpers/charlm.py as it was before the split (commit 2c43116) with the settings
# below, and stopped as a kill would stop it, after epoch 1 of 2 (see tests/data/README.md).
PRE_SPLIT_RUN = Path(__file__).parent / "data" / "pre_split_run"
PRE_SPLIT_ARGS = ["--units", "16", "--embedding-dim", "8", "--seq-len", "16", "--batch-size", "8",
                  "--epochs", "2", "--steps-per-epoch", "3"]


@pytest.mark.parametrize("settings", [PRE_SPLIT_ARGS, ["--epochs", "2"], []],
                         ids=["its-own-command", "some-settings", "no-settings"])
def test_a_run_folder_written_before_the_split_resumes_and_samples(text_file, tmp_path, charlm,
                                                                   settings):
    out = tmp_path / "old_run"
    shutil.copytree(PRE_SPLIT_RUN, out)
    old_config = json.loads((out / "config.json").read_text())
    assert "format" not in old_config and "seq_len" in old_config["settings"]   # format 1
    # settings not given are the run's own (no dropout, a constant rate: how it was trained)
    resumed = charlm("train", text_file, "--out", out, *settings)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming the interrupted run" in resumed.stdout
    assert epoch_lines(resumed.stdout) == ["epoch 2/2"]          # epoch 1 is not redone
    assert epochs_logged(out) == [1, 2]
    config = json.loads((out / "config.json").read_text())
    assert config["format"] == 3 and config["finished"] is True
    assert config["settings"]["timesteps"] == 16 and "seq_len" not in config["settings"]
    assert {k: config["settings"][k] for k in ("dropout", "schedule", "fused")} == {
        "dropout": 0.0, "schedule": "constant", "fused": False}
    gen = charlm("sample", out, "--length", 20, "--prime", "Zen")
    assert gen.returncode == 0, gen.stderr
    assert gen.stdout.startswith("Zen") and len(gen.stdout) == 3 + 20 + 1


def test_a_setting_that_differs_from_the_run_being_resumed_is_refused(text_file, tmp_path,
                                                                      charlm):
    out = tmp_path / "old_run"
    shutil.copytree(PRE_SPLIT_RUN, out)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*"))
    run = charlm("train", text_file, "--out", out, "--units", "32")
    assert run.returncode == 2
    assert "holds another model (different text or settings)" in run.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*")) == before


def test_a_run_folder_from_a_newer_version_is_refused_with_what_to_do(text_file, tmp_path,
                                                                      charlm):
    out = tmp_path / "new_run"
    shutil.copytree(PRE_SPLIT_RUN, out)
    config = json.loads((out / "config.json").read_text())
    (out / "config.json").write_text(json.dumps({**config, "format": 99}))
    run = charlm("train", text_file, "--out", out, *PRE_SPLIT_ARGS)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"error: --out {str(out)!r}: {out / 'config.json'} has format 99, newer than this code "
        "reads (3); update the helpers (pip install -U ...) to resume it")


def test_seq_len_is_still_accepted_for_timesteps():
    from helpers.charlm.cli import _parser

    args = _parser().parse_args(["train", "--out", "x", "--seq-len", "32"])
    assert args.timesteps == 32


def test_a_time_budget_stops_training_and_the_run_is_finished(text_file, tmp_path, charlm):
    out = tmp_path / "budget"
    run = charlm("train", text_file, "--out", out, *SMALL, "--minutes", "0.01")
    assert run.returncode == 0, run.stderr
    assert "training 1000 epochs of 67 steps of 8 x 16 characters, or 0.01 minutes" in run.stdout
    assert epochs_logged(out) == [1]         # 0.6 s: stopped in epoch 1, then validated
    config = json.loads((out / "config.json").read_text())
    assert config["finished"] is True and config["trained_seconds"] >= 0.6
    assert config["settings"]["epochs"] == 1000 and (out / "best.keras").is_file()


def test_a_resumed_budget_run_keeps_its_budget_and_what_was_spent(text_file, tmp_path, charlm):
    out = tmp_path / "budget"
    assert charlm("train", text_file, "--out", out, *SMALL, "--minutes", "0.01").returncode == 0
    config = json.loads((out / "config.json").read_text())
    assert config["minutes"] == 0.01
    # as if it had been stopped after 30 s: the budget is spent, so one more step at most
    (out / "config.json").write_text(json.dumps({**config, "finished": False,
                                                 "trained_seconds": 30.0}))
    again = charlm("train", text_file, "--out", out, *SMALL)          # no --minutes given
    assert again.returncode == 0, again.stderr
    assert "or 0.01 minutes of training" in again.stdout and epochs_logged(out)[-1] <= 2
    assert json.loads((out / "config.json").read_text())["trained_seconds"] >= 30.0


def test_num_samples_draws_several_texts_in_one_batch(text_file, tmp_path, charlm):
    out = tmp_path / "model"
    assert charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1,
                  "--steps-per-epoch", 3).returncode == 0
    gen = charlm("sample", out, "--length", 30, "--prime", "Zen", "--num-samples", 3,
                 "--seed", 5)
    assert gen.returncode == 0, gen.stderr
    # three texts of 3 + 30 characters, a blank line between them (a text may hold newlines
    # itself, so they are cut by length, not split at blank lines)
    assert len(gen.stdout) == 3 * 33 + 2 * 2 + 1
    texts = [gen.stdout[k * 35: k * 35 + 33] for k in range(3)]
    assert [gen.stdout[k * 35 + 33: k * 35 + 35] for k in range(2)] == ["\n\n"] * 2
    assert all(t.startswith("Zen") for t in texts)
    assert len(set(texts)) == 3                       # independent draws, not one text thrice
    assert all(set(t) <= set(ZEN) for t in texts)
    again = charlm("sample", out, "--length", 30, "--prime", "Zen", "--num-samples", 3,
                   "--seed", 5)
    assert again.stdout == gen.stdout                 # the batch is reproducible by its seed


def test_tensorboard_logs_hold_each_epochs_losses(text_file, tmp_path, charlm):
    pytest.importorskip("tensorboard")
    import tensorflow as tf

    out = tmp_path / "model"
    run = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 2,
                 "--steps-per-epoch", 3, "--tensorboard")
    assert run.returncode == 0, run.stderr
    logged = {}
    for split in ("train", "validation"):
        for events in (out / "tensorboard" / split).glob("events.out.tfevents.*"):
            for record in tf.data.TFRecordDataset(str(events)):
                event = tf.compat.v1.Event.FromString(record.numpy())
                for value in event.summary.value:
                    if value.tag == "epoch_loss":
                        logged[split, event.step] = float(tf.make_ndarray(value.tensor))
    with (out / "history.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(logged) == [("train", 0), ("train", 1), ("validation", 0), ("validation", 1)]
    assert [int(row["epoch"]) for row in rows] == [0, 1]
    for row in rows:
        epoch = int(row["epoch"])
        assert logged["train", epoch] == pytest.approx(float(row["loss"]), rel=1e-5)
        assert logged["validation", epoch] == pytest.approx(float(row["val_loss"]), rel=1e-5)


def test_strategy_on_another_backend_is_refused_before_keras_starts(text_file, tmp_path,
                                                                    charlm):
    run = charlm("train", text_file, "--out", tmp_path / "m", *SMALL, "--strategy",
                 "mirrored", "--backend", "torch")
    assert run.returncode == 2
    assert run.stderr.strip().startswith(
        "error: --strategy mirrored: tf.distribute needs the TensorFlow backend, and Keras runs "
        "on torch; add --backend tensorflow")
    assert not (tmp_path / "m").exists()


def test_strategy_refusal_reads_keras_backend_and_comes_before_the_backend_is_set(
        text_file, tmp_path, charlm, monkeypatch):
    import helpers.charlm.cli

    def must_not_run(name):
        raise AssertionError("the backend was selected before the strategy was checked")

    monkeypatch.setattr(helpers.charlm.cli, "select_backend", must_not_run)
    monkeypatch.setenv("KERAS_BACKEND", "jax")         # no --backend: the variable decides
    run = charlm("train", text_file, "--out", tmp_path / "m", *SMALL, "--strategy", "mirrored")
    assert run.returncode == 2
    assert "tf.distribute needs the TensorFlow backend, and Keras runs on jax" in run.stderr


def test_a_bad_input_exits_2_from_a_real_process_too(tmp_path):
    """The exit status as a shell sees it (sys.exit(main())); refused before Keras starts."""
    run = cli("train", tmp_path / "missing.txt", "--out", tmp_path / "m")
    assert run.returncode == 2
    assert run.stderr.strip() == (f"error: TEXT_FILE {str(tmp_path / 'missing.txt')!r} does "
                                  "not exist or is not a file")


def test_a_run_that_never_beats_the_uniform_guess_exits_1_and_says_it_diverged(text_file,
                                                                              tmp_path, charlm):
    """A learning rate a million times too large gave a finite loss 600,000 times the
    uniform guess, and exit 0; it must say that training failed, as a NaN run does."""
    out = tmp_path / "model"
    run = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1, "--steps-per-epoch",
                 3, "--lr", "1e6", "--schedule", "constant")
    assert run.returncode == 1
    vocab_size = len(set(ZEN))
    assert re.fullmatch(
        r"error: training diverged or learned nothing: (best validation loss [\d.]+ nats/char"
        r"|no finite validation loss \(\[nan\]\)), no better than guessing uniformly among "
        rf"the {vocab_size} characters \(ln {vocab_size} = {np.log(vocab_size):.3f}\); lower --lr "
        r"or train longer, into a new --out folder", run.stderr.strip()), run.stderr
    assert "best validation loss" not in run.stdout
    assert (out / "config.json").is_file()        # what was written is kept, to look at


def test_best_loss_is_the_lowest_finite_loss_below_the_uniform_guess():
    from helpers.charlm import TrainingDiverged
    from helpers.charlm.training import best_loss

    assert best_loss({"val_loss": [3.0, float("nan"), 2.5]}, 30) == 2.5
    for losses in ([float("nan")], [], [np.log(30)], [2518977.75, float("inf")]):
        with pytest.raises(TrainingDiverged, match="no better than guessing uniformly among "
                                                   "the 30 characters"):
            best_loss({"val_loss": losses}, 30)


def _truncate(path: Path):
    path.write_bytes(path.read_bytes()[:3000])


@pytest.mark.parametrize("damage, args, message", [
    (lambda d: _truncate(d / "best.keras"), [],
     "MODEL_DIR '{d}' has a damaged best.keras (Keras cannot read it: ValueError); train the "
     "model again into a new folder"),
    (lambda d: (d / "vocab.json").write_text('["a", "b"]'), [],
     "MODEL_DIR '{d}' has a damaged vocab.json: expected {{\"chars\": \"<2 or more distinct "
     "characters>\"}} as the command writes it, got list \"['a', 'b']\"; train the model "
     "again into a new folder"),
    (lambda d: (d / "vocab.json").write_text('{"chars": "ab'), [],
     "MODEL_DIR '{d}' has a damaged vocab.json: expected {{\"chars\": \"<2 or more distinct "
     "characters>\"}} as the command writes it, got unreadable (JSONDecodeError); train the "
     "model again into a new folder"),
    (lambda d: (d / "vocab.json").write_text('{"chars": "abc"}'), ["--prime", "a"],
     "MODEL_DIR '{d}' holds files of two models: best.keras has 45 outputs, vocab.json 3 "
     "characters; train the model again into a new folder"),
    (lambda d: (d / "best.keras").unlink(), [],
     "MODEL_DIR '{d}' holds no trained model (best.keras and vocab.json); train one with "
     "python -m helpers.charlm train"),
    (None, ["--seed", "-5"], "argument --seed: must be an integer from 0 to 4294967295; got -5; "
                             "see python -m helpers.charlm sample --help"),
    (None, ["--temperature", "0"], "argument --temperature: must be a positive number; got "
                                   "0.0; see python -m helpers.charlm sample --help"),
    (None, ["--prime", "Zen~"], "--prime holds characters the model never saw: '~'. Use "
                                "characters of the training text."),
    (lambda d: (d / "vocab.json").write_text(json.dumps(
        {"chars": json.loads((d / "vocab.json").read_text())["chars"].replace("\n", "~")})),
     ["--length", "5"], "--prime is a line break unless given, and the model's text had none; "
                        "give a prime of its characters, e.g. --prime 'A'"),
], ids=["truncated-model", "vocab-a-list", "vocab-not-json", "vocab-of-another-model",
        "no-model", "negative-seed", "zero-temperature", "unseen-prime", "no-line-break"])
def test_bad_sampling_input_exits_2_with_one_line_and_damages_nothing(tmp_path, charlm, damage,
                                                                      args, message):
    folder = tmp_path / "run"
    shutil.copytree(PRE_SPLIT_RUN, folder)
    if damage:
        damage(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    run = charlm("sample", folder, "--length", 5, *(args or ["--prime", "Zen"]))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"error: {message.format(d=folder)}\n"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_the_weights_of_a_config_are_what_keras_counts(charlm):
    from helpers.language_model import training_model

    for config in (CharLMConfig(units=8, embedding_dim=3, layers=1, timesteps=4),
                   CharLMConfig(units=5, embedding_dim=7, layers=3, timesteps=4, fused=False)):
        assert config.weights(11) == training_model(11, config).count_params()


@pytest.mark.parametrize("args, message", [
    (["--units", "65537"], "argument --units: must be a positive integer of at most 65,536; got "
                           "65,537; see python -m helpers.charlm train --help"),
    (["--units", "65536", "--layers", "2"],
     "the model would have {weights:,} weights ({gb:.1f} GB in float32, four times that to "
     "train), more than 2,147,483,647; use fewer --units, --layers or --embedding-dim"),
    (["--epochs", "9" * 30], "argument --epochs: must be a positive integer of at most "
                             "2,147,483,647; got " + f"{int('9' * 30):,}" +
                             "; see python -m helpers.charlm train --help"),
], ids=["units", "weights", "epochs"])
def test_sizes_past_what_can_run_are_refused_before_anything_is_written(
        text_file, tmp_path, charlm, args, message):
    run = charlm("train", text_file, "--out", tmp_path / "m", *args)
    weights = CharLMConfig(units=65536, layers=2).weights(len(set(ZEN)))   # 51.6 billion
    message = message.format(weights=weights, gb=4 * weights / 1e9)
    assert run.returncode == 2 and run.stderr == f"error: {message}\n"
    assert not (tmp_path / "m").exists()


def test_an_unknown_or_missing_backend_is_refused_before_keras_starts(text_file, tmp_path,
                                                                      charlm, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "Torch")
    run = charlm("train", text_file, "--out", tmp_path / "m", *SMALL)
    assert run.returncode == 2 and run.stderr == (
        "error: --backend 'Torch' (from $KERAS_BACKEND) is not one of tensorflow, jax, torch; "
        "give one of those\n")
    import importlib.util

    if importlib.util.find_spec("jax") is None:        # not in the pinned set
        run = charlm("sample", tmp_path / "m", "--backend", "jax")
        assert run.returncode == 2 and run.stderr == (
            "error: --backend jax: jax is not installed; pip install jax, or choose another "
            "backend\n")
    assert not (tmp_path / "m").exists()


def test_a_folder_named_with_braces_gets_its_model(text_file, tmp_path, charlm):
    """Keras's ModelCheckpoint formats its path ({epoch}): the braces reach the disk."""
    out = tmp_path / "run {epoch} {x}"
    run = charlm("train", text_file, "--out", out, *SMALL, "--epochs", 1, "--steps-per-epoch", 3)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "best.keras", "config.json", "history.csv", "vocab.json"]


def test_a_damaged_setting_in_a_run_folder_is_the_folders_fault(text_file, tmp_path, charlm):
    out = tmp_path / "old_run"
    shutil.copytree(PRE_SPLIT_RUN, out)
    config = json.loads((out / "config.json").read_text())
    config["settings"]["units"] = "sixteen"
    (out / "config.json").write_text(json.dumps(config))
    run = charlm("train", text_file, "--out", out)
    assert run.returncode == 2 and run.stderr == (
        f"error: --out {str(out)!r} holds a damaged config.json (units must be a positive "
        "integer; got 'sixteen' (str).); train into a new folder\n")


def test_a_diverged_run_is_not_resumed_or_called_fully_trained(text_file, tmp_path, charlm):
    out = tmp_path / "model"
    args = ["train", text_file, "--out", out, *SMALL, "--epochs", 1, "--steps-per-epoch", 3,
            "--lr", "1e6", "--schedule", "constant"]
    assert charlm(*args).returncode == 1
    again = charlm(*args)
    assert again.returncode == 2 and again.stderr == (
        f"error: --out {str(out)!r} holds this model's run, which diverged or learned nothing; "
        "train into a new folder, with a lower --lr\n")


def test_keep_tensorflow_out_blocks_its_import_inside_the_block_only():
    code = ("import importlib.util, sys\n"
            "from helpers.charlm.backend import keep_tensorflow_out\n"
            "with keep_tensorflow_out('torch'):\n"
            "    try:\n"
            "        import tensorflow\n"
            "        print('imported')\n"
            "    except ImportError:\n"
            "        print('blocked')\n"
            "print('tensorflow' in sys.modules,\n"
            "      importlib.util.find_spec('tensorflow') is not None)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=ENV)
    assert run.stdout == "blocked\nFalse True\n"        # and findable again afterwards
