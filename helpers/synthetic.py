"""Synthetic sequence tasks, generated from a seed (no download, same data everywhere).

* :func:`date_pairs`: human-readable dates and their ISO 8601 form, for a small
  encoder-decoder ("21 November 2026" -> "2026-11-21").
"""

from __future__ import annotations

import datetime as dt
import random

__all__ = ["DATE_FORMATS", "date_pairs", "human_date"]

# English names written out: strftime("%B") would follow the machine's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# {d} day, {B} month name, {b} month abbreviation, {Y} year, {A} weekday name
DATE_FORMATS = ("{d} {B} {Y}", "{B} {d}, {Y}", "{d} {b} {Y}", "{A}, {d} {B} {Y}")


def human_date(date: dt.date, fmt: str) -> str:
    """Write ``date`` in ``fmt`` (see ``DATE_FORMATS``), e.g. "Saturday, 21 November 2026"."""
    month = MONTHS[date.month - 1]
    return fmt.format(d=date.day, B=month, b=month[:3], Y=date.year,
                      A=WEEKDAYS[date.weekday()])


def date_pairs(n: int, *, seed: int = 0, start: dt.date = dt.date(1900, 1, 1),
               end: dt.date = dt.date(2099, 12, 31),
               formats: tuple[str, ...] = DATE_FORMATS) -> list[tuple[str, str]]:
    """``n`` pairs ``(human-readable date, "YYYY-MM-DD")`` for *distinct* random dates.

    The dates are drawn without replacement, so slicing the list (first part for training,
    the rest for validation) gives held-out dates that never appear in training. Each pair
    uses one of ``formats``, chosen at random.

    Args:
        n: number of pairs (at most the number of days from ``start`` to ``end``).
        seed: the random seed; the same seed gives the same list.
        start, end: the range of dates, both included.
        formats: templates, see ``DATE_FORMATS``.

    Raises:
        ValueError: ``n`` is not positive or exceeds the number of days in the range,
            the range is empty, or ``formats`` is empty.
    """
    days = end.toordinal() - start.toordinal() + 1
    if days < 1:
        raise ValueError(f"end must not be before start; got start={start}, end={end}.")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= days:
        raise ValueError(f"n must be an integer from 1 to {days} (the days from {start} to "
                         f"{end}); got {n!r}. Widen the range or ask for fewer pairs.")
    if not formats:
        raise ValueError("formats must hold at least one template, e.g. DATE_FORMATS.")
    rng = random.Random(seed)
    ordinals = rng.sample(range(start.toordinal(), end.toordinal() + 1), n)
    dates = [dt.date.fromordinal(o) for o in ordinals]
    return [(human_date(d, rng.choice(formats)), d.isoformat()) for d in dates]
