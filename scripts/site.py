"""make site: execute every notebook and write the course as a static site that needs no network.

    python scripts/site.py [--notebooks notebooks] [--out site] [--timeout 900] [--executed]

The site is built by nn.course_site.build (one implementation: `chainrule course --site DIR`
builds the same site from an installed package); its docstring says what a page holds.

A notebook that raises stops the build with its error (exit status 1), as in the test suite.

--executed renders notebooks that have already run, as they are: the test suite executes each
notebook once (tests/conftest.py, with execute() below) and builds the site from those runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nn.course_site import build, execute  # noqa: F401 (tests/conftest.py runs notebooks with it)

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--executed", action="store_true",
                        help="the notebooks have run already: render their outputs, run nothing")
    args = parser.parse_args(argv)
    pages = build(args.notebooks, args.out, args.timeout, args.executed,
                  log=lambda line: print(line, flush=True))
    if not pages:
        print(f"site: no notebooks in {args.notebooks}", file=sys.stderr)
        return 1
    print(f"site: wrote {pages} pages and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
