"""autograd.draw_graph: a graphviz.Digraph of the graph, its tooltips, clusters, size guard, and
rendering by dot (.svg, .save, .render, Jupyter's bundle)."""

import html
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import graphviz
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
from autograd.draw.drawn import twins_of
from autograd.draw.equations import four_decimals

ROOT = Path(__file__).resolve().parents[3]
NODE = re.compile(r'^\t*(v\d+) \[label=<(.*)> tooltip="((?:[^"\\]|\\.)*)"\]$', re.MULTILINE)
EDGE = re.compile(r"^\t*(v\d+) -> (v\d+) \[(.*)\]$", re.MULTILINE)


def neuron():
    """x, w, b and y = tanh(x*w + b) with backward() done: the course's one neuron."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    return x, w, b, y


def dot_read(text: str, tooltip: bool = False) -> str:
    """A DOT string's inside as Graphviz reads it: escapes (\\n, \\l, \\", \\\\; in a tooltip
    \\\\ twice over), then &amp;."""
    text = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nl" else m.group(1), text)
    if tooltip:
        text = text.replace("\\\\", "\\")
    return text.replace("&amp;", "&")


def nodes(graph: Graph) -> dict[str, tuple[list[str], str, str]]:
    """{DOT id: (the rows of its box, header rows first, as shown; its tooltip; its fill)}."""
    found = {}
    for node_id, label, tooltip in NODE.findall(graph.source):
        rows = [html.unescape(line).replace("\\\\", "\\")
                for cell in re.findall(r"<TD[^>]*>(.*?)</TD>", label)
                for line in cell.split("<BR/>")]
        fill = re.search(r'<TABLE [^>]*BGCOLOR="([^"]*)"', label).group(1)
        found[node_id] = rows, dot_read(tooltip, tooltip=True), fill
    return found


def node(graph: Graph, value: Value, root: Value, collapse=None) -> tuple[list[str], str, str]:
    """The rows, tooltip and fill of value's box (its DOT id is v<k>, k the topological index
    of its twin in the drawn graph: autograd.draw.drawn)."""
    return nodes(graph)[dot_id(value, root, collapse)]


def dot_id(value: Value, root: Value, collapse=None) -> str:
    """The DOT id of value's box in draw_graph(root, collapse=collapse)."""
    twins = twins_of(root, topological_order(root), collapse)
    return f"v{topological_order(twins[root]).index(twins[value])}"


def edges(graph: Graph) -> dict[tuple[str, str], list[dict[str, str]]]:
    """{(parent id, consumer id): the attributes of each edge between them, read back}
    (not the invisible edges that keep inputs in order)."""
    found: dict = {}
    for tail, head, attributes in EDGE.findall(graph.source):
        if attributes == "style=invis":
            continue
        pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', attributes)
        read = {key: dot_read(value.strip('"'), key.endswith("tooltip")) for key, value in pairs}
        if "labeltooltip" in read:  # hovering over an edge's number shows what the edge does
            assert read.pop("labeltooltip") == read["tooltip"]
        found.setdefault((tail, head), []).append(read)
    return found


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


# ---- a graphviz.Digraph, and what it shows ----


def test_draw_graph_returns_a_graphviz_digraph():
    """The drawing is a graphviz.Digraph: graphviz's source, format and engine, its own repr."""
    graph = draw_graph(neuron()[-1])
    assert isinstance(graph, graphviz.Digraph) and isinstance(graph, Graph)
    assert (graph.format, graph.engine) == ("svg", "dot")
    assert graph.source.startswith("digraph chainrule {") and graph.source == str(graph)
    assert repr(graph).startswith("<autograd Graph of 6 Values")
    png = draw_graph(neuron()[-1], format="png", engine="neato")
    assert (png.format, png.engine) == ("png", "neato")


def test_every_value_is_a_box_with_its_name_data_and_grad():
    """A box per Value: its name, data and grad to 4 decimals; under its op, if it has one."""
    *_, y = neuron()
    graph = draw_graph(y)
    for v in topological_order(y):
        rows, _, fill = node(graph, v, y)
        assert rows[-2:] == [f"data {v.data:.4f}", f"grad {v.grad:.4f}"] and fill == "white"
        assert rows[0] == (v.op.symbol if v.parents else v.label)
    assert node(graph, y, y)[0] == ["tanh", "y", "data 0.8483", "grad 1.0000"]


