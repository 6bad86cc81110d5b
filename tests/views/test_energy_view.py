"""Energy view in a Bokeh document: each control, the shared device through the FN-DAM element, the
update-energy parts, the baseline shown beside every saving, presets, reset, rejected values, the
sources table, CSV."""

import re

import numpy as np
import pytest
from bokeh.models import ColumnDataSource, HoverTool
from bokeh.plotting import figure as Figure

from dashboard.state.device import OperatingPoint
from dashboard.state.energy import FNDAM_SOURCES, EnergyState
from dashboard.state.presets import PRESETS
from dashboard.views.controls import control_names
from dashboard.views.energy import EnergyView
from dashboard.views.plotting import SAMPLE

from .helpers import (
    IMAGE_FORCE,
    csv_texts,
    edit_control,
    layer_renderers,
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

#: The hold term (1 pW per bit for 30 days: ~1e5 J of ~2e8 J) is below the 3 digits of the saving, but
#: it moves the largest batch at 100x that the summary states: every control changes the summary.
PLOT_ONLY = set()
#: With the preprint's 5 fJ (the default), the drive and the run's ages enter only the update-parts plot.
DEVICE_PHYSICS_ONLY = {"drive", "log10_start_age", "log10_step_seconds"}
DEVICE_PHYSICS = FNDAM_SOURCES[1]


def build(session, notice):
    return EnergyView(session.energy, notice)


def saving(view):
    return float(re.search(r"\*\*saving ([\d.e+]+)x\*\*", summary_text(view)).group(1))


def element_row(view):
    """The sources table's row of this session's FN-DAM element."""
    table = view.table.object
    return table[table["Technology"] == "FN-DAM (this element)"].iloc[0].to_dict()


@pytest.mark.parametrize("name", control_names(EnergyState))
def test_each_control_changes_the_plots(view, notice, root, name):
    before, after = edit_control(view, root, notice, name)
    assert after[1] != before[1]
    assert (after[0] != before[0]) is (name not in PLOT_ONLY | DEVICE_PHYSICS_ONLY)


@pytest.mark.parametrize("name", sorted(DEVICE_PHYSICS_ONLY))
def test_with_device_physics_the_drive_and_run_ages_change_the_summary(view, notice, root, name):
    view.state.fndam_source = DEVICE_PHYSICS
    before, after = edit_control(view, root, notice, name)
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_online_learning_saves_more_than_batches(view):
    assert saving(view) == pytest.approx(22.8)  # B = 10^1.5: compute dilutes the update saving
    widget_for(view._layout, view.state, "log10_batch").value = 0.0
    assert "B = 1:" in summary_text(view)
    assert saving(view) > 5 * 22.8  # one update per sample: updates dominate the conventional side


def test_the_summary_names_the_baseline_and_where_100x_is_reached(view):
    text = summary_text(view)
    assert "against DDR DRAM, reads charged on both sides" in text
    assert "Horowitz, ISSCC 2014" in text
    assert re.search(r"DDR DRAM [\d.]+x, HBM2 [\d.]+x, on-chip SRAM [\d.]+x", text)
    assert "Press-reported projection, The Register 2022" in text
    assert "reaches 100x against DDR DRAM only for B up to 4.87" in text
    widget_for(view._layout, view.state, "baseline").value = "on-chip SRAM"
    assert "never reaches 100x against on-chip SRAM (B = 1 gives 1.91x)" in summary_text(view)
    widget_for(view._layout, view.state, "baseline").value = "HBM2"
    assert "counts it twice" in summary_text(view)
    widget_for(view._layout, view.state, "count_reads").value = False
    assert "reads charged on neither side" in summary_text(view)
    assert "published" not in summary_text(view).replace("not in the published paper's abstract", "")


def test_update_parts_plot_shows_every_part_and_the_preprint_anchor(view, root):
    shown_legend = legend(root)
    for label in ("tunneled charge C_T |dV| V_tun", "pulse drive", "readout: one ADC conversion",
                  "total charged per update", "mean charged over the run's ages"):
        assert shown_legend.get(label), label
    texts = [str(t) for src in root.select({"type": ColumnDataSource}) for t in src.data.get("text", [])]
    assert "preprint abstract: 'as low as 5 fJ'" in texts
    assert not any("(published)" in t for t in texts)


@pytest.mark.parametrize("name", [n for n in control_names(OperatingPoint) if n not in IMAGE_FORCE])
def test_each_device_parameter_changes_the_element_energy(session, notice, view, root, name):
    view.state.fndam_source = DEVICE_PHYSICS
    before, row = shown(view, root), element_row(view)
    set_device(session, notice, name, new_value(session.device, name))
    after = shown(view, root)
    # The element forgets its initial voltage: over the run's ages (100 s to 37 days) the mean tunneled
    # charge is the same to the 3 digits shown, and the 20 pJ read dominates the total.
    assert (after[0] != before[0]) is (name != "oxide_voltage")
    assert after[1] != before[1]
    assert element_row(view) != row  # its write energy (to 3 digits) or its parts


def test_with_the_preprint_energy_the_device_moves_only_its_plots(session, notice, view, root):
    assert view.state.fndam_source == FNDAM_SOURCES[0]
    before = shown(view, root)
    tech_csv = csv_texts(view)["technologies.csv"]
    set_device(session, notice, "oxide_thickness_nm", 15.0)
    after = shown(view, root)
    assert after[0] == before[0]  # the summary uses the preprint's 5 fJ
    assert after[1] != before[1]
    assert csv_texts(view)["technologies.csv"] != tech_csv


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_shows_and_reset_restores(session, view, root, preset):
    initial = shown(view, root)
    session.apply_preset(preset)
    after = shown(view, root)
    # The plots show the session's element (device, memory); the summary, with the preprint's FN-DAM
    # energy of every preset, only the energy model's own parameters.
    assert after[1] != initial[1] if preset_changes(preset, ("device", "memory", "energy"), IMAGE_FORCE) \
        else after[1] == initial[1]
    assert (after[0] != initial[0]) is preset_changes(preset, ("energy",))
    for name in control_names(view.state):
        assert widget_for(view._layout, view.state, name).value == getattr(view.state, name)
    session.reset()
    assert shown(view, root) == initial


def test_energy_presets_name_their_baseline():
    for name, preset in PRESETS.items():
        if "baseline" in preset.get("energy", {}):
            baseline = preset["energy"]["baseline"]
            assert baseline.replace("DDR ", "") in name, name


def test_edge_presets_show_the_basis_of_their_saving(session, view):
    session.apply_preset("Edge online learning, DRAM baseline")
    dram = saving(view)
    assert "against DDR DRAM" in summary_text(view)
    session.apply_preset("Edge online learning, on-chip SRAM baseline")
    assert "against on-chip SRAM" in summary_text(view)
    assert saving(view) < dram / 20


@pytest.mark.parametrize("name", number_names(EnergyState))
def test_rejected_typed_value_shows_the_notice_and_keeps_the_plots(view, notice, root, name):
    before, kept = shown(view, root), getattr(view.state, name)
    box = widget_for(view._layout, view.state, name)
    box.value = out_of_range(view.state, name)
    assert notice.text.startswith(f"{view.state.param[name].label}:")
    assert notice.text.endswith(f"kept {kept:g}.")
    assert getattr(view.state, name) == box.value == kept
    assert shown(view, root) == before


def test_sources_table_follows_the_element(session, view):
    row = element_row(view)
    assert row["Per"] == "per synaptic update (device physics)"
    assert "pulse drive" in row["Includes"]
    session.memory.capacitance_fF = 1000.0
    assert element_row(view)["Write energy"] != row["Write energy"]


def test_csv_holds_the_current_model(session, view):
    before = csv_texts(view)
    assert list(before) == ["technologies.csv", "update_parts.csv", "training_energy.csv",
                            "saving_vs_batch.csv"]
    widget_for(view._layout, view.state, "log10_batch").value = 0.0
    after = csv_texts(view)
    assert after["technologies.csv"] == before["technologies.csv"]  # per-update energies: no B
    assert "# B: 1.0\n" in after["training_energy.csv"]
    assert rows(after["training_energy.csv"]) != rows(before["training_energy.csv"])
    # The saving is swept over B: the chosen B is only a note there; the compute energy moves it.
    assert "# B: 1.0\n" in after["saving_vs_batch.csv"]
    assert rows(after["saving_vs_batch.csv"]) == rows(before["saving_vs_batch.csv"])
    widget_for(view._layout, view.state, "e_flop").value = new_value(view.state, "e_flop")
    assert rows(csv_texts(view)["saving_vs_batch.csv"]) != rows(after["saving_vs_batch.csv"])
    session.memory.capacitance_fF = 1000.0
    assert csv_texts(view)["technologies.csv"] != before["technologies.csv"]


def figures(root):
    """Title up to its first ' (' or ' at' -> figure."""
    return {re.split(r" \(| at B", f.title.text)[0]: f for f in root.select({"type": Figure})}


def source_of(fig, glyph):
    """The data of the one renderer of ``fig`` drawing a ``glyph`` (a Bokeh glyph class name)."""
    (renderer,) = [r for r in fig.renderers if type(r.glyph).__name__ == glyph and SAMPLE not in r.tags]
    return renderer, renderer.data_source.data


def test_technology_bars_name_and_hover_every_technology(view, root):
    rows = view.state.technologies()
    tech = figures(root)["Write energy per update"]
    bars, data = source_of(tech, "Quad")
    names = [r["technology"] for r in rows]
    assert list(data["technology"]) == names
    assert list(data["source"]) == [r["source"] for r in rows]
    assert list(data["top"]) == [r["energy_J"] for r in rows]
    assert "5 fJ" in data["energy"][names.index("FN-DAM (paper)")]
    # The x axis names each bar's slot, and the slots lie inside the fixed axis.
    assert [tech.xaxis.major_label_overrides[i] for i in tech.xaxis.ticker.ticks] == names
    assert tech.x_range.start < min(data["left"])
    assert max(data["right"]) < tech.x_range.end
    (hover,) = [t for t in tech.tools if isinstance(t, HoverTool) and bars in t.renderers]
    assert {field for _, field in hover.tooltips} == {"@technology", "@energy", "@source"}
    _, whiskers = source_of(tech, "Segment")
    assert len(whiskers["y1"]) == sum(np.isfinite(r["max_J"]) for r in rows) > 0
    _, landauer = source_of(tech, "HSpan")
    assert list(landauer["y"]) == [view.state.anchors()["landauer_J"]]
    # The bars start below the Landauer line, so the line is drawn across them.
    assert tech.y_range.start == min(data["bottom"]) < landauer["y"][0] < min(data["top"])


def test_the_element_bar_follows_the_memory(session, view, root):
    tech = figures(root)["Write energy per update"]
    _, data = source_of(tech, "Quad")
    before = data["top"][-1]
    session.memory.capacitance_fF = 1000.0
    _, data = source_of(tech, "Quad")
    assert data["top"][-1] != before
    assert data["top"][-1] == view.state.technologies()[-1]["energy_J"]


def test_update_parts_axis_fits_the_parts(session, root):
    parts = figures(root)["Energy of one FN-DAM update by part against age"]

    def fits():
        curves = [r.data_source.data["y"] for r in parts.renderers
                  if type(r.glyph).__name__ == "Line" and SAMPLE not in r.tags]
        low, high = min(min(y) for y in curves), max(max(y) for y in curves)
        assert parts.y_range.start < low
        assert high < parts.y_range.end
        return parts.y_range.end

    default = fits()
    session.memory.capacitance_fF = 1000.0  # a larger element: more charge per update
    assert fits() != default


def test_the_chosen_baseline_is_highlighted_and_titled(view, root):
    saving = figures(root)["Saving of FN-DAM updates against batch size"]
    curves = {item.label.value: layer_renderers(saving, item)[0].data_source for item in saving.legend.items}
    assert legend(root)["chosen baseline"]
    for baseline in ("DDR DRAM", "on-chip SRAM"):
        widget_for(view._layout, view.state, "baseline").value = baseline
        assert list(curves["chosen baseline"].data["y"]) == list(curves[f"against {baseline}"].data["y"])
        assert f"highlighted: {baseline}" in saving.title.text


def test_the_training_plot_names_its_batch_and_marks_its_model_size(view, root):
    training = figures(root)["Training energy against model size"]
    assert training.title.text.endswith(f"at B = {view.state.batch_size():,.0f}")
    widget_for(view._layout, view.state, "log10_batch").value = 0.0
    widget_for(view._layout, view.state, "log10_params").value = 6.0
    assert training.title.text.endswith("at B = 1")
    _, chosen = source_of(training, "VSpan")
    assert list(chosen["x"]) == [1e6]
    # FN-DAM holds its state for free: no hold curve of its own, and no zero on the log axis.
    assert "hold, FN-DAM" not in legend(root)
    assert all(min(r.data_source.data["y"]) > 0 for r in training.renderers
               if type(r.glyph).__name__ == "Line" and SAMPLE not in r.tags)
