"""The course notebooks: present, numbered, stripped, introduced, exercised, and library-only.

Most tests read the notebooks' JSON; test_notebook_runs executes each one in a fresh kernel,
as shipped and with its exercises' solutions filled in, once each (tests/conftest.py's
notebook_runs, which test_site's course pages are built from too).
"""

import ast
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# The course, in order (issue 5; 04b, 04c and 05b split off 04 and 05 in issue 21). Later
# notebooks (08_... and on) follow the general rules below, but not the course-specific ones
# (a course section, closing exercises).
COURSE = [
    "00_quickstart",
    "01_activations_and_softmax",
    "02_outputs_and_divergences",
    "03_chain_rule",
    "03b_build_your_engine",
    "04_backprop_vector_notation",
    "04b_backprop_as_a_loop",
    "04c_backprop_on_a_batch",
    "05_gradient_descent",
    "05b_stochastic_gradient_descent",
    "06_backprop_intuition",
    "07_training_an_mlp",
    "07b_what_training_needs",
]
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
NUMBERED = [name for name in ALL if name[:2].isdigit()]  # the course and what follows it
# A notebook that teaches an idiom by writing it out may define those functions, and no others:
# the micrograd lecture's build_topo over _prev and its hand-written _backward closure.
# The build track (03b) has the learner write an engine: its Value, its ops' _backward steps,
# topological_order and backward.
IDIOMS = {"coming_from_micrograd": {"build_topo", "_backward"},
          "03b_build_your_engine": {"Value", "__init__", "__add__", "__mul__", "tanh", "exp",
                                    "_backward", "topological_order", "backward"}}

# The headings of the course text (module2-training-mlps.md) a notebook may say it follows.
COURSE_SECTIONS = {
    "Module 2: Training Multilayer Perceptrons",
    "Activation Functions",
    "Vector Activation",
    "Softmax Vector Activation",
    "Representing the desired output",
    "Function Minimization",
    "Scaled L2 Divergence",
    "KL-Divergence for Classification",
    "A Comparison Between Models",
    "The Chain Rule Intuition",
    "Backpropagation Vector Notation",
    "Summary",
    "Neural Network Training Algorithm",
    "Gradient Descent Intuition",
    "Backpropagation Intuition",
}

# Calls that draw random numbers: each must be given a seed (keyword), so runs repeat exactly.
SEEDED_CALLS = {"MLP", "moons", "circles", "spiral", "blobs", "line", "train_test_split"}


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def as_python(source: str) -> str:
    """A code cell's text without IPython magics and shell escapes (which ast cannot parse)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def all_trees(name: str) -> list[ast.Module]:
    return [ast.parse(as_python(src)) for src in code_cells(load(name))]


def test_notebooks_start_with_the_course_sequence():
    """notebooks/ opens with the course notebooks, numbered 00 to 07 (and the b, c ones beside)."""
    assert ALL[: len(COURSE)] == COURSE


@pytest.mark.parametrize("name", NUMBERED)
def test_notebook_is_numbered_in_order(name):
    """Each numbered file name is NN_words, numbered from 00 without gaps, or NNb_words for a
    notebook that follows NN (03b, the build track, follows 03); the others (such as
    coming_from_micrograd) are words only, outside the course's order."""
    assert re.fullmatch(r"\d\d[b-z]?_[a-z0-9_]+", name)
    plain = [n for n in NUMBERED if n[2] == "_"]
    if name in plain:
        assert int(name[:2]) == plain.index(name)
    else:
        follows = NUMBERED[NUMBERED.index(name) - 1]
        assert follows[:2] == name[:2], f"{name} follows {follows}"


def test_unnumbered_notebooks_are_named_in_words():
    """A notebook outside the course's order has a plain lowercase name."""
    for name in set(ALL) - set(NUMBERED):
        assert re.fullmatch(r"[a-z][a-z0-9_]+", name), name


