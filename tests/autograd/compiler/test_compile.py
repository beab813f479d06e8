"""autograd.compile: compiled programs against the dynamic engine, and what compile refuses.

The contract: prog(*args) is fn's value; prog.backward(*args) returns it and adds to each free
leaf's .grad what fn(*map(Value, args)).backward() adds (within 1e-12 relative or 1e-14
absolute; the generated code writes every local derivative as Value computes it, so most tests
here ask for the same floats exactly). The source is a readable module: one forward line per node.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import keyword
import linecache
import math
import random
import re
import traceback
import unicodedata
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Program, Value, affine, detached_max, sum_of
from autograd.compiler import runtime as compiled_ops

# ---- helpers ----


def engine_result(fn, args, leaves) -> tuple[float, list[float]]:
    """fn's value at args and d(value)/d(leaf) for each leaf, from the dynamic engine."""
    for leaf in leaves:
        leaf.grad = 0.0
    output = fn(*(Value(x) for x in args))
    output.backward()
    grads = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = 0.0
    return output.data, grads


def compiled_result(prog: Program, args, leaves) -> tuple[float, list[float]]:
    """The same from the compiled program (prog(*args) must agree with prog.backward)."""
    for leaf in leaves:
        leaf.grad = 0.0
    value = prog.backward(*args)
    assert same(prog(*args), value)
    grads = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = 0.0
    return value, grads


def same(a: float, b: float) -> bool:
    """The same float (NaN matches NaN)."""
    return a == b or (a != a and b != b)


def close(a: float, b: float) -> bool:
    """Within the contract's tolerance: 1e-12 relative or 1e-14 absolute."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-14) or same(a, b)


def assert_matches_engine(fn, prog, args, leaves, exact=True) -> None:
    """Value and every leaf's gradient: compiled against dynamic."""
    expected, got = engine_result(fn, args, leaves), compiled_result(prog, args, leaves)
    agree = same if exact else close
    assert agree(got[0], expected[0]), (args, got[0], expected[0])
    for i, (g, e) in enumerate(zip(got[1], expected[1])):
        assert agree(g, e), (args, i, g, e)


def forward_lines(source: str) -> list[str]:
    """The statements of the forward pass (comments left out)."""
    body = source.split("# forward pass")[1].split("    if not backward:")[0]
    return [line.strip() for line in body.splitlines()[1:]
            if line.strip() and not line.strip().startswith("#")]


def backward_comments(source: str) -> list[str]:
    body = source.split("# backward pass")[1]
    return [line.strip() for line in body.splitlines()[1:] if line.strip().startswith("#")]


# ---- MLP-like graphs built from Values ----


def activate(name: str, zs: list[Value]) -> list[Value]:
    if name == "softmax":
        shift = -detached_max(zs)
        exps = [(z + shift).exp() for z in zs]
        inverse = sum_of(exps) ** -1
        return [e * inverse for e in exps]
    if name == "linear":
        return zs
    return [getattr(z, name)() for z in zs]


class TinyMLP:
    """Layers of neurons z = Σ w x + b, as one affine node or as a chain of * and +."""

    def __init__(self, sizes, activation, output, use_affine, seed=0):
        rng = random.Random(seed)
        self.activation, self.output, self.use_affine = activation, output, use_affine
        self.layers = [[([Value(rng.gauss(0, 1), label=f"w{j + 1}") for j in range(nin)],
                         Value(rng.gauss(0, 0.1), label="b")) for _ in range(nout)]
                       for nin, nout in zip(sizes, sizes[1:])]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, xs):
        for index, layer in enumerate(self.layers):
            if self.use_affine:
                zs = [affine(w, xs, b) for w, b in layer]
            else:
                zs = [sum((wj * xj for wj, xj in zip(w, xs)), b) for w, b in layer]
            last = index == len(self.layers) - 1
            xs = activate(self.output if last else self.activation, zs)
        return xs


def loss_for(output: str, model: TinyMLP, d: list[float]):
    """A per-sample loss for the output kind: cross-entropy, l2 or hinge."""
    if output == "softmax":
        return lambda *x: model(list(x))[1].log() * -1.0
    if output == "linear":
        return lambda *x: (model(list(x))[0] * -d[0] + 1.0).relu() + (model(list(x))[1] - 0.3) ** 2
    return lambda *x: sum_of([(y - di) ** 2 for y, di in zip(model(list(x)), d)]) * 0.5


