"""Code generation for autograd.compile: a traced graph as straight-line Python.

>>> from autograd import Value
>>> from autograd.compiler.tracing import trace
>>> w = Value(0.5, label="w")
>>> source = generate(trace(lambda x: (w * x).tanh(), (2.0,)))
>>> print(source[source.index("def run"):])
def run(leaves, x, backward=False):
    # forward pass: one line per node
    w = leaves[0].data
    mul2 = w * x
    tanh3 = math.tanh(mul2)
    if not backward:
        return tanh3
    # backward pass: g_v = d(tanh3)/d(v), from the output back to the leaves
    g_tanh3 = 1.0
    # tanh3 = tanh(mul2):  d/d(mul2) = 1 - tanh3 ** 2
    g_mul2 = g_tanh3 * (1.0 - tanh3 * tanh3)
    # mul2 = w * x:  d/d(w) = x,  d/d(x) = w
    leaves[0].grad += g_mul2 * x
    return tanh3
<BLANKLINE>

Every local derivative is written exactly as Value computes it, so the float results match the
dynamic engine's bit for bit; the backward pass adds into each node in the same order as
Value.backward (reverse topological order). It leaves out what cannot reach a free leaf (the
arguments and constants get no gradient) and the local derivatives that are 0 by definition
(detached_max, x ** 0).
"""

from __future__ import annotations

import builtins
import keyword
import math
import re

from autograd.compiler.tracing import UNARY_OPS, Node, Tape

TERMS_PER_LINE = 100  # CPython's compiler overflows on one expression of a few thousand terms
_RESERVED = {"leaves", "backward", "run", "math", "exp", "log", "power", "sigmoid",
             *dir(builtins), *keyword.kwlist, *keyword.softkwlist}
_DEFAULT_NAMES = {"+": "add", "*": "mul", "**": "pow", "affine": "affine", "sum": "sum",
                  "max": "max", **{op: op for op in UNARY_OPS}}
_HELPERS = {"**": "power", "exp": "exp", "log": "log", "sigmoid": "sigmoid"}


def generate(tape: Tape) -> str:
    """The module that runs tape's graph: `run(leaves, *arguments, backward=False)`."""
    names, arguments = _names(tape)
    output = _ref(names, tape, tape.output)
    returned = output
    if tape.aux is not None:  # has_aux: the value, then the aux Values' numbers as a list
        returned = f"{output}, [{', '.join(_ref(names, tape, k) for k in tape.aux)}]"
    return "\n".join([
        *_header(tape, arguments),
        f"def run({', '.join(['leaves', *arguments, 'backward=False'])}):",
        "    # forward pass: one line per node",
        *_forward_lines(tape, names),
        "    if not backward:",
        f"        return {returned}",
        f"    # backward pass: g_v = d({output})/d(v), from the output back to the leaves",
        *_backward_lines(tape, names),
        f"    return {returned}",
        "",
    ])


def _header(tape: Tape, arguments: list[str]) -> list[str]:
    """The module's docstring (what it computes, what it reads) and its imports."""
    count = {kind: sum(n.kind == kind for n in tape.nodes) for kind in ("free", "constant", "op")}
    helpers = sorted({_HELPERS[n.op] for n in tape.nodes if n.op in _HELPERS})
    return [
        f"'''{tape.name}({', '.join(arguments)}), compiled by autograd.compile: its forward pass, "
        "then backpropagation",
        "written out, one line per node and one comment per op.",
        "",
        f"{_count(count['op'], 'op')}, {_count(len(arguments), 'argument')}, "
        f"{_count(count['free'], 'free leaf', 'free leaves')} (leaves[i], read at call time), "
        f"{_count(count['constant'], 'constant')}.",
        *(["run(leaves, ...) returns the output and the aux values; with backward=True it also",
           "adds d(output)/d(leaf) to each free leaf's .grad, as output.backward() would."]
          if tape.aux is not None else
          ["run(leaves, ...) returns the output; with backward=True it also adds d(output)/d(leaf)",
           "to each free leaf's .grad, as output.backward() would."]),
        "'''",
        "",
        *(["import math", ""] if any(n.op == "tanh" for n in tape.nodes) else []),
        *([f"from autograd.compiler.runtime import {', '.join(helpers)}", ""] if helpers else []),
        "",
    ]


def _count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _names(tape: Tape) -> tuple[list[str | None], list[str]]:
    """A local name per node (None for constants: they are written as numbers), and the
    parameter name of each argument. A name is the Value's label made an identifier, else its
    op and position (mul7); arguments are named as fn names them. Names are given in the order
    the forward pass computes the nodes, so the first neuron's w_1 is w_1, the next w_1_2."""
    unique = _Namer().unique
    arguments = [unique(_identifier(name)) for name in tape.argument_names]
    names: list[str | None] = [None] * len(tape.nodes)
    for k, node in enumerate(tape.nodes):
        if node.kind == "argument":
            names[k] = arguments[node.index]
    for k in _forward_order(tape):
        node = tape.nodes[k]
        default = "p" if node.kind == "free" else f"{_DEFAULT_NAMES[node.op]}{k}"
        names[k] = unique(_identifier(node.label or default))
    return names, arguments


