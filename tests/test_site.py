"""make site (scripts/site.py): a small course built from a notebook, checked in headless Chromium.

The notebook has what the course's notebooks have: math, a graph to hover over, a plot, the
backward step-through and a solution in a collapsed <details>. The site is served from a local
HTTP server, as a course site is; every page must load without a console error, fetch nothing
from anywhere else, and show no broken image.
"""

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_browser]

CELLS = [
    ("markdown", "# 01 · A tiny course page\n\nThe chain rule: $\\frac{dL}{dx} = "
                 "\\frac{dL}{dy} \\frac{dy}{dx}$, and a display:\n\n$$y = \\tanh(w x + b)$$"),
    ("code", "from autograd import Value, draw_graph, draw_backward\n"
             "x, w, b = Value(0.5, label='x'), Value(-1.5, label='w'), Value(2.0, label='b')\n"
             "y = (x * w + b).tanh(); y.label = 'y'; y.backward()\n"
             "draw_graph(y)"),
    ("code", "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
             "%matplotlib inline\nplt.plot([0, 1, 2], [0, 1, 4]); plt.show()"),
    ("code", "draw_backward(y)"),
    ("markdown", "<details><summary>Solution</summary>\n\nThe answer is 42.\n\n</details>"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site built by scripts/site.py from two small notebooks."""
    import nbformat

    notebooks = tmp_path_factory.mktemp("notebooks")
    for name in ("01_tiny.ipynb", "02_tiny_again.ipynb"):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                          else nbformat.v4.new_code_cell(text) for kind, text in CELLS]
        nbformat.write(notebook, notebooks / name)
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "site.py"), "--notebooks",
                           str(notebooks), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def served(site):
    """The site's address on a local HTTP server (127.0.0.1, a free port), for this module."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no line per request in the test output
        pass


@pytest.fixture(scope="module")
def browser(launch_chromium):
    """A headless Chromium driven by selenium, keeping the console's messages."""
    driver = launch_chromium("1200,900", "--disable-background-networking",
                             "--allow-file-access-from-files", console=True)
    yield driver
    driver.quit()


def load(browser, address: str) -> list[dict]:
    """Open the page at address; the console's errors while it loaded."""
    browser.get_log("browser")  # drop what earlier pages left
    browser.get(address)
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_index_links_every_notebook_in_order(site):
    """index.html lists the notebooks by their first heading, in file order."""
    text = (site / "index.html").read_text(encoding="utf-8")
    first, second = text.index('href="01_tiny.html"'), text.index('href="02_tiny_again.html"')
    assert first < second and "01 · A tiny course page" in text


def test_every_page_loads_only_its_own_files_without_errors(site, served, browser):
    """No console error, no request that leaves the site, no broken image, math as MathML."""
    for page in sorted(site.glob("*.html")):
        assert load(browser, served + page.name) == [], page.name
        resources = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(name.startswith(served) for name in resources), resources
        broken = browser.execute_script(
            "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src.slice(0, 80))")
        assert broken == [], (page.name, broken)
        if page.name != "index.html":  # the math is MathML: an inline formula and a block
            assert browser.execute_script(
                "return [...document.querySelectorAll('math')].map(m => m.getAttribute('display'))"
                ".sort().join()") == "block,inline"


def test_a_page_keeps_hover_equations_plots_and_collapsed_solutions(served, browser):
    """The graph is inline SVG whose nodes carry their equations; the plot is an image; the
    solution is inside a closed <details>; the bar links the neighbours."""
    load(browser, served + "01_tiny.html")
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg a')).map("
        "a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'title') || '')")
    assert any(title.startswith("x = 0.5000") and "∂y/∂x" in title for title in titles)
    assert browser.execute_script("return document.querySelectorAll('img').length") >= 1
    assert browser.execute_script(
        "const d = document.querySelector('details'); return d !== null && !d.open")
    assert browser.execute_script(
        "return document.querySelector('nav.course a[rel=next]').getAttribute('href')"
    ) == "02_tiny_again.html"
