"""define_op: a learner's own op is a row like the built-ins, and works wherever they do.

backward, gradcheck, jacobian, draw_graph (its formula in tooltips and on edges), autograd.compile
(the same floats as the engine), and clear errors for every bad definition or bad result. Each
test defines its ops afresh; the registry is put back afterwards.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, define_op, draw_graph, gradcheck, jacobian, ops
from autograd import functions as F  # noqa: N812 (the usual alias)


@pytest.fixture(autouse=True)
def own_registry(own_op_registry):
    """Ops defined by a test are forgotten after it (the built-ins stay)."""


def softplus_op(formula: str | None = "σ(x)") -> ops.Op:
    """softplus(x) = log(1 + e^x), d/dx = σ(x): the op define_op's docstring defines."""
    return define_op(
        "softplus",
        forward=lambda x: math.log1p(math.exp(x)),
        derivative=lambda x, out: F.sigmoid(x),
        formula=formula,
    )


def hypot_op() -> ops.Op:
    """An op of two inputs: hypot(x, y) = √(x² + y²), d/dx = x / out, d/dy = y / out."""
    return define_op(
        "hypot",
        forward=math.hypot,
        derivative=lambda x, y, out: (x / out, y / out),
        formula=("x / out", "y / out"),
    )


# ---- what a user gets ----


def test_softplus_gradient_is_sigmoid_exactly():
    """softplus(Value(0.3)).backward() gives x.grad == F.sigmoid(0.3), exactly."""
    softplus = softplus_op()
    x = Value(0.3, label="x")
    y = softplus(x)
    y.backward()
    assert x.grad == F.sigmoid(0.3)
    assert y.data == math.log1p(math.exp(0.3))
    assert y.op is softplus and y.op == "softplus" and y.parents == (x,)


def test_an_op_of_two_inputs():
    """hypot(a, b): one node with both parents, d/da = a / out and d/db = b / out."""
    hypot = hypot_op()
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    h = hypot(a, b)
    h.backward()
    assert (h.data, h.parents, h.local_grads) == (5.0, (a, b), (0.6, 0.8))
    assert (a.grad, b.grad) == (0.6, 0.8)
    assert hypot.arity == 2


def test_numbers_in_give_a_float_out():
    """With numbers only (ints too) the op is a function of floats: a float, no node."""
    softplus, hypot = softplus_op(), hypot_op()
    assert type(softplus(1)) is float and softplus(1) == math.log1p(math.e)
    assert type(hypot(3, 4)) is float and hypot(3, 4) == 5.0
    mixed = hypot(Value(3.0), 4)  # any Value in: a Value out, the number a constant leaf
    assert isinstance(mixed, Value) and mixed.parents[1].data == 4.0


@given(st.floats(-30, 30), st.floats(-30, 30))
def test_gradcheck_and_jacobian(x: float, y: float):
    """gradcheck passes through a defined op, and jacobian gives each row's derivatives."""
    softplus, hypot = softplus_op(), hypot_op()
    assert gradcheck(lambda a: softplus(a) * 2.0, [x])
    if math.hypot(x, y) > 1e-3:
        assert gradcheck(lambda a, b: hypot(a, b), [x, y])
        a, b = Value(x), Value(y)
        h = hypot(a, b)
        assert jacobian([h, softplus(a)], [a, b]) == [
            [x / h.data, y / h.data],
            [F.sigmoid(x), 0.0],
        ]


def test_drawings_show_the_formula_with_node_names():
    """draw_graph's edge tooltip writes the formula in the graph's names: ∂L/∂x = σ(x)."""
    softplus, hypot = softplus_op(), hypot_op()
    x = Value(0.3, label="x")
    source = draw_graph(softplus(x)).source
    assert "∂L/∂x = σ(x) = 0.5744" in source
    assert "L = softplus(x) = 0.8544" in source
    a, w = Value(3.0, label="a"), Value(4.0, label="w")
    source = draw_graph(hypot(a, w)).source
    assert "∂L/∂a = a / L = 0.6000" in source and "∂L/∂w = w / L = 0.8000" in source


def test_drawings_without_a_formula_write_the_derivative_itself():
    """Without formula, a drawing writes the derivative as the row computes it: sigmoid(x)."""
    softplus = softplus_op(formula=None)
    source = draw_graph(softplus(Value(0.3, label="x"))).source
    assert "∂L/∂x = sigmoid(x) = 0.5744" in source


# ---- autograd.compile ----


