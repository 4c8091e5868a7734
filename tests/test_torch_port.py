"""helpers.torch_port: weights copied between Keras and PyTorch give the same outputs and final
states (float32, within 1e-5), both ways, for LSTM and GRU, stacked and bidirectional, and for
a whole language model, in memory and through files."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from helpers.language_model import build_model  # noqa: E402
from helpers.torch_port import (  # noqa: E402
    keras_file_to_state_dict,
    keras_layers_for,
    keras_to_torch,
    language_model_from_torch,
    language_model_to_torch,
    state_dict_file_to_keras,
    torch_language_model,
    torch_rnn_for,
    torch_to_keras,
)

TOLERANCE = 1e-5
# (kind, features, units, num_layers, bidirectional, batch, timesteps, use_bias): random-looking
# sizes, kept small so the suite stays fast
CASES = [
    ("LSTM", 5, 3, 1, False, 4, 7, True),
    ("LSTM", 3, 8, 2, False, 2, 11, True),
    ("LSTM", 6, 4, 3, True, 3, 5, True),
    ("LSTM", 2, 5, 1, True, 1, 9, False),
    ("GRU", 4, 6, 1, False, 3, 8, True),
    ("GRU", 7, 3, 2, True, 2, 6, True),
    ("GRU", 3, 5, 2, False, 5, 4, False),
]
IDS = [f"{c[0]}-{c[1]}f-{c[2]}u-{c[3]}layers-{'bi' if c[4] else 'uni'}"
       f"{'' if c[7] else '-nobias'}" for c in CASES]


def keras_stack(kind, features, units, num_layers, bidirectional, use_bias, seed):
    """Built Keras layers (last one returns its state) with random, non-zero biases."""
    keras.utils.set_random_seed(seed)
    layer_type = getattr(keras.layers, kind)
    layers, width = [], features
    for k in range(num_layers):
        layer = layer_type(units, return_sequences=True, return_state=k == num_layers - 1,
                           use_bias=use_bias)
        if bidirectional:
            layer = keras.layers.Bidirectional(layer)
        layer.build((None, None, width))
        cells = [layer.forward_layer, layer.backward_layer] if bidirectional else [layer]
        for cell in cells:  # biases start at 0 or 1 in Keras: make them random to test them
            cell.set_weights([w + np.random.default_rng(seed + k).normal(0, 0.3, w.shape)
                              .astype("float32") for w in cell.get_weights()])
        layers.append(layer)
        width = units * (2 if bidirectional else 1)
    return layers


def run_keras(layers, x):
    """(outputs, h_n, c_n or None) in torch's layout: h_n is (layers * directions, batch,
    units), one row per layer and direction, forward first."""
    h_rows, c_rows = [], []
    for layer in layers[:-1]:
        x = layer(x)
    results = layers[-1](x)
    outputs, states = results[0], [np.asarray(s) for s in results[1:]]
    per_direction = len(states) // (2 if isinstance(layers[-1], keras.layers.Bidirectional)
                                    else 1)
    for start in range(0, len(states), per_direction):
        h_rows.append(states[start])
        if per_direction == 2:
            c_rows.append(states[start + 1])
    return np.asarray(outputs), np.stack(h_rows), (np.stack(c_rows) if c_rows else None)


def run_torch(module, x):
    with torch.no_grad():
        outputs, state = module(torch.from_numpy(x))
    if isinstance(state, tuple):
        h_n, c_n = state
        return outputs.numpy(), h_n.numpy(), c_n.numpy()
    return outputs.numpy(), state.numpy(), None


def last_layer_rows(array, num_layers, bidirectional):
    directions = 2 if bidirectional else 1
    return array[(num_layers - 1) * directions:]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_keras_to_torch_gives_the_same_outputs_and_final_states(case):
    kind, features, units, num_layers, bidirectional, batch, timesteps, use_bias = case
    layers = keras_stack(kind, features, units, num_layers, bidirectional, use_bias, seed=1)
    module = torch_rnn_for(layers)
    x = np.random.default_rng(2).normal(size=(batch, timesteps, features)).astype("float32")
    outputs, h_n, c_n = run_keras(layers, x)
    torch_outputs, torch_h, torch_c = run_torch(module, x)
    np.testing.assert_allclose(torch_outputs, outputs, atol=TOLERANCE)
    np.testing.assert_allclose(last_layer_rows(torch_h, num_layers, bidirectional), h_n,
                               atol=TOLERANCE)
    if kind == "LSTM":
        np.testing.assert_allclose(last_layer_rows(torch_c, num_layers, bidirectional), c_n,
                                   atol=TOLERANCE)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_torch_to_keras_gives_the_same_outputs_and_final_states(case):
    kind, features, units, num_layers, bidirectional, batch, timesteps, use_bias = case
    torch.manual_seed(3)
    module = getattr(torch.nn, kind)(features, units, num_layers=num_layers, bias=use_bias,
                                     bidirectional=bidirectional, batch_first=True)
    layers = keras_layers_for(module, return_state=True)
    x = np.random.default_rng(4).normal(size=(batch, timesteps, features)).astype("float32")
    outputs, h_n, c_n = run_keras(layers, x)
    torch_outputs, torch_h, torch_c = run_torch(module, x)
    np.testing.assert_allclose(outputs, torch_outputs, atol=TOLERANCE)
    np.testing.assert_allclose(h_n, last_layer_rows(torch_h, num_layers, bidirectional),
                               atol=TOLERANCE)
    if kind == "LSTM":
        np.testing.assert_allclose(c_n, last_layer_rows(torch_c, num_layers, bidirectional),
                                   atol=TOLERANCE)


def test_a_round_trip_returns_the_same_weights_and_time_major_input_works():
    layers = keras_stack("LSTM", 4, 6, 2, False, True, seed=5)
    before = [w.copy() for layer in layers for w in layer.get_weights()]
    module = torch_rnn_for(layers, batch_first=False)
    for layer in layers:  # scramble, then copy back from torch
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    torch_to_keras(module, layers)
    after = [w for layer in layers for w in layer.get_weights()]
    for a, b in zip(before, after, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    x = np.random.default_rng(6).normal(size=(3, 5, 4)).astype("float32")
    time_major, _, _ = run_torch(module, np.ascontiguousarray(x.transpose(1, 0, 2)))
    np.testing.assert_allclose(time_major.transpose(1, 0, 2), run_keras(layers, x)[0],
                               atol=TOLERANCE)


def test_an_lstm_keeps_the_sum_of_torchs_two_biases():
    torch.manual_seed(7)
    module = torch.nn.LSTM(3, 4, batch_first=True)
    (layer,) = keras_layers_for(module)
    expected = (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy()
    np.testing.assert_allclose(layer.get_weights()[2], expected, atol=1e-7)


def test_language_model_ports_both_ways_with_the_same_logits(tmp_path):
    keras.utils.set_random_seed(8)
    model = build_model(11, units=6, layers=2, embedding_dim=5)
    ids = np.random.default_rng(9).integers(0, 11, size=(3, 13))
    keras_logits = np.asarray(model(ids))
    twin = language_model_to_torch(model)
    with torch.no_grad():
        torch_logits, (h_n, c_n) = twin(torch.from_numpy(ids))
    np.testing.assert_allclose(torch_logits.numpy(), keras_logits, atol=TOLERANCE)
    assert tuple(h_n.shape) == tuple(c_n.shape) == (2, 3, 6)
    back = language_model_from_torch(twin)
    np.testing.assert_allclose(np.asarray(back(ids)), keras_logits, atol=TOLERANCE)
    assert {"embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l1", "logits.weight",
            "logits.bias"} <= set(twin.state_dict())

    model.save(tmp_path / "model.keras")
    keras_file_to_state_dict(tmp_path / "model.keras", tmp_path / "model.pt")
    reloaded = torch_language_model(11, units=6, layers=2, embedding_dim=5)
    reloaded.load_state_dict(torch.load(tmp_path / "model.pt", weights_only=True))
    with torch.no_grad():
        np.testing.assert_allclose(reloaded(torch.from_numpy(ids))[0].numpy(), keras_logits,
                                   atol=TOLERANCE)
    state_dict_file_to_keras(tmp_path / "model.pt", tmp_path / "again.keras")
    again = keras.saving.load_model(tmp_path / "again.keras", compile=False)
    np.testing.assert_allclose(np.asarray(again(ids)), keras_logits, atol=TOLERANCE)


def test_shapes_that_do_not_fit_are_refused_with_what_to_build():
    layers = keras_stack("LSTM", 4, 6, 1, False, True, seed=10)
    with pytest.raises(ValueError, match=r"expected \(num_layers, bidirectional, hidden_size, "
                       r"input_size, bias\) = \(1, False, 6, 4, True\); got \(1, False, 5, 4, "
                       r"True\)\. Build it as torch\.nn\.LSTM\(4, 6"):
        keras_to_torch(layers, torch.nn.LSTM(4, 5))
    with pytest.raises(ValueError, match=r"module must be a torch\.nn\.LSTM to match Keras LSTM "
                       r"layers; got GRU"):
        keras_to_torch(layers, torch.nn.GRU(4, 6))
    with pytest.raises(ValueError, match=r"got \(2, False, 6, 4, True\)"):
        torch_to_keras(torch.nn.LSTM(4, 6, num_layers=2), layers)
    with pytest.raises(ValueError, match="proj_size=2"):
        keras_layers_for(torch.nn.LSTM(4, 6, proj_size=2))


def test_layers_torch_cannot_compute_are_refused():
    gru = keras.layers.GRU(3, reset_after=False)
    gru.build((None, None, 2))
    with pytest.raises(ValueError, match="reset_after=False"):
        torch_rnn_for(gru)
    relu = keras.layers.LSTM(3, activation="relu")
    relu.build((None, None, 2))
    with pytest.raises(ValueError, match="activation='relu'"):
        torch_rnn_for(relu)
    summed = keras.layers.Bidirectional(keras.layers.LSTM(3), merge_mode="sum")
    summed.build((None, None, 2))
    with pytest.raises(ValueError, match="merge_mode='sum'"):
        torch_rnn_for(summed)
    with pytest.raises(ValueError, match="is not built"):
        torch_rnn_for(keras.layers.LSTM(3))
    with pytest.raises(ValueError, match=r"must be a keras\.layers\.LSTM or GRU"):
        torch_rnn_for(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="non-empty list"):
        torch_rnn_for([])


def test_language_model_errors_name_what_is_wrong(tmp_path):
    dense_only = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"must be a helpers\.language_model\.build_model"):
        language_model_to_torch(dense_only)
    with pytest.raises(ValueError, match="must have embedding"):
        language_model_from_torch(torch.nn.LSTM(2, 3))
    with pytest.raises(FileNotFoundError, match="keras_path: no file"):
        keras_file_to_state_dict(tmp_path / "missing.keras", tmp_path / "x.pt")
    torch.save({"weight": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="missing"):
        state_dict_file_to_keras(tmp_path / "other.pt", tmp_path / "x.keras")
    with pytest.raises(ValueError, match=r"must end in \.keras"):
        state_dict_file_to_keras(tmp_path / "other.pt", tmp_path / "x.h5")


@pytest.mark.parametrize("draw", range(6))
def test_random_sizes_port_both_ways(draw):
    """Sizes drawn at random (bounded: 1-8 features and units, 1-3 layers)."""
    rng = np.random.default_rng(100 + draw)
    kind = ["LSTM", "GRU"][rng.integers(2)]
    features, units = (int(v) for v in rng.integers(1, 9, size=2))
    num_layers, bidirectional = int(rng.integers(1, 4)), bool(rng.integers(2))
    use_bias = bool(rng.integers(2))
    layers = keras_stack(kind, features, units, num_layers, bidirectional, use_bias, seed=draw)
    x = rng.normal(size=(int(rng.integers(1, 5)), int(rng.integers(1, 12)), features)
                   ).astype("float32")
    outputs, h_n, _ = run_keras(layers, x)
    module = torch_rnn_for(layers)
    torch_outputs, torch_h, _ = run_torch(module, x)
    np.testing.assert_allclose(torch_outputs, outputs, atol=TOLERANCE)
    np.testing.assert_allclose(last_layer_rows(torch_h, num_layers, bidirectional), h_n,
                               atol=TOLERANCE)
    back = keras_layers_for(module, return_state=True)
    np.testing.assert_allclose(run_keras(back, x)[0], torch_outputs, atol=TOLERANCE)
