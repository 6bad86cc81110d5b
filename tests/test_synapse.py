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
    capacitance_for_bits,
    differential_voltage,
    effective_bits,
    pair_retention_time,
    readout_sigma,
)

#: No mismatch, no readout noise or ADC, no shot noise, continuous pulse widths: the fluid closed form.
IDEAL = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=0.0, adc_bits=0, shot_noise=False,
                          pulse_min_width=0.0, pulse_resolution=0.0)


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
    quiet = SynapseParameters(readout_noise=0.0, adc_bits=0, shot_noise=False)
    bits = effective_bits(np.array([1e3, 1e5]), quiet)
    # Update ~ age^-0.955 for the default pulse: 2 decades give 2 x 0.955 x log2(10) = 6.3 bits; the
    # slope drifts with V, so accept 5.5 to 7.
    assert 5.5 <= bits[1] - bits[0] <= 7.0
    noisy = SynapseParameters(readout_noise=1e-4, adc_bits=12, shot_noise=False)
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


# --- shot noise (docs/science.md section 3) and the pulse clock (section 4) ---------------------------

#: Exact readout: no readout noise, no ADC; shot noise on (the default).
EXACT = SynapseParameters(readout_noise=0.0, adc_bits=0)


@pytest.mark.parametrize(("capacitance", "plateau"), [(100e-15, 9.13), (1e-12, 10.71), (10e-12, 12.29)])
def test_with_an_exact_readout_shot_noise_stops_the_resolution_growing(capacitance, plateau):
    device = FNDAMDevice(capacitance=capacitance)
    ages = np.array([1e4, 1e5, 1e6, 1e7])
    bits = effective_bits(ages, EXACT, device)
    # Where the pulse step is below the floor, the bits are those of a step of sqrt(12) x the pair's
    # rms shot noise sqrt(2) sigma_V(V(t)) over the 1 V span (independent evaluation of the definition).
    sigma = np.sqrt(2) * fndam.shot_noise_rms(fndam.oxide_voltage(ages, device), device)
    np.testing.assert_allclose(bits, np.log2(1.0 / (math.sqrt(12) * sigma)), rtol=1e-12)
    assert bits[1] == pytest.approx(plateau, abs=0.005)  # at 1e5 s; values quoted in the report
    # The plateau only creeps up as V falls (sigma ~ V): < 0.12 bit per decade of age...
    assert np.all(np.diff(bits) < 0.12)
    # ... where the fluid closed form would keep gaining ~3.5 bits per decade.
    fluid = effective_bits(ages, SynapseParameters(readout_noise=0.0, adc_bits=0, shot_noise=False), device)
    assert np.all(np.diff(fluid) > 3.0)


def test_each_decade_of_capacitance_buys_log2_sqrt10_bits_on_the_plateau():
    small, large = (effective_bits(1e7, EXACT, FNDAMDevice(capacitance=c_t)) for c_t in (1e-12, 10e-12))
    # sigma ~ 1/sqrt(C_T); the tenfold larger element is also slower, so at 1e7 s it sits at a slightly
    # higher V (more noise): a little less than log2(sqrt(10)) = 1.66 bits.
    assert 1.5 <= large - small <= 1.66


def test_capacitance_for_14_bits():
    # docs/science.md section 3: a 14-bit step over 1 V is 61 uV; on a 1-sigma criterion the pair at
    # 8 V needs q V^2 / (k2 step^2) ~ 9 pF (leading order; the exact sigma is 1.3 % lower at 8 V).
    k2 = FNDAMDevice().log_constants()[2]
    step = 1.0 / 2**14
    one_sigma = capacitance_for_bits(14, step_per_sigma=1.0)
    assert one_sigma == pytest.approx(1.602176634e-19 * 64 / (k2 * step**2), rel=0.03)
    assert round(one_sigma * 1e12) == 9
    # The criterion of effective_bits (step = sqrt(12) sigma) needs 12x more: 106 pF.
    needed = capacitance_for_bits(14)
    assert needed == pytest.approx(12 * one_sigma, rel=1e-12)
    assert needed == pytest.approx(106e-12, rel=0.005)
    # Consistency: an element of that capacitance reads 14.00 bits at the age where it reaches 8 V.
    device = FNDAMDevice(capacitance=needed)
    assert effective_bits(fndam.time_to_voltage(8.0, device), EXACT, device) == pytest.approx(14.0, abs=1e-9)
    # The answer does not depend on the capacitance of the device handed in; fewer bits need less.
    assert capacitance_for_bits(14, device=device) == pytest.approx(needed, rel=1e-12)
    assert capacitance_for_bits(12) == pytest.approx(needed / 16, rel=1e-12)