@pytest.mark.parametrize("use_affine", [True, False], ids=["affine", "chains"])
@pytest.mark.parametrize("output", ["linear", "tanh", "sigmoid", "softmax"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_mlp_like_graphs_match_the_engine(activation, output, use_affine):
    """Random MLPs (every activation and output): compiled values and gradients equal the
    engine's, bit for bit, on many samples."""
    model = TinyMLP([3, 5, 4, 2], activation, output, use_affine, seed=7)
    fn = loss_for(output, model, [0.2, -0.4])
    prog = autograd.compile(fn, (0.5, -0.2, 0.1))
    assert set(prog.free_leaves) == set(model.parameters())
    rng = random.Random(1)
    for _ in range(25):
        args = tuple(rng.gauss(0, 2) for _ in range(3))
        assert_matches_engine(fn, prog, args, model.parameters())


def test_relu_exactly_at_its_kink():
    """relu'(0) = 0 in the compiled code too: at an input of exactly 0 (and -0.0) the gradient
    through relu is 0, and just above it is the weight."""
    w = Value(1.5, label="w")
    fn = lambda x: (w * x).relu() + (x - 1.0).relu() * w
    prog = autograd.compile(fn, (2.0,))
    for x in (0.0, -0.0, 1.0, 5e-324, -5e-324, 1.0000000000000002):
        assert_matches_engine(fn, prog, (x,), [w])
    w.grad = 0.0
    prog.backward(0.0)
    assert w.grad == 0.0


def test_many_samples_accumulate_like_repeated_backward():
    """backward over many samples adds up in .grad exactly as repeated dynamic backward()s do."""
    model = TinyMLP([2, 4, 1], "tanh", "linear", True, seed=3)
    params = model.parameters()
    fn = lambda x1, x2: (model([x1, x2])[0] - 0.5) ** 2
    prog = autograd.compile(fn, (0.0, 0.0))
    rng = random.Random(2)
    samples = [(rng.uniform(-2, 2), rng.uniform(-2, 2)) for _ in range(200)]
    for p in params:
        p.grad = 0.0
    for x in samples:
        fn(*map(Value, x)).backward()
    dynamic = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    values = [prog.backward(*x) for x in samples]
    assert [p.grad for p in params] == dynamic
    assert values == [fn(*map(Value, x)).data for x in samples]


def test_free_leaves_are_read_at_call_time():
    """Changing a parameter's .data after compiling changes the program's output and gradients,
    as an SGD step must."""
    w, b = Value(2.0, label="w"), Value(0.5, label="b")
    fn = lambda x: (w * x + b).tanh()
    prog = autograd.compile(fn, (1.0,))
    before = prog(0.3)
    w.data, b.data = -1.0, 0.25
    assert prog(0.3) == math.tanh(-1.0 * 0.3 + 0.25) != before
    assert_matches_engine(fn, prog, (0.3,), [w, b])


def test_a_sgd_loop_matches_the_engine():
    """Training steps (backward, update, zero) give the same parameters compiled or dynamic."""
    data = [((x / 10,), math.sin(x / 10)) for x in range(-20, 20)]

    def train(compiled: bool) -> list[float]:
        model = TinyMLP([1, 6, 1], "tanh", "linear", True, seed=5)
        params = model.parameters()
        fn = lambda x, d: (model([x])[0] - d) ** 2
        prog = autograd.compile(fn, (0.0, 0.0)) if compiled else None
        for _ in range(3):
            for p in params:
                p.grad = 0.0
            for (x,), d in data:
                prog.backward(x, d) if compiled else fn(Value(x), Value(d)).backward()
            for p in params:
                p.data -= 0.05 * p.grad
        return [p.data for p in params]

    assert train(compiled=True) == train(compiled=False)


# ---- random straight-line programs over every primitive ----


def positive(x: Value) -> Value:
    """x² + 0.5: keeps log, fractional powers and division in their domains for every x."""
    return x * x + 0.5


UNARY = {
    "neg": lambda x: -x,
    "add 1.5": lambda x: x + 1.5,
    "2 - x": lambda x: 2 - x,
    "mul 0.75": lambda x: x * 0.75,
    "div 3": lambda x: x / 3,
    "square": lambda x: x**2,
    "cube": lambda x: x**3,
    "pow 0": lambda x: x**0,
    "pow -1": lambda x: positive(x) ** -1,
    "pow 0.5": lambda x: positive(x) ** 0.5,
    "pow 1/3": lambda x: positive(x) ** (1 / 3),
    "pow -1.5": lambda x: positive(x) ** -1.5,
    "exp": lambda x: (x.tanh() * 3).exp(),
    "2 ** x": lambda x: 2 ** x.tanh(),
    "log": lambda x: positive(x).log(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: (x * 20).sigmoid(),
    "relu": lambda x: x.relu(),
    "times a made constant": lambda x: x * Value(0.5),
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / positive(y),
    "pow": lambda x, y: positive(x) ** y.tanh(),
}
NARY = {
    "affine": lambda a, b, c, d, e: affine([a, b], [c, d], e),
    "affine, number inputs": lambda a, b, c, d, e: affine([a, b, c], [d, 2.0, -0.5], e),
    "sum_of": lambda a, b, c, d, e: sum_of([a, b, c, d, e]),
    "sum_of, a number": lambda a, b, c, d, e: sum_of([a, b, c, 0.25]),
    "detached_max": lambda a, b, c, d, e: detached_max([a, b, c]) * d,
}
OPS = {**{k: (1, f) for k, f in UNARY.items()}, **{k: (2, f) for k, f in BINARY.items()},
       **{k: (5, f) for k, f in NARY.items()}}


@st.composite
def programs(draw):
    """(arguments, parameters, steps): each step an op on earlier results (picks taken mod)."""
    arguments = draw(st.integers(1, 3))
    parameters = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=3))
    step = st.tuples(st.sampled_from(sorted(OPS)), st.lists(st.integers(0, 99), min_size=5,
                                                            max_size=5))
    steps = draw(st.lists(step, min_size=1, max_size=10))
    points = draw(st.lists(st.lists(st.sampled_from([0.0, 1.0, -0.5]) | st.floats(-3, 3),
                                    min_size=arguments, max_size=arguments),
                           min_size=1, max_size=6))
    return arguments, parameters, steps, points


def program_function(parameters: list[Value], steps):
    """fn(*arguments): run the steps; the output is the sum of every result, so every step
    matters for the gradient."""

    def fn(*arguments):
        results = [*arguments, *parameters]
        for name, picks in steps:
            arity, op = OPS[name]
            results.append(op(*(results[i % len(results)] for i in picks[:arity])))
        return sum_of(results)

    return fn


def run_or_error(function, *args):
    """function(*args), or the domain error it raised."""
    try:
        return function(*args)
    except (ValueError, ArithmeticError) as error:
        return error


@settings(max_examples=150)
@given(programs())
def test_random_programs_over_every_primitive(program):
    """Random programs over every primitive (composites, constants, n-ary nodes included): the
    same value, gradients and domain errors as the engine, at several points, with the
    parameters changed between points."""
    arguments, numbers, steps, points = program
    parameters = [Value(x, label=f"p{i}") for i, x in enumerate(numbers)]
    fn = program_function(parameters, steps)
    example = tuple(points[0])
    try:
        fn(*map(Value, example))
    except (ValueError, ArithmeticError):
        return  # fn is undefined at the example (an overflow): nothing to compile there
    prog = autograd.compile(fn, example)
    for point in points:
        expected = run_or_error(engine_result, fn, point, parameters)
        got = run_or_error(compiled_result, prog, point, parameters)
        if isinstance(expected, Exception):
            assert type(got) is type(expected) and str(got) == str(expected)
        else:
            assert not isinstance(got, Exception), got
            assert same(got[0], expected[0]) and all(map(same, got[1], expected[1]))
        for p in parameters:
            p.data = p.data * 0.5 + 0.25


# ---- numerical stability and the engine's errors ----


def softmax_cross_entropy(z1, z2, z3):
    zs = [z1, z2, z3]
    shift = -detached_max(zs)
    exps = [(z + shift).exp() for z in zs]
    return (exps[0] * sum_of(exps) ** -1).log() * -1.0


def test_a_softmax_traced_at_small_logits_works_at_1000():
    """The max shift is a node the program recomputes, so logits of ±1000 neither overflow
    nor differ from the engine."""
    bias = Value(0.0, label="bias")
    fn = lambda a, b, c: softmax_cross_entropy(a + bias, b, c)
    prog = autograd.compile(fn, (0.1, 0.2, 0.3))
    for point in [(1000.0, -1000.0, 999.0), (-1000.0, -999.5, -1001.0), (1000.0,) * 3]:
        assert math.isfinite(prog(*point))
        assert_matches_engine(fn, prog, point, [bias])
    assert prog(1000.0, 1000.0, 1000.0) == pytest.approx(math.log(3.0))


@pytest.mark.parametrize("fn, example, bad", [
    (lambda x: x.exp(), (1.0,), (710.0,)),
    (lambda x: x.log(), (1.0,), (0.0,)),
    (lambda x: x.log(), (1.0,), (-2.0,)),
    (lambda x: x**0.5, (4.0,), (-4.0,)),
    (lambda x: x**0.5, (4.0,), (0.0,)),
    (lambda x: x**-1, (4.0,), (0.0,)),
    (lambda x: x**3, (2.0,), (1e200,)),
    (lambda x: x**-2, (2.0,), (1e-300,)),
], ids=["exp overflow", "log 0", "log negative", "sqrt negative", "sqrt at 0", "1/0",
        "cube overflow", "derivative overflow"])
def test_domain_errors_are_the_engines(fn, example, bad):
    """Outside an op's domain the program raises the engine's exception with its message, never
    a number (no complex results, no silent inf)."""
    prog = autograd.compile(fn, example)
    with pytest.raises((ValueError, ArithmeticError)) as dynamic:
        fn(Value(bad[0])).backward()
    for run in (prog, prog.backward):
        with pytest.raises(type(dynamic.value)) as compiled:
            run(*bad)
        assert str(compiled.value) == str(dynamic.value)


def test_sigmoid_is_stable_at_both_ends():
    """sigmoid at ±1000: 0 and 1, no OverflowError, with the engine's gradients."""
    w = Value(1.0, label="w")
    fn = lambda x: (w * x).sigmoid()
    prog = autograd.compile(fn, (0.0,))
    assert (prog(-1000.0), prog(1000.0)) == (0.0, 1.0)
    for x in (-1000.0, -30.0, 0.0, 30.0, 1000.0):
        assert_matches_engine(fn, prog, (x,), [w])


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-300, -3.5, 2.0, 800.0, -800.0])
def test_compiled_ops_equal_the_engine_ops(x):
    """The helpers the generated code calls compute the engine's numbers and raise its errors."""
    checks = [(compiled_ops.exp, lambda v: v.exp()), (compiled_ops.log, lambda v: v.log()),
              (compiled_ops.sigmoid, lambda v: v.sigmoid())]
    checks += [(lambda y, c=c: compiled_ops.power(y, c), lambda v, c=c: v**c)
               for c in (2, 3, -1, 0.5, -1.5, 0, 1 / 3)]
    for helper, op in checks:
        expected = run_or_error(lambda v, op=op: op(v).data, Value(x))
        got = run_or_error(helper, x)
        assert type(got) is type(expected) and str(got) == str(expected)


