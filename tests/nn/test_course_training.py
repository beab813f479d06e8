"""nn.course.training: a learner's minibatch SGD loop written as the course's algorithm matches
nn.train loss for loss and passes; each planted mistake gets its own message, none of which
holds a loss or a step count nn.train found. Also the stop-rule check and notebook 07b's."""

import random

import pytest

import nn
from nn.course import training as course

X, D = nn.datasets.moons(40, noise=0.1, seed=0)
SETTINGS = {"lr": 0.3, "batch_size": 6, "seed": 0, "max_steps": 25, "tol": 0.0}


def fresh():
    return nn.MLP(2, [4, 2], activation="tanh", output="softmax", seed=0)


def learner_loop(*, lr, batch_size, seed, max_steps, tol, shuffle_each_pass=True,
                 one_rng=True, one_list=True, zero=True, average=True, mean_loss=True,
                 keep_last=True, stop_early=False):
    """The notebook's solution, with switches that plant one mistake each."""
    model, losses = fresh(), []
    rng, order = random.Random(seed), list(range(len(X)))
    optimizer = nn.SGD(model.parameters(), lr=lr)
    shuffled = False
    while True:
        if not one_rng:
            rng = random.Random(seed)
        if not one_list:
            order = list(range(len(X)))
        if shuffle_each_pass or not shuffled:
            rng.shuffle(order)
            shuffled = True
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            if not keep_last and len(batch) < batch_size:
                continue
            if zero:
                model.zero_grad()
            total = 0.0
            for i in batch:
                div = nn.cross_entropy(model(X[i]), D[i])
                total += div.data
                (div * (1 / len(batch) if average else 1.0)).backward()
            losses.append(total / len(batch) if mean_loss else total)
            largest = optimizer.step()
            if largest < tol or len(losses) == max_steps or (stop_early and len(losses) == 5):
                return losses


def check(losses, **settings):
    return course.check_sgd_by_hand(losses, fresh(), X, D, nn.cross_entropy,
                                    **{**SETTINGS, **settings})


def test_the_course_algorithm_matches_nn_train():
    assert check(learner_loop(**SETTINGS)) == ""


def test_the_stop_rule_is_checked_too():
    """With a tol that ends the run early, the loop must stop where nn.train does."""
    steps = nn.train(fresh(), X, D, nn.cross_entropy, mode="minibatch", progress=False,
                     **{**SETTINGS, "tol": 0.02, "max_steps": 200}).steps
    assert steps < 200
    settings = {**SETTINGS, "tol": 0.02, "max_steps": 200}
    assert check(learner_loop(**settings), tol=0.02, max_steps=200) == ""
    longer = learner_loop(**{**settings, "tol": 0.0})
    said = check(longer, tol=0.02, max_steps=200)
    assert "went on after nn.train stopped" in said and "stop rule" in said
    said = check(learner_loop(**SETTINGS, stop_early=True))
    assert "stopped after 5 steps while nn.train went on" in said


@pytest.mark.parametrize(("mistake", "said"), [
    ({"mean_loss": False}, "batch_size times too large"),
    ({"shuffle_each_pass": False}, "shuffles the indices again at the start of every pass"),
    ({"one_rng": False}, "make one random.Random(seed) before the loop"),
    ({"one_list": False}, "shuffles that same list again, in place"),
    ({"zero": False}, "set back to zero before each step"),
    ({"average": False}, "not of their sum"),
    ({"keep_last": False}, "smaller batch of the samples left over"),
])
def test_each_planted_mistake_is_named(mistake, said):
    message = check(learner_loop(**SETTINGS, **mistake))
    assert said in message
    assert "?." not in message and "look at the update" not in message
    reference = nn.train(fresh(), X, D, nn.cross_entropy, mode="minibatch", progress=False,
                         **SETTINGS).loss
    assert not any(f"{loss:.3f}" in message for loss in reference)


def test_another_mistake_is_named_by_where_the_losses_part():
    """A mistake of no planted kind (here, another lr) is named by where the losses part, and
    the message lists what to compare without blaming one part."""
    message = check(learner_loop(**{**SETTINGS, "lr": 0.31}))
    assert "agree with nn.train's for 1 step(s), then differ: compare that next step" in message
    assert all(part in message for part in ("batch", "zero", "mean", "w ← w − lr · ∂Loss/∂w"))


def test_a_right_update_is_never_blamed():
    """A loop whose update is right but whose order differs in a way no planted mistake makes
    (every pass reversed) is not told to look at its update."""
    rng, order, losses = random.Random(0), list(range(len(X))), []
    model = fresh()
    optimizer = nn.SGD(model.parameters(), lr=SETTINGS["lr"])
    while len(losses) < SETTINGS["max_steps"]:
        rng.shuffle(order)
        passes = order if not losses else order[::-1]
        for start in range(0, len(X), 6):
            model.zero_grad()
            batch = passes[start:start + 6]
            total = 0.0
            for i in batch:
                div = nn.cross_entropy(model(X[i]), D[i])
                total += div.data
                (div * (1 / len(batch))).backward()
            losses.append(total / len(batch))
            optimizer.step()
    message = check(losses[:SETTINGS["max_steps"]])
    assert "then differ: compare that next step" in message
    assert "look at the update" not in message


