"""FN-DAM element: docs/science.md section 3 values, closed form against an ODE solver, pulses, bad input."""

import dataclasses
import itertools
import math

import numpy as np
import pytest

from physics import constants as c
from physics import fndam
from physics.constants import YEAR
from physics.fndam import FNDAMDevice

DEVICE = FNDAMDevice()


def test_illustrative_device_constants_match_science_md():
    ln_k0, k1, k2 = DEVICE.constants()
    # docs/science.md section 3 quotes 4 significant figures for k2 and ln k0, 3 for k1: tolerances of
    # half a last digit.
    assert k2 == pytest.approx(304.1, abs=0.05)
    assert k1 == pytest.approx(2.42e13, abs=0.005e13)
    assert ln_k0 == pytest.approx(30.41, abs=0.005)


def test_illustrative_device_voltages_match_science_md():
    # Quoted to 4 decimals: half a last digit.
    assert fndam.oxide_voltage(1e4) == pytest.approx(7.597, abs=5e-4)
    assert fndam.oxide_voltage(YEAR) == pytest.approx(6.324, abs=5e-4)
    assert fndam.oxide_voltage(0.0) == DEVICE.initial_voltage


def test_closed_form_agrees_with_ode_from_1_s_to_10_years():
    # 1e-9 V: the ODE runs at rtol 1e-12 (measured gap 1.6e-13 V), so a failure means the closed form
    # and equation (1) disagree, not solver noise; yet the bound is tight enough to catch a relative
    # error of ~4e-9 in k1 (dV = -(V^2/k2) dk1/k1 ~ 0.26 V per unit) or ~1e-10 in k2, and it is 1/1600
    # of the 1.6 uV one electron makes on 100 fF.  docs/science.md section 3 quotes "< 1e-9 V".
    t = np.geomspace(1.0, 10 * YEAR, 200)
    assert np.max(np.abs(fndam.oxide_voltage(t) - fndam.oxide_voltage_ode(t))) < 1e-9


@pytest.mark.parametrize("v0", [3.0, 20.0])
def test_closed_form_agrees_with_ode_at_the_ends_of_the_voltage_range(v0):
    device = FNDAMDevice(initial_voltage=v0)
    t = np.geomspace(1.0, 10 * YEAR, 50)
    assert np.max(np.abs(fndam.oxide_voltage(t, device) - fndam.oxide_voltage_ode(t, device))) < 1e-9


@pytest.mark.filterwarnings("error")  # an overflow or invalid-value warning fails the test
@pytest.mark.parametrize("v0", [3.0, 5.0, 10.0, 20.0])
def test_closed_form_is_finite_and_monotone_from_0_to_1e10_s(v0):
    device = FNDAMDevice(initial_voltage=v0)
    t = np.concatenate([[0.0], np.geomspace(1e-9, 1e10, 2000)])
    v = fndam.oxide_voltage(t, device)
    assert np.all(np.isfinite(v))
    assert np.all(np.diff(v) <= 0.0)  # electrons only leave
    assert v[0] == v0
    assert np.all(v > 0.0)


def test_late_decay_per_decade_is_ln10_v2_over_k2():
    # docs/science.md section 3: V drops ~ln(10) V^2/k2 per decade late in life; the approximation drops
    # terms of
    # relative order V/k2 ~ 2% and the change of V over the decade (~1.5%), so 5% tolerance.
    _, _, k2 = DEVICE.constants()
    v_a, v_b = fndam.oxide_voltage([1e7, 1e8])
    v_mid = math.sqrt(v_a * v_b)
    assert v_a - v_b == pytest.approx(math.log(10.0) * v_mid**2 / k2, rel=0.05)


def test_time_to_voltage_inverts_the_closed_form():
    t = np.geomspace(1e-3, 1e10, 40)
    # Round trip through exp(k2/V) amplifies V's rounding by k2/V ~ 50: 1e-9 relative is ample.
    np.testing.assert_allclose(fndam.time_to_voltage(fndam.oxide_voltage(t)), t, rtol=1e-9)
    assert fndam.time_to_voltage(DEVICE.initial_voltage) == 0.0


