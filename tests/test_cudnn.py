"""helpers.cudnn against the conditions Keras 3's own source applies."""

from __future__ import annotations

import importlib
import itertools

import keras
import numpy as np
import pytest

from helpers.cudnn import cudnn_conditions, mask_is_cudnn_compatible

# the module itself (the package's `rnn` attribute is a function of the same name)
tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

OPTIONS = {"activation": ["tanh", "relu"], "recurrent_activation": ["sigmoid", "hard_sigmoid"],
           "unroll": [False, True], "use_bias": [True, False]}


@pytest.mark.parametrize("values", list(itertools.product(*OPTIONS.values())), ids=str)
@pytest.mark.parametrize("cls", [keras.layers.LSTM, keras.layers.GRU])
def test_layer_conditions_agree_with_keras_source(cls, values):
    options = dict(zip(OPTIONS, values, strict=True))
    layer = cls(4, **options)
    cell = layer.cell
    if cls is keras.layers.LSTM:
        expected = tf_rnn._do_lstm_arguments_support_cudnn(
            cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias)
    else:
        expected = tf_rnn._do_gru_arguments_support_cudnn(
            cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias,
            cell.reset_after)
    assert all(cudnn_conditions(layer).values()) == bool(expected)


def test_recurrent_dropout_reset_after_and_use_cudnn_each_turn_it_off():
    assert all(cudnn_conditions(keras.layers.LSTM(4)).values())
    for layer, failing in [(keras.layers.LSTM(4, recurrent_dropout=0.1), "recurrent_dropout == 0"),
                           (keras.layers.LSTM(4, dropout=0.5, use_cudnn=False),
                            "use_cudnn is not False"),
                           (keras.layers.GRU(4, reset_after=False), "reset_after")]:
        conditions = cudnn_conditions(layer)
        assert [name for name, met in conditions.items() if not met] == [failing]
    assert all(cudnn_conditions(keras.layers.LSTM(4, dropout=0.5)).values())  # input dropout ok


def test_other_layers_are_refused():
    with pytest.raises(TypeError, match=r"layer must be a keras.layers.LSTM or keras.layers.GRU; "
                                        r"got SimpleRNN"):
        cudnn_conditions(keras.layers.SimpleRNN(4))


@pytest.mark.parametrize("mask, ok", [
    ([[1, 1, 0], [1, 1, 1]], True),          # right-padded
    ([[0, 1, 1], [1, 1, 1]], False),         # left-padded (pad_sequences' default)
    ([[1, 0, 1]], False),                    # a hole
    ([[0, 0, 0], [1, 0, 0]], False),         # a fully masked row
])
def test_mask_rule_agrees_with_keras_source(mask, ok):
    import tensorflow as tf

    assert mask_is_cudnn_compatible(mask) is ok
    tensor = tf.constant(np.asarray(mask, bool))
    keras_ok = bool(tf_rnn._is_sequence_right_padded(tensor)) and not bool(
        tf_rnn._has_fully_masked_sequence(tensor))
    assert keras_ok is ok


def test_mask_must_be_2d():
    with pytest.raises(ValueError, match=r"mask must be 2-D \(batch, timesteps\); got "
                                         r"shape \(3,\)"):
        mask_is_cudnn_compatible([1, 1, 0])
