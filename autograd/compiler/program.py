"""autograd.compile: trace a function once, then run it as straight-line Python.

>>> from autograd import Value, compile
>>> w, b = Value(0.5, label="w"), Value(-1.0, label="b")
>>> loss = compile(lambda x, d: ((w * x + b).tanh() - d) ** 2, (2.0, 0.0))
>>> loss(2.0, 0.0)                        # (tanh(0.5 * 2 - 1) - 0) ** 2
0.0
>>> round(loss.backward(4.0, 0.5), 6)     # the same value as loss(4.0, 0.5)
0.068432
>>> round(w.grad, 6), round(b.grad, 6)    # added, as fn(*map(Value, args)).backward() adds
(0.878903, 0.219726)

An MLP's graph has the same shape for every sample; only the numbers change. So fn runs once on
Values (a trace, see autograd.compiler.tracing), and its graph becomes a Python function with
one line per node: the forward pass, then the chain rule unrolled in reverse topological order
(autograd.compiler.codegen). `prog.source` is that module, for reading. The Values fn reaches
that are not its arguments (the model's parameters) are the program's free leaves: it reads
their .data at every call, so it sees each SGD step, and backward adds to their .grad.

has_aux=True (as in JAX) lets fn return a pair (value, aux), aux a list of Values it computed on
the way, such as a model's outputs beside its loss: the program then returns (value, [numbers]),
and backward still differentiates value alone.

>>> pair = compile(lambda x: (w * x + b, [w * x]), (2.0,), has_aux=True)
>>> pair(4.0)                             # (0.5 * 4 - 1, [0.5 * 4])
(1.0, [2.0])
"""

from __future__ import annotations

import builtins
import itertools
import linecache
import math
import random
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from numbers import Real

from autograd.backprop import topological_order
from autograd.compiler.codegen import generate
from autograd.compiler.tracing import Tape, trace
from autograd.numbers import not_all_finite
from autograd.value import Value

RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE = 1e-12, 1e-14  # check=True: compiled vs dynamic
_CHECKED_POINTS = 3
_program_numbers = itertools.count(1)


MAX_NODES = 200_000  # compile's default bound: about 1.2 GB while the program is generated


def compile(fn: Callable[..., Value], example: Sequence[float], *,  # noqa: A001
            check: bool = False, has_aux: bool = False,
            max_nodes: int = MAX_NODES) -> Program:
    """Trace fn at `example` (one number per argument) into a Program that replays its graph.

    fn takes Values and returns one Value (with has_aux=True: a pair (value, aux), aux a list
    of Values, whose numbers the program returns beside value's). Raises ValueError when fn's
    graph depends on the numbers (its shape, or a number baked in from .data, differs between
    runs at the example and near it). check=True also runs fn in the dynamic engine at a few
    random arguments and raises ValueError if the program's value, aux numbers or any gradient
    differs beyond 1e-12 relative (1e-14 absolute); the free leaves' .grad are left as they
    were either way. A graph of more than max_nodes nodes is refused with a ValueError before
    any code is generated (generating takes about 6 KB a node: 1e6 nodes, some 6 GB).
    """
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise TypeError(f"compile needs max_nodes as a positive int, got "
                        f"{type(max_nodes).__name__}: {max_nodes!r}")
    program = Program(fn, trace(fn, example, has_aux=has_aux, max_nodes=max_nodes))
    if check:
        _check_against_engine(program, tuple(float(x) for x in example))
    return program


