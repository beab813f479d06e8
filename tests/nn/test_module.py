"""nn.Neuron, nn.Layer, nn.MLP: shapes, parameter order and names, seeds, initialization,
errors, the decomposed graph, drawing scopes, and that nn/ holds no gradient code."""

import math
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value, topological_order

ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear"]
F = {"tanh": math.tanh, "relu": lambda z: max(z, 0.0),
     "sigmoid": lambda z: 1 / (1 + math.exp(-z)), "linear": lambda z: z}


@pytest.mark.parametrize("nin, sizes", [(2, [1]), (2, [16, 16, 1]), (3, [4, 5, 2]), (1, [7])])
def test_parameter_count_is_sum_of_nin_plus_one_times_nout(nin, sizes):
    """An MLP has Σ_layers (nin + 1) · nout parameters, each a distinct leaf Value."""
    model = nn.MLP(nin, sizes, seed=0)
    widths = [nin, *sizes]
    expected = sum((a + 1) * b for a, b in zip(widths, widths[1:]))
    params = model.parameters()
    assert len(params) == expected
    assert len({id(p) for p in params}) == expected
    assert all(isinstance(p, Value) and not p.parents for p in params)


def test_neuron_and_layer_parameter_counts():
    """A Neuron has nin + 1 parameters (w then b), a Layer nout · (nin + 1)."""
    neuron = nn.Neuron(5, seed=random.Random(0))
    assert neuron.parameters() == [*neuron.w, neuron.b]
    assert len(nn.Layer(5, 3).parameters()) == 18


def test_parameters_are_in_micrograds_order():
    """Layer by layer, neuron by neuron, the neuron's weights then its bias."""
    model = nn.MLP(2, [3, 2], seed=0)
    expected = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    assert model.parameters() == expected


def test_named_parameters_have_stable_dotted_names():
    """Names such as layers.1.neurons.3.w.0, in the order of parameters()."""
    model = nn.MLP(2, [4, 5, 1], seed=0)
    named = list(model.named_parameters())
    assert [p for _, p in named] == model.parameters()
    names = dict(named)
    assert names["layers.1.neurons.3.w.0"] is model.layers[1].neurons[3].w[0]
    assert names["layers.2.neurons.0.b"] is model.layers[2].neurons[0].b
    assert [n for n, _ in nn.Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]
    assert [n for n, _ in nn.Layer(1, 2).named_parameters()] == [
        "neurons.0.w.0", "neurons.0.b", "neurons.1.w.0", "neurons.1.b"]


def test_same_seed_same_weights_other_seed_other_weights():
    """MLP(seed=s) is reproducible; a different seed gives different weights."""
    a, b, c = (nn.MLP(2, [8, 3], seed=s) for s in (7, 7, 8))
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != c.state_dict()


def test_seed_none_draws_from_the_module_random():
    """Without a seed, random.seed() makes the initial weights reproducible."""
    random.seed(3)
    first = nn.MLP(2, [4, 1]).state_dict()
    random.seed(3)
    assert nn.MLP(2, [4, 1]).state_dict() == first


def test_an_int_seed_seeds_the_whole_layer():
    """Layer(seed=7) equals Layer(seed=random.Random(7)); its neurons differ from each other."""
    a, b = nn.Layer(3, 4, seed=7), nn.Layer(3, 4, seed=random.Random(7))
    assert a.state_dict() == b.state_dict()
    assert len({tuple(w.data for w in n.w) for n in a.neurons}) == 4
    with pytest.raises(TypeError, match="seed must be an int or a random.Random, got str"):
        nn.Neuron(2, seed="seed")


def test_neuron_layer_and_mlp_name_their_random_source_seed():
    """One keyword for all three: an int, or a random.Random whose stream they draw from."""
    assert nn.MLP(3, [4], seed=7).state_dict() == \
        {f"layers.0.{name}": w for name, w in nn.Layer(3, 4, seed=7).state_dict().items()}
    assert nn.MLP(2, [1], seed=random.Random(5)).state_dict() == \
        {f"layers.0.neurons.0.{name}": w for name, w in nn.Neuron(2, seed=5).state_dict().items()}
    with pytest.raises(TypeError, match="rng"):
        nn.Neuron(2, rng=0)


