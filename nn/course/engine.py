"""The build track's checks (notebook 03b): your own Value, topological order, backward() and
training loop, each tried on cases of the check's own.

>>> from autograd import Value
>>> check_value(Value)       # chainrule's Value has micrograd's shape, and passes
''

Each check returns "" when every case passes, "not done yet: ..." while the body of what it
checks is still `...` (the notebook's hints, folded in tiers, are for when you are stuck), and
otherwise what failed, with a hint at the next thing to look at. No message gives the number
a case expects: the point is to find it.

A learner's Value has micrograd's shape: Value(data, _children=(), _op="", label=""), with
.data, .grad, ._prev (the set of Values it was made from), ._op ("+", "*", "tanh", "exp") and
._backward (adds out.grad times each local derivative to each child's .grad).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

import autograd
from autograd import Value, ops
from nn.course.answers import close

__all__ = ["check_backward", "check_topological_order", "check_training", "check_value",
           "neuron_training"]

METHODS = ("__init__", "__add__", "__mul__", "tanh", "exp")
HINTS_BELOW = "If you are stuck, the hints under the check open one at a time."


def _empty() -> None:
    """A docstring and `...`: a skeleton."""
    ...


def _bare() -> None: ...


def is_skeleton(fn: object) -> bool:
    """fn's body is still `...` (with or without its docstring)."""
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    return code is not None and not code.co_names and code.co_code in (
        _empty.__code__.co_code, _bare.__code__.co_code)


def _first_problem(cases: list[tuple[str, Callable[[], str]]]) -> str:
    """The message of the first case that fails (its exception said kindly), or ""."""
    for doing, case in cases:
        try:
            said = case()
        except RecursionError:
            return (f"{doing}: Python gave up at its recursion limit, about a thousand calls "
                    "deep. A graph can be thousands of nodes deep: do not let a function call "
                    "itself once per node; keep the nodes still to visit in a list of your own.")
        except Exception as error:  # the learner's code: any error is theirs to read
            return f"{doing}: your code raised {type(error).__name__}: {error}{_where(error)}"
        if said:
            return said
    return ""


def _where(error: Exception) -> str:
    """' (in the line `...`)': the line of code the error came from, as the learner wrote it."""
    frames = traceback.extract_tb(error.__traceback__)
    line = frames[-1].line if frames else ""
    return f" (in the line `{line.strip()}`)" if line else ""


# ---- exercise 1: the Value ----

# The learner's four ops, checked against the engine's own rows (autograd.ops): what each
# computes and its local derivatives are read there, not written again here.
ROWS = {"+": ops.ADD, "*": ops.MUL, "tanh": ops.TANH, "exp": ops.EXP}


def _forward(row: ops.Op) -> Callable:
    """f(a, b) -> the row's value at a (and b, for a row of two inputs)."""
    return lambda a, b: row.forward(*(a, b)[:row.arity])


def _local(row: ops.Op) -> Callable:
    """f(a, b, out) -> the row's local derivatives there, one per input."""
    return lambda a, b, out: row.local_derivatives((a, b)[:row.arity], out)


FORWARD = {op: _forward(row) for op, row in ROWS.items()}
LOCAL = {op: _local(row) for op, row in ROWS.items()}
HINT = {
    "+": "how much does a + b change when a changes by a little?",
    "*": "when a changes by a little, a * b changes by that little times which number?",
    "tanh": "tanh's derivative is written with one of the two numbers at hand, its input or "
            "its output: which one does your _backward use?",
    "exp": "the derivative of e^x is a number your node already holds: which one?",
}
SAID = {"+": "a + b", "*": "a * b", "tanh": "a.tanh()", "exp": "a.exp()"}
EARLIER = 0.25  # a child's .grad before a _backward runs: its other uses' shares


def _made(cls, op: str, a, b):
    return {"+": lambda: a + b, "*": lambda: a * b, "tanh": a.tanh, "exp": a.exp}[op]()


