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
     ("FN-DAM (paper)", 5e-15), ("biological synapse", 1e-15), ("HBM2", 3.9e-12)],
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


def test_preprint_anchor_and_press_projection_are_labelled():
    # "5 fJ" and "14 bits" are in the arXiv v1 abstract, not the published one: never "published".
    for anchor in (energy.PAPER_ENERGY_PER_UPDATE, energy.PAPER_PRECISION_BITS):
        assert anchor.status == "preprint abstract"
        assert "arXiv:2104.05926 v1 abstract" in anchor.source
    assert energy.PAPER_ENERGY_PER_UPDATE.value == 5e-15
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


def test_sources_shown_to_users_cite_papers_not_internal_files():
    for row in energy.technology_table():
        for key in ("write_energy_source", "hold_power_source", "precision_source", "includes"):
            assert "docs/" not in row[key], (row["technology"], key)
            assert ".md" not in row[key], (row["technology"], key)
    for baseline in energy.BASELINES.values():
        assert "docs/" not in baseline.source + baseline.note
    dram = {row["technology"]: row for row in energy.technology_table()}["DRAM"]
    assert "Horowitz, ISSCC 2014" in dram["write_energy_source"]
    assert "Han et al. 2015" in dram["includes"]  # the 640 pJ per 32-bit access figure
    assert "Han et al. 2015" in energy.BASELINES["DDR DRAM"].note


# --- The whole energy of an update (docs/science.md section 4) -----------------------------------------

def test_junction_capacitance_by_hand():
    # eps_ox eps0 S / d = 3.9 x 8.854e-12 F/m x 1e-12 m^2 / 12e-9 m = 2.877 fF ("2.9 fF").
    by_hand = 3.9 * 8.8541878128e-12 * 1e-12 / 12e-9
    assert energy.junction_capacitance() == pytest.approx(by_hand, rel=1e-12)
    assert energy.junction_capacitance() == pytest.approx(2.9e-15, rel=0.01)
    thin = FNDAMDevice(oxide_thickness=6e-9, junction_area=2e-12)
    assert energy.junction_capacitance(thin) == pytest.approx(4 * by_hand, rel=1e-12)


@pytest.mark.parametrize(("age", "tunneling", "rel"), [(1.0, 29e-15, 0.01), (100.0, 0.611e-15, 1e-3)])
def test_tunneling_part_is_science_md_figure(age, tunneling, rel):
    # docs/science.md section 4: ~29 fJ at 1 s (28.8 fJ), 0.611 fJ at 100 s.
    assert energy.update_energy_parts(age=age).tunneling == pytest.approx(tunneling, rel=rel)


def test_tunneling_part_below_one_attojoule_at_1e5_s():
    assert energy.update_energy_parts(age=1e5).tunneling < 1e-18


def test_update_energy_parts_against_an_independent_calculation():
    device = FNDAMDevice()
    c_j = 3.9 * c.EPS0 * device.junction_area / device.oxide_thickness
    ages = np.array([1.0, 100.0, 1e5])
    parts = energy.update_energy_parts(age=ages)
    np.testing.assert_allclose(parts.tunneling, device.capacitance * np.abs(pulse_update(ages)) * 10.0,
                               rtol=1e-12)
    np.testing.assert_allclose(parts.drive, c_j * 0.3 * 10.0, rtol=1e-12)  # ~8.6 fJ from the supply
    assert parts.drive[0] == pytest.approx(8.6e-15, rel=0.01)
    ideal = energy.update_energy_parts(age=ages, drive="ideal").drive
    np.testing.assert_allclose(ideal, c_j * 0.3**2, rtol=1e-12)
    assert ideal[0] == pytest.approx(0.26e-15, rel=0.01)  # "0.26 fJ at 0.3 V"
    np.testing.assert_allclose(parts.readout, 5e-15 * 4096, rtol=1e-12)  # Walden FOM x 2^12
    assert energy.update_energy_parts(adc_bits=8, adc_fom=1e-15).readout == pytest.approx(256e-15)
    np.testing.assert_allclose(parts.total, parts.tunneling + parts.drive + parts.readout, rtol=1e-15)
    np.testing.assert_allclose(parts.write, parts.tunneling + parts.drive, rtol=1e-15)
    np.testing.assert_allclose(parts.tunneling, energy.fndam_update_energy(age=ages), rtol=1e-12)


