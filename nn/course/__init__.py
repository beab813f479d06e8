"""What the course's notebooks call: checks of the learner's work, and predictions.

    engine.py       the build track's checks (notebook 03b): your Value, topological order,
                    backward() and training loop, each tried on cases of the check's own
    predictions.py  predict() in a cell of its own, reveal() where the answer is computed

A check returns "" when it passes, "not done yet: ..." while the work is still a skeleton, and
otherwise what failed with a hint at the next thing to look at, never the number it expected.
"""

from nn.course.engine import (
    check_backward,
    check_topological_order,
    check_training,
    check_value,
    is_skeleton,
)
from nn.course.predictions import forget, predict, prediction, reveal

__all__ = ["check_backward", "check_topological_order", "check_training", "check_value",
           "forget", "is_skeleton", "predict", "prediction", "reveal"]