def test_retention_is_the_time_between_two_voltages_and_improves_with_age():
    ages = np.array([0.0, 1e2, 1e4, 1e6])
    ret = fndam.retention_time(0.1, ages)
    v_age = fndam.oxide_voltage(ages)
    expected = fndam.time_to_voltage(v_age - 0.1) - fndam.time_to_voltage(v_age)
    np.testing.assert_allclose(ret, expected, rtol=1e-9)  # two routes through the same inverse
    assert np.all(np.diff(ret) > 0)


def test_current_is_minus_c_dv_dt_by_finite_differences():
    # Independent route: central difference of the closed form (h = 1e-4 t: truncation ~h^2 ~ 1e-8,
    # rounding ~1e-16 V / (1e-4 t * dV/dt) < 1e-6), so 1e-5 relative.
    t = np.geomspace(1e-2, 1e9, 12)
    h = 1e-4 * t
    dvdt = (fndam.oxide_voltage(t + h) - fndam.oxide_voltage(t - h)) / (2 * h)
    np.testing.assert_allclose(fndam.tunneling_current(t), -DEVICE.capacitance * dvdt, rtol=1e-5)
    np.testing.assert_allclose(fndam.electron_rate(t), fndam.tunneling_current(t) / c.Q, rtol=1e-15)


def test_current_matches_fowler_nordheim_density_times_area():
    # Equation (1): I = S J(V/d) with J = A E^2 exp(-B/E), written out here from A and B directly.
    from physics.tunneling import fn_coefficients

    a, b = fn_coefficients(DEVICE.barrier_height_eV, DEVICE.mass_ratio)
    t = np.geomspace(1.0, 1e9, 10)
    field = fndam.oxide_voltage(t) / DEVICE.oxide_thickness
    expected = DEVICE.junction_area * a * field**2 * np.exp(-b / field)
    np.testing.assert_allclose(fndam.tunneling_current(t), expected, rtol=1e-12)


def test_current_falls_as_one_over_t_late():
    # I ~ C V^2 / (k2 t) for k1 t >> k0 (docs/science.md section 3); exact on the trajectory up to
    # k0/(k1 t) < 1e-5.
    _, _, k2 = DEVICE.constants()
    t = np.geomspace(1e5, 1e10, 6)
    v = fndam.oxide_voltage(t)
    np.testing.assert_allclose(fndam.tunneling_current(t), DEVICE.capacitance * v**2 / (k2 * t), rtol=1e-5)


def test_trajectory_matches_the_pointwise_functions():
    tr = fndam.trajectory(t_start=1.0, t_stop=1e8, num=64)
    assert tr.time.shape == tr.voltage.shape == tr.current.shape == (64,)
    np.testing.assert_allclose(tr.voltage, fndam.oxide_voltage(tr.time), rtol=1e-15)
    np.testing.assert_allclose(tr.electrons_per_second, fndam.electron_rate(tr.time), rtol=1e-15)


def test_matched_elements_started_at_9_and_10_v_converge():
    v10 = fndam.oxide_voltage([1.0, 1e8], FNDAMDevice(initial_voltage=10.0))
    v9 = fndam.oxide_voltage([1.0, 1e8], FNDAMDevice(initial_voltage=9.0))
    assert v10[0] - v9[0] > 0.1
    # Invariant z_9 - z_10 = exp(k2/9) - exp(k2/10) ~ 4e14 against z ~ k1 t = 2.4e21 at 1e8 s gives a
    # gap of V^2/k2 x 4e14/2.4e21 ~ 2e-8 V; 1e-6 V leaves a wide margin and still fails if they don't meet.
    assert abs(v10[1] - v9[1]) < 1e-6


