"""nn.course.compiled (notebook 08's checks): the reference answers pass; each planted mistake
gets its own message, and no message holds the number the exercise asks for."""

import pytest

import autograd
import nn
from nn.course import compiled as course

X, D = nn.datasets.blobs(24, seed=0, classes=3)


def model():
    return nn.MLP(2, [3, 3], activation="tanh", output="softmax", seed=1)


def runs(compile_second=True, steps=3):
    histories, weights = {}, {}
    for compiled in (False, compile_second):
        candidate = model()
        histories[len(histories) == 1] = nn.train(
            candidate, X, D, nn.cross_entropy, lr=0.5, mode="minibatch", batch_size=8,
            max_steps=steps, seed=1, tol=0.0, progress=False, compile=compiled)
        weights[len(weights) == 1] = [p.data for p in candidate.parameters()]
    return histories, weights


def test_two_runs_pass_and_tell_whether_they_are_the_same():
    histories, weights = runs()
    assert course.check_two_runs(histories, weights, steps=3, mode="minibatch") == ""
    plain, same = runs(compile_second=False)
    assert course.same_run(plain, same)


@pytest.mark.parametrize(("histories", "says"), [
    ({False: None, True: None}, "not done yet"),
    ("one run twice", "train two networks"),
    ("ten steps", "each run takes 3 steps"),
])
def test_two_runs_planted_mistakes(histories, says):
    good, weights = runs()
    if histories == "one run twice":
        histories = {False: good[False], True: good[False]}
    elif histories == "ten steps":
        histories, weights = runs(steps=4)
    assert says in course.check_two_runs(histories, weights, steps=3, mode="minibatch")


def test_program_counts_pass_and_say_what_is_wrong_without_the_count():
    counts = course.program_counts(model(), X, D, 3)
    assert course.check_program_counts(dict(counts), model(), X, D, 3) == ""
    assert course.check_program_counts({"cross-entropy": None, "L2": None}, model(), X, D,
                                       3).startswith("not done yet")
    wrong = {**counts, "cross-entropy": counts["cross-entropy"] + 1}
    said = course.check_program_counts(wrong, model(), X, D, 3)
    assert "is not the number of programs" in said and str(counts["cross-entropy"]) not in said


def test_backward_line_and_the_gradient_by_hand():
    tiny = nn.MLP(2, [2, 1], activation="tanh", output="linear", seed=0)
    prog = autograd.compile(lambda a, b: nn.l2_divergence(tiny([a, b]), 0.5), (0.3, -0.2))
    line = next(text.strip() for text in prog.source.splitlines()
                if text.strip().startswith("leaves[4].grad"))
    nn.l2_divergence(tiny([0.7, -1.1]), 0.5).backward()
    engine = tiny.parameters()[4].grad
    check = course.check_backward_line
    assert check(line, engine, prog.source, "leaves[4]", engine) == ""
    assert check(None, None, prog.source, "leaves[4]", engine).startswith("not done yet")
    assert "not a line of prog.source" in check("x = 1", engine, prog.source, "leaves[4]",
                                                engine)
    other = next(text.strip() for text in prog.source.splitlines()
                 if text.strip().startswith("leaves[0].grad"))
    assert "another gradient" in check(other, engine, prog.source, "leaves[4]", engine)
    said = check(line, engine * 2, prog.source, "leaves[4]", engine)
    assert "differs from backward()" in said and f"{engine:.4}" not in said


def test_per_sample_gradients_and_the_longest():
    """The reference passes; a wrong array, a hard-coded sample and a count from 0 do not, and
    no message names the sample expected."""
    pytest.importorskip("numpy")
    small = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    batch = autograd.compile(lambda a, b: nn.cross_entropy(small([a, b]), 1), (0.5, -1.0)).batch()
    columns = [[0.5, -0.3, 1.2, 0.0], [-1.0, 0.8, 0.1, -0.4]]
    grads = batch.per_sample_gradients(*columns)
    longest = int(((grads ** 2).sum(axis=0) ** 0.5).argmax()) + 1
    check = course.check_per_sample
    assert check(grads, longest, batch, columns) == ""
    assert check(None, None, batch, columns).startswith("not done yet")
    assert "not what per_sample_gradients gives" in check(grads[:, :2], longest, batch, columns)
    assert "other numbers" in check(grads * 2, longest, batch, columns)
    said = check(grads, longest - 1 or 4, batch, columns)
    assert "count from 1" in said and str(longest) not in said
