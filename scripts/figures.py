"""What `make figures` runs: the pictures in the README, drawn by the library itself.

docs/images/neuron_graph.svg            one tanh neuron, y = tanh(w_1 x_1 + w_2 x_2 + b), after
                                        backward(); in the SVG, hovering over a node shows
                                        its chain-rule equation with the numbers filled in
docs/images/moons_decision_regions.png  the decision regions of an MLP 2-16-16-2 (tanh, softmax
                                        output, KL divergence) trained on two moons: the
                                        `make demo` job, with the train and test points
docs/images/classifier_collapsed.svg    a 2-2-2 classifier's loss (softmax, KL divergence) as
                                        draw_graph draws it by default: softmax + KL one box
docs/images/classifier_expanded.svg     the same loss with every op (collapse=())
docs/images/network_diagram.svg         nn.draw_network of a 2-3-2 classifier after backward()

All are deterministic (fixed weights, fixed seeds). Needs Graphviz's `dot` and matplotlib.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.plots  # noqa: E402
from autograd import Value  # noqa: E402

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"


def neuron_graph() -> autograd.Graph:
    """micrograd's neuron example in the course's notation: x = (2, 0), w = (-3, 1),
    b = 6.8814 (so that z = 0.8814, y = tanh z = 0.7071 and dy/dz = 0.5), after backward().
    decompose=True draws each product w_j x_j as its own node."""
    neuron = nn.Neuron(2, activation="tanh", decompose=True)
    neuron.load_state_dict({"w.0": -3.0, "w.1": 1.0, "b": 6.881373587019543})
    y = neuron([Value(2.0, label="x_1"), Value(0.0, label="x_2")])
    y.backward()
    return autograd.draw_graph(y)


def classifier_loss():
    """A 2-2-2 classifier (tanh, softmax output) and its KL divergence on one sample, after
    backward(): (model, loss)."""
    model = nn.MLP(2, [2, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    loss.backward()
    return model, loss


def classifier_graphs() -> dict[str, autograd.Graph]:
    """The classifier's loss drawn collapsed (the default) and expanded (every op)."""
    _, loss = classifier_loss()
    return {"classifier_collapsed.svg": autograd.draw_graph(loss),
            "classifier_expanded.svg": autograd.draw_graph(loss, collapse=())}


def network_diagram() -> autograd.Graph:
    """A 2-3-2 classifier as the course draws networks, after a backward pass of its loss."""
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    loss.backward()
    return nn.draw_network(model, loss)


def graph_figures() -> dict[str, autograd.Graph]:
    """Every drawn figure (SVG) by its file name in docs/images/."""
    return {"neuron_graph.svg": neuron_graph(), **classifier_graphs(),
            "network_diagram.svg": network_diagram()}


def moons_decision_regions():
    """The default `chainrule train` job, trained here through the library: a matplotlib
    Figure of the decision regions with the training and test points."""
    X, D = nn.datasets.moons(200, noise=0.1, seed=0)
    X_train, X_test, D_train, D_test = nn.train_test_split(X, D, test_fraction=0.25, seed=0)
    model = nn.MLP(2, [16, 16, 2], activation="tanh", output="softmax", seed=0)
    targets = [nn.one_hot(c, 2) for c in D_train]
    nn.train(model, X_train, targets, nn.kl_divergence, lr=0.5, max_steps=300, seed=0,
             progress=False)
    accuracy = nn.accuracy(model, X_test, D_test)
    title = f"MLP 2-16-16-2 on two moons: test accuracy {accuracy:.0%}"
    return nn.plots.plot_boundary(model, X_train, D_train, X_test, D_test, title=title)


def main() -> int:
    """Write every image into docs/images/ and name them."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    svgs = [graph.save(IMAGES / name) for name, graph in graph_figures().items()]
    png = IMAGES / "moons_decision_regions.png"
    moons_decision_regions().savefig(png, dpi=110, metadata={"Software": None})
    for path in (*svgs, png):
        print(f"wrote {path.relative_to(IMAGES.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
