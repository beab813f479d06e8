"""What a node does not record, recovered from its numbers, for autograd.compile.

- x ** c: the op name holds c to 6 significant digits ("**0.333333"), so c is the number that
  reproduces every run's value and local derivative exactly.
- affine(w, x, b): parents are (w_1..w_n, the inputs that are Values, b); which weight each
  Value input belongs to, and so which inputs were numbers, is the split that reproduces the
  local derivatives and the value exactly.
- sum_of: number terms are folded into the total; their sum is the number that reproduces it.

A candidate must reproduce every run bit for bit, so a wrong guess would need the same float
coincidence at the example and at several random points.

>>> from autograd import Value, sum_of
>>> x = Value(2.0)
>>> exponent([x ** (1 / 3)]) == 1 / 3
True
>>> folded_number([sum_of([x, 0.25])])
('end', 0.25)
"""

from __future__ import annotations

import math
import operator

from autograd.value import Value


def same_float(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)  # NaN counts as equal to NaN


def _candidates(estimates: list[float], steps: int = 8) -> list[float]:
    """Numbers near the estimates, likeliest first: the numbers people write (short decimals,
    fractions such as 1/3), then each estimate and its float neighbours."""
    finite = [x for x in estimates if math.isfinite(x)]
    written = [float(f"{x:.{digits}g}") for x in finite for digits in (3, 6, 9, 12)]
    written += [n / q for x in finite for q in range(1, 13)
                for n in (math.floor(x * q), math.ceil(x * q)) if abs(n / q - x) < 1e-6 * q]
    out = written + finite
    for x in finite:
        up = down = x
        for _ in range(steps):
            up, down = math.nextafter(up, math.inf), math.nextafter(down, -math.inf)
            out += (up, down)
    return out


def folded_number(same: list[Value]) -> tuple[str, float] | None:
    """Where a sum_of folded number terms into its total, and their sum c, as one number.

    ("", 0.0) when the parents alone add up to every run's value; ("end", c) or ("start", c)
    when adding c after (or before) the parents reproduces every run exactly; else None.
    """
    if all(same_float(_add_up(v, "", 0.0), v.data) for v in same):
        return "", 0.0
    for folded in ("end", "start"):
        for c in _candidates([v.data - _add_up(v, "", 0.0) for v in same]):
            if all(same_float(_add_up(v, folded, c), v.data) for v in same):
                return folded, c
    return None


def _add_up(v: Value, folded: str, c: float) -> float:
    """v's sum, as sum_of adds it: 0.0 + terms in order, with c at the start or the end."""
    total = 0.0 + c if folded == "start" else 0.0
    for p in v.parents:
        total += p.data
    return total + c if folded == "end" else total


def exponent(same: list[Value]) -> float:
    """The c of x ** c: from the op name ("**2"), else recovered from the numbers.

    The name holds c to 6 significant digits (an engine detail), so a candidate counts only if
    it reproduces every run's value and local derivative exactly.
    """
    named = float(same[0].op[2:])
    estimates = [named]
    for v in same:
        x, y, dy = v.parents[0].data, v.data, v.local_grads[0]
        if x != 0.0 and y != 0.0 and math.isfinite(dy * x / y):
            estimates.append(dy * x / y)  # c = x * (c x^(c-1)) / x^c
    for c in _candidates(estimates):
        if all(_reproduces_power(v, c) for v in same):
            return c
    raise ValueError(f"compile could not recover the exponent of {same[0].op!r} exactly (the op "
                     "name rounds it); use an exponent with at most 6 significant digits")


def _reproduces_power(v: Value, c: float) -> bool:
    x = v.parents[0].data
    try:
        y, dy = x**c, (c * x ** (c - 1) if c != 0 else 0.0)
    except (OverflowError, ZeroDivisionError):
        return False
    if isinstance(y, complex) or isinstance(dy, complex):
        return False
    return same_float(y, v.data) and same_float(dy, v.local_grads[0])


def affine_split(same: list[Value]) -> tuple[int, tuple[int, ...]]:
    """affine's parents are (w_1..w_n, the inputs that are Values, b): find n and the pairing.

    The node does not record which inputs were numbers, so the split is the one that reproduces
    the local derivatives and the value of every run exactly, preferring the most Value inputs.
    """
    size = len(same[0].parents) - 1
    for count in range(size // 2, -1, -1):  # how many inputs are Values
        weights = size - count
        pairing = _pairing(same[0], weights, count)
        if pairing is not None and all(_affine_fits(v, weights, pairing) for v in same):
            return weights, pairing
    raise ValueError(f"compile could not tell the weights of an affine node from its inputs "
                     f"({size + 1} parents)")


def _pairing(v: Value, weights: int, count: int) -> tuple[int, ...] | None:
    """For each Value input, the first weight index after the previous one that fits it."""
    pairing, j = [], 0
    local, parents = v.local_grads, v.parents
    for i in range(count):
        x = parents[weights + i]
        while j < weights and not (local[j] == x.data and local[weights + i] == parents[j].data):
            j += 1
        if j == weights:
            return None
        pairing.append(j)
        j += 1
    return tuple(pairing)


def _affine_fits(v: Value, weights: int, pairing: tuple[int, ...]) -> bool:
    local, parents = v.local_grads, v.parents
    for i, j in enumerate(pairing):
        if not (local[j] == parents[weights + i].data and local[weights + i] == parents[j].data):
            return False
    ws = [w.data for w in parents[:weights]]
    z = sum(map(operator.mul, ws, local[:weights]), parents[-1].data)  # as affine adds
    return local[-1] == 1.0 and same_float(z, v.data)
