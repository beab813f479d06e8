"""Checks for the curvature notebook (09): a Hessian built with grad twice, where Newton's
method ends, and the learning rate above which gradient descent diverges.

>>> from autograd import sum_of
>>> f = lambda b, s: sum_of([(1.0 - (b + s * w)) ** 2 for w in (0.5, 2.0)])
>>> check_hessian([[4.0, 5.0], [5.0, 8.5]], f, [0.0, 0.0])
''
>>> check_divergence_edge(None, f, [0.0, 0.0]).startswith("not done yet")
True

Each check returns "" when it passes, "not done yet: ..." while a blank is None, and otherwise
what differs with a hint at the next thing to look at, never the number it expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd import Value, grad, hessian
from nn.course.answers import close

__all__ = ["check_divergence_edge", "check_hessian", "check_newton_end", "newton",
           "symmetric_eigenvalues"]

NOT_DONE = "not done yet: fill in the blanks (each None) of the exercise's cell, then run this."


def check_hessian(matrix: object, f: Callable, point: Sequence[float]) -> str:
    """Compare a learner's Hessian of f (one Value per parameter) at point with hessian()."""
    if matrix is None:
        return NOT_DONE
    want = hessian(f, list(point))
    n = len(want)
    try:
        got = [[float(v) for v in row] for row in matrix]
    except (TypeError, ValueError):
        return f"the Hessian is {n} rows of {n} numbers (take .data of each Value)."
    if len(got) != n or any(len(row) != n for row in got):
        return f"the Hessian is {n} × {n}: one row and one column per parameter."
    if all(close(g, w) for gr, wr in zip(got, want) for g, w in zip(gr, wr)):
        return ""
    diagonal = all(close(got[i][i], want[i][i]) for i in range(n))
    if diagonal:
        return ("the diagonal is right, the mixed entries are not: entry [i][j] is the "
                "derivative of ∂f/∂θᵢ with respect to θⱼ, another parameter than the first time.")
    return ("not hessian()'s numbers: differentiate f once, with respect to every parameter, "
            "then each of those derivatives again with respect to every parameter, at this point.")


def newton(f: Callable, start: float, steps: int) -> list[float]:
    """The points of `steps` Newton steps x ← x − f′(x)/f″(x) from start, start included, both
    derivatives from grad.

    >>> newton(lambda x: (x - 3.0) ** 2, 0.0, 1)
    [0.0, 3.0]
    """
    path = [start]
    for _ in range(steps):
        x = Value(path[-1])
        (slope,) = grad(f(x), [x])
        (curvature,) = grad(slope, [x])
        path.append(x.data - slope.data / curvature.data)
    return path


def check_newton_end(x_end: object, f: Callable, start: float, steps: int) -> str:
    """Compare a learner's end point of `steps` Newton steps on f from start with newton()."""
    if x_end is None:
        return NOT_DONE
    if isinstance(x_end, Value):
        x_end = x_end.data
    path = newton(f, start, steps)
    if close(x_end, path[-1], 1e-6):
        return ""
    if close(x_end, start):
        return "that is where the walk starts: take the steps, each from the point before."
    if any(close(x_end, p, 1e-6) for p in path):
        return f"that is a point on the way: take all {steps} steps."
    return ("not where Newton's steps end: each step is x ← x − f′(x)/f″(x), with both "
            "derivatives from grad at the current x (the second one a grad of the first).")


def symmetric_eigenvalues(matrix: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The two eigenvalues of a symmetric 2 × 2 matrix [[a, c], [c, d]], larger first:
    m ± √(m² − (ad − c²)) with m = (a + d) / 2.

    >>> symmetric_eigenvalues([[2.0, 0.0], [0.0, 5.0]])
    (5.0, 2.0)
    """
    (a, c), (_, d) = matrix
    m = (a + d) / 2
    root = math.sqrt(max(0.0, m * m - (a * d - c * c)))
    return m + root, m - root


def check_divergence_edge(rate: object, f: Callable, point: Sequence[float]) -> str:
    """Compare a learner's learning rate above which gradient descent on f's two parameters
    diverges (f a quadratic bowl: its Hessian is the same everywhere) with 2 / the largest
    eigenvalue of the Hessian."""
    if rate is None:
        return NOT_DONE
    H = hessian(f, list(point))
    large, small = symmetric_eigenvalues(H)
    if close(rate, 2 / large):
        return ""
    if close(rate, 2 / small):
        return ("that is the edge along the gentle direction: the walk runs away as soon as "
                "it runs away along any one direction. Which one goes first?")
    if close(rate, 1 / large):
        return "that rate lands in one step along the steep direction; the edge is further."
    if any(close(rate, 2 / H[i][i]) for i in range(2)):
        return ("that is one parameter's edge on its own: together, the steep direction is "
                "a mix of both, and its curvature is an eigenvalue of the Hessian.")
    return ("not the edge: along each eigenvector of the Hessian, gradient descent is the "
            "one-parameter walk with that eigenvalue as its curvature.")
