"""One row per op: the single place that knows an op's name, forward, derivatives and formulas.

>>> from autograd import Value
>>> TANH.forward(0.5) == math.tanh(0.5)
True
>>> TANH.derivative(0.0, TANH.forward(0.0))            # d tanh(x)/dx = 1 - out², at x = 0
1.0
>>> y = TANH(Value(0.5, label="x"))                     # a row is also the op itself
>>> y.op is TANH, y.op == "tanh", y.local_grads == (1 - y.data * y.data,)
(True, True, True)
>>> TANH(0.5) == math.tanh(0.5)                         # numbers in, a float out
True

A row's derivative is written once, with arithmetic and autograd.functions, so the same formula
serves floats (backward's local derivatives), Values (the graph of a derivative) and
autograd.symbols.Symbol (the text of generated code). The engine, the compiler, the drawings'
formulas and the command line's parser all read these rows; none of them knows an op by name.
A row's `array` is the same op written for numpy arrays (np.tanh(x)): the batch backend's
(autograd.compiler.batch) forward line, and, through the row's derivative, its backward ones.

The built-in rows: + * / x**c exp log tanh sigmoid relu sin cos step, log_one_minus_sigmoid
(log(1 - σ(z)), fused for binary cross-entropy), and the n-ary affine (Σ_j w_j x_j + b), sum
(Σ_i x_i) and max (detached: every derivative 0). define_op adds rows.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import math
import operator
import re
import unicodedata
from collections.abc import Callable

from autograd.op import Op, _registry, all_ops, arity_of, op_named  # noqa: F401 (theirs to give)


class LogOfZeroError(ValueError):
    """log(0.0), whose value is -inf. In training, a probability that underflowed to 0.0."""


# ---- the forwards that check their domain (the errors the engine raises) ----


def _add(x: float, y: float) -> float:
    return _finite_or_overflow(x + y, "+", x, y)


def _multiply(x: float, y: float) -> float:
    return _finite_or_overflow(x * y, "*", x, y)


def _divide(x: float, y: float) -> float:
    if y == 0.0:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}")
    quotient = x / y
    return quotient if quotient - quotient == 0.0 else _finite_or_overflow(quotient, "/", x, y)


def _finite_or_overflow(result: float, op: str, *xs: float) -> float:
    """result, unless the op overflowed (the only way + * / of finite floats leave the reals)."""
    if result - result != 0.0:
        shown = ", ".join(f"{x:.6g}" for x in xs[:4]) + ", ..." * (len(xs) > 4)
        raise OverflowError(f"{op} of {shown} overflowed: the result is too large for a float")
    return result


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x!r}) is too large for a float (needs x < 709.78)") from None


def _log(x: float) -> float:
    if x == 0.0:
        raise LogOfZeroError(f"log is undefined for {x!r} (needs a positive number)")
    if x < 0.0:
        raise ValueError(f"log is undefined for {x!r} (needs a positive number)")
    return math.log(x)


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # the same number, written so that exp never sees a positive argument
    return e / (1.0 + e)


def _affine(*inputs: float) -> float:
    """b + w_1 x_1 + w_2 x_2 + ..., in that order, for inputs w_1..w_n, x_1..x_n, b."""
    n = (len(inputs) - 1) // 2
    z = sum(map(operator.mul, inputs[:n], inputs[n:2 * n]), inputs[-1])
    return z if z - z == 0.0 else _finite_or_overflow(z, "affine", *inputs)


def _sum(*terms: float) -> float:
    return _finite_or_overflow(sum(terms), "sum_of", *terms)


def power(x: float, c: float) -> float:
    """x ** c for a number c, with a clear error where it, or its derivative c x^(c-1), is not
    a finite real number: 0 ** c for c < 0 (division by zero), 0 ** c for 0 < c < 1 (infinite
    derivative), a negative x with a fractional c (not real), and overflow."""
    if x <= 0.0:
        if x == 0.0 and c < 0:
            raise ZeroDivisionError(f"0.0 ** {c!r} is undefined (division by zero)")
        if x == 0.0 and 0 < c < 1:
            raise ZeroDivisionError(f"x ** {c!r} has an infinite derivative at x = 0.0")
        if x < 0.0 and not float(c).is_integer():
            raise ValueError(f"{x!r} ** {c!r} is not a real number (negative base, "
                             "fractional power)")
    try:
        return x**c
    except OverflowError:
        raise OverflowError(f"{x!r} ** {c!r} is too large for a float") from None


# ---- the rows ----

ADD = Op("+", _add, lambda x, y, out: (1.0, 1.0), formula=("1", "1"), shown="x + y",
         code="x + y", function_name="add", finite_derivative=True, method="__add__",
         array="x + y")
MUL = Op("*", _multiply, lambda x, y, out: (y, x), formula=("y", "x"), shown="x * y",
         code="x * y", function_name="mul", finite_derivative=True, method="__mul__",
         array="x * y")
DIV = Op("/", _divide, lambda x, y, out: (1 / y, -out / y), formula=("1 / y", "-x / y²"),
         shown="x / y", function_name="div", method="__truediv__", array="x / y")
EXP = Op("exp", _exp, lambda x, out: out, formula="exp(x)", finite_derivative=True,
         array="np.exp(x)")
LOG = Op("log", _log, lambda x, out: 1 / x, formula="1 / x", array="np.log(x)")
TANH = Op("tanh", math.tanh, lambda x, out: 1 - out * out, formula="1 - tanh(x)²",
          finite_derivative=True, array="np.tanh(x)")
SIGMOID = Op("sigmoid", _sigmoid, lambda x, out: out * (1 - out),
             formula="σ(x) · (1 - σ(x))", symbol="σ", finite_derivative=True,
             # _sigmoid's two branches, chosen per sample: exp never sees a positive argument
             array="np.where(x >= 0.0, 1.0, np.exp(-np.abs(x))) / (1.0 + np.exp(-np.abs(x)))")
STEP = Op("step", lambda x: 1.0 if x > 0.0 else 0.0, lambda x, out: 0.0, formula="0",
          code="(1.0 if x > 0.0 else 0.0)", finite_derivative=True,
          array="np.where(x > 0.0, 1.0, 0.0)")
RELU = Op("relu", lambda x: x if x > 0.0 else 0.0, lambda x, out: STEP(x),
          formula="(1 if x > 0, else 0)", code="(x if x > 0.0 else 0.0)",
          finite_derivative=True,
          array="np.where(x > 0.0, x, 0.0)")  # relu'(0) is taken as 0, as PyTorch does
LOG_ONE_MINUS_SIGMOID = Op(
    "log_one_minus_sigmoid", lambda z: -(max(z, 0.0) + math.log1p(math.exp(-abs(z)))),
    lambda z, out: -SIGMOID(z), formula="-σ(z)", shown="log(1 - σ(z))", symbol="log(1 − σ)",
    finite_derivative=True, fused=True,  # log(1 - σ(z)) = log σ(-z) = -softplus(z), finite
    array="-(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))")
SIN = Op("sin", math.sin, lambda x, out: COS(x), formula="cos(x)", finite_derivative=True,
         array="np.sin(x)")
COS = Op("cos", math.cos, lambda x, out: -SIN(x), formula="-sin(x)", finite_derivative=True,
         array="np.cos(x)")

def _affine_formula(index: int, names: list[str]) -> str:
    """∂z/∂w_j = x_j, ∂z/∂x_j = w_j (the other factor of the product), ∂z/∂b = 1."""
    n = (len(names) - 1) // 2
    return names[index + n] if index < n else names[index - n] if index < 2 * n else None


def _affine_shown(names: list[str]) -> str:
    n = (len(names) - 1) // 2
    terms = [f"{w}·{x}" for w, x in zip(names[:n], names[n:2 * n])]
    return " + ".join([*terms[:3], *(["…"] if n > 3 else []), names[-1]])


def _affine_derivative(*inputs_and_out: object) -> tuple:
    inputs = inputs_and_out[:-1]
    n = (len(inputs) - 1) // 2
    return (*inputs[n:2 * n], *inputs[:n], 1.0)


def _affine_code(names: list[str]) -> str:
    """sum((w_1 * x_1, w_2 * x_2, ...), b): Python's own sum, as the engine's node adds (from
    Python 3.12 on, sum() of floats compensates rounding, so a chain of + would differ)."""
    n = (len(names) - 1) // 2
    products = [f"{w} * {x}" for w, x in zip(names[:n], names[n:2 * n])]
    return f"sum({_tuple(products)}, {names[-1]})"


def _sum_code(names: list[str]) -> str:
    """sum((x_1, x_2, ...)): Python's own sum, as the engine's node adds."""
    return f"sum({_tuple(names)})"


def _tuple(items: list[str]) -> str:
    """A tuple display of items: (a, b), or (a,) for one."""
    return f"({', '.join(items)}{',' * (len(items) == 1)})"


AFFINE = Op("affine", _affine, _affine_derivative, n_ary=True, formula=_affine_formula,
            shown=_affine_shown, code=_affine_code, symbol="Σ w·x + b", finite_derivative=True,
            array=_affine_code)  # Python's sum adds arrays as it adds floats
SUM = Op("sum", _sum, lambda *inputs_and_out: (1.0,) * (len(inputs_and_out) - 1), n_ary=True,
         formula=lambda index, names: None, code=_sum_code, symbol="Σ", function_name="sum_of",
         finite_derivative=True, array=_sum_code)
MAX = Op("max", lambda *xs: max(xs),  # max(xs), not max(*xs): one input is a max too
         lambda *inputs_and_out: (0.0,) * (len(inputs_and_out) - 1), n_ary=True,
         formula=lambda index, names: "0 (detached: no gradient flows through max)",
         code=lambda names: f"max({', '.join(names)})" if len(names) > 1 else names[0],
         symbol="max (detached)", function_name="detached_max", finite_derivative=True,
         array=lambda names: functools.reduce(lambda a, b: f"np.maximum({a}, {b})", names))

BUILT_IN = (ADD, MUL, DIV, EXP, LOG, TANH, SIGMOID, STEP, RELU, LOG_ONE_MINUS_SIGMOID, SIN, COS,
            AFFINE, SUM, MAX)
for _row in BUILT_IN:  # a built-in row of one input is a Value method of its own name: x.tanh()
    if _row.arity == 1 and not _row.fused:
        _row.method = _row.name
_registry.update((op.name, op) for op in BUILT_IN)


def public_functions() -> list[Op]:
    """The rows a person calls by name as a function of one number: tanh, exp, ..., and every
    define_op of one input (not the fused ones, which the engine applies by itself, nor a
    family's rows, such as x ** 2, which are called through their family)."""
    return [op for op in _registry.values() if _is_public_function(op)]


def public_function(name: str) -> Op | None:
    """The row of public_functions() called name, else None."""
    row = _registry.get(name)
    return row if row is not None and _is_public_function(row) else None


def _is_public_function(row: Op) -> bool:
    return row.arity == 1 and not row.fused and row.remake is None


# ---- a family of rows: one per number ----


class Family:
    """Rows that differ only by a number, made when first asked for: POWER(c) is the row of
    x ** c. Generated code calls the family's function with the number as a second argument,
    power(x, 2.0), which evaluates the row of that number.

    >>> POWER(2.0).name, POWER(2.0) is POWER(2.0), POWER.evaluate(3.0, 2.0)
    ('**2', True, 9.0)
    """

    def __init__(self, function_name: str, make: Callable[[float], Op]):
        self.function_name, self.make = function_name, make
        self.rows: dict[float, Op] = {}

    def __call__(self, c: float) -> Op:
        row = self.rows.get(c)
        if row is None:
            row = self.make(c)
            row.remake = (self, (c,))
            if len(self.rows) < 1000:  # a bound, for programs that make many exponents
                self.rows[c] = row
                _registry[row.name] = row
        return row

    def evaluate(self, x: float, c: float, constants: tuple[int, ...] = ()) -> float:
        """The row of c evaluated at x, checked as the engine checks a node."""
        return self(float(c)).evaluate(x, constants=constants)

    def applied(self, x: object, c: float) -> object:
        """The row of c applied to x, a number or a Value: power(x, 2.0) is x ** 2.0."""
        return self(float(c))(x)

    def __reduce__(self):
        return _family_named, (self.function_name,)


def _family_named(function_name: str) -> Family:
    return FAMILIES[function_name]


def _power_row(c: float) -> Op:
    """The row of x ** c, named "**c" with c written exactly ("**2", "**0.3333333333333333")."""
    name = f"**{c:g}" if float(f"{c:g}") == c else f"**{c!r}"
    literal = repr(int(c)) if c.is_integer() and abs(c) < 2**53 else repr(c)
    if c == 0:
        derivative, formula = (lambda x, out: 0.0), "0"
    elif c == 2:  # 2 x ** 1 is exactly 2 x
        derivative, formula = (lambda x, out: c * x), "2 · x"
    else:
        derivative = lambda x, out: c * x ** (c - 1)  # noqa: E731
        formula = "1" if c == 1 else f"{c:g} · x ** {c - 1:g}"
    return Op(name, lambda x: power(x, c), derivative, formula=formula, shown=f"x ** {c:g}",
              code=f"{POWER.function_name}(x, {literal})", function_name=POWER.function_name,
              array=f"x ** {literal}")


POWER = Family("power", _power_row)
FAMILIES = {family.function_name: family for family in (POWER,)}


def functions_by_name() -> dict[str, Callable]:
    """What a derivative's source text calls, by name, as functions of Values (or numbers):
    each row under its function_name, each family's applied (power(x, c)); and the two
    builtins that rows' code templates use."""
    functions = {op.function_name: op for op in _registry.values()}
    return functions | {name: family.applied for name, family in FAMILIES.items()} | \
        {"sum": sum, "max": max}


def runtime_functions() -> dict[str, Callable[..., float]]:
    """What generated code calls, by name: each row's evaluate under its function_name, and each
    family's (power(x, c)). Read when asked, so a define_op made since is in it."""
    functions = {op.function_name: op.evaluate for op in _registry.values()}
    return functions | {name: family.evaluate for name, family in FAMILIES.items()}


# ---- define_op: a learner's own op ----


def define_op(name: str, forward: Callable[..., float], derivative: Callable[..., object],
              formula: str | tuple[str, ...] | None = None, array: str | None = None) -> Op:
    """A new op, usable everywhere a built-in one is (backward, drawings, compile, grad, nn).

    forward(*floats) -> float computes the value; derivative(*inputs, out) returns d out/d x_i
    for each input (a bare value for one input), written with arithmetic and autograd.functions
    so that it works on floats and on Values; formula writes each derivative for drawings, in
    the argument names of derivative. Defining a name again replaces the earlier definition.
    array, optional, computes the op on numpy arrays for the batch backend, written in the
    argument names with np ("np.log1p(np.exp(x))"); without it that backend runs forward once
    per sample (np.vectorize).

    name must be a Python identifier (ASCII or not: "softplus", "σ") that is not a keyword, not
    a built-in op's name and not a name generated code defines (run, leaves, backward) or
    calls (add, mul, power, ...). Generated code calls the op by its name where Python reads
    that name as written; otherwise by a mangled ASCII name, op.function_name ("float" ->
    op_float, "ｔａｎｈ" -> op_uff54uff41uff4euff48: see function_name_for), so no op can be
    mistaken for another, for a builtin or for a gradient variable. Two names that mangle
    alike cannot both be defined: the second is refused, naming the first.

    >>> import math
    >>> from autograd import Value, functions as F
    >>> softplus = define_op("softplus", lambda x: math.log1p(math.exp(x)),
    ...                      lambda x, out: F.sigmoid(x), formula="σ(x)")
    >>> x = Value(0.3); y = softplus(x); y.backward()
    >>> x.grad == F.sigmoid(0.3), round(softplus(0.3), 6)
    (True, 0.854355)
    """
    _check_definition(name, forward, derivative)
    arity = arity_of(derivative)
    if formula is not None:
        formulas = (formula,) if isinstance(formula, str) else formula
        if not isinstance(formulas, tuple) or len(formulas) != arity or \
                not all(isinstance(f, str) for f in formulas):
            raise TypeError(f"define_op needs formula as one str per input ({arity}), "
                            f"got {formula!r}")
    if array is not None and not isinstance(array, str):
        raise TypeError(f"define_op needs array as a str of numpy code in the argument names "
                        f"(\"np.log1p(np.exp(x))\"), got {type(array).__name__}: {array!r}")
    op = Op(name, forward, derivative, formula=formula, function_name=function_name_for(name),
            array=array)
    _registry[name] = op
    return op


# Generated code calls an op by its function_name and defines run(leaves, ..., backward): an op
# of one of these names would call the wrong function (sum_of with one input, silently).
_TAKEN_NAMES = {*(op.function_name for op in BUILT_IN), *FAMILIES, "run", "leaves", "backward"}
_WORD = re.compile(r"[^\W\d]\w*")  # what generated code's import finds before a "("


def function_name_for(name: str) -> str:
    """The name generated code calls an op of this name by: the name itself where Python keeps
    it as written and it shadows nothing, else "op_" and its characters, non-ASCII ones as
    u<hex>. Mangled: a name Python's parser would change (NFKC: "ｔａｎｈ" reads as tanh), one
    with characters outside letters, digits and _ (℘), a builtin (float, abs), and names that
    start with _ (the runtime module's own: __name__, __getattr__) or g_ (gradient variables).

    >>> function_name_for("σ"), function_name_for("float"), function_name_for("ｔａｎｈ")
    ('σ', 'op_float', 'op_uff54uff41uff4euff48')
    """
    if _WORD.fullmatch(name) and unicodedata.normalize("NFKC", name) == name and \
            not name.startswith(("_", "g_")) and name not in _BUILTIN_NAMES:
        return name
    return "op_" + "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else
                           f"u{ord(ch):04x}" for ch in name)


_BUILTIN_NAMES = frozenset(dir(builtins))


def _check_definition(name: object, forward: object, derivative: object) -> None:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"define_op needs a name that is a Python identifier (drawings, "
                         f"generated code and the command line call the op by it), got "
                         f"{name!r}")
    if name in _registry and _registry[name] in BUILT_IN or name in FAMILIES:
        raise ValueError(f"{name!r} is a built-in op; give yours another name")
    if name in _TAKEN_NAMES or function_name_for(name) in _TAKEN_NAMES:
        raise ValueError(f"{name!r} is a name generated code already calls or defines (a "
                         f"built-in op's function, or run's own names); give yours another name")
    function_name = function_name_for(name)
    for other in _registry.values():
        if other.name != name and other.function_name == function_name:
            raise ValueError(f"define_op({name!r}): generated code would call it "
                             f"{function_name}, which already names the op {other.name!r}; "
                             "give yours another name")
    for what, function in (("forward", forward), ("derivative", derivative)):
        if not callable(function):
            raise TypeError(f"define_op needs {what} as a function, got "
                            f"{type(function).__name__}: {function!r}")
