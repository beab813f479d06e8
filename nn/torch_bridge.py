"""Carry a model into PyTorch: the same network as a torch.nn.Sequential, with the same weights.

    import nn, torch
    model = nn.MLP(2, [16, 2], output="softmax", seed=0)
    net = nn.to_torch(model)
    # Sequential((0): Linear(2 -> 16), (1): Tanh(), (2): Linear(16 -> 2), (3): Softmax(dim=-1))
    net(torch.tensor([0.5, -1.0], dtype=torch.float64))   # the numbers of model([0.5, -1.0])

(Not a doctest, so that the suite runs without torch; tests/nn/test_torch.py checks it.)
Needs PyTorch (pip install torch, or the extra: pip install 'chainrule[torch]'); torch is
imported only when to_torch is called.
"""

from __future__ import annotations


def to_torch(model, dtype=None):
    """An equivalent torch.nn.Sequential: one Linear per layer (weight[i][j] = w_j of neuron i,
    bias[i] = its b) followed by its activation (Tanh, ReLU, Sigmoid, Softmax(dim=-1), nothing
    for linear). Works on an MLP, a Layer or a Neuron (one output). The weights are copies
    (training one model does not move the other); dtype defaults to torch.float64, the
    precision of autograd's Values, so outputs and gradients agree to rounding.
    """
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch needs PyTorch: pip install torch "
                          "(or pip install 'chainrule[torch]')") from None
    from nn.module import MLP, Layer, Neuron

    if isinstance(model, MLP):
        layers = model.layers
    elif isinstance(model, Layer):
        layers = [model]
    elif isinstance(model, Neuron):
        layers = [_NeuronAsLayer(model)]
    else:
        raise TypeError(f"to_torch converts an nn.MLP, nn.Layer or nn.Neuron, "
                        f"got {type(model).__name__}")
    dtype = torch.float64 if dtype is None else dtype
    modules = []
    for layer in layers:
        linear = torch.nn.Linear(layer.nin, len(layer.neurons), dtype=dtype)
        with torch.no_grad():
            weights = [[w.data for w in n.w] for n in layer.neurons]
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float64))  # no float32 detour
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        activation = _torch_activation(torch, layer.activation)
        if activation is not None:
            modules.append(activation)
    return torch.nn.Sequential(*modules)


class _NeuronAsLayer:
    """A one-neuron view with the attributes to_torch reads from a Layer."""

    def __init__(self, neuron):
        self.nin, self.neurons, self.activation = neuron.nin, [neuron], neuron.activation


def _torch_activation(torch, name: str):
    """The torch module for an activation name (None for linear: no module at all)."""
    modules = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
               "softmax": lambda: torch.nn.Softmax(dim=-1)}
    if name == "linear":
        return None
    if name not in modules:
        raise ValueError(f"to_torch has no torch module for the activation {name!r} (it "
                         f"converts {', '.join(modules)} and linear): write the torch network "
                         "by hand, or train with one of those")
    return modules[name]()
