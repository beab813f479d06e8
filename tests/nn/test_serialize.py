"""state_dict / load_state_dict (strict) and save / nn.load (JSON, atomic) round trips."""

import json
import math
import os
import re
import stat
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert directory == str(tmp_path) and name == f".model.json.{os.getpid()}.part"
    assert target == os.path.realpath(path)


def test_save_through_a_symlink_replaces_the_file_it_points_to(tmp_path):
    """M: the link stays a link; the file it points to holds the model."""
    real = tmp_path / "real.json"
    nn.MLP(2, [1], seed=0).save(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    nn.MLP(2, [1], seed=1).save(link)
    assert link.is_symlink() and nn.load(real).state_dict() == nn.MLP(2, [1], seed=1).state_dict()


def test_save_keeps_a_files_mode_and_gives_a_new_one_the_umask(tmp_path):
    """M: an existing 0600 file stays 0600; a new file is 0666 less the umask (here 027)."""
    path = tmp_path / "model.json"
    path.write_text("{}")
    path.chmod(0o600)
    nn.MLP(2, [1], seed=0).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old = os.umask(0o027)
    try:
        nn.MLP(2, [1], seed=0).save(tmp_path / "new.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_a_part_file_left_by_a_killed_save_is_removed_by_the_next(tmp_path):
    """M: kill -9 during save leaves .model.json.<pid>.part; the next save removes it (its
    process is gone), and leaves a running process's own alone."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".model.json.{dead}.part"
    stale.write_text("half a model")
    busy = tmp_path / f".model.json.{os.getppid()}.part"  # a process that is running
    busy.write_text("being written")
    nn.MLP(2, [1], seed=0).save(tmp_path / "model.json")
    assert sorted(os.listdir(tmp_path)) == sorted(["model.json", busy.name])


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
    (saved_document(sizes="2"), "MLP needs sizes as a non-empty list of layer widths"),
    (saved_document(sizes=[2.5]), "every layer size must be a positive whole number, got "
                                  "float: 2.5"),
    (saved_document(nin=True), "nin must be a positive whole number, got bool: True"),
    (saved_document(activation=7), "unknown activation 7; choose one of: linear, .*tanh"),
    (saved_document(decompose="no"), "decompose must be True or False, got str: 'no'"),
    (saved_document(width=3), "a MLP architecture holds its constructor's arguments: got an "
                              "unexpected keyword argument 'width'"),
    (saved_document(output="softmax", nin=5, sizes=[1]), "softmax needs at least 2 outputs"),
    ({**saved_document(), "state": {**saved_document()["state"], "layers.0.neurons.0.b": "x"}},
     "entry 'layers.0.neurons.0.b' must be one finite number"),
])
def test_load_checks_the_whole_file_before_building(tmp_path, document, message):
    """Foreign or edited JSON: one ValueError '<path> is not a saved chainrule model: why' (the
    model's constructor's own message for a bad architecture), and a huge architecture is
    refused by counting its parameters, without building it."""
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


def not_a_model(path) -> str:
    """The start of every message nn.load gives for a file that is not a saved model."""
    return f"^{re.escape(str(path))} is not a saved chainrule model: "


def edited(replace: dict | None = None, **architecture) -> bytes:
    """saved_document(**architecture) as UTF-8 JSON, with top-level entries replaced."""
    return json.dumps({**saved_document(**architecture), **(replace or {})}).encode()


def one_weight(text: str) -> bytes:
    """A saved MLP(2, [2]) whose first weight is written as `text` (raw JSON)."""
    document = saved_document()
    document["state"]["layers.0.neurons.0.w.0"] = "HERE"
    return json.dumps(document).replace('"HERE"', text).encode()


@pytest.mark.parametrize("data, message", [
    (b"[" * 100000, "JSON nested too deeply to read"),
    (b'{"a": ' * 100000, "JSON nested too deeply to read"),
    (b"[" * 100000 + b"]" * 100000, "JSON nested too deeply to read"),
    (edited({"format": "[" * 900 + "]" * 900}), 'no "format"'),
    (one_weight("1" + "0" * 400), r"state dict entry 'layers\.0\.neurons\.0\.w\.0' must be one "
                                  r"finite number \(a weight or bias\), got int: 1000+\.\.\. "
                                  r"\(401 characters\)"),
    (one_weight("1e400"), r"state dict entry 'layers\.0\.neurons\.0\.w\.0' .* got float: inf"),
    (one_weight("NaN"), "state dict entry .* got float: nan"),
    (one_weight("null"), "state dict entry .* got NoneType: None"),
    (one_weight("[1.0]"), r"state dict entry .* got list: \[1\.0\]"),
    (one_weight("1" + "0" * 5000), r"invalid JSON \(Exceeds the limit \(4300 digits\)"),
    (edited(nin=10**400), r"the architecture has 2000+\.\.\. \(401 characters\) parameters"),
    (edited(sizes=[10**400]), r"the architecture has 3000+\.\.\. \(401 characters\) parameters"),
    (json.dumps(saved_document()).encode("utf-16"), r"not UTF-8 text \(invalid start byte at "
                                                    r"byte 0; chainrule saves UTF-8 JSON\)"),
    (bytes(range(256)), "not UTF-8 text"),
    (b"\xef\xbb\xbf" + edited(), "invalid JSON .*BOM"),
    (b"", r"invalid JSON \(Expecting value"),
    (b"null", "the file holds a JSON null, not an object"),
    (b'"MLP"', "the file holds a JSON str, not an object"),
    (edited(type=["MLP"]), r"unknown model type \['MLP'\]; expected one of Neuron, Layer, MLP"),
    (edited(type={"MLP": 1}), r"unknown model type \{'MLP': 1\}"),
    (edited(type=None), "unknown model type None"),
    (edited(sizes=[[2]]), r"every layer size must be a positive whole number, got list: \[2\]"),
    (edited(sizes=[{}]), r"every layer size must be a positive whole number, got dict: \{\}"),
    (edited(sizes=None), "MLP needs sizes as a non-empty list of layer widths, .*got None"),
    (edited(sizes=[]), r"MLP needs sizes as a non-empty list of layer widths, .*got \[\]"),
    (edited(nin=None), "nin must be a positive whole number, got NoneType: None"),
    (edited(nin=2.0), "nin must be a positive whole number, got float: 2.0"),
    (edited(activation=["tanh"]), r"unknown activation \['tanh'\]"),
    (edited(output={"softmax": 1}), r"unknown activation \{'softmax': 1\}"),
    (edited(decompose=None), "decompose must be True or False, got NoneType: None"),
    (edited({"format": None}), "no \"format\": 'chainrule.nn' \\(got None\\)"),
    (edited({"format": ["chainrule.nn"]}), r"no \"format\": 'chainrule\.nn' \(got "
                                           r"\['chainrule\.nn'\]\)"),
    (edited({"version": True}), "format version True; this chainrule reads version 1"),
    (edited({"version": 1.0}), "format version 1.0"),
    (edited({"version": [1]}), r"format version \[1\]"),
    (edited({"architecture": None}), '"architecture" and "state" must be JSON objects, got '
                                     "missing and dict"),
    (edited({"state": {"1": 0.5}}), "the architecture has 6 parameters but the state has 1"),
    (edited({"state": {str(i): 0.5 for i in range(6)}}), "state dict is missing 6 entries, "
                                                         "first 'layers.0.neurons.0.w.0'"),
    (edited(type="x" * 1000), r"unknown model type 'xxxx+\.\.\. \(1002 characters\)"),
], ids=lambda item: None if isinstance(item, bytes) else "")
def test_load_answers_every_malformed_file_with_a_value_error(tmp_path, data, message):
    """Deep nesting, numbers beyond a float, other encodings, wrong types anywhere (lists, dicts,
    null), huge entries: always ValueError '<path> is not a saved chainrule model: why'."""
    path = tmp_path / "x.json"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=not_a_model(path) + message):
        nn.load(path)


def test_load_state_dict_refuses_non_string_names():
    """A state built in Python (not read from JSON) may have other keys: a KeyError naming the
    first parameter missing."""
    with pytest.raises(KeyError, match="missing 6 entries, first 'layers.0.neurons.0.w.0'"):
        nn.MLP(2, [2], seed=0).load_state_dict(dict.fromkeys(range(6), 0.5))


def test_load_builds_the_model_with_its_constructor(tmp_path, monkeypatch):
    """nn.load calls the saved class with the saved arguments, then load_state_dict: the
    architecture is checked by the constructor alone."""
    model = nn.MLP(2, [3, 2], activation="relu", output="softmax", seed=0)
    model.save(tmp_path / "m.json")
    calls = []
    real_init = nn.MLP.__init__

    def spy(self, *args, **kwargs):
        calls.append((args, kwargs))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(nn.MLP, "__init__", spy)
    copy = nn.load(tmp_path / "m.json")
    assert calls == [((), {"nin": 2, "sizes": [3, 2], "activation": "relu",
                           "output": "softmax", "decompose": False})]
    assert copy.state_dict() == model.state_dict()


# names the file uses, and odd ones (a small alphabet: no Unicode tables to build)
TEXT = st.sampled_from(["", "MLP", "Neuron", "Layer", "tanh", "softmax", "\udc00"]) \
    | st.text(alphabet="ab.0", max_size=4)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**500, 10**500)
    | st.floats(allow_nan=True, allow_infinity=True) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8)
PLACES = [(), ("format",), ("version",), ("architecture",), ("state",),
          *(("architecture", key) for key in ("type", "nin", "sizes", "activation", "output",
                                              "decompose", "extra")),
          ("architecture", "sizes", 0), ("state", "layers.0.neurons.0.w.0"),
          ("state", "layers.0.neurons.1.b")]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), value=JSON)
def test_load_raises_only_value_errors_for_any_edit_of_a_saved_file(tmp_path, place, value):
    """Any JSON value put anywhere in a saved model's file: nn.load returns a model (the edit
    was a valid one, such as another weight) or raises its ValueError, never anything else."""
    document = saved_document()
    if place:
        *parents, last = place
        container = document
        for key in parents:
            container = container[key]
        container[last] = value
    else:
        document = value
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document))
    try:
        model = nn.load(path)
    except ValueError as error:
        assert re.match(not_a_model(path), str(error))
    else:
        assert isinstance(model, nn.Module)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_load_raises_only_value_errors_for_any_bytes(tmp_path, data):
    """Random bytes are never a saved model: always the ValueError."""
    path = tmp_path / "x.json"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=not_a_model(path)):
        nn.load(path)


def test_load_of_a_missing_file_or_a_directory_is_an_os_error(tmp_path):
    """A path that cannot be read is not a malformed file: OSError, as open() raises it."""
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError):
        nn.load(tmp_path)
