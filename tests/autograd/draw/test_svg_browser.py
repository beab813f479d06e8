"""In headless Chromium: hovering anywhere on a node lands on its chain-rule equation, a drawing
fits the width of its output, and draw_backward's step-through moves in a notebook exported by
nbconvert and opened with the network cut off.

Needs selenium, Chromium and its driver (Debian: apt-get install chromium chromium-driver), and
Graphviz's dot; skipped with the reason when one is missing. A native tooltip is drawn by the
browser outside the page, so the tests check what produces it: the element under the mouse
belongs to the <a xlink:title="..."> holding the equation, inside the node's <g class="node">.
"""


import pytest

from autograd import Value, draw_graph

pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_browser]

HOVERED_TITLE = """
const hovered = Array.from(document.querySelectorAll(':hover')).pop();
for (let node = hovered; node; node = node.parentNode) {
  if (node.getAttributeNS) {
    const title = node.getAttributeNS('http://www.w3.org/1999/xlink', 'title');
    if (title) return title;
  }
}
return null;
"""

# A point inside `node`'s box that is over none of its text, and what the page finds there:
# [x, y, the element's tag, the DOT id of the node around it, the tooltip of the link].
EMPTY_POINT = """
const box = node.querySelector('polygon').getBoundingClientRect();
const texts = [...node.querySelectorAll('text')].map(t => t.getBoundingClientRect());
for (let fy = 0.1; fy < 0.95; fy += 0.1) {
  for (let fx = 0.05; fx < 0.96; fx += 0.05) {
    const x = box.left + fx * box.width, y = box.top + fy * box.height;
    if (texts.some(r => x > r.left - 2 && x < r.right + 2 && y > r.top - 2 && y < r.bottom + 2))
      continue;
    const found = document.elementFromPoint(x, y);
    const inNode = found.closest('g.node'), link = found.closest('a');
    return [x, y, found.tagName, inNode && inNode.querySelector('title').textContent,
            link && link.getAttributeNS('http://www.w3.org/1999/xlink', 'title')];
  }
}
return null;
"""

# EMPTY_POINT of node arguments[0] (by its DOT id, the <title> of its <g class="node">).
EMPTY_POINT_OF_NODE = """
const node = [...document.querySelectorAll('g.node')]
  .find(g => g.querySelector('title').textContent === arguments[0]);
""" + EMPTY_POINT

EDGE_MIDDLE = """
const edge = [...document.querySelectorAll('g.edge')]
  .find(g => g.querySelector('title').textContent === arguments[0]);
const path = edge.querySelector('path');
const middle = path.getPointAtLength(path.getTotalLength() / 2);
const screen = middle.matrixTransform(path.getScreenCTM());
const found = document.elementFromPoint(screen.x, screen.y), link = found.closest('a');
return [found.tagName, link && link.getAttributeNS('http://www.w3.org/1999/xlink', 'title')];
"""

# Each drawing's rendered width, the width of the box it sits in, and its smallest text: the
# font size times the scale the viewBox is drawn at, and the rendered height of the glyphs.
SIZES = """
return [...document.querySelectorAll(arguments[0])].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')];
  return {width: svg.getBoundingClientRect().width,
          room: svg.parentElement.getBoundingClientRect().width,
          font: Math.min(...texts.map(t => parseFloat(t.getAttribute('font-size')) * scale)),
          glyphs: Math.min(...texts.map(t => t.getBoundingClientRect().height))};
});
"""

VISIBLE_FRAMES = """
return [...document.querySelectorAll(arguments[0] + ' .chainrule-frame')]
  .filter(frame => frame.offsetParent !== null).map(frame => frame.dataset.frame);
"""


@pytest.fixture(scope="module")
def browser(launch_chromium):
    """A headless Chromium driven by selenium (one for the module: starting it takes a while)."""
    driver = launch_chromium("1600,900")
    yield driver
    driver.quit()


def neuron():
    """y = tanh(x*w + b), labelled, after backward()."""
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    return y


