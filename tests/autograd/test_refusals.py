"""What the engine refuses, compile, grad, hessian, hvp and gradcheck refuse alike (issue 18).

Each test is written from a repro of the outside campaign (items E-K, N, S): the same exception
type as the engine's, a message naming the op or the setting, and no .grad left changed.
"""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, define_op, grad, gradcheck, hessian, hvp, no_grad, ops


@pytest.fixture(autouse=True)
def own_registry(own_op_registry):
    """Ops defined by a test are forgotten after it (the built-ins stay)."""


# ---- E: a derivative gives one entry per input ----


def test_a_derivative_with_too_few_entries_is_refused():
    """E: fma's derivative giving 2 entries for 3 inputs is a TypeError naming fma (not
    z.grad = 0.0 silently); a 1-input op giving 3 is refused too."""
    fma = define_op("fma", lambda x, y, z: x * y + z, lambda x, y, z, out: (y, x))
    with pytest.raises(TypeError, match=r"fma's derivative gave 2 values for 3 inputs"):
        fma(Value(1.0), Value(2.0), Value(3.0))
    three = define_op("three", lambda x: x, lambda x, out: (1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match=r"three's derivative gave 3 values for 1 input:"):
        three(Value(1.0))
    with pytest.raises(TypeError, match=r"three's derivative gave 3 values"):
        autograd.compile(lambda x: three(x), (1.0,))


# ---- F, G: an overflowing gradient ----


def overflowing(x):
    """x * 1e200 * 1e200 * x * 0.5 at x = 1e-300: finite value, second derivative 1e400."""
    return x * 1e200 * 1e200 * x * 0.5


def test_hessian_and_hvp_refuse_an_overflow_as_grad_of_grad_does():
    """F: hessian and hvp raise OverflowError (not [[inf]]), naming the op, as grad of grad
    and backward() of the gradient do."""
    x = Value(1e-300)
    (dx,) = grad(overflowing(x), [x])
    with pytest.raises(OverflowError):
        grad(dx, [x])
    with pytest.raises(OverflowError, match=r"jacobian: the gradient through the \* node"):
        hessian(overflowing, [1e-300])
    with pytest.raises(OverflowError, match=r"the gradient through the \* node"):
        hvp(overflowing, [1e-300], [1.0])


def test_grad_under_no_grad_refuses_an_overflow_clearly():
    """F: grad under no_grad() of a graph whose gradient overflows: OverflowError naming the
    op, not "Value needs a finite number, got inf"."""
    x = Value(1e-300)
    y = x * 1e200 * 1e200  # 1e100, with dy/dx = 1e400
    with pytest.raises(OverflowError):
        y.backward()
    with no_grad(), pytest.raises(OverflowError, match=r"the gradient through the \* node"):
        grad(y, [x])


def test_a_compiled_backward_refuses_an_overflow_and_leaves_every_grad():
    """G: where backward() raises OverflowError and restores .grad, so does the program."""
    w = Value(0.0, label="w")
    w.grad = 0.25
    fn = lambda x: ((w * 1e200).tanh() * 1e200 * x).tanh()  # noqa: E731
    with pytest.raises(OverflowError, match="overflowed"):
        fn(Value(1.0)).backward()
    assert w.grad == 0.25
    program = autograd.compile(fn, (1.0,))
    with pytest.raises(OverflowError, match=r"gradient of free leaf 0 \('w', data 0\) "
                                            r"overflowed to inf; every \.grad is left"):
        program.backward(1.0)
    assert w.grad == 0.25
    assert program(1.0) == fn(Value(1.0)).data  # the value alone is fine


# ---- H, I, J, S: the same error, and only where one is due ----


def test_check_accepts_the_same_refusal_worded_differently():
    """H: x ** y at a negative base: the engine says "** Value needs a positive base", the
    program's log says "log is undefined": the same ValueError, so check=True agrees."""
    program = autograd.compile(lambda x, y: x ** y, (0.5, 1.5), check=True)
    with pytest.raises(ValueError, match="log is undefined for -1.0"):
        program(-1.0, 1.5)


def test_a_derivative_that_overflows_names_the_op():
    """I: Value(1e-300) ** -0.5: OverflowError naming **-0.5, not "(34, 'Numerical result
    out of range')"."""
    with pytest.raises(OverflowError, match=r"\*\*-0.5's derivative at \(1e-300\) is too "
                                            r"large for a float"):
        Value(1e-300) ** -0.5


def test_a_constants_derivative_is_never_checked():
    """J: x / 1e-160 is 1e160 with d/dx = 1e160; d/d(1e-160) overflows, and nothing needs it:
    engine, reflected /, compiled program and its backward all give the numbers."""
    x = Value(1.0)
    y = x / 1e-160
    assert y.data == 1e160 and y.local_grads == (1e160, 0.0)
    y.backward()
    assert x.grad == 1e160
    reflected = 1e-320 / Value(1e-309)  # d/dx = -1e298; d/d(1e-320) = 1 / 1e-309 = inf
    assert reflected.data == 1e-320 / 1e-309 and reflected.local_grads[0] == 0.0
    program = autograd.compile(lambda x: x / 1e-160, (1.0,), check=True)
    assert program(2.0) == 2e160
    w = Value(1e-160)  # a Value: its derivative is needed and overflows
    with pytest.raises(OverflowError, match=r"/'s derivative at \(1.0, 1e-160\) is -inf"):
        Value(1.0) / w


def test_grad_needs_no_constants_derivative_either():
    """J, for autograd.grad: the gradient of x / 1e-160 is 1e160 (the constant's derivative,
    which would overflow, is left out), through a tanh too, and differentiated again."""
    x = Value(1.0)
    (dx,) = grad(x / 1e-160, [x])
    assert dx.data == 1e160
    y = Value(0.2)
    (dy,) = grad((x * 3.0 + y).tanh() / 1e-160, [x])  # 3 (1 - t²) / 1e-160
    t = math.tanh(3.2)
    assert dy.data == pytest.approx(3 * (1 - t * t) / 1e-160, rel=1e-12)
    (d2,) = grad(dy, [x])  # 3 · -2 t (1 - t²) · 3 / 1e-160
    assert d2.data == pytest.approx(-18 * t * (1 - t * t) / 1e-160, rel=1e-12)


def test_a_nan_base_names_the_power():
    """S: nan ** Value(2.0) is refused by ** (not "* needs a finite number")."""
    with pytest.raises(ValueError, match=r"nan \*\* Value needs a positive base, a finite"):
        float("nan") ** Value(2.0)
    with pytest.raises(ValueError, match=r"inf \*\* Value needs a positive base"):
        math.inf ** Value(2.0)


# ---- K: gradcheck's settings ----


@pytest.mark.parametrize("setting, number, need", [
    ("atol", math.nan, "non-negative"), ("rtol", math.nan, "non-negative"),
    ("eps", 0.0, "positive"), ("eps", -1e-6, "positive"), ("atol", -1.0, "non-negative"),
    ("rtol", math.inf, "non-negative")])
def test_gradcheck_refuses_a_setting_that_passes_anything(setting, number, need):
    """K: atol=nan or rtol=nan would pass a wrong derivative; eps=0 divides by zero."""
    def wrong(x):
        y = x * 2.0
        y.local_grads = (5.0, y.local_grads[1])
        return y
    with pytest.raises(ValueError, match=rf"gradcheck needs {setting} as a {need} finite "
                                         rf"number, got {number!r}"):
        gradcheck(wrong, [1.0], **{setting: number})


# ---- N: micrograd's idioms ----


def test_a_hand_made_node_under_no_grad_is_a_leaf():
    """N: Value(d, (a,), "tanh") under no_grad() keeps no parents, as every node there."""
    a = Value(1.0)
    with no_grad():
        b = Value(math.tanh(1.0), (a,), "tanh")
    assert (b.parents, b.op) == ((), "")


def test_a_backward_assigned_to_an_op_node_replaces_its_derivatives():
    """N: a _backward assigned to a node made by * is what backward() and a manual
    c._backward() both use."""
    a, b = Value(2.0), Value(3.0)
    c = a * b

    def _backward():
        a.grad += 10 * c.grad

    c._backward = _backward
    assert c.local_grads == (10.0, 0.0)
    c.backward()
    by_backward = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    c.grad = 1.0
    c._backward()
    assert by_backward == (a.grad, b.grad) == (10.0, 0.0)


def test_a_hand_made_node_with_a_row_as_op_is_differentiated_by_the_row():
    """N: Value(tanh(x), (x,), ops.TANH): the row's derivatives, so backward, grad and
    hessian work (not "'NoneType' object is not iterable")."""
    def f(x):
        return Value(math.tanh(x.data), (x,), ops.TANH)

    x = Value(0.5)
    y = f(x)
    y.backward()
    assert x.grad == 1 - math.tanh(0.5) ** 2
    t = math.tanh(0.5)
    assert hessian(f, [0.5]) == [[pytest.approx(-2 * t * (1 - t * t))]]
