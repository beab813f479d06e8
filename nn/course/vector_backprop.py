"""Checks for the vector-notation notebooks (04, 04b, 04c): a learner's rows and matrices of
the backward recursion, compared with what backward() leaves in .grad.

>>> import nn
>>> model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
>>> found = engine_gradients(model, [0.5, -1.0], [0.0, 1.0], nn.kl_divergence)
>>> [len(found["W"][k]) for k in (1, 2)], [len(found["W"][k][0]) for k in (1, 2)]
([3, 2], [2, 3])
>>> check_recursion(found["Z"], found["W"], found["Y"], model, [0.5, -1.0], [0.0, 1.0])
''

Shapes follow the course: W[k] is n_k × n_(k−1), row i holding the weights w_ji into unit i of
layer k (so W[k][i - 1][j - 1] is w_ji: Python lists count from 0, the course from 1); a
gradient of a vector is a row, a plain list. Layers are keyed k = 1 … N, and Y[0] is x.
Each check returns "" when everything agrees, "not done yet: ..." while a blank is None, and
otherwise what differs with a hint at the next thing to look at, never the number expected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import autograd
from nn.course.answers import close

__all__ = ["check_input_gradients", "check_numbers_kept", "check_rank", "check_recursion",
           "check_relu_layer", "check_softmax_l2", "engine_gradients", "matrix_rank",
           "numbers_kept", "weights_of"]

NOT_DONE = "not done yet: fill in the blanks (each None) of the exercise's cell, then run this."


def _as_list(value: object) -> list | None:
    """A list of floats or of lists (numpy arrays and tuples included), or None."""
    if value is None or isinstance(value, (str, bytes)):
        return None
    tolist = getattr(value, "tolist", None)
    value = tolist() if tolist is not None else value
    try:
        return [_as_list(v) if not isinstance(v, (int, float)) else float(v) for v in value]
    except TypeError:
        return None


def weights_of(model) -> tuple[dict[int, list[list[float]]], dict[int, list[float]]]:
    """W[k] (n_k rows of n_(k−1) numbers) and b[k], as lists of floats, for k = 1 … N."""
    W = {k: [[w.data for w in neuron.w] for neuron in layer.neurons]
         for k, layer in enumerate(model.layers, start=1)}
    b = {k: [neuron.b.data for neuron in layer.neurons]
         for k, layer in enumerate(model.layers, start=1)}
    return W, b


def engine_gradients(model, x: Sequence[float], d: Sequence[float],
                     divergence: Callable) -> dict[str, dict[int, list]]:
    """backward() on divergence(model(x), d), read off by layer: {"Y": {k: row}, "Z": {k: row},
    "W": {k: matrix}, "b": {k: row}} for k = 1 … N (and "Y"[0], the gradient of x).
    The model's gradients are set to zero first, and left holding this sample's."""
    model.zero_grad()
    inputs = [autograd.Value(float(v)) for v in x]
    output = model(inputs)
    outputs = output if isinstance(output, list) else [output]
    loss = divergence(output, d)
    for node in autograd.topological_order(loss):
        node.grad = 0.0  # interior nodes, and the inputs: this pass only
    loss.backward()
    nodes = {node.label: node for node in autograd.topological_order(loss) if node.label}
    found: dict[str, dict[int, list]] = {"Y": {0: [v.grad for v in inputs]}, "Z": {}, "W": {},
                                         "b": {}}
    N = len(model.layers)
    for k, layer in enumerate(model.layers, start=1):
        width = len(layer.neurons)
        found["Z"][k] = [_grad(nodes, f"z{k}[{i}]") for i in range(1, width + 1)]
        found["Y"][k] = ([y.grad for y in outputs] if k == N else
                         [_grad(nodes, f"y{k}[{i}]") for i in range(1, width + 1)])
        found["W"][k] = [[w.grad for w in neuron.w] for neuron in layer.neurons]
        found["b"][k] = [neuron.b.grad for neuron in layer.neurons]
    return found


def _grad(nodes: dict, label: str) -> float:
    node = nodes.get(label)
    return 0.0 if node is None else node.grad  # a node the loss never reached has gradient 0


def _compare(name: str, mine: object, want: list, hint: str) -> str:
    """"" if mine has want's shape and numbers, else what differs (never want's numbers)."""
    got = _as_list(mine)
    if want and isinstance(want[0], list):  # a matrix, as rows
        rows, columns = len(want), len(want[0])
        shaped = got is not None and all(isinstance(r, list) for r in got)
        if shaped and (len(got), len(got[0]) if got else 0) == (columns, rows) != (rows, columns):
            return f"{name} has the transposed shape, {columns} × {rows}: {hint}"
        if not shaped or len(got) != rows or any(len(r) != columns for r in got):
            return f"{name} must be {rows} × {columns}, like its weights: {hint}"
        got, want = [v for r in got for v in r], [v for r in want for v in r]
    elif got is None or len(got) != len(want) or any(isinstance(v, list) for v in got):
        return f"{name} must be a row of {len(want)}, one number per unit: {hint}"
    if all(close(g, w) for g, w in zip(got, want)):
        return ""
    return f"{name} has the right shape but not backward()'s numbers: {hint}"


# ---- notebook 04, exercise 1: one layer down, through relu ----

def check_relu_layer(model, x: Sequence[float], d: Sequence[float], grad_Y1: object,
                     grad_Z1: object, grad_W1: object) -> str:
    """Compare ∇Y₁ Div, ∇Z₁ Div and ∇W₁ Div of a two-layer relu network (softmax, KL) with
    backward()."""
    if None in (grad_Y1, grad_Z1, grad_W1) or any(
            isinstance(v, type(...)) for v in (grad_Y1, grad_Z1, grad_W1)):
        return NOT_DONE
    from nn import kl_divergence

    found = engine_gradients(model, x, d, kl_divergence)
    return (_compare("∇Y₁ Div", grad_Y1, found["Y"][1],
                     "each entry j sums over the units i of layer 2, ∂Div/∂z_i times w_ji.")
            or _compare("∇Z₁ Div", grad_Z1, found["Z"][1],
                        "relu's Jacobian is diagonal: which number is on the diagonal where "
                        "z > 0, and which where z ≤ 0?")
            or _compare("∇W₁ Div", grad_W1, found["W"][1],
                        "entry [i][j] is ∂Div/∂z_i of layer 1 times input j: an outer product."))


# ---- notebook 04, exercise 2: softmax followed by ½ L2 ----

def check_softmax_l2(grad_Z: object, model, x: Sequence[float], d: Sequence[float]) -> str:
    """Compare a learner's ∇Z_N Div, for softmax outputs judged by ½ L2, with backward()."""
    if grad_Z is None:
        return NOT_DONE
    from nn import l2_divergence

    found = engine_gradients(model, x, d, l2_divergence)
    got = _as_list(grad_Z)
    N = len(model.layers)
    want = found["Z"][N]
    if got is not None and len(got) == len(want) and all(isinstance(g, float) for g in got):
        grad_Y = found["Y"][N]  # y − d: what arrives at softmax's outputs
        if all(close(g, v) for g, v in zip(got, grad_Y)):
            return ("that is ∇Y Div, the gradient arriving at softmax's outputs: it still has "
                    "to pass through softmax's Jacobian to reach Z.")
        ys = [v.data for v in model([float(v) for v in x])]
        diagonal_only = [g * y * (1 - y) for g, y in zip(grad_Y, ys)]  # J's diagonal alone
        if all(close(g, v) for g, v in zip(got, diagonal_only)):
            return ("only the diagonal of softmax's Jacobian is used: each y_i depends on every "
                    "z_j, so row · J sums over all i, the −y_i y_j terms included.")
    return _compare("∇Z Div", grad_Z, want,
                    "after softmax, ∇Z Div = ∇Y Div · J, with J[i][j] = ∂y_i/∂z_j.")


