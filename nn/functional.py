"""Activations, softmax and the divergences, as compositions of Value ops (no gradient code).

>>> from autograd import Value
>>> from nn.functional import softmax, cross_entropy, l2_divergence
>>> y = softmax([Value(1.0), Value(2.0), Value(3.0)])
>>> [round(v.data, 4) for v in y]
[0.09, 0.2447, 0.6652]
>>> round(cross_entropy(y, 2).data, 4)       # -log y_2
0.4076
>>> l2_divergence(Value(3.0), 1.0).data      # ½ (3 - 1)²
2.0

Notation as in the course: z = Σ_j w_j x_j + b, y = f(z), d the desired output, Div(y, d).
Reduction convention, the same everywhere: a divergence is SUMMED over a sample's outputs;
training AVERAGES it over the T samples of a batch (nn.train).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Union

from autograd import Op, Value, detached_max, log_one_minus, sum_of
from autograd.ops import BUILT_IN, all_ops
from nn.checks import is_whole_number

Output = Union[Value, Sequence[Value]]  # what a model returns: one Value or a list of them


# ---- activations: y = f(z) on one Value ----


def tanh(z: Value) -> Value:
    """y = tanh z.  dy/dz = 1 - y²."""
    return z.tanh()


def relu(z: Value) -> Value:
    """y = max(0, z).  dy/dz = 1 for z > 0, else 0 (relu'(0) is taken as 0)."""
    return z.relu()


def sigmoid(z: Value) -> Value:
    """y = σ(z) = 1 / (1 + e^-z).  dy/dz = y (1 - y)."""
    return z.sigmoid()


def linear(z: Value) -> Value:
    """y = z (the identity: no node is added).  dy/dz = 1."""
    return z


SCALAR_ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "tanh": tanh,
    "relu": relu,
    "sigmoid": sigmoid,
    "linear": linear,
}
ACTIVATIONS = (*SCALAR_ACTIVATIONS, "softmax")  # softmax acts on a whole layer


def check_activation(activation: object) -> str:
    """The activation's name: one of ACTIVATIONS, or an op of one input made with
    autograd.define_op (given as the op, or by its name once defined); else a ValueError."""
    if isinstance(activation, Op) and activation.arity == 1:
        return activation.name
    if activation in ACTIVATIONS:
        return activation
    if isinstance(activation, str) and activation in defined_ops():
        return activation
    raise ValueError(f"unknown activation {activation!r}; choose one of: "
                     f"{', '.join(ACTIVATIONS)}, or an op of one input made with "
                     "autograd.define_op (define it before building or loading the model)")


def scalar_activation(activation: str | Op) -> Callable[[Value], Value]:
    """y = f(z) for a scalar activation: a name of SCALAR_ACTIVATIONS, or a define_op op of one
    input (or its name)."""
    name = check_activation(activation)
    return SCALAR_ACTIVATIONS.get(name) or defined_ops()[name]


def defined_ops() -> dict[str, Op]:
    return {op.name: op for op in all_ops() if op.arity == 1 and op not in BUILT_IN}


def softmax(zs: Sequence[Value | float]) -> list[Value]:
    """y_i = exp(z_i - m) / Σ_j exp(z_j - m), with m = max_j z_j.  The y_i are positive, sum to 1.

    ∂y_i/∂z_j = y_i (δ_ij - y_j).  Subtracting m changes nothing (softmax(z - m) = softmax(z))
    but keeps exp from overflowing. m is autograd.detached_max(zs): a node recomputed from the
    z's whose local derivatives are 0, so gradients see it exactly as a constant.

    >>> [round(y.data, 6) for y in softmax([Value(1000.0), Value(1000.0)])]
    [0.5, 0.5]
    """
    zs = [z if isinstance(z, Value) else Value(z) for z in zs]
    if not zs:
        raise ValueError("softmax needs at least one value, got an empty list")
    minus_m = -detached_max(zs)
    exps = [(z + minus_m).exp() for z in zs]
    inverse_total = sum_of(exps) ** -1  # one 1/Σ node shared by every output
    return [e * inverse_total for e in exps]


# ---- divergences: Div(y, d), summed over the outputs of one sample ----


