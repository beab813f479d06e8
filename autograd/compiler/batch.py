"""The batch backend's code: a traced graph written over numpy arrays, one number per sample.

>>> from autograd import Value
>>> from autograd.compiler.tracing import trace
>>> w = Value(0.5, label="w")
>>> source, indices = generate(trace(lambda x: (w * x).tanh(), (2.0,)))
>>> print(source[source.index("def run"):])
def run(theta, A, backward=False):
    # forward pass: every variable holds one number per sample (A's columns are the samples)
    w = theta[0]
    x = A[0]
    mul2 = w * x
    tanh3 = np.tanh(mul2)
    if not backward:
        return tanh3, []
    # backward pass: g_v = d(tanh3)/d(v) per sample; parameters' gradients summed over the batch
    ones = np.ones(A.shape[1])
    grad = np.zeros(len(theta))
    g_tanh3 = ones
    # tanh3 = tanh(mul2):  d/d(mul2) = 1 - tanh(mul2)²
    g_mul2 = g_tanh3 * (1 - tanh3 * tanh3)
    # mul2 = w * x:  d/d(w) = x,  d/d(x) = w
    grad[0] += np.sum(g_mul2 * x)
    return tanh3, [], grad
<BLANKLINE>

It is the scalar program of autograd.compiler.codegen written a second way: each node's line
is its row applied to array symbols (autograd.compiler.arrays: the row's `array` form, np.tanh
for tanh), and the backward pass is the same walk, autograd.backprop.backpropagate, over the
same graph, with arrays for floats. A parameter's gradient is the sum over the batch of its
per-sample gradients (per_sample=True keeps them apart: grad has a column per sample).

Where the graph has layers (autograd.compiler.layers: affine nodes sharing one input vector),
a layer is one matrix product, Z = W @ Y + b over the batch, an activation one op on the whole
matrix, and their backward the course's: g_Y = W.T @ g_Z to the layer below, and for W the
outer products summed over the batch, g_Z @ Y.T, one matrix product each. Nodes outside any
layer run op by op, reading single rows of the matrices (Z[2]) where they need them.
"""

from __future__ import annotations

import math

from autograd.backprop import NOTHING, topological_order_of
from autograd.compiler.codegen import _count, _identifier, _literal, _Namer, _reaches_free_leaf
from autograd.compiler.layers import Vector, find_vectors, membership
from autograd.compiler.tracing import Tape


class Part:
    """A node of the batch program: one array (a node of the tape, or a row slice of A) or a
    matrix (a vector of nodes, its weights or biases, a stack of rows)."""

    def __init__(self, kind: str, name: str, parents: tuple = (), **details):
        self.kind, self.name, self.parents = kind, name, parents
        self.details = details
        self.grad: object = NOTHING

    def __repr__(self) -> str:
        return f"<{self.kind} {self.name}>"


