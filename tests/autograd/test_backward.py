"""backward() on graphs of every shape, and the graph bookkeeping around it.

Each expected gradient is a closed form worked out by hand in the test's docstring or comment.
"""

import gc
import math
import sys
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, affine, detached_max, no_grad, scope, sum_of, topological_order
from autograd.recording import Scope


def test_add_to_itself():
    """a + a: a is used twice, so da = 1 + 1 = 2."""
    a = Value(3.0)
    c = a + a
    c.backward()
    assert (c.data, a.grad) == (6.0, 2.0)


def test_add_to_itself_twice_over():
    """b = a + a; c = b + b: dc/db = 2, dc/da = 2 * 2 = 4."""
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (c.data, b.grad, a.grad) == (12.0, 2.0, 4.0)


def test_diamond():
    """a feeds b = 2a and c = a + 3, which meet in d = b c: dd/da = 2c + b = 2(a+3) + 2a."""
    a = Value(1.5)
    b = a * 2
    c = a + 3
    d = b * c
    d.backward()
    assert d.data == 13.5
    assert (b.grad, c.grad) == (4.5, 3.0)
    assert a.grad == 2 * (1.5 + 3) + 2 * 1.5


def test_reused_interior_node():
    """b = a² used three times in c = b b b: dc/da = 3 b² * 2a = 6 a⁵."""
    a = Value(1.25)
    b = a * a
    c = b * b * b
    c.backward()
    assert math.isclose(b.grad, 3 * b.data**2, rel_tol=1e-15)
    assert math.isclose(a.grad, 6 * 1.25**5, rel_tol=1e-15)


def test_every_path_is_summed():
    """y = x x + x³ + tanh(x) reaches x five times: dy/dx = 2x + 3x² + 1 - tanh²(x)."""
    x = Value(0.7)
    y = x * x + x**3 + x.tanh()
    y.backward()
    assert math.isclose(x.grad, 2 * 0.7 + 3 * 0.49 + 1 - math.tanh(0.7) ** 2, rel_tol=1e-14)


def test_second_backward_accumulates_on_leaves_only():
    """x = 2, y = x x + x: x.grad is 5 after one pass and 10 after two (interior restarts at 0)."""
    x = Value(2.0)
    square = x * x
    y = square + x
    y.backward()
    assert (x.grad, square.grad, y.grad) == (5.0, 1.0, 1.0)
    y.backward()
    assert (x.grad, square.grad, y.grad) == (10.0, 1.0, 1.0)


def test_interior_node_never_feeds_a_stale_gradient_forward():
    """z = x x used by two roots: the second backward starts z from 0, not from the first's 1."""
    x = Value(3.0)
    z = x * x
    first, second = z + 1, z * 5
    first.backward()
    assert (z.grad, x.grad) == (1.0, 6.0)
    second.backward()
    assert z.grad == 5.0  # d second / dz, not 1 + 5
    assert x.grad == 6.0 + 5 * 6.0  # the leaf accumulates: 6 from the first pass, 30 from this


def test_backward_on_a_leaf():
    """x.backward() on a leaf seeds dx/dx = 1; a leaf accumulates, so a second call gives 2."""
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_million_op_chain_at_the_default_recursion_limit():
    """y = y + x, a million times: backward() is iterative and reaches x (used by every op)
    with dy/dx = 1,000,001. (The cyclic GC is paused while the chain is built: the graph has no
    cycles, and the collector's passes over a million live nodes would be most of the time.)"""
    assert sys.getrecursionlimit() <= 1000, "the test must run at Python's default limit"
    x = Value(1.0)
    y = x
    gc.disable()
    try:
        for _ in range(1_000_000):
            y = y + x
    finally:
        gc.enable()
    y.backward()
    assert (y.data, x.grad) == (1_000_001.0, 1_000_001.0)
    assert len(topological_order(y)) == 1_000_001  # x, then a sum per op


def test_builtin_sum_of_100_000_values():
    """Python's sum() makes a 100,000-deep chain of +: each term gets gradient 1."""
    xs = [Value(float(i)) for i in range(100_000)]
    total = sum(xs)
    total.backward()
    assert total.data == sum(range(100_000))
    assert all(x.grad == 1.0 for x in xs)