def _leaf_case(cls) -> str:
    a = cls(2.0, label="a")
    if not close(getattr(a, "data", None), 2.0) or getattr(a, "grad", None) != 0:
        return "Value(data) must keep data in .data and start .grad at zero."
    if len(a._prev) != 0 or a._op != "" or a.label != "a":
        return "a Value made from a number is a leaf: an empty _prev, _op '' and its label."
    a._backward()  # a leaf's step of the chain rule does nothing
    return "" if a.grad == 0 else "a leaf's _backward must do nothing (it has no children)."


def _forward_case(cls, op: str) -> str:
    a, b = cls(0.5, label="a"), cls(-1.5, label="b")
    out = _made(cls, op, a, b)
    if not all(hasattr(out, name) for name in ("data", "grad", "_prev", "_op", "_backward")):
        return f"{SAID[op]} must return a new Value, not a {type(out).__name__}."
    if not close(out.data, FORWARD[op](a.data, b.data)):
        return f"({SAID[op]}).data is not what {SAID[op]} computes: check its forward line."
    children = {a, b} if ROWS[op].arity == 2 else {a}
    if set(out._prev) != children or out._op != op:
        return (f"{SAID[op]} must remember the Values it was made from in _prev, and its op "
                f"in _op ({op!r}).")
    return ""


def _number_case(cls, op: str) -> str:
    a = cls(0.5, label="a")
    out = _made(cls, op, a, 5.0)
    if close(getattr(out, "data", None), FORWARD[op](0.5, 5.0)):
        return ""
    return f"a {op} a number must work too: make a Value of the number first."


def _local_case(cls, op: str, upstream: float) -> str:
    a, b = cls(0.5, label="a"), cls(-1.5, label="b")
    out = _made(cls, op, a, b)
    a.grad = b.grad = EARLIER  # what other uses of a and b passed on already
    out.grad = upstream
    out._backward()
    got = (a.grad - EARLIER, b.grad - EARLIER)[:ROWS[op].arity]
    want = LOCAL[op](a.data, b.data, out.data)
    if all(close(g, upstream * w) for g, w in zip(got, want)):
        return ""
    if all(close(g + EARLIER, upstream * w) for g, w in zip(got, want)):
        return (f"({SAID[op]})._backward() replaces what its children's .grad held: a child "
                "may be used by other nodes too, whose shares must stay. Add (+=), never "
                "assign.")
    if upstream == 1.0:
        return f"({SAID[op]})._backward() passes the wrong amount to its children. Hint: {HINT[op]}"
    return ("your _backward is right when out.grad is 1 but not otherwise: each child receives "
            "out.grad times the local derivative (the chain rule), whatever out.grad is.")


def _reuse_case(cls, op: str) -> str:
    a = cls(0.5, label="a")
    out = _made(cls, op, a, a)
    out.grad = 1.0
    out._backward()
    want = sum(LOCAL[op](a.data, a.data, out.data))  # both uses' shares: 1 + 1, or a + a
    if close(a.grad, want):
        return ""
    return (f"a node used twice must receive both contributions: in a {op} a, look at what "
            "your _backward does to a.grad the second time it is reached.")


def check_value(cls: type) -> str:
    """Try a learner's Value class: leaves, the forward value, _prev and _op of +, *, tanh and
    exp, each local derivative (with out.grad 1 and not), a node used twice in one op."""
    empty = [name for name in METHODS if is_skeleton(getattr(cls, name, None))]
    if empty:
        return f"not done yet: write the body of {', '.join(empty)}. {HINTS_BELOW}"
    cases = [("making a leaf", lambda: _leaf_case(cls))]
    cases += [(f"computing {SAID[op]}", lambda op=op: _forward_case(cls, op)) for op in FORWARD]
    cases += [(f"computing a {op} 5.0", lambda op=op: _number_case(cls, op)) for op in "+*"]
    cases += [(f"running ({SAID[op]})._backward()", lambda op=op, g=g: _local_case(cls, op, g))
              for g in (1.0, 3.0) for op in FORWARD]
    cases += [(f"a {op} a", lambda op=op: _reuse_case(cls, op)) for op in "+*"]
    return _first_problem(cases)


