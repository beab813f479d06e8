"""state_dict / load_state_dict (strict) and save / nn.load (JSON, atomic) round trips."""

import json
import math
import os
import re

import pytest

import nn
from nn import serialize


def outputs(model, x):
    y = model(x)
    return [v.data for v in (y if isinstance(y, list) else [y])]


def test_state_dict_names_every_parameter_in_order():
    """{dotted name: float}, in the order of parameters()."""
    model = nn.MLP(2, [3, 2], seed=0)
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert list(state.values()) == [p.data for p in model.parameters()]


def test_load_state_dict_round_trip_copies_the_model():
    """Loading one model's state into another (other seed) makes them compute the same."""
    a, b = nn.MLP(2, [4, 2], seed=1), nn.MLP(2, [4, 2], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert outputs(b, [0.3, 0.9]) == outputs(a, [0.3, 0.9])


@pytest.mark.parametrize("edit, error, name", [
    (lambda s: s.pop("layers.1.neurons.0.b"), KeyError, "layers.1.neurons.0.b"),
    (lambda s: s.update({"layers.2.neurons.0.b": 1.0}), KeyError, "layers.2.neurons.0.b"),
    (lambda s: s.update({"layers.0.neurons.0.w.0": [1.0, 2.0]}), ValueError,
     "layers.0.neurons.0.w.0"),
    (lambda s: s.update({"layers.0.neurons.1.w.1": "0.5"}), ValueError, "layers.0.neurons.1.w.1"),
    (lambda s: s.update({"layers.0.neurons.2.b": math.nan}), ValueError, "layers.0.neurons.2.b"),
    (lambda s: s.update({"layers.1.neurons.1.w.2": True}), ValueError, "layers.1.neurons.1.w.2"),
])
def test_load_state_dict_is_strict_and_changes_nothing_on_error(edit, error, name):
    """Missing/extra entries → KeyError, mis-shaped ones → ValueError, naming the entry; the
    model is left exactly as it was."""
    model = nn.MLP(2, [3, 2], seed=0)
    before = model.state_dict()
    state = {key: value + 1.0 for key, value in before.items()}
    edit(state)
    with pytest.raises(error, match=name.replace(".", r"\.")):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_needs_a_dict():
    """A list of numbers is a TypeError."""
    with pytest.raises(TypeError, match="needs a dict"):
        nn.MLP(1, [1], seed=0).load_state_dict([1.0, 2.0])


@pytest.mark.parametrize("model", [
    nn.MLP(2, [5, 3], activation="relu", output="softmax", seed=3),
    nn.MLP(3, [2], activation="sigmoid", output="sigmoid", seed=4, decompose=True),
    nn.Layer(2, 3, "tanh"),
    nn.Neuron(4, "relu"),
], ids=["mlp-softmax", "mlp-decomposed", "layer", "neuron"])
def test_save_then_load_restores_architecture_and_weights(tmp_path, model):
    """nn.load(path) rebuilds the same kind of model, bit-identical weights, same outputs."""
    path = tmp_path / "model.json"
    model.save(path)
    copy = nn.load(path)
    assert type(copy) is type(model) and repr(copy) == repr(model)
    assert copy.config() == model.config()
    assert copy.state_dict() == model.state_dict()
    x = [0.25 * (i + 1) for i in range(model.nin)]
    assert outputs(copy, x) == outputs(model, x)


def test_saved_file_is_json_with_format_architecture_and_state(tmp_path):
    """The file holds format, version, architecture and the state dict."""
    model = nn.MLP(2, [2, 1], seed=0)
    path = tmp_path / "m.json"
    model.save(str(path))
    document = json.loads(path.read_text())
    assert document["format"] == "chainrule.nn" and document["version"] == 1
    assert document["architecture"] == {"type": "MLP", "nin": 2, "sizes": [2, 1],
                                        "activation": "tanh", "output": "linear",
                                        "decompose": False}
    assert document["state"] == model.state_dict()


def test_save_is_atomic(tmp_path, monkeypatch):
    """If the final rename fails, the old file is untouched and no temporary file is left."""
    path = tmp_path / "model.json"
    nn.MLP(2, [1], seed=0).save(path)
    original = path.read_text()

    def failing_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(serialize.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        nn.MLP(2, [1], seed=1).save(path)
    assert path.read_text() == original
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_writes_through_a_temporary_file_and_rename(tmp_path, monkeypatch):
    """save() writes a temporary file in the target's directory, then os.replace's it."""
    calls = []
    real_replace = os.replace

    def spy(source, target):
        calls.append((os.path.dirname(source), os.path.basename(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(serialize.os, "replace", spy)
    path = tmp_path / "model.json"
    nn.MLP(2, [1], seed=0).save(path)
    ((directory, name, target),) = calls
    assert directory == str(tmp_path) and name.startswith(".tmp-") and target == str(path)


@pytest.mark.parametrize("text, message", [
    ("not json", "invalid JSON"),
    ('{"format": "other"}', "not a saved chainrule model"),
    ('{"format": "chainrule.nn", "version": 99}', "version 99"),
    ('{"format": "chainrule.nn", "version": 1, "architecture": {"type": "CNN"}, "state": {}}',
     "unknown model type 'CNN'"),
])
def test_load_refuses_other_files(tmp_path, text, message):
    """A file that is not a saved model gives a ValueError saying why."""
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        nn.load(path)


def test_load_refuses_a_state_that_does_not_fit_the_architecture(tmp_path):
    """A state dict edited by hand is checked as strictly as by load_state_dict: a missing
    entry, or a renamed one, is a ValueError naming it."""
    path = tmp_path / "model.json"
    nn.MLP(2, [2], seed=0).save(path)
    document = json.loads(path.read_text())
    del document["state"]["layers.0.neurons.1.b"]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="architecture has 6 parameters but the state has 5"):
        nn.load(path)
    document["state"]["layers.0.neurons.9.b"] = 0.0
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"saved chainrule model: .*layers\.0\.neurons\.1\.b"):
        nn.load(path)


def saved_document(**architecture) -> dict:
    """A saved MLP(2, [2])'s JSON document, with architecture entries replaced."""
    model = nn.MLP(2, [2], seed=0)
    return {"format": "chainrule.nn", "version": 1,
            "architecture": {**model.config(), **architecture}, "state": model.state_dict()}


@pytest.mark.parametrize("document, message", [
    ([1, 2], "the file holds a JSON list, not an object"),
    ({"format": "chainrule.nn", "version": 1}, '"architecture" and "state" must be JSON objects, '
                                              "got missing and missing"),
    ({**saved_document(), "state": [1.0]}, "got dict and list"),
    (saved_document(sizes=[1000000000]), "architecture has 3000000000 parameters but the state "
                                         "has 6 entries"),
    (saved_document(sizes="2"), '"sizes" must be a non-empty list of layer widths'),
    (saved_document(sizes=[2.5]), "'sizes' needs whole numbers >= 1, got 2.5"),
    (saved_document(nin=True), "'nin' needs whole numbers >= 1, got True"),
    (saved_document(activation=7), "'activation' must be one of tanh, .*got 7"),
    (saved_document(decompose="no"), "'decompose' must be true or false"),
    (saved_document(width=3), "MLP architectures have the keys nin, sizes, activation, output, "
                              "decompose, got activation, decompose, nin, output, sizes, width"),
    (saved_document(output="softmax", nin=5, sizes=[1]), "softmax needs at least 2 outputs"),
    ({**saved_document(), "state": {**saved_document()["state"], "layers.0.neurons.0.b": "x"}},
     "entry 'layers.0.neurons.0.b' must be one finite number"),
])
def test_load_checks_the_whole_file_before_building(tmp_path, document, message):
    """Foreign or edited JSON: one ValueError '<path> is not a saved chainrule model: why', and
    a huge architecture is refused by counting its parameters, without building it."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=f"^{re.escape(str(path))} is not a saved chainrule "
                                         f"model: .*{message}"):
        nn.load(path)


def test_numpy_sizes_are_saved_as_plain_ints(tmp_path):
    """MLP(np.int64(2), [np.int64(2)]) saves (JSON ints) and loads back the same model."""
    np = pytest.importorskip("numpy")
    model = nn.MLP(np.int64(2), [np.int64(3), np.int32(2)], seed=0)
    assert type(model.nin) is int and all(type(n) is int for n in model.sizes)
    path = tmp_path / "model.json"
    model.save(path)
    assert nn.load(path).state_dict() == model.state_dict()