# ---- compile refuses what it cannot replay ----


def test_python_control_flow_on_data_is_refused():
    """A function whose graph changes with the data (an if on .data) is refused, naming the
    node that differed."""
    w = Value(1.0)

    def branchy(x):
        return (w * x).relu() if x.data > 0 else (w * x).tanh()

    with pytest.raises(ValueError, match=r"depends on its arguments' numbers.*relu|tanh"):
        autograd.compile(branchy, (0.1,))
    with pytest.raises(ValueError, match="nodes at"):
        autograd.compile(lambda x: x * w * w if x.data > 0 else x * w, (0.01,))


def test_numbers_baked_from_data_are_refused():
    """A number computed from .data during the trace (a max shift, a detach) would be baked in:
    refused, with the advice to use Value ops or detached_max."""
    with pytest.raises(ValueError, match="detached_max"):
        autograd.compile(lambda a, b: a - max(a.data, b.data), (0.5, 0.2))
    with pytest.raises(ValueError, match="holding"):
        autograd.compile(lambda x: x * x.detach(), (2.0,))


def test_check_true_catches_what_the_trace_missed_and_restores_grads():
    """check=True reruns the engine; a mismatch raises ValueError and leaves .grad untouched."""
    w = Value(3.0, label="w")
    calls = {"n": 0}

    def sneaky(x):  # the same graph every run, different numbers once the trace is over
        calls["n"] += 1
        return w * x if calls["n"] <= runs_in_a_trace else w * x * w

    runs_in_a_trace = 10**9
    autograd.compile(sneaky, (1.0,))
    runs_in_a_trace, calls["n"] = calls["n"], 0
    w.grad = 0.125
    with pytest.raises(ValueError, match="disagree"):
        autograd.compile(sneaky, (1.0,), check=True)
    assert w.grad == 0.125 and w.backward_pass == 0


