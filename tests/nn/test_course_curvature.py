"""nn.course.curvature: the reference solutions of notebook 09 pass every check; each planted
mistake gets its own message, and no message holds a number expected."""

import re

from autograd import Value, grad, hessian, sum_of
from nn.course import curvature as course

WEIGHTS, HEIGHTS = [0.5, 2.3, 2.9], [1.4, 1.9, 3.2]
NOT_DONE = "not done yet"


def ssr_2(b, s):
    return sum_of([(h - (b + s * w)) ** 2 for w, h in zip(WEIGHTS, HEIGHTS)])


def tanh_loss(b, s):
    return sum_of([(h / 4 - (b + s * w).tanh()) ** 2 for w, h in zip(WEIGHTS, HEIGHTS)])


def f(x):
    return x**4 - 2 * x**2


def no_number(said: str) -> bool:
    return not re.search(r"\d\.\d", said)


def by_grad_twice(loss, point):
    b, s = Value(point[0]), Value(point[1])
    return [[second.data for second in grad(first, [b, s])] for first in grad(loss(b, s), [b, s])]


def test_a_hessian_by_grad_twice():
    right = by_grad_twice(tanh_loss, (1.0, 1.0))
    assert course.check_hessian(right, tanh_loss, [1.0, 1.0]) == ""
    assert course.check_hessian(by_grad_twice(tanh_loss, (0.0, 0.0)), tanh_loss,
                                [0.0, 0.0]) == ""
    diagonal_only = [[right[0][0], 0.0], [0.0, right[1][1]]]
    said = course.check_hessian(diagonal_only, tanh_loss, [1.0, 1.0])
    assert "the mixed entries are not" in said and no_number(said)
    said = course.check_hessian(by_grad_twice(tanh_loss, (0.0, 0.0)), tanh_loss, [1.0, 1.0])
    assert "not hessian()'s numbers" in said and no_number(said)
    assert "2 × 2" in course.check_hessian([[1.0, 2.0]], tanh_loss, [1.0, 1.0])
    assert ".data" in course.check_hessian([["a", "b"], ["c", "d"]], tanh_loss, [1.0, 1.0])
    assert course.check_hessian(None, tanh_loss, [0.0, 0.0]).startswith(NOT_DONE)


def test_newton_from_the_edge_of_the_hill():
    path = course.newton(f, -0.55, 12)
    assert course.check_newton_end(path[-1], f, -0.55, 12) == ""
    assert course.check_newton_end(Value(path[-1]), f, -0.55, 12) == ""
    assert "where the walk starts" in course.check_newton_end(-0.55, f, -0.55, 12)
    assert "a point on the way" in course.check_newton_end(path[1], f, -0.55, 12)
    said = course.check_newton_end(-1.0, f, -0.55, 12)
    assert "not where Newton's steps end" in said and no_number(said)
    assert course.check_newton_end(None, f, -0.55, 12).startswith(NOT_DONE)


def test_the_edge_of_two_parameters():
    H = hessian(ssr_2, [0.0, 0.0])
    large, small = course.symmetric_eigenvalues(H)
    assert large > small > 0
    check = course.check_divergence_edge
    assert check(2 / large, ssr_2, [0.0, 0.0]) == ""
    assert "the gentle direction" in check(2 / small, ssr_2, [0.0, 0.0])
    assert "lands in one step" in check(1 / large, ssr_2, [0.0, 0.0])
    assert "one parameter's edge on its own" in check(2 / H[0][0], ssr_2, [0.0, 0.0])
    said = check(0.5, ssr_2, [0.0, 0.0])
    assert "along each eigenvector" in said and no_number(said)
    assert check(None, ssr_2, [0.0, 0.0]).startswith(NOT_DONE)