@pytest.mark.parametrize("name", COURSE)
def test_course_notebook_title_carries_its_number(name):
    """The title cell of a course notebook starts with '# NN ' (or '# NNb ')."""
    title = "".join(load(name)["cells"][0]["source"]).splitlines()[0]
    assert title.startswith(f"# {name.split('_')[0]} "), title


@pytest.mark.parametrize("name", ALL)
def test_notebook_has_no_outputs_or_execution_counts(name):
    """Committed stripped: no cell has outputs or an execution count."""
    for cell in load(name)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{name}: a code cell has outputs"
            assert cell["execution_count"] is None, f"{name}: a code cell has an execution count"


# nbstripout sits beside the interpreter running the tests (the venv's bin/), or on PATH
NBSTRIPOUT = shutil.which("nbstripout", path=str(Path(sys.executable).parent)) or shutil.which(
    "nbstripout")


@pytest.mark.skipif(NBSTRIPOUT is None, reason="nbstripout is not installed")
def test_nbstripout_verify_passes():
    """`nbstripout --verify` finds nothing to strip in any notebook (metadata included)."""
    paths = [str(NOTEBOOKS / f"{name}.ipynb") for name in ALL]
    result = subprocess.run([NBSTRIPOUT, "--verify", *paths], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", COURSE)
def test_notebook_opens_with_what_it_teaches_and_its_course_section(name):
    """The first cell is markdown saying what the notebook teaches and which section it follows."""
    first = load(name)["cells"][0]
    assert first["cell_type"] == "markdown"
    text = "".join(first["source"])
    assert "**What you will learn:**" in text
    sections = re.findall(r"\*([^*]+)\*", text.split("**Course section:**", 1)[1])
    assert sections, f"{name}: the first cell names no course section"
    unknown = [s for s in sections if s not in COURSE_SECTIONS]
    assert not unknown, f"{name}: not headings of the course text: {unknown}"


MARKDOWN_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
MARKDOWN_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


@pytest.mark.parametrize("name", ALL)
def test_markdown_has_no_bare_underscores(name):
    """Outside code and $math$, markdown has no underscore: two of them pair up into italics
    (∇_{Z_2} Div = ∇_{Y_2} Div would print as ∇{Z2} Div = ∇{Y2} Div, half of it slanted).
    Write $\nabla_{Z_2}$, a Unicode subscript (yᵢ, b₂₀) or `code` instead."""
    for k, cell in enumerate(load(name)["cells"]):
        if cell["cell_type"] == "markdown":
            text = MARKDOWN_MATH.sub("", MARKDOWN_CODE.sub("", "".join(cell["source"])))
            assert "_" not in text, f"{name}, cell {k}: {text[text.index('_') - 30:][:60]!r}"


@pytest.mark.parametrize("name", ALL)
def test_notebook_defines_no_library_code(name):
    """No code cell defines a function or a class: reusable code belongs in autograd/ or nn/
    (except the idioms a notebook teaches by writing them out, IDIOMS)."""
    allowed = IDIOMS.get(name, set())
    for tree in all_trees(name):
        for node in ast.walk(tree):
            defines = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            assert not defines or node.name in allowed, (
                f"{name}: defines {node.name!r} (line {node.lineno} of its cell)")


@pytest.mark.parametrize("name", ALL)
def test_notebook_uses_the_installed_package(name):
    """It imports autograd or nn as installed, and never edits sys.path to find them."""
    imported = set()
    for tree in all_trees(name):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert imported & {"autograd", "nn"}
    assert not any("sys.path" in src for src in code_cells(load(name)))


@pytest.mark.parametrize("name", ALL)
def test_random_calls_are_seeded(name):
    """Every model, data set or split that draws random numbers is given seed=."""
    for tree in all_trees(name):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in SEEDED_CALLS:
                keywords = {k.arg for k in node.keywords}
                assert "seed" in keywords, f"{name}: {called}(...) without seed="


# ---- exercises: a prediction, a skeleton to fill in, a check, hints in tiers (issues 13, 21) ----

# The hints cell: three tiers, each folded in its own <details>, opened one at a time.
TIERS = ("Hint 1: a nudge", "Hint 2: the idea", "Show a solution")


@dataclass
class Exercise:
    """One exercise of a notebook: the indices of its cells and its solution's code."""

    number: int
    prompt: int  # markdown "**Exercise N.** ..."
    prediction: int | None  # code "# Predict (exercise N)": nn.course.predict(...), if it asks
    skeleton: int  # code "# Exercise N ...": runs as shipped, its blanks None
    check: int  # code "# Check exercise N": "not done yet", or asserts
    hints: int  # markdown: the TIERS, each "<details><summary>TIER</summary>...</details>"
    solution_code: str  # replaces the skeleton when the notebook runs with its solutions
    prediction_code: str  # the solution's "# Predict (exercise N)" block: the prediction cell's


def exercises(notebook: dict) -> list[Exercise]:
    """The exercises of a notebook, in order, read from the cells that make each one."""
    cells = ["".join(c["source"]) for c in notebook["cells"]]
    found = []
    for k, text in enumerate(cells):
        match = re.search(r"^\*\*Exercise (\d+)\.\*\*", text, re.M)
        if match and notebook["cells"][k]["cell_type"] == "markdown":
            number = int(match.group(1))
            predicts = k + 1 < len(cells) and cells[k + 1].startswith(
                f"# Predict (exercise {number})")
            skeleton = k + 2 if predicts else k + 1
            hints = cells[skeleton + 2] if skeleton + 2 < len(cells) else ""
            solution = hints.partition("<summary>Show a solution</summary>")[2]
            blocks = re.findall(r"```python\n(.*?)```", solution, re.S)
            code = [b for b in blocks if b.startswith(f"# Exercise {number}")]
            guess = [b for b in blocks if b.startswith(f"# Predict (exercise {number})")]
            found.append(Exercise(number, k, k + 1 if predicts else None, skeleton,
                                  skeleton + 1, skeleton + 2, code[0] if code else "",
                                  guess[0] if guess else ""))
    return found


def tiers(hints: str) -> list[str]:
    """The summaries of the hints cell's <details> blocks, in order."""
    return re.findall(r"<details>\s*<summary>(.*?)</summary>.*?</details>", hints, re.S)


PREDICT = re.compile(r"\*\*Predict\b|\bpredict\b", re.I)


@pytest.mark.parametrize("name", NUMBERED)
def test_exercises_are_exercises(name):
    """Two or three exercises close the notebook. Each is a prompt; a prediction cell of its own
    when the prompt asks for one (`# Predict (exercise N)`, recorded by nn.course.predict before
    the answer is computed); a skeleton `# Exercise N` that runs; a `# Check exercise N` that
    says "not done yet" until the skeleton is filled in and asserts after; and the hints in
    three tiers, each folded in its own <details> (a nudge, the idea, then the solution, whose
    code replaces the skeleton). Nothing after the exercises but text."""
    notebook = load(name)
    cells = ["".join(c["source"]) for c in notebook["cells"]]
    kinds = [c["cell_type"] for c in notebook["cells"]]
    found = exercises(notebook)
    assert 2 <= len(found) <= 3, f"{name}: {len(found)} exercises"
    for number, exercise in enumerate(found, start=1):
        where = f"{name}, exercise {number}"
        assert exercise.number == number, f"{where}: numbered {exercise.number}"
        asks = bool(PREDICT.search(cells[exercise.prompt]))
        assert (exercise.prediction is not None) == asks, (
            f"{where}: a prompt that asks for a prediction has a prediction cell of its own "
            "(and only then)")
        if exercise.prediction is not None:
            assert "course.predict(" in cells[exercise.prediction], where
            assert exercise.prediction_code, f"{where}: the solution makes no prediction"
        assert kinds[exercise.skeleton] == kinds[exercise.check] == "code", where
        assert cells[exercise.skeleton].startswith(f"# Exercise {number}"), where
        assert cells[exercise.check].startswith(f"# Check exercise {number}"), where
        assert "not done yet" in cells[exercise.check], f"{where}: the check never says so"
        check = ast.parse(as_python(cells[exercise.check]))
        assert any(isinstance(n, ast.Assert) for n in ast.walk(check)), f"{where}: no assert"
        assert kinds[exercise.hints] == "markdown", where
        assert tiers(cells[exercise.hints]) == list(TIERS), (
            f"{where}: the hints are not the three tiers {TIERS}, each in its own <details>")
        assert exercise.solution_code.startswith(f"# Exercise {number}"), (
            f"{where}: the solution's code does not replace the skeleton")
    last = found[-1].hints
    assert last == len(cells) - 1 or all(k == "markdown" for k in kinds[last + 1:]), (
        f"{name}: code after the exercises")
    assert not any(re.search(r"^# Solution", text, re.M) for text in cells), (
        f"{name}: a visible solution cell")


def with_solutions(notebook: dict) -> dict:
    """The notebook with each exercise's skeleton replaced by the code of its solution."""
    filled = json.loads(json.dumps(notebook))
    for exercise in exercises(notebook):
        filled["cells"][exercise.skeleton]["source"] = exercise.solution_code
        if exercise.prediction is not None:
            filled["cells"][exercise.prediction]["source"] = exercise.prediction_code
    return filled


def printed(cell: dict) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", [])
                   if output["output_type"] == "stream")


