"""autograd.backward_steps and draw_backward: backward() one step at a time, and its frames."""

import html
import random
import re

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
from autograd.draw.steps import CURRENT, RECEIVING


def neuron():
    """y = tanh(x*w + b), labelled, with no backward() yet."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    return y


def boxes(graph) -> dict[str, tuple[list[str], str]]:
    """{DOT id: (the rows of its box, as shown; its fill)} of a drawn frame."""
    found = {}
    for node_id, label in re.findall(r"^\t*(v\d+) \[label=<(.*)> tooltip=", graph.source,
                                     re.MULTILINE):
        rows = [html.unescape(line) for cell in re.findall(r"<TD[^>]*>(.*?)</TD>", label)
                for line in cell.split("<BR/>")]
        found[node_id] = rows, re.search(r'<TABLE [^>]*BGCOLOR="([^"]*)"', label).group(1)
    return found


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
    assert steps[0] == BackwardStep(1, y, 1.0, (Contribution(y.parents[0], slope, slope, slope),))
    assert [c.added for c in steps[2].contributions] == [slope * -1.5, slope * 0.5]


def test_steps_change_no_gradient():
    """backward_steps only reads the graph: every .grad stays as it was."""
    y = neuron()
    y.backward()
    before = [v.grad for v in topological_order(y)]
    backward_steps(y)
    assert [v.grad for v in topological_order(y)] == before


def test_a_leaf_root_has_no_steps_and_one_frame():
    """A leaf passes nothing on: no steps; draw_backward shows only the start."""
    x = Value(2.0, label="x")
    assert backward_steps(x) == []
    frames = draw_backward(x)
    assert len(frames) == 1 and frames.caption(0).startswith("start: ∂x/∂x = 1")


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
    """Frame k: step k's node highlighted, its parents lit, the edges from them bold, gradients
    nothing has reached yet say so; the caption says it in the course's words."""
    y = neuron()
    frames = draw_backward(y)
    assert len(frames) == 4
    first = boxes(frames[0])
    assert first["v5"] == (["step 1", "tanh", "y", "data 0.8483", "grad 1.0000"], CURRENT)
    assert [rows[-1] for rows, _ in first.values()].count("no grad yet") == 5  # all but y
    second = boxes(frames[2])  # after step 2: + passes ∂y/∂z on to x*w and b
    assert second["v4"] == (["step 2", "+", "(x * w) + b", "data 1.2500", "grad 0.2804"],
                            CURRENT)
    assert second["v2"][1] == second["v3"][1] == RECEIVING
    assert second["v0"] == (["x", "data 0.5000", "no grad yet"], "white")
    assert frames[2].source.count("penwidth=2") == 2
    caption = frames.caption(2)
    assert caption.startswith("step 2 of 3: the gradient ∂y/∂((x * w) + b) = 0.2804 has arrived "
                              "at (x * w) + b from all its uses.\nTimes the local derivative, it "
                              "is added to each parent's gradient:")
    assert ("∂y/∂b += ∂y/∂((x * w) + b) · ∂((x * w) + b)/∂b = 0.2804 × 1.0000 = 0.2804  "
            "(now 0.2804)") in caption
    assert frames.caption(2) in frames[2].source.replace("\\l", "\n")  # the frame's title


def test_partial_sums_say_so_in_tooltips():
    """A reused Value between its uses: its box and tooltip show the terms added so far."""
    a = Value(2.0, label="a")
    s, t = a * a, a * 3.0
    s.label, t.label = "s", "t"
    total = s + t
    frames = draw_backward(total)
    after_t = frames[2].source  # steps: +, then t = a*3, then s = a*a
    assert "∂L/∂a = ∂L/∂t · ∂t/∂a = 1.0000 × 3.0000 = 3.0000 so far" in after_t
    assert boxes(frames[2])["v0"][0] == ["a", "data 2.0000", "so far 3.0000"]


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


# ---- the step-through as Jupyter shows it ----


def test_jupyter_always_gets_the_self_contained_step_through(monkeypatch):
    """With or without ipywidgets, the display is one HTML block: every frame (the first shown),
    a slider and ◀ ▶ buttons, a few lines of inline script, captions in a <noscript>; nothing
    loaded from anywhere, no widget. Without dot, each frame says how to install it."""
    monkeypatch.setenv("PATH", "")  # no dot: the block is still whole (and never raises)
    frames = draw_backward(neuron())
    bundle = frames._repr_mimebundle_()
    assert list(bundle) == ["text/html"] and bundle["text/html"] == frames._repr_html_()
    assert not hasattr(frames, "_ipython_display_")  # nothing can put a widget in its place
    block = bundle["text/html"]
    assert block.count('class="chainrule-frame"') == 4
    assert block.count('style="display: none"') == 3  # frames 1 to 3 start hidden
    assert 'type="range"' in block and 'max="3"' in block
    assert "◀</button>" in block and "▶</button>" in block
    assert block.count("<script>") == 1 and "<noscript>" in block
    for k in range(4):
        assert block.count(html.escape(frames.caption(k))) == 2  # in its frame and the noscript
    assert "is not on PATH" in block
    for outside in ("http", "src=", "require", "widget", "jupyter"):
        assert outside not in block.lower()


