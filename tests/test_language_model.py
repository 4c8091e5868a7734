"""helpers.language_model: the model, next-token windows, generation, scores."""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest

from helpers.data import CharVocab
from helpers.language_model import (
    BatchStream,
    build_model,
    generator_from,
    load_npz,
    next_token_scores,
    predict_in_chunks,
    ranked_scores,
    sample,
    sample_batch,
    save_npz,
    windows,
    windows_dataset,
)

TEXT = "the cat sat on the mat; the dog sat on the log. " * 20


def test_model_maps_ids_to_next_token_logits_at_every_position():
    model = build_model(7, units=4, layers=2, embedding_dim=3, timesteps=5)
    assert model.input_shape == (None, 5) and model.output_shape == (None, 5, 7)
    assert [layer.name for layer in model.layers] == ["ids", "embedding", "lstm_1", "lstm_2",
                                                      "logits"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(vocab_size=0), "vocab_size must be a positive integer; got 0. Pass len(vocab)."),
    (dict(vocab_size=5, units=2.0), "units must be a positive integer; got 2.0 (float)."),
    (dict(vocab_size=5, timesteps=0),
     "timesteps must be a positive integer; got 0. Use None for any length."),
    (dict(vocab_size=5, stateful=True), "stateful=True needs a fixed batch_size; got None. "
     "Pass e.g. batch_size=1 to generate one sequence."),
])
def test_build_model_names_the_bad_argument(kwargs, message):
    with pytest.raises(ValueError) as info:
        build_model(**kwargs)
    assert str(info.value) == message


def test_windows_are_next_token_pairs_and_drop_the_incomplete_last_window():
    x, y = windows(np.arange(23), timesteps=4)              # 4 windows of 5; 3 ids left over
    assert x.shape == y.shape == (4, 4)
    np.testing.assert_array_equal(x[1], [5, 6, 7, 8])
    np.testing.assert_array_equal(y[1], [6, 7, 8, 9])
    with pytest.raises(ValueError, match=r"^ids must be 1-D .* got shape \(2, 3\)\. Pass "):
        windows(np.zeros((2, 3), int), timesteps=2)
    with pytest.raises(ValueError, match=r"^timesteps must be a positive integer; got 0\."):
        windows(np.arange(10), timesteps=0)


def test_windows_dataset_batches_shuffles_each_pass_and_does_not_autotune():
    ids = np.arange(100, dtype=np.int32)
    ds = windows_dataset(ids, timesteps=4, batch_size=8, shuffle=True, seed=0)
    first, second = (np.concatenate([x.numpy()[:, 0] for x, _ in ds]) for _ in range(2))
    assert first.shape == (16,)                     # 20 windows of 5, 2 full batches of 8
    assert not np.array_equal(first, second)        # a new order each pass
    x, y = next(iter(ds))
    np.testing.assert_array_equal(x.numpy()[:, 1:], y.numpy()[:, :-1])
    # Autotuning made every fit() wait 2-36 s for tf.data's autotuner thread on return.
    assert ds.options().autotune.enabled is False
    every = windows_dataset(ids, 4, 8, shuffle=False, drop_remainder=False)
    assert [len(x) for x, _ in every] == [8, 8, 4]  # evaluation: every window counts


def test_batch_stream_covers_each_window_once_a_pass_and_can_start_anywhere():
    ids = np.arange(100, dtype=np.int32)
    stream = BatchStream(ids, timesteps=4, batch_size=8, seed=1)
    assert stream.batches_per_pass == 2                  # 20 windows of 5, 2 full batches
    first_pass = np.concatenate([stream.batch(step)[0][:, 0] for step in range(2)])
    assert len(set(first_pass)) == 16 and set(first_pass) <= set(range(0, 100, 5))
    second_pass = np.concatenate([stream.batch(step)[0][:, 0] for step in range(2, 4)])
    assert not np.array_equal(first_pass, second_pass)   # a new order each pass
    x, y = stream.batch(3)
    assert x.dtype == np.int32 and x.shape == y.shape == (8, 4)
    np.testing.assert_array_equal(x[:, 1:], y[:, :-1])
    # any step's batch is known without the steps before it: a resumed run continues
    again = BatchStream(ids, 4, 8, seed=1)
    resumed = again.batches(start=3)
    np.testing.assert_array_equal(next(resumed)[0], x)
    assert not np.array_equal(BatchStream(ids, 4, 8, seed=2).batch(0)[0], stream.batch(0)[0])
    with pytest.raises(ValueError, match=r"^ids hold 20 windows of timesteps \+ 1 = 5 ids, "
                                         r"fewer than one batch of batch_size 32"):
        BatchStream(ids, 4, 32)


