"""nn.compile and nn.train(compile=True) against the dynamic engine; autograd.compile's has_aux.

The contract: a compiled loss's backward(x, d) returns Div(model(x), d) and adds to each
parameter's .grad what Div.backward() adds (within 1e-12 relative or 1e-14 absolute), predict(x)
gives the model's outputs, one program serves every d of the same pattern, and training with
compile=True records the same History (within 1e-9 relative) without running the model per
sample. The generated code repeats the engine's float operations in the engine's order, so the
numbers below are in fact identical; the tests ask only for what the contract promises.
"""

from __future__ import annotations

import csv
import math
import random

import pytest
from divergence_cases import DIVERGENCES, NAMES

import autograd
import nn
from autograd import Value
from nn.compiled import CompiledLoss, l2_with_target_values

HIDDEN = ["tanh", "relu", "sigmoid", "linear"]
OUTPUTS = ["tanh", "relu", "sigmoid", "linear", "softmax"]


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-14) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def all_close(xs, ys, rel: float = 1e-12, abs_: float = 1e-14) -> bool:
    return len(xs) == len(ys) and all(close(a, b, rel, abs_) for a, b in zip(xs, ys))


def random_target(divergence: str, k: int, rng: random.Random):
    """A desired output d of the kind each divergence takes, for k outputs."""
    if divergence == "l2":
        return [rng.uniform(-1.0, 1.0) for _ in range(k)]
    if divergence == "kl":
        if rng.random() < 0.7:
            return nn.one_hot(rng.randrange(k), k)
        weights = [rng.random() for _ in range(k)]
        return [w / sum(weights) for w in weights]  # a soft target: every d_i > 0
    if divergence == "cross_entropy":
        return rng.randrange(k)
    if divergence == "bce":
        return rng.randrange(2)
    return rng.choice([-1, 1])  # hinge


def dynamic(model, divergence, x, d, scale=1.0):
    """(Div, outputs, grads) from the dynamic graph, or the exception it raised."""
    model.zero_grad()
    try:
        y = model(x)
        div = divergence(y, d)
        (div * scale).backward()
    except (ValueError, ArithmeticError) as error:
        return error
    ys = [y.data] if isinstance(y, Value) else [v.data for v in y]
    return div.data, ys, [p.grad for p in model.parameters()]


def compiled(loss: CompiledLoss, x, d, scale=1.0):
    """The same from the compiled loss (its backward and loss agree; predict gives y)."""
    loss.model.zero_grad()
    try:
        div, ys = loss.backward_with_outputs(x, d, scale)
    except (ValueError, ArithmeticError) as error:
        return error
    assert loss.loss(x, d) == div and loss.predict(x) == ys
    return div, ys, [p.grad for p in loss.model.parameters()]


def assert_same(expected, got) -> None:
    if isinstance(expected, Exception) or isinstance(got, Exception):
        assert type(got) is type(expected) and str(got) == str(expected), (expected, got)
        return
    assert close(got[0], expected[0]), (got[0], expected[0])
    assert all_close(got[1], expected[1])
    assert all_close(got[2], expected[2])


# ---- compiled vs dynamic ----