def test_check_true_passes_a_faithful_program_and_touches_nothing():
    """check=True on an MLP: no error, every .grad as it was."""
    model = TinyMLP([2, 3, 1], "relu", "sigmoid", True, seed=1)
    for p in model.parameters():
        p.grad = 0.5
    prog = autograd.compile(lambda a, b: model([a, b])[0], (0.3, 0.4), check=True)
    assert isinstance(prog, Program)
    assert all(p.grad == 0.5 for p in model.parameters())


def test_a_node_computed_before_compile_is_refused():
    """An interior Value computed outside fn would be stale in the engine but fresh in the
    program: refused, with the advice to compute it inside fn."""
    w = Value(2.0)
    doubled = w * 2
    with pytest.raises(ValueError, match="computed before compile"):
        autograd.compile(lambda x: x * doubled, (1.0,))


def test_bad_examples_and_outputs_are_explained():
    """The example must be a tuple of finite numbers; fn must return one Value."""
    with pytest.raises(TypeError, match=r"write \(1.0,\) for one argument"):
        autograd.compile(lambda x: x, 1.0)
    with pytest.raises(TypeError, match="finite numbers"):
        autograd.compile(lambda x: x, (math.nan,))
    with pytest.raises(TypeError, match="one Value .* list of 2 items"):
        autograd.compile(lambda x: [x, x], (1.0,))
    with pytest.raises(TypeError, match="a function"):
        autograd.compile(3, (1.0,))


