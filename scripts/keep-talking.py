"""Run a command, pass its output through, and say it is still working when it falls silent.

    python3 scripts/keep-talking.py pip install -e '.[dev]'

pip says nothing while it unpacks the packages it has collected, which on a first set-up takes
most of a minute; a set-up should never look stuck. After QUIET seconds without a line, this
prints one ("... still working: .venv/bin/python -m pip install ... (40 s so far)"), and again
every QUIET seconds. The exit status is the command's.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

QUIET = 10.0  # seconds without output before a line is printed


def main(command: list[str]) -> int:
    started = time.monotonic()
    said = threading.Event()  # set whenever the command prints a line
    done = threading.Event()
    name = " ".join(command)
    name = name if len(name) <= 60 else name[:57] + "..."
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1)
    threading.Thread(target=_watch, args=(said, done, name, started), daemon=True).start()
    for line in process.stdout:
        said.set()
        sys.stdout.write(line)
        sys.stdout.flush()
    status = process.wait()
    done.set()
    return status


def _watch(said: threading.Event, done: threading.Event, name: str, started: float) -> None:
    """Print a line each time QUIET seconds pass without output, until done."""
    while not done.wait(QUIET):
        if said.is_set():
            said.clear()
            continue
        print(f"... still working: {name} ({time.monotonic() - started:.0f} s so far)",
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 scripts/keep-talking.py COMMAND [ARGUMENT ...]")
    sys.exit(main(sys.argv[1:]))
