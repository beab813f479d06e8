"""Small toy data sets, in pure Python: each returns (X, D) as plain lists.

>>> from nn import datasets
>>> X, D = datasets.moons(6, noise=0.1, seed=0)
>>> len(X), len(X[0]), sorted(set(D))
(6, 2, [0, 1])
>>> X, D = datasets.line(3, noise=0.0, seed=0, slope=2.0, intercept=1.0)
>>> all(d == 2.0 * x + 1.0 for (x,), d in zip(X, D))
True
>>> datasets.one_hot(2, 4)
[0.0, 0.0, 1.0, 0.0]

X is a list of input vectors (lists of floats). For the classification sets D holds class
indices 0..k-1 (ints); for `line`, real numbers. Every set draws from random.Random(seed), so
the same seed gives the same data; the points come shuffled, classes as balanced as n allows.

`digits` is a real data set, not a drawn one: scikit-learn's bundled copy of the 8×8
handwritten digits (pip install 'chainrule[digits]'), read offline.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from nn.checks import check_named, check_number, is_whole_number

Point = list[float]


def moons(n: int = 200, noise: float = 0.1, seed: int | None = None):
    """Two interleaved half circles in 2-D: class 0 the upper arc, class 1 the lower one."""

    def arc(t: float, c: int) -> Point:
        angle = math.pi * t
        if c == 0:
            return [math.cos(angle), math.sin(angle)]
        return [1.0 - math.cos(angle), 0.5 - math.sin(angle)]

    return _classes(n, 2, noise, seed, arc)


def circles(n: int = 200, noise: float = 0.05, seed: int | None = None):
    """Two concentric circles in 2-D: class 0 of radius 1, class 1 of radius 0.5 inside it."""

    def ring(t: float, c: int) -> Point:
        radius = 1.0 if c == 0 else 0.5
        return [radius * math.cos(2 * math.pi * t), radius * math.sin(2 * math.pi * t)]

    return _classes(n, 2, noise, seed, ring)


def spiral(n: int = 300, noise: float = 0.05, seed: int | None = None, classes: int = 3):
    """`classes` arms winding out from the origin in 2-D, one per class (half a turn each)."""

    def arm(t: float, c: int) -> Point:
        radius = 0.1 + 0.9 * t
        angle = 2 * math.pi * c / classes + math.pi * t
        return [radius * math.cos(angle), radius * math.sin(angle)]

    return _classes(n, classes, noise, seed, arm)


def blobs(n: int = 200, noise: float = 0.3, seed: int | None = None, classes: int = 3):
    """`classes` round clusters of standard deviation `noise`, centred on a circle of radius 1."""

    def centre(t: float, c: int) -> Point:
        angle = 2 * math.pi * c / classes
        return [math.cos(angle), math.sin(angle)]

    return _classes(n, classes, noise, seed, centre)


def line(n: int = 50, noise: float = 0.1, seed: int | None = None, slope: float = 2.0,
         intercept: float = -1.0):
    """d = slope · x + intercept + N(0, noise²) for x uniform in [-1, 1]: X = [[x], ...]."""
    _check_count(n)
    check_named(noise, "noise")
    check_number(slope, "slope")
    check_number(intercept, "intercept")
    rng = random.Random(seed)
    X = [[rng.uniform(-1.0, 1.0)] for _ in range(n)]
    D = [slope * x + intercept + (rng.gauss(0.0, noise) if noise else 0.0) for (x,) in X]
    return X, D


DIGITS_INSTALL = "pip install 'chainrule[digits]'"


def digits(n: int | None = None, seed: int | None = None):
    """The 8×8 handwritten digits: 1,797 images, X 64 pixel intensities in [0, 1] (row by row,
    the source's counts 0..16 divided by 16), D the digit shown, a class index 0..9.

    UCI's optical recognition of handwritten digits (test part), as scikit-learn ships it
    inside its package (sklearn.datasets.load_digits): nothing is downloaded. Needs
    scikit-learn (pip install 'chainrule[digits]'). seed=None keeps scikit-learn's order; a
    seed shuffles the samples with random.Random(seed). n (default all) keeps the first n.
    (tests/nn/test_digits.py holds the examples: they need scikit-learn.)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(f"nn.datasets.digits() reads the digits bundled with scikit-learn, "
                          f"which is not installed: {DIGITS_INSTALL}") from None
    bunch = load_digits()
    X = [[v / 16.0 for v in row] for row in bunch.data.tolist()]
    D = [int(d) for d in bunch.target.tolist()]
    if n is not None:
        _check_count(n)
        if n > len(X):
            raise ValueError(f"digits has {len(X)} samples, got n = {n}")
    order = list(range(len(X)))
    if seed is not None:
        random.Random(seed).shuffle(order)
    return [X[i] for i in order[:n]], [D[i] for i in order[:n]]


def one_hot(c: int, k: int) -> list[float]:
    """The probability vector of length k with 1 at class index c (0 <= c < k), else 0."""
    if not is_whole_number(k) or k < 1:
        raise ValueError(f"one_hot needs a number of classes k >= 1, got {k!r}")
    if not is_whole_number(c) or not 0 <= c < k:
        raise ValueError(f"one_hot needs a class index 0 <= c < {k}, got {c!r}")
    return [1.0 if i == c else 0.0 for i in range(k)]


def train_test_split(X: Sequence, D: Sequence, test_fraction: float = 0.25,
                     seed: int | None = None):
    """Shuffle the samples and split them: (X_train, X_test, D_train, D_test).

    The test set gets round(test_fraction · n) samples, at least one of each part.
    """
    if len(X) != len(D):
        raise ValueError(f"X and D need one desired output per input, got {len(X)} inputs "
                         f"and {len(D)} outputs")
    check_named(test_fraction, "test_fraction")
    if len(X) < 2:
        raise ValueError(f"train_test_split needs at least 2 samples, got {len(X)}")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_test = min(max(round(test_fraction * len(X)), 1), len(X) - 1)
    test, train = order[:n_test], order[n_test:]
    return ([X[i] for i in train], [X[i] for i in test],
            [D[i] for i in train], [D[i] for i in test])


def _classes(n: int, k: int, noise: float, seed: int | None,
             shape: Callable[[float, int], Point]):
    """n points, class c = i mod k, at shape(t, c) for t evenly spaced in [0, 1], plus
    N(0, noise²) in each coordinate; shuffled."""
    _check_count(n)
    check_named(noise, "noise")
    if not is_whole_number(k) or k < 2:
        raise ValueError(f"a classification set needs at least 2 classes, got {k!r}")
    rng = random.Random(seed)
    per_class = [len(range(c, n, k)) for c in range(k)]
    X, D = [], []
    for c in range(k):
        m = per_class[c]
        for i in range(m):
            t = i / (m - 1) if m > 1 else 0.5
            X.append([u + rng.gauss(0.0, noise) if noise else u for u in shape(t, c)])
            D.append(c)
    order = list(range(n))
    rng.shuffle(order)
    return [X[i] for i in order], [D[i] for i in order]


def _check_count(n: object) -> None:
    if not is_whole_number(n) or n < 1:
        raise ValueError(f"n (the number of samples) must be a positive whole number, got {n!r}")