@pytest.mark.needs_dot
def test_each_frame_is_fitted_inline_svg():
    """Every frame is inline SVG, scaled to the output's width (the same fitting as draw_graph),
    without its caption as a title (the caption is text above it)."""
    frames = draw_backward(neuron())
    block = frames._repr_html_()
    assert block.count('<svg width="100%" style="max-width: ') == 4 and "<?xml" not in block
    assert "<img" not in block and "start: " not in re.sub(r"<div class=\"chainrule-caption.*?"
                                                            r"</div>", "", block)


@pytest.mark.needs_dot
def test_frames_of_a_small_mlp_fit_a_page_and_hold_still():
    """A 2-2-2 MLP's frames (softmax + KL) were 5,300 to 5,700 pt wide; now each is at most
    1,250 pt (shown at the output's width), and every box stays where it is from frame to
    frame: only its numbers and colours change."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [2, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    assert len(draw_backward(loss)) <= 10  # softmax + KL collapsed, by default
    frames = draw_backward(loss, collapse=())  # every op
    svgs = [match.group(0) for match in re.finditer(r"<svg.*?</svg>", frames._repr_html_(),
                                                    re.DOTALL)]
    assert len(svgs) == len(frames) == 19
    widths = {float(re.search(r'viewBox="[0-9.]+ [0-9.]+ ([0-9.]+) ', svg).group(1))
              for svg in svgs}
    assert len(widths) == 1 and widths.pop() <= 1250
    boxes_at = [re.findall(r'stroke="transparent" points="([^"]*)"', svg) for svg in svgs]
    assert len(boxes_at[0]) > 35 and all(at == boxes_at[0] for at in boxes_at)


@pytest.mark.needs_dot
def test_the_widget_steps_through_frames():
    """widget() (for a live kernel, asked for by name) swaps in the frame its slider points at."""
    pytest.importorskip("ipywidgets")
    frames = draw_backward(neuron())
    box = frames.widget()
    controls, view = box.children
    play, slider = controls.children
    assert (slider.min, slider.max, slider.value) == (0, 3, 0)
    assert "start:" in view.value and "<svg" in view.value
    slider.value = 2
    assert "step 2 of 3" in view.value and "<svg" in view.value and "<?xml" not in view.value


def test_frames_name_constant_leaves_by_their_value():
    """L = x * 2: the constant is 2 in its box and its tooltip, with no gradient: the step
    caption passes the gradient on to x only."""
    x = Value(3.0, label="x")
    loss = x * 2
    frames = draw_backward(loss)
    assert boxes(frames[0])["v1"] == (["2", "data 2.0000"], RECEIVING)
    assert "2 = 2.0000 (leaf without a label, named by its value)\\na constant: no gradient" \
        in frames[0].source
    assert "∂L/∂2" not in frames.caption(1) and "∂L/∂x += " in frames.caption(1)
    assert boxes(frames[1])["v1"][0] == ["2", "data 2.0000"]


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


def test_frames_hold_still_picture_first_captions_of_one_height():
    """Each frame shows its picture, then its caption, and every caption takes the room of the
    longest: stepping moves neither the graph nor what is under it."""
    from autograd.draw import page

    html = page.steps_html(["one line", "two\nlines", "three\nshort\nlines"], ["<svg></svg>"] * 3)
    frames = re.findall(r'<div class="chainrule-frame".*?</div></div>', html, re.DOTALL)
    assert len(frames) == 3
    for frame in frames:
        assert frame.index("<svg") < frame.index('class="chainrule-caption"')
        assert "min-height: 4.2em" in frame  # 3 lines of 1.4em each


def test_a_step_through_saves_as_a_page_of_its_own(tmp_path):
    """save_html writes one page holding every frame, the controls and their script."""
    path = draw_backward(neuron()).save_html(tmp_path / "steps.html")
    page_text = path.read_text(encoding="utf-8")
    assert page_text.startswith("<!doctype html>") and "<title>backward() of" in page_text
    assert page_text.count('class="chainrule-frame"') == 4  # the seed and 3 steps
    assert "<script>" in page_text and 'class="chainrule-next"' in page_text
