"""The op table: every op's value against `math`, its derivatives against central differences,
and the node it builds (its .op name and .parents); then the rows of autograd.ops themselves, and
the fast paths Value inlines, bit for bit against their rows.

One row per op; adding an op means adding a row to OPS (what a Value computes) and to ROWS (the
op's row in autograd.ops): a test fails while either lacks it. Inputs are drawn by hypothesis
from the op's domain and named a, b, c, ... in the order the op takes them. A row's `graph` is
the node the op builds, written as nested tuples by `shape`: (op name, *parents), an input by its
name and a constant leaf by its number. So `a - b` is ("+", "a", ("*", "b", -1.0)): a + (b * -1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, affine, detached_max, log_one_minus, ops, sum_of, topological_order
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
    Op("log_one_minus of a sigmoid", lambda a: log_one_minus(a.sigmoid()),
       lambda a: -math.log1p(math.exp(a)), (reals(-20, 20),),  # log(1 - σ(a)) = -softplus(a)
       ("log_one_minus_sigmoid", "a")),
    Op("log_one_minus of another Value", lambda a: log_one_minus(a), lambda a: math.log(1 - a),
       (reals(-10, 0.9),), ("log", ("+", ("*", "a", -1.0), 1.0))),
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


# ---- every op a Value can carry is a row of autograd.ops ----


def test_every_op_a_node_carries_is_its_row():
    """Each node the table above builds carries its op's row (an ops.Op, found by its name),
    never a bare string: so the compiler, the drawings and the parser can read it."""
    for op in OPS:
        args = [Value(0.5 + 0.25 * i) for i in range(len(op.domain))]
        for node in topological_order(op.build(*args)):
            if node.parents:
                assert isinstance(node.op, ops.Op), (op.name, node.op)
                assert ops.op_named(node.op.name) is node.op, (op.name, node.op)


def test_the_value_table_builds_every_built_in_op():
    """Between them, OPS's rows build a node of every op in autograd.ops.BUILT_IN (and powers):
    an op added to the engine without a row in OPS fails here."""
    built = set()
    for op in OPS:
        args = [Value(0.5 + 0.25 * i) for i in range(len(op.domain))]
        built |= {node.op for node in topological_order(op.build(*args)) if node.parents}
    assert {row.name for row in ops.BUILT_IN} <= built
    assert any(name.startswith("**") for name in built)


# ---- the rows of autograd.ops, on floats ----


@dataclass(frozen=True)
class Row:
    """A row of autograd.ops (by name) and the function it computes, written with `math`."""

    name: str
    reference: Callable[..., float]
    domain: tuple[st.SearchStrategy[float], ...]
    detached: bool = False  # every derivative is 0 by definition (max)

    @property
    def op(self) -> ops.Op:
        return ops.op_named(self.name)


def power_row(c: float, domain: st.SearchStrategy[float]) -> Row:
    return Row(ops.POWER(c).name, lambda x: math.pow(x, c), (domain,))


ROWS = [
    Row("+", lambda x, y: x + y, (reals(), reals())),
    Row("*", lambda x, y: x * y, (reals(), reals())),
    Row("/", lambda x, y: x / y, (reals(), away_from_zero())),
    Row("exp", math.exp, (reals(-20, 20),)),
    Row("log", math.log, (POSITIVE,)),
    Row("tanh", math.tanh, (reals(-20, 20),)),
    Row("sigmoid", lambda x: 1 / (1 + math.exp(-x)), (reals(-20, 20),)),
    Row("step", lambda x: 1.0 if x > 0 else 0.0, (away_from_zero(1e-3),)),
    Row("relu", lambda x: max(x, 0.0), (away_from_zero(1e-3),)),
    Row("log_one_minus_sigmoid", lambda z: -math.log1p(math.exp(z)), (reals(-20, 20),)),
    Row("sin", math.sin, (reals(),)),
    Row("cos", math.cos, (reals(),)),
    Row("affine", lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b, (reals(),) * 5),
    Row("sum", lambda a, b, c: a + b + c, (reals(),) * 3),
    Row("max", lambda a, b, c: max(a, b, c), (reals(),) * 3, detached=True),
    power_row(0.0, reals()),
    power_row(1.0, reals()),
    power_row(2.0, reals()),
    power_row(3.0, reals()),
    power_row(-1.0, away_from_zero()),
    power_row(-2.0, away_from_zero()),
    power_row(0.5, POSITIVE),
    power_row(-1.5, POSITIVE),
    power_row(1 / 3, POSITIVE),
]


def test_every_built_in_op_has_a_row_here():
    """ROWS has a row for every op in autograd.ops.BUILT_IN, and for powers: an op added to
    autograd.ops without one here fails."""
    tested = {row.name for row in ROWS}
    assert {op.name for op in ops.BUILT_IN} - tested == set()
    assert {"**2", "**-1", "**0.5", "**0.3333333333333333"} <= tested


def draw_row_inputs(data: st.DataObject, row: Row) -> tuple[float, ...]:
    return tuple(data.draw(domain, label=NAMES[i]) for i, domain in enumerate(row.domain))


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
@given(data=st.data())
def test_row_forward_matches_math(row: Row, data: st.DataObject):
    """row.forward(*xs) is a float equal to the same function computed with `math`, to ~1e-12;
    applied to numbers, the row gives the same float."""
    xs = draw_row_inputs(data, row)
    out = row.op.forward(*xs)
    assert type(out) is float
    assert math.isclose(out, row.reference(*xs), rel_tol=1e-12, abs_tol=1e-12)
    assert row.op(*xs) == out


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
@given(data=st.data())
def test_row_derivatives_match_central_differences(row: Row, data: st.DataObject):
    """row.local_derivatives(xs, out): one float per input, each the central difference of the
    `math` function (0 for max, which is detached)."""
    xs = draw_row_inputs(data, row)
    local = row.op.local_derivatives(xs, row.op.forward(*xs))
    assert len(local) == len(xs)
    for i, d in enumerate(local):
        assert type(d) is float, f"d/d{NAMES[i]} is {d!r}"
        expected = 0.0 if row.detached else central_difference(row.reference, list(xs), i)
        assert math.isclose(d, expected, rel_tol=1e-5, abs_tol=1e-6), f"d/d{NAMES[i]}"


# ---- the fast paths equal their rows, bit for bit ----

ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False)  # subnormals and 1e308 included
FLOATS = st.one_of(reals(-50.0, 50.0), ANY_FLOAT)


@dataclass(frozen=True)
class FastPath:
    """A Value method that computes an op without its row, and the row it must agree with."""

    name: str
    build: Callable[..., Value]  # on Values
    row: ops.Op
    inputs: Callable[..., tuple]  # the row's inputs (floats) for the drawn floats


FAST_PATHS = [
    FastPath("x + y", lambda x, y: x + y, ops.ADD, lambda x, y: (x, y)),
    FastPath("x + 2.5", lambda x, y: x + 2.5, ops.ADD, lambda x, y: (x, 2.5)),
    FastPath("x * y", lambda x, y: x * y, ops.MUL, lambda x, y: (x, y)),
    FastPath("x * -3", lambda x, y: x * -3, ops.MUL, lambda x, y: (x, -3.0)),
    FastPath("x / y", lambda x, y: x / y, ops.DIV, lambda x, y: (x, y)),
    FastPath("x / 7", lambda x, y: x / 7, ops.DIV, lambda x, y: (x, 7.0)),
    FastPath("0.3 / y", lambda x, y: 0.3 / y, ops.DIV, lambda x, y: (0.3, y)),
    *(FastPath(f"x ** {c!r}", lambda x, y, c=c: x**c, ops.POWER(float(c)), lambda x, y: (x,))
      for c in (0, 1, 2, 3, -1, -2, 0.5, -1.5, 1 / 3, 2.5, -1020)),
    FastPath("exp", lambda x, y: x.exp(), ops.EXP, lambda x, y: (x,)),
    FastPath("log", lambda x, y: x.log(), ops.LOG, lambda x, y: (x,)),
    FastPath("tanh", lambda x, y: x.tanh(), ops.TANH, lambda x, y: (x,)),
    FastPath("sigmoid", lambda x, y: x.sigmoid(), ops.SIGMOID, lambda x, y: (x,)),
    FastPath("relu", lambda x, y: x.relu(), ops.RELU, lambda x, y: (x,)),
]


def bits(numbers) -> list[str]:
    """Floats as their exact bits (hex), so that 0.0 and -0.0 differ."""
    return [float.hex(x) for x in numbers]


def outcome(build: Callable[[], Value]) -> tuple:
    """What build() gives: the node's op, value and local derivatives, or the error it raised."""
    try:
        node = build()
    except (ArithmeticError, ValueError) as error:
        return type(error), str(error)
    return node.op, bits([node.data]), bits(node.local_grads)