def test_readout_sigma_adds_the_pair_shot_noise_at_an_age():
    params = SynapseParameters()
    chain = readout_sigma(params)
    sigma_v = fndam.shot_noise_rms(fndam.oxide_voltage(1e3))
    assert readout_sigma(params, 1e3) == pytest.approx(math.sqrt(chain**2 + 2 * sigma_v**2), rel=1e-12)
    assert readout_sigma(SynapseParameters(shot_noise=False), 1e3) == pytest.approx(chain, rel=1e-12)
    assert readout_sigma(EXACT, [1e3, 1e5]).shape == (2,)


def test_free_array_spreads_like_the_shot_noise_in_short_and_long_steps():
    # 10,000 pairs (20,000 elements) without mismatch, from 100 s to 1e4 s.  The spread about the closed
    # form is sigma_V(V) whatever the steps: many short steps (Poisson counts; the noise of a step enters
    # undamped for ~dt/2, bias ~ +ln(100)/300/2 = +0.8 %) or one long step (the exact linear-noise
    # variance, no bias).  Standard error of an rms of 20,000 samples: 0.5 %; tolerance bias + 4 SE: 3 %.
    quiet = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=0.0, adc_bits=0)
    closed = fndam.oxide_voltage(1e4)
    sigma = fndam.shot_noise_rms(closed)
    many, one = SynapseArray(10_000, params=quiet, seed=4), SynapseArray(10_000, params=quiet, seed=5)
    # Already at the start: the spread gathered since programming.
    start_spread = np.sqrt(np.mean((many.voltage - fndam.oxide_voltage(100.0)) ** 2))
    assert start_spread == pytest.approx(fndam.shot_noise_rms(fndam.oxide_voltage(100.0)), rel=0.02)
    times = np.geomspace(100.0, 1e4, 301)
    for dt in np.diff(times):
        many.update(0.0, dt)
    one.update(0.0, 1e4 - 100.0)
    for array in (many, one):
        assert array.age == pytest.approx(1e4)
        assert np.sqrt(np.mean((array.voltage - closed) ** 2)) == pytest.approx(sigma, rel=0.03)
    # The weights see it: auto-zero at 100 s, so a weight is the change of a pair's deviation.
    assert np.std(many.read()) > 0.5 * math.sqrt(2) * sigma / quiet.weight_scale
    assert many.pulses == 0
    assert many.energy == 0.0


def test_a_pulse_adds_the_poisson_noise_of_the_electrons_it_moves():
    # Every synapse asks +0.5 (a ~0.8 s pulse on the minus element) in a 1 s step at 100 s.  Given each
    # element's start, the end differs from the mean propagation by the noise of the electrons that left,
    # Poisson: variance (q/C_T) (V_start - V_end) for steps short against the age (dt/age = 1 %).
    # 20,000 samples: the standard error of a variance is sqrt(2/n) = 1 %; tolerance 5 %.
    quiet = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=0.0, adc_bits=0,
                              pulse_resolution=0.0)
    array = SynapseArray(20_000, params=quiet, seed=6)
    start = array.voltage.copy()
    width, _, _ = array.pulse_widths(np.full(array.n, 0.5), 1.0)
    array.update(0.5, 1.0)
    _, ln_k1, k2 = FNDAMDevice().log_constants()
    free = fndam.advance(start[0], ln_k1, k2, 1.0)
    pulsed = fndam.advance(fndam.pulse_step(start[1], ln_k1, k2, quiet.pulse_amplitude, width), ln_k1, k2,
                           1.0 - width)
    jump = 1.602176634e-19 / FNDAMDevice().capacitance
    for row, mean in ((0, free), (1, pulsed)):
        assert np.var(array.voltage[row] - mean) == pytest.approx(jump * np.mean(start[row] - mean), rel=0.05)
    assert np.mean(start[1] - pulsed) > 3 * np.mean(start[0] - free)  # the pulse moved many more electrons


def test_pulse_widths_are_quantised_to_the_clock_and_counted():
    clock = SynapseParameters(k1_spread=0.0, k2_spread=0.0, readout_noise=0.0, adc_bits=0, shot_noise=False,
                              pulse_min_width=1e-3, pulse_resolution=1e-4)
    array = SynapseArray(6, params=clock)
    ideal = np.array([0.4e-3, 0.6e-3, 1.234e-3, -1.26e-3, 5e-3, 0.0])  # ideal widths [s], signed
    dw = ideal / array.seconds_per_weight
    width, clipped, dropped = array.pulse_widths(dw, 2e-3)
    # Below half the minimum: dropped; between half and the minimum: the minimum; above: nearest tick;
    # longer than the 2 ms step: cut to it; no request: no pulse.
    np.testing.assert_allclose(width, [0.0, 1e-3, 1.2e-3, 1.3e-3, 2e-3, 0.0], rtol=1e-12, atol=1e-15)
    assert clipped.tolist() == [False, False, False, False, True, False]
    assert dropped.tolist() == [True, False, False, False, False, False]
    array.update(dw, 2e-3)
    array.update(dw, 2e-3)
    assert (array.clipped, array.dropped, array.pulses) == (2, 2, 8)  # cumulative since construction
    # The array applies exactly those widths: the same as a continuous-width array asked for them.
    exact = SynapseArray(6, params=SynapseParameters(**{**clock.__dict__, "pulse_min_width": 0.0,
                                                        "pulse_resolution": 0.0}))
    quantised = np.sign(dw) * width / exact.seconds_per_weight
    exact.update(quantised, 2e-3)
    exact.update(quantised, 2e-3)
    np.testing.assert_allclose(array.voltage, exact.voltage, rtol=0, atol=1e-15)
    assert (exact.clipped, exact.dropped) == (0, 0)


