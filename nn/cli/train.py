"""`chainrule train`: train an MLP on a toy data set, report it, and save the model and plots.

    chainrule train --data moons --hidden 16 16 --activation tanh --output softmax \\
        --divergence kl --mode batch --lr 0.5 --steps 300 --seed 0 --out runs/demo

(those are also the defaults) trains with a progress bar, prints the final loss, why training
stopped and the train/test accuracy, and writes into --out: model.json (nn.load reads it back),
history.csv, loss.png and boundary.png (fit.png for the 1-D `line` data; mistakes.png, the
misclassified test images, for `digits`: scikit-learn's 8×8 handwritten digits, 64 inputs and
10 classes, which needs pip install 'chainrule[digits]'). --compile runs each sample's forward
and backward pass as compiled Python (nn.compile): the same numbers, many times faster. (The
plots evaluate the model compiled in any case: see nn.plots.predict.)

Exit status: 0 when done; 2 for bad arguments (argparse's usage error, also for options that do
not fit together) and for an --out directory, or a file in it, that cannot be written (a
one-line error: every output file is checked before training starts); 1 when training itself
fails (the message says what).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

DATA = ("moons", "circles", "spiral", "blobs", "line", "digits")
DIVERGENCE_NAMES = ("kl", "cross_entropy", "l2", "bce", "hinge")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `train` subcommand to chainrule's parser."""
    from nn.functional import ACTIVATIONS
    from nn.optim import SCHEDULES
    from nn.training import MODES

    parser = commands.add_parser(
        "train", help="train an MLP on a toy data set; save the model, history and plots",
        description="\n\n".join(__doc__.split("\n\n")[:2]), epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    data = parser.add_argument_group("data")
    data.add_argument("--data", choices=DATA, default="moons", help="data set (default moons)")
    data.add_argument("--samples", type=_positive_int, default=200, metavar="N",
                      help="number of samples before the train/test split (default 200; "
                      "digits: a random N of its 1797)")
    data.add_argument("--noise", type=_non_negative_float, default=None,
                      help="noise of the data set (default: the data set's own)")
    data.add_argument("--classes", type=_positive_int, default=3, metavar="K",
                      help="classes of spiral and blobs (default 3)")
    data.add_argument("--test-fraction", type=_fraction, default=0.25, metavar="F",
                      help="share of the samples held out for testing (default 0.25)")
    model = parser.add_argument_group("model")
    model.add_argument("--hidden", type=_positive_int, nargs="*", default=[16, 16],
                       metavar="WIDTH", help="hidden layer widths (default 16 16; none: no "
                       "hidden layer)")
    model.add_argument("--activation", choices=[a for a in ACTIVATIONS if a != "softmax"],
                       default="tanh", help="hidden layers' activation (default tanh)")
    model.add_argument("--output", choices=ACTIVATIONS, default="softmax",
                       help="output layer's activation (default softmax)")
    model.add_argument("--divergence", choices=DIVERGENCE_NAMES, default="kl",
                       help="Div(y, d) (default kl; bce needs --output sigmoid, hinge a "
                       "linear or tanh output, kl and cross_entropy softmax)")
    training = parser.add_argument_group("training")
    training.add_argument("--mode", choices=MODES, default="batch", help="default batch")
    training.add_argument("--batch-size", type=_positive_int, default=None, metavar="B",
                          help="samples per step in minibatch mode")
    training.add_argument("--lr", type=_positive_float, default=0.5,
                          help="learning rate (default 0.5)")
    training.add_argument("--schedule", choices=SCHEDULES, default="constant",
                          help="learning-rate schedule from --lr over --steps (default constant)")
    training.add_argument("--momentum", type=_momentum, default=0.0, help="default 0")
    training.add_argument("--steps", type=_positive_int, default=300,
                          help="max_steps (default 300)")
    training.add_argument("--tol", type=_non_negative_float, default=1e-6,
                          help="stop when the largest step falls below this (default 1e-6)")
    training.add_argument("--seed", type=int, default=0, help="seed for data, weights and "
                          "shuffling (default 0)")
    training.add_argument("--compile", action="store_true", help="run the per-sample loss as "
                          "compiled Python (nn.compile): the same numbers, faster")
    parser.add_argument("--out", default=os.path.join("runs", "demo"), metavar="DIR",
                        help="directory for the output files (default runs/demo)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run, train_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Carry out `chainrule train` with parsed arguments; returns the exit status."""
    from nn.cli.train_job import Job, JobError, use_agg_backend

    try:
        job = Job.from_args(args)
        use_agg_backend()
    except JobError as error:
        args.train_parser.error(str(error))  # usage, then the message; exit status 2
    reason = why_not_writable(args.out, job.output_names())
    if reason is not None:
        print(f"chainrule train: error: cannot write to --out {args.out!r}: {reason}",
              file=sys.stderr)
        return 2
    try:
        job.run()
    except (ArithmeticError, ValueError) as error:
        print(f"chainrule train: training failed: {error}", file=sys.stderr)
        return 1
    return 0


def why_not_writable(directory: str, names: tuple[str, ...]) -> str | None:
    """None if every file in names can be written into directory (created if need be), checked
    by writing (and deleting) a file there; else what stands in the way, for a message."""
    if os.path.exists(directory) and not os.path.isdir(directory):
        return "it is a file, not a directory"
    try:
        os.makedirs(directory, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        return error.strerror or str(error)
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            return f"{path} is a directory, not a file"
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return f"{path} is read-only"
    return None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"needs a whole number >= 1, got {text!r}")
    return value


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"needs a finite number, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"needs a number > 0, got {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    value = _float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"needs a number >= 0, got {text!r}")
    return value


def _fraction(text: str) -> float:
    value = _float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"needs a number between 0 and 1, got {text!r}")
    return value


def _momentum(text: str) -> float:
    value = _float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"needs 0 <= momentum < 1, got {text!r}")
    return value