RUNS = [(name, "as shipped") for name in ALL] + [(name, "with solutions") for name in NUMBERED]


@pytest.mark.parametrize(("name", "how"), RUNS)
def test_notebook_runs(name, how, notebook_runs):
    """Every notebook runs from top to bottom in a fresh kernel without an error (in a scratch
    directory, so nothing it writes lands in notebooks/). As shipped, every check cell says
    "not done yet" and fails nothing; with its solutions filled in, every check passes.
    Each run happens once in a test run: test_site builds the course's pages from the shipped
    runs (notebook_runs, in tests/conftest.py)."""
    pytest.importorskip("matplotlib")
    notebook = load(name)
    ran = notebook_runs.run(name, how, with_solutions(notebook) if how == "with solutions"
                            else notebook)
    for exercise in exercises(notebook):
        said = printed(ran["cells"][exercise.check])
        unfinished = "not done yet" in said
        assert unfinished == (how == "as shipped"), (
            f"{name} ({how}), exercise {exercise.number}'s check printed: {said!r}")
        assert not re.search(r"\bhint\s*:", said, re.I), (  # they are folded below, in tiers
            f"{name} ({how}), exercise {exercise.number}'s check gives a hint: {said!r}")
        if how == "with solutions":  # a solution's own prediction is right
            assert "not quite" not in said, f"{name}, exercise {exercise.number}: {said!r}"


