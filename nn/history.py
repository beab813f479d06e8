"""What nn.train records: one row per step, why it stopped, and how long it took.

>>> from nn.history import History
>>> history = History(mode="batch")
>>> history.record(loss=0.7, largest_step=0.05, lr=0.5, accuracy=0.5)
>>> history.record(loss=0.4, largest_step=0.02, lr=0.5, accuracy=0.75)
>>> history.finish("max_steps", "took all 2 steps it was given", wall_time=0.01)
>>> history
History(2 steps, final loss 0.4, accuracy 0.75, stopped: took all 2 steps it was given)
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field

from nn.serialize import write_atomically

STOPS = ("tol", "max_steps", "callback", "diverged")  # History.stopped_by


@dataclass(repr=False)
class History:
    """The record of a training run, one entry per step.

    loss          the mean divergence over the step's batch: (1/T) Σ_t Div(Y_t, d_t), taken
                  during the step's forward pass (before its update)
    largest_step  the largest parameter change of the step, max |Δw| (lr·|slope| without
                  momentum): the quantity the stop rule compares with tol
    lr            the learning rate the step used
    accuracy      the fraction of the step's batch classified correctly (before the update),
                  or None for regression targets
    stopped_by    one of "tol", "max_steps", "callback", "diverged"; stop_reason says it in words
    wall_time     seconds spent in train()
    """

    mode: str = "batch"
    loss: list[float] = field(default_factory=list)
    largest_step: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    accuracy: list[float] | None = None
    stopped_by: str = ""
    stop_reason: str = ""
    wall_time: float = 0.0

    @property
    def steps(self) -> int:
        """How many steps were taken."""
        return len(self.loss)

    @property
    def final_loss(self) -> float:
        """The loss of the last step (nan before the first)."""
        return self.loss[-1] if self.loss else math.nan

    def record(self, loss: float, largest_step: float, lr: float,
               accuracy: float | None = None) -> None:
        """Append one step's numbers."""
        self.loss.append(loss)
        self.largest_step.append(largest_step)
        self.lr.append(lr)
        if accuracy is not None:
            if self.accuracy is None:
                self.accuracy = []
            self.accuracy.append(accuracy)

    def finish(self, stopped_by: str, stop_reason: str, wall_time: float) -> None:
        """Note why and when training stopped."""
        if stopped_by not in STOPS:
            raise ValueError(f"stopped_by must be one of {', '.join(STOPS)}, got {stopped_by!r}")
        self.stopped_by, self.stop_reason, self.wall_time = stopped_by, stop_reason, wall_time

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write step,loss,largest_step,lr,accuracy rows (accuracy empty for regression)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["step", "loss", "largest_step", "lr", "accuracy"])
        accuracy = self.accuracy or [""] * self.steps
        for i in range(self.steps):
            writer.writerow([i + 1, repr(self.loss[i]), repr(self.largest_step[i]),
                             repr(self.lr[i]), repr(accuracy[i]) if self.accuracy else ""])
        write_atomically(path, buffer.getvalue())

    def plot(self, title: str = ""):
        """A matplotlib Figure: the loss per step (log scale) and, for classification, the
        accuracy per step beside it. Needs matplotlib (pip install 'chainrule[plots]')."""
        import matplotlib.pyplot as plt

        panels = 2 if self.accuracy else 1
        figure, axes = plt.subplots(1, panels, figsize=(5 * panels, 3.5), squeeze=False)
        steps = range(1, self.steps + 1)
        loss_axes = axes[0][0]
        loss_axes.plot(steps, self.loss, color="tab:blue")
        if self.loss and min(self.loss) > 0:
            loss_axes.set_yscale("log")
        loss_axes.set(xlabel="step", ylabel="loss = mean Div over the batch", title="loss")
        if self.accuracy:
            accuracy_axes = axes[0][1]
            accuracy_axes.plot(steps, self.accuracy, color="tab:green")
            accuracy_axes.set(xlabel="step", ylabel="accuracy on the batch", ylim=(0, 1.02),
                              title="accuracy")
        figure.suptitle(title or f"{self.mode} training: {self.stop_reason}", fontsize=9)
        figure.tight_layout()
        return figure

    def __repr__(self) -> str:
        parts = [f"{self.steps} steps", f"final loss {self.final_loss:.4g}"]
        if self.accuracy:
            parts.append(f"accuracy {self.accuracy[-1]:.4g}")
        if self.stop_reason:
            parts.append(f"stopped: {self.stop_reason}")
        return f"History({', '.join(parts)})"
