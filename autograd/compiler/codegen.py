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
    tanh3 = tanh(mul2)
    if not backward:
        return tanh3
    # backward pass: g_v = d(tanh3)/d(v), from the output back to the leaves
    g_tanh3 = 1.0
    # tanh3 = tanh(mul2):  d/d(mul2) = 1 - tanh(mul2)²
    g_mul2 = g_tanh3 * (1 - tanh3 * tanh3)
    # mul2 = w * x:  d/d(w) = x,  d/d(x) = w
    leaves[0].grad += g_mul2 * x
    return tanh3
<BLANKLINE>

Each line is the op's row (autograd.ops) applied to symbols (autograd.symbols): its code
template, or a call of its function from autograd.compiler.runtime, and its derivative as
written in the row, so the float results match the dynamic engine's bit for bit; the backward
pass adds into each node in the same order as Value.backward (reverse topological order). It
leaves out what cannot reach a free leaf (the arguments and constants get no gradient) and the
local derivatives that are 0 by definition (detached_max, x ** 0).
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata
from functools import cache

from autograd import ops
from autograd.backprop import NOTHING, backpropagate, scratch_gradients
from autograd.compiler.tracing import Node, Tape
from autograd.symbols import Symbol, as_symbol

# An n-ary op with more inputs than this is a call of its function, not one long expression
# (CPython's compiler overflows on one expression of a few thousand terms).
INLINE_INPUTS = 100
_RESERVED = {"leaves", "backward", "run", *dir(builtins), *keyword.kwlist, *keyword.softkwlist}


def generate(tape: Tape) -> str:
    """The module that runs tape's graph: `run(leaves, *arguments, backward=False)`."""
    names, arguments = _names(tape)
    output = _ref(names, tape, tape.output)
    returned = output
    if tape.aux is not None:  # has_aux: the value, then the aux Values' numbers as a list
        returned = f"{output}, [{', '.join(_ref(names, tape, k) for k in tape.aux)}]"
    body = [
        f"def run({', '.join(['leaves', *arguments, 'backward=False'])}):",
        "    # forward pass: one line per node",
        *_forward_lines(tape, names),
        "    if not backward:",
        f"        return {returned}",
        f"    # backward pass: g_v = d({output})/d(v), from the output back to the leaves",
        *_backward_lines(tape, names),
        f"    return {returned}",
        "",
    ]
    return "\n".join([*_header(tape, arguments), *_imports(body), *body])


def _header(tape: Tape, arguments: list[str]) -> list[str]:
    """The module's docstring (what it computes, what it reads) and its imports."""
    count = {kind: sum(n.kind == kind for n in tape.nodes) for kind in ("free", "constant", "op")}
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
    ]


def _imports(body: list[str]) -> list[str]:
    """The import of every runtime function the body calls: the ops' function names (no local
    name is ever one of them, see _Namer) found before an opening parenthesis. A function name
    is a word (letters, digits, _; ASCII or not) that Python reads as written
    (autograd.ops.function_name_for), so this finds σ( as it finds tanh(."""
    runtime = set(ops.runtime_functions())
    called = set(re.findall(r"(?<!\w)(\w+)\(", "\n".join(body)))
    functions = sorted(called & runtime)
    if not functions:
        return [""]
    return [f"from autograd.compiler.runtime import {', '.join(functions)}", "", ""]


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
        default = "p" if node.kind == "free" else f"{node.op.function_name}{k}"
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
    """label as a plain Python name, as Python itself reads names (NFKC, so 𝐱 is x): other
    characters become _, a leading digit gets v_. No label can change the code around it."""
    name = unicodedata.normalize("NFKC", label)
    if not name.isidentifier():
        name = unicodedata.normalize("NFKC", re.sub(r"\W+", "_", name).strip("_")) or "v"
    return name if name.isidentifier() and not name[0].isdigit() else f"v_{name}"


class _Namer:
    """Hands out distinct local names: name, then name_2, name_3, ... (never a builtin, a
    keyword or a name the generated code uses). No name starts with g_, so g_<name> is free
    for its gradient."""

    def __init__(self) -> None:
        # the runtime's functions too: a node labelled "tanh" must not hide tanh()
        self.taken = _RESERVED | set(ops.runtime_functions())
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


# ---- the forward pass ----


def _forward_lines(tape: Tape, names: list[str | None]) -> list[str]:
    """One line per node, under a comment naming each new scope."""
    lines, pending, scope = [], [], ""
    for k in _forward_order(tape):
        node = tape.nodes[k]
        if node.kind == "free":
            pending.append(f"    {names[k]} = leaves[{node.index}].data")
            continue
        if node.scope != scope and node.scope:
            lines.append(f"    # {_comment(node.scope)}")
        scope = node.scope
        lines += [*pending, f"    {names[k]} = {_forward(tape, names, k)}"]
        pending = []
    return lines + pending