def _forward_order(tape: Tape) -> list[int]:
    """The ops in topological order, each free leaf read just before the first op that uses it."""
    order, read = [], set()
    for k, node in enumerate(tape.nodes):
        if node.kind == "op":
            for p in node.parents:
                if tape.nodes[p].kind == "free" and p not in read:
                    read.add(p)
                    order.append(p)
            order.append(k)
    for k in (tape.output, *(tape.aux or ())):  # returned as it is, used by no op: read at the end
        if tape.nodes[k].kind == "free" and k not in read:
            read.add(k)
            order.append(k)
    return order


def _identifier(label: str) -> str:
    """label as a Python identifier: other characters become _, a leading digit gets v_."""
    name = label if label.isidentifier() else re.sub(r"\W+", "_", label).strip("_") or "v"
    return f"v_{name}" if name[0].isdigit() else name


class _Namer:
    """Hands out distinct local names: name, then name_2, name_3, ... (never a builtin, a
    keyword or a name the generated code uses). No name starts with g_, so g_<name> is free
    for its gradient."""

    def __init__(self) -> None:
        self.taken = set(_RESERVED)
        self.next_suffix: dict[str, int] = {}

    def unique(self, name: str) -> str:
        name = f"v{name}" if name.startswith("g_") else name
        suffix = self.next_suffix.get(name, 1)
        candidate = name if suffix == 1 else f"{name}_{suffix}"
        while candidate in self.taken:
            suffix += 1
            candidate = f"{name}_{suffix}"
        self.next_suffix[name] = suffix + 1
        self.taken.add(candidate)
        return candidate


def _ref(names: list[str | None], tape: Tape, k: int) -> str:
    """How the code refers to node k's number: its local name, or a constant's literal."""
    node = tape.nodes[k]
    return names[k] if node.kind != "constant" else _literal(node.number)


def _literal(x: float) -> str:
    """A float as Python source: repr, except float('inf') and friends; whole powers as ints."""
    return repr(x) if math.isfinite(x) else f"float({repr(x)!r})"


def _exponent_literal(c: float) -> str:
    return str(int(c)) if c.is_integer() and abs(c) < 2**53 else _literal(c)


# ---- the forward pass ----


def _forward_lines(tape: Tape, names: list[str | None]) -> list[str]:
    """One line per node (very long sums: a few), under a comment naming each new scope."""
    lines, pending, scope = [], [], ""
    for k in _forward_order(tape):
        node = tape.nodes[k]
        if node.kind == "free":
            pending.append(f"    {names[k]} = leaves[{node.index}].data")
            continue
        if node.scope != scope and node.scope:
            lines.append(f"    # {node.scope}")
        scope = node.scope
        lines += pending + [f"    {line}" for line in _forward(tape, names, k)]
        pending = []
    return lines + pending


def _forward(tape: Tape, names: list[str | None], k: int) -> list[str]:
    """The line (or, for very long sums, lines) that computes node k."""
    node, out = tape.nodes[k], names[k]
    a = [_ref(names, tape, p) for p in node.parents]
    if node.op in ("+", "*"):
        return [f"{out} = {a[0]} {node.op} {a[1]}"]
    if node.op == "**":
        return [f"{out} = power({a[0]}, {_exponent_literal(node.number)})"]
    if node.op == "tanh":
        return [f"{out} = math.tanh({a[0]})"]
    if node.op == "relu":
        return [f"{out} = {a[0]} if {a[0]} > 0.0 else 0.0"]
    if node.op in UNARY_OPS:
        return [f"{out} = {node.op}({a[0]})"]
    if node.op == "affine":
        n = len(a) // 2  # parents: w_1 .. w_n, x_1 .. x_n, b
        terms = [f"{a[j]} * {a[n + j]}" for j in range(n)]
        return _chain(out, a[-1], terms, " + ")
    if node.op == "sum":
        return _chain(out, a[0], a[1:], " + ")
    assert node.op == "max", node.op
    return [f"{out} = max({', '.join(chunk)})" if len(chunk) > 1 else f"{out} = {chunk[0]}"
            for chunk in _chunks(a, prefix=out)]


def _chain(out: str, first: str, terms: list[str], joiner: str) -> list[str]:
    """out = first + t1 + t2 + ..., left to right, TERMS_PER_LINE terms a line."""
    return [f"{out} = {joiner.join(chunk)}" for chunk in _chunks([first, *terms], prefix=out)]


def _chunks(items: list[str], prefix: str) -> list[list[str]]:
    """items cut into lines; every line after the first starts from the running result."""
    chunks = [items[:TERMS_PER_LINE]]
    for start in range(TERMS_PER_LINE, len(items), TERMS_PER_LINE - 1):
        chunks.append([prefix, *items[start:start + TERMS_PER_LINE - 1]])
    return chunks


