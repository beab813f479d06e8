"""Backpropagation one step at a time, a picture per step (the steps: autograd.draw.recorded).

>>> from autograd import Value, draw_backward
>>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
>>> frames = draw_backward((x * w).tanh())
>>> len(frames), frames.caption(0)[:50]
(3, 'start: ∂L/∂L = 1. backward() begins at L and takes')

draw_backward(y) draws a frame per step of backward(); in Jupyter (and in a notebook exported
to HTML) they show as one self-contained block with a slider and ◀ ▶ buttons.
"""

from __future__ import annotations

import html
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograd.backprop import topological_order
from autograd.draw import equations, page
from autograd.draw.adopt import adopted
from autograd.draw.composites import is_constant
from autograd.draw.digraph import Graph
from autograd.draw.drawn import in_order, twins_of
from autograd.draw.equations import four_decimals
from autograd.draw.graph import AUTO_EDGE_LABELS, checked_order
from autograd.draw.layout import build, line_width
from autograd.draw.names import symbol
from autograd.draw.recorded import backward_steps
from autograd.value import Value

CURRENT, RECEIVING = "#ffd966", "#fff2cc"  # fills: the node of this step, its parents


def draw_backward(root: Value, *, rankdir: str = "LR", edge_derivatives: bool | None = None,
                  max_nodes: int = 200, clusters: bool = True,
                  collapse: object = None) -> BackwardFrames:
    """A frame per step of root.backward(): the step's node highlighted, gradients so far.

    Frame 0 is the seed ∂L/∂L = 1; frame k is the graph after step k. Every Value with parents
    shows its step number. In Jupyter: every frame inline, with a slider and ◀ ▶ buttons (a
    few lines of inline JavaScript: no kernel, no internet, no ipywidgets). Options as for
    draw_graph (collapse: the groups drawn as one box, by default softmax and divergences: a
    step per box); max_nodes is lower, as each frame is a whole graph. root may be a Value of
    micrograd's shape: each step then passes on what that node's own _backward passes on
    (autograd.draw.adopt).
    """
    root = adopted(root)
    original = checked_order(root, rankdir, max_nodes)
    twins = twins_of(root, original, collapse)
    if edge_derivatives is None:
        edge_derivatives = len(twins) <= AUTO_EDGE_LABELS
    return BackwardFrames(twins[root], topological_order(twins[root]),
                          walk=in_order(original, twins),
                          originals={t: v for v, t in twins.items()}, rankdir=rankdir,
                          clusters=clusters, edge_labels=edge_derivatives)


