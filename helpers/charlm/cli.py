"""The command line: ``python -m helpers.charlm train ...`` and ``... sample ...``.

The only module of :mod:`helpers.charlm` that speaks of ``--flags``: it parses them, turns
each setting named in an error (``units``) into the option the user typed (``--units``),
and decides the exit status (0 done; 1 training diverged; 2 bad input, with one line on
stderr and nothing written). See :mod:`helpers.charlm` for what a run writes.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from helpers import checks
from helpers.charlm.backend import (
    BACKENDS,
    apply_speed_settings,
    check_strategy_backend,
    default_backend,
    keep_tensorflow_out,
    select_backend,
)
from helpers.charlm.config import (
    LIMITS,
    SCHEDULES,
    Arg,
    CharLMConfig,
    TrainingDiverged,
    UserError,
)
from helpers.charlm.run_folder import read_run_config
from helpers.charlm.sampling import SAMPLE_LIMITS

__all__ = ["EPOCHS_FOR_A_BUDGET", "main"]

BACKEND_HELP = ("Keras backend (default: $KERAS_BACKEND if set, else torch where PyTorch is "
                "installed, else tensorflow)")
#: Positional arguments, written as ``--help`` shows them.
_POSITIONAL = {"text_file": "TEXT_FILE", "model_dir": "MODEL_DIR"}


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line (no usage block): the command's
    contract for bad input."""

    def error(self, message):
        self.exit(2, f"error: {message.rstrip('.')}; see {self.prog} --help\n")


def option(name: str) -> str:
    """How the command line writes a setting: ``batch_size`` -> ``--batch-size``,
    ``text_file`` -> ``TEXT_FILE``; a setting no option sets (``val_fraction``, ``fused``)
    keeps its name."""
    if name in _POSITIONAL:
        return _POSITIONAL[name]
    return "--" + name.replace("_", "-") if name in _OPTIONS else name


_SETTINGS_HELP = {
    "epochs": "passes over the training text (or of --steps-per-epoch steps each); with "
              "--minutes and no --epochs, the budget alone decides",
    "units": "size of each LSTM layer's hidden state h and cell state c",
    "layers": "number of stacked LSTM layers",
    "embedding_dim": "size of each character's learned vector (Embedding)",
    "timesteps": "timesteps per training sequence (backpropagation through time length)",
    "batch_size": "sequences per training step",
    "steps_per_epoch": "training steps between validations (default: one pass over the text)",
    "lr": "Adam's learning rate at the start",
    "schedule": "the learning rate over the run: cosine decay to 0, or constant",
    "dropout": "fraction of each LSTM layer's outputs dropped in training",
    "seed": "random seed for the initial weights and the order of sequences",
}
#: --epochs when --minutes is given without it: the time budget ends the run.
EPOCHS_FOR_A_BUDGET = 1000
#: The settings an option sets, by their Python names.
_OPTIONS = {*_SETTINGS_HELP, "out", "encoding", "minutes", "backend", "strategy", "tensorboard",
            "length", "temperature", "prime", "num_samples"}


def _parser() -> argparse.ArgumentParser:
    d = CharLMConfig()
    positive_number = checks.argparse_type(checks.positive_number, float)
    seed = checks.argparse_type(checks.random_seed, int)
    dropout = checks.argparse_type(checks.dropout_rate, float)
    parser = _Parser(
        prog="python -m helpers.charlm", description="Train and sample a character LSTM.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser(
        "train", help="train on a text file (default: Tiny Shakespeare)",
        description="Train a character LSTM. To resume an interrupted run, repeat the command; "
                    "settings not given are then those of the run in --out.")
    t.add_argument("text_file", nargs="?",
                   help="the training text; the last 10 %% validates (default: Tiny Shakespeare)")
    t.add_argument("--out", required=True,
                   help="folder for the model: new or empty, or an interrupted run to resume")
    # default None: --encoding given without TEXT_FILE is refused, not silently ignored
    t.add_argument("--encoding", default=None,
                   help="the text file's encoding (default: utf-8)")
    types = {"lr": positive_number, "seed": seed, "dropout": dropout, "schedule": str}
    for field, text in _SETTINGS_HELP.items():
        # --seq-len: --timesteps's name before 2026-12, still accepted
        aliases = ["--seq-len"] if field == "timesteps" else []
        default = "" if field == "steps_per_epoch" else f" (default: {getattr(d, field)})"
        extra = {"choices": SCHEDULES} if field == "schedule" else {}
        # default None: a resumed run keeps its own value, a new run takes CharLMConfig's
        kind = types.get(field) or checks.argparse_type(checks.positive_int, int,
                                                        at_most=LIMITS[field])
        t.add_argument(f"--{field.replace('_', '-')}", *aliases, dest=field, default=None,
                       type=kind, help=text + default, **extra)
    t.add_argument("--minutes", type=positive_number, default=None,
                   help="time budget for training, in minutes (validation included): "
                        "stops when spent, the learning-rate schedule runs over it")
    t.add_argument("--backend", choices=BACKENDS, default=None,
                   help=BACKEND_HELP)
    t.add_argument("--strategy", choices=("mirrored",), default=None,
                   help="train on every visible GPU with tf.distribute.MirroredStrategy "
                        "(TensorFlow backend; --batch-size is split over the replicas)")
    t.add_argument("--tensorboard", action="store_true",
                   help="also write TensorBoard logs to OUT/tensorboard "
                        "(view: tensorboard --logdir OUT/tensorboard)")
    s = sub.add_parser("sample", help="generate text from a trained model")
    s.add_argument("model_dir", help="a folder written by 'train' (holds best.keras)")
    s.add_argument("--length", type=checks.argparse_type(
        checks.positive_int, int, at_most=SAMPLE_LIMITS["length"]), default=500,
                   help="characters to generate after the prime (default: %(default)s)")
    s.add_argument("--temperature", type=positive_number, default=0.8,
                   help="below 1: safer, more repetitive text; above 1: more surprising "
                        "(default: %(default)s)")
    s.add_argument("--prime", default="\n",
                   help="text the model reads before generating (default: a line break)")
    s.add_argument("--seed", type=seed, default=0,
                   help="random seed for sampling (default: %(default)s)")
    s.add_argument("--num-samples", type=checks.argparse_type(
        checks.positive_int, int, at_most=SAMPLE_LIMITS["num_samples"]), default=1,
                   help="texts to draw at once, as one batch (default: %(default)s)")
    s.add_argument("--backend", choices=BACKENDS, default=None,
                   help=BACKEND_HELP)
    return parser