def test_calling_a_program_with_the_wrong_arguments():
    """Wrong count, a Value, or a bool: TypeErrors that say what the program takes; ints work."""
    prog = autograd.compile(lambda x, y: x * y, (1.0, 2.0))
    with pytest.raises(TypeError, match=r"takes 2 numbers \(x, y\).*got 1"):
        prog(1.0)
    with pytest.raises(TypeError, match="pass .data"):
        prog(Value(1.0), 2.0)
    with pytest.raises(TypeError, match="bool"):
        prog.backward(True, 2.0)
    assert prog(3, 2) == 6.0 and type(prog(3, 2)) is float


# ---- unusual graphs ----


def test_programs_without_arguments_or_ops():
    """No arguments (a regularizer), an output that is a free leaf, one that is an argument."""
    w = Value(3.0, label="w")
    regularizer = autograd.compile(lambda: w * w * 1e-4, ())
    assert regularizer() == 3.0 * 3.0 * 1e-4
    assert_matches_engine(lambda: w * w * 1e-4, regularizer, (), [w])
    leaf = autograd.compile(lambda x: w, (1.0,))
    w.grad = 0.0
    assert leaf.backward(5.0) == 3.0 and w.grad == 1.0
    identity = autograd.compile(lambda x: x, (1.0,))
    assert identity.backward(7.5) == 7.5


def test_a_power_with_many_digits_keeps_its_exact_exponent():
    """x ** (1/3) and x ** 0.1234567891: the op name rounds the exponent, the program does not."""
    w = Value(1.7)
    for c in (1 / 3, 0.1234567891, 2 / 7):
        fn = lambda x, c=c: (w * x) ** c
        prog = autograd.compile(fn, (2.0,))
        for x in (0.5, 3.0, 11.0):
            assert_matches_engine(fn, prog, (x,), [w])


def test_sum_of_with_number_terms():
    """sum_of's number terms are constant leaves, baked into the program exactly, wherever they
    stand; a number taken from .data inside fn is refused."""
    w = Value(0.3)
    for fn in (lambda x: sum_of([w * x, x, 0.25]), lambda x: sum_of([0.1, w * x, x]),
               lambda x: sum_of([w * x, x, 0.125, -1.0]), lambda x: sum_of([w * x, 0.1, x * 3.0])):
        prog = autograd.compile(fn, (1.0,))
        for x in (0.0, 1e-3, 2.5, -7.0, 1e6):
            assert_matches_engine(fn, prog, (x,), [w])
    with pytest.raises(ValueError, match="baked into the compiled program"):
        autograd.compile(lambda x: sum_of([w * x, x.data]), (1.0,))


def test_affine_with_mixed_inputs_and_shared_values():
    """affine with number inputs, an input used twice, a weight used as an input."""
    w = [Value(0.5), Value(-1.25), Value(2.0), Value(0.75)]
    b = Value(0.1)
    fn = lambda x, y: affine(w, [x, 3.0, x, w[0] * y], b).tanh()
    prog = autograd.compile(fn, (0.2, 0.4))
    for point in [(0.0, 0.0), (1.0, -2.0), (-0.3, 5.0)]:
        assert_matches_engine(fn, prog, point, [*w, b])