@pytest.mark.parametrize("activation, gain", [("relu", 2.0), ("tanh", 1.0), ("sigmoid", 1.0)])
def test_initialization_suits_the_activation(activation, gain):
    """Weights ~ N(0, gain/nin): He (gain 2) for relu, Xavier/LeCun (gain 1) otherwise; b = 0."""
    layer = nn.Layer(100, 60, activation, seed=random.Random(1))
    weights = [w.data for n in layer.neurons for w in n.w]
    assert statistics.mean(weights) == pytest.approx(0.0, abs=0.01)
    assert statistics.pstdev(weights) == pytest.approx(math.sqrt(gain / 100), rel=0.05)
    assert all(n.b.data == 0.0 for n in layer.neurons)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_neuron_computes_f_of_the_affine_term(activation):
    """y = f(Σ_j w_j x_j + b), against the closed form on floats."""
    neuron = nn.Neuron(3, activation, seed=random.Random(2))
    neuron.b.data = 0.3
    x = [0.5, -1.25, 2.0]
    z = sum(w.data * xj for w, xj in zip(neuron.w, x)) + 0.3
    assert neuron(x).data == pytest.approx(F[activation](z), rel=1e-12)


def test_neuron_gradients_are_the_closed_form():
    """For y = tanh(w·x + b): ∂y/∂w_j = (1 - y²) x_j, ∂y/∂b = 1 - y², ∂y/∂x_j = (1 - y²) w_j."""
    neuron = nn.Neuron(2, "tanh", seed=random.Random(3))
    x = [Value(0.7), Value(-0.2)]
    y = neuron(x)
    y.backward()
    slope = 1 - y.data**2
    for w, xj in zip(neuron.w, x):
        assert w.grad == pytest.approx(slope * xj.data, rel=1e-12)
        assert xj.grad == pytest.approx(slope * w.data, rel=1e-12)
    assert neuron.b.grad == pytest.approx(slope, rel=1e-12)


def test_layer_returns_a_list_even_for_one_output():
    """Layer(nin, 1)(x) is a one-element list; MLP returns sizes[-1] Values."""
    assert len(nn.Layer(2, 1)([1.0, 2.0])) == 1
    out = nn.MLP(2, [3, 4], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 4 and all(isinstance(v, Value) for v in out)


def test_wrong_number_of_inputs_names_both_counts():
    """Calling with the wrong number of inputs is a ValueError giving nin and what came."""
    with pytest.raises(ValueError, match=r"takes 2 inputs \(nin\), got 3"):
        nn.Neuron(2)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"takes 3 inputs \(nin\), got 1"):
        nn.MLP(3, [2], seed=0)([1.0])
    with pytest.raises(ValueError, match=r"this layer takes 2 inputs \(nin\), got 1"):
        nn.Layer(2, 3)([1.0])
    with pytest.raises(TypeError, match="wrap it in a list"):
        nn.MLP(1, [2], seed=0)(0.5)


def test_unknown_activation_lists_the_valid_ones():
    """A ValueError names the bad activation and lists linear, the op rows of one input (tanh,
    sigmoid, relu, sin, ...) and softmax."""
    for make in (lambda: nn.Neuron(2, "elu"), lambda: nn.Layer(2, 2, "elu"),
                 lambda: nn.MLP(2, [2], activation="elu"), lambda: nn.MLP(2, [2], output="elu")):
        with pytest.raises(ValueError, match="'elu'.*linear, .*tanh, sigmoid, .*relu, .*sin, "
                                             ".*softmax"):
            make()


@pytest.mark.parametrize("name", ["sin", "cos", "exp", "step"])
def test_every_built_in_op_of_one_input_is_an_activation(name):
    """Any op row with arity 1 is an activation: the neuron applies the row to z."""
    from autograd.ops import op_named

    neuron = nn.Neuron(2, name, seed=0)
    y = neuron([0.5, -0.25])
    z = neuron.affine([0.5, -0.25])
    assert y.op is op_named(name) and y.data == op_named(name)(z.data)
    assert repr(neuron) == f"Neuron(2, activation={name!r})"
    assert name in nn.activations()


def test_the_activations_are_derived_from_the_op_rows():
    """nn.activations(): linear, every op row of one input a person calls by name, softmax;
    no row of two inputs, no fused row, no power."""
    from autograd import ops

    ops.POWER(2.0)
    one_input = [op.name for op in ops.all_ops() if op.arity == 1
                 and not op.fused and not op.name.startswith("**")]
    assert nn.activations() == ["linear", *one_input, "softmax"]
    for name in ("+", "*", "max", "affine", "log_one_minus_sigmoid", "**2"):
        with pytest.raises(ValueError, match="unknown activation"):
            nn.Neuron(2, name)


