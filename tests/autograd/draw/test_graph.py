"""autograd.draw_graph: the DOT text, its tooltips, clusters, size guard, and rendering by dot."""

import html
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import (
    Graph,
    GraphvizNotFoundError,
    Value,
    affine,
    draw_graph,
    scope,
    topological_order,
)

ROOT = Path(__file__).resolve().parent.parent


def neuron():
    """x, w, b and y = tanh(x*w + b) with backward() done: the course's one neuron."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    return x, w, b, y


def node_line(source: str, value: Value, root: Value) -> str:
    """The DOT line declaring value (its node name is v<k>, k its topological index)."""
    k = topological_order(root).index(value)
    return next(line for line in source.splitlines() if line.strip().startswith(f"v{k} ["))


def tooltip(line: str) -> str:
    """The tooltip of a DOT line, as Graphviz will read it."""
    text = re.search(r'tooltip="((?:[^"\\]|\\.)*)"', line).group(1)
    return text.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def random_program(rng: random.Random, size: int = 12) -> Value:
    """A random straight-line program over every op, with reused Values."""
    pool = [Value(rng.uniform(0.5, 1.5), label=f"a{i}") for i in range(3)]
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool)
        op = rng.choice(["+", "*", "tanh", "sigmoid", "exp", "log", "relu", "**", "-", "/"])
        if op == "+":
            pool.append(a + b)
        elif op == "*":
            pool.append(a * b)
        elif op == "-":
            pool.append(a - b)
        elif op == "/":
            pool.append(a / (b * b + 1.0))
        elif op == "**":
            pool.append((a * a + 0.5) ** 1.5)
        elif op == "log":
            pool.append((a * a + 0.5).log())
        elif op == "exp":
            pool.append(a.tanh().exp())
        else:
            pool.append(getattr(a, op)())
    return pool[-1] + pool[-2] * pool[-3]


def test_source_carries_every_value_data_and_grad():
    """Every Value's node line shows its label, data and grad, formatted %.4f."""
    *_, y = neuron()
    source = draw_graph(y).source
    for v in topological_order(y):
        line = node_line(source, v, y)
        assert f"data {v.data:.4f}" in line and f"grad {v.grad:.4f}" in line
        if v.label:
            assert f"{{ {v.label} |" in line


def test_each_op_is_its_own_node_with_its_symbol():
    """An op is a small node with its symbol; a number operand is drawn as a constant leaf."""
    x = Value(3.0, label="x")
    y = (x * 2).sigmoid()
    source = draw_graph(y).source
    assert 'v2_op [label="*"' in source and 'v3_op [label="σ"' in source
    assert 'v1 [shape=record, label="{ 2 | data 2.0000' in source  # the constant 2, by value
    assert "v0 -> v2_op" in source and "v1 -> v2_op" in source and "v2_op -> v2" in source


def sources_in_two_processes(code: str) -> list[str]:
    """What `code` prints, run in two fresh interpreters with different hash seeds."""
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env,
                              cwd=ROOT, check=True)
        runs.append(done.stdout.decode())
    return runs


def test_source_is_byte_identical_across_runs_and_processes():
    """Node names come from the topological order, so the same code draws the same bytes."""
    code = ("from autograd import Value, draw_graph\n"
            "x, w, b = Value(0.5, label='x'), Value(-1.5, label='w'), Value(2.0, label='b')\n"
            "y = (x * w + b).tanh(); y.label = 'y'; y.backward()\n"
            "import sys; sys.stdout.buffer.write(draw_graph(y).source.encode())\n")
    runs = sources_in_two_processes(code)
    assert runs[0] == runs[1] == draw_graph(neuron()[-1]).source == draw_graph(neuron()[-1]).source


