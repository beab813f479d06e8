"""The divergences Div(y, d), and one record per divergence of what the rest of nn needs to know.

>>> from autograd import Value
>>> from nn.divergences import DIVERGENCES, cross_entropy, l2_divergence
>>> round(cross_entropy([Value(0.09), Value(0.24), Value(0.67)], 2).data, 4)   # -log y_2
0.4005
>>> l2_divergence(Value(3.0), 1.0).data      # ½ (3 - 1)²
2.0
>>> hinge = DIVERGENCES["hinge"]             # its record: the target of class c, the outputs
>>> hinge.target(0, 2), hinge.outputs, hinge.one_output, hinge.threshold
(-1, ('linear', 'tanh'), True, 0.0)

Reduction convention, the same everywhere: a divergence is SUMMED over a sample's outputs;
training AVERAGES it over the T samples of a batch (nn.train). predicted_class says what an
output vector means (the class it stands for); training's accuracy, the plots and the command
line all ask it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real

from autograd import Value, log_one_minus, scope, sum_of
from nn.checks import is_whole_number
from nn.datasets import one_hot
from nn.functional import Output, output_list

# ---- divergences: Div(y, d), summed over the outputs of one sample ----

# What each divergence computes and its gradient, for drawings: each runs in an autograd.scope
# of its own name with this note, so that a drawing can show it as one box (with a softmax
# before it: z -> Div, ∂Div/∂z = y − d).
AFTER_SOFTMAX = "after a softmax: ∂Div/∂z = y − d"
NOTES = {
    "l2_divergence": "Div = ½ Σᵢ (yᵢ − dᵢ)².  ∂Div/∂y = y − d",
    "kl_divergence": f"Div = Σᵢ dᵢ log(dᵢ / yᵢ).  ∂Div/∂yᵢ = −dᵢ / yᵢ; {AFTER_SOFTMAX}",
    "cross_entropy": f"Div = −log y_c.  ∂Div/∂y_c = −1 / y_c; {AFTER_SOFTMAX}",
    "binary_cross_entropy": "Div = −[d log y + (1 − d) log(1 − y)].  after a sigmoid: "
                            "∂Div/∂z = y − d",
    "hinge": "Div = max(0, 1 − d · score).  ∂Div/∂score = −d where d · score < 1, else 0",
}


def divergence_scope(name: str):
    """The autograd.scope a divergence runs in: its own name, its note."""
    return scope(name, note=NOTES[name])


def l2_divergence(y: Output, d: float | Sequence[float]) -> Value:
    """Div = ½ Σ_i (y_i - d_i)².  ∂Div/∂y_i = y_i - d_i.  Summed over outputs, not averaged
    (training averages over the samples of a batch).

    For regression (real-valued d). With a linear output layer y = z, so the gradient with
    respect to the affine term z is also y - d. y is a Value or a list of Values; d is a number
    for a scalar output (a Value, or a one-element list), else a list of y's length.

    >>> l2_divergence([Value(1.0), Value(2.0)], [0.0, 0.0]).data
    2.5
    """
    ys = _outputs(y, "l2_divergence")
    ds = _targets(d, len(ys), "l2_divergence")
    with divergence_scope("l2_divergence"):
        return sum_of([(yi - di) ** 2 for yi, di in zip(ys, ds)]) * 0.5


def kl_divergence(y: Output, d: Sequence[float]) -> Value:
    """Div = Σ_i d_i log(d_i / y_i), with 0 · log 0 = 0.  ∂Div/∂y_i = -d_i / y_i.  Summed over
    outputs, not averaged (training averages over the samples of a batch).

    For classification: y a probability vector (softmax outputs, all > 0), d the desired
    probability vector of y's length (non-negative, summing to 1 within 1e-6). With a one-hot d
    (d_c = 1) it equals -log y_c, and after a softmax layer its gradient with respect to the
    logits z is y - d. Terms with d_i = 0 are left out, so one-hot targets give no NaN. A y_i
    outside [0, 1] (not a softmax output) is a ValueError.

    >>> round(kl_divergence([Value(0.25), Value(0.75)], [0.0, 1.0]).data, 6)   # -log 0.75
    0.287682
    """
    ys = _outputs(y, "kl_divergence")
    check_outputs_fit(kl_divergence, [yi.data for yi in ys])
    ds = _probabilities(d, len(ys))
    with divergence_scope("kl_divergence"):
        # Σ d log d does not depend on y: a constant leaf, labelled so that a drawing names it
        entropy = Value(sum(di * math.log(di) for di in ds if di > 0.0), label="Σ d log d")
        terms = [yi.log() * -di for yi, di in zip(ys, ds) if di > 0.0]
        return sum_of([*terms, entropy])


def cross_entropy(y: Output, c: int) -> Value:
    """Div = -log y_c for the desired class index c.  ∂Div/∂y_c = -1/y_c, 0 for the other y_i.
    One sample's divergence (the sum Σ_i d_i log(d_i/y_i) has one term); training averages.

    For classification with a softmax output: the same number as kl_divergence(y, one_hot(c)),
    with the gradient y - d with respect to the logits. 0 <= c < len(y); a negative index is
    refused rather than counted from the end.

    >>> round(cross_entropy([Value(0.5), Value(0.5)], 1).data, 6)   # log 2
    0.693147
    """
    ys = _outputs(y, "cross_entropy")
    if not is_whole_number(c) or not 0 <= c < len(ys):
        raise ValueError(f"cross_entropy needs a class index 0 <= c < {len(ys)} (the number "
                         f"of outputs), got {type(c).__name__}: {c!r}")
    with divergence_scope("cross_entropy"):
        return ys[c].log() * -1.0


def binary_cross_entropy(y: Output, d: int) -> Value:
    """Div = -[d log y + (1 - d) log(1 - y)] for a binary output d ∈ {0, 1}.  ∂Div/∂z = y - d.
    One sample, one output (nothing to sum or average here; training averages over a batch).

    For yes/no classification with one sigmoid output y = σ(z). The sum has one term: -log y
    for d = 1, -log(1 - y) for d = 0, by autograd.log_one_minus: when y was made by .sigmoid()
    (an MLP with output="sigmoid") that is one node computed from z as -softplus(z), the same
    number since 1 - σ(z) = σ(-z), but without the cancellation in 1 - y that turns y ≈ 1
    (z > 37) into log 0. (Its graph then reaches z directly, not through y.) For any other y,
    0 < y < 1; a y outside [0, 1] (not a sigmoid output) is a ValueError.

    >>> z = Value(40.0)
    >>> round(binary_cross_entropy(z.sigmoid(), 0).data, 6)   # ≈ z: confidently wrong
    40.0
    """
    (yv,) = _outputs(y, "binary_cross_entropy", size=1)
    check_outputs_fit(binary_cross_entropy, [yv.data])
    if d not in (0, 1) or isinstance(d, bool) or not isinstance(d, Real):
        raise ValueError(f"binary_cross_entropy needs d = 0 or 1, got {type(d).__name__}: {d!r}")
    with divergence_scope("binary_cross_entropy"):
        return (yv.log() if d == 1 else log_one_minus(yv)) * -1.0


def hinge(score: Output, d: int) -> Value:
    """Div = max(0, 1 - d · score) for d ∈ {-1, +1}: micrograd's max-margin loss.
    One sample, one output (training averages over a batch, as micrograd's demo does).

    ∂Div/∂score = -d where d · score < 1, else 0. A linear output (a score, not a
    probability); zero once the sample is on the right side with margin 1.

    >>> hinge(Value(0.25), 1).data, hinge(Value(3.0), 1).data, hinge(Value(3.0), -1).data
    (0.75, 0.0, 4.0)
    """
    (s,) = _outputs(score, "hinge", size=1)
    if d not in (-1, 1) or isinstance(d, bool) or not isinstance(d, Real):
        raise ValueError(f"hinge needs d = -1 or +1, got {type(d).__name__}: {d!r}")
    with divergence_scope("hinge"):
        return (s * -float(d) + 1.0).relu()  # 1 - d·score, written as micrograd's (1 + -d·score)


@dataclass(frozen=True)
class Divergence:
    """What nn knows about one divergence, in one place (training, the plots and the command
    line read it here).

    name         its key in DIVERGENCES (the command line's --divergence)
    function     Div(y, d)
    target       target(c, k): the desired output d of a sample of class c out of k classes
    outputs      the output activations whose y it accepts; () for any
    one_output   True when y is a single output (two classes, told apart by threshold)
    probabilities  True when y must be probabilities, made by outputs[0] (checked on every y)
    regression   True when d may be any real numbers: whole numbers are values to fit, not
                 class labels
    """

    name: str
    function: Callable[..., Value]
    target: Callable[[int, int], object]
    outputs: tuple[str, ...] = ()
    one_output: bool = False
    probabilities: bool = False
    regression: bool = False

    def __call__(self, y: Output, d) -> Value:
        """Div(y, d): a record is used wherever its function is (nn.train, nn.compile)."""
        return self.function(y, d)

    @property
    def __name__(self) -> str:  # named like the function it stands for
        return self.function.__name__

    @property
    def threshold(self) -> float:
        """For one output: the value above which y means class 1, halfway between the
        targets of class 0 and class 1 (0.5 for a probability, 0 for a ±1 score). With several
        outputs the largest one decides, and the threshold is predicted_class's default."""
        return (self.target(0, 2) + self.target(1, 2)) / 2 if self.one_output else 0.5


def _class_index(c: int, k: int) -> int:
    """The class index itself: d = c."""
    return c


def _sign(c: int, k: int) -> int:
    """Class 0 as -1, class 1 as +1 (a margin's sign)."""
    return 2 * c - 1


DIVERGENCES: dict[str, Divergence] = {record.name: record for record in (
    Divergence("kl", kl_divergence, one_hot, outputs=("softmax",), probabilities=True),
    Divergence("cross_entropy", cross_entropy, _class_index, outputs=("softmax",)),
    Divergence("l2", l2_divergence, one_hot, regression=True),
    Divergence("bce", binary_cross_entropy, _class_index, outputs=("sigmoid",),
               one_output=True, probabilities=True),
    Divergence("hinge", hinge, _sign, outputs=("linear", "tanh"), one_output=True),
)}


def divergence_record(divergence: Callable[..., Value]) -> Divergence | None:
    """The record of one of nn's divergences, given as its function or its record (None for a
    function of one's own)."""
    if isinstance(divergence, Divergence):
        return divergence
    return next((r for r in DIVERGENCES.values() if r.function is divergence), None)


def predicted_class(outputs: Sequence[float], threshold: float = 0.5) -> int:
    """The class an output vector stands for: the index of the largest output, or, for one
    output, 1 if it is above threshold (0.5 for a probability, 0 for a score), else 0.

    >>> predicted_class([0.1, 0.7, 0.2]), predicted_class([0.6]), predicted_class([-0.2], 0.0)
    (1, 1, 0)
    """
    if len(outputs) == 1:
        return int(outputs[0] > threshold)
    return max(range(len(outputs)), key=outputs.__getitem__)


# ---- argument checks ----


def _outputs(y: Output, who: str, size: int | None = None) -> list[Value]:
    """y as a list of Values (a single Value is a one-element list)."""
    ys = output_list(y) if isinstance(y, (Value, list, tuple)) else None
    if ys is None or not all(isinstance(v, Value) for v in ys):
        raise TypeError(f"{who} needs y as a Value or a list of Values (a model's output), "
                        f"got {type(y).__name__}: {y!r}")
    if not ys or (size is not None and len(ys) != size):
        wanted = f"{size} output" if size is not None else "at least one output"
        raise ValueError(f"{who} needs {wanted}, got {len(ys)}")
    return ys


ROUNDING = 1e-12  # how far above 1 a rounded probability may land (1 + 2**-52 after a softmax)


def check_probabilities(ys: Sequence[float], who: str, made_by: str) -> None:
    """A ValueError unless every output number y_i is a probability, 0 <= y_i <= 1 (+ ROUNDING).
    (A compiled loss, which runs this check only when it traces, can call it on its outputs.)"""
    for i, yi in enumerate(ys, 1):
        if not 0.0 <= yi <= 1.0 + ROUNDING:
            raise ValueError(f"{who} needs y to be probabilities in [0, 1] ({made_by} outputs), "
                             f"got y_{i} = {yi!r}; use output={made_by!r}")


def check_outputs_fit(divergence: Callable[..., Value], ys: Sequence[float]) -> None:
    """check_probabilities for a divergence whose record says it takes probabilities (kl,
    bce: made by its outputs[0]); nothing for the others, or for a function of one's own."""
    record = divergence_record(divergence)
    if record is not None and record.probabilities:
        check_probabilities(ys, record.function.__name__, record.outputs[0])


def _targets(d: float | Sequence[float], n: int | None, who: str) -> list[float]:
    """d as a list of n floats (any length for n=None); a number d stands for [d]."""
    if isinstance(d, Real) and not isinstance(d, bool):
        ds = [d]
    elif isinstance(d, (list, tuple)) and all(
            isinstance(x, Real) and not isinstance(x, bool) for x in d):
        ds = list(d)
    else:
        raise TypeError(f"{who} needs d as a number or a list of numbers, "
                        f"got {type(d).__name__}: {d!r}")
    if n is not None and len(ds) != n:
        raise ValueError(f"{who} needs one desired value per output: y has {n} outputs, "
                         f"d has {len(ds)} values ({d!r})")
    if not all(math.isfinite(x) for x in ds):
        raise ValueError(f"{who} needs finite desired values, got {d!r}")
    return [float(x) for x in ds]


def _probabilities(d: Sequence[float], n: int) -> list[float]:
    """d as a probability vector of length n: non-negative, summing to 1 within 1e-6."""
    if not isinstance(d, (list, tuple)):
        raise ValueError(f"kl_divergence needs d as a probability vector of length {n} "
                         f"(use nn.one_hot(c, {n}) for a class index), got "
                         f"{type(d).__name__}: {d!r}")
    try:
        ds = _targets(d, n, "kl_divergence")
    except TypeError as error:  # a non-number entry: not a probability vector either
        raise ValueError(str(error)) from None
    if any(x < 0.0 for x in ds) or abs(sum(ds) - 1.0) > 1e-6:
        raise ValueError(f"kl_divergence needs d to be a probability vector (entries >= 0 "
                         f"summing to 1), got {d!r} (sum {sum(ds)!r})")
    return ds
