"""nn.course.backprop (notebook 06): the folded solutions pass; each planted mistake gets its
own message, and no message holds the slope or the rate it expects."""

import pytest

import nn
from nn.course import backprop as course

X, D = [[0.0], [0.5], [1.0]], [0.0, 1.0, 0.0]


def start():
    return nn.MLP(1, [2, 1], activation="tanh", output="linear", seed=3)


def parts(model):
    hidden = [[h.data for h in model.layers[0](x)] for x in X]
    predicted = [model(x)[0].data for x in X]
    return hidden, predicted


def output_slopes(model, factor=lambda h: h, scale=-2):
    hidden, predicted = parts(model)
    return [sum(scale * (d - p) * factor(h[j]) for d, p, h in zip(D, predicted, hidden))
            for j in (0, 1)]


def test_output_weight_slopes():
    model = start()
    good = output_slopes(model)
    assert course.check_output_weight_slopes(*good, model, X, D) == ""
    assert course.check_output_weight_slopes(None, 1.0, model, X, D).startswith("not done yet")


@pytest.mark.parametrize(("slopes", "said"), [
    (lambda m: output_slopes(m)[::-1], "swapped"),
    (lambda m: [-s for s in output_slopes(m)], "wrong sign"),
    (lambda m: output_slopes(m, scale=-1), "brings down a 2"),
    (lambda m: output_slopes(m, factor=lambda h: 1.0), "leaves out dPredicted/dw"),
    (lambda m: [s + 0.1 for s in output_slopes(m)], "not the slope backward() finds"),
])
def test_output_weight_mistakes(slopes, said):
    model = start()
    message = course.check_output_weight_slopes(*slopes(model), model, X, D)
    assert said in message
    good = output_slopes(model)
    assert not any(f"{s:.3f}" in message for s in good)


def bias_slope(model, dh=lambda h: 1 - h * h, weight=True):
    hidden, predicted = parts(model)
    w = model.layers[-1].neurons[0].w[1].data if weight else 1.0
    return sum(-2 * (d - p) * w * dh(h[1]) for d, p, h in zip(D, predicted, hidden))


@pytest.mark.parametrize(("slope", "said"), [
    (lambda m: -bias_slope(m), "wrong sign"),
    (lambda m: bias_slope(m, dh=lambda h: 1.0), "leaves out dh/db"),
    (lambda m: bias_slope(m, weight=False), "leaves out dPredicted/dh"),
    (lambda m: bias_slope(m, dh=lambda h: h), "tanh's derivative"),
    (lambda m: bias_slope(m) * 3, "three factors"),
])
def test_hidden_bias_mistakes(slope, said):
    model = start()
    assert course.check_hidden_bias_slope(bias_slope(model), model, X, D) == ""
    message = course.check_hidden_bias_slope(slope(model), model, X, D)
    assert said in message
    assert f"{bias_slope(model):.3f}" not in message
    assert course.check_hidden_bias_slope(None, model, X, D).startswith("not done yet")


def test_one_step_lr():
    model = start()
    nn.train(model, X, D, nn.l2_divergence, lr=0.5, max_steps=3000, tol=1e-7, progress=False)
    bias = model.layers[-1].neurons[0].b
    bias.data = 0.0
    without = [model(x)[0].data for x in X]
    bottom = sum(d - p for d, p in zip(D, without)) / len(D)
    check = lambda lr: course.check_one_step_lr(lr, bias, model, X, D, start=0.0,  # noqa: E731
                                                bottom=bottom)
    assert check(1 / 6) == ""
    assert check(None).startswith("not done yet")
    assert "positive number" in check(-1.0)
    assert "stops short of" in check(0.1) and "0.16" not in check(0.1)
    assert "overshoots" in check(0.5)
    assert bias.data == 0.0