def test_print_update_energy_parts_for_the_note():
    for drive in energy.DRIVE_MODELS:
        for age in (1.0, 100.0, 1e5):
            p = energy.update_energy_parts(age=age, drive=drive)
            print(f"drive={drive:6s} age={age:8g} s: tunneling {p.tunneling * 1e15:.4g} fJ, "
                  f"drive {p.drive * 1e15:.4g} fJ, readout {p.readout * 1e12:.4g} pJ, "
                  f"write {p.write * 1e15:.4g} fJ, total {p.total * 1e12:.5g} pJ")


def test_mean_update_energy_is_the_mean_over_the_visited_ages():
    # Short runs: the exact mean of update_energy_parts over t0 + k dt.
    for steps in (1, 2, 37, 256):
        ages = 100.0 + 0.1 * np.arange(steps)
        mean = energy.mean_update_energy(start_age=100.0, steps=steps, step_seconds=0.1)
        assert mean.tunneling == pytest.approx(energy.update_energy_parts(age=ages).tunneling.mean(),
                                               rel=1e-12)
    # A long run against the brute-force sum of 1e5 terms, from age 0 (the steepest start).
    ages = 0.0 + 1.0 * np.arange(100_000)
    brute = energy.update_energy_parts(age=ages).tunneling.mean()
    assert energy.mean_update_energy(start_age=0.0, steps=1e5, step_seconds=1.0).tunneling == pytest.approx(
        brute, rel=1e-6)


def test_mean_update_energy_of_a_long_run_is_the_time_average_by_quad():
    # S dt >> t0 steps of dt: the mean over the ages is the time average (1/T) integral of E over the run,
    # up to the sum-vs-integral difference ~ E(t0) dt / T at the start.
    from scipy.integrate import quad

    t0, dt, steps = 100.0, 0.1, 1e8
    end = t0 + steps * dt

    def e(log_t):
        t = np.exp(log_t)
        return energy.update_energy_parts(age=t).tunneling * t

    integral, _ = quad(e, np.log(t0), np.log(end), limit=200, epsabs=0.0, epsrel=1e-8)
    mean = energy.mean_update_energy(start_age=t0, steps=steps, step_seconds=dt)
    assert mean.tunneling == pytest.approx(integral / (end - t0), rel=1e-4)
    assert mean.drive == energy.update_energy_parts().drive  # only the tunneling part depends on age
    many = energy.mean_update_energy(steps=[1.0, 1e3, 1e6, 1e9]).tunneling
    assert np.all(np.diff(many) < 0)  # a longer run reaches older, cheaper ages


