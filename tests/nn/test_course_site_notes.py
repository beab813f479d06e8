"""The course site's notes for widgets: one note per cell, saying what stands there in Jupyter
(nn.course_site.without_widgets, on outputs as a run saves them)."""

import pytest

pytest.importorskip("nbformat")

from nn.course_site import CONTROL_NOTE, PROGRESS_NOTE, without_widgets  # noqa: E402

STATES = {
    "bar": {"model_name": "HBoxModel", "state": {"children": [
        "IPY_MODEL_text", "IPY_MODEL_progress", "IPY_MODEL_text"]}},
    "text": {"model_name": "HTMLModel", "state": {}},
    "progress": {"model_name": "FloatProgressModel", "state": {}},
    "slider": {"model_name": "FloatLogSliderModel", "state": {"description": "lr"}},
    "out": {"model_name": "OutputModel", "state": {}},
}


def widget(model_id):
    """A widget's output, as a run saves it."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": model_id},
                     "text/plain": "a widget"}}


def text(words):
    return {"output_type": "stream", "name": "stdout", "text": words}


def notes(outputs):
    return [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]


def test_a_progress_bar_is_a_progress_bar_not_a_control():
    """07: the training run's bar is noted as a progress bar, before the run's printed result."""
    outputs = without_widgets([widget("bar"), text("done\n")], STATES)
    assert notes(outputs) == [f'<p class="widget-note"><em>{PROGRESS_NOTE}.</em></p>']
    assert "control" not in notes(outputs)[0] and outputs[1] == text("done\n")


def test_a_slider_and_its_output_are_one_note():
    """05: a slider and the plot it controls (two widgets) are one note naming both."""
    outputs = without_widgets([widget("slider"), widget("out")], STATES)
    assert notes(outputs) == ['<p class="widget-note"><em>' + CONTROL_NOTE +
                              ": a slider (lr) and the output it controls.</em></p>"]
    assert len(outputs) == 1


def test_a_progress_bar_and_a_slider_in_one_cell_are_two_notes():
    """Each says what it is: the bar is not called a control."""
    found = notes(without_widgets([widget("bar"), widget("slider")], STATES))
    assert len(found) == 2 and PROGRESS_NOTE in found[0] and "a slider (lr)" in found[1]


def test_a_widget_of_unknown_state_is_a_control_and_other_outputs_stay():
    """Without saved state the note says only that a control sits there."""
    outputs = without_widgets([text("before\n"), widget("gone"), text("after\n")], {})
    assert outputs[0] == text("before\n") and outputs[2] == text("after\n")
    assert notes(outputs) == [f'<p class="widget-note"><em>{CONTROL_NOTE}.</em></p>']
    assert without_widgets([text("x")], STATES) == [text("x")]
