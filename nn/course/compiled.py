"""Notebook 08's checks: two training runs compared, the programs a compiled loss traces, and a
line of a compiled program's backward pass with the same gradient worked out by hand.

Each returns "" when the answer passes, "not done yet: ..." while a blank is None, and
otherwise what is wrong, never the number expected.
"""

from __future__ import annotations

import nn
from nn.course.answers import close, missing

__all__ = ["check_backward_line", "check_per_sample", "check_program_counts", "check_two_runs",
           "same_run"]


def check_two_runs(histories: dict, weights: dict, steps: int, mode: str) -> str:
    """histories[False] and histories[True]: two runs (without and with compile=True) of
    `steps` steps of `mode`, weights[...] the weights each ended with."""
    if said := missing(**{"histories[False]": histories.get(False),
                          "histories[True]": histories.get(True)}):
        return said
    plain, fast = histories[False], histories[True]
    if plain is fast:
        return "train two networks, one run each: histories[False] and [True] are one History."
    if not all(isinstance(h, nn.History) for h in (plain, fast)):
        return "each entry of histories is what nn.train returns (a History)."
    if {plain.steps, fast.steps} != {steps} or {plain.mode, fast.mode} != {mode}:
        return f"each run takes {steps} steps of mode={mode!r}, as the prompt says."
    if weights[False] == weights[True] and plain.loss != fast.loss:
        return "the weights were read before training: read them after nn.train has run."
    return ""


def same_run(histories: dict, weights: dict) -> bool:
    """The two runs recorded exactly the same losses and accuracies and ended with exactly the
    same weights (== throughout)."""
    plain, fast = histories[False], histories[True]
    return (plain.loss == fast.loss and plain.accuracy == fast.accuracy
            and weights[False] == weights[True])


def check_program_counts(counts: dict, model, X: list, D: list, classes: int) -> str:
    """counts: {"cross-entropy": programs traced by nn.compile(model, nn.cross_entropy),
    "L2": programs traced by nn.compile(model, nn.l2_divergence) on one-hot targets}, after
    every sample of X, D went through each."""
    if said := missing(**{f"counts[{name!r}]": counts.get(name)
                          for name in ("cross-entropy", "L2")}):
        return said
    traced = program_counts(model, X, D, classes)
    for name, number in traced.items():
        if counts[name] != number:
            return (f"counts[{name!r}] is not the number of programs that loss traced: run "
                    "every training sample through it first, then take len(loss.programs).")
    return ""


def program_counts(model, X: list, D: list, classes: int) -> dict:
    """The programs nn.compile traces for cross-entropy and for L2 (one-hot targets) over X, D."""
    losses = {"cross-entropy": nn.compile(model, nn.cross_entropy),
              "L2": nn.compile(model, nn.l2_divergence)}
    for x, d in zip(X, D):
        losses["cross-entropy"].loss(x, d)
        losses["L2"].loss(x, nn.one_hot(d, classes))
    return {name: len(loss.programs) for name, loss in losses.items()}


def check_backward_line(line: object, by_hand: object, source: str, leaf: str,
                        engine_gradient: float) -> str:
    """line: the line of a compiled program's source that adds to `leaf`'s gradient (e.g.
    "leaves[4].grad += ..."); by_hand: that gradient worked out by the chain rule, compared
    with backward()'s engine_gradient."""
    if said := missing(line=line, by_hand=by_hand):
        return said
    lines = [text.strip() for text in source.splitlines()]
    if not isinstance(line, str) or line.strip() not in lines:
        return "line is not a line of prog.source: copy it from there (without indentation)."
    if not line.strip().startswith(f"{leaf}.grad +="):
        return f"that line adds to another gradient: look for the one that adds to {leaf}.grad."
    if not close(by_hand, engine_gradient):
        return ("by_hand differs from backward(): one local derivative a node, from Div down "
                "to the weight; did you take tanh's derivative at the neuron's output?")
    return ""


def check_per_sample(per_sample: object, longest: object, batch, columns: list) -> str:
    """per_sample: batch.per_sample_gradients(*columns) (one row per parameter, one column per
    sample); longest: the sample (counting from 1) whose column is the longest vector."""
    if said := missing(per_sample=per_sample, longest=longest):
        return said
    reference = batch.per_sample_gradients(*columns)
    if getattr(per_sample, "shape", None) != reference.shape:
        return ("per_sample is not what per_sample_gradients gives for the samples: pass it the "
                "first inputs of every sample, then the second inputs, as two lists.")
    if not (abs(per_sample - reference) <= 1e-12 * (1 + abs(reference))).all():
        return "per_sample holds other numbers than per_sample_gradients gives: recompute it."
    lengths = (reference ** 2).sum(axis=0) ** 0.5
    if longest != int(lengths.argmax()) + 1:
        return ("longest is not the sample whose gradient is the longest: measure each column "
                "(one sample) as a vector, sqrt of the sum of its squares, and count from 1.")
    return ""
