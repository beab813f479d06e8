"""Draw a computation graph: a record per Value, a small node per op, the chain rule on hover.

>>> from autograd import Value, draw_graph
>>> x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
>>> z = x * w + b; z.label = "z"
>>> z.backward()
>>> graph = draw_graph(z)
>>> print(graph.source.splitlines()[4].replace(", tooltip", ",\\n     tooltip"))
  v0 [shape=record, label="{ x | data 0.5000 | grad -1.5000 }",
     tooltip="x = 0.5000 (leaf)\\n∂z/∂x = ∂z/∂v2 · ∂v2/∂x = 1.0000 × -1.5000 = -1.5000"];

`graph.source` is DOT text, built here without Graphviz; `graph.svg()` and `graph.save(path)`
run Graphviz's `dot` program, and in Jupyter the graph shows as inline SVG, where hovering over
a Value reveals its chain-rule equation and hovering over an edge its local derivative.
Node names follow the topological order (v0, v1, ...), so the same code draws the same text.
A Value is shown by its label, by its value if it is an unlabelled leaf (the 2 of x * 2), else
by its node name; numbers have 4 decimals, and one that rounds to zero reads 0.0000.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from autograd.backprop import topological_order
from autograd.draw import equations
from autograd.draw.equations import four_decimals
from autograd.recording import Scope
from autograd.value import Value

RANKDIRS = ("LR", "RL", "TB", "BT")
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot"}
AUTO_EDGE_LABELS = 40  # edge_derivatives=None: label edges when there are at most this many Values

INSTALL_HELP = """Graphviz's `dot` program is not on PATH, so the graph cannot be rendered.
Install Graphviz, then try again:
  Debian/Ubuntu: sudo apt-get install graphviz    macOS: brew install graphviz
  conda: conda install -c conda-forge graphviz    in a chainrule checkout: make setup
The DOT text (graph.source, or save to a .dot file) needs no Graphviz."""


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs Graphviz's `dot` program, and it is not on PATH."""


class Graph:
    """A drawn graph: DOT text in `.source`; `.svg()`, `.save(path)` and Jupyter display render it.

    Rendering runs Graphviz's `dot`; without it they raise GraphvizNotFoundError saying how to
    install it. `.source` never needs it.
    """

    def __init__(self, source: str):
        self.source = source
        self._svg: str | None = None

    def __repr__(self) -> str:
        values = self.source.count(" [shape=record")
        return f"<autograd Graph of {values} Values: .source, .svg(), .save(path)>"

    def pipe(self, fmt: str) -> bytes:
        """The graph rendered by `dot` in a Graphviz output format, such as "svg" or "png"."""
        return render(self.source, fmt)

    def svg(self) -> str:
        """The graph as SVG text (rendered once, then reused)."""
        if self._svg is None:
            self._svg = self.pipe("svg").decode("utf-8")
        return self._svg

    def save(self, path: str | Path) -> Path:
        """Write the graph to path, in the format its suffix names: .svg, .png, .pdf or .dot."""
        path = Path(path)
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(f"cannot tell the format of {str(path)!r} from its suffix "
                             f"{path.suffix!r}: use one of {', '.join(FORMATS)}")
        if fmt == "dot":
            path.write_text(self.source, encoding="utf-8")
        elif fmt == "svg":
            path.write_text(self.svg(), encoding="utf-8")
        else:
            path.write_bytes(self.pipe(fmt))
        return path

    def _repr_html_(self) -> str:
        """Inline <svg> for Jupyter (in an <img>, which is how Jupyter shows SVG, tooltips die)."""
        try:
            return inline_svg(self.svg())
        except GraphvizNotFoundError as error:
            return f"<pre>{html.escape(str(error))}</pre>"


