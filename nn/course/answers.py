"""What every check asks of a learner's answer first: is it there, and is it the number.

>>> missing(rate=0.1, steps=None)
'not done yet: fill in steps in the cell above.'
>>> missing(a=None, b=None, c=1)
'not done yet: fill in a and b in the cell above.'
>>> close(0.30000000000000004, 0.3), close(True, 1.0), close("0.3", 0.3)
(True, False, False)
"""

from __future__ import annotations

import math


def missing(**blanks: object) -> str:
    """"not done yet: ..." naming the blanks still None, or "" when all are filled in."""
    names = [name for name, value in blanks.items() if value is None]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"not done yet: fill in {listed} in the cell above."


def close(answer: object, expected: float, tol: float = 1e-9) -> bool:
    """answer is a number (not a bool) within a relative tol of expected (or 1e-12 of it):
    a learner's arithmetic rounds differently from the engine's, so no check asks for ==."""
    return (isinstance(answer, (int, float)) and not isinstance(answer, bool)
            and math.isclose(answer, expected, rel_tol=tol, abs_tol=1e-12))
