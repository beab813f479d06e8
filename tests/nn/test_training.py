"""nn.train: the course's algorithm (average over T of per-sample backward passes), the three
modes, the stop rule and its reason, History, and what train learns on line, moons, spiral."""

import math
import re

import pytest

import nn
from autograd import sum_of
from nn.training import batch_gradients, batch_plan, classifier


def quiet(**kwargs):
    return {"progress": False, **kwargs}


def least_squares(X, D):
    """The closed-form line fit (slope, intercept) minimizing Σ (slope x + intercept - d)²."""
    xs = [x for (x,) in X]
    n, mean_x, mean_d = len(xs), sum(xs) / len(xs), sum(D) / len(D)
    slope = sum((x - mean_x) * (d - mean_d) for x, d in zip(xs, D)) / \
        sum((x - mean_x) ** 2 for x in xs)
    assert n > 1
    return slope, mean_d - slope * mean_x


def test_line_without_noise_recovers_slope_and_intercept():
    """One linear neuron trained on d = 2x - 1 ends at w = 2, b = -1, stopped by tol."""
    X, D = nn.datasets.line(30, noise=0.0, seed=0, slope=2.0, intercept=-1.0)
    model = nn.MLP(1, [1], output="linear", seed=0)
    history = nn.train(model, X, D, nn.l2_divergence, lr=0.5, max_steps=2000, tol=1e-9,
                       **quiet())
    w, b = (p.data for p in model.parameters())
    assert (w, b) == (pytest.approx(2.0, abs=1e-7), pytest.approx(-1.0, abs=1e-7))
    assert history.stopped_by == "tol" and history.accuracy is None


def test_line_with_noise_reaches_the_least_squares_fit():
    """With noisy d, gradient descent on the mean ½(y - d)² lands on the closed-form fit."""
    X, D = nn.datasets.line(40, noise=0.3, seed=2, slope=-1.5, intercept=0.5)
    model = nn.Neuron(1, "linear")
    nn.train(model, X, D, nn.l2_divergence, lr=0.5, max_steps=3000, tol=1e-12, **quiet())
    slope, intercept = least_squares(X, D)
    assert model.w[0].data == pytest.approx(slope, abs=1e-9)
    assert model.b.data == pytest.approx(intercept, abs=1e-9)
    assert abs(slope + 1.5) < 0.3 and abs(intercept - 0.5) < 0.3


def test_gradients_are_averaged_over_the_batch():
    """batch_gradients leaves .grad = ∂/∂w of (1/T) Σ_t Div_t, and returns that mean."""
    X, D = nn.datasets.moons(12, seed=1)
    a, b = (nn.MLP(2, [4, 2], output="softmax", seed=3) for _ in range(2))
    loss, correct = batch_gradients(a, X, D, nn.cross_entropy, classifier(D))
    mean = sum_of([nn.cross_entropy(b(x), d) for x, d in zip(X, D)]) * (1 / len(X))
    mean.backward()
    assert loss == pytest.approx(mean.data, rel=1e-12)
    assert [p.grad for p in a.parameters()] == pytest.approx([p.grad for p in b.parameters()],
                                                             rel=1e-9, abs=1e-15)
    assert correct == sum(nn.accuracy(a, [x], [d]) for x, d in zip(X, D))


def test_one_step_is_one_gradient_descent_update():
    """After one batch step: w_new = w_old - lr · ∂(mean Div)/∂w, for every parameter."""
    X, D = nn.datasets.blobs(9, seed=0)
    model, reference = (nn.MLP(2, [3, 3], output="softmax", seed=1) for _ in range(2))
    batch_gradients(reference, X, D, nn.cross_entropy)
    nn.train(model, X, D, nn.cross_entropy, lr=0.3, max_steps=1, **quiet())
    expected = [p.data - 0.3 * p.grad for p in reference.parameters()]
    assert [p.data for p in model.parameters()] == pytest.approx(expected, rel=1e-12)