@pytest.mark.parametrize(
    ("build", "value", "derivative"),
    [
        (lambda x: 1 - x, 1 - 1.5, -1.0),
        (lambda x: 2 / x, 2 / 1.5, -2 / 1.5**2),
        (lambda x: 2**x, 2**1.5, 2**1.5 * math.log(2)),
        (lambda x: 3 + x, 4.5, 1.0),
        (lambda x: 3 * x, 4.5, 3.0),
    ],
    ids=["1 - x", "2 / x", "2 ** x", "3 + x", "3 * x"],
)
def test_reflected_ops(build, value, derivative):
    """A number on the left (1 - x, 2 / x, 2 ** x, ...): value and derivative by closed form."""
    x = Value(1.5)
    y = build(x)
    y.backward()
    assert math.isclose(y.data, value, rel_tol=1e-15)
    assert math.isclose(x.grad, derivative, rel_tol=1e-15)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (lambda x: x + 2, lambda x: 2 + x),
        (lambda x: x * 2, lambda x: 2 * x),
        (lambda x: x - 2, lambda x: -(2 - x)),
        (lambda x: x / 2, lambda x: 1 / (2 / x)),
        (lambda x: x + 2.5, lambda x: 2.5 + x),
    ],
    ids=["+", "*", "-", "/", "float"],
)
def test_constants_on_either_side(left, right):
    """A number on the left or on the right gives the same value and the same gradient."""
    x1, x2 = Value(3.0), Value(3.0)
    y1, y2 = left(x1), right(x2)
    y1.backward()
    y2.backward()
    assert math.isclose(y1.data, y2.data, rel_tol=1e-15)
    assert math.isclose(x1.grad, x2.grad, rel_tol=1e-15)


def test_constant_operands_are_leaves_that_are_never_updated():
    """x * 2: the 2 is a constant leaf; backward gives it a gradient but leaves its data alone."""
    x = Value(3.0)
    y = x * 2
    constant = y.parents[1]
    y.backward()
    assert (constant.data, constant.op, constant.parents) == (2.0, "", ())
    assert constant.grad == 3.0  # dy/d(the constant) = x


def test_no_grad_records_no_parents():
    """Inside no_grad(), every op's result is a leaf: no op, no parents, no local_grads."""
    x = Value(2.0)
    with no_grad():
        y = (x * x + 1).tanh()
        z = x**2
    for v in (y, z):
        assert (v.op, v.parents, v.local_grads) == ("", (), ())
    assert math.isclose(y.data, math.tanh(5.0), rel_tol=1e-15)
    y.backward()
    assert x.grad == 0.0  # nothing reaches x


def test_no_grad_nesting_restores_the_previous_state():
    """Leaving an inner no_grad() keeps recording off; leaving the outer one turns it back on."""
    x = Value(2.0)
    with no_grad():
        with no_grad():
            assert (x * x).parents == ()
        assert (x * x).parents == ()
    assert (x * x).parents == (x, x)


def test_no_grad_restores_recording_after_an_exception():
    """An exception inside no_grad() restores the state before it: off in an outer no_grad()."""
    x = Value(2.0)
    with no_grad():
        with pytest.raises(ZeroDivisionError), no_grad():
            x / 0
        assert (x * x).parents == ()
    with pytest.raises(ZeroDivisionError), no_grad():
        x / 0
    assert (x * x).parents == (x, x)


def test_detach_is_a_leaf_with_the_same_data():
    """x.detach() has x's data and label, no parents, and stops gradients from reaching x."""
    x = Value(2.0, label="x")
    y = x * 3
    d = y.detach()
    assert (d.data, d.label, d.op, d.parents, d.grad) == (6.0, "", "", (), 0.0)
    assert x.detach().label == "x"
    (d * x).backward()
    assert (x.grad, y.grad) == (6.0, 0.0)  # d(d x)/dx = d; nothing flows through d into y


def test_scope_tags_values_created_inside():
    """Values made inside scope(name) carry it as .scope; Values made outside carry None."""
    outside = Value(1.0)
    with scope("neuron 1") as neuron:
        leaf = Value(2.0)
        node = leaf * outside
    assert isinstance(neuron, Scope)
    assert leaf.scope is neuron and node.scope is neuron
    assert node.parents[1].scope is None  # made outside
    assert (neuron.name, neuron.parent) == ("neuron 1", None)
    assert Value(3.0).scope is None


