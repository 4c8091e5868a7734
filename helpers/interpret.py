"""Looking inside a trained character LSTM: notebook 11.

* :func:`lstm_states` - run a :func:`helpers.language_model.build_model` model over a long
  text with the NumPy LSTM of :mod:`helpers.numpy_rnn` (notebook 02's, checked against
  Keras), and keep every step's ``h``, ``c``, gates and the loss of the next character;
* :func:`unit_correlations`, :func:`best_units` - Pearson's r between every unit's ``h``
  and ``c`` and every per-character feature (:mod:`helpers.source_code`), and the unit
  that tracks each feature best;
* :func:`gate_saturation` - the fraction of steps each unit's gates spend below 0.1 and
  above 0.9;
* :func:`colored_html`, :func:`plot_colored_text` - text coloured by one unit's activation;
* :func:`analyze_charlm` - all of it for a model trained with ``python -m helpers.charlm``.

Source: Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding Recurrent
Networks" (sections 4.2 and 4.3: interpretable cells, gate saturation).
"""

from __future__ import annotations

import html
from typing import NamedTuple

import numpy as np

from helpers.checks import ids_in_range, positive_int

__all__ = ["States", "analyze_charlm", "best_units", "colored_html", "gate_saturation",
           "lstm_states", "plot_colored_text", "unit_correlations"]


_ROWS_AT_ONCE = 16   # rows per NumPy pass: bounds the memory the per-step records take


class States(NamedTuple):
    """Per character of the text, ``(n, units)`` float32 arrays: ``h``, ``c`` and the gates
    ``i``, ``f``, ``o`` after reading it (None for those not kept); ``nats``, ``(n,)``:
    ``-log p(next character)`` (NaN at the last character, which has no next one, and
    everywhere for a layer below the last)."""

    h: np.ndarray
    c: np.ndarray
    i: np.ndarray
    f: np.ndarray
    o: np.ndarray
    nats: np.ndarray