def test_a_notebook_run_happens_once_and_is_shared(notebook_runs, tmp_path):
    """notebook_runs executes a notebook the first time a test asks for it (by name and way) and
    hands every later asker the same executed copy; a run that raises fails each asker with its
    error, and is not run again either."""
    nbformat = pytest.importorskip("nbformat")
    runs = type(notebook_runs)(tmp_path / "runs")  # a fresh store, not this test run's
    counting = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "with open('ran', 'a') as log:\n    log.write('x')\nprint('ran')")])
    first, again = (runs.run("counting", "as shipped", counting) for _ in range(2))
    assert printed(first.cells[0]) == printed(again.cells[0]) == "ran\n"
    assert (tmp_path / "runs" / "counting.as-shipped" / "ran").read_text() == "x"
    failing = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "with open('ran', 'a') as log:\n    log.write('x')\n1 / 0")])
    said = r"(?s)failing \(as shipped\): CellExecutionError: An error occurred.*ZeroDivisionError"
    for _ in range(2):
        with pytest.raises(pytest.fail.Exception, match=said):
            runs.run("failing", "as shipped", failing)
    assert (tmp_path / "runs" / "failing.as-shipped" / "ran").read_text() == "x"


# ---- no answer before a try: a solution's numbers stay in its folded tier (issue 21) ----

