"""The op table: every op's value against `math`, its derivatives against central differences,
and the node it builds (its .op name and .parents).

One row per op; adding an op means adding a row to OPS. Inputs are drawn by hypothesis from the
op's domain and named a, b, c, ... in the order the op takes them. A row's `graph` is the node the
op builds, written as nested tuples by `shape`: (op name, *parents), an input by its name and a
constant leaf by its number. So `a - b` is ("+", "a", ("*", "b", -1.0)): a + (b * -1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, affine, detached_max, sum_of
from autograd import functions as F  # noqa: N812 (the usual alias)

NAMES = "abcde"


def reals(low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(low: float = 0.1, high: float = 10.0) -> st.SearchStrategy[float]:
    """Floats with low <= |x| <= high, of either sign."""
    return st.one_of(reals(low, high), reals(-high, -low))


POSITIVE = reals(0.01, 100.0)


@dataclass(frozen=True)
class Op:
    """One row of the table."""

    name: str
    build: Callable[..., Value]  # the engine's op, on Values
    reference: Callable[..., float]  # the same function on floats, with `math`
    domain: tuple[st.SearchStrategy[float], ...]  # one strategy per input
    graph: object  # the node `build` makes, as `shape` writes it
    detached: bool = False  # the op's derivatives are 0 by definition (detached_max)


PRIMITIVES = [
    Op("add", lambda a, b: a + b, lambda a, b: a + b, (reals(), reals()), ("+", "a", "b")),
    Op("add a constant", lambda a: a + 2, lambda a: a + 2, (reals(),), ("+", "a", 2.0)),
    Op("add to itself", lambda a: a + a, lambda a: a + a, (reals(),), ("+", "a", "a")),
    Op("mul", lambda a, b: a * b, lambda a, b: a * b, (reals(), reals()), ("*", "a", "b")),
    Op("mul by a constant", lambda a: a * 3, lambda a: a * 3, (reals(),), ("*", "a", 3.0)),
    Op("mul by itself", lambda a: a * a, lambda a: a * a, (reals(),), ("*", "a", "a")),
    Op("pow 0", lambda a: a**0, lambda a: 1.0, (reals(),), ("**0", "a")),
    Op("pow 2", lambda a: a**2, lambda a: a**2, (reals(),), ("**2", "a")),
    Op("pow 3", lambda a: a**3, lambda a: a**3, (reals(),), ("**3", "a")),
    Op("pow -1", lambda a: a**-1, lambda a: 1 / a, (away_from_zero(),), ("**-1", "a")),
    Op("pow -2", lambda a: a**-2, lambda a: a**-2, (away_from_zero(),), ("**-2", "a")),
    Op("pow 0.5", lambda a: a**0.5, math.sqrt, (POSITIVE,), ("**0.5", "a")),
    Op("pow -1.5", lambda a: a**-1.5, lambda a: a**-1.5, (POSITIVE,), ("**-1.5", "a")),
    Op("truediv", lambda a, b: a / b, lambda a, b: a / b, (reals(), away_from_zero()),
       ("/", "a", "b")),
    Op("truediv by a constant", lambda a: a / 4, lambda a: a / 4, (reals(),), ("/", "a", 4.0)),
    Op("rtruediv", lambda a: 2 / a, lambda a: 2 / a, (away_from_zero(),), ("/", 2.0, "a")),
    Op("truediv by itself", lambda a: a / a, lambda a: 1.0, (away_from_zero(),), ("/", "a", "a")),
    Op("exp", lambda a: a.exp(), math.exp, (reals(-20, 20),), ("exp", "a")),
    Op("sin", lambda a: a.sin(), math.sin, (reals(),), ("sin", "a")),
    Op("cos", lambda a: a.cos(), math.cos, (reals(),), ("cos", "a")),
    Op("step", lambda a: F.step(a), lambda a: float(a > 0), (away_from_zero(1e-3),),
       ("step", "a")),
    Op("log", lambda a: a.log(), math.log, (POSITIVE,), ("log", "a")),
    Op("tanh", lambda a: a.tanh(), math.tanh, (reals(-20, 20),), ("tanh", "a")),
    Op(
        "sigmoid",
        lambda a: a.sigmoid(),
        lambda a: 1 / (1 + math.exp(-a)),
        (reals(-20, 20),),
        ("sigmoid", "a"),
    ),
    Op("relu", lambda a: a.relu(), lambda a: max(a, 0.0), (away_from_zero(1e-3),), ("relu", "a")),
    Op(
        "affine",
        lambda w1, w2, x1, x2, b: affine([w1, w2], [x1, x2], b),
        lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
        (reals(),) * 5,
        ("affine", "a", "b", "c", "d", "e"),
    ),
    Op(
        "affine with a number input",
        lambda w1, w2, x1, b: affine([w1, w2], [x1, 3.0], b),
        lambda w1, w2, x1, b: w1 * x1 + w2 * 3.0 + b,
        (reals(),) * 4,
        ("affine", "a", "b", "c", 3.0, "d"),
    ),
    Op(
        "affine with a weight as its input",
        lambda w, b: affine([w], [w], b),
        lambda w, b: w * w + b,
        (reals(), reals()),
        ("affine", "a", "a", "b"),
    ),
    Op(
        "sum_of",
        lambda a, b, c: sum_of([a, b, c]),
        lambda a, b, c: a + b + c,
        (reals(),) * 3,
        ("sum", "a", "b", "c"),
    ),
    Op(
        "sum_of with a number term",
        lambda a, b: sum_of([a, 2.5, b, a]),
        lambda a, b: a + 2.5 + b + a,
        (reals(),) * 2,
        ("sum", "a", 2.5, "b", "a"),
    ),
    Op(
        "detached_max",
        lambda a, b, c: detached_max([a, b, c]),
        max,
        (reals(),) * 3,
        ("max", "a", "b", "c"),
        detached=True,
    ),
]

COMPOSITES = [
    Op("neg", lambda a: -a, lambda a: -a, (reals(),), ("*", "a", -1.0)),
    Op("sub", lambda a, b: a - b, lambda a, b: a - b, (reals(), reals()),
       ("+", "a", ("*", "b", -1.0))),
    Op("sub a constant", lambda a: a - 2, lambda a: a - 2, (reals(),), ("+", "a", -2.0)),
    Op("radd", lambda a: 2 + a, lambda a: 2 + a, (reals(),), ("+", "a", 2.0)),
    Op("rsub", lambda a: 1 - a, lambda a: 1 - a, (reals(),), ("+", ("*", "a", -1.0), 1.0)),
    Op("rmul", lambda a: 3 * a, lambda a: 3 * a, (reals(),), ("*", "a", 3.0)),
    Op("rpow", lambda a: 2**a, lambda a: 2**a, (reals(),), ("exp", ("*", "a", math.log(2.0)))),
    Op("Value ** Value", lambda a, b: a**b, lambda a, b: a**b, (reals(0.1, 10), reals(-3, 3)),
       ("exp", ("*", "b", ("log", "a")))),
]

OPS = PRIMITIVES + COMPOSITES


def shape(node: Value, names: dict[int, str]) -> object:
    """The graph below node as nested tuples: (op, *parents); an input by name, a constant by value.

    Inputs are matched by identity (id), so a repeated input shows up as the same name twice.
    """
    if id(node) in names:
        return names[id(node)]
    if not node.parents:
        return node.data
    return (node.op, *(shape(parent, names) for parent in node.parents))


def central_difference(f: Callable[..., float], xs: list[float], i: int) -> float:
    """(f(.., x_i + h, ..) - f(.., x_i - h, ..)) / 2h, with h scaled to x_i."""
    h = 1e-6 * max(1.0, abs(xs[i]))
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def draw_inputs(data: st.DataObject, op: Op) -> list[float]:
    """One point of the op's domain, drawn by hypothesis, one float per input."""
    return [data.draw(domain, label=NAMES[i]) for i, domain in enumerate(op.domain)]