def test_each_parent_has_an_edge_into_the_value_it_made():
    """Edges go from each parent into the Value computed from it; a constant is its own box."""
    x = Value(3.0, label="x")
    y = (x * 2).sigmoid()
    graph = draw_graph(y)
    assert nodes(graph)["v1"][0] == ["2", "data 2.0000"]  # the constant, by value: no grad
    assert nodes(graph)["v2"][0][:2] == ["*", "x * 2"]
    assert nodes(graph)["v3"][0][:2] == ["σ", "L"]
    assert set(edges(graph)) == {("v0", "v2"), ("v1", "v2"), ("v2", "v3")}


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


@pytest.mark.needs_dot
def test_svg_and_step_through_are_byte_identical_across_processes():
    """The rendered SVG and the step-through's HTML (an MLP, with constants) are the same bytes
    in every process."""
    code = ("import nn; from autograd import draw_graph, draw_backward\n"
            "m = nn.MLP(2, [2, 2], seed=0)\n"
            "loss = nn.l2_divergence(m([0.5, -1.0]), [1.0, 0.0]); loss.backward()\n"
            "import sys; out = sys.stdout.buffer\n"
            "out.write(draw_graph(loss).svg().encode())\n"
            "out.write(draw_backward(loss)._repr_html_().encode())\n")
    runs = sources_in_two_processes(code)
    assert runs[0] == runs[1] and "<svg" in runs[0] and "chainrule-steps" in runs[0]


def test_tooltip_of_x_shows_its_grad_and_the_local_derivative_w():
    """In z = x*w + b, x's tooltip is ∂L/∂x = ∂L/∂z · ∂z/∂x with x.grad and the number w."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    xw = x * w
    xw.label = "z"
    loss = xw * 0.42 + b
    loss.label = "L"
    loss.backward()
    text = node(draw_graph(loss), x, loss)[1]
    assert text == "x = 0.5000 (leaf)\n∂L/∂x = ∂L/∂z · ∂z/∂x = 0.4200 × -1.5000 = -0.6300"
    assert f"{x.grad:.4f}" == "-0.6300" and f"{w.data:.4f}" == "-1.5000"


def test_tooltip_of_a_reused_value_sums_every_use():
    """a used three times (a*a and a*3): one chain-rule term per use, summing to a.grad."""
    a = Value(2.0, label="a")
    square, triple = a * a, a * 3
    square.label, triple.label = "s", "t"
    total = square + triple
    total.backward()
    text = node(draw_graph(total), a, total)[1]
    assert text.splitlines()[1] == ("∂L/∂a = ∂L/∂t · ∂t/∂a + ∂L/∂s · ∂s/∂a + ∂L/∂s · ∂s/∂a = "
                                    "1.0000 × 3.0000 + 1.0000 × 2.0000 + 1.0000 × 2.0000 = 7.0000")
    assert a.grad == 7.0


def test_tooltips_agree_with_gradients_on_random_programs():
    """On random programs over every op, each tooltip's sum ends in that Value's grad."""
    rng = random.Random(4)
    for _ in range(20):
        root = random_program(rng)
        root.backward()
        graph = draw_graph(root, max_nodes=10_000)
        drawn = twins_of(root, topological_order(root), None)
        for v in drawn:
            if not v.parents and not v.label:
                continue  # a constant: no gradient
            equation = node(graph, v, root)[1].splitlines()[1]
            assert "backward() started here" in equation or \
                equation.endswith(f"= {four_decimals(v.grad)}")


def test_edge_tooltip_and_label_are_the_local_derivative():
    """Hovering over the edge x -> x*w shows ∂(x*w)/∂x = w with its number, also its label."""
    *_, y = neuron()
    found = edges(draw_graph(y))
    assert found["v0", "v2"] == [{"label": "-1.5000", "tooltip": "∂(x * w)/∂x = w = -1.5000"}]
    assert found["v4", "v5"] == [{"label": "0.2804",
                                  "tooltip": "∂y/∂((x * w) + b) = 1 - tanh((x * w) + b)² = "
                                             "0.2804"}]


def test_edge_labels_are_automatic_by_size_and_can_be_forced():
    """edge_derivatives=None labels edges of small graphs only; True/False override it."""
    small = neuron()[-1]
    big = sum((Value(float(i)) * Value(1.0) for i in range(20)), Value(0.0))

    def labelled_edges(graph):
        return sum("label" in e for found in edges(graph).values() for e in found)

    assert labelled_edges(draw_graph(small)) == 5
    assert labelled_edges(draw_graph(big)) == 0
    assert labelled_edges(draw_graph(big, edge_derivatives=True)) == 80
    assert labelled_edges(draw_graph(small, edge_derivatives=False)) == 0


def test_before_backward_gradients_say_not_computed_yet():
    """A graph no backward() has reached says so instead of showing grad 0."""
    x = Value(1.0, label="x")
    y = (x * x).exp()
    found = nodes(draw_graph(y)).values()
    assert [rows[-1] for rows, _, _ in found] == ["no grad yet"] * 3
    assert all(tip.endswith("grad not computed yet (call backward())") for _, tip, _ in found)


def test_leaf_holding_earlier_passes_says_so():
    """Two backward() calls without zeroing: the leaf's tooltip says its grad holds both."""
    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    once = node(draw_graph(y), x, y)[1]
    y.backward()
    twice = node(draw_graph(y), x, y)[1]
    assert "earlier" not in once and once.endswith("= 4.0000")
    assert "= 4.0000\nx.grad = 8.0000 also holds earlier backward() passes" in twice


