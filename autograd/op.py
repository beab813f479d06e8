"""What an op is: a row (its name, forward, derivatives and formulas), and the checks every
node's numbers pass. The rows themselves are in autograd.ops.

>>> from autograd.ops import MUL
>>> isinstance(MUL, Op), MUL == "*", MUL.arity, MUL.derivative(2.0, 3.0, 6.0)
(True, True, 2, (3.0, 2.0))
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from numbers import Real

from autograd.symbols import Symbol, fill, is_number_text


class Op(str):
    """An op: its name (an Op is a str, so it prints and saves as its name) and its row.

    forward     forward(*xs) -> float on floats; raises for inputs outside the op's domain
    derivative  derivative(*xs, out) -> d out / d x_i for each input (a bare value for one
                input), written with arithmetic and autograd.functions (see the module doc)
    formula     how a drawing writes each derivative, in the op's argument names and `out`
                (one str per input; for an n-ary op a function (index, names) -> str, or None
                for a plain number); None: the derivative's own text
    shown       how a drawing writes the op's value, as formula does ("x + y"); None: name(x)
    code        how generated code computes the op, in the argument names (for an n-ary op a
                function of the input names); None: a call of `function_name`, a function
                autograd.compiler.runtime provides
    arity       how many inputs; None for any number (affine, sum, max)
    symbol      what the op's small node in a drawing shows (default: the name)
    function_name  the name generated code and the command line call the op by
    finite_derivative  True when the derivative is finite wherever the value is (tanh, exp):
                the engine and evaluate() then skip checking it
    method      the name of the Value method that applies it: a Python operator's (__add__),
                the op's own name for a built-in row of one input (x.tanh()), None for none
    fused       True for a row fused for stability that the engine applies by itself
                (log_one_minus_sigmoid): no method, no function, not offered to users
    array       how the batch backend (autograd.compiler.batch) computes the op on numpy arrays,
                one number per sample, as code does on floats (np.tanh(x)); None: its float
                function run once per sample through np.vectorize
    """

    def __new__(cls, name: str, *args, **kwargs) -> Op:
        return super().__new__(cls, name)

    def __init__(self, name: str, forward: Callable[..., float],
                 derivative: Callable[..., object], *, formula=None, shown=None,
                 code=None, n_ary: bool = False, symbol: str = "", function_name: str = "",
                 finite_derivative: bool = False, method: str | None = None,
                 fused: bool = False, array=None):
        self.name = name
        self.forward, self.derivative = forward, derivative
        self.arity = None if n_ary else arity_of(derivative)
        parameters = () if n_ary else tuple(inspect.signature(derivative).parameters)
        self.arguments, self.output_name = parameters[:-1], parameters[-1:] or ("out",)
        self.formula = (formula,) if isinstance(formula, str) else formula
        self.shown, self.code = shown, code
        self.symbol = symbol or name
        self.function_name = function_name or name
        self.finite_derivative = finite_derivative
        self.method, self.fused = method, fused
        self.array = array
        self.remake: tuple | None = None  # a family's row: how to make it again (Family)
        self.fast: tuple | None = None  # (Value, its method for this row): see autograd.fast

    def __reduce__(self):  # pickled (and copied) as the row it is: by name, or its family's
        return self.remake or (op_named, (self.name,))

    def __call__(self, *inputs):
        """The op applied: numbers in, a float out; a Value (or a Symbol) in, a Value out."""
        if self.fast is not None and inputs and type(inputs[0]) is self.fast[0] and \
                len(inputs) == self.arity:  # TANH(x) is x.tanh(), which autograd.fast made
            return self.fast[1](*inputs)
        if self.arity is not None and len(inputs) != self.arity:
            raise TypeError(f"{self.name} takes {self.arity} input"
                            f"{'s' * (self.arity != 1)}, got {len(inputs)}")
        for x in inputs:
            if not isinstance(x, Real) or isinstance(x, bool):
                kind = getattr(type(x), "apply_op", None)
                if kind is None:
                    raise TypeError(f"{self.name} needs numbers or Values, got "
                                    f"{type(x).__name__}: {x!r}")
                return kind(self, inputs)
        xs = tuple(map(float, inputs))
        out = self.forward(*xs)
        check_result(self, xs, out, "")
        return float(out)

    def at(self, xs: tuple, constants: tuple[int, ...] = ()) -> tuple[float, tuple]:
        """(value, local derivatives) at the numbers xs: what a node of this op holds. Each is
        checked to be a finite real number, else an error naming the op, so no inf or nan
        enters a graph; except the derivatives with respect to the inputs at `constants`
        (positions of number operands, constant leaves: nothing needs their derivative), kept
        as 0.0 where they are not finite (x / 1e-160: d/dy overflows, d/dx does not)."""
        out = self.forward(*xs)
        if type(out) is not float or out - out != 0.0:  # (the usual case needs no call)
            check_result(self, xs, out, "")
        return float(out), self._checked_derivatives(xs, out, constants)

    def evaluate(self, *xs: float, constants: tuple[int, ...] = ()) -> float:
        """forward(*xs), checked as the engine checks a node (see at): the value and every
        local derivative, but those at `constants`, must be finite numbers, else an error
        naming the op (compiled programs call this, so they raise where the engine does)."""
        out = self.forward(*xs)
        check_result(self, xs, out, "")
        if not self.finite_derivative:
            self._checked_derivatives(xs, out, constants)
        return float(out)

    def _checked_derivatives(self, xs: tuple, out: float, constants: tuple[int, ...]) -> tuple:
        """local_derivatives(xs, out), each a finite float but those at constants (0.0 if not
        finite); unchecked for a row whose derivative is finite wherever its value is."""
        try:
            local = self.local_derivatives(xs, out)
        except OverflowError:  # Python's own float ** says "(34, 'Numerical result ...')"
            raise OverflowError(f"{self.name}'s derivative at ({_shown(xs)}) is too large for "
                                "a float") from None
        if self.finite_derivative:
            return local
        for i, d in enumerate(local):
            if i not in constants:
                check_result(self, xs, d, "'s derivative")
        if constants:
            return tuple(float(d) if i not in constants or d - d == 0.0 else 0.0
                         for i, d in enumerate(local))
        return tuple(map(float, local))

    def local_derivatives(self, inputs: tuple, out) -> tuple:
        """derivative(*inputs, out) as a tuple, one entry per input. On Values or symbols, a
        derivative written with math (which takes floats only) is a TypeError saying so."""
        try:
            local = self.derivative(*inputs, out)
        except TypeError as error:
            kind = type(out).__name__
            if kind == "float":
                raise
            raise TypeError(f"{self.name}'s derivative does not work on a {kind}: write it "
                            f"with arithmetic and autograd.functions (F.exp, F.sin, ...), "
                            f"not math, so that it serves floats, Values and generated code "
                            f"alike ({error})") from error
        local = tuple(local) if isinstance(local, (tuple, list)) else (local,)
        if len(local) != len(inputs):
            raise TypeError(f"{self.name}'s derivative gave {len(local)} value"
                            f"{'s' * (len(local) != 1)} for {len(inputs)} input"
                            f"{'s' * (len(inputs) != 1)}: it must give one per input, "
                            "d out/d x_i for each x_i in order")
        return local

    def local_formula(self, index: int, names: list[str], out: str) -> str | None:
        """The derivative with respect to input `index`, written with the inputs' names and the
        output's name out; None where it is a plain number by definition (x + y, sum)."""
        if callable(self.formula):
            return self.formula(index, names)
        if self.formula is not None:
            template = self.formula[index]
            return None if is_number_text(template) else fill(template, self, names, out)
        local = self.local_derivatives(tuple(map(Symbol, names)), Symbol(out))[index]
        return local.text if isinstance(local, Symbol) else None

    def derivative_text(self, index: int, names: list[str], out: str) -> str:
        """The derivative with respect to input `index` as text, a formula or a number ("0")."""
        formula = self.local_formula(index, names, out)
        if formula is not None:
            return formula
        local = self.local_derivatives(tuple(map(Symbol, names)), Symbol(out))[index]
        return local.text if isinstance(local, Symbol) else f"{local:g}"

    def shown_text(self, names: list[str]) -> str:
        """How the op's value is computed, with the inputs' names: "x * w", "tanh(z)"."""
        if callable(self.shown):
            return self.shown(names)
        if self.shown is not None:
            return fill(self.shown, self, names, "")
        if len(names) > 6:
            names = [*names[:3], "…", names[-1], f"({len(names)} in all)"]
        return f"{self.name}({', '.join(names)})"


