"""Drawings that stay readable as the network grows: collapsed groups, levels of detail,
constants without a gradient, - drawn as such, neurons and weights in index order."""

import html
import re

import pytest

from autograd import Value, draw_backward, draw_graph, scope, topological_order
from autograd.draw.drawn import drawn_order, twins_of
from autograd.draw.levels import draw_levels
from autograd.draw.page import fitted_svg

from .test_graph import dot_id, edges, nodes

nn = pytest.importorskip("nn")
DERIVATIVE = re.compile(r"∂[^\s/]+/∂(?:\([^()]*\)|[^\s(]+(?:\([^()]*\))?)")  # ∂L/∂(x * w)


def classifier_loss(divergence="kl"):
    """A 2-2-2 classifier (tanh, softmax) and its loss on one sample, after backward()."""
    model = nn.MLP(2, [2, 2], activation="tanh", output="softmax", seed=0)
    y = model([0.5, -1.0])
    loss = nn.kl_divergence(y, nn.one_hot(1, 2)) if divergence == "kl" else \
        nn.cross_entropy(y, 1)
    loss.backward()
    return model, loss


def box_of(graph, header):
    """The rows and tooltip of the box whose header row is header."""
    return next((rows, tip) for rows, tip, _ in nodes(graph).values() if rows[0] == header)


@pytest.mark.parametrize("divergence", ["kl", "cross_entropy"])
def test_softmax_and_the_divergence_collapse_into_one_box_by_default(divergence):
    """By default softmax + Div is one box z -> Div, whose hover says ∂Div/∂z = y − d with
    the numbers, which are the z's gradients; collapse=() draws today's graph."""
    _, loss = classifier_loss(divergence)
    graph = draw_graph(loss)
    name = "kl_divergence" if divergence == "kl" else "cross_entropy"
    rows, tip = box_of(graph, f"softmax + {name}")
    assert rows[1:] == ["L", f"data {loss.data:.4f}", "grad 1.0000"]
    assert "∂Div/∂z = y − d" in tip
    z = [v for v in topological_order(loss) if v.label in ("z2[1]", "z2[2]")]
    for zi in z:
        assert f"∂L/∂{zi.label} = {zi.grad:.4f}" in tip
    headers = {rows[0] for rows, _, _ in nodes(graph).values()}
    assert not headers & {"max (detached)", "exp", "log", "**-1"}
    whole = draw_graph(loss, collapse=())
    assert "max (detached)" in whole.source and "softmax + " not in whole.source


def test_any_scope_collapses_by_name_and_nn_levels_by_word():
    """collapse=("neuron",) draws each neuron as one box per output; "layers" a layer; a level
    that does not exist is refused, naming the ones that do."""
    _, loss = classifier_loss()
    neurons = draw_graph(loss, collapse="neurons")
    headers = [rows[0] for rows, _, _ in nodes(neurons).values()]
    assert headers.count("neuron 1: y = tanh(z), z = Σⱼ wⱼ xⱼ + b") == 1
    assert "tanh" not in headers
    assert draw_graph(loss, collapse="layers").values < neurons.values
    assert draw_graph(loss, collapse=("neuron",)).values > neurons.values  # softmax in full
    with pytest.raises(ValueError, match="collapse must be a level .*'layers'.*got 'layer'"):
        draw_graph(loss, collapse="layer")
    with pytest.raises(TypeError, match="tuple of scope names .*got int"):
        draw_graph(loss, collapse=3)


def test_a_collapsed_group_passes_the_chain_rule_on_with_its_partials():
    """The box y = x² of a scope: its edge is ∂y/∂x = 2x, x's hover sums through the box."""
    x = Value(1.5, label="x")
    with scope("square", note="y = x².  ∂y/∂x = 2x"):
        y = x * x
    y.label = "y"
    loss = y.tanh()
    loss.backward()
    graph = draw_graph(loss, collapse=("square",))
    rows, tip = box_of(graph, "square")
    assert rows[1] == "y" and "y = x².  ∂y/∂x = 2x" in tip and "∂y/∂x = 3.0000" in tip
    assert f"= {x.grad:.4f}" in nodes(graph)[dot_id(x, loss, ("square",))][1]


