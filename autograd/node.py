"""How a Value keeps its parents and their local derivatives: in slots, without a tuple a node.

>>> from autograd import Value
>>> x, w = Value(0.5), Value(-1.5)
>>> z = x * w
>>> z.parents == (x, w), z.local_grads
(True, (-1.5, 0.5))

Everything outside this module reads .parents and .local_grads, which are tuples. A graph is
kept as about one Python object a node, because of CPython's cyclic garbage collector: it
counts the container objects a program makes, collects every few hundred of them, and every so
often walks all the long-lived ones. A node that kept its parents and local derivatives as two
tuples of its own was three such objects, and the collector's passes took more time than
building the graph did (benchmarks/README.md has the figures). So a node of one or two parents,
which is nearly every node, keeps them in slots of its own:

    a leaf          _first is None (and _second is None)
    one parent      _first = the parent, _d_first = d(node)/d(parent); _second is None
    two parents     _first, _second = the parents; _d_first, _d_second = their derivatives
    more (n-ary)    _first = the tuple of parents, _d_first = the tuple of derivatives,
                    _second is ... (Ellipsis: "and so on")

The tuples .parents and .local_grads make when read are short-lived, which costs the collector
nothing: it only walks what outlives a few hundred allocations.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograd.recording import current


class Node:
    """The storage of a Value (see the module docstring); Value is the class to use."""

    __slots__ = ("data", "grad", "label", "op", "scope", "backward_pass",
                 "_first", "_second", "_d_first", "_d_second", "__dict__")
    # (__dict__: room for attributes of your own, such as an optimizer's moment; the dict is
    # made only for a Value that gets one)

    @property
    def parents(self) -> tuple:
        """The Values this one was computed from, in order, duplicates kept (a + a: (a, a))."""
        first, second = self._first, self._second
        if second is None:
            return () if first is None else (first,)
        return first if second is ... else (first, second)

    @property
    def local_grads(self) -> tuple:
        """d(this)/d(parent) for each parent, as floats, in the order of .parents."""
        first, second = self._first, self._second
        if second is None:
            return () if first is None else (self._d_first,)
        return self._d_first if second is ... else (self._d_first, self._d_second)

    @local_grads.setter
    def local_grads(self, local_grads) -> None:
        """Replace them (one number per parent), e.g. to see what a wrong derivative does."""
        parents, local_grads = self.parents, tuple(local_grads)
        if len(local_grads) != len(parents):
            raise ValueError(f"local_grads needs one number per parent ({len(parents)}), "
                             f"got {len(local_grads)}")
        keep(self, parents, local_grads)


def edges_of(node: Node) -> Iterable[tuple[Node, float]]:
    """(parent, d(node)/d(parent)) for each parent, in order: zip(node.parents,
    node.local_grads), read straight from the slots (backward's inner loop runs on this)."""
    second = node._second
    if second is None:
        return () if node._first is None else ((node._first, node._d_first),)
    if second is ...:
        return zip(node._first, node._d_first)
    return (node._first, node._d_first), (second, node._d_second)


def keep(node: Node, parents: tuple, local_grads: tuple) -> None:
    """Store parents and local_grads (tuples of the same length) on node, as the module
    docstring says."""
    if len(parents) == 2:
        node._first, node._second = parents
        node._d_first, node._d_second = local_grads
    elif len(parents) == 1:
        node._first, node._second, node._d_first = parents[0], None, local_grads[0]
    elif parents:
        node._first, node._second, node._d_first = parents, ..., local_grads
    else:
        node._first = node._second = None


# A new node, made without __init__'s checks: node1 and node2 are written out for one and two
# parents (every op of a network's forward pass makes one of them: autograd.fast's methods
# call them), node for any number. Under no_grad() each makes a leaf holding the number.


def node1(cls: type, data: float, parent: Node, local: float, op: object) -> Node:
    """A new node of one parent (no tuple made)."""
    out = object.__new__(cls)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.backward_pass = 0
    state = current()
    out.scope = state.scope
    out._second = None
    if state.recording:
        out.op = op
        out._first = parent
        out._d_first = local
    else:
        out.op = ""
        out._first = None
    return out


def node2(cls: type, data: float, first: Node, second: Node, d_first: float,
          d_second: float, op: object) -> Node:
    """A new node of two parents (no tuple made)."""
    out = object.__new__(cls)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.backward_pass = 0
    state = current()
    out.scope = state.scope
    if state.recording:
        out.op = op
        out._first = first
        out._second = second
        out._d_first = d_first
        out._d_second = d_second
    else:
        out.op = ""
        out._first = out._second = None
    return out


def node(cls: type, data: float, parents: tuple, local_grads: tuple, op: object) -> Node:
    """A new node of any number of parents (one or more)."""
    if len(parents) == 2:
        return node2(cls, data, *parents, *local_grads, op)
    if len(parents) == 1:
        return node1(cls, data, parents[0], local_grads[0], op)
    out = node1(cls, data, parents, local_grads, op)  # n-ary: the tuples where one parent goes
    if out._first is not None:
        out._second = ...
    return out


def walk_marking(root: Node, pass_id: int) -> tuple[list, list]:
    """Every node root depends on, split: (the nodes with parents, in topological order; the
    leaves). It marks each node it reaches with pass_id (.backward_pass), which serves as its
    `seen` set: no set of a million nodes to look up (a cache miss a node), and it reads the
    slots above, so it makes no tuple a node. backward() uses it; it is tested equal to
    autograd.backprop.topological_order, split."""
    interior: list = []
    leaves: list = []
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
            push(node)
            push(_PARENTS_DONE)
            second = node._second  # the parents pushed last first: visited first to last
            if second is None:
                push(first)
            elif second is ...:
                stack += first[::-1]
            else:
                push(second)
                push(first)
    return interior, leaves


_PARENTS_DONE = object()  # a marker on walk_marking's stack: the node under it is complete
