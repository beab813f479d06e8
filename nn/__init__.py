"""nn: neurons, layers and MLPs built only from autograd.Value ops, and the course's training.

>>> import nn
>>> X, D = nn.datasets.moons(100, noise=0.1, seed=0)
>>> model = nn.MLP(2, [8, 2], activation="tanh", output="softmax", seed=0)
>>> history = nn.train(model, X, D, nn.cross_entropy, lr=0.5, max_steps=60, progress=False)
>>> history.loss[-1] < history.loss[0], nn.accuracy(model, X, D) > 0.8
(True, True)

There is no gradient code here: a model is a function made of Value ops, so backpropagation
falls out of Value.backward(); only zero_grad and the optimizer touch .grad. A divergence is
summed over one sample's outputs; training averages it over the T samples of a batch.
nn.compile(model, divergence) runs that per-sample loss as generated straight-line Python, with
the same numbers, many times faster; nn.train(..., compile=True) trains with it.
nn.draw_network(model, loss) draws the network itself: units by layer, a weight per edge.
"""

from nn import datasets
from nn.compiled import CompiledLoss, compile  # noqa: A004 (used as nn.compile)
from nn.datasets import one_hot, train_test_split
from nn.divergences import (
    DIVERGENCES,
    Divergence,
    binary_cross_entropy,
    cross_entropy,
    hinge,
    kl_divergence,
    l2_divergence,
    predicted_class,
)
from nn.functional import activations, linear, relu, sigmoid, softmax, tanh
from nn.history import History
from nn.module import MLP, Layer, Module, Neuron, load
from nn.optim import (
    SGD,
    constant,
    exponential_decay,
    linear_decay,
    make_schedule,
    step_decay,
)
from nn.torch_bridge import to_torch
from nn.training import accuracy, train


def __getattr__(name: str):
    """nn.draw_network, loaded on first use (it loads Graphviz's Python package)."""
    if name == "draw_network":
        from nn.network_diagram import draw_network

        return draw_network
    raise AttributeError(f"module 'nn' has no attribute {name!r}")


__all__ = [
    "DIVERGENCES",
    "MLP",
    "SGD",
    "CompiledLoss",
    "Divergence",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "accuracy",
    "activations",
    "binary_cross_entropy",
    "compile",
    "constant",
    "cross_entropy",
    "datasets",
    "draw_network",
    "exponential_decay",
    "hinge",
    "kl_divergence",
    "l2_divergence",
    "linear",
    "linear_decay",
    "load",
    "make_schedule",
    "one_hot",
    "predicted_class",
    "relu",
    "sigmoid",
    "softmax",
    "step_decay",
    "tanh",
    "to_torch",
    "train",
    "train_test_split",
]
