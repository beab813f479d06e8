"""No user-chosen name can fool generated code (issue 18, A-D).

Op names (ASCII or not, NFKC look-alikes of runtime functions, builtins, the runtime module's
own attributes), labels and parameter names go into generated code: each is mangled or refused
so that a compiled program never calls, shadows or imports the wrong thing. A property test
draws such names and compares every compiled result with the engine's.
"""

from __future__ import annotations

import builtins
import keyword
import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, define_op, ops


@pytest.fixture(autouse=True)
def own_registry(own_op_registry):
    """Ops defined by a test are forgotten after it (the built-ins stay)."""


def triple(name: str) -> ops.Op:
    """An op of one input, 3x + 1 (d/dx = 3): distinguishable from every built-in."""
    return define_op(name, lambda x: 3.0 * x + 1.0, lambda x, out: 3.0)


def fullwidth(name: str) -> str:
    """name in fullwidth letters, which NFKC (and so Python's parser) reads as name."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch
                   for ch in name)


def compiled_and_engine(fn, x: float, leaves) -> tuple:
    """(value, leaves' grads) from compile(fn) and from the engine, at x."""
    program = autograd.compile(fn, (x,))
    for leaf in leaves:
        leaf.grad = 0.0
    compiled = (program.backward(x), [leaf.grad for leaf in leaves])
    for leaf in leaves:
        leaf.grad = 0.0
    out = fn(Value(x))
    out.backward()
    return compiled, (out.data, [leaf.grad for leaf in leaves])


def test_an_nfkc_look_alike_of_a_runtime_function_calls_its_own_op():
    """A: an op named ｔａｎｈ (NFKC: tanh) is not the built-in tanh in compiled code."""
    t = triple(fullwidth("tanh"))
    assert unicodedata.normalize("NFKC", t.name) == "tanh"
    compiled, engine = compiled_and_engine(lambda x: t(x) + x.tanh(), 0.5, [])
    assert compiled == engine and engine[0] == 2.5 + math.tanh(0.5)
    assert t.function_name == "op_uff54uff41uff4euff48"


@pytest.mark.parametrize("name", ["σ", "é", "π", "ε_1", "δ2"])
def test_a_non_ascii_op_name_compiles(name):
    """B: ops named σ, é, π are imported into generated code (no NameError)."""
    op = triple(name)
    w = Value(0.5, label="w")
    compiled, engine = compiled_and_engine(lambda x: op(x * w), 2.0, [w])
    assert compiled == engine == (4.0, [6.0])
    assert op.function_name == name


def test_a_non_ascii_activation_trains_compiled():
    """B: nn.train(..., compile=True) with a define_op activation named σ."""
    import nn
    sigma = define_op("σ", lambda z: 1.0 / (1.0 + math.exp(-z)),
                      lambda z, out: out * (1 - out))
    histories = []
    for compiled in (False, True):
        model = nn.MLP(2, [3, 1], activation=sigma.name, seed=0)
        histories.append(nn.train(model, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]],
                                  nn.l2_divergence, lr=0.1, max_steps=3, progress=False,
                                  compile=compiled).loss)
    assert histories[0] == pytest.approx(histories[1], rel=1e-12)
    assert sigma(0.0) == 0.5


@pytest.mark.parametrize("fn", [lambda power: power ** 2 * 0.5,
                                lambda power: power ** 3 + power.tanh() ** 0.5])
def test_a_parameter_named_power_does_not_shadow_the_power_function(fn):
    """C: autograd.compile(lambda power: power ** 2 * 0.5, (3.0,)) runs."""
    w = Value(1.5, label="power")
    compiled, engine = compiled_and_engine(lambda power: fn(power) * w, 3.0, [w])
    assert compiled == engine


@pytest.mark.parametrize("name", ["ops", "annotations", "__name__", "__doc__", "__getattr__",
                                  "float", "sum", "abs", "g_y", "_private"])
