"""Band-diagram state without a browser: finite data for the defaults and every preset, and the physics
it must show (turning point at phi/(qE), barrier widening with age, image force)."""

import numpy as np
import pytest

from dashboard.state.band import AGES
from dashboard.state.presets import PRESETS
from dashboard.state.session import SessionState
from physics.barrier import tunneling_distance


def band_data(session):
    band = session.band
    profile = band.profile()
    return profile, band.tunneling_path(profile), band.voltage_now()


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_data_is_finite_for_defaults_and_presets(preset):
    session = SessionState()
    if preset:
        session.apply_preset(preset)
    profile, path, v_now = band_data(session)
    assert profile["x_nm"].shape == profile["U_eV"].shape
    assert np.all(np.isfinite(profile["U_eV"]))
    assert all(np.isfinite(v) for v in path.values())
    assert 0.0 < path["distance_nm"] <= session.device.oxide_thickness_nm + 1e-9
    assert np.isfinite(v_now)


def test_turning_point_matches_the_classical_tunneling_distance():
    session = SessionState()  # 10 V across 12 nm: 3.84 nm at phi = 3.2 eV
    _, path, _ = band_data(session)
    expected_nm = tunneling_distance(session.device.field, 3.2) * 1e9
    assert path["exit_nm"] == pytest.approx(expected_nm, abs=12.0 / 400)  # one sample of the grid


def test_direct_tunneling_crosses_the_whole_oxide():
    session = SessionState()
    session.apply_preset("Thin oxide: direct tunneling")
    _, path, _ = band_data(session)
    assert path["distance_nm"] == pytest.approx(session.device.oxide_thickness_nm)


def test_age_lowers_the_voltage_and_widens_the_barrier():
    session = SessionState()
    distances = []
    for age in AGES:
        session.band.age = age
        _, path, _ = band_data(session)
        distances.append(path["distance_nm"])
    assert np.all(np.diff(distances) >= 0.0)
    session.band.age = "1 year"
    session.device.temperature_K = 1.0  # the 0 K element of docs/science.md section 3
    assert session.band.voltage_now() == pytest.approx(6.324, abs=1e-3)


def test_image_force_lowers_the_barrier_top():
    session = SessionState()
    plain = session.band.profile()["U_eV"].max()
    session.device.image_force = True
    assert session.band.profile()["U_eV"].max() < plain