def page(tmp_path, body: str, name: str = "page.html"):
    """A page holding body (as a notebook's output would), to open in the browser."""
    path = tmp_path / name
    path.write_text(f"<!doctype html><meta charset=utf-8><body>{body}", encoding="utf-8")
    return path.as_uri()


def test_hovering_inside_a_box_away_from_its_text_shows_the_equation(browser, tmp_path):
    """Inside x's box but over none of its text: the element there is x's filled box, whose
    node and link carry x's equation; the mouse moved there hovers on it."""
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(page(tmp_path, draw_graph(neuron())._repr_html_()))
    equation = "x = 0.5000 (leaf)\n∂y/∂x = ∂y/∂(x * w) · ∂(x * w)/∂x = 0.2804 × -1.5000 = -0.4206"
    x, y, tag, node, title = browser.execute_script(EMPTY_POINT_OF_NODE, "v0")
    assert (tag, node, title) == ("polygon", "v0", equation)
    actions = ActionChains(browser)
    actions.w3c_actions.pointer_action.move_to_location(int(x), int(y))
    actions.perform()
    assert browser.execute_script(HOVERED_TITLE) == equation
    tag, node, title = browser.execute_script(EMPTY_POINT_OF_NODE, "v5")[2:]  # y, under its op
    assert (tag, node) == ("polygon", "v5") and title.startswith("y = tanh((x * w) + b) = 0.8483")


def test_hovering_over_an_edge_shows_its_local_derivative(browser, tmp_path):
    """The middle of the edge x -> x*w lies in the link holding ∂(x * w)/∂x = w."""
    browser.get(page(tmp_path, draw_graph(neuron())._repr_html_()))
    assert browser.execute_script(EDGE_MIDDLE, "v0->v2") == ["path", "∂(x * w)/∂x = w = -1.5000"]


@pytest.mark.parametrize("collapse", [None, ()])
def test_a_2_4_4_2_mlp_has_no_text_under_9_px_in_a_1280_px_page(browser, tmp_path, collapse):
    """A 2-4-4-2 classifier's loss graph (softmax + KL collapsed, and every op) in a page 1280
    px wide: no text under 9 CSS px; what does not fit scrolls sideways in the drawing's own
    block, never the page."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [4, 4, 2], output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    loss.backward()
    browser.set_window_size(1280, 900)
    try:
        output = f'<div id="output">{draw_graph(loss, collapse=collapse)._repr_html_()}</div>'
        browser.get(page(tmp_path, output))
        (sizes,) = browser.execute_script(SIZES, "#output svg")
        assert sizes["font"] >= 9 and sizes["glyphs"] >= 9
        widths = browser.execute_script(
            "const b = document.querySelector('.chainrule-graph'), d = document.documentElement;"
            "return [b.scrollWidth, b.clientWidth, d.scrollWidth, d.clientWidth];")
        assert widths[2] <= widths[3]  # the page itself never scrolls sideways
        if sizes["width"] > sizes["room"]:
            assert widths[0] > widths[1]  # the block does
    finally:
        browser.set_window_size(1600, 900)


# How a notebook front end puts an output's HTML in the page: innerHTML (whose scripts do not
# run), then each script re-created so that it runs: in its place (JupyterLab and Notebook 7's
# evalInnerHTMLScriptTags) or appended elsewhere (a renderer that runs scripts on the side).
INSERT_LIKE_A_FRONT_END = """
const host = document.createElement('div');
document.body.appendChild(host);
host.innerHTML = arguments[0];
for (const old of [...host.querySelectorAll('script')]) {
  const script = document.createElement('script');
  script.textContent = old.textContent;
  if (arguments[1] === 'in place') old.parentNode.replaceChild(script, old);
  else { old.remove(); document.body.appendChild(script); }
}
"""


@pytest.mark.parametrize("where", ["in place", "elsewhere"])
def test_the_step_through_runs_as_a_front_end_inserts_it(browser, tmp_path, where):
    """Inserted the way JupyterLab, Notebook 7 or another renderer inserts an output, the
    block's script finds its frames and the ◀ ▶ buttons move through them."""
    from selenium.webdriver.common.by import By

    from autograd import draw_backward

    browser.get(page(tmp_path, ""))
    browser.execute_script(INSERT_LIKE_A_FRONT_END, draw_backward(neuron())._repr_html_(), where)
    steps = ".chainrule-steps"
    assert browser.execute_script(VISIBLE_FRAMES, steps) == ["0"]
    browser.find_element(By.CSS_SELECTOR, ".chainrule-next").click()
    browser.find_element(By.CSS_SELECTOR, ".chainrule-next").click()
    browser.find_element(By.CSS_SELECTOR, ".chainrule-back").click()
    assert browser.execute_script(VISIBLE_FRAMES, steps) == ["1"]