def _config_from(args) -> CharLMConfig:
    """The settings of ``charlm train``: those given, then (resuming) the run's own, then
    :class:`CharLMConfig`'s defaults."""
    defaults = asdict(CharLMConfig())
    given = {k: getattr(args, k) for k in _SETTINGS_HELP if getattr(args, k) is not None}
    if args.minutes is not None and "epochs" not in given:
        defaults["epochs"] = EPOCHS_FOR_A_BUDGET
    saved = {}
    config_file = Path(args.out) / "config.json"
    try:
        saved = {k: v for k, v in read_run_config(config_file)["settings"].items()
                 if k in defaults}
    except (OSError, ValueError):
        pass          # no folder yet, or train() refuses it with the reason
    if saved:         # a value the user never typed is the folder's fault, not an option's
        try:
            CharLMConfig(**{**defaults, **saved}).check()
        except UserError as exc:
            raise UserError(Arg("out"), f" {args.out!r} holds a damaged config.json ({exc}); "
                            "train into a new folder") from None
    return CharLMConfig(**{**defaults, **saved, **given})


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit status:
    0 done, 1 training diverged, 2 bad input (one line on stderr, nothing written)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:           # --help (0) or a bad option (2, one line printed)
        return exc.code if isinstance(exc.code, int) else 2
    apply_speed_settings()
    try:
        if getattr(args, "strategy", None) and not (args.backend or
                                                     os.environ.get("KERAS_BACKEND")):
            args.backend = "tensorflow"      # tf.distribute is TensorFlow's
        # before Keras starts: a wrong pair costs no start-up
        check_strategy_backend(getattr(args, "strategy", None),
                               args.backend or default_backend())
        select_backend(args.backend)
        backend = os.environ["KERAS_BACKEND"]
        needs_tensorflow = getattr(args, "tensorboard", False)
        with keep_tensorflow_out("tensorflow" if needs_tensorflow else backend):
            if args.command == "train":
                return _train(args)
            return _sample(args)
    except (UserError, TrainingDiverged) as exc:
        print(f"error: {exc.render(option)}", file=sys.stderr)
        return 2 if isinstance(exc, UserError) else 1


def _train(args) -> int:
    from helpers.charlm.text import load_text
    from helpers.charlm.training import best_loss, train

    if args.text_file is None and args.encoding is not None:
        raise UserError(Arg("encoding"), f" {args.encoding!r} was given without ",
                        Arg("text_file"), ": it names a text file's encoding, and the default "
                        "text, Tiny Shakespeare, needs none; give the ", Arg("text_file"),
                        " it belongs to, or leave ", Arg("encoding"), " out")
    text = load_text(args.text_file, args.encoding or "utf-8")
    config = _config_from(args)
    config.check()              # before Keras starts: a typo costs no start-up
    record = train(text, args.out, config, minutes=args.minutes,
                   tensorboard=args.tensorboard, strategy=args.strategy)
    print(f"best validation loss {best_loss(record, len(set(text))):.3f} nats/char; "
          f"model in {args.out}/best.keras")
    return 0


def _sample(args) -> int:
    from helpers.charlm.sampling import sample_texts

    texts = sample_texts(args.model_dir, length=args.length, temperature=args.temperature,
                         prime=args.prime, seed=args.seed, num_samples=args.num_samples)
    print("\n\n".join(args.prime + text for text in texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
