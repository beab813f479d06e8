"""The words on a drawn graph: node names, forward formulas, local derivatives, chain-rule sums.

>>> from autograd import Value
>>> x, w = Value(0.5, label="x"), Value(-1.5, label="w")
>>> z = x * w; z.label = "z"
>>> names = node_names([x, w, z], z)
>>> forward_text(z, names)
'z = x * w = -0.7500'
>>> local_text(z, 0, names)
'∂z/∂x = w = -1.5000'
>>> chain_rule_text("L", "x", [("z", 0.42, -1.5)], 0.42 * -1.5)
'∂L/∂x = ∂L/∂z · ∂z/∂x = 0.4200 × -1.5000 = -0.6300'

Every number is shown by four_decimals (4 decimals; what rounds to zero reads 0.0000, never
-0.0000) and every constant is named by compact (%g: 2, 0.25). Everything here is plain text
(no DOT, no HTML): autograd.draw escapes it where it is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd.backprop import NOTHING, backpropagate, scratch_gradients
from autograd.draw.names import compact, node_names, symbol, without_doubled_parentheses
from autograd.draw.names import formula as names_formula
from autograd.draw.text import MAX_NAME, shortened, shown
from autograd.ops import Op
from autograd.value import Value

__all__ = ["chain_rule_text", "compact", "drawn_chain_rule", "forward_text", "four_decimals",
           "gradient_text",
           "local_text", "node_names", "op_symbol", "pass_seeds", "symbol",
           "uses_in_backward_order", "whole_label"]

MAX_TERMS = 6  # a chain-rule sum longer than this is abbreviated in the tooltip


def four_decimals(x: float) -> str:
    """x as every number on a drawing is shown, with 4 decimals; what rounds to 0 reads 0.0000.

    Never -0.0000: neither -0.0 (as from 0.0 * -1.5) nor round-off such as -1.1e-16 (the
    gradient of softmax's shift, which is 0 in exact arithmetic) should show a learner a sign.

    >>> four_decimals(-0.0), four_decimals(-1.1e-16), four_decimals(-1.5), four_decimals(2 / 3)
    ('0.0000', '0.0000', '-1.5000', '0.6667')
    """
    text = f"{x:.4f}"
    return "0.0000" if text == "-0.0000" else text


def op_symbol(op: str) -> str:
    """The text in an op's small node: its row's symbol, such as "*", "tanh", "σ" (an op
    without a row, made the lecture's way as Value(data, children, op), shows its name)."""
    return shortened(shown(str(getattr(op, "symbol", op))), 40)


def forward_text(value: Value, names: dict[Value, str]) -> str:
    """How the Value was computed, with its number: "z = x * w = -0.7500", "x = 0.5000 (leaf)"."""
    name, parents = names[value], value.parents
    if not parents:
        named_by_value = not value.label and name == compact(value.data)
        kind = "leaf without a label, named by its value" if named_by_value else "leaf"
        return f"{name} = {four_decimals(value.data)} ({kind})"
    formula = names_formula(value.op, [names[p] for p in parents])
    if formula == name:  # named by what it computes: say it once
        return f"{name} = {four_decimals(value.data)}"
    return f"{name} = {formula} = {four_decimals(value.data)}"


def whole_label(value: Value, names: dict[Value, str]) -> str:
    """A line giving value's label in full when its name shortens it (over 200 characters),
    else "": the first line of its own tooltip."""
    whole = shown(str(value.label)) if value.label else ""
    return f"{names[value]} is short for the label {whole}\n" if len(whole) > MAX_NAME else ""


def _local_formula(value: Value, index: int, names: dict[Value, str]) -> str | None:
    """∂value/∂parent as a formula in the names (its row's formula), or None where it is
    just a number, or value was made by hand (micrograd's way: no row)."""
    if not isinstance(value.op, Op):
        return None
    arguments = [symbol(names[p]) for p in value.parents]
    formula = value.op.local_formula(index, arguments, symbol(names[value]))
    return formula and without_doubled_parentheses(formula)


def local_text(value: Value, index: int, names: dict[Value, str]) -> str:
    """The local derivative ∂value/∂(its parent number `index`): "∂z/∂x = w = -1.5000"."""
    out, parent = symbol(names[value]), symbol(names[value.parents[index]])
    if len(value.local_grads) != len(value.parents):
        return (f"∂{out}/∂{parent}: not known yet (made by hand as Value(data, children, op): "
                "assign its _backward)")
    formula = _local_formula(value, index, names)
    number = four_decimals(value.local_grads[index])
    if not isinstance(value.op, Op):
        return f"∂{out}/∂{parent} = {number} (read off its _backward, written by hand)"
    return f"∂{out}/∂{parent} = {formula} = {number}" if formula else f"∂{out}/∂{parent} = {number}"


def chain_rule_text(top: str, name: str, terms: Sequence[tuple[str, float, float]],
                    total: float) -> str:
    """∂top/∂name as the chain rule's sum over uses, with numbers.

    terms: (consumer's name, ∂top/∂consumer, ∂consumer/∂name) for every use, in the order added.

    >>> print(chain_rule_text("L", "a", [("b", 1.0, 2.0), ("c", 1.0, 3.0)], 5.0))
    ∂L/∂a = ∂L/∂b · ∂b/∂a + ∂L/∂c · ∂c/∂a = 1.0000 × 2.0000 + 1.0000 × 3.0000 = 5.0000
    """
    top, name = symbol(top), symbol(name)
    numbers = [f"{four_decimals(upstream)} × {four_decimals(local)}"
               for _, upstream, local in terms]
    if len(terms) <= MAX_TERMS:
        uses = " + ".join(f"∂{top}/∂{symbol(c)} · ∂{symbol(c)}/∂{name}" for c, _, _ in terms)
        products = " + ".join(numbers)
    else:
        uses = f"Σ over its {len(terms)} uses c of ∂{top}/∂c · ∂c/∂{name}"
        products = " + ".join(numbers[:3]) + f" + … ({len(terms) - 3} more terms)"
    return f"∂{top}/∂{name} = {uses} = {products} = {four_decimals(total)}"


def uses_in_backward_order(order: Sequence[Value]) -> dict[Value, list[tuple[Value, int]]]:
    """For each Value, its uses (consumer, parent index), in the order backward() adds them.

    backward() visits consumers in reverse topological order and, within one, parents in order;
    summing in that same order reproduces its floats exactly.
    """
    uses: dict[Value, list[tuple[Value, int]]] = {v: [] for v in order}
    for consumer in reversed(order):
        for index, parent in enumerate(consumer.parents):
            uses[parent].append((consumer, index))
    return uses


def pass_seeds(order: Sequence[Value], uses: dict, root: Value) -> dict[int, Value | None]:
    """For each backward pass that reached the drawing: the Value it started from, if drawn.

    A pass's seed is the one Value it reached with no use reached by the same pass, and with the
    seed gradient 1 (a leaf: only the root, whose grad may add earlier passes). None: the pass
    started beyond the drawing.
    """
    candidates: dict[int, list[Value]] = {}
    for v in order:
        p = v.backward_pass
        if p and not any(c.backward_pass == p for c, _ in uses[v]):
            candidates.setdefault(p, []).append(v)
    seeds: dict[int, Value | None] = {}
    for p, found in candidates.items():
        seed = found[0]
        seeded = seed.grad == 1.0 if seed.parents else seed is root
        seeds[p] = seed if len(found) == 1 and seeded else None
    return seeds


def drawn_chain_rule(order: Sequence[Value], uses: dict) -> tuple[dict, dict]:
    """What the chain rule added up for the drawing, pass by pass: for each backward pass that
    reached it, the walk of autograd.backprop.backpropagate over the Values the pass reached,
    started from the gradients stored on those whose drawn uses it did not reach (its seed,
    or Values used only beyond the drawing). Returns each Value's terms (consumer, ∂L/∂consumer,
    ∂consumer/∂value), in the order added, and each sum."""
    terms: dict[Value, list] = {v: [] for v in order}
    sums: dict[Value, float] = {}
    passes: dict[int, list[Value]] = {}
    for v in order:
        if v.backward_pass:
            passes.setdefault(v.backward_pass, []).append(v)
    for p, reached in passes.items():
        tops = {v: v.grad for v in reached if not any(c.backward_pass == p for c, _ in uses[v])}
        record: list = []
        with scratch_gradients(reached, tops):
            backpropagate(reached, record=record)
            sums.update((v, v.grad) for v in reached if v not in tops and v.grad is not NOTHING)
        for consumer, upstream, parent, local, _, _ in record:
            terms[parent].append((consumer, upstream, local))
    return terms, sums


def gradient_text(value: Value, names: dict[Value, str], seeds: dict,
                  terms: dict, sums: dict) -> str:
    """The chain-rule equation of value.grad in the latest backward pass that reached it.

    ∂L/∂value = Σ over its uses c of ∂L/∂c · ∂c/∂value, from drawn_chain_rule (terms, sums); a
    line more when value.grad also holds something the drawing does not show (earlier passes,
    other uses).
    """
    name, p = names[value], value.backward_pass
    if p == 0:
        return "grad not computed yet (call backward())"
    seed = seeds.get(p)
    if not terms[value] and seed is value:
        text, total = f"∂{symbol(name)}/∂{symbol(name)} = 1: backward() started here", 1.0
    elif not terms[value]:
        return f"{name}.grad = {four_decimals(value.grad)}, from uses beyond this drawing"
    else:
        numbers = [(names[c], upstream, local) for c, upstream, local in terms[value]]
        top = names[seed] if seed is not None else "L"
        text, total = chain_rule_text(top, name, numbers, sums[value]), sums[value]
    if math.isclose(total, value.grad, rel_tol=1e-9, abs_tol=1e-12):
        return text  # (a collapsed group's sums may differ from backward()'s in the last bit)
    return text + "\n" + _grad_beyond_this_pass(value, name, seed)


def _grad_beyond_this_pass(value: Value, name: str, seed: Value | None) -> str:
    """Why value.grad differs from the sum this drawing shows for the latest pass."""
    grad = four_decimals(value.grad)
    if value.parents or seed is None:
        return f"{name}.grad = {grad} also holds uses beyond this drawing"
    if value.grad == 0.0:
        return f"{name}.grad = {grad}: set to 0 since that backward() (zero_grad)"
    return (f"{name}.grad = {grad} also holds earlier backward() passes "
            "(a leaf's grad adds up until it is set to 0, e.g. by zero_grad)")
