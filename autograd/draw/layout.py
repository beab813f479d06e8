"""The DOT of a drawing, built with the graphviz package: a box per Value (its name, data and
grad under its op), an edge from each parent to each Value made from it, a cluster per scope.

>>> from autograd import Value, topological_order
>>> from autograd.draw.names import node_names
>>> x = Value(0.5, label="x"); y = x.tanh()
>>> order = topological_order(y)
>>> graph = build(order, node_names(order, y), {x: ["x"], y: ["L"]}, {x: "x", y: "L"},
...               rankdir="LR", clusters=False, edge_labels=False)
>>> print(graph.body[-1].strip())
v0 -> v1 [tooltip="∂L/∂x = 1 - tanh(x)² = 0.7864"]

Every text goes through autograd.draw.text: a label or tooltip reads back as written, whatever
it holds. Node ids follow the topological order (v0, v1, ...), so the same graph gives the same
bytes; the names a learner reads come from autograd.draw.names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import graphviz

from autograd.draw import equations
from autograd.draw.digraph import Graph
from autograd.draw.equations import four_decimals
from autograd.draw.text import dot_text, html_text, safe, shortened, shown
from autograd.recording import Scope
from autograd.value import Value

# A compact layout, one box per Value (its op in a grey header), so that a graph scaled down to
# a page's width keeps legible text. Every font is 10 pt: the smallest text shrinks no faster
# than the rest.
GRAPH = {"fontname": "Helvetica", "fontsize": "10", "nodesep": "0.1", "ranksep": "0.1",
         "tooltip": " ", "remincross": "false"}  # false: rows kept in order (keep_in_order)
NODES = {"shape": "plain", "fontname": "Helvetica", "fontsize": "10"}
EDGES = {"fontname": "Helvetica", "fontsize": "10", "arrowsize": "0.5", "penwidth": "0.8"}
CLUSTER = {"labeljust": "l", "labelloc": "b", "style": "rounded,dashed", "color": "gray55",
           "fontcolor": "gray25", "fontsize": "10", "margin": "4"}
HEADER_FILL = "#eeeeee"
HOT_EDGE = {"color": "#c0392b", "penwidth": "2"}
# The widths, in points at 10 pt, of the characters of a grad line ("so far -1.2345") as dot
# lays them out in Helvetica's metrics (its own rounding included)
CHARACTER_WIDTHS = {**dict.fromkeys("0123456789adegnoy", 6.0), **dict.fromkeys(" .", 3.0),
                    **dict.fromkeys("-rt", 3.7), "f": 3.3, "s": 5.2}


def dot_string(value: str, line_end: str = "\\n") -> str:
    """Any text as a label graphviz quotes and dot reads back as written."""
    return graphviz.nohtml(dot_text(safe(value), line_end))


def dot_tooltip(value: str) -> str:
    """Any text as a tooltip graphviz quotes and dot reads back as written."""
    return graphviz.nohtml(dot_text(safe(value), tooltip=True))


def table(rows: Sequence[str], headers: Sequence[str], fill: str, width: int = 0) -> str:
    """A Value's node: an HTML-like table whose lines (name, data, grad) sit under grey header
    lines (its op), at least width points wide. Its background is filled, so the whole box
    catches the pointer."""
    header = f'<TR><TD BGCOLOR="{HEADER_FILL}">{"<BR/>".join(map(html_text, headers))}</TD></TR>'
    at_least = f' WIDTH="{width}"' if width else ""
    body = f'<TR><TD{at_least}>{"<BR/>".join(map(html_text, rows))}</TD></TR>'
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
            f'BGCOLOR="{fill}">{header if headers else ""}{body}</TABLE>>')


def line_width(text: str) -> int:
    """A width in points that holds a line of text (a grad line) at 10 pt: its characters'
    widths (a character not listed counts as 10 pt), 2% more for a font with other widths,
    and the cell's padding and border."""
    return math.ceil(sum(CHARACTER_WIDTHS.get(ch, 10.0) for ch in text) * 1.02) + 6


def build(order: Sequence[Value], names: dict, cells: dict, hovers: dict, *, rankdir: str,
          clusters: bool, edge_labels: bool, headers: dict | None = None,
          widths: dict | None = None, fills: dict | None = None,
          hot_edges: frozenset = frozenset(), caption: str = "",
          format: str = "svg",  # noqa: A002 (graphviz's name for it)
          engine: str = "dot") -> Graph:
    """The Digraph: a node per Value (cells: its rows, under its header rows: by default its op),
    an edge from each parent to its uses, scope clusters.

    widths: a least width per box; fills: a fill colour per Value to highlight; hot_edges:
    (consumer, parent index) pairs drawn bold; caption: a title over the graph. Everything is
    added in topological order.
    """
    graph = Graph(name="chainrule", format=format, engine=engine,
                  graph_attr={"rankdir": rankdir, **GRAPH}, node_attr=NODES, edge_attr=EDGES)
    graph.values = len(order)
    if caption:
        graph.attr(labelloc="t", labeljust="l", label=dot_string(caption + "\n", line_end="\\l"))
    ids = {v: f"v{k}" for k, v in enumerate(order)}
    scopes = drawing_scopes(order) if clusters else dict.fromkeys(order)
    parts = cluster_parts(order) if clusters else {}
    parts[None] = graph
    for v in order:
        header = headers[v] if headers else [equations.op_symbol(v.op)] if v.parents else []
        fill = fills.get(v, "white") if fills else "white"
        width = widths.get(v, 0) if widths else 0
        parts[scopes[v]].node(ids[v], table(cells[v], header, fill, width),
                              tooltip=dot_tooltip(hovers[v]))
        for index, parent in enumerate(v.parents):
            graph.edge(ids[parent], ids[v],
                       **edge_attributes(v, index, names, edge_labels, hot_edges))
    keep_in_order(order, ids, scopes, parts, upwards=rankdir in ("LR", "RL"))
    if clusters:
        nest_clusters(order, parts)
    return graph


