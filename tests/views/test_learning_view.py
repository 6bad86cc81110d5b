"""Learning view in a Bokeh document: Step, Play, Reset, each run parameter restarting the run, presets,
rejected values, CSV; the plots fed only new points; the work stopped by a pause and by a closed page
(served by Panel in this process). Runs are kept to a few hundred steps (~0.2 s per 50)."""

import re

import panel as pn
import pytest
from bokeh.document.events import ColumnDataChangedEvent, ColumnsStreamedEvent, ModelChangedEvent
from test_state_learning import ManualExecutor  # tests/ is on the path, as for tests/ui's helpers

from dashboard.state import runs
from dashboard.state.learning import LearningState
from dashboard.state.presets import PRESETS
from dashboard.state.session import SessionState
from dashboard.testing import wait_until
from dashboard.views.controls import control_names
from dashboard.views.learning import LearningView
from dashboard.views.notice import Notice

from .helpers import (
    csv_texts,
    legend,
    new_value,
    number_names,
    out_of_range,
    preset_changes,
    rows,
    served_page,
    set_device,
    shown,
    summary_text,
    widget_for,
)

#: Parameters of the run: changing one restarts it. ``steps_per_tick`` is the pace of the screen only.
RUN = [name for name in control_names(LearningState) if name != "steps_per_tick"]
#: Parameters of the energy basis, which reprices the run.
PRICING = ("baseline", "count_reads", "drive", "adc_fom_fJ")


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


@pytest.fixture
def ticks(monkeypatch):
    """Panel's periodic callbacks replaced by FakeCallbacks the test ticks itself; the list of them."""
    callbacks = []

    def add_periodic_callback(callback, period):
        callbacks.append(FakeCallback(callback, period))
        return callbacks[-1]

    monkeypatch.setattr(pn.state, "add_periodic_callback", add_periodic_callback)
    return callbacks


def test_play_runs_ticks_until_the_end_and_play_again_restarts(view, root, ticks):
    widget_for(view._layout, view.state, "n_steps").value = 100
    widget_for(view._layout, view.state, "steps_per_tick").value = 50
    view.play.value = True
    assert view.play.label == "Pause"
    (playing,) = ticks
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
    assert len(ticks) == 2
    view.play.value = False
    assert not ticks[1].running


def test_a_step_streams_only_the_new_points_into_the_same_plots(built, view, root):
    if root.document is None:
        built.doc.add_root(root)  # document events are what a server sends to the browser
    figures = {name: plot.figure for name, plot in view.plots.items()}
    click(view.step)
    events = []
    built.doc.on_change(events.append)
    click(view.step)
    built.doc.callbacks._change_callbacks.pop(events.append, None)  # the module's document goes on
    streamed = {}
    for event in events:
        assert not isinstance(event, ColumnDataChangedEvent), "a layer was redrawn whole"
        assert not (isinstance(event, ModelChangedEvent) and event.attr == "data"), "a layer was replaced"
        if isinstance(event, ColumnsStreamedEvent):
            streamed[event.model.id] = len(event.data["x"])
    for name in ("accuracy", "loss", "weights"):
        for source in view.plots[name].sources.values():
            assert streamed.pop(source.id) == 100  # steps 101 to 200, nothing else
            assert len(source.data["x"]) == 200
    updates = view.plots["updates"].sources
    for key in ("fndam", "float"):  # measured update sizes, smoothed over the last 25 steps
        assert streamed.pop(updates[key].id) == 100
    assert streamed == {}  # the pulse schedule, drawn with the run, is not sent again
    assert len(updates["schedule-fndam"].data["x"]) == view.state.n_steps + 1
    assert {name: plot.figure for name, plot in view.plots.items()} == figures
    # On a canvas (Plot): a browser rendering WebGL in software copies it on every streamed repaint.
    assert {figure.output_backend for figure in figures.values()} == {"canvas"}
    assert all(root.select_one({"id": figure.id}) is figure for figure in figures.values())
    click(view.reset)  # a new run (here: from step 0) redraws every layer
    assert all(len(source.data["x"]) == 0 for name in ("accuracy", "loss", "weights")
               for source in view.plots[name].sources.values())


def test_legends_below_the_plots_and_the_step_axis_spans_the_run(view, root):
    figures = [plot.figure for plot in view.plots.values()]
    # Below, so a legend never covers the curves (the accuracy plot's legend once hid its right end).
    assert all(figure.legend and figure.legend[0] in figure.below for figure in figures)
    schedule = {"one reference pulse (device physics)", "float rate k0/(k0+k)"}
    assert set(legend(root)) == schedule  # at step 0 only the pulse schedule, which spans the run
    click(view.step)
    shown_entries = legend(root)
    labels = [layer.label for plot in view.plots.values() for layer in plot.layers.values()]
    assert sorted(shown_entries) == sorted(set(labels))  # every layer has data after a step
    assert shown_entries["FN-DAM synapse array"] == 100  # steps 1 to 100
    widget_for(view._layout, view.state, "n_steps").value = 500
    assert {(f.x_range.start, f.x_range.end) for f in figures} == {(0, 500)}
    assert legend(root) == dict.fromkeys(schedule, 501)  # a new run starts with its schedule alone


