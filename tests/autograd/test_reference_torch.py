"""Cross-checks against PyTorch in float64: random straight-line programs over every op, and the
n-ary ops (affine, sum_of), compared value by value and gradient by gradient.

A program is a list of steps; each step applies one op to earlier results (inputs included). The
same step function runs on Values and on torch tensors, since both spell the ops alike. Steps that
would leave an op's domain (log of a non-positive number, division by ~0, a relu at its kink, ...)
are skipped, so every program hypothesis draws is valid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, affine, detached_max, sum_of, topological_order

torch = pytest.importorskip(
    "torch", reason="torch is the reference for these cross-checks (.ci/run installs it)"
)

RTOL = 1e-9
ATOL = 1e-9
LARGEST = 1e6  # steps whose result is larger are skipped: keeps programs well-conditioned


def always(*xs: float) -> bool:
    """Every input is in the op's domain."""
    return True


@dataclass(frozen=True)
class Step:
    """One op a program may apply: its arity, its code, and its domain on the operands' floats."""

    arity: int
    on_values: Callable[..., Value]
    valid: Callable[..., bool] = always
    on_tensors: Callable | None = None  # when torch spells it differently from the engine

    def apply_to_tensors(self, *ts):
        return (self.on_tensors or self.on_values)(*ts)


def tensor_max_detached(*ts):
    """max of scalar tensors, cut from the graph: what detached_max computes."""
    return torch.stack(ts).max().detach()


STEPS = {
    "x + y": Step(2, lambda x, y: x + y),
    "x - y": Step(2, lambda x, y: x - y),
    "x * y": Step(2, lambda x, y: x * y),
    "x / y": Step(2, lambda x, y: x / y, lambda x, y: abs(y) > 0.1),
    "x ** y": Step(2, lambda x, y: x**y, lambda x, y: x > 0.01 and abs(y * math.log(x)) < 20),
    "-x": Step(1, lambda x: -x),
    "x + 2": Step(1, lambda x: x + 2),
    "2 + x": Step(1, lambda x: 2 + x),
    "x - 2": Step(1, lambda x: x - 2),
    "1 - x": Step(1, lambda x: 1 - x),
    "x * 3": Step(1, lambda x: x * 3),
    "3 * x": Step(1, lambda x: 3 * x),
    "x / 4": Step(1, lambda x: x / 4),
    "2 / x": Step(1, lambda x: 2 / x, lambda x: abs(x) > 0.1),
    "2 ** x": Step(1, lambda x: 2**x, lambda x: x < 20),
    "x ** 2": Step(1, lambda x: x**2),
    "x ** 3": Step(1, lambda x: x**3),
    "x ** -1": Step(1, lambda x: x**-1, lambda x: abs(x) > 0.1),
    "x ** 0.5": Step(1, lambda x: x**0.5, lambda x: x > 0.01),
    "x ** -1.5": Step(1, lambda x: x**-1.5, lambda x: x > 0.1),
    "exp": Step(1, lambda x: x.exp(), lambda x: x < 20),
    "log": Step(1, lambda x: x.log(), lambda x: x > 0.01),
    "tanh": Step(1, lambda x: x.tanh()),
    "sigmoid": Step(1, lambda x: x.sigmoid()),
    "relu": Step(1, lambda x: x.relu(), lambda x: abs(x) > 1e-6),  # rounding decides at the kink
    "sin": Step(1, lambda x: x.sin()),
    "cos": Step(1, lambda x: x.cos()),
    "x / y / z": Step(3, lambda x, y, z: x / y / z, lambda x, y, z: min(abs(y), abs(z)) > 0.1),
    "affine": Step(
        5,
        lambda w1, w2, x1, x2, b: affine([w1, w2], [x1, x2], b),
        on_tensors=lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
    ),
    "sum_of": Step(3, lambda a, b, c: sum_of([a, b, c]), on_tensors=lambda a, b, c: a + b + c),
    "detached_max": Step(
        3, lambda a, b, c: detached_max([a, b, c]), on_tensors=tensor_max_detached
    ),
}


@dataclass(frozen=True)
class Program:
    """Inputs, then steps: (op name, operand picks); pick i means earlier result i mod count."""

    inputs: list[float]
    steps: list[tuple[str, list[int]]]


@st.composite
def programs(draw) -> Program:
    """A straight-line program over every op in STEPS, with 1 to 4 inputs and up to 12 steps."""
    inputs = draw(st.lists(st.floats(-3, 3), min_size=1, max_size=4))
    picks = st.lists(st.integers(0, 63), min_size=5, max_size=5)
    step = st.tuples(st.sampled_from(sorted(STEPS)), picks)
    steps = draw(st.lists(step, min_size=1, max_size=12))
    return Program(inputs, steps)


def run(program: Program):
    """Run the program on Values and on float64 tensors side by side; backward on both.

    The output is the sum of every input and every step's result, so each input's gradient
    collects every path through the program.
    Returns the Values, the tensors (inputs first, then step results) and the number of inputs.
    """
    values = [Value(x) for x in program.inputs]
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program.inputs]
    for name, picks in program.steps:
        step = STEPS[name]
        args = [pick % len(values) for pick in picks[: step.arity]]
        if not step.valid(*(values[i].data for i in args)):
            continue
        result = step.on_values(*(values[i] for i in args))
        if abs(result.data) > LARGEST:
            continue
        values.append(result)
        tensors.append(step.apply_to_tensors(*(tensors[i] for i in args)))
    sum_of(values).backward()
    torch.stack(tensors).sum().backward()
    return values, tensors, len(program.inputs)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


