"""helpers.diagrams: the figure is drawn without error and labels every gate."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from helpers.diagrams import draw_lstm_cell


def test_draw_lstm_cell_labels_the_gates_and_states():
    ax = draw_lstm_cell()
    texts = " ".join(t.get_text() for t in ax.texts)
    for label in ("f: forget", "i: input", "g: candidate", "o: output", "c_{t-1}", "h_{t-1}",
                  "x_t", "tanh"):
        assert label in texts, label
    assert len(ax.patches) > 15
    plt.close(ax.figure)


def test_the_unrolled_layer_is_one_cell_with_the_same_weights_per_step():
    import matplotlib

    matplotlib.use("Agg")
    import pytest

    from helpers.diagrams import draw_unrolled

    ax = draw_unrolled(3)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("LSTM cell") == 3 and texts.count("W, U, b") == 3   # same weights
    assert {"$x_1$", "$x_3$", "$h_3$", "$h_0, c_0$"} <= set(texts)
    assert "not 3 cells" in ax.get_title()
    with pytest.raises(ValueError, match="timesteps must be a positive integer of at most 12"):
        draw_unrolled(13)


def test_label_points_writes_no_two_labels_over_each_other_and_says_what_it_left_out():
    import numpy as np
    import pytest

    from helpers.diagrams import label_points

    fig, ax = plt.subplots(figsize=(3, 2))
    crowd = np.array([[0.0, 0.0], [0.001, 0.0], [0.0, 0.001], [0.001, 0.001], [0.002, 0.0],
                      [1.0, 1.0]])
    ax.scatter(*crowd.T)
    names = ["alpha", "bravo", "charlie", "delta", "echo", "far"]
    left_out = label_points(ax, crowd, names)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(ax.texts) + len(left_out) == len(names)
    assert "far" not in left_out and "alpha" not in left_out and left_out   # 4 places, 5 names
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    with pytest.raises(ValueError, match="one label per point"):
        label_points(ax, crowd, names[:2])
    plt.close(fig)
