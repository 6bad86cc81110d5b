"""Exercises (dashboard/state/exercises.py): each stated answer recomputed independently, from closed
forms and the physics constants, or from physics/ called directly with the element built by hand (not
through the session's state); the settings of each give a valid state; docs/exercises.md is what the
data gives."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq

from dashboard.state.current import FIELD_WINDOW_MV_CM, J_FLOOR_A_CM2, POINTS
from dashboard.state.energy import EnergyState
from dashboard.state.exercises import EXERCISES, TrainingClaim, document, fill, num
from dashboard.state.presets import PRESETS, apply_settings
from dashboard.state.session import PARTS, VIEWS, SessionState
from physics import energy, tunneling
from physics.constants import DAY, HOUR, M0, MV_PER_CM, YEAR, H, Q
from physics.fndam import FNDAMDevice

ROOT = Path(__file__).resolve().parents[1]
#: Sessions run at 300 K (dashboard/state/device.py); the tests build their elements at it too.
ROOM = 300.0
#: Two results of the same arithmetic in a different order agree to rounding: 1e-9 relative is far
#: above float64's ~1e-16 per operation and far below any digit the answers show (3 to 4).
SAME = 1e-9


def fn_constants(phi, m_r):
    """(A [A/V^2], B [V/m]) written out: a = q^2/(8 pi h) per eV, b = 8 pi sqrt(2 m0 q)/(3 h) per eV^1.5."""
    a = Q**2 / (8 * math.pi * H)
    b = 8 * math.pi * math.sqrt(2 * M0 * Q) / (3 * H)
    return a / (m_r * phi), b * math.sqrt(m_r) * phi**1.5


def fn_j(field, phi=3.2, m_r=0.42):
    """J = A E^2 exp(-B/E) [A/m^2]."""
    a, b = fn_constants(phi, m_r)
    return a * field**2 * math.exp(-b / field)


def element(capacitance=100e-15, v0=10.0):
    """The app's default element (12 nm, 1 um^2, 3.2 eV, 0.42 m0) at room temperature, built by hand."""
    return FNDAMDevice(oxide_thickness=12e-9, junction_area=1e-12, capacitance=capacitance,
                       initial_voltage=v0, temperature=ROOM)


def voltage(t, device):
    """V(t) = k2 / ln(k1 t + k0), in plain floats (k0 = e^(k2/V0) ~ e^30 fits a double)."""
    _, k1, k2 = device.constants()
    return k2 / math.log(k1 * t + math.exp(k2 / device.initial_voltage))


def worked(key, **changes):
    return EXERCISES[key].work(**changes)


# --- the data ---------------------------------------------------------------------------------------

def test_at_least_six_exercises_with_url_safe_keys_and_short_questions():
    assert len(EXERCISES) >= 6
    assert len({ex.title for ex in EXERCISES.values()}) == len(EXERCISES)
    for key, exercise in EXERCISES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
        assert exercise.key == key
        question = worked(key).question
        sentences = re.split(r"(?<=[.?!])\s+", question.strip())
        assert 2 <= len(sentences) <= 6, (key, sentences)
        assert not re.search(r"[{}]", question)  # every field filled


@pytest.mark.parametrize("key", list(EXERCISES))
def test_settings_give_a_valid_state_with_the_exercise_view(key):
    exercise = EXERCISES[key]
    settings = exercise.settings_for()
    session = SessionState()
    apply_settings(session, settings)  # raises on an unknown or out-of-range value
    for part, values in settings.items():
        for name, value in values.items():
            assert getattr(session.part(part), name) == value
    assert session.view == exercise.view == settings["session"]["view"]
    assert exercise.view in VIEWS
    for part, name in exercise.controls:  # every control named is a control of the app
        assert name in PARTS[part].param
        assert not PARTS[part].param[name].constant
    assert "Controls: *" in exercise.hint_text()


def test_settings_take_the_presets_code_path():
    for name, preset in PRESETS.items():
        by_preset, by_settings = SessionState(), SessionState()
        by_preset.apply_preset(name)
        apply_settings(by_settings, preset)
        assert by_settings.query() == by_preset.query()


def test_applying_settings_resets_everything_else_first():
    session = SessionState()
    session.device.barrier_height_eV = 4.0
    session.energy.baseline = "HBM2"
    apply_settings(session, EXERCISES["thinner-oxide"].settings_for())
    assert session.device.barrier_height_eV == SessionState().device.barrier_height_eV
    assert session.energy.baseline == "DDR DRAM"


def test_unknown_given_values_are_refused_with_the_names():
    with pytest.raises(ValueError, match="thinner-oxide has no given value claim"):
        EXERCISES["thinner-oxide"].values(claim=3)