class Program:
    """fn's graph as a Python function: call it for the value, .backward(...) for gradients too.

    fn              the traced function
    source          the generated module (str): forward lines, then backward lines
    free_leaves     the Values fn reached that are not its arguments, in topological order
    argument_names  fn's parameter names (x1, x2, ... when it has none to read)
    has_aux         whether fn returns (value, aux): then calls return (value, [aux numbers])
    """

    def __init__(self, fn: Callable[..., Value], tape: Tape):
        self.fn = fn
        self.free_leaves = tape.free_leaves
        self.has_aux = tape.aux is not None
        self.argument_names = list(tape.argument_names)
        self.source = generate(tape)
        self._tape = tape  # for batch(): the same graph written over arrays
        self._nodes = len(tape.nodes)
        self._arity = len(tape.argument_names)
        namespace, filename = _load(self.source, tape.name)
        self._run = namespace["run"]
        # the source stays registered for tracebacks as long as the program lives, no longer
        weakref.finalize(self, linecache.cache.pop, filename, None)

    def __call__(self, *args: float) -> float:
        """fn's value at args, reading the free leaves' current .data (has_aux: (value, aux))."""
        return self._finite(self._run(self.free_leaves, *self._arguments(args)))

    def backward(self, *args: float) -> float:
        """fn's value at args (has_aux: (value, aux)); adds d(value)/d(leaf) to each free leaf's
        .grad, as backward() would. Where a value or a gradient overflows it raises
        OverflowError, as backward() does, and every .grad is left as it was."""
        leaves = self.free_leaves
        before = [leaf.grad for leaf in leaves]
        try:
            result = self._finite(self._run(leaves, *self._arguments(args), backward=True))
            if not_all_finite([leaf.grad for leaf in leaves]):
                _refuse_overflow(leaves)
        except BaseException:
            for leaf, grad in zip(leaves, before):
                leaf.grad = grad
            raise
        return result

    def batch(self, *, vectorize: bool = True, layers: bool = True):
        """This program written over numpy arrays, a whole batch at once: a BatchProgram (see
        autograd.compiler.batch_program; needs numpy). vectorize=False refuses a row without an
        array form instead of running its float function per sample; layers=False runs every
        node op by op (no matrix products)."""
        from autograd.compiler.batch_program import BatchProgram
        return BatchProgram(self._tape, vectorize=vectorize, layers=layers, scalar=self)

    def _arguments(self, args: tuple) -> tuple:
        if len(args) == self._arity and all(type(x) is float and x - x == 0.0 for x in args):
            return args  # finite floats: the common case
        return self._numbers(args)

    def _finite(self, result):
        """The result, unless the run overflowed (the dynamic engine raises where a float does;
        the program checks what it returns, so an inf that a later op hid is not caught)."""
        value = result[0] if self.has_aux else result
        if value - value != 0.0:
            raise OverflowError(f"the program's value is {value!r}: a float overflowed "
                                "(the dynamic engine raises at the op where it happens)")
        return result

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", "fn")
        return (f"<Program {name}({', '.join(self.argument_names)}): {self._nodes} nodes, "
                f"{len(self.free_leaves)} free leaves>")

    def _numbers(self, args: tuple) -> tuple[float, ...]:
        """args as floats, or a TypeError saying what this program takes."""
        if len(args) != self._arity:
            raise TypeError(f"this program takes {self._arity} numbers "
                            f"({', '.join(self.argument_names)}), like the example it was "
                            f"compiled with, got {len(args)}: {args!r}")
        for x in args:
            if isinstance(x, bool) or not isinstance(x, Real):
                hint = " (a compiled program takes numbers: pass .data)" \
                    if isinstance(x, Value) else ""
                raise TypeError(f"this program takes real numbers, got {type(x).__name__}: "
                                f"{x!r}{hint}")
            if not math.isfinite(x):
                raise ValueError(f"this program takes finite numbers, as Value does, got {x!r}")
        return tuple(float(x) for x in args)


def _refuse_overflow(leaves: Sequence[Value]) -> None:
    """OverflowError naming the first free leaf whose gradient is not finite."""
    i, leaf = next((i, v) for i, v in enumerate(leaves) if not math.isfinite(v.grad))
    name = f"{leaf.label!r}, " if leaf.label else ""
    raise OverflowError(f"the program's backward pass: the gradient of free leaf {i} ({name}"
                        f"data {leaf.data:.6g}) overflowed to {leaf.grad!r}; every .grad is "
                        "left as it was (backward() refuses it too)")