def inline_svg(svg: str) -> str:
    """SVG text from `dot` without its XML prolog and doctype, ready to sit inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def render(source: str, fmt: str) -> bytes:
    """Run `dot -T<fmt>` on DOT text; a clear error when Graphviz is missing or dot fails."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizNotFoundError(INSTALL_HELP)
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as error:
        raise GraphvizNotFoundError(f"could not run {dot}: {error}\n{INSTALL_HELP}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz's dot failed (exit status {done.returncode}): {message}")
    return done.stdout


def draw_graph(root: Value, *, rankdir: str = "LR", show_grad: bool = True,
               edge_derivatives: bool | None = None, max_nodes: int = 2000,
               clusters: bool = True) -> Graph:
    """Draw every Value root depends on, with data, grad and the chain rule in tooltips.

    rankdir           "LR" (inputs left, root right), "RL", "TB" or "BT"
    show_grad         False: data only (no grad cells, no chain-rule tooltips)
    edge_derivatives  label each edge with its local derivative; None: only for graphs of at
                      most 40 Values
    max_nodes         refuse graphs with more Values than this (Graphviz gets slow)
    clusters          group the Values made inside autograd.scope(name) in boxes named name
    """
    order = checked_order(root, rankdir, max_nodes)
    uses = equations.uses_in_backward_order(order)
    seeds = equations.pass_seeds(order, uses, root)
    # "L" names the Value backward() started from: the root, unless it started beyond the root
    names = equations.node_names(order, root, seeds.get(root.backward_pass, root) is root)
    cells, hovers = {}, {}
    for v in order:
        cells[v] = [names[v], f"data {four_decimals(v.data)}"]
        hovers[v] = equations.forward_text(v, names)
        if show_grad:
            not_yet = v.backward_pass == 0
            cells[v].append("grad not computed yet" if not_yet else f"grad {four_decimals(v.grad)}")
            hovers[v] += "\n" + equations.gradient_text(v, uses, names, seeds)
    if edge_derivatives is None:
        edge_derivatives = len(order) <= AUTO_EDGE_LABELS
    return Graph(dot_source(order, names, cells, hovers, rankdir=rankdir, clusters=clusters,
                            edge_labels=edge_derivatives))


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


# ---- DOT text ----


