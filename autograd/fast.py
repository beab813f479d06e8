"""Value's methods, made from the rows: each op's method written out as Python of its own.

>>> from autograd import ops
>>> print(source(ops.TANH))  # doctest: +ELLIPSIS
def tanh(self):
    scope = current_scope()  # the autograd.scope it is made in
    x = self.data
    out = forward(x)
    if out - out != 0.0:  # not a finite number: the row's own checks say why
        return Value.apply_op(ROW, (self,))
    node = new(cls)
    node.data = out
    ...
        node._first = self
        node._d_first = 1 - out * out
    ...
    return node
<BLANKLINE>

Value.apply_op makes any node from its row, calling the row's forward and derivative. For the
ops a network runs most, that is most of the time a node takes, so each built-in row with a
`method` gets a method of its own, written here from the row: its forward is the row's code
template where it has one (x + y), else a call of the row's forward; its local derivatives are
the row's derivative run on symbols (autograd.symbols), which writes them as source (tanh's
`1 - out * out`), the same operations on the same floats as the row itself. Nothing is
written twice: change a row and its method follows (tests/autograd/test_rows_are_read.py and
test_ops.py's fast-path tests check it).

The n-ary rows a network runs (affine: one node a neuron; sum_of) get the same treatment per
number of parents: nary(row, n) writes make(parents) for n parents, its forward and local
derivatives written out from the row as a method's are (nary_source shows one), so that a
neuron of 16 inputs pays for no slicing and no generic calls. Up to LONGEST parents; longer
sums take the generic path, which is rare and costs nothing extra.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from autograd import ops
from autograd.node import READ_SCOPE, making, making_leaf
from autograd.recording import current_scope, recording
from autograd.symbols import Symbol, as_symbol

OPERAND_NAMES = ("self", "other")  # the Values a method receives: x.tanh(), x + y


def install(cls: type, constant: Callable) -> None:
    """Give cls (Value) a method per built-in row that names one (row.method)."""
    for row in ops.BUILT_IN:
        if row.method is not None:
            row.fast = cls, method(row, cls, constant)
            setattr(cls, row.method, row.fast[1])


def method(row: ops.Op, cls: type, constant: Callable) -> Callable:
    """row's Value method, compiled from source(row)."""
    namespace = {"Value": cls, "cls": cls, "constant": constant, "ROW": row, "op": row,
                 "forward": row.forward, "new": object.__new__, "current_scope": current_scope,
                 "recording": recording,
                 **_forwards()}
    exec(compile(source(row), f"<autograd.fast: {row.name}>", "exec"), namespace)
    function = namespace[row.method]
    function.__doc__ = _docstring(row)
    function.__qualname__ = f"{cls.__name__}.{row.method}"
    return function


def source(row: ops.Op) -> str:
    """The Python source of row's Value method (row.method, one or two inputs)."""
    operands = OPERAND_NAMES[:row.arity]
    numbers = [Symbol(name) for name in row.arguments]
    lines = [f"def {row.method}({', '.join(operands)}):",
             f"    {READ_SCOPE}"]
    if row.arity == 2 and row.finite_derivative:
        # A number operand becomes a constant leaf, as in Value.apply_op: a finite float's is
        # made right here (v * 2.0 is common: a call less), any other number's by constant().
        lines += ["    if other.__class__ is not Value:",
                  "        if other.__class__ is float and other - other == 0.0:",
                  *(f"            {line}" for line in making_leaf("leaf", "other")),
                  "            other = leaf",
                  "        elif not isinstance(other, Value):",
                  "            other = constant(other, ROW)  # an int, say; or an error"]
    elif row.arity == 2:
        lines += ["    if other.__class__ is not Value and not isinstance(other, Value):",
                  "        return Value.apply_op(ROW, (self, other))  # d/d(a number) unchecked"]
    lines += [f"    {x.text} = {operand}.data" for x, operand in zip(numbers, operands)]
    forward = row(*numbers).text if row.code is not None else \
        f"forward({', '.join(x.text for x in numbers)})"
    fall_back = f"        return Value.apply_op(ROW, {_tuple(operands)})"
    out = row.output_name[0]
    lines += [f"    {out} = {forward}",
              f"    if {out} - {out} != 0.0:  # not a finite number: the row's own checks say why",
              fall_back]
    local_grads = [as_symbol(d).text for d in row.local_derivatives(tuple(numbers), Symbol(out))]
    if not row.finite_derivative:  # a derivative that may overflow: computed, then checked
        names = [f"d_{x.text}" for x in numbers]
        lines += [f"    {name} = {text}" for name, text in zip(names, local_grads)]
        lines += [f"    if {' or '.join(f'{name} - {name} != 0.0' for name in names)}:",
                  fall_back]
        local_grads = names
    # the new node, its parents and local derivatives kept in slots (autograd.node.making)
    lines += [f"    {line}" for line in making(out, operands, local_grads)]
    lines.append("    return node")
    return "\n".join(lines) + "\n"