TRIVIAL_ANSWERS = {0.0, 1.0, 2.0}  # too common in any text to count as a leak
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def constant(node: ast.expr) -> object:
    """The value of an expression made only of literals and arithmetic (1 / 3, -0.55, (2, 4)),
    else None."""
    try:
        tree = ast.Expression(node)
        names = [n for n in ast.walk(tree) if isinstance(n, ast.Name | ast.Call | ast.Attribute)]
        return None if names else eval(compile(tree, "<answer>", "eval"), {"__builtins__": {}})
    except Exception:  # noqa: BLE001 (anything that is not a plain literal is no answer here)
        return None


def blanks(skeleton: str) -> set[str]:
    """The names a skeleton leaves blank: each assigned None."""
    found = set()
    for node in ast.walk(ast.parse(as_python(skeleton))):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and (
                node.value.value is None):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


def answers(exercise: Exercise, cells: list[str]) -> list[object]:
    """What an exercise's solution answers: the guess its `# Predict` block passes to
    course.predict, and each literal its code assigns to one of the skeleton's blanks."""
    found = []
    for node in ast.walk(ast.parse(as_python(exercise.prediction_code or ""))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", "")) == "predict" and len(node.args) == 2:
            found.append(constant(node.args[1]))
    names = blanks(cells[exercise.skeleton])
    for node in ast.walk(ast.parse(as_python(exercise.solution_code or ""))):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in names for t in node.targets):
            found.append(constant(node.value))
    return [a for a in found if isinstance(a, int | float) and not isinstance(a, bool) or (
        isinstance(a, list | tuple) and a and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in a))]


def numbers_in(text: str) -> list[tuple[float, int]]:
    """Each number written in text, with its count of decimals (1,000 is 1000; signs and
    fractions are read as their parts)."""
    found = []
    for match in NUMBER.finditer(text):
        written = match.group().replace(",", "")
        decimals = len(written.split(".")[1].split("e")[0].split("E")[0]) if "." in written else 0
        found.append((float(written), decimals))
    return found


def leaks(answer: object, text: str) -> list[str]:
    """The ways text gives answer away: the number itself, or rounded to 2 decimals or more
    (0.061 for 0.0611), sign aside; a list or pair of numbers, written as one."""
    if isinstance(answer, list | tuple):
        flat = re.sub(r"\s+", "", text)
        return [f"{answer!r}" for form in (list(answer), tuple(answer))
                if re.sub(r"\s+", "", repr(form)) in flat]
    if not isinstance(answer, int | float) or abs(answer) in TRIVIAL_ANSWERS:
        return []
    value = abs(answer)
    return [f"{number:g} for {answer!r}" for number, decimals in numbers_in(text)
            if number == value or (decimals >= 2 and round(value, decimals) == number)]