def test_tooltip_of_x_shows_its_grad_and_the_local_derivative_w():
    """In z = x*w + b, x's tooltip is ∂L/∂x = ∂L/∂z · ∂z/∂x with x.grad and the number w."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    xw = x * w
    xw.label = "z"
    loss = xw * 0.42 + b
    loss.label = "L"
    loss.backward()
    text = tooltip(node_line(draw_graph(loss).source, x, loss))
    assert text == "x = 0.5000 (leaf)\n∂L/∂x = ∂L/∂z · ∂z/∂x = 0.4200 × -1.5000 = -0.6300"
    assert f"{x.grad:.4f}" == "-0.6300" and f"{w.data:.4f}" == "-1.5000"


def test_tooltip_of_a_reused_value_sums_every_use():
    """a used three times (a*a and a*3): one chain-rule term per use, summing to a.grad."""
    a = Value(2.0, label="a")
    square, triple = a * a, a * 3
    square.label, triple.label = "s", "t"
    total = square + triple
    total.backward()
    text = tooltip(node_line(draw_graph(total).source, a, total))
    assert text.splitlines()[1] == ("∂L/∂a = ∂L/∂t · ∂t/∂a + ∂L/∂s · ∂s/∂a + ∂L/∂s · ∂s/∂a = "
                                    "1.0000 × 3.0000 + 1.0000 × 2.0000 + 1.0000 × 2.0000 = 7.0000")
    assert a.grad == 7.0


def test_tooltips_agree_with_gradients_on_random_programs():
    """On random programs over every op, each tooltip's sum ends in that Value's grad."""
    rng = random.Random(4)
    for _ in range(20):
        root = random_program(rng)
        root.backward()
        source = draw_graph(root, max_nodes=10_000).source
        for v in topological_order(root):
            equation = tooltip(node_line(source, v, root)).splitlines()[1]
            assert "backward() started here" in equation or equation.endswith(f"= {v.grad:.4f}")


def test_edge_tooltip_and_label_are_the_local_derivative():
    """Hovering over the edge x -> (*) shows ∂(x*w)/∂x = w with its number, also its label."""
    x, w, b, y = neuron()
    source = draw_graph(y).source
    assert 'v0 -> v2_op [tooltip="∂v2/∂x = w = -1.5000", label="-1.5000"];' in source
    assert 'v4 -> v5_op [tooltip="∂y/∂v4 = 1 - tanh(v4)² = 0.2804", label="0.2804"];' in source


def test_edge_labels_are_automatic_by_size_and_can_be_forced():
    """edge_derivatives=None labels edges of small graphs only; True/False override it."""
    small = neuron()[-1]
    big = sum((Value(float(i)) * Value(1.0) for i in range(20)), Value(0.0))
    def labelled_edges(graph):
        return len(re.findall(r"-> v\d+_op \[.*label=", graph.source))

    assert labelled_edges(draw_graph(small)) == 5
    assert labelled_edges(draw_graph(big)) == 0
    assert labelled_edges(draw_graph(big, edge_derivatives=True)) == 80
    assert labelled_edges(draw_graph(small, edge_derivatives=False)) == 0


def test_before_backward_gradients_say_not_computed_yet():
    """A graph no backward() has reached says so instead of showing grad 0."""
    x = Value(1.0, label="x")
    y = (x * x).exp()
    source = draw_graph(y).source
    assert source.count("grad not computed yet }") == 3
    assert source.count("grad not computed yet (call backward())") == 3
    assert "grad 0.0000" not in source


def test_leaf_holding_earlier_passes_says_so():
    """Two backward() calls without zeroing: the leaf's tooltip says its grad holds both."""
    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    once = tooltip(node_line(draw_graph(y).source, x, y))
    y.backward()
    twice = tooltip(node_line(draw_graph(y).source, x, y))
    assert "earlier" not in once and once.endswith("= 4.0000")
    assert "= 4.0000\nx.grad = 8.0000 also holds earlier backward() passes" in twice


