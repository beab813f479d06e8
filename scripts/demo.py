"""What `make demo` runs: the default `chainrule train` job (its defaults), into runs/demo.

An MLP 2-16-16-2 (tanh hidden layers, softmax output) learns the two-moons data by batch
gradient descent on the KL divergence, 300 steps at lr 0.5; then this script says where the
model, the history and the plots are. --compile runs each sample's forward and backward pass as
compiled Python (nn.compile): the same numbers as the graph-per-sample engine, several times
faster, so the demo takes seconds.
"""

import os
import time
from pathlib import Path

from nn.cli import main

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "runs" / "demo"
ARGS = ["train", "--data", "moons", "--hidden", "16", "16", "--activation", "tanh",
        "--output", "softmax", "--divergence", "kl", "--mode", "batch", "--lr", "0.5",
        "--steps", "300", "--seed", "0", "--compile", "--out", str(OUT)]
# one neuron's graph, to hover over: y = tanh(w x + b) at x = 0.5, w = -1.5, b = 2
GRAPH = ["graph", "tanh(w*x + b)", "x=0.5", "w=-1.5", "b=2", "-o", str(OUT / "neuron.svg")]

if __name__ == "__main__":
    print("chainrule " + " ".join(ARGS[:-1] + [os.path.relpath(OUT)]), flush=True)
    start = time.perf_counter()
    status = main(ARGS)
    if status == 0:
        print("chainrule " + " ".join(GRAPH[:-1] + [os.path.relpath(GRAPH[-1])]), flush=True)
        status = main(GRAPH)
    if status == 0:
        print(f"\ndone in {time.perf_counter() - start:.1f} s. Look at:")
        for name in ("loss.png", "boundary.png", "history.csv", "model.json"):
            print(f"  {os.path.relpath(OUT / name)}")
        print(f"  {os.path.relpath(OUT / 'neuron.svg')}  (open it in a browser and hover over a "
              "box: its chain-rule equation)")
        print("Load the trained model with nn.load('runs/demo/model.json').")
    raise SystemExit(status)
