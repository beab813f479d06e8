# Two commands do everything on a fresh machine with python3 and make:
#   make demo   set up .venv and Graphviz, then train an MLP (compiled: seconds) and write plots
#               and a graph SVG
#   make test   the same set-up, then lint and the whole test suite (notebooks included)
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# pip says what it fetches and installs (a first set-up takes a minute or more), and
# keep-talking.py adds a line whenever it is quiet for 10 s (pip says nothing while it unpacks).
# The warnings filter drops setuptools' note on an editable install ("Please be careful with
# folders in your working directory with the same name as your package"): here those folders
# are the package.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" python3 scripts/keep-talking.py \
	$(PYTHON) -m pip install

.PHONY: setup graphviz demo test lint bench figures site clean

$(INSTALLED): setup.cfg pyproject.toml
	bash scripts/make-venv.sh $(VENV)
	$(PIP_INSTALL) --quiet --upgrade pip
	$(PIP_INSTALL) -e '.[dev]'
	touch $(INSTALLED)

graphviz:
	python3 scripts/keep-talking.py bash scripts/ensure-graphviz.sh

setup: $(INSTALLED) graphviz

demo: setup
	$(PYTHON) scripts/demo.py

lint: $(INSTALLED)
	$(PYTHON) -m ruff check autograd nn tests benchmarks scripts

# One test at a time per worker (--maxschedchunk 1), in tests/conftest.py's order: the notebooks'
# runs start first, on every core, and print a line each as they end.
test: setup lint
	$(PYTHON) -m pytest -q -n auto --maxschedchunk 1 tests autograd nn README.md

bench: setup
	$(PIP_INSTALL) --quiet micrograd==0.1.0
	$(PYTHON) benchmarks/bench.py
	$(PYTHON) benchmarks/bench_nn.py
	$(PYTHON) benchmarks/bench_compile.py
	$(PYTHON) benchmarks/bench_hessian.py
	@if $(PYTHON) -c "import torch" 2>/dev/null; then $(PYTHON) benchmarks/bench_batch.py; \
	else echo "bench_batch.py skipped: it compares with PyTorch (pip install torch, a CPU build)"; fi

figures: setup
	$(PYTHON) scripts/figures.py

site: setup
	$(PYTHON) scripts/site.py --out site

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis runs site
