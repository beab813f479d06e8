"""BatchProgram: a compiled program run over a whole batch at once, on numpy arrays.

>>> from autograd import Value, compile
>>> w, b = Value(0.5, label="w"), Value(-1.0, label="b")
>>> program = compile(lambda x, d: ((w * x + b).tanh() - d) ** 2, (2.0, 0.0))
>>> batch = program.batch()                     # needs numpy
>>> [round(v, 6) for v in batch([2.0, 4.0], [0.0, 0.5]).tolist()]   # two samples at once
[0.0, 0.068432]
>>> values = batch.backward([2.0, 4.0], [0.0, 0.5])           # adds Σ over the batch to .grad
>>> round(w.grad, 6), round(b.grad, 6)
(0.878903, 0.219726)
>>> grads = batch.per_sample_gradients([2.0, 4.0], [0.0, 0.5])  # a column per sample
>>> grads.shape, [round(g, 6) for g in grads[0].tolist()]
((2, 2), [0.0, 0.878903])

program.batch() writes the program's graph a second way (autograd.compiler.batch): every
variable an array of one number per sample, layers as matrix products. Its numbers equal the
scalar program's to about 1e-15 relative (sums are added in another order). numpy is imported
here only, so autograd and the scalar compiler work without it (`pip install 'chainrule[fast]'`).
"""

from __future__ import annotations

import builtins
import itertools
import linecache
import weakref
from collections.abc import Sequence

from autograd import ops
from autograd.compiler import arrays
from autograd.compiler.batch import generate
from autograd.compiler.tracing import Tape

_numbers = itertools.count(1)


def numpy_or_error():
    """numpy, or an ImportError saying how to install it."""
    try:
        import numpy
    except ImportError:
        raise ImportError("the batch backend runs compiled programs on numpy arrays: pip "
                          "install 'chainrule[fast]' (or numpy)") from None
    return numpy