NOTEBOOK_CODE = """\
import nn
from autograd import draw_backward, draw_graph
neuron = nn.Neuron(2, "tanh", seed=0)
loss = nn.l2_divergence(neuron([0.5, -1.0]), 0.3)
loss.backward()
frames = draw_backward(loss)
frames"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A small notebook executed by nbconvert (its ExecutePreprocessor, what `jupyter nbconvert
    --execute` runs) and exported by its HTMLExporter (`--to html`): (the executed cells'
    outputs, the exported page)."""
    nbformat = pytest.importorskip("nbformat", reason="needs nbformat (pip install jupyter)")
    nbconvert = pytest.importorskip("nbconvert", reason="needs nbconvert (pip install jupyter)")
    pytest.importorskip("ipykernel", reason="needs ipykernel (pip install jupyter)")
    from nbconvert.preprocessors import ExecutePreprocessor

    folder = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CODE),
                      nbformat.v4.new_code_cell("draw_graph(loss)")]
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(folder)}})
    body, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    exported = folder / "steps.html"
    exported.write_text(body, encoding="utf-8")
    return [cell["outputs"] for cell in notebook.cells], exported


def test_the_notebook_output_is_the_self_contained_block(exported):
    """The saved output of draw_backward is text/html (the step-through) and text/plain only:
    no widget view, nothing that needs a kernel."""
    outputs, _ = exported
    (result,) = outputs[0]
    assert sorted(result["data"]) == ["text/html", "text/plain"]
    assert 'class="chainrule-steps"' in "".join(result["data"]["text/html"])


def test_the_step_through_moves_in_an_nbconvert_export_offline(browser, exported):
    """With the network cut off, the exported page's slider and ◀ ▶ buttons change the visible
    frame; the drawings fit their output areas."""
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    try:
        browser.get(exported[1].as_uri())
        steps = ".chainrule-steps"
        assert browser.execute_script(VISIBLE_FRAMES, steps) == ["0"]
        block = browser.find_element(By.CSS_SELECTOR, steps)
        back, forward = (block.find_element(By.CSS_SELECTOR, f".chainrule-{name}")
                         for name in ("back", "next"))
        assert forward.is_displayed() and back.is_displayed()
        forward.click()
        forward.click()
        assert browser.execute_script(VISIBLE_FRAMES, steps) == ["2"]
        back.click()
        assert browser.execute_script(VISIBLE_FRAMES, steps) == ["1"]
        slider = block.find_element(By.CSS_SELECTOR, "input[type=range]")
        browser.execute_script("arguments[0].value = 3;"
                               "arguments[0].dispatchEvent(new Event('input'));", slider)
        assert browser.execute_script(VISIBLE_FRAMES, steps) == ["3"]  # ½ (y - d)² is one box
        assert block.find_element(By.CSS_SELECTOR, ".chainrule-where").text == "3 / 3"
        for sizes in browser.execute_script(SIZES, ".jp-OutputArea-output svg"):
            if sizes["room"]:  # hidden frames have no size
                assert sizes["width"] <= sizes["room"]
        scripts = [entry for entry in browser.get_log("browser") if entry["source"] != "network"
                   and "require" not in entry["message"] and "MathJax" not in entry["message"]]
        assert scripts == []  # (nbconvert's own require.js and MathJax cannot load offline)
    finally:
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