def test_a_sin_mlp_saves_and_loads(tmp_path):
    """An MLP with sin hidden layers is saved by name and loads back the same."""
    model = nn.MLP(2, [3, 1], activation="sin", seed=0)
    model.save(tmp_path / "sin.json")
    copy = nn.load(tmp_path / "sin.json")
    assert repr(copy) == "MLP(2, [3, 1], activation='sin', output='linear')"
    assert copy([0.5, 1.0])[0].data == model([0.5, 1.0])[0].data


def test_softmax_is_for_whole_layers_only():
    """A softmax Neuron, or softmax hidden layers, are refused with a hint."""
    with pytest.raises(ValueError, match="vector activation"):
        nn.Neuron(2, "softmax")
    with pytest.raises(ValueError, match="output layer"):
        nn.MLP(2, [3, 2], activation="softmax")


@pytest.mark.parametrize("sizes", [[], [0], [2, -1], "12", [2.5], None])
def test_bad_sizes_are_refused(sizes):
    """Layer widths must be a non-empty list of positive whole numbers."""
    with pytest.raises(ValueError, match="sizes|layer size"):
        nn.MLP(2, sizes)


def test_softmax_output_layer_gives_probabilities():
    """output='softmax': positive outputs summing to 1."""
    y = nn.MLP(2, [5, 4], output="softmax", seed=0)([0.3, -0.7])
    assert all(v.data > 0 for v in y)
    assert math.fsum(v.data for v in y) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("output", [*ACTIVATIONS, "softmax"])
def test_decomposed_graph_gives_the_same_numbers(output):
    """decompose=True (separate * and + nodes) gives bit-identical outputs and gradients."""
    fused = nn.MLP(2, [4, 3], activation="relu", output=output, seed=5)
    split = nn.MLP(2, [4, 3], activation="relu", output=output, seed=5, decompose=True)
    x = [0.4, -1.3]
    y_fused, y_split = fused(x), split(x)
    assert [v.data for v in y_fused] == [v.data for v in y_split]
    nn.l2_divergence(y_fused, [0.1, 0.2, 0.3]).backward()
    nn.l2_divergence(y_split, [0.1, 0.2, 0.3]).backward()
    assert [p.grad for p in fused.parameters()] == pytest.approx(
        [p.grad for p in split.parameters()], rel=1e-12, abs=1e-15)


def test_decomposed_graph_has_products_and_sums_instead_of_affine():
    """The default graph has one affine node per neuron; decompose=True has none."""
    x = [0.5, 2.0]
    ops = lambda model: [v.op for v in topological_order(model(x)[0])]  # noqa: E731
    fused = ops(nn.MLP(2, [3, 1], seed=0))
    split = ops(nn.MLP(2, [3, 1], seed=0, decompose=True))
    assert fused.count("affine") == 4 and "*" not in fused
    assert "affine" not in split and split.count("*") == 3 * 2 + 3 and split.count("+") == 9


def test_scopes_name_layers_and_neurons_in_course_notation():
    """Each neuron's nodes sit in 'neuron i: ...' inside 'layer k' (1-based), for drawing."""
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    y = model([0.5, -0.5])
    hidden = next(v for v in topological_order(y[0]) if v.op == "tanh" and v.scope.name
                  .startswith("neuron 3"))
    assert [s.name for s in hidden.scope.path()] == [
        "layer 1", "neuron 3: y = tanh(z), z = Σⱼ wⱼ xⱼ + b"]
    assert [s.name for s in y[0].scope.path()] == ["layer 2: y = softmax(z)", "softmax"]
    logits = [v for v in topological_order(y[0]) if v.op == "affine" and
              v.scope.parent.name.startswith("layer 2")]
    assert {v.scope.name for v in logits} == {"neuron 1: z = Σⱼ wⱼ xⱼ + b",
                                              "neuron 2: z = Σⱼ wⱼ xⱼ + b"}


def test_scope_names_of_other_activations_and_standalone_modules():
    """Linear neurons say y = z; a Neuron or Layer outside an MLP has no number."""
    assert nn.MLP(2, [1], seed=0).layers[0].neurons[0].scope_name == \
        "neuron 1: y = z, z = Σⱼ wⱼ xⱼ + b"
    assert nn.Neuron(2, "relu").scope_name == "neuron: y = relu(z), z = Σⱼ wⱼ xⱼ + b"
    assert nn.Layer(2, 2).scope_name == "layer"


