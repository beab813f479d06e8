"""The benchmark's workloads, each written once against a small "engine" interface.

An engine gives `Value`, `exp(v)` and `log(v)`. chainrule's Value has exp and log; micrograd 0.1.0
has only + * ** relu, so its exp and log are added here in micrograd's own style (a closure per
node), which is how a micrograd user would write them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Engine:
    name: str
    Value: type
    exp: Callable
    log: Callable


def chainrule_engine() -> Engine:
    from autograd import Value

    return Engine("chainrule", Value, Value.exp, Value.log)


def micrograd_engine() -> Engine:
    from micrograd.engine import Value

    def exp(x):
        out = Value(math.exp(x.data), (x,), "exp")

        def _backward():
            x.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(x):
        out = Value(math.log(x.data), (x,), "log")

        def _backward():
            x.grad += out.grad / x.data

        out._backward = _backward
        return out

    return Engine("micrograd", Value, exp, log)


def two_moons(n: int, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """n points on two interleaved half circles; labels -1 and +1 (micrograd's demo convention)."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        upper = i % 2 == 0
        angle = math.pi * rng.random()
        px, py = (math.cos(angle), math.sin(angle)) if upper else (1 - math.cos(angle),
                                                                    0.5 - math.sin(angle))
        X.append([px + rng.gauss(0, noise), py + rng.gauss(0, noise)])
        y.append(1 if upper else -1)
    return X, y


def initial_weights(sizes: list[int], seed: int = 0) -> list[list[list[float]]]:
    """weights[layer][neuron] = [w_1, ..., w_nin, b]: micrograd's init, w ~ U(-1, 1), b = 0."""
    rng = random.Random(seed)
    return [[[rng.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
            for nin, nout in zip(sizes, sizes[1:])]


class PrimitiveMLP:
    """micrograd's MLP, written with + * relu only, with given initial weights."""

    def __init__(self, engine: Engine, weights: list[list[list[float]]]):
        V = engine.Value
        self.layers = [[[V(w) for w in neuron] for neuron in layer] for layer in weights]

    def __call__(self, x):
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            outputs = []
            for *w, b in layer:
                z = sum((wi * xi for wi, xi in zip(w, x)), b)
                outputs.append(z.relu() if index != last else z)
            x = outputs
        return x[0]

    def parameters(self):
        return [p for layer in self.layers for neuron in layer for p in neuron]


def demo_epoch(engine: Engine, model, X, y, step: int, float_inputs: bool = False) -> float:
    """One epoch of micrograd's demo: max-margin loss + 1e-4 Σ p², backward, SGD.

    float_inputs: feed each point as plain floats, as the lecture writes `w * x` (each number
    operand then becomes a constant leaf in chainrule, a Value in micrograd), instead of Values.
    """
    V = engine.Value
    inputs = X if float_inputs else [list(map(V, row)) for row in X]
    scores = [model(row) for row in inputs]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    for p in model.parameters():
        p.grad = 0.0
    total.backward()
    learning_rate = 1.0 - 0.9 * step / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total.data


def chain(engine: Engine, n: int = 200_000) -> float:
    """y = y * 1.0, n times, then backward."""
    x = engine.Value(1.5)
    y = x
    for _ in range(n):
        y = y * 1.0
    y.backward()
    return x.grad


def short_chains(engine: Engine, count: int = 500, n: int = 200) -> float:
    """`count` small graphs: v = v * 1.0001 + 0.001, n times, then backward, each. A small
    graph shows the cost per op without the cyclic GC's growing cost on a large one."""
    for _ in range(count):
        x = engine.Value(0.5)
        v = x
        for _ in range(n):
            v = v * 1.0001 + 0.001
        v.backward()
    return x.grad


def random_numbers(n: int, seed: int = 0) -> list[float]:
    """n numbers from N(0, 1), made once outside the timed part."""
    rng = random.Random(seed)
    return [rng.gauss(0, 1) for _ in range(n)]


def sum_of_products(engine: Engine, numbers: list[float]) -> float:
    """Python's sum() of the products a_i * b_i (the two halves of `numbers`), then backward."""
    half = len(numbers) // 2
    a = [engine.Value(x) for x in numbers[:half]]
    b = [engine.Value(x) for x in numbers[half:]]
    total = sum(ai * bi for ai, bi in zip(a, b))
    total.backward()
    return a[0].grad


def softmax_cross_entropy(engine: Engine, logits: list[list[float]]) -> float:
    """For each row of logits: softmax, -log y_c with c = 0, backward."""
    last = 0.0
    for row in logits:
        z = [engine.Value(x) for x in row]
        shift = max(row)
        e = [engine.exp(v - shift) for v in z]
        total = sum(e)
        y = [ei / total for ei in e]
        loss = -engine.log(y[0])
        loss.backward()
        last = z[0].grad
    return last
