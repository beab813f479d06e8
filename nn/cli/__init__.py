"""The `chainrule` command (also `python -m nn`): `chainrule train ...`, `chainrule graph ...` and
`chainrule course ...`.

Each subcommand lives in its own module, which adds its parser (`add_parser`) and sets the
function that runs it (`args.run`, returning the exit status).
"""

from __future__ import annotations

import argparse

from nn.cli import course, graph, train


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `chainrule`, with one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="Train small MLPs, draw computation graphs with the chain rule on them, and "
                    "get the course's notebooks.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train.add_parser(commands)
    graph.add_parser(commands)
    course.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `chainrule` with argv (default: sys.argv[1:]); returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args)