# ---- collapsed groups, levels of detail, the network diagram ----

# EMPTY_POINT of the (visible) box whose text includes arguments[0], scrolled into view.
POINT_IN_BOX_WITH_TEXT = """
const node = [...document.querySelectorAll('g.node')]
  .find(g => g.getBoundingClientRect().width > 0 &&
        [...g.querySelectorAll('text')].some(t => t.textContent === arguments[0]));
node.scrollIntoView({block: 'center', inline: 'center'});
""" + EMPTY_POINT

# The middle of the text of an edge's label (its number, or a weight's name) whose text is
# arguments[0], and the tooltip of the link found there.
EDGE_LABEL_TITLE = """
const text = [...document.querySelectorAll('g.edge text')]
  .find(t => t.textContent === arguments[0]);
const r = text.getBoundingClientRect();
const link = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('a');
return link && link.getAttributeNS('http://www.w3.org/1999/xlink', 'title');
"""


def classifier_loss():
    """A 2-2-2 classifier (tanh, softmax) and its KL divergence, after backward(): (model,
    loss)."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [2, 2], activation="tanh", output="softmax", seed=0)
    loss = nn.kl_divergence(model([0.5, -1.0]), nn.one_hot(1, 2))
    loss.backward()
    return model, loss


def hover(browser, x: float, y: float) -> str:
    """Move the mouse to (x, y); the tooltip of what it hovers."""
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(browser)
    actions.w3c_actions.pointer_action.move_to_location(int(x), int(y))
    actions.perform()
    return browser.execute_script(HOVERED_TITLE)


def test_the_collapsed_softmax_and_kl_box_shows_its_gradient_on_hover(browser, tmp_path):
    """Standalone HTML of the default drawing: the box "softmax + kl_divergence" (z -> Div),
    hovered away from its text, says ∂Div/∂z = y − d with the z's gradients."""
    _, loss = classifier_loss()
    browser.get(page(tmp_path, draw_graph(loss)._repr_html_()))
    x, y, *_, title = browser.execute_script(POINT_IN_BOX_WITH_TEXT, "softmax + kl_divergence")
    assert "∂Div/∂z = y − d" in title and "∂L/∂z2[1] = 0.2725" in title
    assert hover(browser, x, y) == title


def test_an_edge_number_hovers_as_its_edge(browser, tmp_path):
    """The number beside the edge x -> x*w carries the edge's own tooltip."""
    browser.get(page(tmp_path, draw_graph(neuron())._repr_html_()))
    assert browser.execute_script(EDGE_LABEL_TITLE, "-1.5000") == "∂(x * w)/∂x = w = -1.5000"


VISIBLE_LEVELS = """
return [...document.querySelectorAll('.chainrule-level')]
  .filter(level => level.offsetParent !== null).map(level => level.dataset.level);
"""


def test_the_level_of_detail_switches_without_a_kernel(browser, tmp_path):
    """draw_levels saved as a page of its own, opened offline: one level shows; each button
    shows its level (pre-rendered SVG), and hovering works in it."""
    from selenium.webdriver.common.by import By

    from autograd.draw import draw_levels

    _, loss = classifier_loss()
    path = draw_levels(loss, ("neurons", "formulas", "every op")).save_html(tmp_path / "l.html")
    browser.get(path.as_uri())
    assert browser.execute_script(VISIBLE_LEVELS) == ["neurons"]
    buttons = browser.find_elements(By.CSS_SELECTOR, ".chainrule-level-button")
    assert [b.text for b in buttons] == ["neurons", "formulas", "every op"]
    buttons[2].click()
    assert browser.execute_script(VISIBLE_LEVELS) == ["every op"]
    assert buttons[2].get_attribute("aria-pressed") == "true"
    x, y, *_, title = browser.execute_script(POINT_IN_BOX_WITH_TEXT, "max (detached)")
    assert "= max(z2[1], z2[2]) = " in title
    buttons[1].click()
    assert browser.execute_script(VISIBLE_LEVELS) == ["formulas"]
    title = browser.execute_script(POINT_IN_BOX_WITH_TEXT, "softmax + kl_divergence")[-1]
    assert "∂Div/∂z = y − d" in title


