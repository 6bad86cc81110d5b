"""Current view in a Bokeh document: each curve switch, the shared device, presets, reset, rejected
values, CSV. (The exact curve costs about a second per new oxide: it is drawn for two oxides only.)"""

import re

import pytest

from dashboard.state.current import CurrentState
from dashboard.state.device import OperatingPoint
from dashboard.state.presets import PRESETS
from dashboard.views.controls import control_names, controls
from dashboard.views.current import CurrentView

from .helpers import (
    csv_texts,
    edit_control,
    legend,
    new_value,
    out_of_range,
    preset_changes,
    set_device,
    shown,
    summary_text,
    widget_for,
)


def build(session, notice):
    return CurrentView(session.current, notice)


def operating_point(view):
    field, current = re.search(r"\*\*Operating point\*\* ([\d.]+) MV/cm, J = ([\d.e+-]+) A/cm²",
                               summary_text(view)).groups()
    return float(field), float(current)


@pytest.mark.parametrize("name", control_names(CurrentState))
def test_each_curve_switch_changes_the_plots_and_the_fitted_method(view, notice, name, root):
    before, after = edit_control(view, root, notice, name)
    # The FN plot and its slope follow the most accurate curve drawn, so both change.
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_exact_transmission_adds_the_exact_curve(view, root):
    assert set(legend(root)) >= {"FN formula", "WKB (Tsu-Esaki)"}
    assert "Exact (transfer matrix)" not in legend(root)
    widget_for(view._layout, view.state, "show_exact").value = True
    # Every 5th of the 120 fields (EXACT_STRIDE) with a current above the 1e-20 A/cm² floor.
    assert 10 <= legend(root)["Exact (transfer matrix)"] <= 24
    assert "**Fitted slope** (Exact (transfer matrix))" in summary_text(view)
    assert "exact," in csv_texts(view)["current_vs_field.csv"]


def test_hiding_wkb_fits_the_fn_formula(view, root):
    assert "**Fitted slope** (WKB (Tsu-Esaki))" in summary_text(view)
    widget_for(view._layout, view.state, "show_wkb").value = False
    assert "WKB (Tsu-Esaki)" not in legend(root)
    assert legend(root)["FN formula"] > 0
    # The FN formula is J = A E² exp(-B/E): its FN plot is a line of slope exactly -B.
    fitted, formula = (float(re.search(rf"{label}[^-]*(-[\d.]+) V/nm", summary_text(view)).group(1))
                       for label in (r"\*\*Fitted slope\*\* \(FN formula\)", "−B"))
    assert fitted == formula


def test_higher_voltage_moves_the_operating_point_up(session, notice, view):
    field, current = operating_point(view)
    assert field == pytest.approx(8.33)  # 10 V / 12 nm
    set_device(session, notice, "oxide_voltage", 12.8)
    new_field, new_current = operating_point(view)
    assert new_field == pytest.approx(10.67)
    assert new_current > 100 * current  # exp(-B/E) with B ~ 250 MV/cm: ~400x from 8.3 to 10.7 MV/cm


@pytest.mark.parametrize("name", control_names(OperatingPoint))
def test_each_device_parameter_changes_the_curves(session, notice, view, name, root):
    session.device.image_force = name == "eps_r"  # the permittivity screens the image force only
    before = shown(view, root)
    set_device(session, notice, name, new_value(session.device, name))
    after = shown(view, root)
    assert after[0] != before[0]
    assert after[1] != before[1]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, preset, root):
    initial = shown(view, root)
    session.apply_preset(preset)
    changes = preset_changes(preset, ("device", "current"))
    after = shown(view, root)
    assert (after[0] != initial[0], after[1] != initial[1]) == (changes, changes)
    for name in control_names(view.state):
        assert widget_for(view._layout, view.state, name).value == getattr(view.state, name)
    session.reset()
    assert shown(view, root) == initial


def test_rejected_device_value_keeps_the_curves(session, notice, view, root):
    # The view has switches only: a typed value reaches it through the sidebar's device boxes.
    before = shown(view, root)
    box = widget_for(controls(session.device, notice), session.device, "oxide_thickness_nm")
    box.value = out_of_range(session.device, "oxide_thickness_nm")
    assert notice.text.startswith("Oxide thickness d (nm):")
    assert session.device.oxide_thickness_nm == box.value == 12.0
    assert shown(view, root) == before


def test_csv_holds_the_drawn_curves(view):
    before = csv_texts(view)
    assert list(before) == ["current_vs_field.csv", "fn_plot.csv"]
    assert "\nwkb," in before["current_vs_field.csv"]
    assert "# method: wkb\n" in before["fn_plot.csv"]
    widget_for(view._layout, view.state, "show_wkb").value = False
    after = csv_texts(view)
    assert "\nwkb," not in after["current_vs_field.csv"]
    assert "\nfn," in after["current_vs_field.csv"]
    assert "# method: fn\n" in after["fn_plot.csv"]
    assert after["fn_plot.csv"].splitlines()[3:] != before["fn_plot.csv"].splitlines()[3:]


def test_a_field_above_ten_mv_per_cm_warns_of_breakdown(session, notice, view):
    # 12 V on 12 nm is 10.0 MV/cm (no warning); 12.6 V is 10.5 MV/cm, past where thermal SiO2 fails.
    set_device(session, notice, "oxide_voltage", 12.0)
    assert "breaks down" not in summary_text(view)
    set_device(session, notice, "oxide_voltage", 12.6)
    assert "⚠ 10.5 MV/cm is above 10 MV/cm" in summary_text(view)