def by_name(ops: list[Op]):
    """Parametrize a test over the rows of a table, each test id being the row's name."""
    return pytest.mark.parametrize("op", ops, ids=[op.name for op in ops])


@by_name(OPS)
@given(data=st.data())
def test_forward_matches_math(op: Op, data: st.DataObject):
    """The op's value equals the same function computed with `math`, to ~1e-12."""
    xs = draw_inputs(data, op)
    out = op.build(*map(Value, xs))
    assert isinstance(out.data, float)
    assert math.isclose(out.data, op.reference(*xs), rel_tol=1e-12, abs_tol=1e-12)


@by_name(OPS)
@given(data=st.data())
def test_derivatives_match_central_differences(op: Op, data: st.DataObject):
    """backward() gives each input the central difference of the `math` function (0 if detached)."""
    xs = draw_inputs(data, op)
    inputs = [Value(x) for x in xs]
    op.build(*inputs).backward()
    for i, x in enumerate(inputs):
        expected = 0.0 if op.detached else central_difference(op.reference, xs, i)
        assert math.isclose(x.grad, expected, rel_tol=1e-5, abs_tol=1e-6), f"d/d{NAMES[i]}"


@by_name(OPS)
@settings(max_examples=5)
@given(data=st.data())
def test_node_op_name_and_parents(op: Op, data: st.DataObject):
    """The op builds the documented node: its .op and .parents, in order, duplicates kept."""
    inputs = [Value(x) for x in draw_inputs(data, op)]
    out = op.build(*inputs)
    names = {id(x): NAMES[i] for i, x in enumerate(inputs)}
    assert shape(out, names) == op.graph
    assert len(out.local_grads) == len(out.parents)
    assert all(x.op == "" and x.parents == () and x.local_grads == () for x in inputs)