def test_a_continuous_clock_drops_nothing_and_the_default_clock_is_one_microsecond():
    assert (SynapseParameters().pulse_min_width, SynapseParameters().pulse_resolution) == (1e-6, 1e-6)
    array = SynapseArray(2)
    width, _, dropped = array.pulse_widths(np.array([0.4e-6, 0.6e-6]) / array.seconds_per_weight, 1.0)
    assert width.tolist() == [0.0, 1e-6]  # 0.4 us dropped, 0.6 us raised to the 1 us minimum
    assert dropped.tolist() == [True, False]
    free = SynapseArray(2, params=IDEAL)
    width, _, dropped = free.pulse_widths(np.array([1e-12, 0.0]), 1.0)
    assert width[0] == pytest.approx(1e-12 * free.seconds_per_weight, rel=1e-12)
    assert dropped.tolist() == [False, False]


def test_learning_sees_the_counts_through_the_array():
    # physics/learning.py drives a SynapseArray: its counters are there for the learning view.
    from physics.learning import LearningRun

    run = LearningRun("2d", 50, params=SynapseParameters(pulse_min_width=0.05), seed=0)
    run.advance(50)
    array = run.memories["fndam"].array
    assert array.dropped > 0  # small requests below 25 ms are dropped
    assert array.pulses + array.dropped <= 50 * 3


def test_pair_retention_is_where_the_difference_has_lost_the_fraction():
    # Independent check with the closed form of each element (differential_voltage).
    device = FNDAMDevice()
    minus = FNDAMDevice(initial_voltage=9.0)
    ages = np.array([0.0, 1.0, 1e2, 1e4, 1e6])
    hold = pair_retention_time(0.1, ages, device, 1.0)
    before = differential_voltage(ages, device, minus)
    after = differential_voltage(ages + hold, device, minus)
    np.testing.assert_allclose(after / before, 0.9, rtol=1e-6)
    assert np.all(np.diff(hold) > 0)  # retention grows with age
    # Late in life w ~ 1/t^(1 + 2V/k2): losing 10 % takes ~ (1/0.9 - 1) age / (1 + 2V/k2) ~ 0.106 age.
    assert hold[-1] / ages[-1] == pytest.approx(0.106, abs=0.003)
    # A larger loss takes longer; a wider pair is no different late in life (the start is forgotten).
    assert pair_retention_time(0.5, 1e4, device, 1.0) > hold[3]
    assert pair_retention_time(0.1, 1e6, device, 0.1) == pytest.approx(hold[-1], rel=0.01)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: SynapseParameters(shot_noise="yes"), "shot_noise"),
        (lambda: SynapseParameters(pulse_min_width=-1e-6), "pulse_min_width"),
        (lambda: SynapseParameters(pulse_resolution=math.inf), "pulse_resolution"),
        (lambda: capacitance_for_bits(0.0), "bits"),
        (lambda: capacitance_for_bits(14, span=0.0), "span"),
        (lambda: capacitance_for_bits(14, voltage=11.0), "voltage"),
        (lambda: capacitance_for_bits(14, step_per_sigma=-1.0), "step_per_sigma"),
        (lambda: readout_sigma(SynapseParameters(), age=-1.0), "age"),
        (lambda: pair_retention_time(0.0, 1.0), "loss_fraction"),
        (lambda: pair_retention_time(1.0, 1.0), "loss_fraction"),
        (lambda: pair_retention_time(0.1, -1.0), "age"),
        (lambda: pair_retention_time(0.1, 1.0, voltage_difference=10.0), "voltage_difference"),
    ],
)
def test_bad_shot_noise_and_clock_arguments_raise_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()


@pytest.mark.filterwarnings("error")
def test_an_element_the_pulse_cannot_move_clips_every_request():
    # V0 = 1 V, far below the FN regime: the calibration pulse moves nothing (the dashboard can ask this).
    array = SynapseArray(3, FNDAMDevice(initial_voltage=1.0))
    assert array.seconds_per_weight == math.inf
    array.update([0.1, -0.1, 0.0], 0.5)
    assert (array.clipped, array.dropped, array.pulses) == (2, 0, 2)
    assert np.all(np.isfinite(array.read()))
