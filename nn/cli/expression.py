"""Arithmetic expressions typed by a person, built as autograd Values, safely (never eval).

>>> y = evaluate("tanh(w*x + b)", {"x": 0.5, "w": -1.5, "b": 2.0})
>>> round(y.data, 4)
0.8483
>>> evaluate("x.__class__", {"x": 1.0})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nn.cli.expression.ExpressionError: attribute access at column 1 is not allowed; use numbers, ...

The text is parsed by Python's `ast` and checked against an allow-list before anything runs:
numbers, names given a value, + - * / **, unary minus, and calls of one argument to the ops of
one input (autograd.ops: exp, log, tanh, sigmoid, relu, sin, cos, step, and any op made with
autograd.define_op). Checking and evaluating walk the tree with a stack of their own, so no
input can make them recurse too deep.
"""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Mapping

from autograd import Value, ops
from autograd.symbols import APPLY, OPERATORS

MAX_LENGTH = 4000  # characters; longer text is refused before it is parsed
MAX_DEPTH = 200  # levels of nesting in the expression tree

# What a refused node is called in the message (other node types use their class name).
REFUSED = {
    ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
    ast.IfExp: "a conditional expression", ast.Compare: "a comparison", ast.BoolOp: "and/or",
    ast.NamedExpr: "an assignment (:=)", ast.Starred: "* unpacking", ast.JoinedStr: "an f-string",
    ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """The text is not an expression chainrule builds: the message says what is refused."""


def functions() -> dict[str, ops.Op]:
    """The functions an expression may call: every op of one input a person calls by name,
    by its function name (read when asked, so an op defined with autograd.define_op is
    callable too)."""
    return {op.function_name: op for op in ops.public_functions()}


def parse(text: str, names: Mapping[str, object]) -> ast.expr:
    """The checked expression tree of text, whose names must all be keys of names."""
    if not isinstance(text, str):
        raise TypeError(f"an expression is a str, got {type(text).__name__}: {text!r}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; "
                              f"the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is too deeply nested") from None
    except SyntaxError as error:
        if "too many nested" in str(error.msg):
            raise ExpressionError("the expression is too deeply nested") from None
        column = f" at column {error.offset}" if error.offset else ""
        raise ExpressionError(f"not a valid expression{column}: {error.msg}") from None
    except ValueError as error:  # e.g. a null byte, in some Python versions
        raise ExpressionError(f"not a valid expression: {error}") from None
    check(tree, names)
    return tree


def check(tree: ast.AST, names: Mapping[str, object]) -> None:
    """Refuse anything but the allow-list, or nesting deeper than MAX_DEPTH. No recursion."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is too deeply nested (more than {MAX_DEPTH} "
                                  "levels)")
        children = _checked_children(node, names)
        stack.extend((child, _depth(node, child, depth))  # report left first
                     for child in reversed(children))


def _depth(node: ast.AST, child: ast.AST, depth: int) -> int:
    """The child's nesting level: one more than node's, except for the left operand of a flat
    chain (x + x + ... + x, a * b / c: the same precedence on the left), which is not nested."""
    if isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp) \
            and _CHAINS.get(type(child.op), 1) == _CHAINS.get(type(node.op), 2):
        return depth
    return depth + 1


_CHAINS = {ast.Add: "sum", ast.Sub: "sum", ast.Mult: "product", ast.Div: "product"}


def _checked_children(node: ast.AST, names: Mapping[str, object]) -> tuple[ast.expr, ...]:
    """The sub-expressions of an allowed node; an ExpressionError for a refused one."""
    where = f" at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"only numbers are allowed as constants; got {value!r}{where}")
        if not _finite(value):
            raise ExpressionError(f"the number{where} is too large for a float")
        return ()
    if isinstance(node, ast.Name):
        if node.id in functions():
            raise ExpressionError(f"{node.id}{where} is a function: call it, as in {node.id}(x)")
        if node.id not in names:
            given = ", ".join(names) or "none"
            raise ExpressionError(f"{node.id}{where} has no value: give it one as "
                                  f"{node.id}=NUMBER (names given: {given})")
        return ()
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return node.left, node.right
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return (node.operand,)
    if isinstance(node, ast.Call):
        return (_call_argument(node, where),)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
        raise ExpressionError(f"^{where} is not a power here: use ** for powers, as in x**2")
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        operator = type(node.op).__name__
        raise ExpressionError(f"the operator {operator}{where} is not allowed; use "
                              f"{' '.join(APPLY)} or unary -")
    refused = REFUSED.get(type(node), f"a {type(node).__name__} expression")
    raise ExpressionError(f"{refused}{where} is not allowed; use numbers, names, "
                          f"{' '.join(APPLY)} and {', '.join(functions())}")


def _finite(number: int | float) -> bool:
    """Whether number is a finite float (1e999 is not, nor an int too large for a float)."""
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


def _call_argument(call: ast.Call, where: str) -> ast.expr:
    """The one argument of an allowed call, such as tanh(x)."""
    allowed = ", ".join(functions())
    if not isinstance(call.func, ast.Name) or call.func.id not in functions():
        if isinstance(call.func, ast.Name):
            what = call.func.id
        elif isinstance(call.func, ast.Attribute):
            what = f"a method (.{call.func.attr})"
        else:
            what = "a computed function"
        raise ExpressionError(f"calls are limited to {allowed}; got a call of {what}{where}")
    if call.keywords or len(call.args) != 1 or isinstance(call.args[0], ast.Starred):
        raise ExpressionError(f"{call.func.id}{where} takes exactly one argument, as in "
                              f"{call.func.id}(x)")
    return call.args[0]


def evaluate(text: str, bindings: Mapping[str, float]) -> Value:
    """The Value of text, with each name a leaf Value labelled by its name.

    Refused text: ExpressionError, before anything is computed. A math error while computing
    (log of 0, division by 0, overflow) propagates as the engine raises it (ValueError,
    ZeroDivisionError, OverflowError). Numbers alone are computed as numbers: "2 * 3 + x"
    draws a constant 6.
    """
    leaves = {name: Value(float(number), label=name) for name, number in bindings.items()}
    tree = parse(text, leaves)
    result = _compute(tree, leaves)
    return result if isinstance(result, Value) else Value(result)


def _compute(tree: ast.expr, leaves: Mapping[str, Value]) -> Value | float:
    """Evaluate a checked tree in post-order with an explicit stack (no recursion)."""
    results: list[Value | float] = []
    stack: list[tuple[ast.expr, bool]] = [(tree, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, ast.Constant):
            results.append(float(node.value))
        elif isinstance(node, ast.Name):
            results.append(leaves[node.id])
        elif not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_operands(node)))  # left first
        elif isinstance(node, ast.BinOp):
            right = results.pop()
            results.append(_binary(OPERATORS[type(node.op)], results.pop(), right))
        elif isinstance(node, ast.UnaryOp):
            results.append(-results.pop())
        else:
            results.append(functions()[node.func.id](results.pop()))
    return results.pop()


def _operands(node: ast.expr) -> tuple[ast.expr, ...]:
    """The operands of a checked operator or call node, in order."""
    if isinstance(node, ast.BinOp):
        return node.left, node.right
    if isinstance(node, ast.UnaryOp):
        return (node.operand,)
    return (node.args[0],)


def _binary(op: str, left: Value | float, right: Value | float) -> Value | float:
    """left op right; two numbers are computed by the engine too, for its checks and messages."""
    if not isinstance(left, Value) and not isinstance(right, Value):
        return NUMBERS[op](left, right)
    return APPLY[op](left, right)


# Two numbers: the rows applied to numbers, which check the value as the engine does, and no
# derivative, as for constants (10**308*10 is 1e309, refused; 10**308 alone is a number)
NUMBERS = {"+": ops.ADD, "-": lambda x, y: ops.ADD(x, -y), "*": ops.MUL, "/": ops.DIV,
           "**": lambda x, c: ops.POWER(c)(x)}


def parse_binding(text: str) -> tuple[str, float]:
    """name=number, as typed on the command line, as (name, number).

    >>> parse_binding("w=-1.5")
    ('w', -1.5)
    """
    name, equals, number = text.partition("=")
    name, number = name.strip(), number.strip()
    if not equals or not name:
        raise ExpressionError(f"bad binding {text!r}: write name=number, as in x=0.5")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ExpressionError(f"bad binding {text!r}: {name!r} is not a name")
    if name in functions():
        raise ExpressionError(f"bad binding {text!r}: {name} is a function, not a variable")
    try:
        value = float(number)
    except ValueError:
        raise ExpressionError(f"bad binding {text!r}: {number!r} is not a number") from None
    if not math.isfinite(value):
        raise ExpressionError(f"bad binding {text!r}: {number} is not a finite number")
    return name, value
