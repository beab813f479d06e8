"""The float functions that generated code calls: each op's row, evaluated on plain numbers.

>>> from autograd.compiler.runtime import log, power, sigmoid
>>> sigmoid(-1000.0), sigmoid(0.0)
(0.0, 0.5)
>>> power(-2.0, 3)
-8.0
>>> log(0.0)
Traceback (most recent call last):
...
autograd.ops.LogOfZeroError: log is undefined for 0.0 (needs a positive number)

Generated code imports what it calls from here by the op's function_name (`from
autograd.compiler.runtime import exp, tanh, softplus`): a row's evaluate, which computes the
forward with the same floats as the engine's node and refuses what the engine refuses (a value or
local derivative that is not finite) with the same exception. Rows with a `code` template (+, *,
relu, ...) are written inline instead, as Python's own float operators behave as the engine does.
"""

# The module holds no other name (no `from __future__ import annotations`, ops as _ops): an
# op's function_name never starts with _ (autograd.ops.function_name_for), so no attribute here
# can answer for an op.
from autograd import ops as _ops


def __getattr__(name):
    """exp, log, tanh, power, ...: what generated code calls by name, each a row's (or a
    family's) evaluate, as autograd.ops.runtime_functions() lists them now (define_op's
    included)."""
    function = _ops.runtime_functions().get(name)
    if function is None:
        raise AttributeError(f"no op's function is called {name!r}: compiled code calls ops "
                             "defined with autograd.define_op by name, so define it first")
    return function
