"""A symbolic stand-in for a number: run an op's row on it and you get the row as text.

>>> x, out = Symbol("x"), Symbol("y")
>>> (1 - out * out).text                     # tanh's derivative, written 1 - out * out
'1 - y * y'
>>> ((x + 1) * -2.0).text                    # parentheses only where Python needs them
'(x + 1) * -2.0'
>>> from autograd.ops import SIGMOID
>>> SIGMOID(x).text                          # an op applied to a symbol: a call, by its name
'sigmoid(x)'

An op's derivative is written once, with arithmetic and autograd.functions. On floats it gives
backward's local derivatives; on Values, the graph of a derivative; on Symbols, Python source
that computes exactly those floats (the same operations, in the same order), which the compiler
writes into generated code. Nothing here evaluates anything.
"""

from __future__ import annotations

import ast
import operator
import re
from functools import lru_cache
from numbers import Real

# How tightly each kind of expression binds (Python's own order): a lower number needs
# parentheses when it is the operand of a higher one.
SUM, PRODUCT, NEGATION, POWER, ATOM = 1, 2, 3, 4, 5
_PRECEDENCE = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "**": POWER}
# Python's arithmetic operators: each one's syntax node, as text, and the function applying it
# (on Values: the rows of + * /, the power family, and the composites of - and **)
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
APPLY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
         "**": operator.pow}


class Symbol:
    """Python source text for a number, with how tightly it binds (see the constants above)."""

    __slots__ = ("text", "precedence")

    def __init__(self, text: str, precedence: int = ATOM):
        self.text = text
        self.precedence = precedence

    def __repr__(self) -> str:
        return f"Symbol({self.text!r})"

    @classmethod
    def apply_op(cls, op, inputs: tuple) -> Symbol:
        """op applied to symbols (or numbers): its code template filled in, else a call."""
        symbols = [as_symbol(x) for x in inputs]
        texts = [s.text for s in symbols]
        if op.code is None:
            return cls(f"{op.function_name}({', '.join(texts)})")
        if any(s.precedence < ATOM for s in symbols):  # never for the compiler's names
            text = _code(op, _parenthesized(op, symbols))
            return cls(text, precedence(text))  # SUM(a - b) is a - b: not the template's own
        return cls(_code(op, texts), _code_precedence(op, op.code, len(texts)))

    def __add__(self, other: object) -> Symbol:
        return _binary(self, "+", other)

    def __radd__(self, other: object) -> Symbol:
        return _binary(other, "+", self)

    def __sub__(self, other: object) -> Symbol:
        return _binary(self, "-", other)

    def __rsub__(self, other: object) -> Symbol:
        return _binary(other, "-", self)

    def __mul__(self, other: object) -> Symbol:
        return _binary(self, "*", other)

    def __rmul__(self, other: object) -> Symbol:
        return _binary(other, "*", self)

    def __truediv__(self, other: object) -> Symbol:
        return _binary(self, "/", other)

    def __rtruediv__(self, other: object) -> Symbol:
        return _binary(other, "/", self)

    def __pow__(self, other: object) -> Symbol:
        return _binary(self, "**", other)

    def __rpow__(self, other: object) -> Symbol:
        return _binary(other, "**", self)

    def __neg__(self) -> Symbol:
        return Symbol("-" + _operand(self, NEGATION + (self.precedence == NEGATION)), NEGATION)


def as_symbol(x: object) -> Symbol:
    """x as a Symbol: a number becomes its literal (repr), which reads back as the same float."""
    if isinstance(x, Symbol):
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        text = repr(x if isinstance(x, int) else float(x))
        return Symbol(text, NEGATION if text.startswith("-") else ATOM)
    raise TypeError(f"a symbolic expression needs symbols and numbers, got "
                    f"{type(x).__name__}: {x!r}")


