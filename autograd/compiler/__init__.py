"""autograd.compile: a traced graph written out as straight-line Python, forward and backward.

    tracing.py  run fn on Values and record the graph it builds (the same for every input)
    codegen.py  that graph as Python source: one line per node, the chain rule unrolled
    program.py  compile() and Program: load the source, call it, check it against the engine
    runtime.py  the float functions generated code calls, one per op row that needs a call

The engine never imports this package; `autograd.compile` loads it on first use.
"""

from autograd.compiler.program import Program, compile  # noqa: A004 (used as autograd.compile)

__all__ = ["Program", "compile"]
