"""The command line's errors are for people: one usage line, the error, and a hint ("did you
mean" for a mistyped choice, `--` before an expression that starts with -, ** for powers); and
`chainrule train` without plots (--no-plots, or no matplotlib) still trains and says so."""

import argparse
import re
import sys

import pytest

from nn.cli import main

SMALL = ["--samples", "40", "--hidden", "4", "--steps", "3", "--no-progress"]


def refused(capsys, *argv: str) -> list[str]:
    """Run chainrule with argv, expecting a usage error (status 2); its stderr lines."""
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()


@pytest.mark.parametrize("argv, meant", [
    (["train", "--activation", "tahn"], "tanh"),
    (["train", "--data", "moon"], "moons"),
    (["train", "--divergence", "cross_entropi"], "cross_entropy"),
    (["train", "--mode", "bacth"], "batch"),
    (["train", "--output", "softmx"], "softmax"),
    (["train", "--schedule", "exponental"], "exponential"),
    (["graph", "x", "x=1", "--rankdir", "RL_"], "RL"),
    (["trian"], "train"),
], ids=lambda item: item if isinstance(item, str) else " ".join(item))
def test_a_mistyped_choice_gets_did_you_mean(capsys, argv, meant):
    """Three lines: one usage line, argparse's error, "did you mean '...'?"."""
    usage, error, hint = refused(capsys, *argv)
    prog = "chainrule" if len(argv) == 1 else f"chainrule {argv[0]}"
    assert usage.startswith(f"usage: {prog} ") and usage.endswith(f"({prog} --help lists them all)")
    assert error.startswith(f"{prog}: error: argument") and "invalid choice" in error
    assert hint == f"did you mean {meant!r}?"


def test_a_choice_like_none_gets_no_guess(capsys):
    """Nothing close: the usage line and the error only."""
    assert len(refused(capsys, "train", "--activation", "zzzzzz")) == 2


def test_an_expression_starting_with_minus_gets_the_dash_dash_hint(capsys):
    """`chainrule graph "-x*w" x=2 w=3`: argparse takes -x*w for an option; the hint says to
    put the expression after --."""
    usage, error, hint = refused(capsys, "graph", "-x*w", "x=2", "w=3")
    assert usage.startswith("usage: chainrule graph ")
    assert error == "chainrule graph: error: unrecognized arguments: -x*w"
    assert hint == ('an expression that starts with - goes after --, as in: '
                    'chainrule graph -- "-x*w" x=2 w=3')
    assert refused(capsys, "graph", "-x*w")[-1].endswith('chainrule graph -- "-x*w" x=2 w=3')


def test_caret_says_to_use_double_star(tmp_path, capsys):
    """x^2 is refused with "use ** for powers", status 2, nothing written."""
    assert main(["graph", "x^2", "x=2", "-o", str(tmp_path / "g.svg")]) == 2
    assert capsys.readouterr().err.strip() == (
        "chainrule graph: error: ^ at column 1 is not a power here: use ** for powers, "
        "as in x**2")
    assert not (tmp_path / "g.svg").exists()


def test_every_usage_error_is_one_usage_line(capsys):
    """A job's own check (options that do not fit) too: usage, error, nothing more."""
    lines = refused(capsys, "train", "--mode", "minibatch")
    assert lines == ["usage: chainrule train [OPTIONS]   (chainrule train --help lists them all)",
                     "chainrule train: error: --mode minibatch needs --batch-size"]


def test_no_plots_trains_and_writes_the_model_and_history_only(tmp_path, capsys):
    """--no-plots: model.json and history.csv, no PNG, no note about matplotlib."""
    assert main(["train", *SMALL, "--no-plots", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "model.json"]
    printed = capsys.readouterr().out
    assert f"wrote model.json, history.csv to {tmp_path}" in printed
    assert "matplotlib" not in printed


def test_without_matplotlib_training_runs_and_says_which_plots_it_skipped(
        tmp_path, capsys, monkeypatch):
    """No matplotlib (import fails): training runs, status 0, and a line names the plots left
    out and how to get them."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises
    assert main(["train", *SMALL, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "model.json"]
    assert ("skipped loss.png and boundary.png: they need matplotlib (pip install "
            "'chainrule[plots]'); --no-plots leaves them out without this note"
            ) in capsys.readouterr().out


def _subcommands() -> dict:
    from nn.cli import build_parser

    commands = next(action for action in build_parser()._actions
                    if isinstance(action, argparse._SubParsersAction))
    return dict(commands.choices)


@pytest.mark.parametrize("command", ["train", "graph", "course"])
def test_every_option_says_what_it_does_in_words(command):
    """--help: every option and argument has a help text, none names a Python parameter
    (max_steps, batch_size), and the text after the options begins a sentence."""
    parser = _subcommands()[command]
    for action in parser._actions:
        assert action.help, f"chainrule {command}: {action.option_strings or action.dest}"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b(?!\()", action.help.replace(
            "cross_entropy", "")), f"chainrule {command}: a code name in {action.help!r}"
    epilog = (parser.epilog or "").lstrip()
    assert not epilog or epilog[0].isupper(), f"chainrule {command}'s epilog: {epilog[:40]!r}"


@pytest.mark.parametrize("command", ["train", "graph", "course"])
def test_help_fits_the_terminal(command, monkeypatch):
    """chainrule COMMAND --help in an 80-column terminal: no line past it (paragraphs are filled
    to the width, example commands kept as written, within 80)."""
    monkeypatch.setenv("COLUMNS", "80")
    text = _subcommands()[command].format_help()
    too_long = [line for line in text.splitlines() if len(line) > 80]
    assert not too_long, too_long
