"""Diagrams drawn in code (matplotlib), so they can be re-drawn, restyled and diffed."""

from __future__ import annotations

from itertools import pairwise

__all__ = ["draw_lstm_cell", "draw_unrolled", "label_points"]

_GATE_COLORS = {"f": "#d62728", "i": "#2ca02c", "g": "#9467bd", "o": "#1f77b4"}


def draw_lstm_cell(ax=None):
    """Draw one LSTM step: gates i, f, g (candidate), o; cell state c; hidden state h.

    The layout follows the equations of :func:`helpers.numpy_rnn.lstm_forward`:
    ``c_t = f * c_{t-1} + i * g`` along the top line, ``h_t = o * tanh(c_t)`` on the right;
    all four gates read the same ``[h_{t-1}, x_t]``.

    Args:
        ax: matplotlib Axes to draw on; default a new 9 x 4.6 inch figure.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.6))
    ax.set_xlim(-0.3, 11.3)
    ax.set_ylim(-0.7, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")

    def arrow(points, color="0.25", lw=1.6, head=True):
        for (x0, y0), (x1, y1) in pairwise(points[:-1]):  # plain segments; the last gets a head
            ax.plot([x0, x1], [y0, y1], color=color, lw=lw, solid_capstyle="round")
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], color=color, lw=lw,
                                     arrowstyle="-|>" if head else "-", mutation_scale=12,
                                     shrinkA=0, shrinkB=0))

    def op(x, y, symbol, color="0.2"):
        ax.add_patch(Circle((x, y), 0.28, facecolor="white", edgecolor=color, lw=1.6, zorder=3))
        ax.text(x, y, symbol, ha="center", va="center", fontsize=13, zorder=4, color=color)

    def box(x, y, label, color, sub):
        ax.add_patch(FancyBboxPatch((x - 0.42, y - 0.3), 0.84, 0.6,
                                    boxstyle="round,pad=0.02,rounding_size=0.12",
                                    facecolor=color, edgecolor="none", alpha=0.9, zorder=3))
        ax.text(x, y, label, ha="center", va="center", color="white", fontsize=11,
                fontweight="bold", zorder=4)
        ax.text(x, y - 0.45, sub, ha="center", va="top", fontsize=8.5, color=color, zorder=4,
                bbox={"facecolor": "#f7f7f2", "edgecolor": "none", "pad": 1.0})

    # the cell boundary
    ax.add_patch(FancyBboxPatch((1.2, 0.3), 8.3, 5.4, boxstyle="round,pad=0.05,rounding_size=0.4",
                                facecolor="#f7f7f2", edgecolor="0.6", lw=1.2, zorder=0))

    # gate positions: forget, input, candidate, output; the i*g product and the + above it
    x_f, x_i, x_g, x_o, x_ig = 2.8, 4.0, 5.5, 7.0, 4.75

    # cell state line: c_{t-1} -> x f -> + i*g -> c_t
    y_c = 5.0
    arrow([(0.0, y_c), (x_f - 0.28, y_c)], lw=2.4)
    op(x_f, y_c, "×", _GATE_COLORS["f"])
    arrow([(x_f + 0.28, y_c), (x_ig - 0.28, y_c)], lw=2.4)
    op(x_ig, y_c, "+")
    arrow([(x_ig + 0.28, y_c), (11.0, y_c)], lw=2.4)
    ax.text(0.0, y_c + 0.3, r"$c_{t-1}$", fontsize=12)
    ax.text(10.5, y_c + 0.3, r"$c_t$", fontsize=12)

    # the shared input bus [h_{t-1}, x_t]
    y_bus = 1.3
    arrow([(0.0, 0.9), (1.7, 0.9), (1.7, y_bus)], head=False)
    arrow([(1.7, -0.5), (1.7, y_bus)], head=False)
    ax.text(0.0, 0.5, r"$h_{t-1}$", fontsize=12)
    ax.text(1.85, -0.55, r"$x_t$", fontsize=12)
    ax.plot([1.7, x_o], [y_bus, y_bus], color="0.25", lw=1.6)
    ax.text(4.4, y_bus - 0.45, r"$[h_{t-1}, x_t]$ feeds every gate", ha="center", fontsize=9,
            color="0.3")

    # gates: f, i, g, o
    y_gate = 2.6
    gates = [(x_f, "σ", "f", "forget"), (x_i, "σ", "i", "input"), (x_g, "tanh", "g", "candidate"),
             (x_o, "σ", "o", "output")]
    for x, label, key, name in gates:
        arrow([(x, y_bus), (x, y_gate - 0.3)])
        box(x, y_gate, label, _GATE_COLORS[key], f"{key}: {name}")

    arrow([(x_f, y_gate + 0.3), (x_f, y_c - 0.28)], color=_GATE_COLORS["f"])        # f -> x
    op(x_ig, 3.9, "×", _GATE_COLORS["i"])                                            # i * g
    arrow([(x_i, y_gate + 0.3), (x_i, 3.9), (x_ig - 0.28, 3.9)], color=_GATE_COLORS["i"])
    arrow([(x_g, y_gate + 0.3), (x_g, 3.9), (x_ig + 0.28, 3.9)], color=_GATE_COLORS["g"])
    arrow([(x_ig, 3.9 + 0.28), (x_ig, y_c - 0.28)], color=_GATE_COLORS["i"])

    # output: h_t = o * tanh(c_t)
    x_out = 8.3
    arrow([(x_out, y_c), (x_out, 4.15)])
    ax.add_patch(FancyBboxPatch((x_out - 0.42, 3.55), 0.84, 0.55,
                                boxstyle="round,pad=0.02,rounding_size=0.25",
                                facecolor="white", edgecolor="0.3", zorder=3))
    ax.text(x_out, 3.82, "tanh", ha="center", va="center", fontsize=10, zorder=4)
    op(x_out, y_gate, "×", _GATE_COLORS["o"])
    arrow([(x_out, 3.55), (x_out, y_gate + 0.28)])
    arrow([(x_o + 0.42, y_gate), (x_out - 0.28, y_gate)], color=_GATE_COLORS["o"])
    arrow([(x_out, y_gate - 0.28), (x_out, 0.9), (11.0, 0.9)], lw=2.0)
    arrow([(10.0, 0.9), (10.0, 3.8)], lw=1.2, color="0.45")
    ax.text(10.5, 0.5, r"$h_t$", fontsize=12)
    ax.text(9.75, 3.95, "output", fontsize=9, color="0.35")

    ax.text(6.6, -0.6, r"$c_t = f \odot c_{t-1} + i \odot g$      $h_t = o \odot \tanh(c_t)$",
            ha="center", fontsize=10.5)
    return ax


def draw_unrolled(timesteps: int = 4, ax=None):
    """Draw an LSTM layer unrolled over ``timesteps`` steps: the same cell (one set of weights
    ``W, U, b``) applied once per step, passing ``h`` and ``c`` to the right.

    The boxes are not ``timesteps`` cells: they are one cell called ``timesteps`` times;
    ``units`` is the width of the arrows (``h`` and ``c``), not the number of boxes.

    Args:
        timesteps: how many steps to draw (1 to 12).
        ax: matplotlib Axes to draw on; default a new figure.

    Returns:
        The Axes.

    Raises:
        ValueError: ``timesteps`` is not an integer from 1 to 12.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from helpers.checks import positive_int

    timesteps = positive_int("timesteps", timesteps, "Draw 1 to 12 steps.", at_most=12)
    if ax is None:
        _, ax = plt.subplots(figsize=(2.3 * timesteps + 1.2, 3.2))
    ax.set_xlim(-0.9, 2.3 * timesteps + 0.2)
    ax.set_ylim(-1.3, 2.4)
    ax.set_axis_off()

    def arrow(start, end, text="", where=(0, 0)):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                     color="0.25", lw=1.4))
        if text:
            ax.text(*where, text, ha="center", va="center", fontsize=11)

    for t in range(timesteps):
        x = 2.3 * t
        ax.add_patch(FancyBboxPatch((x, 0), 1.4, 1.1, boxstyle="round,pad=0.05",
                                    facecolor="#dbe9f6", edgecolor="#1f77b4", lw=1.6))
        ax.text(x + 0.7, 0.72, "LSTM cell", ha="center", fontsize=11)
        ax.text(x + 0.7, 0.3, "W, U, b", ha="center", fontsize=10, color="#1f77b4")
        arrow((x + 0.7, -1.0), (x + 0.7, -0.05), f"$x_{t + 1}$", (x + 0.98, -0.75))
        arrow((x + 0.7, 1.15), (x + 0.7, 1.95), f"$h_{t + 1}$", (x + 1.0, 1.75))
        arrow((x - 0.85, 0.55), (x - 0.05, 0.55), "$h, c$" if t else "$h_0, c_0$",
              (x - 0.45, 0.85))
    ax.set_title(f"One cell applied {timesteps} times with the same weights, not {timesteps} "
                 "cells", fontsize=11)
    return ax