def test_duplicate_parents_are_the_same_object():
    """a + a and a * a keep the operand twice, as the very same Value (not a copy)."""
    a = Value(3.0)
    for out in (a + a, a * a):
        assert len(out.parents) == 2
        assert out.parents[0] is a and out.parents[1] is a


@pytest.mark.parametrize(
    ("build", "local_grads"),
    [
        (lambda a, b: a + b, (1.0, 1.0)),
        (lambda a, b: a * b, (-4.0, 2.0)),
        (lambda a, b: a**3, (12.0,)),
        (lambda a, b: affine([a], [b], Value(1.0)), (-4.0, 2.0, 1.0)),
        (lambda a, b: sum_of([a, b]), (1.0, 1.0)),
        (lambda a, b: detached_max([a, b]), (0.0, 0.0)),
    ],
    ids=["add", "mul", "pow", "affine", "sum_of", "detached_max"],
)
def test_primitive_local_grads_are_plain_floats(build, local_grads):
    """A primitive stores d(out)/d(parent) as floats on the node, one per parent (a=2, b=-4)."""
    out = build(Value(2.0), Value(-4.0))
    assert out.local_grads == local_grads
    assert all(type(g) is float for g in out.local_grads)


def test_relu_derivative_at_zero_is_zero():
    """relu'(0) is taken as 0 (the convention PyTorch uses)."""
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert (y.data, x.grad) == (0.0, 0.0)


@pytest.mark.parametrize(("c", "expected"), [(0, (1.0, 0.0)), (1, (0.0, 1.0)), (2, (0.0, 0.0))])
def test_power_of_zero(c, expected):
    """0 ** c for c = 0, 1, 2: value and derivative are the limits (0 ** 0 is 1, as in math.pow)."""
    x = Value(0.0)
    y = x**c
    y.backward()
    assert (y.data, x.grad) == expected


@pytest.mark.parametrize(("x", "c"), [(-2.0, 2), (-2.0, 3), (-2.0, -1), (-0.5, -2.0)])
def test_negative_base_with_whole_power(x, c):
    """A negative base with a whole-number power is fine: value x ** c, derivative c x ** (c-1)."""
    v = Value(x)
    y = v**c
    y.backward()
    assert math.isclose(y.data, x**c, rel_tol=1e-15)
    assert math.isclose(v.grad, c * x ** (c - 1), rel_tol=1e-15)
