"""autograd.backward_steps and draw_backward: backward() one step at a time, and its frames."""

import random
import re
import sys

import pytest

from autograd import (
    BackwardStep,
    Contribution,
    Value,
    affine,
    backward_steps,
    draw_backward,
    sum_of,
    topological_order,
)


def neuron():
    """y = tanh(x*w + b), labelled, with no backward() yet."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    return y


def shapes():
    """Graph shapes with reuse: a + a, a diamond, a chain through powers, n-ary nodes, a mix."""
    a = Value(1.5, label="a")
    yield a + a
    b = a * 2.0
    yield (b.tanh() * b.exp()).sigmoid()  # diamond
    yield ((a**3 - a / 2.0).relu() + 1.0).log()
    weights = [Value(0.1 * i - 0.2) for i in range(4)]
    inputs = [Value(float(i)) for i in range(4)]
    z = affine(weights, inputs, Value(0.3))
    yield sum_of([z.tanh(), z * z, weights[0]])
    rng = random.Random(1)
    pool = [Value(rng.uniform(-1, 1)) for _ in range(4)]
    for _ in range(40):
        p, q = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([p + q, p * q, p.tanh(), q.sigmoid(), p - q]))
    yield pool[-1] + pool[-2]


def replayed(root, steps):
    """Gradients from summing the steps' contributions into zeros, with ∂root/∂root = 1."""
    grads = dict.fromkeys(topological_order(root), 0.0)
    grads[root] = 1.0
    for step in steps:
        for c in step.contributions:
            grads[c.parent] += c.added
    return grads


def fresh_backward(root):
    """root.backward() after setting every grad to 0: {Value: grad}."""
    order = topological_order(root)
    for v in order:
        v.grad = 0.0
    root.backward()
    return {v: v.grad for v in order}


@pytest.mark.parametrize("root", list(shapes()))
def test_steps_reproduce_backward_gradients_exactly(root):
    """Summing the steps' contributions gives backward()'s gradients, float for float."""
    assert replayed(root, backward_steps(root)) == fresh_backward(root)


@pytest.mark.parametrize("root", list(shapes()))
def test_steps_follow_backward_order_and_upstream_is_complete(root):
    """Steps visit Values with parents in reverse topological order; upstream is their grad."""
    steps = backward_steps(root)
    fresh_backward(root)
    interior = [v for v in topological_order(root) if v.parents]
    assert [s.node for s in steps] == interior[::-1]
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))
    for step in steps:
        assert step.upstream == step.node.grad
        for c, parent, local in zip(step.contributions, step.node.parents, step.node.local_grads):
            assert (c.parent, c.local, c.added) == (parent, local, step.upstream * local)


def test_a_neuron_step_by_step():
    """y = tanh(x*w + b): tanh, then +, then *, with the closed-form derivatives."""
    y = neuron()
    steps = backward_steps(y)
    assert [s.node.op for s in steps] == ["tanh", "+", "*"]
    slope = 1 - y.data**2
    assert steps[0] == BackwardStep(1, y, 1.0, (Contribution(y.parents[0], slope, slope),))
    assert [c.added for c in steps[2].contributions] == [slope * -1.5, slope * 0.5]


def test_steps_change_no_gradient():
    """backward_steps only reads the graph: every .grad stays as it was."""
    y = neuron()
    y.backward()
    before = [v.grad for v in topological_order(y)]
    backward_steps(y)
    assert [v.grad for v in topological_order(y)] == before


def test_a_leaf_root_has_no_steps_and_one_frame():
    """A leaf passes nothing on: no steps; draw_backward shows only the seed."""
    x = Value(2.0, label="x")
    assert backward_steps(x) == []
    frames = draw_backward(x)
    assert len(frames) == 1 and frames.caption(0).startswith("seed: ∂x/∂x = 1")


def test_backward_steps_needs_a_value():
    """A non-Value is refused with its type named."""
    with pytest.raises(TypeError, match="backward_steps needs a Value, got list"):
        backward_steps([1.0])


def test_frames_end_at_backwards_gradients():
    """The last frame shows every gradient backward() computes, none of them 'so far'."""
    y = neuron()
    frames = draw_backward(y)
    grads = frames.gradients(-1)
    assert grads == fresh_backward(y)
    last = frames[-1].source
    assert "so far" not in last
    for v in topological_order(y):
        assert f"grad {v.grad:.4f}" in last


