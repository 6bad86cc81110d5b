"""Differential FN-DAM synapses: decay of the pair, pulses from signed requests, mismatch, readout."""

import math

import numpy as np
import pytest

from physics import fndam
from physics.energy import fndam_update_energy
from physics.fndam import FNDAMDevice
from physics.synapse import (
    SynapseArray,
    SynapseParameters,
    differential_voltage,
    effective_bits,
    readout_sigma,
)

IDEAL = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=0.0, adc_bits=0)


def test_pair_difference_decays_as_about_one_over_t():
    t = np.geomspace(1e4, 1e8, 9)
    dv = differential_voltage(t)
    assert np.all(dv > 0)
    assert np.all(np.diff(dv) < 0)
    # dV ~ (V^2/k2) (z_minus - z_plus) / (k1 t): slope -1 - 2V/k2 ~ -1.04 (docs/science.md section 4).
    slope = np.polyfit(np.log(t), np.log(dv), 1)[0]
    assert -1.1 <= slope <= -0.9


def test_free_array_without_mismatch_keeps_zero_weights():
    array = SynapseArray(5, params=IDEAL)
    for _ in range(10):
        assert array.update(np.zeros(5), 10.0) == 0.0
    np.testing.assert_array_equal(array.read(), 0.0)
    assert array.pulses == 0
    assert array.age == pytest.approx(IDEAL.start_age + 100.0)


def test_signed_requests_are_delivered_at_the_start_age():
    # A 20 ms step (the longest pulse here is 16 ms) so the pair barely ages: the calibration then
    # promises the request itself.  Pulse nonlinearity and decay during the step are both O(dt/age)
    # ~ 2e-4 relative; 1e-3 tolerance.
    array = SynapseArray(4, params=IDEAL)
    request = np.array([0.01, -0.01, 0.002, 0.0])
    array.update(request, 0.02)
    np.testing.assert_allclose(array.read(), request, rtol=1e-3, atol=1e-12)
    # A positive request pulses the minus element only, a negative one the plus element only.
    free = fndam.oxide_voltage(IDEAL.start_age + 0.02)
    assert array.voltage[0, 0] == pytest.approx(free, abs=1e-12)
    assert array.voltage[1, 0] < free
    assert array.voltage[0, 1] < free
    assert array.pulses == 3


def test_same_request_moves_less_as_the_array_ages():
    # The built-in schedule: weight change of a fixed request ~ start_age / age (slope of pulse_update,
    # -0.955 for the default pulse), so a 10x older array moves 8.5x to 10x less.
    young = SynapseArray(1, params=IDEAL)
    old = SynapseArray(1, params=IDEAL)
    old.update([0.0], 9 * IDEAL.start_age)  # age it to 10 x start_age
    w_old_before = old.read()[0]
    young.update([0.01], 0.02)
    old.update([0.01], 0.02)
    ratio = young.read()[0] / (old.read()[0] - w_old_before)
    assert 8.5 <= ratio <= 10.5


def test_stored_weight_decays_like_the_pair_difference():
    array = SynapseArray(1, params=IDEAL)
    array.update([0.5], 1.0)
    w1 = array.read()[0]
    array.update([0.0], 9 * (IDEAL.start_age + 1.0))  # to 10 x the age
    # Difference ~ 1/t with slope ~ -1.04: after a 10x age the weight keeps 8% to 11% of its value.
    assert 0.08 <= array.read()[0] / w1 <= 0.11


def test_array_energy_equals_the_single_pulse_energy_of_the_energy_module():
    array = SynapseArray(1, params=IDEAL)
    width = 0.01 * array.seconds_per_weight
    energy = array.update([0.01], width)  # the step lasts exactly one pulse
    expected = fndam_update_energy(FNDAMDevice(), IDEAL.pulse_amplitude, width, IDEAL.start_age)
    assert energy == pytest.approx(expected, rel=1e-9)
    assert array.energy == energy


def test_pulses_cannot_outlast_the_step():
    array = SynapseArray(1, params=IDEAL)
    array.update([1e3], 1.0)  # asks for a pulse of ~1600 s
    capped = SynapseArray(1, params=IDEAL)
    capped.update([1.0 / capped.seconds_per_weight], 1.0)  # exactly a 1 s pulse
    assert array.read()[0] == pytest.approx(capped.read()[0], rel=1e-12)


