"""Derivatives of derivatives: a gradient as a graph of Values, Hessians, and H·v.

>>> from autograd import Value, grad, hessian
>>> x = Value(2.0, label="x")
>>> y = x**4 - 2 * x**2
>>> (dy,) = grad(y, [x])            # 4x³ - 4x, a Value whose graph reaches back to x
>>> dy.data
24.0
>>> (d2y,) = grad(dy, [x])          # differentiate the derivative: 12x² - 4
>>> d2y.data
44.0
>>> hessian(lambda a, b: a * a * b + b.exp(), [1.0, 0.5])   # [[2b, 2a], [2a, exp(b)]]
[[1.0, 2.0], [2.0, 1.6487212707001282]]

backward() passes floats from the output back to the leaves: adjoint × local derivative, summed
over every use of a node. grad() runs the same walk (autograd.backprop.backpropagate) on Values:
each op's local derivative is its row's derivative (autograd.ops) evaluated on the node's
parents and the node itself (x * y contributes y and x; tanh, the graph of its derivative as
its row writes it). The products and sums are Value ops too, so the result is a
graph like any other: draw_graph draws it, grad differentiates it again, autograd.compile
compiles it.

What the graph of a derivative leaves out, to stay small: multiplying by the seed 1, terms
whose derivative is the number 0 (detached_max, step), and nodes that do not depend on an
input. Derivatives that are numbers in their rows (the 1s of +, sum and a bias) stay numbers
until they meet a Value.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from numbers import Real

from autograd import ops
from autograd.backprop import NOTHING, backpropagate, scratch_gradients, topological_order
from autograd.check import jacobian
from autograd.nary import sum_of
from autograd.ops import Op
from autograd.recording import recording, recording_on, restore_state
from autograd.symbols import Symbol
from autograd.value import Value

Adjoint = Value | float  # d output / d node while grad works: a Value, or a number from a row


def grad(output: Value, inputs: Sequence[Value]) -> list[Value]:
    """d output / d input for each input, as Values whose graphs can be drawn, differentiated
    again and compiled.

    backward()'s walk (autograd.backprop.backpropagate) on Values: each local derivative is the
    op's row evaluated on the node's parents and the node itself, as a graph; so
    grad(y, [x])[0].data is the x.grad of a fresh y.backward(). inputs may be any Values of
    output's graph, leaves or not (d output / d input with that node as the variable, as in
    torch.autograd.grad). grad(x, [x]) is Value(1.0); an input that output does not depend on
    gets Value(0.0). A result is never a node of output's graph: d(x * y)/dx is y, returned as
    a node of its own over y (sum_of([y])), so relabelling it leaves the graph alone. No
    .grad is touched. Under no_grad() the results are leaves holding the numbers, as every
    op's result is there.

    >>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    >>> y = (x * w).tanh()
    >>> dw, dx = grad(y, [w, x])        # dy/dw = x (1 - y²), dy/dx = w (1 - y²)
    >>> dw.data == x.data * (1 - y.data**2), dx.data == w.data * (1 - y.data**2)
    (True, True)
    >>> grad(dw, [w])[0].data == x.data * -2 * y.data * (1 - y.data**2) * x.data
    True
    """
    inputs = _check_arguments(output, inputs)
    if not recording():  # no graph to build: the numbers, as leaves
        order = topological_order(output)
        for node in order:
            if node.parents:
                _row(node)  # a node without a row is refused here too
        return [Value(g) for g in jacobian([output], inputs)[0]]
    with _without_cyclic_gc():
        order = topological_order(output)
        depends = _depending_on(order, inputs)
        with scratch_gradients(order, {output: 1.0}):
            backpropagate(order, edges=lambda node: _row_edges(node, depends))
            results = [v.grad if v in depends and v.grad is not NOTHING else 0.0
                       for v in inputs]
        graph = set(order)
        return [_as_value(result, graph) for result in results]


def _row_edges(node: Value, depends: set) -> list[tuple[Value, Adjoint]]:
    """(parent, d node/d parent) from the node's row, as a graph, for each parent that depends
    on an input; none where the derivative is the number 0 (it adds nothing), nor for a node
    that depends on no input."""
    if node not in depends or not node.parents:
        return []
    try:
        locals_ = _row_derivatives(node)
    except ArithmeticError:  # perhaps only where nothing needs it: a constant's derivative
        if all(parent in depends for parent in node.parents):
            raise
        locals_ = _needed_derivatives(node, depends)
    return [(parent, local) for parent, local in zip(node.parents, locals_)
            if parent in depends and (isinstance(local, Value) or local != 0)]


def _needed_derivatives(node: Value, depends: set) -> tuple:
    """The row's derivatives one by one, only for the parents that depend on an input (0 for
    the others, which nothing needs): each is the row's derivative written as source on
    symbols, as autograd.compile writes it, then run with the node and the parents that depend
    on an input as Values, the others as numbers. So x / 1e-160 has d/dx = 1e160 though d/dy,
    the constant's, would overflow. (The source is the row's own, made by autograd.symbols:
    nothing a person typed.)"""
    op = _row(node)
    names = [f"x{i}" for i in range(len(node.parents))]
    texts = op.local_derivatives(tuple(map(Symbol, names)), Symbol("out"))
    # a parent no input reaches is a number here: nothing is differentiated with respect to it
    values = [p if p in depends else p.data for p in node.parents]
    scope = {**ops.functions_by_name(), **dict(zip(names, values)), "out": node}
    return tuple(0.0 if parent not in depends else _run(text, scope)
                 for text, parent in zip(texts, node.parents))


def _run(derivative: object, scope: dict) -> object:
    """A derivative written as source (a Symbol) run in scope; a number as it is."""
    if not isinstance(derivative, Symbol):
        return derivative
    return eval(derivative.text, {"__builtins__": {}}, scope)  # noqa: S307 (our own source)


def _row_derivatives(node: Value) -> tuple:
    """The node's local derivatives from its op's row, evaluated on its parents and itself:
    Values (a graph) or numbers (where the row says a number)."""
    op = _row(node)
    locals_ = op.local_derivatives(node.parents, node)  # a TypeError if written with math
    for local in locals_:
        if type(local) is not float and not isinstance(local, Value) and not _is_number(local):
            raise TypeError(f"{op.name}'s derivative must give Values or numbers on Values, got "
                            f"{type(local).__name__}: {local!r}")
    return locals_


def _row(node: Value) -> Op:
    """The node's op, which must be a row of autograd.ops to be differentiated again."""
    if not isinstance(node.op, Op):
        raise ValueError(f"grad cannot differentiate {node!r}: its op {node.op!r} has no row "
                         "in autograd.ops (a node built as Value(data, children, op) with a "
                         "_backward of its own). Define the op with autograd.define_op.")
    return node.op


