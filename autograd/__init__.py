"""autograd: a scalar reverse-mode automatic differentiation engine, small enough to read.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 2 * x          # y = x² + 2x
>>> y.backward()
>>> y.data, x.grad              # dy/dx = 2x + 2
(15.0, 8.0)

The engine needs only the standard library. draw_graph builds a graphviz.Digraph with the
graphviz package (installed with chainrule, imported on first use); rendering it to SVG, PNG or
PDF needs Graphviz's `dot` program.

The package's floors: the engine at the top (op: what a row is; ops: the rows; value: Value,
built from the rows; backprop: the chain rule, once; fast: Value's methods made from the rows;
node: how a node keeps its parents; functions; nary; recording; check; higher_order;
micrograd_names), then two rooms the engine never imports, loaded on first use: autograd.draw
(drawings) and autograd.compiler (autograd.compile).
"""

import importlib

from autograd import functions
from autograd._conflict import warn_if_hips_autograd_installed
from autograd.backprop import topological_order
from autograd.check import GradcheckError, gradcheck, jacobian
from autograd.higher_order import grad, hessian, hvp
from autograd.nary import affine, detached_max, log_one_minus, sum_of
from autograd.ops import LogOfZeroError, Op, define_op
from autograd.recording import Scope, no_grad, scope
from autograd.value import Operand, Value

__version__ = "0.1.0"

__all__ = [
    "BackwardFrames",
    "BackwardStep",
    "Contribution",
    "GradcheckError",
    "Graph",
    "GraphvizNotFoundError",
    "LogOfZeroError",
    "Op",
    "Operand",
    "Program",
    "Scope",
    "Value",
    "affine",
    "backward_steps",
    "compile",
    "define_op",
    "detached_max",
    "draw_backward",
    "draw_dot",
    "draw_graph",
    "functions",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "jacobian",
    "log_one_minus",
    "no_grad",
    "scope",
    "sum_of",
    "topological_order",
]

# Drawing and the compiler are rooms of their own, loaded on first use (PEP 562), so that
# `import autograd` reads only the engine's modules.
_LAZY = {
    "autograd.draw": ("BackwardFrames", "BackwardStep", "Contribution", "Graph",
                      "GraphvizNotFoundError", "backward_steps", "draw_backward", "draw_dot",
                      "draw_graph"),
    "autograd.compiler": ("Program", "compile"),
}
_LAZY_NAMES = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_NAMES])


warn_if_hips_autograd_installed()
