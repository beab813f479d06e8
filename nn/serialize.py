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
    """The model saved at path by .save(path): rebuilt from its architecture, weights loaded."""
    from nn.module import MODULES

    with open(path, encoding="utf-8") as file:
        try:
            document = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{os.fspath(path)!r} is not a saved chainrule model "
                             f"(invalid JSON: {error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{os.fspath(path)!r} is not a saved chainrule model "
                         f"(no \"format\": {FORMAT!r})")
    if document.get("version") != VERSION:
        raise ValueError(f"{os.fspath(path)!r} has format version {document.get('version')!r}; "
                         f"this chainrule reads version {VERSION}")
    architecture = document.get("architecture")
    architecture = dict(architecture) if isinstance(architecture, dict) else {}
    kind = architecture.pop("type", None)
    if kind not in MODULES:
        raise ValueError(f"{os.fspath(path)!r}: unknown model type {kind!r}; "
                         f"expected one of {', '.join(MODULES)}")
    model = MODULES[kind](**architecture)
    model.load_state_dict(document["state"])
    return model


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