def _parenthesized(op, symbols: list[Symbol]) -> list[str]:
    """The inputs' texts for op's code template, each in parentheses only where the template
    would read it otherwise: MUL(a + b, c) is (a + b) * c, power(a - b, 2) needs none. (The
    syntax tree has no parentheses: an input may go bare where the tree stays the same.)"""
    texts = [_operand(s, ATOM) for s in symbols]
    meaning = ast.dump(ast.parse(_code(op, texts), mode="eval"))
    for i, symbol in enumerate(symbols):
        if texts[i] != symbol.text:
            bare = [*texts[:i], symbol.text, *texts[i + 1:]]
            if ast.dump(ast.parse(_code(op, bare), mode="eval")) == meaning:
                texts = bare
    return texts


def _code(op, texts: list[str]) -> str:
    """op's code template filled with the inputs' texts."""
    return op.code(texts) if callable(op.code) else fill(op.code, op, texts, "")


@lru_cache(maxsize=1024)
def _code_precedence(op, code, count: int) -> int:
    """How tightly op's code binds with `count` plain names as inputs (the operands it gets are
    atoms or parenthesized, see Symbol.apply_op, so this is the template's own precedence)."""
    return precedence(_code(op, [f"x{i}" for i in range(count)]))


def precedence(text: str) -> int:
    """How tightly a Python expression binds, read from its syntax tree (0: looser than any
    arithmetic, such as a conditional expression). Parenthesized text binds as an atom."""
    node = ast.parse(text, mode="eval").body
    if node.col_offset > 0:  # the expression starts after an opening parenthesis
        return ATOM
    if isinstance(node, ast.BinOp):
        return _PRECEDENCE.get(OPERATORS.get(type(node.op)), 0)
    if isinstance(node, ast.UnaryOp):
        return NEGATION
    return ATOM if isinstance(node, (ast.Call, ast.Name, ast.Constant, ast.Attribute)) else 0


def fill(template: str, op, names: list[str], out: str) -> str:
    """template, written in op's argument names and output name, with each replaced by the
    given names and out, in one pass (so that x -> y and y -> x swap correctly).

    >>> from autograd.ops import MUL
    >>> fill("y", MUL, ["w", "x"], "z"), fill("x * y", MUL, ["y", "x"], "z")
    ('x', 'y * x')
    >>> from autograd.ops import DIV
    >>> fill("-x / y²", DIV, ["a", "b"], "z")
    '-a / b²'

    """
    mapping = dict(zip(op.arguments, names)) | {op.output_name[0]: out}
    return _names_pattern(tuple(mapping)).sub(lambda match: mapping[match.group(1)], template)


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """A regular expression matching any of names as a whole word; a superscript after it
    (y², x³) ends the word, as the formulas write powers."""
    alternatives = "|".join(map(re.escape, names))
    return re.compile(rf"(?<!\w)({alternatives})(?!{_MORE_OF_A_NAME})")


_MORE_OF_A_NAME = r"(?![⁰¹²³⁴⁵⁶⁷⁸⁹])\w"  # a character that continues a name: not a superscript


def is_number_text(text: str) -> bool:
    """Whether text is just a number literal, such as '1' or '-0.5' (no symbol in it)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _binary(left: object, operator: str, right: object) -> Symbol:
    """left operator right, with the parentheses Python's precedence and associativity need.

    + - * / group from the left, so a right operand of the same precedence is parenthesized
    (a - (b - c)); ** groups from the right, so it is the left operand that is ((a ** b) ** c).
    A negative number or negation under ** is parenthesized too: (-2.0) ** 2.
    """
    precedence = _PRECEDENCE[operator]
    if operator == "**":
        left_text = _operand(as_symbol(left), POWER + 1)
        right_text = _operand(as_symbol(right), NEGATION)
    else:
        left_text = _operand(as_symbol(left), precedence)
        right_text = _operand(as_symbol(right), precedence + 1)
    return Symbol(f"{left_text} {operator} {right_text}", precedence)


def _operand(symbol: Symbol, needed: int) -> str:
    """symbol's text, in parentheses if it binds less tightly than `needed`."""
    return symbol.text if symbol.precedence >= needed else f"({symbol.text})"