def test_drawing_part_of_a_graph_names_the_outer_root_l():
    """Drawing z after L = tanh(z) backward(): tooltips say ∂L/∂x; z's grad comes from beyond."""
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    z = x * w
    z.label = "z"
    loss = z.tanh()
    loss.backward()
    source = draw_graph(z).source
    assert tooltip(node_line(source, x, z)).endswith(f"∂L/∂x = ∂L/∂z · ∂z/∂x = "
                                                     f"{z.grad:.4f} × -1.5000 = {x.grad:.4f}")
    assert tooltip(node_line(source, z, z)).endswith(f"z.grad = {z.grad:.4f}, from uses beyond "
                                                     "this drawing")


def test_shared_labels_are_told_apart():
    """Two Values labelled y are named y#k in records and tooltips (k = their node number)."""
    a, b = Value(1.0, label="y"), Value(2.0, label="y")
    total = a + b
    source = draw_graph(total).source
    assert "{ y#0 |" in source and "{ y#1 |" in source


def test_show_grad_false_draws_data_only():
    """show_grad=False: no grad cells and no chain-rule tooltips."""
    source = draw_graph(neuron()[-1], show_grad=False).source
    assert "grad" not in source and "∂y/∂v4 = 1 - tanh" in source  # edges keep ∂out/∂in


def test_scopes_become_nested_clusters_labelled_verbatim():
    """Values made in autograd.scope(...) sit in nested clusters named exactly like the scopes."""
    x = Value(1.0, label="x")
    name = "neuron 3: y = tanh(z), z = Σ_j w_j x_j + b"
    with scope("layer 2"):
        with scope(name):
            z = x * 2.0
            y = z.tanh()
        out = y + x  # x is used inside and outside the neuron: drawn outside
    lines = draw_graph(out).source.splitlines()
    opens = [i for i, line in enumerate(lines) if "subgraph cluster_" in line]
    assert len(opens) == 2
    assert lines[opens[0] + 1].strip().startswith('label="layer 2";')
    assert lines[opens[1] + 1].strip().startswith(f'label="{name}";')
    inner = lines[opens[1]:]
    inner = inner[: next(i for i, line in enumerate(inner) if line.strip() == "}")]
    assert sum("shape=record" in line for line in inner) == 3  # 2.0, z and y; x is outside
    assert not any(line.strip().startswith("v0 [") for line in inner)
    assert "subgraph" not in draw_graph(out, clusters=False).source


def test_parameters_join_the_cluster_of_their_uses():
    """A leaf made outside any scope but only used inside one (a weight) is drawn in it."""
    w, x = Value(0.3, label="w"), Value(1.0, label="x")
    with scope("neuron 1"):
        z = w * 2.0
    shared = z * x + x
    lines = draw_graph(shared).source.splitlines()
    start = next(i for i, line in enumerate(lines) if "cluster_0" in line)
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "}")
    block = "\n".join(lines[start:end])
    assert "{ w |" in block and "{ x |" not in block


