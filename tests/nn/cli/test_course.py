"""`chainrule course`: the notebooks into a folder without overwriting a learner's copy, the
messages it gives, and the whole path from a built wheel in a fresh venv to a notebook that runs."""

import json
import os
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from nn.cli import main
from nn.course_files import RECORD, SHIPPED, sha256, shipped, write_course

ROOT = Path(__file__).resolve().parents[3]


def test_the_package_ships_every_notebook_and_figure_of_the_repository():
    """nn/course-notebooks is notebooks/ (through a link): every notebook and every figure."""
    names = shipped()
    assert [n for n in names if n.endswith(".ipynb")] == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(n for n in names if n.startswith("images/")) == sorted(
        "images/" + p.name for p in (ROOT / "docs" / "images").iterdir())
    assert SHIPPED.resolve() == (ROOT / "notebooks").resolve()


def test_a_fresh_folder_gets_every_file_and_a_second_run_changes_nothing(tmp_path):
    """First run: everything written, byte for byte; second run: all up to date."""
    first = write_course(tmp_path / "course")
    assert first.written == list(shipped()) and not first.kept
    for name, source in shipped().items():
        assert (tmp_path / "course" / name).read_bytes() == source.read_bytes()
    second = write_course(tmp_path / "course")
    assert second.unchanged == list(shipped()) and not (second.written or second.kept)


def test_an_edited_copy_is_left_alone_and_force_overwrites_it(tmp_path):
    """A changed notebook is kept (and named), the others are written; --force overwrites."""
    write_course(tmp_path)
    edited = tmp_path / "00_quickstart.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8") + " ", encoding="utf-8")
    (tmp_path / "01_activations_and_softmax.ipynb").unlink()
    again = write_course(tmp_path)
    assert again.kept == ["00_quickstart.ipynb"]
    assert again.written == ["01_activations_and_softmax.ipynb"]
    assert edited.read_text(encoding="utf-8").endswith(" ")
    forced = write_course(tmp_path, force=True)
    assert forced.written == ["00_quickstart.ipynb"] and not forced.kept
    assert edited.read_bytes() == shipped()["00_quickstart.ipynb"].read_bytes()


def test_an_untouched_copy_from_an_older_version_is_refreshed(tmp_path):
    """A file that still has the hash recorded when it was written (an older shipped version,
    never changed by the learner) is brought up to date; the record follows."""
    write_course(tmp_path)
    old = tmp_path / "03_chain_rule.ipynb"
    old.write_text('{"an": "older version"}', encoding="utf-8")
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    record[old.name] = sha256(old.read_bytes())
    (tmp_path / RECORD).write_text(json.dumps(record), encoding="utf-8")
    report = write_course(tmp_path)
    assert report.refreshed == [old.name] and not report.kept
    assert old.read_bytes() == shipped()[old.name].read_bytes()
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert record[old.name] == sha256(old.read_bytes())


def test_the_command_says_what_it_left_alone_and_how_to_open(tmp_path, capsys, monkeypatch):
    """The report names the kept file and ends with two lines on how to open the notebooks."""
    monkeypatch.chdir(tmp_path)
    assert main(["course"]) == 0
    assert (tmp_path / "chainrule-course" / "00_quickstart.ipynb").is_file()  # the default DIR
    notebook = tmp_path / "chainrule-course" / "02_outputs_and_divergences.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert main(["course"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("chainrule course: wrote 0 files into chainrule-course;")
    assert lines[1] == ("left alone, as you have changed them (--force overwrites): "
                        "02_outputs_and_divergences.ipynb")
    assert lines[2].startswith("Open them:  cd chainrule-course && jupyter lab")
    assert lines[3].startswith("No Jupyter?  pip install 'chainrule[notebooks]'")
    assert len(lines) == 4


