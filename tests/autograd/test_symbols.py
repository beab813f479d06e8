"""autograd.symbols: rows and arithmetic applied to Symbols write Python source that computes the
same floats as the rows and arithmetic applied to floats (the compiler's generated code is made
of it).

The claim, tested three ways: parentheses exactly where Python's precedence and associativity
need them; every row's derivative, as text, evaluates to the row's float derivative; and for
random expression trees, the text evaluated by Python equals the floats, bit for bit.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import functions as F  # noqa: N812 (the usual alias)
from autograd import ops
from autograd.symbols import Symbol


def namespace() -> dict[str, Callable]:
    """What the text calls, by function name: each row itself (numbers in, a float out), so the
    text and the floats run the very same row code. power(x, c) is the row of x ** c."""
    names: dict[str, Callable] = {op.function_name: op for op in ops.BUILT_IN}
    names["power"] = lambda x, c: ops.POWER(float(c))(x)
    return names


def evaluate(text: str, numbers: dict[str, float]) -> object:
    """The text as Python evaluates it, with the names bound to numbers."""
    return eval(text, namespace(), dict(numbers))  # noqa: S307


def same(a: object, b: object) -> bool:
    """The same number to the bit (repr round-trips floats: 0.0 and -0.0 differ)."""
    return repr(a) == repr(b)


a, b, c, x = Symbol("a"), Symbol("b"), Symbol("c"), Symbol("x")
POINT = {"a": 1.5, "b": -0.25, "c": 3.0, "x": 0.7}


# ---- parentheses where Python needs them, and nowhere else ----


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda a, b, c, x: a - (b - c), "a - (b - c)"),
        (lambda a, b, c, x: (a - b) - c, "a - b - c"),
        (lambda a, b, c, x: a / (b * c), "a / (b * c)"),
        (lambda a, b, c, x: a * (b / c), "a * (b / c)"),
        (lambda a, b, c, x: (a * b) / c, "a * b / c"),
        (lambda a, b, c, x: (a + b) * c, "(a + b) * c"),
        (lambda a, b, c, x: (a**b) ** c, "(a ** b) ** c"),
        (lambda a, b, c, x: a ** (b**c), "a ** b ** c"),
        (lambda a, b, c, x: (-2.0) ** x, "(-2.0) ** x"),
        (lambda a, b, c, x: -(2.0**x), "-2.0 ** x"),
        (lambda a, b, c, x: (-a) ** 2, "(-a) ** 2"),
        (lambda a, b, c, x: a ** -b, "a ** -b"),
        (lambda a, b, c, x: -(a * b), "-(a * b)"),
        (lambda a, b, c, x: (-a) * b, "-a * b"),
        (lambda a, b, c, x: operator.neg(-a), "-(-a)"),
        (lambda a, b, c, x: x * -2.0, "x * -2.0"),
        (lambda a, b, c, x: x - -0.5, "x - -0.5"),
        (lambda a, b, c, x: 1 - x * x, "1 - x * x"),
        (lambda a, b, c, x: F.tanh(a - b) * 2, "tanh(a - b) * 2"),
        (lambda a, b, c, x: ops.ADD(a - b, c - x), "a - b + (c - x)"),
        (lambda a, b, c, x: ops.MUL(a + b, c), "(a + b) * c"),
        (lambda a, b, c, x: ops.MUL(c, a * b), "c * (a * b)"),
        (lambda a, b, c, x: F.relu(a - b), "(a - b if a - b > 0.0 else 0.0)"),
        (lambda a, b, c, x: ops.SUM(a, b - c, x), "sum((a, b - c, x))"),
        (lambda a, b, c, x: ops.AFFINE(a + b, c, x), "sum(((a + b) * c,), x)"),
        (lambda a, b, c, x: ops.POWER(2.0)(a - b), "power(a - b, 2)"),
        (lambda a, b, c, x: ops.MUL(a, b) ** 2, "(a * b) ** 2"),
        (lambda a, b, c, x: x * ops.SUM(a + b), "x * sum((a + b,))"),
        (lambda a, b, c, x: ops.MAX(a - b) * c, "(a - b) * c"),
    ],
)
def test_parentheses_follow_pythons_precedence(build, text):
    """Each expression is written with the parentheses Python needs (and no others), and its
    text evaluates to the same float as the expression on floats."""
    symbol = build(a, b, c, x)
    assert symbol.text == text
    assert same(evaluate(text, POINT), build(*POINT.values()))


# ---- every row's derivative, as text ----

POSITIVE = st.floats(0.1, 5.0)
REALS = st.floats(-5.0, 5.0)
PARTIAL = {"log", "/", "**-1", "**-2", "**0.5", "**-1.5", "**0.3333333333333333", "**2.5"}
ROWS = [*ops.BUILT_IN, *(ops.POWER(c) for c in (0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -1.5,
                                                    1 / 3, 2.5))]
N_ARY_INPUTS = {"affine": 5, "sum": 3, "max": 3}


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
@given(data=st.data())
def test_every_rows_derivative_as_text_is_its_float_derivative(row: ops.Op, data):
    """row.local_derivatives on symbols x0, x1, ... and out gives text that evaluates, with the
    floats bound, to exactly row.local_derivatives on those floats."""
    n = row.arity or N_ARY_INPUTS[row.name]
    domain = POSITIVE if row.name in PARTIAL else REALS
    xs = tuple(data.draw(domain, label=f"x{i}") for i in range(n))
    out = row.forward(*xs)
    texts = row.local_derivatives(tuple(Symbol(f"x{i}") for i in range(n)), Symbol("out"))
    numbers = {f"x{i}": v for i, v in enumerate(xs)} | {"out": out}
    expected = row.local_derivatives(xs, out)
    for i, (text, number) in enumerate(zip(texts, expected)):
        got = evaluate(text.text if isinstance(text, Symbol) else repr(text), numbers)
        assert same(float(got), number), (i, text, got, number)


# ---- random expression trees: text and floats agree bit for bit ----

PYTHON_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul,
                    "/": operator.truediv, "**": operator.pow}
UNARY_ROWS = [F.exp, F.log, F.tanh, F.sigmoid, F.relu, F.step, F.sin, F.cos,
              ops.op_named("log_one_minus_sigmoid"),
              *(ops.POWER(c) for c in (2.0, 3.0, -1.0, 0.5, 1 / 3, -1.5))]
VARIABLES = ("x", "y", "z")

leaves = st.one_of(
    st.sampled_from(VARIABLES),
    st.floats(-4.0, 4.0),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, -2.0, 0.5, 1e-300, 3e300]),
)


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    """One more level of a tree: an operator, a negation, or a row, over smaller trees."""
    return st.one_of(
        st.tuples(st.just("python"), st.sampled_from(sorted(PYTHON_OPERATORS)), children,
                  children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("row"), st.sampled_from(UNARY_ROWS), children),
        st.tuples(st.just("row"), st.sampled_from([ops.ADD, ops.MUL, ops.DIV]), children,
                  children),
        st.builds(lambda op, args: ("row", op, *args),
                  st.sampled_from([ops.SUM, ops.MAX]), st.lists(children, min_size=1,
                                                                max_size=4)),
        st.tuples(st.just("row"), st.just(ops.AFFINE), children, children, children),
    )


trees = st.recursive(leaves, extend, max_leaves=12)


def compute(tree, numbers: dict):
    """The tree on numbers (floats or Symbols): Python's operators and the rows."""
    if isinstance(tree, (str, float)):
        return numbers.get(tree, tree) if isinstance(tree, str) else tree
    kind, *parts = tree
    if kind == "neg":
        return -compute(parts[0], numbers)
    if kind == "python":
        symbol, left, right = parts
        return PYTHON_OPERATORS[symbol](compute(left, numbers), compute(right, numbers))
    op, *args = parts
    return op(*(compute(arg, numbers) for arg in args))