def l2_divergence(y: Output, d: float | Sequence[float]) -> Value:
    """Div = ½ Σ_i (y_i - d_i)².  ∂Div/∂y_i = y_i - d_i.  Summed over outputs, not averaged
    (training averages over the samples of a batch).

    For regression (real-valued d). With a linear output layer y = z, so the gradient with
    respect to the affine term z is also y - d. y is a Value or a list of Values; d is a number
    for a scalar output (a Value, or a one-element list), else a list of y's length.

    >>> l2_divergence([Value(1.0), Value(2.0)], [0.0, 0.0]).data
    2.5
    """
    ys = _outputs(y, "l2_divergence")
    ds = _targets(d, len(ys), "l2_divergence")
    return sum_of([(yi - di) ** 2 for yi, di in zip(ys, ds)]) * 0.5


def kl_divergence(y: Output, d: Sequence[float]) -> Value:
    """Div = Σ_i d_i log(d_i / y_i), with 0 · log 0 = 0.  ∂Div/∂y_i = -d_i / y_i.  Summed over
    outputs, not averaged (training averages over the samples of a batch).

    For classification: y a probability vector (softmax outputs, all > 0), d the desired
    probability vector of y's length (non-negative, summing to 1 within 1e-6). With a one-hot d
    (d_c = 1) it equals -log y_c, and after a softmax layer its gradient with respect to the
    logits z is y - d. Terms with d_i = 0 are left out, so one-hot targets give no NaN. A y_i
    outside [0, 1] (not a softmax output) is a ValueError.

    >>> round(kl_divergence([Value(0.25), Value(0.75)], [0.0, 1.0]).data, 6)   # -log 0.75
    0.287682
    """
    ys = _outputs(y, "kl_divergence")
    check_probabilities([yi.data for yi in ys], "kl_divergence", "softmax")
    ds = _probabilities(d, len(ys))
    # Σ d log d does not depend on y: a constant leaf, labelled so that a drawing names it
    entropy = Value(sum(di * math.log(di) for di in ds if di > 0.0), label="Σ d log d")
    terms = [yi.log() * -di for yi, di in zip(ys, ds) if di > 0.0]
    return sum_of([*terms, entropy])


def cross_entropy(y: Output, c: int) -> Value:
    """Div = -log y_c for the desired class index c.  ∂Div/∂y_c = -1/y_c, 0 for the other y_i.
    One sample's divergence (the sum Σ_i d_i log(d_i/y_i) has one term); training averages.

    For classification with a softmax output: the same number as kl_divergence(y, one_hot(c)),
    with the gradient y - d with respect to the logits. 0 <= c < len(y); a negative index is
    refused rather than counted from the end.

    >>> round(cross_entropy([Value(0.5), Value(0.5)], 1).data, 6)   # log 2
    0.693147
    """
    ys = _outputs(y, "cross_entropy")
    if not is_whole_number(c) or not 0 <= c < len(ys):
        raise ValueError(f"cross_entropy needs a class index 0 <= c < {len(ys)} (the number "
                         f"of outputs), got {type(c).__name__}: {c!r}")
    return ys[c].log() * -1.0


def binary_cross_entropy(y: Output, d: int) -> Value:
    """Div = -[d log y + (1 - d) log(1 - y)] for a binary output d ∈ {0, 1}.  ∂Div/∂z = y - d.
    One sample, one output (nothing to sum or average here; training averages over a batch).

    For yes/no classification with one sigmoid output y = σ(z). The sum has one term: -log y
    for d = 1, -log(1 - y) for d = 0, by autograd.log_one_minus: when y was made by .sigmoid()
    (an MLP with output="sigmoid") that is one node computed from z as -softplus(z), the same
    number since 1 - σ(z) = σ(-z), but without the cancellation in 1 - y that turns y ≈ 1
    (z > 37) into log 0. (Its graph then reaches z directly, not through y.) For any other y,
    0 < y < 1; a y outside [0, 1] (not a sigmoid output) is a ValueError.

    >>> z = Value(40.0)
    >>> round(binary_cross_entropy(z.sigmoid(), 0).data, 6)   # ≈ z: confidently wrong
    40.0
    """
    (yv,) = _outputs(y, "binary_cross_entropy", size=1)
    check_probabilities([yv.data], "binary_cross_entropy", "sigmoid")
    if d not in (0, 1) or isinstance(d, bool) or not isinstance(d, Real):
        raise ValueError(f"binary_cross_entropy needs d = 0 or 1, got {type(d).__name__}: {d!r}")
    return (yv.log() if d == 1 else log_one_minus(yv)) * -1.0