def test_drawing_part_of_a_graph_names_the_outer_root_l():
    """Drawing z after L = tanh(z) backward(): tooltips say ∂L/∂x; z's grad comes from beyond."""
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    z = x * w
    z.label = "z"
    loss = z.tanh()
    loss.backward()
    graph = draw_graph(z)
    assert node(graph, x, z)[1].endswith(f"∂L/∂x = ∂L/∂z · ∂z/∂x = {z.grad:.4f} × -1.5000 = "
                                         f"{x.grad:.4f}")
    assert node(graph, z, z)[1].endswith(f"z.grad = {z.grad:.4f}, from uses beyond this drawing")


def test_show_grad_false_draws_data_only():
    """show_grad=False: no grad rows and no chain-rule tooltips; edges keep ∂out/∂in."""
    graph = draw_graph(neuron()[-1], show_grad=False)
    assert all("grad" not in " ".join(rows) + tip for rows, tip, _ in nodes(graph).values())
    assert "∂y/∂((x * w) + b) = 1 - tanh" in graph.source


# ---- clusters ----


def test_scopes_become_nested_clusters_labelled_verbatim():
    """Values made in autograd.scope(...) sit in nested clusters named exactly like the scopes."""
    x = Value(1.0, label="x")
    name = "neuron 3: y = tanh(z), z = Σⱼ wⱼ xⱼ + b"
    with scope("layer 2"):
        with scope(name):
            z = x * 2.0
            y = z.tanh()
        out = y + x  # x is used inside and outside the neuron: drawn outside
    lines = draw_graph(out).source.splitlines()
    opens = [i for i, line in enumerate(lines) if "subgraph cluster_" in line]
    assert len(opens) == 2
    assert 'label="layer 2"' in lines[opens[0] + 1]
    assert f'label="{name}"' in lines[opens[1] + 1]
    inner = lines[opens[1]:]
    inner = inner[: next(i for i, line in enumerate(inner) if line.strip() == "}")]
    assert sum(bool(NODE.match(line)) for line in inner) == 3  # 2.0, z and y; x is outside
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
    assert "<TD>w<BR/>" in block and "<TD>x<BR/>" not in block


