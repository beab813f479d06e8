"""The checks of notebooks 02 and 03: divergences' gradients, chains of local derivatives, and
an op whose local derivative you write yourself (autograd.define_op).

>>> import math
>>> from autograd import define_op, functions as F
>>> good = define_op("course_swish", lambda x: x * F.sigmoid(x),
...                  lambda x, out: F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x))))
>>> check_op_derivative(good)
''
>>> half = define_op("course_swish", lambda x: x * F.sigmoid(x), lambda x, out: F.sigmoid(x))
>>> check_op_derivative(half)[:60]
'your derivative agrees with a central difference at x = 0 bu'

Each check returns "" when the answer passes, "not done yet: ..." while a blank is None, and
otherwise what failed with a place to look next, never the number it expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd import Value, topological_order
from nn.course.answers import close, missing
from nn.divergences import kl_divergence, l2_divergence
from nn.functional import softmax

__all__ = ["check_flat_slopes", "check_kl_ratio", "check_op_derivative", "check_price_chain",
           "check_soft_target_gradient", "check_unscaled_l2"]

POINTS = (-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5)


# ---- 02 ----

def check_soft_target_gradient(gradient, y_minus_d, z: Sequence[float],
                               d: Sequence[float]) -> str:
    """gradient: ∇_z KL(softmax(z), d) from backward(); y_minus_d: y − d from softmax's
    outputs."""
    said = missing(gradient=gradient, y_minus_d=y_minus_d)
    if said:
        return said
    logits = [Value(v) for v in z]
    y = softmax(logits)
    kl_divergence(y, list(d)).backward()
    if len(gradient) != len(z) or not all(close(g, v.grad) for g, v in zip(gradient, logits)):
        return ("gradient is not the logits' gradients after backward() on KL(softmax(z), d): "
                "build the softmax from the logits, then the divergence with the soft d.")
    if len(y_minus_d) != len(z) or not all(close(e, v.data - t)
                                           for e, v, t in zip(y_minus_d, y, d)):
        return "y_minus_d is not y − d, from the softmax outputs' .data and the soft target."
    return ""


def check_unscaled_l2(unscaled_gradient, scaled_gradient, *, y: float, d: float) -> str:
    """dDiv/dy of (y − d)² and of ½(y − d)² at the given y and d, from backward()."""
    said = missing(unscaled_gradient=unscaled_gradient, scaled_gradient=scaled_gradient)
    if said:
        return said
    a, b = Value(y), Value(y)
    ((a - d) ** 2).backward()
    l2_divergence(b, d).backward()
    if close(unscaled_gradient, b.grad) and close(scaled_gradient, a.grad):
        return "the two gradients are swapped: which divergence has the ½?"
    if not close(unscaled_gradient, a.grad):
        return ("unscaled_gradient is not what backward() gives for (y − d)²: build it from a "
                "Value of its own, call backward(), then read that Value's gradient.")
    if not close(scaled_gradient, b.grad):
        return ("scaled_gradient is not what backward() gives for nn.l2_divergence: build it "
                "from another fresh Value.")
    return ""


def check_kl_ratio(ratio, wrong: Sequence[float], right: Sequence[float],
                   d: Sequence[float], c: int) -> str:
    """ratio: ∂KL/∂y_c for the outputs `wrong`, divided by the same for `right`."""
    said = missing(ratio=ratio)
    if said:
        return said
    grads = []
    for outputs in (wrong, right):
        y = [Value(v) for v in outputs]
        kl_divergence(y, list(d)).backward()
        grads.append(y[c].grad)
    if close(ratio, grads[1] / grads[0], 1e-9):
        return "ratio is upside down: the wrong network's gradient goes on top."
    if not close(ratio, grads[0] / grads[1], 1e-9):
        return ("ratio is not the quotient of the two gradients on the correct class's "
                "output, each after its own backward().")
    return ""


# ---- 03 ----

def check_price_chain(price, weight: Value, rates: Sequence[float]) -> str:
    """price is built from weight by multiplying by each rate along the chain."""
    if price is None:
        return "not done yet: fill in price in the cell above."
    if not isinstance(price, Value) or weight not in topological_order(price):
        return "price is not computed from weight: build it from the Value weight, with Values."
    if not close(price.data, weight.data * math.prod(rates), 1e-9):
        return ("price has another value than the chain gives: each link multiplies by its "
                "own rate, Height = 2 · Weight, Size = Height / 4, Price = 30 · Size.")
    return ""


def check_flat_slopes(slope_at_flat_time, slope_at_1000, flat_time) -> str:
    """dIceCream/dTime of IceCream = √(Time² + 1/2), measured at flat_time and at 1000."""
    said = missing(flat_time=flat_time, slope_at_flat_time=slope_at_flat_time,
                    slope_at_1000=slope_at_1000)
    if said:
        return said
    for at, name, measured in ((flat_time, "slope_at_flat_time", slope_at_flat_time),
                               (1000.0, "slope_at_1000", slope_at_1000)):
        t = Value(at)
        ((t**2 + 0.5) ** 0.5).backward()
        if not close(measured, t.grad):
            return (f"{name} is not what backward() gives at Time = {at:g}: build the craving "
                    "from a fresh Value of that time, call backward(), read its gradient.")
    if not close(slope_at_flat_time, 0.0):
        return "the slope at flat_time is not zero: look at the closed form's fraction again."
    return ""


def check_op_derivative(op, points: Sequence[float] = POINTS) -> str:
    """op (made by autograd.define_op, one input) has a local derivative that agrees with a
    central difference of its forward at each of points."""
    if op is None:
        return "not done yet: fill in the derivative and define the op in the cell above."
    agree, disagree = [], []
    for x in points:
        leaf = Value(x)
        try:
            out = op(leaf)
            out.backward()
        except Exception as error:  # the learner's derivative: any error is theirs to read
            return (f"at x = {x:g} your derivative raised {type(error).__name__}: {error}. It "
                    "is called with the input x and the output out (floats, or Values), and "
                    "returns one number.")
        h = 1e-6
        numeric = (op(Value(x + h)).data - op(Value(x - h)).data) / (2 * h)
        (agree if abs(leaf.grad - numeric) <= 1e-5 + 1e-4 * abs(numeric) else disagree).append(
            (x, leaf.grad, numeric, out.data))
    if not disagree:
        return ""
    if all(close(g, out, 1e-9) for _, g, _, out in disagree):
        return ("your derivative returns the op's own value (out): that holds for eˣ, not "
                "here. How fast does the output change with x?")
    if all(close(g, -n, 1e-4) for _, g, n, _ in disagree + agree):
        return "your derivative has the wrong sign everywhere."
    if 0.0 in [x for x, *_ in agree] and len(agree) < len(points) / 2:
        return ("your derivative agrees with a central difference at x = 0 but not away from "
                "it: x · σ(x) is a product, and both of its factors change with x.")
    where = ", ".join(f"{x:g}" for x, *_ in disagree)
    return (f"your derivative disagrees with a central difference at x = {where}: write d out "
            "/ dx step by step, one factor of the forward at a time.")
