"""A number that remembers how it was computed, and backward(): the chain rule through it.

>>> x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
>>> y = (x * w + b).tanh()
>>> y.backward()
>>> round(y.data, 4), round(w.grad, 4)
(0.8483, 0.1402)
"""

from __future__ import annotations

import math
from typing import Union

from autograd import backprop, fast, ops
from autograd.micrograd_names import MicrogradNames, made_by_hand
from autograd.node import Node, leaf, node
from autograd.numbers import real_number
from autograd.recording import current_scope

Operand = Union["Value", float, int]


class Value(Node, MicrogradNames):
    """A real number in a computation graph.

    data         the number (a float)
    grad         d(root)/d(this) after root.backward() (a float, 0.0 until then)
    label        a name for printing and drawing
    op           the row of autograd.ops that computed it ("" for a leaf)
    parents      the Values it was computed from, in order, duplicates kept (a + a: (a, a))
    local_grads  d(this)/d(parent) for each parent, as floats, in the same order
    (how a node keeps parents and local_grads, as few objects as it can: autograd.node)
    """

    __slots__ = ()

    def __init__(self, data: float, _children: tuple = (), _op: str = "", label: str = ""):
        self.data = real_number(data, "Value")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self._first = self._second = None  # a leaf: no parents (autograd.node's slots)
        self.scope = current_scope()  # the autograd.scope it was made in (drawings group by it)
        self.backward_pass = 0  # which backward() last reached it (0: none yet)
        if _children:  # micrograd's way of making a node: see autograd.micrograd_names
            made_by_hand(self, _children, _op, label)

    @classmethod
    def apply_op(cls, op: ops.Op, inputs: tuple) -> Value:
        """A new node: op (a row of autograd.ops) applied to inputs, Values or numbers.

            out          = op.forward(x_1, ..., x_n)
            local_grads  = op.derivative(x_1, ..., x_n, out)    one d out/d x_i per input

        Every operator and method (x * y, x.tanh(), ...) makes its node this way, from its row;
        autograd.fast writes the busiest out as Python of their own, made from the same rows.
        """
        parents = tuple(x if isinstance(x, Value) else constant(x, op) for x in inputs)
        constants = tuple(i for i, x in enumerate(inputs) if not isinstance(x, Value))
        return node_of(op, parents, constants)

    # x + y, x * y, x / y, x.tanh(), x.exp(), ...: each row's own method, which autograd.fast
    # writes from the row (fast.install, at the end of this file).

    def backward(self) -> None:
        """Set .grad of every Value this one depends on to d(self)/d(that Value).

        The chain rule, from self back to the leaves (autograd.backprop.backpropagate):

            for node in reversed(topological_order(self)):   # each after every use of it
                for parent, local in zip(node.parents, node.local_grads):
                    parent.grad += node.grad * local

        A leaf's .grad adds up over backward() calls (as in PyTorch: training calls zero_grad
        between steps); a node with parents gets the gradient of this pass. A gradient that
        overflows raises OverflowError naming its node, and no .grad changes.

        >>> x = Value(2.0)
        >>> y = x * x + x                       # dy/dx = 2x + 1
        >>> y.backward(); x.grad
        5.0
        >>> y.backward(); x.grad
        10.0
        """
        backprop.backward(self)

    def __repr__(self) -> str:
        return f"Value(data={self.data!r})"

    # ---- composites: one line each, built from the rows, no derivative of their own ----

    def __neg__(self) -> Value:
        """-x = x * -1."""
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        """x - y = x + (-y)."""
        return self + (-other if other.__class__ is float else -as_operand(other, "-"))

    def __rsub__(self, other: Operand) -> Value:
        """c - x = (-x) + c."""
        return (-self) + as_operand(other, "-")

    def __radd__(self, other: Operand) -> Value:
        """c + x = x + c."""
        return self + other

    def __rmul__(self, other: Operand) -> Value:
        """c * x = x * c."""
        return self * other

    def __rtruediv__(self, other: Operand) -> Value:
        """c / x: the row of / with c as a constant leaf."""
        return Value.apply_op(ops.DIV, (as_operand(other, "/"), self))

    def __pow__(self, exponent: Operand) -> Value:
        """x ** c for a number c: the row ops.POWER(c).  d/dx = c * x ** (c - 1).
        x ** y for a Value y = exp(y * log x), for x > 0.

        Undefined, so an error: 0 ** c for c < 0; a negative x with a fractional c; and 0 ** c
        for 0 < c < 1, whose value exists but whose derivative is infinite.
        """
        if isinstance(exponent, Value):
            if self.data <= 0.0:
                raise ValueError(f"{self.data!r} ** Value needs a positive base "
                                 "(d/dy x**y uses ln x)")
            return (exponent * self.log()).exp()
        c = as_operand(exponent, "**")
        if not math.isfinite(c):
            raise ValueError(f"** needs a finite exponent, got {c!r}")
        return Value.apply_op(ops.POWER(c), (self,))

    def __rpow__(self, base: Operand) -> Value:
        """c ** x = exp(x * ln c) for a number c > 0."""
        base = as_operand(base, "**")
        if not 0 < base < math.inf:  # nan too
            raise ValueError(f"{base!r} ** Value needs a positive base, a finite number "
                             f"(d/dx uses ln {base!r})")
        return (self * math.log(base)).exp()

    # Comparisons read .data, for sorting and max(); == stays identity, so Values can be dict
    # keys and set members (as in micrograd).

    def __lt__(self, other: Operand) -> bool:
        return self.data < compared(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= compared(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > compared(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= compared(other, ">=")

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def detach(self) -> Value:
        """A new leaf with the same data (no parents, so no gradient flows through it)."""
        return Value(self.data, label=self.label)


def node_of(op: ops.Op, parents: tuple[Value, ...], constants: tuple[int, ...] = ()) -> Value:
    """The node of op applied to parents, all Values (those at `constants` made from number
    operands: their derivatives are not checked, see Op.at): Value.apply_op's second half."""
    out, local_grads = op.at(tuple([p.data for p in parents]), constants)
    return node(Value, out, parents, local_grads, op)


def nary_node_of(op: ops.Op, parents: tuple[Value, ...]) -> Value:
    """node_of for a built-in n-ary row (affine, sum_of) whose derivative is finite wherever
    its value is: through the maker autograd.fast writes from the row for this many parents."""
    if len(parents) > fast.LONGEST:
        return node_of(op, parents)
    return fast.nary(op, len(parents), Value, node_of)(parents)


def constant(x: object, op: str) -> Value:
    """A number operand of op as a leaf (a constant: nothing ever updates it), so the graph
    shows it: x * 2 has parents (x, 2)."""
    c = x if type(x) is float else as_operand(x, op)
    if c - c != 0.0:  # inf or nan
        raise ValueError(f"{op} needs a finite number, got {c!r}")
    return leaf(Value, c)


def as_operand(x: object, op: str) -> float | Value:
    """A Value as it is; a real number (not bool) as a float; anything else a clear error."""
    if isinstance(x, Value):
        return x
    return real_number(x, op, allow_inf=True, what="a Value or a real number")


def compared(other: object, symbol: str) -> float:
    """The number a Value is compared with: another Value's data, or a real number."""
    return other.data if isinstance(other, Value) else as_operand(other, symbol)


fast.install(Value, constant)  # x + y, x * y, x.tanh(), ...: each row's own method
