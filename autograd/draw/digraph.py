"""The drawing itself: a graphviz.Digraph that renders to SVG, saves by suffix and shows in
Jupyter as inline SVG fitted to the page, and never raises there.

>>> from autograd import Value, draw_graph
>>> graph = draw_graph(Value(2.0, label="x") * 3)
>>> import graphviz; isinstance(graph, graphviz.Digraph), graph.format, graph.engine
(True, 'svg', 'dot')
>>> graph
<autograd Graph of 3 Values: .source, .svg(), .save(path), .render()>

`.source`, `.render()`, `.view()`, `.pipe(format=...)`, `format` and `engine` are graphviz's;
`.svg()` and `.save(path)` are added, and Jupyter's display is text/html.
"""

from __future__ import annotations

from pathlib import Path

from autograd.draw import page

try:
    import graphviz
except ImportError:  # an install requirement, so only a broken environment gets here
    raise ImportError("drawing graphs needs the graphviz package: pip install graphviz") from None

SOURCE_SUFFIXES = ("", ".dot", ".gv")  # save() writes the DOT text itself for these
IMAGE_TYPES = {"image/svg+xml", "image/png", "image/jpeg"}  # what graphviz's own bundle gives

INSTALL_HELP = """Graphviz's `dot` program is not on PATH, so the graph cannot be rendered.
Install Graphviz, then try again:
  Debian/Ubuntu: sudo apt-get install graphviz    macOS: brew install graphviz
  conda: conda install -c conda-forge graphviz    in a chainrule checkout: make setup
The DOT text (graph.source, or save to a .dot file) needs no Graphviz."""


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's `dot` program, and it is not on PATH (a RuntimeError, and
    the graphviz package's ExecutableNotFound)."""

    def __init__(self, message: str = INSTALL_HELP):
        RuntimeError.__init__(self, message)


class Graph(graphviz.Digraph):
    """A drawn graph: a graphviz.Digraph that also renders itself to `.svg()`, saves by suffix
    (`.save(path)`) and shows in Jupyter as inline SVG fitted to the page.

    Rendering runs Graphviz's `dot`; without it `.svg()` and `.save()` raise
    GraphvizNotFoundError saying how to install it, and Jupyter shows that message. `.source`
    never needs it.
    """

    values = 0  # how many Values the drawing shows

    def __repr__(self) -> str:
        return f"<autograd Graph of {self.values} Values: .source, .svg(), .save(path), .render()>"

    def svg(self) -> str:
        """The graph as SVG text, rendered by self.engine (once, until the graph changes)."""
        key = (self.source, self.engine)
        cached = self.__dict__.get("_svg")
        if cached is None or cached[0] != key:
            cached = key, rendered(self, "svg").decode("utf-8")
            self.__dict__["_svg"] = cached
        return cached[1]

    def save(self, filename: str | Path | None = None, directory: str | Path | None = None, *,
             skip_existing: bool | None = False):
        """Write the graph to filename (in directory), in the format its suffix names: .svg,
        .png, .pdf or any other Graphviz output format; .dot, .gv or no suffix: the DOT text.
        Returns the Path written.

        graphviz's own `.render()` and `.view()` call save(filename, directory=...,
        skip_existing=None) to write the DOT text they then render: that call is
        graphviz.Digraph.save, unchanged (it returns the path as a str).
        """
        if filename is None or skip_existing is None:
            return super().save(filename, directory=directory, skip_existing=skip_existing)
        path = Path(directory or "", filename)
        suffix = path.suffix.lower()
        if suffix in SOURCE_SUFFIXES:
            path.write_text(self.source, encoding="utf-8")
        elif suffix == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        elif suffix[1:] in graphviz.FORMATS:
            path.write_bytes(rendered(self, suffix[1:]))
        else:
            raise ValueError(f"cannot tell the format of {str(path)!r} from its suffix "
                             f"{path.suffix!r}: use .svg, .png, .pdf (or another Graphviz output "
                             f"format), or .dot for the DOT text")
        return path

    def _repr_html_(self) -> str:
        """Inline <svg> that fits the output area; never raises (a message instead)."""
        try:
            return page.graph_html(self.svg())
        except Exception as error:  # a display must never raise in Jupyter
            return page.message_html(str(error))

    def _repr_mimebundle_(self, include=None, exclude=None, **_) -> dict:
        """Jupyter's bundle: text/html (inline SVG: JupyterLab puts image/svg+xml in an <img>,
        where tooltips die). Images graphviz can give are added when asked for by include.
        Never raises: an image that cannot be rendered is left out."""
        wanted = set(include) if include is not None else {"text/html"}
        wanted -= set(exclude or ())
        bundle = {"text/html": self._repr_html_()} if "text/html" in wanted else {}
        others = wanted & IMAGE_TYPES
        for mimetype in sorted(others):
            try:
                bundle |= super()._repr_mimebundle_(include=[mimetype])
            except Exception:  # left out: the bundle is shown without it
                continue
        return bundle


def rendered(graph: graphviz.Digraph, fmt: str) -> bytes:
    """graph rendered in a Graphviz output format; clear errors when dot is missing or fails."""
    try:
        return graph.pipe(format=fmt, quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError() from None
    except graphviz.CalledProcessError as error:
        message = (error.stderr or b"").decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz's {graph.engine} failed (exit status {error.returncode}): "
                           f"{message}") from None
