"""nn.SGD and the learning-rate schedules: the update rules in closed form, and bad arguments."""

import math

import pytest

import nn
from autograd import Value
from nn.optim import make_schedule


def with_grads(pairs):
    """Leaves with given (data, grad)."""
    values = []
    for data, grad in pairs:
        v = Value(data)
        v.grad = grad
        values.append(v)
    return values


def test_step_is_w_minus_lr_times_slope_and_returns_the_largest_change():
    """w ← w - lr · ∂L/∂w for every parameter; step() returns max |lr · slope|."""
    w = with_grads([(1.0, 0.5), (-2.0, -3.0), (0.0, 0.0)])
    largest = nn.SGD(w, lr=0.1).step()
    assert [v.data for v in w] == pytest.approx([0.95, -1.7, 0.0], rel=1e-15)
    assert largest == pytest.approx(0.3, rel=1e-15)


def test_step_leaves_grad_alone_and_zero_grad_clears_it():
    """step() reads .grad without changing it; zero_grad() sets it to 0."""
    w = with_grads([(1.0, 0.5)])
    optimizer = nn.SGD(w, lr=0.1, weight_decay=0.5)
    optimizer.step()
    assert w[0].grad == 0.5
    optimizer.zero_grad()
    assert w[0].grad == 0.0


def test_momentum_keeps_a_velocity():
    """v ← μ v + g, w ← w - lr v: two steps with a constant slope g move 1 + (1 + μ) times lr g."""
    (w,) = with_grads([(0.0, 1.0)])
    optimizer = nn.SGD([w], lr=0.1, momentum=0.9)
    assert optimizer.step() == pytest.approx(0.1)
    assert optimizer.step() == pytest.approx(0.19)
    assert w.data == pytest.approx(-0.29, rel=1e-14)


def test_weight_decay_adds_lambda_w_to_the_slope():
    """The slope becomes g + λ w (the gradient of λ/2 · w² added to the loss)."""
    (w,) = with_grads([(2.0, 1.0)])
    nn.SGD([w], lr=0.1, weight_decay=0.5).step()
    assert w.data == pytest.approx(2.0 - 0.1 * (1.0 + 0.5 * 2.0), rel=1e-15)


def test_sgd_minimizes_a_quadratic():
    """Gradient descent on (w - 3)² converges to 3."""
    w = Value(0.0)
    optimizer = nn.SGD([w], lr=0.1)
    for _ in range(200):
        optimizer.zero_grad()
        ((w - 3.0) ** 2).backward()
        optimizer.step()
    assert w.data == pytest.approx(3.0, abs=1e-12)


def test_a_schedule_is_called_with_the_number_of_steps_taken():
    """lr may be a callable step -> lr; step k uses lr(k), k = 0, 1, 2, ..."""
    (w,) = with_grads([(0.0, 1.0)])
    calls = []
    optimizer = nn.SGD([w], lr=lambda step: calls.append(step) or 0.1 * (step + 1))
    changes = [optimizer.step() for _ in range(3)]
    assert calls == [0, 1, 2] and optimizer.steps == 3
    assert changes == pytest.approx([0.1, 0.2, 0.3])


def test_schedules_in_closed_form():
    """constant, step, exponential and linear decay at a few steps."""
    assert [nn.constant(0.3)(s) for s in (0, 10)] == [0.3, 0.3]
    assert [nn.step_decay(1.0, 0.5, every=10)(s) for s in (0, 9, 10, 25)] == [1, 1, 0.5, 0.25]
    assert [nn.exponential_decay(2.0, 0.5)(s) for s in (0, 1, 3)] == [2.0, 1.0, 0.25]
    assert [nn.linear_decay(1.0, 0.0, 4)(s) for s in (0, 1, 4, 8)] == [1.0, 0.75, 0.0, 0.0]


def test_named_schedules_start_at_lr_and_decay_over_the_run():
    """make_schedule: linear and exponential end at lr/10, step halves every quarter."""
    assert make_schedule("constant", 0.5, 100)(99) == 0.5
    assert make_schedule("linear", 1.0, 100)(100) == pytest.approx(0.1)
    assert make_schedule("exponential", 1.0, 100)(100) == pytest.approx(0.1)
    assert [make_schedule("step", 1.0, 100)(s) for s in (24, 25, 99)] == [1.0, 0.5, 0.125]
    with pytest.raises(ValueError, match="unknown schedule 'cosine'; choose one of: constant"):
        make_schedule("cosine", 1.0, 100)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0.0}, ValueError, "lr must be a finite number with 0 < lr, got 0.0"),
    ({"lr": -1.0}, ValueError, "lr must be"),
    ({"lr": math.inf}, ValueError, "lr must be a finite number"),
    ({"lr": "0.1"}, TypeError, "lr must be a number, got str: '0.1'"),
    ({"lr": True}, TypeError, "lr must be a number, got bool"),
    ({"lr": 0.1, "momentum": 1.0}, ValueError, r"0 <= momentum < 1"),
    ({"lr": 0.1, "momentum": -0.1}, ValueError, "momentum"),
    ({"lr": 0.1, "weight_decay": -1.0}, ValueError, "weight_decay"),
])
def test_bad_sgd_arguments_are_refused(kwargs, error, message):
    """lr > 0, 0 <= momentum < 1, weight_decay >= 0, with messages naming them."""
    with pytest.raises(error, match=message):
        nn.SGD([Value(1.0)], **kwargs)


