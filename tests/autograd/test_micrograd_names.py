"""micrograd's names and idioms, as its lecture uses them: _prev, _op, _backward(),
draw_dot, comparisons on .data with == as identity."""

from __future__ import annotations

import pytest

from autograd import Value, draw_dot


def lecture_expression():
    """The lecture's first expression: L = (a * b + c) * f."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return a, b, c, f, L


def test_prev_is_the_set_of_parents_and_op_the_name():
    """v._prev is a set of the parents; v._op equals v.op ("" for a leaf)."""
    a, b, c, f, L = lecture_expression()
    d = L.parents[0]
    assert d._prev == {d.parents[0], c}
    assert (L._op, d._op, a._op) == ("*", "+", "")
    assert (a + a)._prev == {a}


def test_a_hand_written_topological_sort_over_prev_with_backward_steps_matches_backward():
    """The lecture's build_topo over _prev, then node._backward() in reverse, gives the same
    gradients as backward()."""
    a, b, c, f, L = lecture_expression()
    topo, visited = [], set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(L)
    L.grad = 1.0
    for node in reversed(topo):
        node._backward()
    by_hand = [v.grad for v in (a, b, c, f)]
    a2, b2, c2, f2, L2 = lecture_expression()
    L2.backward()
    assert by_hand == [v.grad for v in (a2, b2, c2, f2)] == [6.0, -4.0, -2.0, 4.0]


def test_comparisons_read_data_and_equality_stays_identity():
    """<, <=, >, >= between Values or with numbers are bools on .data (sorted and max work);
    == is identity, so equal numbers are still different Values (dict keys, set members)."""
    small, large = Value(1.0), Value(3.0)
    assert small < large and small <= 1.0 and large > 2 and large >= large
    assert not (small > large)
    assert max([small, large]) is large and sorted([large, small]) == [small, large]
    twin = Value(1.0)
    assert small != twin and len({small, twin}) == 2
    with pytest.raises(TypeError, match="needs a Value or a real number"):
        small < "1"  # noqa: B015


@pytest.mark.needs_dot
def test_draw_dot_is_the_lectures_function(tmp_path):
    """draw_dot(root, format, rankdir) gives this project's drawing as a graphviz.Digraph;
    .render('gout') writes gout.svg as in the lecture."""
    import graphviz

    *_, L = lecture_expression()
    L.backward()
    drawing = draw_dot(L)
    assert isinstance(drawing, graphviz.Digraph) and drawing.format == "svg"
    assert "rankdir=LR" in drawing.source.replace(" ", "")
    written = drawing.render(str(tmp_path / "gout"))
    assert written.endswith("gout.svg") and (tmp_path / "gout.svg").read_text().count("<svg")
    assert "rankdir=TB" in draw_dot(L, format="png", rankdir="TB").source.replace(" ", "")


def lecture_tanh(n: Value) -> Value:
    """tanh written the lecture's way: a node made with its children and a _backward closure."""
    import math

    t = (math.exp(2 * n.data) - 1) / (math.exp(2 * n.data) + 1)
    out = Value(t, (n,), "tanh", label="o")

    def _backward():
        n.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def test_a_tanh_written_the_lectures_way_matches_value_tanh():
    """Value(data, (n,), 'tanh') with a hand-written _backward: the same value and gradients
    as n.tanh() (to the last few bits: the lecture computes tanh from exp)."""
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.8813735870195432)
    by_hand = lecture_tanh(x1 * w1 + b)
    by_hand.backward()
    x2, w2, b2 = Value(2.0), Value(-3.0), Value(6.8813735870195432)
    built_in = (x2 * w2 + b2).tanh()
    built_in.backward()
    assert by_hand.data == pytest.approx(built_in.data, rel=1e-12)
    assert (x1.grad, w1.grad) == pytest.approx((x2.grad, w2.grad), rel=1e-12)
    assert by_hand._op == "tanh"
    assert by_hand.local_grads == pytest.approx((1 - by_hand.data**2,), rel=1e-12)


def test_a_node_with_children_and_no_backward_says_what_to_do():
    """Value(data, children, op) without a _backward: backward() says to assign one."""
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"out._backward = a function that adds to each child"):
        Value(2.0, (x,), "double").backward()
    with pytest.raises(TypeError, match="_children needs a tuple of Values"):
        Value(1.0, (1.0,), "+")


def test_attributes_can_be_attached_to_a_value():
    """An optimizer's moment or a colour can be set on a Value, as EurekaLabs' micrograd does."""
    p = Value(0.5)
    p.m = 0.0
    setattr(p, "_vis_color", "red")  # noqa: B010 (the idiom EurekaLabs uses)
    assert (p.m, p._vis_color) == (0.0, "red")


@pytest.mark.needs_dot
def test_a_node_made_the_lectures_way_draws_with_its_hand_written_backward_named():
    """Its box shows label, data, grad and op; its edge says the local derivative was read off
    a _backward written by hand, and n's gradient is the chain rule through it."""
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    n = x1 * w1
    n.label = "n"
    o = lecture_tanh(n)
    o.backward()
    source = draw_dot(o).source
    assert "tanh" in source and "written by hand" in source
    assert "∂o/∂n = ∂o/∂o · ∂o/∂n = 1.0000 × " in source
