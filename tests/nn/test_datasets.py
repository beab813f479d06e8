"""nn.datasets: shapes, labels, seeds, one_hot and train_test_split."""

import math

import pytest

from nn import datasets

CLASSIFICATION = [
    (datasets.moons, 2, {}), (datasets.circles, 2, {}),
    (datasets.spiral, 3, {}), (datasets.spiral, 5, {"classes": 5}),
    (datasets.blobs, 3, {}), (datasets.blobs, 4, {"classes": 4}),
]


@pytest.mark.parametrize("make, k, options", CLASSIFICATION)
def test_classification_sets_are_lists_of_points_and_class_indices(make, k, options):
    """X: n lists of 2 floats; D: ints 0..k-1, classes as balanced as n allows."""
    X, D = make(101, noise=0.1, seed=0, **options)
    assert len(X) == len(D) == 101
    assert all(isinstance(x, list) and len(x) == 2 and all(type(u) is float for u in x)
               for x in X)
    assert all(type(d) is int for d in D) and set(D) == set(range(k))
    counts = [D.count(c) for c in range(k)]
    assert max(counts) - min(counts) <= 1


@pytest.mark.parametrize("make, k, options", CLASSIFICATION)
def test_same_seed_same_data(make, k, options):
    """random.Random(seed): the same seed gives the same data, another seed other data."""
    assert make(30, seed=4, **options) == make(30, seed=4, **options)
    assert make(30, seed=4, **options) != make(30, seed=5, **options)


def test_moons_without_noise_lie_on_their_arcs():
    """Class 0 on the unit upper half circle, class 1 on the lower arc centred at (1, 0.5)."""
    X, D = datasets.moons(40, noise=0.0, seed=0)
    for (x, y), d in zip(X, D):
        if d == 0:
            assert math.hypot(x, y) == pytest.approx(1.0) and y >= -1e-12
        else:
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0) and y <= 0.5 + 1e-12


def test_circles_without_noise_have_radius_one_and_one_half():
    """Class 0 on the circle of radius 1, class 1 on radius 0.5."""
    X, D = datasets.circles(20, noise=0.0, seed=0)
    assert all(math.hypot(*x) == pytest.approx(1.0 if d == 0 else 0.5) for x, d in zip(X, D))


def test_line_gives_real_targets_on_the_line():
    """d = slope · x + intercept (+ noise); X = [[x]] with x in [-1, 1]."""
    X, targets = datasets.line(25, noise=0.0, seed=1, slope=-3.0, intercept=0.5)
    assert all(len(x) == 1 and -1 <= x[0] <= 1 for x in X)
    assert targets == pytest.approx([-3.0 * x + 0.5 for (x,) in X])
    _, noisy = datasets.line(25, noise=0.1, seed=1, slope=-3.0, intercept=0.5)
    assert noisy != targets


def test_one_hot():
    """one_hot(c, k): 1.0 at c, 0.0 elsewhere; bad arguments are ValueErrors."""
    assert datasets.one_hot(0, 3) == [1.0, 0.0, 0.0]
    for c, k in [(3, 3), (-1, 3), (1.0, 3), (0, 0)]:
        with pytest.raises(ValueError, match="one_hot"):
            datasets.one_hot(c, k)


def test_train_test_split_partitions_the_samples():
    """Disjoint parts covering every sample, the test part round(fraction · n), reproducible."""
    X = [[float(i)] for i in range(20)]
    D = list(range(20))
    X_train, X_test, D_train, D_test = datasets.train_test_split(X, D, 0.25, seed=0)
    assert len(X_test) == len(D_test) == 5 and len(X_train) == 15
    assert sorted(D_train + D_test) == D
    assert all(x == [float(d)] for x, d in zip(X_train + X_test, D_train + D_test))
    assert datasets.train_test_split(X, D, 0.25, seed=0)[1] == X_test


@pytest.mark.parametrize("args, message", [
    (([[1.0]], [1, 2]), "one desired output per input"),
    (([[1.0], [2.0]], [1, 2], 1.5), "test_fraction"),
    (([[1.0]], [1]), "at least 2 samples"),
])
def test_train_test_split_refuses_bad_arguments(args, message):
    """Mismatched lengths, a fraction outside (0, 1), fewer than 2 samples."""
    with pytest.raises(ValueError, match=message):
        datasets.train_test_split(*args)


@pytest.mark.parametrize("call, message", [
    (lambda: datasets.moons(0), "n .* positive whole number"),
    (lambda: datasets.moons(10, noise=-1), "noise"),
    (lambda: datasets.line(10, noise=math.inf), "noise"),
    (lambda: datasets.spiral(10, classes=1), "at least 2 classes"),
])
def test_data_sets_refuse_bad_arguments(call, message):
    """n >= 1, finite noise >= 0, at least 2 classes."""
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, error, message", [
    (lambda: datasets.train_test_split([[1.0], [2.0]], [1, 2], "0.5"), TypeError,
     "test_fraction must be a number, got str: '0.5'"),
    (lambda: datasets.train_test_split([[1.0], [2.0]], [1, 2], 1.0), ValueError,
     "test_fraction must be a finite number with 0 < test_fraction < 1, got 1.0"),
    (lambda: datasets.line(5, slope="a"), TypeError, "slope must be a number, got str: 'a'"),
    (lambda: datasets.line(5, slope=math.nan), ValueError, "slope must be a finite number, "
                                                           "got nan"),
    (lambda: datasets.line(5, intercept=math.inf), ValueError, "intercept must be a finite"),
    (lambda: datasets.moons(5, noise="0.1"), TypeError, "noise must be a number, got str"),
])
def test_data_set_numbers_are_checked_with_clear_errors(call, error, message):
    """Non-numbers are TypeErrors, nan/inf and out-of-range numbers ValueErrors, each named."""
    with pytest.raises(error, match=message):
        call()