def test_the_committed_document_is_what_the_data_gives():
    assert (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8") == document()


def test_numbers_are_written_as_the_app_writes_them():
    assert [num(624.15), num(1.4937e6), num(2.8e-5), num(-26.3223, 4)] == ["624", "1.49e6", "2.8e-5",
                                                                            "\u221226.32"]
    assert fill("{x:~} and {x:~4} and {y}", {"x": 3.14159, "y": "z"}) == "3.14 and 3.142 and z"


# --- 1. thinner oxide -------------------------------------------------------------------------------

def test_thinner_oxide_at_same_voltage_and_same_field():
    n = worked("thinner-oxide").answer.numbers
    v, d1, d2 = 10.0, 12e-9, 11e-9
    _, b = fn_constants(3.2, 0.42)
    ratio = (d1 / d2) ** 2 * math.exp(b * (d1 - d2) / v)  # J2/J1 = (E2/E1)^2 exp(B (1/E1 - 1/E2))
    assert n["ratio_same_voltage"] == pytest.approx(ratio, rel=SAME)
    assert n["J1_A_cm2"] == pytest.approx(fn_j(v / d1) / 1e4, rel=SAME)
    assert n["ratio_same_field"] == pytest.approx(1.0, rel=SAME)  # J depends on E alone
    assert n["V_same_field"] == pytest.approx(v * d2 / d1, rel=SAME)
    # The app's operating point: WKB at 300 K through the session's oxide (called directly here).
    thick, thin, same_field = (tunneling.current_density(volts, d, temperature=ROOM)
                               for volts, d in ((v, d1), (v, d2), (v * d2 / d1, d2)))
    assert n["wkb_ratio_same_voltage"] == pytest.approx(thin / thick, rel=SAME)
    # The same triangle (3.84 nm wide, well inside either oxide): the same WKB current to 1e-6.
    assert n["wkb_ratio_same_field"] == pytest.approx(same_field / thick, rel=SAME)
    assert n["wkb_ratio_same_field"] == pytest.approx(1.0, rel=1e-6)
    text = worked("thinner-oxide").answer.markdown
    assert f"**{num(ratio)}×**" in text
    assert f"E₁ d₂ = {num(v * d2 / d1)} V" in text


# --- 2. FN-plot slope -------------------------------------------------------------------------------

def test_barrier_height_from_the_fn_plot_slope():
    phi_set, m_r = 3.15, 0.5  # the exercise's oxide: Jin et al.'s SiO2 (physics/materials.py)
    n = worked("fn-slope").answer.numbers
    # The slope the question quotes: a straight-line fit of ln(J/E^2) against 1/E to the WKB current at
    # 300 K on the view's fields, keeping the FN regime (V >= phi) and J above the plot's floor.
    field = np.geomspace(*FIELD_WINDOW_MV_CM, POINTS) * MV_PER_CM
    j = np.array([tunneling.current_density(e * 12e-9, 12e-9, phi_set, m_r, temperature=ROOM) for e in field])
    keep = (field * 12e-9 >= phi_set) & (j / 1e4 > J_FLOOR_A_CM2)
    slope = np.polyfit(1 / field[keep], np.log(j[keep] / field[keep] ** 2), 1)[0]
    assert n["slope_V_per_nm"] == pytest.approx(slope * 1e-9, rel=1e-7)
    _, b_unit = fn_constants(1.0, 1.0)
    phi = (-slope / (b_unit * math.sqrt(m_r))) ** (2 / 3)  # -slope = B = b sqrt(m_r) phi^1.5, inverted
    assert n["phi_eV"] == pytest.approx(phi, rel=1e-7)
    assert n["phi_formula_eV"] == pytest.approx(phi_set, rel=SAME)  # the formula's own slope: exact
    # Warm electrons flatten the plot: the extracted barrier is low, by less than 5 %.
    assert phi_set * 0.95 < n["phi_eV"] < phi_set
    assert n["phi_other_mass_eV"] == pytest.approx((-slope / (b_unit * math.sqrt(0.42))) ** (2 / 3), rel=1e-7)
    assert f"**{num(phi)} eV**" in worked("fn-slope").answer.markdown


# --- 3. electrons per millivolt ---------------------------------------------------------------------

def test_electrons_per_millivolt_and_the_slowing_leak():
    n = worked("electrons-per-mv").answer.numbers
    device = element()
    assert n["electrons_per_mV"] == pytest.approx(100e-15 * 1e-3 / 1.602176634e-19, rel=SAME)
    v_day = voltage(DAY, device)
    assert n["V_day"] == pytest.approx(v_day, rel=SAME)
    assert n["electrons_first_day"] == pytest.approx(100e-15 * (10.0 - v_day) / Q, rel=1e-8)
    _, k1, k2 = device.constants()
    v_year = voltage(YEAR, device)
    current = 100e-15 * (k1 / k2) * v_year**2 / (k1 * YEAR + math.exp(k2 / 10.0))  # I = C_T |dV/dt|
    assert n["current_year_A"] == pytest.approx(current, rel=1e-8)
    assert n["electrons_per_hour"] == pytest.approx(current / Q * HOUR, rel=1e-8)
    assert "**624 electrons per mV**" in worked("electrons-per-mv").answer.markdown


# --- 4. the growing barrier -------------------------------------------------------------------------

def test_tunneling_distance_grows_as_the_gate_discharges():
    n = worked("growing-barrier").answer.numbers
    d, phi = 12e-9, 3.2
    v_year = voltage(YEAR, element())
    assert n["V_then"] == pytest.approx(v_year, rel=SAME)
    # x_t = phi / (qE) = phi d / V [m], phi in eV, V in volts
    assert n["x0_nm"] == pytest.approx(phi * d / 10.0 * 1e9, rel=SAME)
    assert n["x1_nm"] == pytest.approx(phi * d / v_year * 1e9, rel=SAME)
    assert n["fall"] == pytest.approx(fn_j(10.0 / d) / fn_j(v_year / d), rel=1e-8)
    # The band view measures the same width on its sampled band (12 nm / 399 intervals = 0.03 nm).
    session = SessionState()
    apply_settings(session, EXERCISES["growing-barrier"].settings_for())
    path = session.band.tunneling_path(session.band.profile())
    assert path["distance_nm"] == pytest.approx(n["x1_nm"], abs=0.05)


# --- 5. the same pulse, later -----------------------------------------------------------------------

def test_a_pulse_moves_an_older_element_less():
    n = worked("shrinking-pulse").answer.numbers
    device = element()
    _, k1, k2 = device.constants()

    def rate(v):  # f(V) = |dV/dt| = (k1/k2) V^2 exp(-k2/V) [V/s]
        return k1 / k2 * v**2 * math.exp(-k2 / v)

    for age, key in ((100.0, "dV_early_mV"), (1e4, "dV_late_mV")):
        v = voltage(age, device)
        small_pulse = 0.1 * (rate(v + 0.3) - rate(v))  # tau [f(V + delta) - f(V)] [V]
        # The small-pulse form leaves out how V moves during the 0.1 s (tau/age <= 1e-3 of the age) and
        # the curvature of f over it: 1 % covers both (it is 0.2 % at 100 s).
        assert n[key] * 1e-3 == pytest.approx(small_pulse, rel=0.01)
    assert n["shrink"] == pytest.approx(n["dV_early_mV"] / n["dV_late_mV"], rel=SAME)
    assert 50 < n["shrink"] < 100  # roughly 1/age over a factor 100 in age
    assert n["E_early_J"] == pytest.approx(100e-15 * n["dV_early_mV"] * 1e-3 * 10.0, rel=SAME)  # C |dV| V_tun


# --- 6. weight retention ----------------------------------------------------------------------------

def test_time_to_lose_ten_percent_of_a_weight():
    n = worked("weight-retention").answer.numbers
    plus, minus = element(v0=10.0), element(v0=9.0)

    def weight(t):
        return voltage(t, plus) - voltage(t, minus)

    _, _, k2 = plus.constants()
    for age, name in ((DAY, "day"), (YEAR, "year")):
        assert n[f"w_{name}_mV"] == pytest.approx(weight(age) * 1e3, rel=1e-6)
        # Root of w(age + t) = 0.9 w(age) in ln t. w is a difference of two ~6-7 V voltages, good to
        # ~1e-15 V, so at one year (w ~ 6e-8 V) it carries ~1e-7 relative error: 1e-5 covers it.
        hold = math.exp(brentq(lambda s, start=age: weight(start + math.exp(s)) - 0.9 * weight(start),
                               0.0, math.log(1e3 * age), xtol=1e-12))
        assert n[f"hold_{name}_s"] == pytest.approx(hold, rel=1e-5)
        # Late in life: f/(1 - f) age / (1 + 2V/k2), which neglects k0/(k1 t) and V's fall over the
        # interval (~1/ln(k1 t) per 10 %): within 1 %.
        late = 0.1 / 0.9 * age / (1 + 2 * voltage(age, plus) / k2)
        assert n[f"late_{name}_s"] == pytest.approx(late, rel=1e-8)
        assert hold == pytest.approx(late, rel=0.01)
    assert n["hold_ratio"] == pytest.approx(n["hold_year_s"] / n["hold_day_s"], rel=SAME)


# --- 7. precision a capacitor allows ----------------------------------------------------------------

def bits_closed_form(capacitance):
    """Bits of a pair over 1 V at one day with the leading-order shot noise sigma_V = V sqrt(q/(2 k2 C_T))
    and a step of sqrt(12) x sqrt(2) sigma_V."""
    device = element(capacitance=capacitance)
    _, _, k2 = device.constants()
    sigma = voltage(DAY, device) * math.sqrt(Q / (2 * k2 * capacitance))
    return math.log2(1.0 / (math.sqrt(12) * math.sqrt(2) * sigma))


def test_bits_a_one_picofarad_pair_resolves():
    n = worked("capacitor-precision").answer.numbers
    assert n["V"] == pytest.approx(voltage(DAY, element(capacitance=1e-12)), rel=SAME)
    # The exact stationary variance is (1 - V/k2 + ...) times the leading form's: ~1.3 % in sigma at
    # 7.5 V, log2(1.013) = 0.02 bit; 0.05 bit allows for it.
    assert n["bits"] == pytest.approx(bits_closed_form(1e-12), abs=0.05)
    assert n["bits_noise"] == pytest.approx(n["bits"], abs=1e-9)  # at one day the noise floor decides
    assert bits_closed_form(n["C_14_pF"] * 1e-12) == pytest.approx(14.0, abs=0.05)
    assert n["bits_per_decade"] == pytest.approx(math.log2(math.sqrt(10)), rel=SAME)  # at the same V
    # At the same age 10x the capacitance sits at a higher V (it discharges more slowly): fewer bits.
    assert n["bits_10x"] == pytest.approx(bits_closed_form(1e-11), abs=0.05)
    assert n["bits_10x"] - n["bits"] < n["bits_per_decade"]


# --- 8. training energy and the claim ---------------------------------------------------------------

def closed_form_training(log10_batch, claim):
    """(saving, largest B, e_conv needed, e_fn needed) with the app's defaults written out: DDR DRAM at
    20 pJ/bit moving 32 bytes and reading 32 bits; FN-DAM the preprint's 5 fJ plus a 12-bit read at
    5 fJ per step; an A100's 400 W / 312 TFLOPS."""
    e_conv = (256 + 32) * 20e-12
    e_fn = 5e-15 + 5e-15 * 2**12
    e_flop = 400 / 312e12
    compute = 6 * 10**log10_batch * e_flop
    saving = (compute + e_conv) / (compute + e_fn)
    largest = (e_conv - claim * e_fn) / (6 * e_flop * (claim - 1))
    return saving, largest if largest >= 1 else 0.0, claim * (compute + e_fn) - compute, \
        (compute + e_conv) / claim - compute


@pytest.mark.parametrize("changes", [{}, {"claim": 20.0}, {"log10_batch": 0.0, "claim": 50.0},
                                     {"log10_params": 11.0, "log10_samples": 12.0, "log10_batch": 6.6}])
def test_training_energy_and_what_the_claim_needs(changes):
    values = EXERCISES["training-energy"].values(**changes)
    n = worked("training-energy", **changes).answer.numbers
    saving, largest, conv_needed, fn_needed = closed_form_training(values["log10_batch"], values["claim"])
    assert n["saving"] == pytest.approx(saving, rel=SAME)
    assert n["largest_B"] == pytest.approx(largest, rel=SAME)
    assert n["conv_needed_J"] == pytest.approx(conv_needed, rel=SAME)
    assert n["fn_needed_J"] == pytest.approx(fn_needed, rel=SAME)
    assert n["compute_J"] == pytest.approx(6 * 10 ** (values["log10_params"] + values["log10_samples"])
                                           * 400 / 312e12, rel=SAME)
    # The app's energy view, with the same settings, shows the same saving.
    session = SessionState()
    apply_settings(session, EXERCISES["training-energy"].settings_for(**changes))
    assert session.energy.summary()["saving"] == pytest.approx(n["saving"], rel=SAME)
    text = worked("training-energy", **changes).answer.markdown
    assert f"**{num(saving)}×**" in text
    assert ("reaches the claimed" in text) == (saving >= values["claim"])
    assert ("no FN-DAM update energy can do it" in text) == (fn_needed <= 0)


def test_the_claim_inputs_are_the_energy_view_parameters():
    for name in ("log10_params", "log10_samples", "log10_batch"):
        mine, app = TrainingClaim.param[name], EnergyState.param[name]
        assert (mine.default, mine.bounds, mine.label) == (app.default, app.bounds, app.label)
    assert TrainingClaim.param.claim.default == energy.PRESS_TRAINING_SAVING.value
    assert set(EXERCISES["training-energy"].given) == {n for n in TrainingClaim.param if n != "name"}


def test_the_fn_constants_written_out_here_agree_with_physics():
    a, b = fn_constants(1.0, 1.0)
    assert tunneling.fn_coefficients(1.0, 1.0) == pytest.approx((a, b), rel=SAME)
