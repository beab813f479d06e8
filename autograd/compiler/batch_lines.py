"""The lines of a batch program (see autograd.compiler.batch): its header, forward, backward.

The backward pass is autograd.backprop.backpropagate run over the program's parts, as the scalar
program's is run over the tape: each part's gradient is written as a line once complete, and
its (parent, local derivative) pairs come from its row (a matrix's from autograd.compiler.arrays).
"""

from __future__ import annotations

from autograd.backprop import NOTHING, backpropagate, scratch_gradients
from autograd.compiler import arrays
from autograd.compiler.arrays import ArraySymbol, RowTerms, as_array
from autograd.compiler.codegen import _comment, derivative_comment


def header(plan, count) -> list[str]:
    """The module's docstring: what it computes and what it reads."""
    tape = plan.tape
    layers = sum(v.kind == "layer" for v in plan.vectors)
    return [
        f"'''{tape.name}({', '.join(tape.argument_names)}) over a batch, compiled by "
        "autograd.compile: the forward pass,",
        "then backpropagation, on numpy arrays with one number per sample.",
        "",
        f"{count(sum(n.kind == 'op' for n in tape.nodes), 'op')}, "
        f"{count(layers, 'layer')} as matrix products; theta holds the "
        f"{count(len(tape.free_leaves), 'free leaf', 'free leaves')}' numbers, A one row per "
        "argument.",
        "run returns the output and the aux values (one number per sample); with backward=True",
        "also grad, d(output)/d(theta). np is numpy, in the module's namespace.",
        "'''",
        "",
    ]


# ---- the forward pass ----


def forward_lines(plan) -> list[str]:
    """One line per part, under a comment naming each new scope."""
    lines, scope = [], ""
    for part in plan.order:
        text = _forward(plan, part)
        if text is None:
            continue
        where = _scope(plan, part)
        if where and where != scope:
            lines.append(f"    # {_comment(where)}")
            scope = where
        lines.append(f"    {part.name} = {text}")
    return lines


def _forward(plan, part) -> str | None:
    """The expression that computes part (None for a constant, written where it is used)."""
    kind, d = part.kind, part.details
    if kind == "argument":
        return f"A[{d['index']}]"
    if kind == "free":
        return f"theta[{d['index']}]"
    if kind == "weights":
        return f"theta[{d['start']}:{d['stop']}].reshape{d['shape']}"
    if kind == "biases":
        return f"theta[{d['start']}:{d['stop']}]"
    if kind == "slice":
        return f"A[{d['start']}:{d['stop']}]"
    if kind == "stack":
        return f"np.stack(({', '.join(plan.ref(k) for k in d['inputs'])},))"
    if kind == "layer":
        y, w, b = part.parents
        return f"{w.name} @ {y.name} + {b.name}[:, None]"
    if kind == "map":
        return d["vector"].op(*_map_inputs(plan, part)).text
    if kind == "op":
        node = plan.nodes[d["position"]]
        return node.op(*(ArraySymbol(plan.ref(p)) for p in node.parents)).text
    return None


def _map_inputs(plan, part) -> list[ArraySymbol]:
    """A map's inputs: the whole matrix for a vector, the shared node's array otherwise."""
    return [ArraySymbol(parent.name) if kind == "vector" else ArraySymbol(plan.ref(p))
            for (kind, p), parent in zip(part.details["vector"].parents, part.parents)]


def _scope(plan, part) -> str:
    """The scope of the node part computes; for a matrix, its first row's outer scope."""
    if "position" in part.details and part.kind == "op":
        return plan.nodes[part.details["position"]].scope
    if "vector" in part.details:
        return plan.nodes[part.details["vector"].rows[0]].scope.split(" / ")[0]
    return ""


# ---- the backward pass ----


def backward_lines(plan, per_sample: bool) -> list[str]:
    """backpropagate over the parts, from a seed of ones (one per sample)."""
    tape, lines = plan.tape, []
    seed: object = ArraySymbol("ones")
    if tape.output in plan.member:  # the output is a row of a matrix
        seed = RowTerms(rows={plan.member[tape.output][1]: [seed]})

    def edges(part) -> list[tuple[object, object]]:
        if part.grad is NOTHING:
            return []
        return _EDGES[part.kind](plan, part, lines, per_sample)

    with scratch_gradients(plan.order, {plan.owner(tape.output): seed}):
        backpropagate(plan.order, edges=edges)
    return lines


