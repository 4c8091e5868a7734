"""Run notebooks with several seeds and report which asserts fail and how the numbers spread.

Usage: python tools/seed_sweep.py [NOTEBOOK ...] [--seeds 5] [--first 1] [--keep DIR]
       (make seeds; make seeds NB=notebooks/04_stateful_vs_stateless.ipynb SEEDS=3)

Each notebook runs once per seed, top to bottom in a fresh kernel, with ``LSTM_SEED`` set
(``helpers.setup`` then seeds everything from it; every notebook derives its other draws from
``env.seed``). The runs are copies held in memory, executed in a scratch folder with figures
sent to a scratch ``screenshots`` folder: the stored notebooks and ``screenshots/`` are never
touched, and no output is compared with the stored one (other seeds give other numbers, which is
the point). A run goes on past a failing cell, so every failing assert is reported, not only the
first. Sizes follow ``LSTM_QUICK`` as in ``make notebooks`` (quick unless set to 0), so
``LSTM_QUICK=0 python tools/seed_sweep.py NB --seeds 1 --keep DIR`` is also how a full-size run
is made on scratch copies (``--timeout 0``: no limit per cell).

The report: one row per notebook (seeds passed, median wall time), each failing assert with its
seed and line, and the spread of the notebook's key numbers: every number printed by a cell that
asserts something, as ``low..high`` over the seeds where it varies.

Exit status: 0 when every run passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_notebooks import REPO, cpu_steal_jiffies

from helpers.checks import argparse_type, positive_int

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
NUMBER = re.compile(r"[-+]?\d[\d,]*\.?\d*(?:e[-+]?\d+)?")
# Plain tracebacks (not setup()'s one-line ones), so a failure names its line.
PLAIN_TRACEBACKS = "get_ipython().InteractiveTB.set_mode(mode='Plain')"


def run_once(path: Path, seed: int, timeout: int | None, workdir: Path):
    """Execute a copy of ``path`` with ``LSTM_SEED=seed``.

    Returns ``(seconds, executed notebook, failures, outputs)``: ``failures`` lists
    ``(code cell number, error line, source line)`` of every unexpected error, ``outputs``
    maps each asserting code cell's number to its printed text.
    """
    nb = nbformat.read(path, as_version=4)
    code_numbers = {}          # id(cell) -> its number among the notebook's own code cells
    for cell in nb.cells:
        if cell.cell_type == "code":
            code_numbers[id(cell)] = len(code_numbers) + 1
    setup_at = next(i for i, c in enumerate(nb.cells)
                    if c.cell_type == "code" and "setup(" in c.source)
    nb.cells.insert(setup_at + 1, nbformat.v4.new_code_cell(PLAIN_TRACEBACKS))
    os.environ["LSTM_SEED"] = str(seed)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    own = [cell for cell in nb.cells if id(cell) in code_numbers]
    outputs = {}
    for number, cell in enumerate(own, start=1):
        text = "".join(o.get("text", "") for o in cell.outputs
                       if o.output_type == "stream" and o.name == "stdout")
        if re.search(r"^\s*(assert |np\.testing\.assert)", cell.source, re.M):
            outputs[number] = ANSI.sub("", text)
    return seconds, nb, unexpected_errors(own, start=1), outputs


def unexpected_errors(cells, start: int = 1) -> list[tuple[int, str, str]]:
    """Every error a cell raised without the ``raises-exception`` tag.

    Returns ``(cell number, error line, failing source line)``, numbering ``cells`` from
    ``start``; the source line is the last ``assert`` line of a plain traceback, if any.
    """
    failures = []
    for number, cell in enumerate(cells, start=start):
        expected = "raises-exception" in cell.metadata.get("tags", [])
        for out in cell.outputs:
            if out.output_type == "error" and not expected:
                trace = [ANSI.sub("", line) for line in out.get("traceback", [])]
                lines = [ln.strip() for t in trace for ln in t.splitlines()]
                asserts = [ln for ln in lines if "assert" in ln and not ln.startswith("File")]
                where = asserts[-1] if asserts else ""
                failures.append((number, f"{out.ename}: {out.evalue}"[:200], where[:160]))
    return failures


def spread(outputs_by_seed: list[dict[int, str]]) -> list[str]:
    """Lines whose numbers differ across seeds, each number shown as ``low..high``."""
    rows = []
    cells = sorted(set().union(*outputs_by_seed)) if outputs_by_seed else []
    for cell in cells:
        texts = [o.get(cell, "") for o in outputs_by_seed]
        split = [t.splitlines() for t in texts]
        for i in range(max(len(s) for s in split)):
            lines = [s[i] if i < len(s) else "" for s in split]
            numbers = [NUMBER.findall(line) for line in lines]
            if len({NUMBER.sub("#", line) for line in lines}) != 1 or not numbers[0]:
                continue                  # a different line in some run: nothing to compare
            values = [[float(v.replace(",", "")) for v in n] for n in numbers]
            if all(v == values[0] for v in values):
                continue
            pieces = NUMBER.split(lines[0])
            shown = pieces[0]
            for k, piece in enumerate(pieces[1:]):
                column = [v[k] for v in values]
                texts_k = [n[k] for n in numbers]
                same = min(column) == max(column)
                low, high = texts_k[column.index(min(column))], texts_k[column.index(max(column))]
                shown += (low if same else f"{low}..{high}") + piece
            rows.append(f"  cell {cell:>2}: {shown.strip()}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--seeds", type=argparse_type(positive_int), default=5,
                        help="how many seeds (default: 5)")
    parser.add_argument("--first", type=int, default=1,
                        help="first seed; the stored outputs use each notebook's own seed, 0 "
                             "(default: 1)")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds per cell, 0 for no limit (default: 900)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write each executed copy to DIR/NN_name.seedS.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    seeds = list(range(args.first, args.first + args.seeds))

    os.environ.setdefault("LSTM_QUICK", "1")
    os.environ.pop("MPLBACKEND", None)
    shared = REPO.parent / "shared" / "data"
    if "LSTM_DATA_DIR" not in os.environ and shared.is_dir():
        os.environ["LSTM_DATA_DIR"] = str(shared)
    scratch = Path(tempfile.mkdtemp(prefix="seed-sweep-"))
    os.environ["LSTM_FIGURES_DIR"] = str(scratch / "screenshots")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"Sweeping {len(paths)} notebook(s) over seeds {seeds} with "
          f"LSTM_QUICK={os.environ['LSTM_QUICK']} (scratch folder {scratch})", flush=True)

    report, all_passed = [], True
    for path in paths:
        times, failures, outputs = [], [], []
        for seed in seeds:
            print(f"  {path.name} seed {seed} ...", end=" ", flush=True)
            before = cpu_steal_jiffies()
            seconds, executed, failed, printed = run_once(path, seed, args.timeout or None,
                                                          scratch)
            after = cpu_steal_jiffies()
            steal = ""
            if before and after and after[1] > before[1]:
                steal = f", {100 * (after[0] - before[0]) / (after[1] - before[1]):.0f}% stolen"
            times.append(seconds)
            outputs.append(printed)
            failures += [(seed, *f) for f in failed]
            print(f"{seconds:.1f} s{steal}, {'FAILED' if failed else 'passed'}", flush=True)
            if args.keep:
                nbformat.write(executed, args.keep / f"{path.stem}.seed{seed}.ipynb")
        passed = len(seeds) - len({f[0] for f in failures})
        all_passed &= passed == len(seeds)
        report.append((path.name, passed, statistics.median(times), failures, spread(outputs)))

    width = max(len(r[0]) for r in report)
    print(f"\n{'notebook':<{width}}  {'seeds passed':>12}  {'median wall':>11}  failing asserts")
    for name, passed, median, failures, _ in report:
        print(f"{name:<{width}}  {passed:>7} of {len(seeds)}  {median:>9.1f} s  {len(failures)}")
    for name, _, _, failures, rows in report:
        print(f"\n{name}")
        for seed, cell, error, where in failures:
            print(f"  FAILED seed {seed}, code cell {cell}: {error}" + (f"  <- {where}" if where
                                                                          else ""))
        if rows:
            print(f"  key numbers over seeds {seeds[0]}..{seeds[-1]} (cells that assert):")
            print("\n".join(rows))
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
