"""nn.course.first_steps (notebooks 00 and 01): the folded solutions pass; each planted mistake
gets its own message, and no message holds the number it expects."""

import pytest

import nn
from autograd import Value, affine
from nn.course import first_steps as course


def sigmoid_parts(h=0.0001):
    b = Value(2.0)
    y = (Value(0.5) * Value(-1.5) + b).sigmoid()
    nudged = ((Value(0.5) * Value(-1.5) + Value(2.0 + h)).sigmoid().data - y.data) / h
    y.backward()
    return y.data * (1 - y.data), nudged, b.grad


def check_sigmoid(formula, nudged, backward):
    return course.check_sigmoid_slopes(formula, nudged, backward, x=0.5, w=-1.5, b=2.0,
                                       h=0.0001)


def test_sigmoid_slopes():
    formula, nudged, backward = sigmoid_parts()
    assert check_sigmoid(formula, nudged, backward) == ""
    assert check_sigmoid(None, nudged, None).startswith("not done yet: fill in from_formula "
                                                         "and from_backward")
    assert "read it" in check_sigmoid(formula, nudged, 0.0)
    assert "σ(z) is the neuron's output" in check_sigmoid(formula * 2, nudged, backward)
    assert "nudge b by h" in check_sigmoid(formula, formula, backward)
    message = check_sigmoid(formula, sigmoid_parts(h=0.01)[1], backward)
    assert "one-sided nudge" in message and f"{nudged:.4f}" not in message


def test_backward_twice():
    w = Value(-1.5)
    y = (Value(0.5) * w + Value(2.0)).tanh()
    y.backward()
    one = w.grad
    assert course.check_backward_twice(one, 2 * one) == ""
    assert course.check_backward_twice(None, None).startswith("not done yet")
    assert "before the second" in course.check_backward_twice(2 * one, 2 * one)
    assert "second backward()" in course.check_backward_twice(one, one)


def test_cube_slope():
    assert course.check_cube_slope(12.0, 2.0) == ""
    assert course.check_cube_slope(None, 2.0).startswith("not done yet")
    message = course.check_cube_slope(4.0, 2.0)
    assert "from the one Value x" in message and "12" not in message


LOGITS = [Value(0.5), Value(-0.3), Value(1.2)]


def test_softmax_rows():
    from autograd import jacobian
    J = jacobian(nn.softmax(LOGITS), LOGITS)
    rows = [sum(row) for row in J]
    shifted = [y.data for y in nn.softmax([Value(z.data + 100.0) for z in LOGITS])]
    assert course.check_softmax_rows(rows, shifted, LOGITS, shift=100.0) == ""
    assert course.check_softmax_rows(None, shifted, LOGITS,
                                     shift=100.0).startswith("not done yet")
    assert "one sum per row" in course.check_softmax_rows([1.0, 1.0, 1.0], shifted, LOGITS,
                                                          shift=100.0)
    assert "one sum per row" in course.check_softmax_rows(rows[:2], shifted, LOGITS,
                                                          shift=100.0)
    assert "raised by 100" in course.check_softmax_rows(rows, [z.data for z in LOGITS],
                                                        LOGITS, shift=100.0)


def test_softmax_columns():
    z = [Value(v.data) for v in LOGITS]
    y = nn.softmax(z)
    (y[0] + y[1] + y[2]).backward()
    grads = [v.grad for v in z]
    assert course.check_softmax_columns(grads, "columns", LOGITS) == ""
    assert course.check_softmax_columns(grads, None, LOGITS).startswith("not done yet")
    assert "Which index" in course.check_softmax_columns(grads, "rows", LOGITS)
    assert '"rows" or "columns"' in course.check_softmax_columns(grads, "both", LOGITS)
    assert "after s.backward()" in course.check_softmax_columns([1.0, 0.0, 0.0], "columns",
                                                                LOGITS)


X3, W3, B3 = [0.5, -1.0, 2.0], [0.3, -0.2, 0.1], 0.05


def neuron():
    w = [Value(v) for v in W3]
    y = affine(w, X3, Value(B3)).tanh()
    y.backward()
    return y.data, [v.grad for v in w]


@pytest.mark.parametrize(("mistake", "said"), [
    (lambda y, x: x, "missing ∂y/∂z"),
    (lambda y, x: (1 - y) * x, "tanh's derivative"),
    (lambda y, x: (1 - y * y) * x + 1, "∂y/∂z times ∂z/∂w_1"),
])
def test_neuron_slopes(mistake, said):
    y, grads = neuron()
    good = [(1 - y * y) * x for x in X3]
    assert course.check_neuron_slopes(good, grads, W3, X3, B3) == ""
    assert course.check_neuron_slopes(None, grads, W3, X3, B3).startswith("not done yet")
    assert "after y.backward()" in course.check_neuron_slopes(good, good[::-1], W3, X3, B3)
    assert "one slope per weight" in course.check_neuron_slopes(good[:2], grads, W3, X3, B3)
    message = course.check_neuron_slopes([mistake(y, x) for x in X3], grads, W3, X3, B3)
    assert said in message and f"{grads[0]:.3f}" not in message