def test_mismatch_spreads_have_the_requested_statistics():
    params = SynapseParameters(k1_spread=0.05, k2_spread=0.01)
    array = SynapseArray(100_000, params=params, seed=3)
    k2 = FNDAMDevice().log_constants()[2]
    # 2e5 samples: the sample std is within 0.3% of the true one (1/sqrt(2n)); 2% tolerance.
    assert np.std(array.ln_k1) == pytest.approx(0.05, rel=0.02)
    assert np.std(array.k2 / k2 - 1.0) == pytest.approx(0.01, rel=0.02)
    # Mismatch makes a spread of offsets that auto-zero removes: weights read 0 at the start.
    assert np.std(array.voltage[0] - array.voltage[1]) > 1e-3
    np.testing.assert_allclose(array.differential(), 0.0, atol=1e-12)


def test_readout_noise_and_adc():
    params = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=1e-3, adc_bits=0)
    w = SynapseArray(100_000, params=params, seed=1).read()
    # Sample std of 1e5 normals is within 0.5% of sigma (3 standard errors); 1.5% tolerance.
    assert np.std(w) * params.weight_scale == pytest.approx(1e-3, rel=0.015)
    adc = SynapseParameters(readout_noise=1e-3, adc_bits=8, adc_range=0.01)
    read = SynapseArray(1000, params=adc, seed=1).read() * adc.weight_scale
    levels = read / adc.adc_step
    np.testing.assert_allclose(levels, np.round(levels), atol=1e-9)
    assert np.max(np.abs(read)) <= adc.adc_range


def test_readout_sigma_combines_noise_and_quantisation():
    p = SynapseParameters(readout_noise=3e-4, adc_bits=10, adc_range=0.5)
    assert readout_sigma(p) == pytest.approx(math.hypot(3e-4, (1.0 / 1024) / math.sqrt(12)), rel=1e-12)


def test_effective_bits_grow_with_age_until_the_readout_floor():
    quiet = SynapseParameters(readout_noise=0.0, adc_bits=0)
    bits = effective_bits(np.array([1e3, 1e5]), quiet)
    # Update ~ age^-0.955 for the default pulse: 2 decades give 2 x 0.955 x log2(10) = 6.3 bits; the
    # slope drifts with V, so accept 5.5 to 7.
    assert 5.5 <= bits[1] - bits[0] <= 7.0
    noisy = SynapseParameters(readout_noise=1e-4, adc_bits=12)
    floor = math.log2(2 * noisy.adc_range / (math.sqrt(12) * readout_sigma(noisy)))
    assert effective_bits(1e8, noisy) == pytest.approx(floor, rel=1e-12)
    assert effective_bits(1e8, noisy) <= noisy.adc_bits


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight_scale", 0.0), ("pulse_amplitude", -0.1), ("start_age", math.nan), ("k1_spread", -0.1),
     ("k2_spread", 0.5), ("readout_noise", -1e-3), ("adc_bits", 30), ("adc_bits", 4.5), ("adc_range", 0.0)],
)
def test_bad_synapse_parameters_raise_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"^{field} must be"):
        SynapseParameters(**{field: value})


def test_bad_array_arguments_raise():
    with pytest.raises(ValueError, match=r"^n must be"):
        SynapseArray(0)
    array = SynapseArray(2)
    with pytest.raises(ValueError, match=r"^dt must be"):
        array.update([0.1, 0.1], 0.0)
    with pytest.raises(ValueError, match=r"^dw must be"):
        array.update([math.nan, 0.1], 1.0)


def test_large_array_stays_finite():
    array = SynapseArray(100_000, seed=2)
    rng = np.random.default_rng(0)
    for _ in range(5):
        array.update(rng.normal(0.0, 0.1, 100_000), 1.0)
    assert np.all(np.isfinite(array.read()))
    assert array.energy > 0


@pytest.mark.filterwarnings("error")
def test_extreme_legal_pulses_keep_the_array_finite():
    params = SynapseParameters(pulse_amplitude=10.0, weight_scale=1.0, adc_bits=0)
    array = SynapseArray(3, params=params)
    for _ in range(3):
        array.update([1e6, -1e6, 0.0], 1e6)
    assert np.all(np.isfinite(array.read()))
    assert np.all(array.voltage >= 1e-3)
    assert np.isfinite(array.energy)
