"""Gradient descent: SGD, and learning-rate schedules ("start large, finish small").

>>> from autograd import Value
>>> from nn.optim import SGD, linear_decay
>>> w = Value(3.0)
>>> optimizer = SGD([w], lr=0.1)
>>> (w * w).backward()               # slope dL/dw = 2w = 6
>>> optimizer.step()                 # returns the largest parameter change, lr·|slope|
0.6000000000000001
>>> round(w.data, 6)                 # w - lr · slope
2.4
>>> schedule = linear_decay(1.0, 0.1, steps=10)
>>> schedule(0), schedule(5), schedule(10), schedule(99)
(1.0, 0.55, 0.1, 0.1)

This module is the one place in nn/ that writes .grad (zero_grad) and changes weights (step).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from autograd import Value
from autograd.numbers import not_all_finite
from nn.checks import check_named, check_number

Schedule = Callable[[int], float]  # step (0, 1, 2, ...) -> learning rate


class SGD:
    """Gradient descent on params: w ← w - lr · g, with g = ∂Loss/∂w (+ weight_decay · w).

    momentum μ > 0 keeps a velocity v ← μ v + g per parameter and steps by lr · v instead.
    weight_decay λ adds λ w to the slope (the gradient of λ/2 Σ w²) without touching .grad.
    lr is a positive number or a schedule: a callable step -> lr, called with the number of
    steps taken so far (0 for the first).
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule, momentum: float = 0.0,
                 weight_decay: float = 0.0):
        self.params = _parameter_list(params)
        if not callable(lr):
            check_named(lr, "lr")
        check_named(momentum, "momentum")
        check_number(weight_decay, "weight_decay", low=0.0)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.steps = 0  # how many times step() has run
        self.velocity = [0.0] * len(self.params)

    def current_lr(self) -> float:
        """The learning rate the next step() will use."""
        if not callable(self.lr):
            return self.lr
        lr = self.lr(self.steps)
        check_number(lr, "lr", low=0.0, where=f" from the schedule at step {self.steps}")
        return lr

    def step(self) -> float:
        """Move every parameter against its slope; returns the largest change |Δw| made.

        All new weights (and momentum velocities) are computed first and only then stored: a
        gradient that is inf or nan (a float overflowed in backward), or a step that would make
        a weight inf or nan (a finite slope times a huge lr), is an OverflowError naming the
        parameter and the numbers, and then no weight, velocity or step count has changed.
        """
        params = self.params
        grads = [p.grad for p in params]
        if not_all_finite(grads):
            i = next(i for i, g in enumerate(grads) if not math.isfinite(g))
            raise OverflowError(f"the gradient of parameter {_name(i, params[i])} is "
                                f"{grads[i]!r}: a float overflowed in backward()")
        lr = self.current_lr()
        velocity = self._slopes(grads)
        weights = [p.data - lr * v for p, v in zip(params, velocity)]
        if not_all_finite(weights):
            i = next(i for i, w in enumerate(weights) if not math.isfinite(w))
            raise OverflowError(f"the step would make parameter {_name(i, params[i])} "
                                f"{weights[i]!r}: {params[i].data!r} - lr {lr!r} × slope "
                                f"{velocity[i]!r} overflowed")
        for p, w in zip(params, weights):
            p.data = w
        if self.momentum:
            self.velocity = velocity
        self.steps += 1
        return lr * max(map(abs, velocity))  # the largest |lr · v| (the same float: lr >= 0)

    def _slopes(self, grads: list[float]) -> list[float]:
        """What each parameter steps along: g (+ λ w), or with momentum the new velocity
        μ v + that."""
        if self.weight_decay:
            grads = [g + self.weight_decay * p.data for g, p in zip(grads, self.params)]
        if self.momentum:
            return [self.momentum * v + g for v, g in zip(self.velocity, grads)]
        return grads

    def zero_grad(self) -> None:
        """Set every parameter's .grad to 0 before the next accumulation of gradients."""
        for p in self.params:
            p.grad = 0.0

    def __repr__(self) -> str:
        return (f"SGD({len(self.params)} parameters, lr={self.lr!r}, momentum={self.momentum!r}, "
                f"weight_decay={self.weight_decay!r})")


