"""The name a Value goes by on a drawing: its label, its value, or what it computes.

>>> from autograd import Value, topological_order
>>> x = Value(3.0, label="x")
>>> y = (x * 2).tanh() + x * 0.25
>>> list(node_names(topological_order(y), y).values())
['x', '2', 'x * 2', 'tanh(x * 2)', '0.25', 'x * 0.25', 'L']

- a label is the name, as written (control characters shown as ␀, ␉, ...; over 200
  characters shortened with …);
- an unlabelled root is L, the quantity backward() differentiates;
- an unlabelled leaf is a constant, named by its value (two constants 2 share the name 2);
- any other Value is named by what it computes, from its parents' names: "x * 2",
  "tanh(x * 2)"; past 24 characters the longest computed parts become …, as in "exp(… + -1)".

A label that several Values share is told apart by a superscript counting them in order, as
the course counts samples: z1[1]⁽¹⁾, z1[1]⁽²⁾ (an MLP called on two samples); a computed name
met again gets ⁽²⁾, ⁽³⁾, ... So no name is ever an internal counter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from autograd.draw.text import shortened, shown
from autograd.ops import Op
from autograd.value import Value

MAX_COMPUTED = 16  # a name made from what a Value computes is abbreviated past this length
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
INDEXES = re.compile(r"\[[^\[\]]*\]")  # w1[2,1]: what is between brackets is part of the name
OPERATORS = frozenset("+-*/·^()=,")
INFIX = frozenset(("+", "-", "*", "/", "**"))  # a node made by hand with one of these as op


def node_names(order: Sequence[Value], root: Value, root_is_l: bool = True) -> dict[Value, str]:
    """A name for every Value of order (root's topological order), as its node, its tooltips
    and a step's caption show it; see the module docstring. root_is_l=False keeps "L" for a
    Value beyond the drawing (backward() started further on)."""
    labels = Counter(v.label for v in order if v.label)
    seen: Counter = Counter()
    taken: set[str] = set()
    names: dict[Value, str] = {}
    for v in order:
        if v.label:
            seen[v.label] += 1
            name = label_name(v.label)
            if labels[v.label] > 1:
                name += numbered(seen[v.label])
        elif v is root and root_is_l and "L" not in labels:
            name = "L"
        elif not v.parents:
            names[v] = compact(v.data)  # constants of equal value may share a name
            continue
        else:
            name = computed_name(v, names)
        names[v] = unused(name, taken)
        taken.add(names[v])
    return names


def label_name(label: str) -> str:
    """A label as a name: every character visible, at most 200 characters."""
    return shortened(shown(str(label)))


def numbered(k: int) -> str:
    """The superscript that tells the k-th of several equal names apart: ⁽²⁾."""
    return f"⁽{k}⁾".translate(SUPERSCRIPT)


def unused(name: str, taken: set[str]) -> str:
    """name, or if it is taken, name⁽²⁾, name⁽³⁾, ...: the first that is not."""
    if name not in taken:
        return name
    k = 2
    while name + numbered(k) in taken:
        k += 1
    return name + numbered(k)


def computed_name(value: Value, names: dict[Value, str]) -> str:
    """What value computes, in its parents' names ("x * 2"), at most MAX_COMPUTED characters:
    until it fits, the longest parts that are themselves computed become …, then the longest
    of the others ("max(z2[1], …)"); only then is the text cut."""
    arguments = [names[p] for p in value.parents]
    computed = [i for i, p in enumerate(value.parents) if p.parents and not p.label]
    others = [i for i in range(len(arguments)) if i not in computed]
    text = formula(value.op, arguments)
    for replaceable in (computed, others):
        while len(text) > MAX_COMPUTED and replaceable:
            longest = max(replaceable, key=lambda i: (len(arguments[i]), i))  # ties: the last
            replaceable.remove(longest)
            arguments[longest] = "…"
            text = formula(value.op, arguments)
    return shortened(text, MAX_COMPUTED)


def formula(op, names: list[str]) -> str:
    """What op computes, written with its inputs' names (its row's shown text): "x * (a + b)";
    an op written as a call, f(x), needs no parentheses around an input: "exp(a + b)". An op
    without a row (a node made as Value(data, children, op)) is written as its name's call,
    or between its two inputs if its name is an operator: "a * b" (a learner's own engine)."""
    if not isinstance(op, Op):
        if op in INFIX and len(names) in (1, 2):  # one: a + a, its child kept once in a set
            return f" {op} ".join(symbol(name) for name in names * (3 - len(names)))
        return f"{op}({', '.join(names)})"
    if op.shown is None:
        return op.shown_text(names)
    return op.shown_text([symbol(name) for name in names])


def compact(x: float) -> str:
    """x in few characters (%g: 6 significant digits), as constants are named; both zeros are 0.

    >>> compact(2.0), compact(0.25), compact(-1.0), compact(-0.0), compact(1 / 3)
    ('2', '0.25', '-1', '0', '0.333333')
    """
    return f"{0.0 if x == 0.0 else x:g}"


def symbol(name: str) -> str:
    """name, in parentheses if it has spaces or operators, so that ∂L/∂(a + b) reads right.
    Indexes (w1[2,1]) and a call around everything (tanh(z1[1])) need none.

    >>> symbol("a + b"), symbol("w1[2,1]"), symbol("tanh(z1[1])"), symbol("-1"), symbol("…")
    ('(a + b)', 'w1[2,1]', 'tanh(z1[1])', '(-1)', '…')
    """
    bare = INDEXES.sub("", name)
    if is_call(bare):
        return name
    if any(ch.isspace() or ch in OPERATORS for ch in bare):
        return f"({name})"
    return name


def without_doubled_parentheses(text: str) -> str:
    """text with each pair of parentheses that sits directly inside another pair dropped: a
    parenthesized name put in a call's parentheses reads f(a + b), not f((a + b)).

    >>> without_doubled_parentheses("1 - tanh((x * 2))²"), without_doubled_parentheses("((a))")
    ('1 - tanh(x * 2)²', '(a)')
    >>> without_doubled_parentheses("f((a + b) * (c))")
    'f((a + b) * (c))'
    """
    openings, closing = [], {}
    for k, ch in enumerate(text):
        if ch == "(":
            openings.append(k)
        elif ch == ")" and openings:
            closing[openings.pop()] = k
    doubled = {k for k, end in closing.items()
               if text[k - 1:k] == "(" and closing.get(k - 1) == end + 1}
    dropped = doubled | {closing[k] for k in doubled}
    return "".join(ch for k, ch in enumerate(text) if k not in dropped)


def is_call(text: str) -> bool:
    """text is f(...) as a whole: a name, then parentheses that close at its very end."""
    start = text.find("(")
    if start <= 0 or not text.endswith(")") or not text[:start].isidentifier():
        return False
    depth = 0
    for k, ch in enumerate(text[start:], start):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return k == len(text) - 1
    return False
