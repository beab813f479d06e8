"""The course notebooks' figures, one idea a call, so that a notebook's cell shows the idea and
not the matplotlib behind it (each needs matplotlib, imported inside the function).

    04b, 05, 05b, 09   weight gradients, curves, contours, fitted lines, losses
    03, 06, 07, 07b    curves, the training modes, boundaries, layer gradients, the chain's
                       lines, the bias sweep, the descent race
"""

from __future__ import annotations

from collections.abc import Sequence

from nn.plots.models import plot_boundary

# ---- the course's notebooks 04b, 05, 05b and 09: one picture per call ----


def plot_weight_gradients(grad_W: dict):
    """Each layer's ∇W_k Div as a picture, top layer first: row i is unit i of layer k (counting
    from 1), column j is input j, coloured from blue (negative) to red (positive) on one scale
    for every layer. grad_W maps k to a list of rows."""
    import matplotlib.pyplot as plt

    layers = sorted(grad_W, reverse=True)
    largest = max(abs(g) for k in layers for row in grad_W[k] for g in row) or 1.0
    figure, axes = plt.subplots(1, len(layers), figsize=(3.7 * len(layers), 3.4), squeeze=False)
    for ax, k in zip(axes[0], layers):
        rows, columns = len(grad_W[k]), len(grad_W[k][0])
        image = ax.imshow(grad_W[k], cmap="RdBu_r", vmin=-largest, vmax=largest)
        ax.set_title(f"$\\nabla_{{W_{k}}}\\,$Div: {rows} × {columns}")
        ax.set_xlabel(f"input j (from layer {k - 1})" if k > 1 else "input j (x)")
        ax.set_ylabel(f"unit i of layer {k}")
        ax.set_xticks(range(columns), [str(j) for j in range(1, columns + 1)])
        ax.set_yticks(range(rows), [str(i) for i in range(1, rows + 1)])
    figure.colorbar(image, ax=list(axes[0]), label="∂Div/∂w_ji")
    return figure


def plot_curve(xs: Sequence[float], ys: Sequence[float], *, paths: dict | None = None,
               marks: dict | None = None, xlabel: str = "", ylabel: str = "", title: str = "",
               logy: bool = False):
    """A curve ys(xs) (light grey under paths, else blue), paths {label: [(x, y), ...]} over it
    as dots joined by lines, and dotted vertical lines at marks {label: x}."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, ys, color="lightgrey" if paths else "tab:blue", label=ylabel or None)
    for label, path in (paths or {}).items():
        ax.plot(*zip(*path), "o-", markersize=4, label=label)
    for k, (label, x) in enumerate((marks or {}).items()):
        ax.axvline(x, color=("grey", "tab:red", "tab:green")[k % 3], linestyle=":", label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    figure.tight_layout()
    return figure


def plot_contours(xs: Sequence[float], ys: Sequence[float], surface: Sequence[Sequence[float]],
                  *, levels: Sequence[float], best: tuple[float, float], path: Sequence = (),
                  path_label: str = "", labels: tuple[str, str] = ("intercept", "slope"),
                  with_surface: bool = False, title: str = ""):
    """A contour map of surface[j][i] over (xs[i], ys[j]) with a star at best, and a path of
    (x, y) points (its first three steps named), or beside it the same surface in 3-D."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(12 if with_surface else 7, 4.5 if with_surface else 5))
    ax = figure.add_subplot(1, 2 if with_surface else 1, 1)
    rings = ax.contour(xs, ys, surface, levels=levels, cmap="viridis")
    ax.clabel(rings, fontsize=8)
    if path:
        ax.plot(*zip(*path), "o-", color="tab:red", markersize=4, linewidth=1, label=path_label)
        ax.plot(*path[0], "s", color="tab:red", markersize=8, label="start")
        for k in (1, 2, 3):
            ax.annotate(f"step {k}", path[k], textcoords="offset points", xytext=(6, -3),
                        fontsize=8, color="tab:red")
        ax.set_aspect("equal")  # one scale on both axes: "across the rings" looks right
    ax.plot(*best, "*", color="black", markersize=12, label="least squares")
    ax.set(xlabel=labels[0], ylabel=labels[1], title=title or "contour map")
    ax.legend(loc="lower right", fontsize=8)
    if with_surface:
        ax3 = figure.add_subplot(1, 2, 2, projection="3d")
        coarse = [(x, y, surface[j][i]) for j, y in enumerate(ys) if j % 2 == 0
                  for i, x in enumerate(xs) if i % 2 == 0]
        ax3.plot_trisurf(*zip(*coarse), cmap="viridis", linewidth=0, alpha=0.9)
        ax3.set(xlabel=labels[0], ylabel=labels[1], zlabel="value", title="the same, in 3-D")
        ax3.view_init(elev=30, azim=-60)
    return figure


