"""View 5 state (energy at scale) without a browser."""

import numpy as np
import pytest

from dashboard.state.energy import CONVENTIONAL, FNDAM_SOURCES, N_RANGE, EnergyState


def test_saving_table_matches_docs_science_without_hold():
    # docs/science.md section 5 (swap of the write energy only, 1.28 pJ/FLOP, 5.12 nJ vs 5 fJ):
    # B = 1: 666x, 32: 21.8x, 1024: 1.65x, 4e6: 1.0x, quoted to 3 significant figures, hence 0.5 %.
    state = EnergyState(hold_pW_per_bit=0.0)
    saving = state.saving_vs_batch()["table_saving"]
    assert saving == pytest.approx([666.0, 21.8, 1.65, 1.0], rel=0.005)


def test_saving_falls_with_batch_size_and_never_below_one():
    data = EnergyState().saving_vs_batch()
    assert np.all(np.diff(data["saving"]) < 0)
    assert np.all(data["saving"] >= 1.0)


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
    assert np.all(conv["updates"] > fn["updates"] * 1e5)  # 5.12 nJ against 5 fJ


def test_every_option_gives_finite_numbers():
    state = EnergyState()
    for conventional in CONVENTIONAL:
        for source in FNDAM_SOURCES:
            state.param.update(conventional=conventional, fndam_source=source)
            summary = state.summary()
            assert np.isfinite(summary["saving"])
            assert summary["saving"] > 1.0


def test_device_physics_energy_is_in_the_femtojoule_range():
    state = EnergyState(fndam_source=FNDAM_SOURCES[1])
    assert 0.1e-15 < state.fndam_update() < 50e-15
    rows = {row["technology"]: row for row in state.technologies()}
    assert rows["FN-DAM (this element)"]["energy_J"] == pytest.approx(state.fndam_update())
    assert all(row["source"] for row in rows.values())  # every figure carries its source


def test_anchors_are_labelled():
    summary = EnergyState().summary()
    assert summary["paper"].status == "published"
    assert summary["press"].status == "press-reported projection"
    assert summary["landauer_J"] == pytest.approx(2.871e-21, rel=1e-3)
