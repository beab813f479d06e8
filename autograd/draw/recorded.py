"""The steps of backward(), recorded: what each node passes on to each parent, in order.

>>> from autograd import Value, backward_steps
>>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
>>> y = (x * w).tanh()
>>> for step in backward_steps(y):
...     print(step.number, step.node.op, round(step.upstream, 4),
...           [round(c.added, 4) for c in step.contributions])
1 tanh 1.0 [0.5966]
2 * 0.5966 [-0.8949, 0.2983]

Each step is one Value whose gradient ∂L/∂node (`upstream`) has fully arrived, passing
∂L/∂node · ∂node/∂parent (`added`) on to each parent. It is a fresh pass: leaves start from 0,
and no .grad is changed. autograd.draw.steps draws a frame per step.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.backprop import backpropagate, gradients, scratch_gradients
from autograd.value import Value


@dataclass(frozen=True)
class Contribution:
    """One term of the chain rule: added = upstream · local, added to parent's gradient."""

    parent: Value
    local: float  # ∂node/∂parent
    added: float  # ∂L/∂node · ∂node/∂parent
    total: float  # parent's gradient once this term is added


@dataclass(frozen=True)
class BackwardStep:
    """Step `number` (from 1) of backward(): node's gradient is complete and passed on."""

    number: int
    node: Value
    upstream: float  # ∂L/∂node, summed over all of node's uses
    contributions: tuple[Contribution, ...]  # one per parent, in the order of node.parents


def backward_steps(root: Value, order: list[Value] | None = None) -> list[BackwardStep]:
    """The steps of root.backward(), in the order it applies them, without changing any .grad:
    the chain rule's walk (autograd.backprop.backpropagate), with every term it adds recorded.

    Only Values with parents make a step (a leaf has nothing to pass on). The gradients are
    those of a backward() whose leaves start at 0, float for float. order: the walk's order
    (a topological order of root's graph ending in root; default root's own).
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps needs a Value, got {type(root).__name__}: {root!r}")
    terms: list = []
    if order is None:
        gradients(root, (), record=terms)
    else:
        with scratch_gradients(order, {root: 1.0}, 0.0):
            backpropagate(order, record=terms)
    steps: dict[Value, list[Contribution]] = {}
    upstreams: dict[Value, float] = {}
    for node, upstream, parent, local, added, total in terms:
        steps.setdefault(node, []).append(Contribution(parent, local, added, total))
        upstreams[node] = upstream
    return [BackwardStep(number, node, upstreams[node], tuple(contributions))
            for number, (node, contributions) in enumerate(steps.items(), start=1)]