@pytest.mark.parametrize("divergence", list(nn.DIVERGENCES))
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", HIDDEN)
def test_every_activation_output_and_divergence_matches_the_engine(activation, output,
                                                                   divergence):
    """Random MLPs, random samples and targets: the same Div, y and gradients as the dynamic
    graph (or the same domain error, where a divergence does not fit the output). Outputs that
    are not probabilities for kl or bce are refused by the divergence, which a compiled program
    runs only when it traces: those samples are not compared (nn.train checks them itself)."""
    rng = random.Random(f"{activation}-{output}-{divergence}")
    k = 1 if divergence in ("bce", "hinge") else 3
    nin = rng.randint(1, 4)
    sizes = [rng.randint(2, 5) for _ in range(rng.randint(0, 2))] + [k]
    if output == "softmax" and k == 1:  # a softmax over one output is refused
        with pytest.raises(ValueError, match="softmax needs at least 2 outputs"):
            nn.MLP(nin, sizes, activation=activation, output=output)
        return
    model = nn.MLP(nin, sizes, activation=activation, output=output, seed=rng.randrange(100))
    loss = nn.compile(model, nn.DIVERGENCES[divergence])
    for _ in range(12):
        x = [rng.gauss(0.0, 1.5) for _ in range(nin)]
        d = random_target(divergence, k, rng)
        scale = rng.choice([1.0, 0.25, 1 / 3])
        expected = dynamic(model, nn.DIVERGENCES[divergence], x, d, scale)
        got = compiled(loss, x, d, scale)
        if isinstance(expected, ValueError) and "to be probabilities" in str(expected):
            continue
        assert_same(expected, got)


@pytest.mark.parametrize("decompose", [False, True], ids=["affine", "decomposed"])
def test_neurons_layers_and_decomposed_mlps_compile(decompose):
    """A Neuron (one Value out), a Layer and a decompose=True MLP: compiled equals dynamic."""
    rng = random.Random(5)
    models = [(nn.Neuron(3, "sigmoid", seed=1, decompose=decompose), nn.l2_divergence, 0.3),
              (nn.Layer(3, 4, "softmax", seed=2, decompose=decompose), nn.cross_entropy, 2),
              (nn.MLP(3, [5, 2], "relu", "softmax", seed=3, decompose=decompose),
               nn.kl_divergence, [0.0, 1.0])]
    for model, divergence, d in models:
        loss = nn.compile(model, divergence)
        for _ in range(5):
            x = [rng.gauss(0.0, 1.0) for _ in range(3)]
            assert_same(dynamic(model, divergence, x, d), compiled(loss, x, d))


def test_a_custom_divergence_gets_what_the_model_returns():
    """A Neuron's single Value goes to the divergence as it is; a custom Div(y, d) compiles,
    one program per distinct d."""
    neuron = nn.Neuron(2, "tanh", seed=0)
    squared = lambda y, d: (y - d) ** 2  # noqa: E731 (y is one Value here, not a list)
    loss = nn.compile(neuron, squared)
    for x, d in [([0.1, 0.2], 0.5), ([0.3, -0.4], 0.5), ([1.0, 2.0], -0.5)]:
        assert_same(dynamic(neuron, squared, x, d), compiled(loss, x, d))
    assert len(loss.programs) == 2


def test_backward_accumulates_over_samples_like_repeated_dynamic_backward():
    """Many samples in a row: .grad sums scale · ∂Div/∂w, as (Div * scale).backward() does."""
    model = nn.MLP(2, [6, 3], activation="tanh", output="softmax", seed=0)
    X, D = nn.datasets.spiral(60, seed=1)
    loss = nn.compile(model, nn.cross_entropy)
    model.zero_grad()
    for x, d in zip(X, D):
        (nn.cross_entropy(model(x), d) * (1 / 60)).backward()
    expected = [p.grad for p in model.parameters()]
    model.zero_grad()
    total = sum(loss.backward(x, d, 1 / 60) for x, d in zip(X, D))
    assert all_close([p.grad for p in model.parameters()], expected)
    assert close(total, sum(nn.cross_entropy(model(x), d).data for x, d in zip(X, D)))


def test_relu_exactly_at_its_kink():
    """A relu at exactly 0 (zero weights, zero bias) has derivative 0, as in the engine."""
    model = nn.MLP(2, [3, 1], activation="relu", output="linear", seed=0)
    for p in model.layers[0].neurons[0].parameters():
        p.data = 0.0
    loss = nn.compile(model, nn.hinge)
    for x in ([0.0, 0.0], [1.0, -2.0], [0.5, 0.5]):
        assert_same(dynamic(model, nn.hinge, x, 1), compiled(loss, x, 1))


