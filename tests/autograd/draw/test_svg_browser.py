"""In headless Chromium, hovering over a node of the inline SVG lands on its chain-rule equation.

Needs selenium, Chromium and its driver (Debian: apt-get install chromium chromium-driver), and
Graphviz's dot; skipped with the reason when one is missing. A native tooltip is drawn by the
browser outside the page, so the test checks what produces it: the element under the mouse
belongs to the <a xlink:title="..."> holding the equation.
"""

import shutil

import pytest

from autograd import Value, draw_graph

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))),
                None)
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.needs_dot,
    pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                       reason="needs Chromium and chromedriver on PATH "
                              "(Debian: apt-get install chromium chromium-driver)"),
]

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

NODE_TEXT = """
for (const link of document.querySelectorAll('a')) {
  const title = link.getAttributeNS('http://www.w3.org/1999/xlink', 'title') || '';
  if (title.startsWith(arguments[0])) return link.querySelector('text');
}
return null;
"""


@pytest.fixture
def browser():
    """A headless Chromium driven by selenium."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER),
                              options=options)
    yield driver
    driver.quit()


def test_hovering_over_x_reveals_its_chain_rule_equation(browser, tmp_path):
    """The notebook HTML of a neuron's graph: the mouse on x sits in x's equation tooltip."""
    from selenium.webdriver import ActionChains

    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    page = tmp_path / "graph.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><body>{draw_graph(y)._repr_html_()}",
                    encoding="utf-8")
    browser.get(page.as_uri())
    node_text = browser.execute_script(NODE_TEXT, "x = 0.5000")
    assert node_text is not None
    ActionChains(browser).move_to_element(node_text).perform()
    assert browser.execute_script(HOVERED_TITLE) == (
        "x = 0.5000 (leaf)\n∂y/∂x = ∂y/∂v2 · ∂v2/∂x = 0.2804 × -1.5000 = -0.4206")
