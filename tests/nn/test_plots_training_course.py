"""nn.plots' figures for the course notebooks 03, 06, 07 and 07b: each draws what it is given,
with the labels the notebooks' text refers to."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import nn  # noqa: E402
from nn import plots  # noqa: E402
from nn.history import History  # noqa: E402


def history(losses):
    run = History()
    for loss in losses:
        run.record(loss, 0.1, 0.5)
    return run


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_curves_draws_one_line_per_entry_on_the_given_axes():
    axes = plt.subplots()[1]
    assert plots.plot_curves({"a": [3, 2, 1], "b": [1, 2]}, xlabel="x", ylabel="y", logy=True,
                             axes=axes) is axes
    assert [line.get_label() for line in axes.lines] == ["a", "b"]
    assert list(axes.lines[0].get_xdata()) == [1, 2, 3] and axes.get_yscale() == "log"


def test_plot_modes_has_the_first_steps_and_the_passes():
    runs = {"batch": history([1.0, 0.5]), "sgd": history([1.0, 0.9, 0.7, 0.4])}
    figure = plots.plot_modes(runs, {"batch": [1.0, 0.5], "sgd": [0.95, 0.55]}, first=3)
    left, right = figure.axes
    assert len(left.lines[1].get_ydata()) == 3 and left.get_title() == "the first 3 steps"
    assert [line.get_label() for line in right.lines] == ["batch", "sgd"]
    alone = plots.plot_modes(runs, first=3)
    assert len(alone.axes) == 1 and alone.axes[0].get_title() == "the first 3 steps"


def test_plot_linear_boundary_draws_the_line_where_the_two_scores_are_equal():
    X, D = [[0.0, 1.0], [1.0, 0.0], [-1.0, 0.5]], [0, 1, 0]
    model = nn.MLP(2, [2], output="softmax", seed=0)
    A, c = [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]  # z₁ = z₂ on the diagonal x₂ = x₁
    figure = plots.plot_linear_boundary(model, X, D, A, c, title="t")
    line = figure.axes[0].lines[-1]
    assert list(line.get_xdata()) == pytest.approx(list(line.get_ydata()))


def test_plot_layer_gradients_has_a_bar_per_layer_and_start():
    sizes = {"small": [0.1, 0.2, 0.3], "large": [0.01, 0.02, 0.5]}
    figure = plots.plot_layer_gradients(sizes, {"small": history([1, 0.5]),
                                                "large": history([1, 0.9])})
    bars, curves = figure.axes
    assert len(bars.patches) == 6
    assert [t.get_text() for t in bars.get_xticklabels()] == ["layer 1", "layer 2", "output"]
    assert len(curves.lines) == 2


def test_plot_chain_lines_writes_each_slope():
    figure = plots.plot_chain_lines([("Weight", "Height", 2.0, [40, 120])])
    assert "dHeight/dWeight = 2" in figure.axes[0].get_title()


def test_plot_bias_sweep_and_descent_race():
    X, D = [[0.0], [1.0]], [0.0, 1.0]
    curves = {0.0: [0.1, 0.2], -0.5: [-0.4, -0.3]}
    residuals = {0.0: [-0.1, 0.8], -0.5: [0.4, 1.3]}
    figure = plots.plot_bias_sweep([0.0, 1.0], curves, X, D, residuals, {0.0: 0.65, -0.5: 1.85},
                                   [-1.0, 0.0], [2.0, 0.7])
    assert len(figure.axes) == 3 and "SSR = 0.650" in figure.axes[0].get_title()
    axes = plots.plot_descent_race({"joint": [1.0, 0.1], "one at a time": [1.0, 0.8]},
                                   marks=[(1, "b fitted")])
    assert axes.get_yscale() == "log" and len(axes.lines) == 3  # two curves, one mark
