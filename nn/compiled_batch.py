"""A compiled loss run over a whole batch at once: nn.train(..., compile=True)'s batch steps.

>>> import nn
>>> X, D = nn.datasets.moons(40, noise=0.1, seed=0)
>>> model = nn.MLP(2, [8, 2], activation="tanh", output="softmax", seed=0)
>>> loss = nn.compile(model, nn.cross_entropy)
>>> batch = BatchLoss(loss)
>>> mean, correct = batch.gradients(X, D)   # adds ∂/∂w of the mean divergence to w.grad
>>> slopes = [p.grad for p in model.parameters()]
>>> model.zero_grad()
>>> same = nn.training.compiled_batch_gradients(loss, X, D)   # sample by sample
>>> import math
>>> math.isclose(mean, same[0], rel_tol=1e-12)
True
>>> all(math.isclose(a, p.grad, rel_tol=1e-12, abs_tol=1e-15)
...     for a, p in zip(slopes, model.parameters()))
True

The per-sample programs of nn.compile depend on the desired output d (cross-entropy's class
index picks the y_c it takes the log of; a one-hot d's zeros decide which terms kl keeps).
Cross-entropy takes d as a one-hot mask instead, one row of A per class (see
cross_entropy_of_one_hot: the same floats), so all of a step's samples run as one program.
For the others the samples are grouped by d's pattern, as nn.compile caches its programs, and
each group runs that program's batch form (autograd's Program.batch(): numpy arrays, the layers
as matrix products) over all of its samples at once; l2_divergence's d are arguments of its
one program, so its samples are one group. The gradients of the groups are added up in an array,
which is added to the parameters' .grad once. Where a value, a gradient or a probability that
the divergence checks is not what the engine would accept (inf, nan, a y outside [0, 1]), the
step is run again by the per-sample programs, which raise the engine's own error.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from autograd import Value, no_grad, sum_of
from autograd.compiler.batch_program import add_to_grads
from nn.compiled import (
    _ARGUMENTS,
    CompiledLoss,
    _input_names,
    _pattern,
    _trace,
    compiled_batch_gradients,
)
from nn.divergences import cross_entropy, divergence_record
from nn.functional import output_list

_ONE_HOT = "d as one-hot arguments"  # the key of cross-entropy's single program

Judge = Callable[[list[float], object], bool]


def numpy_available() -> bool:
    """Whether the batch backend can run (it needs numpy: pip install 'chainrule[fast]')."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


