"""helpers.synthetic: date pairs are reproducible, distinct, and correct."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.synthetic import DATE_FORMATS, date_pairs, human_date

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
