"""The job behind `chainrule train`: data, targets for the chosen divergence, model, training,
the printed report and the files. (The argument parsing is in nn/cli/train.py.)"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

import nn
from autograd import no_grad
from nn import datasets
from nn.divergences import DIVERGENCES, Divergence, predicted_class

MOST_PRINTED = 10  # the fitted weights of a regression are printed up to this many


class JobError(ValueError):
    """Arguments that do not fit together (reported like a usage error, exit status 2)."""


@dataclass
class Job:
    args: argparse.Namespace
    X_train: list
    X_test: list
    C_train: list  # class indices (classification) or real numbers (line)
    C_test: list
    classes: int  # 0 for regression
    plots: bool = True  # False: --no-plots, or no matplotlib

    @property
    def divergence(self) -> Divergence:
        """The record of --divergence: its function, targets, outputs and threshold."""
        return DIVERGENCES[self.args.divergence]

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Job:
        """The data of the job, after checking that the arguments fit together."""
        _check_combination(args)
        maker = getattr(datasets, args.data)
        options = {} if args.noise is None else {"noise": args.noise}
        if args.data in ("spiral", "blobs"):
            options["classes"] = args.classes
        if args.samples < 4:
            raise JobError(f"--samples needs at least 4 samples to split, got {args.samples}")
        try:
            X, C = maker(args.samples, seed=args.seed, **options)
        except (ImportError, ValueError) as error:  # digits: no scikit-learn, or too many
            raise JobError(f"--data {args.data}: {error}") from None
        classes = 0 if args.data == "line" else max(C) + 1
        X_train, X_test, C_train, C_test = datasets.train_test_split(
            X, C, args.test_fraction, seed=args.seed)
        if args.mode == "minibatch" and args.batch_size is None:
            raise JobError("--mode minibatch needs --batch-size")
        if args.batch_size is not None and args.mode != "minibatch":
            raise JobError(f"--batch-size is for --mode minibatch, not --mode {args.mode}")
        if args.batch_size is not None and args.batch_size > len(X_train):
            raise JobError(f"--batch-size {args.batch_size} is larger than the "
                           f"{len(X_train)} training samples")
        return cls(args, X_train, X_test, C_train, C_test, classes)

    def targets(self, C: list) -> list:
        """The desired outputs d for the divergence, from class indices (or real numbers)."""
        if not self.classes:
            return list(C)
        return [self.divergence.target(c, self.classes) for c in C]

    def model(self) -> nn.MLP:
        a = self.args
        width = 1 if not self.classes or self.divergence.one_output else self.classes
        nin = len(self.X_train[0])
        return nn.MLP(nin, [*a.hidden, width], activation=a.activation, output=a.output,
                      seed=a.seed)

    def run(self) -> None:
        """Train, print the report, write the files."""
        a = self.args
        model = self.model()
        divergence = self.divergence.function
        D_train, D_test = self.targets(self.C_train), self.targets(self.C_test)
        compiled = ", compiled" if a.compile else ""
        print(f"training {model} on {len(self.X_train)} {a.data} samples "
              f"({len(model.parameters())} parameters, {a.divergence} divergence, {a.mode} "
              f"mode{compiled})")
        history = nn.train(model, self.X_train, D_train, divergence, lr=a.lr, mode=a.mode,
                           batch_size=a.batch_size, max_steps=a.steps, tol=a.tol,
                           schedule=a.schedule, momentum=a.momentum, seed=a.seed,
                           progress=not a.no_progress, compile=a.compile)
        print(f"final loss {history.final_loss:.6g} (mean {a.divergence} divergence over the "
              f"last step's batch)")
        print(f"stopped after {history.steps} steps ({history.wall_time:.1f} s): "
              f"{history.stop_reason}")
        self.report(model, D_train, D_test, divergence)
        self.write(model, history)

    def report(self, model, D_train: list, D_test: list, divergence) -> None:
        if self.classes:
            scorer = nn.compile(model, divergence) if self.args.compile else model
            train = nn.accuracy(scorer, self.X_train, D_train)
            test = nn.accuracy(scorer, self.X_test, D_test)
            print(f"accuracy: train {train:.1%}, test {test:.1%}")
        else:
            with no_grad():
                test = sum(divergence(model(x), d).data for x, d in zip(self.X_test, D_test))
            print(f"test loss {test / len(self.X_test):.6g} (mean {self.args.divergence} "
                  f"divergence)")
            state = model.state_dict()
            if len(state) <= MOST_PRINTED:  # a slope and intercept, say; not a whole network
                print("fitted weights: " + ", ".join(f"{name} = {value:.4g}"
                                                     for name, value in state.items()))

    def output_names(self) -> tuple[str, ...]:
        """The files write() puts into --out: the model, the history and (unless not
        self.plots) two plots."""
        return ("model.json", "history.csv", *self.plot_names()) if self.plots else (
            "model.json", "history.csv")

    def plot_names(self) -> tuple[str, str]:
        """The two plots: the loss, and the boundary (the fit, or the digits' mistakes)."""
        if self.args.data == "digits":
            picture = "mistakes.png"
        else:
            picture = "boundary.png" if self.classes else "fit.png"
        return ("loss.png", picture)

    def write(self, model, history) -> None:
        """Save the model and the history, and draw the plots (output_names()); without
        matplotlib, say which plots are left out and how to get them."""
        out = self.args.out
        names = self.output_names()
        model.save(os.path.join(out, names[0]))
        history.to_csv(os.path.join(out, names[1]))
        if self.plots:
            self.draw(model, history)
        print(f"wrote {', '.join(names)} to {out}{os.sep}")
        if not self.plots and not self.args.no_plots:
            print(f"skipped {' and '.join(self.plot_names())}: they need matplotlib (pip install "
                  "'chainrule[plots]'); --no-plots leaves them out without this note")

    def draw(self, model, history) -> None:
        """Draw the loss and the picture (plot_names()) into --out."""
        from nn.plots import plot_boundary, plot_fit

        out = self.args.out
        loss, picture = self.plot_names()
        _save(history.plot(), os.path.join(out, loss))
        # the plots evaluate the model thousands of times (a 100×100 grid): nn.plots.predict
        # runs such a batch as one compiled forward pass, --compile or not
        if self.args.data == "digits":
            figure = plot_digit_mistakes(model, self.X_test, self.C_test)
        elif self.classes:
            figure = plot_boundary(model, self.X_train, self.C_train, self.X_test, self.C_test,
                                   threshold=self.divergence.threshold,
                                   title=f"{self.args.data}: {_shape(model)}")
        else:
            figure = plot_fit(model, self.X_train, self.C_train, self.X_test, self.C_test,
                              title=f"line: {_shape(model)}")
        _save(figure, os.path.join(out, picture))


def _check_combination(a: argparse.Namespace) -> None:
    record = DIVERGENCES[a.divergence]
    if a.data == "line":
        if not record.regression or a.output == "softmax":
            fitting = " or ".join(r.name for r in DIVERGENCES.values() if r.regression)
            raise JobError(f"--data line is regression: use --divergence {fitting} and a "
                           f"scalar --output (linear, tanh, ...), e.g. --output linear")
        return
    wanted = record.outputs
    if wanted and a.output not in wanted:
        raise JobError(f"--divergence {a.divergence} needs --output "
                       f"{' or '.join(wanted)}, got --output {a.output}")
    if a.data == "digits" and a.noise is not None:
        raise JobError("--noise is for the drawn data sets; --data digits is scanned "
                       "handwriting, used as it is")
    classes = 10 if a.data == "digits" else a.classes
    two_classes = a.data in ("moons", "circles") or classes == 2
    if record.one_output and not two_classes:
        raise JobError(f"--divergence {a.divergence} is for two classes; --data {a.data} has "
                       f"{classes} (use kl or cross_entropy"
                       f"{'' if a.data == 'digits' else ', or --classes 2'})")
    if a.data in ("spiral", "blobs") and a.classes < 2:
        raise JobError(f"--classes must be at least 2, got {a.classes}")


def _shape(model: nn.MLP) -> str:
    """A short name such as "MLP 2-16-16-2, tanh, softmax output"."""
    widths = "-".join(str(n) for n in (model.nin, *model.sizes))
    return f"MLP {widths}, {model.activation}, {model.output} output"


def plot_digit_mistakes(model, X: list, C: list, most: int = 24):
    """A figure of up to `most` misclassified 8×8 digits, each titled "true → predicted"."""
    import matplotlib.pyplot as plt

    from nn.plots import predict

    wrong = [(x, c, predicted_class(y)) for x, c, y in zip(X, C, predict(model, X))
             if predicted_class(y) != c]
    shown = wrong[:most]
    columns = 8
    rows = max(1, -(-len(shown) // columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.2 * columns, 1.45 * rows + 0.4),
                                squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (x, c, predicted) in zip(axes.flat, shown):
        ax.imshow([x[row * 8:row * 8 + 8] for row in range(8)], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{c} → {predicted}", fontsize=9)
    first = f", the first {len(shown)} shown" if len(shown) < len(wrong) else ""
    figure.suptitle(f"{len(wrong)} of {len(X)} test digits misclassified (true → predicted"
                    f"{first})", fontsize=10)
    return figure


def use_agg_backend() -> bool:
    """Draw into files with matplotlib's Agg backend, which needs no display; False if
    matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    return True


def _save(figure, path: str) -> None:
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=110)
    plt.close(figure)
