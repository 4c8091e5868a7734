"""Re-execute notebooks in place, each in a fresh kernel, and print their wall times.

Usage: python tools/run_notebooks.py [NOTEBOOK ...]   (default: notebooks/[0-9]*.ipynb)

This is how maintainers refresh the stored outputs that nbval checks in CI. Notebooks
run with quick sizes (LSTM_QUICK=1) unless LSTM_QUICK is set, since CI re-runs them with
quick sizes. A notebook that fails is left untouched on disk and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

REPO = Path(__file__).resolve().parents[1]


# TensorFlow's C++ log lines ("I0000 00:00:... cudart_stub.cc:31] ...") carry timestamps and
# process ids, change on every run, and are not compared by nbval: keep them out of the file.
TF_LOG_LINE = re.compile(r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]|WARNING: All log "
                         r"messages before absl::InitializeLog\(\)).*\n?", re.MULTILINE)


def drop_tensorflow_log_lines(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                out.text = TF_LOG_LINE.sub("", out.text)
                if not out.text.strip():
                    continue
            kept.append(out)
        cell.outputs = kept


def cpu_steal_jiffies() -> tuple[int, int] | None:
    """(steal, total) CPU time from /proc/stat, or None off Linux.

    On a virtual machine "steal" is time the host gave this machine's CPUs to someone else:
    a notebook that ran slower while it was high was slowed by its neighbours, not by a
    change of ours."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7] if len(fields) > 7 else 0), sum(fields)


def run(path: Path, timeout: int) -> tuple[float, int]:
    """Execute ``path`` top to bottom in a fresh kernel; write it back on success."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    drop_tensorflow_log_lines(nb)
    # One stream output per print run, however the kernel happened to flush: stable diffs.
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(nb, path)
    return elapsed, sum(c.cell_type == "code" for c in nb.cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")

    os.environ.setdefault("LSTM_QUICK", "1")
    os.environ.pop("MPLBACKEND", None)  # kernels must use the inline backend, as under nbval
    shared = REPO.parent / "shared" / "data"
    if "LSTM_DATA_DIR" not in os.environ and shared.is_dir():
        os.environ["LSTM_DATA_DIR"] = str(shared)
    print(f"Executing {len(paths)} notebook(s) with LSTM_QUICK={os.environ['LSTM_QUICK']}",
          flush=True)

    rows, failed = [], False
    for path in paths:
        print(f"  {path.name} ...", end=" ", flush=True)
        before = cpu_steal_jiffies()
        try:
            seconds, cells = run(path, args.timeout)
            after = cpu_steal_jiffies()
            steal = "-"
            if before and after and after[1] > before[1]:
                steal = f"{100 * (after[0] - before[0]) / (after[1] - before[1]):.0f}%"
            rows.append((path.name, f"{seconds:7.1f} s", str(cells), steal))
            print(f"{seconds:.1f} s", flush=True)
        except CellExecutionError as exc:
            failed = True
            rows.append((path.name, "FAILED", "-", "-"))
            print("FAILED (left unchanged)\n" + str(exc)[-2000:], flush=True)

    width = max(len(r[0]) for r in rows)
    print(f"\n{'notebook':<{width}}  {'wall time':>9}  {'code cells':>10}  {'CPU stolen':>10}")
    for name, seconds, cells, steal in rows:
        print(f"{name:<{width}}  {seconds:>9}  {cells:>10}  {steal:>10}")
    print("CPU stolen: share of CPU time the virtual machine's host gave to others during the "
          "run (/proc/stat); a high share means a slow run is not the notebook's fault.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
