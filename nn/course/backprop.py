"""Backpropagation intuition's checks (notebook 06): slopes of the SSR worked out by hand along
the chain rule, compared with backward() on a small 1-2-1 network, and a learning rate that
reaches the bottom in one step.

>>> import nn
>>> model = nn.MLP(1, [2, 1], activation="tanh", output="linear", seed=3)
>>> X, D = [[0.0], [0.5], [1.0]], [0.0, 1.0, 0.0]
>>> slopes = ssr_slopes(model, X, D)
>>> check_output_weight_slopes(slopes["w2[1,1]"], slopes["w2[2,1]"], model, X, D)
''
>>> check_output_weight_slopes(-slopes["w2[1,1]"], slopes["w2[2,1]"], model, X, D)
'slope_w11 has the wrong sign: dSSR/dPredicted is −2 (Observed − Predicted), with its minus.'

Each check returns "" when the answer passes, "not done yet: ..." while a blank is None, and
otherwise what failed with a place to look next, never the number it expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd import sum_of
from nn.course.answers import close

__all__ = ["check_hidden_bias_slope", "check_one_step_lr", "check_output_weight_slopes",
           "ssr_slopes"]


def ssr_slopes(model, X: Sequence, D: Sequence) -> dict[str, float]:
    """dSSR/dp for every parameter p of a one-output model (by its label), SSR = Σ (d − y)²,
    from one backward pass. The model's .grad are left as that pass set them."""
    model.zero_grad()
    sum_of([(d - model(x)[0]) ** 2 for x, d in zip(X, D)]).backward()
    return {p.label: p.grad for p in model.parameters()}


def _residual_terms(model, X: Sequence, D: Sequence) -> list[float]:
    """dSSR/dPredicted per dose: −2 (Observed − Predicted)."""
    return [-2 * (d - model(x)[0].data) for x, d in zip(X, D)]


def check_output_weight_slopes(slope_w11, slope_w21, model, X: Sequence,
                               D: Sequence) -> str:
    """slope_w11 and slope_w21 are dSSR/dw for the weights from hidden neurons 1 and 2 to the
    output neuron of a 1-2-1 model."""
    if slope_w11 is None or slope_w21 is None:
        return "not done yet: fill in slope_w11 and slope_w21 in the cell above."
    slopes = ssr_slopes(model, X, D)
    wanted = {"slope_w11": slopes["w2[1,1]"], "slope_w21": slopes["w2[2,1]"]}
    given = {"slope_w11": slope_w11, "slope_w21": slope_w21}
    if close(slope_w11, wanted["slope_w21"]) and close(slope_w21, wanted["slope_w11"]):
        return ("slope_w11 and slope_w21 are swapped: which hidden neuron's output does each "
                "weight multiply?")
    no_factor = sum(_residual_terms(model, X, D))
    for name, value in given.items():
        if close(value, wanted[name]):
            continue
        if close(value, -wanted[name]):
            return (f"{name} has the wrong sign: dSSR/dPredicted is −2 (Observed − Predicted), "
                    "with its minus.")
        if close(value, wanted[name] / 2):
            return f"{name} is half the slope: the square of a residual brings down a 2."
        if close(value, no_factor):
            return (f"{name} leaves out dPredicted/dw, the factor that tells this weight from "
                    "the other: what does the weight multiply?")
        return (f"{name} is not the slope backward() finds: for each dose, multiply "
                "dSSR/dPredicted by dPredicted/dw, then add over the doses.")
    return ""


def check_hidden_bias_slope(slope_b, model, X: Sequence, D: Sequence) -> str:
    """slope_b is dSSR/db for the bias of hidden neuron 2 of a 1-2-1 tanh model."""
    if slope_b is None:
        return "not done yet: fill in slope_b in the cell above."
    wanted = ssr_slopes(model, X, D)["b1[2]"]
    if close(slope_b, wanted):
        return ""
    if close(slope_b, -wanted):
        return "slope_b has the wrong sign: look at the sign of each factor."
    residual = _residual_terms(model, X, D)
    w_out = model.layers[-1].neurons[0].w[1].data
    hidden = [model.layers[0](x)[1] for x in X]  # neuron 2's tanh node, per dose
    h = [node.data for node in hidden]
    dh_dz = [node.local_grads[0] for node in hidden]  # tanh's derivative, from the engine
    if close(slope_b, sum(r * w_out for r in residual)):
        return ("slope_b leaves out dh/db, the hidden neuron's own link: how fast does its "
                "tanh change at each dose?")
    if close(slope_b, sum(r * slope for r, slope in zip(residual, dh_dz))):
        return ("slope_b leaves out dPredicted/dh: the hidden output reaches the prediction "
                "through a weight.")
    if close(slope_b, sum(r * w_out * v for r, v in zip(residual, h))):
        return ("dh/db is not tanh's output: it is tanh's derivative, which can be written "
                "with that output.")
    return ("slope_b is not the slope backward() finds: per dose, three factors, from the SSR "
            "back to the bias; then add over the doses.")


def check_one_step_lr(one_step_lr, bias, model, X: Sequence, D: Sequence, *, start: float,
                      bottom: float) -> str:
    """one_step_lr takes bias (a Value of model) from start to bottom, the SSR's minimum in
    that bias, in one gradient-descent step. bias is left at start."""
    if one_step_lr is None:
        return "not done yet: fill in one_step_lr in the cell above."
    if not isinstance(one_step_lr, (int, float)) or one_step_lr <= 0:
        return "one_step_lr should be a positive number, a learning rate."
    bias.data = start
    slope = ssr_slopes(model, X, D)[bias.label]
    landed = start - one_step_lr * slope
    if math.isclose(landed, bottom, rel_tol=1e-9, abs_tol=1e-9):
        return ""
    side = "stops short of" if abs(landed - start) < abs(bottom - start) else "overshoots"
    return (f"one step from {start} with this rate {side} the bottom: how much does the slope "
            "change per unit of the bias, and what rate makes lr · slope cover the whole "
            "distance?")
