"""The batch backend: a training step of nn.train(..., mode="batch", compile=True) against PyTorch.

    python benchmarks/bench_batch.py --repeats 7

Two workloads, each a full-batch step (forward, backward, one SGD step):
- moons: MLP 2-16-16-2, tanh, softmax + cross-entropy, 100 two-moons points;
- digits: MLP 64-32-10, tanh, softmax + cross-entropy, the 1,797 digits (notebook 08's data).
Contenders, in one process, in interleaved rounds (the order rotates), medians per step:
- chainrule: nn.train(..., mode="batch", compile=True) for `steps` steps; a callback stamps the
  time after each step, so the first step (which traces and generates the programs) is left out;
- torch: the same step as batched float64 tensors on one thread (torch.set_num_threads(1)),
  cross_entropy, backward and torch.optim.SGD's step (as nn.train takes nn.SGD's);
- numpy: the same step written by hand with numpy arrays, the limit for array code in Python.
Before timing, the three compute the same first step (loss and weights within 1e-9 relative).
Then micrograd's demo epoch (bench_compile.py's) on micrograd and on the batch backend, the
time to trace and generate the digits model's batch programs, and the peak memory of a digits
step, each in a fresh process (tracemalloc for chainrule and numpy; torch's allocator is
outside tracemalloc, so for torch its profiler's allocations and frees, added up in order).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread, as torch gets (before numpy)

import numpy as np  # noqa: E402
import workloads as w  # noqa: E402
from bench import in_big_stack  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402

LR = 0.1


def workload(name: str):
    """(sizes, X, D) of a workload."""
    if name == "moons":
        X, D = nn.datasets.moons(100, noise=0.1, seed=0)
        return [2, 16, 16, 2], X, D
    X, D = nn.datasets.digits(seed=0)
    return [64, 32, 10], X, D


def new_model(sizes: list[int]):
    return nn.MLP(sizes[0], sizes[1:], activation="tanh", output="softmax", seed=0)


def layer_arrays(model) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer, W[i, j] the weight from input j to neuron i."""
    return [(np.array([[p.data for p in neuron.w] for neuron in layer.neurons]),
             np.array([neuron.b.data for neuron in layer.neurons])) for layer in model.layers]


# ---- chainrule ----


class Chainrule:
    """Per-step time of nn.train(..., mode="batch", compile=True), the tracing step left out."""

    def __init__(self, sizes, X, D):
        self.sizes, self.X, self.D = sizes, X, D

    def steps(self, count: int) -> tuple[float, object]:
        model, stamps = new_model(self.sizes), []
        nn.train(model, self.X, self.D, nn.cross_entropy, lr=LR, mode="batch", compile=True,
                 max_steps=count + 1, tol=0, progress=False,
                 callback=lambda history: stamps.append(time.perf_counter()))
        return (stamps[-1] - stamps[0]) / max(count, 1), model


# ---- torch ----


class Torch:
    """The same step as batched float64 tensors, one thread."""

    def __init__(self, sizes, X, D):
        import torch
        torch.set_num_threads(1)
        self.torch = torch
        self.X = torch.tensor(X, dtype=torch.float64)
        self.D = torch.tensor(D, dtype=torch.long)
        self.start = layer_arrays(new_model(sizes))

    def reset(self) -> None:
        t = self.torch
        self.params = [t.tensor(a, dtype=t.float64, requires_grad=True)
                       for W, b in self.start for a in (W, b)]
        self.optimizer = t.optim.SGD(self.params, lr=LR)

    def step(self) -> float:
        t, params = self.torch, self.params
        a = self.X
        for i in range(0, len(params), 2):
            z = a @ params[i].T + params[i + 1]
            a = t.tanh(z) if i + 2 < len(params) else z
        loss = t.nn.functional.cross_entropy(a, self.D)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()  # torch's SGD, as nn.train takes nn.SGD's step
        return loss.item()

    def weights(self) -> list[float]:
        return [v for p in self.params for v in p.detach().numpy().ravel().tolist()]


# ---- numpy by hand ----


