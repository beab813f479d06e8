"""make site (scripts/site.py), checked in headless Chromium: first a small site built from a
notebook with what the course's notebooks have (math, a graph to hover over, a plot, the backward
step-through, a solution in a collapsed <details>), then the course itself, every notebook, its
pages made from the runs that tests/test_notebooks.py checks (`site.py --executed`: no notebook
runs a third time).

A site is served from a local HTTP server, as a course site is; every page must load without a
console error, fetch nothing from anywhere else and show no broken image; hovering a node of a
graph shows its equation, the step-through moves, and solutions stay collapsed.
"""

import contextlib
import functools
import http.server
import json
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
    ("code", "import ipywidgets, nn\n"
             "nn.train(nn.MLP(1, [1], seed=0), [[1.0]], [[0.5]], nn.l2_divergence, lr=0.1,\n"
             "         max_steps=3, progress=True)\n"
             "ipywidgets.FloatSlider(value=0.1, description='lr')"),
    ("markdown", "<details><summary>Solution</summary>\n\nThe answer is 42.\n\n</details>"),
]
# The second page: the levels of detail of a graph, switched by buttons without a kernel
LEVELS_CELL = ("code", "from autograd import Value, scope\n"
                       "from autograd.draw import draw_levels\n"
                       "x = Value(1.5, label='x')\n"
                       "with scope('square', note='y = x².  ∂y/∂x = 2x'):\n"
                       "    y = x * x\n"
                       "y.label = 'y'\n"
                       "loss = y.tanh(); loss.backward()\n"
                       "draw_levels(loss, ('formulas', 'every op'))")


def build_site(notebooks: Path, out: Path, *options: str) -> Path:
    """Run scripts/site.py over a folder of notebooks; the folder it wrote."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "site.py"), "--notebooks",
                           str(notebooks), "--out", str(out), *options],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@contextlib.contextmanager
def serving(folder: Path):
    """The folder's address on a local HTTP server (127.0.0.1, a free port) while in use."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def site(shared_folder):
    """A site built by scripts/site.py from two small notebooks, which it executes: the first
    has every kind of output, the second the math and a graph's levels of detail (a neighbour
    to link to). Built once in
    a test run, by the first pytest-xdist worker that needs it (the others wait, then read it)."""
    from filelock import FileLock

    out = shared_folder / "small-site"
    with FileLock(shared_folder / "small-site.lock"):
        if not (out / "index.html").exists():  # site.py writes the index last
            build_site(small_notebooks(shared_folder / "small-notebooks"), out)
    return out


def small_notebooks(folder: Path) -> Path:
    """folder, holding 01_tiny.ipynb (CELLS) and 02_tiny_again.ipynb (CELLS' math, and a
    graph's levels of detail)."""
    import nbformat

    folder.mkdir(exist_ok=True)
    for name, cells in (("01_tiny.ipynb", CELLS),
                        ("02_tiny_again.ipynb", [*CELLS[:1], LEVELS_CELL])):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                          else nbformat.v4.new_code_cell(text) for kind, text in cells]
        nbformat.write(notebook, folder / name)
    return folder


@pytest.fixture(scope="module")
def served(site):
    with serving(site) as address:
        yield address


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


def test_a_page_is_titled_by_its_notebook_and_linked_both_ends(site):
    """A page's <title> is its notebook's first heading; the course bar (all notebooks,
    previous, next) is at its top and at its bottom; a figure's alt text says whose it is."""
    text = (site / "01_tiny.html").read_text(encoding="utf-8")
    assert "<title>01 · A tiny course page</title>" in text
    assert 'aria-label="course (top)"' in text and 'aria-label="course (bottom)"' in text
    assert text.count('href="02_tiny_again.html"') == 2  # next, above and below
    assert "No description has been provided" not in text
    assert 'alt="a figure of 01 · A tiny course page"' in text


def assert_loads_cleanly(browser, address: str, page: str) -> None:
    """The page loads without a console error, fetches only from the site, and every image
    shows."""
    assert load(browser, address + page) == [], page
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith(address) for name in resources), (page, resources)
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src.slice(0, 80))")
    assert broken == [], (page, broken)


def hovered_title(browser, node) -> str:
    """Move the mouse onto a graph's node; the hover text (SVG link title) under the pointer."""
    from selenium.webdriver import ActionChains

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", node)
    ActionChains(browser).move_to_element(node).perform()
    return browser.execute_script(
        "const under = [...document.querySelectorAll(':hover')].pop();"
        "const link = under && under.closest('a');"
        "return link ? link.getAttributeNS('http://www.w3.org/1999/xlink', 'title') : '';")


def assert_step_through_moves(browser, block) -> None:
    """▶ shows the next frame and ◀ the one before, with the counter following."""
    def shown() -> list[str]:
        return [frame.get_attribute("data-frame")
                for frame in block.find_elements("css selector", ".chainrule-frame")
                if frame.is_displayed()]

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", block)
    assert shown() == ["0"]
    block.find_element("css selector", ".chainrule-next").click()
    assert shown() == ["1"]
    assert block.find_element("css selector", ".chainrule-where").text.startswith("1 / ")
    block.find_element("css selector", ".chainrule-back").click()
    assert shown() == ["0"]


