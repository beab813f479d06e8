"""Each op's knowledge lives in its row alone: change a row, and everything follows.

The test copies the autograd package to a scratch directory, changes one row there (a unary,
a binary and an n-ary one), and runs a fresh Python on the copy: backward() (through the
method autograd.fast writes from the row), grad(), a drawing's tooltip and a compiled program
must all give the changed derivative. If any of them kept a copy of a derivative of its own, it
would still give the old one.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

AUTOGRAD = Path(__file__).resolve().parents[2] / "autograd"

# (what the row says now, what the scratch copy says instead), in autograd/ops.py
CHANGES = {
    "tanh": ('lambda x, out: 1 - out * out, formula="1 - tanh(x)²"',
             'lambda x, out: 3 * (1 - out * out), formula="3 · (1 - tanh(x)²)"'),
    "*": ('lambda x, y, out: (y, x), formula=("y", "x")',
          'lambda x, y, out: (2 * y, x), formula=("2 · y", "x")'),
    "sum": ("lambda *inputs_and_out: (1.0,) * (len(inputs_and_out) - 1), n_ary=True,\n"
            "         formula=lambda index, names: None,",
            "lambda *inputs_and_out: (2.0,) * (len(inputs_and_out) - 1), n_ary=True,\n"
            "         formula=lambda index, names: \"2\","),
}

# Run on the scratch copy: d y/d x for y = op(x, ...) by each reader, and the tooltip of x's
# edge into y (the drawing's local derivative).
PROGRAM = """
import json, sys
sys.meta_path[:] = [f for f in sys.meta_path
                    if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path.insert(0, sys.argv[1])
import autograd
from autograd import Value, compile, draw_graph, grad, sum_of
assert autograd.__file__.startswith(sys.argv[1]), autograd.__file__

programs = {
    "tanh": lambda x: x.tanh(),
    "*": lambda x: x * 0.75,
    "sum": lambda x: sum_of([x, 0.25, x]),
}
results = {}
for name, f in programs.items():
    x = Value(0.5, label="x")
    y = f(x); y.label = "y"
    y.backward()
    source = draw_graph(y).source
    edge = next(line for line in source.splitlines() if "->" in line)
    v = Value(0.5)
    (derivative,) = grad(f(v), [v])
    w = Value(0.5)
    compile(lambda: f(w), ()).backward()
    results[name] = {"backward": x.grad, "grad": derivative.data, "compiled": w.grad,
                     "edge": edge}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> dict:
    """The readers' results on a scratch copy of autograd with every row of CHANGES changed."""
    scratch = tmp_path_factory.mktemp("scratch")
    shutil.copytree(AUTOGRAD, scratch / "autograd",
                    ignore=shutil.ignore_patterns("__pycache__"))
    ops = scratch / "autograd" / "ops.py"
    text = ops.read_text(encoding="utf-8")
    for name, (now, instead) in CHANGES.items():
        assert text.count(now) == 1, f"the row of {name} no longer reads {now!r}"
        text = text.replace(now, instead)
    ops.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", PROGRAM, str(scratch)], capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize(("name", "expected", "formula"), [
    ("tanh", 3 * (1 - math.tanh(0.5) ** 2), "3 · (1 - tanh(x)²)"),  # 3 times the true one
    ("*", 2 * 0.75, "2 · 0.75"),                                     # d(x * c)/dx = 2c now
    ("sum", 2.0 + 2.0, "= 2"),                                       # x twice, 2 each
], ids=["unary", "binary", "n-ary"])
def test_a_changed_row_changes_every_reader(changed, name, expected, formula):
    """backward (its method made from the row), grad, the drawing and compile all give the
    changed row's derivative."""
    result = changed[name]
    assert result["backward"] == pytest.approx(expected, rel=1e-15)
    assert result["grad"] == pytest.approx(expected, rel=1e-15)
    assert result["compiled"] == pytest.approx(expected, rel=1e-15)
    assert formula in result["edge"]