def test_nested_scopes_chain_through_parent():
    """scope("layer 1") then scope("neuron 2"): the inner scope's parent is the outer one."""
    x = Value(1.0)
    with scope("layer 1") as layer:
        with scope("neuron 2") as neuron:
            z = x * 2
        after = x + 1
    assert z.scope is neuron and neuron.parent is layer
    assert [s.name for s in z.scope.path()] == ["layer 1", "neuron 2"]
    assert after.scope is layer
    assert repr(neuron) == "Scope('layer 1' / 'neuron 2')"


def test_a_scope_is_entered_once():
    """Each block gets a Scope of its own: entering one a second time (which would draw two
    blocks as one box) is a RuntimeError saying to call scope() again."""
    block = scope("neuron 1")
    with block:
        pass
    with pytest.raises(RuntimeError, match=r"scope 'neuron 1' was entered before: call "
                                           r"autograd.scope\(\) for each block"), block:
        pass


def test_scope_is_restored_after_an_exception():
    """An exception inside scope() still restores the scope that was active before."""
    with scope("outer") as outer:
        with pytest.raises(ValueError), scope("inner"):
            Value(0.0).log()
        assert Value(1.0).scope is outer
    assert Value(1.0).scope is None


def test_topological_order_puts_every_node_after_its_parents():
    """Each node comes after all of its parents, each node once, and the root last."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = (c + a).tanh() * c + b**2
    order = topological_order(d)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(position) == len(order)  # no node twice
    assert order[-1] is d
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    assert {id(a), id(b), id(c)} <= set(position)


def test_topological_order_is_deterministic():
    """The same graph, built twice, is listed in the same order: parents visited in their order."""

    def build():
        a, b = Value(1.0, label="a"), Value(2.0, label="b")
        return (a * b + a).exp() - b

    orders = [[v.op or v.label or v.data for v in topological_order(build())] for _ in range(2)]
    assert orders[0] == orders[1]
    assert orders[0][:3] == ["a", "b", "*"]


def test_topological_order_of_a_leaf_is_the_leaf():
    """A leaf depends on nothing but itself."""
    x = Value(1.0)
    assert topological_order(x) == [x]


def test_backward_pass_bookkeeping():
    """backward_pass is 0 until a backward() reaches the node, then that pass's (growing) id."""
    x, unused = Value(1.0), Value(2.0)
    y = x * 3
    assert (x.backward_pass, y.backward_pass) == (0, 0)
    y.backward()
    first = y.backward_pass
    assert first > 0 and x.backward_pass == first
    assert unused.backward_pass == 0
    z = x + unused
    z.backward()
    assert z.backward_pass > first
    assert x.backward_pass == unused.backward_pass == z.backward_pass
    assert y.backward_pass == first  # the second pass did not reach y


@pytest.mark.parametrize(("x", "value"), [(-1000.0, 0.0), (1000.0, 1.0), (-745.0, 0.0)])
def test_sigmoid_is_stable_for_large_inputs(x, value):
    """sigmoid(±1000) does not overflow: value 0 or 1, derivative 0, both finite."""
    v = Value(x)
    s = v.sigmoid()
    s.backward()
    assert math.isclose(s.data, value, abs_tol=1e-300)
    assert math.isfinite(v.grad) and abs(v.grad) < 1e-300


@pytest.mark.parametrize(("x", "value"), [(-1000.0, -1.0), (1000.0, 1.0)])
def test_tanh_is_stable_for_large_inputs(x, value):
    """tanh(±1000) is ±1 with derivative 0: no overflow."""
    v = Value(x)
    t = v.tanh()
    t.backward()
    assert (t.data, v.grad) == (value, 0.0)


def test_gradient_through_a_saturated_sigmoid_is_finite():
    """log(sigmoid(x) + 1) at x = ±1000: every gradient on the way is a finite number."""
    for x in (-1000.0, 1000.0):
        v = Value(x)
        y = (v.sigmoid() + 1).log()
        y.backward()
        assert all(math.isfinite(node.grad) for node in topological_order(y))