def plot_lines(params: Sequence[tuple[float, float]], X: Sequence[float], D: Sequence[float],
               values: Sequence[float], steps: Sequence[int], xlabel: str = "x",
               ylabel: str = "y", title: str = ""):
    """The lines y = intercept + slope · x for params[k] = (intercept, slope) at each of steps
    (dark early, yellow late; values[k] in the legend), over the points (X, D)."""
    import matplotlib.pyplot as plt

    colours = plt.cm.viridis([k / max(1, len(steps) - 1) for k in range(len(steps))])
    figure, ax = plt.subplots(figsize=(7, 4.5))
    ends = [min(0.0, *X), max(X) * 1.1]
    for k, colour, value in zip(steps, colours, values):
        intercept, slope = params[k]
        ax.plot(ends, [intercept + slope * x for x in ends], color=colour,
                label=f"step {k}: {value:.3f}")
    ax.plot(X, D, "o", color="black", markersize=7, zorder=3, label="data")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper left", fontsize=8)
    return figure


def plot_losses(curves: dict, *, xs: dict | None = None, floor: float | None = None,
                xlabel: str = "step", ylabel: str = "loss", title: str = "",
                logx: bool = False, logy: bool = True, xlim: tuple | None = None):
    """Loss curves {label: losses} against xs[label] (default 1, 2, …), on a log scale, with a
    dotted line at floor (the lowest possible loss) when given."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6.5, 3.8))
    for label, losses in curves.items():
        steps = (xs or {}).get(label) or range(1, len(losses) + 1)
        ax.plot(steps, losses, label=label, linewidth=1,
                marker="o" if len(losses) < 60 else None, markersize=3)
    if floor is not None:
        ax.axhline(floor, color="grey", linestyle=":", label="lowest possible")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if xlim:
        ax.set_xlim(*xlim)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    figure.tight_layout()
    return figure


# ---- the course notebooks' figures: 03, 06, 07, 07b (one idea a cell; the drawing is here) ----

def plot_curves(curves: dict, *, xlabel: str, ylabel: str, title: str = "", x=None,
                logx: bool = False, logy: bool = False, axes=None):
    """One line per entry of curves (label -> values), against x (default 1, 2, ...).

    Returns the axes (a new figure's, unless axes is given).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> plot_curves({"a": [3, 2, 1]}, xlabel="step", ylabel="loss").get_ylabel()
    'loss'
    """
    import matplotlib.pyplot as plt

    if axes is None:
        axes = plt.subplots(figsize=(6, 3.5))[1]
    for label, values in curves.items():
        xs = list(x) if x is not None else range(1, len(values) + 1)
        axes.plot(xs, list(values), label=label)
    axes.set(xlabel=xlabel, ylabel=ylabel, title=title, xscale="log" if logx else "linear",
             yscale="log" if logy else "linear")
    axes.legend(fontsize=8)
    return axes


def plot_modes(runs: dict, pass_loss: dict | None = None, first: int = 150):
    """Training modes side by side: each run's loss over its first `first` steps (left, one
    sample at a time drawn thin), and, when pass_loss is given, its mean loss per pass through
    the data (right). runs: mode -> History; pass_loss: mode -> the mean loss of each pass.
    Returns the figure.
    """
    import matplotlib.pyplot as plt

    if pass_loss is None:
        figure, left = plt.subplots(figsize=(5.5, 3.5))
    else:
        figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
    for mode, run in runs.items():
        left.plot(run.loss[:first], label=mode, linewidth=0.8 if mode == "sgd" else 1.5)
    left.set(xlabel="step", ylabel="loss of the step's batch", yscale="log",
             title=f"the first {first} steps")
    left.legend()
    if pass_loss is not None:
        plot_curves(pass_loss, xlabel="passes through the training data",
                    ylabel="mean loss of the pass", title="per pass through the data",
                    logx=True, logy=True, axes=right)
    return figure


def plot_linear_boundary(model, X: Sequence, D: Sequence, A: list, c: list, title: str = ""):
    """plot_boundary of a 2-input, 2-class model, with the straight line z₁ = z₂ of the
    affine map z = A x + c drawn dashed (for a network whose layers are all linear)."""
    figure = plot_boundary(model, X, D, title=title)
    axes = figure.axes[0]
    xlim, ylim = axes.get_xlim(), axes.get_ylim()
    # z₁ = z₂  ⇔  (A₁₁ − A₂₁) x₁ + (A₁₂ − A₂₂) x₂ + c₁ − c₂ = 0, solved for x₂
    x_2 = [-((A[0][0] - A[1][0]) * v + c[0] - c[1]) / (A[0][1] - A[1][1]) for v in xlim]
    axes.plot(list(xlim), x_2, "k--", linewidth=1)
    axes.set(xlim=xlim, ylim=ylim)
    return figure


def plot_layer_gradients(gradient_sizes: dict, runs: dict):
    """Two starts of one network side by side: the RMS gradient reaching each layer at the
    first step (bars; start -> one number per layer, the output layer last), and each start's
    training loss (start -> History). Returns the figure."""
    import matplotlib.pyplot as plt

    figure, (bars, curves) = plt.subplots(1, 2, figsize=(11, 3.5))
    width = 0.8 / len(gradient_sizes)
    for k, (start, sizes) in enumerate(gradient_sizes.items()):
        offset = (k - (len(gradient_sizes) - 1) / 2) * width
        bars.bar([i + offset for i in range(len(sizes))], sizes, width=width, label=start)
    n = len(next(iter(gradient_sizes.values())))
    bars.set(xticks=range(n), xticklabels=[*(f"layer {i}" for i in range(1, n)), "output"],
             yscale="log", ylabel="RMS of ∂Loss/∂w (first step)",
             title="gradient reaching each layer")
    bars.legend()
    plot_curves({start: run.loss for start, run in runs.items()}, xlabel="step",
                ylabel="loss", title="training, full batch", logy=True, axes=curves)
    return figure


def plot_chain_lines(links: list):
    """Straight links of a chain side by side, each (x name, y name, rate, xs) or (..., xs,
    at): the line y = rate · x over xs, its rate written on it, and the point x = at marked.
    Returns the figure.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> len(plot_chain_lines([("a", "b", 2.0, [0, 1]), ("b", "c", 0.5, [0, 2])]).axes)
    2
    """
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(links), figsize=(5 * len(links), 3.2), squeeze=False)
    for ax, (x_name, y_name, rate, xs, *at) in zip(axes[0], links):
        xs = list(xs)
        ax.plot(xs, [rate * v for v in xs])
        for v in at:
            ax.plot([v], [rate * v], "o", color="k")
            ax.annotate(f" {x_name} {v:g} → {y_name} {rate * v:g}", (v, rate * v),
                        va="top", fontsize=8)
        ax.set(xlabel=x_name, ylabel=y_name,
               title=f"{y_name} = {rate:g} · {x_name}: slope d{y_name}/d{x_name} = {rate:g}")
    figure.tight_layout()
    return figure


def plot_bias_sweep(doses: list, curves: dict, X: Sequence, D: Sequence, residuals: dict,
                    ssr_at: dict, curve_b: list, curve_ssr: list, symbol: str = "b₂₀"):
    """A one-input network's output over the doses for several values of one bias (bias ->
    curve), each with its residuals dashed, and beside them the SSR against the bias
    (curve_b, curve_ssr) with those values marked. Returns the figure."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(13, 6))
    grid = figure.add_gridspec(2, 3, width_ratios=[1, 1, 1.4])
    colours = [f"C{k}" for k in range(len(curves))]
    for k, (bias, colour) in enumerate(zip(curves, colours)):
        ax = figure.add_subplot(grid[k // 2, k % 2])
        ax.plot(doses, curves[bias], color=colour, label="network output")
        for (x,), d, r in zip(X, D, residuals[bias]):
            ax.plot([x, x], [d, d - r], color=colour, linestyle="--", linewidth=1.5)
        ax.plot([x for (x,) in X], D, "o", color="black", zorder=3, label="observed")
        ax.set(ylim=(-1.0, 2.0), xlabel="dose", ylabel="effect")
        ax.set_title(f"{symbol} = {bias}: SSR = {ssr_at[bias]:.3f}", fontsize=10)
        if k == 0:
            ax.legend(loc="lower center", fontsize=8)
    right = figure.add_subplot(grid[:, 2])
    right.plot(curve_b, curve_ssr, color="lightgrey")
    for bias, colour in zip(curves, colours):
        right.plot([bias], [ssr_at[bias]], "o", color=colour, markersize=9,
                   label=f"{symbol} = {bias}")
    right.set(xlabel=symbol, ylabel="SSR", title=f"SSR against {symbol}")
    right.legend()
    figure.suptitle(f"The network's output for several values of {symbol} (dashed: the "
                    "residuals), and the SSR each one gives")
    figure.tight_layout()
    return figure


def plot_descent_race(curves: dict, marks: list):
    """SSR per backward pass of several methods (label -> values, log scale), with dotted
    vertical lines at marks, each (pass, text), labelled along the top. Returns the axes."""
    import matplotlib.pyplot as plt

    axes = plt.subplots(figsize=(9, 4.5))[1]
    plot_curves(curves, xlabel="backward passes (each one: SSR over the 3 doses, then "
                "backward())", ylabel="SSR", logy=True, axes=axes)
    for passes, _ in marks:
        axes.axvline(passes, color="tab:orange", linestyle=":", linewidth=0.8)
    top = axes.secondary_xaxis("top")
    top.set_xticks([m[0] for m in marks], labels=[m[1] for m in marks], rotation=90,
                   fontsize=7, color="tab:orange")
    axes.set_title("The same network, SSR and learning rate; only the update differs", pad=10)
    axes.legend(loc="lower left")
    return axes