def test_every_page_loads_only_its_own_files_without_errors(site, served, browser):
    """No console error, no request that leaves the site, no broken image, math as MathML."""
    for page in sorted(site.glob("*.html")):
        assert_loads_cleanly(browser, served, page.name)
        if page.name != "index.html":  # the math is MathML: an inline formula and a block
            assert browser.execute_script(
                "return [...document.querySelectorAll('math')].map(m => m.getAttribute('display'))"
                ".sort().join()") == "block,inline"


def test_a_page_keeps_hover_equations_plots_and_collapsed_solutions(served, browser):
    """The graph is inline SVG whose nodes carry their equations; the plot is an image; the
    solution is inside a closed <details>; a widget is a note, a progress bar is not shown; the
    bar links the neighbours."""
    load(browser, served + "01_tiny.html")
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg a')).map("
        "a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'title') || '')")
    assert any(title.startswith("x = 0.5000") and "∂y/∂x" in title for title in titles)
    assert browser.execute_script("return document.querySelectorAll('img').length") >= 1
    assert browser.execute_script(
        "const d = document.querySelector('details'); return d !== null && !d.open")
    outputs = browser.execute_script(
        "return [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent)")
    notes = browser.execute_script(
        "return [...document.querySelectorAll('.widget-note')].map(n => n.textContent)")
    assert notes == [  # a note per kind of widget, saying what it is
        "A progress bar shows the run's progress here when the notebook runs in Jupyter.",
        "An interactive control sits here when the notebook runs in Jupyter: a slider (lr)."]
    assert not any("training" in text or "FloatSlider" in text for text in outputs), outputs
    assert browser.execute_script(
        "return document.querySelector('nav.course a[rel=next]').getAttribute('href')"
    ) == "02_tiny_again.html"


def test_a_page_switches_the_level_of_detail_without_a_kernel(served, browser):
    """On the site, draw_levels' buttons show each level's pre-rendered graph; the collapsed
    box says what it computes."""
    load(browser, served + "02_tiny_again.html")
    visible = ("return [...document.querySelectorAll('.chainrule-level')]"
               ".filter(l => l.offsetParent !== null).map(l => l.dataset.level)")
    assert browser.execute_script(visible) == ["formulas"]
    square = next(node for node in browser.find_elements("css selector", "g.node")
                  if node.is_displayed() and "square" in node.text)
    assert "∂y/∂x = 2x" in hovered_title(browser, square)
    browser.find_elements("css selector", ".chainrule-level-button")[1].click()
    assert browser.execute_script(visible) == ["every op"]


def test_hovering_a_node_shows_its_equation_and_the_step_through_moves(served, browser):
    """With the mouse on x's box, the text under the pointer is x's chain-rule equation; the
    step-through's buttons move it a frame forward and back."""
    load(browser, served + "01_tiny.html")
    nodes = browser.find_elements("css selector", ".chainrule-graph svg g.node")
    titles = [hovered_title(browser, node) for node in nodes]
    assert any(title.startswith("x = 0.5000") and "∂y/∂x" in title for title in titles), titles
    assert_step_through_moves(browser, browser.find_element("css selector", ".chainrule-steps"))


# ---- the course: every notebook, run and checked as a learner opens it ----


@pytest.fixture(scope="module")
def course(tmp_path_factory, notebook_runs):
    """The site of notebooks/, served: `make site`'s pages, made from the shipped notebooks'
    runs of this test run (notebook_runs: executed by test_notebook_runs, or here if they have
    not run yet)."""
    import nbformat

    executed = tmp_path_factory.mktemp("executed")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        nbformat.write(notebook_runs.run(path.stem, "as shipped", notebook), executed / path.name)
    site = build_site(executed, tmp_path_factory.mktemp("course"), "--executed")
    with serving(site) as address:
        yield site, address


def is_network_diagram(svg) -> bool:
    """nn.draw_network's drawing (its graph is named "network"), not a computation graph."""
    return svg.find_element("css selector", "g.graph > title").get_attribute(
        "textContent") == "network"


def test_the_course_site_has_every_notebook_and_every_page_works(course, browser):
    """Every notebook has a page, listed in the index; every page loads cleanly; every graph
    shows its nodes' values under the mouse, and the chain rule's equation where a backward
    pass has run; every step-through moves; every solution is folded."""
    site, address = course
    pages = sorted(path.stem + ".html" for path in (ROOT / "notebooks").glob("*.ipynb"))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page}"' in index for page in pages)
    equations = steps = 0
    for page in ["index.html", *pages]:
        assert_loads_cleanly(browser, address, page)
        assert browser.execute_script(
            "return [...document.querySelectorAll('details')].every(d => !d.open)"), page
        for graph in browser.find_elements("css selector", ".chainrule-graph svg"):
            if is_network_diagram(graph):  # its numbers are the weights, on its edges (the
                titles = [link.get_attribute("xlink:title")  # hover: test_svg_browser.py)
                          for link in graph.find_elements("css selector", "g.edge a")[:2]]
                assert titles and all(" = " in title for title in titles), (page, titles)
                continue
            nodes = graph.find_elements("css selector", "g.node")
            titles = [hovered_title(browser, node) for node in (nodes[0], nodes[-1])]
            assert all(" = " in title for title in titles), (page, titles)  # name = value
            equations += any("∂" in title for title in titles)  # after a backward pass
        for block in browser.find_elements("css selector", ".chainrule-steps"):
            assert_step_through_moves(browser, block)
            steps += 1
    assert equations >= 5 and steps >= 2, (equations, steps)
