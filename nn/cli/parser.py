"""chainrule's argument parser: argparse's, with errors for people. An error is one usage line,
the error, and a hint where one helps: "did you mean" for a mistyped choice, `--` before an
expression that starts with -.

>>> hint("argument --activation: invalid choice: 'tahn' (choose from 'tanh', 'relu', 'sigmoid')")
"did you mean 'tanh'?"
>>> hint("unrecognized arguments: -x*w")
'an expression that starts with - goes after --, as in: chainrule graph -- "-x*w" x=2 w=3'
"""

from __future__ import annotations

import argparse
import difflib
import re
import textwrap

# argparse's words (Python 3.10-3.13 quote the value and the choices, or from 3.12.8 not)
INVALID_CHOICE = re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$")
DASH = 'an expression that starts with - goes after --, as in: chainrule graph -- "-x*w" x=2 w=3'


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (its subcommands' parsers too) whose errors are short."""

    def error(self, message: str):
        """Print one usage line, the error and a hint (if any) to stderr; exit with status 2."""
        usage = self.format_usage().strip()
        if "\n" in usage:  # argparse's usage of a command with many options fills lines
            usage = f"usage: {self.prog} [OPTIONS]"
        lines = [f"{usage}   ({self.prog} --help lists them all)", f"{self.prog}: error: {message}"]
        extra = hint(message)
        self.exit(2, "\n".join(lines + ([extra] if extra else [])) + "\n")


class ParagraphFormatter(argparse.RawDescriptionHelpFormatter):
    """Help whose description and epilog are filled to the terminal's width paragraph by
    paragraph; an indented line (an example command) is kept as it is written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(_filled(paragraph, width, indent)
                           for paragraph in textwrap.dedent(text).strip("\n").split("\n\n"))


def _filled(paragraph: str, width: int, indent: str) -> str:
    lines = paragraph.splitlines()
    if any(line.startswith(" ") for line in lines):
        return "\n".join(indent + line for line in lines)
    return textwrap.fill(" ".join(lines), width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False)


def hint(message: str) -> str | None:
    """A line of help for an argparse error message, or None."""
    choice = INVALID_CHOICE.search(message)
    if choice:
        value = choice["value"].strip("'")
        choices = [c.strip().strip("'") for c in choice["choices"].split(",")]
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
        return f"did you mean {close[0]!r}?" if close else None
    unrecognized = message.partition("unrecognized arguments: ")[2].split()
    if any(re.match(r"-[^-]", argument) for argument in unrecognized):
        return DASH
    if "the following arguments are required: expression" in message:
        return 'for example: chainrule graph "tanh(w*x + b)" x=0.5 w=-1.5 b=2; ' + DASH
    return None