# ---- the backward pass ----


def _backward_lines(tape: Tape, names: list[str | None]) -> list[str]:
    """Reverse topological order; g_<name> holds d(output)/d(node) once it is complete."""
    nodes = tape.nodes
    reaches = _reaches_free_leaf(nodes)
    grads = {k: f"g_{names[k]}" for k in range(len(nodes)) if reaches[k] and nodes[k].kind == "op"}
    started: set[int] = set()

    def add(target: int, amount: str) -> list[str]:
        """Add amount to the target's gradient (or, for a free leaf, to its .grad)."""
        node = nodes[target]
        if node.kind == "free":
            return [f"    leaves[{node.index}].grad += {amount}"]
        if target not in grads:  # an argument, a constant, or nothing below it is a free leaf
            return []
        if target in started:
            return [f"    {grads[target]} += {amount}"]
        started.add(target)
        return [f"    {grads[target]} = {amount}"]

    lines = add(tape.output, "1.0")
    for k in reversed(range(len(nodes))):
        if k not in started:  # no gradient reached it (nothing below is a free leaf, or a max)
            continue
        lines.append(f"    # {_derivative_comment(tape, names, k)}")
        for target, local in zip(nodes[k].parents, _locals(tape, names, k)):
            if local is not None:
                amount = grads[k] if local == "1" else f"{grads[k]} * {local}"
                lines += add(target, amount)
    return lines


def _reaches_free_leaf(nodes: list[Node]) -> list[bool]:
    """Whether a node depends on a free leaf through ops whose derivatives are not all 0."""
    reaches: list[bool] = []
    for node in nodes:
        zero = node.op == "max" or (node.op == "**" and node.number == 0.0)
        reaches.append(node.kind == "free" or (node.kind == "op" and not zero
                                               and any(reaches[p] for p in node.parents)))
    return reaches


def _locals(tape: Tape, names: list[str | None], k: int) -> list[str | None]:
    """d(node k)/d(parent) for each parent, as Python source written as Value computes it:
    "1" for 1, None for a derivative that is 0 by definition."""
    node, y = tape.nodes[k], names[k]
    a = [_ref(names, tape, p) for p in node.parents]
    op = node.op
    if op == "+" or op == "sum":
        return ["1"] * len(a)
    if op == "*":
        return [a[1], a[0]]
    if op == "**":
        c = node.number
        if c == 0.0:
            return [None]
        if c == 2.0:
            return [f"(2.0 * {a[0]})"]  # 2.0 * x ** 1.0, and x ** 1.0 is exactly x
        return [f"({_exponent_literal(c)} * {a[0]} ** {_exponent_literal(c - 1.0)})"]
    if op == "affine":
        n = len(a) // 2  # parents: w_1 .. w_n, x_1 .. x_n, b
        return [*a[n : 2 * n], *a[:n], "1"]
    if op == "max":
        return [None] * len(a)
    return [{"exp": y, "log": f"(1.0 / {a[0]})", "tanh": f"(1.0 - {y} * {y})",
             "sigmoid": f"({y} * (1.0 - {y}))", "relu": f"(1.0 if {a[0]} > 0.0 else 0.0)"}[op]]


def _derivative_comment(tape: Tape, names: list[str | None], k: int) -> str:
    """`y = op(x):  d/d(x) = ...`, the local derivative the lines below multiply by."""
    node, y = tape.nodes[k], names[k]
    a = [_ref(names, tape, p) for p in node.parents]
    op = node.op
    if op in ("+", "*"):
        other = ["1", "1"] if op == "+" else [a[1], a[0]]
        return f"{y} = {a[0]} {op} {a[1]}:  d/d({a[0]}) = {other[0]},  d/d({a[1]}) = {other[1]}"
    if op == "**":
        c = node.number
        return (f"{y} = {a[0]} ** {_exponent_literal(c)}:  d/d({a[0]}) = "
                f"{_exponent_literal(c)} * {a[0]} ** {_exponent_literal(c - 1.0)}")
    if op == "affine":
        return (f"{y} = affine(w, x, {a[-1]}) = Σ_j w_j x_j + {a[-1]}:  d/d(w_j) = x_j,  "
                f"d/d(x_j) = w_j,  d/d({a[-1]}) = 1")
    if op == "sum":
        return f"{y} = sum of {len(a)} terms:  d/d(each term) = 1"
    derivative = {"exp": f"exp({a[0]}) = {y}", "log": f"1 / {a[0]}",
                  "tanh": f"1 - {y} ** 2", "sigmoid": f"{y} * (1 - {y})",
                  "relu": f"1 if {a[0]} > 0 else 0 (relu'(0) is taken as 0)"}[op]
    return f"{y} = {op}({a[0]}):  d/d({a[0]}) = {derivative}"
