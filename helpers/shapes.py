"""What a recurrent layer returns: predicted shapes, checked against Keras.

:func:`expected_output_shapes` states the rules; :func:`keras_output_shapes` builds the
configuration and runs it; :func:`shape_table` puts both side by side for many
configurations, and :func:`format_shape_table` prints them. Try your own configuration::

    expected_output_shapes("LSTM", timesteps=50, features=8, units=32,
                           return_sequences=True, return_state=True, bidirectional="concat")

The rules (Keras docs, "LSTM layer", "Bidirectional layer"):

* output: ``(batch, timesteps, width)`` with ``return_sequences=True``, else ``(batch, width)``;
  ``width`` is ``units``, or ``2*units`` for ``Bidirectional(merge_mode="concat")``;
  ``merge_mode`` "sum", "mul", "ave" keep ``units``; ``merge_mode=None`` returns the forward
  and backward outputs as two separate tensors;
* with ``return_state=True`` the final states follow the output(s), each ``(batch, units)``:
  ``h, c`` for an LSTM, ``h`` for a GRU or SimpleRNN; a Bidirectional layer returns the
  forward layer's states, then the backward layer's;
* stacking: every layer below the top one needs ``return_sequences=True`` (the next layer
  wants 3-D input); the stack's output is the top layer's.
"""

from __future__ import annotations

import itertools

from helpers.checks import positive_int

__all__ = ["LAYERS", "MERGE_MODES", "expected_output_shapes", "format_shape_table",
           "keras_output_shapes", "shape_table"]

LAYERS = {"SimpleRNN": 1, "GRU": 1, "LSTM": 2}          # layer -> number of states
MERGE_MODES = ("concat", "sum", "mul", "ave", None)      # Bidirectional's merge_mode values
_UNIDIRECTIONAL = False                                   # bidirectional=False


def _check(layer, timesteps, features, units, bidirectional, stacked, batch_size):
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {sorted(LAYERS)}; got {layer!r}.")
    for name, value in (("timesteps", timesteps), ("features", features), ("units", units),
                        ("stacked", stacked)):
        positive_int(name, value)
    if batch_size is not None:
        positive_int("batch_size", batch_size, "Use None for a batch of any size.")
    if bidirectional is not _UNIDIRECTIONAL and bidirectional not in MERGE_MODES:
        raise ValueError(
            f"bidirectional must be False (one direction) or a merge_mode of Bidirectional, "
            f"one of {MERGE_MODES}; got {bidirectional!r}.")


def expected_output_shapes(layer: str = "LSTM", *, timesteps: int, features: int, units: int,
                           return_sequences: bool = False, return_state: bool = False,
                           bidirectional=False, stacked: int = 1,
                           batch_size: int | None = None) -> list[tuple]:
    """Shapes that a (stack of) recurrent layer(s) returns, in Keras's order.

    Args:
        layer: "SimpleRNN", "GRU" or "LSTM".
        timesteps, features: the input is ``(batch, timesteps, features)``.
        units: the layer's ``units`` (the size of h).
        return_sequences, return_state: the top layer's options.
        bidirectional: False, or the ``merge_mode`` of a ``Bidirectional`` wrapper around
            every layer of the stack ("concat", "sum", "mul", "ave" or None).
        stacked: number of layers; those below the top have ``return_sequences=True``.
        batch_size: the size of the batch dimension, or None for "any" (as in
            ``keras.Input(shape=...)``).

    Returns:
        A list of shape tuples: the output(s), then the states.

    Raises:
        ValueError: an unknown layer or merge_mode, or a size that is not a positive integer.
    """
    _check(layer, timesteps, features, units, bidirectional, stacked, batch_size)
    directions = 1 if bidirectional is _UNIDIRECTIONAL else 2
    width = 2 * units if bidirectional == "concat" else units
    one_output = ((batch_size, timesteps, width) if return_sequences
                  else (batch_size, width))
    if bidirectional is None:  # forward and backward outputs, not merged
        per_direction = ((batch_size, timesteps, units) if return_sequences
                         else (batch_size, units))
        outputs = [per_direction, per_direction]
    else:
        outputs = [one_output]
    states = [(batch_size, units)] * (LAYERS[layer] * directions) if return_state else []
    return outputs + states


def keras_output_shapes(layer: str = "LSTM", *, timesteps: int, features: int, units: int,
                        return_sequences: bool = False, return_state: bool = False,
                        bidirectional=False, stacked: int = 1,
                        batch_size: int = 2) -> list[tuple]:
    """Build the configuration in Keras, run it on zeros, and return the actual shapes.

    Same arguments as :func:`expected_output_shapes` (``batch_size`` must be a number here:
    the layers are run on a real array).
    """
    import keras
    import numpy as np

    _check(layer, timesteps, features, units, bidirectional, stacked, batch_size)
    if batch_size is None:
        raise ValueError("batch_size must be a positive integer here (the layers are run); "
                         "got None.")
    layer_class = getattr(keras.layers, layer)

    def make(is_top):
        rnn = layer_class(units, return_sequences=return_sequences or not is_top,
                          return_state=return_state and is_top)
        if bidirectional is _UNIDIRECTIONAL:
            return rnn
        return keras.layers.Bidirectional(rnn, merge_mode=bidirectional if is_top else "concat")

    y = np.zeros((batch_size, timesteps, features), dtype="float32")
    for k in range(stacked):
        y = make(is_top=k == stacked - 1)(y)
    outputs = y if isinstance(y, (list, tuple)) else [y]
    return [tuple(int(d) for d in t.shape) for t in outputs]


def shape_table(*, timesteps: int = 5, features: int = 3, units: int = 4,
                batch_size: int = 2,
                layers=tuple(LAYERS), bidirectional=(False, *MERGE_MODES),
                stacked=(1, 2)) -> list[dict]:
    """Predicted vs actual shapes for every combination of the given options.

    Returns:
        One dict per configuration with keys ``layer``, ``return_sequences``,
        ``return_state``, ``bidirectional``, ``stacked``, ``expected``, ``keras``, ``match``.
    """
    rows = []
    for layer, seqs, state, bidi, depth in itertools.product(
            layers, (False, True), (False, True), bidirectional, stacked):
        config = dict(timesteps=timesteps, features=features, units=units,
                      return_sequences=seqs, return_state=state, bidirectional=bidi,
                      stacked=depth, batch_size=batch_size)
        expected = expected_output_shapes(layer, **config)
        actual = keras_output_shapes(layer, **config)
        rows.append(dict(layer=layer, return_sequences=seqs, return_state=state,
                         bidirectional=bidi, stacked=depth, expected=expected, keras=actual,
                         match=expected == actual))
    return rows


def format_shape_table(rows: list[dict]) -> str:
    """A plain-text table of :func:`shape_table` rows (one line each)."""
    def bidi(value):
        return "-" if value is _UNIDIRECTIONAL else f"Bi({value})"

    header = (f"{'layer':<9} {'seq':<5} {'state':<5} {'wrapper':<12} {'depth':>5}  "
              f"{'returned shapes (checked against Keras)':<40}")
    lines = [header, "-" * len(header)]
    for r in rows:
        shapes = ", ".join(str(s) for s in r["keras"])
        mark = "" if r["match"] else f"   MISMATCH: expected {r['expected']}"
        lines.append(f"{r['layer']:<9} {r['return_sequences']!s:<5} {r['return_state']!s:<5} "
                     f"{bidi(r['bidirectional']):<12} {r['stacked']:>5}  {shapes}{mark}")
    return "\n".join(lines)
