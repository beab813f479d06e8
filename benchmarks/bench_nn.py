"""nn.MLP against micrograd's MLP on micrograd's demo epoch, in one process, interleaved.

    python benchmarks/bench_nn.py --repeats 9

The epoch (micrograd's demo.ipynb): MLP 2-16-16-1 (relu hidden, linear output), 100 two-moons
points, max-margin loss (1/T) Σ_t max(0, 1 - d_t · score_t) + 1e-4 Σ p², forward + backward + SGD
with lr = 1 - 0.9 · step / 100 at step 0. Both models start from the same weights
(workloads.initial_weights, micrograd's U(-1, 1) initialization); the script first checks that
both compute the same loss and the same updated weights. Rows:
    micrograd     micrograd's own engine (workloads.PrimitiveMLP, a closure per node)
    nn.MLP        nn.MLP with one autograd.affine node per neuron (the default)
    decomposed    nn.MLP(decompose=True): separate * and + nodes, as drawn for teaching
micrograd's backward is recursive, so everything runs in a thread with a big stack (as in
bench.py). Each round runs every row once, rotating which goes first; medians over rounds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import workloads as w  # noqa: E402
from bench import in_big_stack  # noqa: E402

import nn  # noqa: E402
from autograd import sum_of  # noqa: E402

SIZES = [2, 16, 16, 1]


def nn_model(weights: list, decompose: bool = False) -> nn.MLP:
    """nn.MLP 2-16-16-1 (relu, linear output) holding the given [w_1, ..., w_nin, b] weights."""
    model = nn.MLP(SIZES[0], SIZES[1:], activation="relu", output="linear", decompose=decompose)
    state = {}
    for i, layer in enumerate(weights):
        for j, (*ws, b) in enumerate(layer):
            state.update({f"layers.{i}.neurons.{j}.w.{k}": wk for k, wk in enumerate(ws)})
            state[f"layers.{i}.neurons.{j}.b"] = b
    model.load_state_dict(state)
    return model


def nn_epoch(model: nn.MLP, X: list, y: list, step: int) -> float:
    """micrograd's demo epoch written with nn: hinge divergence, mean, 1e-4 Σ p², SGD."""
    params = model.parameters()
    scores = [model(x) for x in X]
    losses = [nn.hinge(score, d) for score, d in zip(scores, y)]
    data_loss = sum_of(losses) * (1.0 / len(losses))
    reg_loss = sum_of([p * p for p in params]) * 1e-4
    total = data_loss + reg_loss
    optimizer = nn.SGD(params, lr=1.0 - 0.9 * step / 100)
    optimizer.zero_grad()
    total.backward()
    optimizer.step()
    return total.data


def runners() -> dict:
    X, y = w.two_moons(100, noise=0.1, seed=1)
    weights = w.initial_weights(SIZES, seed=1)
    micrograd = w.micrograd_engine()
    return {
        "micrograd": lambda: w.demo_epoch(micrograd, w.PrimitiveMLP(micrograd, weights), X, y, 0),
        "nn.MLP": lambda: nn_epoch(nn_model(weights), X, y, 0),
        "decomposed": lambda: nn_epoch(nn_model(weights, decompose=True), X, y, 0),
    }


def check_same_math() -> None:
    """Both engines: the same loss and the same weights after one epoch (up to rounding)."""
    X, y = w.two_moons(100, noise=0.1, seed=1)
    weights = w.initial_weights(SIZES, seed=1)
    engine = w.micrograd_engine()
    reference = w.PrimitiveMLP(engine, weights)
    ours = nn_model(weights)
    loss_reference = w.demo_epoch(engine, reference, X, y, 0)
    loss_ours = nn_epoch(ours, X, y, 0)
    gap = max(abs(p.data - q.data) for p, q in zip(reference.parameters(), ours.parameters()))
    print(f"same math: loss micrograd {loss_reference:.15f}, nn {loss_ours:.15f}; "
          f"largest weight difference after the step {gap:.1e}")
    if abs(loss_reference - loss_ours) > 1e-12 or gap > 1e-12:
        raise SystemExit("the two epochs disagree: not the same math")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="rounds (default 9)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; medians of {args.repeats} interleaved rounds")
    check_same_math()
    runs = runners()
    times = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(args.repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians["micrograd"]
    print("\ndemo epoch (MLP 2-16-16-1, 100 moons, forward + backward + SGD):")
    for name, seconds in medians.items():
        print(f"  {name:<11} {seconds * 1e3:8.1f} ms   {base / seconds:6.1f}x micrograd's speed")


if __name__ == "__main__":
    in_big_stack(main)
