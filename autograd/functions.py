"""The functions of autograd, for floats and Values alike: a float in, a float out; a Value in,
a Value (a node of the graph) out.

>>> from autograd import Value, functions as F
>>> F.tanh(0.5) == math.tanh(0.5)
True
>>> y = F.sin(Value(0.5)); y.op, y.local_grads == (math.cos(0.5),)
('sin', True)

Each is the row of a built-in op of one input in autograd.ops (so an op's derivative can be
written with them once and serve floats, Values and the compiler's symbols alike); the table
below is read from the rows:

"""

import math  # noqa: F401 (the doctests above use it)

from autograd import ops

_ROWS = {row.name: row for row in ops.BUILT_IN if row.arity == 1 and not row.fused}
globals().update(_ROWS)  # exp, log, tanh, ...: each the row itself

__all__ = sorted(_ROWS)
__doc__ += "\n".join(f"    {name + '(x)':<12} d/dx = {row.derivative_text(0, ['x'], 'out')}"
                      for name, row in _ROWS.items()) + "\n"