def test_the_network_diagram_hovers_with_the_chain_rule(browser, tmp_path):
    """nn.draw_network after backward(): the weight w1[2,1]'s edge shows its name, value,
    gradient and the chain-rule line the computation graph shows for it."""
    import nn

    model, loss = classifier_loss()
    browser.get(page(tmp_path, nn.draw_network(model, loss)._repr_html_()))
    w = model.layers[0].neurons[0].w[1]
    title = browser.execute_script("""
      const edge = [...document.querySelectorAll('g.edge')]
        .find(g => g.querySelector('title').textContent === 'x[2]->y1[1]');
      const path = edge.querySelector('path');
      const middle = path.getPointAtLength(path.getTotalLength() / 2)
        .matrixTransform(path.getScreenCTM());
      const link = document.elementFromPoint(middle.x, middle.y).closest('a');
      return link && link.getAttributeNS('http://www.w3.org/1999/xlink', 'title');""")
    assert title.startswith(f"w1[2,1] = {w.data:.4f}\ngrad {w.grad:.4f}\n∂L/∂w1[2,1] = ")
    graph_tooltip = draw_graph(loss).source
    assert title.split("\n")[2].split(" = ")[-1] in graph_tooltip


def test_step_throughs_switch_level_and_still_step(browser, tmp_path):
    """draw_levels(backward=True) as a page: the second level's step-through, once shown,
    moves with its own ▶ button."""
    from selenium.webdriver.common.by import By

    from autograd.draw import draw_levels

    _, loss = classifier_loss()
    levels = draw_levels(loss, ("formulas", "every op"), backward=True)
    browser.get(levels.save_html(tmp_path / "steps.html").as_uri())
    browser.find_elements(By.CSS_SELECTOR, ".chainrule-level-button")[1].click()
    assert browser.execute_script(VISIBLE_LEVELS) == ["every op"]
    block = browser.find_elements(By.CSS_SELECTOR, ".chainrule-steps")[1]
    block.find_element(By.CSS_SELECTOR, ".chainrule-next").click()
    visible = browser.execute_script(
        "return [...arguments[0].querySelectorAll('.chainrule-frame')]"
        ".filter(f => f.offsetParent !== null).map(f => f.dataset.frame);", block)
    assert visible == ["1"]
    assert block.find_element(By.CSS_SELECTOR, ".chainrule-where").text == "1 / 18"


def test_the_step_throughs_controls_stay_on_screen_over_a_tall_graph(browser, tmp_path):
    """At 1280 × 800 a 2-2-2 classifier's step-through is taller than the window: with the
    bottom of its graph in view, the ◀ ▶ controls are still on screen (they stick to the top),
    and they still step."""
    from selenium.webdriver.common.by import By

    from autograd import draw_backward

    _, loss = classifier_loss()
    browser.set_window_size(1280, 800)
    try:
        browser.get(draw_backward(loss).save(tmp_path / "steps.html").as_uri())
        seen = browser.execute_script("""
          const block = document.querySelector('.chainrule-steps');
          const svg = block.querySelector('.chainrule-frame svg');
          svg.scrollIntoView({block: 'end'});
          const controls = block.querySelector('.chainrule-controls').getBoundingClientRect();
          return [svg.getBoundingClientRect().height > innerHeight, controls.top >= 0,
                  controls.bottom <= innerHeight];""")
        assert seen == [True, True, True]
        browser.find_element(By.CSS_SELECTOR, ".chainrule-next").click()
        assert browser.find_element(By.CSS_SELECTOR, ".chainrule-where").text.startswith("1 /")
    finally:
        browser.set_window_size(1600, 900)
