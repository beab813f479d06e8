"""Neurons, layers and multilayer perceptrons, built only from autograd.Value ops.

>>> from nn import MLP
>>> model = MLP(2, [3, 1], seed=0)
>>> model
MLP(2, [3, 1], activation='tanh', output='linear')
>>> len(model.parameters())          # (2 weights + 1 bias) * 3 + (3 weights + 1 bias) * 1
13
>>> [name for name, _ in model.named_parameters()][:3]
['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b']
>>> y = model([0.5, -1.0])           # always a list: one Value per output
>>> len(y), type(y[0]).__name__
(1, 'Value')

A neuron computes z = Σ_j w_j x_j + b and y = f(z) (the course's notation). By default z is one
node, autograd.affine(w, x, b); `decompose=True` builds it from separate * and + nodes instead
(b + w_1 x_1 + w_2 x_2 + ..., the same numbers) for pictures that show every product.
Forward passes run inside autograd.scope(...) named in the course's notation ("layer 2",
"neuron 3: y = tanh(z), z = Σⱼ wⱼ xⱼ + b"), so a drawing can group each neuron's nodes;
softmax and each divergence run in scopes of their own ("softmax", "kl_divergence", ...).

Values are labelled in the course's notation, z_i = Σ_j w_ji x_j + b_i in layer k, counting
from 1: w1[2,1] is layer 1's weight from input j = 2 to neuron i = 1, b1[1] that neuron's bias,
z1[1] and y1[1] its affine value and output, x[2] the network's second input (layer 2's inputs
are layer 1's outputs y1[j]). A Neuron or Layer used on its own leaves out what it does not
know: w[2], b, z, y. Parameter names count from 0, as Python lists do
(layers.0.neurons.0.w.1 is w1[2,1]).

>>> [p.label for p in model.parameters()][:4]
['w1[1,1]', 'w1[2,1]', 'b1[1]', 'w1[1,2]']
>>> y[0].label, [p.label for p in y[0].parents]    # z2[1] = w2[1,1] y1[1] + ... + b2[1]
('z2[1]', ['w2[1,1]', 'w2[2,1]', 'w2[3,1]', 'y1[1]', 'y1[2]', 'y1[3]', 'b2[1]'])
"""

from __future__ import annotations

import inspect
import math
import os
import random
from collections.abc import Iterator, Sequence
from numbers import Real

from autograd import Value, affine, scope
from autograd.nary import affine_of_values
from nn import serialize
from nn.checks import is_whole_number
from nn.functional import check_activation, scalar_activation, softmax

Input = Sequence[Value | float]
AFFINE = "z = Σⱼ wⱼ xⱼ + b"  # the course's notation, in Unicode (a cluster's title)


