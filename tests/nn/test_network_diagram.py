"""nn.draw_network: the MLP as the course draws it, named as in the computation graph."""

import re

import pytest

import nn

pytest.importorskip("graphviz")


def trained_step():
    """A 2-3-2 classifier and its loss after backward()."""
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    loss.backward()
    return model, loss


def edges(graph):
    """(tail, head, attributes) of every visible edge, in order."""
    return [(tail, head, attributes) for tail, head, attributes in
            re.findall(r'^\t*"?([^"\s]+)"? -> "?([^"\s]+)"? \[(.*)\]$', graph.source, re.M)
            if "invis" not in attributes]


def test_units_by_layer_and_weights_in_index_order():
    """Inputs, then each layer's units in order; an edge per weight w_k[j,i] from unit j of the
    layer before to unit i, in the order of model.parameters() (biases left out)."""
    model, loss = trained_step()
    graph = nn.draw_network(model, loss)
    names = [re.search(r'tooltip="([^ ]*) = ', a).group(1) for _, _, a in edges(graph)]
    weights = [p.label for p in model.parameters() if p.label.startswith("w")]
    assert names == weights
    assert [(t, h) for t, h, _ in edges(graph)][:2] == [("x[1]", "y1[1]"), ("x[2]", "y1[1]")]
    assert "layer 1: W1 is 3 × 2, y1 = tanh(z1)" in graph.source
    assert "layer 2: W2 is 2 × 3, y2 = softmax(z2)" in graph.source


def test_colour_and_width_follow_the_weight_or_its_gradient():
    """Blue for +, red for -; the largest in size is the widest."""
    model, loss = trained_step()
    for color_by in ("weight", "grad"):
        graph = nn.draw_network(model, loss, color_by=color_by)
        numbers = [w.data if color_by == "weight" else w.grad
                   for w in model.parameters() if w.label.startswith("w")]
        found = edges(graph)
        colours = [re.search(r'color="([^"]*)"', a).group(1) for _, _, a in found]
        assert colours == ["#2e6db4" if n >= 0 else "#c0392b" for n in numbers]
        widths = [float(re.search(r"penwidth=([0-9.]+)", a).group(1)) for _, _, a in found]
        assert widths.index(max(widths)) == [abs(n) for n in numbers].index(
            max(abs(n) for n in numbers))


def test_hover_gives_value_gradient_and_the_chain_rule_line():
    """A weight's tooltip: its value, grad, and ∂L/∂w as the computation graph writes it; a
    unit's: what it computes and its bias. Without the loss: value and grad only."""
    model, loss = trained_step()
    w = model.layers[1].neurons[0].w[2]
    source = nn.draw_network(model, loss).source
    assert (f'tooltip="w2[3,1] = {w.data:.4f}\\ngrad {w.grad:.4f}\\n∂L/∂w2[3,1] = ∂L/∂z2[1] · '
            f"∂z2[1]/∂w2[3,1] = ") in source
    assert "y1[2]: y = tanh(z), z = Σⱼ wⱼ xⱼ + b\\nb1[2] = 0.0000" in source
    bare = nn.draw_network(model).source
    assert f'tooltip="w2[3,1] = {w.data:.4f}\\ngrad {w.grad:.4f}"' in bare


def test_errors_say_what_was_received():
    model, _ = trained_step()
    with pytest.raises(TypeError, match="needs an nn.MLP, got Layer"):
        nn.draw_network(nn.Layer(2, 2))
    with pytest.raises(ValueError, match="color_by must be 'weight' or 'grad', got 'size'"):
        nn.draw_network(model, color_by="size")
    with pytest.raises(TypeError, match="loss as a Value .*got float"):
        nn.draw_network(model, 0.5)


def test_a_small_network_names_its_weights_beside_straight_edges():
    """The edges are straight; up to EDGE_LABELS weights are named beside them (xlabel, which
    leaves the layout alone), and in a larger network only on hover."""
    from nn.network_diagram import EDGE_LABELS

    small = nn.draw_network(nn.MLP(1, [2, 1], activation="tanh", output="linear", seed=3))
    assert 'splines=line' in small.source
    assert [re.search(r'xlabel="([^"]*)"', a).group(1) for _, _, a in edges(small)] == [
        "w1[1,1]", "w1[1,2]", "w2[1,1]", "w2[2,1]"]
    large = nn.draw_network(nn.MLP(2, [3, 2], seed=0))
    assert len(edges(large)) > EDGE_LABELS
    assert not any("xlabel" in a for _, _, a in edges(large))
