"""The `chainrule` command (also `python -m nn`): `chainrule train ...`, `chainrule graph ...` and
`chainrule course ...`.

Each subcommand lives in its own module, which adds its parser (`add_parser`) and sets the
function that runs it (`args.run`, returning the exit status).
"""

from __future__ import annotations

import argparse

from nn.cli import course, graph, train
from nn.cli.parser import Parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `chainrule`, with one subparser per subcommand."""
    parser = Parser(
        prog="chainrule",
        description="Train small MLPs, draw computation graphs with the chain rule on them, and "
                    "get the course's notebooks.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train.add_parser(commands)
    graph.add_parser(commands)
    course.add_parser(commands)
    for command in commands.choices.values():  # to report unrecognized arguments with its usage
        command.set_defaults(command_parser=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `chainrule` with argv (default: sys.argv[1:]); returns the exit status."""
    args, unrecognized = build_parser().parse_known_args(argv)
    if unrecognized:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unrecognized)}")
    return args.run(args)
