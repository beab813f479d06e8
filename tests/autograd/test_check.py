"""gradcheck and jacobian: passing on correct gradients, a readable table on wrong ones, and
softmax's Jacobian diag(y) - y yᵀ."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import GradcheckError, Value, affine, gradcheck, jacobian, sum_of


def tanh_with_a_wrong_derivative(x: Value, factor: float = 2.0) -> Value:
    """tanh(x), with its local derivative deliberately multiplied by `factor`."""
    y = x.tanh()
    y.local_grads = (factor * y.local_grads[0],)
    return y


def softmax(zs: list[Value]) -> list[Value]:
    """y_i = exp(z_i - m) / Σ_j exp(z_j - m), with m = max_j z_j as a constant shift."""
    m = max(z.data for z in zs)
    exps = [(z - m).exp() for z in zs]
    total = sum_of(exps)
    return [e / total for e in exps]


@pytest.mark.parametrize(
    ("f", "inputs"),
    [
        (lambda x: x * x * x, [1.3]),
        (lambda x, y: (x * y).tanh(), [0.3, -1.2]),
        (lambda x, y: (x / y).exp() + y.log(), [0.5, 2.0]),
        (lambda x, y, z: affine([x, y], [z, 2.0], x).sigmoid(), [0.1, -0.4, 0.9]),
        (lambda x, y: x**y - 2**x, [1.7, 0.6]),
        (lambda x: (x.relu() + 1) ** -1.5, [0.8]),
    ],
    ids=["cube", "tanh of a product", "exp and log", "affine", "powers", "relu and pow"],
)
def test_gradcheck_passes_on_correct_gradients(f, inputs):
    """gradcheck returns True when backward() agrees with central differences."""
    assert gradcheck(f, inputs) is True


def test_gradcheck_accepts_values_and_leaves_them_alone():
    """gradcheck takes Values as points too, reading their data and never touching their grad."""
    x = Value(0.7)
    assert gradcheck(lambda v: v.tanh() * v, [x]) is True
    assert (x.data, x.grad) == (0.7, 0.0)


def test_gradcheck_error_is_an_assertion_error():
    """GradcheckError subclasses AssertionError, so pytest reports it as a failed check."""
    assert issubclass(GradcheckError, AssertionError)
    with pytest.raises(AssertionError):
        gradcheck(tanh_with_a_wrong_derivative, [0.5])


def test_gradcheck_reports_a_table_per_input():
    """A wrong gradient raises GradcheckError: a row per input (value, analytic, numeric, error)."""
    f = lambda x, y: tanh_with_a_wrong_derivative(x) * y
    with pytest.raises(GradcheckError) as raised:
        gradcheck(f, [0.5, 2.0])
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("gradients disagree with central differences")
    assert lines[1].split() == ["input", "value", "analytic", "numeric", "error"]
    assert len(lines) == 4  # the heading, the header and one row per input
    wrong, right = lines[2].split(), lines[3].split()
    true_derivative = (1 - math.tanh(0.5) ** 2) * 2.0
    assert wrong[:2] == ["0", "0.5"]
    assert float(wrong[2]) == pytest.approx(2 * true_derivative, rel=1e-5)  # analytic (wrong)
    assert float(wrong[3]) == pytest.approx(true_derivative, rel=1e-5)  # numeric
    assert float(wrong[4]) == pytest.approx(true_derivative, rel=1e-2)  # |analytic - numeric|
    assert wrong[-1] == "mismatch"
    assert right[:2] == ["1", "2"] and "mismatch" not in lines[3]
    assert float(right[2]) == pytest.approx(math.tanh(0.5), rel=1e-5)


def test_gradcheck_honours_its_tolerances():
    """A derivative off by 0.1% passes with rtol=1e-2 and fails with the default rtol=1e-5."""
    f = lambda x: tanh_with_a_wrong_derivative(x, factor=1.001)
    assert gradcheck(f, [0.5], rtol=1e-2) is True
    assert gradcheck(f, [0.5], atol=1e-2) is True
    with pytest.raises(GradcheckError, match="atol=1e-06, rtol=1e-05, eps=1e-06"):
        gradcheck(f, [0.5])


def test_gradcheck_needs_f_to_return_a_value():
    """f returning a float is a TypeError naming what it returned."""
    with pytest.raises(TypeError, match="gradcheck needs f to return a Value, got float: 1.0"):
        gradcheck(lambda x: x.data, [1.0])


@settings(max_examples=30)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=5))
def test_jacobian_of_softmax(logits):
    """The Jacobian of softmax is diag(y) - y yᵀ: J[i][j] = y_i (δ_ij - y_j)."""
    zs = [Value(z) for z in logits]
    ys = softmax(zs)
    J = jacobian(ys, zs)
    y = [v.data for v in ys]
    n = len(y)
    for i in range(n):
        for j in range(n):
            expected = y[i] * ((i == j) - y[j])
            assert math.isclose(J[i][j], expected, rel_tol=1e-9, abs_tol=1e-12), (i, j)


def test_jacobian_of_a_linear_map_is_its_matrix():
    """outputs z_i = Σ_j W_ij x_j + b_i: the Jacobian with respect to x is W."""
    W = [[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]]
    xs = [Value(0.2), Value(-0.7), Value(1.1)]
    zs = [affine([Value(w) for w in row], xs, Value(0.3)) for row in W]
    assert jacobian(zs, xs) == W


def test_jacobian_column_of_an_unused_input_is_zero():
    """An input no output depends on gets a column of zeros."""
    x, unused = Value(2.0), Value(5.0)
    assert jacobian([x * x, x.exp()], [x, unused]) == [[4.0, 0.0], [math.exp(2.0), 0.0]]


def test_jacobian_with_respect_to_interior_nodes():
    """Inputs may be interior nodes: d out / d z for z computed from leaves."""
    a = Value(1.5)
    z = a * 2  # interior
    out = z * z + a
    assert jacobian([out], [z, a]) == [[2 * z.data, 2 * 2 * z.data + 1]]


def test_jacobian_leaves_grads_as_they_were():
    """After jacobian, every .grad in the graph (leaves and interior) has its value from before."""
    x, y = Value(0.5), Value(-1.5)
    hidden = x * y
    outputs = [hidden.tanh(), hidden + x]
    for node, grad in ((x, 7.0), (y, -3.0), (hidden, 11.0), (outputs[0], 0.25)):
        node.grad = grad
    jacobian(outputs, [x, y])
    assert (x.grad, y.grad, hidden.grad, outputs[0].grad, outputs[1].grad) == (
        7.0, -3.0, 11.0, 0.25, 0.0
    )


def test_jacobian_rows_agree_with_gradcheck_style_differences():
    """Each row of the Jacobian matches central differences of that output."""
    points = [0.4, -0.9]
    outputs_of = lambda a, b: [(a * b).tanh(), a.exp() / b, (a - b) ** 2]
    leaves = [Value(p) for p in points]
    J = jacobian(outputs_of(*leaves), leaves)
    eps = 1e-6
    for j in range(2):
        up, down = list(points), list(points)
        up[j] += eps
        down[j] -= eps
        ups = outputs_of(*map(Value, up))
        downs = outputs_of(*map(Value, down))
        for i in range(3):
            numeric = (ups[i].data - downs[i].data) / (2 * eps)
            assert math.isclose(J[i][j], numeric, rel_tol=1e-6, abs_tol=1e-8), (i, j)


def test_jacobian_needs_values():
    """A number among the outputs or inputs is a TypeError naming its type."""
    x = Value(1.0)
    with pytest.raises(TypeError, match="jacobian needs Values, got float: 2.0"):
        jacobian([x * 2], [2.0])
    with pytest.raises(TypeError, match="jacobian needs Values, got int: 3"):
        jacobian([3], [x])


def test_jacobian_leaves_backward_pass_marks_as_they_were():
    """jacobian restores each node's backward_pass too, so later drawings are unaffected."""
    x = Value(1.5)
    y = x * x
    marks = [v.backward_pass for v in (x, y)]
    jacobian([y], [x])
    assert [v.backward_pass for v in (x, y)] == marks