def test_the_step_through_of_a_2_2_2_classifier_has_at_most_10_frames():
    """Notebook 04's step-through (softmax + KL, then cross-entropy) at its default detail."""
    for divergence in ("kl", "cross_entropy"):
        _, loss = classifier_loss(divergence)
        frames = draw_backward(loss)
        assert len(frames) <= 10
        assert "(-1)" not in "".join(frames.caption(k) for k in range(len(frames)))


def test_constants_carry_no_gradient_in_drawings_and_captions():
    """A constant (an unlabelled leaf, or one made inside a scope such as KL's Σ d log d) has
    no grad row, a hover that says so, and no += in any caption."""
    _, loss = classifier_loss()
    whole = draw_graph(loss, collapse=())
    for v in twins_of(loss, topological_order(loss), ()):  # (a negation's -1 is not drawn)
        if not v.parents and (not v.label or v.scope is not None):
            rows, tip = nodes(whole)[dot_id(v, loss, ())][:2]
            assert not any(r.startswith("grad") for r in rows)
            assert "a constant: no gradient" in tip
    frames = draw_backward(loss, collapse=())
    captions = "".join(frames.caption(k) for k in range(len(frames)))
    assert "∂L/∂(Σ d log d) +=" not in captions and "∂L/∂(-1)" not in captions


def test_subtraction_and_negation_are_drawn_as_such():
    """a - b is one node "-" with edges ∂/∂a = 1, ∂/∂b = -1; -x is a node "-" of one input;
    no -1 box, no + of a negation."""
    a, b, x = Value(3.0, label="a"), Value(1.0, label="b"), Value(2.0, label="x")
    d = a - b
    n = -x
    n.label = "n"
    top = d * n
    top.backward()
    graph = draw_graph(top)
    names = [rows for rows, _, _ in nodes(graph).values()]
    assert ["-", "a - b", "data 2.0000", "grad -2.0000"] in names
    assert ["-", "n", "data -2.0000", "grad 2.0000"] in names
    assert not any(rows[0] in ("-1", "+") for rows in names)
    sub = dot_id(d, top)
    tips = {e[0]["tooltip"] for key, e in edges(graph).items() if key[1] == sub}
    assert tips == {"∂(a - b)/∂a = 1.0000", "∂(a - b)/∂b = -1.0000"}
    assert f"= {b.grad:.4f}" in nodes(graph)[dot_id(b, top)][1]


def test_the_target_is_subtracted_in_l2():
    """½ (y - d)²: the drawing reads z2[1] - 1 (a subtraction of the target), not + (-1)."""
    model = nn.MLP(2, [2, 1], seed=0)
    loss = nn.l2_divergence(model([0.5, -1.0]), [1.0])
    loss.backward()
    source = draw_graph(loss, collapse=()).source
    assert "z2[1] - 1" in source and "+ (-1)" not in source


@pytest.mark.needs_dot
@pytest.mark.parametrize("collapse", [None, "neurons"])
def test_neurons_and_weights_are_drawn_in_index_order(collapse):
    """In the drawing of a 2-2-2 MLP (dot's layout, at the default detail and by neurons),
    each neuron's w_1, w_2, b lie top to bottom in that order, neuron 1 above neuron 2, x[1]
    above x[2]."""
    _, loss = classifier_loss()
    plain = draw_graph(loss, collapse=collapse).pipe(format="plain").decode()
    heights = {}
    for line in plain.splitlines():
        found = re.search(r"([wbxyz]\d?&#91;[0-9,]+&#93;)", line)
        if line.startswith("node") and found:
            heights[found.group(1).replace("&#91;", "[").replace("&#93;", "]")] = \
                float(line.split()[3])
    for k in (1, 2):
        for i in (1, 2):
            column = [f"w{k}[1,{i}]", f"w{k}[2,{i}]", f"b{k}[{i}]"]
            assert [heights[n] for n in column] == sorted((heights[n] for n in column),
                                                          reverse=True)
    unit = "z" if collapse is None else "y"
    assert heights[f"{unit}1[1]"] > heights[f"{unit}1[2]"]
    assert heights["z2[1]"] > heights["z2[2]"] if collapse is None else True
    assert heights["x[1]"] > heights["x[2]"]


def test_cluster_titles_use_the_course_notation_in_unicode():
    """Σⱼ wⱼ xⱼ, not Σ_j w_j x_j."""
    _, loss = classifier_loss()
    titles = re.findall(r'label="([^"]*)" labeljust', draw_graph(loss).source)
    assert "neuron 1: y = tanh(z), z = Σⱼ wⱼ xⱼ + b" in titles
    assert not any("_" in title for title in titles)


