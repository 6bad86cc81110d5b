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


def test_resolution_stops_growing_where_shot_noise_sets_in():
    from dashboard.state.memory import EXACT_READOUT, REFERENCE_AGE

    state = MemoryState()
    data = state.resolution()
    assert data["age_s"].shape == data["bits"].shape == data["fluid_bits"].shape == (POINTS,)
    late = data["age_s"] > 1e3
    # With shot noise the 100 fF pair creeps up ~0.1 bit per decade from ~9 bits...
    per_decade = np.diff(data["bits"][late]) / np.diff(np.log10(data["age_s"][late]))
    assert np.all(per_decade < 0.15)
    assert 8.8 < data["bits"][late][0] < data["bits"][-1] < 9.6
    # ... the fluid closed form would keep gaining ~3.4 bits per decade, far past the preprint's 14.
    assert data["fluid_bits"][-1] > 25
    assert np.all(data["fluid_bits"] >= data["bits"] - 1e-12)
    # A hundred times the capacitance: sigma / 10, ~3.3 bits more on the plateau (1 day).
    assert state.limits()["bits"] == pytest.approx(9.12, abs=0.01)
    state.capacitance_fF = 10_000.0
    assert state.limits()["bits"] == pytest.approx(12.28, abs=0.01)
    assert EXACT_READOUT.readout_noise == 0.0
    assert REFERENCE_AGE == 86400.0


def test_capacitance_for_the_preprint_14_bits_is_self_consistent():
    import dataclasses

    from dashboard.state.memory import EXACT_READOUT, REFERENCE_AGE
    from physics import synapse

    state = MemoryState()
    needed = state.capacitance_for_preprint_bits()
    # The element of that capacitance resolves 14 bits at 1 day, with its own (slower) V(1 day).
    element = dataclasses.replace(state.element(), capacitance=needed)
    assert synapse.effective_bits(REFERENCE_AGE, EXACT_READOUT, element) == pytest.approx(14.0, abs=1e-5)
    # ~124 pF at the sqrt(12) criterion of the plot; ~9 pF at one step per sigma (the team's figure).
    limits = state.limits()
    assert limits["capacitance_for_14_bits_F"] == pytest.approx(124e-12, rel=0.01)
    assert limits["capacitance_for_14_bits_one_sigma_F"] == pytest.approx(9.0e-12, rel=0.02)
    # The slider reaches it, so the claim can be checked in the view.
    assert state.param["capacitance_fF"].bounds[1] * 1e-15 > needed


def test_pair_retention_grows_with_age_beside_the_element():
    from dashboard.state.memory import PAIR_LOSS

    state = MemoryState()
    assert state.pair() == (10.0, 9.0)
    pair = state.pair_retention()
    assert pair["age_s"].shape == (POINTS,)
    assert np.all(np.diff(pair["retention_s"]) > 0)
    # Late in life the weight falls as ~1/t^1.05: losing 10 % takes ~0.106 x the age.
    assert pair["retention_s"][-1] / pair["age_s"][-1] == pytest.approx(0.106, abs=0.004)
    assert PAIR_LOSS == 0.1
    # The spacing matters early (a wide pair's difference falls faster at first), not late.
    state.voltage_step = 0.1
    narrow = state.pair_retention()
    assert narrow["retention_s"][0] != pytest.approx(pair["retention_s"][0], rel=1e-3)
    assert narrow["retention_s"][-1] == pytest.approx(pair["retention_s"][-1], rel=1e-3)


def test_no_pair_when_clipping_makes_the_starts_equal():
    state = MemoryState()
    state.device.oxide_voltage = 1.0  # V0 - dV is clipped to the 1 V floor: both elements at 1 V
    assert state.pair_retention()["age_s"].size == 0
    assert np.isnan(state.limits()["pair_retention_s"])
