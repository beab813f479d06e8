"""`chainrule graph`: build an expression from Values, run backward(), draw its graph to a file.

    chainrule graph "tanh(w*x + b)" x=0.5 w=-1.5 b=2 -o neuron.svg
    chainrule graph -- "-x*w" x=2 w=3 -o product.png     (-- before an expression starting with -)

Exit status: 0 when the graph is written; 2 when the expression, a binding or the output name is
refused (nothing is computed; nn.cli.expression says what is allowed); 1 when computing fails
(log(0), 1/0) or the file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd import GraphvizNotFoundError, Value, draw_graph, topological_order
from autograd.draw.graph import FORMATS, RANKDIRS
from nn.cli.expression import ExpressionError, evaluate, functions, parse_binding
from nn.cli.parser import ParagraphFormatter

MAX_VALUES = 10_000  # an expression of MAX_LENGTH characters stays well below this

EPILOG = f"""The expression may use numbers, the names given as NAME=NUMBER, + - * / **,
unary minus, and {', '.join(functions())}. It is checked against that list and never run as Python.

An expression that starts with - goes after --:

    chainrule graph -- "-x*w" x=2 w=3

Exit status: 0 written, 2 refused input, 1 a math error or a file that cannot be written."""


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `graph` subcommand to chainrule's parser."""
    parser = commands.add_parser(
        "graph",
        help="draw an expression's computation graph, gradients on hover",
        description="Build EXPRESSION from autograd Values, run backward(), and draw the graph:\n"
                    "every Value with its data and grad; hover over one for the chain rule.",
        epilog=EPILOG,
        formatter_class=ParagraphFormatter,
    )
    parser.add_argument("expression", help='for example "tanh(w*x + b)"')
    parser.add_argument("bindings", nargs="*", metavar="NAME=NUMBER",
                        help="a value for each name in the expression, e.g. x=0.5")
    parser.add_argument("-o", "--output", default="graph.svg",
                        help="the file to write; its suffix picks the format: "
                             f"{' '.join(FORMATS)} (default: graph.svg)")
    parser.add_argument("--rankdir", choices=RANKDIRS, default="LR",
                        help="the direction of the drawing (default: LR, inputs on the left)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run `chainrule graph` with parsed arguments; returns the exit status."""
    try:
        _take_late_options(args)
        output = Path(args.output)
        if output.suffix.lower() not in FORMATS:
            raise ExpressionError(f"cannot tell the format of {args.output!r} from its suffix: "
                                  f"use {', '.join(FORMATS)}")
        bindings = _bindings(args.bindings)
        root = evaluate(args.expression, bindings)
    except ExpressionError as error:
        return _fail(str(error), 2)
    except (ArithmeticError, ValueError) as error:  # the engine's math errors: log(0), 1/0
        expression = " ".join(args.expression.split())  # on one line
        return _fail(f"cannot compute {expression}: {error}", 1)
    root.backward()
    try:
        draw_graph(root, rankdir=args.rankdir, max_nodes=MAX_VALUES).save(output)
    except GraphvizNotFoundError as error:
        return _fail(str(error), 1)
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror or error}", 1)
    except RuntimeError as error:
        return _fail(str(error), 1)
    print(f"wrote {output}")
    print(f"L = {' '.join(args.expression.split())} = {root.data:.4f}")
    for name in bindings:
        leaf = _leaf_named(root, name)
        grad = f"{leaf.grad:.4f}" if leaf is not None else "0 (not used)"
        print(f"  dL/d{name} = {grad}")
    return 0


def _take_late_options(args: argparse.Namespace) -> None:
    """Move -o/--output and --rankdir given after `--` (argparse took them for bindings)."""
    rest, texts = [], iter(args.bindings)
    for text in texts:
        option, equals, value = text.partition("=")
        if option in ("-o", "--output", "--rankdir"):
            value = value if equals else next(texts, None)
            if value is None:
                raise ExpressionError(f"{option} needs a value")
            if option == "--rankdir" and value not in RANKDIRS:
                raise ExpressionError(f"--rankdir must be one of {', '.join(RANKDIRS)}, "
                                      f"got {value!r}")
            setattr(args, "rankdir" if option == "--rankdir" else "output", value)
        else:
            rest.append(text)
    args.bindings = rest


def _bindings(texts: list[str]) -> dict[str, float]:
    """NAME=NUMBER arguments as a dict; a name given twice is refused."""
    bindings: dict[str, float] = {}
    for text in texts:
        name, number = parse_binding(text)
        if name in bindings:
            raise ExpressionError(f"{name} is given twice ({name}={bindings[name]:g} and {text})")
        bindings[name] = number
    return bindings


def _leaf_named(root: Value, name: str) -> Value | None:
    """The leaf labelled name in root's graph, or None if the expression does not use it."""
    return next((v for v in topological_order(root) if not v.parents and v.label == name), None)


def _fail(message: str, status: int) -> int:
    """Print `chainrule graph: error: message` to stderr and return status."""
    print(f"chainrule graph: error: {message}", file=sys.stderr)
    return status