def arity_of(derivative: Callable) -> int:
    """How many inputs derivative(*inputs, out) takes: its positional parameters, minus out."""
    try:
        parameters = list(inspect.signature(derivative).parameters.values())
    except (TypeError, ValueError):
        raise TypeError(f"cannot read the parameters of {derivative!r}: write the derivative "
                        "as a def or a lambda, derivative(x, ..., out)") from None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if len(parameters) < 2 or not all(p.kind in kinds for p in parameters):
        raise TypeError(f"the derivative must take each input and then the output, as in "
                        f"lambda x, out: ..., got parameters ({', '.join(map(str, parameters))})")
    return len(parameters) - 1


def check_result(op: Op, inputs: tuple, number: object, what: str) -> None:
    """A clear error unless number is a finite real: what op computed at inputs (what = "" for
    its value, "'s derivative" for a local derivative)."""
    if type(number) is float and number - number == 0.0:  # the usual case, without the ABCs
        return
    if isinstance(number, Real) and not isinstance(number, bool) and math.isfinite(number):
        return
    at = _shown(inputs)
    if not isinstance(number, Real) or isinstance(number, bool):
        raise TypeError(f"{op.name}{what} must be a real number, got {type(number).__name__}: "
                        f"{number!r} at ({at})")
    error = OverflowError if math.isinf(number) else ValueError
    raise error(f"{op.name}{what} at ({at}) is {number!r}, not a finite number")


def _shown(inputs: tuple) -> str:
    """The first few inputs, for a message: 1.0, 2.0, ..."""
    return ", ".join(repr(getattr(x, "data", x)) for x in inputs[:4]) + ", ..." * (len(inputs) > 4)


# Every row by name: autograd.ops puts the built-in ones here, its Family the powers it makes,
# and define_op the learner's own.
_registry: dict[str, Op] = {}


def op_named(name: str) -> Op:
    """The row of the op called name (a built-in, a power such as "**2" made before, or a
    define_op)."""
    try:
        return _registry[name]
    except KeyError:
        raise KeyError(f"no op is called {name!r}: define it with autograd.define_op "
                       f"first") from None


def all_ops() -> list[Op]:
    """The built-in rows, the powers made so far, then every op define_op has made (the latest
    of each name)."""
    return list(_registry.values())