class Numpy:
    """The same step by hand: forward, softmax cross-entropy, backward, SGD, on arrays."""

    def __init__(self, sizes, X, D):
        self.X = np.array(X).T  # one column per sample, as the course writes Y
        self.onehot = np.eye(sizes[-1])[:, D]
        self.start = layer_arrays(new_model(sizes))

    def reset(self) -> None:
        self.layers = [(W.copy(), b.copy()) for W, b in self.start]

    def step(self) -> float:
        T = self.X.shape[1]
        ys, a = [self.X], self.X
        for i, (W, b) in enumerate(self.layers):
            z = W @ a + b[:, None]
            a = np.tanh(z) if i + 1 < len(self.layers) else z
            ys.append(a)
        e = np.exp(a - a.max(axis=0))
        y = e / e.sum(axis=0)
        loss = -np.log((y * self.onehot).sum(axis=0)).sum() / T
        g = (y - self.onehot) / T
        for i in range(len(self.layers) - 1, -1, -1):
            W, b = self.layers[i]
            below = W.T @ g if i else None
            W -= LR * (g @ ys[i].T)
            b -= LR * g.sum(axis=1)
            if i:
                g = below * (1 - ys[i] * ys[i])
        return float(loss)

    def weights(self) -> list[float]:
        return [v for W, b in self.layers for a in (W, b) for v in a.ravel().tolist()]


def chainrule_weights(model) -> list[float]:
    return [v for W, b in layer_arrays(model) for a in (W, b) for v in a.ravel().tolist()]


def agreement(name: str, sizes, X, D, torch, numpy) -> None:
    """One step of each gives the same weights (within 1e-9 relative)."""
    _, model = Chainrule(sizes, X, D).steps(0)  # one step: the tracing step
    reference = chainrule_weights(model)
    for way in (torch, numpy):
        way.reset()
        way.step()
        for ours, theirs in zip(reference, way.weights()):
            if abs(ours - theirs) > 1e-9 * max(abs(theirs), 1e-3):
                raise SystemExit(f"{name}: {type(way).__name__}'s step disagrees with "
                                 f"chainrule's: {theirs!r} against {ours!r}")


def compare(name: str, repeats: int, steps: int) -> dict[str, float]:
    sizes, X, D = workload(name)
    chainrule, torch, numpy = Chainrule(sizes, X, D), Torch(sizes, X, D), Numpy(sizes, X, D)
    agreement(name, sizes, X, D, torch, numpy)
    times: dict[str, list[float]] = {"chainrule": [], "torch": [], "numpy": []}

    def timed(way) -> float:
        way.reset()
        way.step()  # a warm-up step (torch's first is slower)
        start = time.perf_counter()
        for _ in range(steps):
            way.step()
        return (time.perf_counter() - start) / steps

    runs = {"chainrule": lambda: chainrule.steps(steps)[0], "torch": lambda: timed(torch),
            "numpy": lambda: timed(numpy)}
    names = list(runs)
    for round_ in range(repeats):
        for contender in names[round_ % 3:] + names[:round_ % 3]:
            gc.collect()
            times[contender].append(runs[contender]())
    medians = {contender: statistics.median(t) for contender, t in times.items()}
    print(f"{name}: MLP {'-'.join(map(str, sizes))}, {len(X)} samples, per step")
    for contender, seconds in medians.items():
        print(f"  {contender:<10} {seconds * 1e3:8.3f} ms")
    print(f"  chainrule / torch = {medians['chainrule'] / medians['torch']:.2f}, "
          f"chainrule / numpy = {medians['chainrule'] / medians['numpy']:.2f}\n")
    return medians


# ---- micrograd's demo epoch, tracing time, memory ----


