"""draw_graph and draw_backward accept a Value of micrograd's shape (a learner's own engine):
autograd.draw.adopt makes the same graph of autograd Values, each node's local derivatives
read off its own _backward, its grads copied."""

import re

import pytest
from micrograd_shaped import Value as Tiny  # a learner's engine (tests/micrograd_shaped.py)

from autograd import Value, backward_steps, draw_backward, draw_graph
from autograd.draw import adopt


def neuron(cls):
    x, w, b = cls(0.5, label="x"), cls(-1.5, label="w"), cls(2.0, label="b")
    return ((x * w) + b).tanh()


def by_label(root):
    from autograd import topological_order
    return {v.label: v for v in topological_order(root) if v.label}


def test_adopt_makes_the_same_graph_with_the_closures_derivatives():
    """Same data, ops, labels and edges; each node's local derivatives are what its _backward
    passes on; the learner's grads are left as they were."""
    mine = neuron(Tiny)
    twin = adopt(mine)
    assert isinstance(twin, Value) and twin.op == "tanh" and twin.data == mine.data
    (inner,) = twin.parents
    assert inner.op == "+" and sorted(inner.local_grads) == [1.0, 1.0]
    product = next(p for p in inner.parents if p.op == "*")
    assert {p.label: g for p, g in zip(product.parents, product.local_grads)} == {
        "x": -1.5, "w": 0.5}
    assert twin.local_grads == (pytest.approx(1 - mine.data**2),)
    assert mine.grad == 0.0 and all(v.grad == 0.0 for v in by_label(twin).values())
    assert adopt(twin) is twin  # autograd's own Values are drawn as they are


def test_grads_are_copied_after_the_learners_backward():
    """After the learner's backward(), the twin shows their grads, leaf by leaf."""
    mine, reference = neuron(Tiny), neuron(Value)
    mine.backward()
    reference.backward()
    twin = adopt(mine)
    assert twin.grad == 1.0
    for label, v in by_label(reference).items():
        assert by_label(twin)[label].grad == pytest.approx(v.grad, abs=1e-15)


def test_the_drawing_of_a_learners_engine_shows_chainrules_numbers():
    """draw_graph(learner's root) has the same boxes and edge labels as chainrule's drawing of
    the same expression (only the names of the computed nodes may list parents otherwise)."""
    mine, reference = neuron(Tiny), neuron(Value)
    mine.backward()
    reference.backward()
    cells = r"data -?[\d.]+<BR/>grad -?[\d.]+"
    edges = r"label=(-?[\d.]+) tooltip"
    ours, theirs = draw_graph(mine).source, draw_graph(reference).source
    assert sorted(re.findall(cells, ours)) == sorted(re.findall(cells, theirs))
    assert sorted(re.findall(edges, ours)) == sorted(re.findall(edges, theirs))
    assert "read off its _backward" in ours
    assert draw_graph(neuron(Tiny)).source == draw_graph(neuron(Tiny)).source  # no set order


def test_the_step_through_runs_the_learners_closures():
    """draw_backward's steps are those of chainrule's backward, term for term."""
    mine, reference = neuron(Tiny), neuron(Value)
    frames = draw_backward(mine)
    assert len(frames) == len(draw_backward(reference)) == 4
    ours = [(s.number, round(s.upstream, 12), sorted(round(c.added, 12) for c in s.contributions))
            for s in frames.steps]
    theirs = [(s.number, round(s.upstream, 12),
               sorted(round(c.added, 12) for c in s.contributions))
              for s in backward_steps(reference)]
    assert ours == theirs


def test_a_mistake_in_a_closure_is_drawn_as_it_is():
    """A _backward that assigns (=) instead of adding passes a + a's grad on once: the drawing
    shows the local derivative the learner's code has, 1, not the 2 of a + a."""
    a = Tiny(0.5, label="a")
    b = a + a

    def overwrites():
        a.grad = b.grad
    b._backward = overwrites
    assert adopt(b).local_grads == (1.0,)
    assert adopt(a + a).local_grads == (2.0,)
    assert "a + a<BR/>" in draw_graph((a + a).tanh()).source  # one child, named twice


def test_a_deep_graph_is_adopted_without_recursion():
    """A chain of 5000 ops deep is walked with a stack of adopt's own."""
    x = Tiny(1.0, label="x")
    y = x
    for _ in range(5000):
        y = y * 1.0
    twin = adopt(y)
    assert twin.data == 1.0 and len(twin.parents) == 2


def test_anything_else_is_refused_as_before():
    """A number is not a Value; an object missing part of micrograd's shape is named so."""
    with pytest.raises(TypeError, match="draw_graph needs a Value, got float"):
        draw_graph(3.0)

    class Half:
        data, grad, _prev, _op = 1.0, 0.0, (), ""
    with pytest.raises(TypeError, match=r"this Half has no _backward"):
        adopt(Half())
