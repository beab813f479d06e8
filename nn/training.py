"""The course's training algorithm: gradient descent on the mean divergence over the samples.

>>> import nn
>>> X, D = nn.datasets.line(20, noise=0.0, seed=0, slope=2.0, intercept=-1.0)
>>> model = nn.MLP(1, [1], output="linear", seed=0)
>>> history = nn.train(model, X, D, nn.l2_divergence, lr=0.5, max_steps=500, progress=False)
>>> history.stopped_by, [round(p.data, 3) for p in model.parameters()]   # [slope, intercept]
('tol', [2.0, -1.0])

Each step:  zero every gradient;  for each sample t of the batch: forward Y_t = model(X_t),
Div(Y_t, d_t), Loss += Div, backward (gradients accumulate in the weights);  average over the
T samples;  update every weight and bias, w ← w - lr · ∂Loss/∂w.  A divergence is summed over
a sample's outputs; the loss is averaged over the T samples of a batch.

compile=True runs each sample's forward, Div and backward as a compiled program (nn.compile):
the same History, number for number, without building a graph per sample. With numpy installed,
a step of several samples (batch, minibatch) runs that program's batch form instead, every
sample of the step at once on arrays (nn.compiled_batch): the same History to 1e-12 relative.
"""

from __future__ import annotations

import math
import random
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from numbers import Integral

from autograd import LogOfZeroError, Value, no_grad
from nn.checks import check_named, check_number
from nn.compiled import CompiledLoss, compiled_batch_gradients
from nn.compiled_batch import BatchLoss, numpy_available
from nn.divergences import DIVERGENCES, divergence_record, predicted_class
from nn.functional import output_list
from nn.history import History
from nn.optim import SGD, Schedule, make_schedule

MODES = ("batch", "sgd", "minibatch")
Judge = Callable[[list[float], object], bool]  # (output numbers, desired d) -> classified right?
Gradients = Callable[..., tuple[float, "int | None"]]  # batch_gradients with the model bound


def train(model, X: Sequence, D: Sequence, divergence: Callable[..., Value], *,
          lr: float | Schedule, mode: str = "batch", batch_size: int | None = None,
          max_steps: int = 1000, tol: float = 1e-6, schedule: str | None = None,
          momentum: float = 0.0, seed: int | None = None, progress: bool = True,
          callback: Callable[[History], object] | None = None,
          compile: bool = False) -> History:  # noqa: A002 (the word of nn.compile, --compile)
    """Train model on inputs X and desired outputs D by gradient descent on divergence(Y, d).

    divergence  Div(y, d): a Value computed from the model's outputs y by Value ops, such as
                nn.kl_divergence (a number, or a constant Value, is a TypeError)
    which samples, each step (batch_plan):
      mode      "batch": every sample each step;  "sgd": one sample per step;  "minibatch":
                batch_size samples per step (sgd and minibatch make order = list(range(T))
                once; at the start of every pass they shuffle that same list in place with
                the one random.Random(seed), then take its slices in turn)
    how far, each step (the optimizer, nn.SGD):
      lr        a number, or a schedule step -> lr (see nn.optim)
      schedule  None, or the name of a schedule that starts at the number lr and decays over
                max_steps: "constant", "linear", "exponential", "step" (nn.optim.make_schedule)
      momentum  SGD momentum, 0 <= momentum < 1
    when to stop (Stopping): when a step's largest parameter change max|Δw| falls below tol
                ("tol"), after max_steps steps ("max_steps"), when callback(history) returns a
                true value ("callback"), or when the loss, a gradient or a step would overflow
                (the weights stay those of the last good step) or a probability underflows to
                0.0 so that its log is undefined ("diverged": the lr is too large).
                History.stopped_by and History.stop_reason say which. In sgd mode a sample
                that is already fitted (zero slope) ends training: pass tol=0 to always run on.
    progress    show a tqdm progress bar (needs tqdm; without it, training runs silently)
    compile     run each sample's forward and backward pass as a compiled program
                (nn.compile(model, divergence)): the same History, several times faster;
                the model's graph must not depend on the data (MLPs: never)

    Returns the History (loss, largest step, lr and, for class labels, accuracy per step).
    With nn.l2_divergence, whole numbers in D are values to fit, not class labels: no accuracy
    (one-hot lists, the course's L2-on-one-hot classification, still get one).
    """
    _check_data(X, D)
    _check_callables(divergence, callback)
    batches = batch_plan(mode, len(X), batch_size, seed)
    stopping = Stopping(max_steps, tol, callback)
    optimizer = SGD(model.parameters(), _learning_rate(lr, schedule, max_steps), momentum)
    record = divergence_record(divergence)
    judge = classifier(D, regression=record is not None and record.regression)
    run = TrainingRun(_gradients(model, divergence, compile), X, D, batches, optimizer, judge,
                      stopping, History(mode=mode))
    return run.run(progress)


