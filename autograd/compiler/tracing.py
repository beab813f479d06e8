"""Tracing for autograd.compile: run fn on Values a few times and describe the graph it builds.

>>> from autograd import Value
>>> w = Value(0.5, label="w")
>>> tape = trace(lambda x: (w * x + 1.0).tanh(), (2.0,))
>>> [(node.kind, node.op) for node in tape.nodes]
[('free', ''), ('argument', ''), ('op', '*'), ('constant', ''), ('op', '+'), ('op', 'tanh')]
>>> tape.free_leaves == (w,)
True

fn runs once at the example and at a few random perturbations of it. Every run must build the
same graph (the same ops on the same positions in topological order): a graph whose shape
follows the numbers (`if x.data > 0:` in fn) cannot be replayed by one straight-line program,
and is refused with a ValueError saying what changed. The runs also tell the leaves apart:
a leaf that is the same object in every run existed before fn ran (a parameter: a free leaf,
read at call time); a leaf that is a new object in every run was made by fn (a constant, such
as the 2 in `x * 2`), and must hold the same number in every run.

With has_aux=True, fn returns (value, aux): aux is a list of Values fn computed beside value
(a model's outputs beside its loss). Their nodes are traced too, after value's own nodes (whose
order, and so the order gradients are summed in, stays exactly the one value.backward() uses).
"""

from __future__ import annotations

import inspect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real

from autograd.backprop import topological_order
from autograd.ops import Op
from autograd.recording import recording_on, restore_state
from autograd.value import Value

_SCALES = (1.0, 0.1, 0.01, 0.001)  # perturbation sizes, tried in turn where fn is undefined
_PERTURBED_RUNS = 3


@dataclass(frozen=True)
class Node:
    """One Value of the traced graph, as every run built it.

    kind     "argument" (one of fn's arguments), "free" (a leaf that existed before fn ran),
             "constant" (a leaf fn made, same number every run) or "op" (an interior node)
    op       for "op": the op's row (autograd.ops), which says how to compute it
    parents  positions of the parents in Tape.nodes, in the Value's own order
    number   a constant's value
    index    which argument, or which free leaf (a position in Tape.free_leaves)
    """

    kind: str
    op: Op | str = ""
    parents: tuple[int, ...] = ()
    number: float = 0.0
    index: int = 0
    label: str = ""
    scope: str = ""


@dataclass
class Tape:
    """The traced graph: nodes in topological order, and what they read.

    output  the position of fn's value: the last node, unless aux nodes follow it
    aux     the positions of the aux Values, in the order fn returned them (None without
            has_aux=True)
    values  the Values of the first run, one per node: the graph the backward pass is
            written from (autograd.backprop.chain_rule walks it)
    """

    nodes: list[Node]
    argument_names: list[str]
    free_leaves: tuple[Value, ...]
    name: str
    output: int = -1
    aux: tuple[int, ...] | None = None
    values: list[Value] | None = None

    def __post_init__(self) -> None:
        if self.output < 0:
            self.output += len(self.nodes)


class _Run:
    """One call of fn on fresh argument Values, and the graph it built."""

    def __init__(self, fn: Callable[..., Value], args: tuple[float, ...], names: list[str],
                 has_aux: bool = False):
        self.args = args
        self.arguments = [Value(x, label=name) for x, name in zip(args, names)]
        token = recording_on()  # a trace needs the graph, even when compile runs under no_grad()
        try:
            output = fn(*self.arguments)
        finally:
            restore_state(token)
        self.has_aux = has_aux
        output, aux = _split_aux(output) if has_aux else (output, [])
        if not isinstance(output, Value):
            many = f" of {len(output)} items" if isinstance(output, (list, tuple)) else ""
            raise TypeError(f"compile needs fn to return one Value (a scalar such as a loss), got "
                            f"{type(output).__name__}{many}: {output!r:.200}")
        self.order = topological_order(output)
        self.output = len(self.order) - 1
        self.order += nodes_beyond(self.order, aux)
        self.position = {v: k for k, v in enumerate(self.order)}
        self.aux = tuple(self.position[v] for v in aux)
        self.argument_index = {v: i for i, v in enumerate(self.arguments)}

    def shape(self, k: int) -> tuple:
        """What must match between runs at position k: the op and its parents' positions."""
        v = self.order[k]
        if v.parents:
            return v.op, tuple(self.position[p] for p in v.parents)
        return ("argument", self.argument_index[v]) if v in self.argument_index else ("leaf",)

    def describe(self, k: int) -> str:
        shape = self.shape(k)
        if shape[0] == "argument":
            return f"node {k} is argument {self.arguments[shape[1]].label}"
        if shape[0] == "leaf":
            return f"node {k} is a leaf holding {self.order[k].data!r}"
        return f"node {k} is {shape[0]}({', '.join(f'node {p}' for p in shape[1])})"


