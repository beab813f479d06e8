"""The package around the engine: its version, what `import autograd` pulls in, the warning about
HIPS autograd (which shares the import name), and the packaging metadata in setup.cfg."""

import ast
import configparser
import os
import re
import subprocess
import sys
import warnings
from importlib import metadata
from pathlib import Path

import pytest

import autograd
from autograd import _conflict

ROOT = Path(__file__).resolve().parents[1]


def setup_cfg() -> configparser.ConfigParser:
    """The repository's setup.cfg, parsed."""
    parser = configparser.ConfigParser()
    assert parser.read(ROOT / "setup.cfg"), "setup.cfg is missing"
    return parser


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter (this one's), from outside the repository."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path.home() if Path.home().exists() else "/",
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def test_version_is_a_release_string():
    """autograd.__version__ is a str like "0.1.0" (PEP 440 release, optionally pre/dev)."""
    assert isinstance(autograd.__version__, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", autograd.__version__)


def test_setup_cfg_reads_the_version_from_autograd():
    """setup.cfg reads `attr: autograd.__version__`: a literal that setuptools reads statically."""
    source = setup_cfg()["metadata"]["version"].strip()
    if not source.startswith("attr:"):  # a literal version must then be the same string
        assert source == autograd.__version__
        return
    assert source.removeprefix("attr:").strip() == "autograd.__version__"
    tree = ast.parse((ROOT / "autograd" / "__init__.py").read_text(encoding="utf-8"))
    literals = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
        and isinstance(node.value, ast.Constant)
    ]
    assert literals == [autograd.__version__]


def test_import_autograd_needs_only_the_standard_library():
    """`import autograd` in a fresh interpreter imports neither graphviz nor numpy nor torch."""
    heavy = ("graphviz", "numpy", "torch", "matplotlib")
    code = (
        "import sys, autograd\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))\n"
        "print(autograd.__file__)"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    loaded, location = result.stdout.splitlines()
    assert loaded == "", f"import autograd also imported: {loaded}"
    assert Path(location).resolve().parent == ROOT / "autograd"  # the code under test


def test_conflict_warning_fires_when_a_distribution_called_autograd_is_found(monkeypatch):
    """importlib.metadata finding a distribution "autograd" (HIPS autograd) gives one warning."""
    asked = []

    def distribution(name):
        asked.append(name)
        return object()

    monkeypatch.setattr(metadata, "distribution", distribution)
    with pytest.warns(RuntimeWarning) as record:
        _conflict.warn_if_hips_autograd_installed()
    assert asked == ["autograd"]
    assert len(record) == 1
    message = str(record[0].message)
    assert "HIPS autograd" in message and "overwrite" in message
    assert "virtual environment" in message and "pip uninstall autograd" in message


def test_conflict_warning_is_silent_without_hips_autograd(monkeypatch):
    """No distribution called "autograd": no warning at all."""

    def distribution(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", distribution)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _conflict.warn_if_hips_autograd_installed()


def test_conflict_warning_on_import_with_hips_autograd_metadata(tmp_path):
    """A real `autograd` dist-info on sys.path: `import autograd` warns, exactly once."""
    dist_info = tmp_path / "autograd-1.6.2.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.6.2\n")
    code = "import warnings; warnings.simplefilter('always'); import autograd; import autograd"
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    result = run_python(code, PYTHONPATH=path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("RuntimeWarning") == 1, result.stderr
    assert "HIPS autograd" in result.stderr


def test_no_conflict_warning_on_a_plain_import():
    """In this environment (no HIPS autograd), `import autograd` prints no warning."""
    if any(d.metadata["Name"] == "autograd" for d in metadata.distributions()):
        pytest.skip("HIPS autograd is installed here: the warning is expected")
    result = run_python("import warnings; warnings.simplefilter('error'); import autograd")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_setup_cfg_lists_the_packages_and_python_version():
    """setup.cfg: distribution chainrule, autograd and nn with every subpackage (found, so that
    autograd.draw and nn.cli can never be left out of the wheel), Python >= 3.10, the MIT
    license file, py.typed in both packages, a classifier for each supported Python."""
    cfg = setup_cfg()
    assert cfg["metadata"]["name"] == "chainrule"
    assert cfg["options"]["packages"].strip() == "find:"
    include = cfg["options.packages.find"]["include"].split()
    assert include == ["autograd", "autograd.*", "nn", "nn.*"]
    assert cfg["options"]["python_requires"].replace(" ", "") == ">=3.10"
    assert cfg["metadata"]["license"] == "MIT" and (ROOT / "LICENSE").is_file()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in cfg["metadata"]["classifiers"]
    assert (ROOT / "autograd" / "py.typed").exists() and (ROOT / "nn" / "py.typed").exists()


def test_the_notebooks_extra_runs_every_notebook():
    """pip install 'chainrule[notebooks]' brings what every notebook imports (notebook 08
    trains on scikit-learn's digits)."""
    extra = setup_cfg()["options.extras_require"]["notebooks"]
    for package in ("jupyter", "ipywidgets", "matplotlib", "scikit-learn"):
        assert package in extra


def test_pyproject_holds_only_the_build_system():
    """pyproject.toml has [build-system] and nothing else: all metadata lives in setup.cfg."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert list(pyproject) == ["build-system"]
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"


def test_import_autograd_loads_neither_drawing_nor_the_compiler():
    """The rooms autograd.draw and autograd.compiler load on first use, not with the engine."""
    code = ("import sys, autograd; loaded = [m for m in sys.modules "
            "if m.startswith(('autograd.draw', 'autograd.compiler'))]; print(loaded); "
            "autograd.draw_graph; autograd.compile; "
            "print(sorted(m for m in sys.modules if m in ('autograd.draw', 'autograd.compiler')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.splitlines() == ["[]", "['autograd.compiler', 'autograd.draw']"]


def _imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports anywhere in it (a function-level import counts):
    `from autograd import ops` imports the module autograd.ops, `from autograd import Value`
    the package autograd itself."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found & modules


def test_no_module_imports_one_that_imports_it_back():
    """The import graph of autograd and nn has no cycle (a package's __init__ is its own node;
    that Python imports a package before its modules is not counted)."""
    files = {}
    for package in ("autograd", "nn"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    graph = {name: _imported_modules(path, set(files)) - {name} for name, path in files.items()}
    state: dict[str, str] = {}

    def visit(start: str) -> None:  # an iterative depth-first search for a back edge
        stack = [(start, iter(sorted(graph[start])))]
        state[start] = "open"
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[name] = "done"
                stack.pop()
            elif state.get(child) == "open":
                path = [n for n, _ in stack]
                cycle = path[path.index(child):] + [child]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            elif child not in state:
                state[child] = "open"
                stack.append((child, iter(sorted(graph[child]))))

    for name in sorted(graph):
        if name not in state:
            visit(name)
