"""A scalar that remembers how it was computed, and backpropagation through it.

>>> x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
>>> y = (x * w + b).tanh()
>>> y.backward()
>>> round(y.data, 4), round(w.grad, 4)
(0.8483, 0.1402)

Primitives carry their local derivatives as plain floats (`local_grads`, one per parent):
    x + y, x * y, x ** c, exp(x), log(x), tanh(x), sigmoid(x), relu(x),
    and, in autograd.nary, affine(w, x, b) = Σ_j w_j x_j + b,  sum_of(xs) = Σ_i x_i,
    detached_max(xs) = max_i x_i.
Composites are one line built from primitives and have no derivative code of their own:
    -x = x * -1,  x - y = x + (-y),  x / y = x * y ** -1,  c ** x = exp(x * log c),
    x ** y = exp(y * log x).
A number operand becomes a constant leaf, so the graph shows it: `x * 2` has parents (x, 2).
The chain rule is written once, in `Value.backward`.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Union

from autograd.recording import state

Operand = Union["Value", float, int]

_ONE_ONE = (1.0, 1.0)


class Value:
    """A real number in a computation graph.

    data         the number (float)
    grad         dL/d(this) after L.backward() (float, 0.0 until then)
    label        a name for printing and drawing (str)
    op           the op that produced it: "" for a leaf, else e.g. "+", "*", "tanh"
    parents      the Values it was computed from, in order, duplicates kept (a + a -> (a, a))
    local_grads  d(this)/d(parent) for each parent, as floats, in the same order
    scope        the autograd.scope it was created in, or None (drawings group nodes by it)
    backward_pass  which backward() last reached it (a count of passes; 0: none yet)

    >>> a = Value(2.0, label="a")
    >>> a
    Value(data=2.0, grad=0.0, label='a')
    >>> (a + a).parents == (a, a)
    True
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "scope", "backward_pass")

    def __init__(self, data: float, label: str = ""):
        if type(data) is not float and (isinstance(data, bool) or not isinstance(data, Real)):
            hint = " (use .data, or .detach() for a leaf)" if isinstance(data, Value) else ""
            raise TypeError(f"Value needs a real number, got {type(data).__name__}: {data!r}{hint}")
        if not isinstance(label, str):
            raise TypeError(f"label needs a str, got {type(label).__name__}: {label!r}")
        data = _as_float(data, "Value")
        if not math.isfinite(data):
            raise ValueError(f"Value needs a finite number, got {data!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()
        self.scope = state.scope
        self.backward_pass = 0  # which backward() last reached this node (0: none yet)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- primitives: forward value and local derivatives side by side ----

    def __add__(self, other: Operand) -> Value:
        """x + y.  d/dx = 1, d/dy = 1."""
        if not isinstance(other, Value):
            other = _constant(other, "+")
        total = self.data + other.data
        if total - total != 0.0:  # inf: the sum overflowed (the only way + leaves the reals)
            _overflowed("+", self, other)
        return _node(total, (self, other), _ONE_ONE, "+")

    def __mul__(self, other: Operand) -> Value:
        """x * y.  d/dx = y, d/dy = x."""
        if not isinstance(other, Value):
            other = _constant(other, "*")
        product = self.data * other.data
        if product - product != 0.0:  # inf: the product overflowed
            _overflowed("*", self, other)
        return _node(product, (self, other), (other.data, self.data), "*")

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
        x = self.data
        if x <= 0.0:
            _check_power_domain(x, c)
        try:
            y, dy_dx = x**c, (c * x ** (c - 1) if c != 0 else 0.0)
        except OverflowError:
            raise OverflowError(f"{x!r} ** {c!r} is too large for a float") from None
        return _node(y, (self,), (dy_dx,), _power_names.get(c) or _power_name(c))

    def exp(self) -> Value:
        """e ** x.  d/dx = e ** x, reused from the output."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            message = f"exp({self.data!r}) is too large for a float (needs x < 709.78)"
            raise OverflowError(message) from None
        return _node(e, (self,), (e,), "exp")

    def log(self) -> Value:
        """Natural log, ln x for x > 0.  d/dx = 1 / x."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log is undefined for {x!r} (needs a positive number)")
        inverse = 1.0 / x
        if inverse == math.inf:  # x is below ~5.6e-309
            raise OverflowError(f"log's derivative 1/x is too large for a float at x = {x!r}")
        return _node(math.log(x), (self,), (inverse,), "log")

    def tanh(self) -> Value:
        """tanh x.  d/dx = 1 - tanh(x) ** 2, from the output.  Never overflows."""
        t = math.tanh(self.data)
        return _node(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e ** -x).  d/dx = σ(x) (1 - σ(x)), from the output.  Never overflows."""
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:  # the same number, written so that exp sees a non-positive argument
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x).  d/dx = 1 for x > 0, else 0 (relu'(0) is taken as 0, as PyTorch does)."""
        x = self.data
        return _node(x if x > 0.0 else 0.0, (self,), (1.0 if x > 0.0 else 0.0,), "relu")

    # ---- composites: built from primitives, no derivative code ----

    def __neg__(self) -> Value:
        """-x = x * -1."""
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        """x - y = x + (-y)."""
        if not isinstance(other, Value):  # checked first: -True would slip through as -1
            other = _number(other, "-")
        return self + (-other)

    def __truediv__(self, other: Operand) -> Value:
        """x / y = x * y ** -1."""
        if isinstance(other, Value):
            if other.data == 0.0:
                raise ZeroDivisionError(f"division by zero: {self.data!r} / {other.data!r}")
            return self * other**-1
        divisor = _number(other, "/")
        if divisor == 0.0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / {divisor!r}")
        return self * (1.0 / divisor)

    def __radd__(self, other: Operand) -> Value:
        """c + x = x + c."""
        return self + other

    def __rmul__(self, other: Operand) -> Value:
        """c * x = x * c."""
        return self * other

    def __rsub__(self, other: Operand) -> Value:
        """c - x = (-x) + c."""
        return (-self) + _number(other, "-")

    def __rtruediv__(self, other: Operand) -> Value:
        """c / x = x ** -1 * c."""
        if self.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {other!r} / {self.data!r}")
        return self**-1 * _number(other, "/")

    def __rpow__(self, base: Operand) -> Value:
        """c ** x = exp(x * ln c) for a number c > 0."""
        base = _number(base, "**")
        if base <= 0:
            raise ValueError(f"{base!r} ** Value needs a positive base (d/dx uses ln {base!r})")
        return (self * math.log(base)).exp()

    # ---- graph ----

    def detach(self) -> Value:
        """A new leaf with the same data (no parents, so no gradient flows through it)."""
        return Value(self.data, label=self.label)

    def backward(self) -> None:
        """Fill in .grad of every Value this one depends on: d(self)/d(node), by the chain rule.

        Seeds d(self)/d(self) = 1 and walks the graph in reverse topological order, so each node's
        gradient is complete (summed over every use) before it is passed on to its parents.
        A second call on the same graph: leaves (no parents) accumulate, as in PyTorch, so training
        calls zero_grad between steps; interior nodes restart from zero on every pass.

        >>> x = Value(2.0)
        >>> y = x * x + x
        >>> y.backward(); x.grad
        5.0
        >>> y.backward(); x.grad
        10.0
        """
        interior = _interior_nodes(self, _next_pass())
        self.grad += 1.0
        for node in reversed(interior):
            upstream = node.grad
            # the chain rule: dL/dparent += dL/dnode * dnode/dparent
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += upstream * local