@pytest.mark.parametrize("path", FAST_PATHS, ids=[path.name for path in FAST_PATHS])
@given(x=FLOATS, y=FLOATS)
def test_fast_path_equals_its_row_bit_for_bit(path: FastPath, x: float, y: float):
    """The Value method's .data is row.forward(...) and its .local_grads are
    row.local_derivatives(...), to the bit; where it raises, the row (applied as any op is, by
    Value.apply_op) raises the same error, and where the row refuses, so does the method."""
    fast = outcome(lambda: path.build(Value(x), Value(y)))
    operands = path.inputs(Value(x), Value(y))  # Values, and numbers where the path has them
    assert fast == outcome(lambda: Value.apply_op(path.row, operands))
    if fast[0] is path.row:
        xs = tuple(v.data if isinstance(v, Value) else v for v in operands)
        constants = tuple(i for i, v in enumerate(operands) if not isinstance(v, Value))
        out = path.row.forward(*xs)
        local = path.row.local_derivatives(xs, out)  # a number's: 0.0 where not finite (J)
        local = [0.0 if i in constants and d - d != 0.0 else d for i, d in enumerate(local)]
        assert fast[1:] == (bits([out]), bits(local))


@pytest.mark.parametrize("row", [ops.AFFINE, ops.SUM], ids=["affine", "sum_of"])
@given(numbers=st.lists(FLOATS, min_size=1, max_size=9))
def test_an_nary_maker_equals_its_row_bit_for_bit(row, numbers):
    """affine and sum_of make their node through the maker autograd.fast writes for the
    number of parents; its value and local derivatives are the row's to the bit (node_of, the
    generic path), and where the row raises, the maker raises the same error."""
    from autograd.value import nary_node_of, node_of

    if row is ops.AFFINE and len(numbers) % 2 == 0:
        numbers = numbers[:-1]  # w_1..w_n, x_1..x_n, b
    parents = tuple(Value(x) for x in numbers)
    assert outcome(lambda: nary_node_of(row, parents)) == outcome(lambda: node_of(row, parents))


