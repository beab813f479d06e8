"""The float functions that compiled programs call: the engine's ops on plain numbers.

Each computes exactly what the matching op of `autograd.Value` computes, in the same order of
float operations, and refuses what the engine refuses with the same exception and message, so a
compiled program never returns a number where the dynamic engine would raise.

>>> sigmoid(-1000.0), sigmoid(0.0)
(0.0, 0.5)
>>> power(-2.0, 3)
-8.0
>>> log(0.0)
Traceback (most recent call last):
...
ValueError: log is undefined for 0.0 (needs a positive number)

The ops a compiled program writes inline, because Python's float operators already behave as the
engine does: x + y, x * y, tanh (math.tanh), relu (x if x > 0.0 else 0.0) and max.
"""

from __future__ import annotations

import math

from autograd.value import _check_power_domain

__all__ = ["exp", "log", "power", "sigmoid"]


def exp(x: float) -> float:
    """e ** x, with Value.exp's OverflowError for x > ~709.78."""
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x!r}) is too large for a float (needs x < 709.78)") from None


def log(x: float) -> float:
    """ln x, with Value.log's errors: ValueError for x <= 0, OverflowError where 1/x overflows."""
    if x <= 0.0:
        raise ValueError(f"log is undefined for {x!r} (needs a positive number)")
    if 1.0 / x == math.inf:
        raise OverflowError(f"log's derivative 1/x is too large for a float at x = {x!r}")
    return math.log(x)


def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e ** -x), written so that exp never sees a positive argument."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def power(x: float, c: float) -> float:
    """x ** c for a number c, with Value.__pow__'s errors where x ** c or its derivative
    c * x ** (c - 1) is not a finite real number."""
    if x <= 0.0:
        _check_power_domain(x, float(c))
    try:
        y = x**c
        if c != 0:
            c * x ** (c - 1)  # only for its OverflowError: the backward pass recomputes it
    except OverflowError:
        raise OverflowError(f"{x!r} ** {float(c)!r} is too large for a float") from None
    return y
