"""Run the notebooks with their numerics perturbed and list every compared output that moved.

Usage: python tools/perturbation_run.py [NOTEBOOK ...] [--perturb onednn,threads,isa]
       [--jobs 2] [--keep DIR]          (make portable; make portable NB=notebooks/04_*.ipynb)

Why: the stored outputs are compared digit by digit by nbval, and with oneDNN off they reproduce
on the machine that made them. Another CPU rounds differently: its matrix kernels block and
vectorise the sums in another order (TensorFlow's contractions go through oneDNN's sgemm, which
picks its code for the processor even with ``TF_ENABLE_ONEDNN_OPTS=0``; NumPy's OpenBLAS does the
same), and a chaotic training run turns the last bit into another printed number. One machine
can provoke such differences itself, and an output that survives them is the kind that survives
another CPU:

* ``onednn``: TensorFlow's oneDNN operations on (the setup cell's ``TF_ENABLE_ONEDNN_OPTS``
  set to ``"1"`` in the copy);
* ``threads``: another intra-op thread count (``TF_NUM_INTRAOP_THREADS``, ``OMP_NUM_THREADS``:
  1 on a machine with several cores, else 2), which splits large products differently;
* ``isa``: the matrix kernels of the next older instruction set (``ONEDNN_MAX_CPU_ISA``,
  ``OPENBLAS_CORETYPE``, ``ATEN_CPU_CAPABILITY``; x86 only).

``--perturb none`` runs this machine as it is: what ``make test`` compares here, with the executed
copies kept (``--keep``) to read every changed line in full.

Each notebook runs once per perturbation, on a copy in a scratch folder, top to bottom in a fresh
kernel with quick sizes and its own seed, exactly as nbval runs it; figures go to a scratch
folder. The stored notebooks and ``screenshots/`` are never touched. Every code cell is then
compared with its stored outputs the way ``make test`` compares them: nbval's own comparison,
the cell's nbval tags and markers, ``tests/nbval_sanitize.cfg``, stderr left out
(``tests/conftest.py``). The report lists each changed output (nbval's cell number, counting
code cells from 0) with its stored and new lines, and every cell that raised an error it was
not tagged to raise (an assert that failed under the perturbation).

Exit status: 0 when no compared output changed and nothing raised, 1 otherwise.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbclient import NotebookClient
from nbval.plugin import (
    IPyNbCell,
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
    nocolors,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_notebooks import REPO
from seed_sweep import PLAIN_TRACEBACKS, unexpected_errors

from helpers.checks import argparse_type, positive_int

SANITIZE_FILE = REPO / "tests" / "nbval_sanitize.cfg"
ONEDNN_OFF = 'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"'
# What nbval leaves out of every comparison (nbval.plugin.IPyNbFile.__init__, without nbdime):
# figures are never compared, only their text (<Figure size ...>).
SKIP_COMPARE = ("metadata", "traceback", "prompt_number", "output_type", "name",
                "execution_count", "application/vnd.jupyter.widget-view+json",
                "image/png", "image/jpeg")
PERTURBATIONS = ("onednn", "threads", "isa")
THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS")

# For the `isa` perturbation: the host's newest instruction set -> the next older one, as each
# library names it (oneDNN's ONEDNN_MAX_CPU_ISA, OpenBLAS's OPENBLAS_CORETYPE, PyTorch's
# ATEN_CPU_CAPABILITY).
OLDER_ISA = (
    ("avx512f", {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell",
                 "ATEN_CPU_CAPABILITY": "avx2"}),
    ("avx2", {"ONEDNN_MAX_CPU_ISA": "AVX", "OPENBLAS_CORETYPE": "Sandybridge",
              "ATEN_CPU_CAPABILITY": "default"}),
    ("sse4_1", {"ONEDNN_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Nehalem",
                "ATEN_CPU_CAPABILITY": "default"}),
)


def cpu_flags() -> set[str]:
    """The x86 feature flags of this CPU (``/proc/cpuinfo``); empty elsewhere."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def perturbation_env(name: str, flags: set[str], cores: int) -> dict[str, str]:
    """Environment variables that make ``name`` on a machine with ``flags`` and ``cores``.

    Raises:
        ValueError: ``name`` is not one of ``PERTURBATIONS``, or ``isa`` on a CPU whose
            instruction sets are not known here (not x86, or older than SSE4.1).
    """
    if name in ("none", "onednn"):     # none: this machine as it is (what make test sees)
        return {}                      # onednn: the setup cell sets it, see perturbed_copy
    if name == "threads":
        return dict.fromkeys(THREAD_VARIABLES, "1" if cores > 1 else "2")
    if name == "isa":
        for flag, env in OLDER_ISA:
            if flag in flags:
                return dict(env)
        raise ValueError("perturbation 'isa' needs an x86 CPU with SSE4.1 or newer; this one "
                         f"({platform.machine()}) has none: leave it out (--perturb "
                         "onednn,threads).")
    raise ValueError(f"--perturb takes {', '.join(PERTURBATIONS)} or none; got {name!r}.")


