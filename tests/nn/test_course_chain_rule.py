"""nn.course.chain_rule (notebooks 02 and 03): the folded solutions pass; each planted mistake
gets its own message, and no message holds the number, or the formula, it expects."""

import math

import pytest

import nn
from autograd import Value, define_op
from autograd import functions as F  # noqa: N812 (the docs call it F)
from nn.course import chain_rule as course


@pytest.fixture(autouse=True)
def forget_the_ops(own_op_registry):
    """The ops these tests define are forgotten after each one."""


def swish(derivative):
    return define_op("course_test_swish", lambda x: x * F.sigmoid(x), derivative)


def test_op_derivative_right():
    good = swish(lambda x, out: F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x))))
    assert course.check_op_derivative(good) == ""
    assert course.check_op_derivative(None).startswith("not done yet")


def test_op_derivative_mistakes():
    said = {
        "half the product rule": swish(lambda x, out: F.sigmoid(x)),
        "the output": swish(lambda x, out: out),
        "the sign": swish(lambda x, out: -F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x)))),
        "another slip": swish(lambda x, out: F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x))) + 0.1),
        "an error": swish(lambda x, out: 1 / x),
    }
    messages = {name: course.check_op_derivative(op) for name, op in said.items()}
    assert "agrees with a central difference at x = 0 but" in messages["half the product rule"]
    assert "returns the op's own value" in messages["the output"]
    assert "wrong sign everywhere" in messages["the sign"]
    assert "disagrees with a central difference at x =" in messages["another slip"]
    assert "raised ZeroDivisionError" in messages["an error"]
    for message in messages.values():
        assert "σ(x)(1" not in message and "1 − σ" not in message  # no formula given away


def test_soft_target_gradient():
    z, d = [0.5, 1.5, -1.0], [0.1, 0.2, 0.7]
    logits = [Value(v) for v in z]
    y = nn.softmax(logits)
    nn.kl_divergence(y, d).backward()
    gradient = [v.grad for v in logits]
    y_minus_d = [v.data - t for v, t in zip(y, d)]
    assert course.check_soft_target_gradient(gradient, y_minus_d, z, d) == ""
    assert course.check_soft_target_gradient(None, y_minus_d, z, d).startswith("not done yet")
    assert "logits' gradients" in course.check_soft_target_gradient(y_minus_d[::-1], y_minus_d,
                                                                     z, d)
    assert "y_minus_d is not" in course.check_soft_target_gradient(gradient, d, z, d)


def test_unscaled_l2():
    assert course.check_unscaled_l2(4.0, 2.0, y=3.0, d=1.0) == ""
    assert course.check_unscaled_l2(None, 2.0, y=3.0, d=1.0).startswith("not done yet")
    assert "swapped" in course.check_unscaled_l2(2.0, 4.0, y=3.0, d=1.0)
    message = course.check_unscaled_l2(3.0, 2.0, y=3.0, d=1.0)
    assert "(y − d)²" in message and "4" not in message
    assert "another fresh Value" in course.check_unscaled_l2(4.0, 1.0, y=3.0, d=1.0)


def test_kl_ratio():
    args = ([0.99, 0.01], [0.01, 0.99], [0.0, 1.0])
    assert course.check_kl_ratio(99.0, *args, c=1) == ""
    assert course.check_kl_ratio(None, *args, c=1).startswith("not done yet")
    assert "upside down" in course.check_kl_ratio(1 / 99.0, *args, c=1)
    message = course.check_kl_ratio(100.0, *args, c=1)
    assert "quotient" in message and "99" not in message


def test_price_chain():
    weight = Value(60.0)
    assert course.check_price_chain(weight * 2 * 0.25 * 30, weight, [2.0, 0.25, 30.0]) == ""
    assert course.check_price_chain(None, weight, [2.0]).startswith("not done yet")
    assert "not computed from weight" in course.check_price_chain(Value(900.0), weight,
                                                                  [2.0, 0.25, 30.0])
    assert "another value" in course.check_price_chain(weight * 2 * 30, weight,
                                                       [2.0, 0.25, 30.0])


def test_flat_slopes():
    def slope(at):
        t = Value(at)
        ((t**2 + 0.5) ** 0.5).backward()
        return t.grad

    assert course.check_flat_slopes(slope(0.0), slope(1000.0), 0.0) == ""
    assert course.check_flat_slopes(None, None, 0.0).startswith("not done yet")
    assert "at Time = 1000" in course.check_flat_slopes(slope(0.0), 1.0, 0.0)
    message = course.check_flat_slopes(slope(1.0), slope(1000.0), 1.0)
    assert "not zero" in message and not math.isnan(slope(1.0))
