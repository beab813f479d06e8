"""One graph at several levels of detail, with a control that switches between them: every
level pre-rendered as inline SVG, like the step-through's frames, so no kernel is needed.

>>> from autograd import Value, scope
>>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
>>> with scope("layer 1"):
...     with scope("neuron 1"):
...         y = (x * w).tanh()
>>> with scope("square", note="L = y².  ∂L/∂y = 2y"):
...     loss = y * y
>>> loss.backward()
>>> levels = draw_levels(loss)
>>> levels
<autograd GraphLevels: layers, neurons, formulas, every op>
>>> [graph.values for graph in levels.graphs]     # x, w, and: y, L (twice); x * w, y, L
[4, 4, 5, 5]

In Jupyter (and a page exported from it) the block shows the first level and a row of buttons,
one per level; a few lines of inline JavaScript show the level pressed. Without JavaScript
every level is shown, one under the other, each under its name. backward=True does the same
for the step-through: a draw_backward per level, each with its own slider.
"""

from __future__ import annotations

import hashlib
import html
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograd.draw import page
from autograd.draw.collapse import LEVELS
from autograd.draw.graph import draw_graph
from autograd.draw.steps import draw_backward
from autograd.value import Value

DEFAULT_LEVELS = ("layers", "neurons", "formulas", "every op")
SCRIPT = """(function () {
  var me = document.currentScript;
  var root = (me && me.closest && me.closest(".chainrule-levels")) || document.getElementById("%s");
  var views = root.querySelectorAll(".chainrule-level");
  var buttons = root.querySelectorAll(".chainrule-level-button");
  function show(k) {
    for (var i = 0; i < views.length; i++) {
      views[i].style.display = i === k ? "" : "none";
      buttons[i].setAttribute("aria-pressed", String(i === k));
      buttons[i].style.fontWeight = i === k ? "bold" : "normal";
    }
  }
  for (var i = 0; i < buttons.length; i++)
    buttons[i].onclick = (function (k) { return function () { show(k); }; })(i);
  root.querySelector(".chainrule-level-controls").style.display = "flex";
  root.querySelectorAll(".chainrule-level-name").forEach(function (name) {
    name.style.display = "none";
  });
  show(0);
})();"""


def draw_levels(root: Value, levels: tuple = DEFAULT_LEVELS, *, backward: bool = False,
                **options) -> GraphLevels:
    """root's graph drawn at each level of detail (a level of autograd.draw.collapse.LEVELS, or
    a tuple of scope names to collapse), with a control that switches between them. options
    are draw_graph's (rankdir, show_grad, ...); backward=True: draw_backward's step-through
    at each level instead (options then are draw_backward's)."""
    if isinstance(levels, str) or not levels:
        raise ValueError(f"draw_levels needs a tuple of levels (some of {', '.join(LEVELS)}), "
                         f"got {levels!r}")
    draw = draw_backward if backward else draw_graph
    return GraphLevels([level_name(level) for level in levels],
                       [draw(root, collapse=level, **options) for level in levels])


def level_name(level: object) -> str:
    """A level's name on its button: the level itself, or the scope names it collapses."""
    return level if isinstance(level, str) else "collapsed: " + ", ".join(level)


class GraphLevels:
    """Graphs (or step-throughs) of one root at several levels of detail: `.names`,
    `.graphs`; in Jupyter one block with a button per level."""

    def __init__(self, names: list[str], graphs: list):
        self.names, self.graphs = names, graphs

    def __repr__(self) -> str:
        return f"<autograd GraphLevels: {', '.join(self.names)}>"

    def _repr_html_(self) -> str:
        with ThreadPoolExecutor() as pool:  # each level is its own dot process
            pictures = list(pool.map(_picture, self.graphs))
        return levels_html(self.names, pictures)

    def save_html(self, path: str | Path) -> Path:
        """Write the block as a web page of its own (any browser, no kernel, no internet)."""
        path = Path(path)
        path.write_text(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                        f"<title>levels of detail</title></head><body>{self._repr_html_()}"
                        "</body></html>\n", encoding="utf-8")
        return path


def _picture(graph) -> str:
    """A level's HTML: a graph's fitted SVG, or a step-through's own block."""
    if not hasattr(graph, "svg"):
        return graph._repr_html_()  # a step-through: it never raises
    try:
        return page.graph_html(graph.svg())
    except Exception as error:  # a display must never raise in Jupyter
        return page.message_html(str(error))


def levels_html(names: list[str], pictures: list[str]) -> str:
    """The block: a button per level (shown once the script runs), then each level's picture
    under its name, all but the first hidden by the script."""
    digest = hashlib.sha256("\n".join(names + pictures).encode("utf-8", "replace"))
    block_id = "chainrule-levels-" + digest.hexdigest()[:16]
    buttons = "".join(f'<button type="button" class="chainrule-level-button" '
                      f'aria-pressed="{str(k == 0).lower()}">{html.escape(name)}</button>'
                      for k, name in enumerate(names))
    controls = ('<div class="chainrule-level-controls" role="group" aria-label="level of detail"'
                ' style="display: none; gap: 0.4em; align-items: center; font: 13px sans-serif">'
                f"<span>level of detail:</span>{buttons}</div>")
    views = "".join(f'<div class="chainrule-level" data-level="{html.escape(name)}">'
                    f'<div class="chainrule-level-name" style="font: 13px sans-serif">'
                    f"{html.escape(name)}</div>{picture}</div>"
                    for name, picture in zip(names, pictures))
    return (f'<div class="chainrule-levels" id="{block_id}" style="max-width: 100%">'
            f"{controls}{views}<script>{SCRIPT % block_id}</script></div>")