def test_batch_stream_feeds_fit_its_batches_in_order_from_any_step_on_this_backend():
    ids = np.random.default_rng(0).integers(0, 10, 200)
    stream = BatchStream(ids, 4, 8)                      # 40 windows: 5 batches a pass

    def fresh_model():
        keras.utils.set_random_seed(0)
        model = build_model(10, units=4, embedding_dim=3, timesteps=4)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    fitted = fresh_model()
    fitted.fit(stream.for_fit(start=2), epochs=2, steps_per_epoch=3, verbose=0, shuffle=False)
    by_hand = fresh_model()
    for step in range(2, 8):                             # batches 2..7, into a second pass
        by_hand.train_on_batch(*stream.batch(step))
    for a, b in zip(fitted.get_weights(), by_hand.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    shuffled = fresh_model()
    for step in (3, 2, 4, 5, 6, 7):                      # the same batches, another order
        shuffled.train_on_batch(*stream.batch(step))
    assert not np.allclose(shuffled.get_weights()[1], by_hand.get_weights()[1], atol=1e-6)


def test_dropout_adds_a_layer_only_when_asked_and_checks_its_value():
    names = [layer.name for layer in build_model(9, units=4, layers=2, dropout=0.3).layers]
    assert names[2:5] == ["lstm_1", "dropout_1", "lstm_2"]
    assert not any("dropout" in layer.name for layer in build_model(9, units=4).layers)
    with pytest.raises(ValueError, match=r"^dropout must be a fraction in \[0, 1\); got 1.0"):
        build_model(9, dropout=1.0)


def test_generator_carries_state_one_token_at_a_time():
    keras.utils.set_random_seed(0)
    model = build_model(9, units=6, layers=2, embedding_dim=4)
    gen = generator_from(model)
    ids = np.random.default_rng(0).integers(0, 9, 12)
    stepwise = np.concatenate([np.asarray(gen(ids[None, t:t + 1])) for t in range(12)], axis=1)
    np.testing.assert_allclose(stepwise, np.asarray(model(ids[None])), atol=1e-5)
    with pytest.raises(ValueError, match=r"^model must be built by build_model\(\)"):
        generator_from(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))


def test_sample_is_reproducible_uses_the_vocabulary_and_checks_its_arguments():
    vocab = CharVocab(TEXT)
    keras.utils.set_random_seed(0)
    model = build_model(len(vocab), units=8, embedding_dim=4)
    gen = generator_from(model)
    a = sample(model, vocab, length=30, prime="the ", seed=3, generator=gen)
    b = sample(model, vocab, length=30, prime="the ", seed=3, generator=gen)
    assert a == b and len(a) == 30 and set(a) <= set(vocab.chars)
    assert sample(model, vocab, length=30, prime="the ", seed=4, generator=gen) != a
    for kwargs, message in [
        (dict(prime="the zebra"), "prime holds characters the model never saw: 'brz'. "
                                  "Use characters of the training text."),
        (dict(prime=""), "prime must hold at least one character; got ''. "
                         "Use characters of the training text."),
        (dict(length=0), "length must be a positive integer; got 0. "
                         "Ask for e.g. length=500 characters."),
        (dict(temperature=0.0), "temperature must be a positive number; got 0.0. "
                                "Use e.g. temperature=0.8."),
    ]:
        with pytest.raises(ValueError) as info:
            sample(model, vocab, generator=gen, **kwargs)
        assert str(info.value) == message


