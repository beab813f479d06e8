"""Checking gradients by numbers: central differences and Jacobians.

>>> from autograd import Value, gradcheck, jacobian
>>> gradcheck(lambda x, y: (x * y).tanh(), [0.3, -1.2])
True
>>> x = Value(2.0)
>>> jacobian([x * 3, x * x], [x])
[[3.0], [4.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real

from autograd.backprop import gradients
from autograd.numbers import not_all_finite
from autograd.value import Value


class GradcheckError(AssertionError):
    """backward() and central differences disagree; the message is a per-input table."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float],
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-5,
) -> bool:
    """Compare backward()'s gradient of f at `inputs` with central differences.

    numeric_i = (f(.., x_i + eps, ..) - f(.., x_i - eps, ..)) / (2 eps)
    Passes when |analytic - numeric| <= atol + rtol * |numeric| for every input; returns True,
    else raises GradcheckError with a table of every input.

    >>> gradcheck(lambda x: x.relu() * 0, [1.0])
    True
    """
    _check_settings(eps=eps, atol=atol, rtol=rtol)
    points = [_as_float(x) for x in inputs]
    leaves = [Value(x) for x in points]
    output = _call(f, leaves)
    output.backward()
    analytic = [leaf.grad for leaf in leaves]
    numeric = [_central_difference(f, points, i, eps) for i in range(len(points))]
    rows, failed = [], False
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        error = abs(a - n)
        bad = error > atol + rtol * abs(n)
        failed |= bad
        rows.append(f"{i:>5}  {points[i]:>14.6g}  {a:>14.6g}  {n:>14.6g}  {error:>10.3g}"
                    + ("  <-- mismatch" if bad else ""))
    if failed:
        header = f"{'input':>5}  {'value':>14}  {'analytic':>14}  {'numeric':>14}  {'error':>10}"
        settings = f"atol={atol}, rtol={rtol}, eps={eps}"
        table = "\n".join([header, *rows])
        raise GradcheckError(f"gradients disagree with central differences ({settings}):\n{table}")
    return True


def jacobian(outputs: Sequence[Value], inputs: Sequence[Value]) -> list[list[float]]:
    """J[i][j] = d outputs[i] / d inputs[j]: the chain rule's walk once per output, on the
    local derivatives the nodes hold. No .grad is read or changed. inputs may be interior
    nodes (d output / d that node).

    >>> z1, z2 = Value(1.0), Value(2.0)
    >>> jacobian([z1 * z2, z1 + z2], [z1, z2])
    [[2.0, 1.0], [1.0, 1.0]]
    """
    for v in [*outputs, *inputs]:
        if not isinstance(v, Value):
            raise TypeError(f"jacobian needs Values, got {type(v).__name__}: {v!r}")
    rows = [gradients(output, inputs) for output in outputs]
    for output, row in zip(outputs, rows):
        if not_all_finite(row):
            _refuse_overflow(output)
    return rows


def _refuse_overflow(output: Value) -> None:
    """OverflowError naming the node where the chain rule's walk from output first overflowed,
    as backward() refuses (the walk lends the .grad it uses and gives it back)."""
    terms: list = []
    gradients(output, (), record=terms)
    node = next((node for node, _, _, _, term, _ in terms if term - term != 0.0), output)
    name = repr(node.label) if node.label else f"the {node.op or 'leaf'} node"
    raise OverflowError(f"jacobian: the gradient through {name} (data {node.data:.6g}) "
                        "overflowed to inf (backward() refuses it too); no .grad is changed")


def _check_settings(**settings: float) -> None:
    """eps > 0, atol >= 0 and rtol >= 0, finite numbers: a nan tolerance passes anything."""
    for name, number in settings.items():
        smallest = 0.0 if name != "eps" else math.ulp(0.0)
        if not isinstance(number, Real) or isinstance(number, bool) or \
                not smallest <= number < math.inf:
            need = "a positive" if name == "eps" else "a non-negative"
            raise ValueError(f"gradcheck needs {name} as {need} finite number, got "
                             f"{number!r}")


def _central_difference(f: Callable[..., Value], points: list[float], i: int, eps: float) -> float:
    up, down = list(points), list(points)
    up[i] += eps
    down[i] -= eps
    return (_call(f, map(Value, up)).data - _call(f, map(Value, down)).data) / (2 * eps)


def _call(f: Callable[..., Value], args) -> Value:
    out = f(*args)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck needs f to return a Value, got {type(out).__name__}: {out!r}")
    return out


def _as_float(x: object) -> float:
    return x.data if isinstance(x, Value) else Value(x).data