def test_an_nn_mlp_is_drawn_in_layer_and_neuron_clusters():
    """An nn.MLP's graph has a cluster per layer holding a cluster per neuron."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3, 1], seed=0)
    y = model([0.5, -1.0])[0]
    y.backward()
    source = draw_graph(y).source
    assert 'label="layer 1"' in source and 'label="layer 2"' in source
    assert source.count("subgraph cluster_") == 2 + 3 + 1
    assert 'label="neuron 1: y = tanh(z), z = Σⱼ wⱼ xⱼ + b"' in source


# ---- arguments ----


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


# ---- without dot ----


def test_without_dot_the_source_saves_and_displays_say_how_to_install(tmp_path, monkeypatch):
    """No dot on PATH: .source and .save('g.dot') work; .svg() raises GraphvizNotFoundError (a
    graphviz.ExecutableNotFound) saying how to install; Jupyter's displays show that, no raise."""
    monkeypatch.setenv("PATH", str(tmp_path))
    graph = draw_graph(neuron()[-1])
    assert graph.save(tmp_path / "g.dot").read_text(encoding="utf-8") == graph.source
    with pytest.raises(GraphvizNotFoundError) as caught:
        graph.svg()
    assert isinstance(caught.value, graphviz.ExecutableNotFound)
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install",
                 "make setup"):
        assert hint in str(caught.value)
    assert "is not on PATH" in graph._repr_html_() and graph._repr_html_().startswith("<pre")
    bundle = graph._repr_mimebundle_()
    assert list(bundle) == ["text/html"] and "is not on PATH" in bundle["text/html"]
    assert graph._repr_mimebundle_(include=["image/png"]) == {}  # left out, never raised


def test_unknown_suffix_is_refused(tmp_path):
    """save() with a suffix that is no Graphviz format names the ones it takes."""
    with pytest.raises(ValueError, match=r"use \.svg, \.png, \.pdf .* or \.dot"):
        draw_graph(Value(1.0)).save(tmp_path / "graph.docx")


def test_import_autograd_needs_neither_graphviz_nor_ipywidgets():
    """import autograd loads neither graphviz nor ipywidgets; drawing loads graphviz."""
    code = ("import sys, autograd\n"
            "print('graphviz' in sys.modules, 'ipywidgets' in sys.modules)\n"
            "autograd.draw_graph(autograd.Value(1.0) * 2)\n"
            "print('graphviz' in sys.modules, 'ipywidgets' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True", "False"]


def test_setup_cfg_requires_graphviz():
    """The graphviz package is an install requirement (drawing is built with it)."""
    text = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    requires = text.split("install_requires =", 1)[1].split("\n[", 1)[0]
    assert re.search(r"^\s+graphviz>=0\.20\s*$", requires, re.MULTILINE)


# ---- rendered by dot ----


@pytest.mark.needs_dot
def test_svg_carries_the_tooltips():
    """dot's SVG has the chain-rule equations as xlink:title on nodes and edges."""
    svg = draw_graph(neuron()[-1]).svg()
    titles = [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    assert ("x = 0.5000 (leaf)\n∂y/∂x = ∂y/∂(x * w) · ∂(x * w)/∂x = 0.2804 × -1.5000 = -0.4206"
            in titles)
    assert "∂(x * w)/∂x = w = -1.5000" in titles


@pytest.mark.needs_dot
def test_every_box_is_filled_so_it_catches_the_pointer():
    """Each Value's box is a filled polygon inside the link that carries its tooltip."""
    svg = draw_graph(neuron()[-1]).svg()
    for group in re.findall(r'<g id="node\d+" class="node">(.*?)</g>\n</g>', svg, re.DOTALL):
        assert 'xlink:title="' in group
        assert re.search(r'<polygon fill="white" stroke="transparent"', group)


@pytest.mark.needs_dot
def test_jupyter_shows_inline_svg_that_fits_the_page():
    """Jupyter's bundle is text/html only (no image/svg+xml, which JupyterLab puts in an <img>):
    the <svg> inline, 100% wide up to its own width, height automatic, viewBox kept."""
    graph = draw_graph(neuron()[-1])
    bundle = graph._repr_mimebundle_()
    assert list(bundle) == ["text/html"] and bundle["text/html"] == graph._repr_html_()
    markup = bundle["text/html"]
    assert "<img" not in markup and "<?xml" not in markup and "<!--" not in markup
    width = re.search(r'<svg width="([0-9.]+)pt"', graph.svg()).group(1)
    assert re.search(r'<svg width="100%" style="max-width: [0-9.]+pt; min-width: [0-9]+px; '
                     r'height: auto"\s+viewBox=', markup)
    assert f"max-width: {width}pt" in markup
    assert graph._repr_mimebundle_(include=["image/png"])["image/png"].startswith(b"\x89PNG")
    assert graph._repr_mimebundle_(exclude=["text/html"]) == {}


@pytest.mark.needs_dot
@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"),
                                               (".pdf", b"%PDF"), (".dot", b"digraph"),
                                               (".gv", b"digraph"), (".jpg", b"\xff\xd8")])
