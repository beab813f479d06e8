"""The course as a static site that needs no network: `make site` (scripts/site.py) and
`chainrule course --site DIR` both call build() here.

build(notebooks, out) writes out/index.html, listing the notebooks by their titles, and
out/<notebook>.html, each notebook run from top to bottom, with its outputs: graphs to hover
over, the backward step-through (which needs no kernel), plots. Exercise solutions stay in their
collapsed <details>. No page loads anything from the network: the math ($...$, $$...$$) is written
as MathML, which browsers draw themselves (latex2mathml), so no MathJax is needed; require.js, the
widget manager and mermaid, which nbconvert's pages fetch from CDNs, are left out
(nn/site-template/). Each page links to the index and to its neighbours.

A page has no kernel, so it has no widgets: an interactive control (an ipywidgets slider) is
replaced by a note saying so, and progress bars are switched off while the notebooks run
(TQDM_DISABLE=1): a bar saved half-drawn would read as a run that never finished.

A notebook that raises stops the build with its error (nbclient's CellExecutionError).
executed=True renders notebooks that have already run, as they are: the test suite executes each
notebook once (tests/conftest.py, with execute() below) and builds the site from those runs.
Needs nbconvert, nbclient and latex2mathml (pip install 'chainrule[notebooks]').
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent  # nn/, which holds site-template/
WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="widget-note"><em>An interactive control sits here when the notebook '
               "runs in Jupyter.</em></p>")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # markdown code: its $ are not math
MATH = re.compile(r"(?<!\\)\$\$(.+?)\$\$|(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$", re.S)


@dataclass
class Page:
    """One notebook of the site: where it comes from, where it goes, what it is called."""

    notebook: Path
    title: str

    @property
    def page(self) -> str:
        return self.notebook.stem + ".html"


def build(notebooks: Path, out: Path, timeout: int = 900, executed: bool = False,
          log=print) -> int:
    """Write the site of the notebooks in the folder notebooks into out; returns the number of
    pages (0: no notebooks, nothing written). Each notebook runs in notebooks (its working
    directory) unless executed; log says which one is running."""
    pages = [Page(path, title(path)) for path in sorted(notebooks.glob("*.ipynb"))]
    if not pages:
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for k, page in enumerate(pages):
        neighbours = (pages[k - 1] if k else None, pages[k + 1] if k + 1 < len(pages) else None)
        notebook = read(page.notebook)
        if not executed:
            log(f"site: running {page.notebook.name}")
            execute(notebook, page.notebook.parent, timeout)
        (out / page.page).write_text(render(page, notebook, neighbours), encoding="utf-8")
    (out / "index.html").write_text(index(pages), encoding="utf-8")
    return len(pages)


def title(notebook: Path) -> str:
    """The notebook's first heading, without its #s (else its file name)."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem


def math_to_mathml(markdown: str) -> str:
    """markdown with every $...$ and $$...$$ outside code written as MathML (a block for $$)."""
    pieces, start = [], 0
    for code in CODE.finditer(markdown):
        pieces += [_math_in(markdown[start:code.start()]), code.group()]
        start = code.end()
    return "".join([*pieces, _math_in(markdown[start:])])


def _math_in(text: str) -> str:
    from latex2mathml.converter import convert

    def mathml(match: re.Match) -> str:
        display, inline = match.groups()
        try:
            return convert(display if display is not None else inline,
                           display="block" if display is not None else "inline")
        except Exception as error:  # an unsupported command: show the TeX, say which
            print(f"site: could not convert {match.group()!r}: {error}", file=sys.stderr)
            return f"<code>{html.escape(match.group())}</code>"

    return MATH.sub(mathml, text)


def read(path: Path):
    """The notebook at path, as an nbformat NotebookNode."""
    import nbformat

    return nbformat.read(path, as_version=4)


def execute(notebook, folder: Path, timeout: int = 900) -> None:
    """Run the notebook (a NotebookNode) top to bottom in a fresh kernel whose working directory
    is folder, filling in its outputs. Progress bars are off (TQDM_DISABLE=1 in the kernel's
    environment). A cell that raises raises nbclient's CellExecutionError. The kernel is
    stopped at once when the last cell is done (its outputs are in; a polite shutdown takes
    half a second more, which the test suite pays some thirty times)."""
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(folder)}},
                            # the kernel's own warnings (ipykernel 7's one about TCP on
                            # localhost) say nothing about the notebook: errors still show
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client.execute(env={**os.environ, "TQDM_DISABLE": "1"})


def render(page: Page, notebook, neighbours: tuple[Page | None, Page | None]) -> str:
    """The executed notebook (a NotebookNode, changed in place) as an HTML page of the site."""
    from nbconvert import HTMLExporter

    notebook.metadata.pop("widgets", None)  # no widget manager on a page without a kernel
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(cell.source)
        for output in cell.get("outputs", []):
            if WIDGET in output.get("data", {}):
                output.data = {"text/html": WIDGET_NOTE}
    exporter = HTMLExporter(template_name="site-template", extra_template_basedirs=[str(HERE)])
    previous, following = neighbours
    site = {"title": page.title, "previous": previous, "next": following}
    body, _ = exporter.from_notebook_node(notebook, resources={"site": site,
                                                               "metadata": {"name": page.title}})
    # nbconvert's alt text for every figure says it has none; say at least whose figure it is
    return body.replace('alt="No description has been provided for this image"',
                        f'alt="{html.escape(f"a figure of {page.title}", quote=True)}"')


def index(pages: list[Page]) -> str:
    """The site's first page: the course's notebooks in order."""
    items = "\n".join(f'  <li><a href="{html.escape(p.page)}">{html.escape(p.title)}</a></li>'
                      for p in pages)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="icon" href="data:,">
<title>Training Multilayer Perceptrons: the chainrule course</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto;
          padding: 0 1em; line-height: 1.5; }}
  li {{ margin: 0.3em 0; }}
</style>
</head>
<body>
<h1>Training Multilayer Perceptrons</h1>
<p>The course, one notebook per topic, run with chainrule: every claim is checked by the
engine, every graph shows its chain-rule equations when you hover over a node.</p>
<ol>
{items}
</ol>
</body>
</html>
"""
