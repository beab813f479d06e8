"""Checks and measurements for the gradient-descent notebooks (05, 05b): a slope of the SSR
by the chain rule, runs of nn.train, and the whole data set's loss after every update.

>>> check_slope_derivative(None, [0.5], [1.4], 0.0, 0.0).startswith("not done yet")
True
>>> check_slope_derivative(2 * (1.4 - 0.0) * -0.5, [0.5], [1.4], 0.0, 0.0)
''

Each check returns "" when it passes, "not done yet: ..." while a blank is None, and otherwise
what differs with a hint at the next thing to look at, never the number it expected.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, sum_of
from nn.course.answers import close

__all__ = ["check_late_excess", "check_momentum_runs", "check_samples_needed",
           "check_slope_derivative", "first_within", "line_model", "whole_data_losses"]

NOT_DONE = "not done yet: fill in the blanks (each None) of the exercise's cell, then run this."


# ---- notebook 05, exercise 1: dSSR/dslope by the chain rule ----

def check_slope_derivative(by_hand: object, weights: Sequence[float], heights: Sequence[float],
                           intercept: float, slope: float) -> str:
    """Compare a learner's dSSR/dslope at (intercept, slope), for
    SSR = Σ (height − (intercept + slope · weight))², with backward()'s."""
    if by_hand is None:
        return NOT_DONE
    b, s = Value(intercept), Value(slope)
    residuals = [h - (b + s * w) for w, h in zip(weights, heights)]
    sum_of([r**2 for r in residuals]).backward()
    if close(by_hand, s.grad):
        return ""
    if close(by_hand, b.grad):
        return ("that is dSSR/dintercept: the slope reaches a residual multiplied by the "
                "person's weight. What is d(residual)/d(slope)?")
    if close(by_hand, -s.grad):
        return ("the sign is off: residual = observed − predicted, so raising the slope lowers "
                "every residual of a positive weight.")
    if close(by_hand, s.grad / 2):
        return "the derivative of residual² is 2 · residual: a factor is missing."
    return ("not backward()'s number: chain the two derivatives for each person, "
            "d(residual²)/d(residual) and d(residual)/d(slope), and add up over the people.")


# ---- notebook 05, exercise 2: momentum ----

def line_model(seed: int = 0):
    """A fresh linear neuron, y = w · x + b: nn.MLP(1, [1], output="linear", seed=seed)."""
    from nn import MLP

    return MLP(1, [1], output="linear", seed=seed)


def check_momentum_runs(plain: object, with_momentum: object, X: Sequence, D: Sequence,
                        lr: float = 0.03, momentum: float = 0.9) -> str:
    """Compare a learner's two Histories with nn.train on line_model(), at lr without momentum
    and with it (l2_divergence, progress off, every other option left as it is)."""
    if plain is None or with_momentum is None:
        return NOT_DONE
    from nn import l2_divergence, train

    for name, given, m in (("plain", plain, 0.0), ("with_momentum", with_momentum, momentum)):
        if not hasattr(given, "loss") or not hasattr(given, "stopped_by"):
            return f"{name} must be the History that nn.train returns."
        again = train(line_model(), X, D, l2_divergence, lr=lr, momentum=m, progress=False)
        if list(given.loss) != list(again.loss):
            other = train(line_model(), X, D, l2_divergence, lr=lr, momentum=momentum - m,
                          progress=False)
            if list(given.loss) == list(other.loss):
                return f"{name} is the run {'with' if m == 0 else 'without'} momentum."
            return (f"{name} is not the run asked for: a fresh model of seed 0 each time, "
                    f"lr={lr}, and nothing else changed but momentum.")
    return ""


# ---- notebook 05b: the whole data set's loss after each update ----

def whole_data_losses(X: Sequence, D: Sequence, **options) -> tuple[object, list[float]]:
    """Train line_model() on the 1-input data (X, D) with nn.train(..., l2_divergence,
    progress=False, **options), and return its History and the mean of ½ (y − d)² over all of
    (X, D) for the line before the first update and after each update (whatever the mode:
    in SGD mode History.loss holds only each update's own samples)."""
    from nn import l2_divergence, train

    model = line_model()
    visited = [[p.data for p in model.parameters()]]  # (w, b) after each update
    history = train(model, X, D, l2_divergence, progress=False,
                    callback=lambda h: visited.append([p.data for p in model.parameters()]),
                    **options)
    xs = [x[0] for x in X]
    losses = [sum((w * x + b - d) ** 2 for x, d in zip(xs, D)) / (2 * len(xs))
              for w, b in visited]
    return history, losses


def first_within(losses: Sequence[float], lowest: float, fraction: float = 0.05) -> int:
    """The first update (0: before any) whose loss is within fraction of lowest.

    >>> first_within([4.0, 2.0, 1.04, 1.0], 1.0)
    2
    """
    return next(k for k, loss in enumerate(losses) if loss < (1 + fraction) * lowest)


def check_samples_needed(samples: object, X: Sequence, D: Sequence, lowest: float,
                         batch_size: int, lr: float = 0.1) -> str:
    """Compare a learner's count of samples looked at before minibatches of batch_size (lr,
    seed 0) first come within 5% of lowest, on the whole data set, with the measured one."""
    if samples is None:
        return NOT_DONE
    _, losses = whole_data_losses(X, D, lr=lr, mode="minibatch", batch_size=batch_size, seed=0)
    updates = first_within(losses, lowest)
    if samples == batch_size * updates:
        return ""
    if samples == updates:
        return "that counts updates: each one looks at a whole minibatch of samples."
    if samples == len(X) * updates:
        return "a minibatch update looks at its own samples only, not at the whole data set."
    return ("not the count measured: the first update whose whole-data-set loss is below "
            "1.05 × lowest_loss, times the samples each update looks at.")


def check_late_excess(excess: object, X: Sequence, D: Sequence, lowest: float, lr: float,
                      last: int = 500) -> str:
    """Compare a learner's worst excess of plain SGD (lr, seed 0) over lowest in its last
    `last` updates, max(losses[-last:]) / lowest − 1, with the measured one."""
    if excess is None:
        return NOT_DONE
    _, losses = whole_data_losses(X, D, lr=lr, mode="sgd", seed=0)
    want = max(losses[-last:]) / lowest - 1
    if close(excess, want):
        return ""
    if close(excess, want + 1):
        return "that is the ratio to the lowest loss: how far *above* it, as a fraction?"
    if close(excess, max(losses) / lowest - 1):
        return f"that is the worst over the whole run: only the last {last} updates count."
    return (f"not the run's number: plain SGD (mode='sgd', seed=0) at lr={lr}, judged on the "
            f"whole data set, worst of its last {last} updates.")