def test_zero_weights_and_inputs_do_not_confuse_affine():
    """All-zero weights make several splits of affine's parents fit the numbers; the program
    still reads the weights at call time."""
    w = [Value(0.0), Value(0.0)]
    b = Value(0.0)
    fn = lambda x, y: affine(w, [x, y], b)
    prog = autograd.compile(fn, (0.0, 0.0))
    w[0].data, w[1].data = 2.0, 3.0
    assert prog(1.0, 10.0) == 32.0
    assert_matches_engine(fn, prog, (1.0, 10.0), [*w, b])


@pytest.mark.parametrize("kind", ["affine", "sum_of", "chain of +", "detached_max"])
def test_3000_inputs_compile(kind):
    """Layers with thousands of inputs compile: long sums are split over several lines."""
    rng = random.Random(0)
    w = [Value(rng.gauss(0, 1)) for _ in range(3000)]
    b = Value(0.5)
    build = {
        "affine": lambda x: affine(w, [x * (j % 7) for j in range(3000)], b),
        "sum_of": lambda x: sum_of([wj * x for wj in w]),
        "chain of +": lambda x: sum((wj * x for wj in w), b),
        "detached_max": lambda x: detached_max([wj * x for wj in w]) + b * x,
    }[kind]
    prog = autograd.compile(build, (1.0,))
    ast.parse(prog.source)
    assert max(line.count(" + ") + line.count(", ") for line in prog.source.splitlines()) < 200
    assert_matches_engine(build, prog, (0.7,), [*w, b])


# ---- the generated source ----


def test_the_source_is_a_module_with_one_forward_line_per_node():
    """The source compiles on its own, and its forward pass has one line per op and per free
    leaf (constants are written inline, arguments are parameters)."""
    model = TinyMLP([2, 3, 2], "tanh", "softmax", True, seed=2)
    prog = autograd.compile(lambda a, b: model([a, b])[0].log() * -1.0, (0.1, 0.2))
    namespace: dict = {}
    exec(compile_source(prog.source), namespace)
    leaves = prog.free_leaves
    assert namespace["run"](leaves, 0.3, -0.1) == prog(0.3, -0.1)
    output = (lambda a, b: model([a, b])[0].log() * -1.0)(Value(0.1), Value(0.2))
    nodes = autograd.topological_order(output)
    ops = [v for v in nodes if v.parents]
    assert len(forward_lines(prog.source)) == len(ops) + len(leaves)
    reaches: dict = {}  # whether a gradient flows from the node to a parameter
    for v in nodes:
        reaches[v] = v in leaves or (v.op != "max" and any(reaches[p] for p in v.parents))
    assert len(backward_comments(prog.source)) == sum(reaches[v] for v in ops)


def compile_source(source: str):
    import builtins

    return builtins.compile(source, "<test>", "exec")


def test_labelled_values_name_the_locals():
    """Labels become local names, made identifiers and deduplicated; builtins, keywords and the
    code's own names are never shadowed; the backward comments name local derivatives."""
    w1, w2 = Value(0.5, label="w"), Value(0.25, label="w")
    odd = Value(1.0, label="2nd weight (odd)")
    clash = Value(2.0, label="max")

    def fn(x, leaves):
        z = w1 * x + w2 * leaves + odd * clash
        z.label = "z"
        y = z.tanh()
        y.label = "lambda"
        return y

    prog = autograd.compile(fn, (1.0, 2.0))
    targets = [line.split(" = ")[0] for line in forward_lines(prog.source)]
    for name in ("w", "w_2", "v_2nd_weight_odd", "max_2", "z", "lambda_2"):
        assert name in targets, (name, targets)
    assert "def run(leaves, x, leaves_2, backward=False):" in prog.source
    assert "# lambda_2 = tanh(z):  d/d(z) = 1 - tanh(z)²" in prog.source
    assert re.search(r"# z = \w+ \+ \w+:  d/d\(\w+\) = 1", prog.source)
    assert_matches_engine(fn, prog, (0.5, -1.0), [w1, w2, odd, clash])


def test_scopes_become_comments():
    """Values made inside autograd.scope(...) get a comment naming the scope above their lines."""
    w = Value(2.0, label="w")

    def fn(x):
        with autograd.scope("layer 1"), autograd.scope("neuron 1"):
            y = (w * x).tanh()
        return y * 3.0

    source = autograd.compile(fn, (1.0,)).source
    assert "    # layer 1 / neuron 1\n    w = leaves[0].data\n" in source


