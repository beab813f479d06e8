"""What the course's notebooks call: checks of the learner's work, and predictions.

    engine.py            the build track's checks (notebook 03b): your Value, topological
                         order, backward() and training loop, each tried on cases of its own
    predictions.py       predict() in a cell of its own, reveal() where the answer is computed
    vector_backprop.py   the backward recursion's rows and matrices (notebooks 04, 04b, 04c),
                         compared with backward(); what backpropagation keeps per sample
    gradient_descent.py  notebooks 05 and 05b: a slope by the chain rule, runs of nn.train, the
                         whole data set's loss after every update
    curvature.py         notebook 09: a Hessian by grad of grad, Newton's method, the learning
                         rate where gradient descent diverges

A check returns "" when it passes, "not done yet: ..." while the work is still a skeleton, and
otherwise what failed with a hint at the next thing to look at, never the number it expected.
"""

from nn.course.curvature import (
    check_divergence_edge,
    check_hessian,
    check_newton_end,
    newton,
    symmetric_eigenvalues,
)
from nn.course.engine import (
    check_backward,
    check_topological_order,
    check_training,
    check_value,
    is_skeleton,
)
from nn.course.gradient_descent import (
    check_late_excess,
    check_momentum_runs,
    check_samples_needed,
    check_slope_derivative,
    first_within,
    line_model,
    whole_data_losses,
)
from nn.course.predictions import forget, predict, prediction, reveal
from nn.course.vector_backprop import (
    check_input_gradients,
    check_numbers_kept,
    check_rank,
    check_recursion,
    check_relu_layer,
    check_softmax_l2,
    engine_gradients,
    matrix_rank,
    numbers_kept,
    weights_of,
)

__all__ = ["check_backward", "check_divergence_edge", "check_hessian", "check_input_gradients",
           "check_late_excess", "check_momentum_runs", "check_newton_end", "check_numbers_kept",
           "check_rank", "check_recursion", "check_relu_layer", "check_samples_needed",
           "check_slope_derivative", "check_softmax_l2", "check_topological_order",
           "check_training", "check_value", "engine_gradients", "first_within", "forget",
           "is_skeleton", "line_model", "matrix_rank", "newton", "numbers_kept", "predict",
           "prediction", "reveal", "symmetric_eigenvalues", "weights_of", "whole_data_losses"]
