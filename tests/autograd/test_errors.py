"""Every bad input gets a clear error: the right exception type, and a message that names what was
received (the type, the operand, the op) and says what is needed."""

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from autograd import Value, affine, detached_max, scope, sum_of
from autograd.nary import affine_of_values

# ---- what a Value can hold ----


@pytest.mark.parametrize(
    ("data", "type_name"),
    [
        (True, "bool"),
        (False, "bool"),
        ("1", "str"),
        (None, "NoneType"),
        (1j, "complex"),
        ([1], "list"),
        ((1.0,), "tuple"),
        (Decimal("1.5"), "Decimal"),
    ],
    ids=repr,
)
def test_value_rejects_what_is_not_a_real_number(data, type_name):
    """Value(bool / str / None / complex / list / ...) is a TypeError naming the type received."""
    with pytest.raises(TypeError, match=rf"Value needs a real number, got {type_name}: "):
        Value(data)


def test_value_of_a_value_says_how_to_get_a_number():
    """Value(Value(1)) is a TypeError naming Value and pointing to .data or .detach()."""
    with pytest.raises(TypeError, match=r"got Value: .*use \.data, or \.detach\(\)"):
        Value(Value(1.0))


@pytest.mark.parametrize("data", [math.nan, math.inf, -math.inf], ids=repr)
def test_value_rejects_non_finite_numbers(data):
    """Value(nan / inf / -inf) is a ValueError naming the number."""
    with pytest.raises(ValueError, match=rf"Value needs a finite number, got {data!r}"):
        Value(data)


@pytest.mark.parametrize(
    ("data", "expected"), [(Fraction(1, 4), 0.25), (Fraction(1, 3), 1 / 3), (7, 7.0)], ids=repr
)
def test_value_accepts_fractions_and_ints_as_floats(data, expected):
    """Any numbers.Real but bool is accepted and stored as a float: Fraction, int."""
    v = Value(data)
    assert type(v.data) is float and v.data == expected
    assert type(v.grad) is float and v.grad == 0.0


def test_value_accepts_numpy_scalars():
    """numpy scalars (float64, float32, int64, ...) are real numbers, stored as float."""
    np = pytest.importorskip("numpy", reason="numpy is not installed")
    for data in (np.float64(1.5), np.float32(1.5), np.float16(1.5), np.int64(3), np.int32(3)):
        v = Value(data)
        assert type(v.data) is float and v.data == float(data)
    assert (Value(2.0) * np.float64(3.0)).data == 6.0
    with pytest.raises(TypeError, match="got bool"):
        Value(np.bool_(True))
    with pytest.raises(TypeError, match="got ndarray"):
        Value(np.array([1.0]))
    with pytest.raises(ValueError, match="finite"):
        Value(np.float64("nan"))


def test_number_operands_may_be_fractions():
    """A Fraction operand works on either side, like any real number."""
    x = Value(2.0)
    assert (x * Fraction(1, 2)).data == 1.0
    assert (Fraction(1, 2) + x).data == 2.5


# ---- domain errors, at forward time ----


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_outside_its_domain(x):
    """log(0) and log of a negative number are ValueErrors naming log and the operand."""
    with pytest.raises(ValueError, match=rf"log is undefined for {re.escape(repr(x))} "):
        Value(x).log()


@pytest.mark.parametrize(
    "divide",
    [
        lambda: Value(3.0) / 0,
        lambda: Value(3.0) / 0.0,
        lambda: Value(3.0) / Value(0.0),
        lambda: 1 / Value(0.0),
        lambda: Value(0.0) / Value(0.0),
    ],
    ids=["x / 0", "x / 0.0", "x / Value(0)", "1 / Value(0)", "Value(0) / Value(0)"],
)
def test_division_by_zero(divide):
    """Dividing by zero, as a number or as a Value, on either side, is a ZeroDivisionError."""
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        divide()


@pytest.mark.parametrize("c", [-1, -2, -0.5])
def test_zero_to_a_negative_power(c):
    """0 ** c for c < 0 is a ZeroDivisionError naming the power."""
    message = rf"0\.0 \*\* {re.escape(repr(float(c)))} is undefined"
    with pytest.raises(ZeroDivisionError, match=message):
        Value(0.0) ** c


def test_zero_to_a_power_between_0_and_1_has_no_derivative():
    """0 ** 0.5 has an infinite derivative: a ZeroDivisionError, not a silent inf."""
    with pytest.raises(ZeroDivisionError, match=r"x \*\* 0\.5 has an infinite derivative"):
        Value(0.0) ** 0.5


@pytest.mark.parametrize("c", [0.5, -1.5, 1 / 3])
def test_negative_base_with_a_fractional_power(c):
    """(-2) ** c for a fractional c is not a real number: a ValueError naming base and power."""
    with pytest.raises(ValueError, match=r"-2\.0 \*\* .*\(negative base, fractional power\)"):
        Value(-2.0) ** c


