"""micrograd's demo epoch three ways, in one process: micrograd, compiled chainrule, plain floats.

    python benchmarks/bench_compile.py --repeats 7

The epoch (benchmarks/workloads.py): an MLP 2-16-16-1 with relu, 100 two-moons points,
max-margin loss mean_i relu(1 - y_i score_i) + 1e-4 Σ p², forward + backward + one SGD step.

- micrograd: workloads.demo_epoch on micrograd's Value (a graph per epoch, recursive backward,
  so it runs in a thread with a big stack, as in bench.py).
- compiled: the per-sample loss traced once by autograd.compile (outside the timed epoch; its
  time is reported on its own line), then prog.backward(x1, x2, y) per sample and one zero-
  argument program for the regularizer.
- floats: the same epoch written by hand with plain Python floats and lists (below).

Rounds are interleaved (the order rotates), every round starts from the same initial weights,
and the table gives medians. The three epochs' losses and updated weights are compared first
(they agree with micrograd's within 1e-9 relative).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workloads as w  # noqa: E402
from bench import in_big_stack  # noqa: E402

import autograd  # noqa: E402

SIZES = [2, 16, 16, 1]
SAMPLES = 100


# ---- compiled chainrule ----


class CompiledDemo:
    """The demo epoch with the per-sample loss and the regularizer compiled once."""

    def __init__(self, weights: list[list[list[float]]], X, y):
        self.model = w.PrimitiveMLP(w.chainrule_engine(), weights)
        self.params = self.model.parameters()
        self.X, self.y = X, [float(label) for label in y]
        scale = 1.0 / len(X)
        start = time.perf_counter()
        self.loss = autograd.compile(
            lambda x1, x2, d: (1 + -d * self.model([x1, x2])).relu() * scale, (*X[0], self.y[0]))
        self.regularizer = autograd.compile(lambda: 1e-4 * sum(p * p for p in self.params), ())
        self.trace_seconds = time.perf_counter() - start

    def reset(self, weights: list[list[list[float]]]) -> None:
        flat = [v for layer in weights for neuron in layer for v in neuron]
        for p, value in zip(self.params, flat):
            p.data = value

    def weights(self) -> list[float]:
        return [p.data for p in self.params]

    def epoch(self, step: int = 0) -> float:
        for p in self.params:
            p.grad = 0.0
        total = self.regularizer.backward()
        backward = self.loss.backward
        for (x1, x2), d in zip(self.X, self.y):
            total += backward(x1, x2, d)
        learning_rate = 1.0 - 0.9 * step / 100
        for p in self.params:
            p.data -= learning_rate * p.grad
        return total


# ---- hand-written float backprop ----


def float_epoch(layers: list[list[list[float]]], X, y, step: int = 0) -> float:
    """The demo epoch on plain floats. layers[l][i] = [w_1, ..., w_n, b], updated in place."""
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
    scale = 1.0 / len(X)
    total = 0.0
    for x, d in zip(X, y):
        # forward: keep every layer's inputs and affine terms z for the backward pass
        inputs, zs, a = [], [], x
        for index, layer in enumerate(layers):
            z = [_affine(neuron, a) for neuron in layer]
            inputs.append(a)
            zs.append(z)
            a = z if index == len(layers) - 1 else [zi if zi > 0.0 else 0.0 for zi in z]
        margin = 1.0 - d * a[0]
        total += (margin if margin > 0.0 else 0.0) * scale
        # backward: dL/dz of the output, then layer by layer towards the input
        g = [-d * scale if margin > 0.0 else 0.0]
        for index in range(len(layers) - 1, -1, -1):
            layer, a, layer_grads = layers[index], inputs[index], grads[index]
            for neuron_grads, gi in zip(layer_grads, g):
                for j, aj in enumerate(a):
                    neuron_grads[j] += gi * aj
                neuron_grads[-1] += gi
            if index:
                below = zs[index - 1]
                g = [sum(gi * neuron[j] for gi, neuron in zip(g, layer)) if below[j] > 0.0
                     else 0.0 for j in range(len(a))]
    total += _regularize(layers, grads)
    learning_rate = 1.0 - 0.9 * step / 100
    for layer, layer_grads in zip(layers, grads):
        for neuron, neuron_grads in zip(layer, layer_grads):
            for j, gj in enumerate(neuron_grads):
                neuron[j] -= learning_rate * gj
    return total


def _affine(neuron: list[float], a: list[float]) -> float:
    """b + Σ_j w_j a_j, for neuron = [w_1, ..., w_n, b]."""
    z = neuron[-1]
    for wj, aj in zip(neuron, a):
        z += wj * aj
    return z


def _regularize(layers, grads) -> float:
    """1e-4 Σ p², adding its gradient 2e-4 p to grads."""
    total = 0.0
    for layer, layer_grads in zip(layers, grads):
        for neuron, neuron_grads in zip(layer, layer_grads):
            for j, p in enumerate(neuron):
                total += p * p
                neuron_grads[j] += 2e-4 * p
    return 1e-4 * total


# ---- the comparison ----


class MicrogradDemo:
    """workloads.demo_epoch on micrograd, on a fresh model built from the initial weights."""

    def __init__(self, X, y):
        self.engine, self.X, self.y = w.micrograd_engine(), X, y

    def reset(self, weights: list[list[list[float]]]) -> None:
        self.model = w.PrimitiveMLP(self.engine, weights)

    def epoch(self) -> float:
        return w.demo_epoch(self.engine, self.model, self.X, self.y, step=0)

    def weights(self) -> list[float]:
        return [p.data for p in self.model.parameters()]


class FloatDemo:
    """float_epoch on a copy of the initial weights."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def reset(self, weights: list[list[list[float]]]) -> None:
        self.layers = [[list(neuron) for neuron in layer] for layer in weights]

    def epoch(self) -> float:
        return float_epoch(self.layers, self.X, self.y)

    def weights(self) -> list[float]:
        return [v for layer in self.layers for neuron in layer for v in neuron]