def test_moons_reach_high_accuracy():
    """A 2-8-2 softmax MLP learns 100 moons to >= 95% in 150 batch steps."""
    X, D = nn.datasets.moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 2], activation="tanh", output="softmax", seed=0)
    history = nn.train(model, X, D, nn.cross_entropy, lr=1.0, max_steps=150, **quiet())
    assert nn.accuracy(model, X, D) >= 0.95
    assert history.loss[-1] < 0.3 * history.loss[0]


def test_three_class_spiral_reaches_high_accuracy():
    """A 2-16-3 softmax MLP separates 60 points of a 3-arm spiral (>= 90%) in 200 steps.
    Trained compiled, for speed: the same numbers (test_compile), the moons above dynamic."""
    X, D = nn.datasets.spiral(60, seed=0)
    model = nn.MLP(2, [16, 3], activation="tanh", output="softmax", seed=0)
    nn.train(model, X, D, nn.cross_entropy, lr=1.0, max_steps=200, compile=True, **quiet())
    assert nn.accuracy(model, X, D) >= 0.9


def test_sgd_mode_uses_one_shuffled_sample_per_step():
    """mode="sgd": each step sees one sample; every pass visits each sample once."""
    seen = []
    model = nn.MLP(1, [1], output="linear", seed=0)
    recording = lambda x: seen.append(x[0]) or model(x)  # noqa: E731
    recording.parameters = model.parameters
    X = [[float(i)] for i in range(5)]
    nn.train(recording, X, [0.0] * 5, nn.l2_divergence, lr=1e-3, mode="sgd", max_steps=10,
             tol=0, seed=0, **quiet())
    assert len(seen) == 10
    assert sorted(seen[:5]) == sorted(seen[5:]) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert seen != [0.0, 1.0, 2.0, 3.0, 4.0] * 2  # shuffled, not in order


def test_minibatch_mode_walks_through_shuffled_batches():
    """mode="minibatch": batches of batch_size (the last one of a pass smaller), covering all."""
    plan = batch_plan("minibatch", 10, 4, seed=1)
    batches = [next(plan) for _ in range(6)]
    assert [len(b) for b in batches] == [4, 4, 2, 4, 4, 2]
    assert sorted(sum(batches[:3], [])) == sorted(sum(batches[3:], [])) == list(range(10))
    assert next(batch_plan("batch", 3, None, seed=0)) == [0, 1, 2]


def test_sgd_and_minibatch_modes_learn():
    """Both stochastic modes fit the line data (loss falls to near zero)."""
    X, D = nn.datasets.line(20, noise=0.0, seed=3)
    for mode, size in (("sgd", None), ("minibatch", 5)):
        model = nn.MLP(1, [1], output="linear", seed=0)
        history = nn.train(model, X, D, nn.l2_divergence, lr=0.3, mode=mode, batch_size=size,
                           max_steps=300, tol=0, seed=0, **quiet())
        assert history.loss[-1] < 1e-6, mode


def test_same_seed_same_history():
    """Training is deterministic given the model's seed and train's seed."""
    X, D = nn.datasets.moons(30, seed=0)
    runs = [nn.train(nn.MLP(2, [4, 2], output="softmax", seed=1), X, D, nn.cross_entropy,
                     lr=0.5, mode="minibatch", batch_size=7, max_steps=20, seed=5, **quiet())
            for _ in range(2)]
    assert runs[0].loss == runs[1].loss and runs[0].accuracy == runs[1].accuracy