def test_open_without_jupyterlab_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    """--open with no JupyterLab: the notebooks are written, then a clear message, status 1."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    assert main(["course", str(tmp_path), "--open"]) == 1
    error = capsys.readouterr().err
    assert "JupyterLab is not installed: pip install 'chainrule[notebooks]'" in error
    assert (tmp_path / "00_quickstart.ipynb").is_file()


def test_open_starts_jupyterlab_in_the_folder(tmp_path, monkeypatch):
    """--open runs `python -m jupyterlab` in DIR (here a stand-in that records the call)."""
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda command, cwd: calls.append((command, cwd)))
    main(["course", str(tmp_path), "--open"])
    [(command, cwd)] = calls
    assert command[:3] == [sys.executable, "-m", "jupyterlab"] and cwd == tmp_path
    assert command[3:] == (["--allow-root"] if os.geteuid() == 0 else [])


def test_open_really_serves_the_folder(tmp_path):
    """`chainrule course DIR --open` starts a real JupyterLab (root or not) that serves DIR;
    stopped as soon as it says so."""
    pytest.importorskip("jupyterlab")
    environment = {**os.environ, "BROWSER": "true", "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
                   "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    lab = subprocess.Popen([sys.executable, "-m", "nn", "course", str(tmp_path / "course"),
                            "--open"], env=environment, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    said = []
    try:
        for line in lab.stdout:
            said.append(line)
            if "http://" in line or "Use --allow-root" in line:
                break
    finally:
        os.killpg(lab.pid, signal.SIGTERM)  # chainrule and the JupyterLab it started
        lab.wait(timeout=30)
    text = "".join(said)
    assert "http://" in text, text
    assert f"Serving notebooks from local directory: {tmp_path / 'course'}" in text, text


def test_the_site_without_its_tools_says_how_to_get_them(tmp_path, capsys, monkeypatch):
    """--site without nbconvert: a message naming it and the extra, status 1, nothing built."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nbconvert" else real(name, *a))
    assert main(["course", "--site", str(tmp_path / "site")]) == 1
    assert "the site needs nbconvert: pip install 'chainrule[notebooks]'" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_an_unwritable_folder_is_a_one_line_error(tmp_path, capsys):
    """DIR is a file: one line saying so, status 1."""
    (tmp_path / "taken").write_text("", encoding="utf-8")
    assert main(["course", str(tmp_path / "taken")]) == 1
    assert capsys.readouterr().err.startswith("chainrule course: error: cannot write to")


# ---- from the wheel: what a learner who runs `pip install chainrule` gets ----

RUN_ONE_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
notebook.cells.append(nbformat.v4.new_code_cell("import nn; print(nn.__file__)"))
NotebookClient(notebook, timeout=300, kernel_name="python3", shutdown_kernel="immediate",
               resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}
               ).execute()
print(notebook.cells[-1].outputs[0]["text"].strip())
"""


@pytest.mark.needs_dot
def test_the_wheel_in_a_fresh_venv_writes_the_course_and_runs_a_notebook(tmp_path):
    """Build the wheel, install it (no deps) into a new venv that borrows this environment's
    packages (a .pth line: no network, no second copy, and not this environment's editable
    chainrule), run `chainrule course DIR` from elsewhere, execute notebook 00 from DIR with the
    installed package; then a second run leaves an edited notebook alone and says so."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                    str(tmp_path / "dist"), str(ROOT)], check=True, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
    # a plain path line: this environment's packages, without running its .pth files (one of
    # which would put the repository's chainrule, installed editable, on the path)
    (site_packages / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)

    def course(*arguments: str) -> str:
        done = subprocess.run([venv / "bin" / "chainrule", "course", "learner", *arguments],
                              capture_output=True, text=True, cwd=tmp_path, env=env,
                              timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert course().startswith(f"chainrule course: wrote {len(shipped())} files into learner")
    ran = subprocess.run([python, "-c", RUN_ONE_NOTEBOOK, "learner/00_quickstart.ipynb"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
                         check=False)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert Path(ran.stdout.splitlines()[-1]).is_relative_to(site_packages)  # the wheel's nn
    edited = tmp_path / "learner" / "01_activations_and_softmax.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("softmax", "soft max"),
                      encoding="utf-8")
    again = course()
    assert "left alone, as you have changed them (--force overwrites): "\
           "01_activations_and_softmax.ipynb" in again
    assert "soft max" in edited.read_text(encoding="utf-8")


def test_the_site_is_built_from_the_shipped_notebooks(tmp_path, capsys, monkeypatch):
    """--site runs the shipped notebooks (here one tiny stand-in) in a scratch folder and writes
    their pages and the index with nn.course_site, the code `make site` runs."""
    import nbformat

    import nn.course_files

    shipped_here = tmp_path / "shipped"
    shipped_here.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A tiny course\n\nWith $x^2$."),
        nbformat.v4.new_code_cell("open('made-here.txt', 'w').write('x'); print(6 * 7)")])
    nbformat.write(notebook, shipped_here / "00_tiny.ipynb")
    monkeypatch.setattr(nn.course_files, "SHIPPED", shipped_here)
    assert main(["course", "--site", str(tmp_path / "site")]) == 0
    assert "wrote 1 pages and index.html to" in capsys.readouterr().out
    page = (tmp_path / "site" / "00_tiny.html").read_text(encoding="utf-8")
    assert "42" in page and "<math" in page
    assert "A tiny course" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert not (shipped_here / "made-here.txt").exists()  # the notebooks ran elsewhere


def test_the_lines_on_how_to_open_can_be_pasted_into_a_shell(tmp_path, capsys, monkeypatch):
    """A folder name with a space is quoted in the `cd ...` line."""
    monkeypatch.chdir(tmp_path)
    assert main(["course", "my course"]) == 0
    assert "Open them:  cd 'my course' && jupyter lab" in capsys.readouterr().out