def test_sample_batch_draws_independent_rows_and_batch_one_is_sample():
    vocab = CharVocab(TEXT)
    keras.utils.set_random_seed(0)
    model = build_model(len(vocab), units=8, embedding_dim=4)
    texts = sample_batch(model, vocab, 5, length=40, prime="the ", seed=2)
    assert len(texts) == 5 and all(len(t) == 40 and set(t) <= set(vocab.chars) for t in texts)
    assert len(set(texts)) == 5                           # each row draws its own characters
    assert texts == sample_batch(model, vocab, 5, length=40, prime="the ", seed=2)
    assert sample_batch(model, vocab, 1, length=40, prime="the ", seed=2) == \
        [sample(model, vocab, length=40, prime="the ", seed=2)]
    with pytest.raises(ValueError, match=r"^generator must have batch size num_samples \(5\); "
                                         r"got 1\."):
        sample_batch(model, vocab, 5, prime="the ", generator=generator_from(model))
    with pytest.raises(ValueError, match=r"^num_samples must be a positive integer; got 0"):
        sample_batch(model, vocab, 0)


def test_next_token_scores_agree_with_keras_loss_and_top_k_accuracy():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (4, 6, 11)).astype("float32")
    targets = rng.integers(0, 11, (4, 6))
    scores = next_token_scores(logits, targets)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(targets, logits)
    assert scores["loss"] == pytest.approx(float(loss), rel=1e-6)
    assert scores["perplexity"] == pytest.approx(np.exp(scores["loss"]))
    for k, key in ((1, "top1"), (5, "top5")):
        metric = keras.metrics.SparseTopKCategoricalAccuracy(k=k)
        metric.update_state(targets.reshape(-1), logits.reshape(-1, 11))
        assert scores[key] == pytest.approx(float(metric.result()))
    np.testing.assert_array_equal(scores["decoded"], logits.reshape(-1, 11).argmax(1))
    with pytest.raises(ValueError, match=r"targets must have the shape of logits without its "
                                         r"last axis, \(4, 6\); got \(4, 5\)\."):
        next_token_scores(logits, targets[:, :5])
    bad = targets.copy()
    bad[0, 0] = 11
    with pytest.raises(ValueError, match=rf"^targets must lie in \[0, vocab_size=11\); got "
                                         rf"values from {bad.min()} to 11\.$"):
        next_token_scores(logits, bad)


def test_ranked_scores_counts_a_hit_anywhere_in_the_top_k():
    ranked = np.array([[3, 1, 2], [0, 2, 1], [1, 0, 3]])
    scores = ranked_scores(ranked, [3, 1, 2])
    assert scores["top1"] == pytest.approx(1 / 3) and scores["top5"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"ranked must be \(N, k\) with one row per target"):
        ranked_scores(ranked, [3, 1])


def test_predict_in_chunks_equals_one_call():
    model = build_model(5, units=3, embedding_dim=2)
    x = np.random.default_rng(1).integers(0, 5, (7, 4))
    np.testing.assert_allclose(predict_in_chunks(model, x, chunk=3), np.asarray(model(x)),
                               atol=1e-6)
    one_hot_model = keras.Sequential([keras.Input((4, 5)), keras.layers.LSTM(2)])
    through = predict_in_chunks(one_hot_model, x, chunk=2,
                                transform=lambda ids: np.eye(5, dtype="float32")[ids])
    np.testing.assert_allclose(through, np.asarray(one_hot_model(np.eye(5)[x])), atol=1e-6)


