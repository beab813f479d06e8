"""micrograd's names, for learners coming from its lecture: _prev, _op, _backward, and a node
made by hand as Value(data, children, op) with a _backward of your own.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> out = Value(a.data * b.data, (a, b), "*")       # the lecture's way of making a node
>>> def _backward():
...     a.grad += b.data * out.grad
...     b.grad += a.data * out.grad
>>> out._backward = _backward
>>> out.local_grads                                 # read off _backward, once, when assigned
(-3.0, 2.0)
>>> out.backward(); a.grad, b.grad
(-3.0, 2.0)

A node made by hand with a row of autograd.ops as its op (Value(y, (x,), ops.TANH)) holds the
row's local derivatives at its children's numbers, its children kept in order. Any other node
made by hand holds no local derivatives until its _backward is assigned: then they are read off
it, by running it once with out.grad = 1 and each child's .grad at 0 (the chain rule is linear
in out.grad, so what it adds to a child is d out/d child). A _backward assigned to any node,
one made by an op too, replaces its local derivatives so, and backward() and a manual
out._backward() then agree. From then on the node is like any other: backward(), drawings and
the step-through read its local_grads. (grad() and compile need a row to differentiate or
replay it: autograd.define_op makes one.) Under no_grad() a node made by hand is a leaf, as
every node made there is.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import backprop
from autograd.node import keep
from autograd.ops import Op
from autograd.recording import recording


class MicrogradNames:
    """The lecture's names on Value: _prev (a set of parents), _op, _backward (this node's step
    of the chain rule; assign one to a node made by hand)."""

    __slots__ = ()

    @property
    def _prev(self) -> set:
        """The set of parents, as micrograd calls them (.parents keeps order and duplicates)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """The op's name, as micrograd calls it: .op ("" for a leaf)."""
        return self.op

    @property
    def _backward(self) -> Callable[[], None]:
        """This node's step of the chain rule, as the lecture calls it by hand: each parent's
        .grad += this .grad × its local derivative (backward() takes every step, in order)."""
        return lambda: backprop.pass_back(self)

    @_backward.setter
    def _backward(self, step: Callable[[], None]) -> None:
        if not callable(step):
            raise TypeError(f"_backward needs a function of no arguments, got "
                            f"{type(step).__name__}: {step!r}")
        keep(self, self.parents, read_off(self, self.parents, step))


def made_by_hand(node, children: object, op: object, label: object) -> None:
    """node's parents, as micrograd's Value(data, children, op) gives them: its children, each
    once (micrograd keeps a set). Its local derivatives come with its _backward."""
    parents = tuple(children) if isinstance(children, (tuple, list, set, frozenset)) else None
    if parents is None or not all(isinstance(p, type(node)) for p in parents):
        raise TypeError(f"_children needs a tuple of Values, got {type(children).__name__}: "
                        f"{children!r:.100}")
    if not isinstance(op, str) or not isinstance(label, str):
        bad = op if not isinstance(op, str) else label
        raise TypeError(f"_op and label need a str, got {type(bad).__name__}: {bad!r}")
    if not recording():  # under no_grad() every node is a leaf, this one too
        return
    node.op = op
    if isinstance(op, Op) and op.arity in (None, len(parents)):  # a row: its derivatives
        keep(node, parents, op.at(tuple(p.data for p in parents))[1])
        return
    # kept as for an n-ary node (autograd.node), its derivatives not given yet
    node._first, node._second, node._d_first = tuple(dict.fromkeys(parents)), ..., NotGiven(node)


def read_off(node, children, step: Callable[[], None]) -> tuple[float, ...]:
    """The local derivatives of a node whose _backward is step: what step adds to each of its
    children's .grad when node.grad is 1 and theirs are 0 (every .grad is put back
    afterwards). node and children need only a .grad: a learner's own Values too
    (autograd.draw.adopt)."""
    saved = [(v, v.grad) for v in (node, *children)]
    try:
        for child in children:
            child.grad = 0.0
        node.grad = 1.0
        step()
        return tuple(float(child.grad) for child in children)
    finally:
        for v, grad in saved:
            v.grad = grad


class NotGiven(tuple):
    """The local_grads of a node made by hand before its _backward is assigned: empty, and an
    error saying what to do when backward() needs them."""

    def __new__(cls, node) -> NotGiven:
        self = super().__new__(cls)
        self.name = node.label or node.op
        return self

    def __iter__(self):
        raise TypeError(f"the node {self.name!r} was made as Value(data, children, op) and has "
                        "no local derivatives: give it its step of the chain rule, "
                        "out._backward = a function that adds to each child's .grad (or use the "
                        "op's method, such as a.tanh())")
