"""autograd: a scalar reverse-mode automatic differentiation engine, small enough to read.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 2 * x          # y = x² + 2x
>>> y.backward()
>>> y.data, x.grad              # dy/dx = 2x + 2
(15.0, 8.0)

The engine needs only the standard library. draw_graph writes DOT text with nothing else;
rendering it to SVG, PNG or PDF needs Graphviz's `dot` program.
"""

from autograd._conflict import warn_if_hips_autograd_installed
from autograd.check import GradcheckError, gradcheck, jacobian
from autograd.draw import Graph, GraphvizNotFoundError, draw_graph
from autograd.nary import affine, detached_max, sum_of
from autograd.program import Program, compile  # noqa: A004 (used as autograd.compile)
from autograd.recording import Scope, no_grad, scope
from autograd.steps import BackwardFrames, BackwardStep, Contribution, backward_steps, draw_backward
from autograd.value import Operand, Value, topological_order

__version__ = "0.1.0"

__all__ = [
    "BackwardFrames",
    "BackwardStep",
    "Contribution",
    "GradcheckError",
    "Graph",
    "GraphvizNotFoundError",
    "Operand",
    "Program",
    "Scope",
    "Value",
    "affine",
    "backward_steps",
    "compile",
    "detached_max",
    "draw_backward",
    "draw_graph",
    "gradcheck",
    "jacobian",
    "no_grad",
    "scope",
    "sum_of",
    "topological_order",
]

warn_if_hips_autograd_installed()
