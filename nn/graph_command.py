"""`chainrule graph`: (being written)."""

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `graph` subcommand to chainrule's parser."""
    parser = commands.add_parser("graph", help="(being written)")
    parser.set_defaults(run=lambda args: 1)