class BatchLoss:
    """loss (an nn.compile loss) over a batch: gradients(inputs, targets, judge) as
    nn.compiled.compiled_batch_gradients computes it, with each group of samples of one
    pattern of d run as one array program (cross-entropy: all of them, d one-hot).
    `fallback` (the per-sample gradients, by default compiled_batch_gradients) reruns a step
    whose numbers the engine would refuse.

    Rows of X and D are converted to arrays once, the first time a step uses them (they are
    known by identity: train keeps X and D as they are while it trains).
    """

    def __init__(self, loss: CompiledLoss, fallback: Callable | None = None):
        import numpy as np
        self.np, self.loss = np, loss
        self.leaves = list(loss.model.parameters())
        self._index = {id(leaf): i for i, leaf in enumerate(self.leaves)}
        self.programs: dict[object, tuple] = {}  # pattern of d -> (BatchProgram, positions)
        record = divergence_record(loss.divergence)
        self._probabilities = record is not None and record.probabilities
        self._one_hot = record is not None and record.function is cross_entropy
        self._classes = 0  # cross-entropy: the number of outputs (see _class_count)
        self._rows: dict[int, int] = {}  # id(row of X) -> its row in self._matrix
        self._kept: list = []  # the rows themselves, so that no id is reused
        self._matrix = np.zeros((0, 0))
        self._target_rows: dict[int, tuple] = {}
        self._seen: tuple = ([], [])  # the last step's samples (kept: compared by identity),
        self._groups_now: list = []  # and its groups, with their arrays
        self._labels = None  # cross-entropy's class indices of the last step, as an array
        self.fallback = compiled_batch_gradients if fallback is None else fallback

    def gradients(self, inputs: Sequence, targets: Sequence,
                  judge: Judge | None = None) -> tuple[float, int | None]:
        """(the mean divergence over the batch, how many samples judge counts right); adds
        ∂/∂w of the mean divergence to each parameter's .grad."""
        np = self.np
        theta = np.fromiter([leaf.data for leaf in self.leaves], float, len(self.leaves))
        grad = np.zeros(len(self.leaves))
        total, correct, refused = 0.0, 0, False
        with np.errstate(all="ignore"):
            for key, members, program, positions, A in self._prepared(inputs, targets):
                _, (div, *ys), g = program.run(theta[positions], A, backward=True)
                divs, ys = _per_sample(np, div, len(members)), \
                    [_per_sample(np, y, len(members)) for y in ys]
                grad[positions] += g
                total += float(np.sum(divs))
                refused = refused or (self._probabilities and not _probabilities(np, ys))
                if judge is not None:
                    correct += self._judged(judge, key, ys, members, targets)
        if refused or not (np.isfinite(total) and np.all(np.isfinite(grad))):
            return self.fallback(self.loss, inputs, targets, judge=judge)
        add_to_grads(self.leaves, grad)
        return total * (1.0 / len(inputs)), (None if judge is None else correct)

    def _prepared(self, inputs: Sequence, targets: Sequence) -> list[tuple]:
        """(key, members, program, positions, A) per group of samples; kept while the step's
        samples are those of the step before (full-batch training: every step)."""
        seen_inputs, seen_targets = self._seen
        if not (len(inputs) == len(seen_inputs) and len(targets) == len(seen_targets) and
                all(map(operator.is_, inputs, seen_inputs)) and
                all(map(operator.is_, targets, seen_targets))):
            X, scale = self._inputs(inputs), 1.0 / len(inputs)
            self._groups_now = [
                (key, members, *self._program(key, inputs[members[0]], targets[members[0]]),
                 self._arguments(X, members, targets, scale))
                for key, members in self._groups(targets, inputs[0])]
            self._seen = (list(inputs), list(targets))
            self._labels = self.np.array(targets) if self._one_hot and \
                self._groups_now[0][0] == _ONE_HOT else None
        return self._groups_now

    def _arguments(self, X, members: list[int], targets: Sequence, scale: float):
        """A group's A: its inputs' columns, (l2:) the desired outputs, and scale."""
        np = self.np
        rows = [X[members].T]
        if self.loss._targets_are_arguments:
            rows.append(np.array([self._targets(targets[i]) for i in members]).T)
        elif self._one_hot and len(members) == len(targets) and self._classes:
            rows.append(np.eye(self._classes)[:, targets])  # a column per sample: one_hot(c)
        rows.append(np.full((1, len(members)), scale))
        return np.ascontiguousarray(np.concatenate(rows))

    # ---- grouping, programs and arrays ----

    def _groups(self, targets: Sequence, x: Sequence[float]) -> list[tuple[object, list[int]]]:
        """The samples' positions, grouped by the program their d needs (one group for l2)."""
        if self.loss._targets_are_arguments:
            return [(_ARGUMENTS, list(range(len(targets))))]
        np = self.np
        if self._one_hot and all(type(d) is int and d >= 0 for d in targets) and \
                max(targets) < self._class_count(x):  # else cross_entropy's error, per class
            return [(_ONE_HOT, list(range(len(targets))))]
        if all(type(d) is int for d in targets):  # class indices: grouped by numpy
            labels = np.array(targets)
            return [((int, int(c)), np.flatnonzero(labels == c).tolist())
                    for c in np.unique(labels).tolist()]
        groups: dict[object, list[int]] = {}
        for i, d in enumerate(targets):
            groups.setdefault(_pattern(d), []).append(i)
        return list(groups.items())

    def _program(self, key: object, x: Sequence[float], d: object) -> tuple:
        """The batch program for d's pattern (traced at x if new), and where its free leaves
        sit in self.leaves."""
        if key not in self.programs:
            scalar = self._one_hot_program(x) if key == _ONE_HOT else self.loss.program(x, d)
            program = scalar.batch()
            for leaf in program.free_leaves:  # a leaf of the divergence's own, if any
                if id(leaf) not in self._index:
                    self._index[id(leaf)] = len(self.leaves)
                    self.leaves.append(leaf)
            positions = self.np.array([self._index[id(leaf)] for leaf in program.free_leaves],
                                      dtype=self.np.intp)
            self.programs[key] = (program, positions)
        return self.programs[key]

    def _one_hot_program(self, x: Sequence[float]):
        """Cross-entropy's program with d one-hot as arguments: one program for every class
        (see cross_entropy_of_one_hot), traced at x."""
        model, n, k = self.loss.model, len(x), self._class_count(x)

        def per_sample(*numbers: Value) -> tuple[Value, list[Value]]:
            y = output_list(model(list(numbers[:n])))
            div = cross_entropy_of_one_hot(y, numbers[n:n + k])
            return div * numbers[-1], [div, *y]

        names = [*_input_names(x), *(f"d_{i + 1}" for i in range(k)), "scale"]
        return _trace(per_sample, "loss", (*x, 1.0, *[0.0] * (k - 1), 1.0), names)

    def _class_count(self, x: Sequence[float]) -> int:
        """How many outputs the model has (one forward pass at x, the first time)."""
        if not self._classes:
            self.loss._check_input(x)
            with no_grad():
                self._classes = len(output_list(self.loss.model(list(x))))
        return self._classes

    def _inputs(self, inputs: Sequence):
        """The inputs as a matrix, one row per sample (rows seen before are not converted again)."""
        np, rows = self.np, self._rows
        fresh = {id(x): x for x in inputs if id(x) not in rows}
        if fresh:
            for x in fresh.values():
                self.loss._check_input(x)
            start = len(self._kept)
            rows.update((key, start + k) for k, key in enumerate(fresh))
            self._kept.extend(fresh.values())
            added = np.array([list(x) for x in fresh.values()], dtype=float)
            self._matrix = np.concatenate([self._matrix, added]) if start else added
        return self._matrix[[rows[id(x)] for x in inputs]]

    def _targets(self, d: object) -> tuple:
        """l2's d as numbers (checked once per row of D)."""
        if id(d) not in self._target_rows:
            self._target_rows[id(d)] = (d, self.loss._l2_targets(d))
        return self._target_rows[id(d)][1]

    def _judged(self, judge: Judge, key: object, ys: list, members: list[int],
                targets: Sequence) -> int:
        """How many of the group's samples judge counts right. A judge of several outputs looks
        at the largest (nn.divergences.predicted_class: the first of equal ones, as argmax): so
        it is asked once per class predicted, for a group of one d."""
        np = self.np
        if key == _ONE_HOT:  # the pairs (class predicted, d): judge once per pair seen
            k, predicted = len(ys), np.argmax(np.stack(ys), axis=0)
            pairs = np.bincount(predicted * k + self._labels, minlength=k * k).tolist()
            return sum(count * judge(_unit(pair // k, k), pair % k)
                       for pair, count in enumerate(pairs) if count)
        if len(ys) == 1 or key == _ARGUMENTS:
            columns = np.stack(ys).T.tolist()
            return sum(judge(y, targets[i]) for y, i in zip(columns, members))
        counts = np.bincount(np.argmax(np.stack(ys), axis=0), minlength=len(ys)).tolist()
        d = targets[members[0]]
        return sum(count * judge(_unit(c, len(ys)), d) for c, count in enumerate(counts) if count)


def cross_entropy_of_one_hot(y: list[Value], d: Sequence[Value]) -> Value:
    """cross_entropy(y, c) for d = one_hot(c) given as Values (a program's arguments):
    Σ_i log(y_i) · (d_i · -1) is log(y_c) · -1.0, the other terms exactly 0, so the same
    floats and gradients as cross_entropy in one graph for every class (adding zeros is exact).
    A y_i that underflowed to 0 makes a nan here, where cross_entropy takes no log of it: the
    step then runs sample by sample (see BatchLoss)."""
    return sum_of([yi.log() * (di * -1.0) for yi, di in zip(y, d)])


def _unit(c: int, k: int) -> list[float]:
    """Outputs whose largest is c: what a judge of several outputs is asked about."""
    return [float(i == c) for i in range(k)]


def _per_sample(np, a, size: int):
    """a as one number per sample (a constant output is one number for all)."""
    return a if getattr(a, "shape", None) == (size,) else np.broadcast_to(a, (size,))


def _probabilities(np, ys: list) -> bool:
    """Whether every output is a probability, in [0, 1] (what kl and bce check)."""
    return all(bool(np.all((y >= 0.0) & (y <= 1.0))) for y in ys)
