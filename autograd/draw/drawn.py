"""The graph a drawing shows: a twin of each Value drawn, with collapsed groups as one node per
output and negation and subtraction as nodes of their own.

>>> from autograd import Value, topological_order
>>> a, b = Value(3.0, label="a"), Value(1.0, label="b")
>>> d = a - b; d.label = "d"
>>> twin = drawn_root(d, topological_order(d), collapse=())
>>> twin.op.symbol, [p.label for p in twin.parents], twin.local_grads, twin.data
('-', ['a', 'b'], (1.0, -1.0), 2.0)

The twins hold each Value's data, grad, label, scope and backward pass, so
everything that draws a graph (names, the chain-rule text, the step-through) reads them as it
reads any graph: the chain rule over twins is still autograd.backprop.backpropagate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from autograd.backprop import topological_order
from autograd.draw import collapse as collapsing
from autograd.draw.composites import NEG, SUB, negated, subtracted
from autograd.node import keep
from autograd.value import Value


def drawn_root(root: Value, order: Sequence[Value], collapse: object = None) -> Value:
    """The twin of root in the drawn graph of order (root's topological order)."""
    return twins_of(root, order, collapse)[root]


def twins_of(root: Value, order: Sequence[Value], collapse: object = None) -> dict[Value, Value]:
    """The twin of each Value of order that is drawn (a Value inside a collapsed group, or the
    -1 and the negation of a subtraction, has none)."""
    groups = collapsing.scope_groups(order, collapsing.collapsed_scopes(collapse), root)
    uses = Counter(p for v in order for p in v.parents)
    twins: dict[Value, Value] = {}
    for v in order:
        group = groups.get(v)
        if group is not None:
            if v in group.outputs:
                twins[v] = _group_output(v, group, twins)
            continue
        twins[v] = _twin_of(v, uses, twins, groups)
    drawn = set(topological_order(twins[root]))
    return {v: t for v, t in twins.items() if t in drawn}


def drawn_order(root: Value, order: Sequence[Value], collapse: object = None) -> list[Value]:
    """The drawn graph's Values, each after its parents (the twin of root last), in the order
    of their Values in order: the chain rule over them then adds in backward()'s order."""
    return in_order(order, twins_of(root, order, collapse))


def in_order(order: Sequence[Value], twins: dict[Value, Value]) -> list[Value]:
    """The twins, in the order of the Values they stand for (a topological order too: a
    twin's parents stand for Values its own Value was computed from)."""
    return [twins[v] for v in order if v in twins]


def _twin_of(v: Value, uses: Counter, twins: dict, groups: dict) -> Value:
    """v's twin: a subtraction a - b, a negation -x, or v as it is (a negation inside a
    collapsed group, such as cross-entropy's -log y_c, stays the group's)."""
    pair = subtracted(v, uses)
    if pair is not None and not any(p in groups for p in v.parents):
        a, b = pair
        if b not in twins:  # a new constant c for a + (-c): it stands for the -c
            twins[next(p for p in v.parents if p is not a)] = b
        else:
            b = twins[b]
        return twin(v, SUB, [twins[a], b], (1.0, -1.0), v.scope)
    x = negated(v)
    if x is not None:
        return twin(v, NEG, [twins[x]], (-1.0,), v.scope)
    return twin(v, v.op, [twins[p] for p in v.parents], v.local_grads, v.scope)


def _group_output(v: Value, group: collapsing.Group, twins: dict) -> Value:
    """v's twin as an output of its group's box: parents the inputs it is computed from, local
    derivatives ∂v/∂input. A group of several outputs keeps its scope (a cluster holds them)."""
    used = collapsing.depends_on(group, v)
    partials = collapsing.partials(group, v)
    parents = [twins[p] for p, u in zip(group.inputs, used) if u]
    local = tuple(d for d, u in zip(partials, used) if u)
    scope = group.scopes[-1] if len(group.outputs) > 1 else group.scopes[0].parent
    return twin(v, group.row, parents, local, scope)


def twin(original: Value, op, parents: list[Value], local_grads: tuple, scope) -> Value:
    """A Value standing for original in a drawing: its numbers, label and pass; op, parents
    and local derivatives as given."""
    t = Value(original.data, label=original.label)
    t.op, t.grad, t.backward_pass, t.scope = op, original.grad, original.backward_pass, scope
    keep(t, tuple(parents), tuple(local_grads))
    return t
