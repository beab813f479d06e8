"""The training notebooks' checks (07 and 07b): your own minibatch SGD loop against nn.train,
the stop rule, and the experiments on what training needs.

>>> import nn
>>> X, D = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], [0, 1, 1, 0]
>>> fresh = lambda: nn.MLP(2, [3, 2], output="softmax", seed=0)
>>> run = nn.train(fresh(), X, D, nn.cross_entropy, lr=0.5, mode="minibatch", batch_size=3,
...                seed=1, max_steps=5, tol=0.0, progress=False)
>>> check_sgd_by_hand(run.loss, fresh(), X, D, nn.cross_entropy, lr=0.5, batch_size=3,
...                   seed=1, max_steps=5, tol=0.0)
''
>>> check_sgd_by_hand(None, fresh(), X, D, nn.cross_entropy, lr=0.5, batch_size=3,
...                   seed=1, max_steps=5, tol=0.0)
'not done yet: your loop has not recorded any losses (losses is None).'

Each check returns "" when the work passes, "not done yet: ..." while its blanks are None, and
otherwise what failed with a place to look next, never the number it expected.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from nn.course.answers import close
from nn.optim import SGD
from nn.training import accuracy, train

__all__ = ["check_deep_linear", "check_equal_budget", "check_sgd_by_hand", "check_stop_rule",
           "check_symmetry_break", "distinct_neurons"]


def _copy_weights(source, target) -> None:
    for p, q in zip(source.parameters(), target.parameters()):
        q.data = p.data


# ---- 07, exercise 1: the same budget of samples ----

def check_equal_budget(budget_batch, batch_accuracy, sgd_accuracy, fresh, sgd_model,
                       X_train: Sequence, D_train: Sequence, X_test: Sequence,
                       D_test: Sequence, divergence: Callable, *, lr: float,
                       steps: int) -> str:
    """budget_batch is fresh (an untrained copy of the same network) after `steps` full-batch
    steps at `lr`; batch_accuracy and sgd_accuracy are the test accuracies of budget_batch and
    sgd_model."""
    if batch_accuracy is None or sgd_accuracy is None:
        return "not done yet: fill in batch_accuracy and sgd_accuracy in the cell above."
    train(fresh, X_train, D_train, divergence, lr=lr, max_steps=steps, tol=0.0,
          progress=False, compile=True)
    if not all(close(p.data, q.data) for p, q in zip(budget_batch.parameters(),
                                                      fresh.parameters())):
        return ("budget_batch's weights are not those of the full-batch run asked for: count "
                "its steps (max_steps), its lr, and whether tol let it take them all.")
    if batch_accuracy != accuracy(budget_batch, X_test, D_test):
        return ("batch_accuracy is not budget_batch's accuracy on the test points: measure it "
                "after training, on X_test and D_test.")
    if sgd_accuracy != accuracy(sgd_model, X_test, D_test):
        return "sgd_accuracy is not the single-sample model's accuracy on the test points."
    return ""


# ---- 07, exercise 2: minibatch SGD by hand, loss for loss against nn.train ----

def _minibatch_losses(model, X: Sequence, D: Sequence, divergence: Callable, *, lr: float,
                      batch_size: int, seed: int, max_steps: int, tol: float,
                      mistake: str = "") -> list[float]:
    """The course's algorithm on minibatches, as nn.train runs it (mistake="": the same floats),
    or with one mistake planted, to name the one a learner's losses show."""
    rng, order, losses = random.Random(seed), list(range(len(X))), []
    optimizer = SGD(model.parameters(), lr=lr)
    while len(losses) < max_steps:
        if mistake == "new Random each pass":
            rng = random.Random(seed)
        if mistake == "a fresh list each pass":
            order = list(range(len(X)))
        if mistake != "no shuffle" and (mistake != "shuffle once" or not losses):
            rng.shuffle(order)
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            if mistake == "drop the last batch" and len(batch) < batch_size:
                continue
            if mistake != "no zero_grad":
                optimizer.zero_grad()
            scale = 1.0 if mistake == "no average" else 1.0 / len(batch)
            total = 0.0
            for i in batch:
                div = divergence(model(X[i]), D[i])
                total += div.data
                (div * scale).backward()
            losses.append(total / len(batch))
            if optimizer.step() < tol or len(losses) == max_steps:
                return losses
    return losses


