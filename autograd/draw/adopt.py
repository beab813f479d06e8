"""Any Value of micrograd's shape, drawn by chainrule: the same graph, made of autograd Values.

>>> class Tiny:                                     # a learner's engine, micrograd's shape
...     def __init__(self, data, _children=(), _op="", label=""):
...         self.data, self.grad, self._prev, self._op = data, 0.0, set(_children), _op
...         self.label, self._backward = label, lambda: None
...     def __mul__(self, other):
...         out = Tiny(self.data * other.data, (self, other), "*")
...         def _backward():
...             self.grad += other.data * out.grad
...             other.grad += self.data * out.grad
...         out._backward = _backward
...         return out
>>> x, w = Tiny(0.5, label="x"), Tiny(-1.5, label="w")
>>> z = x * w
>>> twin = adopt(z)                                 # draw_graph(z) and draw_backward(z) do this
>>> twin.op, twin.data, sorted(p.label for p in twin.parents), sorted(twin.local_grads)
('*', -0.75, ['w', 'x'], [-1.5, 0.5])

Micrograd's shape: .data, .grad, ._prev (the Values it was made from), ._op, .label (optional)
and ._backward (a function of no arguments that adds to each of ._prev's .grad this node's
.grad times its local derivative). Each node's local derivatives are read off its own
_backward, run once with its .grad at 1 and its children's at 0 (every .grad is put back), so
the drawing and the step-through show what the learner's closures do. The .grad of each node
is copied as it is. The walk is iterative: a graph thousands of nodes deep is fine.
"""

from __future__ import annotations

from autograd.micrograd_names import read_off
from autograd.node import keep
from autograd.value import Value

__all__ = ["adopt", "adopted"]

SHAPE = ("data", "grad", "_prev", "_op", "_backward")


def adopt(root: object) -> Value:
    """An autograd Value equal to root, a Value of micrograd's shape: the same numbers, ops,
    labels, grads and edges, each node's local derivatives read off its _backward."""
    if isinstance(root, Value):
        return root
    order = _order(root)
    twins: dict[int, Value] = {}  # id(foreign node) -> its twin
    for node in order:
        children = _parents(node)
        parents = tuple(twins[id(p)] for p in children)
        twin = Value(node.data, parents, str(node._op), label=str(getattr(node, "label", "")))
        if parents:  # its local derivatives, read off the learner's own _backward
            keep(twin, parents, read_off(node, children, node._backward))
        twins[id(node)] = twin
    if any(node.grad for node in order):  # backward has run: mark the pass, keep their grads
        twins[id(root)].backward()
        for node in order:
            twins[id(node)].grad = float(node.grad)
    return twins[id(root)]


def adopted(root: object) -> object:
    """adopt(root) if root is of micrograd's shape; anything else as it is (for its error)."""
    if isinstance(root, Value) or not all(hasattr(root, name) for name in SHAPE):
        return root
    return adopt(root)


def _check_shape(node: object) -> None:
    missing = [name for name in SHAPE if not hasattr(node, name)]
    if missing:
        raise TypeError(f"drawing needs a Value (autograd's, or one of micrograd's shape: "
                        f"{', '.join(SHAPE)}); this {type(node).__name__} has no "
                        f"{', '.join(missing)}: {node!r:.100}")


def _parents(node: object) -> list:
    """node's _prev in an order that does not change from run to run (a set's order does)."""
    prev = node._prev
    if isinstance(prev, (set, frozenset)):
        return sorted(prev, key=lambda p: (str(getattr(p, "label", "")), str(p._op),
                                           repr(p.data)))
    return list(dict.fromkeys(prev))


def _order(root: object) -> list:
    """Every node root depends on, each after its _prev. No recursion."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            _check_shape(node)
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in _parents(node) if id(p) not in seen)
    return order
