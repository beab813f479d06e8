"""Any text a user can put in a label, made safe to draw: visible, not too long, escaped for DOT.

>>> shown("a\\x00b\\tc\\udc80")        # control characters as their pictures, a surrogate by code
'a␀b␉c\\\\udc80'
>>> name = shortened("x" * 500); len(name), name[-2:]
(200, 'x…')
>>> print(dot_text('say "hi" \\\\N & <b>\\nnext line'))
say "hi" \\\\N &amp; <b>\\nnext line
>>> print(html_text('<b> & \\\\N'))
&lt;b&gt; &amp; \\\\N

Graphviz reads an escString: a backslash starts an escape (\\N is the node's name, \\n a line
break) and an entity such as &amp; becomes its character. dot_text escapes both, so the text
reads back exactly as written; graphviz.quote then escapes the quotes. html_text does the same
for the cells of an HTML-like label. Every character the drawing keeps is one that SVG (XML 1.0)
allows, so no label can make dot fail or its SVG invalid.
"""

from __future__ import annotations

import html
import unicodedata

MAX_NAME = 200  # a label longer than this is shortened with … in its node; its tooltip has it all
CHUNK = 8000  # the longest run of characters written on one line of a DOT string
XML_NONCHARACTERS = ("\ufffe", "\uffff")  # not allowed anywhere in an XML 1.0 document


def shown(text: str) -> str:
    """text with every character SVG cannot hold made visible: a control character (C0, DEL)
    as its Unicode picture (␀, ␉, ␊, ␡), other controls and lone surrogates as \\xNN or \\uNNNN.
    Everything else, including any other Unicode, is kept as written."""
    if text.isprintable():  # the common case: nothing to replace (no controls, no surrogates)
        return text
    return "".join(map(_shown_character, text))


def _shown_character(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟, the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    category = unicodedata.category(ch)
    if category == "Cc":  # the C1 controls
        return f"\\x{code:02x}"
    if category == "Cs" or ch in XML_NONCHARACTERS:
        return f"\\u{code:04x}"
    return ch


def shortened(text: str, limit: int = MAX_NAME) -> str:
    """text itself if it has at most limit characters, else its first limit - 1 and "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe(text: str) -> str:
    """Text (a tooltip, a caption) whose lines are kept but whose other characters are shown."""
    return "\n".join(shown(line) for line in str(text).replace("\r\n", "\n").split("\n"))


def dot_text(text: str, line_end: str = "\\n", tooltip: bool = False) -> str:
    """text as the inside of a DOT string that Graphviz reads back as text: & written &amp;,
    each line break written line_end ("\\n" centres lines, "\\l" aligns left), and each
    backslash doubled, or for a tooltip written four times: dot unescapes a tooltip twice
    (its line breaks, then \\N and the like). The text must already be safe (see safe): it
    may hold line breaks, no other controls."""
    backslash = "\\" * (4 if tooltip else 2)
    escaped = text.replace("\\", backslash).replace("&", "&amp;").replace("\n", line_end)
    if len(escaped) <= CHUNK:
        return escaped
    # dot's scanner refuses a run of more than 16384 characters inside a string; a backslash
    # before a line break continues the string (the scanner drops both), so break it up
    return "\\\n".join(escaped[k:k + CHUNK] for k in range(0, len(escaped), CHUNK))


def html_text(text: str) -> str:
    """text for a cell of an HTML-like label, read back as written: shown, then XML-escaped,
    with backslashes doubled (dot would read \\N in a cell as the node's name) and brackets as
    character references (dot joins a line of only ]s to the next one)."""
    escaped = html.escape(shown(text)).replace("\\", "\\\\")
    return escaped.replace("[", "&#91;").replace("]", "&#93;")