def quote(text: str, line_end: str = "\\n") -> str:
    """text as a DOT string whose escString reads back as text (backslashes and quotes kept).

    Lines end in line_end: "\\n" centres them, "\\l" aligns them left.
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + text.replace("\n", line_end) + '"'


def record_label(fields: Sequence[str]) -> str:
    """A DOT string for a record of fields, "{ a | b }", each field read back as written.

    The record syntax uses { } | < > as markup: they, and backslashes, are escaped for the
    record parser; the DOT string itself then only escapes quotes.
    """
    escaped = []
    for text in fields:
        text = text.replace("\\", "\\\\").replace("\n", " ").replace("\r", "")
        for ch in "{}|<>":
            text = text.replace(ch, "\\" + ch)
        escaped.append(text.replace('"', '\\"'))
    return '"{ ' + " | ".join(escaped) + ' }"'


def dot_source(order: Sequence[Value], names: dict, cells: dict, hovers: dict, *,
               rankdir: str, clusters: bool, edge_labels: bool, fills: dict | None = None,
               hot_edges: frozenset = frozenset(), caption: str = "") -> str:
    """The DOT text: value records (cells: their fields), op nodes, edges, scope clusters.

    fills: a fill colour per Value to highlight; hot_edges: (consumer, parent index) pairs drawn
    bold; caption: a title over the graph. Everything is emitted in topological order.
    """
    ids = {v: f"v{k}" for k, v in enumerate(order)}
    scopes = drawing_scopes(order) if clusters else dict.fromkeys(order)
    node_lines: dict[Scope | None, list[str]] = {}
    edge_lines = []
    for v in order:
        fill = f", style=filled, fillcolor={quote(fills[v])}" if fills and v in fills else ""
        lines = node_lines.setdefault(scopes[v], [])
        lines.append(f"{ids[v]} [shape=record, label={record_label(cells[v])}, "
                     f"tooltip={quote(hovers[v])}{fill}];")
        if v.parents:
            op_hover = quote(equations.forward_text(v, names))
            lines.append(f"{ids[v]}_op [label={quote(equations.op_symbol(v.op))}, "
                         f"tooltip={op_hover}];")
            edge_lines.append(f"{ids[v]}_op -> {ids[v]} [tooltip={op_hover}];")
            edge_lines += [edge_line(v, index, ids, names, edge_labels, hot_edges)
                           for index in range(len(v.parents))]
    if clusters:
        body = cluster_lines(order, node_lines)
    else:
        body = ["  " + line for line in node_lines.get(None, [])]
    body += ["  " + line for line in edge_lines]
    return "\n".join(graph_head(rankdir, caption) + body + ["}", ""])


def graph_head(rankdir: str, caption: str) -> list[str]:
    """The opening lines of the DOT text: direction, fonts, and the caption if there is one."""
    head = ["digraph chainrule {",
            f"  graph [rankdir={rankdir}, fontname=Helvetica, fontsize=11, tooltip=\" \"];",
            "  node [fontname=Helvetica, fontsize=10, height=0.3, margin=\"0.08,0.03\"];",
            "  edge [fontname=Helvetica, fontsize=9, arrowsize=0.6];"]
    if caption:
        left_aligned = quote(caption + "\n", line_end="\\l")
        head.append(f"  labelloc=t; labeljust=l; label={left_aligned};")
    return head


def edge_line(value: Value, index: int, ids: dict, names: dict, labelled: bool,
              hot_edges: frozenset) -> str:
    """The edge from parent number `index` into value's op node; hover: the local derivative."""
    parent = value.parents[index]
    attributes = [f"tooltip={quote(equations.local_text(value, index, names))}"]
    if labelled:
        attributes.append(f"label={quote(four_decimals(value.local_grads[index]))}")
    if (value, index) in hot_edges:
        attributes.append("color=\"#c0392b\", penwidth=2.2")
    return f"{ids[parent]} -> {ids[value]}_op [{', '.join(attributes)}];"


def drawing_scopes(order: Sequence[Value]) -> dict[Value, Scope | None]:
    """The scope each Value is drawn in: its own, except for a leaf made outside every scope
    (a parameter, an input): it joins the scope of its uses when they all share one."""
    scopes = {v: v.scope for v in order}
    user_scopes: dict[Value, set] = {}
    for v in order:
        for parent in v.parents:
            if not parent.parents and parent.scope is None:
                user_scopes.setdefault(parent, set()).add(v.scope)
    for leaf, found in user_scopes.items():
        if len(found) == 1:
            scopes[leaf] = found.pop()
    return scopes


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


def cluster_lines(order: Sequence[Value], node_lines: dict) -> list[str]:
    """Node lines (grouped by the scope they are drawn in) nested in `subgraph cluster_<k>`
    blocks as their scopes nest, k counting scopes in order of appearance. No recursion."""
    children = scope_tree(order)
    number = {scope: k for k, scope in enumerate(s for s in children if s is not None)}
    out = ["  " + line for line in node_lines.get(None, [])]
    stack: list[tuple[Scope | None, int]] = [(scope, 1) for scope in reversed(children[None])]
    while stack:
        scope, depth = stack.pop()
        indent = "  " * depth
        if scope is None:  # pushed after a cluster's children: they are written, so close it
            out.append(indent + "}")
            continue
        out.append(f"{indent}subgraph cluster_{number[scope]} {{")
        out.append(f"{indent}  label={quote(scope.name)}; labeljust=l; style=\"rounded,dashed\"; "
                   "color=gray55; fontcolor=gray25;")
        out.extend(indent + "  " + line for line in node_lines.get(scope, []))
        stack.append((None, depth))
        stack.extend((child, depth + 1) for child in reversed(children[scope]))
    return out
