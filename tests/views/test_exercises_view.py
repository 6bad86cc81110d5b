"""Exercises view in a Bokeh document: choosing an exercise shows its question, revealing shows its
worked answer, "Try it in the app" sets the session up and opens the exercise's view, and the editable
values of the training exercise change the answer and the settings (a rejected value shows a notice)."""

import panel as pn
import pytest

from dashboard.state.exercises import EXERCISES
from dashboard.views.exercises import ExercisesView

from .helpers import out_of_range, widget_for

TRAINING = "training-energy"


def build(session, notice):
    return ExercisesView(session, notice)


def only(view, kind, label=None):
    """The one widget of type ``kind`` (labelled ``label``) in the view."""
    (widget,) = [w for w in view._layout.select(kind) if label is None or w.label == label]
    return widget


def texts(view):
    """(question text, answer text or None while it is hidden)."""
    panes = {css: pane for pane in view._layout.select(pn.pane.Markdown) for css in pane.css_classes}
    answer = panes["fndam-exercise-answer"]
    return panes["fndam-exercise-question"].object, answer.object if answer.visible else None


def choose(view, key):
    menu = only(view, pn.widgets.Select, "Exercise")
    (label,) = [label for label, value in menu.options.items() if value == key]
    menu.value = menu.options[label]


@pytest.fixture(autouse=True)
def first_exercise_unanswered(view):
    """Every test starts at the first exercise, unanswered, with the editable values at their defaults."""
    yield
    only(view, pn.widgets.Toggle).value = False
    choose(view, next(iter(EXERCISES)))
    values = view._inputs[TRAINING]
    values.param.update({n: p.default for n, p in values.param.objects().items() if n != "name"})


@pytest.mark.parametrize("key", list(EXERCISES))
def test_choosing_an_exercise_shows_its_question_and_hides_the_answer(view, key):
    choose(view, next(other for other in EXERCISES if other != key))
    only(view, pn.widgets.Toggle).value = True
    choose(view, key)
    question, answer = texts(view)
    assert question.startswith(EXERCISES[key].work().question)
    assert EXERCISES[key].hint_text() in question
    assert answer is None  # predict first: a newly chosen exercise is unanswered
    assert only(view, pn.widgets.Toggle).value is False


@pytest.mark.parametrize("key", list(EXERCISES))
def test_revealing_shows_the_worked_answer(view, key):
    choose(view, key)
    only(view, pn.widgets.Toggle, "Show the worked answer").value = True
    assert texts(view)[1] == EXERCISES[key].work().answer.markdown
    only(view, pn.widgets.Toggle).value = False
    assert texts(view)[1] is None


@pytest.mark.parametrize("key", list(EXERCISES))
def test_try_it_sets_the_exercise_up_and_opens_its_view(view, session, notice, key):
    choose(view, key)
    notice.show("an earlier message")
    session.device.barrier_height_eV = 4.0  # reset by Try it unless the exercise sets it
    only(view, pn.widgets.Button, "Try it in the app").clicks += 1
    settings = EXERCISES[key].settings_for()
    assert session.view == EXERCISES[key].view
    for part, values in settings.items():
        for name, value in values.items():
            assert getattr(session.part(part), name) == value
    assert session.device.barrier_height_eV == settings.get("device", {}).get("barrier_height_eV", 3.2)
    assert notice.text == ""


def test_only_the_training_exercise_shows_editable_values(view):
    values = view._inputs[TRAINING]
    choose(view, "thinner-oxide")
    with pytest.raises(LookupError):
        widget_for(view._layout, values, "claim")
    choose(view, TRAINING)
    for name in ("log10_params", "log10_samples", "log10_batch", "claim"):
        assert widget_for(view._layout, values, name).value == getattr(values, name)


def test_editing_the_claim_and_the_batch_changes_the_answer_and_try_it(view, session):
    choose(view, TRAINING)
    only(view, pn.widgets.Toggle).value = True
    values = view._inputs[TRAINING]
    before = texts(view)[1]
    widget_for(view._layout, values, "claim").value = 20.0
    after = texts(view)[1]
    assert after != before
    assert after == EXERCISES[TRAINING].work(**{**EXERCISES[TRAINING].given, "claim": 20.0}).answer.markdown
    assert "reaches the claimed 20×" in after
    widget_for(view._layout, values, "log10_batch").value = 0.0
    assert "B = 1 " in texts(view)[1]
    assert "in batches of B = 1." in texts(view)[0]
    only(view, pn.widgets.Button, "Try it in the app").clicks += 1
    assert session.view == "energy"
    assert session.energy.log10_batch == 0.0


def test_a_rejected_value_shows_a_notice_and_keeps_the_answer(view, notice):
    choose(view, TRAINING)
    values = view._inputs[TRAINING]
    before = texts(view)
    widget_for(view._layout, values, "claim").value = out_of_range(values, "claim")
    assert notice.text.startswith("Claimed saving (×):")
    assert values.claim == values.param.claim.default
    assert texts(view) == before


def test_the_view_is_light(view, root):
    choose(view, "thinner-oxide")
    widgets = view._layout.select(pn.widgets.Widget)
    assert sorted(type(w).__name__ for w in widgets) == ["Button", "Select", "Toggle"]
    assert len(view._layout.select(pn.pane.Markdown)) == 2
    assert {"CustomSelect", "Toggle", "Button"} <= {type(m).__name__ for m in root.references()}