def test_save_writes_the_format_of_the_suffix(tmp_path, suffix, magic):
    """save(path) picks the format from the suffix, and returns the Path."""
    path = draw_graph(neuron()[-1]).save(tmp_path / f"graph{suffix}")
    assert path == tmp_path / f"graph{suffix}" and path.read_bytes().startswith(magic)


@pytest.mark.needs_dot
def test_save_takes_graphvizs_own_call(tmp_path):
    """save(filename, directory) as graphviz's .render() calls it writes the DOT text there;
    a user's save("g.svg", directory) renders by the suffix."""
    graph = draw_graph(neuron()[-1])
    written = graph.save("g.gv", directory=tmp_path, skip_existing=None)
    assert written == os.path.join(tmp_path, "g.gv")
    assert Path(written).read_text(encoding="utf-8") == graph.source
    svg = graph.save("g.svg", tmp_path)
    assert svg == tmp_path / "g.svg" and svg.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.needs_dot
def test_render_writes_the_source_and_the_rendered_file(tmp_path):
    """graphviz's .render(): the DOT file and its rendering (SVG by default, as draw_dot's
    lecture code expects), also with a name without suffix and another format."""
    graph = draw_graph(neuron()[-1])
    rendered = Path(graph.render(tmp_path / "gout"))
    assert rendered == tmp_path / "gout.svg" and rendered.read_text().startswith("<?xml")
    assert (tmp_path / "gout").read_text(encoding="utf-8") == graph.source
    png = Path(graph.render(tmp_path / "g", format="png", cleanup=True))
    assert png.read_bytes().startswith(b"\x89PNG") and not (tmp_path / "g").exists()
    assert graph.pipe(format="svg").startswith(b"<?xml")


@pytest.mark.needs_dot
def test_dot_failure_is_a_clear_error_and_never_raises_in_jupyter():
    """DOT text that dot rejects: .svg() raises RuntimeError quoting dot; the display shows it."""
    graph = draw_graph(neuron()[-1])
    graph.body.append("\tv0 -> \n")
    with pytest.raises(RuntimeError, match=r"Graphviz's dot failed \(exit status 1\): .*syntax"):
        graph.svg()
    assert "syntax error" in graph._repr_html_()


# ---- constant leaves are named by their value; no number reads -0.0000 ----


def test_constant_leaves_are_named_by_their_value():
    """Size = (Weight * 2) * 0.25: the constants read 2 and 0.25 in boxes and tooltips."""
    weight = Value(60.0, label="Weight")
    height = weight * 2
    height.label = "Height"
    size = height * 0.25
    size.label = "Size"
    size.backward()
    graph = draw_graph(size)
    two, quarter = height.parents[1], size.parents[1]
    assert node(graph, two, size)[0] == ["2", "data 2.0000"]  # a constant: no gradient
    assert node(graph, quarter, size)[1] == (
        "0.25 = 0.2500 (leaf without a label, named by its value)\n"
        "a constant: no gradient (nothing ever changes it)")
    assert "∂Size/∂0.25 = Height = 120.0000" in graph.source  # the edge 0.25 -> Size
    assert not re.search(r"∂v\d", graph.source)  # no generic names left: every Value is named