LONGEST = 64  # n-ary nodes of up to this many parents get a maker written for their arity


@functools.lru_cache(maxsize=32)
def nary(row: ops.Op, arity: int, cls: type, slow: Callable) -> Callable:
    """make(parents) -> the node of row (affine, sum_of) over `arity` Values, written out for
    that arity as a method is for its row (print(nary_source(row, arity)) shows it). slow is
    the generic maker, node_of(row, parents), run where the numbers need the row's checks."""
    namespace = {"cls": cls, "ROW": row, "op": row, "slow": slow, "forward": row.forward,
                 "new": object.__new__, "current_scope": current_scope,
                 "recording": recording, **_forwards()}
    exec(compile(nary_source(row, arity), f"<autograd.fast: {row.name} of {arity}>", "exec"),
         namespace)
    return namespace["make"]


def nary_source(row: ops.Op, arity: int) -> str:
    """The Python source of make(parents) for row over arity parents (its derivative finite
    wherever its value is, as affine's and sum_of's are).

    >>> print(nary_source(ops.AFFINE, 3))  # doctest: +ELLIPSIS
    def make(parents):
        scope = current_scope()  # the autograd.scope it is made in
        p0, p1, p2 = parents
        x0, x1, x2 = p0.data, p1.data, p2.data
        out = sum((x0 * x1,), x2)
        ...
            node._first = parents
            node._d_first = (x1, x0, 1.0)
            node._second = ...
    ...
    """
    numbers = [Symbol(f"x{i}") for i in range(arity)]
    out = row.output_name[0]
    forward = row(*numbers).text if row.code is not None else \
        f"forward({', '.join(x.text for x in numbers)})"
    local_grads = [as_symbol(d).text for d in row.local_derivatives(tuple(numbers), Symbol(out))]
    parents = [f"p{i}" for i in range(arity)]
    datas = [f"{parent}.data" for parent in parents]
    lines = ["def make(parents):", f"    {READ_SCOPE}",
             f"    {_listed(parents)} = parents",
             f"    {_listed([x.text for x in numbers])} = {_listed(datas)}",
             f"    {out} = {forward}",
             f"    if {out} - {out} != 0.0:  # not a finite number: the row's own checks say why",
             "        return slow(ROW, parents)"]
    lines += [f"    {line}" for line in making(out, ["parents"], [_tuple(local_grads)], nary=True)]
    return "\n".join([*lines, "    return node"]) + "\n"


def _tuple(items: list[str]) -> str:
    """A tuple display of items: (a, b), or (a,) for one."""
    return f"({_listed(items)})"


def _listed(items: list[str]) -> str:
    """items as a tuple without parentheses, to assign to or from: a, b (or a, for one)."""
    return ", ".join(items) + "," * (len(items) == 1)


def _forwards() -> dict[str, Callable]:
    """The built-in rows' forwards by function name: what a derivative's source may call
    (sin's derivative is cos(x))."""
    return {row.function_name: row.forward for row in ops.BUILT_IN}


def _docstring(row: ops.Op) -> str:
    """'x * y.  d/dx = y, d/dy = x.  (Made from its row ...)'."""
    names, out = list(row.arguments), row.output_name[0]
    derivatives = ", ".join(f"d/d{x} = {row.derivative_text(i, names, out)}"
                            for i, x in enumerate(names))
    return (f"{row.shown_text(names)}.  {derivatives}.  (Made from its row in autograd.ops: "
            f"print(autograd.fast.source(row)) shows the code.)")
