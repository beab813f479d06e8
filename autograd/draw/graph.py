"""Draw a computation graph: a box per Value (its op on top), the chain rule on hover.

>>> from autograd import Value, draw_graph
>>> x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
>>> z = x * w + b; z.label = "z"
>>> z.backward()
>>> graph = draw_graph(z)
>>> import graphviz; isinstance(graph, graphviz.Digraph), graph.format, graph.engine
(True, 'svg', 'dot')
>>> x_node = next(line for line in graph.body if line.strip().startswith("v0 ["))
>>> print(x_node[x_node.index("tooltip="):])
tooltip="x = 0.5000 (leaf)\\n∂z/∂x = ∂z/∂(x * w) · ∂(x * w)/∂x = 1.0000 × -1.5000 = -1.5000"]

A drawing is a graphviz.Digraph, built with the graphviz package: `.source` is its DOT text, and
`.render()`, `.view()`, `.pipe(format=...)`, `format` and `engine` are graphviz's. Rendering runs
Graphviz's `dot` program. `.svg()` gives the SVG text, `.save(path)` writes the format its
suffix names, and in Jupyter the graph shows as inline SVG that fits the page, where hovering
anywhere on a Value reveals its chain-rule equation and hovering over an edge its local
derivative. DOT node names follow the topological order (v0, v1, ...), so the same code draws
the same bytes; the names a learner reads come from autograd.draw.names.
"""

from __future__ import annotations

from autograd.backprop import topological_order
from autograd.draw import equations
from autograd.draw.adopt import adopted
from autograd.draw.collapse import GroupRow
from autograd.draw.composites import is_constant
from autograd.draw.digraph import Graph, GraphvizNotFoundError
from autograd.draw.drawn import in_order, twins_of
from autograd.draw.equations import four_decimals
from autograd.draw.layout import build
from autograd.value import Value

__all__ = ["AUTO_EDGE_LABELS", "FORMATS", "RANKDIRS", "Graph", "GraphvizNotFoundError",
           "checked_order", "draw_dot", "draw_graph"]

RANKDIRS = ("LR", "RL", "TB", "BT")
AUTO_EDGE_LABELS = 24  # edge_derivatives=None: label edges when there are at most this many Values
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot"}  # the usual suffixes


def draw_graph(root: Value, *, rankdir: str = "LR", show_grad: bool = True,
               edge_derivatives: bool | None = None, max_nodes: int = 2000,
               clusters: bool = True, collapse: object = None,
               format: str = "svg",  # noqa: A002 (graphviz's name for it)
               engine: str = "dot") -> Graph:
    """Draw every Value root depends on, with data, grad and the chain rule in tooltips.

    rankdir           "LR" (inputs left, root right), "RL", "TB" or "BT"
    show_grad         False: data only (no grad cells, no chain-rule tooltips)
    edge_derivatives  label each edge with its local derivative; None: only for graphs of at
                      most 24 Values (labels widen a drawing)
    max_nodes         refuse graphs with more Values than this (Graphviz gets slow)
    clusters          group the Values made inside autograd.scope(name) in boxes named name
    collapse          which scopes to draw as one box each (autograd.draw.collapse): None, the
                      default, those with a note (nn: softmax and each divergence); () every
                      op; a tuple of scope names; or a level, "layers", "neurons", "every op"
    format, engine    graphviz's: what .render() writes, and the layout program

    root may also be a Value of micrograd's shape (.data, .grad, ._prev, ._op, ._backward), a
    learner's own engine: it is drawn as autograd.draw.adopt(root), the same graph.
    """
    root = adopted(root)  # a Value of micrograd's shape: drawn as the same autograd graph
    original = checked_order(root, rankdir, max_nodes)
    twins = twins_of(root, original, collapse)  # what is drawn: see autograd.draw.drawn
    walk = in_order(original, twins)  # the chain rule adds in backward()'s order
    root = twins[root]
    order = topological_order(root)  # the drawing's own order (its layout, its DOT ids)
    uses = equations.uses_in_backward_order(walk)
    seeds = equations.pass_seeds(walk, uses, root)
    # "L" names the Value backward() started from: the root, unless it started beyond the root
    names = equations.node_names(order, root, seeds.get(root.backward_pass, root) is root)
    terms, sums = equations.drawn_chain_rule(walk, uses) if show_grad else ({}, {})
    cells, hovers = {}, {}
    for v in order:
        cells[v] = [names[v], f"data {four_decimals(v.data)}"]
        hovers[v] = equations.whole_label(v, names) + equations.forward_text(v, names)
        if isinstance(v.op, GroupRow):
            hovers[v] += "\n" + group_text(v, names)
        if show_grad and is_constant(v):
            hovers[v] += "\na constant: no gradient (nothing ever changes it)"
        elif show_grad:
            not_yet = v.backward_pass == 0
            cells[v].append("no grad yet" if not_yet else f"grad {four_decimals(v.grad)}")
            hovers[v] += "\n" + equations.gradient_text(v, names, seeds, terms, sums)
    if edge_derivatives is None:
        edge_derivatives = len(order) <= AUTO_EDGE_LABELS
    return build(order, names, cells, hovers, rankdir=rankdir, clusters=clusters,
                 edge_labels=edge_derivatives, format=format, engine=engine)


def group_text(value: Value, names: dict) -> str:
    """What a collapsed group's box computes: its note, the labelled Values inside it, and
    ∂value/∂input for each of its inputs."""
    row = value.op
    inside = [f"{label_of(v)} = {four_decimals(v.data)}" for v in row.inside]
    lines = [row.note] if row.note else []
    lines += [f"inside: {', '.join(inside)}"] if inside else []
    lines += [equations.local_text(value, k, names) for k in range(len(value.parents))]
    return "\n".join(lines)


def label_of(value: Value) -> str:
    """A Value's label as drawings show it."""
    return equations.shown(str(value.label))


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Graph:  # noqa: A002
    """micrograd's draw_dot(root, format, rankdir): this project's drawing of root's graph
    (a graphviz.Digraph), so `draw_dot(o)` shows in Jupyter and `draw_dot(o).render('gout')`
    writes gout.svg, as in micrograd's lecture."""
    return draw_graph(root, rankdir=rankdir, format=format)


def checked_order(root: Value, rankdir: str, max_nodes: int) -> list[Value]:
    """root's topological order, after checking draw_graph's arguments and the size limit."""
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value, got {type(root).__name__}: {root!r}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(f"this graph has {len(order)} Values, more than max_nodes={max_nodes}; "
                         f"pass max_nodes={len(order)} (or more) to draw it anyway")
    return order