def test_pause_stops_the_work_asked_for(view, root, ticks, monkeypatch):
    # As served: rates and steps come from an executor (the worker process); a tick takes what arrived.
    runs.forget()
    executor = ManualExecutor()
    monkeypatch.setattr(view.state, "executor", executor)
    view.state.reset()  # a run not computed yet
    assert "Searching each memory's learning rate" in summary_text(view)
    (waiting,) = ticks  # the callback that shows the rates when they come
    view.play.value = True
    assert ticks == [waiting]  # ... plays too
    waiting.tick()
    assert step_count(view)[0] == 0  # nothing computed: nothing shown
    executor.run_all()  # the rates
    waiting.tick()
    assert "η0" in summary_text(view)
    executor.run_all()  # the first chunk
    waiting.tick()
    assert step_count(view)[0] == 100
    while not executor.jobs:
        waiting.tick()  # shows what arrived until it runs low, then asks for more
    (job,) = executor.jobs
    view.play.value = False
    assert job[0].cancelled()  # not started: never computed
    assert not waiting.running


def test_a_closed_page_stops_its_training():
    # Served by Panel in this process with the server's worker pool, keeping a closed page's session as
    # the app's server does (a minute); the page is a Bokeh client, and its session plays from the start
    # (Panel starts callbacks of a loaded session only for a browser).
    runs.forget()  # nothing computed in this process: the steps shown come from the worker
    views = []

    def playing_app():
        views.append(LearningView(SessionState().learning, Notice()))
        views[-1].play.value = True
        return views[-1]

    with served_page(playing_app) as close:
        (view,) = views
        assert view.state.executor is runs.process_pool()
        wait_until(lambda: view.state.steps_done >= 200, timeout=60_000)  # computed by the worker
        driver, recording = view._driver, view.state.run.recording
        assert driver.running
        close()
        # Well before the session is dropped: the closed connection stops it.
        wait_until(lambda: not driver.running and view._driver is None, timeout=20_000)
        assert not view.play.value  # paused, should the page come back
        assert view.play.label == "Play"
        assert list(recording._waiting) == []  # nobody waits: nothing more is asked for
        assert recording.steps < view.state.n_steps  # not computed to the end behind the closed page


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, root, preset):
    initial = shown(view, root)
    element = session.memory.element()
    session.apply_preset(preset)
    # The learning view follows the session's element (oxide, voltage, area, capacitance: not the image
    # force) and the energy basis; "Edge online learning" sets the learning task and steps to their
    # defaults.
    ignored = [n for n in session.energy.param if n not in PRICING]
    changes = (preset_changes(preset, ("learning", "energy"), ignored)
               or session.memory.element() != element)
    assert (shown(view, root) != initial) is changes
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


@pytest.mark.parametrize(("name", "value"), [("capacitance_fF", 20.0), ("junction_area_um2", 4.0)])
def test_the_session_element_restarts_the_run_and_changes_what_it_learns(session, view, root, name, value):
    click(view.step)
    before = shown(view, root)
    setattr(session.memory, name, value)  # the memory view's control
    assert step_count(view)[0] == 0
    click(view.step)
    assert step_count(view)[0] == 100
    assert shown(view, root)[1] != before[1]


def test_a_device_control_restarts_the_run(session, view, notice, root):
    click(view.step)
    before = shown(view, root)
    set_device(session, notice, "temperature_K", 350.0)
    assert notice.text == ""
    assert step_count(view)[0] == 0
    click(view.step)
    assert shown(view, root)[1] != before[1]


@pytest.mark.parametrize(("name", "value"), [("baseline", "on-chip SRAM"), ("count_reads", False),
                                             ("adc_fom_fJ", 10.0), ("drive", "ideal (C_j delta^2)")])
def test_the_energy_basis_reprices_without_restarting(session, view, root, name, value):
    click(view.step)
    before = summary_text(view)
    setattr(session.energy, name, value)  # the energy view's control
    after = summary_text(view)
    assert step_count(view)[0] == 100
    assert after != before
    # The accuracies stay: only the energies and the pricing line change.
    accuracies = [re.findall(r"accuracy ([\d.]+)", text) for text in (before, after)]
    assert accuracies[0] == accuracies[1]


def test_summary_shows_rates_counts_and_pricing(view):
    text = summary_text(view)
    rates = re.findall(r", η0 ([\d.]+), ", text)  # one per memory line
    assert len(rates) == 5
    assert {float(rate) for rate in rates} <= {0.01, 0.03, 0.1, 0.3, 1.0}
    assert "best of {0.01, 0.03, 0.1, 0.3, 1}" in text
    assert "**DDR DRAM**, reads charged on both sides" in text
    widget_for(view._layout, view.state, "pulse_min_width_us").value = 3000.0
    view.state.advance(100)
    clipped, dropped = map(int, re.search(r"([\d,]+) clipped to the 0.1 s step, ([\d,]+) dropped",
                                          summary_text(view)).groups())
    counts = view.state.run.fndam_counts()
    assert (clipped, dropped) == (counts["clipped"], counts["dropped"])
    assert dropped > 0


def test_a_csv_asked_for_before_the_rates_come_says_so(view, monkeypatch):
    runs.forget()
    executor = ManualExecutor()
    monkeypatch.setattr(view.state, "executor", executor)
    view.state.reset()  # a run whose rates the worker has not sent yet
    for make_csv in (view.curves_csv, view.weights_csv):
        text = make_csv()
        assert "still being searched" in text
        assert text.splitlines()[-1] == "step"  # a header, no rows
    executor.run_all()  # the rates
    assert "learning_rates" in view.curves_csv()
