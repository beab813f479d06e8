"""nn's activations, softmax and divergences: values and gradients against their closed forms,
the two y - d identities of the course, stability, and every rejected argument."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, jacobian, topological_order

reals = st.floats(-5, 5, allow_nan=False)
logit_lists = st.lists(reals, min_size=1, max_size=6)


def leaves(numbers):
    return [Value(x) for x in numbers]


def probability_vector(raw):
    """A probability vector from raw non-negative numbers (at least one positive)."""
    total = sum(raw)
    return [x / total for x in raw]


# ---- activations ----


@given(reals)
def test_activation_functions_match_the_engine_ops(z):
    """nn.tanh/relu/sigmoid are the Value ops; nn.linear is the identity (no new node)."""
    v = Value(z)
    assert nn.tanh(v).data == math.tanh(z)
    assert nn.relu(v).data == max(z, 0.0)
    assert nn.sigmoid(v).data == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)
    assert nn.linear(v) is v


# ---- softmax ----


@given(logit_lists)
def test_softmax_is_the_closed_form_and_sums_to_one(zs):
    """y_i = e^z_i / Σ_j e^z_j, positive, summing to 1."""
    y = [v.data for v in nn.softmax(leaves(zs))]
    total = math.fsum(math.exp(z) for z in zs)
    assert y == pytest.approx([math.exp(z) / total for z in zs], rel=1e-12)
    assert math.fsum(y) == pytest.approx(1.0, abs=1e-14)


@given(logit_lists)
def test_softmax_jacobian_is_diag_y_minus_y_y_transposed(zs):
    """∂y_i/∂z_j = y_i (δ_ij - y_j), by backward through the composed ops."""
    z = leaves(zs)
    y = nn.softmax(z)
    J = jacobian(y, z)
    for i, yi in enumerate(y):
        for j, yj in enumerate(y):
            expected = yi.data * ((i == j) - yj.data)
            assert J[i][j] == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("shift", [1000.0, -1000.0, 700.0])
def test_softmax_is_stable_at_large_logits(shift):
    """Logits ±1000 give the same probabilities as small ones (no overflow, no 0/0)."""
    small = [v.data for v in nn.softmax(leaves([0.0, 1.0, 2.0]))]
    large = [v.data for v in nn.softmax(leaves([shift, shift + 1.0, shift + 2.0]))]
    assert large == pytest.approx(small, rel=1e-12)


def test_softmax_shift_is_a_detached_max_node():
    """The max shift is a node of the graph (op "max", local derivatives 0), not a float."""
    z = leaves([0.5, 3.0])
    graph = topological_order(nn.softmax(z)[0])
    shift = [v for v in graph if v.op == "max"]
    assert len(shift) == 1 and shift[0].parents == tuple(z)
    assert shift[0].local_grads == (0.0, 0.0)


def test_softmax_accepts_numbers_and_refuses_empty():
    """Plain numbers become leaves; an empty list is a ValueError."""
    assert nn.softmax([0.0, 0.0])[0].data == 0.5
    with pytest.raises(ValueError, match="at least one"):
        nn.softmax([])


# ---- l2 ----


@given(st.lists(st.tuples(reals, reals), min_size=1, max_size=5))
def test_l2_value_and_gradient_are_the_closed_form(pairs):
    """Div = ½ Σ (y_i - d_i)², ∂Div/∂y_i = y_i - d_i (summed, not averaged)."""
    y = leaves([a for a, _ in pairs])
    d = [b for _, b in pairs]
    div = nn.l2_divergence(y, d)
    assert div.data == pytest.approx(0.5 * sum((a - b) ** 2 for a, b in pairs), rel=1e-12,
                                     abs=1e-15)
    div.backward()
    assert [v.grad for v in y] == pytest.approx([a - b for a, b in pairs], rel=1e-12, abs=1e-15)


def test_l2_scalar_forms():
    """A Value with a number, a one-element list with a number, a Value with [d]: all scalar."""
    assert nn.l2_divergence(Value(3.0), 1.0).data == 2.0
    assert nn.l2_divergence([Value(3.0)], 1).data == 2.0
    assert nn.l2_divergence(Value(3.0), [1.0]).data == 2.0


@pytest.mark.parametrize("y, d, error", [
    ([Value(1.0), Value(2.0)], 1.0, ValueError),
    ([Value(1.0)], [1.0, 2.0], ValueError),
    ([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0], ValueError),
    ([Value(1.0)], [math.nan], ValueError),
    ([Value(1.0)], "1", TypeError),
    ([1.0], [1.0], TypeError),
    ([], [], ValueError),
])
def test_l2_mismatches_are_refused(y, d, error):
    """Lengths must match (a number d only for one output); d numbers, y Values."""
    with pytest.raises(error, match="l2_divergence"):
        nn.l2_divergence(y, d)


# ---- KL and cross-entropy ----


@given(logit_lists.flatmap(lambda zs: st.tuples(
    st.just(zs), st.lists(st.floats(0, 1), min_size=len(zs), max_size=len(zs)).filter(
        lambda r: sum(r) > 0.1))))
def test_kl_value_and_gradient_are_the_closed_form(case):
    """Div = Σ d_i log(d_i / y_i) (0 log 0 = 0), ∂Div/∂y_i = -d_i / y_i."""
    zs, raw = case
    d = probability_vector(raw)
    y = [Value(math.exp(z) / math.fsum(math.exp(u) for u in zs)) for z in zs]
    div = nn.kl_divergence(y, d)
    expected = sum(di * math.log(di / yi.data) for di, yi in zip(d, y) if di > 0)
    assert div.data == pytest.approx(expected, rel=1e-9, abs=1e-12)
    div.backward()
    assert [v.grad for v in y] == pytest.approx([-di / yi.data for di, yi in zip(d, y)],
                                                rel=1e-12)


def test_kl_with_one_hot_is_minus_log_y_c_without_nan():
    """With one-hot d, KL = -log y_c exactly, and zeros in d make no NaN."""
    y = leaves([0.2, 0.5, 0.3])
    div = nn.kl_divergence(y, nn.one_hot(1, 3))
    assert div.data == -math.log(0.5)
    div.backward()
    assert [v.grad for v in y] == [0.0, -2.0, 0.0]
    assert nn.kl_divergence(leaves([0.2, 0.8]), [0.0, 1.0]).data == \
        nn.cross_entropy(leaves([0.2, 0.8]), 1).data


@pytest.mark.parametrize("d", [[0.5, 0.6], [1.5, -0.5], [0.5], [1.0, 0.0, 0.0], 1, [0.5, "a"]])
def test_kl_refuses_what_is_not_a_probability_vector_of_ys_length(d):
    """d must be non-negative, sum to 1 within 1e-6, and have y's length."""
    with pytest.raises(ValueError, match="kl_divergence"):
        nn.kl_divergence(leaves([0.4, 0.6]), d)