# ---- notebook 04b, exercise 1: the recursion as a loop ----

def check_recursion(grad_Z: object, grad_W: object, grad_Y: object, model,
                    x: Sequence[float], d: Sequence[float],
                    divergence: Callable | None = None) -> str:
    """Compare the loop's ∇Z_k, ∇W_k and ∇Y_(k−1) (dicts keyed by k) with backward(), layer by
    layer from the top, as the loop computes them."""
    if any(v is None for v in (grad_Z, grad_W, grad_Y)):
        return NOT_DONE
    if divergence is None:
        from nn import kl_divergence as divergence
    found = engine_gradients(model, x, d, divergence)
    N = len(model.layers)
    for name, given in (("grad_Z", grad_Z), ("grad_W", grad_W), ("grad_Y", grad_Y)):
        if not isinstance(given, dict):
            return f"{name} must be a dict keyed by the layer number k, from 1 to N."
        if name != "grad_Y" and any(given.get(k) is None for k in range(1, N + 1)):
            return f"not done yet: {name}[k] is still None for some layer k."
    if any(grad_Y.get(k) is None for k in range(1, N)):
        return "not done yet: grad_Y[k − 1] is still None for some layer k > 1."
    for k in range(N, 0, -1):
        said = (_compare(f"grad_Z[{k}]", grad_Z[k], found["Z"][k],
                         "a row times the layer's Jacobian: the sum runs over the row's index i, "
                         "J[i][j] = ∂y_i/∂z_j.")
                or _compare(f"grad_W[{k}]", grad_W[k], found["W"][k],
                            f"entry [i][j] is entry i of ∇Z_{k} Div times entry j of Y_{k - 1}: "
                            "a column times a row.")
                or (k > 1 and _compare(f"grad_Y[{k - 1}]", grad_Y[k - 1], found["Y"][k - 1],
                                       f"a row times W_{k}: entry j sums over the units i of "
                                       f"layer {k}, ∂Div/∂z_i times w_ji.")))
        if said:
            return said if k == N else f"layer {k} (the top layers agree): {said}"
    return ""


# ---- notebook 04b, exercise 2: what backpropagation keeps from the forward pass ----

OTHER_SIZES = (5, 6, 4, 3)  # a second network for check_numbers_kept: the formula, not a number


