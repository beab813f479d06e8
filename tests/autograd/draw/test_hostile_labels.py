"""Any label draws: control characters, NUL, lone surrogates, markup and escapes, 100,000
characters. dot never fails, its SVG is valid XML, and the label reads as written (a character
SVG cannot hold is shown escaped: ␀, \\udc80); a label over 200 characters is shortened with …
in its box and whole in its tooltip."""

import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, draw_backward, draw_graph, scope
from autograd.draw.text import MAX_NAME, shown

pytestmark = pytest.mark.needs_dot

SVG, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}"


def drawn(label: str) -> tuple[list[str], list[str]]:
    """A leaf and a scope named label, and the leaf's double labelled "2" + label, drawn and
    rendered by dot: the SVG parsed as XML, as (every text shown, every tooltip)."""
    x = Value(1.5, label=label)
    with scope(label or "scope"):
        y = x * 2
        y.label = "2" + label
    z = y.tanh()
    z.backward()
    root = ElementTree.fromstring(draw_graph(z).svg().encode("utf-8"))
    texts = ["".join(t.itertext()).replace("\xa0", " ") for t in root.iter(SVG + "text")]
    titles = [a.get(XLINK + "title").replace("\xa0", " ") for a in root.iter(SVG + "a")]
    return texts, titles


HOSTILE = {
    "every C0 control and DEL": "".join(map(chr, range(32))) + "\x7f",
    "NUL in a word": "a\x00b",
    "C1 controls": "\x80\x85\x9f",
    "lone surrogates": "lone \udc80 and \ud800",
    "XML noncharacters": "\ufffe\uffff",
    "entity": "&amp;",
    "entities and markup": "&lt;b&gt; <b>bold</b> <<TABLE>> &#38; &",
    "escString escapes": "\\N \\G \\E \\T \\H \\L \\n \\l \\r \\\\ \\",
    "quotes": "say \"hi\" 'there' \\\"",
    "record syntax": "{a|b} <port> [x]",
    "a line of brackets": "]]",
    "emoji and right-to-left": "😀 ∂ \u202eevil\u202c שלום",
}


@pytest.mark.parametrize("label", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_label_draws_as_written_or_escaped(label):
    """The boxes and the cluster show the label as written or escaped."""
    texts, titles = drawn(label)
    assert texts.count(shown(label)) == 2 and texts.count("2" + shown(label)) == 1
    assert any(title.startswith(f"{shown(label)} = 1.5000 (leaf)") for title in titles)


def test_ampersand_entity_shows_as_its_five_characters():
    """&amp; is not decoded anywhere: the box and the tooltip show the five characters."""
    texts, titles = drawn("&amp;")
    assert "&amp;" in texts and "2&amp;" in texts and "&" not in texts
    assert "&amp; = 1.5000 (leaf)\n∂L/∂&amp; = ∂L/∂2&amp; · ∂2&amp;/∂&amp;" in "\n".join(titles)


def test_a_100k_label_is_shortened_in_its_box_and_whole_in_its_tooltip():
    """100,000 characters: 199 and … in the box (and the cluster), all of it in the tooltip."""
    label = "".join(chr(ord("a") + k % 26) for k in range(100_000))
    texts, titles = drawn(label)
    short = label[:MAX_NAME - 1] + "…"
    assert texts.count(short) == 2 and ("2" + label)[:MAX_NAME - 1] + "…" in texts
    assert all(len(text) <= MAX_NAME for text in texts)
    whole = [t for t in titles if label in t]
    assert len(whole) == 2  # each labelled Value's own tooltip
    assert whole[0].startswith(f"{short} is short for the label {label}\n{short} = 1.5000")


def test_a_label_of_200_characters_is_kept_whole():
    """Exactly 200 characters is not shortened."""
    texts, _ = drawn("x" * 200)
    assert texts.count("x" * 200) == 2 and "2" + "x" * 198 + "…" in texts


def test_the_step_through_of_a_hostile_label_is_valid_html():
    """The step-through's captions escape the label too (no raw control character or <b>)."""
    x = Value(1.5, label="<b>\x00&amp;")
    block = draw_backward((x * 2).tanh())._repr_html_()
    assert "&lt;b&gt;␀&amp;amp;" in block and "<b>" not in block and "\x00" not in block


# Any code point, surrogates included (drawn as integers: no Unicode tables to build), and
# more often one that DOT, XML or a record would trip over.
HARD = "\x00\x07\t\n\r\x1b\x7f\x85\xa0 \\\"'&;<>{}|[]()#\ud800\udfff\ufffe\uffff\u202e…"
CHARACTERS = st.one_of(st.sampled_from(HARD), st.integers(0, 0x10FFFF).map(chr))


@settings(max_examples=40)
@given(st.lists(CHARACTERS, max_size=260).map("".join))
def test_any_text_draws_as_valid_svg(label):
    """Hypothesis text over every code point, up to 260 characters: dot renders it, the SVG
    parses as XML, and the boxes show the label shown and shortened."""
    texts, titles = drawn(label)
    if label.strip():  # (a label of spaces shows nothing to compare)
        name = shown(label)
        name = name if len(name) <= MAX_NAME else name[:MAX_NAME - 1] + "…"
        name = name.replace("\xa0", " ").strip()  # dot writes runs of spaces with nbsp
        assert [t.strip() for t in texts].count(name) >= 2  # the leaf, the cluster (an op: "*")
        assert any(shown(label).replace("\xa0", " ") in title for title in titles)