def hint_tiers(hints: str) -> str:
    """The text of the first two tiers of a hints cell (the nudge and the idea)."""
    opened = re.findall(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", hints, re.S)
    return "\n".join(body for summary, body in opened if summary in TIERS[:2])


@pytest.mark.parametrize("name", NUMBERED)
def test_no_answer_before_the_solution(name):
    """A number the solution answers (its prediction, a literal it fills a blank with) is
    nowhere before the solution's tier: not in the prompt, the prediction cell, the skeleton,
    nor the first two hints (a nudge and an idea point the way; they do not
    say where it ends)."""
    notebook = load(name)
    cells = ["".join(c["source"]) for c in notebook["cells"]]
    found = []
    for exercise in exercises(notebook):
        shown = {"prompt": cells[exercise.prompt], "skeleton": cells[exercise.skeleton],
                 "hints 1 and 2": hint_tiers(cells[exercise.hints])}
        if exercise.prediction is not None:
            shown["prediction cell"] = cells[exercise.prediction]
        found += [f"exercise {exercise.number}, {where}: {leak}" for answer in answers(
            exercise, cells) for where, text in shown.items() for leak in leaks(answer, text)]
    assert not found, f"{name}: {found}"


@pytest.mark.parametrize("name", NUMBERED)
def test_no_answer_in_a_shipped_check(name, notebook_runs):
    """As shipped, no check prints a number its solution answers (shared run, as in
    test_notebook_runs)."""
    pytest.importorskip("matplotlib")
    notebook = load(name)
    cells = ["".join(c["source"]) for c in notebook["cells"]]
    ran = notebook_runs.run(name, "as shipped", notebook)
    found = [f"exercise {exercise.number}: {leak}" for exercise in exercises(notebook)
             for answer in answers(exercise, cells)
             for leak in leaks(answer, printed(ran["cells"][exercise.check]))]
    assert not found, f"{name}: {found}"


def test_the_leak_finder_reads_numbers_sensibly():
    """leaks() finds an answer written as itself, rounded, with a thousands comma, or as a list;
    and not a number that merely starts the same, nor the trivial 0, 1 and 2."""
    assert leaks(0.0611, "about 0.061, five times") and leaks(1000, "around 1,000 samples")
    assert leaks(20, "it keeps 20 numbers") and leaks([1, 4], "the rows [1, 4] are zero")
    assert leaks(0.0611, "rounded: 0.06") and not leaks(0.0611, "0.1 and 0.07")
    assert not leaks(20, "a batch of 200 or 2.5") and not leaks(2, "2 inputs")
    assert answers(Exercise(1, 0, 1, 2, 3, 4, "# Exercise 1\nedge = 1 / 3\nb = x + 5\n",
                            "# Predict (exercise 1)\ncourse.predict('exercise 1', 20)\n"),
                   ["", "", "edge = None\nb = None\n"]) == [20, 1 / 3]


@pytest.mark.parametrize("name", COURSE)
def test_notebook_checks_its_claims(name):
    """Outside the exercises too, code cells assert what the text claims (not just print it)."""
    asserts = sum(isinstance(n, ast.Assert) for tree in all_trees(name) for n in ast.walk(tree))
    assert asserts >= 8, f"{name}: only {asserts} asserts"


# ---- the README's figures (scripts/figures.py, run by `make figures`) ----

ROOT = NOTEBOOKS.parent
IMAGES = ROOT / "docs" / "images"


def load_figures_script():
    """scripts/figures.py as a module (scripts/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_images_are_committed():
    """docs/images holds the graph SVG (with hover equations) and the decision-region PNG."""
    svg = (IMAGES / "neuron_graph.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    assert ("∂y/∂w[1] = ∂y/∂(w[1] * x_1) · ∂(w[1] * x_1)/∂w[1] = 0.5000 × 2.0000 = 1.0000"
            in svg)  # a node's tooltip
    png = (IMAGES / "moons_decision_regions.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_committed_graph_is_what_the_figures_script_draws():
    """Every tooltip of figures.neuron_graph() is in the committed SVG (so it is not stale)."""
    import html

    pytest.importorskip("matplotlib")
    source = load_figures_script().neuron_graph().source
    tooltips = re.findall(r'tooltip="((?:[^"\\]|\\.)*)"', source)
    svg = (IMAGES / "neuron_graph.svg").read_text(encoding="utf-8")
    titles = {html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)}
    assert len(tooltips) > 15  # every Value and every edge of the neuron
    missing = [t for t in tooltips if t.replace("\\n", "\n") not in titles]
    assert not missing, f"docs/images/neuron_graph.svg is stale (run make figures): {missing[:3]}"