def _load(source: str, name: str) -> tuple[dict, str]:
    """Compile and run the generated module; register its text so tracebacks show its lines.
    Returns the module's namespace and the file name it is registered under."""
    filename = f"<autograd.compile {name} #{next(_program_numbers)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {"__name__": f"autograd.compiled.{name}"}
    exec(builtins.compile(source, filename, "exec"), namespace)
    return namespace, filename


# ---- check=True: the program against the dynamic engine ----


def _check_against_engine(program: Program, example: tuple[float, ...]) -> None:
    """Compare program and fn at a few random arguments; a ValueError at the first difference."""
    rng = random.Random(1)
    for _ in range(_CHECKED_POINTS):
        args = tuple(x + (abs(x) + 1.0) * rng.gauss(0.0, 1.0) for x in example)
        dynamic = _attempt(_dynamic_gradients, program, args)
        compiled = _attempt(_compiled_gradients, program, args)
        difference = _difference(program, dynamic, compiled)
        if difference:
            raise ValueError(
                f"compile(check=True): the compiled program and fn disagree at {args}: "
                f"{difference}. fn's graph probably depends on the numbers in a way the trace "
                "did not see (control flow on .data far from the example); the free leaves' "
                ".grad are as they were.")


def _attempt(run: Callable, program: Program, args: tuple[float, ...]) -> list | Exception:
    """run's result, or the domain error it raised (the engine's errors must match too)."""
    try:
        return run(program, args)
    except (ValueError, ArithmeticError) as error:
        return error


def _dynamic_gradients(program: Program, args: tuple[float, ...]) -> list[float]:
    """[value, *aux numbers, d(value)/d(leaf) for each free leaf] from the dynamic engine."""
    output, aux = program.fn(*(Value(x) for x in args)), []
    if program.has_aux:
        output, aux = output
    if not isinstance(output, Value):
        raise TypeError(f"compile needs fn to return one Value, got {type(output).__name__}")
    reached = [v for v in topological_order(output) if not v.parents]
    with _zeroed_grads([*program.free_leaves, *reached]):
        output.backward()
        return [output.data, *(v.data for v in aux),
                *(leaf.grad for leaf in program.free_leaves)]


def _compiled_gradients(program: Program, args: tuple[float, ...]) -> list[float]:
    """[value, *aux numbers, d(value)/d(leaf) for each free leaf] from the program."""
    with _zeroed_grads(program.free_leaves):
        value, aux = program.backward(*args), []
        if program.has_aux:
            value, aux = value
        return [value, *aux, *(leaf.grad for leaf in program.free_leaves)]


@contextmanager
def _zeroed_grads(leaves: Sequence[Value]) -> Iterator[None]:
    """Run the body with every leaf's .grad at 0.0; afterwards put back .grad and .backward_pass."""
    saved = {leaf: (leaf.grad, leaf.backward_pass) for leaf in leaves}
    for leaf in saved:
        leaf.grad = 0.0
    try:
        yield
    finally:
        for leaf, (grad, backward_pass) in saved.items():
            leaf.grad, leaf.backward_pass = grad, backward_pass


def _difference(program: Program, dynamic: list | Exception, compiled: list | Exception) -> str:
    """What differs between the two results, in words ("" when they agree)."""
    if isinstance(dynamic, Exception) or isinstance(compiled, Exception):
        if type(dynamic) is type(compiled):  # the same refusal; the words may differ, where
            return ""  # the engine checks before a composite's rows (x ** y at x < 0)
        return f"the dynamic engine gives {dynamic!r}, the compiled program {compiled!r}"
    aux = len(dynamic) - 1 - len(program.free_leaves)
    names = ["the value", *(f"aux value {i}" for i in range(aux)),
             *(f"the gradient of free leaf {i} ({leaf!r})"
               for i, leaf in enumerate(program.free_leaves))]
    for name, d, c in zip(names, dynamic, compiled):
        if not (_close(d, c)):
            return f"{name} is {c!r} compiled but {d!r} in the dynamic engine"
    return ""


def _close(a: float, b: float) -> bool:
    """Equal within the contract's tolerance (NaN matches NaN)."""
    return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE) or (
        a != a and b != b)
