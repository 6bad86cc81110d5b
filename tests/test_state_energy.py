"""View 5 state (energy at scale) without a browser."""

import numpy as np
import pytest

from dashboard.state.energy import DRIVES, FNDAM_SOURCES, N_RANGE, UPDATE_TRAFFIC, EnergyState
from physics import energy

DEVICE_PHYSICS = FNDAM_SOURCES[1]


def test_saving_table_matches_docs_science_without_hold_or_reads():
    # docs/science.md section 5 (swap of the write energy only, 1.28 pJ/FLOP, 5.12 nJ vs 5 fJ):
    # B = 1: 666x, 32: 21.8x, 1024: 1.65x, 4e6: 1.0x, quoted to 3 significant figures, hence 0.5 %.
    state = EnergyState(hold_pW_per_bit=0.0, count_reads=False)
    saving = state.saving_vs_batch()["table_saving"]
    assert saving == pytest.approx([666.0, 21.8, 1.65, 1.0], rel=0.005)


def test_saving_falls_with_batch_size_and_never_below_one():
    for source in FNDAM_SOURCES:
        for baseline in energy.BASELINES:
            data = EnergyState(fndam_source=source, baseline=baseline).saving_vs_batch()
            assert np.all(np.diff(data["saving"]) < 0)
            assert np.all(data["saving"] >= 1.0)
            assert np.array_equal(data["by_baseline"][baseline], data["saving"])


def test_training_energy_split_over_parameters():
    data = EnergyState().training_vs_params()
    assert data["N"][0] == N_RANGE[0]
    assert data["N"][-1] == pytest.approx(N_RANGE[1])
    conv, fn = data["conventional"], data["fndam"]
    for side in (conv, fn):
        for part in ("compute", "updates", "hold", "total"):
            assert np.all(np.isfinite(side[part]))
            assert np.all(side[part] >= 0)
        assert side["total"] == pytest.approx(side["compute"] + side["updates"] + side["hold"])
    assert np.array_equal(conv["compute"], fn["compute"])  # only the memory differs
    assert np.all(fn["hold"] == 0.0)  # FN-DAM holds without supply power
    assert np.all(conv["updates"] > fn["updates"] * 100)  # 5.76 nJ against 20.5 pJ (reads on)


def test_every_option_gives_finite_numbers():
    state = EnergyState()
    for baseline in energy.BASELINES:
        for source in FNDAM_SOURCES:
            for reads in (False, True):
                for drive in DRIVES:
                    state.param.update(baseline=baseline, fndam_source=source, count_reads=reads, drive=drive)
                    summary = state.summary()
                    assert np.isfinite(summary["saving"])
                    assert summary["saving"] > 1.0


def test_reads_are_charged_on_both_sides_or_neither():
    state = EnergyState(count_reads=False)
    conv_off, fn_off = state.conventional_update()[0], state.fndam_update()
    state.count_reads = True
    assert state.conventional_update()[0] - conv_off == pytest.approx(32 * 20e-12)  # a 32-bit DRAM read
    assert state.fndam_update() - fn_off == pytest.approx(5e-15 * 2**12)  # one 12-bit ADC conversion
    state.fndam_source = DEVICE_PHYSICS
    parts = state.run_parts()
    assert state.fndam_update() == pytest.approx(parts.total)
    state.count_reads = False
    assert state.fndam_update() == pytest.approx(parts.tunneling + parts.drive)


def test_device_physics_uses_the_mean_over_the_ages_the_run_visits():
    state = EnergyState(fndam_source=DEVICE_PHYSICS, log10_samples=6.0, log10_batch=0.0)
    # 1e6 steps of 0.1 s from 100 s, the session's element.
    expected = energy.mean_update_energy(state.memory.element(), steps=1e6, step_seconds=0.1,
                                         start_age=100.0)
    assert state.fndam_update() == pytest.approx(expected.total)
    assert state.run_ages() == pytest.approx((100.0, 100.0 + (1e6 - 1) * 0.1))
    # The saving curve over B uses each B's own run (fewer steps: younger, dearer ages).
    batch = np.array([1.0, 1e3])
    e = state.fndam_update(batch)
    assert e[1] > e[0]
    assert e[1] == pytest.approx(energy.mean_update_energy(state.memory.element(), steps=1e3).total)


