"""`chainrule train` end to end, in a temporary directory: files written, PNGs non-empty, the
report printed, exit status 2 for bad arguments and for an --out (or any file in it) that
cannot be written, before training."""

import csv
import os
import subprocess
import sys

import pytest

import nn
from nn.cli import build_parser, main

pytest.importorskip("matplotlib", reason="chainrule train draws its plots with matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SMALL = ["--samples", "40", "--hidden", "4", "--steps", "15", "--no-progress"]


def train(tmp_path, *args):
    return main(["train", *args, "--out", str(tmp_path / "run")])


def assert_png(path):
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 1000, path


def test_small_job_writes_model_history_and_plots(tmp_path, capsys):
    """model.json (loadable), history.csv (a row per step), loss.png and boundary.png."""
    assert train(tmp_path, *SMALL) == 0
    out = tmp_path / "run"
    assert sorted(p.name for p in out.iterdir()) == [
        "boundary.png", "history.csv", "loss.png", "model.json"]
    assert_png(out / "loss.png")
    assert_png(out / "boundary.png")
    model = nn.load(out / "model.json")
    assert repr(model) == "MLP(2, [4, 2], activation='tanh', output='softmax')"
    with open(out / "history.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 15 and rows[-1]["step"] == "15" and rows[-1]["accuracy"]
    printed = capsys.readouterr().out
    assert "final loss" in printed and "stopped after 15 steps" in printed
    assert "accuracy: train" in printed and "test" in printed and str(out) in printed


def test_default_job_reaches_97_percent_test_accuracy(tmp_path, capsys):
    """The default job (moons, 16 16 tanh, softmax, kl, batch, lr 0.5, 300 steps,
    seed 0) reaches at least 97% test accuracy; the saved model agrees. It runs with --compile
    (as `make demo` does), which trains on the same numbers in a fraction of the time (test_compile
    checks that the compiled and dynamic runs write the same history)."""
    assert train(tmp_path, "--no-progress", "--compile") == 0
    printed = capsys.readouterr().out
    assert "batch mode, compiled)" in printed and "stopped after 300 steps" in printed
    line = next(text for text in printed.splitlines() if text.startswith("accuracy:"))
    test_accuracy = float(line.split("test ")[1].rstrip("%")) / 100
    assert test_accuracy >= 0.97
    X, D = nn.datasets.moons(200, seed=0)
    _, X_test, _, D_test = nn.train_test_split(X, D, 0.25, seed=0)
    model = nn.load(tmp_path / "run" / "model.json")
    assert nn.accuracy(model, X_test, D_test) == pytest.approx(test_accuracy, abs=5e-4)


def test_line_regression_job_draws_the_fit(tmp_path, capsys):
    """--data line with a linear output and l2 writes fit.png and prints the fitted weights."""
    assert train(tmp_path, "--data", "line", "--hidden", "--output", "linear", "--divergence",
                 "l2", "--lr", "0.5", "--steps", "200", "--no-progress") == 0
    assert_png(tmp_path / "run" / "fit.png")
    printed = capsys.readouterr().out
    assert "test loss" in printed
    model = nn.load(tmp_path / "run" / "model.json")  # line data: slope 2, intercept -1
    assert [p.data for p in model.parameters()] == pytest.approx([2.0, -1.0], abs=0.05)
    assert f"layers.0.neurons.0.w.0 = {model.parameters()[0].data:.4g}" in printed


@pytest.mark.parametrize("args", [
    ["--divergence", "bce", "--output", "sigmoid"],
    ["--divergence", "hinge", "--output", "linear", "--activation", "relu"],
    ["--divergence", "cross_entropy", "--data", "spiral", "--classes", "3"],
    ["--divergence", "l2", "--output", "sigmoid", "--data", "blobs"],
    ["--mode", "minibatch", "--batch-size", "8", "--schedule", "linear", "--momentum", "0.5"],
    ["--mode", "sgd", "--data", "circles", "--tol", "0"],
])
def test_every_divergence_and_mode_runs(tmp_path, args):
    """Each divergence with its output layer, and each mode, runs to exit status 0."""
    assert train(tmp_path, *SMALL, "--steps", "5", *args) == 0
    assert_png(tmp_path / "run" / "boundary.png")


def choices(option: str) -> list:
    """The choices `chainrule train` offers for option."""
    parser = build_parser().parse_args(["train"]).train_parser
    return next(action.choices for action in parser._actions if option in action.option_strings)


def test_the_choices_come_from_nns_records():
    """--divergence offers nn.DIVERGENCES; --activation and --output nn.activations() (any op
    of one input, such as sin), --activation without softmax."""
    assert choices("--divergence") == list(nn.DIVERGENCES)
    assert choices("--output") == nn.activations()
    assert choices("--activation") == [a for a in nn.activations() if a != "softmax"]
    assert "sin" in choices("--activation")


def test_an_op_row_such_as_sin_trains_from_the_command_line(tmp_path):
    """--activation sin: hidden layers of sin neurons, saved by name."""
    assert train(tmp_path, *SMALL, "--steps", "3", "--activation", "sin") == 0
    assert nn.load(tmp_path / "run" / "model.json").activation == "sin"


@pytest.mark.parametrize("args, message", [
    (["--data", "mnist"], "invalid choice: 'mnist'"),
    (["--lr", "-1"], "argument --lr: lr must be a finite number with 0 < lr, got -1.0"),
    (["--lr", "fast"], "lr must be a number, got 'fast'"),
    (["--hidden", "0"], "hidden width must be a whole number with 1 <= hidden width, got 0"),
    (["--steps", "1.5"], "max_steps must be a whole number, got '1.5'"),
    (["--momentum", "1"], "0 <= momentum < 1"),
    (["--test-fraction", "1"], "0 < test_fraction < 1"),
    (["--lr", "nan"], "lr must be a finite number"),
    (["--output", "linear"], "--divergence kl needs --output softmax"),
    (["--divergence", "bce"], "--divergence bce needs --output sigmoid"),
    (["--divergence", "hinge", "--output", "linear", "--data", "spiral"], "two classes"),
    (["--data", "line"], "--data line is regression"),
    (["--mode", "minibatch"], "--mode minibatch needs --batch-size"),
    (["--batch-size", "4"], "--batch-size is for --mode minibatch"),
    (["--mode", "minibatch", "--batch-size", "500"], "larger than the 150 training samples"),
    (["--samples", "2"], "at least 4 samples"),
    (["--noise", "1e308"], "noise must be a finite number with 0 <= noise <= 100"),  # P
    (["--samples", "100000000"], "samples must be a whole number with 1 <= samples <= 1e+06"),
])
def test_bad_arguments_are_usage_errors_with_exit_status_2(tmp_path, capsys, args, message):
    """argparse's usage error, exit 2, for bad values and for options that do not fit."""
    with pytest.raises(SystemExit) as stop:
        train(tmp_path, *args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: chainrule train") and message in err
    assert not (tmp_path / "run").exists()


def test_unwritable_out_is_a_one_line_error_before_training(tmp_path, capsys):
    """An --out under a regular file: exit 2, one line naming --out, nothing trained."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    status = main(["train", *SMALL, "--out", str(blocker / "run")])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("chainrule train: error: cannot write to --out")


LINE = ["--data", "line", "--hidden", "--output", "linear", "--divergence", "l2"]


def assert_refused_before_training(capsys, status, out, message):
    """Exit 2, one line on stderr starting as the --out error and containing message, nothing
    printed on stdout (training prints its first line before anything else)."""
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"chainrule train: error: cannot write to --out {out!r}: ")
    assert message in captured.err


@pytest.mark.parametrize("args, name", [
    ([], "model.json"),
    ([], "history.csv"),
    ([], "loss.png"),
    ([], "boundary.png"),
    (LINE, "fit.png"),
    (["--data", "digits"], "mistakes.png"),
])
def test_an_output_file_that_is_a_directory_is_refused_before_training(tmp_path, capsys, args,
                                                                        name):
    """DIR/model.json (or any other file the job writes) being a directory: exit 2 and a
    one-line error naming it, before training, and nothing is written."""
    if "digits" in args:
        pytest.importorskip("sklearn.datasets", reason="--data digits needs scikit-learn")
    out = tmp_path / "run"
    (out / name).mkdir(parents=True)
    status = main(["train", *SMALL, *args, "--out", str(out)])
    assert_refused_before_training(capsys, status, str(out),
                                   f"{out / name} is a directory, not a file")
    assert [p.name for p in out.iterdir()] == [name]


def test_an_out_that_is_a_file_is_refused_before_training(tmp_path, capsys):
    """--out naming an existing regular file: exit 2, 'it is a file', the file untouched."""
    out = tmp_path / "run"
    out.write_text("keep me")
    status = main(["train", *SMALL, "--out", str(out)])
    assert_refused_before_training(capsys, status, str(out), "it is a file, not a directory")
    assert out.read_text() == "keep me"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind the user (root ignores them)")
@pytest.mark.parametrize("read_only", ["directory", "loss.png"])
def test_an_unwritable_out_or_output_file_is_refused_before_training(tmp_path, capsys,
                                                                     read_only):
    """A read-only --out directory, or a read-only loss.png in it: exit 2 before training."""
    out = tmp_path / "run"
    out.mkdir()
    target = out if read_only == "directory" else out / read_only
    if read_only != "directory":
        target.write_bytes(b"old")
    target.chmod(0o500 if read_only == "directory" else 0o400)
    try:
        status = main(["train", *SMALL, "--out", str(out)])
    finally:
        target.chmod(0o700)
    message = "Permission denied" if read_only == "directory" else f"{target} is read-only"
    assert_refused_before_training(capsys, status, str(out), message)


def test_plots_use_the_agg_backend(tmp_path):
    """The command switches matplotlib to Agg (no display needed)."""
    import matplotlib

    assert train(tmp_path, *SMALL, "--steps", "2") == 0
    assert matplotlib.get_backend().lower() == "agg"


def test_python_dash_m_nn_exit_status_in_a_subprocess(tmp_path):
    """`python -m nn train` with a bad argument: status 2, a usage error, no traceback."""
    result = subprocess.run([sys.executable, "-m", "nn", "train", "--lr", "-1", "--out",
                             str(tmp_path / "run")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists()
    helped = subprocess.run([sys.executable, "-m", "nn", "train", "--help"],
                            capture_output=True, text=True)
    assert helped.returncode == 0 and "Exit status: 0 when done; 2 for bad" in helped.stdout


def test_a_diverging_run_is_reported_not_failed(tmp_path, capsys):
    """--lr 1000 underflows a softmax output: the run stops as diverged and says so (exit 0),
    instead of 'training failed'."""
    assert train(tmp_path, *SMALL, "--lr", "1000") == 0
    captured = capsys.readouterr()
    assert "a probability underflowed to 0.0 at step" in captured.out
    assert "try a smaller lr" in captured.out and "training failed" not in captured.err


def test_a_network_regression_does_not_print_its_weights(tmp_path, capsys):
    """--data line with hidden layers (many weights): no 'fitted weights' line; at most
    MOST_PRINTED parameters (a slope and intercept) are printed."""
    from nn.cli.train_job import MOST_PRINTED

    assert MOST_PRINTED == 10
    assert train(tmp_path, "--data", "line", "--output", "linear", "--divergence", "l2",
                 *SMALL) == 0
    printed = capsys.readouterr().out
    assert "test loss" in printed and "fitted weights" not in printed