def test_kl_accepts_a_sum_within_tolerance():
    """A d summing to 1 within 1e-6 is a probability vector."""
    div = nn.kl_divergence(leaves([0.5, 0.5]), [0.5, 0.5 + 5e-7])
    assert div.data == pytest.approx(0, abs=1e-6)


@given(st.lists(st.floats(0.01, 1), min_size=1, max_size=6), st.data())
def test_cross_entropy_value_and_gradient(raw, data):
    """Div = -log y_c; ∂Div/∂y_c = -1/y_c, and 0 for every other output."""
    y = leaves(probability_vector(raw))
    c = data.draw(st.integers(0, len(y) - 1))
    div = nn.cross_entropy(y, c)
    assert div.data == -math.log(y[c].data)
    div.backward()
    assert [v.grad for v in y] == [-1 / v.data if i == c else 0.0 for i, v in enumerate(y)]


@pytest.mark.parametrize("c", [-1, 3, 1.0, True, "0", None])
def test_cross_entropy_refuses_anything_but_a_class_index(c):
    """0 <= c < len(y), an int (negative indices too are refused)."""
    with pytest.raises(ValueError, match=r"class index 0 <= c < 3"):
        nn.cross_entropy(leaves([0.2, 0.3, 0.5]), c)


# ---- the course's two y - d identities ----