# ---- exercise 2: the topological order and backward() ----


def _one_op(cls) -> list:
    a, b = cls(0.5, label="a"), cls(-1.5, label="b")
    return [a, b, a * b]


def _chain(cls) -> list:
    a, b, c = cls(0.5, label="a"), cls(-1.5, label="b"), cls(2.0, label="c")
    ab = a * b
    s = ab + c
    return [a, b, c, ab, s, s.tanh()]


def _reused(cls) -> list:
    a = cls(0.5, label="a")
    b = a + a
    c = b * b
    return [a, b, c, c + b]


def _diamond(cls) -> list:
    a, c = cls(0.5, label="a"), cls(-1.5, label="c")
    m = a * c
    x, y = m.tanh(), m.exp()
    return [a, c, m, x, y, x * y]


def _deep(cls) -> list:
    a = cls(0.5, label="a")
    x = a
    for _ in range(max(5000, 2 * sys.getrecursionlimit())):  # deeper than Python's recursion
        x = x * 0.9999 + a
    return [a, x]


CHAIN, REUSED, DIAMOND = ("((a * b) + c).tanh()", "b = a + a; (b * b) + b",
                          "a diamond, m = a * c; m.tanh() * m.exp()")
GRAPHS = {"a * b": _one_op, CHAIN: _chain, REUSED: _reused, DIAMOND: _diamond,
          "a chain of thousands of ops": _deep}


def _reachable(root) -> set[int]:
    """The ids of every node root depends on, found over _prev. No recursion."""
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return seen


def _order_case(fn: Callable, cls: type, build: Callable) -> str:
    root = build(cls)[-1]
    order = fn(root)
    if not isinstance(order, (list, tuple)):
        return f"topological_order must return a list of Values, not a {type(order).__name__}."
    ids = [id(node) for node in order]
    if len(set(ids)) < len(ids):
        return ("a node appears more than once in your order: a node reached along two paths "
                "must be placed once. Remember which nodes you have already visited.")
    if set(ids) != _reachable(root):
        return ("your order leaves out some of the Values the root depends on (or holds others): "
                "follow _prev from every node you visit, not only from the root.")
    position = dict(zip(ids, range(len(ids))))
    if any(position[id(child)] > position[id(node)] for node in order for child in node._prev):
        return ("a node comes before a Value it was made from: add a node to the order only "
                "once everything in its _prev is there.")
    return ""


def _prerequisite(cls: type) -> str:
    said = check_value(cls)
    return f"check_value(Value) finds a problem first: {said}" if said else ""


def check_topological_order(fn: Callable, cls: type) -> str:
    """Try a learner's topological_order(root) on graphs of their Value: one op, a chain, a
    reused node, a diamond, and a chain thousands of ops deep."""
    if is_skeleton(fn):
        return f"not done yet: write the body of topological_order. {HINTS_BELOW}"
    if said := _prerequisite(cls):
        return said
    return _first_problem([(f"ordering {name}", lambda name=name, build=build: _in(
        name, _order_case(fn, cls, build))) for name, build in GRAPHS.items()])


def _in(graph: str, said: str) -> str:
    """said, prefixed with the graph it is about ("" stays "")."""
    return f"in {graph}, {said}" if said else ""


NEXT = {
    CHAIN: "a node may pass its grad on only once its own grad is complete. In which order do "
           "your _backward steps run?",
    REUSED: "a node reached along several paths gets a wrong grad: does every node run its "
            "_backward exactly once, after all the nodes using it?",
    DIAMOND: "a node reached along two paths gets a wrong grad: does every node run its "
             "_backward exactly once?",
}


