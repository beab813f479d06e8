"""Pictures of a trained model: decision regions over 2-D data, or the fitted curve over 1-D data.

Both return a matplotlib Figure and need matplotlib (pip install 'chainrule[plots]'); it is
imported inside the functions, so `import nn` does not need it. The model is evaluated without
keeping a graph: a plot's grid of points runs as one compiled forward pass (autograd.compile,
traced once: the same numbers, many times faster), point by point under no_grad() for a model
whose graph cannot be traced.
"""

from __future__ import annotations

from collections.abc import Sequence

import autograd
from autograd import Value, no_grad
from nn.divergences import predicted_class
from nn.functional import output_list

COMPILE_FROM = 200  # inputs: from this many on, predict traces the model once and replays it


def predict(model, X: Sequence) -> list[list[float]]:
    """The model's outputs as numbers, one list per input (no graph is kept)."""
    X = [list(x) for x in X]
    program = _compiled_outputs(model, X[0]) if len(X) >= COMPILE_FROM else None
    if program is not None:
        return [program(*x)[1] for x in X]
    with no_grad():
        outputs = [model(x) for x in X]
    return [[v.data for v in output_list(y)] for y in outputs]


def _compiled_outputs(model, example: list[float]):
    """model's forward pass compiled at example (a program returning (y_1, [y_1..y_k])), or
    None when it cannot be traced (its graph follows the data, or it is no Value function)."""
    def outputs(*x: Value):
        ys = output_list(model(list(x)))
        return ys[0], ys

    try:
        return autograd.compile(outputs, example, has_aux=True)
    except (TypeError, ValueError, ArithmeticError):
        return None


def plot_boundary(model, X_train: Sequence, D_train: Sequence, X_test: Sequence = (),
                  D_test: Sequence = (), threshold: float = 0.5, resolution: int = 100,
                  title: str = ""):
    """Decision regions of a model with 2 inputs, shaded by the predicted class (nn.predicted_class;
    for one output, class 1 above threshold: 0.5 for a probability, 0 for a score, as
    nn.DIVERGENCES[name].threshold gives it), with the points (training ● and test ✕)
    coloured by their class index D (ints 0..k-1).

    The legend shows the two marker shapes in grey and black (they stand for every class) and
    one patch per class colour.
    """
    import matplotlib.pyplot as plt

    points = [*X_train, *X_test]
    if not points or any(len(x) != 2 for x in points):
        raise ValueError("plot_boundary draws models with 2 inputs and 2-D points")
    (x_low, x_high), (y_low, y_high) = (_padded_range([p[i] for p in points]) for i in (0, 1))
    xs = [x_low + (x_high - x_low) * i / (resolution - 1) for i in range(resolution)]
    ys = [y_low + (y_high - y_low) * j / (resolution - 1) for j in range(resolution)]
    grid = _predicted_grid(model, xs, ys, threshold)
    classes = max(2, *(int(d) + 1 for d in (*D_train, *D_test)),
                  *(c + 1 for row in grid for c in row))
    colours = [plt.get_cmap("tab10")(c % 10) for c in range(classes)]
    figure, axes = plt.subplots(figsize=(5.5, 4.5))
    _shade_regions(axes, xs, ys, grid, colours)
    for X, D, marker in ((X_train, D_train, "o"), (X_test, D_test, "x")):
        if X:
            axes.scatter([p[0] for p in X], [p[1] for p in X], c=[colours[int(d)] for d in D],
                         marker=marker, s=18, linewidths=1.0 if marker == "x" else 0.4,
                         edgecolors=None if marker == "x" else "k")
    axes.set(xlabel="x₁", ylabel="x₂", title=title or "decision regions")
    axes.legend(handles=boundary_legend(colours, test=bool(X_test)), loc="best", fontsize=8)
    figure.tight_layout()
    return figure


def _predicted_grid(model, xs: list[float], ys: list[float], threshold: float) -> list[list[int]]:
    """The predicted class at every grid point: grid[j][i] at (xs[i], ys[j])."""
    outputs = predict(model, [[x, y] for y in ys for x in xs])
    columns = len(xs)
    return [[predicted_class(outputs[j * columns + i], threshold) for i in range(columns)]
            for j in range(len(ys))]


def _shade_regions(axes, xs: list[float], ys: list[float], grid: list[list[int]],
                   colours: list) -> None:
    """Fill each class's region in its colour, lightly (contour levels at c ± 0.5)."""
    from matplotlib.colors import ListedColormap

    levels = [c - 0.5 for c in range(len(colours) + 1)]
    axes.contourf(xs, ys, grid, levels=levels, cmap=ListedColormap(colours), alpha=0.25)


def boundary_legend(colours: list, test: bool = True) -> list:
    """plot_boundary's legend handles: the marker shapes in neutral colours (train: a grey dot
    edged in black; test: a black cross), then one patch per class: its region's light fill,
    edged in the full colour of its points."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], linestyle="none", marker="o", markersize=5, markerfacecolor="0.6",
                      markeredgecolor="k", markeredgewidth=0.4, label="train")]
    if test:
        handles.append(Line2D([], [], linestyle="none", marker="x", markersize=5, color="k",
                              markeredgewidth=1.0, label="test"))
    handles += [Patch(facecolor=(*colour[:3], 0.25), edgecolor=colour, linewidth=1.2,
                      label=f"class {c}") for c, colour in enumerate(colours)]
    return handles


def plot_fit(model, X_train: Sequence, D_train: Sequence, X_test: Sequence = (),
             D_test: Sequence = (), title: str = ""):
    """The curve y(x) of a model with 1 input and 1 output, over the data points."""
    import matplotlib.pyplot as plt

    points = [x[0] for x in (*X_train, *X_test)]
    if not points or any(len(x) != 1 for x in (*X_train, *X_test)):
        raise ValueError("plot_fit draws models with 1 input")
    low, high = _padded_range(points)
    xs = [low + (high - low) * i / 199 for i in range(200)]
    curve = [y[0] for y in predict(model, [[x] for x in xs])]
    figure, axes = plt.subplots(figsize=(5.5, 4.0))
    axes.scatter([x[0] for x in X_train], D_train, s=14, label="train")
    if X_test:
        axes.scatter([x[0] for x in X_test], D_test, s=18, marker="x", label="test")
    axes.plot(xs, curve, color="k", label="model y(x)")
    axes.set(xlabel="x", ylabel="y", title=title or "fit")
    axes.legend(loc="best", fontsize=8)
    figure.tight_layout()
    return figure


def _padded_range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    pad = 0.1 * (high - low) or 1.0
    return low - pad, high + pad