class Module:
    """Something with parameters: a Neuron, a Layer or an MLP.

    Subclasses give named_parameters() (and config(), the arguments that rebuild them); the
    rest (parameters, zero_grad, state_dict, load_state_dict, save) is shared. nn.load(path)
    rebuilds a saved model (see nn.serialize for the file).
    """

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """(dotted name, Value) pairs, in the order of parameters()."""
        raise NotImplementedError(f"{type(self).__name__} must define named_parameters()")

    def parameters(self) -> list[Value]:
        """Every weight and bias: layer by layer, neuron by neuron, its weights then its bias."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's .grad to 0 (leaves accumulate across backward() calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def config(self) -> dict:
        """The constructor arguments, as JSON-ready data (saved beside the weights)."""
        raise NotImplementedError(f"{type(self).__name__} must define config()")

    def state_dict(self) -> dict[str, float]:
        """{dotted name: weight} for every parameter, in the order of parameters()."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, float]) -> None:
        """Set every parameter from state, strictly: the names must be exactly those of
        state_dict(), each with one finite number. A missing or extra name raises KeyError, a
        value that is not a single finite number raises ValueError; both name the entry, and
        then no parameter has changed.
        """
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict needs a dict {{name: float}}, "
                            f"got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        if missing:
            raise KeyError(f"state dict is missing {len(missing)} entries, first {missing[0]!r} "
                           f"(a {self!r} has {len(params)} parameters)")
        extra = [name for name in state if name not in params]
        if extra:
            raise KeyError(f"state dict has {len(extra)} unexpected entries, first {extra[0]!r} "
                           f"(not a parameter of {self!r})")
        for name, number in state.items():
            if not _is_finite_number(number):
                raise ValueError(f"state dict entry {name!r} must be one finite number (a "
                                 f"weight or bias), got {type(number).__name__}: "
                                 f"{serialize.shown(number)}")
        for name, p in params.items():
            p.data = float(state[name])

    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and the weights to path as JSON, atomically (see nn.serialize)."""
        serialize.save_model(path, self.config(), self.state_dict())


class Neuron(Module):
    """z = Σ_j w_j x_j + b,  y = f(z), for one of the scalar activations f ("tanh", "relu",
    "sigmoid", "linear", or any other op row of one input, such as "sin" or an op made with
    autograd.define_op).

    w: nin weights, b: the bias (Values). Initial weights are drawn from N(0, σ²) with
    σ = √(2/nin) for relu (He) and σ = √(1/nin) otherwise (Xavier/LeCun), b = 0; `seed` is an
    int or a random.Random to draw from (default: the module-level random, so random.seed()
    fixes it).
    index and layer (1-based, set by a Layer and an MLP) number it in labels and scope names.
    """

    def __init__(self, nin: int, activation: str = "tanh",
                 seed: int | random.Random | None = None, *, decompose: bool = False,
                 index: int | None = None, layer: int | None = None):
        _check_size(nin, "nin")
        _check_flag(decompose, "decompose")
        self.activation = check_activation(activation)
        if self.activation == "softmax":
            raise ValueError("softmax is a vector activation (it needs the whole layer's z's): "
                             "use Layer(nin, nout, activation='softmax')")
        rng = random_source(seed)
        self.nin = nin = int(nin)  # a plain int (numpy's int64 is an Integral, not JSON-ready)
        self.decompose = decompose
        scale = math.sqrt((2.0 if self.activation == "relu" else 1.0) / nin)
        self.w = [Value(rng.gauss(0.0, scale), label=course_label("w", layer, j + 1, index))
                  for j in range(nin)]
        self.b = Value(0.0, label=course_label("b", layer, index))
        self.labels = course_label("z", layer, index), course_label("y", layer, index)
        self.f = scalar_activation(activation)
        number = "neuron" if index is None else f"neuron {index}"
        equation = f"y = z, {AFFINE}" if self.activation == "linear" else \
            f"y = {self.activation}(z), {AFFINE}"
        self.scope_name = f"{number}: {equation}"  # a softmax Layer sets "neuron i: z = ..."

    def __call__(self, x: Input) -> Value:
        _check_inputs(x, self.nin, "neuron")
        return self.forward(_as_values(x))

    def forward(self, x: list[Value]) -> Value:
        """y = f(z) on inputs already checked and made Values (a Layer does that once for all
        of its neurons)."""
        with scope(self.scope_name):
            # x are Values (made so once, by the layer): no checks for every neuron
            z = self.affine(x) if self.decompose else affine_of_values(self.w, x, self.b)
            z.label = self.labels[0]
            y = self.f(z)
            if y is not z:
                y.label = self.labels[1]
        return y

    def affine(self, x: Input) -> Value:
        """z = Σ_j w_j x_j + b: one affine node, or (decompose=True) a chain of * and +."""
        if not self.decompose:
            return affine(self.w, x, self.b)
        z = self.b  # b + w_1 x_1 + w_2 x_2 + ...: the order affine adds in, so the same floats
        for w, xj in zip(self.w, x):
            z = z + w * xj
        return z

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        yield from ((f"w.{j}", w) for j, w in enumerate(self.w))
        yield "b", self.b

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def config(self) -> dict:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation,
                "decompose": self.decompose}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """nout neurons reading the same nin inputs; calling it returns a list of nout Values.

    With activation="softmax" the neurons are linear (y_i = z_i) and the layer returns
    softmax(z_1, ..., z_nout). `seed` as for a Neuron: one stream draws every neuron's weights.
    `index` (1-based, set by an MLP) names the drawing scope.
    """

    def __init__(self, nin: int, nout: int, activation: str = "tanh",
                 seed: int | random.Random | None = None, *, decompose: bool = False,
                 index: int | None = None):
        _check_size(nin, "nin")
        _check_size(nout, "nout")
        self.nin, self.nout, self.decompose, self.index = int(nin), int(nout), decompose, index
        self.activation = check_activation(activation)
        self.vector = self.activation == "softmax"
        if self.vector and nout < 2:
            raise ValueError(f"softmax needs at least 2 outputs (over 1 it is always 1.0, with "
                             f"zero gradients), got nout = {nout}; for one output use "
                             f"activation='sigmoid'")
        neuron_activation = "linear" if self.vector else activation
        rng = random_source(seed)  # one stream for every neuron (an int must not repeat per neuron)
        self.neurons = [Neuron(nin, neuron_activation, rng, decompose=decompose, index=i + 1,
                               layer=index) for i in range(nout)]
        number = "layer" if index is None else f"layer {index}"
        self.scope_name = f"{number}: y = softmax(z)" if self.vector else number
        if self.vector:
            for i, neuron in enumerate(self.neurons):
                neuron.scope_name = f"neuron {i + 1}: {AFFINE}"

    def __call__(self, x: Input) -> list[Value]:
        _check_inputs(x, self.nin, "layer")
        return self.forward(_as_values(x))  # once, so that every neuron uses the same x_j

    def forward(self, x: list[Value]) -> list[Value]:
        """The layer's outputs on inputs already checked and made Values."""
        with scope(self.scope_name):
            ys = [neuron.forward(x) for neuron in self.neurons]
            if self.vector:
                ys = softmax(ys)
                for i, y in enumerate(ys, 1):
                    y.label = course_label("y", self.index, i)
        return ys

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, neuron in enumerate(self.neurons):
            yield from ((f"neurons.{i}.{name}", p) for name, p in neuron.named_parameters())

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def config(self) -> dict:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout,
                "activation": self.activation, "decompose": self.decompose}

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multilayer perceptron: nin inputs, then one Layer per entry of sizes.

    Hidden layers use `activation`, the last layer `output`: one of nn.activations(), that is
    "linear", "softmax" or any op row of one input ("tanh", "relu", "sigmoid", "sin", ..., or
    one made with autograd.define_op, such as a softplus: saved by its name, so define it again
    before nn.load). Calling it on nin numbers (or Values)
    returns a list of sizes[-1] Values. The same seed (an int, or a random.Random to draw from)
    gives the same initial weights; seed=None draws from the module-level random.
    decompose=True: see the module docstring.
    """

    def __init__(self, nin: int, sizes: Sequence[int], activation: str = "tanh",
                 output: str = "linear", seed: int | None = None, *, decompose: bool = False):
        _check_size(nin, "nin")
        _check_sizes(sizes)
        activation, output = check_activation(activation), check_activation(output)
        if activation == "softmax":
            raise ValueError("softmax is meant for the output layer: use output='softmax' and a "
                             "scalar activation ('tanh', 'relu', 'sigmoid', 'linear') for hidden "
                             "layers")
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError(f"softmax needs at least 2 outputs (over 1 it is always 1.0, with "
                             f"zero gradients), got sizes[-1] = {sizes[-1]}; for one output use "
                             f"output='sigmoid'")
        rng = random_source(seed)
        # plain ints: numpy's int64 is an Integral, but json cannot write it (save)
        self.nin, self.sizes = int(nin), [int(size) for size in sizes]
        self.activation, self.output, self.decompose = activation, output, decompose
        widths = [self.nin, *self.sizes]
        last = len(sizes) - 1
        self.layers = [Layer(widths[i], widths[i + 1], output if i == last else activation,
                             rng, decompose=decompose, index=i + 1) for i in range(len(sizes))]

    def __call__(self, x: Input) -> list[Value]:
        _check_inputs(x, self.nin, "MLP")
        x = _as_values(x)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, layer in enumerate(self.layers):
            yield from ((f"layers.{i}.{name}", p) for name, p in layer.named_parameters())

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def config(self) -> dict:
        return {"type": "MLP", "nin": self.nin, "sizes": self.sizes,
                "activation": self.activation, "output": self.output,
                "decompose": self.decompose}

    def __repr__(self) -> str:
        return (f"MLP({self.nin}, {self.sizes}, activation={self.activation!r}, "
                f"output={self.output!r})")


MODULES = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP}  # config()["type"] -> class


def load(path: str | os.PathLike) -> Module:
    """The model saved at path by .save(path), rebuilt by its class's constructor (which checks
    the architecture) and load_state_dict (which checks the weights).

    A file that is not a saved model is a ValueError "<path> is not a saved chainrule model:
    <what is wrong>" (see nn.serialize).
    """
    return serialize.load_model(path, _build)


def _build(architecture: dict, state: dict) -> Module:
    """The model an architecture (a config()) describes, with the weights of state. Its
    parameters are counted before it is built, so that a file claiming a billion of them is
    refused by the count instead of filling the memory."""
    arguments = dict(architecture)
    kind = arguments.pop("type", None)
    model_class = MODULES.get(kind) if isinstance(kind, str) else None
    if model_class is None:
        raise ValueError(f"unknown model type {serialize.shown(kind)}; expected one of "
                         f"{', '.join(MODULES)}")
    try:
        inspect.signature(model_class).bind(**arguments)
    except TypeError as error:
        raise ValueError(f"a {kind} architecture holds its constructor's arguments: "
                         f"{error}") from None
    count = parameter_count(arguments)
    if count != len(state):
        raise ValueError(f"the architecture has {serialize.shown(count)} parameters but the "
                         f"state has {len(state)} entries")
    model = model_class(**arguments)
    model.load_state_dict(state)
    return model


def parameter_count(architecture: dict) -> int:
    """How many weights and biases the model of a config() has, Σ over its layers of
    nout (nin + 1), counted without building it (a Neuron is a layer of one)."""
    _check_size(architecture["nin"], "nin")
    if "sizes" in architecture:
        _check_sizes(architecture["sizes"])
    widths = [architecture["nin"], *architecture.get("sizes", [architecture.get("nout", 1)])]
    for width in widths:
        _check_size(width, "every layer size")
    return sum(nout * (nin + 1) for nin, nout in zip(widths, widths[1:]))


def random_source(seed: int | random.Random | None):
    """Where initial weights are drawn from: random.Random(seed) for an int, the random.Random
    itself (to share one stream), or for None the module-level random."""
    if seed is None:
        return random
    if is_whole_number(seed):
        return random.Random(int(seed))
    if not hasattr(seed, "gauss"):  # a random.Random, or the module random that None gives
        raise TypeError(f"seed must be an int or a random.Random, got {type(seed).__name__}: "
                        f"{seed!r:.60}")
    return seed


def _check_sizes(sizes: object) -> None:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise ValueError(f"MLP needs sizes as a non-empty list of layer widths, e.g. "
                         f"[16, 16, 1], got {serialize.shown(sizes)}")
    for size in sizes:
        _check_size(size, "every layer size")


def _check_flag(flag: object, what: str) -> None:
    if not isinstance(flag, bool):
        raise ValueError(f"{what} must be True or False, got {type(flag).__name__}: "
                         f"{serialize.shown(flag)}")


def _is_finite_number(number: object) -> bool:
    """A real number (not a bool) that is finite as a float (not 1e400, 10**400 or NaN)."""
    if type(number) is float:  # most of them: a quick answer
        return number - number == 0.0
    if isinstance(number, bool) or not isinstance(number, Real):
        return False
    try:
        return math.isfinite(float(number))
    except OverflowError:  # an int beyond the largest float
        return False


def _check_size(n: object, what: str) -> None:
    if not is_whole_number(n) or n < 1:
        raise ValueError(f"{what} must be a positive whole number, got {type(n).__name__}: "
                         f"{serialize.shown(n)}")


def course_label(symbol: str, layer: int | None, *indexes: int | None) -> str:
    """A label in the course's notation: symbol, layer number, [indexes] (w_ji: j, then i);
    what is None is left out. course_label("w", 1, 2, 1) is "w1[2,1]"."""
    known = ",".join([str(n) for n in indexes if n is not None])
    return f"{symbol}{'' if layer is None else layer}{f'[{known}]' if known else ''}"


def _as_values(x: Input) -> list[Value]:
    """The inputs as Values: a number x_j becomes a leaf labelled x[j] (j counts from 1)."""
    return [xj if isinstance(xj, Value) else Value(xj, label=course_label("x", None, j))
            for j, xj in enumerate(x, 1)]


def _check_inputs(x: object, nin: int, who: str) -> None:
    """A clear error unless x is a list (or tuple) of nin inputs."""
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"this {who} takes a list of {nin} inputs, got {type(x).__name__}: "
                        f"{x!r}" + (" (wrap it in a list)" if nin == 1 else ""))
    if len(x) != nin:
        raise ValueError(f"this {who} takes {nin} inputs (nin), got {len(x)}: {x!r}")