def test_matched_pair_invariant_exp_k2_over_v_difference_is_constant():
    _, _, k2 = DEVICE.constants()
    t = np.geomspace(1e-3, 1e6, 30)
    va = fndam.oxide_voltage(t, FNDAMDevice(initial_voltage=10.0))
    vb = fndam.oxide_voltage(t, FNDAMDevice(initial_voltage=9.5))
    invariant = np.exp(k2 / vb) - np.exp(k2 / va)
    # Each exp(k2/V) carries ~(k2/V) x 1.1e-16 ~ 5e-15 relative rounding error, and z = exp(k2/V) grows
    # to 2.4e19 ~ 4e5 x the invariant (6.4e13) by 1e6 s: the difference is good to ~2e-9; 1e-7 tolerance.
    np.testing.assert_allclose(invariant, invariant[0], rtol=1e-7)


def test_pulse_update_log_log_slope_against_age():
    ages = np.geomspace(1e2, 1e5, 13)
    dv = fndam.pulse_update(ages)
    assert np.all(dv < 0)
    slope = np.polyfit(np.log(ages), np.log(-dv), 1)[0]
    assert -1.1 <= slope <= -0.9


def test_short_pulse_matches_tau_times_rate_difference():
    # Small-pulse limit of docs/science.md section 4: dV ~ -tau [f(V + delta) - f(V)], f from equation (1)
    # written out here. Error terms are O(tau f') ~ tau/t ~ 1e-5 relative at t = 100 s, tau = 1 ms.
    _, k1, k2 = DEVICE.constants()

    def f(v):
        return k1 / k2 * v**2 * np.exp(-k2 / v)

    t, delta, tau = 100.0, 0.3, 1e-3
    v = fndam.oxide_voltage(t)
    assert fndam.pulse_update(t, DEVICE, delta, tau) == pytest.approx(-tau * (f(v + delta) - f(v)), rel=1e-4)


def test_pulse_of_zero_amplitude_or_width_does_nothing():
    assert fndam.pulse_update(1e3, DEVICE, 0.0, 1.0) == 0.0
    assert fndam.pulse_update(1e3, DEVICE, 0.5, 0.0) == 0.0


def test_one_millivolt_on_100_ff_is_624_electrons():
    # docs/science.md section 4 [calc]
    assert DEVICE.capacitance * 1e-3 / c.Q == pytest.approx(624, abs=0.5)


@pytest.mark.parametrize(
    ("field", "value", "range_text"),
    [
        ("capacitance", -1e-13, "[1e-18, 1e-09] F"),
        ("junction_area", 0.0, "[1e-16, 1e-06] m^2"),
        ("oxide_thickness", math.nan, "[5e-10, 1e-07] m"),
        ("initial_voltage", 50.0, "[1, 30] V"),
        ("tunneling_voltage", math.inf, "[1, 30] V"),
        ("barrier_height_eV", 0.0, "[0.5, 6] eV"),
        ("mass_ratio", "0.4", "[0.05, 2]"),
    ],
)
def test_unphysical_device_fields_raise_naming_field_and_range(field, value, range_text):
    with pytest.raises(ValueError, match=field) as info:
        FNDAMDevice(**{field: value})
    assert range_text in str(info.value)


def test_array_device_field_is_refused():
    with pytest.raises(ValueError, match="capacitance must be a single number"):
        FNDAMDevice(capacitance=np.array([1e-13, 2e-13]))


def test_device_is_frozen_and_hashable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEVICE.capacitance = 1.0
    assert FNDAMDevice() == FNDAMDevice(capacitance=100e-15)
    assert hash(FNDAMDevice()) == hash(FNDAMDevice(capacitance=1e-13))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: fndam.oxide_voltage(-1.0), "t"),
        (lambda: fndam.oxide_voltage(2e10), "t"),
        (lambda: fndam.oxide_voltage([1.0, math.nan]), "t"),
        (lambda: fndam.time_to_voltage(11.0), "v"),
        (lambda: fndam.time_to_voltage(0.0), "v"),
        (lambda: fndam.retention_time(0.0, 1.0), "voltage_loss"),
        (lambda: fndam.pulse_update(1.0, DEVICE, -0.1, 1.0), "delta"),
        (lambda: fndam.pulse_update(1.0, DEVICE, 0.1, -1.0), "duration"),
        (lambda: fndam.trajectory(t_start=10.0, t_stop=1.0), "t_start"),
        (lambda: fndam.oxide_voltage_ode(1.0, DEVICE, rtol=0.1), "rtol"),
        (lambda: fndam.shot_noise_rms(11.0), "voltage"),
        (lambda: fndam.shot_noise_rms([8.0, 0.0]), "voltage"),
        (lambda: fndam.shot_noise_rms("8"), "voltage"),
    ],
)
def test_bad_function_arguments_raise_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()


