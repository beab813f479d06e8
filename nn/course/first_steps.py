"""The first notebooks' checks (00 and 01): a derivative three ways, a second backward(),
a Value used three times, softmax's Jacobian and a tanh neuron's slopes.

>>> check_backward_twice(None, None)
'not done yet: fill in after_one and after_two in the cell above.'
>>> check_cube_slope(12.0, 2.0)
''

Each check returns "" when the answer passes, "not done yet: ..." while a blank is None, and
otherwise what failed with a place to look next, never the number it expected.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, affine, jacobian
from nn.course.answers import close, missing
from nn.functional import softmax

__all__ = ["check_backward_twice", "check_cube_slope", "check_neuron_slopes",
           "check_sigmoid_slopes", "check_softmax_columns", "check_softmax_rows"]


# ---- 00 ----

def check_sigmoid_slopes(from_formula, nudged, from_backward, *, x: float, w: float,
                         b: float, h: float) -> str:
    """dy/db of y = σ(w x + b) three ways: σ(z)(1 − σ(z)), a one-sided nudge of b by h, and
    backward()."""
    said = missing(from_formula=from_formula, nudged=nudged, from_backward=from_backward)
    if said:
        return said
    bias = Value(b)
    y = (Value(x) * Value(w) + bias).sigmoid()
    y.backward()
    if not close(from_backward, bias.grad, 1e-15):
        return "from_backward is not b's gradient: call backward() on the output, then read it."
    if not close(from_formula, bias.grad):
        return ("from_formula is not σ(z)(1 − σ(z)) at this neuron: σ(z) is the neuron's "
                "output, its .data.")
    if from_formula == nudged:
        return "nudged is the formula's number: nudge b by h and run the neuron again."
    one_sided = ((Value(x) * Value(w) + Value(b + h)).sigmoid().data - y.data) / h
    if not close(nudged, one_sided, 1e-9):
        return (f"nudged is not the one-sided nudge with h = {h:g}: the change in the output, "
                "divided by h.")
    return ""


def check_backward_twice(after_one, after_two) -> str:
    """w's gradient after one and after two backward() calls on y = tanh(0.5 w + 2), w = -1.5."""
    said = missing(after_one=after_one, after_two=after_two)
    if said:
        return said
    w = Value(-1.5)
    y = (Value(0.5) * w + Value(2.0)).tanh()
    y.backward()
    if not close(after_one, w.grad, 1e-15):
        return ("after_one is not w's gradient after one backward(): read it right after the "
                "first call, before the second.")
    y.backward()
    if not close(after_two, w.grad, 1e-15):
        return "after_two is not w's gradient read after a second backward() on the same y."
    return ""


def check_cube_slope(engine_slope, at: float) -> str:
    """engine_slope is df/dx of f(x) = x · x · x at x = at, from backward()."""
    said = missing(engine_slope=engine_slope)
    if said:
        return said
    x = Value(at)
    (x * x * x).backward()
    if close(engine_slope, x.grad, 1e-9):
        return ""
    return ("engine_slope is not what backward() gives for x · x · x: build f from the one "
            "Value x, call backward() on f, then read x's gradient.")


# ---- 01 ----

def check_softmax_rows(row_sums, shifted, logits: Sequence[Value], *, shift: float) -> str:
    """row_sums: the sums of the rows of softmax's Jacobian at logits; shifted: softmax of the
    logits each raised by shift, as floats."""
    said = missing(row_sums=row_sums, shifted=shifted)
    if said:
        return said
    z = [Value(v.data) for v in logits]
    J = jacobian(softmax(z), z)
    if len(row_sums) != len(J) or not all(close(s, sum(row), 1e-15)
                                          for s, row in zip(row_sums, J)):
        return "row_sums should hold one sum per row of J (J[i] is row i), in order."
    moved = softmax([Value(v.data + shift) for v in logits])
    if len(shifted) != len(moved) or not all(close(a, y.data, 1e-12)
                                             for a, y in zip(shifted, moved)):
        return (f"shifted is not softmax of the logits each raised by {shift:g}, as floats "
                "(the outputs' .data).")
    return ""


def check_softmax_columns(gradients, which_sums, logits: Sequence[Value]) -> str:
    """gradients: ∂s/∂z_j for s the sum of softmax's outputs; which_sums names the sums of
    the Jacobian they are ("rows" or "columns")."""
    said = missing(gradients=gradients, which_sums=which_sums)
    if said:
        return said
    z = [Value(v.data) for v in logits]
    y = softmax(z)
    sum(y[1:], y[0]).backward()
    if len(gradients) != len(z) or not all(close(g, v.grad, 1e-15)
                                           for g, v in zip(gradients, z)):
        return "gradients are not the logits' gradients after s.backward(), in order."
    if which_sums not in ("rows", "columns"):
        return 'which_sums should be "rows" or "columns".'
    if which_sums != "columns":
        return ("not the rows: ∂s/∂z_j adds ∂y_i/∂z_j over the outputs i, with j fixed. Which "
                "index of J[i][j] runs?")
    return ""


def check_neuron_slopes(by_chain_rule, engine_grads, w: Sequence[float], x: Sequence[float],
                        b: float) -> str:
    """∂y/∂w_j of y = tanh(Σ_j w_j x_j + b) by the chain rule and from backward()."""
    said = missing(by_chain_rule=by_chain_rule, engine_grads=engine_grads)
    if said:
        return said
    weights = [Value(v) for v in w]
    y = affine(weights, list(x), Value(b)).tanh()
    y.backward()
    wanted = [v.grad for v in weights]
    if len(engine_grads) != len(wanted) or not all(
            close(g, e, 1e-12) for g, e in zip(engine_grads, wanted)):
        return "engine_grads are not the weights' gradients after y.backward(), in order."
    if len(by_chain_rule) != len(wanted):
        return "by_chain_rule should hold one slope per weight."
    for j, (mine, e) in enumerate(zip(by_chain_rule, wanted), start=1):
        if close(mine, e, 1e-12):
            continue
        if close(mine, x[j - 1], 1e-12):
            return (f"∂y/∂w_{j} by the chain rule is missing ∂y/∂z: the tanh sits between z and "
                    "y.")
        if close(mine, (1 - y.data) * x[j - 1], 1e-12) or close(
                mine, y.data * x[j - 1], 1e-12):
            return (f"∂y/∂w_{j}: look again at tanh's derivative, written with its output y.")
        return (f"∂y/∂w_{j} by the chain rule is not backward()'s: it is ∂y/∂z times ∂z/∂w_{j}, "
                "and each factor can be written with what the cell holds.")
    return ""
