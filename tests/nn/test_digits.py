"""nn.datasets.digits(): scikit-learn's bundled 8×8 digits as plain lists, offline; the error
without scikit-learn; a short compiled training run on a subset; `chainrule train --data digits`."""

from __future__ import annotations

import builtins
import socket
import sys

import pytest

import nn
from nn import datasets

sklearn_datasets = pytest.importorskip("sklearn.datasets", reason="digits() needs scikit-learn")


@pytest.fixture(scope="module")
def digits():
    return datasets.digits()


def test_digits_are_1797_lists_of_64_pixels_in_0_1_and_class_indices(digits):
    """X: 1,797 lists of 64 floats, each a count 0..16 divided by 16; D: ints 0..9."""
    X, D = digits
    assert len(X) == len(D) == 1797
    assert all(type(x) is list and len(x) == 64 for x in X)
    assert all(type(v) is float and 0.0 <= v <= 1.0 and (v * 16).is_integer()
               for x in X for v in x)
    assert all(type(d) is int for d in D)
    assert [D.count(c) for c in range(10)] == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_are_scikit_learns_images_divided_by_16(digits):
    """Without a seed, the samples come in scikit-learn's order, pixel for pixel."""
    X, D = digits
    bunch = sklearn_datasets.load_digits()
    assert X[0] == [v / 16 for v in bunch.data[0].tolist()] and D[:5] == [0, 1, 2, 3, 4]
    assert [[v / 16 for v in row] for row in bunch.data.tolist()] == X
    assert bunch.target.tolist() == D


def test_a_seed_shuffles_and_n_takes_the_first_n(digits):
    """seed shuffles with random.Random(seed) (the same pairs, a new order); n keeps n."""
    X, D = digits
    X4, D4 = datasets.digits(seed=4)
    assert datasets.digits(seed=4) == (X4, D4) and X4 != X
    assert sorted(map(tuple, X4)) == sorted(map(tuple, X))
    pairs = {tuple(x): d for x, d in zip(X, D)}
    assert all(pairs[tuple(x)] == d for x, d in zip(X4, D4))
    X10, D10 = datasets.digits(10, seed=4)
    assert X4[:10] == X10 and D4[:10] == D10
    assert datasets.digits(3) == (X[:3], D[:3])


@pytest.mark.parametrize("n, message", [(0, "positive whole number"),
                                        (1798, "digits has 1797 samples, got n = 1798")])
def test_bad_n_is_explained(n, message):
    """n outside 1..1797 is a ValueError saying so."""
    with pytest.raises(ValueError, match=message):
        datasets.digits(n)


def test_digits_never_touch_the_network(monkeypatch):
    """Loading reads the copy inside scikit-learn's package: no socket is opened."""

    def refuse(*args, **kwargs):
        raise AssertionError("digits() tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(datasets.digits(5)[0]) == 5


def test_without_scikit_learn_the_error_says_how_to_install_it(monkeypatch):
    """An ImportError naming the extra: pip install 'chainrule[digits]'."""
    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    monkeypatch.delitem(sys.modules, "sklearn.datasets", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[digits\]'"):
        datasets.digits()


def test_a_small_compiled_run_learns_the_digits():
    """An MLP 64-16-10 trained compiled on 500 digits for 150 minibatch steps (a few
    seconds) classifies at least 85% of 300 held-out digits."""
    X, D = datasets.digits(800, seed=0)
    X_train, X_test, D_train, D_test = nn.train_test_split(X, D, 0.375, seed=0)
    model = nn.MLP(64, [16, 10], activation="tanh", output="softmax", seed=0)
    history = nn.train(model, X_train, D_train, nn.cross_entropy, lr=0.5, mode="minibatch",
                       batch_size=25, max_steps=150, seed=0, progress=False, compile=True)
    assert history.loss[-1] < history.loss[0] / 5
    assert nn.accuracy(nn.compile(model, nn.cross_entropy), X_test, D_test) >= 0.85


def test_chainrule_train_on_digits_draws_the_mistakes(tmp_path, capsys):
    """--data digits: 64 inputs, 10 outputs, mistakes.png instead of boundary.png."""
    pytest.importorskip("matplotlib")
    from nn.cli import main

    status = main(["train", "--data", "digits", "--samples", "120", "--hidden", "8",
                   "--divergence", "cross_entropy", "--steps", "20", "--compile",
                   "--no-progress", "--out", str(tmp_path)])
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history.csv", "loss.png", "mistakes.png", "model.json"]
    assert (tmp_path / "mistakes.png").read_bytes().startswith(b"\x89PNG")
    assert repr(nn.load(tmp_path / "model.json")) == (
        "MLP(64, [8, 10], activation='tanh', output='softmax')")
    assert "on 90 digits samples" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--noise", "0.1"], "--noise is for the drawn data sets"),
    (["--divergence", "hinge", "--output", "linear"], "--data digits has 10"),
    (["--samples", "2000"], "digits has 1797 samples"),
])
def test_chainrule_train_digits_usage_errors(tmp_path, capsys, args, message):
    """Options that do not fit the digits are usage errors (exit status 2)."""
    from nn.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["train", "--data", "digits", *args, "--out", str(tmp_path / "run")])
    assert stop.value.code == 2 and message in capsys.readouterr().err
