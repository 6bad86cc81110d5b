"""Band view in a Bokeh document: each control, the shared device, presets, reset, rejected values, CSV."""

import itertools
import re

import pytest

from dashboard.state.band import MOVING_AGES_S, BandState
from dashboard.state.device import OperatingPoint
from dashboard.state.presets import PRESETS
from dashboard.state.session import SessionState
from dashboard.testing import wait_until
from dashboard.views.band import BandView
from dashboard.views.controls import control_names, controls
from dashboard.views.notice import Notice

from .helpers import (
    csv_texts,
    edit_control,
    legend,
    new_value,
    number_names,
    out_of_range,
    preset_changes,
    served_page,
    set_device,
    shown,
    summary_text,
    widget_for,
)


def build(session, notice):
    return BandView(session.band, notice)


def number(view, label):
    return float(re.search(rf"\*\*{label}\*\* ([\d.]+)", summary_text(view)).group(1))


@pytest.mark.parametrize("name", control_names(BandState))
def test_each_control_changes_the_band_and_the_summary(view, notice, name, root):
    before, after = edit_control(view, root, notice, name)
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_higher_voltage_gives_a_shorter_tunneling_distance(session, notice, view):
    # phi/(qE) at 3.2 eV, 10 V, 12 nm
    assert number(view, "Tunneling distance") == pytest.approx(3.85, abs=0.005)
    set_device(session, notice, "oxide_voltage", 12.8)
    assert number(view, "V_ox now") == 12.8
    # A triangular barrier: distance phi d / (q V) = 3.2 x 12 / 12.8 = 3.00 nm (sampled on 400 points).
    assert number(view, "Tunneling distance") == pytest.approx(3.0, abs=0.03)


def test_age_lowers_the_voltage_and_widens_the_barrier(view):
    distance = number(view, "Tunneling distance")
    widget_for(view._layout, view.state, "age").value = "1 year"
    assert number(view, "V_ox now") < 10.0
    assert number(view, "Tunneling distance") > distance


def test_thin_oxide_at_low_voltage_tunnels_directly_without_turning_point(session, notice, view, root):
    assert "Fowler-Nordheim" in summary_text(view)
    assert legend(root)["Classical turning point"] == 1
    set_device(session, notice, "oxide_thickness_nm", 3.0)
    set_device(session, notice, "oxide_voltage", 2.0)
    assert "direct tunneling" in summary_text(view)
    assert number(view, "Tunneling distance") == pytest.approx(3.0, abs=0.01)  # the whole oxide
    assert "Classical turning point" not in legend(root)  # an empty layer, its entry hidden
    assert legend(root)["Tunneling path"] == 2


@pytest.mark.parametrize("name", control_names(OperatingPoint))
def test_each_device_parameter_moves_the_band(session, notice, view, name, root):
    # A year after programming: mass and temperature enter the band only through the discharge.
    view.state.age = "1 year"
    session.device.image_force = name == "eps_r"  # the permittivity screens the image force only
    before = shown(view, root)
    set_device(session, notice, name, new_value(session.device, name))
    assert notice.text == ""
    assert shown(view, root)[1] != before[1]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, preset, root):
    initial = shown(view, root)
    session.apply_preset(preset)
    # Just programmed (age 0), the band does not depend on mass or temperature: only the decay and the
    # current now (in the summary) do.
    draws = preset_changes(preset, ("device", "band"), ignored={"mass_ratio", "temperature_K"})
    tells = preset_changes(preset, ("device", "band"))
    after = shown(view, root)
    assert (after[0] != initial[0], after[1] != initial[1]) == (tells, draws)
    for name in control_names(view.state):  # the widgets follow the preset
        assert widget_for(view._layout, view.state, name).value == getattr(view.state, name)
    session.reset()
    assert shown(view, root) == initial


@pytest.mark.parametrize("name", number_names(OperatingPoint))
def test_rejected_typed_value_shows_the_notice_and_keeps_the_band(session, view, notice, name, root):
    session.device.image_force = True  # so that eps_r is drawn
    view.state.age = "1 year"  # so that mass and temperature are (through the discharge)
    device = session.device
    before, kept = shown(view, root), getattr(device, name)
    box = widget_for(controls(device, notice), device, name)
    box.value = out_of_range(device, name)
    assert device.param[name].label in notice.text
    assert notice.text.endswith(f"kept {kept:g}.")
    assert getattr(device, name) == kept
    assert box.value == kept
    assert shown(view, root) == before
    box.value = new_value(device, name)  # the next valid value clears the notice
    assert notice.text == ""
    assert shown(view, root) != before


def test_csv_holds_the_current_band(session, notice, view):
    before = csv_texts(view)
    assert list(before) == ["band_diagram.csv"]
    assert "# oxide_voltage_now_V: 10\n" in before["band_diagram.csv"]
    set_device(session, notice, "oxide_voltage", 12.8)
    text = csv_texts(view)["band_diagram.csv"]
    assert "# oxide_voltage_now_V: 12.8\n" in text
    assert text.splitlines()[-1] != before["band_diagram.csv"].splitlines()[-1]  # the band's last point


def test_a_field_above_ten_mv_per_cm_warns_of_breakdown(session, notice, view):
    set_device(session, notice, "oxide_thickness_nm", 8.0)  # 10 V on 8 nm: 12.5 MV/cm
    assert "⚠ 12.5 MV/cm is above 10 MV/cm: thermal SiO2 breaks down" in summary_text(view)
    set_device(session, notice, "oxide_thickness_nm", 12.0)
    assert "breaks down" not in summary_text(view)


def test_the_discharge_plays_from_one_second_to_ten_years(view, root):
    distances, voltages = [], []
    for _ in MOVING_AGES_S:  # what the periodic callback does, frame by frame
        view.advance()
        distances.append(number(view, "Tunneling distance"))
        voltages.append(number(view, "V_ox now"))
    assert view.state.moving_age_s == MOVING_AGES_S[-1]
    assert "**Age** 10 years" in summary_text(view)
    # The barrier widens and the voltage falls at every frame (the summary rounds to 10 pm and 1 mV).
    assert all(b >= a for a, b in itertools.pairwise(distances))
    assert distances[-1] > distances[0]
    assert all(b <= a for a, b in itertools.pairwise(voltages))
    assert voltages[-1] < voltages[0]
    plotted_at_end = shown(view, root)[1]
    view.advance()  # past 10 years: the motion ends on the chosen age "10 years", the same band
    assert (view.state.moving_age_s, view.state.age) == (None, "10 years")
    assert shown(view, root)[1] == plotted_at_end


def test_a_closed_page_stops_its_discharge():
    # Served (sessions kept a minute after their page closes, as the app's server does); the page's
    # session plays from the start.
    views = []

    def playing_app():
        views.append(BandView(SessionState().band, Notice()))
        views[-1].play.clicks += 1
        return views[-1]

    with served_page(playing_app) as close:
        (view,) = views
        wait_until(lambda: view.state.moving_age_s is not None, timeout=20_000)  # it moves
        close()
        wait_until(lambda: view._frames is None, timeout=20_000)
        age = view.state.moving_age_s
        assert age is not None  # stopped, not played to the end (which leaves no age in motion)
        assert age < MOVING_AGES_S[-1]
        assert "Play the discharge" in view.play.label  # as paused, should the page come back


def test_choosing_an_age_ends_the_motion(view):
    view.advance()
    view.advance()
    assert view.state.moving_age_s is not None
    widget_for(view._layout, view.state, "age").value = "1 hour"
    assert view.state.moving_age_s is None
    assert "**Age** 1 hour" in summary_text(view)