def _gradients(model, divergence: Callable[..., Value], compiled: bool) -> Gradients:
    """gradients(inputs, targets, judge=...) of train's loop: batch_gradients, or
    compiled_batch_gradients with the model's loss compiled, the model bound either way."""
    if compiled:
        loss = CompiledLoss(model, divergence)
        if numpy_available():  # steps of several samples run on arrays (nn.compiled_batch)
            return partial(_batch_or_single, BatchLoss(loss), loss)
        return partial(compiled_batch_gradients, loss)
    return partial(batch_gradients, model, divergence=divergence)


def _batch_or_single(batch: BatchLoss, loss: CompiledLoss, inputs: Sequence, targets: Sequence,
                     judge: Judge | None = None) -> tuple[float, int | None]:
    """A step of several samples through the batch backend; of one (sgd), the scalar program."""
    if len(inputs) == 1:
        return compiled_batch_gradients(loss, inputs, targets, judge=judge)
    return batch.gradients(inputs, targets, judge=judge)


@dataclass(frozen=True)
class Stopping:
    """When train stops, besides a diverging loss: after max_steps steps, when a step's largest
    parameter change falls below tol, or when callback(history) returns a true value."""

    max_steps: int
    tol: float
    callback: Callable[[History], object] | None = None

    def __post_init__(self):
        check_named(self.max_steps, "max_steps")
        check_named(self.tol, "tol")

    def reason(self, step: int, largest: float, history: History) -> tuple[str, str] | None:
        """(stopped_by, stop_reason) once the step just taken ends training, else None."""
        if largest < self.tol:
            return "tol", (f"the largest step {largest:.3g} fell below tol = {self.tol:g} at "
                           f"step {step}")
        if self.callback is not None and self.callback(history):
            return "callback", f"the callback asked to stop at step {step}"
        if step == self.max_steps:
            return "max_steps", f"took all {self.max_steps} steps it was given"
        return None


