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

The state is one module-level object, so it is shared by every thread of a process; the engine is
meant for one thread at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Scope:
    """A named region of code; Values created inside it carry it as `.scope` (for drawing).

    Scopes nest: `parent` is the scope that was active when this one was entered (None at the top).
    """

    __slots__ = ("name", "parent")

    def __init__(self, name: str, parent: Scope | None = None):
        self.name = name
        self.parent = parent

    def path(self) -> list[Scope]:
        """The scopes from the outermost down to this one."""
        chain, scope = [], self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return "Scope(" + " / ".join(repr(s.name) for s in self.path()) + ")"


class _State:
    __slots__ = ("recording", "scope")

    def __init__(self) -> None:
        self.recording = True
        self.scope: Scope | None = None


state = _State()


@contextmanager
def no_grad() -> Iterator[None]:
    """Run ops without recording a graph: results are leaves (no parents), as for evaluation."""
    previous, state.recording = state.recording, False
    try:
        yield
    finally:
        state.recording = previous


def scope(name: str) -> ScopeEntry:
    """Tag every Value created inside with a Scope called `name` (nested inside the current one).

    Use it as `with scope("neuron 1") as s: ...`; `s` is the new Scope.
    """
    if not isinstance(name, str):
        raise TypeError(f"scope needs a name (str), got {type(name).__name__}: {name!r}")
    return ScopeEntry(name)


class ScopeEntry:
    """The context manager behind scope(): a plain class, as nn enters one per neuron per sample
    (a generator-based context manager costs several times more)."""

    __slots__ = ("name", "previous")

    def __init__(self, name: str):
        self.name = name
        self.previous: Scope | None = None

    def __enter__(self) -> Scope:
        self.previous = state.scope
        state.scope = Scope(self.name, self.previous)
        return state.scope

    def __exit__(self, *exception: object) -> None:
        state.scope = self.previous