def label_points(ax, xy, labels, *, fontsize: float = 8,
                 offsets=((3, 2), (3, -9), (-3, 2), (-3, -9))) -> list[str]:
    """Write each label beside its point where it overlaps no label written before it.

    A scatter plot's own labels overlap wherever points crowd; this tries, for each label in
    the order given (put the important ones first), a few positions around its point (in
    points, right and above first) and keeps the first that overlaps nothing already written.

    Args:
        ax: a matplotlib ``Axes`` whose data (and limits) are final.
        xy: ``(n, 2)`` data coordinates of the points.
        labels: ``n`` strings.
        fontsize: in points.
        offsets: candidate ``(dx, dy)`` offsets from the point, in points.

    Returns:
        The labels left out because every position overlapped (say so in the figure or
        text that shows it).

    Raises:
        ValueError: ``xy`` and ``labels`` differ in length.
    """
    if len(xy) != len(labels):
        raise ValueError(f"xy has {len(xy)} points but labels has {len(labels)} strings; give "
                         "one label per point.")
    ax.autoscale_view()
    renderer = ax.figure.canvas.get_renderer()
    placed, left_out = [], []
    for (x, y), text in zip(xy, labels, strict=True):
        for dx, dy in offsets:
            note = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                               fontsize=fontsize, ha="left" if dx >= 0 else "right")
            box = note.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            note.remove()
        else:
            left_out.append(text)
    return left_out
