"""nn.compile: a model's per-sample loss as straight-line Python, traced once by autograd.compile.

>>> import nn
>>> model = nn.MLP(2, [4, 3], activation="tanh", output="softmax", seed=0)
>>> loss = nn.compile(model, nn.cross_entropy)
>>> x, c = [0.5, -1.0], 2
>>> div = loss.backward(x, c)          # Div(model(x), c), and ∂Div/∂w added to every w.grad
>>> compiled_grads = [p.grad for p in model.parameters()]
>>> model.zero_grad()
>>> dynamic = nn.cross_entropy(model(x), c)
>>> dynamic.backward()                 # the dynamic graph gives the same numbers
>>> div == dynamic.data, compiled_grads == [p.grad for p in model.parameters()]
(True, True)
>>> [round(y, 4) for y in loss.predict(x)]     # the softmax outputs y, as floats
[0.1309, 0.1869, 0.6822]

An MLP builds the same graph for every sample; only the numbers differ. So each graph is traced
once, on the first sample that needs it, and then runs as a generated Python function (see
autograd.compiler.program): no Value is made per sample. What the graph depends on besides the
numbers of x is the desired output d itself: cross_entropy's class index picks the output it
takes the log of, a one-hot d's zeros decide which terms kl_divergence keeps, bce's d picks log
y or log(1 - y), hinge's d the sign. So there is one program per distinct d (per class, for
class labels), compiled on first use and cached. l2_divergence takes real-valued d, different
for every sample: its d_i are arguments of one program instead (½ Σ (y_i - d_i)² written as
l2_divergence(y - d, 0), the same floats). Every program also returns the model's outputs, so
training judges each sample's class without a second forward pass.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence

import autograd
from autograd import Program, Value
from nn.divergences import _targets, check_outputs_fit, divergence_record, l2_divergence
from nn.functional import output_list

_ARGUMENTS = "d as arguments"  # the cache key of l2's single program


def compile(model, divergence: Callable[..., Value]) -> CompiledLoss:  # noqa: A001
    """The per-sample loss Div(model(x), d), compiled: .backward(x, d) -> float, .predict(x).

    model is a Neuron, Layer or MLP (anything called on a list of numbers that returns a Value
    or a list of Values); divergence one of nn.DIVERGENCES or any Div(y, d) built from Value
    ops. Nothing is traced until the first call (its x is the trace's example); a model whose
    graph follows the data (Python control flow on .data) is refused then, with a ValueError.
    """
    return CompiledLoss(model, divergence)


class CompiledLoss:
    """model's per-sample loss Div(model(x), d), run as compiled programs.

    backward(x, d, scale=1.0)  Div; adds scale · ∂Div/∂w to each parameter's .grad, as
                               (Div * scale).backward() would (scale = 1/T averages a batch)
    backward_with_outputs(x, d, scale=1.0)
                               (Div, the outputs y as floats), from the same pass
    predict(x)                 the model's outputs, as a list of floats
    loss(x, d)                 Div alone, no gradient
    program(x, d)              the autograd.Program behind d (its .source is the code)

    The programs read the parameters' .data at every call, so they see every SGD step; they
    keep the parameter Values they traced (load_state_dict keeps them too; a model whose
    parameter objects are replaced needs a new nn.compile).
    """

    def __init__(self, model, divergence: Callable[..., Value]):
        if not callable(model) or not hasattr(model, "parameters"):
            raise TypeError(f"nn.compile needs a model (a Neuron, Layer or MLP), got "
                            f"{type(model).__name__}: {model!r:.100}")
        if not callable(divergence):
            raise TypeError(f"nn.compile needs a divergence Div(y, d) such as nn.cross_entropy, "
                            f"got {type(divergence).__name__}: {divergence!r:.100}")
        self.model, self.divergence = model, divergence
        self.programs: dict[object, Program] = {}  # by the pattern of d (see _pattern)
        self._predict: Program | None = None
        record = divergence_record(divergence)
        self._targets_are_arguments = record is not None and record.function is l2_divergence
        self._nin = self._nout = 0  # known after the first trace

    def backward(self, x: Sequence[float], d, scale: float = 1.0) -> float:
        """Div(model(x), d); adds scale · ∂Div/∂w to each parameter's .grad."""
        return self.backward_with_outputs(x, d, scale)[0]

    def backward_with_outputs(self, x: Sequence[float], d,
                              scale: float = 1.0) -> tuple[float, list[float]]:
        """(Div, the model's outputs y as floats); adds scale · ∂Div/∂w to each .grad."""
        program, numbers = self._program_and_numbers(x, d, scale)
        record = divergence_record(self.divergence)
        if record is not None and record.probabilities:  # y checked before any gradient is
            self._check_outputs(program, numbers)         # added, as the divergence checks it
        _, (div, *ys) = program.backward(*numbers)
        return div, ys

    def loss(self, x: Sequence[float], d) -> float:
        """Div(model(x), d), without gradients."""
        program, numbers = self._program_and_numbers(x, d, 1.0)
        return self._check_outputs(program, numbers)[0]

    def _check_outputs(self, program: Program, numbers: tuple) -> list[float]:
        """[Div, *y] from a forward run, after check_outputs_fit (kl, bce: y are probabilities)."""
        div, *ys = program(*numbers)[1]
        check_outputs_fit(self.divergence, ys)
        return [div, *ys]

    def predict(self, x: Sequence[float]) -> list[float]:
        """The model's outputs at x as floats (a model returning one Value: a list of one)."""
        self._check_input(x)
        if self._predict is None:
            self._predict = self._outputs(x)
            self._nin = len(x)
        return self._predict(*x)[1]

    def program(self, x: Sequence[float], d) -> Program:
        """The compiled program that serves the samples with d's pattern (traced at x if new)."""
        return self._program_and_numbers(x, d, 1.0)[0]

    def __repr__(self) -> str:
        name = getattr(self.divergence, "__name__", "divergence")
        count = len(self.programs) + (self._predict is not None)
        programs = "1 program" if count == 1 else f"{count} programs"
        return f"<compiled {name} loss of {self.model!r}: {programs} so far>"

    # ---- the programs ----

    def _program_and_numbers(self, x: Sequence[float], d,
                             scale: float) -> tuple[Program, tuple]:
        """The program for d, and the numbers to call it with: x, (l2: d,) scale."""
        self._check_input(x)
        if self._targets_are_arguments:
            key, targets = _ARGUMENTS, self._l2_targets(d)
        else:
            key, targets = _pattern(d), ()
        numbers = (*x, *targets, scale)
        program = self.programs.get(key)
        if program is None:
            program = self.programs[key] = self._compile_loss(x, d, targets, scale)
            self._nin = len(x)
        return program, numbers

    def _compile_loss(self, x: Sequence[float], d, targets: tuple, scale: float) -> Program:
        """Trace per_sample(x_1..x_n, [d_1..d_m,] scale) -> (Div · scale, [Div, y_1..y_k])."""
        model, divergence, n = self.model, self.divergence, len(x)
        def per_sample(*numbers: Value) -> tuple[Value, list[Value]]:
            output = model(list(numbers[:n]))  # a Value or a list, as the divergence expects
            y = output_list(output)
            self._nout = len(y)
            if self._targets_are_arguments:
                div = l2_with_target_values(y, numbers[n:-1])
            else:
                div = divergence(output, d)
            if not isinstance(div, Value):
                raise TypeError(f"nn.compile needs the divergence to return a Value, got "
                                f"{type(div).__name__}: {div!r:.100}")
            return div * numbers[-1], [div, *y]

        names = [*_input_names(x), *(f"d_{i + 1}" for i in range(len(targets))), "scale"]
        return _trace(per_sample, "loss", (*x, *targets, scale), names)

    def _outputs(self, x: Sequence[float]) -> Program:
        """Trace outputs(x_1..x_n) -> (y_1, [y_1..y_k]): the model alone, for predict."""
        model = self.model

        def outputs(*numbers: Value) -> tuple[Value, list[Value]]:
            y = output_list(model(list(numbers)))
            self._nout = len(y)
            return y[0], y

        return _trace(outputs, "outputs", tuple(x), _input_names(x))

    # ---- arguments ----

    def _check_input(self, x: object) -> None:
        """A TypeError unless x is a list (of as many numbers as the programs were traced with)."""
        if not isinstance(x, (list, tuple)):
            raise TypeError(f"a compiled loss takes x as a list of numbers (one sample's "
                            f"inputs), got {type(x).__name__}: {x!r:.100}")
        if self._nin and len(x) != self._nin:
            raise TypeError(f"this compiled loss takes x as a list of {self._nin} numbers (as "
                            f"it was traced with), got {len(x)}: {x!r:.100}")

    def _l2_targets(self, d) -> tuple[float, ...]:
        """d as the numbers d_1..d_m (a number for one output), checked as l2_divergence does."""
        return tuple(_targets(d, self._nout or None, "l2_divergence"))


def compiled_batch_gradients(loss: CompiledLoss, inputs: Sequence, targets: Sequence,
                             judge: Callable | None = None) -> tuple[float, int | None]:
    """nn.training.batch_gradients, with the per-sample forward, Div and backward of Div / T
    run by a compiled loss (nn.compile): the same floats in the same order, and no graph per
    sample. judge(ys, d) -> bool counts the right answers, as train's classifier does."""
    scale = 1.0 / len(inputs)
    total, correct = 0.0, 0
    for x, d in zip(inputs, targets):
        div, ys = loss.backward_with_outputs(x, d, scale)
        check_outputs_fit(loss.divergence, ys)  # the program checked them only when traced
        total += div
        if judge is not None:
            correct += judge(ys, d)
    return total * scale, (None if judge is None else correct)


def l2_with_target_values(y: list[Value], d: Sequence[Value]) -> Value:
    """l2_divergence(y, d) for desired outputs d that are Values (a program's arguments):
    ½ Σ_i (y_i - d_i)² = l2_divergence(y - d, 0), and u - 0.0 is exactly u, so the same floats
    and gradients as l2_divergence(y, [numbers]) in one graph for every d."""
    if len(y) != len(d):
        raise ValueError(f"l2_divergence needs one desired value per output: y has {len(y)} "
                         f"outputs, d has {len(d)} values")
    return l2_divergence([yi - di for yi, di in zip(y, d)], [0.0] * len(y))


def _pattern(d: object) -> tuple:
    """What a divergence's graph may depend on in d: d itself, with the types of its entries
    (so True does not reuse the program of 1, whose divergence would refuse it)."""
    many = isinstance(d, (list, tuple))
    key = (type(d), tuple(d), tuple(map(type, d))) if many else (type(d), d)
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"nn.compile needs a desired output d made of numbers (a class index, "
                        f"a number or a list of numbers), got {type(d).__name__}: "
                        f"{d!r:.100}") from None
    return key


def _trace(fn: Callable, name: str, example: tuple, names: list[str]) -> Program:
    """autograd.compile(fn, example, has_aux=True), with fn named `name` and its arguments
    `names` (the generated code's def line reads run(leaves, x_1, x_2, ..., scale))."""
    kind = inspect.Parameter.POSITIONAL_ONLY
    fn.__signature__ = inspect.Signature([inspect.Parameter(a, kind) for a in names])
    fn.__name__ = name
    return autograd.compile(fn, example, has_aux=True)


def _input_names(x: Sequence[float]) -> list[str]:
    return [f"x_{j + 1}" for j in range(len(x))]
