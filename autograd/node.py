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

from collections.abc import Callable, Iterable, Sequence

from autograd.recording import current_scope, recording


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


# A new node, made without __init__'s checks. The lines that make one are written once, in
# making() (and making_leaf(), for a constant): node1, node2 and leaf below are made of them,
# and so is every method autograd.fast writes (there they run inline: a call less per op of a
# network's forward pass).


READ_SCOPE = "scope = current_scope()  # the autograd.scope it is made in"  # before making()


def making(data: str, parents: Sequence[str], local_grads: Sequence[str],
           nary: bool = False) -> list[str]:
    """Python lines that make `node`, a new node of class `cls` holding `data` (each argument
    an expression), made by `op`, of one or two parents and their local derivatives, kept as
    the module docstring says; under no_grad() a leaf. They read cls, op, new (object.__new__),
    recording (autograd.recording's) and scope (the function they run in reads it first, by
    READ_SCOPE). nary: parents and local_grads are each one expression, a tuple of them (more
    than two parents)."""
    kept = [f"node._first = {parents[0]}", f"node._d_first = {local_grads[0]}"]
    if nary:
        kept.append("node._second = ...")
    elif len(parents) == 2:
        kept += [f"node._second = {parents[1]}", f"node._d_second = {local_grads[1]}"]
    else:
        kept.append("node._second = None")
    return ["node = new(cls)", f"node.data = {data}", "node.grad = 0.0", 'node.label = ""',
            "node.backward_pass = 0", "node.scope = scope",
            "if recording():", "    node.op = op", *(f"    {line}" for line in kept),
            "else:", '    node.op = ""', "    node._first = node._second = None"]


def making_leaf(name: str, data: str) -> list[str]:
    """Python lines that make `name` a new leaf of class `cls` holding `data` (an expression):
    a constant, as a number operand of an op becomes. They read cls, new and scope."""
    return [f"{name} = new(cls)", f"{name}.data = {data}", f"{name}.grad = 0.0",
            f'{name}.label = ""', f'{name}.op = ""', f"{name}._first = {name}._second = None",
            f"{name}.scope = scope", f"{name}.backward_pass = 0"]


def _made(name: str, arguments: list[str], lines: list[str], made: str = "node") -> Callable:
    """A function name(cls, *arguments) running READ_SCOPE and lines, returning `made`."""
    body = "\n".join(f"    {line}" for line in [READ_SCOPE, *lines, f"return {made}"])
    namespace = {"new": object.__new__, "current_scope": current_scope, "recording": recording}
    exec(compile(f"def {name}({', '.join(['cls', *arguments])}):\n{body}\n",
                 f"<autograd.node: {name}>", "exec"), namespace)
    return namespace[name]


# node1(cls, data, parent, local, op), node2(cls, data, first, second, d_first, d_second, op)
node1 = _made("node1", ["data", "parent", "local", "op"],
              making("data", ["parent"], ["local"]))
node2 = _made("node2", ["data", "first", "second", "d_first", "d_second", "op"],
              making("data", ["first", "second"], ["d_first", "d_second"]))
leaf = _made("leaf", ["data"], making_leaf("leaf", "data"), made="leaf")  # leaf(cls, data)


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


def walk_marking(root: Node, pass_id: int) -> tuple[list, list, list]:
    """Every node root depends on, split: (the nodes with parents, in topological order; the
    leaves; the nodes with parents whose .grad is not 0, from an earlier pass). It marks each
    node it reaches with pass_id (.backward_pass), which serves as its `seen` set: no set of a
    million nodes to look up (a cache miss a node), and it reads the slots above, so it makes
    no tuple a node. backward() uses it; it is tested equal to
    autograd.backprop.topological_order, split."""
    interior: list = []
    leaves: list = []
    earlier: list = []
    stack: list = [root]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        if node is _PARENTS_DONE:
            interior.append(pop())
            continue
        while node.backward_pass != pass_id:  # visit node, then its first parent, and so on
            node.backward_pass = pass_id
            first = node._first
            if first is None:
                leaves.append(node)
                break
            if node.grad:
                earlier.append(node)
            push(node)
            push(_PARENTS_DONE)
            second = node._second  # the parents pushed last first: visited first to last
            if second is ...:
                stack += first[::-1]
                break
            # A parent that is a leaf (a weight, a constant: half the nodes of many graphs) is
            # listed at once instead of pushed: nothing below it to visit first.
            if second is not None:
                if second._first is not None:
                    push(second)
                elif second.backward_pass != pass_id:
                    second.backward_pass = pass_id
                    leaves.append(second)
            if first._first is None:
                if first.backward_pass != pass_id:
                    first.backward_pass = pass_id
                    leaves.append(first)
                break
            node = first  # visited next, as if pushed and popped
    return interior, leaves, earlier


_PARENTS_DONE = object()  # a marker on walk_marking's stack: the node under it is complete
