"""Negation and subtraction, drawn as such: the engine records -x as x * (-1) and a - b as
a + (b * (-1)); a drawing shows them as one node each, -x and a - b.

>>> from autograd import Value, topological_order
>>> a, b = Value(3.0, label="a"), Value(1.0, label="b")
>>> d = a - b
>>> negation = d.parents[1]
>>> negated(negation) is b, subtracted(d, {negation: 1}) == (a, b)
(True, True)

A negation is recognised by its row and its constant (a * node of rows.MUL whose other parent is
an unlabelled constant -1), never by a name; a subtraction is a + whose one parent is such a
negation used nowhere else. NEG and SUB are rows of their own, built from the primitives'
derivatives (d(-x)/dx = -1; d(a - b)/da = 1, d(a - b)/db = -1), that only drawings use.
"""

from __future__ import annotations

from autograd.op import Op
from autograd.ops import ADD, MUL
from autograd.value import Value

NEG = Op("neg", lambda x: -x, lambda x, out: -1.0, formula="-1", shown="-x", symbol="-")
SUB = Op("-", lambda x, y: x - y, lambda x, y, out: (1.0, -1.0), formula=("1", "-1"),
         shown="x - y", symbol="-")


def is_constant(value: Value) -> bool:
    """A constant of a drawing: a leaf with no label (a number operand such as the 2 of x * 2),
    or a leaf made inside a scope (what a forward pass makes for itself, as a divergence's
    Σ d log d; parameters and inputs are made outside). Nothing updates it, so a drawing
    shows no gradient for it."""
    return not value.parents and (not value.label or value.scope is not None)


def negated(value: Value) -> Value | None:
    """x, if value is x * (-1) (or (-1) * x) with the -1 an unlabelled constant; else None."""
    if value.op is not MUL:
        return None
    first, second = value.parents
    for operand, factor in ((first, second), (second, first)):
        if factor is not operand and _minus_one(factor):
            return operand
    return None


def _minus_one(value: Value) -> bool:
    return not value.parents and not value.label and value.data == -1.0


def subtracted(value: Value, uses: dict[Value, int]) -> tuple[Value, Value] | None:
    """(a, b) if value is a + (-b) or (-b) + a, the negation unlabelled and used only there;
    (a, c) with c a new constant if value is a + (-c) for an unlabelled constant -c < 0 (the
    engine's a - c: y - d reads as a subtraction of the target); else None. uses: how many
    times each Value is used in the drawing."""
    if value.op is not ADD:
        return None
    first, second = value.parents
    for kept, negation in ((first, second), (second, first)):
        if negation is kept or negation.label or uses.get(negation) != 1:
            continue
        b = negated(negation)
        if b is not None:
            return kept, b
        if not negation.parents and negation.data < 0.0 and kept is first:
            c = Value(-negation.data)
            c.scope = negation.scope
            return kept, c
    return None