def test_sgd_needs_values():
    """An empty or non-Value parameter list is refused."""
    for params in ([], [1.0]):
        with pytest.raises(ValueError, match="non-empty list of Values"):
            nn.SGD(params, lr=0.1)


def test_sgd_given_the_model_hints_at_its_parameters():
    """SGD(model, lr) is a TypeError that says to pass model.parameters()."""
    with pytest.raises(TypeError, match=r"got the model itself \(MLP\): pass model\.parameters"):
        nn.SGD(nn.MLP(2, [1], seed=0), 0.1)
    with pytest.raises(TypeError, match="SGD needs a list of Values .* got float: 0.5"):
        nn.SGD(0.5, 0.1)


def test_optimizer_accepts_any_real_number():
    """lr, momentum as numpy floats or Fractions: the one shared number check takes any Real."""
    from fractions import Fraction

    np = pytest.importorskip("numpy")
    optimizer = nn.SGD([Value(1.0)], np.float32(0.5), momentum=Fraction(1, 2))
    assert optimizer.current_lr() == 0.5


def test_a_schedule_returning_a_bad_rate_is_reported():
    """A schedule that yields a negative rate fails at that step, in a readable sentence."""
    optimizer = nn.SGD(with_grads([(0.0, 1.0)]), lr=lambda step: 0.1 - step)
    optimizer.step()
    with pytest.raises(ValueError, match=r"^lr from the schedule at step 1 must be a finite "
                                         r"number with 0 <= lr, got -0\.9$"):
        optimizer.step()


@pytest.mark.parametrize("make", [lambda: nn.step_decay(1.0, every=0),
                                  lambda: nn.exponential_decay(1.0, 1.5),
                                  lambda: nn.linear_decay(1.0, 0.1, 0),
                                  lambda: nn.constant(-1.0)])
def test_bad_schedule_arguments_are_refused(make):
    """Schedules check their numbers when made."""
    with pytest.raises(ValueError, match="must be a (finite|whole) number"):
        make()


def test_a_non_finite_gradient_is_an_error_before_any_weight_moves():
    """SGD.step refuses an inf or nan gradient (OverflowError) and leaves every weight as it was."""
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 0.5, float("nan")
    optimizer = nn.SGD([a, b], lr=0.1)
    with pytest.raises(OverflowError, match="gradient of parameter 1 is nan"):
        optimizer.step()
    assert (a.data, b.data) == (1.0, 2.0)


def test_a_step_that_would_overflow_a_weight_is_refused_before_any_weight_moves():
    """A finite slope times a huge lr overflows: OverflowError naming the parameter (its index
    and label) and the numbers; no weight, velocity or step count has changed."""
    a, b, c = Value(1.0, label="w_1"), Value(2.0, label="w_2"), Value(3.0)
    a.grad, b.grad, c.grad = 0.5, 10.0, 0.0
    optimizer = nn.SGD([a, b, c], lr=0.1, momentum=0.5)
    optimizer.step()
    weights, velocity = [a.data, b.data, c.data], list(optimizer.velocity)
    optimizer.lr = 1e308
    with pytest.raises(OverflowError, match=r"the step would make parameter 1 \(w_2\) -inf: "
                                            r"1\.0 - lr 1e\+308 × slope 15\.0 overflowed"):
        optimizer.step()
    assert [a.data, b.data, c.data] == weights
    assert optimizer.velocity == velocity and optimizer.steps == 1


def test_a_slope_overflowed_by_weight_decay_is_refused():
    """g + λ w can overflow although g is finite; an unlabelled parameter is named by its index."""
    w = Value(-1e308)
    w.grad = -1e308
    optimizer = nn.SGD([Value(0.0), w], lr=1e-300, weight_decay=1.0)
    with pytest.raises(OverflowError, match=r"the step would make parameter 1 inf: -1e\+308 - "
                                            r"lr 1e-300 × slope -inf overflowed"):
        optimizer.step()
    assert w.data == -1e308 and optimizer.steps == 0


def test_a_huge_lr_stops_as_diverged_the_same_way_compiled_or_not(monkeypatch):
    """lr = 1000 on moons: nan gradients stop training as "diverged" in both modes, same step.
    (The per-sample programs, number for number; the batch backend's diverging runs are in
    tests/nn/test_batch_training.py.)"""
    monkeypatch.setattr(nn.training, "numpy_available", lambda: False)
    X, D = nn.datasets.moons(100, noise=0.1, seed=0)
    runs = []
    for compile_ in (False, True):
        model = nn.MLP(2, [3, 2], output="softmax", seed=0)
        runs.append(nn.train(model, X, D, nn.cross_entropy, lr=1e3, max_steps=50,
                             progress=False, compile=compile_))
    assert [run.stopped_by for run in runs] == ["diverged", "diverged"]
    assert runs[0].loss == runs[1].loss
    assert runs[0].stop_reason == runs[1].stop_reason