def trace(fn: Callable[..., Value], example: Sequence[float],
          rng: random.Random | None = None, has_aux: bool = False,
          max_nodes: int | None = None) -> Tape:
    """Run fn at `example` and at a few perturbations of it; the graph they all build (refused,
    after the first run, when it has more than max_nodes nodes)."""
    if not callable(fn):
        raise TypeError(f"compile needs a function fn(*Values) -> Value, got "
                        f"{type(fn).__name__}: {fn!r}")
    example = _check_example(example)
    names = argument_names(fn, len(example))
    rng = random.Random(0) if rng is None else rng
    runs = [_Run(fn, example, names, has_aux)]
    if max_nodes is not None and len(runs[0].order) > max_nodes:
        raise ValueError(f"compile: fn's graph has {len(runs[0].order):,} nodes, more than "
                         f"max_nodes={max_nodes:,} (compiling takes about 6 KB a node: "
                         f"{len(runs[0].order) * 6 / 1e6:,.1f} GB here); pass "
                         f"max_nodes={len(runs[0].order)} or more to compile it anyway")
    runs += perturbed_runs(fn, example, names, rng, _PERTURBED_RUNS, has_aux)
    if len(runs) == 1:  # fn is undefined near the example: a second run there tells leaves apart
        runs.append(_Run(fn, example, names, has_aux))
    for other in runs[1:]:
        _check_same_shape(runs[0], other)
    name = getattr(fn, "__name__", type(fn).__name__)
    return _Builder(runs).build(names, name if name.isidentifier() else "fn")


def perturbed_runs(fn: Callable[..., Value], example: tuple[float, ...], names: list[str],
                   rng: random.Random, count: int, has_aux: bool = False) -> list[_Run]:
    """Up to `count` runs of fn at random points near the example where fn is defined."""
    runs = []
    for _ in range(count if example else 0):
        for scale in _SCALES:
            args = tuple(x + scale * (abs(x) + 1.0) * rng.gauss(0.0, 1.0) for x in example)
            try:
                runs.append(_Run(fn, args, names, has_aux))
                break
            except (ValueError, ArithmeticError):  # outside fn's domain: try closer
                continue
    return runs


def argument_names(fn: Callable, count: int) -> list[str]:
    """fn's positional parameter names when it has exactly `count`, else x1, ..., x<count>."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if len(parameters) == count and all(p.kind in kinds for p in parameters):
        return [p.name for p in parameters]
    return [f"x{i + 1}" for i in range(count)]


def _split_aux(returned: object) -> tuple[object, list[Value]]:
    """fn's (value, aux) under has_aux=True: aux as a list of Values, or a TypeError."""
    if not (isinstance(returned, tuple) and len(returned) == 2):
        raise TypeError(f"compile(has_aux=True) needs fn to return a pair (value, aux), got "
                        f"{type(returned).__name__}: {returned!r:.200}")
    value, aux = returned
    if not isinstance(aux, (list, tuple)) or not all(isinstance(v, Value) for v in aux):
        raise TypeError(f"compile(has_aux=True) needs aux as a list of Values, got "
                        f"{type(aux).__name__}: {aux!r:.200}")
    return value, list(aux)


def nodes_beyond(order: list[Value], roots: Sequence[Value]) -> list[Value]:
    """The nodes the roots depend on that `order` does not hold yet, in topological order."""
    seen, beyond = set(order), []
    for root in roots:  # topological_order(root), not entering what is listed already
        stack = [root]
        while stack:
            v = stack.pop()
            if v is _LISTED:
                beyond.append(stack.pop())
            elif v not in seen:
                seen.add(v)
                stack += (v, _LISTED, *v.parents[::-1])
    return beyond


_LISTED = object()  # on nodes_beyond's stack: the node under it has its parents listed


def _check_example(example: object) -> tuple[float, ...]:
    if isinstance(example, (Value, Real)):
        raise TypeError(f"compile needs the example as a tuple of numbers, one per argument of "
                        f"fn, got {type(example).__name__}: {example!r} (write ({example!r},) "
                        "for one argument)")
    if not isinstance(example, Sequence) or isinstance(example, (str, bytes)):
        raise TypeError(f"compile needs the example as a tuple of numbers, one per argument of "
                        f"fn, got {type(example).__name__}: {example!r}")
    for x in example:
        if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
            raise TypeError(f"compile needs the example as finite numbers, got "
                            f"{type(x).__name__}: {x!r} in {example!r}")
    return tuple(float(x) for x in example)


