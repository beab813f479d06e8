"""nn.plots.plot_boundary: decision regions, points coloured by class, and a legend that does
not pretend a marker shape belongs to one class."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from autograd import Value  # noqa: E402
from nn.plots import plot_boundary  # noqa: E402

NEUTRAL = {to_rgba("k"), to_rgba("0.6")}


class Sign:
    """A fixed 2-input model: class 1 where x_1 > 0 (one output above 0.5), else class 0."""

    def __call__(self, x):
        return Value(10.0 * x[0]).sigmoid()


class Argmax:
    """A fixed 2-input, 3-output model: outputs (x_1, x_2, -x_1), so three regions."""

    def __call__(self, x):
        return [Value(x[0]), Value(x[1]), Value(-x[0])]


def legend_of(figure):
    """The (label, handle) pairs of the figure's only legend."""
    legend = figure.axes[0].get_legend()
    return [(text.get_text(), handle) for text, handle in zip(legend.get_texts(),
                                                               legend.legend_handles)]


@pytest.fixture(autouse=True)
def close_figures():
    """Every figure a test draws is closed after it."""
    yield
    plt.close("all")


def test_legend_markers_are_neutral_and_classes_are_patches():
    """train ● and test ✕ in black/grey, then one patch per class in the class colours."""
    X_train, D_train = [[-1.0, 0.0], [1.0, 0.5]], [0, 1]
    X_test, D_test = [[-0.5, 1.0], [0.5, -1.0]], [0, 1]
    figure = plot_boundary(Sign(), X_train, D_train, X_test, D_test, resolution=20)
    entries = legend_of(figure)
    assert [label for label, _ in entries] == ["train", "test", "class 0", "class 1"]
    (_, train), (_, test) = entries[:2]
    assert isinstance(train, Line2D) and train.get_marker() == "o"
    assert isinstance(test, Line2D) and test.get_marker() == "x"
    for handle in (train, test):
        assert {to_rgba(handle.get_markerfacecolor()), to_rgba(handle.get_markeredgecolor())} \
            <= NEUTRAL
    tab10 = plt.get_cmap("tab10")
    for c, (_, patch) in enumerate(entries[2:]):
        assert isinstance(patch, Patch)
        assert patch.get_edgecolor() == tab10(c)
        assert patch.get_facecolor()[:3] == tab10(c)[:3]


def test_points_take_their_class_colour():
    """Each scattered point is drawn in tab10's colour of its class index."""
    X_train, D_train = [[-1.0, 0.0], [1.0, 0.5], [2.0, 1.0]], [0, 1, 1]
    figure = plot_boundary(Sign(), X_train, D_train, resolution=20)
    (points,) = figure.axes[0].collections[-1:]
    tab10 = plt.get_cmap("tab10")
    assert [tuple(c) for c in points.get_facecolors()] == [tab10(0), tab10(1), tab10(1)]
    assert [label for label, _ in legend_of(figure)] == ["train", "class 0", "class 1"]


def test_a_class_only_the_model_predicts_gets_a_patch():
    """Three outputs, labels only 0 and 1: the region of class 2 is shaded and in the legend."""
    X_train, D_train = [[1.0, -1.0], [-1.0, 1.0]], [0, 1]
    figure = plot_boundary(Argmax(), X_train, D_train, resolution=20)
    labels = [label for label, _ in legend_of(figure)]
    assert labels == ["train", "class 0", "class 1", "class 2"]


def test_plot_boundary_refuses_points_that_are_not_2d():
    """Points of another dimension are refused with what plot_boundary draws."""
    with pytest.raises(ValueError, match="2 inputs and 2-D points"):
        plot_boundary(Sign(), [[1.0, 2.0, 3.0]], [0])


def test_predict_on_many_points_runs_compiled_with_the_same_numbers():
    """A plot's grid (COMPILE_FROM points or more) runs as one compiled forward pass: the same
    numbers as the model called point by point."""
    import nn
    from nn import plots

    model = nn.MLP(2, [4, 3], activation="tanh", output="softmax", seed=0)
    X = [[i / 20, -j / 20] for i in range(20) for j in range(plots.COMPILE_FROM // 20 + 1)]
    compiled = plots.predict(model, X)
    assert compiled == [[y.data for y in model(x)] for x in X]
