"""Tunneling-current state without a browser: finite curves for defaults and presets, the FN-plot fit,
the shared operating point and the cache that must not leak between sessions."""

import numpy as np
import pytest

from dashboard.state.current import J_FLOOR_A_CM2
from dashboard.state.presets import PRESETS
from dashboard.state.session import SessionState


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_curves_fit_and_operating_point_are_finite(preset):
    session = SessionState()
    if preset:
        session.apply_preset(preset)
    state = session.current
    for e, j in state.curves().values():
        assert e.shape == j.shape
        assert np.all(np.isfinite(e))
        assert np.all(np.isfinite(j))
        assert np.all(j >= 0.0)
    fn = state.fn_plot()
    assert np.all(np.isfinite(fn["ln_J_over_E2"]))
    assert np.all(np.isfinite(fn["fit"]))
    assert fn["slope_V_per_nm"] is None or np.isfinite(fn["slope_V_per_nm"])
    op = state.operating_point()
    assert np.isfinite(op["E_MV_cm"])
    assert np.isfinite(op["J_A_cm2"])


def test_fitted_slope_of_the_fn_formula_is_minus_b():
    state = SessionState().current
    state.show_wkb = False  # only the FN formula is drawn, so it is the fitted curve
    assert state.fn_plot()["slope_V_per_nm"] == pytest.approx(state.formula_slope_V_per_nm(), rel=1e-6)
    assert state.formula_slope_V_per_nm() == pytest.approx(-25.34, abs=0.01)  # B, docs/science.md section 2


def test_operating_point_is_shared_with_the_band_view():
    session = SessionState()
    session.device.oxide_voltage = 12.0
    assert session.current.operating_point()["E_MV_cm"] == pytest.approx(10.0)
    assert session.band.voltage_now() == pytest.approx(12.0)


def test_fn_regime_onset_and_j_above_the_floor_at_the_default_point():
    state = SessionState().current
    assert state.fn_regime_onset_MV_cm() == pytest.approx(3.2 / 12e-9 / 1e8)
    assert state.operating_point()["J_A_cm2"] > J_FLOOR_A_CM2


def test_sessions_share_no_state_and_cannot_alter_the_cache():
    first, second = SessionState(), SessionState()
    _, j = first.current.curves()["fn"]
    j[:] = 0.0  # a session scribbling on its copy ...
    assert np.all(second.current.curves()["fn"][1] > 0.0)  # ... leaves the cached curve intact
    first.device.oxide_thickness_nm = 6.0
    assert second.device.oxide_thickness_nm == 12.0
