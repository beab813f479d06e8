"""Weights as a {name: float} dict, and models saved as JSON (architecture + weights).

>>> import nn, os, tempfile
>>> model = nn.MLP(2, [3, 2], output="softmax", seed=0)
>>> state = model.state_dict()
>>> state["layers.1.neurons.0.b"]
0.0
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> model.save(path)
>>> copy = nn.load(path)             # no need to restate the shape
>>> copy, copy.state_dict() == state
(MLP(2, [3, 2], activation='tanh', output='softmax'), True)

The file is {"format": "chainrule.nn", "version": 1, "architecture": {...}, "state": {...}};
floats are written with repr, so they load back bit for bit. save() writes a temporary file in
the same directory and renames it over the target (os.replace), so a crash never leaves half a
file behind.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from numbers import Real

FORMAT, VERSION = "chainrule.nn", 1


class StateDictMixin:
    """state_dict, load_state_dict and save for a Module (which gives named_parameters, config)."""

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
            if isinstance(number, bool) or not isinstance(number, Real) \
                    or not math.isfinite(number):
                raise ValueError(f"state dict entry {name!r} must be one finite number (a "
                                 f"weight or bias), got {type(number).__name__}: {number!r}")
        for name, p in params.items():
            p.data = float(state[name])

    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and the weights to path as JSON, atomically (see module doc)."""
        document = {"format": FORMAT, "version": VERSION, "architecture": self.config(),
                    "state": self.state_dict()}
        write_atomically(path, json.dumps(document, indent=1) + "\n")


def load(path: str | os.PathLike):
    """The model saved at path by .save(path): rebuilt from its architecture, weights loaded.

    The whole file is checked before anything is built: a JSON object with the format, version,
    architecture and state of a saved model, each of the right type, and as many state entries
    as the architecture has parameters (counted from its sizes, without building it). Anything
    else is a ValueError "<path> is not a saved chainrule model: <what is wrong>".
    """
    from nn.module import MODULES

    where = os.fspath(path)
    with open(path, encoding="utf-8") as file:
        try:
            document = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where} is not a saved chainrule model: invalid JSON ({error})") \
                from None
    try:
        architecture = check_document(document)
        model = MODULES[architecture.pop("type")](**architecture)
        model.load_state_dict(document["state"])
    except (KeyError, ValueError) as error:
        reason = error.args[0] if error.args else repr(error)
        raise ValueError(f"{where} is not a saved chainrule model: {reason}") from None
    return model


# the architecture's keys for each model type, beside "type" (what config() writes)
ARCHITECTURE_KEYS = {
    "Neuron": ("nin", "activation", "decompose"),
    "Layer": ("nin", "nout", "activation", "decompose"),
    "MLP": ("nin", "sizes", "activation", "output", "decompose"),
}


def check_document(document: object) -> dict:
    """A copy of the document's architecture, after checking everything in the document except
    the state's names (load_state_dict checks those); else a ValueError saying what is wrong."""
    if not isinstance(document, dict):
        raise ValueError(f"the file holds a JSON {type(document).__name__}, not an object")
    if document.get("format") != FORMAT:
        raise ValueError(f"no \"format\": {FORMAT!r} (got {document.get('format')!r})")
    if document.get("version") != VERSION:
        raise ValueError(f"format version {document.get('version')!r}; this chainrule reads "
                         f"version {VERSION}")
    architecture, state = document.get("architecture"), document.get("state")
    if not isinstance(architecture, dict) or not isinstance(state, dict):
        raise ValueError(f"\"architecture\" and \"state\" must be JSON objects, got "
                         f"{_kind(architecture)} and {_kind(state)}")
    kind = architecture.get("type")
    if kind not in ARCHITECTURE_KEYS:
        raise ValueError(f"unknown model type {kind!r}; expected one of "
                         f"{', '.join(ARCHITECTURE_KEYS)}")
    keys = set(architecture) - {"type"}
    if keys != set(ARCHITECTURE_KEYS[kind]):
        raise ValueError(f"{kind} architectures have the keys "
                         f"{', '.join(ARCHITECTURE_KEYS[kind])}, got {', '.join(sorted(keys))}")
    _check_architecture_types(architecture)
    count = parameter_count(architecture)
    if count != len(state):
        raise ValueError(f"the architecture has {count} parameters but the state has "
                         f"{len(state)} entries")
    return dict(architecture)


def parameter_count(architecture: dict) -> int:
    """How many weights and biases the (checked) architecture has, without building it."""
    nin = architecture["nin"]
    if architecture["type"] == "Neuron":
        return nin + 1
    if architecture["type"] == "Layer":
        return architecture["nout"] * (nin + 1)
    widths = [nin, *architecture["sizes"]]
    return sum(nout * (n + 1) for n, nout in zip(widths, widths[1:]))


def _kind(item: object) -> str:
    """What a JSON item is, for a message: 'missing' for None (an absent key, or null)."""
    return "missing" if item is None else type(item).__name__


def _check_architecture_types(architecture: dict) -> None:
    from nn.functional import ACTIVATIONS

    sizes = architecture.get("sizes", [1])
    if not isinstance(sizes, list) or not sizes:
        raise ValueError(f"\"sizes\" must be a non-empty list of layer widths, got {sizes!r}")
    for key in ("nin", "nout", "sizes"):
        for n in sizes if key == "sizes" else [architecture.get(key, 1)]:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError(f"{key!r} needs whole numbers >= 1, got {n!r}")
    for key in ("activation", "output"):
        name = architecture.get(key, "linear")
        if name not in ACTIVATIONS:
            raise ValueError(f"{key!r} must be one of {', '.join(ACTIVATIONS)}, got {name!r}")
    if not isinstance(architecture["decompose"], bool):
        raise ValueError(f"'decompose' must be true or false, got {architecture['decompose']!r}")


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write text to path through a temporary file in the same directory and os.replace."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private (0o600); a model file is not
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