def agreement(ways: dict, weights) -> None:
    """Every way gives micrograd's loss and updated weights (within 1e-9 relative)."""
    results = {}
    for name, way in ways.items():
        way.reset(weights)
        results[name] = (way.epoch(), way.weights())
    print("loss after one epoch: " + ",  ".join(f"{name} {loss:.15g}"
                                                for name, (loss, _) in results.items()))
    reference = results["micrograd"]
    for name, (loss, updated) in results.items():
        for ours, theirs in zip([loss, *updated], [reference[0], *reference[1]]):
            if abs(ours - theirs) > 1e-9 * max(abs(theirs), 1e-3):
                raise SystemExit(f"{name}'s epoch disagrees with micrograd's: {ours!r} against "
                                 f"{theirs!r}")


def compare(repeats: int) -> dict[str, float]:
    X, y = w.two_moons(SAMPLES, noise=0.1, seed=1)
    weights = w.initial_weights(SIZES, seed=1)
    compiled = CompiledDemo(weights, X, y)
    ways = {"micrograd": MicrogradDemo(X, y), "compiled": compiled, "floats": FloatDemo(X, y)}
    agreement(ways, weights)
    print(f"trace + compile (once, not timed below): {compiled.trace_seconds * 1e3:.1f} ms\n")
    names = list(ways)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        for name in names[round_ % 3:] + names[:round_ % 3]:  # each goes first in turn
            ways[name].reset(weights)
            gc.collect()
            start = time.perf_counter()
            ways[name].epoch()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in medians.items():
        print(f"{name:<10} {seconds * 1e3:9.2f} ms per epoch")
    print(f"\ncompiled is {medians['micrograd'] / medians['compiled']:.0f}x faster than micrograd "
          f"(target >= 50x) and takes {medians['compiled'] / medians['floats']:.2f}x the time of "
          "hand-written floats (target <= 2x)")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds (default 7)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; medians of {args.repeats} interleaved rounds; "
          f"MLP {'-'.join(map(str, SIZES))}, {SAMPLES} two-moons points\n")
    compare(args.repeats)


if __name__ == "__main__":
    in_big_stack(main)
