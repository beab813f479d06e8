"""Drawing computation graphs: a record per Value, the chain rule on hover, backward step by step.

    graph.py      draw_graph: the DOT text and its rendering by Graphviz
    equations.py  the words on a drawing: names, formulas, local derivatives, chain-rule sums
    steps.py      backward_steps and draw_backward: backpropagation one node at a time

The engine never imports this package; `autograd.draw_graph` loads it on first use.
"""

from autograd.draw.graph import Graph, GraphvizNotFoundError, draw_graph
from autograd.draw.steps import (
    BackwardFrames,
    BackwardStep,
    Contribution,
    backward_steps,
    draw_backward,
)

__all__ = [
    "BackwardFrames",
    "BackwardStep",
    "Contribution",
    "Graph",
    "GraphvizNotFoundError",
    "backward_steps",
    "draw_backward",
    "draw_graph",
]