@pytest.mark.parametrize(
    ("function", "kwargs", "name"),
    [(energy.update_energy_parts, {"age": -1.0}, "age"),
     (energy.update_energy_parts, {"delta": 11.0}, "delta"),
     (energy.update_energy_parts, {"duration": -0.1}, "duration"),
     (energy.update_energy_parts, {"adc_bits": 0}, "adc_bits"),
     (energy.update_energy_parts, {"adc_fom": 0.0}, "adc_fom"),
     (energy.update_energy_parts, {"drive": "free"}, "drive"),
     (energy.mean_update_energy, {"steps": 0.5}, "steps"),
     (energy.mean_update_energy, {"steps": 1e12, "step_seconds": 1.0}, "steps"),
     (energy.mean_update_energy, {"step_seconds": 0.0}, "step_seconds"),
     (energy.mean_update_energy, {"start_age": math.nan}, "start_age"),
     (energy.baseline_update_energy, {"baseline": "DDR5"}, "baseline"),
     (energy.baseline_update_energy, {"reads": "yes"}, "reads"),
     (energy.baseline_update_energy, {"bits_per_update": 0}, "bits_per_update"),
     (energy.junction_capacitance, {"eps_r": 0.5}, "eps_r"),
     (energy.largest_batch_for_saving, {"ratio": 1.0, "conventional_update": 1e-9, "fndam_update": 0.0},
      "ratio"),
     (energy.conventional_update_energy, {"bits": "DDR DRAM"}, "bits")],
)
def test_bad_energy_inputs_raise_naming_the_argument(function, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        function(**kwargs)


# --- Fair baselines (docs/science.md section 5) --------------------------------------------------------

def test_baselines_are_the_sources_figures():
    assert energy.BASELINES["DDR DRAM"].energy_per_bit == 20e-12  # Horowitz 2014, low end of 20-40
    assert energy.BASELINES["HBM2"].energy_per_bit == 3.9e-12  # O'Connor et al. 2017
    assert energy.BASELINES["on-chip SRAM"].energy_per_bit == 0.16e-12  # Horowitz 2014
    assert "O'Connor" in energy.BASELINES["HBM2"].source
    assert "e_flop" in energy.BASELINES["HBM2"].note
    assert energy.baseline_update_energy("DDR DRAM") == pytest.approx(energy.CONVENTIONAL_UPDATE_ENERGY)
    assert energy.baseline_update_energy("DDR DRAM", bits_per_update=32) == pytest.approx(640e-12)
    # A read of the 32-bit weight at the same per-bit energy.
    for name, b in energy.BASELINES.items():
        extra = energy.baseline_update_energy(name, reads=True) - energy.baseline_update_energy(name)
        assert extra == pytest.approx(32 * b.energy_per_bit)


def _savings(baseline, reads, batches=(1.0, 32.0)):
    """Saving of an FN-DAM update memory (device physics, age-averaged over a 1e6-step run of 0.1 s from
    100 s, drive from the supply, 12-bit read at 5 fJ/step if reads count) against ``baseline``."""
    fn = energy.mean_update_energy(steps=1e6)
    e_fn = fn.total if reads else fn.write
    e_conv = energy.baseline_update_energy(baseline, reads=reads)
    return energy.saving_ratio(1e9, 1e12, list(batches), conventional_update=e_conv, fndam_update=e_fn)


@pytest.mark.parametrize("reads", [False, True])
@pytest.mark.parametrize("baseline", list(energy.BASELINES))
def test_saving_for_each_baseline_and_reads(baseline, reads):
    s1, s32 = _savings(baseline, reads)
    print(f"{baseline:13s} reads {'on ' if reads else 'off'}: B = 1 {s1:.4g}x, B = 32 {s32:.4g}x")
    # By hand, per parameter: (6 B e_flop + e_conv) / (6 B e_flop + e_fn).
    fn = energy.mean_update_energy(steps=1e6)
    e_fn = fn.total if reads else fn.write
    e_conv = energy.baseline_update_energy(baseline, reads=reads)
    for b, s in ((1.0, s1), (32.0, s32)):
        compute = 6 * b * energy.E_FLOP_DEFAULT
        assert s == pytest.approx((compute + e_conv) / (compute + e_fn), rel=1e-12)
    assert s1 > s32 > 1.0


def test_saving_figures_of_the_note():
    # writes only: DRAM 5120 pJ, HBM2 998 pJ, SRAM 41 pJ against FN-DAM's 8.6 fJ write, 7.68 pJ compute
    assert _savings("DDR DRAM", False)[0] == pytest.approx(666.0, rel=0.005)
    assert _savings("on-chip SRAM", False)[0] == pytest.approx(6.32, rel=0.005)
    # reads on: FN-DAM's 20.5 pJ ADC conversion takes the place of the 5 fJ-scale write
    assert _savings("DDR DRAM", True)[0] == pytest.approx(205.0, rel=0.005)
    assert _savings("on-chip SRAM", True)[0] == pytest.approx(1.91, rel=0.005)


def test_where_the_model_reaches_the_press_100x():
    fn = energy.mean_update_energy(steps=1e6)
    for reads in (False, True):
        for name in energy.BASELINES:
            e_conv = energy.baseline_update_energy(name, reads=reads)
            e_fn = fn.total if reads else fn.write
            b = energy.largest_batch_for_saving(100.0, e_conv, e_fn)
            print(f"100x with {name:13s} reads {'on ' if reads else 'off'}: B <= {b:.3g}" if b else
                  f"100x with {name:13s} reads {'on ' if reads else 'off'}: never (B = 1 gives "
                  f"{energy.saving_ratio(1, 1, 1, conventional_update=e_conv, fndam_update=e_fn):.3g}x)")
            if b:
                at = energy.saving_ratio(1e9, 1e12, b, conventional_update=e_conv, fndam_update=e_fn)
                assert at == pytest.approx(100.0, rel=1e-9)
    assert energy.largest_batch_for_saving(100.0, energy.baseline_update_energy("on-chip SRAM"),
                                           fn.write) == 0.0
