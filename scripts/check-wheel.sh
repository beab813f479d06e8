#!/usr/bin/env bash
# Build the wheel, check it holds autograd and nn only, install it (not editable) and import it
# from another directory.
set -euo pipefail
python="$PWD/${PYTHON:-.venv/bin/python}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
"$python" - "$work"/dist/*.whl <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
tops = {name.split("/")[0] for name in names}
packages = {t for t in tops if not t.endswith(".dist-info")}
assert packages == {"autograd", "nn"}, f"the wheel should hold autograd and nn only, holds {sorted(packages)}"
for needed in ("autograd/draw/graph.py", "autograd/compiler/codegen.py", "nn/cli/__init__.py",
               "autograd/py.typed", "nn/py.typed", "nn/course-notebooks/00_quickstart.ipynb",
               "nn/course-notebooks/images/neuron_graph.svg", "nn/site-template/index.html.j2"):
    assert needed in names, f"the wheel misses {needed}"
assert any(name.endswith(".dist-info/LICENSE") or "/licenses/LICENSE" in name for name in names), \
    "the wheel misses LICENSE"
print("wheel holds:", sorted(packages), "with their subpackages, py.typed, LICENSE and the course")
PY
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work"/dist/*.whl
cd "$work"
"$work/venv/bin/python" - <<'PY'
import autograd, nn, nn.cli
x = autograd.Value(2.0)
y = x * x
y.backward()
assert x.grad == 4.0
assert "digraph" in autograd.draw_graph(y).source
assert autograd.compile(lambda a: a * a, (3.0,))(3.0) == 9.0
print("installed wheel imports, draws and compiles: autograd", autograd.__version__)
PY