def test_compile_under_no_grad_still_traces():
    """compile called inside no_grad() records the graph it needs, then leaves no_grad on."""
    w = Value(3.0)
    with autograd.no_grad():
        prog = autograd.compile(lambda: w * w, ())
        assert (w * w).parents == ()
    w.grad = 0.0
    assert prog.backward() == 9.0 and w.grad == 6.0


def test_compile_does_not_touch_the_global_random_state():
    """Tracing draws its perturbations from its own generator: training code that relies on
    random.seed gives the same numbers with and without compile."""
    random.seed(5)
    expected = random.random()
    random.seed(5)
    autograd.compile(lambda x: x.tanh(), (0.3,), check=True)
    assert random.random() == expected


def test_repr_names_the_program():
    prog = autograd.compile(lambda x, y: x * y, (1.0, 2.0))
    assert repr(prog) == "<Program <lambda>(x, y): 3 nodes, 0 free leaves>"


# ---- nn.MLP ----


@pytest.mark.parametrize("decompose", [False, True], ids=["affine", "decomposed"])
@pytest.mark.parametrize("output, divergence, d", [
    ("linear", "l2", [0.3, -0.2]),
    ("tanh", "l2", [0.3, -0.2]),
    ("relu", "l2", [0.3, 0.0]),
    ("sigmoid", "l2", [0.9, 0.1]),
    ("softmax", "cross_entropy", 1),
    ("softmax", "kl", [0.25, 0.75]),
    ("sigmoid", "bce", 0),
    ("sigmoid", "bce", 1),
    ("linear", "hinge", -1),
])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_nn_mlps_match_the_engine(activation, output, divergence, d, decompose):
    """nn.MLP with every activation, output and divergence: compiled equals dynamic."""
    nn = pytest.importorskip("nn")
    nout = 1 if divergence in ("bce", "hinge") else 2
    model = nn.MLP(3, [4, nout], activation=activation, output=output, seed=1,
                   decompose=decompose)
    loss = nn.DIVERGENCES[divergence]
    fn = lambda a, b, c: loss(model([a, b, c]), d)
    prog = autograd.compile(fn, (0.1, -0.2, 0.3))
    rng = random.Random(3)
    for _ in range(8):
        args = tuple(rng.gauss(0, 1.5) for _ in range(3))
        assert_matches_engine(fn, prog, args, model.parameters(), exact=divergence != "kl")


