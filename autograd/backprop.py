"""Backpropagation: the chain rule, applied once per node in reverse topological order.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x + x                       # dy/dx = 2x + 1
>>> backward(y); x.grad
5.0
>>> [v.label or v.op for v in topological_order(y)]
['x', '*', '+']

Both walks are iterative (an explicit stack), so a chain of a million ops needs no raised
recursion limit. Value.backward() calls backward here.
"""

from __future__ import annotations

import math

_pass_count = 0
_PARENTS_DONE = object()  # a marker on the walks' stacks (no tuple per step: less GC work)


def backward(root) -> None:
    """Set every .grad to d(root)/d(node): seed 1, then the chain rule from the root back,

        for node in the interior nodes, in reverse topological order:
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local    # dL/dparent += dL/dnode * dnode/dparent

    written below over the slots where a node keeps its one or two parents (Value.__slots__),
    so that no tuple is made per node; a test checks that both give the same floats.

    Leaves accumulate across calls (as in PyTorch); interior nodes restart from zero. If a
    gradient overflows, every .grad is put back as it was and OverflowError names the node.
    """
    global _pass_count
    _pass_count += 1
    interior, leaves, earlier = _interior_nodes(root, _pass_count)
    saved, saved_earlier = [leaf.grad for leaf in leaves], [node.grad for node in earlier]
    for node in earlier:  # interior nodes start each pass at 0 (a new node holds 0.0 already)
        node.grad = 0.0
    root.grad += 1.0
    for node in reversed(interior):
        upstream = node.grad  # dL/dnode, complete: every node that uses this one came before
        # the chain rule: dL/dparent += dL/dnode * dnode/dparent, for each parent in order
        second = node._second
        if second is ...:  # more than two parents, kept as tuples
            if node._d_first is None:  # made as Value(data, children, op), micrograd's way:
                node._backward()       # its own function adds to its children's grads
                continue
            for parent, local in zip(node._first, node._d_first):
                parent.grad += upstream * local
        else:  # one parent, or two
            node._first.grad += upstream * node._d_first
            if second is not None:
                second.grad += upstream * node._d_second
    # An inf or nan among the leaves' grads makes their sum inf or nan (an interior one always
    # reaches a leaf). So do finite grads whose sum merely overflows: only then look at each.
    total = sum(leaf.grad for leaf in leaves)
    if total - total != 0.0 and not all(math.isfinite(leaf.grad) for leaf in leaves):
        _undo(root, interior, leaves, [*leaves, *earlier], [*saved, *saved_earlier])


def _undo(root, interior: list, leaves: list, kept: list, saved: list[float]) -> None:
    """Put every .grad back as before the pass (kept: the nodes that held a grad then, the
    leaves and the interior nodes of earlier passes; saved: those grads), then raise
    OverflowError naming the node whose gradient first became inf or nan (in the order
    backward reached it)."""
    culprit = next((v for v in [root, *reversed(interior), *leaves]
                    if v.grad - v.grad != 0.0), root)
    for node in interior:
        node.grad = 0.0
    for node, grad in zip(kept, saved):
        node.grad = grad
    name = repr(culprit.label) if culprit.label else f"the {culprit.op or 'leaf'} node"
    raise OverflowError(f"backward(): the gradient of {name} (data {culprit.data:.6g}) "
                        "overflowed to inf; every .grad is left as it was")


def _interior_nodes(root, pass_id: int) -> tuple[list, list, list]:
    """backward's walk: (the interior nodes in topological order, the leaves, the interior
    nodes that hold a grad from an earlier pass). Each node reached is marked with pass_id
    (which also serves as the `seen` set). Tested equal to topological_order(root), split by
    parents. It allocates nothing per node (no tuple, no iterator), so no GC pass runs during
    the walk. It reads a node's parents where the node keeps them (see Value.__slots__)."""
    interior: list = []
    leaves: list = []
    earlier: list = []
    stack: list = [root]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        if node is _PARENTS_DONE:
            interior.append(pop())
        elif node.backward_pass != pass_id:
            node.backward_pass = pass_id
            first = node._first
            if first is None:
                leaves.append(node)
                continue
            if node.grad:
                earlier.append(node)
            push(node)
            push(_PARENTS_DONE)
            # the parents pushed last first, so that they are visited first to last
            second = node._second
            if second is None:
                push(first)
            elif second is ...:  # more than two parents: first is their tuple
                stack.extend(first[::-1])
            else:
                push(second)
                push(first)
    return interior, leaves, earlier


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
                if node.parents:
                    stack += (node, _PARENTS_DONE)
                    stack.extend(node.parents[::-1])  # reversed: visited in their own order
                else:
                    order.append(node)
    return order