def test_a_runtime_attribute_builtin_or_gradient_name_is_mangled(name):
    """D: an op named like an attribute of the runtime module, a builtin or a gradient
    variable (g_y beside a node labelled y) is called by a mangled name, and runs."""
    if name == "sum":  # a built-in op's name: refused, naming it
        with pytest.raises(ValueError, match="'sum' is a built-in op"):
            triple(name)
        return
    op = triple(name)
    w = Value(0.5, label="w")

    def fn(x):
        y = x * w
        y.label = "y"
        return op(y)

    compiled, engine = compiled_and_engine(fn, 2.0, [w])
    assert compiled == engine == (4.0, [6.0])
    # the runtime module holds no attribute named ops or annotations: those need no mangling
    assert op.function_name == (name if name in ("ops", "annotations") else "op_" + name)


def test_two_names_that_mangle_alike_are_refused():
    """D: float is called op_float, so an op named op_float cannot be defined beside it."""
    triple("float")
    with pytest.raises(ValueError, match=r"define_op\('op_float'\): generated code would call "
                                         r"it op_float, which already names the op 'float'"):
        triple("op_float")


@pytest.mark.parametrize("name", ["add", "power", "run", "leaves", "backward", "sum_of"])
def test_names_generated_code_calls_or_defines_are_refused(name):
    """D: the built-in rows' function names and run's own names are refused, naming them."""
    with pytest.raises(ValueError, match=f"'{name}' is a"):
        triple(name)


def test_a_label_that_is_not_a_str_compiles():
    """L: a label set after construction to a non-str (v.label = 5) compiles, as drawing it
    works."""
    w = Value(2.0)
    w.label = 5
    compiled, engine = compiled_and_engine(lambda x: x * w, 3.0, [w])
    assert compiled == engine == (6.0, [3.0])
    assert "v_5 = leaves[0].data" in autograd.compile(lambda x: x * w, (3.0,)).source


# ---- the property: any name define_op accepts compiles, and computes what the engine does ----

RUNTIME_NAMES = sorted({*ops.runtime_functions(), "run", "leaves", "backward", "ops",
                        "annotations", "__name__", "__doc__", "__getattr__", "g_y", "g_x"})
names = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
    st.text(st.characters(categories=["Lu", "Ll", "Lo", "Nl", "Mn", "Nd", "Pc", "Lm"]),
            min_size=1, max_size=4),
    st.sampled_from(RUNTIME_NAMES).map(fullwidth),
    st.sampled_from(RUNTIME_NAMES),
    st.sampled_from(sorted({*keyword.kwlist, *keyword.softkwlist, *dir(builtins)})),
)


@settings(max_examples=40, deadline=None)
@given(name=names, x=st.floats(-2.0, 2.0))
def test_any_accepted_name_compiles_to_what_the_engine_computes(name, x):
    """A-D as a property: an op, a label and a parameter all named `name` (ASCII, Unicode,
    an NFKC look-alike, a keyword, a builtin, a runtime name): define_op refuses it with a
    message naming it, or the compiled program agrees with the engine exactly."""
    try:
        op = triple(name)
    except ValueError as error:
        assert repr(name) in str(error)
        return
    w = Value(0.5, label=name)
    body = lambda v: (op(v * w) + v.tanh() + v ** 2 * w).sigmoid()  # noqa: E731
    fn = body
    if name.isidentifier() and not keyword.iskeyword(name) and name != "__debug__":
        fn = eval(f"lambda {name}: body({name})", {"body": body})  # a parameter named `name`
    compiled, engine = compiled_and_engine(fn, x, [w])
    assert compiled == engine


# ---- Q: a bound on what compile takes on ----


def test_compile_refuses_a_graph_past_max_nodes_saying_how_to_raise_it():
    """Q: a chain of 2,001 nodes with max_nodes=2000 is refused before any code is generated,
    the message giving the size and the max_nodes that would compile it; that passes."""
    def chain(x):
        for _ in range(1000):
            x = x * 1.0
        return x

    with pytest.raises(ValueError, match=r"fn's graph has 2,001 nodes, more than "
                                         r"max_nodes=2,000 .* pass max_nodes=2001 or more"):
        autograd.compile(chain, (1.0,), max_nodes=2000)
    assert autograd.compile(chain, (1.0,), max_nodes=2001)(2.0) == 2.0
    with pytest.raises(TypeError, match="compile needs max_nodes as a positive int, got int: 0"):
        autograd.compile(chain, (1.0,), max_nodes=0)