def test_stop_rule_max_steps_says_so():
    """Without convergence, training runs max_steps and says it reached them."""
    X, D = nn.datasets.moons(20, seed=0)
    history = nn.train(nn.MLP(2, [3, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                       lr=0.1, max_steps=7, **quiet())
    assert history.steps == 7 and history.stopped_by == "max_steps"
    assert history.stop_reason == "took all 7 steps it was given"


def test_stop_rule_tol_stops_at_the_first_small_step():
    """It stops at the first step whose largest change max|Δw| is below tol, and says so."""
    X, D = nn.datasets.line(10, noise=0.0, seed=0)
    history = nn.train(nn.MLP(1, [1], output="linear", seed=0), X, D, nn.l2_divergence,
                       lr=0.5, max_steps=1000, tol=1e-4, **quiet())
    assert history.stopped_by == "tol"
    assert history.largest_step[-1] < 1e-4 <= min(history.largest_step[:-1])
    assert history.stop_reason.startswith("the largest step") and "tol = 0.0001" in \
        history.stop_reason and f"step {history.steps}" in history.stop_reason


def test_largest_step_is_lr_times_largest_slope():
    """Without momentum, History.largest_step is lr · max|∂Loss/∂w| of the step."""
    X, D = nn.datasets.line(10, noise=0.0, seed=0)
    model, reference = (nn.MLP(1, [1], output="linear", seed=0) for _ in range(2))
    batch_gradients(reference, X, D, nn.l2_divergence)
    history = nn.train(model, X, D, nn.l2_divergence, lr=0.25, max_steps=1, **quiet())
    assert history.largest_step == [pytest.approx(0.25 * max(abs(p.grad) for p in
                                                             reference.parameters()))]


def test_callback_can_stop_training():
    """callback(history) runs after every step; a true value stops training."""
    X, D = nn.datasets.moons(10, seed=0)
    history = nn.train(nn.MLP(2, [2, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                       lr=0.1, max_steps=50, callback=lambda h: h.steps == 3, **quiet())
    assert history.steps == 3 and history.stopped_by == "callback"


def test_divergence_is_reported_not_raised():
    """A learning rate far too large overflows; train stops with stopped_by = "diverged"."""
    X, D = nn.datasets.line(20, noise=0.0, seed=0)
    history = nn.train(nn.MLP(1, [1], output="linear", seed=0), X, D, nn.l2_divergence,
                       lr=50.0, max_steps=500, **quiet())
    assert history.stopped_by == "diverged" and "smaller lr" in history.stop_reason
    assert history.steps < 500


def test_schedule_and_momentum_reach_the_optimizer():
    """schedule="linear" decays the recorded lr from lr to lr/10; momentum enlarges steps."""
    X, D = nn.datasets.line(10, noise=0.0, seed=0)
    history = nn.train(nn.MLP(1, [1], output="linear", seed=0), X, D, nn.l2_divergence,
                       lr=0.2, schedule="linear", max_steps=10, tol=0, **quiet())
    assert history.lr == pytest.approx([0.2 - 0.018 * s for s in range(10)])
    plain, pushed = (nn.train(nn.MLP(1, [1], output="linear", seed=0), X, D,
                              nn.l2_divergence, lr=0.01, momentum=m, max_steps=5, tol=0,
                              **quiet()) for m in (0.0, 0.9))
    assert pushed.largest_step[-1] > plain.largest_step[-1]


def test_a_schedule_object_can_be_the_lr():
    """lr may itself be a schedule; giving a schedule name as well is refused."""
    X, D = nn.datasets.line(5, noise=0.0, seed=0)
    model = nn.MLP(1, [1], output="linear", seed=0)
    history = nn.train(model, X, D, nn.l2_divergence, lr=nn.step_decay(0.4, 0.5, every=2),
                       max_steps=4, tol=0, **quiet())
    assert history.lr == [0.4, 0.4, 0.2, 0.2]
    with pytest.raises(ValueError, match="already a schedule"):
        nn.train(model, X, D, nn.l2_divergence, lr=nn.constant(0.1), schedule="linear",
                 **quiet())


def test_accuracy_is_recorded_per_step_for_class_labels():
    """For class indices the History has one accuracy (of the step's batch) per step."""
    X, D = nn.datasets.moons(20, seed=0)
    history = nn.train(nn.MLP(2, [4, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                       lr=0.5, max_steps=5, **quiet())
    assert len(history.accuracy) == len(history.loss) == len(history.lr) == 5
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)


def test_classifier_rules():
    """Index + several outputs: argmax; 0/1 + one output: y > 0.5; ±1: y > 0; one-hot: argmax."""
    assert classifier([0, 2, 1])([0.1, 0.2, 0.7], 2)
    assert classifier([0, 1])([0.6], 1) and not classifier([0, 1])([0.4], 1)
    assert classifier([-1, 1])([0.2], 1) and classifier([-1, 1])([-0.2], -1)
    assert classifier([[0.0, 1.0], [1.0, 0.0]])([0.3, 0.7], [0.0, 1.0])
    assert classifier([0.5, 1.5]) is None


def test_hinge_training_with_plus_minus_one_labels():
    """micrograd's set-up: a linear score, hinge divergence, labels ±1, accuracy by sign."""
    X, C = nn.datasets.moons(40, seed=0)
    D = [2 * c - 1 for c in C]
    model = nn.MLP(2, [8, 1], activation="relu", output="linear", seed=0)
    history = nn.train(model, X, D, nn.hinge, lr=0.2, max_steps=60, **quiet())
    assert history.accuracy[-1] >= 0.8 and nn.accuracy(model, X, D) >= 0.8


def test_history_csv_and_repr(tmp_path):
    """to_csv writes a header and one row per step; repr gives steps, loss and the reason."""
    X, D = nn.datasets.moons(10, seed=0)
    history = nn.train(nn.MLP(2, [2, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                       lr=0.1, max_steps=3, **quiet())
    path = tmp_path / "history.csv"
    history.to_csv(path)
    rows = path.read_text().splitlines()
    assert rows[0] == "step,loss,largest_step,lr,accuracy" and len(rows) == 4
    step, loss, largest, lr, accuracy = rows[3].split(",")
    assert (int(step), float(loss), float(lr)) == (3, history.loss[2], 0.1)
    assert float(accuracy) == history.accuracy[2] and float(largest) == history.largest_step[2]
    assert repr(history).startswith("History(3 steps, final loss ")
    assert "stopped: took all 3 steps it was given" in repr(history) and history.wall_time > 0


def test_history_csv_of_regression_leaves_accuracy_empty(tmp_path):
    """Regression histories have an empty accuracy column."""
    X, D = nn.datasets.line(5, seed=0)
    history = nn.train(nn.Neuron(1, "linear"), X, D, nn.l2_divergence, lr=0.1, max_steps=2,
                       **quiet())
    history.to_csv(tmp_path / "h.csv")
    assert (tmp_path / "h.csv").read_text().splitlines()[1].endswith(",")


def test_history_plot_returns_a_figure():
    """plot() draws loss (and accuracy) panels with matplotlib."""
    matplotlib = pytest.importorskip("matplotlib", reason="History.plot needs matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, D = nn.datasets.moons(10, seed=0)
    history = nn.train(nn.MLP(2, [2, 2], output="softmax", seed=0), X, D, nn.cross_entropy,
                       lr=0.1, max_steps=3, **quiet())
    figure = history.plot()
    assert [a.get_title() for a in figure.axes] == ["loss", "accuracy"]
    assert list(figure.axes[0].lines[0].get_ydata()) == history.loss
    plt.close(figure)


def test_progress_bar_is_shown_with_tqdm(capsys):
    """progress=True draws a tqdm bar (on stderr)."""
    pytest.importorskip("tqdm", reason="the progress bar needs tqdm")
    X, D = nn.datasets.line(5, seed=0)
    nn.train(nn.Neuron(1, "linear"), X, D, nn.l2_divergence, lr=0.1, max_steps=3, tol=0)
    assert "training" in capsys.readouterr().err


def test_without_tqdm_training_runs_without_a_bar(monkeypatch):
    """progress=True without tqdm installed: a RuntimeWarning, then training as usual."""
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    X, D = nn.datasets.line(5, seed=0)
    with pytest.warns(RuntimeWarning, match="needs tqdm"):
        history = nn.train(nn.Neuron(1, "linear"), X, D, nn.l2_divergence, lr=0.1, max_steps=2,
                           tol=0)
    assert history.steps == 2


@pytest.mark.parametrize("kwargs, error, message", [
    ({"mode": "online"}, ValueError, "unknown mode 'online'; choose one of: batch, sgd"),
    ({"mode": "minibatch"}, ValueError, "needs batch_size"),
    ({"mode": "minibatch", "batch_size": 9}, ValueError, "batch_size must be"),
    ({"mode": "sgd", "batch_size": 2}, ValueError, "batch_size is for mode='minibatch'"),
    ({"max_steps": 0}, ValueError, "max_steps must be a whole number"),
    ({"tol": -1.0}, ValueError, "tol must be"),
    ({"schedule": "cosine"}, ValueError, "unknown schedule"),
    ({"schedule": nn.constant(0.1)}, TypeError, "schedule takes a name"),
    ({"lr": -0.5}, ValueError, "lr must be"),
])
def test_bad_training_arguments_are_refused(kwargs, error, message):
    """Every bad argument gives an error naming it, before any step."""
    X, D = nn.datasets.line(4, seed=0)
    with pytest.raises(error, match=message):
        nn.train(nn.Neuron(1, "linear"), X, D, nn.l2_divergence, **{"lr": 0.1, **kwargs},
                 **quiet())


def test_mismatched_data_is_refused():
    """X and D need the same, non-zero length; accuracy needs class labels."""
    with pytest.raises(ValueError, match="2 inputs and 1 desired outputs"):
        nn.train(nn.Neuron(1), [[1.0], [2.0]], [1.0], nn.l2_divergence, lr=0.1, **quiet())
    with pytest.raises(ValueError, match="needs class labels"):
        nn.accuracy(nn.Neuron(1), [[1.0]], [math.pi])


@pytest.mark.parametrize("compile_", [False, True], ids=["dynamic", "compiled"])
@pytest.mark.parametrize("output, divergence, targets", [
    ("softmax", nn.cross_entropy, lambda c: c),
    ("softmax", nn.kl_divergence, lambda c: nn.one_hot(c, 2)),
    ("sigmoid", nn.binary_cross_entropy, lambda c: c),
])
def test_a_probability_that_underflows_stops_training_as_diverged(output, divergence, targets,
                                                                  compile_):
    """lr=1e3 drives a softmax/sigmoid output to exactly 0.0: log 0 ends the run as 'diverged'
    with a reason naming the underflow and a smaller lr, not a ValueError."""
    X, C = nn.datasets.moons(200, seed=0)
    model = nn.MLP(2, [3, 2 if output == "softmax" else 1], output=output, seed=0)
    history = nn.train(model, X, [targets(c) for c in C], divergence, lr=1e4, max_steps=50,
                       compile=compile_, **quiet())
    assert history.stopped_by == "diverged"
    assert history.stop_reason.startswith("a probability underflowed to 0.0 at step ")
    assert history.stop_reason.endswith("so its log is undefined (try a smaller lr)")


def test_diverged_is_decided_by_the_error_class_not_its_message():
    """Only the engine's LogOfZeroError means "diverged": another ValueError whose message reads
    the same is the divergence's own error, and propagates."""
    from autograd import LogOfZeroError

    def impostor(y, d):
        raise ValueError("log is undefined for 0.0 (needs a positive number)")

    X, C = nn.datasets.moons(20, seed=0)
    model = nn.MLP(2, [3, 2], output="softmax", seed=0)
    with pytest.raises(ValueError, match="log is undefined"):
        nn.train(model, X, C, impostor, lr=0.1, max_steps=2, **quiet())

    def underflow(y, d):
        raise LogOfZeroError("log is undefined for 0.0 (needs a positive number)")

    history = nn.train(model, X, C, underflow, lr=0.1, max_steps=2, **quiet())
    assert history.stopped_by == "diverged"


@pytest.mark.parametrize("compile_", [False, True], ids=["dynamic", "compiled"])
def test_a_log_of_a_negative_output_still_raises(compile_):
    """kl_divergence after a tanh output is a misuse, not a divergence: it raises."""
    X, C = nn.datasets.moons(20, seed=0)
    model = nn.MLP(2, [3, 2], output="tanh", seed=0)
    with pytest.raises(ValueError, match="kl_divergence needs y to be probabilities|log is "
                                         "undefined for -"):
        nn.train(model, X, [nn.one_hot(c, 2) for c in C], nn.kl_divergence, lr=0.1,
                 max_steps=5, compile=compile_, **quiet())


def test_compiled_training_checks_that_outputs_are_probabilities():
    """With compile=True, kl after a relu output (y > 1 on some sample) is refused as in the
    dynamic engine, though the compiled program checked only the sample it traced."""
    X, C = [[0.0, 0.0], [3.0, 3.0]], [0, 1]
    model = nn.MLP(2, [2], activation="relu", output="relu", seed=0)
    for p in model.parameters():
        p.data = 0.25  # y = relu(0.25 (x_1 + x_2) + 0.25): 0.25 for sample 1, 1.75 for sample 2
    for compile_ in (False, True):
        with pytest.raises(ValueError, match=r"kl_divergence needs y to be probabilities in "
                                             r"\[0, 1\] \(softmax outputs\), got y_1 = 1\.75"):
            nn.train(model, X, [nn.one_hot(c, 2) for c in C], nn.kl_divergence, lr=0.1,
                     max_steps=1, compile=compile_, **quiet())


def test_l2_with_whole_number_targets_is_regression_without_accuracy():
    """Integer targets with l2_divergence are values to fit: no accuracy in the History; one-hot
    targets with l2 (the course's L2 classification) keep theirs."""
    X = [[0.0], [1.0], [2.0]]
    history = nn.train(nn.Neuron(1, "linear"), X, [0, 2, 4], nn.l2_divergence, lr=0.1,
                       max_steps=3, tol=0, **quiet())
    assert history.accuracy is None and "accuracy" not in repr(history)
    one_hot = [nn.one_hot(c, 2) for c in (0, 1, 0)]
    history = nn.train(nn.MLP(1, [2], output="linear", seed=0), X, one_hot, nn.l2_divergence,
                       lr=0.1, max_steps=3, tol=0, **quiet())
    assert len(history.accuracy) == 3
    history = nn.train(nn.MLP(1, [2], output="softmax", seed=0), X, [0, 1, 0],
                       nn.cross_entropy, lr=0.1, max_steps=3, tol=0, **quiet())
    assert len(history.accuracy) == 3


@pytest.mark.parametrize("kwargs, message", [
    ({"divergence": "kl"}, r"train needs a divergence function Div\(y, d\) such as "
                           r"nn\.kl_divergence or nn\.l2_divergence \(for 'kl': "
                           r"nn\.kl_divergence\), got str: 'kl'"),
    ({"divergence": None}, "train needs a divergence function .* got NoneType: None"),
    ({"callback": 5}, r"callback must be a function history -> bool \(true to stop\), "
                      r"got int: 5"),
    ({"max_steps": 2.5}, "max_steps must be a whole number, got float: 2.5"),
    ({"tol": "0"}, "tol must be a number, got str: '0'"),
])
def test_wrong_kinds_of_training_arguments_are_type_errors(kwargs, message):
    """A divergence name instead of the function, a non-callable callback, non-numbers: a
    TypeError naming what was received, before any step."""
    X, D = nn.datasets.line(4, seed=0)
    model = nn.Neuron(1, "linear")
    before = model.state_dict()
    arguments = {"divergence": nn.l2_divergence, "lr": 0.1, **kwargs}
    with pytest.raises(TypeError, match=message):
        nn.train(model, X, D, arguments.pop("divergence"), **arguments, **quiet())
    assert model.state_dict() == before


def sum_of_squares_as_float(y, d):
    """A learner's mistake: the divergence computed on floats."""
    return sum((v.data - di) ** 2 for v, di in zip(y, d))


def sum_of_squares_as_constant(y, d):
    """The same mistake, wrapped in a Value: a leaf with no path back to the weights."""
    from autograd import Value

    return Value(sum_of_squares_as_float(y, d))


@pytest.mark.parametrize("divergence, message", [
    (sum_of_squares_as_float, r"the divergence must return a Value built from the model's "
                              r"outputs y .* sum_of_squares_as_float\(y, d\) returned float: "),
    (lambda y, d: 3, r"must return a Value built from the model's outputs .* returned int: 3"),
    (sum_of_squares_as_constant, r"must return a Value built from the model's outputs .* "
                                 r"returned a constant Value\(.*\) with no parents"),
])
def test_a_divergence_that_returns_no_graph_is_a_type_error(divergence, message):
    """A divergence returning a number, or a constant Value made from y.data, would leave every
    gradient 0 (training 'converged' at step 1) or fail on .data: a TypeError naming it, and
    no weight moves."""
    X, D = [[0.5], [1.0]], [[1.0, 0.0], [0.0, 1.0]]
    model = nn.MLP(1, [2], output="softmax", seed=0)
    before = model.state_dict()
    with pytest.raises(TypeError, match=message):
        nn.train(model, X, D, divergence, lr=0.1, max_steps=3, **quiet())
    assert model.state_dict() == before


@pytest.mark.parametrize("divergence, got", [(sum_of_squares_as_float, "float"),
                                             (lambda y, d: 3, "int: 3")])
def test_a_compiled_divergence_that_returns_a_number_is_a_type_error(divergence, got):
    """compile=True refuses a number as well, when it traces the first sample."""
    X, D = [[0.5], [1.0]], [[1.0, 0.0], [0.0, 1.0]]
    model = nn.MLP(1, [2], output="softmax", seed=0)
    before = model.state_dict()
    with pytest.raises(TypeError, match=f"nn.compile needs the divergence to return a Value, "
                                        f"got {got}"):
        nn.train(model, X, D, divergence, lr=0.1, max_steps=3, compile=True, **quiet())
    assert model.state_dict() == before


def test_a_divergence_may_return_an_output_itself():
    """Div(y, d) = y (one output) is a Value computed from the weights: accepted."""
    X, D = [[0.5], [1.0]], [0.0, 0.0]
    history = nn.train(nn.Neuron(1, "linear"), X, D, lambda y, d: y, lr=0.1, max_steps=2,
                       tol=0, **quiet())
    assert history.steps == 2


@pytest.mark.parametrize("compile_", [False, True], ids=["dynamic", "compiled"])
def test_a_huge_lr_with_finite_gradients_stops_as_diverged_at_the_last_good_weights(compile_):
    """Three steps at lr 0.001, then lr 1e308 times a finite slope would overflow a weight:
    training stops as "diverged" at step 4, the weights are those after step 3 (no inf)."""
    X, D = [[10.0], [5.0]], [50.0, 20.0]

    def schedule(step):
        return 0.001 if step < 3 else 1e308

    model, good = (nn.MLP(1, [1], output="linear", seed=0) for _ in range(2))
    nn.train(good, X, D, nn.l2_divergence, lr=schedule, max_steps=3, tol=0, **quiet())
    history = nn.train(model, X, D, nn.l2_divergence, lr=schedule, max_steps=10, tol=0,
                       compile=compile_, **quiet())
    assert history.stopped_by == "diverged" and history.steps == 3
    assert re.fullmatch(r"the step would make parameter 0 \(w1\[1,1\]\) inf: \S+ - lr 1e\+308 × "
                        r"slope \S+ overflowed at step 4 \(try a smaller lr\)",
                        history.stop_reason)
    assert model.state_dict() == good.state_dict()
    assert all(math.isfinite(p.data) for p in model.parameters())