def test_very_long_runs_stop_at_the_pulse_models_age_limit():
    state = EnergyState(fndam_source=DEVICE_PHYSICS, log10_samples=13.0, log10_batch=0.0,
                        log10_step_seconds=3.0)
    assert state.run_ages()[1] == pytest.approx(energy.AGE_MAX)
    assert np.isfinite(state.summary()["saving"])


def test_update_parts_against_age_hold_the_known_figures():
    state = EnergyState()
    data = state.update_parts_vs_age()
    assert data["age"][0] == 1.0
    assert data["age"][-1] == pytest.approx(10 * 365.25 * 86400, rel=0.01)
    assert data["tunneling"][0] == pytest.approx(28.8e-15, rel=0.01)  # 1 s
    assert data["drive"] == pytest.approx(8.63e-15, rel=1e-3)
    assert data["readout"] == pytest.approx(20.48e-12)
    assert data["charged"] == pytest.approx(data["tunneling"] + data["drive"] + data["readout"])
    state.param.update(count_reads=False, drive="ideal (C_j delta^2)")
    data = state.update_parts_vs_age()
    assert data["charged"] == pytest.approx(data["tunneling"] + data["drive"])
    assert data["drive"] == pytest.approx(0.259e-15, rel=1e-3)


def test_conventional_traffic_choices():
    state = EnergyState(count_reads=False)
    assert state.conventional_update()[0] == pytest.approx(5.12e-9)
    state.update_traffic = list(UPDATE_TRAFFIC)[1]
    assert state.conventional_update()[0] == pytest.approx(640e-12)


def test_press_100x_is_located_for_each_baseline():
    state = EnergyState(hold_pW_per_bit=0.0, count_reads=False)
    # Without hold and with the 5 fJ anchor, the analytic largest B of physics.energy.
    expected = energy.largest_batch_for_saving(100.0, 5.12e-9, 5e-15)
    assert state.press_batch() == pytest.approx(expected, rel=1e-5)
    assert state.saving_at(state.press_batch()) == pytest.approx(100.0, rel=1e-5)
    assert state.press_batch("on-chip SRAM") == 0.0  # never: 6.3x at B = 1
    assert state.summary()["by_baseline"]["on-chip SRAM"] < 2.0


def test_device_physics_row_is_in_the_femtojoule_range():
    state = EnergyState(fndam_source=DEVICE_PHYSICS)
    rows = {row["technology"]: row for row in state.technologies()}
    element = rows["FN-DAM (this element)"]
    parts = energy.update_energy_parts(state.memory.element())
    assert element["energy_J"] == pytest.approx(parts.tunneling + parts.drive)
    assert 0.1e-15 < element["energy_J"] < 50e-15
    assert all(row["source"] for row in rows.values())  # every figure carries its source
    assert not any("docs/" in row["source"] for row in rows.values())


def test_anchors_are_labelled():
    summary = EnergyState().summary()
    assert summary["paper"].status == "preprint abstract"
    assert summary["press"].status == "press-reported projection"
    assert summary["landauer_J"] == pytest.approx(2.871e-21, rel=1e-3)
    assert "published" not in FNDAM_SOURCES[0]
    assert "Preprint abstract" in FNDAM_SOURCES[0]


def test_old_links_with_the_published_label_are_refused_with_a_notice():
    from dashboard.state.session import SessionState

    session = SessionState()
    (message,) = session.apply_query({"fnE": "Paper: as low as 5 fJ (published)"})
    assert message.startswith("URL parameter fnE:")
    assert session.energy.fndam_source == FNDAM_SOURCES[0]
    assert session.apply_query({"fnE": FNDAM_SOURCES[1], "conv": "HBM2", "reads": "false"}) == []
    assert (session.energy.baseline, session.energy.count_reads) == ("HBM2", False)
