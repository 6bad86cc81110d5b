"""Barrier profiles: shape, the FN/direct boundary, tunneling distance (docs/science.md section 2)."""

import numpy as np
import pytest

from physics import constants as c
from physics.barrier import (
    EMITTER_FERMI_EV,
    conduction_band_profile,
    oxide_field,
    stack_profile,
    tunneling_distance,
)


def test_oxide_field_units():
    # 12 V across 12 nm is 10 MV/cm.
    assert oxide_field(12.0, 12e-9) == pytest.approx(10 * c.MV_PER_CM)


@pytest.mark.parametrize(("field_mv_cm", "expected_nm"), [(10.0, 3.20), (8.0, 4.00)])
def test_tunneling_distance_published(field_mv_cm, expected_nm):
    # docs/science.md section 2: x_t = phi/(qE) = 3.20 nm at 10 MV/cm, 4.00 nm at 8 MV/cm for 3.2 eV.
    assert tunneling_distance(field_mv_cm * c.MV_PER_CM) * 1e9 == pytest.approx(expected_nm, abs=5e-3)


def test_profile_is_linear_with_turning_point_at_tunneling_distance():
    d, v = 12e-9, 12.0
    x = np.linspace(0.0, d, 101)
    u = conduction_band_profile(x, v, d)
    assert u[0] == pytest.approx(3.2)
    assert u[-1] == pytest.approx(3.2 - v)
    assert np.allclose(np.diff(u, 2), 0.0, atol=1e-12)  # straight line
    x_turn = np.interp(0.0, -u, x)  # where the band crosses the Fermi level
    assert x_turn == pytest.approx(tunneling_distance(oxide_field(v, d)), rel=1e-9)


def test_triangular_versus_trapezoidal():
    d = 5e-9
    x = np.linspace(0.0, d, 11)
    trapezoid = conduction_band_profile(x, 2.0, d)  # q V < phi: the band stays above E_F
    triangle = conduction_band_profile(x, 5.0, d)  # q V > phi: it crosses E_F inside the oxide
    assert trapezoid.min() > 0.0
    assert triangle.min() < 0.0 < triangle.max()


def test_image_force_lowers_the_barrier_by_the_schottky_amount():
    # Schottky-Nordheim barrier: its top is lowered by sqrt(q^3 E / (4 pi eps0 eps_r)) [eV].
    d, v, eps = 12e-9, 12.0, 3.9
    x = np.linspace(1e-12, d, 200001)
    u = conduction_band_profile(x, v, d, image_force=True, eps_r=eps)
    lowering = np.sqrt(c.SCHOTTKY_C2 * oxide_field(v, d) / eps)
    # Grid step 0.06 pm around a maximum whose curvature is ~1e20 eV/m^2: error << 1e-6 eV.
    assert u.max() == pytest.approx(3.2 - lowering, abs=1e-6)
    assert np.all(np.isfinite(u))
    # Far from the emitter the image term is small: the band follows the straight line down to
    # phi - V at the collector (no floor there), and it never rises above it.
    straight = conduction_band_profile(x, v, d)
    assert u[-1] == pytest.approx(straight[-1] - c.SCHOTTKY_C2 / (4 * eps * d), rel=1e-12)
    assert np.all(u <= straight)
    # At the emitter the divergent 1/x term is capped at the emitter band bottom.
    assert conduction_band_profile(0.0, v, d, image_force=True, eps_r=eps) == pytest.approx(-EMITTER_FERMI_EV)


def test_stack_profile_has_abrupt_electrodes_and_vectorises():
    volts = np.array([1.0, 5.0, 12.0])
    x, u, m = stack_profile(volts, 12e-9, n_oxide=3)
    assert u.shape == (3, x.size)
    assert np.all(np.diff(x) >= 0)
    assert u[:, 0] == pytest.approx(-EMITTER_FERMI_EV)
    assert u[:, -1] == pytest.approx(-EMITTER_FERMI_EV - volts)
    assert m[0] == 1.0
    assert m[3] == 0.42


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: oxide_field(1.0, -1e-9), "oxide_thickness"),
        (lambda: oxide_field(np.nan, 5e-9), "oxide_voltage"),
        (lambda: oxide_field(90.0, 1e-9), "field"),
        (lambda: tunneling_distance(0.0), "field"),
        (lambda: tunneling_distance(1e9, barrier_height_eV="3.2"), "barrier_height_eV"),
        (lambda: conduction_band_profile(20e-9, 5.0, 10e-9), "x"),
        (lambda: conduction_band_profile(1e-9, 5.0, 10e-9, image_force=True, eps_r=0.0), "eps_r"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, name):
    with pytest.raises(ValueError, match=rf"{name}.* must be a real number in [\[(]"):
        call()
