"""chainrule against micrograd, in one process, interleaved: median times, ratios, bytes per node.

    make bench                  (or: python benchmarks/bench.py --repeats 7)

micrograd's backward is recursive, so both engines run in a thread with a 1 GiB stack and a raised
recursion limit (chainrule's engine needs neither). Each round runs every workload once on each
engine, alternating which goes first; the table gives the median over rounds, and the ratio
micrograd / chainrule (how many times faster chainrule is).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workloads as w  # noqa: E402


def demo_epoch_runner(engine: w.Engine, float_inputs: bool = False):
    """A fresh 2-16-16-1 model per round (same initial weights for both engines), one epoch;
    the points as Values, or (float_inputs) as plain floats."""
    X, y = w.two_moons(100, noise=0.1, seed=1)
    weights = w.initial_weights([2, 16, 16, 1], seed=1)
    return lambda: w.demo_epoch(engine, w.PrimitiveMLP(engine, weights), X, y, 0, float_inputs)


def sum_runner(engine: w.Engine):
    numbers = w.random_numbers(200_000)
    return lambda: w.sum_of_products(engine, numbers)


def softmax_runner(engine: w.Engine):
    numbers = w.random_numbers(10_000)
    logits = [numbers[i : i + 10] for i in range(0, 10_000, 10)]
    return lambda: w.softmax_cross_entropy(engine, logits)


WORKLOADS = {
    "demo epoch (MLP 2-16-16-1, 100 moons)": demo_epoch_runner,
    "demo epoch, float inputs (w * x, x a float)": lambda e: demo_epoch_runner(e, True),
    "200-op chain (v * 1.0001 + 0.001) x 500": lambda e: lambda: w.short_chains(e),
    "chain of 200,000 ops": lambda e: lambda: w.chain(e),
    "sum() of 100,000 products": sum_runner,
    "softmax + cross-entropy, 10 logits x 1,000": softmax_runner,
}


def timed(run) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def compare(repeats: int) -> list[tuple[str, float, float]]:
    engines = [w.chainrule_engine(), w.micrograd_engine()]
    rows = []
    for name, make in WORKLOADS.items():
        runs = [make(e) for e in engines]
        times: list[list[float]] = [[], []]
        for round_ in range(repeats):
            order = (0, 1) if round_ % 2 == 0 else (1, 0)
            for i in order:
                times[i].append(timed(runs[i]))
        ours, theirs = (statistics.median(t) for t in times)
        rows.append((name, ours, theirs))
        print(f"{name:<44} chainrule {ours * 1e3:8.1f} ms   micrograd {theirs * 1e3:8.1f} ms"
              f"   ratio {theirs / ours:5.1f}x", flush=True)
    return rows


def bytes_per_node(engine: w.Engine) -> dict[str, float]:
    """tracemalloc's count of live bytes after building a graph and running backward, per node."""
    results = {}
    V = engine.Value
    for name, build in [("chain", lambda: _chain_graph(V, 100_000)),
                        ("sum of products", lambda: _sum_graph(V, 50_000))]:
        gc.collect()
        tracemalloc.start()
        root = build()
        root.backward()
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        results[name] = used / count_nodes(root)
    return results


def count_nodes(root) -> int:
    """How many Values the graph holds (chainrule: .parents; micrograd: ._prev)."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for parent in getattr(node, "parents", None) or getattr(node, "_prev", ()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def _chain_graph(V, n):
    y = V(1.5)
    for _ in range(n):
        y = y * 1.0
    return y


def _sum_graph(V, n):
    a = [V(0.5) for _ in range(n)]
    b = [V(0.25) for _ in range(n)]
    return sum(ai * bi for ai, bi in zip(a, b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds per workload (default 7)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; medians of {args.repeats} interleaved rounds\n")
    compare(args.repeats)
    print("\nbytes per node (tracemalloc, graph built and backward run; micrograd's constants "
          "are nodes too):")
    for engine in (w.chainrule_engine(), w.micrograd_engine()):
        sizes = bytes_per_node(engine)
        print(f"  {engine.name:<10} " + "   ".join(f"{k}: {v:5.0f}" for k, v in sizes.items()))


def in_big_stack(function) -> None:
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    thread = threading.Thread(target=function)
    thread.start()
    thread.join()


if __name__ == "__main__":
    in_big_stack(main)