def keep_in_order(order: Sequence[Value], ids: dict, scopes: dict, parts: dict,
                  upwards: bool) -> None:
    """Draw the leaf inputs of each Value (w_1, w_2, ..., b) one under (or, top to bottom,
    beside) the other in their order: an invisible edge between each two in a row of their own
    (dot keeps such a row's order; drawn left to right, a row's edges run upwards)."""
    for v in order:
        leaves = [p for p in dict.fromkeys(v.parents) if not p.parents]
        by_scope: dict = {}
        for leaf in leaves:
            by_scope.setdefault(scopes[leaf], []).append(ids[leaf])
        for scope, row in by_scope.items():
            if len(row) > 1:
                same = graphviz.Digraph(graph_attr={"rank": "same"})
                # (dot, drawing left to right, lays a row inside a cluster out upwards)
                up = upwards and scope is not None
                for first, second in zip(row, row[1:]):
                    same.edge(*((second, first) if up else (first, second)), style="invis")
                parts[scope].subgraph(same)


def edge_attributes(value: Value, index: int, names: dict, labelled: bool,
                    hot_edges: frozenset) -> dict:
    """The edge from parent number `index` into value's op node; hover: the local derivative."""
    attributes = {"tooltip": dot_tooltip(equations.local_text(value, index, names))}
    if labelled and value.local_grads is not None:  # None: a hand-written _backward
        attributes["label"] = four_decimals(value.local_grads[index])
        attributes["labeltooltip"] = attributes["tooltip"]  # the number says what the edge does
    if (value, index) in hot_edges:
        attributes |= HOT_EDGE
    return attributes


def drawing_scopes(order: Sequence[Value]) -> dict[Value, Scope | None]:
    """The scope each Value is drawn in: its own, except for a leaf made outside every scope
    (a parameter, an input): it joins the innermost scope around all of its uses (an input
    used by every neuron of layer 1 is drawn in layer 1, at its left)."""
    scopes = {v: v.scope for v in order}
    user_scopes: dict[Value, list] = {}
    for v in order:
        for parent in v.parents:
            if not parent.parents and parent.scope is None:
                user_scopes.setdefault(parent, []).append(v.scope)
    for leaf, found in user_scopes.items():
        scopes[leaf] = common_scope(found)
    return scopes


def common_scope(scopes: list[Scope | None]) -> Scope | None:
    """The innermost scope that holds every one of scopes (None: the top level)."""
    paths = [s.path() if s is not None else [] for s in scopes]
    common = None
    for level in zip(*paths):
        if any(s is not level[0] for s in level):
            break
        common = level[0]
    return common


def scope_tree(order: Sequence[Value]) -> dict[Scope | None, list[Scope]]:
    """The child scopes of each scope (None: the top level): every scope a Value of order was
    made in, and the scopes around it, each listed when a Value made inside it first appears."""
    children: dict[Scope | None, list[Scope]] = {None: []}
    for v in order:
        parent = None
        for scope in v.scope.path() if v.scope is not None else ():
            if scope not in children:
                children[scope] = []
                children[parent].append(scope)
            parent = scope
    return children


def cluster_parts(order: Sequence[Value]) -> dict[Scope, graphviz.Digraph]:
    """An empty cluster for every scope, named cluster_<k> (k counting scopes in order of
    appearance) and labelled with the scope's name."""
    scopes = [s for s in scope_tree(order) if s is not None]
    return {scope: graphviz.Digraph(name=f"cluster_{k}", graph_attr={
                "label": dot_string(shortened(shown(scope.name))), **CLUSTER})
            for k, scope in enumerate(scopes)}


def nest_clusters(order: Sequence[Value], parts: dict) -> None:
    """Put each scope's cluster (parts[scope], holding its nodes) inside its parent's.
    Children go in before their parent does, in order: a post-order walk, no recursion."""
    children = scope_tree(order)
    stack: list[tuple[Scope | None, bool]] = [(None, False)]
    while stack:
        scope, children_done = stack.pop()
        if not children_done:
            stack.append((scope, True))
            stack.extend((child, False) for child in reversed(children[scope]))
        elif scope is not None:
            parts[scope.parent].subgraph(parts[scope])
