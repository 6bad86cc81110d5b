"""The shared operating point without a browser: what each of its parameters reaches (sidebar control,
URL key, the currents it feeds). A new device parameter is declared once, in OperatingPoint."""

import numpy as np
import pytest

from dashboard.state.session import URL_KEYS, SessionState
from dashboard.views.controls import control_names
from physics import constants as c


def test_every_device_parameter_is_a_sidebar_control_and_in_the_url():
    session = SessionState()
    names = control_names(session.device)
    assert "temperature_K" in names
    assert {name for part, name in URL_KEYS.values() if part == "device"} == set(names)


def test_temperature_round_trips_through_the_url():
    session = SessionState()
    session.device.temperature_K = 77.0
    restored = SessionState()
    assert restored.apply_query(session.query()) == []
    assert restored.device.temperature_K == 77.0
    assert SessionState().apply_query({"T": 2000})[0].startswith("URL parameter T: Temperature T (K)")


def test_temperature_raises_the_tsu_esaki_current_by_the_murphy_good_factor():
    # docs/science.md section 2: from 0 K to T the thermal tail of the emitter's electrons multiplies
    # J by p / sin(p), p = pi kT / d_F, d_F = q hbar E / (2 sqrt(2 m* phi)) [eV]. 1 K stands for 0 K
    # (p changes by 1e-6); 5 % covers the ~3 % by which the WKB current departs from the FN law.
    session = SessionState()
    dev, current = session.device, session.current
    dev.temperature_K = 1.0
    cold, cold_fn = current.operating_point()["J_A_cm2"], current.curves()["fn"][1]
    dev.temperature_K = 300.0
    warm, warm_fn = current.operating_point()["J_A_cm2"], current.curves()["fn"][1]
    d_f = c.HBAR * dev.field / (2.0 * np.sqrt(2.0 * dev.mass_ratio * c.M0 * dev.barrier_height_eV * c.Q))
    p = np.pi * c.KB * 300.0 / c.Q / d_f
    assert warm / cold == pytest.approx(p / np.sin(p), rel=0.05)
    assert p / np.sin(p) > 1.2  # the check is not trivially 1 at this field (8.3 MV/cm)
    np.testing.assert_array_equal(warm_fn, cold_fn)  # the FN formula is the T = 0 law
