"""Learning view in a Bokeh document: Step, Play, Reset, each run parameter restarting the run, presets,
rejected values, CSV. Runs are kept to a few hundred steps (~0.2 s per 50)."""

import re

import panel as pn
import pytest

from dashboard.state.learning import LearningState
from dashboard.state.presets import PRESETS
from dashboard.views.controls import control_names
from dashboard.views.learning import LearningView

from .helpers import (
    csv_texts,
    new_value,
    number_names,
    out_of_range,
    preset_changes,
    rows,
    shown,
    summary_text,
    widget_for,
)

#: Parameters of the run: changing one restarts it. ``steps_per_tick`` is the pace of the screen only.
RUN = [name for name in control_names(LearningState) if name != "steps_per_tick"]


def build(session, notice):
    return LearningView(session.learning, notice)


def step_count(view):
    done, total = re.match(r"\*\*Step ([\d,]+) of ([\d,]+)\*\*", summary_text(view)).groups()
    return int(done.replace(",", "")), int(total.replace(",", ""))


def click(button):
    button.clicks += 1


def test_step_advances_the_plots_the_summary_and_the_progress(view, root):
    before = shown(view, root)
    assert step_count(view) == (0, 2000)
    assert "accuracy –" in before[0]  # nothing measured yet
    click(view.step)
    assert step_count(view) == (100, 2000)  # steps_per_tick
    assert "accuracy –" not in summary_text(view)
    assert view.progress.value == 5
    after = shown(view, root)
    assert after[1] != before[1]
    click(view.step)
    assert step_count(view) == (200, 2000)
    assert shown(view, root)[1] != after[1]


@pytest.mark.parametrize("name", RUN)
def test_each_run_parameter_restarts_the_run_with_new_data(view, notice, root, name):
    click(view.step)
    old_run = shown(view, root)
    value = new_value(view.state, name)
    widget_for(view._layout, view.state, name).value = value
    assert notice.text == ""
    assert step_count(view)[0] == 0
    assert view.progress.value == 0
    click(view.step)
    # The same 100 steps of the new run differ from the old run's (mismatch effects need ~100 steps to
    # show through the 12-bit readout: at 50 steps a k1 spread of 15 % left every plotted value the same).
    assert step_count(view) == (100, value if name == "n_steps" else 2000)
    assert shown(view, root)[1] != old_run[1]


def test_steps_per_tick_sets_the_steps_of_one_step_click(view, root):
    widget_for(view._layout, view.state, "steps_per_tick").value = 40
    click(view.step)
    assert step_count(view)[0] == 40


def test_reset_button_returns_to_step_zero(view, root):
    initial = shown(view, root)
    click(view.step)
    assert shown(view, root) != initial
    click(view.reset)
    assert step_count(view)[0] == 0
    assert shown(view, root) == initial


class FakeCallback:
    """Stands in for Panel's periodic callback: the test calls ``tick`` itself."""

    def __init__(self, callback, period):
        self.tick, self.period, self.running = callback, period, True

    def stop(self):
        self.running = False


def test_play_runs_ticks_until_the_end_and_play_again_restarts(view, root, monkeypatch):
    callbacks = []

    def add_periodic_callback(callback, period):
        callbacks.append(FakeCallback(callback, period))
        return callbacks[-1]

    monkeypatch.setattr(pn.state, "add_periodic_callback", add_periodic_callback)
    widget_for(view._layout, view.state, "n_steps").value = 100
    widget_for(view._layout, view.state, "steps_per_tick").value = 50
    view.play.value = True
    assert view.play.label == "Pause"
    (playing,) = callbacks
    playing.tick()
    assert step_count(view) == (50, 100)
    assert view.play.value
    playing.tick()
    assert step_count(view) == (100, 100)
    assert "(done)" in summary_text(view)
    assert not view.play.value  # the end pauses
    assert not playing.running
    assert view.play.label == "Play"
    view.play.value = True  # Play after the end starts again
    assert step_count(view)[0] == 0
    assert len(callbacks) == 2
    view.play.value = False
    assert not callbacks[1].running


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, root, preset):
    initial = shown(view, root)
    session.apply_preset(preset)
    # "Edge online learning" sets the learning task and steps to their defaults: no preset moves this view.
    assert (shown(view, root) != initial) is preset_changes(preset, ("learning",))
    for name in control_names(view.state):
        assert widget_for(view._layout, view.state, name).value == getattr(view.state, name)
    session.reset()
    assert shown(view, root) == initial


@pytest.mark.parametrize("name", number_names(LearningState))
def test_rejected_typed_value_keeps_the_run(view, notice, root, name):
    view.state.advance(20)
    before, kept = shown(view, root), getattr(view.state, name)
    box = widget_for(view._layout, view.state, name)
    box.value = out_of_range(view.state, name)
    assert notice.text.startswith(f"{view.state.param[name].label}:")
    assert getattr(view.state, name) == box.value == kept
    assert step_count(view)[0] == 20  # not restarted
    assert shown(view, root) == before


def test_fraction_for_a_whole_number_is_rejected(view, notice):
    widget_for(view._layout, view.state, "seed").value = 2.5
    assert notice.text == "Random seed (-): 2.5 is not a whole number between 0 and 9999; kept 0."
    assert view.state.seed == 0


def test_csv_holds_the_run_so_far(view):
    empty = csv_texts(view)
    assert list(empty) == ["learning_curves.csv", "weights.csv"]
    assert all(len(rows(text)) == 1 for text in empty.values())  # the header alone at step 0
    view.state.advance(30)
    first = csv_texts(view)
    assert all(len(rows(text)) == 31 for text in first.values())  # a header and steps 1 to 30
    widget_for(view._layout, view.state, "seed").value = 7
    view.state.advance(30)
    again = csv_texts(view)
    assert "# seed: 7\n" in again["learning_curves.csv"]
    assert all(rows(again[name]) != rows(first[name]) for name in first)
