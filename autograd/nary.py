"""n-ary and fused primitives: the same math as a chain of + and *, in one node (fewer nodes,
same floats), and log(1 - y) computed where 1 - y would round to 0.

>>> from autograd import Value, affine
>>> w, b = [Value(2.0), Value(-1.0)], Value(0.5)
>>> z = affine(w, [3.0, 4.0], b)            # z = 2·3 + (-1)·4 + 0.5
>>> z.backward(); z.data, w[0].grad, b.grad
(2.5, 3.0, 1.0)

Their rows are autograd.ops.AFFINE, SUM, MAX and LOG_ONE_MINUS_SIGMOID, which hold their
derivatives; these functions check the arguments and apply the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from autograd.ops import AFFINE, LOG_ONE_MINUS_SIGMOID, MAX, SIGMOID, SUM
from autograd.value import Operand, Value, constant, nary_node_of


def affine(weights: Sequence[Value], inputs: Sequence[Operand], bias: Value) -> Value:
    """z = Σ_j w_j x_j + b, one node.  dz/dw_j = x_j, dz/dx_j = w_j, dz/db = 1.

    Parents are w_1 .. w_n, then x_1 .. x_n, then b; a number input becomes a constant leaf, as
    a number operand of + and * does.

    >>> w = [Value(2.0), Value(-1.0)]; z = affine(w, [3.0, 4.0], Value(0.5))
    >>> z.data, z.local_grads
    (2.5, (3.0, 4.0, 2.0, -1.0, 1.0))
    """
    _check_one_weight_per_input(weights, inputs)
    if not set(map(type, weights)) <= {Value} and \
            not all(isinstance(v, Value) for v in weights) or not isinstance(bias, Value):
        got = f"weights {weights!r:.200} and bias {bias!r}"
        raise TypeError(f"affine needs Values for its weights and bias, got {got}")
    xs = [x if isinstance(x, Value) else constant(x, "affine") for x in inputs]
    return nary_node_of(AFFINE, (*weights, *xs, bias))


def affine_of_values(weights: Sequence[Value], inputs: Sequence[Value], bias: Value) -> Value:
    """affine(weights, inputs, bias) for arguments that are Values already, one input per
    weight (checked), their types unchecked: for callers that made sure of them once (nn's
    layers make their inputs Values once per layer, and own their weights), as a network does
    for every neuron. A number among them raises AttributeError (no .data)."""
    _check_one_weight_per_input(weights, inputs)
    return nary_node_of(AFFINE, (*weights, *inputs, bias))


def _check_one_weight_per_input(weights: Sequence, inputs: Sequence) -> None:
    if len(weights) != len(inputs):
        raise ValueError(f"affine needs one weight per input, got {len(weights)} weights "
                         f"and {len(inputs)} inputs")


def sum_of(terms: Iterable[Operand]) -> Value:
    """Σ_i x_i, one node.  d/dx_i = 1.  A number term becomes a constant leaf.

    >>> sum_of([Value(1.0), Value(2.0), 3]).data
    6.0
    """
    parents = tuple(t if isinstance(t, Value) else constant(t, "sum_of") for t in terms)
    if not parents:
        raise ValueError("sum_of needs at least one term")
    return nary_node_of(SUM, parents)


def detached_max(values: Sequence[Value]) -> Value:
    """max_i x_i with every local derivative 0: a shift that gradients do not see.

    For softmax's stability trick (softmax(z - m) = softmax(z) for any m): the shift is recomputed
    from the inputs, yet contributes nothing to the gradient, exactly as a constant would.
    """
    values = tuple(values)
    if not values:
        raise ValueError("detached_max needs at least one Value")
    return Value.apply_op(MAX, values)


def log_one_minus(y: Value) -> Value:
    """log(1 - y).  d/dy = -1 / (1 - y).  Fused for a sigmoid output, as binary cross-entropy needs.

    For y = σ(z), a node made by .sigmoid(), 1 - y is σ(-z): the result is one node
    log_one_minus_sigmoid(z) = log σ(-z) = -softplus(z), with parent z and d/dz = -σ(z). It stays
    finite where 1 - y itself rounds to 0 (z > 37), as a confidently wrong prediction does.
    Any other y: the composite (1 - y).log(), for 0 <= y < 1.

    >>> z = Value(40.0)
    >>> log_one_minus(z.sigmoid()).data       # (1 - z.sigmoid()).log() would be log 0
    -40.0
    """
    if y.op is SIGMOID and y.parents:
        return LOG_ONE_MINUS_SIGMOID(y.parents[0])
    return (1.0 - y).log()
