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

import contextlib
import glob
import json
import os
import stat
from collections.abc import Callable

FORMAT, VERSION = "chainrule.nn", 1


def save_model(path: str | os.PathLike, architecture: dict, state: dict[str, float]) -> None:
    """Write a model's architecture (its config()) and state_dict() to path, atomically."""
    document = {"format": FORMAT, "version": VERSION, "architecture": architecture,
                "state": state}
    write_atomically(path, json.dumps(document, indent=1) + "\n")


def load_model(path: str | os.PathLike, build: Callable[[dict, dict], object]):
    """build(architecture, state) for the model saved at path (nn.load passes the model's
    constructor and load_state_dict, which check the architecture and the weights).

    The file must be UTF-8 JSON holding an object with the format, version, architecture and
    state of a saved model. Anything else (text that is not UTF-8 or not JSON, JSON nested too
    deeply to read, a wrong type anywhere), or an error from build, is a ValueError "<path> is
    not a saved chainrule model: <what is wrong>". Only a file that cannot be opened or read
    raises something else: OSError.
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


def check_document(document: object) -> dict:
    """A copy of the document's architecture, after checking the frame around it: a JSON
    object of this format and version whose architecture and state are objects (what they hold
    is for the model's constructor and load_state_dict to check); else a ValueError."""
    if not isinstance(document, dict):
        kind = "null" if document is None else type(document).__name__
        raise ValueError(f"the file holds a JSON {kind}, not an object")
    if document.get("format") != FORMAT:
        raise ValueError(f"no \"format\": {FORMAT!r} (got {shown(document.get('format'))})")
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # not True, not 1.0
        raise ValueError(f"format version {shown(version)}; this chainrule reads version "
                         f"{VERSION}")
    architecture, state = document.get("architecture"), document.get("state")
    if not isinstance(architecture, dict) or not isinstance(state, dict):
        raise ValueError(f"\"architecture\" and \"state\" must be JSON objects, got "
                         f"{_kind(architecture)} and {_kind(state)}")
    return dict(architecture)


def _kind(item: object) -> str:
    """What a JSON item is, for a message: 'missing' for None (an absent key, or null)."""
    return "missing" if item is None else type(item).__name__


def shown(item: object, most: int = 60) -> str:
    """repr(item) for a message, cut after `most` characters: a file may hold anything."""
    try:
        text = repr(item)
    except (ValueError, RecursionError):  # an int of over 4300 digits; nesting too deep
        return f"a {type(item).__name__} too large to show"
    return text if len(text) <= most else f"{text[:most]}... ({len(text)} characters)"


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write text to path through a temporary file in the same directory and os.replace.

    Through a symlink, the file it points to is replaced (the link stays a link). An existing
    file keeps its permission bits (0600 stays 0600); a new one gets 0666 less the umask, as
    open() would give it. The temporary file, .<name>.<pid>.part, is removed on any error; one
    left by a process that was killed (kill -9) is removed by the next save to that path.
    """
    target = os.path.realpath(path)
    _remove_stale_parts(target)
    temporary = _part_name(target, os.getpid())
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _part_name(target: str, pid: int) -> str:
    """The temporary file a process writes target through: .<name>.<pid>.part beside it."""
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name}.{pid}.part")


def _mode_for(target: str) -> int:
    """The permission bits of the file at target, or 0666 less the umask for a new file."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)  # reading the umask means setting it: put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale_parts(target: str) -> None:
    """Remove the temporary files of earlier saves to target by processes no longer running."""
    directory, name = os.path.split(target)
    for part in glob.glob(os.path.join(glob.escape(directory), f".{glob.escape(name)}.*.part")):
        pid = part[len(os.path.join(directory, f".{name}.")):-len(".part")]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.remove(part)


def _running(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True