def has_sum(tree) -> bool:
    return isinstance(tree, tuple) and (tree[:2] == ("row", ops.SUM) or any(map(has_sum, tree)))


@given(trees, st.tuples(st.floats(-3.0, 3.0), st.floats(-3.0, 3.0), st.floats(0.1, 3.0)))
def test_random_expressions_as_text_equal_their_floats(tree, point):
    """For a random tree of + - * / ** negation and rows (templates and calls, nested), the
    Symbol text evaluated by Python is the float the tree computes on floats, to the bit (where
    the floats are a finite number: an error or a complex number is not compared)."""
    numbers = dict(zip(VARIABLES, point))
    try:
        expected = compute(tree, numbers)
    except (ArithmeticError, ValueError, TypeError):
        return
    if not isinstance(expected, float) or not math.isfinite(expected):
        return
    symbol = compute(tree, {name: Symbol(name) for name in VARIABLES})
    text = symbol.text if isinstance(symbol, Symbol) else repr(symbol)
    got = evaluate(text, numbers)
    # The one known difference: sum's row adds with Python's sum(), which starts from the int 0
    # and so turns a sum of -0.0s into 0.0, where the text's a + b keeps -0.0.
    assert same(got, expected) or (has_sum(tree) and got == expected == 0.0), (text, got)
