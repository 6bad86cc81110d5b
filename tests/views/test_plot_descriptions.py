"""What a screen reader gets of each plot (dashboard/views/plotframe.py): a sentence of what it shows,
with its numbers recomputed here from the physics or the state, that follows every change; the title as
the canvas's name; and the data as tables, built only while asked for."""

import numpy as np
import pytest

from dashboard.state.memory import T_STOP
from dashboard.state.session import SessionState
from dashboard.state.text import duration, number
from dashboard.views.band import BandView
from dashboard.views.current import CurrentView
from dashboard.views.energy import EnergyView
from dashboard.views.learning import LearningView
from dashboard.views.memory import MemoryView
from dashboard.views.notice import Notice
from dashboard.views.plotframe import MAX_ROWS, PlotFrame, data_tables
from dashboard.views.plotting import Layer, line
from physics import fndam, tunneling
from physics.constants import A_PER_CM2, MV_PER_CM, YEAR

VIEWS = {"band": BandView, "current": CurrentView, "memory": MemoryView, "learning": LearningView,
         "energy": EnergyView}


@pytest.fixture(scope="module")
def built():
    """A session and each view of it with plots."""
    session = SessionState()
    notice = Notice()
    return session, {key: view(session.part(key), notice) for key, view in VIEWS.items()}


@pytest.fixture
def views(built):
    session, views_ = built
    yield views_
    session.reset()
    if session.learning.steps_done:
        session.learning.reset()


def frames(view):
    """The view's plot frames, in the order of its layout."""
    return view._layout.select(PlotFrame)


def test_every_plot_is_named_by_its_title_and_described(views):
    for key, view in views.items():
        for frame in frames(view):
            assert frame.label == frame.plot.object.title.text.replace("\n", " "), key
            assert frame.text.endswith("."), (key, frame.text)


def test_band_sentence_gives_the_voltage_and_the_tunneling_distance(views):
    view = views["band"]
    state = view.state
    (frame,) = frames(view)
    path = state.tunneling_path(state.profile())
    assert frame.text.startswith(f"Just programmed: V_ox = {number(state.device.oxide_voltage)} V")
    assert f"tunnels {number(path['distance_nm'])} nm" in frame.text
    state.age = "1 year"
    v_year = float(fndam.oxide_voltage(YEAR, state.device.element()))
    assert frame.text.startswith(f"1 year after programming: V_ox = {number(v_year)} V")


def test_current_sentences_give_the_operating_point_and_the_fitted_slope(views):
    view = views["current"]
    dev = view.state.device
    je, fn = frames(view)
    j = float(np.asarray(tunneling.current_density(dev.oxide_voltage, **dev.tunneling_inputs()))) / A_PER_CM2
    assert f"J = {number(j)} A/cm² at {number(dev.field / MV_PER_CM)} MV/cm (WKB)" in je.text
    assert "Fowler-Nordheim regime" in je.text
    assert f"the fitted slope is {number(view.state.fn_plot()['slope_V_per_nm'])} V/nm" in fn.text
    dev.oxide_voltage = 2.0  # q V_ox < phi: direct tunneling, and J falls below the plot's floor
    assert "direct-tunneling regime" in je.text
    assert "below the plot's floor" in je.text


def test_memory_sentences_follow_the_trajectories(views):
    view = views["memory"]
    voltage, rate, retention, resolution = frames(view)
    element = view.state.element()
    assert f"V0 has fallen to {number(float(fndam.oxide_voltage(T_STOP, element)))} V" in voltage.text
    assert f"after {duration(T_STOP)}" in voltage.text
    assert "leakage floor" not in rate.text
    view.state.leakage_e_per_hour = 100.0
    assert f"the leakage floor is {number(100 / 3600)} per second" in rate.text
    assert f"Time to lose {view.state.retention_loss_mV:g} mV" in retention.text
    bits = view.state.resolution()["bits"]
    assert f"at most {number(np.nanmax(bits))} bits" in resolution.text


def test_learning_sentences_give_the_last_step(views):
    view = views["learning"]
    accuracy = frames(view)[0]
    assert accuracy.text.startswith("No steps yet")
    view.step.clicks += 1
    curves = view.state.curves()
    step = int(curves["fndam"]["step"][-1])
    assert accuracy.text.startswith(f"At step {step:,} of {view.state.n_steps:,}, test accuracies:")
    assert f"FN-DAM synapse array: {number(curves['fndam']['accuracy'][-1])}" in accuracy.text


def test_energy_sentences_give_the_totals_and_the_saving(views):
    view = views["energy"]
    _, _, scale, saving = frames(view)
    s = view.state.summary()
    assert f"At N = {number(s['N'])} parameters and B = {s['batch']:,.0f}" in scale.text
    assert f"Saving against {view.state.baseline} at B = {s['batch']:,.0f}: {number(s['saving'])}x" \
        in saving.text
    view.state.baseline = "HBM2"
    assert "Saving against HBM2" in saving.text


def test_the_label_follows_a_title_that_changes(views):
    view = views["memory"]
    resolution = frames(view)[3]
    view.state.capacitance_fF = 250.0
    assert "250 fF" in resolution.label


def test_tables_are_built_only_while_open_and_follow_the_plot(views):
    view = views["band"]
    (frame,) = frames(view)
    assert frame.tables == []
    frame.table_open = True
    captions = [table["caption"] for table in frame.tables]
    assert any(caption.startswith("Conduction band now") for caption in captions)
    before = frame.tables
    view.state.device.oxide_voltage = 12.0
    assert frame.tables != before  # redrawn with the plot while open
    frame.table_open = False
    assert frame.tables == []


def test_data_tables_spread_long_layers_and_keep_data_columns_only():
    layers = {"curve": line("A curve", "#000000"),
              "points": Layer("scatter", "", {"fill_color": "color", "marker": "marker"}),
              "bars": Layer("quad", "", {}, tooltips=(("Name", "@name"), ("Energy", "@energy")))}
    x = np.arange(100.0)
    data = {"curve": {"x": x, "y": x**2},
            "points": {"x": [1.0, 2.0], "y": [3.0, 4.0], "color": ["red", "blue"], "marker": ["x", "o"]},
            "bars": {"left": [0.0], "right": [1.0], "bottom": [0.0], "top": [2.0], "name": ["DRAM"],
                     "energy": ["20 pJ"]}}
    curve, points, bars = data_tables(layers, data, "Time (s)", "Value (V)")
    assert curve["caption"] == f"A curve: {MAX_ROWS} of 100 rows, evenly spaced"
    assert curve["columns"] == ["Time (s)", "Value (V)"]
    assert len(curve["rows"]) == MAX_ROWS
    assert curve["rows"][0] == ["0", "0"]
    assert curve["rows"][-1] == ["99", "9801"]
    assert points == {"caption": "points: 2 rows", "columns": ["Time (s)", "Value (V)"],
                      "rows": [["1", "3"], ["2", "4"]]}  # colours and markers only style the glyph
    assert bars["columns"] == ["Name", "Energy"]
    assert bars["rows"] == [["DRAM", "20 pJ"]]
    no_curve = {**data, "curve": {"x": [], "y": []}}
    captions = [table["caption"] for table in data_tables(layers, no_curve, "t", "v")]
    assert captions == ["points: 2 rows", "bars: 1 row"]  # an empty layer has no table