EXTREMES = [
    FNDAMDevice(oxide_thickness=1e-7, junction_area=1e-16, capacitance=1e-9, initial_voltage=3.0),
    FNDAMDevice(oxide_thickness=1e-9, junction_area=1e-6, capacitance=1e-18, initial_voltage=20.0),
    FNDAMDevice(barrier_height_eV=0.5, mass_ratio=0.05, oxide_thickness=1e-9, initial_voltage=30.0),
    FNDAMDevice(barrier_height_eV=6.0, mass_ratio=2.0, oxide_thickness=1e-7, initial_voltage=1.0),
]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("device", EXTREMES)
def test_extreme_but_legal_devices_give_finite_results(device):
    t = np.concatenate([[0.0], np.geomspace(1e-6, 1e10, 50)])
    v = fndam.oxide_voltage(t, device)
    for result in (v, fndam.oxide_voltage_ode(t, device), fndam.tunneling_current(t, device),
                   fndam.electron_rate(t, device), fndam.pulse_update(t, device, 10.0, 1e6),
                   fndam.time_to_voltage(v, device)):
        assert np.all(np.isfinite(result))
    assert np.all(np.isfinite(device.log_constants()))


@pytest.mark.filterwarnings("error")
def test_a_pulse_that_would_reverse_the_field_leaves_the_voltage_floor():
    # 10 V for 1e6 s drains the illustrative gate past zero; the model stops at VOLTAGE_FLOOR instead.
    dv = fndam.pulse_update(1e3, DEVICE, 10.0, 1e6)
    assert dv == pytest.approx(fndam.VOLTAGE_FLOOR - fndam.oxide_voltage(1e3 + 1e6), abs=1e-12)


def test_ode_handles_t_zero_empty_and_2d_input():
    assert fndam.oxide_voltage_ode(0.0) == DEVICE.initial_voltage
    assert fndam.oxide_voltage_ode([]).shape == (0,)
    t = np.array([[1e4, 0.0], [YEAR, 1.0]])
    v = fndam.oxide_voltage_ode(t)
    assert v.shape == (2, 2)
    np.testing.assert_allclose(v, fndam.oxide_voltage(t), atol=1e-9)  # see the 1e-9 V test above


def test_shot_noise_matches_science_md_and_the_leading_order_formula():
    # docs/science.md section 3: 0.44 mV at 8.6 V and 0.37 mV at 7.2 V for 100 fF, k2 = 304.1 V.
    assert fndam.shot_noise_rms(8.6) == pytest.approx(0.44e-3, abs=0.005e-3)
    assert fndam.shot_noise_rms(7.2) == pytest.approx(0.37e-3, abs=0.005e-3)
    k2 = DEVICE.log_constants()[2]
    v = np.array([8.0, 7.0, 6.0, 5.0])
    leading = v * np.sqrt(c.Q / (2 * k2 * DEVICE.capacitance))
    # Away from V0 the start term is gone (exp(-2 eps) < 3e-7) and the exact linear-noise result is the
    # leading form times sqrt(1 - V/k2 + V^2/(2 k2^2)); the quasi-stationary solution of the variance
    # equation, q V^2 / (2 C (k2 + 2V)), agrees with it to O(V/k2) (within 2 %).
    np.testing.assert_allclose(fndam.shot_noise_rms(v), leading * np.sqrt(1 - v / k2 + v**2 / (2 * k2**2)),
                               rtol=1e-6)
    quasi = np.sqrt(c.Q * v**2 / (2 * DEVICE.capacitance * (k2 + 2 * v)))
    np.testing.assert_allclose(fndam.shot_noise_rms(v), quasi, rtol=0.02)
    # sigma ~ 1/sqrt(C_T), and 0 at V0 (the element is programmed exactly).
    big = FNDAMDevice(capacitance=10e-12)
    assert fndam.shot_noise_rms(8.0, big) == pytest.approx(fndam.shot_noise_rms(8.0) / 10, rel=1e-12)
    assert fndam.shot_noise_rms(10.0) == 0.0


