"""The batch backend (Program.batch()): the scalar program's numbers over a whole batch at once.

The contract: batch(*columns) is the scalar program's value for each column; batch.backward adds
to each free leaf's .grad the sum over the columns of what the scalar program adds, and
per_sample_gradients keeps them apart, all within 1e-12 relative (sums are added in another
order). Layers become matrix products; graphs without layers run op by op; a row without an
array form runs its float function per sample (np.vectorize) or is refused, naming the row.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import textwrap

import pytest

np = pytest.importorskip("numpy")

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd import Value, define_op  # noqa: E402
from autograd import functions as F  # noqa: E402, N812


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def scalar_results(program, samples):
    """(values, summed gradients, per-sample gradients) from the scalar program."""
    values, per_sample = [], []
    for args in samples:
        for leaf in program.free_leaves:
            leaf.grad = 0.0
        values.append(program.backward(*args))
        per_sample.append([leaf.grad for leaf in program.free_leaves])
    summed = [math.fsum(column) for column in zip(*per_sample)]
    for leaf in program.free_leaves:
        leaf.grad = 0.0
    return values, summed, per_sample


def check_against_scalar(program, samples, **options):
    """The batch program's values, summed and per-sample gradients equal the scalar program's."""
    values, summed, per_sample = scalar_results(program, samples)
    batch = program.batch(**options)
    columns = [list(column) for column in zip(*samples)]
    batch_values = batch.backward(*columns)
    if program.has_aux:
        values = [v[0] for v in values]
        batch_values = batch_values[0]
    assert all(close(a, b) for a, b in zip(batch_values.tolist(), values))
    assert all(close(leaf.grad, g) for leaf, g in zip(program.free_leaves, summed))
    grads = batch.per_sample_gradients(*columns)  # a row per leaf, in batch.free_leaves' order
    assert grads.shape == (len(program.free_leaves), len(samples))
    row_of = {id(leaf): i for i, leaf in enumerate(batch.free_leaves)}
    assert sorted(row_of.values()) == list(range(len(program.free_leaves)))
    for k, leaf in enumerate(program.free_leaves):
        assert all(close(a, column[k]) for a, column in zip(grads[row_of[id(leaf)]].tolist(),
                                                            per_sample))
    return batch


def points(n: int, width: int, seed: int = 0) -> list[tuple[float, ...]]:
    rng = random.Random(seed)
    return [tuple(rng.uniform(-1.5, 1.5) for _ in range(width)) for _ in range(n)]


# ---- equality with the scalar program ----


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "sin"])
def test_an_mlp_loss_is_layers_and_equals_the_scalar_program(activation):
    """MLP 3-5-4-1 and an l2 loss: two layers as matrix products, the same numbers."""
    model = nn.MLP(3, [5, 4, 1], activation=activation, seed=0)
    program = autograd.compile(lambda a, b, c, d: (model([a, b, c])[0] - d) ** 2,
                               (0.1, 0.2, 0.3, 0.5))
    batch = check_against_scalar(program, [(*x, 0.25) for x in points(9, 3)])
    assert "Z1 = W1 @ X + b1[:, None]" in batch.source
    assert "g_Y1 = W2.T @ g_Z2" in batch.source
    assert "grad[0:15] += (g_Z1 @ X.T).ravel()" in batch.source


@pytest.mark.parametrize("divergence, target", [(nn.cross_entropy, 2),
                                                (nn.kl_divergence, [0.0, 0.0, 1.0])])
def test_a_softmax_classifier_equals_the_scalar_program(divergence, target):
    """Softmax and a divergence that reads one output: rows of the matrices, the same numbers."""
    model = nn.MLP(2, [6, 3], activation="tanh", output="softmax", seed=1)
    program = autograd.compile(lambda a, b: (divergence(model([a, b]), target), model([a, b])),
                               (0.3, -0.2), has_aux=True)
    check_against_scalar(program, points(12, 2, seed=1))


def test_graphs_without_layers_run_op_by_op():
    """A graph of * + / exp log max and a power, no affine node: the same numbers, no matrix."""
    w, v = Value(0.7, label="w"), Value(-0.4, label="v")

    def fn(x, y):
        a = (w * x + v).exp() / (1.0 + y * y)
        return (a + autograd.detached_max([a, x])).log() * w + (v - x) ** 3

    program = autograd.compile(fn, (0.5, 0.2))
    batch = check_against_scalar(program, points(7, 2, seed=2), layers=True)
    assert "@" not in batch.source and "np.exp(" in batch.source
    check_against_scalar(program, points(7, 2, seed=3), layers=False)


def test_layers_false_runs_an_mlp_op_by_op_with_the_same_numbers():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=3)
    program = autograd.compile(lambda a, b: model([a, b])[0] * 2.0, (0.1, 0.2))
    batch = check_against_scalar(program, points(5, 2), layers=False)
    assert "@" not in batch.source


def test_a_layer_whose_input_is_not_a_vector_stacks_its_rows():
    """Inputs from different places (an argument and a product) are stacked: np.stack."""
    w = Value(0.3, label="w")
    layer = nn.Layer(2, 3, activation="tanh", seed=0)
    program = autograd.compile(lambda x, y: sum_all(layer([x * w, y])), (0.2, 0.4))
    batch = check_against_scalar(program, points(6, 2, seed=4))
    assert "np.stack(" in batch.source and "@" in batch.source


def sum_all(values):
    return autograd.sum_of(values)


# ---- rows without an array form ----


def test_a_define_op_without_an_array_form_runs_per_sample():
    """np.vectorize of its float function: the same numbers."""
    softplus = define_op("softplus_b", lambda x: math.log1p(math.exp(x)),
                         lambda x, out: F.sigmoid(x), formula="σ(x)")
    model = nn.MLP(2, [3, 1], activation=softplus, seed=0)
    program = autograd.compile(lambda a, b: model([a, b])[0], (0.1, 0.2))
    batch = check_against_scalar(program, points(6, 2))
    assert "softplus_b(" in batch.source


def test_a_define_op_with_an_array_form_is_written_with_it():
    softplus = define_op("softplus_c", lambda x: math.log1p(math.exp(x)),
                         lambda x, out: F.sigmoid(x), array="np.log1p(np.exp(x))")
    model = nn.MLP(2, [3, 1], activation=softplus, seed=0)
    program = autograd.compile(lambda a, b: model([a, b])[0], (0.1, 0.2))
    batch = check_against_scalar(program, points(6, 2), vectorize=False)
    assert "np.log1p(np.exp(Z1))" in batch.source


def test_vectorize_false_refuses_a_row_without_an_array_form_naming_it():
    cube = define_op("cube_b", lambda x: x ** 3, lambda x, out: 3 * x * x)
    program = autograd.compile(lambda x: cube(x), (0.5,))
    with pytest.raises(TypeError, match="op 'cube_b' has no array form"):
        program.batch(vectorize=False)
    assert program.batch()([0.5, 2.0]).tolist() == [0.125, 8.0]


def test_define_op_refuses_an_array_form_that_is_not_text():
    with pytest.raises(TypeError, match="define_op needs array as a str"):
        define_op("cube_c", lambda x: x ** 3, lambda x, out: 3 * x * x, array=lambda x: x)


# ---- shapes and arguments ----


def test_a_constant_output_is_one_number_per_sample():
    w = Value(2.0, label="w")
    program = autograd.compile(lambda x: w * w, (1.0,))
    batch = program.batch()
    assert batch([1.0, 2.0, 3.0]).tolist() == [4.0, 4.0, 4.0]
    w.grad = 0.0
    batch.backward([1.0, 2.0, 3.0])
    assert w.grad == 12.0  # 2w per sample, summed over three


def test_a_sample_the_engine_refuses_raises_the_engines_error():
    """log of 0 in one sample: numpy would give -inf; the batch program raises what the scalar
    program raises for that sample, and no .grad changes."""
    w = Value(1.0, label="w")
    batch = autograd.compile(lambda x: (w * x).log(), (1.0,)).batch()
    assert batch([1.0, math.e]).tolist() == [0.0, 1.0]
    with pytest.raises(autograd.LogOfZeroError, match="log is undefined for 0.0"):
        batch.backward([1.0, 0.0, 2.0])
    assert w.grad == 0.0
    with pytest.raises(ValueError, match="log is undefined for -1.0"):
        batch([-1.0])


def test_a_batch_program_says_what_it_takes():
    program = autograd.compile(lambda x, y: x * y, (1.0, 2.0))
    with pytest.raises(TypeError, match=r"takes 2 columns \(x, y\).*got 1"):
        program.batch()([1.0, 2.0])


def test_the_engine_and_compile_work_without_numpy():
    """numpy blocked from import: autograd, compile and nn.train(compile=True) still run (the
    scalar programs), and batch() says what to install."""
    code = textwrap.dedent("""
        import sys
        sys.modules["numpy"] = None          # import numpy now raises ImportError
        import autograd, nn
        prog = autograd.compile(lambda x: (x * 2.0).tanh(), (0.5,))
        assert prog(0.5) > 0
        X, D = nn.datasets.moons(10, seed=0)
        model = nn.MLP(2, [3, 2], output="softmax", seed=0)
        nn.train(model, X, D, nn.cross_entropy, lr=0.1, max_steps=2, progress=False,
                 compile=True)
        try:
            prog.batch()
        except ImportError as error:
            assert "chainrule[fast]" in str(error)
        else:
            raise AssertionError("batch() ran without numpy")
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
