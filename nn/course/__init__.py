"""What the course's notebooks call: checks of the learner's work, and predictions.

    backprop.py     notebook 06: slopes of the SSR worked out along the chain rule, against
                    backward(); a learning rate that reaches the bottom in one step
    chain_rule.py   notebooks 02 and 03: divergences' gradients, chains of local derivatives,
                    and an op whose local derivative you write (autograd.define_op)
    engine.py       the build track's checks (notebook 03b): your Value, topological order,
                    backward() and training loop, each tried on cases of the check's own
    first_steps.py  notebooks 00 and 01: a derivative three ways, backward() twice, a Value
                    used three times, softmax's Jacobian, a tanh neuron's slopes
    predictions.py  predict() in a cell of its own, reveal() where the answer is computed
    training.py     notebooks 07 and 07b: your minibatch SGD loop against nn.train, loss for
                    loss; the stop rule; the experiments on what training needs

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
from nn.course.engine import (
    check_backward,
    check_topological_order,
    check_training,
    check_value,
    is_skeleton,
)
from nn.course.first_steps import (
    check_backward_twice,
    check_cube_slope,
    check_neuron_slopes,
    check_sigmoid_slopes,
    check_softmax_columns,
    check_softmax_rows,
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

__all__ = ["check_backward", "check_topological_order", "check_training", "check_value",
           "forget", "is_skeleton", "predict", "prediction", "reveal"]
__all__ += ["check_flat_slopes", "check_kl_ratio", "check_op_derivative", "check_price_chain",
            "check_soft_target_gradient", "check_unscaled_l2"]
__all__ += ["check_backward_twice", "check_cube_slope", "check_neuron_slopes",
            "check_sigmoid_slopes", "check_softmax_columns", "check_softmax_rows"]
__all__ += ["check_hidden_bias_slope", "check_one_step_lr", "check_output_weight_slopes",
            "ssr_slopes"]
__all__ += ["check_deep_linear", "check_equal_budget", "check_sgd_by_hand", "check_stop_rule",
            "check_symmetry_break", "distinct_neurons"]
