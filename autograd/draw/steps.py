"""Backpropagation one step at a time: what backward() does, in order, and a picture per step.

>>> from autograd import Value, backward_steps
>>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
>>> y = (x * w).tanh()
>>> for step in backward_steps(y):
...     print(step.number, step.node.op, round(step.upstream, 4),
...           [round(c.added, 4) for c in step.contributions])
1 tanh 1.0 [0.5966]
2 * 0.5966 [-0.8949, 0.2983]

Each step is one Value whose gradient ∂L/∂node (`upstream`) is complete, passing
∂L/∂node · ∂node/∂parent (`added`) to each parent. It is a fresh pass: leaves start from 0, and
no .grad is changed. draw_backward(y) draws a frame per step (a slider in Jupyter).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from autograd.backprop import topological_order
from autograd.draw import equations
from autograd.draw.equations import four_decimals
from autograd.draw.graph import (
    AUTO_EDGE_LABELS,
    Graph,
    GraphvizNotFoundError,
    checked_order,
    dot_source,
    inline_svg,
)
from autograd.value import Value

CURRENT, RECEIVING = "#ffd966", "#fff2cc"  # fills: the node of this step, its parents


@dataclass(frozen=True)
class Contribution:
    """One term of the chain rule: added = upstream · local, added to parent's gradient."""

    parent: Value
    local: float  # ∂node/∂parent
    added: float  # ∂L/∂node · ∂node/∂parent


@dataclass(frozen=True)
class BackwardStep:
    """Step `number` (from 1) of backward(): node's gradient is complete and passed on."""

    number: int
    node: Value
    upstream: float  # ∂L/∂node, summed over all of node's uses
    contributions: tuple[Contribution, ...]  # one per parent, in the order of node.parents


