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
tops = {name.split("/")[0] for name in zipfile.ZipFile(sys.argv[1]).namelist()}
packages = {t for t in tops if not t.endswith(".dist-info")}
assert packages == {"autograd", "nn"}, f"the wheel should hold autograd and nn only, holds {sorted(packages)}"
print("wheel holds:", sorted(packages))
PY
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work"/dist/*.whl
cd "$work"
"$work/venv/bin/python" -c "import autograd, nn; x = autograd.Value(2.0); (x * x).backward(); assert x.grad == 4.0; print('installed wheel imports: autograd', autograd.__version__)"
