"""`chainrule train`: train an MLP on a toy data set, report it, and save the model and plots.

It trains with a progress bar, prints the final loss, why training stopped and the train/test
accuracy, and writes into --out: model.json (nn.load reads it back), history.csv, loss.png and
boundary.png (no plots with --no-plots or without matplotlib; fit.png for the 1-D `line` data;
mistakes.png, the misclassified test images, for `digits`: scikit-learn's 8×8 handwritten
digits, 64 inputs and 10 classes, which needs pip install 'chainrule[digits]'). --compile runs
each sample's forward and backward pass as compiled Python (nn.compile): the same numbers, many
times faster; with numpy installed, batch and minibatch steps run every sample of the step at
once on arrays (the batch backend: the same numbers to 1e-12 relative). (The plots evaluate the
model compiled in any case: see nn.plots.predict.)

With no options it trains as this command does, every option at its default:

    chainrule train --data moons --hidden 16 16 --activation tanh \\
        --output softmax --divergence kl --mode batch --lr 0.5 --steps 300 \\
        --seed 0 --out runs/demo

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

from nn.cli.parser import ParagraphFormatter

DATA = ("moons", "circles", "spiral", "blobs", "line", "digits")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `train` subcommand to chainrule's parser. The choices of --activation, --output
    and --divergence are nn's (nn.activations(), nn.DIVERGENCES), as are the ranges of the
    numbers (nn.checks)."""
    from nn.divergences import DIVERGENCES
    from nn.functional import activations
    from nn.optim import SCHEDULES
    from nn.training import MODES

    parser = commands.add_parser(
        "train", help="train an MLP on a toy data set; save the model, history and plots",
        description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=ParagraphFormatter)
    data = parser.add_argument_group("data")
    data.add_argument("--data", choices=DATA, default="moons", help="data set (default moons)")
    data.add_argument("--samples", type=_number("samples"), default=200, metavar="N",
                      help="number of samples before the train/test split (default 200; "
                      "digits: a random N of its 1797)")
    data.add_argument("--noise", type=_number("noise"), default=None,
                      help="noise of the data set (default: the data set's own)")
    data.add_argument("--classes", type=_count("classes"), default=3, metavar="K",
                      help="classes of spiral and blobs (default 3)")
    data.add_argument("--test-fraction", type=_number("test_fraction"), default=0.25, metavar="F",
                      help="share of the samples held out for testing (default 0.25)")
    model = parser.add_argument_group("model")
    model.add_argument("--hidden", type=_count("hidden width"), nargs="*", default=[16, 16],
                       metavar="WIDTH", help="hidden layer widths (default 16 16; none: no "
                       "hidden layer)")
    model.add_argument("--activation", choices=[a for a in activations() if a != "softmax"],
                       default="tanh", metavar="NAME", help="hidden layers' activation: "
                       "linear or any op of one input (default tanh; choices: %(choices)s)")
    model.add_argument("--output", choices=activations(), default="softmax", metavar="NAME",
                       help="output layer's activation: softmax or any of --activation's "
                       "(default softmax)")
    model.add_argument("--divergence", choices=list(DIVERGENCES), default="kl",
                       help="Div(y, d) (default kl; " + _outputs_needed(DIVERGENCES) + ")")
    training = parser.add_argument_group("training")
    training.add_argument("--mode", choices=MODES, default="batch",
                          help="how many samples each step averages its gradient over: batch "
                               "(all of them), sgd (one) or minibatch (--batch-size of them); "
                               "default batch")
    training.add_argument("--batch-size", type=_count("batch_size"), default=None, metavar="B",
                          help="samples per step; needed by --mode minibatch, for it only")
    training.add_argument("--lr", type=_number("lr"), default=0.5,
                          help="learning rate (default 0.5)")
    training.add_argument("--schedule", choices=SCHEDULES, default="constant",
                          help="learning-rate schedule from --lr over --steps (default constant)")
    training.add_argument("--momentum", type=_number("momentum"), default=0.0,
                          help="how much of the last update each step keeps (0 to < 1; "
                               "default 0: plain gradient descent)")
    training.add_argument("--steps", type=_number("max_steps"), default=300,
                          help="the most steps training takes (default 300)")
    training.add_argument("--tol", type=_number("tol"), default=1e-6,
                          help="stop when the largest step falls below this (default 1e-6)")
    training.add_argument("--seed", type=int, default=0, help="seed for data, weights and "
                          "shuffling (default 0)")
    training.add_argument("--compile", action="store_true", help="run the per-sample loss as "
                          "compiled Python (nn.compile): the same numbers, faster")
    parser.add_argument("--out", default=os.path.join("runs", "demo"), metavar="DIR",
                        help="directory for the output files (default runs/demo)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--no-plots", action="store_true", help="write model.json and "
                        "history.csv only: no plots (and no need for matplotlib)")
    parser.set_defaults(run=run, train_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Carry out `chainrule train` with parsed arguments; returns the exit status."""
    from nn.cli.train_job import Job, JobError, use_agg_backend

    try:
        job = Job.from_args(args)
    except JobError as error:
        args.train_parser.error(str(error))  # usage, then the message; exit status 2
    job.plots = not args.no_plots and use_agg_backend()  # False: no matplotlib here
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


def _outputs_needed(divergences: dict) -> str:
    """"kl needs --output softmax, bce --output sigmoid, ...", from the divergences' records."""
    return ", ".join(f"{name} needs --output {' or '.join(record.outputs)}"
                     for name, record in divergences.items() if record.outputs)


def _number(name: str):
    """An argparse type: a number in the range nn.checks.RANGES gives `name` (nn's own name
    for it, such as lr), checked by nn.checks, so that the option and the library agree."""
    from nn.checks import RANGES, check_named

    return _checked(name, RANGES[name].get("integral", False), lambda x: check_named(x, name))


def _count(name: str):
    """An argparse type: a whole number >= 1, checked by nn.checks."""
    from nn.checks import check_number

    return _checked(name, True, lambda n: check_number(n, name, low=1, integral=True))


def _checked(name: str, integral: bool, check):
    """text -> int(text) or float(text), then check(number); argparse reports a failure as
    "argument --OPTION: <the check's message>"."""
    def parse(text: str):
        try:
            number = int(text) if integral else float(text)
        except ValueError:
            kind = "a whole number" if integral else "a number"
            raise argparse.ArgumentTypeError(f"{name} must be {kind}, got {text!r}") from None
        try:
            check(number)
        except (TypeError, ValueError) as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return number

    parse.__name__ = name  # argparse names the type in some messages
    return parse
