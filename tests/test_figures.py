"""The README's drawn figures (scripts/figures.py, run by `make figures`) are what the script
draws now: the collapsed and expanded classifier graphs and the network diagram, and the neuron.
(tests/test_notebooks.py checks the neuron's graph and the decision-region picture as well.)"""

import html
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
pytestmark = pytest.mark.needs_dot


def figures_script():
    """scripts/figures.py as a module (scripts/ is not a package)."""
    pytest.importorskip("matplotlib")
    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shown_texts(svg: str) -> list[str]:
    """The texts and tooltips of an SVG drawn by dot, in order (what a reader sees)."""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    titles = re.findall(r'xlink:title="([^"]*)"', svg)
    return [html.unescape(t) for t in texts + titles]


@pytest.mark.parametrize("name", ["neuron_graph.svg", "classifier_collapsed.svg",
                                  "classifier_expanded.svg", "network_diagram.svg"])
def test_committed_figure_is_what_the_figures_script_draws(name):
    """The committed SVG shows the same texts and tooltips as the script's drawing rendered now
    (run `make figures` after changing a drawing)."""
    graph = figures_script().graph_figures()[name]
    committed = (IMAGES / name).read_text(encoding="utf-8")
    assert shown_texts(committed) == shown_texts(graph.svg()), \
        f"docs/images/{name} is stale: run make figures"


def test_the_collapsed_figure_shows_softmax_and_kl_as_one_box():
    """What the README says of its pictures."""
    collapsed = (IMAGES / "classifier_collapsed.svg").read_text(encoding="utf-8")
    expanded = (IMAGES / "classifier_expanded.svg").read_text(encoding="utf-8")
    assert "softmax + kl_divergence" in collapsed and "∂Div/∂z = y − d" in collapsed
    assert "max (detached)" in expanded and "softmax + kl_divergence" not in expanded
    network = (IMAGES / "network_diagram.svg").read_text(encoding="utf-8")
    assert "W1 is 3 × 2" in network and "∂L/∂w1[2,1] = " in network
