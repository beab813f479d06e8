"""`chainrule course`: the course's notebooks, from the installed package, into a folder.

    chainrule course [DIR] [--force] [--open]
    chainrule course --site DIR

writes the notebooks and the figures they show into DIR (default ./chainrule-course) and says how
to open them; --open starts JupyterLab there. A notebook you have changed (edited, or run and
saved) is left alone, and named, unless --force; an untouched copy from an older chainrule is
brought up to date (nn.course_files says how it tells them apart). --site DIR builds the course
as a static site instead, as `make site` does from the repository: every notebook runs (in a
scratch folder), which takes a few minutes and needs pip install 'chainrule[notebooks]'.

Exit status: 0 when done; 1 when a file cannot be written, JupyterLab or the site's tools are
not installed, or a notebook fails while the site is built.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from nn.cli.parser import ParagraphFormatter

NOTEBOOKS_EXTRA = "pip install 'chainrule[notebooks]'"


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `course` subcommand to chainrule's parser."""
    parser = commands.add_parser(
        "course", help="write the course's notebooks into a folder (or build the course site)",
        description="\n\n".join(__doc__.split("\n\n")[1:3]), epilog=__doc__.split("\n\n")[3],
        formatter_class=ParagraphFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=Path("chainrule-course"),
                        metavar="DIR", help="where to write the notebooks (default "
                        "./chainrule-course)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite notebooks you have changed, too")
    parser.add_argument("--open", action="store_true", help="start JupyterLab in DIR")
    parser.add_argument("--site", type=Path, metavar="SITE_DIR", help="build the course as a "
                        "static site in SITE_DIR instead (runs every notebook: minutes)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Carry out `chainrule course` with parsed arguments; returns the exit status."""
    from nn.course_files import write_course

    if args.site is not None:
        return build_site(args.site)
    try:
        report = write_course(args.folder, force=args.force)
    except OSError as error:
        print(f"chainrule course: error: cannot write to {str(args.folder)!r}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 1
    done = report.written + report.refreshed
    print(f"chainrule course: wrote {len(done)} files into {args.folder}"
          + (f" ({len(report.refreshed)} of them brought up to date)" if report.refreshed else "")
          + (f"; {len(report.unchanged)} were up to date already" if report.unchanged else ""))
    if report.kept:
        print(f"left alone, as you have changed them (--force overwrites): "
              f"{', '.join(report.kept)}")
    folder = shlex.quote(str(args.folder))  # a line to paste into a shell
    print(f"Open them:  cd {folder} && jupyter lab      (or: chainrule course {folder} --open)")
    print(f"No Jupyter?  {NOTEBOOKS_EXTRA} installs it, with what every notebook uses.")
    return open_lab(args.folder) if args.open else 0


def open_lab(folder: Path) -> int:
    """Start JupyterLab in folder (until it is stopped); 1 with a message if not installed."""
    if importlib.util.find_spec("jupyterlab") is None:
        print(f"chainrule course: JupyterLab is not installed: {NOTEBOOKS_EXTRA}, then run "
              "this again (the notebooks are written already)", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "jupyterlab"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # JupyterLab refuses root without it
        print("chainrule course: running as root (a container?): starting JupyterLab with "
              "--allow-root")
        command.append("--allow-root")
    return subprocess.call(command, cwd=folder)


def build_site(out: Path) -> int:
    """Write the shipped notebooks into a scratch folder, run them and write the site to out."""
    missing = [name for name in ("nbclient", "nbconvert", "latex2mathml", "ipykernel")
               if importlib.util.find_spec(name) is None]
    if missing:
        print(f"chainrule course: the site needs {', '.join(missing)}: {NOTEBOOKS_EXTRA}",
              file=sys.stderr)
        return 1
    from nbclient.exceptions import CellExecutionError

    from nn.course_files import write_course
    from nn.course_site import build

    with tempfile.TemporaryDirectory(prefix="chainrule-course-") as scratch:
        write_course(Path(scratch))
        try:
            pages = build(Path(scratch), out, log=lambda line: print(line, flush=True))
        except CellExecutionError as error:
            print(f"chainrule course: a notebook failed, no site written:\n{error}",
                  file=sys.stderr)
            return 1
    print(f"chainrule course: wrote {pages} pages and index.html to {out}; open "
          f"{out / 'index.html'} in a browser")
    return 0
