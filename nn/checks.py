"""The one number check of nn's arguments (lr, momentum, tol, max_steps, slope, ...).

>>> check_number(0.5, "lr", low=0.0, low_open=True)
>>> check_named(-1.0, "lr")          # the range RANGES gives lr
Traceback (most recent call last):
...
ValueError: lr must be a finite number with 0 < lr, got -1.0
>>> check_number("0.5", "test_fraction")
Traceback (most recent call last):
...
TypeError: test_fraction must be a number, got str: '0.5'

Any numbers.Real is accepted (int, float, fractions, numpy scalars) except bool, which is a
flag, not a number; integral=True asks for a numbers.Integral. Nothing is clamped: a number
outside its range is an error naming it. RANGES holds the range of each number that several
places take under one name (nn's functions and the command line's options), once.
"""

from __future__ import annotations

import math
from numbers import Integral, Real


def is_whole_number(x: object) -> bool:
    """x is a numbers.Integral (int, numpy's integers) and not a bool (a flag, not a count)."""
    return isinstance(x, Integral) and not isinstance(x, bool)


def check_number(x: object, what: str, low: float = -math.inf, high: float = math.inf, *,
                 low_open: bool = False, high_open: bool = False,
                 integral: bool = False, where: str = "") -> None:
    """Nothing if x is a finite real number (a whole one if integral) with low <= x <= high
    (< at an open end); else a TypeError (not a number, or a bool) or a ValueError (out of
    range, inf or nan) whose message names `what` (followed by `where`, e.g. " (from the
    schedule, at step 3)"), the range and x."""
    if isinstance(x, bool) or not isinstance(x, Integral if integral else Real):
        kind = "a whole number" if integral else "a number"
        raise TypeError(f"{what}{where} must be {kind}, got {type(x).__name__}: {x!r}")
    in_range = ((x > low if low_open else x >= low) and (x < high if high_open else x <= high))
    if not (math.isfinite(x) and in_range):
        kind = "a whole number" if integral else "a finite number"
        bounds = _bounds(what, low, high, low_open, high_open)
        raise ValueError(f"{what}{where} must be {kind}{' with ' + bounds if bounds else ''}, "
                         f"got {x!r}")


# the range of each number taken under the same name in several places (check_named)
RANGES: dict[str, dict] = {
    "lr": {"low": 0.0, "low_open": True},
    "momentum": {"low": 0.0, "high": 1.0, "high_open": True},
    "tol": {"low": 0.0},
    # the data sets live within a few units of 0: noise past 100 buries them (and at 1e308
    # overflows the first step); samples past a million exhaust memory before training starts
    "noise": {"low": 0.0, "high": 100.0},
    "samples": {"low": 1, "high": 1_000_000, "integral": True},
    "test_fraction": {"low": 0.0, "high": 1.0, "low_open": True, "high_open": True},
    "max_steps": {"low": 1, "integral": True},
}


def check_named(x: object, name: str) -> None:
    """check_number(x, name) in the range RANGES[name] gives that name."""
    check_number(x, name, **RANGES[name])


def _bounds(what: str, low: float, high: float, low_open: bool, high_open: bool) -> str:
    """'0 < lr <= 1', 'tol >= 0' style text for the range, or '' for no bound."""
    text = ""
    if low != -math.inf:
        text = f"{low:g} {'<' if low_open else '<='} {what}"
    if high != math.inf:
        text = (text or what) + f" {'<' if high_open else '<='} {high:g}"
    return text