class BatchProgram:
    """A traced graph as array code: call it on columns of numbers (one list per argument).

    __call__(*columns)         the value per sample (has_aux: (values, [aux arrays]))
    backward(*columns)         the same; adds Σ over the batch of d(value)/d(leaf) to .grad
    per_sample_gradients(*columns)
                               d(value)/d(leaf) per sample: an array (free leaves, samples)
    run(theta, A, backward)    the generated function itself: theta the free leaves' numbers
                               (in the order of .free_leaves: a layer's parameters are one
                               block), A one row per argument, one column per sample
    source                     the generated module (per_sample_source: the per-sample one)
    """

    def __init__(self, tape: Tape, *, vectorize: bool = True, layers: bool = True,
                 scalar=None):
        np = numpy_or_error()
        if not vectorize:
            arrays.missing_array_form(node.op for node in tape.nodes if node.kind == "op")
            _check_derivatives_have_arrays(tape)
        self._np, self._tape, self._layers = np, tape, layers
        self._vectorize = vectorize
        self.has_aux = tape.aux is not None
        self.argument_names = list(tape.argument_names)
        self.source, self.run = self._load(per_sample=False)
        self._per_sample = None
        self._scalar = scalar  # the scalar Program, which raises the engine's errors

    def _load(self, per_sample: bool):
        source, order = generate(self._tape, per_sample=per_sample, layers=self._layers)
        # theta's order: each layer's parameters one block (the same for both forms)
        self.free_leaves = tuple(self._tape.free_leaves[i] for i in order)
        namespace = arrays.namespace(self._vectorize)
        filename = f"<autograd.compile batch {self._tape.name} #{next(_numbers)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        weakref.finalize(self, linecache.cache.pop, filename, None)
        exec(builtins.compile(source, filename, "exec"), namespace)
        return source, namespace["run"]

    @property
    def per_sample_source(self) -> str:
        return self._per_sample_run()[0]

    def _per_sample_run(self):
        if self._per_sample is None:
            self._per_sample = self._load(per_sample=True)
        return self._per_sample

    def theta(self):
        """The free leaves' numbers now, as an array (what run reads as theta)."""
        return self._np.fromiter((leaf.data for leaf in self.free_leaves), float,
                                 len(self.free_leaves))

    def arguments(self, columns: Sequence) -> object:
        """The columns as A: one row per argument, one column per sample."""
        if len(columns) != len(self.argument_names):
            raise TypeError(f"this batch program takes {len(self.argument_names)} columns "
                            f"({', '.join(self.argument_names)}), one list of numbers per "
                            f"argument, got {len(columns)}")
        A = self._np.array(columns, dtype=float)
        if A.ndim != 2:
            raise TypeError(f"this batch program takes one list of numbers per argument, all of "
                            f"one length (the batch), got shape {A.shape}")
        return A

    def __call__(self, *columns):
        """fn's value for every sample (has_aux: (values, [aux arrays]))."""
        A = self.arguments(columns)
        with self._np.errstate(all="ignore"):
            value, aux = self.run(self.theta(), A)
        value = self._checked(A, value)
        return (value, list(aux)) if self.has_aux else value

    def backward(self, *columns):
        """fn's values; adds the sum over the batch of d(value)/d(leaf) to each leaf's .grad."""
        A = self.arguments(columns)
        with self._np.errstate(all="ignore"):
            value, aux, grad = self.run(self.theta(), A, backward=True)
        value = self._checked(A, value, grad)
        add_to_grads(self.free_leaves, grad)
        return (value, list(aux)) if self.has_aux else value

    def per_sample_gradients(self, *columns):
        """d(value)/d(leaf) for each sample: an array of shape (free leaves, samples); no .grad
        changes."""
        A = self.arguments(columns)
        with self._np.errstate(all="ignore"):
            value, _, grad = self._per_sample_run()[1](self.theta(), A, backward=True)
        self._checked(A, value, grad)
        return grad

    def _checked(self, A, value, grad=None):
        """value as one number per sample, unless a number is not finite (numpy gives inf or nan
        where the engine raises): then the first such sample runs through the scalar program,
        which raises the engine's own error (log of 0, overflow, ...); .grad is left as it was."""
        np = self._np
        value = np.broadcast_to(value, (A.shape[1],))
        if np.all(np.isfinite(value)) and (grad is None or np.all(np.isfinite(grad))):
            return value
        if self._scalar is not None:
            for sample in A.T.tolist():  # the first sample the engine refuses raises here
                self._replay(sample)
        raise OverflowError("the batch program's value or gradients are not finite numbers "
                            "(a float overflowed, or a sum over the batch did)")

    def _replay(self, arguments: list[float]) -> None:
        """The scalar program's backward at one sample, every .grad put back afterwards."""
        saved = [leaf.grad for leaf in self.free_leaves]
        try:
            self._scalar.backward(*arguments)
        finally:
            for leaf, grad in zip(self.free_leaves, saved):
                leaf.grad = grad

    def __repr__(self) -> str:
        return (f"<BatchProgram {self._tape.name}({', '.join(self.argument_names)}): "
                f"{len(self._tape.nodes)} nodes, {len(self.free_leaves)} free leaves>")


def add_to_grads(leaves: Sequence, gradients) -> None:
    """Each leaf's .grad += its gradient (an array, one number per leaf, in the leaves' order):
    where the batch backend's gradients reach the Values, as backward() adds to them."""
    for leaf, g in zip(leaves, gradients.tolist()):
        leaf.grad += g


def _check_derivatives_have_arrays(tape: Tape) -> None:
    """vectorize=False: a row whose derivative calls a row without an array form is refused."""
    without = [row for row in ops.all_ops() if row.array is None]
    for node in tape.nodes:
        if node.kind == "op":
            inputs = tuple(arrays.ArraySymbol(f"x{i}") for i in range(len(node.parents)))
            for local in node.op.local_derivatives(inputs, arrays.ArraySymbol("y")):
                text = getattr(local, "text", "")
                arrays.missing_array_form(row for row in without
                                          if f"{row.function_name}(" in text)