MISTAKES = {  # a mistake's losses, as the learner's, say this
    "no shuffle": "your batches take the samples in their order; nn.train walks through a "
                  "shuffle of the sample indices, drawn from random.Random(seed).",
    "new Random each pass": "your losses agree for the first pass and then differ: make one "
                            "random.Random(seed) before the loop and shuffle with it at the "
                            "start of every pass, so that each pass gets a new order.",
    "a fresh list each pass": "your losses agree for the first pass and then differ: nn.train "
                              "makes order = list(range(T)) once, before the loop, and at the "
                              "start of every pass shuffles that same list again, in place; a "
                              "fresh list each pass shuffles the sorted indices instead.",
    "shuffle once": "your losses agree for the first pass and then differ: nn.train shuffles "
                    "the indices again at the start of every pass.",
    "drop the last batch": "a pass of T samples in batches of batch_size ends with a smaller "
                           "batch of the samples left over; nn.train takes it as a step too.",
    "no zero_grad": "your losses drift from the second step on: are the gradients set back "
                    "to zero before each step?",
    "no average": "your steps are too long: the gradient of a step is that of the mean "
                  "divergence over its batch, not of their sum.",
}


def check_sgd_by_hand(losses, fresh, X: Sequence, D: Sequence, divergence: Callable, *,
                      lr: float, batch_size: int, seed: int, max_steps: int,
                      tol: float) -> str:
    """losses, one per step of a hand-written minibatch SGD loop, are those nn.train records
    for fresh (an untrained copy of the model the loop trained) with the same settings."""
    if losses is None:
        return "not done yet: your loop has not recorded any losses (losses is None)."
    if not isinstance(losses, (list, tuple)) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in losses):
        return "losses should be a list of numbers, each step's loss (a float, its .data)."
    if not losses:
        return "losses is empty: append the loss of each step (the mean over its batch)."
    start = [p.data for p in fresh.parameters()]
    reference = train(fresh, X, D, divergence, lr=lr, mode="minibatch", batch_size=batch_size,
                      seed=seed, max_steps=max_steps, tol=tol, progress=False,
                      compile=True).loss
    wrong = next((k for k, (a, b) in enumerate(zip(losses, reference)) if not close(a, b)),
                 None)
    if wrong is None:
        if len(losses) < len(reference):
            return (f"your losses agree with nn.train's, but your loop stopped after "
                    f"{len(losses)} steps while nn.train went on: look at the stop rule (the "
                    "largest change of a weight in a step against tol, or max_steps).")
        if len(losses) > len(reference):
            return ("your losses agree with nn.train's, but your loop went on after nn.train "
                    "stopped: look at the stop rule (the largest change of any weight or bias "
                    "in the step, compared with tol).")
        return ""
    if wrong == 0 and close(losses[0], reference[0] * batch_size):
        return ("your first loss is batch_size times too large: a step's loss is the mean "
                "of the divergences of its batch.")
    for mistake, said in MISTAKES.items():
        for p, value in zip(fresh.parameters(), start):
            p.data, p.grad = value, 0.0
        planted = _minibatch_losses(fresh, X, D, divergence, lr=lr, batch_size=batch_size,
                                    seed=seed, max_steps=wrong + 1, tol=-1.0, mistake=mistake)
        if all(close(a, b) for a, b in zip(losses[:wrong + 1], planted)):
            return said
    if wrong == 0:
        return ("your first step's loss differs from nn.train's: look at the forward pass and "
                "the divergence, and at which samples make the first batch.")
    return (f"your losses agree with nn.train's for {wrong} step(s), then differ: compare "
            "that next step with the algorithm, part by part: which samples make its batch "
            "(the one list, shuffled in place at the start of every pass), gradients set to "
            "zero first, the mean over the batch, and the update w ← w − lr · ∂Loss/∂w.")


