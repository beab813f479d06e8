"""Layers as matrices: the pass that finds, in a traced graph, the nodes that are one vector.

>>> from autograd import Value, affine
>>> from autograd.compiler.tracing import trace
>>> W1 = [[Value(0.1 * (i + j)) for j in range(2)] for i in range(3)]   # 3 neurons, 2 inputs
>>> b1 = [Value(0.0) for _ in range(3)]
>>> w2, b2 = [Value(0.5) for _ in range(3)], Value(0.1)
>>> def net(x1, x2):
...     y1 = [affine(w, [x1, x2], b).tanh() for w, b in zip(W1, b1)]   # a layer, then tanh
...     return affine(w2, y1, b2)                                       # a layer of one
>>> tape = trace(net, (0.5, 1.0))
>>> [(v.kind, len(v.rows)) for v in find_vectors(tape.nodes)]
[('layer', 3), ('layer', 1), ('map', 3)]

The course writes a layer as Z = W Y + b: its neurons' affine nodes z_i = Σ_j w_ij y_j + b_i
all read the same inputs y_1..y_n. Such a group (affine nodes with the same inputs, in the same
order, whose weights and biases are distinct free leaves) is a "layer" vector: one matrix
product over the batch. A "map" vector is a group of nodes that apply one op row by row to a
vector: y_i = tanh(z_i), or e_i = exp(z_i + m) with m shared by every row (an input that is
not a row of a vector is the same for all rows, and comes before them all, so no cycle can
form). Every vector of a family (a layer and the maps made from it) lists its rows in one
order: that of the first node that reads all of them as a list (the next layer's inputs, a
softmax's max), so the next layer takes the matrix as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd import ops
from autograd.compiler.tracing import Node


@dataclass
class Vector:
    """Nodes of the tape computed as one matrix, a row each (rows: positions in the tape).

    kind     "layer": Z = W @ Y + b, with inputs (the positions of Y's rows), weights (per row,
             the positions of its w_j) and biases;  "map": op applied row by row, parents
             saying for each of the op's inputs ("vector", i) (row j of vector i) or
             ("shared", position) (one node for every row)
    family   the layer every vector of the family comes from (their rows are aligned)
    """

    kind: str
    rows: list[int]
    family: int
    op: ops.Op | None = None
    inputs: tuple[int, ...] = ()
    weights: list[list[int]] = field(default_factory=list)
    biases: list[int] = field(default_factory=list)
    parents: tuple = ()


def find_vectors(nodes: list[Node]) -> list[Vector]:
    """The layers of the graph and the maps over them, rows ordered as their consumers read them."""
    vectors = _layers(nodes)
    while _add_maps(nodes, vectors):
        pass
    _order_rows(nodes, vectors)
    return vectors


def membership(vectors: list[Vector]) -> dict[int, tuple[int, int]]:
    """For each tape position in a vector: (which vector, which row)."""
    return {k: (i, j) for i, vector in enumerate(vectors) for j, k in enumerate(vector.rows)}


def _layers(nodes: list[Node]) -> list[Vector]:
    """Affine nodes grouped by their inputs, where weights and biases are distinct free leaves."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, node in enumerate(nodes):
        if node.kind == "op" and node.op is ops.AFFINE and len(node.parents) >= 3:
            n = (len(node.parents) - 1) // 2
            leaves = (*node.parents[:n], node.parents[-1])
            if all(nodes[p].kind == "free" for p in leaves):
                groups.setdefault(node.parents[n:2 * n], []).append(k)
    vectors, used = [], set()
    for inputs, rows in groups.items():
        n = len(inputs)
        weights = [list(nodes[k].parents[:n]) for k in rows]
        biases = [nodes[k].parents[-1] for k in rows]
        leaves = [p for row in weights for p in row] + biases
        # each leaf in one layer, once: a layer's parameters are one block of theta
        if len(set(leaves)) == len(leaves) and used.isdisjoint(leaves):
            used.update(leaves)
            vectors.append(Vector("layer", rows, len(vectors), inputs=inputs, weights=weights,
                                  biases=biases))
    return vectors


def _add_maps(nodes: list[Node], vectors: list[Vector]) -> bool:
    """One round of finding maps over the vectors known so far; whether any was found."""
    member = membership(vectors)
    candidates: dict[tuple, dict[int, int]] = {}
    for k, node in enumerate(nodes):
        if node.kind != "op" or k in member:
            continue
        shape = _row_shape(node, member, vectors)
        if shape is not None:
            key, row = shape
            candidates.setdefault(key, {}).setdefault(row, k)
    found = False
    for (op, parents), rows in candidates.items():
        first = vectors[next(i for kind, i in parents if kind == "vector")]
        positions = [rows.get(j) for j in range(len(first.rows))]
        if None in positions or len(rows) != len(positions) or len(set(positions)) < len(rows):
            continue
        if any(kind == "shared" and p > min(positions) for kind, p in parents):
            continue  # a shared input computed after some row: it could depend on the rows
        vectors.append(Vector("map", positions, first.family, op=op, parents=parents))
        found = True
    return found


def _row_shape(node: Node, member: dict, vectors: list[Vector]) -> tuple | None:
    """((op, what each input is), row) when every input that is a row of a vector is row j of
    a vector of one family; None when there is no such input or they disagree."""
    parents, row, family = [], None, None
    for p in node.parents:
        if p in member:
            i, j = member[p]
            if row is not None and (j != row or vectors[i].family != family):
                return None
            row, family = j, vectors[i].family
            parents.append(("vector", i))
        else:
            parents.append(("shared", p))
    return None if row is None else ((node.op, tuple(parents)), row)


def _order_rows(nodes: list[Node], vectors: list[Vector]) -> None:
    """Put each family's rows in the order of the first node that reads them all as a list."""
    member = membership(vectors)
    ordered: set[int] = set()
    for node in nodes:
        if node.kind != "op":
            continue
        for listed in _lists_read(node):
            owners = {member.get(p, (None, None))[0] for p in listed}
            if len(owners) != 1 or None in owners:
                continue
            vector = vectors[owners.pop()]
            if vector.family in ordered or len(set(listed)) != len(listed) or \
                    len(listed) != len(vector.rows):
                continue
            ordered.add(vector.family)
            permutation = [member[p][1] for p in listed]
            for other in vectors:
                if other.family == vector.family:
                    _permute(other, permutation)


def _lists_read(node: Node) -> list[tuple[int, ...]]:
    """The lists of inputs a node reads: an affine node's x_1..x_n, any other node's parents."""
    if node.op is ops.AFFINE and len(node.parents) >= 3:
        n = (len(node.parents) - 1) // 2
        return [node.parents[n:2 * n]]
    return [node.parents] if len(node.parents) > 1 else []


def _permute(vector: Vector, permutation: list[int]) -> None:
    vector.rows = [vector.rows[j] for j in permutation]
    if vector.kind == "layer":
        vector.weights = [vector.weights[j] for j in permutation]
        vector.biases = [vector.biases[j] for j in permutation]
