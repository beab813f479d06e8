"""nn.to_torch: the equivalent torch.nn.Sequential computes the same outputs and gradients."""

import builtins
import math

import pytest

import nn


def test_missing_torch_gives_an_install_hint(monkeypatch):
    """Without torch, to_torch raises ImportError saying pip install torch / chainrule[torch]."""
    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match=r"pip install torch .*chainrule\[torch\]"):
        nn.to_torch(nn.MLP(2, [1], seed=0))


torch = pytest.importorskip("torch", reason="to_torch needs PyTorch (pip install torch)")

INPUTS = [[0.3, -1.2], [1.5, 0.25], [-0.7, 0.9]]


@pytest.mark.parametrize("activation, output", [
    ("tanh", "softmax"), ("relu", "linear"), ("sigmoid", "sigmoid"), ("relu", "tanh")])
def test_same_outputs_as_the_model(activation, output):
    """Every activation and output: torch's outputs equal the model's to rounding."""
    model = nn.MLP(2, [5, 4, 3], activation=activation, output=output, seed=1)
    net = nn.to_torch(model)
    got = net(torch.tensor(INPUTS, dtype=torch.float64)).tolist()
    want = [[v.data for v in model(x)] for x in INPUTS]
    assert got == [pytest.approx(row, rel=1e-12, abs=1e-15) for row in want]


def test_same_gradients_as_the_model():
    """The mean cross-entropy over a batch: torch's parameter gradients equal the model's."""
    model = nn.MLP(2, [6, 3], activation="tanh", output="softmax", seed=2)
    net = nn.to_torch(model)
    classes = [0, 2, 1]
    nn.training.batch_gradients(model, INPUTS, classes, nn.cross_entropy)
    probabilities = net(torch.tensor(INPUTS, dtype=torch.float64))
    loss = -torch.log(probabilities[range(3), classes]).mean()
    loss.backward()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(model.layers, linears):
        for i, neuron in enumerate(layer.neurons):
            assert [w.grad for w in neuron.w] == pytest.approx(linear.weight.grad[i].tolist(),
                                                               rel=1e-9, abs=1e-14)
            assert neuron.b.grad == pytest.approx(linear.bias.grad[i].item(), rel=1e-9,
                                                  abs=1e-14)


def test_structure_and_independent_copies():
    """One Linear per layer plus its activation (none for linear); weights are copies."""
    model = nn.MLP(2, [3, 1], activation="relu", output="linear", seed=0)
    net = nn.to_torch(model)
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    assert net[0].weight.dtype == torch.float64
    with torch.no_grad():
        net[0].bias.fill_(5.0)
    assert all(n.b.data == 0.0 for n in model.layers[0].neurons)


def test_layer_and_neuron_convert_too():
    """A Layer and a Neuron become a Linear and their activation."""
    neuron = nn.Neuron(3, "sigmoid")
    neuron.b.data = 0.5
    net = nn.to_torch(neuron)
    x = [0.1, 0.2, -0.3]
    assert net(torch.tensor(x, dtype=torch.float64)).item() == pytest.approx(neuron(x).data)
    layer = nn.Layer(2, 4, "softmax")
    assert [type(m).__name__ for m in nn.to_torch(layer)] == ["Linear", "Softmax"]
    assert math.fsum(nn.to_torch(layer)(torch.tensor([1.0, 2.0], dtype=torch.float64))
                     .tolist()) == pytest.approx(1.0)


def test_to_torch_refuses_other_objects():
    """Only nn models convert."""
    with pytest.raises(TypeError, match="converts an nn.MLP, nn.Layer or nn.Neuron"):
        nn.to_torch(object())


def test_an_activation_torch_has_no_module_for_is_named(own_op_registry):
    """O: a define_op activation (σ) is a ValueError naming it, not a bare KeyError: 'σ'."""
    from autograd import define_op
    define_op("σ", lambda z: 1 / (1 + math.exp(-z)), lambda z, out: out * (1 - out))
    model = nn.MLP(2, [3, 1], activation="σ", seed=0)
    with pytest.raises(ValueError, match="to_torch has no torch module for the activation 'σ'"):
        nn.to_torch(model)