def backward_steps(root: Value) -> list[BackwardStep]:
    """The steps of root.backward(), in the order it applies them, without changing any .grad.

    Only Values with parents make a step (a leaf has nothing to pass on). Summing every step's
    contributions into zeros, with ∂root/∂root = 1, gives the gradients of a backward() whose
    leaves start at 0, float for float.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps needs a Value, got {type(root).__name__}: {root!r}")
    order = [v for v in topological_order(root) if v.parents]
    grads = {root: 1.0}
    steps = []
    for node in reversed(order):
        upstream = grads.get(node, 0.0)
        contributions = []
        for parent, local in zip(node.parents, node.local_grads):
            added = upstream * local
            grads[parent] = grads.get(parent, 0.0) + added
            contributions.append(Contribution(parent, local, added))
        steps.append(BackwardStep(len(steps) + 1, node, upstream, tuple(contributions)))
    return steps


def draw_backward(root: Value, *, rankdir: str = "LR", edge_derivatives: bool | None = None,
                  max_nodes: int = 200, clusters: bool = True) -> BackwardFrames:
    """A frame per step of root.backward(): the step's node highlighted, gradients so far.

    Frame 0 is the seed ∂L/∂L = 1; frame k is the graph after step k. Every Value with parents
    shows its step number. In Jupyter: a slider over the frames (every frame, without
    ipywidgets). Options as for draw_graph; max_nodes is lower, as each frame is a whole graph.
    """
    order = checked_order(root, rankdir, max_nodes)
    if edge_derivatives is None:
        edge_derivatives = len(order) <= AUTO_EDGE_LABELS
    return BackwardFrames(root, order, rankdir=rankdir, clusters=clusters,
                          edge_labels=edge_derivatives)


class BackwardFrames:
    """The frames of draw_backward: `frames[k]` is a Graph, `caption(k)` says what step k did."""

    def __init__(self, root: Value, order: list[Value], *, rankdir: str, clusters: bool,
                 edge_labels: bool):
        self.root, self.order = root, order
        self.steps = backward_steps(root)
        self.names = equations.node_names(order, root)
        self.uses = equations.uses_in_backward_order(order)
        self.step_of = {step.node: step.number for step in self.steps}
        self._options = {"rankdir": rankdir, "clusters": clusters, "edge_labels": edge_labels}
        self._graphs: dict[int, Graph] = {}

    def __len__(self) -> int:
        return len(self.steps) + 1

    def __repr__(self) -> str:
        return f"<autograd BackwardFrames: {len(self)} frames (seed + {len(self.steps)} steps)>"

    def __getitem__(self, k: int) -> Graph:
        k = self._index(k)
        if k not in self._graphs:
            self._graphs[k] = self._draw(k)
        return self._graphs[k]

    def _index(self, k: int) -> int:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"frames are numbered by int, got {type(k).__name__}: {k!r}")
        if not -len(self) <= k < len(self):
            raise IndexError(f"frame {k} does not exist: there are {len(self)} (0 to "
                             f"{len(self) - 1})")
        return k % len(self)

    def gradients(self, k: int) -> dict[Value, float]:
        """Every Value's gradient after frame k (0 where nothing has been added yet)."""
        grads = dict.fromkeys(self.order, 0.0)
        grads[self.root] = 1.0
        for step in self.steps[: self._index(k)]:
            for c in step.contributions:
                grads[c.parent] += c.added
        return grads

    def caption(self, k: int) -> str:
        """What frame k shows, in words and numbers."""
        k, top = self._index(k), self.names[self.root]
        if k == 0:
            return f"seed: ∂{top}/∂{top} = 1 (backward() starts at {top}); {len(self.steps)} steps"
        step, grads = self.steps[k - 1], self.gradients(k)
        top, name = equations.symbol(top), equations.symbol(self.names[step.node])
        upstream = four_decimals(step.upstream)
        lines = [f"step {k} of {len(self.steps)}: ∂{top}/∂{name} = {upstream} is complete, "
                 f"and {name} passes it on to its parents:"]
        for c in step.contributions:
            parent = equations.symbol(self.names[c.parent])
            lines.append(f"∂{top}/∂{parent} += ∂{top}/∂{name} · ∂{name}/∂{parent} = {upstream} × "
                         f"{four_decimals(c.local)} = {four_decimals(c.added)}  "
                         f"(now {four_decimals(grads[c.parent])})")
        return "\n".join(lines)

    def _draw(self, k: int) -> Graph:
        """Frame k as a Graph: cells and tooltips from the gradients after k steps."""
        done = {step.node for step in self.steps[:k]}
        grads = self.gradients(k)
        cells, hovers = {}, {}
        for v in self.order:
            added = [(c, i) for c, i in self.uses[v] if c in done]  # the uses passed on so far
            complete = v is self.root or len(added) == len(self.uses[v])
            so_far = "" if complete else " so far"
            number = [f"step {self.step_of[v]}"] if v in self.step_of else []
            cells[v] = [*number, self.names[v], f"data {four_decimals(v.data)}",
                        f"grad {four_decimals(grads[v])}{so_far}"]
            equation = self._equation(v, added, grads, so_far)
            hovers[v] = equations.forward_text(v, self.names) + "\n" + equation
        current = self.steps[k - 1].node if k else self.root
        fills = dict.fromkeys(current.parents, RECEIVING) | {current: CURRENT}
        hot = frozenset((current, i) for i in range(len(current.parents)))
        return Graph(dot_source(self.order, self.names, cells, hovers, fills=fills,
                                hot_edges=hot, caption=self.caption(k), **self._options))

    def _equation(self, v: Value, added: list, grads: dict, so_far: str) -> str:
        """∂L/∂v as the chain-rule sum over the uses (consumer, parent index) added so far."""
        top = self.names[self.root]
        if v is self.root:
            return f"∂{top}/∂{top} = 1: backward() starts here"
        if not added:
            return f"∂{top}/∂{self.names[v]}: nothing added yet (0 so far)"
        terms = [(self.names[c], grads[c], c.local_grads[i]) for c, i in added]
        return equations.chain_rule_text(top, self.names[v], terms, grads[v]) + so_far

    # ---- showing the frames ----

    def frame_html(self, k: int) -> str:
        """Frame k as HTML: its caption, then its inline SVG."""
        caption = html.escape(self.caption(k)).replace("\n", "<br>")
        try:
            picture = inline_svg(self[k].svg())
        except GraphvizNotFoundError as error:
            picture = f"<pre>{html.escape(str(error))}</pre>"
        return f"<div><p style=\"font-family: monospace\">{caption}</p>{picture}</div>"

    def _repr_html_(self) -> str:
        """Every frame, one under another (what Jupyter shows without ipywidgets)."""
        return "<hr>".join(self.frame_html(k) for k in range(len(self)))

    def widget(self):
        """An ipywidgets box: a play button and a slider over the frames, then the frame."""
        try:
            import ipywidgets
        except ImportError:
            raise ImportError("stepping through frames needs ipywidgets: pip install ipywidgets "
                              "(without it, Jupyter shows every frame)") from None
        slider = ipywidgets.IntSlider(value=0, min=0, max=len(self) - 1, description="step",
                                      continuous_update=False)
        play = ipywidgets.Play(value=0, min=0, max=len(self) - 1, interval=1500)
        ipywidgets.jslink((play, "value"), (slider, "value"))
        view = ipywidgets.HTML(self.frame_html(0))

        def show(change: dict) -> None:
            view.value = self.frame_html(change["new"])

        slider.observe(show, names="value")
        return ipywidgets.VBox([ipywidgets.HBox([play, slider]), view])

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        try:
            box = self.widget()
        except ImportError:
            display(HTML(self._repr_html_()))
        else:
            display(box)

    def save(self, directory: str | Path, suffix: str = ".svg") -> list[Path]:
        """Write every frame to directory as step-00<suffix>, step-01<suffix>, ...; the paths."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        width = len(str(len(self) - 1))
        return [self[k].save(directory / f"step-{k:0{width}d}{suffix}") for k in range(len(self))]
