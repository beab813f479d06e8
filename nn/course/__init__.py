"""What the course's notebooks call: checks of the learner's work, and predictions.

    first_steps.py       notebooks 00 and 01: a derivative three ways, backward() twice, a Value
                         used three times, softmax's Jacobian, a tanh neuron's slopes
    chain_rule.py        notebooks 02 and 03: divergences' gradients, chains of local
                         derivatives, and an op whose local derivative you write (define_op)
    engine.py            the build track's checks (notebook 03b): your Value, topological
                         order, backward() and training loop, each tried on cases of its own
    predictions.py       predict() in a cell of its own, reveal() where the answer is computed
    answers.py           what every check asks first: is each blank filled in, is it the number
    vector_backprop.py   the backward recursion's rows and matrices (notebooks 04, 04b, 04c),
                         compared with backward(); what backpropagation keeps per sample
    gradient_descent.py  notebooks 05 and 05b: a slope by the chain rule, runs of nn.train, the
                         whole data set's loss after every update
    backprop.py          notebook 06: slopes of the SSR worked out along the chain rule,
                         against backward(); a learning rate that reaches the bottom in one step
    training.py          notebooks 07 and 07b: your minibatch SGD loop against nn.train, loss
                         for loss; the stop rule; the experiments on what training needs
    compiled.py          notebooks 08 and 08b: the programs a compiled loss traces, a line of a
                         compiled backward pass and its gradient by hand; two training runs
                         compared, a batch's gradients sample by sample
    curvature.py         notebook 09: a Hessian by grad of grad, Newton's method, the learning
                         rate where gradient descent diverges

A check returns "" when it passes, "not done yet: ..." while the work is still a skeleton, and
otherwise what failed with a hint at the next thing to look at, never the number it expected.
"""

from nn.course.backprop import (
    check_hidden_bias_slope,
    check_one_step_lr,
    check_output_weight_slopes,
    ssr_slopes,
)
from nn.course.chain_rule import (
    check_flat_slopes,
    check_kl_ratio,
    check_op_derivative,
    check_price_chain,
    check_soft_target_gradient,
    check_unscaled_l2,
)
from nn.course.compiled import (
    check_backward_line,
    check_per_sample,
    check_program_counts,
    check_two_runs,
    same_run,
)
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
    neuron_training,
)
from nn.course.first_steps import (
    check_backward_twice,
    check_cube_slope,
    check_neuron_slopes,
    check_sigmoid_slopes,
    check_softmax_columns,
    check_softmax_rows,
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
from nn.course.training import (
    check_deep_linear,
    check_equal_budget,
    check_sgd_by_hand,
    check_stop_rule,
    check_symmetry_break,
    distinct_neurons,
)
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
# notebooks 00-03, 06, 07 and 07b
__all__ += ["check_backward_twice", "check_cube_slope", "check_deep_linear",
            "check_equal_budget", "check_flat_slopes", "check_hidden_bias_slope",
            "check_kl_ratio", "check_neuron_slopes", "check_one_step_lr", "check_op_derivative",
            "check_output_weight_slopes", "check_price_chain", "check_sgd_by_hand",
            "check_sigmoid_slopes", "check_soft_target_gradient", "check_softmax_columns",
            "check_softmax_rows", "check_stop_rule", "check_symmetry_break",
            "check_unscaled_l2", "distinct_neurons", "ssr_slopes"]
__all__ += ["check_backward_line", "check_per_sample", "check_program_counts", "check_two_runs",
            "same_run"]
__all__ += ["neuron_training"]