# ---- schedules: plain callables step -> lr ----


@dataclass(frozen=True)
class constant:  # noqa: N801 (lower case: used like a function, constant(0.1))
    """lr(step) = lr."""

    lr: float

    def __post_init__(self) -> None:
        check_named(self.lr, "lr")

    def __call__(self, step: int) -> float:
        return self.lr


@dataclass(frozen=True)
class step_decay:  # noqa: N801
    """lr(step) = lr · factor ** ⌊step / every⌋: multiplied by factor every `every` steps."""

    lr: float
    factor: float = 0.5
    every: int = 100

    def __post_init__(self) -> None:
        check_named(self.lr, "lr")
        check_number(self.factor, "factor", low=0.0, high=1.0, low_open=True)
        check_number(self.every, "every", low=1, integral=True)

    def __call__(self, step: int) -> float:
        return self.lr * self.factor ** (step // self.every)


@dataclass(frozen=True)
class exponential_decay:  # noqa: N801
    """lr(step) = lr · rate ** step, for 0 < rate <= 1."""

    lr: float
    rate: float

    def __post_init__(self) -> None:
        check_named(self.lr, "lr")
        check_number(self.rate, "rate", low=0.0, high=1.0, low_open=True)

    def __call__(self, step: int) -> float:
        return self.lr * self.rate**step


@dataclass(frozen=True)
class linear_decay:  # noqa: N801
    """lr(step) = start + (end - start) · step / steps, then end from `steps` on."""

    start: float
    end: float
    steps: int

    def __post_init__(self) -> None:
        check_number(self.start, "start", low=0.0, low_open=True)
        check_number(self.end, "end", low=0.0)
        check_number(self.steps, "steps", low=1, integral=True)

    def __call__(self, step: int) -> float:
        if step >= self.steps:
            return self.end
        return self.start + (self.end - self.start) * step / self.steps


SCHEDULES = ("constant", "linear", "exponential", "step")


def make_schedule(name: str, lr: float, steps: int) -> Schedule:
    """A named schedule that starts at lr and decays over `steps` steps:
    constant: lr throughout;  linear: lr down to lr/10 in a straight line;
    exponential: lr · 0.1 ** (step / steps), also reaching lr/10;  step: halved every steps/4.

    >>> [round(make_schedule("exponential", 1.0, 100)(s), 4) for s in (0, 50, 100)]
    [1.0, 0.3162, 0.1]
    """
    check_named(lr, "lr")
    if name == "constant":
        return constant(lr)
    if name == "linear":
        return linear_decay(lr, lr / 10, steps)
    if name == "exponential":
        return exponential_decay(lr, 0.1 ** (1 / steps))
    if name == "step":
        return step_decay(lr, 0.5, max(1, steps // 4))
    raise ValueError(f"unknown schedule {name!r}; choose one of: {', '.join(SCHEDULES)}")


def _name(i: int, p: Value) -> str:
    """How a message names parameter i: "3", or "3 (w_2)" when it has a label."""
    return f"{i} ({p.label})" if p.label else str(i)


def _parameter_list(params: object) -> list[Value]:
    """params as a non-empty list of Values; a model itself gets a hint to pass its parameters."""
    if hasattr(params, "parameters") and not isinstance(params, (list, tuple)):
        raise TypeError(f"SGD needs the parameters to update, got the model itself "
                        f"({type(params).__name__}): pass model.parameters()")
    try:
        params = list(params)
    except TypeError:
        raise TypeError(f"SGD needs a list of Values (model.parameters()), got "
                        f"{type(params).__name__}: {params!r:.100}") from None
    if not params or not all(isinstance(p, Value) for p in params):
        raise ValueError(f"SGD needs a non-empty list of Values (model.parameters()), "
                         f"got {params!r:.100}")
    return params