@pytest.mark.parametrize("base", [-2, 0, 0.0, -0.5])
def test_number_base_with_a_value_exponent_needs_a_positive_base(base):
    """(-2) ** x and 0 ** x are ValueErrors: the derivative needs ln(base)."""
    with pytest.raises(ValueError, match=rf"{re.escape(repr(float(base)))} \*\* Value needs a "
                                         "positive base"):
        base ** Value(1.5)


@pytest.mark.parametrize("base", [-2.0, 0.0])
def test_value_base_with_a_value_exponent_needs_a_positive_base(base):
    """Value(-2) ** Value(y) is a ValueError naming the base (it is exp(y log x))."""
    with pytest.raises(ValueError, match=re.escape(repr(base))):
        Value(base) ** Value(2.0)


def test_exp_overflow():
    """exp(1000) is an OverflowError that names the argument and the largest that works."""
    with pytest.raises(OverflowError, match=r"exp\(1000\.0\) is too large for a float \(needs x <"):
        Value(1000.0).exp()


def test_exp_overflow_inside_a_power_of_two():
    """2 ** Value(2000) overflows in its exp: still an OverflowError with the clear message."""
    with pytest.raises(OverflowError, match=r"exp\(.*\) is too large for a float"):
        2 ** Value(2000.0)


def test_power_overflow():
    """10 ** 400 is too large for a float: an OverflowError naming base and power."""
    with pytest.raises(OverflowError, match=r"10\.0 \*\* 400\.0 is too large for a float"):
        Value(10.0) ** 400


# ---- operand types ----

BINARY_OPS = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "**": lambda x, y: x**y,
}


@pytest.mark.parametrize("symbol", BINARY_OPS)
@pytest.mark.parametrize(
    ("operand", "type_name"),
    [("a", "str"), (None, "NoneType"), ([1.0], "list"), (True, "bool"), (1j, "complex")],
    ids=["str", "None", "list", "bool", "complex"],
)
@pytest.mark.parametrize("side", ["right", "left"])
def test_bad_operand_types(symbol, operand, type_name, side):
    """A str, None, list, bool or complex operand, either side, is a TypeError naming its type."""
    x = Value(2.0)
    left, right = (x, operand) if side == "right" else (operand, x)
    with pytest.raises(TypeError, match=rf"needs a Value or a real number, got {type_name}: "):
        BINARY_OPS[symbol](left, right)


@pytest.mark.parametrize("symbol", BINARY_OPS)
@pytest.mark.parametrize("side", ["right", "left"])
def test_bad_operand_error_names_the_op(symbol, side):
    """x - "a" (or "a" - x) names the op the learner wrote, not a part of its composite."""
    x = Value(2.0)
    left, right = (x, "a") if side == "right" else ("a", x)
    message = rf"^{re.escape(symbol)} needs a Value or a real number, got str: 'a'$"
    with pytest.raises(TypeError, match=message):
        BINARY_OPS[symbol](left, right)


# ---- n-ary ops and context managers ----


def test_affine_needs_one_weight_per_input():
    """affine with 2 weights and 3 inputs is a ValueError giving both counts."""
    weights, inputs = [Value(1.0), Value(2.0)], [Value(1.0), Value(2.0), Value(3.0)]
    with pytest.raises(ValueError, match="one weight per input, got 2 weights and 3 inputs"):
        affine(weights, inputs, Value(0.0))


def test_affine_of_values_needs_one_weight_per_input_too():
    """The unchecked affine (nn's, for Values only) still counts: 2 weights, 3 inputs is the
    same ValueError, not a node of the wrong arity."""
    weights, inputs = [Value(1.0), Value(2.0)], [Value(1.0), Value(2.0), Value(3.0)]
    with pytest.raises(ValueError, match=r"one weight per input, got 2 weights and 3 inputs"):
        affine_of_values(weights, inputs, Value(0.0))


def test_affine_rejects_a_non_number_input():
    """affine with a str among its inputs is a TypeError naming affine and the type."""
    with pytest.raises(TypeError, match=r"affine needs a Value or a real number, got str"):
        affine([Value(1.0)], ["x"], Value(0.0))


def test_sum_of_needs_a_term():
    """sum_of of nothing is a ValueError; number terms become constant leaves."""
    with pytest.raises(ValueError, match="sum_of needs at least one term"):
        sum_of([])
    assert sum_of([1.0, 2.0]).data == 3.0
    with pytest.raises(TypeError, match="sum_of needs a Value or a real number, got str"):
        sum_of([Value(1.0), "2"])