def numbers_kept(sizes: Sequence[int]) -> int:
    """The numbers of one sample that a backward pass reads, in an MLP of widths
    sizes = (n_0, n_1, …, n_N) with tanh (or sigmoid) hidden layers and softmax outputs
    trained with KL: each Y_k, from Y_0 = x to Y_N, and the desired output d (n_N numbers).
    ∇Y_N Div = −d / Y_N reads d and Y_N; ∇W_k needs Y_(k−1), down to Y_0 = x; each
    Jacobian is written with the layer's output Y_k, so no Z_k need be kept. The weights are
    kept whatever the sample, so they do not count.

    >>> numbers_kept([3, 4, 3])
    13
    """
    return sum(sizes) + sizes[-1]


def _miscount(count: int, sizes: Sequence[int]) -> str:
    """What a wrong count for sizes most likely left out or added; "" if it is right."""
    want = numbers_kept(sizes)
    if count == want:
        return ""
    if count == want + sum(sizes[1:]):
        return ("you also keep every Z_k: look at the Jacobians again. tanh's 1 − y² and "
                "softmax's diag(y) − y yᵀ are both written with the layer's output.")
    if count == want - sizes[-1]:  # d or Y_N left out: both have n_N numbers
        return ("one vector of the top layer's width is missing: the first line, "
                "∇Y_N Div = −d / Y_N, reads two vectors, the desired output and the network's.")
    if count in (want - sizes[0], want - sizes[0] - sizes[-1]):
        return "∇W₁ Div = (∇Z₁ Div)ᵀ Y₀ᵀ: which vector of the sample is Y₀?"
    if count >= sum(n * m + n for m, n in zip(sizes, sizes[1:])):
        return ("the weights are not the sample's: they are kept whatever the sample. Count "
                "only the numbers of the sample that the backward pass reads.")
    return ("not the count: go through the recursion, its first line included, and list, for "
            "each line, which vectors of the sample it reads.")


def check_numbers_kept(kept_per_sample: object, sizes: Sequence[int]) -> str:
    """kept_per_sample, a function of the widths, gives numbers_kept for sizes and for a
    second network, OTHER_SIZES (so that a number written in for one network fails)."""
    if kept_per_sample is None:
        return NOT_DONE
    if not callable(kept_per_sample):
        return ("kept_per_sample is a function of the widths (lambda sizes: ...), so that the "
                "check can try it on another network too.")
    for widths in (list(sizes), list(OTHER_SIZES)):
        count = kept_per_sample(list(widths))
        if count is None:
            return "not done yet: your function returns None; make it return the count."
        if not isinstance(count, int) or isinstance(count, bool):
            return "the count is a whole number of numbers (an int)."
        said = _miscount(count, widths)
        if said and widths != list(sizes):
            shape = "-".join(map(str, widths))
            return (f"right for sizes, but not for a {shape} network: compute the count from "
                    "the widths in sizes, not from the numbers of one network.")
        if said:
            return said
    return ""


# ---- notebook 04c: a batch at once ----

def matrix_rank(matrix: Sequence[Sequence[float]], tol: float = 1e-9) -> int:
    """The rank of a matrix given as rows: how many rows are left that are not combinations of
    the others, by Gaussian elimination (an entry below tol times the largest counts as 0).

    >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]]), matrix_rank([[1.0, 0.0], [0.0, 3.0]])
    (1, 2)
    """
    rows = [[float(v) for v in row] for row in matrix]
    scale = max((abs(v) for row in rows for v in row), default=0.0)
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = max(range(rank, len(rows)), key=lambda r: abs(rows[r][column]), default=None)
        if pivot is None or abs(rows[pivot][column]) <= tol * scale:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(rank + 1, len(rows)):
            factor = rows[r][column] / rows[rank][column]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank])]
        rank += 1
    return rank


def check_rank(rank: object, matrix: object) -> str:
    """Compare a learner's rank of matrix (measured, e.g. with numpy) with matrix_rank."""
    if rank is None or matrix is None:
        return NOT_DONE
    rows = _as_list(matrix)
    if not isinstance(rank, int) or rows is None:
        return "the rank is a whole number (an int; int() of numpy's answer will do)."
    if rank == matrix_rank(rows):
        return ""
    return ("not the rank of that matrix: count the rows that are not combinations of the "
            "others (numpy.linalg.matrix_rank does), not its rows or columns.")


def check_input_gradients(grad_X: object, model, X: Sequence, D: Sequence,
                          divergence: Callable | None = None) -> str:
    """Compare a learner's gradient of the summed divergence with respect to the batch's inputs,
    an n_0 × T matrix (column t: ∇x Div of sample t, as a column), with backward() per sample."""
    if grad_X is None:
        return NOT_DONE
    if divergence is None:
        from nn import kl_divergence as divergence
    columns = [engine_gradients(model, x, d, divergence)["Y"][0] for x, d in zip(X, D)]
    want = [[column[j] for column in columns] for j in range(len(columns[0]))]
    return _compare("∇Y₀ for the batch", grad_X, want,
                    "one column per sample: a row times W₁ for each sample, that is W₁ᵀ "
                    "times the matrix whose columns are the samples' ∇Z₁ Div.")
