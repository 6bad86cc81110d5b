"""Memory view in a Bokeh document: each control, the shared device, presets, reset, rejected values,
the FN-regime warnings, the resolution panel and the pair's retention, CSV."""

import re

import pytest
from bokeh.models import Axis, GlyphRenderer, HoverTool, Span, Title, VSpan

from dashboard.state.device import OperatingPoint
from dashboard.state.memory import MARKS, PREPRINT_LABEL, MemoryState
from dashboard.state.presets import PRESETS
from dashboard.views.controls import control_names
from dashboard.views.memory import MemoryView

from .helpers import (
    IMAGE_FORCE,
    csv_texts,
    edit_control,
    legend,
    new_value,
    number_names,
    out_of_range,
    preset_changes,
    rows,
    set_device,
    shown,
    summary_text,
    widget_for,
)

#: The memory's closed form V(t) = k2 / ln(k1 t + k0) is a 0 K law (the device's doc says so).
#: Retention is plotted against age, not summarized: its criterion changes the plot only.
PLOT_ONLY = {"retention_loss_mV"}
FN_END = "q V = phi: the FN closed form ends"


def build(session, notice):
    return MemoryView(session.memory, notice)


def k1(view):
    return float(re.search(r"k1 = S A B / \(C_T d\) = ([\d.e+-]+) 1/s", summary_text(view)).group(1))


@pytest.mark.parametrize("name", control_names(MemoryState))
def test_each_control_changes_the_trajectories(view, notice, name, root):
    before, after = edit_control(view, root, notice, name)
    assert after[1] != before[1]
    assert (after[0] != before[0]) is (name not in PLOT_ONLY)


def test_larger_capacitance_gives_a_smaller_k1(session, notice, view):
    # At 1 K (the FN law: at a temperature the fitted coefficients also follow the fields visited).
    set_device(session, notice, "temperature_K", 1.0)
    before = k1(view)
    widget_for(view._layout, view.state, "capacitance_fF").value = 2100.0
    assert k1(view) == pytest.approx(before * 100 / 2100, rel=5e-3)  # k1 ∝ 1/C_T (3 digits shown)


def texts(root, model):
    """Every ``model`` text in ``root``: axis labels (``Axis``), titles (``Title``), hover names
    (``HoverTool``)."""
    found = set()
    for item in root.select({"type": model}):
        found |= ({name for name, _ in item.tooltips} if model is HoverTool
                  else {item.axis_label if model is Axis else item.text})
    return found


def test_retention_criterion_relabels_and_lengthens_retention(view, root):
    label = "Time to lose {:g} mV (element) or 10% (pair) (s)"
    assert "time to lose 1 mV" in legend(root)
    assert {label.format(1)} <= texts(root, Axis) & texts(root, HoverTool)
    before = csv_texts(view)["retention.csv"]
    widget_for(view._layout, view.state, "retention_loss_mV").value = 100.0
    assert "time to lose 100 mV" in legend(root)
    assert "time to lose 1 mV" not in legend(root)
    assert {label.format(100)} <= texts(root, Axis) & texts(root, HoverTool)
    assert label.format(1) not in texts(root, Axis) | texts(root, HoverTool)
    after = csv_texts(view)["retention.csv"]
    first = [float(line.split(",")[1]) for line in (before.splitlines()[-1], after.splitlines()[-1])]
    assert first[1] > first[0]  # losing 100 mV takes longer than losing 1 mV


@pytest.mark.parametrize("name", [n for n in control_names(OperatingPoint) if n not in IMAGE_FORCE])
def test_each_device_parameter_changes_the_trajectories(session, notice, view, name, root):
    before = shown(view, root)
    set_device(session, notice, name, new_value(session.device, name))
    after = shown(view, root)
    assert after[0] != before[0]
    assert after[1] != before[1]


