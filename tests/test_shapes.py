"""helpers.shapes: every predicted shape is what Keras returns."""

from __future__ import annotations

import pytest

from helpers.shapes import (
    LAYERS,
    MERGE_MODES,
    expected_output_shapes,
    format_shape_table,
    keras_output_shapes,
    shape_table,
)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_every_combination_matches_keras(layer):
    rows = shape_table(layers=(layer,), timesteps=6, features=3, units=5, batch_size=2,
                       stacked=(1, 3))
    assert len(rows) == 2 * 2 * (1 + len(MERGE_MODES)) * 2
    bad = [r for r in rows if not r["match"]]
    assert not bad, format_shape_table(bad)


def test_a_few_rules_spelled_out():
    lstm = dict(timesteps=7, features=3, units=4, batch_size=None)
    assert expected_output_shapes("LSTM", **lstm) == [(None, 4)]
    assert expected_output_shapes("LSTM", **lstm, return_sequences=True) == [(None, 7, 4)]
    assert expected_output_shapes("LSTM", **lstm, return_state=True) == [(None, 4)] * 3
    assert expected_output_shapes("GRU", **lstm, return_state=True) == [(None, 4)] * 2
    assert expected_output_shapes("LSTM", **lstm, bidirectional="concat",
                                  return_state=True) == [(None, 8)] + [(None, 4)] * 4
    assert expected_output_shapes("LSTM", **lstm, bidirectional=None,
                                  return_sequences=True) == [(None, 7, 4)] * 2


def test_units_one_and_timesteps_one():
    config = dict(timesteps=1, features=1, units=1, return_sequences=True, return_state=True,
                  bidirectional="concat", batch_size=1)
    assert expected_output_shapes("LSTM", **config) == keras_output_shapes("LSTM", **config)


def test_format_shape_table_reports_mismatches():
    rows = shape_table(layers=("GRU",), bidirectional=(False,), stacked=(1,))
    text = format_shape_table(rows)
    assert text.count("\n") == len(rows) + 1 and "MISMATCH" not in text
    rows[0]["match"], rows[0]["expected"] = False, [(9, 9)]
    assert "MISMATCH: expected [(9, 9)]" in format_shape_table(rows)


@pytest.mark.parametrize("kwargs, match", [
    (dict(layer="Lstm"), r"layer must be one of \['GRU', 'LSTM', 'SimpleRNN'\]; got 'Lstm'"),
    (dict(units=0), r"units must be a positive integer; got 0"),
    (dict(timesteps=2.0), r"timesteps must be a positive integer; got 2.0"),
    (dict(bidirectional="concatenate"), r"bidirectional must be False .* got 'concatenate'"),
    (dict(bidirectional=True), r"bidirectional must be False"),
    (dict(batch_size=0),
     r"batch_size must be a positive integer; got 0. Use None for a batch of any size."),
])
def test_bad_arguments(kwargs, match):
    config = dict(layer="LSTM", timesteps=3, features=2, units=4) | kwargs
    layer = config.pop("layer")
    with pytest.raises(ValueError, match=match):
        expected_output_shapes(layer, **config)