@given(logit_lists.filter(lambda zs: len(zs) > 1), st.data())
def test_softmax_then_kl_or_cross_entropy_has_gradient_y_minus_d_at_the_logits(zs, data):
    """∇_z KL(softmax(z), d) = y - d for any probability vector d; cross_entropy likewise."""
    raw = data.draw(st.lists(st.floats(0, 1), min_size=len(zs), max_size=len(zs))
                    .filter(lambda r: sum(r) > 0.1))
    d = probability_vector(raw)
    z = leaves(zs)
    y = nn.softmax(z)
    nn.kl_divergence(y, d).backward()
    assert [v.grad for v in z] == pytest.approx([yi.data - di for yi, di in zip(y, d)],
                                                abs=1e-12)
    c = data.draw(st.integers(0, len(zs) - 1))
    z = leaves(zs)
    y = nn.softmax(z)
    (grads,) = jacobian([nn.cross_entropy(y, c)], z)
    assert grads == pytest.approx([yi.data - (i == c) for i, yi in enumerate(y)], abs=1e-12)


def test_linear_output_with_l2_has_gradient_y_minus_d_at_z():
    """∂(½‖y - d‖²)/∂z = y - d for a linear layer, read at z itself and at each bias (∂z/∂b = 1)."""
    layer = nn.Layer(3, 2, "linear")
    y = layer([0.5, -1.0, 2.0])
    d = [0.25, -0.75]
    div = nn.l2_divergence(y, d)
    (at_z,) = jacobian([div], y)  # linear: the outputs are the affine nodes z
    assert all(v.op == "affine" for v in y)
    assert at_z == pytest.approx([yi.data - di for yi, di in zip(y, d)], abs=1e-15)
    div.backward()
    assert [n.b.grad for n in layer.neurons] == pytest.approx(at_z, abs=1e-15)


def test_softmax_layer_with_kl_has_gradient_y_minus_d_at_its_biases():
    """In an MLP with a softmax output, ∂KL/∂b_i of the output layer is y_i - d_i."""
    model = nn.MLP(2, [4, 3], output="softmax", seed=1)
    y = model([0.3, -0.4])
    d = [0.2, 0.0, 0.8]
    nn.kl_divergence(y, d).backward()
    assert [n.b.grad for n in model.layers[-1].neurons] == pytest.approx(
        [yi.data - di for yi, di in zip(y, d)], abs=1e-12)


# ---- binary cross-entropy and hinge ----


