"""nn.plots' helpers for the course's notebooks 04b, 05, 05b and 09: each draws what its
docstring says (checked on the Figure's artists, without looking at pixels)."""

import pytest

from nn import plots

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    matplotlib.pyplot.close("all")


def test_weight_gradients_top_layer_first_counted_from_one():
    figure = plots.plot_weight_gradients({1: [[1.0, -2.0]], 2: [[0.5], [-0.5], [0.0]]})
    first, second = figure.axes[:2]
    assert first.get_title().endswith("3 × 1") and second.get_title().endswith("1 × 2")
    assert [t.get_text() for t in second.get_xticklabels()] == ["1", "2"]
    assert first.images[0].get_clim() == (-2.0, 2.0)  # one scale for every layer


def test_curve_paths_and_marks():
    figure = plots.plot_curve([0, 1, 2], [4, 1, 4], paths={"walk": [(0, 4), (1, 1)]},
                              marks={"bottom": 1.0}, xlabel="b", ylabel="SSR", logy=True)
    ax = figure.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["SSR", "walk", "bottom"] and ax.get_yscale() == "log"


def test_contours_with_a_path_or_a_surface():
    surface = [[(x - 1) ** 2 + 3 * (y - 1) ** 2 for x in range(4)] for y in range(4)]
    figure = plots.plot_contours(range(4), range(4), surface, levels=[1, 2, 4], best=(1, 1),
                                 path=[(0, 0), (0.5, 1.5), (1, 0.8), (1, 1)], path_label="gd")
    assert len(figure.axes) == 1 and len(figure.axes[0].texts) >= 3  # the steps named
    figure = plots.plot_contours(range(4), range(4), surface, levels=[1, 2, 4], best=(1, 1),
                                 with_surface=True)
    assert figure.axes[1].name == "3d"


def test_lines_and_losses():
    figure = plots.plot_lines([(0.0, 0.0), (1.0, 0.5)], [0.5, 2.0], [1.0, 2.0], [3.0, 1.0],
                              [0, 1])
    assert [line.get_label() for line in figure.axes[0].get_lines()][:2] == [
        "step 0: 3.000", "step 1: 1.000"]
    figure = plots.plot_losses({"a": [3.0, 2.0, 1.0]}, xs={"a": [0, 10, 20]}, floor=0.5,
                               logx=True, xlim=(1, 30))
    ax = figure.axes[0]
    assert list(ax.get_lines()[0].get_xdata()) == [0, 10, 20] and ax.get_xscale() == "log"