def hinge(score: Output, d: int) -> Value:
    """Div = max(0, 1 - d · score) for d ∈ {-1, +1}: micrograd's max-margin loss.
    One sample, one output (training averages over a batch, as micrograd's demo does).

    ∂Div/∂score = -d where d · score < 1, else 0. A linear output (a score, not a
    probability); zero once the sample is on the right side with margin 1.

    >>> hinge(Value(0.25), 1).data, hinge(Value(3.0), 1).data, hinge(Value(3.0), -1).data
    (0.75, 0.0, 4.0)
    """
    (s,) = _outputs(score, "hinge", size=1)
    if d not in (-1, 1) or isinstance(d, bool) or not isinstance(d, Real):
        raise ValueError(f"hinge needs d = -1 or +1, got {type(d).__name__}: {d!r}")
    return (s * -float(d) + 1.0).relu()  # 1 - d·score, written as micrograd's (1 + -d·score)


DIVERGENCES: dict[str, Callable[..., Value]] = {
    "l2": l2_divergence,
    "kl": kl_divergence,
    "cross_entropy": cross_entropy,
    "bce": binary_cross_entropy,
    "hinge": hinge,
}


# ---- argument checks ----


def _outputs(y: Output, who: str, size: int | None = None) -> list[Value]:
    """y as a list of Values (a single Value is a one-element list)."""
    ys = [y] if isinstance(y, Value) else list(y) if isinstance(y, (list, tuple)) else None
    if ys is None or not all(isinstance(v, Value) for v in ys):
        raise TypeError(f"{who} needs y as a Value or a list of Values (a model's output), "
                        f"got {type(y).__name__}: {y!r}")
    if not ys or (size is not None and len(ys) != size):
        wanted = f"{size} output" if size is not None else "at least one output"
        raise ValueError(f"{who} needs {wanted}, got {len(ys)}")
    return ys


ROUNDING = 1e-12  # how far above 1 a rounded probability may land (1 + 2**-52 after a softmax)


def check_probabilities(ys: Sequence[float], who: str, made_by: str) -> None:
    """A ValueError unless every output number y_i is a probability, 0 <= y_i <= 1 (+ ROUNDING).
    (A compiled loss, which runs this check only when it traces, can call it on its outputs.)"""
    for i, yi in enumerate(ys, 1):
        if not 0.0 <= yi <= 1.0 + ROUNDING:
            raise ValueError(f"{who} needs y to be probabilities in [0, 1] ({made_by} outputs), "
                             f"got y_{i} = {yi!r}; use output={made_by!r}")


def check_outputs_fit(divergence: Callable[..., Value], ys: Sequence[float]) -> None:
    """check_probabilities for the divergences that take probabilities (kl_divergence,
    binary_cross_entropy); nothing for the others."""
    if divergence is kl_divergence:
        check_probabilities(ys, "kl_divergence", "softmax")
    elif divergence is binary_cross_entropy:
        check_probabilities(ys, "binary_cross_entropy", "sigmoid")


def _targets(d: float | Sequence[float], n: int | None, who: str) -> list[float]:
    """d as a list of n floats (any length for n=None); a number d stands for [d]."""
    if isinstance(d, Real) and not isinstance(d, bool):
        ds = [d]
    elif isinstance(d, (list, tuple)) and all(
            isinstance(x, Real) and not isinstance(x, bool) for x in d):
        ds = list(d)
    else:
        raise TypeError(f"{who} needs d as a number or a list of numbers, "
                        f"got {type(d).__name__}: {d!r}")
    if n is not None and len(ds) != n:
        raise ValueError(f"{who} needs one desired value per output: y has {n} outputs, "
                         f"d has {len(ds)} values ({d!r})")
    if not all(math.isfinite(x) for x in ds):
        raise ValueError(f"{who} needs finite desired values, got {d!r}")
    return [float(x) for x in ds]


def _probabilities(d: Sequence[float], n: int) -> list[float]:
    """d as a probability vector of length n: non-negative, summing to 1 within 1e-6."""
    if not isinstance(d, (list, tuple)):
        raise ValueError(f"kl_divergence needs d as a probability vector of length {n} "
                         f"(use nn.one_hot(c, {n}) for a class index), got "
                         f"{type(d).__name__}: {d!r}")
    try:
        ds = _targets(d, n, "kl_divergence")
    except TypeError as error:  # a non-number entry: not a probability vector either
        raise ValueError(str(error)) from None
    if any(x < 0.0 for x in ds) or abs(sum(ds) - 1.0) > 1e-6:
        raise ValueError(f"kl_divergence needs d to be a probability vector (entries >= 0 "
                         f"summing to 1), got {d!r} (sum {sum(ds)!r})")
    return ds
