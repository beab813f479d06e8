"""A learner's engine of micrograd's shape, as the build track's solutions write it (notebook
03b): the reference that nn.course's checks must pass and that autograd.draw.adopt must draw.

Value(data, _children=(), _op="", label="") with .data, .grad, ._prev, ._op and a _backward
closure per node; +, *, tanh and exp; topological_order(root) without recursion, and
backward(root), which Value.backward() runs.
"""

import math


class Value:
    """A learner's Value, micrograd's shape."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self.grad, self.label = data, 0.0, label
        self._prev, self._op = set(_children), _op
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = type(self)(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = type(self)(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        backward(self)


def topological_order(root):
    """Every node root depends on, each after its _prev. No recursion."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if child not in seen)
    return order


def backward(root, order_of=topological_order):
    """root.grad = 1; interior nodes from zero; each node's _backward, from the root back
    (over order_of(root): a test may give another order)."""
    order = order_of(root)
    for node in order:
        if node._prev:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
