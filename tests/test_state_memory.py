"""View 3 state (memory dynamics) without a browser: data for defaults and for changed controls."""

import numpy as np
import pytest

from dashboard.state.memory import POINTS, T_START, T_STOP, MemoryState
from physics import fndam


def test_defaults_at_zero_kelvin_reproduce_the_illustrative_device():
    # docs/science.md section 3: k2 = 304.1 V, k1 = 2.42e13 1/s, ln k0 = 30.41, V(1 year) = 6.324 V,
    # the 0 K element (1 K: its thermal coefficients differ from the FN ones by ~1e-6).
    state = MemoryState()
    state.device.temperature_K = 1.0
    summary = state.summary()
    assert summary["k2_V"] == pytest.approx(304.1, abs=0.05)
    assert summary["k1_per_s"] == pytest.approx(2.42e13, rel=5e-3)
    assert summary["ln_k0"] == pytest.approx(30.41, abs=5e-3)
    assert summary["V_at"]["1 year"] == pytest.approx(6.324, abs=5e-4)


def test_room_temperature_discharges_faster():
    # 300 K (the default): warm electrons tunnel more, so V(1 year) is lower by 81 mV
    # (tests/test_fndam_temperature.py checks the value against an ODE; here the state passes T on).
    state = MemoryState()
    assert state.device.temperature_K == 300.0
    cold = MemoryState()
    cold.device.temperature_K = 1.0
    drop = cold.summary()["V_at"]["1 year"] - state.summary()["V_at"]["1 year"]
    assert drop == pytest.approx(0.081, abs=0.002)


def test_trajectories_are_finite_on_the_window_and_converge():
    data = MemoryState().trajectories()
    assert sorted(c["V0"] for c in data.values()) == [8.0, 9.0, 10.0, 11.0]
    finals = []
    for curve in data.values():
        assert curve["t_s"][0] == pytest.approx(T_START)
        assert curve["t_s"][-1] == pytest.approx(T_STOP)
        for key in ("V", "I_A", "electrons_per_s"):
            assert curve[key].shape == (POINTS,)
            assert np.all(np.isfinite(curve[key]))
            assert np.all(curve[key] > 0)
        assert np.all(np.diff(curve["V"]) <= 0)  # the gate only discharges
        finals.append(curve["V"][-1])
    # Initial conditions are forgotten: 8 V to 11 V end within 1 mV of each other at 10 years.
    assert np.ptp(finals) < 1e-3
    starts = [curve["V"][0] for curve in data.values()]
    assert np.ptp(starts) > 1.0


def test_voltages_are_clipped_to_the_element_range():
    state = MemoryState(voltage_step=3.0)
    state.device.oxide_voltage = 2.0
    assert min(state.initial_voltages().values()) == 1.0  # V0 - 2 x 3 V clipped to the 1 V floor
    assert len(state.trajectories()) == 4  # always four curves, so the plot updates in place
    assert all(np.all(np.isfinite(c["V"])) for c in state.trajectories().values())


def test_retention_grows_with_age_and_with_the_loss_allowed():
    state = MemoryState()
    small = state.retention()
    assert np.all(np.diff(small["retention_s"]) > 0)
    state.retention_loss_mV = 10.0
    large = state.retention()
    assert np.array_equal(large["age_s"], small["age_s"])
    assert np.all(large["retention_s"] > small["retention_s"])


def test_larger_capacitance_discharges_more_slowly():
    fast = MemoryState(capacitance_fF=100.0).summary()["V_at"]["1 year"]
    slow = MemoryState(capacitance_fF=1000.0).summary()["V_at"]["1 year"]
    assert slow > fast


def test_fn_regime_ends_where_the_voltage_reaches_the_barrier_height():
    state = MemoryState()
    # 12 nm at 10 V stays far above phi/q = 3.2 V for 10 years (V(10 y) = 6.04 V): no end in sight.
    assert state.fn_until() > T_STOP
    state.device.oxide_thickness_nm = 6.0  # "what if the oxide were much thinner?"
    t_end = state.fn_until()
    assert T_START < t_end < T_STOP
    # Independent check: the closed form evaluated at that age gives phi/q (to rounding).
    assert fndam.oxide_voltage(t_end, state.element()) == pytest.approx(3.2, rel=1e-9)
    assert state.summary()["fn_until_s"] == t_end
    state.device.oxide_voltage = 3.0  # q V0 < phi: never a triangle
    assert state.fn_until() == 0.0