def test_backward_walk_equals_the_readable_topological_order():
    """backward's marking walk (autograd.node.walk_marking) lists exactly topological_order's
    nodes, split into the nodes with parents (in its order) and the leaves, and finds the
    nodes with parents that hold a grad from an earlier pass."""
    from autograd.node import walk_marking

    a, b = Value(0.5), Value(-2.0)
    c = a * b + a
    d = (c.tanh() * c + b**2).exp() / (a + 3)
    order = topological_order(d)
    interior, leaves, earlier = walk_marking(d, -1)
    assert interior == [node for node in order if node.parents]
    assert set(leaves) == {node for node in order if not node.parents}
    assert len(leaves) == len(set(leaves))
    assert earlier == []
    d.backward()
    assert set(walk_marking(d, -2)[2]) == set(interior)  # every one holds a grad now


# ---- no_grad() and scope() are per thread ----


def in_thread(target) -> None:
    """Run target in a new thread, wait for it, and raise what it raised."""
    errors: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as error:  # noqa: BLE001 (re-raised in the caller)
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the thread did not finish"
    if errors:
        raise errors[0]


def test_a_thread_inside_no_grad_never_empties_another_threads_graph():
    """While another thread holds no_grad() open, this thread's ops still record their parents."""
    inside, release = threading.Event(), threading.Event()
    seen_there: list = []

    def hold_no_grad():
        with no_grad():
            inside.set()
            seen_there.append((Value(2.0) * 3).parents)
            release.wait(timeout=30)

    thread = threading.Thread(target=hold_no_grad)
    thread.start()
    try:
        assert inside.wait(timeout=30)
        x = Value(2.0)
        y = x * x + 1
        assert y.parents[0].parents == (x, x)
        y.backward()
        assert x.grad == 4.0
    finally:
        release.set()
        thread.join(timeout=30)
    assert seen_there == [()]  # while the other thread was recording, this one was not


def test_scope_is_per_thread():
    """A thread inside scope("a") tags only its own Values: the others see their own scope."""
    inside, release = threading.Event(), threading.Event()
    tagged: list = []

    def hold_scope():
        with scope("a"):
            inside.set()
            release.wait(timeout=30)
            tagged.append(Value(1.0).scope.name)

    thread = threading.Thread(target=hold_scope)
    thread.start()
    try:
        assert inside.wait(timeout=30)
        assert Value(1.0).scope is None
        with scope("b") as b:
            assert (Value(1.0) * 2).scope is b and b.parent is None
    finally:
        release.set()
        thread.join(timeout=30)
    assert tagged == ["a"]


def test_an_exception_inside_no_grad_or_scope_in_a_thread_restores_the_state():
    """In a thread of its own too, an exception inside no_grad() or scope() restores recording
    and the scope that were there before."""

    def body():
        x = Value(2.0)
        with pytest.raises(ZeroDivisionError), no_grad():
            x / 0
        with pytest.raises(ValueError), scope("inner"):
            Value(-1.0).log()
        with pytest.raises(ZeroDivisionError), scope("outer"), no_grad():
            x / 0
        y = x * x
        assert y.parents == (x, x) and y.scope is None

    in_thread(body)


