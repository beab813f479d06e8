"""Symbols for arrays: an op's row written as numpy code, one number per sample.

>>> from autograd.ops import RELU, TANH
>>> x = ArraySymbol("z")
>>> TANH(x).text, RELU(x).text                       # the rows' array forms
('np.tanh(z)', 'np.where(z > 0.0, z, 0.0)')
>>> [d.text for d in RELU.local_derivatives((x,), ArraySymbol("y"))]   # relu' is step
['np.where(z > 0.0, 1.0, 0.0)']

autograd.symbols.Symbol writes a row's `code`, Python on floats; an ArraySymbol writes its
`array` form instead, numpy on arrays, and keeps doing so through arithmetic, so a derivative
written in the row (tanh's 1 - out * out, relu's STEP(x)) becomes array code with no second copy.
A row without an array form is called by its function name: `namespace()` gives generated code
np.vectorize of the row's float function under that name (or refuses it, naming the row).

The few symbols below stand for what a matrix does to a gradient, so that the chain rule
(autograd.backprop.backpropagate: upstream * local, summed into the parent) writes a layer's
backward pass as the course does: the local "derivative" of Z = W @ Y + b with respect to Y is
W, and g_Z times it is W.T @ g_Z.
"""

from __future__ import annotations

from autograd.symbols import Symbol, as_symbol


class ArraySymbol(Symbol):
    """Python source for an array (one number per sample, or a matrix of rows): applying an op
    writes the row's array form; arithmetic stays array code."""

    __slots__ = ()

    @classmethod
    def apply_op(cls, op, inputs: tuple) -> ArraySymbol:
        """op applied to array symbols: its array template filled in, else a call of its name."""
        texts = [_operand(as_symbol(x)) for x in inputs]
        if op.array is None:
            return cls(f"{op.function_name}({', '.join(texts)})")
        if callable(op.array):
            return _wrapped(op.array(texts))
        from autograd.symbols import fill
        return _wrapped(fill(op.array, op, texts, ""))


def _operand(symbol: Symbol) -> str:
    """An input's text, parenthesized unless it is a name, literal or call (np.tanh(a + b) needs
    none; a + b inside x * y does): the templates put inputs next to operators."""
    return symbol.text if symbol.precedence >= 5 else f"({symbol.text})"


def _wrapped(text: str) -> ArraySymbol:
    from autograd.symbols import precedence
    return ArraySymbol(text, precedence(text))


def _arithmetic(name: str):
    """Symbol's operator `name`, giving an ArraySymbol (so ops applied later stay array code)."""
    plain = getattr(Symbol, name)

    def method(self, *other):
        result = plain(self, *other)
        return result if result is NotImplemented else ArraySymbol(result.text, result.precedence)
    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__neg__"):
    setattr(ArraySymbol, _name, _arithmetic(_name))


# ---- what a matrix does to a gradient: local "derivatives" that write their own product ----


class Local(ArraySymbol):
    """A local derivative whose product with the upstream gradient is not `*`: apply(upstream)
    writes it. (A subclass of the upstream's type, so Python asks its __rmul__ first.)"""

    __slots__ = ("apply",)

    def __init__(self, text: str, apply):
        super().__init__(text)
        self.apply = apply

    def __rmul__(self, upstream):
        return self.apply(upstream)

    def __eq__(self, other):  # never the number 1 (backpropagate skips a product by 1)
        return self is other

    __hash__ = object.__hash__


def times(upstream: object, local: object) -> ArraySymbol:
    """upstream * local, where local may be a Local; never times the number 1 (the 1 of +)."""
    if isinstance(local, Local):
        return upstream * local
    return as_array(upstream) if isinstance(local, (int, float)) and local == 1 else \
        as_array(upstream) * local


def as_array(x: object) -> ArraySymbol:
    s = as_symbol(x)
    return s if isinstance(s, ArraySymbol) else ArraySymbol(s.text, s.precedence)


def row_of(k: int) -> Local:
    """d Y[k] / d Y, for a row of a stacked matrix: upstream g_Y gives its row g_Y[k]."""
    return Local(f"row {k}", lambda g: ArraySymbol(f"{_operand(as_symbol(g))}[{k}]"))


