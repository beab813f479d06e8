"""autograd.hessian against torch.autograd.functional.hessian, in one process, interleaved.

    python benchmarks/bench_hessian.py --repeats 15

The function: about 200 ops over 10 inputs (below), written once with the methods Values and
torch tensors share, so both sides run the same code. chainrule gets 10 floats and builds its
graph from Values; torch gets 10 0-d float64 tensors (its hessian sets requires_grad itself).
chainrule builds the gradient's graph once with autograd.grad and runs 10 reverse passes of
numbers over it; torch's hessian is the Jacobian of torch.autograd.grad(create_graph=True), one
backward per row. The H·v row compares autograd.hvp with torch.autograd.functional.hvp.

Both sides first compute the same Hessian (checked within 1e-12 relative). Each round times
every contender once, alternating which goes first; the table gives medians and the ratio
torch / chainrule (how many times faster chainrule is).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time

import autograd

INPUTS = 10
ROUNDS = 14  # 14 rounds of 14 ops, plus the first: 197 ops in chainrule's graph


def function(*x):
    """Σ over rounds r of tanh(a b + c) sin(b - c) + e^(a/10) / (1 + c²), for three of the
    inputs (a, b, c) picked by r, plus x_1 / 2: about 200 ops in all."""
    y = x[0] * 0.5
    for r in range(ROUNDS):
        a, b, c = x[r % INPUTS], x[(3 * r + 1) % INPUTS], x[(7 * r + 2) % INPUTS]
        y = y + (a * b + c).tanh() * (b - c).sin() + (a * 0.1).exp() / (1 + c * c)
    return y


POINT = [0.1 * (i + 1) * (-1) ** i for i in range(INPUTS)]
DIRECTION = [1.0 / (i + 1) for i in range(INPUTS)]


def contenders(torch) -> dict:
    """name -> a function of no arguments computing the Hessian (or H·v) at POINT."""
    point = tuple(torch.tensor(x, dtype=torch.float64) for x in POINT)
    direction = tuple(torch.tensor(v, dtype=torch.float64) for v in DIRECTION)
    return {
        "chainrule hessian": lambda: autograd.hessian(function, POINT),
        "torch hessian": lambda: torch.autograd.functional.hessian(function, point),
        "chainrule hvp": lambda: autograd.hvp(function, POINT, DIRECTION),
        "torch hvp": lambda: torch.autograd.functional.hvp(function, point, direction)[1],
    }


def agreement(runs: dict) -> None:
    """The same Hessian and H·v on both sides (within 1e-12 relative), or stop."""
    ours, theirs = runs["chainrule hessian"](), runs["torch hessian"]()
    pairs = [(ours[i][j], theirs[i][j].item()) for i in range(INPUTS) for j in range(INPUTS)]
    pairs += zip(runs["chainrule hvp"](), (t.item() for t in runs["torch hvp"]()))
    scale = max(abs(b) for _, b in pairs)
    worst = max(abs(a - b) for a, b in pairs)
    if worst > 1e-12 * scale:
        raise SystemExit(f"chainrule and torch disagree by {worst:.3g} (scale {scale:.3g})")
    print(f"Hessian and H·v agree with torch's within {worst / scale:.1e} relative\n")


def compare(repeats: int, runs: dict) -> dict[str, float]:
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            gc.collect()
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in medians.items():
        print(f"{name:<18} {seconds * 1e3:8.2f} ms")
    for what in ("hessian", "hvp"):
        ratio = medians[f"torch {what}"] / medians[f"chainrule {what}"]
        print(f"{what}: chainrule is {ratio:.1f}x as fast as torch"
              + (" (target: faster)" if what == "hessian" else ""))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="rounds (default 15)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:  # not an error: make bench runs without torch, as the tests do
        print("bench_hessian.py skipped: it compares with PyTorch (pip install torch, CPU build)")
        return
    output = function(*map(autograd.Value, POINT))
    ops = sum(1 for node in autograd.topological_order(output) if node.parents)
    print(f"Python {sys.version.split()[0]}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), {platform.machine()}, {os.cpu_count()} CPUs; "
          f"medians of {args.repeats} interleaved rounds")
    print(f"f: {INPUTS} inputs, {ops} ops in chainrule's graph\n")
    runs = contenders(torch)
    agreement(runs)
    compare(args.repeats, runs)


if __name__ == "__main__":
    main()
