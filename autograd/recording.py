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

The state lives in a context variable, so each thread (and each asyncio task) has its own: a
thread inside no_grad() never stops another thread from recording, and leaving the block always
restores what was there before, even when the body raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class Scope:
    """A named region of code; Values created inside it carry it as `.scope` (for drawing).

    Scopes nest: `parent` is the scope that was active when this one was entered (None at the top).
    `note` (optional) says what the scope computes and its gradient, in the course's notation;
    a drawing draws a scope with a note as one box by default (autograd.draw.collapse).
    """

    __slots__ = ("name", "note", "parent")

    def __init__(self, name: str, parent: Scope | None = None, note: str = ""):
        self.name = name
        self.parent = parent
        self.note = note

    def path(self) -> list[Scope]:
        """The scopes from the outermost down to this one."""
        chain, scope = [], self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return "Scope(" + " / ".join(repr(s.name) for s in self.path()) + ")"


class State:
    """What ops record under: whether they build a graph, and the innermost scope (or None).
    Immutable: entering a block sets a new State, leaving it resets the previous one."""

    __slots__ = ("recording", "scope")

    def __init__(self, recording: bool, scope: Scope | None):
        self.recording = recording
        self.scope = scope


_state: ContextVar[State] = ContextVar("autograd_state", default=State(True, None))  # noqa: B039 (immutable)
current = _state.get  # the State of this thread (or task): ops read it once per node


@contextmanager
def no_grad() -> Iterator[None]:
    """Run ops without recording a graph: results are leaves (no parents), as for evaluation."""
    token = _state.set(State(False, current().scope))
    try:
        yield
    finally:
        _state.reset(token)


def recording_on() -> object:
    """Record a graph from here on, even inside no_grad() (autograd.compile traces need one);
    pass what it returns to restore_state afterwards."""
    return _state.set(State(True, current().scope))


def restore_state(token: object) -> None:
    """Undo recording_on (or any State set here): back to the State before it."""
    _state.reset(token)


def scope(name: str, note: str = "") -> ScopeEntry:
    """Tag every Value created inside with a Scope called `name` (nested inside the current one).

    Use it as `with scope("neuron 1") as s: ...`; `s` is the new Scope. `note`: what it
    computes and its gradient ("Div = -log y_c.  ∂Div/∂y_c = -1/y_c"), for drawings.
    """
    if not isinstance(name, str):
        raise TypeError(f"scope needs a name (str), got {type(name).__name__}: {name!r}")
    if not isinstance(note, str):
        raise TypeError(f"scope's note is a str (what it computes), got "
                        f"{type(note).__name__}: {note!r}")
    return ScopeEntry(name, note)


class ScopeEntry:
    """The context manager behind scope(): a plain class, as nn enters one per neuron per sample
    (a generator-based context manager costs several times more)."""

    __slots__ = ("name", "note", "token")

    def __init__(self, name: str, note: str = ""):
        self.name, self.note = name, note
        self.token = None

    def __enter__(self) -> Scope:
        state = current()
        scope = Scope(self.name, state.scope, self.note)
        self.token = _state.set(State(state.recording, scope))
        return scope

    def __exit__(self, *exception: object) -> None:
        _state.reset(self.token)
