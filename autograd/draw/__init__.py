"""Drawing computation graphs: a box per Value, the chain rule on hover, backward step by step.

    adopt.py      adopt: a Value of micrograd's shape (a learner's own) as an autograd graph
    graph.py      draw_graph: a graphviz.Digraph of every Value a root depends on
    drawn.py      the graph a drawing shows: a twin per Value drawn (groups, - as such)
    collapse.py   groups drawn as one box: collapse=, the levels of detail
    composites.py negation and subtraction, recognised by their rows, drawn as -x and a - b
    levels.py     draw_levels: one graph at several levels of detail, a control between them
    digraph.py    Graph, that Digraph: .svg(), .save(path), inline SVG in Jupyter
    layout.py     its DOT: a box per Value, an edge per parent, a cluster per scope
    names.py      the name of each Value: its label, its value, or what it computes
    equations.py  the words on a drawing: formulas, local derivatives, chain-rule sums
    text.py       any label made safe to draw: visible, not too long, escaped for DOT
    page.py       how a drawing sits in a page: fitted inline SVG, the step-through's HTML
    recorded.py   backward_steps: what backward() passes on, node by node, recorded
    steps.py      draw_backward: a frame per step, a slider and ◀ ▶ buttons

The engine never imports this package; `autograd.draw_graph` loads it (and the graphviz package)
on first use.
"""

from autograd.draw.adopt import adopt
from autograd.draw.graph import Graph, GraphvizNotFoundError, draw_dot, draw_graph
from autograd.draw.levels import GraphLevels, draw_levels
from autograd.draw.recorded import BackwardStep, Contribution, backward_steps
from autograd.draw.steps import BackwardFrames, draw_backward

__all__ = [
    "BackwardFrames",
    "BackwardStep",
    "Contribution",
    "Graph",
    "GraphLevels",
    "GraphvizNotFoundError",
    "adopt",
    "backward_steps",
    "draw_backward",
    "draw_dot",
    "draw_graph",
    "draw_levels",
]
