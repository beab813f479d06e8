"""The functions of autograd, for floats and Values alike: a float in, a float out; a Value in,
a Value (a node of the graph) out.

>>> from autograd import Value, functions as F
>>> F.tanh(0.5) == math.tanh(0.5)
True
>>> y = F.sin(Value(0.5)); y.op, y.local_grads == (math.cos(0.5),)
('sin', True)

Each is the row of a built-in op of one input in autograd.ops (so an op's derivative can be
written with them once and serve floats, Values and the compiler's symbols alike):

    exp(x)      e ** x               d/dx = exp(x)
    log(x)      ln x, for x > 0      d/dx = 1 / x
    tanh(x)                          d/dx = 1 - tanh(x)²
    sigmoid(x)  1 / (1 + e ** -x)    d/dx = σ(x) (1 - σ(x))
    relu(x)     max(0, x)            d/dx = step(x) (relu'(0) is taken as 0)
    step(x)     1 if x > 0, else 0   d/dx = 0
    sin(x)                           d/dx = cos(x)
    cos(x)                           d/dx = -sin(x)
"""

import math  # noqa: F401 (the doctests above use it)

from autograd import ops

_ROWS = {row.name: row for row in ops.BUILT_IN if row.arity == 1 and not row.fused}
globals().update(_ROWS)  # exp, log, tanh, ...: each the row itself

__all__ = sorted(_ROWS)