def _depending_on(order: list[Value], inputs: list[Value]) -> set[Value]:
    """The nodes of order (a topological order) that are inputs or depend on one."""
    depends = set(inputs)
    for node in order:
        for parent in node.parents:
            if parent in depends:
                depends.add(node)
                break
    return depends


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a derivative's graph is built. Values
    hold no reference cycles (refcounting frees them), yet each collection of the oldest
    generation walks every live node: on a chain of 1e5 ops, grad took 1.7 times as long with
    the collector running."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _as_value(adjoint: Adjoint, graph: set[Value]) -> Value:
    """The result as a Value of its own: a number as a leaf, and a node of output's graph (the
    y of d(x * y)/dx) as a node of one term, sum_of([y]), which holds y's number and depends on
    y alone, so renaming or changing it leaves output's graph as it was."""
    if not isinstance(adjoint, Value):
        return Value(float(adjoint))
    return sum_of([adjoint]) if adjoint in graph else adjoint


def _is_number(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


# ---- second derivatives of a function at a point ----


def hessian(f: Callable[..., Value], point: Iterable[float]) -> list[list[float]]:
    """H[i][j] = ∂²f / ∂x_i ∂x_j at point, as floats.

    f takes one Value per entry of point and returns a Value, as in gradcheck. The gradient
    g = grad(f(x), x) is built once as a graph; row i of H is then the gradient of g_i,
    jacobian(g, x): one pass of numbers over that graph per row (no .grad is touched). A
    graph is recorded even under no_grad(), since the answer needs one.

    >>> hessian(lambda x, y: x * x * y, [3.0, 2.0])      # [[2y, 2x], [2x, 0]]
    [[4.0, 6.0], [6.0, 0.0]]
    """
    xs, gradient = _gradient_graph(f, point, "hessian")
    return jacobian(gradient, xs)


def hvp(f: Callable[..., Value], point: Iterable[float], v: Iterable[float]) -> list[float]:
    """H·v at point, as floats, without forming H: the gradient of Σ_i g_i v_i, where
    g = grad(f(x), x). One pass over the gradient's graph, however many inputs f has.

    >>> hvp(lambda x, y: x * x * y, [3.0, 2.0], [1.0, 0.0])   # the first column of H
    [4.0, 6.0]
    """
    xs, gradient = _gradient_graph(f, point, "hvp")
    numbers = list(v) if isinstance(v, Iterable) and not isinstance(v, (str, bytes)) else None
    if numbers is None or not all(map(_is_number, numbers)):
        raise TypeError(f"hvp needs v as a list of numbers, one per entry of point, got "
                        f"{type(v).__name__}: {v!r}")
    if len(numbers) != len(xs):
        raise ValueError(f"hvp needs one number of v per entry of point ({len(xs)}), "
                         f"got {len(numbers)}")
    token = recording_on()
    try:
        terms = [g * float(vi) for g, vi in zip(gradient, numbers) if vi != 0]
        directional = sum_of(terms) if terms else Value(0.0)
    finally:
        restore_state(token)
    return jacobian([directional], xs)[0]


def _gradient_graph(f: Callable[..., Value], point: Iterable[float],
                    who: str) -> tuple[list[Value], list[Value]]:
    """Leaves at point, and grad(f(*leaves), leaves): a graph recorded even under no_grad()."""
    if not callable(f):
        raise TypeError(f"{who} needs f as a function of Values, got {type(f).__name__}: {f!r}")
    if isinstance(point, (str, bytes, Value)) or not isinstance(point, Iterable):
        raise TypeError(f"{who} needs point as a list of numbers, one per argument of f, got "
                        f"{type(point).__name__}: {point!r}")
    xs = [Value(x.data if isinstance(x, Value) else x) for x in point]  # Value checks each
    token = recording_on()
    try:
        output = f(*xs)
        if not isinstance(output, Value):
            raise TypeError(f"{who} needs f to return a Value, got {type(output).__name__}: "
                            f"{output!r}")
        return xs, grad(output, xs)
    finally:
        restore_state(token)


def _check_arguments(output: object, inputs: object) -> list[Value]:
    if not isinstance(output, Value):
        raise TypeError(f"grad needs output as a Value, got {type(output).__name__}: {output!r}")
    if isinstance(inputs, Value):
        raise TypeError(f"grad needs inputs as a list of Values, got one Value: {inputs!r} "
                        "(write [x] for one input)")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"grad needs inputs as a list of Values, got {type(inputs).__name__}: "
                        f"{inputs!r}")
    for k, v in enumerate(inputs):
        if not isinstance(v, Value):
            raise TypeError(f"grad needs inputs as a list of Values, got {type(v).__name__} "
                            f"at position {k}: {v!r}")
    return list(inputs)
