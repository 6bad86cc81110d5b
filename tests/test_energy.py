"""Energy: technology table with sources, FN-DAM update energy, training-energy model, anchors."""

import math

import numpy as np
import pytest

from physics import constants as c
from physics import energy
from physics.fndam import FNDAMDevice, pulse_update

NUMERIC_WITH_SOURCE = {
    "write_energy_J": "write_energy_source",
    "write_energy_max_J": "write_energy_source",
    "hold_power_W_per_bit": "hold_power_source",
    "retention_s": "retention_source",
    "endurance_cycles": "endurance_source",
    "precision_bits": "precision_source",
}


def test_every_number_in_the_technology_table_carries_its_source():
    rows = energy.technology_table()
    assert len(rows) >= 10
    for row in rows:
        assert row["includes"]
        assert not math.isnan(row["write_energy_J"])
        for key, source in NUMERIC_WITH_SOURCE.items():
            if math.isnan(row[key]):
                continue
            assert row[source], (row["technology"], key)
            assert "[open]" not in row[source], (row["technology"], key)


@pytest.mark.parametrize(
    ("technology", "joules"),
    [("SRAM", 0.16e-12), ("DRAM", 20e-12), ("NAND flash", 0.01e-12), ("RRAM synapse", 1e-12),
     ("PCM synapse", 0.7e-12), ("STT-MRAM", 0.1e-12), ("FeRAM", 0.03e-12), ("ECRAM (ENODe)", 10e-12),
     ("FN-DAM (paper)", 5e-15), ("biological synapse", 1e-15)],
)
def test_table_values_are_science_md_values(technology, joules):
    assert energy.write_energy(technology) == pytest.approx(joules, rel=1e-12)


def test_unknown_technology_lists_the_choices():
    with pytest.raises(ValueError, match=r"technology must be one of .*'SRAM'"):
        energy.write_energy("DNA")


def test_illustrative_update_energy_is_charge_times_tunneling_voltage_in_range():
    device = FNDAMDevice()
    e = energy.fndam_update_energy()
    expected = device.capacitance * abs(pulse_update(energy.REFERENCE_AGE, device)) * device.tunneling_voltage
    assert e == pytest.approx(expected, rel=1e-12)
    print(f"illustrative FN-DAM energy per update: {e * 1e15:.3f} fJ")
    assert 0.1e-15 <= e <= 50e-15


def test_science_md_rule_of_thumb_100_ff_1_mv_10_v_is_1_fj():
    # A pulse chosen to move 1 mV costs C dV V_tun = 1 fJ on the illustrative device.
    device = FNDAMDevice()
    rate = -pulse_update(100.0, device, 0.3, 1e-3) / 1e-3  # [V/s], small-pulse limit
    width = 1e-3 / rate
    # The rate falls by ~width/age ~ 2e-3 during the pulse: 1% tolerance.
    assert energy.fndam_update_energy(device, 0.3, width, 100.0) == pytest.approx(1e-15, rel=0.01)


def test_energy_per_flop_values_of_science_md():
    values = list(energy.E_FLOP.values())
    # docs/science.md section 5 quotes 3 significant figures: 0.5% tolerance.
    assert values[0] == pytest.approx(1.28e-12, rel=5e-3)
    assert values[1] == pytest.approx(0.71e-12, rel=5e-3)
    assert values[2] == pytest.approx(14.8e-12, rel=5e-3)


def test_conventional_update_is_5_nj():
    assert energy.CONVENTIONAL_UPDATE_ENERGY == pytest.approx(5.12e-9, rel=1e-12)


@pytest.mark.parametrize(("batch", "published"), [(1, 666.0), (32, 21.8), (1024, 1.65), (4e6, 1.0)])
def test_saving_against_batch_size_reproduces_science_md(batch, published):
    # Same assumptions as docs/science.md section 5: 1.28 pJ/FLOP, 5.12 nJ conventional, 5 fJ FN-DAM,
    # write swap only.  Quoted to 3 figures there: half a last digit, 0.5 %.
    ratio = energy.saving_ratio(1e9, 1e12, batch)
    assert ratio == pytest.approx(published, rel=5e-3)


