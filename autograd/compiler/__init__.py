"""autograd.compile: a traced graph written out as straight-line Python, forward and backward.

    tracing.py  run fn on Values and record the graph it builds (the same for every input)
    codegen.py  that graph as Python source: one line per node, the chain rule unrolled
    program.py  compile() and Program: load the source, call it, check it against the engine
    runtime.py  the float functions generated code calls, one per op row that needs a call

The batch backend, Program.batch() (needs numpy, imported by these modules only):
    layers.py         the pass that finds layers (affine nodes sharing one input vector) and
                      the ops applied row by row to them: matrices
    arrays.py         symbols that write a row's array form, and what a matrix does to a gradient
    batch.py          the plan of the array program: its parts, names and theta's order
    batch_lines.py    its lines: forward, then backpropagate's walk over the parts
    batch_program.py  BatchProgram: load it, call it on columns, add the sums to .grad

The engine never imports this package; `autograd.compile` loads it on first use.
"""

from autograd.compiler.program import Program, compile  # noqa: A004 (used as autograd.compile)

__all__ = ["Program", "compile"]
