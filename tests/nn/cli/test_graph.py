"""`chainrule graph`: writes the graph of an expression; refuses hostile input with exit 2."""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nn.cli import main

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "__import__('os').system('touch PWNED')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__init__.__globals__",
    "open('PWNED', 'w')",
    "(lambda: __import__('os').system('touch PWNED'))()",
    "(" * 500 + "x" + ")" * 500,
    "[open('PWNED', 'w') for _ in '1']",
    "exec('open(\"PWNED\", \"w\")')",
    "-" * 100_000 + "x",
]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Run in an empty directory, to see every file the command creates."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv):
    """main(["graph", *argv]): (exit status, stdout, stderr)."""
    status = main(["graph", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.needs_dot
def test_writes_an_svg_with_the_chain_rule_in_tooltips(workdir, capsys):
    """The help's example (a tanh neuron) writes neuron.svg whose nodes carry their chain-rule
    equations."""
    status, out, err = run(capsys, "tanh(w*x + b)", "x=0.5", "w=-1.5", "b=2", "-o", "neuron.svg")
    assert (status, err) == (0, "")
    svg = (workdir / "neuron.svg").read_text(encoding="utf-8")
    titles = [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    assert ("x = 0.5000 (leaf)\n∂L/∂x = ∂L/∂(w * x) · ∂(w * x)/∂x = 0.2804 × -1.5000 = -0.4206"
            in titles)
    assert out.splitlines() == ["wrote neuron.svg", "L = tanh(w*x + b) = 0.8483",
                                "  dL/dx = -0.4206", "  dL/dw = 0.1402", "  dL/db = 0.2804"]


@pytest.mark.needs_dot
@pytest.mark.parametrize(("name", "magic"), [("g.png", b"\x89PNG"), ("g.pdf", b"%PDF")])
def test_writes_png_and_pdf(workdir, capsys, name, magic):
    """The -o suffix picks the format."""
    assert run(capsys, "x*w", "x=2", "w=3", "-o", name)[0] == 0
    assert (workdir / name).read_bytes().startswith(magic)


def test_writes_dot_text_without_graphviz(workdir, capsys, monkeypatch):
    """A .dot output needs no dot program."""
    monkeypatch.setenv("PATH", str(workdir))
    status, _, err = run(capsys, "x*w", "x=2", "w=3", "-o", "g.dot")
    assert (status, err) == (0, "")
    assert (workdir / "g.dot").read_text(encoding="utf-8").startswith("digraph chainrule {")


def test_an_expression_starting_with_minus_goes_after_double_dash(workdir, capsys):
    """chainrule graph -- "-x*w" x=2 w=3 works, with -o after the expression too."""
    status, out, _ = run(capsys, "--", "-x*w", "x=2", "w=3", "-o", "neg.dot")
    assert status == 0 and (workdir / "neg.dot").exists()
    assert "L = -x*w = -6.0000" in out and "dL/dx = -3.0000" in out


def test_default_output_is_graph_svg_and_unused_names_are_reported(workdir, capsys, monkeypatch):
    """Without -o the graph goes to graph.svg; a name the expression never uses has grad 0."""
    monkeypatch.setattr("autograd.Graph.save", lambda self, path: Path(path).write_text("svg"))
    status, out, _ = run(capsys, "x*2", "x=1", "w=5")
    assert status == 0 and (workdir / "graph.svg").exists()
    assert "dL/dw = 0 (not used)" in out


def test_missing_dot_says_how_to_install(workdir, capsys, monkeypatch):
    """An .svg without Graphviz: exit 1 and the install hints, no traceback."""
    monkeypatch.setenv("PATH", str(workdir))
    status, _, err = run(capsys, "x*w", "x=2", "w=3", "-o", "g.svg")
    assert status == 1 and "apt-get install graphviz" in err and "Traceback" not in err
    assert not (workdir / "g.svg").exists()


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:30])
def test_hostile_input_exits_2_with_one_line_and_no_side_effect(workdir, capsys, text):
    """Code, attribute chains, open(), lambdas and deep nesting: exit 2, one line, nothing run."""
    status, out, err = run(capsys, "--", text, "x=1", "-o", "g.dot")
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("chainrule graph: error: ")
    assert "Traceback" not in err
    assert list(workdir.iterdir()) == []  # no PWNED, no g.dot


@pytest.mark.parametrize(("argv", "message"), [
    (["x*w", "x=2", "w=abc"], "bad binding 'w=abc': 'abc' is not a number"),
    (["x*w", "x=2", "w"], "bad binding 'w': write name=number"),
    (["x*w", "x=2", "x=3", "w=1"], "x is given twice (x=2 and x=3)"),
    (["x*w", "x=2"], "w at column 3 has no value: give it one as w=NUMBER"),
    (["x", "x=1", "-o", "g.jpg"], "cannot tell the format of 'g.jpg' from its suffix"),
    (["--", "x", "x=1", "-o"], "-o needs a value"),
    (["--", "x", "x=1", "--rankdir=XY"], "--rankdir must be one of LR, RL, TB, BT"),
])
def test_bad_arguments_exit_2_naming_the_problem(workdir, capsys, argv, message):
    """Bad bindings, unbound names, unknown formats: exit 2 and a one-line message."""
    status, _, err = run(capsys, *argv)
    assert status == 2 and len(err.splitlines()) == 1 and message in err
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize(("expression", "message"), [
    ("log(x)", "cannot compute log(x): log is undefined for 0.0 (needs a positive number)"),
    ("1/x", "cannot compute 1/x: division by zero"),
    ("exp(x + 1000)", "too large for a float"),
])
def test_math_errors_exit_1_with_one_line(workdir, capsys, expression, message):
    """log(0), 1/0 and overflow: exit 1, a one-line message, no file."""
    status, _, err = run(capsys, expression, "x=0", "-o", "g.dot")
    assert status == 1 and len(err.splitlines()) == 1 and message in err
    assert "Traceback" not in err and list(workdir.iterdir()) == []


def test_unwritable_output_exits_1(workdir, capsys):
    """A directory that does not exist: exit 1 naming the file."""
    status, _, err = run(capsys, "x", "x=1", "-o", "missing/g.dot")
    assert status == 1 and "cannot write missing/g.dot: No such file or directory" in err


def test_hostile_input_in_a_real_process(tmp_path):
    """python -m nn graph with os.system inside: exit 2, one stderr line, no file made."""
    done = subprocess.run(
        [sys.executable, "-m", "nn", "graph", "__import__('os').system('touch PWNED')", "x=1",
         "-o", "out.svg"],
        capture_output=True, text=True, cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr and "calls are limited to" in done.stderr
    assert list(tmp_path.iterdir()) == []