def test_an_nn_mlp_is_drawn_in_layer_and_neuron_clusters():
    """An nn.MLP's graph has a cluster per layer holding a cluster per neuron."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3, 1], seed=0)
    y = model([0.5, -1.0])[0]
    y.backward()
    source = draw_graph(y).source
    assert 'label="layer 1";' in source and 'label="layer 2";' in source
    assert source.count("subgraph cluster_") == 2 + 3 + 1
    assert 'label="neuron 1: y = tanh(z), z = Σ_j w_j x_j + b";' in source


def test_size_guard_says_how_many_and_how_to_raise_the_limit():
    """More Values than max_nodes: ValueError with the count and the max_nodes way out."""
    total = Value(0.0)
    for i in range(15):
        total = total + i
    count = len(topological_order(total))
    with pytest.raises(ValueError, match=f"has {count} Values, more than max_nodes=10; "
                                         f"pass max_nodes={count}"):
        draw_graph(total, max_nodes=10)
    assert draw_graph(total, max_nodes=count).source


@pytest.mark.parametrize(("arguments", "error", "message"), [
    ((3.0,), TypeError, "draw_graph needs a Value, got float"),
    ((Value(1.0),), ValueError, "rankdir must be one of LR, RL, TB, BT, got 'XY'"),
])
def test_bad_arguments_are_named(arguments, error, message):
    """A non-Value root or an unknown rankdir is refused with a message naming it."""
    with pytest.raises(error, match=re.escape(message)):
        draw_graph(*arguments, rankdir="XY" if error is ValueError else "LR")


def test_max_nodes_must_be_a_positive_int():
    """max_nodes=0 or True is refused."""
    for bad in (0, True, 2.5):
        with pytest.raises(ValueError, match="max_nodes must be a positive int"):
            draw_graph(Value(1.0), max_nodes=bad)


def test_save_dot_needs_no_graphviz(tmp_path, monkeypatch):
    """.source and .save('x.dot') work with no dot on PATH; rendering explains how to install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    graph = draw_graph(neuron()[-1])
    assert graph.save(tmp_path / "g.dot").read_text(encoding="utf-8") == graph.source
    with pytest.raises(GraphvizNotFoundError) as caught:
        graph.svg()
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install",
                 "make setup"):
        assert hint in str(caught.value)
    assert graph._repr_html_().startswith("<pre>Graphviz&#x27;s `dot` program is not on PATH")


def test_unknown_suffix_is_refused(tmp_path):
    """save() with a suffix it cannot render names the allowed ones."""
    with pytest.raises(ValueError, match=r"use one of \.svg, \.png, \.pdf, \.dot"):
        draw_graph(Value(1.0)).save(tmp_path / "graph.jpg")


def test_import_autograd_needs_only_the_standard_library():
    """import autograd and draw_graph(...).source load neither graphviz nor ipywidgets."""
    code = ("import sys\n"
            "sys.modules['graphviz'] = None; sys.modules['ipywidgets'] = None\n"
            "import autograd\n"
            "print(autograd.draw_graph(autograd.Value(1.0) * 2).source.startswith('digraph'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


@pytest.mark.needs_dot
def test_svg_carries_the_tooltips():
    """dot's SVG has the chain-rule equations as xlink:title on nodes and edges."""
    svg = draw_graph(neuron()[-1]).svg()
    titles = [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    assert "x = 0.5000 (leaf)\n∂y/∂x = ∂y/∂v2 · ∂v2/∂x = 0.2804 × -1.5000 = -0.4206" in titles
    assert "∂v2/∂x = w = -1.5000" in titles


@pytest.mark.needs_dot
def test_repr_html_is_inline_svg():
    """Jupyter's HTML repr is the <svg> element itself (no XML prolog, no <img>)."""
    markup = draw_graph(neuron()[-1])._repr_html_()
    assert markup.startswith("<svg") and "<img" not in markup and "xlink:title" in markup


@pytest.mark.needs_dot
@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"),
                                               (".pdf", b"%PDF"), (".dot", b"digraph")])
def test_save_writes_the_format_of_the_suffix(tmp_path, suffix, magic):
    """save(path) picks the format from the suffix."""
    path = draw_graph(neuron()[-1]).save(tmp_path / f"graph{suffix}")
    assert path.read_bytes().startswith(magic)


@pytest.mark.needs_dot
def test_special_characters_in_labels_survive_dot():
    """Labels with quotes, braces, bars, angle brackets and backslashes render as written."""
    label = 'a"{b|c}<d>\\e'
    x = Value(1.0, label=label)
    y = x * 2
    svg = draw_graph(y).svg()
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert label in texts


@pytest.mark.needs_dot
def test_dot_failure_is_a_clear_error():
    """DOT text that dot rejects raises RuntimeError quoting dot's message, not a traceback."""
    with pytest.raises(RuntimeError, match=r"Graphviz's dot failed \(exit status 1\): .*syntax"):
        Graph("digraph { a -> }").svg()


