"""nn.cli.expression: arithmetic typed by a person, built from Values against an allow-list."""

import ast
import builtins
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import topological_order
from nn.cli.expression import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    check,
    evaluate,
    parse_binding,
)

numbers = st.floats(-3.0, 3.0, allow_nan=False)

# (expression, f(x, w), df/dx) over x, w with x > 0
ALLOWED = [
    ("tanh(w*x + b)", lambda x, w: math.tanh(w * x + 2.0),
     lambda x, w: w * (1 - math.tanh(w * x + 2.0) ** 2)),
    ("x*w - x/w", lambda x, w: x * w - x / w, lambda x, w: w - 1 / w),
    ("x**3 + 2**x", lambda x, w: x**3 + 2**x, lambda x, w: 3 * x**2 + math.log(2) * 2**x),
    ("-x*w", lambda x, w: -x * w, lambda x, w: -w),
    ("exp(-x) + log(x)", lambda x, w: math.exp(-x) + math.log(x),
     lambda x, w: -math.exp(-x) + 1 / x),
    ("sigmoid(x) * relu(w)", lambda x, w: max(w, 0) / (1 + math.exp(-x)),
     lambda x, w: max(w, 0) * math.exp(-x) / (1 + math.exp(-x)) ** 2),
    ("x ** w", lambda x, w: x**w, lambda x, w: w * x ** (w - 1)),
    ("(1/2) * x * x + 3", lambda x, w: 0.5 * x * x + 3, lambda x, w: x),
]


@pytest.mark.parametrize(("text", "f", "df_dx"), ALLOWED, ids=[row[0] for row in ALLOWED])
@given(x=st.floats(0.2, 3.0), w=st.floats(0.5, 2.0))
def test_allowed_expressions_compute_values_and_gradients(text, f, df_dx, x, w):
    """Each allowed form agrees with its closed form and its derivative after backward()."""
    y = evaluate(text, {"x": x, "w": w, "b": 2.0})
    y.backward()
    leaf_x = next(v for v in _leaves(y) if v.label == "x")
    assert y.data == pytest.approx(f(x, w), rel=1e-12, abs=1e-12)
    assert leaf_x.grad == pytest.approx(df_dx(x, w), rel=1e-9, abs=1e-12)


def _leaves(root):
    return [v for v in topological_order(root) if not v.parents]


def test_names_become_labelled_leaves_and_numbers_constants():
    """x and w are leaves labelled by their names; a number is a constant leaf."""
    y = evaluate("x * w + 2", {"x": 3.0, "w": 4.0})
    assert y.data == 14.0 and y.op == "+"
    assert sorted(v.label for v in _leaves(y)) == ["", "w", "x"]


def test_numbers_alone_are_computed_as_numbers():
    """An expression without names is still a Value (a leaf), computed by the engine."""
    y = evaluate("2 * 3 + tanh(0)", {})
    assert (y.data, y.op, y.parents) == (6.0, "", ())