def test_an_nary_maker_is_written_per_arity_and_long_ones_take_the_generic_path():
    """A sum of more than fast.LONGEST terms is made by node_of; under no_grad either is a
    leaf."""
    from autograd import fast, no_grad, sum_of

    for n in (2, fast.LONGEST, fast.LONGEST + 1):
        terms = [Value(float(k)) for k in range(n)]
        total = sum_of(terms)
        assert total.data == sum(range(n)) and total.parents == tuple(terms)
        assert total.local_grads == (1.0,) * n
        with no_grad():
            assert sum_of(terms).parents == ()


# ---- division is a primitive ----


def test_division_of_tiny_numbers_is_exact():
    """x / y is one node computing x / y: 1e-300 / 1e-200 is 1e-100 with a Value on either side
    (as a product x * y**-1 it would be 1e-300 * 1e200 = 1.0000000000000001e-100)."""
    for quotient in (Value(1e-300) / 1e-200, 1e-300 / Value(1e-200),
                     Value(1e-300) / Value(1e-200)):
        assert quotient.data == 1e-100
        assert quotient.op == "/" and len(quotient.parents) == 2


def test_a_value_divided_by_itself_is_exactly_one():
    """Value(3) / Value(3) is exactly 1.0 (3 * 3**-1 is 0.9999999999999999 in floats)."""
    assert (Value(3.0) / Value(3.0)).data == 1.0
    x = Value(3.0)
    assert (x / x).data == 1.0


@given(x=ANY_FLOAT, y=ANY_FLOAT.filter(lambda y: y != 0.0))
def test_division_is_pythons_division(x: float, y: float):
    """For any finite x and y != 0 whose quotient and derivatives are finite, Value(x) / y has
    exactly Python's x / y, and local derivatives 1 / y and -(x / y) / y."""
    q, d_y = x / y, -(x / y) / y
    if not all(map(math.isfinite, (q, 1 / y, d_y))):
        return
    node = Value(x) / Value(y)
    assert bits([node.data, *node.local_grads]) == bits([q, 1 / y, d_y])


def test_max_of_one_input_is_that_input():
    """max's row takes any number of inputs, one included: on a number, a Value, and in the
    runtime compiled code calls (detached_max of more than 100 inputs)."""
    from autograd.compiler import runtime

    assert ops.MAX(2.5) == 2.5 and runtime.detached_max(2.5) == 2.5
    node = ops.MAX(Value(-1.5))
    assert (node.data, node.local_grads) == (-1.5, (0.0,))
    assert detached_max([Value(-1.5)]).data == -1.5
