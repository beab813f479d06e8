"""The names on a drawing: an nn model's in the course's notation, constants by their value, other
Values by what they compute; never an internal counter (#7, v59)."""

import html
import re

import pytest

from autograd import Value, draw_backward, draw_graph, topological_order
from autograd.draw.names import MAX_COMPUTED, node_names

nn = pytest.importorskip("nn")

COUNTER = re.compile(r"#\d|\bv\d+\b")  # y#7, v59: what a learner cannot map back to a network
DOT_IDS = re.compile(r"^\t*v\d+(?: -> v\d+)? \[", re.MULTILINE)  # where DOT's own ids may stay


def seen_text(source: str) -> str:
    """Everything of a DOT source a reader sees: labels and tooltips (their character
    references read: &#91; is [), without DOT's node ids."""
    return html.unescape(DOT_IDS.sub("", source))


def models():
    """Losses of nn models, drawn whole: softmax + KL, L2, decomposed affine terms, a batch of
    two samples (so every label of the network appears twice), and a standalone Layer."""
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    yield "softmax + KL", nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    model = nn.MLP(2, [2, 1], activation="relu", seed=1)
    yield "L2", nn.l2_divergence(model([0.5, -1.0]), [0.3])
    model = nn.MLP(2, [2, 2], decompose=True, seed=2)
    yield "decomposed", nn.l2_divergence(model([1.0, 2.0]), [0.0, 1.0])
    model = nn.MLP(2, [2, 2], output="softmax", seed=3)
    batch = [nn.cross_entropy(model(x), c) for x, c in (([0.1, 0.2], 0), ([0.3, -0.4], 1))]
    yield "batch of two", (batch[0] + batch[1]) * 0.5
    yield "a Layer", nn.l2_divergence(nn.Layer(3, 2, seed=0)([1.0, 2.0, 3.0]), [0.0, 0.0])


@pytest.mark.parametrize(("kind", "loss"), list(models()), ids=[k for k, _ in models()])
def test_no_internal_counter_in_a_drawing_of_an_nn_model(kind, loss):
    """No #k or v<k> in any box, tooltip, edge tooltip, cluster label or step caption."""
    loss.backward()
    graph = draw_graph(loss, edge_derivatives=True)
    assert not COUNTER.search(seen_text(graph.source)), kind
    frames = draw_backward(loss)
    for k in (0, 1, len(frames) // 2, len(frames) - 1):
        assert not COUNTER.search(seen_text(frames[k].source) + frames.caption(k)), (kind, k)
    names = node_names(topological_order(loss), loss)
    interior = [name for v, name in names.items() if v.parents]
    assert len(set(interior)) == len(interior)  # only constants share a name (their value)


def test_an_mlp_is_named_in_the_course_notation():
    """z_i = Σ_j w_ji x_j + b_i in layer k: w1[2,1] from input 2 to neuron 1, b1[1], z1[1],
    y1[1]; inputs x[j]; layer 2 reads y1[j]; the unlabelled root is L."""
    model = nn.MLP(2, [2, 1], seed=0)
    loss = nn.l2_divergence(model([0.5, -1.0]), [0.3])
    order = topological_order(loss)
    names = set(node_names(order, loss).values())
    assert {"x[1]", "x[2]", "w1[1,1]", "w1[2,1]", "w1[1,2]", "w1[2,2]", "b1[1]", "b1[2]",
            "z1[1]", "z1[2]", "y1[1]", "y1[2]", "w2[1,1]", "w2[2,1]", "b2[1]", "z2[1]",
            "L"} <= names
    first = model.layers[0].neurons[0]
    assert [w.label for w in first.w] == ["w1[1,1]", "w1[2,1]"] and first.b.label == "b1[1]"
    z = next(v for v in order if v.label == "z2[1]")
    assert [p.label for p in z.parents] == ["w2[1,1]", "w2[2,1]", "y1[1]", "y1[2]", "b2[1]"]
    source = draw_graph(loss).source
    assert "z2[1] = w2[1,1]·y1[1] + w2[2,1]·y1[2] + b2[1] = " in source
    assert 'tooltip="∂z1[1]/∂w1[2,1] = x[2] = -1.0000"' in source


def test_softmax_outputs_are_named_by_layer_and_neuron():
    """A softmax layer labels its outputs y2[1], y2[2]; its affine terms z2[i]."""
    model = nn.MLP(2, [2, 2], output="softmax", seed=0)
    ys = model([0.5, -1.0])
    assert [y.label for y in ys] == ["y2[1]", "y2[2]"]
    assert {v.label for v in topological_order(ys[0])} >= {"z2[1]", "z2[2]"}


def test_a_label_shared_by_samples_is_counted_as_samples_are():
    """The same network on two samples: each of its labels appears twice, told apart by a
    superscript, z1[1]⁽¹⁾ and z1[1]⁽²⁾; the parameters, used by both, appear once."""
    model = nn.MLP(1, [1, 1], seed=0)
    total = model([0.5])[0] + model([-1.0])[0]
    names = sorted(node_names(topological_order(total), total).values())
    assert {"z1[1]⁽¹⁾", "z1[1]⁽²⁾", "y1[1]⁽¹⁾", "y1[1]⁽²⁾", "x[1]⁽¹⁾", "x[1]⁽²⁾"} <= set(names)
    assert names.count("w1[1,1]") == 1 and not any(n.startswith("w1[1,1]⁽") for n in names)


def test_unlabelled_values_are_named_by_what_they_compute():
    """x * 2, tanh(x * 2): formulas in the parents' names, constants by value, the root L."""
    x = Value(3.0, label="x")
    y = (x * 2).tanh() + x * 0.25
    assert list(node_names(topological_order(y), y).values()) == [
        "x", "2", "x * 2", "tanh(x * 2)", "0.25", "x * 0.25", "L"]


def test_long_computed_names_are_abbreviated_and_kept_apart():
    """Past MAX_COMPUTED characters the longest computed parts become …; a name met again
    gets ⁽²⁾, ⁽³⁾."""
    a, b = Value(1.0, label="alpha"), Value(2.0, label="beta")
    deep = ((a * b + a) * (b + a)).exp()
    assert list(node_names(topological_order(deep), deep).values()) == [
        "alpha", "beta", "alpha * beta", "… + alpha", "beta + alpha", "(… + alpha) * …", "L"]
    twice = (a * b).tanh() + (a * b).tanh()  # tanh(alpha * beta) has 18 characters
    assert list(node_names(topological_order(twice), twice).values()) == [
        "alpha", "beta", "alpha * beta", "tanh(…)", "alpha * beta⁽²⁾", "tanh(…)⁽²⁾", "L"]
    assert MAX_COMPUTED == 16
