"""nn.train(..., compile=True) on the batch backend: the per-sample compiled path's History.

Steps of several samples (batch, minibatch) run each group of samples (one per pattern of d) as
one array program (nn.compiled_batch); sgd keeps the scalar program. Every step's loss, largest
change and accuracy, and the final weights, equal the per-sample path's within 1e-12 relative.
"""

from __future__ import annotations

import math

import pytest
from divergence_cases import DIVERGENCES, NAMES

pytest.importorskip("numpy")

import nn  # noqa: E402
import nn.training  # noqa: E402
from autograd import define_op  # noqa: E402
from autograd import functions as F  # noqa: E402, N812
from nn.compiled_batch import BatchLoss  # noqa: E402


def close_lists(xs, ys, rel: float = 1e-12, abs_: float = 1e-14) -> bool:
    return len(xs) == len(ys) and all(math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
                                      for a, b in zip(xs, ys))


def both_ways(monkeypatch, make_model, X, D, divergence, **options):
    """(History, weights) trained with compile=True on the batch backend, then on the
    per-sample programs alone (numpy reported missing), from the same start."""
    runs = []
    for batch_backend in (True, False):
        monkeypatch.setattr(nn.training, "numpy_available", lambda on=batch_backend: on)
        model = make_model()
        history = nn.train(model, X, D, divergence, progress=False, compile=True, **options)
        runs.append((history, [p.data for p in model.parameters()]))
    return runs


def check_same(runs, steps: int) -> None:
    (fast, fast_weights), (plain, plain_weights) = runs
    assert fast.steps == plain.steps == steps and fast.stopped_by == plain.stopped_by
    assert close_lists(fast.loss, plain.loss)
    assert close_lists(fast.largest_step, plain.largest_step)
    assert fast.accuracy == plain.accuracy and fast.lr == plain.lr
    assert close_lists(fast_weights, plain_weights, abs_=1e-15)


@pytest.mark.parametrize("mode, batch_size", [("batch", None), ("minibatch", 7)])
@pytest.mark.parametrize("divergence, output, target", DIVERGENCES, ids=NAMES)
def test_every_divergence_trains_as_the_per_sample_path(monkeypatch, divergence, output,
                                                        target, mode, batch_size):
    """Every step of a seeded run with momentum: the same History and weights."""
    X, C = nn.datasets.moons(30, seed=0)
    k = 1 if divergence in (nn.binary_cross_entropy, nn.hinge) else 2
    runs = both_ways(monkeypatch, lambda: nn.MLP(2, [5, k], activation="tanh", output=output,
                                                  seed=1),
                     X, [target(c) for c in C], divergence, lr=0.3, mode=mode,
                     batch_size=batch_size, max_steps=25, tol=0, seed=2, momentum=0.5)
    check_same(runs, 25)


def test_a_define_op_activation_trains_as_the_per_sample_path(monkeypatch):
    """An activation of the learner's own, without an array form (np.vectorize)."""
    import math as m
    softplus = define_op("softplus_t", lambda x: m.log1p(m.exp(x)),
                         lambda x, out: F.sigmoid(x), formula="σ(x)")
    X, D = nn.datasets.blobs(40, seed=0)
    runs = both_ways(monkeypatch, lambda: nn.MLP(2, [6, 3], activation=softplus,
                                                  output="softmax", seed=0),
                     X, D, nn.cross_entropy, lr=0.2, max_steps=15, tol=0)
    check_same(runs, 15)


def test_the_digits_train_as_the_per_sample_path(monkeypatch):
    """Notebook 08's model, 64-32-10 with a softmax, on 300 digits: the same History."""
    pytest.importorskip("sklearn")
    X, D = nn.datasets.digits(300, seed=0)
    runs = both_ways(monkeypatch, lambda: nn.MLP(64, [32, 10], activation="tanh",
                                                  output="softmax", seed=0),
                     X, D, nn.cross_entropy, lr=0.5, max_steps=4, tol=0)
    check_same(runs, 4)


def test_sgd_keeps_the_scalar_program(monkeypatch):
    """One sample a step: the per-sample program, so the very same floats."""
    X, D = nn.datasets.moons(20, seed=0)
    (fast, fast_weights), (plain, plain_weights) = both_ways(
        monkeypatch, lambda: nn.MLP(2, [4, 2], output="softmax", seed=0), X, D,
        nn.cross_entropy, lr=0.1, mode="sgd", max_steps=30, tol=0, seed=1)
    assert fast.loss == plain.loss and fast_weights == plain_weights


def test_a_diverging_run_stops_as_diverged_at_the_same_step(monkeypatch):
    """An lr that drives a softmax output to 0: the batch step sees a log of 0, and the step is
    run again sample by sample, which stops training with the engine's reason."""
    X, D = nn.datasets.moons(30, seed=0)
    (fast, _), (plain, _) = both_ways(monkeypatch, lambda: nn.MLP(2, [5, 2], output="softmax",
                                                                   seed=1),
                                      X, D, nn.cross_entropy, lr=1e6, max_steps=50)
    assert fast.stopped_by == plain.stopped_by == "diverged"
    assert fast.steps == plain.steps and fast.stop_reason == plain.stop_reason
    assert close_lists(fast.loss, plain.loss)


def test_a_class_index_out_of_range_is_refused_as_per_sample(monkeypatch):
    """cross_entropy's own ValueError, as without the batch backend."""
    X, D = nn.datasets.moons(10, seed=0)
    D = [*D[:-1], 2]  # two outputs: class 2 does not exist
    for batch_backend in (True, False):
        monkeypatch.setattr(nn.training, "numpy_available", lambda on=batch_backend: on)
        with pytest.raises(ValueError, match=r"cross_entropy needs a class index 0 <= c < 2"):
            nn.train(nn.MLP(2, [3, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                     lr=0.1, max_steps=2, progress=False, compile=True)


def test_outputs_that_are_not_probabilities_are_refused_as_per_sample():
    """kl_divergence after a tanh output: the per-sample path's ValueError, from the batch."""
    X, D = nn.datasets.moons(10, seed=0)
    model = nn.MLP(2, [3, 2], activation="tanh", output="tanh", seed=0)
    batch = BatchLoss(nn.compile(model, nn.kl_divergence))
    with pytest.raises(ValueError, match="probabilities"):
        batch.gradients(X, [nn.one_hot(d, 2) for d in D])
    assert all(p.grad == 0.0 for p in model.parameters())
