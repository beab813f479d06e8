"""The main job of `make demo` (a placeholder until nn lands): one neuron, forward and backward."""

from autograd import Value

x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(2.0, label="b")
y = (x * w + b).tanh()
y.backward()
for v in (x, w, b):
    print(f"d y / d {v.label} = {v.grad:.4f}")