def test_a_leaf_whose_grad_came_from_another_graph_says_so():
    """x reached by an earlier backward() of another graph: not claimed by this drawing."""
    x = Value(2.0, label="x")
    (x * 3).backward()
    z = x * x
    z.label = "z"
    source = draw_graph(z).source
    assert tooltip(node_line(source, x, z)).endswith("x.grad = 3.0000, from uses beyond this "
                                                     "drawing")
    assert tooltip(node_line(source, z, z)).endswith("grad not computed yet (call backward())")


def test_a_leaf_reset_by_zero_grad_says_so():
    """Setting a leaf's grad to 0 after backward(): the tooltip shows the pass and the reset."""
    x = Value(2.0, label="x")
    y = x * 3
    y.backward()
    x.grad = 0.0
    assert tooltip(node_line(draw_graph(y).source, x, y)).endswith(
        "= 3.0000\nx.grad = 0.0000: set to 0 since that backward() (zero_grad)")


# ---- constant leaves are named by their value; no number reads -0.0000 ----


def test_constant_leaves_are_named_by_their_value():
    """Size = (Weight * 2) * 0.25: the constants read 2 and 0.25 in records and tooltips."""
    weight = Value(60.0, label="Weight")
    height = weight * 2
    height.label = "Height"
    size = height * 0.25
    size.label = "Size"
    size.backward()
    source = draw_graph(size).source
    two, quarter = height.parents[1], size.parents[1]
    assert "{ 2 | data 2.0000 | grad 15.0000 }" in node_line(source, two, size)
    assert tooltip(node_line(source, quarter, size)) == (
        "0.25 = 0.2500 (leaf without a label, named by its value)\n"
        "∂Size/∂0.25 = ∂Size/∂Size · ∂Size/∂0.25 = 1.0000 × 120.0000 = 120.0000")
    assert "∂Size/∂0.25 = Height = 120.0000" in source  # the edge 0.25 -> (*)
    assert not re.search(r"∂v\d", source)  # no generic names left: every Value is named


def test_negative_and_long_constants_read_compactly():
    """-x is x * -1, shown as ∂L/∂(-1); 1/3 reads 0.333333 (%g); -0.0 reads 0."""
    x = Value(2.0, label="x")
    total = -x + x * (1 / 3) + x * -0.0
    total.backward()
    source = draw_graph(total).source
    assert "{ -1 | data -1.0000 |" in source and "∂L/∂(-1) = " in source
    assert "{ 0.333333 | data 0.3333 |" in source
    assert "{ 0 | data 0.0000 |" in source and "{ -0 |" not in source


def test_equal_constants_share_a_name_but_not_a_node():
    """x * 2 + x * 2: two constant leaves, both shown as 2, drawn as two DOT nodes."""
    x = Value(1.5, label="x")
    total = x * 2 + x * 2
    total.backward()
    source = draw_graph(total).source
    first, second = total.parents[0].parents[1], total.parents[1].parents[1]
    assert first is not second
    lines = node_line(source, first, total), node_line(source, second, total)
    assert lines[0] != lines[1] and all('label="{ 2 | data 2.0000' in line for line in lines)
    assert "v1 -> v2_op" in source and "v3 -> v4_op" in source


def test_labelled_leaves_interior_nodes_and_an_unlabelled_root_keep_their_names():
    """Only unlabelled leaves are named by value: labels, v<k> and L are as before."""
    c = Value(2.0, label="c")
    product = c * Value(3.0)
    names = {v: node_line(draw_graph(product.tanh()).source, v, product.tanh())
             for v in topological_order(product)}
    assert "{ c |" in names[c] and "{ 3 |" in names[product.parents[1]]
    assert "{ v2 |" in names[product]
    assert 'label="{ L | data 2.0000' in draw_graph(Value(2.0)).source  # a lone leaf root
    assert 'label="{ 2 | data 2.0000' in draw_graph(Value(2.0) * c, clusters=False).source


