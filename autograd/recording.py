"""What the engine records while ops run: whether to build a graph, and under which scope.

>>> from autograd import Value, no_grad, scope
>>> x = Value(3.0)
>>> with no_grad():
...     y = x * x
>>> y.parents, y.op
((), '')
>>> with scope("neuron 1"):
...     z = x * 2
>>> z.scope.name
'neuron 1'

Both live in context variables, so each thread (and each asyncio task) has its own: a
thread inside no_grad() never stops another thread from recording, and leaving the block always
restores what was there before, even when the body raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class Scope:
    """A named region of code; Values created inside it carry it as `.scope` (for drawing).

    scope(name) makes one and `with` enters it. Scopes nest: `parent` is the scope that was
    active when this one was entered (None at the top). `note` (optional) says what the scope
    computes and its gradient, in the course's notation; a drawing draws a scope with a note
    as one box by default (autograd.draw.collapse). A Scope is entered once: each block gets
    its own (nn enters one per neuron per sample, so entering costs two context-variable
    calls and no other object).
    """

    __slots__ = ("name", "note", "parent", "_token")

    def __init__(self, name: str, parent: Scope | None = None, note: str = ""):
        self.name = name
        self.parent = parent
        self.note = note
        self._token = None  # set while entered, and after: a Scope is entered once

    def __enter__(self) -> Scope:
        if self._token is not None:
            raise RuntimeError(f"scope {self.name!r} was entered before: call autograd.scope() "
                               "for each block, so that each gets a Scope of its own")
        self.parent = current_scope()
        self._token = _scope.set(self)
        return self

    def __exit__(self, *exception: object) -> None:
        _scope.reset(self._token)

    def path(self) -> list[Scope]:
        """The scopes from the outermost down to this one."""
        chain, scope = [], self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return "Scope(" + " / ".join(repr(s.name) for s in self.path()) + ")"


# What ops read for every node they make, each thread (and asyncio task) its own.
_recording: ContextVar[bool] = ContextVar("autograd_recording", default=True)
_scope: ContextVar[Scope | None] = ContextVar("autograd_scope", default=None)
recording = _recording.get  # recording() -> whether ops build a graph here (not in no_grad())
current_scope = _scope.get  # current_scope() -> the innermost Scope entered here, or None


@contextmanager
def no_grad() -> Iterator[None]:
    """Run ops without recording a graph: results are leaves (no parents), as for evaluation."""
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


def recording_on() -> object:
    """Record a graph from here on, even inside no_grad() (autograd.compile traces need one);
    pass what it returns to restore_state afterwards."""
    return _recording.set(True)


def restore_state(token: object) -> None:
    """Undo recording_on: record, or not, as before it."""
    _recording.reset(token)


def scope(name: str, note: str = "") -> Scope:
    """A Scope called `name`, to enter with `with`: every Value created inside is tagged with
    it (nested inside the current one).

    Use it as `with scope("neuron 1") as s: ...`; `s` is the new Scope. `note`: what it
    computes and its gradient ("Div = -log y_c.  ∂Div/∂y_c = -1/y_c"), for drawings.
    """
    if not isinstance(name, str):
        raise TypeError(f"scope needs a name (str), got {type(name).__name__}: {name!r}")
    if not isinstance(note, str):
        raise TypeError(f"scope's note is a str (what it computes), got "
                        f"{type(note).__name__}: {note!r}")
    return Scope(name, None, note)
