"""Groups drawn as one box: a scope collapsed to its inputs, its outputs and what it computes.

>>> from autograd import Value, scope, topological_order
>>> x = Value(0.5, label="x")
>>> with scope("square", note="y = x².  ∂y/∂x = 2x"):
...     y = x * x
>>> y.label = "y"
>>> groups = scope_groups(topological_order(y), collapsed_scopes(("square",)), y)
>>> group = groups[y]
>>> group.title, group.inputs == [x], group.outputs == [y], partials(group, y)
('square', True, True, [1.0])

What collapses is said by `collapse` (draw_graph's argument):

    None              the default: every scope with a note (nn: softmax and each divergence)
    ()                nothing: every op is drawn, as always
    ("softmax", ...)  the scopes of these names (a name also matches "name 2", "name: ...")
    "layers", ...     a level of detail: see LEVELS

A Value belongs to the outermost collapsed scope it was made in. A group's inputs are the Values
from outside that its Values use, its outputs those of its Values used outside (or the root). A
formula (a group of scopes with a note) whose outputs all go into one other formula is drawn
with it, as one box: softmax then a divergence reads z -> Div. Each output's local derivatives
are ∂output/∂input, the chain rule's walk (autograd.backprop.backpropagate) over the group's
own Values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd.backprop import backpropagate, scratch_gradients
from autograd.op import Op
from autograd.recording import Scope
from autograd.value import Value

NOTED = "a scope with a note"  # in a level: every scope that says what it computes
LEVELS = {
    "every op": (),
    "formulas": (NOTED,),
    "neurons": ("neuron", NOTED),
    "layers": ("layer", NOTED),
}
DEFAULT_LEVEL = "formulas"


def collapsed_scopes(collapse: object) -> Callable[[Scope], bool]:
    """Whether a scope is drawn collapsed, for draw_graph's collapse argument (see above)."""
    if collapse is None:
        collapse = DEFAULT_LEVEL
    if isinstance(collapse, str):
        if collapse not in LEVELS:
            raise ValueError(f"collapse must be a level ({', '.join(map(repr, LEVELS))}) or a "
                             f"tuple of scope names, got {collapse!r}")
        collapse = LEVELS[collapse]
    if not isinstance(collapse, (tuple, list)) or not all(isinstance(n, str) for n in collapse):
        raise TypeError(f"collapse must be a level name or a tuple of scope names (str), got "
                        f"{type(collapse).__name__}: {collapse!r}")
    names = tuple(collapse)
    return lambda scope: any(_matches(scope, name) for name in names)


def _matches(scope: Scope, name: str) -> bool:
    """scope is named name, or name followed by a number or a colon ("layer 2: ...")."""
    if name == NOTED:
        return bool(scope.note)
    return scope.name == name or scope.name.startswith((name + " ", name + ":"))


class GroupRow(Op):
    """The row of a collapsed group's box: its title, what it computes (note) and its
    labelled Values inside, for the tooltip. Drawings only: it is never evaluated."""

    def __init__(self, group: Group):
        super().__init__(group.title, _drawn_only, _drawn_only, n_ary=True,
                         formula=lambda index, names: None, shown=group.shown,
                         symbol=group.title)
        self.note, self.inside = group.note, group.inside


def _drawn_only(*_: object) -> float:
    raise TypeError("a collapsed group's row is only drawn, never evaluated")


@dataclass(eq=False)
class Group:
    """The Values of one or more collapsed scopes, drawn as one box per output."""

    scopes: list[Scope]
    members: list[Value] = field(default_factory=list)  # in topological order
    inputs: list[Value] = field(default_factory=list)  # in order of first use
    outputs: list[Value] = field(default_factory=list)
    row: GroupRow | None = None

    @property
    def title(self) -> str:
        return " + ".join(s.name for s in self.scopes)

    @property
    def note(self) -> str:
        return "\n".join(s.note for s in self.scopes if s.note)

    @property
    def inside(self) -> list[Value]:
        """The labelled Values inside (a softmax's y), shown in the box's tooltip."""
        return [v for v in self.members if v.label and v.parents and v not in self.outputs]

    def shown(self, names: list[str]) -> str:
        """What the box computes: the scopes' calls, innermost first: Div(softmax(z1, z2))."""
        text = ", ".join(names)
        for scope in self.scopes:
            text = f"{scope.name.split(':')[0]}({text})"
        return text


def scope_groups(order: Sequence[Value], collapsed: Callable[[Scope], bool],
                 root: Value) -> dict[Value, Group]:
    """The group of every Value of order that is drawn collapsed (merged groups share one)."""
    groups: dict[Scope, Group] = {}
    group_of: dict[Value, Group] = {}
    for v in order:
        scope = _outermost(v.scope, collapsed)
        if scope is not None:
            group_of[v] = groups.setdefault(scope, Group([scope]))
            group_of[v].members.append(v)
    for group in _distinct(group_of):
        _find_edges(group, group_of, order, root)
    _merge(group_of, order, root)
    for group in _distinct(group_of):
        group.row = GroupRow(group)
    return group_of


def _outermost(scope: Scope | None, collapsed: Callable[[Scope], bool]) -> Scope | None:
    return next((s for s in scope.path() if collapsed(s)), None) if scope else None


def _distinct(group_of: dict[Value, Group]) -> list[Group]:
    return list({id(g): g for g in group_of.values()}.values())


def _find_edges(group: Group, group_of: dict, order: Sequence[Value], root: Value) -> None:
    """The group's inputs (outside Values its members use) and outputs (members used outside,
    or the root), each in order."""
    group.inputs, outputs = [], set()
    for v in group.members:
        for parent in v.parents:
            if group_of.get(parent) is not group and parent not in group.inputs:
                group.inputs.append(parent)
    for v in order:
        if group_of.get(v) is not group:
            outputs.update(p for p in v.parents if group_of.get(p) is group)
    group.outputs = [v for v in group.members if v in outputs or v is root]


def _merge(group_of: dict[Value, Group], order: Sequence[Value], root: Value) -> None:
    """Draw a formula with the one formula all of its outputs go into (softmax, then Div)."""
    position = {v: k for k, v in enumerate(order)}
    users: dict[Value, set] = {}
    for v in order:
        for parent in v.parents:
            users.setdefault(parent, set()).add(group_of.get(v))
    for group in _distinct(group_of):
        into = {g for out in group.outputs for g in users.get(out, {None})}
        if root in group.outputs or len(into) != 1 or None in into:
            continue
        (later,) = into
        if not all(s.note for s in [*group.scopes, *later.scopes]):
            continue  # only formulas (scopes with a note) are drawn together
        later.scopes[:0] = group.scopes
        later.members = sorted([*group.members, *later.members], key=position.__getitem__)
        later.inputs = [*group.inputs, *(v for v in later.inputs if v not in group.outputs
                                         and v not in group.inputs)]
        for v in group.members:
            group_of[v] = later


def partials(group: Group, output: Value) -> list[float]:
    """∂output/∂input for each of group's inputs (0.0 where it does not depend on one): the
    chain rule's walk over the group's own Values, the inputs held fixed."""
    nodes = [*group.inputs, *group.members]
    with scratch_gradients(nodes, {output: 1.0}, start=0.0):
        backpropagate(group.members)
        return [v.grad for v in group.inputs]


def depends_on(group: Group, output: Value) -> list[bool]:
    """For each of group's inputs, whether output is computed from it (inside the group)."""
    reached, stack = set(), [output]
    while stack:
        v = stack.pop()
        if v not in reached:
            reached.add(v)
            if v not in group.inputs:
                stack.extend(v.parents)
    return [v in reached for v in group.inputs]
