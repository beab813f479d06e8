# Two commands do everything on a fresh machine with python3 and make:
#   make demo   set up .venv and Graphviz, then train an MLP (compiled: seconds) and write plots
#               and a graph SVG
#   make test   the same set-up, then lint and the whole test suite (notebooks included)
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: setup graphviz demo test lint bench figures site clean

$(INSTALLED): setup.cfg pyproject.toml
	bash scripts/make-venv.sh $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

graphviz:
	bash scripts/ensure-graphviz.sh

setup: $(INSTALLED) graphviz

demo: setup
	$(PYTHON) scripts/demo.py
	$(VENV)/bin/chainrule graph "tanh(w*x + b)" x=0.5 w=-1.5 b=2 -o runs/demo/neuron.svg

lint: $(INSTALLED)
	$(PYTHON) -m ruff check autograd nn tests benchmarks scripts

test: setup lint
	$(PYTHON) -m pytest -q -n auto --maxschedchunk 1 tests autograd nn README.md

bench: setup
	$(PYTHON) -m pip install --quiet micrograd==0.1.0
	$(PYTHON) benchmarks/bench.py
	$(PYTHON) benchmarks/bench_nn.py
	$(PYTHON) benchmarks/bench_compile.py
	$(PYTHON) benchmarks/bench_hessian.py

figures: setup
	$(PYTHON) scripts/figures.py

site: setup
	$(PYTHON) scripts/site.py --out site

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis runs site