def _leaf(plan, part, lines: list[str], per_sample: bool) -> list:
    total = as_array(part.grad).text
    if part.kind == "free":
        at = part.details["index"]
        lines.append(f"    grad[{at}] += {total if per_sample else f'np.sum({total})'}")
    else:  # weights or biases, a block of theta: their terms are summed over the batch already
        d = part.details
        block = f"grad[{d['start']}:{d['stop']}]"
        if part.kind == "biases":
            lines.append(f"    {block} += {total}")
        elif per_sample:
            lines.append(f"    {block} += ({total}).reshape({d['stop'] - d['start']}, -1)")
        else:
            lines.append(f"    {block} += ({total}).ravel()")
    return []


def _op(plan, part, lines: list[str], per_sample: bool) -> list:
    node = plan.nodes[part.details["position"]]
    refs = [plan.ref(p) for p in node.parents]
    lines.append(f"    g_{part.name} = {as_array(part.grad).text}")
    lines.append(f"    # {derivative_comment(node.op, refs, part.name)}")
    part.grad = ArraySymbol(f"g_{part.name}")
    local = node.op.local_derivatives(tuple(map(ArraySymbol, refs)), ArraySymbol(part.name))
    return [_into(plan, p, d) for p, d in zip(node.parents, local)
            if plan.reaches[p] and not _zero(d)]


def _map(plan, part, lines: list[str], per_sample: bool) -> list:
    vector = part.details["vector"]
    _matrix_gradient(part, lines, len(vector.rows))
    inputs = _map_inputs(plan, part)
    names = [x.text for x in inputs]
    lines.append(f"    # {derivative_comment(vector.op, names, part.name)}")
    local = vector.op.local_derivatives(tuple(inputs), ArraySymbol(part.name))
    pairs = []
    for (kind, p), parent, d in zip(vector.parents, part.parents, local):
        if _zero(d):
            continue
        if kind == "vector" and _reaches(plan, parent):
            pairs.append((parent, arrays.whole(d)))
        elif kind == "shared" and plan.reaches[p]:
            pairs.append(_into(plan, p, arrays.summed_over_rows(d)))
    return pairs


def _layer(plan, part, lines: list[str], per_sample: bool) -> list:
    y, w, b = part.parents
    _matrix_gradient(part, lines, len(part.details["vector"].rows))
    z = part.name
    lines.append(f"    # {z} = {w.name} @ {y.name} + {b.name}:  d/d({w.name}) = {y.name}ᵀ "
                 f"(g_{z} @ {y.name}.T: outer products summed over the batch),  d/d({y.name}) = "
                 f"{w.name} (g_{y.name} = {w.name}.T @ g_{z}),  d/d({b.name}) = 1")
    pairs = [(w, arrays.outer_products(y.name, per_sample)), (b, arrays.bias_sum(per_sample))]
    if _reaches(plan, y):
        pairs.append((y, arrays.whole(arrays.transposed_matrix(w.name))))
    return pairs


def _stack(plan, part, lines: list[str], per_sample: bool) -> list:
    inputs = part.details["inputs"]
    _matrix_gradient(part, lines, len(inputs))
    return [_into(plan, p, arrays.row_of(k)) for k, p in enumerate(inputs) if plan.reaches[p]]


def _matrix_gradient(part, lines: list[str], size: int) -> None:
    """The lines that sum a matrix's gradient (its RowTerms), then name it g_<name>."""
    lines.extend(f"    {line}" for line in part.grad.lines(f"g_{part.name}", part.name, size))
    part.grad = ArraySymbol(f"g_{part.name}")


def _into(plan, p: int, local: object) -> tuple[object, object]:
    """(the part that computes node p, local): into its row, where p is a row of a matrix."""
    if p in plan.member:
        return plan.owner(p), arrays.into_row(plan.member[p][1], local)
    return plan.owner(p), local


def _reaches(plan, part) -> bool:
    """Whether a gradient through part can reach a free leaf."""
    if part.kind == "stack":
        return any(plan.reaches[p] for p in part.details["inputs"])
    if "vector" in part.details:
        return any(plan.reaches[k] for k in part.details["vector"].rows)
    if part.kind in ("weights", "biases"):
        return True
    return part.kind != "slice" and plan.reaches[part.details["position"]]


def _zero(local: object) -> bool:
    text = local.text if isinstance(local, ArraySymbol) else repr(local)
    return text in ("0", "0.0")


def _none(plan, part, lines: list[str], per_sample: bool) -> list:
    return []


_EDGES = {"free": _leaf, "weights": _leaf, "biases": _leaf, "op": _op, "map": _map,
          "layer": _layer, "stack": _stack, "argument": _none, "constant": _none, "slice": _none}