def test_saving_does_not_depend_on_model_size():
    n = np.geomspace(1e3, 1e12, 10)
    ratio = energy.saving_ratio(n, 1e12, 32)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)


def test_training_energy_split_adds_up_and_broadcasts():
    n = np.geomspace(1e3, 1e12, 4)[:, None]
    b = np.array([1.0, 32.0, 1024.0])[None, :]
    split = energy.training_energy(n, 1e9, b, hold_power_per_bit=1e-12, bits=32, train_time=3600.0)
    assert split.total.shape == (4, 3)
    np.testing.assert_allclose(split.total, split.compute + split.updates + split.hold, rtol=1e-15)
    np.testing.assert_allclose(split.compute, 6 * n * 1e9 * energy.E_FLOP_DEFAULT * np.ones((1, 3)))
    np.testing.assert_allclose(split.updates, n * 1e9 / b * energy.CONVENTIONAL_UPDATE_ENERGY)
    np.testing.assert_allclose(split.hold, n * 32 * 1e-12 * 3600.0 * np.ones((1, 3)))


def test_gpt3_compute_energy_matches_its_reported_total():
    # 6 N D with N = 175e9, D = 300e9 tokens is 3.15e23 FLOP; at GPT-3's all-in 14.8 pJ/FLOP this must
    # give back the 1,287 MWh it was derived from (1% covers the rounded 3.14e23 FLOP).
    e_flop = energy.E_FLOP["GPT-3 all-in (1,287 MWh / 3.14e23 FLOP)"]
    compute = energy.training_energy(175e9, 300e9, 3.2e6, e_flop=e_flop).compute
    assert compute / (1e6 * c.HOUR) == pytest.approx(1287.0, rel=0.01)  # [MWh]


def test_landauer_and_physical_anchors_of_science_md():
    assert energy.landauer_limit(300.0) == pytest.approx(2.871e-21, rel=2e-4)  # 4 figures quoted
    anchors = energy.physical_anchors()
    assert anchors["electron"].value == pytest.approx(1.602e-18, rel=1e-3)
    assert anchors["thermal_noise"].value == pytest.approx(0.20e-3, rel=0.03)  # "0.20 mV"
    assert anchors["capacitance_for_bits"].value == pytest.approx(1.1e-12, rel=0.05)  # "~1.1 pF"
    assert anchors["electrons_for_bits"].value == pytest.approx(2.7e8, rel=0.01)
    assert all(a.status == "calc" for a in anchors.values())
    assert energy.fndam_update_energy() > 100 * energy.landauer_limit()


def test_published_anchor_and_press_projection_are_labelled():
    assert energy.PAPER_ENERGY_PER_UPDATE.value == 5e-15
    assert energy.PAPER_ENERGY_PER_UPDATE.status == "published"
    assert energy.PAPER_PRECISION_BITS.value == 14
    assert energy.PRESS_TRAINING_SAVING.value == 100
    assert energy.PRESS_TRAINING_SAVING.status == "press-reported projection"
    assert "not public" in energy.PRESS_TRAINING_SAVING.source


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n_params": -1.0}, "n_params"), ({"batch_size": 0.0}, "batch_size"),
     ({"samples": math.nan}, "samples"), ({"e_flop": 0.0}, "e_flop"),
     ({"update_energy": -1e-12}, "update_energy"), ({"bits": 0}, "bits")],
)
def test_bad_training_inputs_raise_naming_the_argument(kwargs, name):
    args = {"n_params": 1e9, "samples": 1e12, "batch_size": 32.0} | kwargs
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        energy.training_energy(**args)


def test_extreme_training_inputs_are_finite():
    split = energy.training_energy(1e15, 1e16, 1.0, e_flop=1e-9, update_energy=1e-6, hold_power_per_bit=1e-3,
                                   bits=1024, train_time=1e9)
    assert all(np.isfinite(x) for x in split)
    assert np.isfinite(energy.saving_ratio(1e15, 1e16, 1.0, fndam_update=0.0))