def test_programs_read_the_parameters_at_call_time():
    """After SGD updates and load_state_dict, the compiled loss still equals the dynamic one."""
    model = nn.MLP(2, [4, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.compile(model, nn.cross_entropy)
    x, d = [0.3, -0.7], 1
    before = loss.loss(x, d)
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    for _ in range(3):
        optimizer.zero_grad()
        loss.backward(x, d)
        optimizer.step()
    assert loss.loss(x, d) < before
    assert_same(dynamic(model, nn.cross_entropy, x, d), compiled(loss, x, d))
    model.load_state_dict(nn.MLP(2, [4, 2], output="softmax", seed=7).state_dict())
    assert_same(dynamic(model, nn.cross_entropy, x, d), compiled(loss, x, d))


def test_softmax_outputs_stay_finite_at_huge_logits():
    """nn's softmax shift is recomputed by the program: logits of ±1000 work after a small trace."""
    model = nn.MLP(2, [3], activation="linear", output="softmax", seed=0)
    loss = nn.compile(model, nn.kl_divergence)
    loss.predict([0.01, 0.02])  # traced at small logits
    for x in ([1000.0, -800.0], [-900.0, 1000.0]):
        assert all(math.isfinite(y) for y in loss.predict(x))
        assert_same(dynamic(model, nn.kl_divergence, x, [0.2, 0.3, 0.5]),
                    compiled(loss, x, [0.2, 0.3, 0.5]))


# ---- one program per target pattern ----


def test_one_program_per_class_index_and_per_one_hot_target():
    """cross_entropy and one-hot kl: one program per class, reused for every other sample."""
    X, D = nn.datasets.blobs(60, seed=0)
    for divergence, target in [(nn.cross_entropy, lambda c: c),
                               (nn.kl_divergence, lambda c: nn.one_hot(c, 3))]:
        model = nn.MLP(2, [4, 3], output="softmax", seed=0)
        loss = nn.compile(model, divergence)
        for x, c in zip(X, D):
            loss.backward(x, target(c))
        assert len(loss.programs) == 3
        assert loss.program(X[0], target(D[0])) is loss.program(X[1], target(D[0]))


def test_l2_targets_are_arguments_of_a_single_program():
    """Real-valued l2 targets, different for every sample: one program, d_1.. d_m arguments."""
    X, targets = nn.datasets.line(40, seed=0)
    model = nn.MLP(1, [4, 1], output="linear", seed=0)
    loss = nn.compile(model, nn.l2_divergence)
    for x, d in zip(X, targets):
        assert_same(dynamic(model, nn.l2_divergence, x, d), compiled(loss, x, d))
    assert len(loss.programs) == 1
    program = loss.program(X[0], targets[0])
    assert program.argument_names == ["x_1", "d_1", "scale"]
    assert "def run(leaves, x_1, d_1, scale, backward=False):" in program.source


def test_l2_with_target_values_gives_l2_divergences_floats():
    """½ Σ (y_i - d_i)² with d as Values: bit for bit l2_divergence(y, numbers), same gradient."""
    rng = random.Random(2)
    for _ in range(50):
        ys = [rng.uniform(-3, 3) for _ in range(3)]
        ds = [rng.choice([0.0, -0.0, rng.uniform(-3, 3)]) for _ in range(3)]
        y1, y2 = [Value(v) for v in ys], [Value(v) for v in ys]
        a = nn.l2_divergence(y1, ds)
        b = l2_with_target_values(y2, [Value(v) for v in ds])
        a.backward()
        b.backward()
        assert a.data == b.data and [v.grad for v in y1] == [v.grad for v in y2]


def test_a_true_target_does_not_reuse_the_program_of_one():
    """bool targets are refused by cross_entropy: a cached program for 1 does not hide that."""
    model = nn.MLP(2, [2], output="softmax", seed=0)
    loss = nn.compile(model, nn.cross_entropy)
    loss.backward([0.1, 0.2], 1)
    with pytest.raises(ValueError, match="class index"):
        loss.backward([0.1, 0.2], True)


# ---- training ----


def histories(divergence, output, target, mode, batch_size=None, lr=0.3, steps=25):
    """(History, final weights) trained without and with compile, from the same start."""
    X, C = nn.datasets.moons(30, seed=0)
    D = [target(c) for c in C]
    k = 1 if divergence in (nn.binary_cross_entropy, nn.hinge) else 2
    runs = []
    for compile_ in (False, True):
        model = nn.MLP(2, [5, k], activation="tanh", output=output, seed=1)
        history = nn.train(model, X, D, divergence, lr=lr, mode=mode, batch_size=batch_size,
                           max_steps=steps, tol=0, seed=2, momentum=0.5, progress=False,
                           compile=compile_)
        runs.append((history, [p.data for p in model.parameters()]))
    return runs


@pytest.mark.parametrize("mode, batch_size", [("batch", None), ("sgd", None),
                                              ("minibatch", 7)])
@pytest.mark.parametrize("divergence, output, target", DIVERGENCES, ids=NAMES)
def test_train_with_compile_records_the_same_history(divergence, output, target, mode,
                                                      batch_size):
    """Every mode and divergence: loss, steps, lr, accuracy, stop and weights as without it."""
    (plain, plain_weights), (fast, fast_weights) = histories(divergence, output, target, mode,
                                                             batch_size)
    assert fast.steps == plain.steps == 25 and fast.stopped_by == plain.stopped_by
    assert fast.stop_reason == plain.stop_reason and fast.lr == plain.lr
    assert all_close(fast.loss, plain.loss, rel=1e-9, abs_=0.0)
    assert all_close(fast.largest_step, plain.largest_step, rel=1e-9, abs_=0.0)
    assert fast.accuracy == plain.accuracy
    assert all_close(fast_weights, plain_weights, rel=1e-9, abs_=1e-15)


def test_a_diverging_run_stops_the_same_way_compiled(monkeypatch):
    """A learning rate that overflows a square: both stop as 'diverged' at the same step, for
    the same reason; one that drives a softmax output to 0 (log 0) too. (The per-sample
    programs, number for number: the batch backend's diverging runs are in test_batch_training.)"""
    monkeypatch.setattr(nn.training, "numpy_available", lambda: False)
    (plain, _), (fast, _) = histories(nn.l2_divergence, "linear", lambda c: [c, 1 - c],
                                      "batch", lr=1e3, steps=50)
    assert plain.stopped_by == fast.stopped_by == "diverged"
    assert fast.stop_reason == plain.stop_reason and fast.loss == plain.loss
    runs = [nn.train(nn.MLP(2, [5, 2], output="softmax", seed=1),
                     *nn.datasets.moons(30, seed=0), nn.cross_entropy, lr=1e6, max_steps=50,
                     progress=False, compile=compile_) for compile_ in (False, True)]
    assert runs[0].stopped_by == runs[1].stopped_by == "diverged"
    assert runs[0].stop_reason == runs[1].stop_reason and runs[0].loss == runs[1].loss
    assert "underflowed to 0.0" in runs[0].stop_reason


class CountingMLP(nn.MLP):
    """An MLP that counts its forward passes."""

    calls = 0

    def __call__(self, x):
        CountingMLP.calls += 1
        return super().__call__(x)


def test_train_with_compile_never_runs_the_model_per_sample():
    """The model runs only while tracing (a few runs per class), however long training is."""
    X, D = nn.datasets.blobs(40, seed=0)
    counts = []
    for steps in (5, 40):
        CountingMLP.calls = 0
        model = CountingMLP(2, [4, 3], output="softmax", seed=0)
        nn.train(model, X, D, nn.cross_entropy, lr=0.1, max_steps=steps, tol=0,
                 progress=False, compile=True)
        counts.append(CountingMLP.calls)
    assert counts[0] == counts[1] <= 3 * 5  # 3 classes, at most 5 trace runs each
    assert counts[1] < len(X)


def test_accuracy_takes_a_compiled_loss():
    """nn.accuracy(compiled loss, X, D) uses predict: the same number as with the model."""
    X, D = nn.datasets.spiral(90, seed=0)
    model = nn.MLP(2, [8, 3], output="softmax", seed=0)
    nn.train(model, X, D, nn.cross_entropy, lr=0.5, max_steps=30, progress=False)
    assert nn.accuracy(nn.compile(model, nn.cross_entropy), X, D) == nn.accuracy(model, X, D)


def test_chainrule_train_compile_writes_the_same_history(tmp_path, capsys):
    """`chainrule train --compile` writes the history.csv the dynamic run writes."""
    pytest.importorskip("matplotlib")
    from nn.cli import main

    common = ["train", "--samples", "40", "--hidden", "4", "--steps", "10", "--no-progress",
              "--mode", "minibatch", "--batch-size", "8"]
    assert main([*common, "--out", str(tmp_path / "plain")]) == 0
    assert main([*common, "--compile", "--out", str(tmp_path / "fast")]) == 0
    assert "minibatch mode, compiled)" in capsys.readouterr().out

    def rows(name):
        with open(tmp_path / name / "history.csv", newline="") as file:
            return list(csv.DictReader(file))

    plain, fast = rows("plain"), rows("fast")
    assert len(plain) == len(fast) == 10
    for a, b in zip(plain, fast):
        assert a["step"] == b["step"] and a["accuracy"] == b["accuracy"]
        assert close(float(a["loss"]), float(b["loss"]), rel=1e-9)


# ---- errors ----


def test_bad_models_divergences_inputs_and_targets_are_explained():
    """Clear errors: what was received and what is expected."""
    model = nn.MLP(2, [3, 2], output="softmax", seed=0)
    with pytest.raises(TypeError, match="needs a model"):
        nn.compile(lambda x: x, nn.cross_entropy)
    with pytest.raises(TypeError, match="needs a divergence"):
        nn.compile(model, "cross_entropy")
    loss = nn.compile(model, nn.cross_entropy)
    with pytest.raises(TypeError, match="x as a list of numbers"):
        loss.backward(0.5, 1)
    with pytest.raises(ValueError, match="this MLP takes 2 inputs"):
        loss.backward([0.1], 1)  # refused by the model while tracing; nothing is kept
    loss.backward([0.1, 0.2], 1)
    with pytest.raises(TypeError, match="list of 2 numbers .* got 3"):
        loss.backward([0.1, 0.2, 0.3], 1)
    with pytest.raises(ValueError, match="class index 0 <= c < 2"):
        loss.backward([0.1, 0.2], 5)
    with pytest.raises(TypeError, match="d made of numbers"):
        loss.backward([0.1, 0.2], [[1.0], [0.0]])
    l2 = nn.compile(nn.MLP(2, [2], seed=0), nn.l2_divergence)
    l2.backward([0.1, 0.2], [1.0, 0.0])
    with pytest.raises(ValueError, match="y has 2 outputs, d has 3 values"):
        l2.backward([0.1, 0.2], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="finite desired values"):
        l2.backward([0.1, 0.2], [1.0, math.inf])
    with pytest.raises(TypeError, match="number or a list of numbers"):
        l2.backward([0.1, 0.2], "1.0")
    with pytest.raises(TypeError, match="divergence to return a Value"):
        nn.compile(model, lambda y, d: 0.0).backward([0.1, 0.2], 0)


class Branchy(nn.Module):
    """A model whose graph follows the data: Python control flow on .data."""

    def __init__(self):
        self.w = Value(0.5)

    def named_parameters(self):
        yield "w", self.w

    def __call__(self, x):
        return [self.w * x[0] if x[0].data > 0 else (self.w * x[0]).tanh()]


def test_a_model_whose_graph_follows_the_data_is_refused():
    """compile says the graph depends on the numbers, before any gradient is touched."""
    loss = nn.compile(Branchy(), nn.l2_divergence)
    with pytest.raises(ValueError, match="graph depends on its arguments' numbers"):
        loss.backward([-0.2], 0.0)
    assert loss.model.w.grad == 0.0


def test_repr_and_source():
    """The repr names divergence and model; a program's source is readable Python."""
    model = nn.MLP(2, [2, 2], output="softmax", seed=0)
    loss = nn.compile(model, nn.cross_entropy)
    source = loss.program([0.5, -0.5], 0).source
    assert "def run(leaves, x_1, x_2, scale, backward=False):" in source
    assert "# layer 2: y = softmax(z)" in source
    assert "leaves[0].grad += " in source
    compile(source, "<test>", "exec")
    assert repr(loss) == ("<compiled cross_entropy loss of MLP(2, [2, 2], activation='tanh', "
                          "output='softmax'): 1 program so far>")


# ---- autograd.compile(has_aux=True) ----


def test_has_aux_returns_values_beside_the_loss():
    """(value, [aux numbers]); aux nodes outside value's graph are computed, get no gradient."""
    w = Value(0.5, label="w")
    fn = lambda x: ((w * x).exp(), [w * x, (w + x).tanh(), w])  # noqa: E731
    program = autograd.compile(fn, (1.0,), has_aux=True, check=True)
    value, aux = program.backward(2.0)
    assert value == math.exp(1.0) and aux == [1.0, math.tanh(2.5), 0.5]
    assert w.grad == 2.0 * math.exp(1.0)  # d/dw exp(w x) only: the aux add no gradient
    assert program(2.0) == (value, aux)
    assert program.has_aux and "return exp" in program.source


def test_has_aux_keeps_the_gradients_of_the_plain_program():
    """The same loss with and without aux: the same gradients, bit for bit."""
    model = nn.MLP(3, [4, 3], activation="relu", output="softmax", seed=0)
    plain = autograd.compile(lambda a, b, c: nn.cross_entropy(model([a, b, c]), 1), (0., 1., 2.))

    def with_outputs(a, b, c):
        y = model([a, b, c])
        return nn.cross_entropy(y, 1), y

    both = autograd.compile(with_outputs, (0.0, 1.0, 2.0), has_aux=True)
    model.zero_grad()
    value = plain.backward(0.3, -0.2, 0.9)
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    pair = both.backward(0.3, -0.2, 0.9)
    assert pair[0] == value and [p.grad for p in model.parameters()] == grads
    assert pair[1] == [y.data for y in model([0.3, -0.2, 0.9])]


def test_has_aux_refuses_what_is_not_a_value_and_a_list():
    """fn must return (Value, list of Values) under has_aux=True."""
    with pytest.raises(TypeError, match=r"pair \(value, aux\)"):
        autograd.compile(lambda x: x * 2, (1.0,), has_aux=True)
    with pytest.raises(TypeError, match="aux as a list of Values"):
        autograd.compile(lambda x: (x * 2, [1.0]), (1.0,), has_aux=True)
    with pytest.raises(TypeError, match="one Value"):
        autograd.compile(lambda x: ([x], [x]), (1.0,), has_aux=True)


def test_a_compiled_kl_refuses_outputs_that_are_not_probabilities_on_every_sample():
    """kl_divergence after a linear output: the compiled loss checks y on each sample, as the
    dynamic divergence does, and adds no gradient when it refuses."""
    model = nn.MLP(2, [3, 2], activation="tanh", output="linear", seed=0)
    compiled = nn.compile(model, nn.kl_divergence)
    refused = 0
    for x in ([0.1, 0.2], [2.0, -1.0], [-2.5, 1.5], [3.0, 3.0]):
        model.zero_grad()
        try:
            compiled.backward(x, [0.5, 0.5])
        except ValueError as error:
            refused += 1
            assert "kl_divergence" in str(error) or "log is undefined" in str(error)
            assert all(p.grad == 0.0 for p in model.parameters())
    assert refused > 0