def _backward_case(fn: Callable, cls: type, name: str, passes: int) -> str:
    mine, reference = GRAPHS[name](cls), GRAPHS[name](Value)
    for _ in range(passes):
        fn(mine[-1])
        reference[-1].backward()
    if not close(mine[-1].grad, reference[-1].grad):
        return ("the gradient never starts: after backward(root), root.grad must hold "
                "d root / d root, and only your backward() can put it there.")
    if all(close(m.grad, r.grad) for m, r in zip(mine, reference)):
        return ""
    if passes > 1:
        leaves = [(m, r) for m, r in zip(mine, reference) if not m._prev]
        if all(close(2 * m.grad, r.grad) for m, r in leaves):
            return ("after a second backward(), the leaves hold one pass's grad, not the sum of "
                    "both: only nodes with a _prev start each pass from zero; leaves add up "
                    "across calls, as in PyTorch.")
        return ("after a second backward(), a grad counts the first pass twice over: every "
                "node with a _prev starts each pass from zero (only leaves add up across calls).")
    return f"in {name}, some grads are not the chain rule's: " + NEXT.get(
        name, "compare with a smaller graph, where you can follow each step on paper.")


def check_backward(fn: Callable, cls: type) -> str:
    """Try a learner's backward(root) on graphs of their Value, against autograd's backward():
    the seed, a chain, a reused node, a diamond, a second backward(), a deep chain."""
    if is_skeleton(fn):
        return f"not done yet: write the body of backward. {HINTS_BELOW}"
    if said := _prerequisite(cls):
        return said
    cases = [(f"backward on {name}", lambda name=name: _backward_case(fn, cls, name, 1))
             for name in GRAPHS]
    cases.insert(-1, ("a second backward", lambda: _backward_case(fn, cls, CHAIN, 2)))
    return _first_problem(cases)


# ---- exercise 3: training a neuron ----


def neuron_losses(xs: list, ds: list, w: list, b: float, rate: float, steps: int) -> list:
    """The losses of `steps` steps of gradient descent on y = tanh(w · x + b), with
    loss = (1/T) Σ_t ½ (y_t − d_t)², each taken before its step: autograd's, for comparison."""
    return neuron_training(xs, ds, w, b, rate, steps)[0]


def neuron_training(xs: list, ds: list, w: list, b: float, rate: float,
                    steps: int) -> tuple[list, list]:
    """(the losses of neuron_losses, the parameters w_1, ..., w_n, b they end with, as floats):
    a learner's run that matches the losses ends with the same parameters."""
    parameters = [Value(v) for v in (*w, b)]
    losses = []
    for _ in range(steps):
        *weights, bias = parameters
        loss = Value(0.0)
        for x, d in zip(xs, ds):
            y = (sum((wi * xi for wi, xi in zip(weights, x)), Value(0.0)) + bias).tanh()
            loss = loss + (y - d) * (y - d) * (0.5 / len(xs))
        gradients = autograd.grad(loss, parameters)  # no .grad touched: nothing to zero
        for p, g in zip(parameters, gradients):
            p.data -= rate * g.data
        losses.append(loss.data)
    return losses, [p.data for p in parameters]


def check_training(losses: object, xs: list, ds: list, w: list, b: float, rate: float,
                   steps: int) -> str:
    """Compare a learner's losses, loss for loss, with neuron_losses on the same data."""
    if losses is None:
        return f"not done yet: fill in the training loop. {HINTS_BELOW}"
    if not isinstance(losses, (list, tuple)) or len(losses) != steps:
        return "losses must be a list holding one loss (a float) per step, in order."
    reference = neuron_losses(xs, ds, w, b, rate, steps)
    for k, (mine, theirs) in enumerate(zip(losses, reference)):
        if close(mine, theirs):
            continue
        if k == 0:
            return ("your first loss is not the specified neuron's: check the forward pass, "
                    "y = tanh(w · x + b), and the loss, ½ (y − d)² averaged over the samples.")
        agree = "your first loss agrees" if k == 1 else f"your first {k} losses agree"
        return (f"{agree}, then they part: look at what changes between two steps. The "
                "update moves each parameter against its grad, scaled by the rate; and leaves "
                "keep adding up their grads across backward() calls.")
    return ""