@dataclass
class TrainingRun:
    """The state of train()'s loop: what it computes with, and the History it fills in."""

    gradients: Gradients  # (inputs, targets, judge=...) -> (mean loss, right answers)
    X: Sequence
    D: Sequence
    batches: Iterator[list[int]]
    optimizer: SGD
    judge: Judge | None
    stopping: Stopping
    history: History

    def run(self, progress: bool) -> History:
        """Step until self.stopping (or a diverging loss) says to stop; the finished History."""
        bar = _progress_bar(self.stopping.max_steps, progress)
        start = time.perf_counter()
        try:
            stopped = None
            for step in range(1, self.stopping.max_steps + 1):
                stopped = self.step(step, bar)
                if stopped is not None:
                    break
        finally:
            if bar is not None:
                bar.close()
        self.history.finish(*stopped, time.perf_counter() - start)
        return self.history

    def step(self, step: int, bar) -> tuple[str, str] | None:
        """One step: gradients of the batch's mean divergence, then the update; returns
        (stopped_by, stop_reason) when training ends here, else None."""
        batch = next(self.batches)
        lr = self.optimizer.current_lr()
        self.optimizer.zero_grad()
        try:
            loss, correct = self.gradients([self.X[i] for i in batch],
                                           [self.D[i] for i in batch], judge=self.judge)
            if not math.isfinite(loss):
                return "diverged", f"the loss became {loss} at step {step} (try a smaller lr)"
            largest = self.optimizer.step()
        except OverflowError as error:  # a weight or a gradient grew until a float overflowed
            return "diverged", f"{error} at step {step} (try a smaller lr)"
        except LogOfZeroError:
            # A softmax or sigmoid output is positive in exact arithmetic, so a log of exactly
            # 0.0 means a probability underflowed: the lr is too large. (A log of a negative
            # number is a misuse, such as kl_divergence after a tanh output, and still raises.)
            return "diverged", (f"a probability underflowed to 0.0 at step {step}, so its log "
                                f"is undefined (try a smaller lr)")
        self.history.record(loss, largest, lr,
                            None if self.judge is None else correct / len(batch))
        if bar is not None:
            bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
            bar.update()
        return self.stopping.reason(step, largest, self.history)


def batch_gradients(model, inputs: Sequence, targets: Sequence,
                    divergence: Callable[..., Value],
                    judge: Judge | None = None) -> tuple[float, int | None]:
    """For each sample: forward, Div, backward of Div / T, so the parameters' .grad
    accumulate ∂/∂w of the mean divergence (1/T) Σ_t Div(Y_t, d_t).

    Returns (that mean divergence, how many samples judge counted as right, or None without a
    judge). The gradients must be zeroed before. A divergence that returns anything but a Value
    built from y (a number, or a constant Value(...) computed from y's .data) is a TypeError.
    (compiled_batch_gradients does the same with a compiled per-sample loss.)
    """
    scale = 1.0 / len(inputs)
    total, correct = 0.0, 0
    for x, d in zip(inputs, targets):
        y = model(x)
        div = divergence(y, d)
        _check_divergence_result(div, divergence)
        total += div.data
        (div * scale).backward()
        if judge is not None:
            correct += judge([v.data for v in output_list(y)], d)
    return total * scale, (None if judge is None else correct)