def perturbed_copy(nb, name: str):
    """A copy of notebook ``nb`` to run under perturbation ``name``.

    For ``onednn`` the setup cell's ``TF_ENABLE_ONEDNN_OPTS = "0"`` becomes ``"1"``; the other
    perturbations work through the environment and leave the cells as they are.

    Raises:
        ValueError: ``onednn`` and no code cell sets ``TF_ENABLE_ONEDNN_OPTS`` to ``"0"``.
    """
    nb = copy.deepcopy(nb)
    if name == "onednn":
        cell = next((c for c in nb.cells if c.cell_type == "code" and ONEDNN_OFF in c.source),
                    None)
        if cell is None:
            raise ValueError(f"no code cell holds {ONEDNN_OFF!r}: the shared setup cell changed;"
                             " update ONEDNN_OFF in tools/perturbation_run.py")
        cell.source = cell.source.replace(ONEDNN_OFF, ONEDNN_OFF[:-2] + '1"')
    return nb


def nbval_options(cell) -> dict:
    """What nbval does with a code cell: its tags, then its comment markers (which win)."""
    options = dict(find_metadata_tags(cell.metadata))
    options.update(find_comment_markers(cell.source))
    options.setdefault("check", True)
    return options


def _compared(outputs):
    """A cell's outputs as nbval compares them: streams joined (on a copy), stderr left out
    (as tests/conftest.py does for make test: TensorFlow's log lines are not compared)."""
    return [o for o in coalesce_streams(copy.deepcopy(outputs))
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def outputs_match(stored, executed, patterns) -> bool:
    """nbval's verdict (``IPyNbCell.compare_outputs``) on two lists of a cell's outputs."""
    item = SimpleNamespace(parent=SimpleNamespace(skip_compare=SKIP_COMPARE,
                                                  sanitize_patterns=patterns),
                           colors=nocolors,
                           format_output_compare=lambda *args: None)   # the report diffs
    item.sanitize = lambda s: IPyNbCell.sanitize(item, s)
    return IPyNbCell.compare_outputs(item, _compared(executed), _compared(stored))


def _shown(outputs, patterns) -> list[str]:
    """The compared text of a cell's outputs, sanitized, as lines (for the report)."""
    lines = []
    for out in _compared(outputs):
        if out.output_type == "stream":
            text = out.text
        elif out.output_type == "error":
            text = f"{out.ename}: {out.evalue}\n"
        else:
            text = out.get("data", {}).get("text/plain", "") + "\n"
        for regex, replace in patterns.items():
            text = re.sub(regex, replace, text)
        lines += text.splitlines()
    return lines


def changed_cells(stored_nb, executed_nb, patterns) -> list[tuple[int, str, list[str]]]:
    """Code cells of ``executed_nb`` whose compared outputs differ from ``stored_nb``'s.

    Both notebooks hold the same code cells in the same order (``executed_nb`` may hold extra
    cells tagged ``perturbation-run``, which are passed over). Returns ``(nbval's cell number,
    the cell's first line, lines)``: ``lines`` are the differing stored (``-``) and new (``+``)
    lines, or the unexpected error with its failing line.
    """
    stored = [c for c in stored_nb.cells if c.cell_type == "code"]
    executed = [c for c in executed_nb.cells if c.cell_type == "code"
                and "perturbation-run" not in c.metadata.get("tags", [])]
    if len(stored) != len(executed):
        raise ValueError(f"the executed copy has {len(executed)} code cells, the stored "
                         f"notebook {len(stored)}")
    errors = dict((number - 1, (error, where)) for number, error, where
                  in unexpected_errors(executed, start=1))
    found = []
    for number, (old, new) in enumerate(zip(stored, executed, strict=True)):
        options = nbval_options(old)
        first = old.source.strip().splitlines()[0] if old.source.strip() else ""
        if options.get("skip"):
            continue
        if number in errors:
            error, where = errors[number]
            found.append((number, first, [f"! raised {error}" + (f"  <- {where}" if where
                                                                   else "")]))
        elif options["check"] and not outputs_match(old.outputs, new.outputs, patterns):
            diff = difflib.ndiff(_shown(old.outputs, patterns), _shown(new.outputs, patterns))
            found.append((number, first, [d for d in diff if d[:1] in "-+"]))
    return found


def compared_count(nb) -> int:
    """How many of a notebook's code cells nbval compares."""
    return sum(1 for c in nb.cells if c.cell_type == "code"
               and nbval_options(c)["check"] and not nbval_options(c).get("skip"))


def execute(path: str, name: str, env: dict[str, str], timeout: int | None, workdir: str):
    """Run a perturbed copy of notebook ``path``; return (seconds, the executed copy as JSON).

    Runs in a worker process, which may have run another perturbation before: the kernel
    inherits this process's environment, so every perturbation's variables are reset first.
    """
    for _, older in OLDER_ISA:
        for variable in older:
            os.environ.pop(variable, None)
    for variable in THREAD_VARIABLES:
        os.environ.pop(variable, None)
    os.environ.update(env)
    nb = perturbed_copy(nbformat.read(path, as_version=4), name)
    setup_at = next(i for i, c in enumerate(nb.cells)
                    if c.cell_type == "code" and "setup(" in c.source)
    plain = nbformat.v4.new_code_cell(PLAIN_TRACEBACKS, metadata={"tags": ["perturbation-run"]})
    nb.cells.insert(setup_at + 1, plain)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": workdir}})
    start = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)   # the kernels' TensorFlow log lines
    return time.perf_counter() - start, nbformat.writes(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--perturb", default=",".join(PERTURBATIONS),
                        help=f"comma-separated perturbations (default: {','.join(PERTURBATIONS)})")
    parser.add_argument("--jobs", type=argparse_type(positive_int), default=2,
                        help="notebooks run at once, each in its own kernel (default: 2)")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds per cell, 0 for no limit (default: 900)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write each executed copy to DIR/NN_name.PERTURBATION.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    names = [n.strip() for n in args.perturb.split(",") if n.strip()]
    flags, cores = cpu_flags(), os.cpu_count() or 1
    try:
        envs = {name: perturbation_env(name, flags, cores) for name in names}
    except ValueError as exc:
        parser.error(str(exc))

    # As make test runs the notebooks (tests/conftest.py): quick sizes, each notebook's own seed.
    os.environ["LSTM_QUICK"] = "1"
    os.environ.pop("LSTM_SEED", None)
    os.environ.pop("MPLBACKEND", None)
    shared = REPO.parent / "shared" / "data"
    if "LSTM_DATA_DIR" not in os.environ and shared.is_dir():
        os.environ["LSTM_DATA_DIR"] = str(shared)
    scratch = Path(tempfile.mkdtemp(prefix="perturbation-run-"))
    os.environ["LSTM_FIGURES_DIR"] = str(scratch / "screenshots")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    patterns = dict(get_sanitize_patterns(SANITIZE_FILE.read_text()))
    print(f"Perturbation run: {len(paths)} notebook(s) x {len(names)} perturbation(s), "
          f"{args.jobs} at a time (scratch folder {scratch})")
    for name in names:
        setting = (", ".join(f"{k}={v}" for k, v in envs[name].items())
                   or ("this machine as it is" if name == "none"
                       else "TF_ENABLE_ONEDNN_OPTS=1 in the setup cell"))
        print(f"  {name:<8} {setting}")

    jobs = [(path, name) for name in names for path in paths]
    results = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {job: pool.submit(execute, str(job[0]), job[1], envs[job[1]],
                                    args.timeout or None, str(scratch)) for job in jobs}
        for (path, name), future in futures.items():
            seconds, text = future.result()
            executed = nbformat.reads(text, as_version=4)
            if args.keep:
                nbformat.write(executed, args.keep / f"{path.stem}.{name}.ipynb")
            stored = nbformat.read(path, as_version=4)
            results[path, name] = changed_cells(stored, executed, patterns)
            print(f"  {path.name} [{name}] {seconds:.1f} s: "
                  f"{len(results[path, name])} changed", flush=True)

    width = max(len(p.name) for p in paths)
    print(f"\nCompared outputs that changed (of the cells nbval compares):\n"
          f"{'notebook':<{width}}  {'compared':>8}  " + "  ".join(f"{n:>7}" for n in names))
    for path in paths:
        counts = "  ".join(f"{len(results[path, n]):>7}" for n in names)
        print(f"{path.name:<{width}}  {compared_count(nbformat.read(path, as_version=4)):>8}  "
              + counts)
    total = sum(len(v) for v in results.values())
    for path in paths:
        for name in names:
            for number, first, lines in results[path, name]:
                print(f"\n{path.name} Cell {number} [{name}]: {first[:70]}")
                print("\n".join(f"    {line}" for line in lines[:12]))
    print(f"\n{total} changed output(s) in all." if total else
          "\nNo compared output changed under any perturbation.")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