@pytest.mark.parametrize(("text", "message"), [
    ("__import__('os').system('touch X')", "got a call of a method (.system) at column 1"),
    ("open('x')", "got a call of open at column 1"),
    ("().__class__.__bases__[0].__subclasses__()", "a method (.__subclasses__)"),
    ("x.__class__.__mro__", "attribute access at column 1 is not allowed"),
    ("x[0]", "a subscript at column 1 is not allowed"),
    ("lambda: 0", "a lambda at column 1 is not allowed"),
    ("x if w else 0", "a conditional expression at column 1 is not allowed"),
    ("x < w", "a comparison at column 1 is not allowed"),
    ("x and w", "and/or at column 1 is not allowed"),
    ("(y := 2)", "an assignment (:=) at column 2 is not allowed"),
    ("[x for x in (1,)]", "a comprehension at column 1 is not allowed"),
    ("f'{x}'", "an f-string at column 1 is not allowed"),
    ("'text'", "only numbers are allowed as constants; got 'text'"),
    ("True", "only numbers are allowed as constants; got True"),
    ("1j", "only numbers are allowed as constants; got 1j"),
    ("1e999", "the number at column 1 is too large for a float"),
    ("x @ w", "the operator MatMult at column 1 is not allowed"),
    ("x // w", "the operator FloorDiv at column 1 is not allowed"),
    ("+x", "the operator UAdd at column 1 is not allowed"),
    ("~x", "the operator Invert at column 1 is not allowed"),
    ("y * 2", "y at column 1 has no value: give it one as y=NUMBER (names given: x, w)"),
    ("tanh", "tanh at column 1 is a function: call it, as in tanh(x)"),
    ("tanh(x, w)", "tanh at column 1 takes exactly one argument"),
    ("exp(x=1)", "exp at column 1 takes exactly one argument"),
    ("tanh(*x)", "tanh at column 1 takes exactly one argument"),
    ("x +", "not a valid expression"),
    ("import os", "not a valid expression at column 1"),
    ("x; w", "not a valid expression"),
    ("x\0", "not a valid expression"),
    ("   ", "the expression is empty"),
    ("(" * 500 + "x" + ")" * 500, "the expression is too deeply nested"),
    ("-" * 3000 + "x", "the expression is too deeply nested"),
    ("x**" * 250 + "x", f"too deeply nested (more than {MAX_DEPTH} levels)"),
    ("x+" * 3000 + "x", f"the expression is 6001 characters long; the limit is {MAX_LENGTH}"),
])
def test_refused_input_names_the_problem(text, message):
    """Everything off the allow-list is an ExpressionError saying what and where."""
    with pytest.raises(ExpressionError, match=re.escape(message)):
        evaluate(text, {"x": 1.0, "w": 2.0})


def test_refusal_happens_before_anything_runs(monkeypatch):
    """A refused call is never made: not even a harmless side effect of the leaves runs."""
    calls = []
    monkeypatch.setattr(builtins, "print", lambda *a, **k: calls.append(a))
    with pytest.raises(ExpressionError):
        evaluate("print('ran') + x", {"x": 1.0})
    assert calls == []


def test_eval_and_exec_are_never_used(monkeypatch):
    """Evaluating works while eval and exec raise (ast.parse itself uses compile, to parse)."""
    used = []

    def forbidden(*args, **kwargs):
        used.append(args)
        raise AssertionError("eval or exec was called")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    result = evaluate("tanh(x) * 2", {"x": 0.0}).data
    monkeypatch.undo()
    assert (result, used) == (0.0, [])


def test_checking_a_100000_deep_tree_does_not_recurse():
    """A 100,000-deep tree (built directly, past the parser) is refused as too deep, no
    RecursionError: the check walks with its own stack."""
    tree = ast.Name(id="x", ctx=ast.Load())
    for _ in range(100_000):
        tree = ast.UnaryOp(op=ast.USub(), operand=tree)
    with pytest.raises(ExpressionError, match="too deeply nested"):
        check(tree, {"x": 1.0})


@pytest.mark.parametrize(("text", "bindings", "value"), [
    ("+".join(["x"] * 201), {"x": 1.0}, 201.0),
    ("+".join(["1"] * 1300), {}, 1300.0),
    ("+".join(f"x{i}" for i in range(800)), {f"x{i}": 1.0 for i in range(800)}, 800.0),
    ("x*" * 300 + "x/x-x", {"x": 1.0}, 0.0),
])
def test_a_flat_sum_or_product_is_not_nested(text, bindings, value):
    """R: x + x + ... (201 terms), 800 variables, 1,300 ones: a chain of one precedence is
    flat, however long (only the length limit bounds it)."""
    assert evaluate(text, bindings).data == value