def lstm_states(model, ids, *, row_length: int = 1000, warmup: int = 200,
                layer: int = 1, keep: str = "hcifo") -> States:
    """Every step's states of ``model``'s LSTM layer ``layer`` over the token ids ``ids``.

    The text is cut into rows of ``row_length`` characters computed side by side as one
    batch; each row first reads the ``warmup`` characters before it (their steps are
    dropped), so every character after the first ``warmup`` is read with at least that much
    context. For notebook 11's model (trained on 100-character windows), warm-ups of 200
    and 1,000 characters and one unbroken pass over 40,000 characters gave the same mean
    loss to 1e-6 nats/char. The loss of the next character comes from the model's own
    output layer.

    Args:
        model: a :func:`helpers.language_model.build_model` model.
        ids: 1-D token ids, ``(n,)``.
        keep: which states to return, of ``"hcifo"``; the others are None (five
            ``(n, units)`` float32 arrays take ``20 * n * units`` bytes). ``nats`` is always
            computed when ``layer`` is the last LSTM layer (else it is all NaN).

    Returns:
        :class:`States`, each ``(n, units)`` (``nats`` ``(n,)``).

    Raises:
        ValueError: ``model`` is not a ``build_model`` model, ``layer`` is not one of its
            LSTM layers, ``warmup`` is negative, or ``ids`` is not 1-D ids in range.
    """
    from helpers.language_model import lstm_layers, token_nats
    from helpers.numpy_rnn import lstm_forward

    lstms = lstm_layers(model)
    layer = positive_int("layer", layer, "Layers count from 1 (lstm_1).")
    if layer > len(lstms):
        raise ValueError(f"layer must be 1..{len(lstms)} (the model's LSTM layers); got "
                         f"{layer}.")
    row_length = positive_int("row_length", row_length, "Use e.g. 1000.")
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be an integer >= 0 (characters read before each row); "
                         f"got {warmup!r}.")
    ids = np.asarray(ids)
    if ids.ndim != 1 or not len(ids):
        raise ValueError(f"ids must be 1-D token ids; got shape {ids.shape}.")
    vocab_size = model.output_shape[-1]
    ids = ids_in_range("ids", ids, vocab_size, "the model's vocabulary")
    x = model.get_layer("embedding").get_weights()[0][ids].astype(np.float32)
    weights = [[np.asarray(w, np.float32) for w in lstm.get_weights()] for lstm in lstms]
    if not set(keep) <= set("hcifo"):
        raise ValueError(f"keep must be letters of 'hcifo'; got {keep!r}.")
    dense = model.get_layer("logits").get_weights() if layer == len(lstms) else None
    kept = {name: [] for name in "hcifo" if name in keep}
    nats = np.full(len(ids), np.nan)
    starts = np.arange(0, len(ids), row_length)
    for group in np.array_split(starts, max(1, len(starts) // _ROWS_AT_ONCE)):
        los = np.maximum(0, group - warmup)
        batch = np.zeros((len(group), row_length + warmup, x.shape[1]), np.float32)
        for k, lo in enumerate(los):
            part = x[lo:group[k] + row_length]
            batch[k, :len(part)] = part
        for kernel, recurrent, bias in weights[:layer]:
            result = lstm_forward(batch, kernel, recurrent, bias)
            batch = result.outputs
        per_step = {"h": result.outputs, "c": result.cs, **result.gates}
        for k, (start, lo) in enumerate(zip(group, los, strict=True)):
            skip, n = start - lo, min(row_length, len(ids) - start)
            for name, parts in kept.items():
                parts.append(per_step[name][k, skip:skip + n])
            if dense is not None:
                end = min(start + n, len(ids) - 1)
                h = per_step["h"][k, skip:skip + end - start].astype(np.float64)
                nats[start:end] = token_nats(h @ dense[0] + dense[1], ids[start + 1:end + 1])
    states = {name: np.concatenate(kept[name]).astype(np.float32) if name in kept else None
              for name in "hcifo"}
    return States(**states, nats=nats)



def unit_correlations(states: dict[str, np.ndarray],
                      features: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Pearson's r of every unit of every state with every feature.

    Args:
        states: ``{"h": (n, units), "c": (n, units), ...}``.
        features: ``{name: (n,)}``, e.g. :func:`helpers.source_code.python_features`.

    Returns:
        ``{feature: {state: (units,) r}}``. A unit that never changes has r = 0 (it tracks
        nothing).

    Raises:
        ValueError: lengths differ, or a feature is constant (r is undefined; the message
            names it: use a longer text that varies).
    """
    out = {}
    standardized = {}
    for name, values in states.items():
        values = np.asarray(values, np.float64)
        if values.ndim != 2:
            raise ValueError(f"states[{name!r}] must be (n, units); got {values.shape}.")
        centred = values - values.mean(0)
        scale = np.sqrt((centred ** 2).mean(0))
        standardized[name] = centred / np.where(scale > 0, scale, np.inf)
    for feature, values in features.items():
        values = np.asarray(values, np.float64)
        for name, z in standardized.items():
            if len(values) != len(z):
                raise ValueError(f"features[{feature!r}] has {len(values)} values and "
                                 f"states[{name!r}] {len(z)} rows; give one per character.")
        spread = values.std()
        if not spread > 0:
            raise ValueError(f"features[{feature!r}] is constant ({values[0]!r}) over this "
                             "text, so no correlation is defined. Drop it or use a text "
                             "where it varies.")
        u = (values - values.mean()) / spread
        out[feature] = {name: u @ z / len(u) for name, z in standardized.items()}
    return out


def best_units(correlations: dict[str, dict[str, np.ndarray]]) -> list[dict]:
    """For each feature, the unit with the largest |r|: ``[{"feature", "state", "unit",
    "r"}, ...]`` in the features' order (``state`` is a key of the states correlated, e.g.
    ``"h"``; ``unit`` its index)."""
    rows = []
    for feature, by_state in correlations.items():
        state, unit = max(((s, int(np.argmax(np.abs(r)))) for s, r in by_state.items()),
                          key=lambda su: abs(by_state[su[0]][su[1]]))
        rows.append({"feature": feature, "state": state, "unit": unit,
                     "r": float(by_state[state][unit])})
    return rows


def gate_saturation(gates: dict[str, np.ndarray], low: float = 0.1,
                    high: float = 0.9) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each gate, each unit's fraction of steps below ``low`` ("left-saturated") and
    above ``high`` ("right-saturated"): ``{gate: (below (units,), above (units,))}``.

    Raises:
        ValueError: not ``0 <= low < high <= 1``.
    """
    if not 0 <= low < high <= 1:
        raise ValueError(f"low and high must satisfy 0 <= low < high <= 1; got low={low}, "
                         f"high={high}.")
    return {name: ((np.asarray(g) < low).mean(0), (np.asarray(g) > high).mean(0))
            for name, g in gates.items()}


def _colors(values, vmax):
    from matplotlib import colormaps

    values = np.asarray(values, np.float64)
    scale = vmax if vmax is not None else max(float(np.abs(values).max()), 1e-12)
    return colormaps["coolwarm"]((np.clip(values / scale, -1, 1) + 1) / 2)


def _check_pair(text, values):
    values = np.asarray(values)
    if not isinstance(text, str) or values.shape != (len(text),):
        raise ValueError(f"values must hold one number per character of text "
                         f"({len(text) if isinstance(text, str) else text!r}); got shape "
                         f"{values.shape}.")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must be finite; got NaN or infinity.")
    return values


def colored_html(text: str, values, *, vmax: float | None = None) -> str:
    """``text`` as HTML, each character's background coloured by its value: blue for
    negative, white for 0, red for positive, full colour at ``|value| >= vmax`` (default
    the largest |value|). Newlines stay line breaks; the text is HTML-escaped.

    Raises:
        ValueError: ``values`` does not have one finite number per character.
    """
    values = _check_pair(text, values)
    spans = []
    for ch, (r, g, b, _) in zip(text, _colors(values, vmax), strict=True):
        shown = "\n" if ch == "\n" else html.escape(ch)
        spans.append(f'<span style="background:rgb({r * 255:.0f},{g * 255:.0f},{b * 255:.0f})'
                     f'">{shown}</span>')
    return ('<pre style="font-family:monospace;line-height:1.25;color:black">'
            + "".join(spans) + "</pre>")


def plot_colored_text(ax, text: str, values, *, vmax: float | None = None,
                      fontsize: float = 9, strength: float = 0.55) -> None:
    """Draw ``text`` on ``ax`` in a character grid, each cell coloured as
    :func:`colored_html` colours it, in paler tones (``strength`` of the full colour, the rest
    white) so that the black characters stay readable on the strongest colours.

    Raises:
        ValueError: as :func:`colored_html`, or ``strength`` is not in (0, 1].
    """
    values = _check_pair(text, values)
    if not 0 < strength <= 1:
        raise ValueError(f"strength must be in (0, 1]; got {strength!r}.")
    lines = text.split("\n")
    width = max(len(line) for line in lines) + 1
    grid = np.ones((len(lines), width, 4))
    colors = _colors(values, vmax)
    colors[:, :3] = 1 - strength * (1 - colors[:, :3])
    k = 0
    for row, line in enumerate(lines):
        for col, ch in enumerate(line + "\n"):
            if k == len(text):
                break
            grid[row, col] = colors[k]
            if ch not in " \n":
                ax.text(col, row, ch, ha="center", va="center", family="monospace",
                        fontsize=fontsize)
            k += 1
    ax.imshow(grid, aspect="auto", interpolation="nearest")
    ax.set_axis_off()


def analyze_charlm(model_dir, text: str, *, max_chars: int = 50_000) -> tuple[list[dict],
                                                                             States]:
    """Find interpretable cells in a model trained by ``python -m helpers.charlm train``.

    Reads the model and vocabulary from ``model_dir``, runs :func:`lstm_states` over the
    first ``max_chars`` characters of ``text`` and correlates every unit's ``h`` and
    ``tanh(c)`` (the cell state as the output gate sees it, in [-1, 1]) with the features
    of :func:`helpers.source_code.python_features` when ``text`` is Python the tokenizer
    accepts, else with :func:`helpers.source_code.text_features`.
    Features constant over the text are left out.

    Returns:
        ``(best_units(...) rows, States)``.

    Raises:
        ValueError: ``text`` is empty or holds characters the model's vocabulary lacks.
        helpers.language_model.RunFolderError: ``model_dir`` holds no trained model, or a
            damaged one (a ``ValueError``; :func:`helpers.language_model.load_trained`).
    """
    from helpers.checks import known_symbols
    from helpers.language_model import load_trained
    from helpers.source_code import python_features, text_features

    max_chars = positive_int("max_chars", max_chars, "Use e.g. 50_000.")
    model, vocab = load_trained(model_dir)
    text = known_symbols("text", text, vocab.chars, "Use text like the model's training text.")
    try:                       # the whole text: a cut could fall inside a string literal
        features = python_features(text)
    except ValueError:
        features = text_features(text)
    text = text[:max_chars]
    states = lstm_states(model, vocab.encode(text), keep="hc")
    varying = {k: v[:len(text)] for k, v in features.items() if v[:len(text)].std() > 0}
    correlated = {"h": states.h, "tanh(c)": np.tanh(states.c)}
    return best_units(unit_correlations(correlated, varying)), states