class Plan:
    """The parts of tape's batch program, their names, and how the code refers to a node."""

    def __init__(self, tape: Tape, layers: bool = True):
        self.tape, self.nodes = tape, tape.nodes
        self.vectors = find_vectors(tape.nodes) if layers else []
        self.member = membership(self.vectors)
        self.namer = _Namer()
        self.namer.taken |= {"np", "theta", "A", "grad", "ones"}
        self.reaches = _reaches_free_leaf(tape.nodes)
        self.theta_order = _theta_order(tape, self.vectors)  # theta[i] is leaf theta_order[i]
        self.slot = {leaf: i for i, leaf in enumerate(self.theta_order)}
        self.parts: dict[object, Part] = {}
        self.vector_parts: dict[int, Part] = {}
        for i in range(len(self.vectors)):
            self.vector_part(i)
        roots = [self.owner(k) for k in (tape.output, *(tape.aux or ()))]
        self.order = topological_order_of(roots)

    # ---- naming and references ----

    def ref(self, k: int) -> str:
        """How code refers to node k's array: a name, a constant's literal, or a row Z[j]."""
        if k in self.member:
            i, j = self.member[k]
            return f"{self.vector_part(i).name}[{j}]"
        node = self.nodes[k]
        return _literal(node.number) if node.kind == "constant" else self.owner(k).name

    def owner(self, k: int) -> Part:
        """The part that computes node k: its vector's, else its own."""
        if k in self.member:
            return self.vector_part(self.member[k][0])
        if k not in self.parts:
            self.parts[k] = self._node_part(k)
        return self.parts[k]

    def _node_part(self, k: int) -> Part:
        node = self.nodes[k]
        if node.kind == "argument":
            return Part("argument", self.namer.unique(_identifier(self.tape.argument_names[
                node.index])), index=node.index, position=k)
        if node.kind == "constant":
            return Part("constant", _literal(node.number), position=k)
        name = self.namer.unique(_identifier(node.label or (
            "p" if node.kind == "free" else f"{node.op.function_name}{k}")))
        if node.kind == "free":
            return Part("free", name, index=self.slot[node.index], position=k)
        return Part("op", name, tuple(self.owner(p) for p in node.parents), position=k)

    def vector_part(self, i: int) -> Part:
        """The part that computes vector i (made on first use: a layer's input may be a vector
        found after it)."""
        if i not in self.vector_parts:
            self.vector_parts[i] = self._vector_part(self.vectors[i])
        return self.vector_parts[i]

    def _vector_part(self, vector: Vector) -> Part:
        first = self.nodes[vector.rows[0]]
        name = self.namer.unique(_matrix_name(first.label, f"{first.op.function_name}"
                                                             f"{vector.rows[0]}"))
        if vector.kind == "map":
            parents = tuple(self.vector_part(p) if kind == "vector" else self.owner(p)
                            for kind, p in vector.parents)
            return Part("map", name, parents, vector=vector)
        weights = self._leaves_part("weights", vector.weights, "W")
        biases = self._leaves_part("biases", vector.biases, "b")
        return Part("layer", name, (self._input_part(vector), weights, biases), vector=vector)

    def _leaves_part(self, kind: str, positions: list, default: str) -> Part:
        first = positions[0][0] if kind == "weights" else positions[0]
        label = self.nodes[first].label
        name = _matrix_name(label, default) if kind == "weights" else \
            _identifier(label.split("[")[0]) if "[" in label else default
        name = self.namer.unique(name)
        start = self.slot[self.nodes[first].index]
        shape = (len(positions), len(positions[0])) if kind == "weights" else (len(positions),)
        return Part(kind, name, start=start, stop=start + math.prod(shape), shape=shape)

    def _input_part(self, vector: Vector) -> Part:
        """Y of Z = W @ Y + b: a vector as it is, a slice of A, or the rows stacked."""
        inputs = vector.inputs
        for i, other in enumerate(self.vectors):
            if other.rows == list(inputs):
                return self.vector_part(i)
        kinds = [self.nodes[k] for k in inputs]
        start = kinds[0].index
        if all(n.kind == "argument" for n in kinds) and \
                [n.index for n in kinds] == list(range(start, start + len(kinds))):
            return Part("slice", self.namer.unique("X"), start=start, stop=start + len(kinds))
        return Part("stack", self.namer.unique("Y"), tuple(self.owner(k) for k in inputs),
                    inputs=inputs)


def _theta_order(tape: Tape, vectors: list[Vector]) -> list[int]:
    """The free leaves (their indices in tape.free_leaves) in the order theta holds them: each
    layer's weights row by row, then its biases (so W is theta[a:b].reshape(rows, inputs)), then
    the other free leaves."""
    order = []
    for vector in vectors:
        if vector.kind == "layer":
            order += [tape.nodes[p].index for row in vector.weights for p in row]
            order += [tape.nodes[p].index for p in vector.biases]
    placed = set(order)
    return order + [i for i in range(len(tape.free_leaves)) if i not in placed]


def _matrix_name(label: str, default: str) -> str:
    """A matrix's name from its first row's label, as the course writes it: z2[1] -> Z2."""
    stem = label.split("[")[0] if "[" in label else ""
    return _identifier(stem[:1].upper() + stem[1:]) if stem else _identifier(default.upper())


def generate(tape: Tape, per_sample: bool = False, layers: bool = True) -> tuple[str, list]:
    """The module that runs tape's graph over a batch, `run(theta, A, backward=False)`, and the
    order theta holds the free leaves' numbers in (positions in tape.free_leaves: each layer's
    parameters are one block). A holds one row per argument and one column per sample."""
    plan = Plan(tape, layers)
    from autograd.compiler.batch_lines import backward_lines, forward_lines, header
    value = plan.ref(tape.output)
    aux = f"[{', '.join(plan.ref(k) for k in (tape.aux or ()))}]"
    gradient = "one column per sample" if per_sample else "summed over the batch"
    body = [
        "def run(theta, A, backward=False):",
        "    # forward pass: every variable holds one number per sample (A's columns are the "
        "samples)",
        *forward_lines(plan),
        "    if not backward:",
        f"        return {value}, {aux}",
        f"    # backward pass: g_v = d({value})/d(v) per sample; parameters' gradients {gradient}",
        "    ones = np.ones(A.shape[1])",
        "    grad = np.zeros((len(theta), A.shape[1]))" if per_sample else
        "    grad = np.zeros(len(theta))",
        *backward_lines(plan, per_sample),
        f"    return {value}, {aux}, grad",
        "",
    ]
    return "\n".join([*header(plan, _count), *body]), plan.theta_order
