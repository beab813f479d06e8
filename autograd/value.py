"""A scalar that remembers how it was computed, and backpropagation through it.

>>> x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
>>> y = (x * w + b).tanh()
>>> y.backward()
>>> round(y.data, 4), round(w.grad, 4)
(0.8483, 0.1402)

Every op is a row of autograd.ops (name, forward, local derivatives, formula); a node stores
its row as `.op` and its local derivatives as plain floats, one per parent. Primitives:
    x + y, x * y, x / y, x ** c, exp, log, tanh, sigmoid, relu, sin, cos, step,
    and, in autograd.nary, affine(w, x, b) = Σ_j w_j x_j + b, sum_of(xs), detached_max(xs).
Composites are one line built from primitives and have no derivative code of their own:
    -x = x * -1,  x - y = x + (-y),  c ** x = exp(x * log c),  x ** y = exp(y * log x).
A number operand becomes a constant leaf, so the graph shows it: `x * 2` has parents (x, 2).
The ops a network runs most (+ * / ** exp log tanh sigmoid relu) are written out below as
fast paths with the same floats as their rows (tests/autograd/test_ops.py checks each); every
other op, define_op's included, goes through Value.apply_op. The chain rule is written once,
in autograd.backprop, which Value.backward calls.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Union

from autograd import backprop, ops
from autograd.ops import ADD, DIV, EXP, LOG, MUL, RELU, SIGMOID, TANH, check_result, power_op
from autograd.recording import current

Operand = Union["Value", float, int]


class Value:
    """A real number in a computation graph.

    data         the number (float)
    grad         dL/d(this) after L.backward() (float, 0.0 until then)
    label        a name for printing and drawing (str)
    op           the op that produced it: "" for a leaf, else its row in autograd.ops (a str:
                 "+", "*", "tanh", ...)
    parents      the Values it was computed from, in order, duplicates kept (a + a -> (a, a))
    local_grads  d(this)/d(parent) for each parent, as floats, in the same order
    scope        the autograd.scope it was created in, or None (drawings group nodes by it)
    backward_pass  which backward() last reached it (a count of passes; 0: none yet)

    parents and local_grads read as tuples; how a node keeps them is told at __slots__ below.

    A Value prints as micrograd's lecture prints it; its gradient and label are attributes.

    >>> a = Value(2.0, label="a")
    >>> a
    Value(data=2.0)
    >>> a.grad, a.label
    (0.0, 'a')
    >>> (a + a).parents == (a, a)
    True
    """

    __slots__ = ("data", "grad", "label", "op", "scope", "backward_pass",
                 "_first", "_second", "_d_first", "_d_second", "__dict__")
    # How a node keeps its parents and their local derivatives. Nearly every node has one or two
    # parents; those sit in slots of their own, with no tuple per node: a tuple of Values is one
    # more object for CPython's cyclic GC to track for as long as the graph lives (with two
    # tuples per node, the GC's passes took about half the time of building a graph). Only
    # autograd.backprop reads these slots; everything else reads .parents and .local_grads.
    #     a leaf          _first is None (and _second is None)
    #     one parent      _first = the parent, _d_first = its local derivative; _second is None
    #     two parents     _first, _second = the parents; _d_first, _d_second = their derivatives
    #     more (n-ary)    _first = the tuple of parents, _d_first = the tuple of derivatives,
    #                     _second is ... (Ellipsis: "and so on")

    # (__dict__: attributes of your own can be attached to a Value, such as an optimizer's
    # moment or a colour; the dict is made only for a Value that gets one.)

    def __init__(self, data: float, _children: tuple = (), _op: str = "", label: str = ""):
        """A leaf holding data; or, micrograd's way, a node of the given children whose
        derivative you supply by assigning out._backward = a function (see _backward)."""
        if type(data) is not float and (isinstance(data, bool) or not isinstance(data, Real)):
            hint = " (use .data, or .detach() for a leaf)" if isinstance(data, Value) else ""
            raise TypeError(f"Value needs a real number, got {type(data).__name__}: {data!r}{hint}")
        if not isinstance(label, str) or not isinstance(_op, str):
            bad = label if not isinstance(label, str) else _op
            raise TypeError(f"label and _op need a str, got {type(bad).__name__}: {bad!r}")
        data = _as_float(data, "Value")
        if not math.isfinite(data):
            raise ValueError(f"Value needs a finite number, got {data!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = _op
        self._first = self._second = None
        if _children:
            _set_children(self, _children)
        self.scope = current().scope
        self.backward_pass = 0  # which backward() last reached this node (0: none yet)

    def __repr__(self) -> str:
        return f"Value(data={self.data!r})"

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order, duplicates kept (a + a -> (a, a))."""
        first, second = self._first, self._second
        if second is None:
            return () if first is None else (first,)
        return first if second is ... else (first, second)

    @property
    def local_grads(self) -> tuple[float, ...] | None:
        """d(this)/d(parent) for each parent, as floats, in the order of .parents (None for a
        node made as Value(data, children, op): its derivative is its own _backward)."""
        first, second = self._first, self._second
        if second is None:
            return () if first is None else (self._d_first,)
        return self._d_first if second is ... else (self._d_first, self._d_second)

    @local_grads.setter
    def local_grads(self, local_grads: tuple[float, ...]) -> None:
        """Replace the local derivatives (one float per parent), e.g. to show what a wrong
        derivative does to gradcheck."""
        parents, local_grads = self.parents, tuple(local_grads)
        if len(local_grads) != len(parents):
            raise ValueError(f"local_grads needs one number per parent ({len(parents)}), "
                             f"got {len(local_grads)}")
        _set_parents(self, parents, local_grads)

    @classmethod
    def apply_op(cls, op: ops.Op, inputs: tuple) -> Value:
        """The node of op applied to inputs (Values or numbers), from its row: forward on the
        numbers, then derivative(*numbers, out) for the local derivatives. Either one not
        finite is an error naming the op, so no inf or nan enters a graph."""
        parents = tuple(x if isinstance(x, Value) else _constant(x, op) for x in inputs)
        numbers = tuple(p.data for p in parents)
        out = op.forward(*numbers)
        check_result(op, parents, out, "")
        local_grads = op.local_derivatives(numbers, out)
        for local in local_grads:
            check_result(op, parents, local, "'s derivative")
        return _node(float(out), parents, tuple(map(float, local_grads)), op)

    # ---- fast paths: the rows of the busiest ops, written out (same floats as the rows) ----

    def __add__(self, other: Operand) -> Value:
        """x + y.  d/dx = 1, d/dy = 1."""
        if not isinstance(other, Value):
            other = _constant(other, ADD)
        total = self.data + other.data
        if total - total != 0.0:  # inf: the sum overflowed (the only way + leaves the reals)
            ADD.forward(self.data, other.data)  # raises the row's OverflowError
        return _node(total, (self, other), _ONE_ONE, ADD)

    def __mul__(self, other: Operand) -> Value:
        """x * y.  d/dx = y, d/dy = x."""
        if not isinstance(other, Value):
            other = _constant(other, MUL)
        product = self.data * other.data
        if product - product != 0.0:  # inf: the product overflowed
            MUL.forward(self.data, other.data)
        return _node(product, (self, other), (other.data, self.data), MUL)

    def __truediv__(self, other: Operand) -> Value:
        """x / y.  d/dx = 1 / y, d/dy = -x / y² (computed as -out / y: no y² to overflow)."""
        if not isinstance(other, Value):
            other = _constant(other, DIV)
        return _divide(self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        """c / x."""
        return _divide(_constant(other, DIV), self)

    def __pow__(self, exponent: Operand) -> Value:
        """x ** c for a number c.  d/dx = c * x ** (c - 1).  (A Value exponent: see module doc.)

        Undefined, so an error: 0 ** c for c < 0; a negative x with a fractional c; and 0 ** c for
        0 < c < 1, whose value exists but whose derivative is infinite.
        """
        if isinstance(exponent, Value):
            if self.data <= 0.0:
                base = self.data
                raise ValueError(f"{base!r} ** Value needs a positive base (d/dy x**y uses ln x)")
            return (exponent * self.log()).exp()
        c = _number(exponent, "**")
        if c - c != 0.0:
            raise ValueError(f"** needs a finite exponent, got {c!r}")
        return Value.apply_op(power_op(c), (self,))

    def exp(self) -> Value:
        """e ** x.  d/dx = e ** x, reused from the output."""
        e = EXP.forward(self.data)
        return _node(e, (self,), (e,), EXP)

    def log(self) -> Value:
        """Natural log, ln x for x > 0.  d/dx = 1 / x."""
        x = self.data
        y, inverse = LOG.forward(x), 1 / x
        if inverse - inverse != 0.0:  # 1/x overflowed (x is subnormal): the row says so
            return Value.apply_op(LOG, (self,))
        return _node(y, (self,), (inverse,), LOG)

    def tanh(self) -> Value:
        """tanh x.  d/dx = 1 - tanh(x) ** 2, from the output.  Never overflows."""
        t = math.tanh(self.data)
        return _node(t, (self,), (1 - t * t,), TANH)

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e ** -x).  d/dx = σ(x) (1 - σ(x)), from the output.  Never overflows."""
        s = SIGMOID.forward(self.data)
        return _node(s, (self,), (s * (1 - s),), SIGMOID)

    def relu(self) -> Value:
        """max(0, x).  d/dx = 1 for x > 0, else 0 (relu'(0) is taken as 0, as PyTorch does)."""
        x = self.data
        return _node(x, (self,), _ONE, RELU) if x > 0.0 else _node(0.0, (self,), _ZERO, RELU)

    def sin(self) -> Value:
        """sin x.  d/dx = cos x."""
        return Value.apply_op(ops.SIN, (self,))

    def cos(self) -> Value:
        """cos x.  d/dx = -sin x."""
        return Value.apply_op(ops.COS, (self,))

    # ---- composites: built from primitives, no derivative code ----

    def __neg__(self) -> Value:
        """-x = x * -1."""
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        """x - y = x + (-y)."""
        if not isinstance(other, Value):  # checked first: -True would slip through as -1
            other = _number(other, "-")
        return self + (-other)

    def __radd__(self, other: Operand) -> Value:
        """c + x = x + c."""
        return self + other

    def __rmul__(self, other: Operand) -> Value:
        """c * x = x * c."""
        return self * other

    def __rsub__(self, other: Operand) -> Value:
        """c - x = (-x) + c."""
        return (-self) + _number(other, "-")

    def __rpow__(self, base: Operand) -> Value:
        """c ** x = exp(x * ln c) for a number c > 0."""
        base = _number(base, "**")
        if base <= 0:
            raise ValueError(f"{base!r} ** Value needs a positive base (d/dx uses ln {base!r})")
        return (self * math.log(base)).exp()

    # ---- micrograd's names, for learners coming from its lecture ----

    @property
    def _prev(self) -> set[Value]:
        """The set of parents, as micrograd calls them (.parents keeps order and duplicates)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """The op's name, as micrograd calls it: .op ("" for a leaf)."""
        return self.op

    def _backward(self) -> None:
        """This node's step of the chain rule, as micrograd's closures do it: each parent's
        .grad += this .grad × its local derivative. (backward() runs the same step for every
        node, in reverse topological order.) A node made as Value(data, children, op) has no
        local derivatives: assign it a function of your own, out._backward = _backward, which
        adds to each child's .grad, as micrograd's lecture does."""
        local_grads = self.local_grads
        if local_grads is None:
            raise TypeError(f"the node {self.label or self.op!r} was made as Value(data, "
                            "children, op) and has no local derivatives: give it its step of "
                            "the chain rule, out._backward = a function that adds to each "
                            "child's .grad (or use the op's method, such as a.tanh())")
        for parent, local in zip(self.parents, local_grads):
            parent.grad += self.grad * local

    # Comparisons read .data, for sorting and max(); == stays identity, so Values can be dict
    # keys and set members (as in micrograd).

    def __lt__(self, other: Operand) -> bool:
        return self.data < _compared(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _compared(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _compared(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _compared(other, ">=")

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # ---- graph ----

    def detach(self) -> Value:
        """A new leaf with the same data (no parents, so no gradient flows through it)."""
        return Value(self.data, label=self.label)

    def backward(self) -> None:
        """Fill in .grad of every Value this one depends on: d(self)/d(node), by the chain rule.

        Seeds d(self)/d(self) = 1 and walks the graph in reverse topological order, so each node's
        gradient is complete (summed over every use) before it is passed on to its parents.
        A second call on the same graph: leaves (no parents) accumulate, as in PyTorch, so training
        calls zero_grad between steps; interior nodes restart from zero on every pass. A gradient
        that overflows raises OverflowError naming its node, and leaves every .grad as it was.

        >>> x = Value(2.0)
        >>> y = x * x + x
        >>> y.backward(); x.grad
        5.0
        >>> y.backward(); x.grad
        10.0
        """
        backprop.backward(self)


def _node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    """A new node: an op's result or, with no parents, a constant leaf (no __init__ checks)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    state = current()
    out.scope = state.scope
    out.backward_pass = 0
    if state.recording:
        out.op = op
        _set_parents(out, parents, local_grads)
    else:  # under no_grad(): a leaf
        out.op, out._first, out._second = "", None, None
    return out


def _set_children(node: Value, children: object) -> None:
    """micrograd's way: parents with no local derivatives (None), kept as n-ary tuples; the
    node's own _backward (assigned later) stands in for them in backward()."""
    parents = tuple(children) if isinstance(children, (tuple, list, set, frozenset)) else None
    if parents is None or not all(isinstance(p, Value) for p in parents):
        raise TypeError(f"_children needs a tuple of Values, got {type(children).__name__}: "
                        f"{children!r:.100}")
    node._first, node._second, node._d_first = parents, ..., None


def _set_parents(node: Value, parents: tuple, local_grads: tuple) -> None:
    """Store parents and local_grads (tuples) on node, as the comment at Value.__slots__ says."""
    if len(parents) == 2:
        node._first, node._second = parents
        node._d_first, node._d_second = local_grads
    elif len(parents) == 1:
        node._first, node._second, node._d_first = parents[0], None, local_grads[0]
    elif parents:
        node._first, node._second, node._d_first = parents, ..., local_grads
    else:
        node._first = node._second = None


_ONE_ONE, _ONE, _ZERO = (1.0, 1.0), (1.0,), (0.0,)  # shared: no tuple made per node


def _divide(x: Value, y: Value) -> Value:
    """The node x / y (DIV's fast path)."""
    if y.data == 0.0:
        DIV.forward(x.data, y.data)  # raises the row's ZeroDivisionError
    quotient = x.data / y.data
    d_x, d_y = 1 / y.data, -quotient / y.data
    if d_x - d_x != 0.0 or d_y - d_y != 0.0:  # an overflow (an inf quotient makes d_y inf):
        return Value.apply_op(DIV, (x, y))     # the row raises it
    return _node(quotient, (x, y), (d_x, d_y), DIV)


def _constant(x: object, op: str) -> Value:
    """A number operand as a leaf Value (a constant: nothing ever updates it)."""
    c = x if type(x) is float else _number(x, op)
    if c - c != 0.0:  # inf or nan
        raise ValueError(f"{op} needs a finite number, got {c!r}")
    out = object.__new__(Value)
    out.data, out.grad, out.label, out.op = c, 0.0, "", ""
    out._first = out._second = None
    out.scope, out.backward_pass = current().scope, 0
    return out


def _compared(other: object, symbol: str) -> float:
    """The number a Value is compared with: another Value's data, or a real number."""
    return other.data if isinstance(other, Value) else _number(other, symbol)


def _number(x: object, op: str) -> float:
    """x as a float, if it is a real number (not bool) a float can hold; else a clear error."""
    if type(x) is float:  # the common cases first, without the ABC check below
        return x
    if type(x) is int:
        return _as_float(x, op)
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{op} needs a Value or a real number, got {type(x).__name__}: {x!r}")
    return _as_float(x, op)


def _as_float(x: Real, who: str) -> float:
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{who} needs a number a float can hold, got {x!r:.40}...") from None
