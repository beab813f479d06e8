"""nn.course.vector_backprop: the reference solutions of notebooks 04, 04b and 04c pass every
check; each planted mistake gets its own message, and no message holds a number expected."""

import math
import re

import pytest

import nn
from nn.course import vector_backprop as course

X, D = [0.5, -1.2, 0.8], nn.one_hot(2, 3)
NOT_DONE = "not done yet"


def no_number(said: str) -> bool:
    """A message gives away no number: nothing like 0.25 or -1.5 in it."""
    return not re.search(r"\d\.\d", said)


def forward(model, x):
    """Y[k] and Z[k] as lists, k = 0 … N, tanh or relu hidden layers and softmax outputs."""
    W, b = course.weights_of(model)
    Y, Z = {0: list(x)}, {}
    hidden = "relu" if "relu" in repr(model) else "tanh"
    for k in range(1, len(W) + 1):
        Z[k] = [sum(w * y for w, y in zip(row, Y[k - 1])) + bias for row, bias in zip(W[k], b[k])]
        if k < len(W):
            Y[k] = [max(0.0, z) if hidden == "relu" else math.tanh(z) for z in Z[k]]
        else:
            exps = [math.exp(z) for z in Z[k]]
            Y[k] = [e / sum(exps) for e in exps]
    return W, Y, Z


def recursion(model, x, d, with_mistake=""):
    """04b's loop, as its folded solution writes it (or with one mistake planted)."""
    W, Y, _ = forward(model, x)
    N = len(W)
    grad_Y = {N: [-d_i / y_i for d_i, y_i in zip(d, Y[N])]}
    grad_Z, grad_W = {}, {}
    for k in range(N, 0, -1):
        n, below = len(W[k]), len(W[k][0])
        if k == N:
            J = [[(Y[k][i] if i == j else 0.0) - Y[k][i] * Y[k][j] for j in range(n)]
                 for i in range(n)]
        else:
            J = [[1 - Y[k][i] ** 2 if i == j else 0.0 for j in range(n)] for i in range(n)]
        grad_Z[k] = [sum(grad_Y[k][i] * J[i][j] for i in range(n)) for j in range(n)]
        grad_W[k] = [[grad_Z[k][i] * Y[k - 1][j] for j in range(below)] for i in range(n)]
        if with_mistake == "transposed":
            grad_W[k] = [list(col) for col in zip(*grad_W[k])]
        if k > 1:
            grad_Y[k - 1] = [sum(grad_Z[k][i] * W[k][i][j] for i in range(n))
                             for j in range(below)]
            if with_mistake == "no sum" and k == 2:
                grad_Y[k - 1] = [grad_Z[k][0] * W[k][0][j] for j in range(below)]
    return grad_Z, grad_W, grad_Y


@pytest.fixture
def deep():
    return nn.MLP(3, [4, 5, 3], activation="tanh", output="softmax", seed=3)


def test_the_loop_passes_and_its_mistakes_are_named(deep):
    assert course.check_recursion(*recursion(deep, X, D), deep, X, D) == ""
    said = course.check_recursion(*recursion(deep, X, D, "transposed"), deep, X, D)
    assert said.startswith("grad_W[3] has the transposed shape") and no_number(said)
    said = course.check_recursion(*recursion(deep, X, D, "no sum"), deep, X, D)
    assert said.startswith("layer 2 (the top layers agree): grad_Y[1] has the right shape")
    assert "sums over the units i of layer 2" in said and no_number(said)
    grad_Z, grad_W, grad_Y = recursion(deep, X, D)
    grad_Z[3] = grad_Z[3][::-1]
    said = course.check_recursion(grad_Z, grad_W, grad_Y, deep, X, D)
    assert said.startswith("grad_Z[3] has the right shape") and no_number(said)


def test_skeletons_are_not_done_yet(deep):
    assert course.check_recursion({3: None}, {3: None}, {}, deep, X, D).startswith(NOT_DONE)
    assert course.check_recursion(None, None, None, deep, X, D).startswith(NOT_DONE)
    assert course.check_relu_layer(deep, X, D, None, None, None).startswith(NOT_DONE)
    assert course.check_softmax_l2(None, deep, X, D).startswith(NOT_DONE)
    assert course.check_numbers_kept(None, [3, 8, 8, 2]).startswith(NOT_DONE)
    assert course.check_rank(None, [[1.0]]).startswith(NOT_DONE)
    assert course.check_input_gradients(None, deep, [X], [D]).startswith(NOT_DONE)


