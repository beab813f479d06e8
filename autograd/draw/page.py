"""How a drawing sits in a notebook or a web page: inline SVG that fits the width it is given.

>>> svg = '<?xml version="1.0"?>\\n<svg width="300pt" height="100pt" viewBox="0 0 300 100"></svg>'
>>> print(fitted_svg(svg).replace("; ", ";\\n"))
<svg width="100%" style="max-width: 300pt;
min-width: 271px;
height: auto" viewBox="0 0 300 100"></svg>

Jupyter shows image/svg+xml in an <img>, where tooltips die, so drawings show as text/html with
the <svg> inline. dot gives the <svg> a fixed size in points; fitted_svg makes it as wide as the
output area but never wider than that size (the viewBox keeps its shape, so the height follows),
and never narrower than the width at which its 10 pt text reads 9 px: a wider drawing scrolls
sideways in its block (overflow-x: auto) instead of shrinking its text below that.
"""

from __future__ import annotations

import hashlib
import html
import math
import re

from autograd.draw.text import safe

SVG_SIZE = re.compile(r'<svg width="([0-9.]+)pt" height="[0-9.]+pt"')
VIEW_BOX = re.compile(r'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) [0-9.]+"')
SMALLEST_TEXT = 0.9  # px per viewBox unit at the narrowest: dot's 10 pt text reads 9 px
SCROLLS = "max-width: 100%; overflow-x: auto"  # a block whose drawing may be wider than it
COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def fitted_svg(svg: str) -> str:
    """dot's SVG text as an inline <svg> element that scales down to the width of its container:
    no XML prolog, doctype or comments; width 100% up to its natural width, height automatic."""
    start = svg.find("<svg")
    svg = COMMENT.sub("", svg[start:] if start >= 0 else svg)
    box = VIEW_BOX.search(svg)
    least = f" min-width: {math.ceil(float(box.group(1)) * SMALLEST_TEXT) + 1}px;" if box else ""
    return SVG_SIZE.sub(rf'<svg width="100%" style="max-width: \1pt;{least} height: auto"', svg,
                        count=1)


def message_html(text: str) -> str:
    """A short message in place of a drawing (Graphviz missing, dot failed)."""
    return f'<pre style="white-space: pre-wrap">{html.escape(text)}</pre>'


def graph_html(svg: str) -> str:
    """A drawn graph for Jupyter's text/html: its fitted inline <svg> in a block of its own."""
    return f'<div class="chainrule-graph" style="{SCROLLS}">{fitted_svg(svg)}</div>'


# ---- the step-through of draw_backward ----

CAPTION_STYLE = "white-space: pre-wrap; font: 13px/1.4 sans-serif; margin: 0.4em 0"
# Runs where the block is inserted: JupyterLab, Notebook 7 and VS Code run the scripts of a
# trusted output, an exported page runs them as it loads. It finds its block around itself
# (document.currentScript), else by id; running it twice does no harm. Until it runs, the
# first frame shows and the controls stay hidden.
SCRIPT = """(function () {
  var me = document.currentScript;
  var root = (me && me.closest && me.closest(".chainrule-steps")) || document.getElementById("%s");
  var frames = root.querySelectorAll(".chainrule-frame");
  var slider = root.querySelector(".chainrule-slider");
  var where = root.querySelector(".chainrule-where");
  function show(k) {
    k = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) frames[i].style.display = i === k ? "" : "none";
    slider.value = String(k);
    where.textContent = k + " / " + (frames.length - 1);
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  root.querySelector(".chainrule-back").onclick = function () { show(Number(slider.value) - 1); };
  root.querySelector(".chainrule-next").onclick = function () { show(Number(slider.value) + 1); };
  root.querySelector(".chainrule-controls").style.display = "flex";
  show(0);
})();"""


def caption_html(caption: str, lines: int = 0) -> str:
    """A frame's caption as an HTML block (lines kept, text escaped), at least `lines` lines
    high."""
    text = html.escape(safe(caption))
    height = f"; min-height: {1.4 * lines:.1f}em" if lines else ""
    return f'<div class="chainrule-caption" style="{CAPTION_STYLE}{height}">{text}</div>'


def frame_html(caption: str, picture: str, k: int = 0, lines: int = 0) -> str:
    """Frame k: its picture (fitted inline SVG, or a message), then its caption, at least
    `lines` lines high; every frame but the first starts hidden. The picture comes first and
    every caption takes the room of the longest, so nothing moves from frame to frame."""
    hidden = ' style="display: none"' if k else ""
    return (f'<div class="chainrule-frame" data-frame="{k}"{hidden}>'
            f'<div style="{SCROLLS}">{picture}</div>{caption_html(caption, lines)}</div>')


def steps_html(captions: list[str], pictures: list[str]) -> str:
    """The self-contained step-through: every frame (caption and inline SVG), the first one
    shown; a slider and ◀ ▶ buttons that a few lines of inline JavaScript connect; and, for a
    page without JavaScript, every caption in a <noscript>. Nothing is loaded from anywhere.
    The same frames give the same bytes (the block's id is a digest of its content)."""
    digest = hashlib.sha256("\n".join(captions + pictures).encode("utf-8", "replace"))
    block_id = "chainrule-steps-" + digest.hexdigest()[:16]
    last = len(pictures) - 1
    controls = (  # sticky: a graph taller than the screen scrolls under them, they stay
        '<div class="chainrule-controls" style="display: none; align-items: center; gap: 0.5em;'
        ' font: 13px sans-serif; position: sticky; top: 0; z-index: 1; padding: 0.25em 0;'
        ' background: var(--jp-layout-color0, white)">'
        '<button type="button" class="chainrule-back" title="previous step">◀</button>'
        f'<input type="range" class="chainrule-slider" min="0" max="{last}" value="0" step="1"'
        ' aria-label="step" style="flex: 1 1 auto; min-width: 6em">'
        '<button type="button" class="chainrule-next" title="next step">▶</button>'
        f'<span class="chainrule-where">0 / {last}</span></div>')
    lines = max((caption.count("\n") + 1 for caption in captions), default=0)
    frames = "".join(frame_html(caption, picture, k, lines)
                     for k, (caption, picture) in enumerate(zip(captions, pictures)))
    plain = "".join(caption_html(caption) for caption in captions)
    return (f'<div class="chainrule-steps" id="{block_id}" style="max-width: 100%">'
            f"{controls}{frames}<noscript>{plain}</noscript>"
            f"<script>{SCRIPT % block_id}</script></div>")