def test_many_threads_entering_and_leaving_never_leave_recording_off():
    """16 threads entering and leaving no_grad() and scope() at once, 300 times each: each
    thread sees only its own state, and afterwards every thread (and this one) records."""
    threads, rounds = 16, 300
    start = threading.Barrier(threads)
    problems: list[str] = []

    def churn(k: int):
        start.wait(timeout=30)
        x = Value(float(k))
        for i in range(rounds):
            if (i + k) % 2:
                with no_grad():
                    if (x * x).parents != ():
                        problems.append(f"thread {k} recorded inside no_grad()")
            else:
                with scope(f"thread {k}") as s:
                    node = x * x
                    if node.parents != (x, x) or node.scope is not s:
                        problems.append(f"thread {k} lost its graph or scope inside scope()")
        node = x * x
        if node.parents != (x, x) or node.scope is not None:
            problems.append(f"thread {k} left with recording {node.parents != ()}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        workers = [threading.Thread(target=churn, args=(k,)) for k in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not problems, problems[:5]
    x = Value(3.0)
    assert (x * x).parents == (x, x) and Value(1.0).scope is None


# ---- backward() never leaves inf or nan in a .grad ----


def grads(*nodes: Value) -> list[float]:
    return [node.grad for node in nodes]


def test_a_leaf_accumulating_until_it_overflows_is_named_and_every_grad_is_kept():
    """y = x * 1e308: x.grad is 1e308 after one pass; the second would make it inf, so it raises
    OverflowError naming x, and every .grad (leaves and interior) is as after the first pass."""
    x = Value(1.0, label="x")
    y = x * 1e308
    constant = y.parents[1]
    y.backward()
    before = grads(x, constant, y)
    assert before == [1e308, 1.0, 1.0]
    with pytest.raises(OverflowError, match=r"the gradient of 'x' \(data 1\) overflowed"):
        y.backward()
    assert grads(x, constant, y) == before


def test_an_interior_gradient_that_overflows_is_named_and_every_grad_is_kept():
    """y = (m * 1e200) * 1e200 with m = x * 1: dy/dm = 1e400 overflows at the interior node m.
    backward names m, and every .grad is as before that pass, interior ones included."""
    x = Value(1e-300, label="x")
    m = x * 1.0
    m.label = "m"
    first = m * 2.0  # an earlier pass through m and x, whose grads must survive
    first.backward()
    inner = m * 1e200
    y = inner * 1e200
    nodes = [x, m, first, inner, y, *topological_order(y)]
    before = grads(*nodes)
    assert (m.grad, x.grad) == (2.0, 2.0)
    with pytest.raises(OverflowError, match=r"the gradient of 'm' \(data 1e-300\) overflowed"):
        y.backward()
    assert grads(*nodes) == before


def test_an_unlabelled_node_that_overflows_is_named_by_its_op():
    """An overflowing node without a label is named by its op, and nothing non-finite is left."""
    x = Value(-700.0)
    y = ((x * 1.0).exp() * 1e200) * 1e200  # exp(-700) = 9.9e-305: dy/d(exp) = 1e400
    with pytest.raises(OverflowError, match=r"the gradient of the exp node \(data 9\.8\d*e-305\)"):
        y.backward()
    assert all(node.grad == 0.0 for node in topological_order(y))


def test_gradients_of_opposite_infinities_are_rolled_back():
    """Leaves whose gradients would be +inf and -inf (an inf + -inf sum): an OverflowError,
    and every .grad stays 0."""
    a, b = Value(1e-300, label="a"), Value(1e-300, label="b")
    y = (a * 1e200) * 1e200 + (b * -1e200) * 1e200
    with pytest.raises(OverflowError, match=r"the gradient of '[ab]' .* overflowed"):
        y.backward()
    assert all(node.grad == 0.0 for node in topological_order(y))


def test_finite_gradients_whose_sum_would_overflow_are_fine():
    """Two leaves with gradient 1e308 each: every gradient is finite, so no error (their sum,
    2e308, is no gradient of anything)."""
    a, b = Value(1e-10), Value(1e-10)
    y = a * 1e308 + b * 1e308
    y.backward()
    assert (a.grad, b.grad) == (1e308, 1e308)


# ---- how a node keeps its parents: .parents and .local_grads read the same for every arity ----


@pytest.mark.parametrize(
    ("build", "arity"),
    [
        (lambda a, b, c: a, 0),
        (lambda a, b, c: a.tanh(), 1),
        (lambda a, b, c: a * b, 2),
        (lambda a, b, c: a * a, 2),
        (lambda a, b, c: sum_of([a]), 1),
        (lambda a, b, c: sum_of([b, b]), 2),
        (lambda a, b, c: sum_of([a, b, a, c]), 4),
        (lambda a, b, c: affine([a, b], [c, 2.0], a), 5),
        (lambda a, b, c: detached_max([c, a, b]), 3),
    ],
    ids=["leaf", "unary", "binary", "a * a", "sum of 1", "sum of 2", "sum of 4", "affine",
         "max of 3"],
)
def test_parents_and_local_grads_are_tuples_for_every_arity(build, arity):
    """One, two or more parents: .parents is a tuple of the Values in order (the same objects,
    duplicates kept) and .local_grads a tuple of floats, one per parent, on every read."""
    a, b, c = Value(0.5), Value(-2.0), Value(3.0)
    y = build(a, b, c)
    assert type(y.parents) is tuple and type(y.local_grads) is tuple
    assert len(y.parents) == len(y.local_grads) == arity
    assert all(isinstance(p, Value) for p in y.parents)
    assert all(type(g) is float for g in y.local_grads)
    assert all(p is q for p, q in zip(y.parents, y.parents))  # the same objects every read


def test_parents_keep_their_order_and_duplicates():
    """b * a lists b then a; a * a lists a twice; sum_of keeps its terms' order."""
    a, b = Value(2.0), Value(3.0)
    assert (b * a).parents == (b, a) and (b * a).local_grads == (2.0, 3.0)
    assert (a * a).parents == (a, a) and (a * a).local_grads == (2.0, 2.0)
    s = sum_of([b, a, b])
    assert s.parents == (b, a, b) and s.local_grads == (1.0, 1.0, 1.0)


def test_local_grads_can_be_replaced_one_number_per_parent():
    """Assigning .local_grads (as a lesson on wrong derivatives does) changes what backward
    passes on; a count that does not match the parents is a ValueError."""
    x, w = Value(3.0), Value(2.0)
    y = x * w
    y.local_grads = (10.0, 20.0)
    y.backward()
    assert (y.local_grads, x.grad, w.grad) == ((10.0, 20.0), 10.0, 20.0)
    t = x.tanh()
    t.local_grads = [0.5]
    assert t.local_grads == (0.5,)
    with pytest.raises(ValueError, match=r"local_grads needs one number per parent \(2\), got 1"):
        y.local_grads = (1.0,)


def readable_backward(root: Value) -> None:
    """The chain rule as backprop.backpropagate's docstring writes it, over .parents and
    .local_grads: interior nodes start the pass at 0, leaves keep what they held."""
    interior = [v for v in topological_order(root) if v.parents]
    for v in interior:
        v.grad = 0.0
    root.grad += 1.0
    for node in reversed(interior):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local


def random_program(steps: list[tuple[int, int, int, int]]) -> tuple[Value, list[Value]]:
    """A straight-line program over three inputs: each step applies one op (unary, binary with
    a Value or a number, or n-ary) to earlier results, so nodes are shared and reused; tanh
    keeps the numbers small (no overflow however long the program)."""
    xs = [Value(0.3), Value(-0.7), Value(1.1)]
    values = list(xs)
    for kind, i, j, k in steps:
        p, q, r = (values[n % len(values)] for n in (i, j, k))
        if kind == 0:
            values.append(p.tanh())
        elif kind == 1:
            values.append((p * q).tanh())
        elif kind == 2:
            values.append(p + 0.5)
        elif kind == 3:
            values.append(sum_of([p, q, r, p]).tanh())
        elif kind == 4:
            values.append(affine([p, q], [r, 2.0], p).tanh())
        elif kind == 5:
            values.append((p * 0.5).sigmoid() / (q.relu() + 1.5))
        else:  # one parent twice, with two different local derivatives: 1/e and -e/e²
            e = p.tanh().exp()
            values += [e, e / e]
    return sum_of(values[len(xs):]) if len(values) > len(xs) + 1 else values[-1], xs


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 99), st.integers(0, 99),
                          st.integers(0, 99)), min_size=1, max_size=25))
def test_backward_gives_the_floats_of_the_readable_chain_rule(steps):
    """backward (its marking walk, its shortcuts for a factor of 1) and the chain rule written
    out plainly give the same float, bit for bit, at every node, over two passes."""
    root, xs = random_program(steps)
    root.backward()
    root.backward()
    fast = [v.grad for v in topological_order(root)]
    for v in topological_order(root):
        v.grad = 0.0
    readable_backward(root)
    readable_backward(root)
    assert [v.grad for v in topological_order(root)] == fast


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 99), st.integers(0, 99),
                          st.integers(0, 99)), min_size=1, max_size=25))
def test_backward_walk_equals_the_readable_topological_order_on_random_programs(steps):
    """On shared, reused and n-ary nodes too, the marking walk lists topological_order's nodes
    with parents in the same order, and its leaves once each."""
    from autograd.node import walk_marking

    root, _ = random_program(steps)
    order = topological_order(root)
    interior, leaves, _ = walk_marking(root, -7)
    assert interior == [node for node in order if node.parents]
    assert sorted(map(id, leaves)) == sorted(id(node) for node in order if not node.parents)