@given(programs())
def test_random_programs_match_torch(program: Program):
    """Every intermediate value and every input's gradient equals torch float64's, to ~1e-9."""
    values, tensors, n = run(program)
    for k, (v, t) in enumerate(zip(values, tensors)):
        assert close(v.data, t.item()), f"value of result {k}: {v.data!r} vs torch {t.item()!r}"
    for k, (v, t) in enumerate(zip(values[:n], tensors[:n])):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert close(v.grad, expected), f"gradient of input {k}: {v.grad!r} vs torch {expected!r}"


def test_programs_cover_every_primitive():
    """Between them, the steps build every primitive node the engine has."""
    ops = set()
    for step in STEPS.values():
        args = [Value(0.7 + 0.1 * i) for i in range(step.arity)]
        ops |= {node.op for node in topological_order(step.on_values(*args))}
    assert {"+", "*", "/", "exp", "log", "tanh", "sigmoid", "relu", "sin", "cos", "affine",
            "sum", "max"} <= ops
    assert {"**2", "**3", "**-1", "**0.5", "**-1.5"} <= ops


reals = st.floats(-5, 5)


@st.composite
def affine_cases(draw):
    """Weights, inputs (each a Value or a plain number) and a bias, for 1 to 6 inputs."""
    n = draw(st.integers(1, 6))
    weights = draw(st.lists(reals, min_size=n, max_size=n))
    inputs = draw(st.lists(reals, min_size=n, max_size=n))
    is_value = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    bias = draw(reals)
    return weights, inputs, is_value, bias


@given(affine_cases())
def test_affine_matches_torch(case):
    """affine(w, x, b) = Σ w_j x_j + b and its gradients for w, the Value inputs and b, as torch."""
    weights, inputs, is_value, bias = case
    w = [Value(x) for x in weights]
    x = [Value(v) if keep else v for v, keep in zip(inputs, is_value)]
    b = Value(bias)
    z = affine(w, x, b)
    (z * z).backward()  # a non-trivial upstream gradient: 2z
    as_tensor = lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)
    tw = [as_tensor(v) for v in weights]
    tx = [as_tensor(v) for v in inputs]
    tb = as_tensor(bias)
    tz = torch.stack([wj * xj for wj, xj in zip(tw, tx)]).sum() + tb
    (tz * tz).backward()
    assert close(z.data, tz.item())
    for wj, twj in zip(w, tw):
        assert close(wj.grad, twj.grad.item())
    for xj, txj in zip(x, tx):
        if isinstance(xj, Value):
            assert close(xj.grad, txj.grad.item())
    assert close(b.grad, tb.grad.item())


@given(st.lists(st.tuples(reals, st.booleans()), min_size=1, max_size=8))
def test_sum_of_matches_torch(terms):
    """sum_of of Values and numbers: the sum and each Value's gradient (through tanh), as torch."""
    if not any(keep for _, keep in terms):
        terms = [(terms[0][0], True), *terms[1:]]
    xs = [Value(v) if keep else v for v, keep in terms]
    total = sum_of(xs)
    total.tanh().backward()
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=keep) for v, keep in terms]
    t_total = torch.stack(ts).sum()
    t_total.tanh().backward()
    assert close(total.data, t_total.item())
    for x, t in zip(xs, ts):
        if isinstance(x, Value):
            assert close(x.grad, t.grad.item())


# ---- division near the largest floats ----

HUGE = st.floats(1e295, 1e305) | st.floats(-1e305, -1e295)
MODERATE = st.floats(0.5, 1e3) | st.floats(-1e3, -0.5)


def divide_both(x: float, y: float, x_is_value: bool, y_is_value: bool):
    """x / y with a Value (and a float64 tensor) on the chosen sides, backward from the quotient
    times 3: (quotient, [grads of the Value sides]) from the engine and from torch."""
    vx, vy = (Value(x) if x_is_value else x), (Value(y) if y_is_value else y)
    as_tensor = lambda v, grad: torch.tensor(v, dtype=torch.float64, requires_grad=grad)
    tx, ty = as_tensor(x, x_is_value), as_tensor(y, y_is_value)
    q, tq = vx / vy, tx / ty
    (q * 3).backward()
    (tq * 3).backward()
    sides = [(v, t) for v, t in ((vx, tx), (vy, ty)) if isinstance(v, Value)]
    return (q.data, [v.grad for v, _ in sides]), (tq.item(), [t.grad.item() for _, t in sides])


def relatively_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0) or a == b  # both 0.0 (underflow)


@pytest.mark.parametrize("sides", [(True, True), (True, False), (False, True)],
                         ids=["Value / Value", "Value / number", "number / Value"])
@given(st.one_of(st.tuples(HUGE, MODERATE), st.tuples(HUGE, HUGE), st.tuples(MODERATE, HUGE)))
def test_division_near_1e300_matches_torch(sides, xy):
    """x / y and its gradients (1/y, -x/y²) for numbers near 1e300 (over moderate ones, over
    each other, and moderate over huge) equal torch float64's to a relative 1e-12."""
    (value, grads), (t_value, t_grads) = divide_both(*xy, *sides)
    assert relatively_close(value, t_value), (value, t_value)
    for g, t in zip(grads, t_grads):
        assert relatively_close(g, t), (g, t)