def test_no_shuffle_at_all_is_named():
    model, losses = fresh(), []
    optimizer = nn.SGD(model.parameters(), lr=SETTINGS["lr"])
    for start in range(0, 6 * 3, 6):
        model.zero_grad()
        total = 0.0
        for i in range(start, start + 6):
            div = nn.cross_entropy(model(X[i]), D[i])
            total += div.data
            (div * (1 / 6)).backward()
        losses.append(total / 6)
        optimizer.step()
    assert "walks through a shuffle" in check(losses)


def test_blanks_and_shapes():
    assert check(None).startswith("not done yet")
    assert "list of numbers" in check("0.5")
    assert "empty" in check([])
    assert "forward pass" in check([123.0])


def test_stop_rule_check():
    runs = {rate: nn.train(fresh(), X, D, nn.cross_entropy, lr=rate, tol=1e-3, max_steps=60,
                           progress=False) for rate in (0.01, 1.0)}
    args = (fresh(), X, D, nn.cross_entropy)

    def check(runs, tol=1e-3):
        return course.check_stop_rule(runs, *args, tol=tol, max_steps=60, rates=(0.01, 1.0))

    assert check(runs) == ""
    assert course.check_stop_rule(runs, *args, tol=1e-3, max_steps=60) == ""  # the default rates
    assert check({0.01: None, 1.0: None}).startswith("not done yet")
    swapped = {0.01: runs[1.0], 1.0: runs[0.01]}
    assert "another learning rate" in check(swapped)
    for keys in ((0.1, 1.0), (0.01,), (0.01, 1.0, 0.5), ("small", "large")):
        others = dict(zip(keys, [*runs.values(), runs[1.0]]))
        said = check(others)
        assert "one entry per learning rate asked for, 0.01 and 1.0" in said, keys
    assert "one entry per learning rate" in check([runs[0.01], runs[1.0]])
    no_tol = nn.train(fresh(), X, D, nn.cross_entropy, lr=0.01, tol=0.0, max_steps=60,
                      progress=False)
    assert "did not stop by the rule" in check({**runs, 0.01: no_tol}, tol=0.5)
    other_start = nn.train(nn.MLP(2, [4, 2], output="softmax", seed=1), X, D, nn.cross_entropy,
                           lr=0.01, tol=1e-3, max_steps=60, progress=False)
    assert "fresh network" in check({**runs, 0.01: other_start})
    assert "not a History" in check({0.01: 3, 1.0: runs[1.0]})


def test_equal_budget_check():
    X_test, D_test = X[:10], D[:10]
    sgd_model = fresh()
    nn.train(sgd_model, X, D, nn.cross_entropy, lr=0.1, mode="sgd", seed=0, max_steps=40,
             tol=0.0, progress=False)
    model = fresh()
    nn.train(model, X, D, nn.cross_entropy, lr=0.5, max_steps=5, progress=False)
    good = (nn.accuracy(model, X_test, D_test), nn.accuracy(sgd_model, X_test, D_test))

    def check(budget_model, batch_accuracy, sgd_accuracy):
        return course.check_equal_budget(budget_model, batch_accuracy, sgd_accuracy, fresh(),
                                         sgd_model, X, D, X_test, D_test, nn.cross_entropy,
                                         lr=0.5, steps=5)

    assert check(model, *good) == ""
    assert check(model, None, 0.5).startswith("not done yet")
    assert "count its steps" in check(fresh(), *good)
    assert "on X_test" in check(model, good[0] + 1, good[1])
    assert "single-sample" in check(model, good[0], 2.0)


def test_deep_linear_check():
    model = nn.MLP(2, [4, 4, 4, 2], activation="linear", output="softmax", seed=0)
    run = nn.train(model, X, D, nn.cross_entropy, lr=0.5, max_steps=3, progress=False)
    assert course.check_deep_linear(model, run, hidden_layers=3) == ""
    assert course.check_deep_linear(None, run, hidden_layers=3).startswith("not done yet")
    shallow = nn.MLP(2, [4, 2], activation="linear", output="softmax", seed=0)
    assert "1 hidden layer(s)" in course.check_deep_linear(shallow, run, hidden_layers=3)
    tanh = nn.MLP(2, [4, 4, 4, 2], activation="tanh", output="softmax", seed=0)
    assert "not all linear" in course.check_deep_linear(tanh, run, hidden_layers=3)
    assert "History" in course.check_deep_linear(model, "run", hidden_layers=3)


def test_symmetry_break_check():
    def start(nudge=True, train=True):
        model = nn.MLP(2, [4, 4, 2], activation="tanh", output="softmax", seed=0)
        for p in model.parameters():
            p.data = 0.5
        if nudge:
            model.layers[0].neurons[0].w[0].data = 0.6
        if train:
            nn.train(model, X, D, nn.cross_entropy, lr=0.5, max_steps=10, progress=False)
        return model

    model = start()
    counts = [course.distinct_neurons(layer) for layer in model.layers[:-1]]
    assert counts == [2, 1]
    assert course.check_symmetry_break(model, counts, weight=0.5) == ""
    assert course.check_symmetry_break(model, None, weight=0.5).startswith("not done yet")
    assert "count them" in course.check_symmetry_break(model, [4, 4], weight=0.5)
    assert "still all alike" in course.check_symmetry_break(start(nudge=False), [1, 1],
                                                            weight=0.5)
    untrained = start(nudge=False, train=False)
    assert "train it" in course.check_symmetry_break(untrained, [1, 1], weight=0.5)
