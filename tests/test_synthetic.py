"""helpers.synthetic: date pairs are reproducible, distinct, and correct."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from helpers.synthetic import (
    ADDING_MEAN_GUESS_MSE,
    DATE_FORMATS,
    REVERSAL_START,
    REVERSAL_VOCAB,
    adding_problem,
    date_pairs,
    human_date,
    reversal_task,
)

STRPTIME = {"{d} {B} {Y}": "%d %B %Y", "{B} {d}, {Y}": "%B %d, %Y", "{d} {b} {Y}": "%d %b %Y",
            "{A}, {d} {B} {Y}": "%A, %d %B %Y"}


def test_human_date_examples():
    day = dt.date(2026, 11, 21)
    assert [human_date(day, f) for f in DATE_FORMATS] == [
        "21 November 2026", "November 21, 2026", "21 Nov 2026", "Saturday, 21 November 2026"]


def test_pairs_are_reproducible_distinct_and_parse_back():
    pairs = date_pairs(3000, seed=5)
    assert pairs == date_pairs(3000, seed=5) and pairs != date_pairs(3000, seed=6)
    assert len({iso for _, iso in pairs}) == 3000          # distinct dates: clean held-out split
    used = set()
    for human, iso in pairs:
        parsed = []
        for fmt, code in STRPTIME.items():  # C-locale English names, as generated
            try:
                parsed.append(dt.datetime.strptime(human, code).date().isoformat())
                used.add(fmt)
            except ValueError:
                pass
        assert parsed and set(parsed) == {iso}, (human, iso)  # "May" fits two formats
    assert used == set(DATE_FORMATS)


def test_whole_range_and_edges():
    pairs = date_pairs(31, start=dt.date(2000, 1, 1), end=dt.date(2000, 1, 31))
    assert sorted(iso for _, iso in pairs) == [f"2000-01-{d:02d}" for d in range(1, 32)]


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=0), r"n must be an integer from 1 to"),
    (dict(n=32, start=dt.date(2000, 1, 1), end=dt.date(2000, 1, 31)), r"from 1 to 31 .* got 32"),
    (dict(n=1, start=dt.date(2000, 1, 2), end=dt.date(2000, 1, 1)), r"end must not be before"),
    (dict(n=1, formats=()), r"formats must hold at least one template"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        date_pairs(**kwargs)


@pytest.mark.parametrize("timesteps", [2, 3, 10, 101])
def test_adding_problem_layout_and_targets(timesteps):
    x, y = adding_problem(500, timesteps, seed=4)
    assert x.shape == (500, timesteps, 2) and y.shape == (500,)
    assert x.dtype == np.float32 and y.dtype == np.float32
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= 0) & (values <= 1)).all()
    assert np.isin(markers, [0.0, 1.0]).all() and (markers.sum(axis=1) == 2).all()
    half = timesteps // 2
    assert (markers[:, :half].sum(axis=1) == 1).all()       # one marker in each half
    assert (markers[:, half:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y, (values * markers).sum(axis=1), rtol=1e-6)


def test_adding_problem_is_reproducible_and_the_mean_guess_scores_one_sixth():
    x, y = adding_problem(20_000, 30, seed=1)
    again = adding_problem(20_000, 30, seed=1)
    assert np.array_equal(x, again[0]) and np.array_equal(y, again[1])
    assert not np.array_equal(x, adding_problem(20_000, 30, seed=2)[0])
    assert abs(y.mean() - 1) < 0.01
    assert abs(((y - 1) ** 2).mean() - ADDING_MEAN_GUESS_MSE) < 0.005
    positions = np.argmax(x[:, :, 1], axis=1)                 # the first marker
    assert positions.min() == 0 and positions.max() == 14     # anywhere in the first half


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=0, timesteps=10), r"n must be a positive integer; got 0\. Ask for"),
    (dict(n=5, timesteps=1), r"timesteps must be at least 2 \(one marker in each half\); got 1"),
    (dict(n=5, timesteps=2.5), r"timesteps must be a positive integer; got 2\.5 \(float\)"),
])
def test_adding_problem_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        adding_problem(**kwargs)


def test_reversal_targets_are_the_sources_backwards_with_the_padding_after():
    sources, targets, lengths = reversal_task(500, 3, 12, seed=4)
    assert sources.shape == targets.shape == (500, 12) and lengths.shape == (500,)
    assert sources.dtype == targets.dtype == lengths.dtype == np.int32
    assert set(np.unique(lengths)) == set(range(3, 13))       # every length drawn
    for source, target, length in zip(sources, targets, lengths, strict=True):
        assert np.all(source[:length] >= 1) and np.all(source[:length] <= 10)
        assert np.array_equal(target[:length], source[:length][::-1])
        assert not source[length:].any() and not target[length:].any()
    assert REVERSAL_START == REVERSAL_VOCAB - 1 and not (sources == REVERSAL_START).any()
    assert set(np.unique(sources)) == set(range(11))        # padding and all ten digits drawn


def test_reversal_is_reproducible_and_balanced_gives_equal_shares_in_order():
    first = reversal_task(60, 4, 9, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, reversal_task(60, 4, 9, seed=2),
                                                    strict=True))
    assert not np.array_equal(first[0], reversal_task(60, 4, 9, seed=3)[0])
    _, _, lengths = reversal_task(60, 4, 9, seed=2, balanced=True)
    assert np.array_equal(lengths, np.repeat(np.arange(4, 10), 10))


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0, min_len=2, max_len=5),
     "n must be a positive integer; got 0. Ask for at least one sequence, e.g. n=1000."),
    (dict(n=10, min_len=0, max_len=5),
     "min_len must be a positive integer; got 0. Use e.g. min_len=4."),
    (dict(n=10, min_len=6, max_len=5),
     "min_len must not exceed max_len; got min_len=6, max_len=5. Swap them or widen the range."),
    (dict(n=10, min_len=2, max_len=5, balanced=True),
     "with balanced=True, n must be a multiple of the 4 lengths 2..5; got n=10. "
     "Use e.g. n=8."),
    (dict(n=10, min_len=2, max_len=2.5),
     "max_len must be a positive integer; got 2.5 (float). Use e.g. max_len=16."),
])
def test_reversal_refuses_bad_arguments_with_the_fix(kwargs, message):
    with pytest.raises(ValueError) as raised:
        reversal_task(**kwargs)
    assert str(raised.value) == message