def batch_plan(mode: str, n: int, batch_size: int | None,
               seed: int | None) -> Iterator[list[int]]:
    """The sample indices of each step, without end (see train's mode)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of: {', '.join(MODES)}")
    if mode == "minibatch":
        if batch_size is None:
            raise ValueError("mode='minibatch' needs batch_size (samples per step)")
        check_number(batch_size, "batch_size", low=1, high=n, integral=True)
        size = batch_size
    elif batch_size is not None:
        raise ValueError(f"batch_size is for mode='minibatch'; mode={mode!r} uses "
                         f"{'all samples' if mode == 'batch' else 'one sample'} per step")
    else:
        size = n if mode == "batch" else 1
    return _batches(n, size, mode != "batch", random.Random(seed))


def _batches(n: int, size: int, shuffle: bool, rng: random.Random) -> Iterator[list[int]]:
    order = list(range(n))
    while True:
        if shuffle:
            rng.shuffle(order)
        for start in range(0, n, size):
            yield order[start:start + size]


def classifier(D: Sequence, regression: bool = False) -> Judge | None:
    """How to tell a right answer, from the desired outputs; None for regression targets.

    The output vector's class is predicted_class(y): the largest output, or for one output
    class 1 above 0.5 (a probability, labels 0/1) or above 0 (a score, labels -1/+1). Class
    indices: that class is d; one-hot lists: it is where d's 1 is. regression=True (training
    with l2_divergence): whole numbers are values to fit, not class indices.
    """
    if not regression and all(isinstance(d, Integral) and not isinstance(d, bool) for d in D):
        threshold = 0.0 if any(d == -1 for d in D) else 0.5  # hinge's ±1 labels: a score

        def judge_index(ys: list[float], d: int) -> bool:
            if len(ys) == 1:
                return predicted_class(ys, threshold) == int(d == 1)
            return predicted_class(ys) == d

        return judge_index
    if all(isinstance(d, (list, tuple)) and _is_one_hot(d) for d in D):
        return lambda ys, d: predicted_class(ys) == predicted_class(d)
    return None


def accuracy(model, X: Sequence, D: Sequence) -> float:
    """The fraction of samples the model classifies right (see classifier), without a graph.

    model is a Module, or a compiled loss (nn.compile(model, divergence)), whose predict runs
    the compiled forward pass instead: the same outputs, faster.
    """
    _check_data(X, D)
    judge = classifier(D)
    if judge is None:
        raise ValueError("accuracy needs class labels (class indices or one-hot lists) as D, "
                         f"got regression targets such as {D[0]!r}")
    if isinstance(model, CompiledLoss):
        right = sum(judge(model.predict(x), d) for x, d in zip(X, D))
    else:
        with no_grad():
            right = sum(judge([v.data for v in output_list(model(x))], d)
                        for x, d in zip(X, D))
    return right / len(X)


def _learning_rate(lr, schedule: str | None, max_steps: int) -> float | Schedule:
    if schedule is None:
        return lr
    if not isinstance(schedule, str):
        raise TypeError(f"schedule takes a name (constant, linear, exponential, step); pass a "
                        f"schedule object as lr instead, got {type(schedule).__name__}")
    if callable(lr):
        raise ValueError(f"lr is already a schedule ({lr!r}); schedule={schedule!r} needs a "
                         f"number lr to start from")
    return make_schedule(schedule, lr, max_steps)


def _progress_bar(total: int, wanted: bool):
    if not wanted:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        warnings.warn("progress=True needs tqdm (pip install 'chainrule[plots]'); training "
                      "without a progress bar", RuntimeWarning, stacklevel=3)
        return None
    return tqdm(total=total, desc="training", unit="step", leave=True)


def _check_data(X: Sequence, D: Sequence) -> None:
    if not isinstance(X, Sequence) or not isinstance(D, Sequence):
        raise TypeError(f"X and D must be lists (one input and one desired output per sample), "
                        f"got {type(X).__name__} and {type(D).__name__}")
    if len(X) != len(D) or not X:
        raise ValueError(f"X and D need one desired output per input and at least one sample, "
                         f"got {len(X)} inputs and {len(D)} desired outputs")


def _check_callables(divergence: object, callback: object) -> None:
    if not callable(divergence):
        named = DIVERGENCES.get(divergence) if isinstance(divergence, str) else None
        hint = f" (for {divergence!r}: nn.{named.function.__name__})" if named else ""
        raise TypeError(f"train needs a divergence function Div(y, d) such as nn.kl_divergence "
                        f"or nn.l2_divergence{hint}, got {type(divergence).__name__}: "
                        f"{divergence!r}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function history -> bool (true to stop), got "
                        f"{type(callback).__name__}: {callback!r}")


def _check_divergence_result(div: object, divergence: Callable) -> None:
    """A TypeError unless div is a Value computed by Value ops (from the outputs y): a number,
    or a leaf such as Value(float(...)) made from y's .data, has no gradient to follow."""
    if isinstance(div, Value) and div.parents:
        return
    name = getattr(divergence, "__name__", "divergence")
    got = (f"a constant Value({div.data!r}) with no parents (computed from y.data, or under "
           f"no_grad()?)" if isinstance(div, Value) else f"{type(div).__name__}: {div!r:.100}")
    raise TypeError(f"the divergence must return a Value built from the model's outputs y by "
                    f"Value ops (as nn.l2_divergence(y, d) does), so that backward() reaches "
                    f"the weights; {name}(y, d) returned {got}")


def _is_one_hot(d: Sequence) -> bool:
    return sorted(d) == [0.0] * (len(d) - 1) + [1.0]