def _forward(tape: Tape, names: list[str | None], k: int) -> str:
    """The expression that computes node k: its row applied to symbols (see autograd.symbols),
    which writes the row's code template, or a call of the op's runtime function."""
    node = tape.nodes[k]
    inputs = [Symbol(_ref(names, tape, p)) for p in node.parents]
    if len(inputs) <= INLINE_INPUTS:
        text = node.op(*inputs).text
        constants = tuple(i for i, p in enumerate(node.parents)
                          if tape.nodes[p].kind == "constant")
        if constants and node.op.code is None and not node.op.finite_derivative:
            # the engine checks no derivative with respect to a constant (ops.Op.at): nor here
            text = f"{text[:-1]}, constants={constants!r})"
        return text
    lines = [", ".join(x.text for x in inputs[start:start + INLINE_INPUTS])
             for start in range(0, len(inputs), INLINE_INPUTS)]
    return f"{node.op.function_name}(\n        " + ",\n        ".join(lines) + ",\n    )"


def _comment(text: str) -> str:
    """text on one line, safe after a #: control characters (a newline) and the line and
    paragraph separators (which linecache, splitting lines for tracebacks, also breaks at)
    become spaces."""
    if text.isprintable():  # the common case: nothing to replace
        return text
    return "".join(" " if unicodedata.category(ch) in _LINE_BREAKING else ch for ch in text)


_LINE_BREAKING = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # categories C*, and Zl, Zp


# ---- the backward pass ----


def _backward_lines(tape: Tape, names: list[str | None]) -> list[str]:
    """The backward pass: autograd.backprop.backpropagate run on symbols over the traced graph,
    so the code adds the same terms in the same order as backward() does. Each gradient is
    written as a line once complete, g_<name> = <its terms summed> (a free leaf's as
    leaves[i].grad += ...), under which a comment gives the node's local derivatives."""
    reaches = _reaches_free_leaf(tape.nodes)
    position = {v: k for k, v in enumerate(tape.values)}
    lines: list[str] = []

    def edges(value) -> list[tuple[object, object]]:
        """Called as value's gradient is complete: write its line, name it g_<name>, and give
        (parent, d value/d parent as a symbol) for each parent a gradient must reach."""
        k = position[value]
        node = tape.nodes[k]
        if value.grad is NOTHING:
            return []
        total = as_symbol(value.grad)
        if node.kind == "free":
            lines.append(f"    leaves[{node.index}].grad += {total.text}")
        if node.kind != "op":
            return []
        value.grad = Symbol(f"g_{names[k]}")
        lines.extend([f"    {value.grad.text} = {total.text}",
                      f"    # {_derivative_comment(tape, names, k)}"])
        inputs = tuple(Symbol(_ref(names, tape, p)) for p in node.parents)
        local_grads = node.op.local_derivatives(inputs, Symbol(names[k]))
        return [(parent, local) for parent, p, local in zip(value.parents, node.parents,
                                                           local_grads)
                if reaches[p] and _text(local) not in ("0", "0.0")]

    with scratch_gradients(tape.values, {tape.values[tape.output]: 1.0}):
        backpropagate(tape.values, edges=edges)
    return lines


def _reaches_free_leaf(nodes: list[Node]) -> list[bool]:
    """Whether a node depends on a free leaf through ops whose derivatives are not all 0."""
    reaches: list[bool] = []
    for node in nodes:
        through = node.kind == "op" and not _all_zero(node.op, len(node.parents))
        reaches.append(node.kind == "free" or (through and any(reaches[p] for p in node.parents)))
    return reaches


def _all_zero(op: ops.Op, arity: int) -> bool:
    """Whether every local derivative of op is 0 by definition (detached_max, x ** 0)."""
    return _zero_derivative(op, op.derivative, arity)


@cache  # by the derivative function too: an op defined again under its name is a new one
def _zero_derivative(op: ops.Op, derivative, arity: int) -> bool:
    inputs = tuple(Symbol(f"x{i}") for i in range(arity))
    return all(_text(d) in ("0", "0.0") for d in op.local_derivatives(inputs, Symbol("y")))


def _text(local: object) -> str:
    return local.text if isinstance(local, Symbol) else repr(local)


def _derivative_comment(tape: Tape, names: list[str | None], k: int) -> str:
    """`y = f(x):  d/d(x) = ...`, from the op's row: how drawings write it."""
    node = tape.nodes[k]
    return derivative_comment(node.op, [_ref(names, tape, p) for p in node.parents], names[k])


def derivative_comment(op: ops.Op, a: list[str], y: str) -> str:
    """`y = f(a):  d/d(a_i) = ...` for op's node y of inputs a (the batch code's comments too)."""
    indices = range(len(a)) if len(a) <= 3 else [0, 1, len(a) - 1]
    shown = [f"d/d({a[i]}) = {op.derivative_text(i, a, y)}" for i in indices]
    if len(a) > 3:
        shown.insert(2, "…")
    return _comment(f"{y} = {op.shown_text(a)}:  " + ",  ".join(shown))
