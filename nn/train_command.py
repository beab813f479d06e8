"""`chainrule train`: (being written)."""

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `train` subcommand to chainrule's parser."""
    parser = commands.add_parser("train", help="(being written)")
    parser.set_defaults(run=lambda args: 1)
