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
from collections.abc import Callable

from nn.functional import ACTIVATIONS, defined_ops

FORMAT, VERSION = "chainrule.nn", 1


def save_model(path: str | os.PathLike, architecture: dict, state: dict[str, float]) -> None:
    """Write a model's architecture (its config()) and state_dict() to path, atomically."""
    document = {"format": FORMAT, "version": VERSION, "architecture": architecture,
                "state": state}
    write_atomically(path, json.dumps(document, indent=1) + "\n")


def load_model(path: str | os.PathLike, build: Callable[[dict, dict], object]):
    """build(architecture, state) for the model saved at path, after checking the whole file.

    The file must be UTF-8 JSON holding an object with the format, version, architecture and
    state of a saved model, each of the right type, the state's values finite numbers, and as
    many state entries as the architecture has parameters (counted from its sizes, without
    building it). Anything else (text that is not UTF-8 or not JSON, JSON nested too deeply to
    read, a number too large for a float, a wrong type anywhere), or an error from build, is a
    ValueError "<path> is not a saved chainrule model: <what is wrong>". Only a file that cannot
    be opened or read raises something else: OSError.
    """
    where = os.fspath(path)
    with open(path, "rb") as file:
        data = file.read()
    try:
        document = _parse(data)
        return build(check_document(document), document["state"])
    except (KeyError, ValueError, TypeError, ArithmeticError, RecursionError) as error:
        raise ValueError(f"{where} is not a saved chainrule model: {_reason(error)}") from None


def _parse(data: bytes) -> object:
    """The JSON document in data; a ValueError saying why there is none."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text ({error.reason} at byte {error.start}; chainrule "
                         f"saves UTF-8 JSON)") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    except ValueError as error:  # a JSONDecodeError, or an integer of more than 4300 digits
        raise ValueError(f"invalid JSON ({error})") from None


def _reason(error: Exception) -> str:
    """What is wrong, from an error raised while checking or building."""
    if isinstance(error, RecursionError):
        return "JSON nested too deeply to read"
    reason = error.args[0] if error.args and isinstance(error.args[0], str) else repr(error)
    return reason if isinstance(error, (KeyError, ValueError)) else \
        f"{type(error).__name__}: {reason}"


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
        kind = "null" if document is None else type(document).__name__
        raise ValueError(f"the file holds a JSON {kind}, not an object")
    if document.get("format") != FORMAT:
        raise ValueError(f"no \"format\": {FORMAT!r} (got {_show(document.get('format'))})")
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # not True, not 1.0
        raise ValueError(f"format version {_show(version)}; this chainrule reads version "
                         f"{VERSION}")
    architecture, state = document.get("architecture"), document.get("state")
    if not isinstance(architecture, dict) or not isinstance(state, dict):
        raise ValueError(f"\"architecture\" and \"state\" must be JSON objects, got "
                         f"{_kind(architecture)} and {_kind(state)}")
    kind = architecture.get("type")
    if not isinstance(kind, str) or kind not in ARCHITECTURE_KEYS:
        raise ValueError(f"unknown model type {_show(kind)}; expected one of "
                         f"{', '.join(ARCHITECTURE_KEYS)}")
    keys = set(architecture) - {"type"}
    if keys != set(ARCHITECTURE_KEYS[kind]):
        raise ValueError(f"{kind} architectures have the keys "
                         f"{', '.join(ARCHITECTURE_KEYS[kind])}, got {', '.join(sorted(keys))}")
    _check_architecture_types(architecture)
    _check_state_values(state)
    count = parameter_count(architecture)
    if count != len(state):
        raise ValueError(f"the architecture has {_show(count)} parameters but the state has "
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


def _show(item: object, most: int = 60) -> str:
    """repr(item) for a message, cut after `most` characters: a file may hold anything."""
    try:
        text = repr(item)
    except (ValueError, RecursionError):  # an int of over 4300 digits; nesting too deep
        return f"a {type(item).__name__} too large to show"
    return text if len(text) <= most else f"{text[:most]}... ({len(text)} characters)"


def _check_architecture_types(architecture: dict) -> None:
    sizes = architecture.get("sizes", [1])
    if not isinstance(sizes, list) or not sizes:
        raise ValueError(f"\"sizes\" must be a non-empty list of layer widths, got "
                         f"{_show(sizes)}")
    for key in ("nin", "nout", "sizes"):
        for n in sizes if key == "sizes" else [architecture.get(key, 1)]:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError(f"{key!r} needs whole numbers >= 1, got {_show(n)}")
    for key in ("activation", "output"):
        name = architecture.get(key, "linear")
        if not isinstance(name, str):
            raise ValueError(f"{key!r} must be one of {', '.join(ACTIVATIONS)} or the name of "
                             f"an op made with autograd.define_op, got {_show(name)}")
        if name not in ACTIVATIONS and name not in defined_ops():
            raise ValueError(f"its {key} is the op {_show(name)}, which is not defined here: "
                             f"run its autograd.define_op({_show(name)}, ...) before nn.load "
                             f"(built-in activations: {', '.join(ACTIVATIONS)})")
    if not isinstance(architecture["decompose"], bool):
        raise ValueError(f"'decompose' must be true or false, got "
                         f"{_show(architecture['decompose'])}")


def _check_state_values(state: dict) -> None:
    """Each entry a string name and a number that is finite as a float (not 1e400, not 10**400,
    not NaN, not true)."""
    for name, number in state.items():
        if not isinstance(name, str):
            raise ValueError(f"state dict names must be strings, got {_show(name)}")
        if not _is_finite_number(number):
            raise ValueError(f"state dict entry {_show(name)} must be one finite number (a "
                             f"weight or bias), got {type(number).__name__}: {_show(number)}")


def _is_finite_number(number: object) -> bool:
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return False
    try:
        return math.isfinite(float(number))
    except OverflowError:  # an int beyond the largest float
        return False


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