def test_frames_highlight_the_step_and_fill_in_gradients_so_far():
    """Frame k: step k's node highlighted, its parent edges bold, untouched gradients 'so far'."""
    y = neuron()
    frames = draw_backward(y)
    assert len(frames) == 4
    first = frames[0].source
    assert 'label="{ step 1 | y | data 0.8483 | grad 1.0000 }"' in first
    assert first.count("so far }") == 5  # every Value but the seed y
    second = frames[2].source  # after step 2: + passes ∂y/∂z on to x*w and b
    assert re.search(r'v4 \[shape=record, label="\{ step 2 \| v4 [^\n]*fillcolor="#ffd966"', second)
    assert second.count("penwidth=2.2") == 2
    assert "grad 0.0000 so far }" in second  # x and w: nothing added yet
    assert "step 2 of 3: ∂y/∂v4 = 0.2804 is complete" in frames.caption(2)
    assert "∂y/∂b += ∂y/∂v4 · ∂v4/∂b = 0.2804 × 1.0000 = 0.2804  (now 0.2804)" in frames.caption(2)


def test_partial_sums_say_so_in_tooltips():
    """A reused Value between its uses: the tooltip shows the terms added so far."""
    a = Value(2.0, label="a")
    s, t = a * a, a * 3.0
    s.label, t.label = "s", "t"
    total = s + t
    frames = draw_backward(total)
    after_t = frames[2].source  # steps: +, then t = a*3, then s = a*a
    assert "∂L/∂a = ∂L/∂t · ∂t/∂a = 1.0000 × 3.0000 = 3.0000 so far" in after_t


def test_frames_are_indexed_like_a_list():
    """frames[k] works for -len <= k < len; other indexes are refused clearly."""
    frames = draw_backward(neuron())
    assert frames[-1].source == frames[3].source
    with pytest.raises(IndexError, match=r"frame 4 does not exist: there are 4 \(0 to 3\)"):
        frames[4]
    with pytest.raises(TypeError, match="frames are numbered by int"):
        frames["1"]


def test_save_writes_a_file_per_frame(tmp_path):
    """save(directory, '.dot') writes step-0.dot ... (.dot needs no Graphviz)."""
    frames = draw_backward(neuron())
    paths = frames.save(tmp_path / "frames", ".dot")
    assert [p.name for p in paths] == ["step-0.dot", "step-1.dot", "step-2.dot", "step-3.dot"]
    assert paths[2].read_text(encoding="utf-8") == frames[2].source


def test_without_ipywidgets_jupyter_shows_every_frame(monkeypatch):
    """No ipywidgets: displaying the frames shows all of them, one after another."""
    display_module = pytest.importorskip("IPython.display")
    shown = []
    monkeypatch.setattr(display_module, "display", shown.append)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets -> ImportError
    frames = draw_backward(neuron())
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        frames.widget()
    frames._ipython_display_()
    assert len(shown) == 1
    markup = shown[0].data
    assert all(html_caption in markup for html_caption in ("seed: ", "step 1 of 3", "step 3 of 3"))


@pytest.mark.needs_dot
def test_the_slider_steps_through_frames():
    """The ipywidgets slider swaps in the frame it points at; frames are inline SVG."""
    pytest.importorskip("ipywidgets")
    frames = draw_backward(neuron())
    box = frames.widget()
    controls, view = box.children
    play, slider = controls.children
    assert (slider.min, slider.max, slider.value) == (0, 3, 0)
    assert "seed:" in view.value and "<svg" in view.value
    slider.value = 2
    assert "step 2 of 3" in view.value and "<svg" in view.value and "<?xml" not in view.value


def test_frames_name_constant_leaves_by_their_value():
    """L = x * 2: the constant is 2 in its record, its tooltip and the step caption."""
    x = Value(3.0, label="x")
    loss = x * 2
    frames = draw_backward(loss)
    assert "{ 2 | data 2.0000 | grad 0.0000 so far }" in frames[0].source
    assert "∂L/∂2: nothing added yet (0 so far)" in frames[0].source
    assert ("∂L/∂2 += ∂L/∂L · ∂L/∂2 = 1.0000 × 3.0000 = 3.0000  (now 3.0000)"
            in frames.caption(1))
    assert "{ 2 | data 2.0000 | grad 3.0000 }" in frames[1].source


def test_frames_and_captions_never_show_minus_zero():
    """-0.0 (data, local derivative, contribution) and round-off below 0 read 0.0000."""
    nn = pytest.importorskip("nn")
    x, w = Value(0.0, label="x"), Value(-1.5, label="w")
    p = x * w  # -0.0
    p.label = "p"
    z = [Value(1.0, label="z_1"), Value(2.0, label="z_2")]
    softmax_loss = nn.kl_divergence(nn.softmax(z), [0.0, 1.0])  # its shift gets about -1e-16
    for root in (p * w, softmax_loss):
        frames = draw_backward(root)
        texts = [frames[k].source + frames.caption(k) for k in range(len(frames))]
        assert not any("-0.0000" in text for text in texts)
    added = backward_steps(p * w)[0].contributions[1].added
    assert added == 0.0 and str(added) == "-0.0"  # the case pinned: a contribution of -0.0
    assert "= 1.0000 × 0.0000 = 0.0000  (now 0.0000)" in draw_backward(p * w).caption(1)