def test_labels_follow_the_course():
    """A neuron on its own: weights w[1].., the bias b, the affine node z, the activation y."""
    neuron = nn.Neuron(2, "sigmoid", seed=random.Random(0))
    y = neuron([1.0, 2.0])
    assert [w.label for w in neuron.w] == ["w[1]", "w[2]"] and neuron.b.label == "b"
    assert y.label == "y" and y.parents[0].label == "z"


def test_zero_grad_clears_every_parameter():
    """After backward, zero_grad sets every .grad back to 0."""
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, 1.0])[0].backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_reprs_are_readable():
    """repr shows the constructor call."""
    assert repr(nn.MLP(2, [16, 2], activation="relu", output="softmax")) == \
        "MLP(2, [16, 2], activation='relu', output='softmax')"
    assert repr(nn.Layer(3, 4, "sigmoid")) == "Layer(3, 4, activation='sigmoid')"
    assert repr(nn.Neuron(3)) == "Neuron(3, activation='tanh')"


def test_nn_has_no_gradient_code():
    """Only the optimizer and zero_grad write .grad anywhere in nn/ (and course.py, the build
    track's checks, which set the grads of a learner's own Values to try their _backward)."""
    writes = []
    for path in sorted(Path(nn.__file__).parent.glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\.grad\s*[-+*/]?=(?!=)", line):
                writes.append((path.name, line.strip()))
    assert {name for name, _ in writes} <= {"optim.py", "module.py", "course.py"}
    assert all(line.startswith("out.grad = ") for name, line in writes if name == "course.py")
    assert [line for name, line in writes if name == "module.py"] == ["p.grad = 0.0"]
    assert not any(re.search(r"\.grad\s*[-+]=", line) for name, line in writes
                   if name != "optim.py")


def test_import_nn_needs_only_the_standard_library():
    """import nn loads neither matplotlib, tqdm, torch nor graphviz."""
    code = ("import sys, nn; print(sorted(m for m in ('matplotlib', 'tqdm', 'torch', 'graphviz')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_softmax_over_one_output_is_refused():
    """A softmax over one output is always 1.0 with zero gradients: MLP and Layer refuse it."""
    with pytest.raises(ValueError, match=r"softmax needs at least 2 outputs .* got "
                                         r"sizes\[-1\] = 1; for one output use output='sigmoid'"):
        nn.MLP(2, [4, 1], output="softmax")
    with pytest.raises(ValueError, match="softmax needs at least 2 outputs .* got nout = 1; "
                                         "for one output use activation='sigmoid'"):
        nn.Layer(3, 1, activation="softmax")
    assert len(nn.Layer(3, 2, activation="softmax")([1.0, 2.0, 3.0])) == 2


def test_an_op_made_with_define_op_is_an_activation():
    """MLP(..., activation=softplus): its neurons use the op; saved by name, loaded once defined."""
    import math

    from autograd import define_op
    from autograd import functions as F  # noqa: N812 (the usual alias)

    softplus = define_op("softplus", lambda x: math.log1p(math.exp(x)),
                         lambda x, out: F.sigmoid(x), formula="σ(x)")
    model = nn.MLP(2, [3, 1], activation=softplus, seed=0)
    y = model([0.5, -1.0])
    hidden = model.layers[0]([0.5, -1.0])
    assert all(h.op is softplus for h in hidden)
    assert repr(model) == "MLP(2, [3, 1], activation='softplus', output='linear')"
    assert nn.MLP(2, [3, 1], activation="softplus", seed=0)([0.5, -1.0])[0].data == y[0].data


def test_loading_a_model_whose_activation_op_is_missing_says_which(tmp_path):
    """nn.load of a model built with a define_op activation that is not defined now: a
    ValueError naming the op and what to do; defined again, the model loads."""
    import math

    from autograd import define_op
    from autograd import functions as F  # noqa: N812 (the usual alias)

    swish = define_op("swish_for_load", lambda x: x / (1 + math.exp(-x)),
                      lambda x, out: F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x))))
    model = nn.MLP(2, [3, 1], activation=swish, seed=0)
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text().replace("swish_for_load", "swish_missing")
    path.write_text(text)
    with pytest.raises(ValueError, match=r"unknown activation 'swish_missing'.*autograd\.define_op "
                                         r"must be defined before building or loading"):
        nn.load(path)
    define_op("swish_missing", swish.forward, swish.derivative)
    assert nn.load(path).state_dict() == model.state_dict()