class BackwardFrames:
    """The frames of draw_backward: `frames[k]` is a Graph, `caption(k)` says what step k did.

    `order`, `steps` and `root` are the drawn graph's Values (autograd.draw.drawn: a collapsed
    group is one node); `gradients(k)` is keyed by the Values of the graph drawn."""

    def __init__(self, root: Value, order: list[Value], *, rankdir: str, clusters: bool,
                 edge_labels: bool, walk: list[Value] | None = None,
                 originals: dict | None = None):
        self.root, self.order = root, order
        walk = walk or order  # the chain rule's order: backward()'s, so the same floats
        self.originals = originals or {}  # drawn Value: the Value of the graph it stands for
        self.steps = backward_steps(root, walk)
        self.names = equations.node_names(order, root)
        self.uses = equations.uses_in_backward_order(walk)
        self.step_of = {step.node: step.number for step in self.steps}
        self._options = {"rankdir": rankdir, "clusters": clusters, "edge_labels": edge_labels}
        self._graphs: dict[tuple[int, bool], Graph] = {}
        self._box_widths: dict[Value, int] | None = None

    def __len__(self) -> int:
        return len(self.steps) + 1

    def __repr__(self) -> str:
        return f"<autograd BackwardFrames: {len(self)} frames (seed + {len(self.steps)} steps)>"

    def __getitem__(self, k: int) -> Graph:
        return self._graph(self._index(k), captioned=True)

    def _graph(self, k: int, captioned: bool) -> Graph:
        """Frame k's Graph, with its caption as a title or (for the HTML view) without."""
        if (k, captioned) not in self._graphs:
            self._graphs[k, captioned] = self._draw(k, self.caption(k) if captioned else "")
        return self._graphs[k, captioned]

    def _index(self, k: int) -> int:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"frames are numbered by int, got {type(k).__name__}: {k!r}")
        if not -len(self) <= k < len(self):
            raise IndexError(f"frame {k} does not exist: there are {len(self)} (0 to "
                             f"{len(self) - 1})")
        return k % len(self)

    def gradients(self, k: int) -> dict[Value, float]:
        """The gradient of every Value drawn after frame k (0 where nothing has been added
        yet), keyed by the Values of the graph drawn (its parameters: model.parameters())."""
        drawn = self._gradients(k)
        return {self.originals.get(v, v): grad for v, grad in drawn.items()}

    def _gradients(self, k: int) -> dict[Value, float]:
        """Every drawn Value's gradient after frame k (0 where nothing has been added yet)."""
        grads = dict.fromkeys(self.order, 0.0)
        grads[self.root] = 1.0
        for step in self.steps[: self._index(k)]:
            for c in step.contributions:
                grads[c.parent] = c.total
        return grads

    def caption(self, k: int) -> str:
        """What frame k shows, in the course's words and with the numbers: the gradient that
        has arrived at the step's node, times each local derivative, added to each parent."""
        k, top = self._index(k), symbol(self.names[self.root])
        if k == 0:
            return (f"start: ∂{top}/∂{top} = 1. backward() begins at {top} and takes "
                    f"{len(self.steps)} steps, one per Value computed from others.")
        step, grads = self.steps[k - 1], self._gradients(k)
        name, upstream = symbol(self.names[step.node]), four_decimals(step.upstream)
        lines = [f"step {k} of {len(self.steps)}: the gradient ∂{top}/∂{name} = {upstream} has "
                 f"arrived at {self.names[step.node]} from all its uses.",
                 "Times the local derivative, it is added to each parent's gradient:"]
        for c in step.contributions:
            if is_constant(c.parent):
                continue  # a constant: no gradient to show
            parent = symbol(self.names[c.parent])
            lines.append(f"∂{top}/∂{parent} += ∂{top}/∂{name} · ∂{name}/∂{parent} = {upstream} × "
                         f"{four_decimals(c.local)} = {four_decimals(c.added)}  "
                         f"(now {four_decimals(grads[c.parent])})")
        return "\n".join(lines)

    def _draw(self, k: int, caption: str) -> Graph:
        """Frame k as a Graph: cells and tooltips from the gradients after k steps."""
        done = {step.node for step in self.steps[:k]}
        grads = self._gradients(k)
        cells, hovers, headers = {}, {}, {}
        for v in self.order:
            added = [(c, i) for c, i in self.uses[v] if c in done]  # the uses passed on so far
            complete = v is self.root or len(added) == len(self.uses[v])
            so_far = "" if complete else " so far"
            grad_line = self._grad_line(v, grads, len(added))
            cells[v] = [self.names[v], f"data {four_decimals(v.data)}", grad_line][
                :3 if grad_line else 2]
            headers[v] = [f"step {self.step_of[v]}", equations.op_symbol(v.op)] \
                if v in self.step_of else []
            equation = self._equation(v, added, grads, so_far)
            hovers[v] = (equations.whole_label(v, self.names)
                         + equations.forward_text(v, self.names) + "\n" + equation)
        current = self.steps[k - 1].node if k else self.root
        fills = dict.fromkeys(current.parents, RECEIVING) | {current: CURRENT}
        hot = frozenset((current, i) for i in range(len(current.parents)))
        return build(self.order, self.names, cells, hovers, headers=headers,
                     widths=self._widths(), fills=fills, hot_edges=hot, caption=caption,
                     **self._options)

    def _grad_line(self, v: Value, grads: dict, added: int) -> str:
        """v's grad line once `added` of its uses have passed their part of it on (a constant:
        none)."""
        if is_constant(v):
            return ""
        if v is self.root or added == len(self.uses[v]):
            return f"grad {four_decimals(grads[v])}"
        return f"so far {four_decimals(grads[v])}" if added else "no grad yet"

    def _widths(self) -> dict[Value, int]:
        """A width per box that holds its grad line in every frame, so that every frame has the
        same layout: nothing moves while stepping through."""
        if self._box_widths is None:
            grads = dict.fromkeys(self.order, 0.0) | {self.root: 1.0}
            added = dict.fromkeys(self.order, 0)
            widths = {v: line_width(self._grad_line(v, grads, 0)) for v in self.order}
            for step in self.steps:  # the grads of every frame, as gradients() gives them
                for c in step.contributions:
                    grads[c.parent] = c.total
                    added[c.parent] += 1
                    line = self._grad_line(c.parent, grads, added[c.parent])
                    widths[c.parent] = max(widths[c.parent], line_width(line))
            self._box_widths = widths
        return self._box_widths

    def _equation(self, v: Value, added: list, grads: dict, so_far: str) -> str:
        """∂L/∂v as the chain-rule sum over the uses (consumer, parent index) added so far."""
        top = self.names[self.root]
        if v is self.root:
            return f"∂{top}/∂{top} = 1: backward() starts here"
        if is_constant(v):
            return "a constant: no gradient (nothing ever changes it)"
        if not added:
            return f"∂{top}/∂{self.names[v]}: nothing added yet (0 so far)"
        terms = [(self.names[c], grads[c], c.local_grads[i]) for c, i in added]
        return equations.chain_rule_text(top, self.names[v], terms, grads[v]) + so_far

    # ---- showing the frames ----

    def _picture(self, k: int) -> str:
        """Frame k (without its caption) as inline SVG fitted to the page, or why it is not."""
        try:
            return page.fitted_svg(self._graph(k, captioned=False).svg())
        except Exception as error:  # a display must never raise in Jupyter
            return page.message_html(str(error))

    def frame_html(self, k: int) -> str:
        """Frame k as HTML: its caption, then its inline SVG."""
        return page.frame_html(self.caption(k), self._picture(self._index(k)))

    def _repr_html_(self) -> str:
        """The step-through: one self-contained HTML block holding every frame as inline SVG,
        with a slider and ◀ ▶ buttons run by a few lines of inline JavaScript (no kernel, no
        internet); without JavaScript, every caption in a <noscript>."""
        captions = [self.caption(k) for k in range(len(self))]
        with ThreadPoolExecutor() as pool:  # each frame is its own dot process
            pictures = list(pool.map(self._picture, range(len(self))))
        return page.steps_html(captions, pictures)

    def _repr_mimebundle_(self, include=None, exclude=None, **_) -> dict:
        """Jupyter's bundle: always the self-contained step-through as text/html."""
        wanted = {"text/html"} if include is None else set(include)
        if "text/html" not in wanted - set(exclude or ()):
            return {}
        return {"text/html": self._repr_html_()}

    def widget(self):
        """An ipywidgets box (needs a live kernel): a play button and a slider over the frames,
        then the frame. Jupyter's own display of the frames needs none of this."""
        try:
            import ipywidgets
        except ImportError:
            raise ImportError("stepping through frames with a widget needs ipywidgets: pip "
                              "install ipywidgets (displaying the frames needs nothing)") from None
        slider = ipywidgets.IntSlider(value=0, min=0, max=len(self) - 1, description="step",
                                      continuous_update=False)
        play = ipywidgets.Play(value=0, min=0, max=len(self) - 1, interval=1500)
        ipywidgets.jslink((play, "value"), (slider, "value"))
        view = ipywidgets.HTML(self.frame_html(0))

        def show(change: dict) -> None:
            view.value = self.frame_html(change["new"])

        slider.observe(show, names="value")
        return ipywidgets.VBox([ipywidgets.HBox([play, slider]), view])

    def save_html(self, path: str | Path) -> Path:
        """Write the step-through as a web page of its own (slider and ◀ ▶ buttons included:
        any browser shows it, with no kernel and no internet); the path written."""
        path = Path(path)
        title = f"backward() of {self.names[self.root]}, step by step"
        path.write_text(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                        f"<title>{html.escape(title)}</title></head><body>"
                        f"{self._repr_html_()}</body></html>\n", encoding="utf-8")
        return path

    def save(self, directory: str | Path, suffix: str = ".svg") -> list[Path] | Path:
        """A path ending in .html: the step-through as a page of its own (save_html), that path.
        Else a directory: every frame written to it as step-00<suffix>, step-01<suffix>, ...;
        the paths."""
        directory = Path(directory)
        if directory.suffix.lower() in (".html", ".htm"):
            return self.save_html(directory)
        directory.mkdir(parents=True, exist_ok=True)
        width = len(str(len(self) - 1))
        return [self[k].save(directory / f"step-{k:0{width}d}{suffix}") for k in range(len(self))]