def test_relu_one_layer_down():
    model = nn.MLP(3, [4, 3], activation="relu", output="softmax", seed=1)
    W, b = course.weights_of(model)
    Z1 = [sum(w * x for w, x in zip(row, X)) + bias for row, bias in zip(W[1], b[1])]
    grad_Z2 = [y.data - d for y, d in zip(model(X), D)]
    grad_Y1 = [sum(grad_Z2[i] * W[2][i][j] for i in range(3)) for j in range(4)]
    grad_Z1 = [g * (z > 0) for g, z in zip(grad_Y1, Z1)]
    grad_W1 = [[grad_Z1[i] * x for x in X] for i in range(4)]
    assert course.check_relu_layer(model, X, D, grad_Y1, grad_Z1, grad_W1) == ""
    tanh_like = [g * (1 - math.tanh(z) ** 2) for g, z in zip(grad_Y1, Z1)]
    said = course.check_relu_layer(model, X, D, grad_Y1, tanh_like, grad_W1)
    assert said.startswith("∇Z₁ Div has the right shape") and "relu's Jacobian" in said
    said = course.check_relu_layer(model, X, D, grad_Y1[:3], grad_Z1, grad_W1)
    assert said.startswith("∇Y₁ Div must be a row of 4")
    assert no_number(said)


def test_softmax_followed_by_half_l2():
    model = nn.MLP(3, [4, 3], activation="tanh", output="softmax", seed=1)
    _, Y, _ = forward(model, X)
    y = Y[2]
    J = [[(y[i] if i == j else 0.0) - y[i] * y[j] for j in range(3)] for i in range(3)]
    grad_Y = [a - b for a, b in zip(y, D)]
    right = [sum(grad_Y[i] * J[i][j] for i in range(3)) for j in range(3)]
    assert course.check_softmax_l2(right, model, X, D) == ""
    assert "still has to pass through softmax's Jacobian" in course.check_softmax_l2(
        grad_Y, model, X, D)
    diagonal = [grad_Y[i] * J[i][i] for i in range(3)]
    assert "only the diagonal" in course.check_softmax_l2(diagonal, model, X, D)
    said = course.check_softmax_l2([-v for v in right], model, X, D)
    assert said.startswith("∇Z Div has the right shape") and no_number(said)


def test_numbers_kept_and_the_usual_miscounts():
    """The count is of the sample's vectors the backward pass reads: Y_0 = x … Y_N, and d.
    It is a function of the widths, tried on a second network; no message holds the count."""
    sizes = [3, 8, 8, 2]
    want = course.numbers_kept(sizes)
    assert want == sum(sizes) + sizes[-1]
    assert course.check_numbers_kept(course.numbers_kept, sizes) == ""
    assert course.check_numbers_kept(lambda s: sum(s) + s[-1], sizes) == ""

    def said(count):
        message = course.check_numbers_kept(lambda s: count(s), sizes)
        assert str(want) not in message and str(course.numbers_kept([5, 6, 4, 3])) not in message
        return message

    assert "every Z_k" in said(lambda s: sum(s) + s[-1] + sum(s[1:]))
    assert "−d / Y_N" in said(sum)  # d left out
    assert "−d / Y_N" in said(lambda s: sum(s[:-1]) + s[-1])  # Y_N left out, d kept
    assert "Y₀" in said(lambda s: sum(s[1:]) + s[-1])
    assert "Y₀" in said(lambda s: sum(s[1:]))
    assert "whatever the sample" in said(lambda s: 1000)
    assert "list, for each line" in said(lambda s: 7)
    assert "an int" in said(lambda s: float(want))
    hard_coded = said(lambda s: want)
    assert "right for sizes, but not for a 5-6-4-3 network" in hard_coded
    assert "right for sizes" in said(lambda s: sum(s) + 2)  # n_N written in
    assert "a function of the widths" in course.check_numbers_kept(want, sizes)
    assert course.check_numbers_kept(lambda s: None, sizes).startswith("not done yet")


def test_the_rank_and_a_batch_of_inputs(deep):
    assert course.matrix_rank([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]]) == 2
    assert course.check_rank(2, [[1.0, 2.0], [2.0, 4.0 + 1e-3]]) == ""
    assert "not its rows or columns" in course.check_rank(2, [[1.0, 2.0], [2.0, 4.0]])
    batch, targets = [X, [0.1, 0.2, -0.3]], [D, nn.one_hot(0, 3)]
    columns = [course.engine_gradients(deep, x, d, nn.kl_divergence)["Y"][0]
               for x, d in zip(batch, targets)]
    G = [[c[j] for c in columns] for j in range(3)]
    assert course.check_input_gradients(G, deep, batch, targets) == ""
    said = course.check_input_gradients([list(r) for r in zip(*G)], deep, batch, targets)
    assert "has the transposed shape, 2 × 3" in said and no_number(said)
    said = course.check_input_gradients([r[:1] for r in G], deep, batch, targets)
    assert "must be 3 × 2" in said