def test_npz_round_trip_keeps_weights_vocabulary_and_notes(tmp_path):
    keras.utils.set_random_seed(0)
    model = build_model(12, units=8, layers=2, embedding_dim=4)
    chars = "abcdefghijkl"
    sha = save_npz(model, chars, tmp_path / "m.npz", val_loss=1.25, command="train")
    loaded, loaded_chars, meta = load_npz(tmp_path / "m.npz", sha256=sha)
    assert loaded_chars == chars and meta == {"val_loss": 1.25, "command": "train"}
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="differs from the expected"):
        load_npz(tmp_path / "m.npz", sha256="0" * 64)
    with pytest.raises(ValueError, match="one character per output"):
        save_npz(model, "abc", tmp_path / "x.npz")
    np.savez(tmp_path / "other.npz", a=np.zeros(2))
    with pytest.raises(ValueError, match="not written by save_npz"):
        load_npz(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="is not a file"):
        load_npz(tmp_path / "missing.npz")


def test_a_temperature_too_small_to_divide_by_draws_the_most_likely_id():
    """logits / 5e-324 overflows to inf and inf - inf is NaN: the draw would read NaN
    probabilities. The limit of a temperature going to 0 is the most likely id."""
    from helpers.language_model import _draw

    logits = np.array([[1.0, 3.0, 2.0], [0.5, 0.1, 0.2], [-1.0, -2.0, 0.0]])
    for temperature in (5e-324, 1e-300):
        ids = _draw(logits, temperature, np.random.default_rng(0))
        np.testing.assert_array_equal(ids, [1, 0, 2])
    rng = np.random.default_rng(0)
    draws = np.stack([_draw(logits, 1.0, rng) for _ in range(2000)])
    assert len(np.unique(draws[:, 0])) == 3          # at temperature 1, every id is drawn


def test_a_run_folder_loads_and_its_damage_is_named(tmp_path):
    """load_trained and read_run_vocab, which notebook 11 and the command share, on a folder
    laid out as the command writes it (a model saved by Keras, its vocab.json)."""
    import json
    import shutil

    from helpers.language_model import RunFolderError, load_trained, read_run_vocab

    folder = tmp_path / "run"
    folder.mkdir()
    model = build_model(4, units=3, embedding_dim=2)
    model.save(folder / "best.keras")
    (folder / "vocab.json").write_text(json.dumps({"chars": "abcd"}))
    assert read_run_vocab(folder) == "abcd"
    loaded, vocab = load_trained(folder)
    assert vocab.chars == "abcd" and loaded.count_params() == model.count_params()
    damaged = [
        ("vocab.json", '{"chars": "aab"}', "has a damaged vocab.json"),        # repeated char
        ("vocab.json", '{"chars": "abc"}', "holds files of two models: best.keras has 4 outputs"),
        ("best.keras", "not a zip", "has a damaged best.keras (Keras cannot read it"),
    ]
    for k, (name, content, message) in enumerate(damaged):
        copy = tmp_path / f"damaged_{k}"
        shutil.copytree(folder, copy)
        (copy / name).write_text(content)
        with pytest.raises(RunFolderError, match=rf"^model_dir '{copy}' {re.escape(message)}"):
            load_trained(copy)
    with pytest.raises(RunFolderError, match="holds no trained model"):
        read_run_vocab(tmp_path)


def test_training_model_and_batches_follow_the_settings():
    from types import SimpleNamespace

    from helpers.language_model import training_batches, training_model

    settings = SimpleNamespace(units=4, layers=2, embedding_dim=3, timesteps=5, dropout=0.0,
                               fused=False, lr=0.01, batch_size=2, seed=1)
    model = training_model(7, settings)
    assert [layer.name for layer in model.layers][2:4] == ["lstm_1", "lstm_2"]
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    x, y = next(iter(training_batches(np.arange(60) % 7, settings, start_step=3)))
    expected = BatchStream(np.arange(60) % 7, 5, 2, seed=1).batch(3)
    np.testing.assert_array_equal(np.asarray(x), expected[0])
    np.testing.assert_array_equal(np.asarray(y), expected[1])
    with pytest.raises(ValueError, match=r"^lr must be a positive number"):
        training_model(7, SimpleNamespace(**{**vars(settings), "lr": 0}))