def compiled_and_engine(fn, leaves, args):
    """(value, leaf grads) from the compiled program and from the engine, at args."""
    program = autograd.compile(fn, args)
    results = []
    for run in (lambda: program.backward(*args), lambda: backward_value(fn(*map(Value, args)))):
        for leaf in leaves:
            leaf.grad = 0.0
        results.append((run(), [leaf.grad for leaf in leaves]))
    return program, results


def backward_value(output: Value) -> float:
    output.backward()
    return output.data


@given(st.floats(-5, 5), st.floats(0.1, 3))
def test_compiled_programs_equal_the_engine_bit_for_bit(t: float, s: float):
    """A program calling defined ops gives the engine's value and gradients, to the bit, and
    its source imports them from autograd.compiler.runtime."""
    softplus, hypot = softplus_op(), hypot_op()
    w, b = Value(0.7, label="w"), Value(-0.2, label="b")
    fn = lambda t, s: softplus(w * t + b) * hypot(w, s) + hypot(t, 2.0)
    program, (compiled, engine) = compiled_and_engine(fn, [w, b], (t, s))
    assert compiled == engine
    imported = re.search(r"^from autograd\.compiler\.runtime import (.*)$", program.source, re.M)
    assert {"hypot", "softplus"} <= set(imported.group(1).split(", "))
    assert re.search(r"# \w+ = softplus\((\w+)\):  d/d\(\1\) = σ\(\1\)\n", program.source)


@pytest.mark.parametrize(
    "derivative",
    [
        lambda x, out: F.exp(x) - F.sin(x),
        lambda x, out: F.cos(x) * F.exp(x),
        lambda x, out: F.exp(x) + 1,
        lambda x, out: -F.sin(x) + out,
    ],
    ids=["exp(x) - sin(x)", "cos(x) * exp(x)", "exp(x) + 1", "-sin(x) + out"],
)
def test_a_derivative_written_as_a_sum_or_product_of_calls_compiles(derivative):
    """The generated code multiplies the upstream gradient by the whole derivative: g * (exp(x)
    - sin(x)), never g * exp(x) - sin(x)."""
    wiggle = define_op("wiggle", lambda x: math.exp(x) + math.cos(x), derivative)
    w = Value(0.7, label="w")
    fn = lambda t: wiggle(w * t) * 3.0
    for t in (0.5, -1.25, 2.0):
        _, (compiled, engine) = compiled_and_engine(fn, [w], (t,))
        assert compiled == engine


def test_a_redefined_op_replaces_the_old_one():
    """Defining a name again replaces the row: op_named, all_ops, new nodes and compiled
    programs use the new definition."""
    define_op("twice", lambda x: 2 * x, lambda x, out: 2.0)
    twice = define_op("twice", lambda x: 3 * x, lambda x, out: 3.0)
    assert ops.op_named("twice") is twice
    assert [op for op in ops.all_ops() if op == "twice"] == [twice]
    x = Value(1.5)
    y = ops.op_named("twice")(x)
    y.backward()
    assert (y.data, x.grad) == (4.5, 3.0)
    assert autograd.compile(lambda t: ops.op_named("twice")(t), (1.0,))(2.0) == 6.0


# ---- bad definitions ----


@pytest.mark.parametrize("name", ["tanh", "exp", "sum", "max", "power", "+", "**2"])
def test_a_built_in_name_is_refused(name):
    """A built-in op's name is a ValueError (a non-identifier one too: it cannot be a name)."""
    with pytest.raises(ValueError, match=rf"{re.escape(repr(name))} is a built-in op|identifier"):
        define_op(name, math.tanh, lambda x, out: 1 - out * out)


@pytest.mark.parametrize("name", ["add", "mul", "div", "sum_of", "detached_max", "run",
                                  "leaves", "backward"])
def test_a_name_generated_code_uses_is_refused(name):
    """The function names of the built-ins (add, div, sum_of, ...) and the names generated code
    defines (run, leaves, backward) are refused: a compiled program would call the wrong one."""
    with pytest.raises(ValueError, match=rf"{name!r} is .*give yours another name"):
        define_op(name, lambda x: 2.0 * x, lambda x, out: 2.0)


@pytest.mark.parametrize("name", ["soft plus", "2x", "", "lambda", "x-y", "σ(x)", 3])
def test_a_name_that_is_not_an_identifier_is_refused(name):
    """A name drawings, generated code and the command line cannot call is a ValueError."""
    with pytest.raises(ValueError, match="needs a name that is a Python identifier"):
        define_op(name, math.tanh, lambda x, out: 1 - out * out)


