"""grad, hessian and hvp: derivatives of derivatives, as graphs of Values.

Closed forms first (each expected derivative is worked out in the test's docstring), then the
promises of grad (the numbers of backward(), no .grad touched, no recursion, small graphs, any
node as an input, no_grad, errors), then cross-checks against torch float64 on random programs
over every op (second and third derivatives), Hessians, H·v, compiled Newton steps and an MLP.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import (
    Value,
    affine,
    define_op,
    detached_max,
    functions,
    grad,
    gradcheck,
    hessian,
    hvp,
    log_one_minus,
    no_grad,
    sum_of,
    topological_order,
)

# an op of the user's own, as define_op makes it: softplus, log(1 + e^x); d/dx = σ(x)
softplus = define_op("softplus_for_grad_tests", lambda x: math.log1p(math.exp(x)),
                     lambda x, out: functions.sigmoid(x), formula="σ(x)")

reals = st.floats(-3, 3)


def derivatives(y: Value, x: Value, count: int) -> list[Value]:
    """[dy/dx, d²y/dx², ...]: grad applied count times."""
    found = []
    for _ in range(count):
        (y,) = grad(y, [x])
        found.append(y)
    return found


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(1.0, scale))


# ---- closed forms ----


def test_derivatives_of_a_quartic_down_to_zero():
    """y = x⁴ - 2x² at x = 2: y' = 4x³ - 4x = 24, y'' = 12x² - 4 = 44, y''' = 24x = 48,
    y'''' = 24, and the fifth derivative 0 (a graph of constants: no path back to x)."""
    x = Value(2.0, label="x")
    y = x**4 - 2 * x**2
    assert [d.data for d in derivatives(y, x, 5)] == [24.0, 44.0, 48.0, 24.0, 0.0]


@given(reals)
def test_tanh_derivatives(x0):
    """t = tanh x: t' = 1 - t², t'' = -2t (1 - t²), t''' = (1 - t²)(6t² - 2)."""
    x = Value(x0)
    t = math.tanh(x0)
    first, second, third = derivatives(x.tanh(), x, 3)
    assert first.data == 1 - t * t  # the row's own arithmetic: the same float
    assert close(second.data, -2 * t * (1 - t * t))
    assert close(third.data, (1 - t * t) * (6 * t * t - 2))


@given(reals)
def test_sin_and_cos_cycle_through_four_derivatives(x0):
    """sin' = cos, sin'' = -sin, sin''' = -cos, sin'''' = sin: each the same float as math's."""
    x = Value(x0)
    d = derivatives(x.sin(), x, 4)
    assert [v.data for v in d] == [math.cos(x0), -math.sin(x0), -math.cos(x0), math.sin(x0)]
    c = derivatives(x.cos(), x, 4)
    assert [v.data for v in c] == [-math.sin(x0), -math.cos(x0), math.sin(x0), math.cos(x0)]


def test_exp_is_its_own_derivative_node():
    """d/dx e^x is the node e^x (the row reuses the output), given as a node of one term over
    it (sum_of([e])), so that the caller's result is not a node of the caller's graph."""
    x = Value(0.3)
    e = x.exp()
    (first,) = grad(e, [x])
    (second,) = grad(first, [x])
    assert first is not e and (first.op, first.parents, first.data) == ("sum", (e,), e.data)
    assert second is not e and (second.op, second.parents) == ("sum", (e,))


def test_a_gradient_is_not_a_node_of_the_graph():
    """N: grad(x * w, [x]) is not w itself: relabelling or changing the result leaves the
    graph (and its next backward) as it was; its derivative with respect to w is still 1."""
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    y = x * w
    (dx,) = grad(y, [x])
    assert dx is not w and dx.data == 2.0
    dx.label, dx.data = "dx", 5.0
    assert (w.label, w.data) == ("w", 2.0)
    assert grad(dx, [w])[0].data == 1.0
    y.backward()
    assert x.grad == 2.0


@given(st.floats(0.2, 5))
def test_log_and_division(x0):
    """log: 1/x, -1/x², 2/x³.  1/x: -1/x², 2/x³.  sigmoid: σ' = σ(1 - σ), σ'' = σ'(1 - 2σ)."""
    x = Value(x0)
    assert close(derivatives(x.log(), x, 3)[2].data, 2 / x0**3)
    first, second = derivatives(1 / x, x, 2)
    assert close(first.data, -1 / x0**2) and close(second.data, 2 / x0**3)
    s = 1 / (1 + math.exp(-x0))
    first, second = derivatives(x.sigmoid(), x, 2)
    assert first.data == s * (1 - s) and close(second.data, s * (1 - s) * (1 - 2 * s))


@pytest.mark.parametrize("c", [2.0, 3.0, -1.0, 0.5, -1.5, 2.5])
def test_powers(c):
    """x ** c: c x^(c-1), then c (c-1) x^(c-2), then c (c-1)(c-2) x^(c-3), at x = 1.7."""
    x = Value(1.7)
    found = [d.data for d in derivatives(x**c, x, 3)]
    expected = [c * 1.7 ** (c - 1), c * (c - 1) * 1.7 ** (c - 2),
                c * (c - 1) * (c - 2) * 1.7 ** (c - 3)]
    assert all(close(a, b) for a, b in zip(found, expected)), (found, expected)


def test_relu_step_and_detached_max_are_piecewise_constant():
    """relu' = step(x), a node; relu'' = 0. detached_max's derivatives are 0 from the start."""
    x = Value(0.8)
    (first,) = grad(x.relu(), [x])
    assert first.op == "step" and first.parents == (x,) and first.data == 1.0
    assert grad(first, [x])[0].data == 0.0
    assert grad((-x).relu(), [x])[0].data == 0.0  # the kink's other side: -step(-x) = 0
    assert grad(detached_max([x, x * 2]), [x])[0].data == 0.0


def test_define_op_and_nary_ops():
    """softplus (define_op): σ(x), then σ(x)(1 - σ(x)).  affine(w, x, b) = w·x + b:
    d²/dw dx = 1.  sum_of(x², x³): 2x + 3x², then 2 + 6x."""
    x = Value(0.4)
    s = 1 / (1 + math.exp(-0.4))
    first, second = derivatives(softplus(x), x, 2)
    assert first.data == s and close(second.data, s * (1 - s))
    w, b = Value(-1.2), Value(0.3)
    z = affine([w], [x], b)
    (dz_dw,) = grad(z, [w])
    assert dz_dw.parents == (x,) and grad(dz_dw, [x])[0].data == 1.0
    assert [d.data for d in derivatives(sum_of([x**2, x**3]), x, 2)] == [
        pytest.approx(0.8 + 3 * 0.16), pytest.approx(2 + 2.4)]


def test_log_one_minus_sigmoid():
    """log(1 - σ(z)) = -softplus(z): -σ(z), then -σ(z)(1 - σ(z))."""
    z = Value(1.3)
    s = 1 / (1 + math.exp(-1.3))
    first, second = derivatives(log_one_minus(z.sigmoid()), z, 2)
    assert close(first.data, -s) and close(second.data, -s * (1 - s))


# ---- what grad promises ----


def test_grad_of_a_gradient_passes_gradcheck():
    """The gradient's own gradient (built by backward() on grad's graph) matches central
    differences: d/dx and d/dy of ∂f/∂x for f = tanh(x y) + x³ y."""
    def df_dx(x, y):
        return grad((x * y).tanh() + x**3 * y, [x])[0]

    assert gradcheck(df_dx, [0.7, -1.3])
    assert gradcheck(lambda x: grad(grad(x.sin() * x.exp(), [x])[0], [x])[0], [0.4])


def test_numbers_equal_a_fresh_backward_and_no_grad_is_touched():
    """grad(y, [x, w]) holds the floats a fresh backward() gives; every .grad and every
    .backward_pass in the graph (interior nodes included) is as it was; backward() afterwards
    works as before."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = ((x * w + b).tanh() * x).sigmoid() + (x * x / (w * w)).log() * 0.5 + w**2
    nodes = topological_order(y)
    for k, node in enumerate(nodes):
        node.grad = 0.25 * k  # something to notice if it changed
    before = [(node.grad, node.backward_pass) for node in nodes]
    dx, dw = grad(y, [x, w])
    assert [(node.grad, node.backward_pass) for node in nodes] == before
    for node in nodes:
        node.grad = 0.0
    y.backward()
    assert (dx.data, dw.data) == (x.grad, w.grad)


def test_a_chain_of_100000_ops_needs_no_recursion():
    """y = tanh(0.999 y) applied 50,000 times (100,000 ops): grad gives the float backward()
    gives (about 0.999^50000, small but not 0), under the default recursion limit, and its own
    graph is a chain of hundreds of thousands of nodes."""
    assert sys.getrecursionlimit() <= 10_000
    x = Value(0.9)
    y = x
    for _ in range(50_000):
        y = (y * 0.999).tanh()
    (dy,) = grad(y, [x])
    y.backward()
    assert dy.data == x.grad and 0.0 < dy.data < 1e-20
    assert len(topological_order(dy)) > 200_000


def test_inputs_may_be_interior_nodes():
    """d y / d h for an interior h, with h taken as the variable: the adjoint backward() leaves
    in h.grad. With y = h² + h x and h = 3x: dy/dh = 2h + x; dy/dx counts every path."""
    x = Value(1.5)
    h = x * 3
    y = h * h + h * x
    dh, dx = grad(y, [h, x])
    y.backward()
    assert (dh.data, dx.data) == (h.grad, x.grad) == (2 * 4.5 + 1.5, (2 * 4.5 + 1.5) * 3 + 4.5)


def test_an_input_itself_and_an_unreachable_input():
    """grad(x, [x]) is a new Value(1.0); an input y does not depend on gets Value(0.0)."""
    x, other = Value(2.0), Value(5.0)
    (one,) = grad(x, [x])
    assert one is not x and (one.data, one.parents) == (1.0, ())
    (zero,) = grad(x * x, [other])
    assert (zero.data, zero.parents) == (0.0, ())
    assert grad(x, []) == []


def test_derivative_graphs_stay_small():
    """No multiplication by the seed 1, no term for a derivative that is the number 0, numbers
    kept as numbers: d(x * y)/dx is y under one node (not y itself: see
    test_a_gradient_is_not_a_node_of_the_graph); d(x + y + 3)/dx a leaf 1.0; tanh's derivative
    is the 3 ops of 1 - out * out (and out's own graph)."""
    x, y = Value(0.3), Value(-2.0)
    assert grad(x * y, [x])[0].parents == (y,)
    (one,) = grad(x + y + 3, [x])
    assert one.parents == () and one.data == 1.0
    t = x.tanh()
    (dt,) = grad(t, [x])
    new = [node for node in topological_order(dt) if node.parents and node is not t]
    assert [node.op for node in new] == ["*", "*", "+"]
    (d,) = grad(detached_max([x, y]) + x, [x])  # max adds nothing: only the + path's 1
    assert d.data == 1.0 and d.parents == ()


def test_a_derivative_is_drawn_like_any_graph():
    """draw_graph(dy) draws one node per Value of dy's drawn graph (named v0, v1, ... in
    topological order; a - b is one node, autograd.draw.drawn); tanh's first four derivatives
    have more and more of them."""
    import re

    from autograd.draw.drawn import drawn_order

    x = Value(0.3, label="x")
    counts = []
    for d in derivatives(x.tanh(), x, 4):
        source = autograd.draw_graph(d).source
        drawn = set(re.findall(r"^\s*(v\d+) \[", source, re.M))  # v0, v1, ...: one per Value
        assert len(drawn) == len(drawn_order(d, topological_order(d), ()))
        counts.append(len(topological_order(d)))
    assert counts == sorted(counts) and len(set(counts)) == 4


def test_no_grad_gives_leaves_holding_the_numbers():
    """Under no_grad() grad returns leaves with the numbers it returns outside; hessian and hvp
    record the graph they need anyway."""
    x, w = Value(0.7), Value(-0.4)
    y = (x * w).tanh() * x
    outside = [v.data for v in grad(y, [x, w])]
    with no_grad():
        inside = grad(y, [x, w])
        h = hessian(lambda a: a.tanh(), [0.3])
        v = hvp(lambda a: a.tanh(), [0.3], [2.0])
    assert [g.data for g in inside] == outside and all(g.parents == () for g in inside)
    t = math.tanh(0.3)
    assert close(h[0][0], -2 * t * (1 - t * t)) and close(v[0], 2 * h[0][0])


def test_hessian_and_hvp_by_hand():
    """f = x² y + e^y at (1, 0.5): H = [[2y, 2x], [2x, e^y]]; H·(1, -1) = (2y - 2x, 2x - e^y)."""
    f = lambda a, b: a * a * b + b.exp()  # noqa: E731
    assert hessian(f, [1.0, 0.5]) == [[1.0, 2.0], [2.0, math.exp(0.5)]]
    assert hvp(f, [1.0, 0.5], [1.0, -1.0]) == [1.0 - 2.0, 2.0 - math.exp(0.5)]
    assert hvp(f, [1.0, 0.5], [0.0, 0.0]) == [0.0, 0.0]


# ---- errors ----


def test_bad_arguments_are_type_errors_naming_what_was_received():
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"grad needs output as a Value, got float: 2.0"):
        grad(2.0, [x])
    with pytest.raises(TypeError, match=r"got one Value: .*\(write \[x\] for one input\)"):
        grad(x * x, x)
    with pytest.raises(TypeError, match=r"inputs as a list of Values, got float at position 1"):
        grad(x * x, [x, 1.0])
    with pytest.raises(TypeError, match=r"inputs as a list of Values, got str: 'x'"):
        grad(x * x, "x")
    with pytest.raises(TypeError, match=r"hessian needs f to return a Value, got float"):
        hessian(lambda a: 2.0, [1.0])
    with pytest.raises(TypeError, match=r"point as a list of numbers, one per .* got float: 1.0"):
        hessian(lambda a: a, 1.0)
    with pytest.raises(ValueError, match=r"one number of v per entry of point \(2\), got 1"):
        hvp(lambda a, b: a * b, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"hvp needs v as a list of numbers"):
        hvp(lambda a: a, [1.0], ["1"])


def test_a_node_without_a_row_is_a_clear_error():
    """A node whose op is a plain str (micrograd's Value(data, children, op)) has no derivative
    to build a graph from: grad says so, naming the op."""
    x = Value(1.0)
    node = x * 2
    node.op = "custom"
    y = node + 1
    with pytest.raises(ValueError, match=r"its op 'custom' has no row in autograd.ops"):
        grad(y, [x])
    with pytest.raises(ValueError, match=r"its op 'custom' has no row"), no_grad():
        grad(y, [x])


def test_a_derivative_written_with_math_is_a_clear_error():
    """define_op's derivative must work on Values for grad: math.cos does not."""
    wave = define_op("wave_for_grad_tests", math.sin, lambda x, out: math.cos(x))
    x = Value(0.2)
    y = wave(x)
    y.backward()
    assert x.grad == math.cos(0.2)  # on floats it is fine
    with pytest.raises(TypeError, match="tests.s derivative does not work on a Value"):
        grad(y, [x])


# ---- against torch float64 ----

try:
    import torch
except ImportError:  # the tests below that need it are skipped
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is the reference for these "
                                 "cross-checks (pip install torch)")


def always(*xs: float) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One op a program may apply: arity, code on Values, domain, and code on tensors when torch
    spells it differently."""

    arity: int
    on_values: Callable
    valid: Callable = always
    on_tensors: Callable | None = None


STEPS = {
    "x + y": Step(2, lambda x, y: x + y),
    "x - y": Step(2, lambda x, y: x - y),
    "x * y": Step(2, lambda x, y: x * y),
    "x / y": Step(2, lambda x, y: x / y, lambda x, y: abs(y) > 0.2),
    "x ** y": Step(2, lambda x, y: x**y, lambda x, y: x > 0.1 and abs(y * math.log(x)) < 10),
    "2 - x": Step(1, lambda x: 2 - x),
    "x * 3": Step(1, lambda x: x * 3),
    "2 / x": Step(1, lambda x: 2 / x, lambda x: abs(x) > 0.2),
    "x ** 2": Step(1, lambda x: x**2),
    "x ** 3": Step(1, lambda x: x**3),
    "x ** -1": Step(1, lambda x: x**-1, lambda x: abs(x) > 0.2),
    "x ** 0.5": Step(1, lambda x: x**0.5, lambda x: x > 0.1),
    "exp": Step(1, lambda x: x.exp(), lambda x: x < 10),
    "log": Step(1, lambda x: x.log(), lambda x: x > 0.1),
    "tanh": Step(1, lambda x: x.tanh()),
    "sigmoid": Step(1, lambda x: x.sigmoid()),
    "relu": Step(1, lambda x: x.relu(), lambda x: abs(x) > 1e-6),
    "sin": Step(1, lambda x: x.sin()),
    "cos": Step(1, lambda x: x.cos()),
    "step": Step(1, functions.step, lambda x: abs(x) > 1e-6, lambda t: (t > 0).to(torch.float64)),
    "log(1 - σ)": Step(1, lambda x: log_one_minus(x.sigmoid()),
                       on_tensors=lambda t: torch.nn.functional.logsigmoid(-t)),
    "softplus (define_op)": Step(1, softplus, lambda x: x < 30,
                                 on_tensors=lambda t: torch.nn.functional.softplus(t)),
    "affine": Step(5, lambda w1, w2, x1, x2, b: affine([w1, w2], [x1, x2], b),
                   on_tensors=lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b),
    "sum_of": Step(3, lambda a, b, c: sum_of([a, b, c]), on_tensors=lambda a, b, c: a + b + c),
    "detached_max": Step(3, lambda a, b, c: detached_max([a, b, c]),
                         on_tensors=lambda *ts: torch.stack(ts).max().detach()),
}


@dataclass(frozen=True)
class Program:
    """Inputs, then steps: (op name, operand picks); pick i means earlier result i mod count."""

    inputs: list[float]
    steps: list[tuple[str, list[int]]]

    def plan(self) -> list[tuple[str, list[int]]]:
        """The steps kept, each with the positions of its operands: those in the op's domain
        whose result stays within ±1000 (decided once, on the engine's floats)."""
        results = [Value(x) for x in self.inputs]
        kept = []
        for name, picks in self.steps:
            step = STEPS[name]
            args = [pick % len(results) for pick in picks[: step.arity]]
            if step.valid(*(results[i].data for i in args)):
                result = step.on_values(*(results[i] for i in args))
                if abs(result.data) <= 1e3:
                    results.append(result)
                    kept.append((name, args))
        return kept

    def run(self, xs: list, on_tensors: bool = False):
        """The planned steps on Values (or on tensors), then the sum of every result's tanh,
        so that each result matters and none grows without bound."""
        results = list(xs)
        for name, args in self.plan():
            step = STEPS[name]
            code = step.on_tensors if on_tensors and step.on_tensors else step.on_values
            results.append(code(*(results[i] for i in args)))
        if on_tensors:
            return torch.stack([r.tanh() for r in results]).sum()
        return sum_of([r.tanh() for r in results])


@st.composite
def programs(draw, max_inputs: int = 3, max_steps: int = 10) -> Program:
    inputs = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=max_inputs))
    step = st.tuples(st.sampled_from(sorted(STEPS)), st.lists(st.integers(0, 63), min_size=5,
                                                              max_size=5))
    return Program(inputs, draw(st.lists(step, min_size=1, max_size=max_steps)))


def torch_grad(output, inputs, create_graph: bool = True) -> list:
    """torch.autograd.grad, with 0 for an input output does not depend on (torch: None)."""
    if not output.requires_grad:
        return [torch.zeros((), dtype=torch.float64) for _ in inputs]
    found = torch.autograd.grad(output, inputs, create_graph=create_graph, retain_graph=True,
                                allow_unused=True)
    return [torch.zeros((), dtype=torch.float64) if g is None else g for g in found]


def as_tensors(numbers: list[float]) -> list:
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in numbers]


def test_programs_cover_every_op():
    """Between them, the steps build every built-in op and a define_op op."""
    ops = set()
    for step in STEPS.values():
        args = [Value(0.7 + 0.1 * i) for i in range(step.arity)]
        ops |= {node.op for node in topological_order(step.on_values(*args))}
    built_in = {op.name for op in autograd.ops.BUILT_IN}
    assert built_in <= ops and softplus.name in ops


@given(programs())
def test_random_programs_first_derivatives_are_backwards_floats(program):
    """On every random program, grad's numbers are exactly the floats backward() computes, for
    the inputs and for interior nodes (backward leaves the adjoint in an interior .grad), with
    a graph and under no_grad()."""
    xs = [Value(x) for x in program.inputs]
    y = program.run(xs)
    interior = [node for node in topological_order(y) if node.parents][:20]
    found = grad(y, [*xs, *interior])
    with no_grad():  # numbers only: the same floats, from the stored local derivatives
        numbers = grad(y, [*xs, *interior])
    y.backward()
    assert [g.data for g in found] == [g.data for g in numbers] == [
        v.grad for v in [*xs, *interior]]


@given(programs())
def test_the_walk_of_several_outputs_is_backwards_order_for_one(program):
    """gradient_numbers walks several outputs at once, each shared node once; for one output
    its order is topological_order's, so its sums are backward()'s."""
    from autograd.backprop import topological_order_of

    xs = [Value(x) for x in program.inputs]
    y = program.run(xs)
    assert topological_order_of([y]) == topological_order(y)
    gradient = grad(y, xs)
    walked = topological_order_of(gradient)
    assert len(walked) == len(set(walked)) == len(set().union(*map(topological_order, gradient)))
    position = {node: k for k, node in enumerate(walked)}
    assert all(position[p] < position[node] for node in walked for p in node.parents)


@needs_torch
@settings(max_examples=60)
@given(programs())
def test_random_programs_second_and_third_derivatives_match_torch(program):
    """Every first, second and third partial derivative of a random program over every op
    equals torch's (torch.autograd.grad with create_graph=True), to ~1e-9."""
    xs = [Value(x) for x in program.inputs]
    ts = as_tensors(program.inputs)
    ours, theirs = [program.run(xs)], [program.run(ts, on_tensors=True)]
    for order in (1, 2, 3):
        ours = [d for y in ours for d in grad(y, xs)]
        theirs = [d for t in theirs for d in torch_grad(t, ts, create_graph=order < 3)]
        scale = max(abs(t.item()) for t in theirs)
        for k, (a, b) in enumerate(zip(ours, theirs)):
            assert close(a.data, b.item(), scale), (order, k, a.data, b.item())


@needs_torch
@settings(max_examples=40)
@given(programs(max_inputs=4))
def test_hessian_and_hvp_match_torch_functional(program):
    """hessian and hvp equal torch.autograd.functional.hessian and .hvp."""
    n = len(program.inputs)
    rng = random.Random(n)
    v = [rng.uniform(-1, 1) for _ in range(n)]
    H = hessian(lambda *xs: program.run(list(xs)), program.inputs)

    def on_tensors(*ts):
        return program.run(list(ts), on_tensors=True)

    point = tuple(torch.tensor(x, dtype=torch.float64) for x in program.inputs)
    TH = torch.autograd.functional.hessian(on_tensors, point)
    _, Tv = torch.autograd.functional.hvp(on_tensors, point,
                                          tuple(torch.tensor(a, dtype=torch.float64) for a in v))
    scale = max(abs(TH[i][j].item()) for i in range(n) for j in range(n))
    for i in range(n):
        for j in range(n):
            assert close(H[i][j], TH[i][j].item(), scale), (i, j, H[i][j], TH[i][j].item())
    for a, b in zip(hvp(lambda *xs: program.run(list(xs)), program.inputs, v), Tv):
        assert close(a, b.item(), scale * n)


# ---- compiled, and through nn ----


def test_a_compiled_newton_step_differentiates_through_its_inner_grad():
    """autograd.compile of a Newton step x - f'(x)/f''(x) (f built with a free leaf w): the
    program's value and its backward's d/dw (a third derivative's worth of graph) equal the
    dynamic engine's, to 1e-12 (check=True compares them at random points too)."""
    w = Value(1.5, label="w")

    def newton_step(x):
        f = (w * x).tanh() * x + x**4 - 2 * x**2
        (slope,) = grad(f, [x])
        (curvature,) = grad(slope, [x])
        return x - slope / curvature

    program = autograd.compile(newton_step, (1.2,), check=True)
    for x0 in (1.3, -0.9, 2.0):
        w.grad = 0.0
        value = program.backward(x0)
        compiled = w.grad
        w.grad = 0.0
        dynamic = newton_step(Value(x0))
        dynamic.backward()
        assert math.isclose(value, dynamic.data, rel_tol=1e-12)
        assert math.isclose(compiled, w.grad, rel_tol=1e-12, abs_tol=1e-14)
    w.grad = 0.0


def test_a_compiled_gradient_norm_trains_like_the_dynamic_one():
    """compile(fn) where fn = |∂Div/∂x|² of a tanh neuron (a gradient penalty): backward gives
    ∂/∂w of a function of first derivatives, the same as the dynamic graph's."""
    neuron = nn.Neuron(2, activation="tanh", seed=0)

    def penalty(x1, x2, d):
        div = (neuron([x1, x2]) - d) ** 2 * 0.5  # ½ (y - d)²
        g1, g2 = grad(div, [x1, x2])
        return g1 * g1 + g2 * g2

    program = autograd.compile(penalty, (0.5, -0.3, 1.0), check=True)
    neuron.zero_grad()
    program.backward(0.2, 0.7, -1.0)
    compiled = [p.grad for p in neuron.parameters()]
    neuron.zero_grad()
    penalty(Value(0.2), Value(0.7), Value(-1.0)).backward()
    assert all(math.isclose(a, p.grad, rel_tol=1e-12, abs_tol=1e-14)
               for a, p in zip(compiled, neuron.parameters()))


def torch_layout(model, numbers: list[float]) -> list:
    """Numbers in model.parameters() order (per neuron: w, then b) as torch's per-layer weight
    matrices and bias vectors."""
    tensors, k = [], 0
    for layer in model.layers:
        rows, biases = [], []
        for neuron in layer.neurons:
            rows.append(numbers[k:k + len(neuron.w)])
            biases.append(numbers[k + len(neuron.w)])
            k += len(neuron.w) + 1
        tensors += [torch.tensor(rows, dtype=torch.float64),
                    torch.tensor(biases, dtype=torch.float64)]
    return tensors


@needs_torch
def test_hessian_vector_product_of_an_mlp_matches_torch():
    """A 2-16-16-2 tanh/softmax MLP and its mean cross-entropy over 8 moons: grad of the loss
    with respect to the 354 parameters, then grad of Σ g_i v_i (H·v), with nothing but grad
    and sum_of; torch computes both from nn.to_torch(model)."""
    model = nn.MLP(2, [16, 16, 2], activation="tanh", output="softmax", seed=0)
    X, D = nn.datasets.moons(8, noise=0.1, seed=0)
    parameters = model.parameters()
    loss = sum_of([nn.cross_entropy(model(x), d) for x, d in zip(X, D)]) * (1 / len(X))
    g = grad(loss, parameters)
    rng = random.Random(0)
    v = [rng.gauss(0.0, 1.0) for _ in parameters]
    Hv = grad(sum_of([gi * vi for gi, vi in zip(g, v)]), parameters)

    net = nn.to_torch(model)
    weights = list(net.parameters())
    outputs = net(torch.tensor(X, dtype=torch.float64))
    t_loss = -torch.log(outputs[torch.arange(len(D)), torch.tensor(D)]).mean()
    t_g = torch.autograd.grad(t_loss, weights, create_graph=True)
    t_Hv = torch.autograd.grad(sum((a * b).sum() for a, b in zip(t_g, torch_layout(model, v))),
                               weights)
    assert len(parameters) == 354
    for ours, theirs in [(g, t_g), (Hv, t_Hv)]:
        expected = torch_layout(model, [p.data for p in ours])
        for a, b in zip(expected, theirs):
            assert torch.allclose(a, b, rtol=1e-9, atol=1e-12)
