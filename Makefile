# make lab        start JupyterLab on notebooks/ (creates .venv on first use)
# make test       ruff + unit tests + nbval over every notebook (what CI runs)
# make notebooks  re-execute every notebook in place in a fresh kernel, print wall times
#                 (one notebook: make notebooks NB=notebooks/01_input_shapes.ipynb)
# make seeds      run copies of the notebooks with SEEDS seeds (default 5), report failing
#                 asserts and the spread of key numbers; nothing stored is changed
# make portable   run copies of the notebooks with their numerics perturbed (oneDNN on, one
#                 thread, an older instruction set's kernels) and list every output nbval
#                 compares that changed: those would fail on another CPU (about 40 min here)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NB     ?= notebooks/[0-9]*.ipynb
SEEDS  ?= 5
# make test runs test files on this many processes (pytest-xdist; each notebook stays whole in
# one worker, in its own kernel). A notebook uses little more than one core, so two workers on
# 2 cores took 552 s where one took 873 s. Each worker holds a TensorFlow (about 1 GB).
WORKERS ?= 2
# JupyterLab refuses to run as root (containers, some cloud VMs) unless told it may.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test lint notebooks seeds portable clean

# Re-install only when the pinned set or the package metadata changes.
$(STAMP): requirements.txt pyproject.toml
	@echo "Creating $(VENV) with $$($(PYTHON) --version) (first use only; a few minutes)"
	@$(PYTHON) -c 'import sys; sys.version_info[:2] == (3, 11) or print("Warning: the pinned set is tested on Python 3.11; set PYTHON=python3.11 if you have it")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(NB)

seeds: $(STAMP)
	$(BIN)/python tools/seed_sweep.py $(NB) --seeds $(SEEDS)

portable: $(STAMP)
	$(BIN)/python tools/perturbation_run.py $(NB) --jobs $(WORKERS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