def test_shot_variance_of_a_short_step_is_the_poisson_variance_of_the_electrons_that_left():
    _, ln_k1, k2 = DEVICE.log_constants()
    v = fndam.oxide_voltage(1e3)
    for dt in (1e-6, 1e-2, 1.0):  # dt / age from 1e-9 to 1e-3: the restoring pull has no time to act
        v_end = fndam.advance(v, ln_k1, k2, dt)
        poisson = c.Q / DEVICE.capacitance * (v - v_end)
        assert fndam.shot_variance(v, v_end, k2, DEVICE.capacitance) == pytest.approx(poisson, rel=2e-3)
    # A step 10x the age: the pull acts within it, so less than the Poisson variance of its electrons.
    v_end = fndam.advance(v, ln_k1, k2, 1e4)
    poisson = c.Q / DEVICE.capacitance * (v - v_end)
    assert fndam.shot_variance(v, v_end, k2, DEVICE.capacitance) < 0.5 * poisson


def test_shot_noise_agrees_with_a_monte_carlo_of_discrete_electrons():
    # Independent method: 16,000 elements programmed to V0 at t = 0 lose whole electrons (q/C_T = 1.6 uV
    # each).  Per time step every element loses a Poisson number of electrons whose mean is the exact
    # number the closed form removes from *its own* voltage in that step, N = C_T (V - advance(V, dt))/q:
    # the mean and the restoring pull (an element above the trajectory leaks faster) are exact; only the
    # timing of the noise within a step is approximate (tau-leaping; Gillespie would need ~1e6 events per
    # element).  Time steps: 0, then 250 per decade from 10 ms to 1e5 s (1,750 steps, ~1 s).
    # Tolerance, from the Monte Carlo's own errors: the standard error of an rms of n Gaussian samples
    # is 1/sqrt(2n) = 0.56 %; the noise of a step enters undamped for ~dt/2, a bias of about
    # +lambda dt/2 = (1 + 2V/k2) ln(10)/250 / 2 = +0.5 %; 0.5 % + 4 standard errors ~ 2.7 %: 3 %.
    n, per_decade = 16_000, 250
    rng = np.random.default_rng(20240501)
    _, ln_k1, k2 = DEVICE.log_constants()
    jump = c.Q / DEVICE.capacitance
    ages = (1e1, 1e3, 1e5)
    times = np.concatenate([[0.0], np.geomspace(1e-2, ages[-1], 7 * per_decade + 1)])
    v = np.full(n, DEVICE.initial_voltage)
    seen = {}
    for start, stop in itertools.pairwise(times):
        v = v - jump * rng.poisson((v - fndam.advance(v, ln_k1, k2, stop - start)) / jump)
        for age in ages:
            if math.isclose(stop, age, rel_tol=1e-9):
                seen[age] = v.copy()
    assert sorted(seen) == list(ages)
    for age, sample in seen.items():
        closed = fndam.oxide_voltage(age)
        sigma = fndam.shot_noise_rms(closed)
        deviation = sample - closed
        assert np.sqrt(np.mean(deviation**2)) == pytest.approx(sigma, rel=0.03), age
        # The spread is about the closed form itself: the mean offset is within 5 standard errors.
        assert abs(np.mean(deviation)) < 5 * sigma / math.sqrt(n)
        # A differential pair (two independent elements): sqrt(2) more.  n/2 pairs: standard error
        # 1/sqrt(n) = 0.8 %, tolerance 0.5 % + 4 standard errors ~ 3.7 %: 4 %.
        pair = deviation[: n // 2] - deviation[n // 2:]
        assert np.std(pair) == pytest.approx(math.sqrt(2) * sigma, rel=0.04), age
