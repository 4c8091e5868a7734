"""tools/seed_sweep.py: the spread report (the sweep itself runs notebooks: `make seeds`)."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
from seed_sweep import spread


def test_spread_shows_only_numbers_that_vary_as_ranges():
    by_seed = [{3: "stateless 0.504\nstateful 1.000\nsteps 400, loss 2.10\n"},
               {3: "stateless 0.691\nstateful 1.000\nsteps 400, loss 1.95\n"},
               {3: "stateless 0.477\nstateful 1.000\nsteps 400, loss 2.30\n"}]
    assert spread(by_seed) == ["  cell  3: stateless 0.477..0.691",
                               "  cell  3: steps 400, loss 1.95..2.30"]


def test_spread_skips_lines_whose_shape_differs_and_cells_missing_in_a_run():
    by_seed = [{1: "1,000 words: a b\n", 2: "x 1.5\n"}, {1: "2 words\n"}]
    assert spread(by_seed) == []