def _node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    """A new node: an op's result or, with no parents, a constant leaf (no __init__ checks)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.scope = state.scope
    out.backward_pass = 0
    if state.recording:
        out.op, out.parents, out.local_grads = op, parents, local_grads
    else:  # under no_grad(): a leaf
        out.op, out.parents, out.local_grads = "", (), ()
    return out


_pass_count = 0


def _next_pass() -> int:
    global _pass_count
    _pass_count += 1
    return _pass_count


_PARENTS_DONE = object()  # a marker on topological_order's stack (no tuple per step: less GC work)


def _interior_nodes(root: Value, pass_id: int) -> list[Value]:
    """backward's walk: topological_order(root) without its leaves, with the pass's bookkeeping
    done on the way. Each node reached is marked with pass_id (which also serves as the `seen`
    set) and each interior node's grad is set to 0 for the pass. Tested equal to
    [node for node in topological_order(root) if node.parents]."""
    interior: list[Value] = []
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _PARENTS_DONE:
            interior.append(stack.pop())
        elif node.backward_pass != pass_id:
            node.backward_pass = pass_id
            if node.parents:
                node.grad = 0.0
                stack += (node, _PARENTS_DONE)
                stack.extend(reversed(node.parents))
    return interior


def topological_order(root: Value) -> list[Value]:
    """Every Value root depends on (root included), each after all of its parents. No recursion.

    >>> a = Value(1.0, label="a"); b = (a * 2).tanh()
    >>> [v.op or v.label or v.data for v in topological_order(b)]
    ['a', 2.0, '*', 'tanh']
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _PARENTS_DONE:  # everything pushed after `node` has been listed
            order.append(stack.pop())
        elif node not in seen:
            seen.add(node)
            if node.parents:
                stack += (node, _PARENTS_DONE)
                stack.extend(reversed(node.parents))  # reversed: visited in their own order
            else:
                order.append(node)
    return order


# ---- helpers ----


def _overflowed(op: str, *operands: Value) -> None:
    shown = ", ".join(f"{v.data:.6g}" for v in operands[:4]) + (", ..." * (len(operands) > 4))
    raise OverflowError(f"{op} of {shown} overflowed: the result is too large for a float")


def _constant(x: object, op: str) -> Value:
    """A number operand as a leaf Value (a constant: nothing ever updates it)."""
    c = x if type(x) is float else _number(x, op)
    if c - c != 0.0:  # inf or nan
        raise ValueError(f"{op} needs a finite number, got {c!r}")
    return _node(c, (), (), "")


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


_power_names: dict[float, str] = {}


def _power_name(c: float) -> str:
    """The op name of x ** c, such as "**2" (one string per exponent, shared by its nodes)."""
    name = _power_names.get(c)
    if name is None:
        name = f"**{c:g}" if float(f"{c:g}") == c else f"**{c!r}"  # exact, yet short
        if len(_power_names) < 1000:
            _power_names[c] = name
    return name


def _check_power_domain(x: float, c: float) -> None:
    """x ** c for x <= 0: a clear error where it, or its derivative, is not a real number."""
    if x == 0.0 and c < 0:
        raise ZeroDivisionError(f"0.0 ** {c!r} is undefined (division by zero)")
    if x == 0.0 and 0 < c < 1:
        raise ZeroDivisionError(f"x ** {c!r} has an infinite derivative at x = 0.0")
    if x < 0.0 and not float(c).is_integer():
        raise ValueError(f"{x!r} ** {c!r} is not a real number (negative base, fractional power)")