def test_numbers_alone_need_no_derivative():
    """J: 10**308 is a number (its derivative 308e307 would overflow, but no one needs a
    constant's); 10**308*10 overflows, and is refused naming *."""
    assert evaluate("10**308 + x", {"x": 0.0}).data == 1e308
    with pytest.raises(OverflowError, match=r"\* of 1e\+308, 10 overflowed"):
        evaluate("10**308*10", {})


def test_deep_but_allowed_expressions_evaluate_iteratively():
    """An expression MAX_DEPTH deep evaluates (the evaluator keeps its own stack too)."""
    text = "x" + "+x" * (MAX_DEPTH - 2)
    assert evaluate(text, {"x": 1.0}).data == MAX_DEPTH - 1


@pytest.mark.parametrize(("text", "error", "message"), [
    ("log(x - 1)", ValueError, "log is undefined for 0.0"),
    ("x / (x - 1)", ZeroDivisionError, "division by zero"),
    ("1 / 0", ZeroDivisionError, "division by zero"),
    ("exp(1000 * x)", OverflowError, "too large for a float"),
    ("(-8) ** (1/3)", ValueError, "not a real number"),
])
def test_math_errors_come_from_the_engine(text, error, message):
    """log(0), 1/0 and overflow raise the engine's own errors (not ExpressionError)."""
    with pytest.raises(error, match=message):
        evaluate(text, {"x": 1.0})


@pytest.mark.parametrize(("text", "expected"), [
    ("x=0.5", ("x", 0.5)), ("w=-1.5", ("w", -1.5)), ("b = 2", ("b", 2.0)),
    ("rate=1e-3", ("rate", 0.001)), ("x_1=3", ("x_1", 3.0)),
])
def test_bindings_are_name_equals_number(text, expected):
    """NAME=NUMBER parses to (name, float)."""
    assert parse_binding(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("x", "bad binding 'x': write name=number, as in x=0.5"),
    ("=3", "bad binding '=3': write name=number"),
    ("x=abc", "bad binding 'x=abc': 'abc' is not a number"),
    ("x=", "bad binding 'x=': '' is not a number"),
    ("x=nan", "bad binding 'x=nan': nan is not a finite number"),
    ("x=inf", "is not a finite number"),
    ("1x=2", "bad binding '1x=2': '1x' is not a name"),
    ("lambda=2", "'lambda' is not a name"),
    ("tanh=2", "bad binding 'tanh=2': tanh is a function, not a variable"),
    ("__import__('os')=1", "is not a name"),
])
def test_bad_bindings_are_refused_clearly(text, message):
    """A binding that is not NAME=NUMBER says what is wrong with it."""
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_binding(text)


@given(x=numbers, w=numbers)
def test_unary_minus_and_subtraction_agree_with_python(x, w):
    """-x*w - (w - x) computes what Python computes."""
    assert evaluate("-x*w - (w - x)", {"x": x, "w": w}).data == pytest.approx(-x * w - (w - x))


def test_the_allowed_calls_are_the_ops_of_one_input():
    """The refusal lists every op of one input by its function name, define_op ops included,
    but neither the fused log_one_minus_sigmoid nor a power (x ** c is written with **)."""
    from autograd import ops

    ops.POWER(3.0)  # a power row made before: still not a function of the language
    with pytest.raises(ExpressionError) as refused:
        evaluate("open('x')", {})
    unary = [op.function_name for op in ops.public_functions()]
    assert f"calls are limited to {', '.join(unary)};" in str(refused.value)
    assert {"exp", "log", "tanh", "sigmoid", "relu", "sin", "cos"} <= set(unary)
    assert "log_one_minus_sigmoid" not in unary and "power" not in unary


def test_an_op_made_with_define_op_can_be_called():
    """define_op's op is a function of the expression language as soon as it is defined."""
    import math

    from autograd import define_op

    define_op("cube_root", lambda x: math.copysign(abs(x) ** (1 / 3), x),
              lambda x, out: 1 / (3 * out * out))
    y = evaluate("cube_root(x) * 2", {"x": 8.0})
    assert y.data == 4.0
