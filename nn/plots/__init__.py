"""Pictures: of a trained model (models.py: decision regions, the fitted curve, predict) and
the course notebooks' figures (course.py). Each needs matplotlib (pip install
'chainrule[plots]'), imported inside the function, so `import nn` does not need it.
"""

from nn.plots.course import (
    plot_bias_sweep,
    plot_chain_lines,
    plot_contours,
    plot_curve,
    plot_curves,
    plot_descent_race,
    plot_layer_gradients,
    plot_linear_boundary,
    plot_lines,
    plot_losses,
    plot_modes,
    plot_weight_gradients,
)
from nn.plots.models import (
    COMPILE_FROM,
    boundary_legend,
    plot_boundary,
    plot_fit,
    predict,
)

__all__ = [
    'COMPILE_FROM', 'boundary_legend', 'plot_bias_sweep', 'plot_boundary', 'plot_chain_lines',
    'plot_contours', 'plot_curve', 'plot_curves', 'plot_descent_race', 'plot_fit',
    'plot_layer_gradients', 'plot_linear_boundary', 'plot_lines', 'plot_losses', 'plot_modes',
    'plot_weight_gradients', 'predict',
]
