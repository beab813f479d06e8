"""What the engine accepts as a number: a real number (not bool), held as a float.

>>> real_number(3, "Value"), real_number(0.5, "+")
(3.0, 0.5)
>>> real_number("3", "Value")
Traceback (most recent call last):
...
TypeError: Value needs a real number, got str: '3'
"""

from __future__ import annotations

import math
from numbers import Real


def real_number(x: object, who: str, *, allow_inf: bool = False,
                what: str = "a real number") -> float:
    """x as a float if it is a real number a float can hold (finite, unless allow_inf), else
    an error naming who needed it and what it got."""
    if type(x) is float:  # the common cases first, without the ABC check below
        number = x
    elif type(x) is not int and (isinstance(x, bool) or not isinstance(x, Real)):
        hint = " (use .data, or .detach() for a leaf)" if hasattr(x, "backward") else ""
        raise TypeError(f"{who} needs {what}, got {type(x).__name__}: {x!r:.200}{hint}")
    else:
        try:
            number = float(x)
        except OverflowError:
            raise OverflowError(f"{who} needs a number a float can hold, got "
                                f"{x!r:.40}...") from None
    if not allow_inf and not math.isfinite(number):
        raise ValueError(f"{who} needs a finite number, got {number!r}")
    return number


def not_all_finite(numbers: list[float]) -> bool:
    """Whether any of the numbers is inf or nan, looked at one by one only when their sum is
    not finite (inf or nan among them makes it so; finite numbers whose sum merely overflows
    too, and then each is looked at).

    >>> import math
    >>> not_all_finite([1.0, 2.0]), not_all_finite([1e308, 1e308]), not_all_finite([1.0, math.nan])
    (False, False, True)
    """
    total = sum(numbers)
    return total - total != 0.0 and not all(map(math.isfinite, numbers))
