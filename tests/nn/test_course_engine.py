"""nn.course's checks: the reference solution of the build track (notebook 03b) passes every
one; each planted mistake gets its own message, and no message holds the number a case expects.
The drawings of a Value of micrograd's shape are tested in tests/autograd/draw/test_adopt.py."""

import math
import re

import pytest
from micrograd_shaped import Value, backward, topological_order  # the reference solution

from autograd import Value as Reference
from nn.course import engine as course


def test_the_reference_solution_passes_every_check():
    """The folded solutions' code passes, and so does autograd's own Value."""
    assert course.check_value(Value) == ""
    assert course.check_topological_order(topological_order, Value) == ""
    assert course.check_backward(backward, Value) == ""
    assert course.check_value(Reference) == ""


def test_the_skeletons_are_not_done_yet():
    """Bodies of `...` (the notebook as shipped) get "not done yet", and no hint before a try."""
    class Skeleton:
        def __init__(self, data, _children=(), _op="", label=""):
            """The spec."""
            ...

        def __add__(self, other):
            ...

        __mul__ = tanh = exp = __add__

    def order(root):
        """The spec."""
        ...

    assert course.check_value(Skeleton).startswith("not done yet: write the body of __init__")
    assert course.check_topological_order(order, Value).startswith("not done yet")
    assert course.check_backward(order, Value).startswith("not done yet")
    assert course.check_training(None, [], [], [], 0.0, 0.1, 3).startswith("not done yet")


# ---- planted mistakes: each its own message, none with the number expected ----