# ---- 07, exercise 3: what the stop rule measures ----

def check_stop_rule(runs, fresh, X: Sequence, D: Sequence, divergence: Callable, *,
                    tol: float, max_steps: int, rates: Sequence[float] = (0.01, 1.0)) -> str:
    """runs maps each of the learning rates `rates` to the History of a full-batch nn.train
    run with that lr, tol and max_steps, from the start of fresh (an untrained copy of the
    network)."""
    if runs is None or (isinstance(runs, dict) and any(run is None for run in runs.values())):
        return "not done yet: fill in runs, one nn.train History per learning rate."
    asked = " and ".join(repr(rate) for rate in rates)
    keys = [k for k in runs if isinstance(k, (int, float))] if isinstance(runs, dict) else []
    if not isinstance(runs, dict) or len(keys) != len(runs) or len(runs) != len(rates) or not all(
            any(close(key, rate) for key in keys) for rate in rates):
        return (f"runs should be a dictionary with one entry per learning rate asked for, "
                f"{asked}, each keyed by its rate: the keys are what the check reads.")
    model = fresh
    first = sum(divergence(model(x), d).data for x, d in zip(X, D)) / len(X)
    for lr, run in runs.items():
        if not hasattr(run, "largest_step"):
            return f"runs[{lr!r}] is not a History: keep what nn.train returns."
        if any(not close(used, lr) for used in run.lr):
            return f"the run kept under {lr!r} used another learning rate."
        if run.mode != "batch" or not close(run.loss[0], first):
            return (f"the run of lr {lr!r} did not start from the fresh network with every "
                    "sample in each step (full batch).")
        early = any(step < tol for step in run.largest_step[:-1])
        last = run.largest_step[-1] < tol or run.steps == max_steps
        if early or not last or run.steps > max_steps:
            return (f"the run of lr {lr!r} did not stop by the rule asked for: pass tol and "
                    "max_steps to nn.train.")
    return ""


# ---- 07b: what training needs ----

def check_deep_linear(model, run, *, hidden_layers: int) -> str:
    """model has at least hidden_layers hidden layers, all linear, and run is the History of
    its training."""
    if model is None or run is None:
        return "not done yet: build the deeper network, train it, and keep its History as run."
    layers = model.layers[:-1]
    if {n.activation for layer in layers for n in layer.neurons} != {"linear"}:
        return "the hidden layers of your network are not all linear (activation=\"linear\")."
    if len(layers) < hidden_layers:
        return (f"your network has {len(layers)} hidden layer(s): the exercise asks for "
                f"{hidden_layers} or more.")
    if not hasattr(run, "loss") or run.steps == 0:
        return "run should be the History that nn.train returned for this network."
    return ""


def distinct_neurons(layer) -> int:
    """How many different neurons a layer has: neurons with equal weights and bias count once.

    >>> import nn
    >>> distinct_neurons(nn.MLP(2, [3, 1], seed=0).layers[0])
    3
    """
    return len({tuple(p.data for p in neuron.parameters()) for neuron in layer.neurons})


def check_symmetry_break(model, counts, *, weight: float) -> str:
    """model started with every weight and bias equal to `weight` except one weight of one
    neuron of layer 1, was trained, and counts holds distinct_neurons of each hidden layer."""
    if model is None or counts is None:
        return "not done yet: build the network, change one weight, train it, then count."
    first = model.layers[0]
    if all(p.data == weight for p in model.parameters()):
        return "the network still has its starting weights: train it before you count."
    if distinct_neurons(first) == 1:
        return ("the neurons of layer 1 are still all alike: before training, change one "
                "weight of one neuron of layer 1, and only that one.")
    if list(counts) != [distinct_neurons(layer) for layer in model.layers[:-1]]:
        return ("counts is not the number of different neurons in each hidden layer of your "
                "trained network: count them with course.distinct_neurons(layer).")
    return ""