@pytest.mark.parametrize(("thickness", "voltage", "warning", "marked"), [
    (12.0, 10.0, None, False),  # V(10 years) = 6 V: always a triangular barrier
    (6.0, 5.0, "V reaches phi/q = 3.20 V at 8.92e+06 s (dashed line)", True),  # about 100 days
    (4.0, 4.0, "V reaches phi/q = 3.20 V at 0.785 s: after that", False),  # before the first second
    (3.0, 3.0, "q V0 < phi: the closed form assumes a triangular (FN) barrier", False),
])
def test_fn_regime_warning_and_its_marker(session, notice, view, thickness, voltage, warning, marked, root):
    set_device(session, notice, "temperature_K", 1.0)  # the ages quoted are the 0 K element's
    set_device(session, notice, "oxide_thickness_nm", thickness)
    set_device(session, notice, "oxide_voltage", voltage)
    assert ("⚠" in summary_text(view)) is (warning is not None)
    assert warning is None or warning in summary_text(view)
    assert legend(root).get(FN_END, 0) == (2 if marked else 0)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, preset, root):
    initial = shown(view, root)
    session.apply_preset(preset)
    changes = preset_changes(preset, ("device", "memory"), IMAGE_FORCE)
    after = shown(view, root)
    assert (after[0] != initial[0], after[1] != initial[1]) == (changes, changes)
    for name in control_names(view.state):
        assert widget_for(view._layout, view.state, name).value == getattr(view.state, name)
    session.reset()
    assert shown(view, root) == initial


@pytest.mark.parametrize("name", number_names(MemoryState))
def test_rejected_typed_value_shows_the_notice_and_keeps_the_plots(view, notice, name, root):
    before, kept = shown(view, root), getattr(view.state, name)
    box = widget_for(view._layout, view.state, name)
    box.value = out_of_range(view.state, name)
    assert notice.text.startswith(f"{view.state.param[name].label}:")
    assert notice.text.endswith(f"kept {kept:g}.")
    assert getattr(view.state, name) == box.value == kept
    assert shown(view, root) == before


def test_csv_holds_the_current_element(view):
    before = csv_texts(view)
    assert list(before) == ["memory_trajectories.csv", "retention.csv", "pair_retention.csv",
                            "resolution.csv"]
    widget_for(view._layout, view.state, "capacitance_fF").value = 2100.0
    after = csv_texts(view)
    for name, text in after.items():
        assert "# capacitance_fF: 2100.0\n" in text
        assert text.splitlines()[-1] != before[name].splitlines()[-1]


PAIR = "pair V0, V0 - dV: weight loses 10%"


def columns(csv_text, name):
    """Column ``name`` of a CSV as floats."""
    header, *data = rows(csv_text)
    index = header.split(",").index(name)
    return [float(line.split(",")[index]) for line in data]


def test_resolution_panel_shows_the_shot_noise_floor_and_the_preprint_anchor(view, root):
    shown_legend = legend(root)
    assert shown_legend[PREPRINT_LABEL] == 2  # a horizontal line across the window
    curves = ("with shot noise (exact readout)", "without shot noise (fluid closed form)")
    assert shown_legend[curves[0]] == shown_legend[curves[1]] > 100
    text = summary_text(view)
    # docs/science.md section 3: 100 fF, at 1 day: ~366 uV per element, 9.1 bits; 14 bits need ~124 pF at
    # the plot's criterion (step = sqrt(12) sigma), ~9 pF at one step per sigma.
    assert "σ_V = 366 µV per element" in text
    assert "→ 9.1 bits over 1 V with an exact readout" in text
    assert ("**14 bits** (preprint) at 1 day would need C_T ≈ 124 pF (step = √12 σ; 8.97 pF at step = σ)"
            in text)
    bits = columns(csv_texts(view)["resolution.csv"], "bits_shot_noise")
    assert 8.8 < bits[-1] < 9.6


