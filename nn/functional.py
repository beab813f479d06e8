"""Activations and softmax, as compositions of Value ops (no gradient code).

>>> from autograd import Value
>>> from nn.functional import softmax, scalar_activation
>>> y = softmax([Value(1.0), Value(2.0), Value(3.0)])
>>> [round(v.data, 4) for v in y]
[0.09, 0.2447, 0.6652]
>>> scalar_activation("sin")(Value(0.0)).data      # any op row of one input is an activation
0.0

Notation as in the course: z = Σ_j w_j x_j + b, y = f(z). The scalar activations are the
engine's op rows of one input (autograd.ops: tanh, relu, sigmoid, sin, ..., and every op made
with autograd.define_op), looked up by name, plus "linear" (y = z, no node); softmax acts on a
whole layer. The divergences Div(y, d) are in nn.divergences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Union

from autograd import Op, Value, detached_max, scope, sum_of
from autograd.ops import public_function, public_functions

Output = Union[Value, Sequence[Value]]  # what a model returns: one Value or a list of them


def output_list(y: Output) -> list[Value]:
    """A model's output as a list: a single Value is a list of one."""
    return [y] if isinstance(y, Value) else list(y)


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


def activations() -> list[str]:
    """The names an activation may have now: "linear", every op row of one input a person
    calls by name (the built-in ones, then those made with autograd.define_op), and "softmax"
    (a whole layer's)."""
    return ["linear", *(op.name for op in public_functions()), "softmax"]


def check_activation(activation: object) -> str:
    """The activation's name: "linear", "softmax", or an op row of one input (given as the Op,
    or by its name); else a ValueError listing the names there are."""
    if isinstance(activation, Op) and activation.arity == 1:
        return activation.name
    if activation in ("linear", "softmax") or _one_input_row(activation) is not None:
        return activation
    raise ValueError(f"unknown activation {activation!r}; choose one of: "
                     f"{', '.join(activations())} (an op made with autograd.define_op must be "
                     f"defined before building or loading the model that uses it)")


def scalar_activation(activation: str | Op) -> Callable[[Value], Value]:
    """y = f(z) for a scalar activation: the identity for "linear", else its op row applied
    (as the Value method the row names, z.tanh(), where it names one: the same node, without
    the row's dispatch on its argument). A ValueError as check_activation's for any other name."""
    if isinstance(activation, Op) and activation.arity == 1:
        row = activation
    else:
        name = check_activation(activation)
        if name == "softmax":
            raise ValueError("softmax is a vector activation (it needs the whole layer's z's), "
                             "not a scalar one")
        if name == "linear":
            return linear
        row = _one_input_row(name)
    return getattr(Value, row.method) if row.method else row  # Value.relu(z) is z.relu()


def _one_input_row(name: object) -> Op | None:
    """The op row of one input called name (autograd.ops.public_functions), else None."""
    if not isinstance(name, str):
        return None
    return public_function(name)


SOFTMAX_NOTE = "yᵢ = exp(zᵢ) / Σⱼ exp(zⱼ).  ∂yᵢ/∂zⱼ = yᵢ (δᵢⱼ − yⱼ)"  # for drawings


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
    with scope("softmax", note=SOFTMAX_NOTE):  # a drawing shows it as one box (a group)
        minus_m = -detached_max(zs)
        exps = [(z + minus_m).exp() for z in zs]
        inverse_total = sum_of(exps) ** -1  # one 1/Σ node shared by every output
        return [e * inverse_total for e in exps]
