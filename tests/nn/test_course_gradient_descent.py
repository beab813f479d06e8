"""nn.course.gradient_descent: the reference solutions of notebooks 05 and 05b pass every check;
each planted mistake gets its own message, and no message holds a number expected."""

import re

import pytest

import nn
from nn.course import gradient_descent as course

WEIGHTS, HEIGHTS = [0.5, 2.3, 2.9], [1.4, 1.9, 3.2]
NOT_DONE = "not done yet"


def no_number(said: str) -> bool:
    return not re.search(r"\d\.\d\d", said)


def slope_term(w, h, b=0.0, s=0.0):
    return 2 * (h - (b + s * w)) * -w


def test_the_slope_by_the_chain_rule_and_its_slips():
    right = sum(slope_term(w, h) for w, h in zip(WEIGHTS, HEIGHTS))
    check = course.check_slope_derivative
    assert check(right, WEIGHTS, HEIGHTS, 0.0, 0.0) == ""
    assert check(sum(slope_term(w, h, 0.3, 0.2) for w, h in zip(WEIGHTS, HEIGHTS)),
                 WEIGHTS, HEIGHTS, 0.3, 0.2) == ""
    intercept = sum(2 * (h - 0.0) * -1 for h in HEIGHTS)
    assert "that is dSSR/dintercept" in check(intercept, WEIGHTS, HEIGHTS, 0.0, 0.0)
    assert "the sign is off" in check(-right, WEIGHTS, HEIGHTS, 0.0, 0.0)
    assert "a factor is missing" in check(right / 2, WEIGHTS, HEIGHTS, 0.0, 0.0)
    said = check(right + 1, WEIGHTS, HEIGHTS, 0.0, 0.0)
    assert "chain the two derivatives" in said and no_number(said)
    assert check(None, WEIGHTS, HEIGHTS, 0.0, 0.0).startswith(NOT_DONE)


def test_the_momentum_runs():
    X = [[w] for w in WEIGHTS]

    def run(lr, momentum=0.0):
        return nn.train(nn.MLP(1, [1], output="linear", seed=0), X, HEIGHTS, nn.l2_divergence,
                        lr=lr, momentum=momentum, progress=False, max_steps=50)

    plain, fast = run(0.03), run(0.03, 0.9)
    full = nn.train(course.line_model(), X, HEIGHTS, nn.l2_divergence, lr=0.03, progress=False)
    with_m = nn.train(course.line_model(), X, HEIGHTS, nn.l2_divergence, lr=0.03, momentum=0.9,
                      progress=False)
    assert course.check_momentum_runs(full, with_m, X, HEIGHTS) == ""
    assert "is the run with momentum" in course.check_momentum_runs(with_m, full, X, HEIGHTS)
    assert "not the run asked for" in course.check_momentum_runs(plain, with_m, X, HEIGHTS)
    assert "must be the History" in course.check_momentum_runs([1.0], fast, X, HEIGHTS)
    assert course.check_momentum_runs(None, fast, X, HEIGHTS).startswith(NOT_DONE)


@pytest.fixture(scope="module")
def line_data():
    X, D = nn.datasets.line(100, noise=0.2, seed=0, slope=2.0, intercept=-1.0)
    xs = [x for (x,) in X]
    mean_x, mean_d = sum(xs) / 100, sum(D) / 100
    slope = sum((x - mean_x) * (d - mean_d) for x, d in zip(xs, D)) / sum(
        (x - mean_x) ** 2 for x in xs)
    intercept = mean_d - slope * mean_x
    lowest = sum((slope * x + intercept - d) ** 2 for x, d in zip(xs, D)) / 200
    return X, D, lowest


def test_the_whole_data_losses_and_the_samples_needed(line_data):
    X, D, lowest = line_data
    history, losses = course.whole_data_losses(X, D, lr=0.1, mode="batch", max_steps=20)
    assert len(losses) == history.steps + 1
    assert all(abs(a - b) < 1e-12 for a, b in zip(history.loss[1:], losses[1:]))
    _, mini = course.whole_data_losses(X, D, lr=0.1, mode="minibatch", batch_size=10, seed=0)
    updates = course.first_within(mini, lowest)
    check = course.check_samples_needed
    assert check(10 * updates, X, D, lowest, batch_size=10) == ""
    assert "counts updates" in check(updates, X, D, lowest, batch_size=10)
    assert "not at the whole data set" in check(100 * updates, X, D, lowest, batch_size=10)
    assert "not the count measured" in check(10 * updates + 10, X, D, lowest, batch_size=10)
    assert check(None, X, D, lowest, batch_size=10).startswith(NOT_DONE)


def test_the_late_excess(line_data):
    X, D, lowest = line_data
    _, losses = course.whole_data_losses(X, D, lr=0.02, mode="sgd", seed=0)
    right = max(losses[-500:]) / lowest - 1
    check = course.check_late_excess
    assert check(right, X, D, lowest, lr=0.02) == ""
    assert "how far *above* it" in check(right + 1, X, D, lowest, lr=0.02)
    assert "only the last 500" in check(max(losses) / lowest - 1, X, D, lowest, lr=0.02)
    said = check(right * 2, X, D, lowest, lr=0.02)
    assert "not the run's number" in said and f"{right:.3f}" not in said and "%" not in said
    assert check(None, X, D, lowest, lr=0.02).startswith(NOT_DONE)