@given(st.floats(-30, 30), st.sampled_from([0, 1]))
def test_binary_cross_entropy_value_and_gradient(z, d):
    """Div = -[d log y + (1 - d) log(1 - y)] with y = σ(z); ∂Div/∂z = y - d."""
    zv = Value(z)
    y = zv.sigmoid()
    div = nn.binary_cross_entropy(y, d)
    sig = 1 / (1 + math.exp(-z))
    expected = math.log1p(math.exp(-z)) if d == 1 else math.log1p(math.exp(z))  # softplus(∓z)
    assert div.data == pytest.approx(expected, rel=1e-9, abs=1e-15)
    div.backward()
    assert zv.grad == pytest.approx(sig - d, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("z, d, expected", [(40.0, 0, 40.0), (-40.0, 1, 40.0),
                                            (700.0, 0, 700.0), (-700.0, 1, 700.0)])
def test_binary_cross_entropy_is_stable_for_confident_mistakes(z, d, expected):
    """σ(z) rounds to 1 past z ≈ 37, yet -log(1 - y) is still ≈ z (computed as -log σ(-z))."""
    div = nn.binary_cross_entropy(Value(z).sigmoid(), d)
    assert div.data == pytest.approx(expected, rel=1e-12)


def test_binary_cross_entropy_of_a_plain_probability():
    """A y not made by sigmoid: -log y for d = 1, -log(1 - y) for d = 0; a list of one works."""
    assert nn.binary_cross_entropy(Value(0.25), 1).data == -math.log(0.25)
    assert nn.binary_cross_entropy([Value(0.25)], 0).data == -math.log(0.75)


@pytest.mark.parametrize("d", [2, -1, 0.5, "1", None])
def test_binary_cross_entropy_refuses_other_targets(d):
    """d must be 0 or 1."""
    with pytest.raises(ValueError, match="d = 0 or 1"):
        nn.binary_cross_entropy(Value(0.5), d)


@given(reals, st.sampled_from([-1, 1]))
def test_hinge_value_and_gradient(score, d):
    """Div = max(0, 1 - d·score); ∂Div/∂score = -d inside the margin, else 0."""
    s = Value(score)
    div = nn.hinge(s, d)
    assert div.data == max(0.0, 1 + -d * score)  # micrograd's (1 + -d·score).relu()
    div.backward()
    assert s.grad == (-d if 1 - d * score > 0 else 0.0)


def test_hinge_refuses_other_targets_and_several_outputs():
    """d must be -1 or +1, and the score one Value."""
    with pytest.raises(ValueError, match="d = -1 or \\+1"):
        nn.hinge(Value(0.5), 0)
    with pytest.raises(ValueError, match="needs 1 output, got 2"):
        nn.hinge(leaves([0.5, 0.2]), 1)


def test_divergences_are_listed_by_name():
    """DIVERGENCES maps the command line's names to the records of the functions."""
    expected = {"l2": nn.l2_divergence, "kl": nn.kl_divergence, "cross_entropy": nn.cross_entropy,
                "bce": nn.binary_cross_entropy, "hinge": nn.hinge}
    listed = {name: record.function for name, record in nn.DIVERGENCES.items()}
    assert listed == expected
    assert all(record.name == name for name, record in nn.DIVERGENCES.items())


@pytest.mark.parametrize("name, targets, outputs, one_output, threshold", [
    ("kl", [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], ("softmax",), False, 0.5),
    ("cross_entropy", [0, 2], ("softmax",), False, 0.5),
    ("l2", [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], (), False, 0.5),
    ("bce", [0, 1], ("sigmoid",), True, 0.5),
    ("hinge", [-1, 1], ("linear", "tanh"), True, 0.0),
])
def test_each_divergence_record_says_its_targets_and_outputs(name, targets, outputs,
                                                            one_output, threshold):
    """A record's target form (classes 0 and last of k), the outputs it accepts, whether it
    reads one output and, for one output, the threshold between the classes."""
    record = nn.DIVERGENCES[name]
    k = 2 if one_output else 3
    assert [record.target(0, k), record.target(k - 1, k)] == targets
    assert record.outputs == outputs and record.one_output == one_output
    assert record.threshold == threshold


def test_a_divergence_record_is_called_as_its_function():
    """DIVERGENCES["kl"](y, d) is kl_divergence(y, d); its __name__ is the function's."""
    y = nn.softmax([Value(0.5), Value(-1.0)])
    assert nn.DIVERGENCES["kl"](y, [0.0, 1.0]).data == nn.kl_divergence(y, [0.0, 1.0]).data
    assert nn.DIVERGENCES["bce"].__name__ == "binary_cross_entropy"


def test_predicted_class_is_the_largest_output_or_a_threshold():
    """Several outputs: the index of the largest. One: 1 above the threshold, else 0."""
    assert nn.predicted_class([0.1, 0.7, 0.2]) == 1
    assert nn.predicted_class([0.6]) == 1 and nn.predicted_class([0.5]) == 0
    assert nn.predicted_class([0.2], threshold=0.0) == 1


@pytest.mark.parametrize("call, message", [
    (lambda: nn.kl_divergence([Value(2.0), Value(3.0)], [0.5, 0.5]),
     r"kl_divergence needs y to be probabilities in \[0, 1\] \(softmax outputs\), got y_1 = 2\.0; "
     r"use output='softmax'"),
    (lambda: nn.kl_divergence([Value(0.5), Value(-0.25)], [1.0, 0.0]), "got y_2 = -0.25"),
    (lambda: nn.binary_cross_entropy(Value(1.5), 1),
     r"binary_cross_entropy needs y to be probabilities in \[0, 1\] \(sigmoid outputs\), got "
     r"y_1 = 1\.5; use output='sigmoid'"),
    (lambda: nn.binary_cross_entropy(Value(-0.1), 0), "got y_1 = -0.1"),
])
def test_kl_and_bce_refuse_outputs_that_are_not_probabilities(call, message):
    """kl_divergence and binary_cross_entropy check every y_i is in [0, 1] (no negative Div)."""
    with pytest.raises(ValueError, match=message):
        call()


def test_probabilities_rounded_just_above_one_are_accepted():
    """A y_i of 1 + 1e-13 (rounding after a softmax) is still a probability."""
    assert nn.kl_divergence([Value(1.0 + 1e-13), Value(0.5)], [1.0, 0.0]).data == pytest.approx(
        0.0, abs=1e-12)
    assert nn.binary_cross_entropy(Value(1.0 + 1e-13), 1).data == pytest.approx(0.0, abs=1e-12)