@pytest.mark.parametrize(
    ("forward", "derivative", "what", "type_name"),
    [
        (3, lambda x, out: 1.0, "forward", "int"),
        (math.tanh, "1 - out * out", "derivative", "str"),
        (None, None, "forward", "NoneType"),
    ],
    ids=["forward", "derivative", "both"],
)
def test_a_forward_or_derivative_that_is_not_callable_is_refused(forward, derivative, what,
                                                                 type_name):
    """A forward or derivative that is not a function is a TypeError naming it and its type."""
    with pytest.raises(TypeError, match=rf"define_op needs {what} as a function, got {type_name}"):
        define_op("mine", forward, derivative)


@pytest.mark.parametrize("derivative", [lambda x: 1 - x, math.cos, lambda *xs: 1.0,
                                        lambda x, *, out: 1.0],
                         ids=["lambda x", "math.cos", "*xs", "keyword-only out"])
def test_a_derivative_without_the_out_parameter_is_a_type_error(derivative):
    """derivative(x, out) needs each input and then the output, as positional parameters."""
    with pytest.raises(TypeError, match=r"derivative must take each input and then the output|"
                                        r"cannot read the parameters"):
        define_op("mine", math.sin, derivative)


def test_a_formula_per_input_is_checked():
    """formula is one str per input: two strings for one input is a TypeError."""
    with pytest.raises(TypeError, match=r"formula as one str per input \(1\)"):
        define_op("mine", math.sin, lambda x, out: F.cos(x), formula=("cos(x)", "0"))


# ---- bad results, caught when the op is applied ----


@pytest.mark.parametrize(
    ("forward", "derivative", "error", "message"),
    [
        (lambda x: math.inf, lambda x, out: 1.0, OverflowError, r"^bad at \(1\.5\) is inf"),
        (lambda x: math.nan, lambda x, out: 1.0, ValueError, r"^bad at \(1\.5\) is nan"),
        (lambda x: x, lambda x, out: math.inf, OverflowError, r"^bad's derivative at \(1\.5\)"),
        (lambda x: x, lambda x, out: math.nan, ValueError, r"^bad's derivative at \(1\.5\)"),
        (lambda x: "1", lambda x, out: 1.0, TypeError, r"^bad must be a real number, got str"),
        (lambda x: x, lambda x, out: None, TypeError, r"^bad's derivative must be a real number"),
    ],
    ids=["forward inf", "forward nan", "derivative inf", "derivative nan", "forward str",
         "derivative None"],
)
def test_a_bad_result_is_an_error_naming_the_op(forward, derivative, error, message):
    """A forward or derivative that returns inf, nan or no number raises, naming the op and the
    input, when the op is applied to a Value (a forward also on numbers, and in compiled code)."""
    bad = define_op("bad", forward, derivative)
    with pytest.raises(error, match=message):
        bad(Value(1.5))
    with pytest.raises(error, match=message):
        autograd.compiler.runtime.bad(1.5)
    if "derivative" not in message:
        with pytest.raises(error, match=message):
            bad(1.5)


def test_a_defined_op_with_the_wrong_number_of_inputs():
    """hypot(x) is a TypeError saying how many inputs it takes."""
    with pytest.raises(TypeError, match="hypot takes 2 inputs, got 1"):
        hypot_op()(Value(1.0))
    with pytest.raises(TypeError, match="softplus needs numbers or Values, got str"):
        softplus_op()("1")


def test_a_derivative_written_with_math_says_how_to_write_it():
    """math.cos in a derivative works on floats (backward) but not on symbols (compile) or
    Values (grad): a TypeError naming the op and autograd.functions."""
    import math

    import autograd
    from autograd import define_op

    wave = define_op("wave_with_math", math.sin, lambda x, out: math.cos(x))
    try:
        x = Value(0.5)
        wave(x).backward()
        assert x.grad == math.cos(0.5)
        with pytest.raises(TypeError, match="wave_with_math's derivative does not work on a "
                                            "Symbol: write it with arithmetic and "
                                            "autograd.functions"):
            autograd.compile(lambda v: wave(v), (0.5,))
        with pytest.raises(TypeError, match="does not work on a Value"):
            autograd.grad(wave(x), [x])
    finally:
        ops._registry.pop("wave_with_math", None)