def test_nn_softmax_traced_small_works_at_1000():
    """nn's softmax recomputes its shift in the program: logits of ±1000 stay finite."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3], activation="tanh", output="softmax", seed=0)
    fn = lambda a, b: model([a, b])[0]
    prog = autograd.compile(fn, (0.0, 0.1))
    for point in [(400.0, -300.0), (-1000.0, 1000.0), (1000.0, 1000.0)]:
        assert math.isfinite(prog(*point))
        assert_matches_engine(fn, prog, point, model.parameters())


def test_non_finite_arguments_and_overflow_are_errors_as_in_the_engine():
    """A nan argument is a ValueError and an overflowing run an OverflowError, never a number."""
    w = Value(2.0)
    prog = autograd.compile(lambda x: x * w, (2.0,))
    with pytest.raises(ValueError, match="finite numbers"):
        prog(float("nan"))
    with pytest.raises(OverflowError, match="overflowed"):
        prog.backward(1e308)
    with pytest.raises(OverflowError):
        Value(1e308) * w


# ---- labels and scope names never change the code ----

ODD_LABELS = ["line\nbreak", "w₁", "x²", "𝐱", "x", "ｘ", "lambda", "None", "tanh", "power",
              "sum_of", "leaves", "backward", "run", "g_x", "g_", "x_2", "1st", "", "_", "-",
              "x\u2028y", "'''", "# comment", "a\rb", "\x00", "sin", "def run():"]


def labelled_chain(labels: list[str], scope_name: str = ""):
    """fn(t): a chain of ops, one labelled leaf and one labelled node per label (in a scope)."""
    leaves = [Value(0.1 + 0.05 * i, label=label) for i, label in enumerate(labels)]

    def fn(t):
        with autograd.scope(scope_name) if scope_name else contextlib.nullcontext():
            acc = t
            for w in leaves:
                acc = (acc * w).tanh() + w.sin() / (w * w + 1.0)
                acc.label = w.label
        return acc

    return fn, leaves


def assert_compiles_like_the_engine(fn, leaves, points=(0.3, -1.2)) -> Program:
    prog = autograd.compile(fn, (0.5,))
    ast.parse(prog.source)
    for t in points:
        assert_matches_engine(fn, prog, (t,), leaves)
    return prog


def test_odd_labels_give_a_valid_program_equal_to_the_engine():
    """Labels with newlines, subscripts, 𝐱 beside x (the same name to Python, NFKC), keywords,
    runtime function names, the code's own names and g_ prefixes: the program parses, names
    every local once, and computes what the engine does, bit for bit."""
    fn, leaves = labelled_chain(ODD_LABELS)
    prog = assert_compiles_like_the_engine(fn, leaves)
    targets = [line.split(" = ")[0] for line in forward_lines(prog.source)]
    normalized = [unicodedata.normalize("NFKC", name) for name in targets]
    assert len(set(normalized)) == len(normalized), "two locals Python reads as one"
    assert all(name.isidentifier() and not keyword.iskeyword(name) for name in targets)
    assert "def run(leaves, t, backward=False):" in prog.source


def test_a_bold_x_and_an_x_are_two_locals():
    """𝐱 and x are the same identifier to Python (NFKC): the two leaves get two names."""
    bold, plain = Value(2.0, label="𝐱"), Value(3.0, label="x")
    fn = lambda t: bold * t + plain
    prog = assert_compiles_like_the_engine(fn, [bold, plain])
    assert {"x", "x_2"} <= {line.split(" = ")[0] for line in forward_lines(prog.source)}


@pytest.mark.parametrize("scope_name", ["layer 1\nneuron 2", "\r\n'''\n", "# x = 1\nx = 2",
                                        "\u2028\u2029\x0c\x1c", "🙂"])
def test_scope_names_are_comments_on_one_line(scope_name):
    """A scope name with newlines (or any line break Python or linecache knows) stays one
    comment line: the program parses and equals the engine."""
    fn, leaves = labelled_chain(["w", "b"], scope_name)
    prog = assert_compiles_like_the_engine(fn, leaves)
    comment = next(line for line in prog.source.splitlines() if line.startswith("    # ")
                   and "forward pass" not in line)
    assert prog.source.splitlines() == prog.source.split("\n")[:-1]  # linecache splits so
    assert comment.strip().startswith("#")


# Characters that stress names and comments: line breaks of every kind, quotes, NUL, letters
# NFKC changes (𝐱 ｘ ﬁ ℌ), subscripts and superscripts, digits, a keyword's letters. (A small
# alphabet: hypothesis builds no Unicode tables on a fresh checkout.)
LABEL_TEXT = st.text(st.sampled_from(list("xgdefinlambda_01 \n\r\t'\"#\\()-+*.𝐱ｘﬁℌ₁²é\u2028\x00")),
                     max_size=10)


@settings(max_examples=60)
@given(st.lists(LABEL_TEXT | st.sampled_from(ODD_LABELS), min_size=1, max_size=4), LABEL_TEXT)
def test_any_labels_and_scope_name_give_a_program_equal_to_the_engine(labels, scope_name):
    """Hypothesis text as labels and scope name: the program parses and equals the engine."""
    fn, leaves = labelled_chain(labels, scope_name)
    assert_compiles_like_the_engine(fn, leaves, points=(0.3,))


# ---- compiled programs do not leak ----


def test_a_deleted_program_frees_its_source_for_tracebacks():
    """The source registered in linecache (for tracebacks) lives as long as the program: after
    del and gc.collect() the program and its linecache entry are gone."""
    before = set(linecache.cache)
    prog = autograd.compile(lambda x: (x * 2.0).tanh(), (1.0,))
    registered = [name for name in set(linecache.cache) - before
                  if name.startswith("<autograd.compile")]
    assert len(registered) == 1
    assert "".join(linecache.getlines(registered[0])) == prog.source
    alive = weakref.ref(prog)
    del prog
    gc.collect()
    assert alive() is None
    assert registered[0] not in linecache.cache


def test_a_program_shows_its_lines_in_tracebacks():
    """An error inside a program's code shows the generated line in the traceback."""
    prog = autograd.compile(lambda x: x.log(), (1.0,))
    with pytest.raises(ValueError, match="log is undefined") as info:
        prog(-1.0)
    text = "".join(traceback.format_exception(info.value))
    assert "log1 = log(x)" in text


def test_many_programs_do_not_grow_linecache():
    """Compiling 200 programs in a loop, each dropped, leaves linecache as it was."""
    before = len(linecache.cache)
    for k in range(200):
        autograd.compile(lambda x, k=k: x * float(k), (1.0,))(2.0)
    gc.collect()
    assert len(linecache.cache) <= before