def _check_same_shape(first: _Run, other: _Run) -> None:
    """A ValueError naming the first node where two runs built different graphs."""
    hint = ("compile replays one graph for every input, so fn must build the same graph "
            "whatever the numbers: Python control flow on .data (`if x.data > 0:`) changes "
            "it; use an op that records the choice instead (relu(), detached_max()).")
    for k in range(min(len(first.order), len(other.order))):
        if first.shape(k) != other.shape(k):
            raise ValueError(f"fn's graph depends on its arguments' numbers: at {first.args} "
                             f"{first.describe(k)}, at {other.args} {other.describe(k)}. {hint}")
    if len(first.order) != len(other.order):
        raise ValueError(f"fn's graph depends on its arguments' numbers: it has "
                         f"{len(first.order)} nodes at {first.args} but {len(other.order)} at "
                         f"{other.args}. {hint}")
    if first.output != other.output:
        raise ValueError(f"fn's graph depends on its arguments' numbers: its value is node "
                         f"{first.output} at {first.args} but node {other.output} at "
                         f"{other.args}. {hint}")
    if first.aux != other.aux:
        raise ValueError(f"fn's aux Values depend on its arguments' numbers: they are nodes "
                         f"{list(first.aux)} at {first.args} but {list(other.aux)} at "
                         f"{other.args}. {hint}")


class _Builder:
    """Turns runs with the same shape into a Tape, one Node per position."""

    def __init__(self, runs: list[_Run]):
        self.runs = runs
        self.nodes: list[Node] = []
        self.moved: list[int] = []  # moved[k]: position in self.nodes of the run's node k
        self.free_leaves: list[Value] = []

    def build(self, names: list[str], name: str) -> Tape:
        first = self.runs[0]
        for k, v in enumerate(first.order):
            same = [run.order[k] for run in self.runs]
            if v.parents:
                node = self.interior(k, same)
            elif v in first.argument_index:
                node = Node("argument", index=first.argument_index[v], label=_label(v))
            elif all(u is v for u in same):
                node = Node("free", index=len(self.free_leaves), label=_label(v))
                self.free_leaves.append(v)
            else:
                node = Node("constant", number=self.constant(k, same, "a leaf made by fn"))
            self.moved.append(len(self.nodes))
            self.nodes.append(node)
        output, aux = self.moved[first.output], tuple(self.moved[k] for k in first.aux)
        # number the free leaves in the order the ops first use them: the order code reads them
        order = free_leaves_by_first_use(self.nodes, (output, *aux))
        leaves = tuple(self.free_leaves[self.nodes[k].index] for k in order)
        for index, k in enumerate(order):
            self.nodes[k] = _replace(self.nodes[k], index=index)
        return Tape(self.nodes, names, leaves, name, output, aux if first.has_aux else None,
                    first.order)

    def interior(self, k: int, same: list[Value]) -> Node:
        v = same[0]
        if all(u is v for u in same):
            raise ValueError(f"fn reaches {v!r} (op {v.op!r}), a node computed before compile "
                             "ran fn: compile would replay it from its leaves, the dynamic engine "
                             "uses its stored number. Compute it inside fn, or use its .detach() "
                             "(a leaf, read at call time).")
        if not isinstance(v.op, Op):
            raise ValueError(f"compile cannot replay node {k} (op {v.op!r}): it has no row in "
                             "autograd.ops (a node built as Value(data, children, op) with its "
                             "own _backward). Define the op with autograd.define_op instead.")
        parents = tuple(self.moved[self.runs[0].position[p]] for p in v.parents)
        scope = " / ".join(s.name for s in v.scope.path()) if v.scope is not None else ""
        return Node("op", v.op, parents, label=_label(v), scope=scope)

    def constant(self, k: int, same: list[Value], what: str) -> float:
        """The number at position k, the same in every run (else the graph follows the data)."""
        numbers = [u.data for u in same]
        for run, number in zip(self.runs[1:], numbers[1:]):
            if not same_float(number, numbers[0]):
                raise ValueError(
                    f"fn's graph depends on its arguments' numbers: node {k} uses {what} holding "
                    f"{numbers[0]!r} at {self.runs[0].args} but {number!r} at {run.args}. A "
                    "number computed from .data (such as max(v.data for v in vs)) is baked into "
                    "the compiled program: compute it with Value ops (detached_max() for a "
                    "shift) so the program recomputes it.")
        return numbers[0]


def free_leaves_by_first_use(nodes: list[Node], ends: Sequence[int] = (-1,)) -> list[int]:
    """Positions of the free leaves, in the order the ops (in topological order) first use them;
    then any of `ends` (the output and aux positions) that is a free leaf no op uses."""
    order, seen = [], set()
    for node in nodes:
        if node.kind == "op":
            for p in node.parents:
                if nodes[p].kind == "free" and p not in seen:
                    seen.add(p)
                    order.append(p)
    for k in ends:
        k %= len(nodes)
        if nodes[k].kind == "free" and k not in seen:  # returned as it is, used by no op
            seen.add(k)
            order.append(k)
    return order


def _label(v: Value) -> str:
    """v's label as text: a label set after construction may be any object (v.label = 5),
    which a drawing shows as str(label); "" for none."""
    return v.label if type(v.label) is str else str(v.label) if v.label else ""


def same_float(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)  # NaN counts as equal to NaN


def _replace(node: Node, **changes) -> Node:
    return Node(**{**node.__dict__, **changes})