def demo_epochs(repeats: int) -> None:
    """micrograd's demo epoch (bench_compile.py's) on micrograd and on the batch backend."""
    X, y = w.two_moons(100, noise=0.1, seed=1)
    weights = w.initial_weights([2, 16, 16, 1], seed=1)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    flat = [v for layer in weights for neuron in layer for v in neuron]
    scale, labels = 1.0 / len(X), [float(d) for d in y]
    loss = autograd.compile(lambda x1, x2, d: (1 + -d * model([x1, x2])[0]).relu() * scale,
                            (*X[0], labels[0])).batch()
    regularizer = autograd.compile(lambda: 1e-4 * sum(p * p for p in params), ())
    columns = [[x[0] for x in X], [x[1] for x in X], labels]

    def batch_epoch() -> float:
        for p in params:
            p.grad = 0.0
        total = regularizer.backward() + float(loss.backward(*columns).sum())
        for p in params:
            p.data -= 1.0 * p.grad
        return total

    def micrograd_epoch() -> float:
        return w.demo_epoch(engine, w.PrimitiveMLP(engine, weights), X, y, step=0)

    engine = w.micrograd_engine()
    for p, value in zip(params, flat):
        p.data = value
    ours, theirs = batch_epoch(), micrograd_epoch()
    if abs(ours - theirs) > 1e-9 * abs(theirs):
        raise SystemExit(f"the demo epoch disagrees: {ours!r} against micrograd's {theirs!r}")
    times: dict[str, list[float]] = {"micrograd": [], "batch": []}
    for round_ in range(repeats):
        for name in (["micrograd", "batch"] if round_ % 2 else ["batch", "micrograd"]):
            for p, value in zip(params, flat):
                p.data = value
            gc.collect()
            start = time.perf_counter()
            micrograd_epoch() if name == "micrograd" else batch_epoch()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"micrograd's demo epoch: micrograd {medians['micrograd'] * 1e3:.1f} ms, batch backend "
          f"{medians['batch'] * 1e3:.3f} ms: {medians['micrograd'] / medians['batch']:.0f}x "
          "faster (target >= 1,000x)\n")


def tracing_time() -> None:
    """Tracing the digits model's loss (cross-entropy's one program, d one-hot) and generating
    its batch form: what nn.train's first step does before it computes anything."""
    from nn.compiled_batch import BatchLoss
    sizes, X, D = workload("digits")
    batch = BatchLoss(nn.compile(new_model(sizes), nn.cross_entropy))
    start = time.perf_counter()
    batch.gradients(X, D)
    first = time.perf_counter() - start
    start = time.perf_counter()
    batch.gradients(X, D)
    step = time.perf_counter() - start
    print(f"digits: the first step, which traces the loss and generates its batch program, "
          f"{first * 1e3:.0f} ms; so tracing and generating take about {(first - step) * 1e3:.0f}"
          " ms (target under 1 s)\n")


def memory_of_a_step(contender: str) -> float:
    """Bytes a digits step needs at its peak (see the module docstring)."""
    sizes, X, D = workload("digits")
    if contender == "torch":
        return torch_peak(Torch(sizes, X, D))
    model = new_model(sizes)
    if contender == "numpy":
        way = Numpy(sizes, X, D)
        way.reset()
        run = way.step
    else:
        from nn.compiled_batch import BatchLoss
        loss = BatchLoss(nn.compile(model, nn.cross_entropy))
        loss.gradients(X, D)  # the first step traces: outside the measure
        run = lambda: loss.gradients(X, D)  # noqa: E731
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def torch_peak(torch: Torch) -> float:
    """The most bytes torch's allocator holds at once during a step (after a warm-up step):
    torch.profiler's allocations and frees (profile_memory=True), added up in time order."""
    from torch.profiler import ProfilerActivity, profile
    torch.reset()
    torch.step()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as profiled:
        torch.step()
    live = peak = 0
    for event in sorted(profiled.events(), key=lambda event: event.time_range.start):
        live += event.self_cpu_memory_usage
        peak = max(peak, live)
    return peak


def memory() -> None:
    figures = {}
    for contender in ("chainrule", "numpy", "torch"):
        result = subprocess.run([sys.executable, __file__, "--memory", contender],
                                capture_output=True, text=True, check=True)
        figures[contender] = float(result.stdout.split()[-1])
    print("peak memory of a digits step: " + ",  ".join(
        f"{name} {size / 2**20:.1f} MiB" for name, size in figures.items()) +
        "  (after a first step; the inputs, made before it, not counted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--steps", type=int, default=20, help="steps a round (default 20)")
    parser.add_argument("--memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        print(memory_of_a_step(args.memory))
        return
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}; medians of {args.repeats} "
          f"interleaved rounds of {args.steps} steps\n")
    try:
        import torch  # noqa: F401
    except ImportError:
        raise SystemExit("bench_batch.py compares with PyTorch: pip install torch (a CPU "
                         "build) first") from None
    for name in ("moons", "digits"):
        compare(name, args.repeats, args.steps if name == "moons" else max(args.steps // 4, 3))
    in_big_stack(lambda: demo_epochs(args.repeats))
    tracing_time()
    memory()


if __name__ == "__main__":
    main()
