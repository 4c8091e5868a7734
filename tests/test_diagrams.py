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
