"""A run's settings, and the error for bad input: what the command checks before Keras starts.

* :class:`CharLMConfig` - the training settings saved in a run folder's ``config.json``;
* :class:`UserError` - bad input from the user: one line on stderr, exit status 2;
* :func:`user_check` - a :mod:`helpers.checks` check whose ``ValueError`` is the user's.

Messages name a setting by its Python name (``units``, ``batch_size``, ``text_file``), held
as an :class:`Arg` in the error: the command line (:mod:`helpers.charlm.cli`) shows it as the
option or argument the user typed (``--units``, ``--batch-size``, ``TEXT_FILE``); a Python
caller of :func:`helpers.charlm.train` reads the name it passed.

Standard library only (with :mod:`helpers.checks`): importing this module starts no Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from helpers import checks

__all__ = ["LIMITS", "MAX_WEIGHTS", "SCHEDULES", "Arg", "CharLMConfig", "TrainingDiverged",
           "UserError", "user_check"]

#: ``schedule``: the learning rate over a run (:class:`helpers.charlm.clock.TrainingClock`).
SCHEDULES = ("cosine", "constant")
#: The largest value of each size: past these a run cannot start (Keras's int32 step
#: counters) or its model cannot be built on any machine this course targets.
LIMITS = {"units": 2**16, "layers": 64, "embedding_dim": 2**16, "timesteps": 2**20,
          "batch_size": 2**20, "epochs": 2**31 - 1, "steps_per_epoch": 2**31 - 1}
#: The most weights a model may have: 2**31 - 1, about 8.6 GB in float32, and four times
#: that to train with Adam (weights, gradients, two moments).
MAX_WEIGHTS = 2**31 - 1


class Arg(NamedTuple):
    """The name of a setting or argument inside a :class:`UserError`'s message."""

    name: str


class _Message:
    """A message of parts: ``(Arg("batch_size"), " must be ...; use ", Arg("timesteps"),
    " ...")`` joined, each :class:`Arg` written by ``name`` (:meth:`render`); ``str()``
    writes Python names."""

    def __init__(self, *parts):
        self.parts = parts
        super().__init__(self.render())

    def render(self, name=lambda arg: arg) -> str:
        """The message, with each :class:`Arg` written as ``name(arg.name)``."""
        return "".join(name(p.name) if isinstance(p, Arg) else str(p) for p in self.parts)


class UserError(_Message, ValueError):
    """Bad input from the user: reported in one line, exit status 2."""


class TrainingDiverged(_Message, RuntimeError):
    """Training ended without a validation loss below the uniform guess (``ln`` of the
    vocabulary size, in nats per character), or with none finite: reported in one line,
    exit status 1. The run folder keeps what was written."""


def user_check(check, name: str, *args, **limits):
    """``check(name, *args, **limits)`` (a :mod:`helpers.checks` check); its ``ValueError``,
    whose message begins with ``name``, becomes a :class:`UserError` naming :class:`Arg`
    ``name``.

    Only the command's own checks are turned into user errors: a ValueError from deeper
    down is a bug, and shows its traceback.
    """
    try:
        return check(name, *args, **limits)
    except ValueError as exc:
        message = str(exc)
        rest = message[len(name):] if message.startswith(name) else ": " + message
        raise UserError(Arg(name), rest) from None


@dataclass
class CharLMConfig:
    """Training settings (saved to ``config.json``); see ``--help`` for each one.

    The defaults were chosen by training Tiny Shakespeare on a 2-core CPU to the best
    validation loss in about 10 minutes (docs/command.md, "Speed and quality"): 20 epochs, Adam from
    5e-3 with cosine decay, dropout 0.3 after the LSTM.
    """

    units: int = 256
    layers: int = 1
    embedding_dim: int = 64
    timesteps: int = 64
    batch_size: int = 64
    epochs: int = 20
    steps_per_epoch: int | None = None   # None: one pass over the training windows
    lr: float = 5e-3
    val_fraction: float = 0.1
    seed: int = 0
    dropout: float = 0.3
    schedule: str = "cosine"
    fused: bool = True      # FusedLSTM and one Dense for the logits (runs before 2026-12: False)

    def check(self) -> None:
        """Raises :class:`UserError` naming the setting (``units``, ...) of a bad value."""
        for name in ("units", "layers", "embedding_dim", "timesteps", "batch_size", "epochs"):
            user_check(checks.positive_int, name, getattr(self, name), "",
                       at_most=LIMITS[name])
        if self.steps_per_epoch is not None:
            user_check(checks.positive_int, "steps_per_epoch", self.steps_per_epoch, "",
                       at_most=LIMITS["steps_per_epoch"])
        user_check(checks.positive_number, "lr", self.lr)
        user_check(checks.fraction, "val_fraction", self.val_fraction)
        user_check(checks.random_seed, "seed", self.seed)
        user_check(checks.dropout_rate, "dropout", self.dropout)
        if self.schedule not in SCHEDULES:
            raise UserError(Arg("schedule"), f" must be one of {', '.join(SCHEDULES)}; got "
                            f"{self.schedule!r}")
        if not isinstance(self.fused, bool):
            raise UserError(Arg("fused"), f" must be True or False; got {self.fused!r}")

    def weights(self, vocab_size: int) -> int:
        """The model's number of weights for ``vocab_size`` characters: the embedding
        (``vocab_size * embedding_dim``), each LSTM layer (``4 * units * (inputs + units +
        1)``, four gates with a bias each) and the logits (``units * vocab_size +
        vocab_size``): what ``keras.Model.count_params`` counts."""
        lstm = sum(4 * self.units * ((self.embedding_dim if k == 0 else self.units) +
                                     self.units + 1) for k in range(self.layers))
        return vocab_size * self.embedding_dim + lstm + (self.units + 1) * vocab_size

    def check_size(self, vocab_size: int) -> None:
        """Raises :class:`UserError` when the model would have more than :data:`MAX_WEIGHTS`
        weights."""
        weights = self.weights(vocab_size)
        if weights > MAX_WEIGHTS:
            raise UserError(
                f"the model would have {weights:,} weights ({4 * weights / 1e9:,.1f} GB in "
                f"float32, four times that to train), more than {MAX_WEIGHTS:,}; use fewer ",
                Arg("units"), ", ", Arg("layers"), " or ", Arg("embedding_dim"))