def test_negative_and_long_constants_read_compactly():
    """x * -2 shows its constant -2; 1/3 reads 0.333333 (%g); -0.0 reads 0; -x + ... is a
    subtraction, with no -1 box."""
    x = Value(2.0, label="x")
    total = -x + x * (1 / 3) + x * -0.0 + x * -2
    total.backward()
    graph = draw_graph(total)
    names = [rows[0] for rows, _, _ in nodes(graph).values()]
    assert {"-2", "0.333333", "0"} <= set(names) and "-0" not in names and "-1" not in names
    assert "-" in names  # the subtraction's header


def test_equal_constants_share_a_name_but_not_a_node():
    """x * 2 + x * 2: two constant leaves, both shown as 2, drawn as two DOT nodes."""
    x = Value(1.5, label="x")
    total = x * 2 + x * 2
    total.backward()
    graph = draw_graph(total)
    first, second = total.parents[0].parents[1], total.parents[1].parents[1]
    assert first is not second
    assert node(graph, first, total)[0] == node(graph, second, total)[0] == ["2", "data 2.0000"]
    assert {("v1", "v2"), ("v3", "v4")} <= set(edges(graph))


def test_constant_names_are_byte_identical_across_processes():
    """A graph with constants (shared values included) draws the same bytes in every process."""
    code = ("from autograd import Value, draw_graph\n"
            "x = Value(0.5, label='x')\n"
            "y = (x * 2 + x * 2 - 0.25).tanh() / 3; y.backward()\n"
            "import sys; sys.stdout.buffer.write(draw_graph(y).source.encode())\n")
    runs = sources_in_two_processes(code)
    assert runs[0] == runs[1] and "<TD>2<BR/>" in runs[0] and "<TD>0.25<BR/>" in runs[0]
    assert "<TD>-<BR/>" not in runs[0] and "- 0.25" in runs[0]  # a subtraction


def test_negative_zero_data_grad_and_local_derivatives_read_0():
    """p = x*w with x = 0, w < 0 is -0.0, and so is ∂(p*w)/∂w = p: both read 0.0000."""
    x, w = Value(0.0, label="x"), Value(-1.5, label="w")
    p = x * w
    p.label = "p"
    loss = p * w
    loss.backward()
    assert math.copysign(1.0, p.data) == math.copysign(1.0, loss.local_grads[1]) == -1.0
    graph = draw_graph(loss)
    assert "-0.0000" not in graph.source
    assert node(graph, p, loss)[0][1:3] == ["p", "data 0.0000"]
    assert node(graph, w, loss)[0] == ["w", "data -1.5000", "grad 0.0000"]
    assert {"label": "0.0000", "tooltip": "∂L/∂w = p = 0.0000"} in edges(graph)["v1", "v3"]
    assert "∂L/∂w = ∂L/∂L · ∂L/∂w + ∂L/∂p · ∂p/∂w = 1.0000 × 0.0000 + " in graph.source


def test_softmax_shift_gradient_reads_0():
    """softmax's detached max gets a round-off gradient (about -1e-16): it reads 0.0000."""
    nn = pytest.importorskip("nn")
    z = [Value(1.0, label="z_1"), Value(2.0, label="z_2"), Value(-0.5, label="z_3")]
    loss = nn.kl_divergence(nn.softmax(z), [0.0, 1.0, 0.0])
    loss.backward()
    shift = next(v for v in topological_order(loss) if v.op == "max")
    assert shift.grad < 0.0 and f"{shift.grad:.4f}" == "-0.0000"  # the case this test is for
    graph = draw_graph(loss, collapse=())  # every op: softmax drawn in full
    assert "-0.0000" not in graph.source
    assert node(graph, shift, loss, collapse=())[0] == [
        "max (detached)", "max(z_1, z_2, …)", "data 2.0000", "grad 0.0000"]


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
    assert 'tooltip="∂(x ** 1)/∂x = 1.0000"' in source
    assert 'tooltip="∂(x ** 2)/∂x = 2 · x = 4.0000"' in source
    assert 'tooltip="∂(x ** -1)/∂x = -1 · x ** -2 = -0.2500"' in source