def test_levels_are_prerendered_with_a_button_each():
    """draw_levels: one block, a button per level, every level's SVG in it."""
    _, loss = classifier_loss()
    levels = draw_levels(loss, ("neurons", "every op"))
    markup = levels._repr_html_()
    assert markup.count('class="chainrule-level-button"') == 2
    assert markup.count("<svg") == 2 and "<script>" in markup
    with pytest.raises(ValueError, match="tuple of levels"):
        draw_levels(loss, "neurons")


def test_drawn_twins_stand_for_every_value_shown():
    """Every drawn Value is a twin of one in root's graph with its data and grad."""
    _, loss = classifier_loss()
    order = topological_order(loss)
    twins = twins_of(loss, order, None)
    assert len(drawn_order(loss, order)) == len(twins)
    assert all(t.data == v.data and t.grad == v.grad for v, t in twins.items())


def test_no_text_under_9_px_the_svg_scrolls_instead():
    """fitted_svg never lets the drawing be narrower than 0.9 px per viewBox unit."""
    svg = '<svg width="2000pt" height="100pt" viewBox="0.00 0.00 2000.00 100.00"></svg>'
    assert "min-width: 1801px" in fitted_svg(svg)


def test_steps_save_to_an_html_path_writes_the_page(tmp_path):
    """draw_backward(y).save("steps.html") is the self-contained page; a directory keeps its
    meaning (a file per frame)."""
    _, loss = classifier_loss()
    frames = draw_backward(loss)
    page = frames.save(tmp_path / "steps.html")
    assert page == tmp_path / "steps.html" and "chainrule-steps" in page.read_text("utf-8")
    assert len(frames.save(tmp_path / "frames")) == len(frames)


@pytest.mark.parametrize("divergence", ["kl", "cross_entropy"])
def test_collapsed_frames_reproduce_every_parameter_gradient_exactly(divergence):
    """Notebook 04: frames.gradients(last) is keyed by the model's own parameters and equals
    backward()'s, float for float, with softmax + Div collapsed."""
    model, loss = classifier_loss(divergence)
    replayed = draw_backward(loss).gradients(-1)
    assert all(replayed[p] == p.grad for p in model.parameters())


def test_step_captions_write_names_as_the_drawing_does():
    """Every ∂a/∂b of every caption is written the same way in the drawing's tooltips."""
    for collapse in (None, ()):
        _, loss = classifier_loss()
        frames = draw_backward(loss, collapse=collapse)
        source = html.unescape(draw_graph(loss, collapse=collapse).source)
        for k in range(len(frames)):
            for derivative in DERIVATIVE.findall(frames.caption(k)):
                assert derivative in source, (collapse, k, derivative)


def test_step_throughs_at_several_levels_are_one_block():
    """draw_levels(backward=True): a step-through per level, each with its own slider."""
    _, loss = classifier_loss()
    levels = draw_levels(loss, ("formulas", "every op"), backward=True)
    assert [len(frames) for frames in levels.graphs] == [8, 19]
    markup = levels._repr_html_()
    assert markup.count('class="chainrule-steps"') == 2
    assert markup.count('class="chainrule-level-button"') == 2


@pytest.mark.needs_dot
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_an_affine_nodes_inputs_are_drawn_in_order_outside_any_scope(rankdir):
    """z = w_1 x_1 + w_2 x_2 + b made outside any scope: its inputs lie in their order, top to
    bottom (LR) or left to right (TB)."""
    from autograd import affine

    w = [Value(1.0, label="w_1"), Value(2.0, label="w_2")]
    x = [Value(3.0, label="x_1"), Value(4.0, label="x_2")]
    z = affine(w, x, Value(0.5, label="b"))
    plain = draw_graph(z, rankdir=rankdir).pipe(format="plain").decode()
    where = {}
    for line in plain.splitlines():
        found = re.search(r"<TD>([wxb](?:_\d)?)<BR", line)
        if line.startswith("node") and found:
            x_position, y_position = map(float, line.split()[2:4])
            where[found.group(1)] = -y_position if rankdir == "LR" else x_position
    assert sorted(where, key=where.get) == ["w_1", "w_2", "x_1", "x_2", "b"]
