"""The course as a static site that needs no network: `make site` (scripts/site.py) and
`chainrule course --site DIR` both call build() here.

build(notebooks, out) writes out/index.html, listing the notebooks by their titles, and
out/<notebook>.html, each notebook run from top to bottom, with its outputs: graphs to hover
over, the backward step-through (which needs no kernel), plots. Exercise solutions stay in their
collapsed <details>. No page loads anything from the network: the math ($...$, $$...$$) is written
as MathML, which browsers draw themselves (latex2mathml), so no MathJax is needed; require.js, the
widget manager and mermaid, which nbconvert's pages fetch from CDNs, are left out
(nn/site-template/). Each page links to the index and to its neighbours.

A page has no kernel, so it has no widgets: the widgets a cell shows are replaced by one note
that says what stands there in Jupyter (a slider named lr and the output it controls; a progress
bar), read from the widget state the run saved. Progress bars are switched off while the
notebooks run (TQDM_DISABLE=1): a bar saved half-drawn would read as a run that never finished.

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
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CONTROL_NOTE = "An interactive control sits here when the notebook runs in Jupyter"
PROGRESS_NOTE = "A progress bar shows the run's progress here when the notebook runs in Jupyter"
# What a widget is, by its model's name: the words a note uses for it
WIDGET_KINDS = {"FloatProgressModel": "a progress bar", "IntProgressModel": "a progress bar",
                "OutputModel": "the output it controls"}
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

    states = notebook.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.cells:  # (no widget manager on a page without a kernel)
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(cell.source)
        if "outputs" in cell:
            cell.outputs = without_widgets(cell.outputs, states)
    exporter = HTMLExporter(template_name="site-template", extra_template_basedirs=[str(HERE)])
    previous, following = neighbours
    site = {"title": page.title, "previous": previous, "next": following}
    body, _ = exporter.from_notebook_node(notebook, resources={"site": site,
                                                               "metadata": {"name": page.title}})
    # nbconvert's alt text for every figure says it has none; say at least whose figure it is
    return body.replace('alt="No description has been provided for this image"',
                        f'alt="{html.escape(f"a figure of {page.title}", quote=True)}"')


def without_widgets(outputs: list, states: dict) -> list:
    """A cell's outputs with its widgets replaced by notes saying what they are: one for its
    progress bars, one for its controls (a slider and the output it drives are one note)."""
    widgets = [o for o in outputs if WIDGET in o.get("data", {})]
    if not widgets:
        return outputs
    kinds = [widget_kind(o["data"][WIDGET].get("model_id", ""), states) for o in widgets]
    import nbformat

    bars = [k for k in kinds if k == "a progress bar"]
    controls = [k for k in kinds if k != "a progress bar"]
    notes = [nbformat.from_dict({"output_type": "display_data", "metadata": {},
                                 "data": {"text/html": widget_note(group)}})
             for group in (bars, controls) if group]
    first = outputs.index(widgets[0])
    before = sum(WIDGET not in o.get("data", {}) for o in outputs[:first])
    kept = [o for o in outputs if WIDGET not in o.get("data", {})]
    return [*kept[:before], *notes, *kept[before:]]


def widget_kind(model_id: str, states: dict) -> str:
    """What the widget model_id is, in words: "a progress bar", "a slider (lr)", "the output
    it controls", or "an interactive control" (a box: what it holds; unknown: a control)."""
    model = states.get(model_id, {})
    name, state = model.get("model_name", ""), model.get("state", {})
    if name in WIDGET_KINDS:
        return WIDGET_KINDS[name]
    if name.endswith("SliderModel"):
        label = state.get("description", "")
        return f"a slider ({label})" if label else "a slider"
    children = [widget_kind(child.removeprefix("IPY_MODEL_"), states)
                for child in state.get("children", [])]
    if "a progress bar" in children:  # tqdm's bar: a box of text, the bar, text
        return "a progress bar"
    return " and ".join(dict.fromkeys(k for k in children if k != "an interactive control")) \
        or "an interactive control"


def widget_note(kinds: list[str]) -> str:
    """The note that stands for a cell's widgets: a progress bar says what it showed, a
    control that it needs Jupyter, naming what it is."""
    if set(kinds) == {"a progress bar"}:  # (however many: one bar per run)
        return f'<p class="widget-note"><em>{PROGRESS_NOTE}.</em></p>'
    known = [k for k in dict.fromkeys(kinds) if k != "an interactive control"]
    what = f": {' and '.join(known)}" if known else ""
    return f'<p class="widget-note"><em>{html.escape(CONTROL_NOTE + what)}.</em></p>'


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