class Overwrites(Value):
    """`=` instead of `+=` in __add__'s _backward."""

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Overwrites(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad
        out._backward = _backward
        return out


class TanhAssigns(Value):
    """`=` instead of `+=` in tanh's _backward: right alone, wrong for a child used again."""

    def tanh(self):
        out = TanhAssigns(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad = (1 - out.data**2) * out.grad
        out._backward = _backward
        return out


class ForgetsNumbers(Value):
    """a * 2.0 fails: the number is not made a Value."""

    def __mul__(self, other):
        out = ForgetsNumbers(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out


class TanhOfInput(Value):
    """tanh's derivative written as 1 - x² (the input squared, not the output)."""

    def tanh(self):
        out = TanhOfInput(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - self.data ** 2) * out.grad
        out._backward = _backward
        return out


class ForgetsUpstream(Value):
    """__mul__'s _backward ignores out.grad."""

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = ForgetsUpstream(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data
            other.grad += self.data
        out._backward = _backward
        return out


class ExpOfInput(Value):
    """exp's derivative taken as the input."""

    def exp(self):
        out = ExpOfInput(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += self.data * out.grad
        out._backward = _backward
        return out


def visits_twice(root):
    """A recursive sort with no memory of what it has visited."""
    order = []

    def visit(node):
        for child in node._prev:
            visit(child)
        order.append(node)
    visit(root)
    return order


def recursive_order(root):
    """micrograd's recursive build_topo: right, but too deep for a long chain."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)
    visit(root)
    return order


def forward_order(root):
    """An order with the root first."""
    return list(reversed(topological_order(root)))


def only_the_root(root):
    """An order of the root alone."""
    return [root]


def unseeded(root):
    """backward without root.grad = 1."""
    order = topological_order(root)
    for node in order:
        if node._prev:
            node.grad = 0.0
    for node in reversed(order):
        node._backward()


def not_reset(root):
    """micrograd's backward: interior nodes keep the first pass's grads."""
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        node._backward()


def resets_leaves(root):
    """Every grad set to 0 at the start, leaves included: a second pass loses the first."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()


def wrong_direction(root):
    """The _backward steps run from the leaves up."""
    order = topological_order(root)
    for node in order:
        if node._prev:
            node.grad = 0.0
    root.grad = 1.0
    for node in order:
        node._backward()


def with_order(order_fn, name):
    """The reference backward over another topological order."""
    def run(root):
        backward(root, order_fn)
    run.__name__ = f"backward_over_{name}_order"
    return run


MISTAKES = [
    ("value", Overwrites, r"\(a \+ b\)._backward\(\) replaces what its children's .grad held"
                          r".* never assign"),
    ("value", TanhAssigns, r"\(a.tanh\(\)\)._backward\(\) replaces .* Add \(\+=\)"),
    ("value", ForgetsNumbers, r"computing a \* 5.0: your code raised AttributeError"),
    ("value", TanhOfInput, r"\(a.tanh\(\)\)._backward\(\) passes the wrong amount .* its input "
                           r"or its output"),
    ("value", ExpOfInput, r"\(a.exp\(\)\)._backward\(\) .* a number your node already holds"),
    ("value", ForgetsUpstream, r"right when out.grad is 1 but not otherwise"),
    ("order", visits_twice, r"a node appears more than once in your order"),
    ("order", recursive_order, r"ordering a chain of thousands of ops: Python gave up at its "
                               r"recursion limit"),
    ("order", forward_order, r"a node comes before a Value it was made from"),
    ("order", only_the_root, r"leaves out some of the Values"),
    ("backward", unseeded, r"the gradient never starts"),
    ("backward", not_reset, r"after a second backward\(\), a grad counts the first pass"),
    ("backward", resets_leaves, r"after a second backward\(\), the leaves hold one pass's grad"),
    ("backward", wrong_direction, r"in \(\(a \* b\) \+ c\).tanh\(\), some grads are not the "
                                  r"chain rule's: .* In which order"),
    ("backward", with_order(visits_twice, "twice"),
     r"in b = a \+ a; \(b \* b\) \+ b, some grads .* exactly once"),
    ("backward", with_order(recursive_order, "recursive"),
     r"backward on a chain of thousands of ops: Python gave up at its recursion limit"),
]


def said_about(kind, mistake):
    if kind == "value":
        return course.check_value(mistake)
    if kind == "order":
        return course.check_topological_order(mistake, Value)
    return course.check_backward(mistake, Value)


def expected_numbers() -> set[str]:
    """Every number the checks' cases expect (data and grads of autograd's reference graphs),
    as a learner might read it: 4 decimals, 2 decimals, repr."""
    numbers = set()
    for build in course.GRAPHS.values():
        if build is course._deep:
            continue
        nodes = build(Reference)
        nodes[-1].backward()
        for node in nodes:
            for x in (node.data, node.grad):
                numbers |= {f"{x:.4f}", f"{x:.2f}", repr(x)}
    for op, local in course.LOCAL.items():
        out = course.FORWARD[op](0.5, -1.5)
        for x in (out, *local(0.5, -1.5, out), *(3 * g for g in local(0.5, -1.5, out))):
            numbers |= {f"{x:.4f}", f"{x:.2f}", repr(float(x))}
    return {n for n in numbers if n not in {"0.00", "0.0", "0.0000", "1.0", "1.00", "1.0000"}}


@pytest.mark.parametrize(("kind", "mistake", "message"), MISTAKES,
                         ids=[m[1].__name__ for m in MISTAKES])
def test_each_planted_mistake_gets_its_own_message(kind, mistake, message):
    """The check names what failed and hints at the next thing to look at."""
    said = said_about(kind, mistake)
    assert re.search(message, said), said
    others = [pattern for k, _, pattern in MISTAKES if pattern != message and k == kind]
    assert not any(re.search(pattern, said) for pattern in others), said


@pytest.mark.parametrize(("kind", "mistake"), [m[:2] for m in MISTAKES],
                         ids=[m[1].__name__ for m in MISTAKES])
def test_no_message_gives_the_number_expected(kind, mistake):
    """No digit string of an expected value appears in what a check says (nor 1 or 0 alone)."""
    said = said_about(kind, mistake)
    assert not [n for n in expected_numbers() if n in said], said
    assert not re.search(r"(?<![\w.])[01](\.0+)?(?![\w.])", said.replace("out.grad is 1", "")), (
        said)


# ---- exercise 3: the training loop ----

DATA = {"xs": [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)], "ds": [-0.8, 0.8, 0.8, 0.8],
        "w": [0.5, -0.5], "b": 0.0, "rate": 0.5, "steps": 12}


def trained(zero_grads=True, averaged=True):
    """The notebook's training loop on the reference solution, with a mistake or two."""
    xs, ds = DATA["xs"], DATA["ds"]
    w1, w2, b = Value(DATA["w"][0]), Value(DATA["w"][1]), Value(DATA["b"])
    losses = []
    for _ in range(DATA["steps"]):
        loss = Value(0.0)
        for (x1, x2), d in zip(xs, ds):
            error = (w1 * x1 + w2 * x2 + b).tanh() + (-d)
            loss = loss + error * error * (0.5 / len(xs) if averaged else 0.5)
        for p in (w1, w2, b):
            p.grad = 0.0 if zero_grads else p.grad
        backward(loss)
        for p in (w1, w2, b):
            p.data -= DATA["rate"] * p.grad
        losses.append(loss.data)
    return losses


def test_the_training_check():
    """The loop of the solution passes; a loss not averaged is told from grads not zeroed,
    and neither message holds a loss."""
    assert course.check_training(trained(), **DATA) == ""
    said = course.check_training(trained(averaged=False), **DATA)
    assert said.startswith("your first loss is not the specified neuron's"), said
    said_too = course.check_training(trained(zero_grads=False), **DATA)
    # the second loss is taken after a first move, which was right: they part at the third
    assert re.match(r"your first 2 losses agree, then they part: .* leaves keep adding",
                    said_too), said_too
    assert course.check_training(trained()[:-1], **DATA).startswith("losses must be a list")
    for loss in course.neuron_losses(**DATA):
        assert f"{loss:.4f}" not in said + said_too and f"{loss:.2f}" not in said + said_too


@pytest.mark.parametrize(("guess", "answer", "right"), [
    ("SGD", "sgd", True), (" True ", True, True), ("2", 2.0, True), ([5, 4], (5, 4), True),
    ("false", True, False), (True, 1, False), ((5, 4), (4, 5), False), (10, 12, False),
])
def test_a_prediction_is_read_as_a_person_means_it(guess, answer, right, capsys):
    """reveal() calls a guess right when it says the answer in other words: case and spaces
    of text, a number or truth value spelled as text, a list for a tuple; never True for 1."""
    from nn.course import predictions

    predictions.forget()
    predictions.predict("q", guess)
    predictions.reveal("q", answer)
    said = capsys.readouterr().out
    assert said.rstrip().endswith("right." if right else "not quite."), said
