"""Backpropagation: the chain rule, written once.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x + x                       # dy/dx = 2x + 1
>>> backward(y); x.grad
5.0
>>> [v.label or v.op for v in topological_order(y)]
['x', '*', '+']

`backpropagate` is the one walk. backward() runs it on floats; autograd.grad on Values (a
derivative as a graph); jacobian and the step-through on floats again, keeping the numbers to
themselves; autograd.compile on symbols, to write the backward pass as code. Each node's .grad
is where the walk adds up its gradient: the others lend it (scratch_gradients) and give it
back. Both walks are iterative (an explicit stack), so a chain of a million ops needs no raised
recursion limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from autograd.node import edges_of, walk_marking
from autograd.numbers import not_all_finite

_PARENTS_DONE = object()  # a marker on the walks' stacks: the node under it is complete
_pass_count = 0  # backward() passes so far: each marks the nodes it reaches with its number

Edges = Callable[[object], Iterable[tuple[object, object]]]


def backpropagate(order: list, edges: Edges | None = None, record: list | None = None) -> None:
    """The chain rule, once: each node's .grad, d(root)/d(node), passed on to its parents.

        for node in reversed(order):             # order: topological, so each node comes
            for parent, local in zip(node.parents, node.local_grads):   # after every use
                parent.grad += node.grad * local    # dL/dparent += dL/dnode · dnode/dparent

    The root's .grad holds the seed, every other .grad its starting point: 0.0, NOTHING (no
    term yet), or what a leaf held before (backward: leaves add up over passes). Reverse
    topological order makes a node's gradient complete (summed over its every use) before it
    is passed on. The numbers only need * and +: floats, Values (autograd.grad), symbols
    (autograd.compile). A term is never multiplied by 1 (a seed of 1, the 1 of +): for floats
    that is the same number, for Values a node fewer.

    edges(node)  called once per node, when its gradient is complete: the (parent, local
                 derivative) pairs to pass it to, instead of the stored ones (grad takes them
                 from the rows; compile names the gradient first); default: edges_of(node),
                 zip(node.parents, node.local_grads) read from where the node keeps them
    record       a list that receives (node, its gradient, parent, local, term, parent's
                 gradient so far) for every term, in the order added (the step-through's data)
    """
    plain = edges is None  # floats: times 1 is the same number, so no need to look
    if plain:
        edges = edges_of
    nothing = NOTHING
    for node in reversed(order):
        pairs = edges(node)
        upstream = node.grad
        if upstream is nothing:  # no term reached it (grad and compile leave some out)
            continue
        for parent, local in pairs:
            term = upstream * local if plain else _product(upstream, local)
            parent.grad += term
            if record is not None:
                record.append((node, upstream, parent, local, term, parent.grad))


def _product(upstream: object, local: object) -> object:
    """upstream * local, without multiplying by the number 1."""
    return upstream if local == 1 else local if upstream == 1 else upstream * local


class _Nothing:
    """The gradient of a node no term has reached yet: adding a term gives the term itself
    (for floats the same number as 0.0 + term; for Values no `0 + term` node)."""

    __slots__ = ()

    def __add__(self, term: object) -> object:
        return term

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


@contextmanager
def scratch_gradients(nodes: list, seeds: dict, start: object = NOTHING) -> Iterator[None]:
    """Lend the nodes' .grad to backpropagate: each starts at `start`, but the seeds (node:
    its gradient) at theirs; afterwards every .grad is put back as it was, whatever happens.
    (Like backward(), not for one graph in two threads at once.)"""
    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = seeds.get(node, start)
        yield
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad


def gradients(root, nodes: Iterable, *, start: object = 0.0, **walk) -> list:
    """d root/d node for each of nodes, by backpropagate over root's graph from a seed of 1,
    with no .grad changed: the numbers jacobian and the step-through need (walk: edges,
    record). A node root does not depend on gets `start`."""
    order = topological_order(root)
    reached = set(order)
    with scratch_gradients(order, {root: 1.0}, start):
        backpropagate(order, **walk)
        return [node.grad if node in reached else start for node in nodes]


def backward(root) -> None:
    """Set every .grad to d(root)/d(node), by backpropagate; see Value.backward.

    A leaf's .grad adds this pass's gradient to what it held (as in PyTorch); a node with
    parents starts the pass at 0. Every node reached is marked with the pass's number
    (.backward_pass), which drawings read. If a gradient overflows, every .grad is put back
    as it was and OverflowError names the node.
    """
    global _pass_count
    _pass_count += 1
    interior, leaves, earlier = walk_marking(root, _pass_count)
    kept = [*leaves, *earlier]
    before = [node.grad for node in kept]
    for node in earlier:
        node.grad = 0.0
    root.grad += 1.0
    try:
        backpropagate(interior)
    except BaseException:
        _put_back(interior, kept, before)
        raise
    # An inf or nan anywhere reaches a leaf: looking at the leaves is enough.
    if not_all_finite([leaf.grad for leaf in leaves]):
        culprit = next(v for v in [root, *reversed(interior), *leaves]
                       if not math.isfinite(v.grad))
        _put_back(interior, kept, before)
        _refuse_overflow(culprit)


def _put_back(interior: list, kept: list, before: list) -> None:
    """Every .grad as it was before the pass: the interior nodes' 0 (a new node's), the kept
    ones' (leaves, and interior nodes that held a grad) as saved."""
    for node in interior:
        node.grad = 0.0
    for node, grad in zip(kept, before):
        node.grad = grad


def _refuse_overflow(culprit) -> None:
    """OverflowError naming the node whose gradient first became inf or nan, in the order
    backward reached them."""
    name = repr(culprit.label) if culprit.label else f"the {culprit.op or 'leaf'} node"
    raise OverflowError(f"backward(): the gradient of {name} (data {culprit.data:.6g}) "
                        "overflowed to inf; every .grad is left as it was")


def pass_back(node) -> None:
    """node's own step of the chain rule, as micrograd's _backward takes it by hand: each
    parent's .grad += node.grad × d node/d parent."""
    backpropagate([node])


def topological_order(root) -> list:
    """Every Value root depends on (root included), each after all of its parents. No recursion.

    >>> from autograd import Value
    >>> a = Value(1.0, label="a"); b = (a * 2).tanh()
    >>> [v.op or v.label or v.data for v in topological_order(b)]
    ['a', 2.0, '*', 'tanh']
    """
    return topological_order_of([root])


def topological_order_of(roots) -> list:
    """Every Value the roots depend on, each after all of its parents, with one `seen` set for
    all of them (a node they share is listed once). For one root: topological_order(root)."""
    order: list = []
    seen: set = set()
    for root in roots:
        stack: list = [root]
        while stack:
            node = stack.pop()
            if node is _PARENTS_DONE:  # everything pushed after `node` has been listed
                order.append(stack.pop())
            elif node not in seen:
                seen.add(node)
                stack.append(node)
                stack.append(_PARENTS_DONE)
                stack += node.parents[::-1]  # reversed: visited in their own order
    return order
