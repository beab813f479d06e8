"""The network itself, as the course draws it: units as circles by layer, a weight per edge.

>>> import nn
>>> model = nn.MLP(2, [3, 2], output="softmax", seed=0)
>>> loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
>>> loss.backward()
>>> diagram = draw_network(model, loss)
>>> diagram
<autograd Graph of 7 Values: .source, .svg(), .save(path), .render()>
>>> edge = next(line for line in diagram.body if "w1[2,1]" in line and "->" in line)
>>> print(edge[edge.index("tooltip="):].split("\\\\n")[0])
tooltip="w1[2,1] = -0.9875

Units are named as in the computation graph (x[j], y1[i], ...), and so are the weights on the
edges: w_k[j,i] goes from unit j of layer k - 1 (x[j] for k = 1) to unit i of layer k. An edge's
colour is its number's sign (blue +, red −) and its width its size, relative to the largest
(color_by="weight", or "grad" for the gradients). Hovering over an edge shows the weight, its
gradient and, when the loss it came from is given, the gradient's chain-rule equation, as the
computation graph shows it (autograd.draw.equations); over a unit, its bias and what it
computes. Each layer's box names the shape of its W_k (nout × nin) and its activation.
"""

from __future__ import annotations

import graphviz

from autograd import Value, topological_order
from autograd.draw import equations
from autograd.draw.digraph import Graph
from autograd.draw.layout import dot_string, dot_tooltip
from nn.module import MLP

POSITIVE, NEGATIVE = "#2e6db4", "#c0392b"  # the colour of an edge by its number's sign
GRAPH = {"rankdir": "LR", "fontname": "Helvetica", "fontsize": "10", "nodesep": "0.15",
         "ranksep": "0.9", "tooltip": " ", "remincross": "false", "splines": "line"}
UNIT = {"shape": "circle", "fontname": "Helvetica", "fontsize": "10", "width": "0.55",
        "fixedsize": "true", "style": "filled", "fillcolor": "white"}
LAYER = {"labeljust": "l", "labelloc": "b", "style": "rounded,dashed", "color": "gray55",
         "fontcolor": "gray25", "fontsize": "10"}
# Straight edges, as the course draws a network; the weights' names sit beside their edges
# (xlabel: placed after the layout, so they do not bend it) only in a network so small that
# they cannot crowd one another. In a larger one, hovering over an edge names it.
EDGE_LABELS = 8
COLOR_BY = ("weight", "grad")


def draw_network(model: MLP, loss: Value | None = None, *, color_by: str = "weight") -> Graph:
    """The MLP as a diagram: a circle per unit by layer, an edge per weight (colour: sign,
    width: size of the weight, or of its gradient with color_by="grad"). loss: the Value
    backward() was called on, for the chain-rule equation of each weight's gradient."""
    if not isinstance(model, MLP):
        raise TypeError(f"draw_network needs an nn.MLP, got {type(model).__name__}: {model!r}")
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be 'weight' or 'grad', got {color_by!r}")
    chain_rule = _chain_rule(loss)
    graph = Graph(name="network", graph_attr=GRAPH, node_attr=UNIT, edge_attr={"arrowsize": "0.5"})
    graph.values = model.nin + sum(model.sizes)
    _units(graph, [f"x[{j}]" for j in range(1, model.nin + 1)], "inputs",
           [f"x[{j}]: input {j}" for j in range(1, model.nin + 1)])
    weights = [w for layer in model.layers for n in layer.neurons for w in n.w]
    largest = max((abs(_number(w, color_by)) for w in weights), default=0.0) or 1.0
    labelled = len(weights) <= EDGE_LABELS
    for k, layer in enumerate(model.layers, 1):
        names = [f"y{k}[{i}]" for i in range(1, layer.nout + 1)]
        title = (f"layer {k}: W{k} is {layer.nout} × {layer.nin}, y{k} = {layer.activation}"
                 f"(z{k})")
        _units(graph, names, title, [_unit_text(n, name, chain_rule)
                                     for n, name in zip(layer.neurons, names)])
        sources = [f"x[{j}]" for j in range(1, layer.nin + 1)] if k == 1 else \
            [f"y{k - 1}[{j}]" for j in range(1, layer.nin + 1)]
        for neuron, name in zip(layer.neurons, names):
            for source, w in zip(sources, neuron.w):
                graph.edge(source, name, **_edge(w, color_by, largest, labelled, chain_rule))
    return graph


def _units(graph: Graph, names: list[str], title: str, hovers: list[str]) -> None:
    """A layer's box: its units one under the other, in index order."""
    box = graphviz.Digraph(name=f"cluster_{title.split(':')[0]}",
                           graph_attr={"label": dot_string(title), **LAYER})
    for name, hover in zip(names, hovers):
        box.node(name, dot_string(name), tooltip=dot_tooltip(hover))
    row = graphviz.Digraph(graph_attr={"rank": "same"})
    for first, second in zip(names, names[1:]):
        row.edge(second, first, style="invis")  # in LR, a row's invisible edges run upwards
    box.subgraph(row)
    graph.subgraph(box)


def _edge(w: Value, color_by: str, largest: float, labelled: bool, chain_rule) -> dict:
    """An edge's colour, width and hover (the label too, where it is drawn)."""
    number = _number(w, color_by)
    hover = _weight_text(w, chain_rule)
    attributes = {"color": POSITIVE if number >= 0 else NEGATIVE,
                  "penwidth": f"{0.4 + 3.6 * abs(number) / largest:.2f}",
                  "tooltip": dot_tooltip(hover)}
    if labelled:
        attributes |= {"xlabel": dot_string(w.label), "labeltooltip": dot_tooltip(hover),
                       "fontname": "Helvetica", "fontsize": "9"}
    return attributes


def _number(w: Value, color_by: str) -> float:
    return w.data if color_by == "weight" else w.grad


def _weight_text(w: Value, chain_rule) -> str:
    """A weight's hover: its value, its gradient, and the chain rule of the gradient."""
    lines = [f"{w.label} = {equations.four_decimals(w.data)}",
             f"grad {equations.four_decimals(w.grad)}"]
    if chain_rule is not None and w in chain_rule[0]:
        lines.append(_gradient_line(w, chain_rule))
    return "\n".join(lines)


def _unit_text(neuron, name: str, chain_rule) -> str:
    """A unit's hover: what it computes, and its bias as a weight's hover."""
    return f"{name}: {neuron.scope_name.split(': ', 1)[1]}\n{_weight_text(neuron.b, chain_rule)}"


def _chain_rule(loss: Value | None):
    """What the computation graph of loss says about gradients: (names, seeds, terms, sums)."""
    if loss is None:
        return None
    if not isinstance(loss, Value):
        raise TypeError(f"draw_network needs loss as a Value (what backward() was called on), "
                        f"got {type(loss).__name__}: {loss!r}")
    order = topological_order(loss)
    uses = equations.uses_in_backward_order(order)
    seeds = equations.pass_seeds(order, uses, loss)
    names = equations.node_names(order, loss)
    terms, sums = equations.drawn_chain_rule(order, uses)
    return names, seeds, terms, sums


def _gradient_line(w: Value, chain_rule) -> str:
    names, seeds, terms, sums = chain_rule
    return equations.gradient_text(w, names, seeds, terms, sums)
