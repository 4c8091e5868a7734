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