def test_resolution_panel_follows_the_capacitance(view, root):
    title = "Resolution of a pair of {:g} fF elements over 1 V: shot noise sets a floor"
    assert title.format(100) in texts(root, Title)
    before = columns(csv_texts(view)["resolution.csv"], "bits_shot_noise")
    plotted_before = shown(view, root)[1]
    widget_for(view._layout, view.state, "capacitance_fF").value = 10_000.0
    assert title.format(10_000) in texts(root, Title)
    assert title.format(100) not in texts(root, Title)
    after = columns(csv_texts(view)["resolution.csv"], "bits_shot_noise")
    assert shown(view, root)[1] != plotted_before
    # A hundred times the capacitance: sigma / 10, so ~3.3 bits more at 10 years.
    assert after[-1] - before[-1] == pytest.approx(3.3, abs=0.15)
    assert "→ 12.3 bits over 1 V" in summary_text(view)


def test_pair_retention_is_drawn_beside_the_element_and_follows_the_spacing(view, root):
    assert legend(root)[PAIR] == legend(root)["time to lose 1 mV"]
    before = csv_texts(view)["pair_retention.csv"]
    assert "# pair_V0_minus_dV_V: 9.0\n" in before
    widget_for(view._layout, view.state, "voltage_step").value = 0.2
    after = csv_texts(view)["pair_retention.csv"]
    assert "# pair_V0_minus_dV_V: 9.8\n" in after
    first = [columns(text, "pair_retention_s")[0] for text in (before, after)]
    assert first[0] != pytest.approx(first[1], rel=1e-3)  # early in life the spacing matters


def test_no_pair_when_v0_minus_dv_is_clipped_to_v0(session, notice, view, root):
    set_device(session, notice, "oxide_voltage", 1.0)
    assert "no pair (V0 − dV clipped to V0)" in summary_text(view)
    assert PAIR not in legend(root)  # an empty layer: its legend entry is hidden


def test_image_force_leaves_the_plain_fn_element_unchanged(session, notice, view, root):
    # The element's (3.2 eV, 0.42 m0) law is a plain-FN fit that already absorbs image-force lowering.
    before = shown(view, root)
    set_device(session, notice, "image_force", True)
    set_device(session, notice, "eps_r", 2.15)
    assert shown(view, root) == before


def test_a_leakage_floor_caps_retention_and_is_drawn(view, root):
    # 100 electrons per hour (4.5e-21 A) on 100 fF: 1 mV takes at most C dV / I_L = 2.2e4 s to lose.
    assert "leakage floor" not in legend(root)
    before = csv_texts(view)["retention.csv"]
    widget_for(view._layout, view.state, "leakage_e_per_hour").value = 100.0
    assert legend(root)["leakage floor"] == 2  # a line of two points across the window
    assert "the leakage floor (100 e/h) outruns tunneling" in summary_text(view)
    late = [float(line.split(",")[1]) for line in (before.splitlines()[-1],
                                                   csv_texts(view)["retention.csv"].splitlines()[-1])]
    assert late[0] > 1e6  # tunneling alone: retention keeps growing to 10 years
    assert late[1] < 100e-15 * 1e-3 / (100 * 1.602176634e-19 / 3600)  # below the floor-only time


def test_programming_above_ten_mv_per_cm_warns_of_breakdown(session, notice, view):
    assert "breaks down" not in summary_text(view)
    set_device(session, notice, "oxide_voltage", 14.0)  # 14 V on 12 nm: 11.7 MV/cm at programming
    assert "⚠ 11.7 MV/cm is above 10 MV/cm: thermal SiO2 breaks down" in summary_text(view)


def test_one_day_one_year_and_ten_years_are_marked_on_the_time_plots(view, root):
    # The marks are one vertical-span glyph per plot: V(t), electrons per second and resolution.
    spans = [r for r in root.select({"type": GlyphRenderer}) if isinstance(r.glyph, VSpan)]
    assert len(spans) == 3
    for span in spans:
        assert list(span.data_source.data["x"]) == list(MARKS.values())
    assert not list(root.select({"type": Span}))  # drawn once, as glyphs, not also as annotations