def test_detached_max_needs_a_value():
    """detached_max of nothing is a ValueError."""
    with pytest.raises(ValueError, match="detached_max needs at least one Value"):
        detached_max([])


def test_scope_needs_a_string_name():
    """scope(3) is a TypeError naming the type: a scope's name is a str."""
    with pytest.raises(TypeError, match=r"scope needs a name \(str\), got int: 3"), scope(3):
        pass


@pytest.mark.parametrize("build, message", [
    (lambda: Value(1e200) * Value(1e200), r"\* of 1e\+200, 1e\+200 overflowed"),
    (lambda: Value(1.7e308) + 1.7e308, r"\+ of 1\.7e\+308, 1\.7e\+308 overflowed"),
    (lambda: affine([Value(1e308)] * 2, [1e10, 1.0], Value(0.0)), "affine of .* overflowed"),
    (lambda: sum_of([Value(1.7e308), Value(1.7e308)]), "sum_of of .* overflowed"),
])
def test_overflow_is_an_error_not_inf(build, message):
    """+, * and the n-ary ops refuse to make inf: an OverflowError naming the op and operands."""
    with pytest.raises(OverflowError, match=message):
        build()


@pytest.mark.parametrize("build", [
    lambda: Value(1.0) + float("nan"),
    lambda: float("inf") * Value(1.0),
    lambda: Value(1.0) - float("inf"),
    lambda: sum_of([Value(1.0), float("nan")]),
])
def test_a_non_finite_number_operand_is_refused(build):
    """A nan or inf operand is a ValueError, as Value(nan) is: nothing non-finite enters a graph."""
    with pytest.raises(ValueError, match="needs a finite number, got (nan|inf|-inf)"):
        build()


def test_an_int_too_large_for_a_float_is_named():
    """Value(10**400) and 10**400 as an operand: an OverflowError that names the op."""
    with pytest.raises(OverflowError, match="Value needs a number a float can hold"):
        Value(10**400)
    with pytest.raises(OverflowError, match=r"\+ needs a number a float can hold"):
        Value(1.0) + 10**400


def test_log_refuses_an_input_whose_derivative_overflows():
    """log(x) for a subnormal x: 1/x is inf, an OverflowError (compiled programs say the same)."""
    from autograd.compiler import runtime

    for log in (lambda x: Value(x).log(), runtime.log):
        with pytest.raises(OverflowError, match=r"log's derivative at \(1e-310\) is inf"):
            log(1e-310)


# ---- nothing non-finite enters a graph ----


@pytest.mark.parametrize("c", [math.nan, math.inf, -math.inf], ids=repr)
def test_a_non_finite_power_is_refused(c):
    """Value ** nan, ** inf and ** -inf are ValueErrors naming the exponent."""
    with pytest.raises(ValueError, match=rf"\*\* needs a finite exponent, got {c!r}"):
        Value(2.0) ** c


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Value(0.5) ** -1020, r"\*\*-1020's derivative at \(0\.5\) is -inf"),
        (lambda: Value(1e300) / Value(1e-5), r"/'s derivative at \(1e\+300, 1e-05\) is -inf"),
        (lambda: 1e300 / Value(1e-5), r"/'s derivative at \(1e\+300, 1e-05\) is -inf"),
        (lambda: Value(1e-10) / Value(1e-310), r"/'s derivative at \(1e-10, 1e-310\) is inf"),
        (lambda: Value(1e-310).log(), r"log's derivative at \(1e-310\) is inf"),
    ],
    ids=["0.5 ** -1020", "1e300 / 1e-5", "1e300 / Value(1e-5)", "1e-10 / 1e-310", "log(1e-310)"],
)
def test_an_op_whose_local_derivative_is_not_finite_raises_when_applied(build, message):
    """A finite value whose local derivative overflows (d/dx 0.5 ** -1020 = -1020 * 2 ** 1021,
    d/dy x / y = -x / y² with x / y finite) is an OverflowError naming the op, at the op."""
    with pytest.raises(OverflowError, match=message):
        build()


@pytest.mark.parametrize(
    ("divide", "numbers"),
    [
        (lambda: Value(3.0) / 0, "3.0 / 0.0"),
        (lambda: Value(-2.5) / Value(0.0), "-2.5 / 0.0"),
        (lambda: 7 / Value(-0.0), "7.0 / -0.0"),
        (lambda: Value(0.0) / 0.0, "0.0 / 0.0"),
    ],
    ids=["x / 0", "x / Value(0)", "7 / Value(-0.0)", "0 / 0"],
)
def test_division_by_zero_names_the_numbers(divide, numbers):
    """Dividing by zero is a ZeroDivisionError with both numbers in the message."""
    with pytest.raises(ZeroDivisionError, match=rf"^division by zero: {re.escape(numbers)}$"):
        divide()