def summed_over_rows(local: object) -> Local:
    """The local derivative of a row-by-row op with respect to an input shared by every row (a
    softmax's 1/Σ): each row's term, summed over the rows."""
    return Local(f"Σ rows of {as_symbol(local).text}",
                 lambda g: ArraySymbol(f"({times(g, local).text}).sum(axis=0)"))


def transposed_matrix(w: str) -> Local:
    """d(W @ Y)/dY: g_Z gives W.T @ g_Z, the gradient flowing to the layer below."""
    return Local(w, lambda g: ArraySymbol(f"{w}.T @ {_operand(as_symbol(g))}"))


def outer_products(y: str, per_sample: bool) -> Local:
    """d(W @ Y)/dW: g_Z gives Σ_t g_Z[:, t] Y[:, t]ᵀ = g_Z @ Y.T, the outer products summed over
    the batch (per sample: each outer product, shape (rows, inputs, batch))."""
    if per_sample:
        return Local(y, lambda g: ArraySymbol(f"{_operand(as_symbol(g))}[:, None] * {y}[None]"))
    return Local(y, lambda g: ArraySymbol(f"{_operand(as_symbol(g))} @ {y}.T"))


def bias_sum(per_sample: bool) -> Local:
    """d(W @ Y + b)/db: g_Z summed over the batch (per sample: g_Z itself)."""
    if per_sample:
        return Local("1", lambda g: as_array(g))
    return Local("1", lambda g: ArraySymbol(f"{_operand(as_symbol(g))}.sum(axis=1)"))


def into_row(j: int, local: object) -> Local:
    """The local derivative of a scalar node with respect to row j of a matrix: its term goes
    into row j of the matrix's gradient (see RowTerms)."""
    return Local(f"row {j}", lambda g: RowTerms(rows={j: [times(g, local)]}))


def whole(local: object) -> Local:
    """The local derivative with respect to a whole matrix (a term of the matrix's shape)."""
    return Local("whole", lambda g: RowTerms(whole=[times(g, local)]))


class RowTerms:
    """A matrix's gradient while it is summed: terms of the whole matrix, and terms of single
    rows (from the scalar nodes that read one row). backpropagate adds these with +."""

    def __init__(self, whole: list | None = None, rows: dict | None = None):
        self.whole = whole or []
        self.rows = rows or {}

    def __add__(self, other: RowTerms) -> RowTerms:
        rows = {j: list(terms) for j, terms in self.rows.items()}
        for j, terms in other.rows.items():
            rows.setdefault(j, []).extend(terms)
        return RowTerms([*self.whole, *other.whole], rows)

    def lines(self, name: str, matrix: str, size: int) -> list[str]:
        """The lines that compute g (named `name`) for a matrix of `size` rows named matrix."""
        row_sums = {j: _sum_text(terms) for j, terms in sorted(self.rows.items())}
        if self.whole:
            lines = [f"{name} = {_sum_text(self.whole)}"]
        elif len(row_sums) == size:
            return [f"{name} = np.stack(({', '.join(row_sums.values())},))"]
        else:
            lines = [f"{name} = np.zeros_like({matrix})"]
        return lines + [f"{name}[{j}] += {text}" for j, text in row_sums.items()]


def _sum_text(terms: list) -> str:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total.text


# ---- the functions generated array code calls ----


def namespace(vectorize: bool = True) -> dict:
    """np, and for every row without an array form its float function over arrays
    (np.vectorize of its evaluate) under the name generated code calls it by; with
    vectorize=False those rows are left out (see missing_array_form)."""
    import numpy as np

    from autograd import ops
    functions: dict = {"np": np}
    if vectorize:
        for row in ops.all_ops():
            if row.array is None:
                functions[row.function_name] = np.vectorize(row.evaluate, otypes=[float],
                                                            excluded={"constants"})
        for name, family in ops.FAMILIES.items():
            functions[name] = np.vectorize(family.evaluate, otypes=[float])
    return functions


def missing_array_form(rows) -> None:
    """A TypeError naming the first row (of those given) that has no array form."""
    for row in rows:
        if row.array is None:
            raise TypeError(
                f"op {row.name!r} has no array form, so the batch backend cannot run it on "
                f"arrays: give it one (define_op(..., array='np.log1p(np.exp(x))'), numpy code "
                f"in its argument names), or allow vectorize=True to run its float function "
                f"once per sample")