def test_constant_names_are_byte_identical_across_processes():
    """A graph with constants (shared values included) draws the same bytes in every process."""
    code = ("from autograd import Value, draw_graph\n"
            "x = Value(0.5, label='x')\n"
            "y = (x * 2 + x * 2 - 0.25).tanh() / 3; y.backward()\n"
            "import sys; sys.stdout.buffer.write(draw_graph(y).source.encode())\n")
    runs = sources_in_two_processes(code)
    assert runs[0] == runs[1] and "{ 2 |" in runs[0] and "{ -0.25 |" in runs[0]


def test_negative_zero_data_grad_and_local_derivatives_read_0():
    """p = x*w with x = 0, w < 0 is -0.0, and so is ∂(p*w)/∂w = p: both read 0.0000."""
    x, w = Value(0.0, label="x"), Value(-1.5, label="w")
    p = x * w
    p.label = "p"
    loss = p * w
    loss.backward()
    assert math.copysign(1.0, p.data) == math.copysign(1.0, loss.local_grads[1]) == -1.0
    source = draw_graph(loss).source
    assert "-0.0000" not in source
    assert "{ p | data 0.0000 |" in source and "{ w | data -1.5000 | grad 0.0000 }" in source
    assert 'tooltip="∂L/∂w = p = 0.0000", label="0.0000"' in source
    assert "∂L/∂w = ∂L/∂L · ∂L/∂w + ∂L/∂p · ∂p/∂w = 1.0000 × 0.0000 + " in source


def test_softmax_shift_gradient_reads_0():
    """softmax's detached max gets a round-off gradient (about -1e-16): it reads 0.0000."""
    nn = pytest.importorskip("nn")
    z = [Value(1.0, label="z_1"), Value(2.0, label="z_2"), Value(-0.5, label="z_3")]
    loss = nn.kl_divergence(nn.softmax(z), [0.0, 1.0, 0.0])
    loss.backward()
    shift = next(v for v in topological_order(loss) if v.op == "max")
    assert shift.grad < 0.0 and f"{shift.grad:.4f}" == "-0.0000"  # the case this test is for
    source = draw_graph(loss).source
    assert "-0.0000" not in source and "max (detached)" in source
    assert "{ v3 | data 2.0000 | grad 0.0000 }" in node_line(source, shift, loss)


def test_affine_edges_name_the_other_factor_of_each_product():
    """z = Σ_j w_j x_j + b: ∂z/∂w_j = x_j, ∂z/∂x_j = w_j, ∂z/∂b = 1, with the parents' names."""
    w = [Value(2.0, label="w_1"), Value(-1.0, label="w_2")]
    z = affine(w, [Value(3.0, label="x_1"), 4.0], Value(0.5, label="b"))
    z.label = "z"
    z.backward()
    source = draw_graph(z).source
    for text in ("∂z/∂w_1 = x_1 = 3.0000", "∂z/∂w_2 = 4 = 4.0000", "∂z/∂x_1 = w_1 = 2.0000",
                 "∂z/∂4 = w_2 = -1.0000", "∂z/∂b = 1.0000"):
        assert f'tooltip="{text}"' in source
    assert "z = w_1·x_1 + w_2·4 + b = 2.5000" in source


def test_power_edges_show_the_power_rule():
    """∂(x ** c)/∂x = c · x ** (c - 1): 2 · x for squares, the number 1 for x ** 1."""
    x = Value(2.0, label="x")
    total = x**1 + x**2 + x**-1
    total.backward()
    source = draw_graph(total).source
    assert 'tooltip="∂v1/∂x = 1.0000"' in source
    assert 'tooltip="∂v2/∂x = 2 · x = 4.0000"' in source
    assert 'tooltip="∂v4/∂x = -1 · x ** -2 = -0.2500"' in source
