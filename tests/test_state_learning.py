"""View 4 state (synapse learning) without a browser."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest

from dashboard.state import runs
from dashboard.state.energy import EnergyState
from dashboard.state.learning import LABELS, LearningState
from dashboard.state.memory import MemoryState
from dashboard.testing import wait_until
from physics import learning
from physics.energy import BASELINES


def test_fresh_state_is_at_step_zero_with_empty_curves():
    state = LearningState()
    assert state.progress == 0.0
    assert all(c["step"].size == 0 for c in state.curves().values())
    assert all(t["w"].shape[0] == 0 for t in state.weight_traces().values())
    assert all(u["dw"].size == 0 for u in state.update_sizes().values())


def test_advancing_in_chunks_runs_to_the_end():
    state = LearningState(n_steps=300, steps_per_tick=100)
    ran = [state.advance() for _ in range(4)]
    assert ran == [100, 100, 100, 0]
    assert state.summary()["done"]
    assert set(state.curves()) == set(LABELS)


def test_fndam_learns_like_float_sgd():
    # physics.learning's own tests hold FN-DAM within 2 points of float SGD on both tasks; here the
    # state must hand the view the same result (seed 0, 2000 steps of the 2-D task).
    state = LearningState()
    state.advance(2000)
    memories = state.summary()["memories"]
    assert memories["fndam"]["accuracy"] == pytest.approx(memories["float"]["accuracy"], abs=0.02)
    # Priced as the energy view by default (DDR DRAM, reads charged): FN-DAM's 12-bit reads (20.5 pJ)
    # against float's 32-bit read and write (1.28 nJ), ~60x.
    assert memories["fndam"]["energy_J"] < memories["float"]["energy_J"] / 30


def test_changing_a_control_restarts_the_run():
    state = LearningState(n_steps=200)
    state.advance(100)
    state.readout_noise_uV = 500.0
    assert state.run.steps_done == 0
    assert state.run.params.readout_noise == pytest.approx(5e-4)
    state.advance(100)
    state.static_rounding = "nearest"
    assert state.run.steps_done == 0
    assert state.run.static_rounding == "nearest"
    state.advance(100)
    state.pulse_resolution_us = 250.0
    assert state.run.steps_done == 0
    assert state.run.params.pulse_resolution == pytest.approx(2.5e-4)


def test_update_sizes_and_pulse_schedule_shrink_like_one_over_t():
    state = LearningState(n_steps=1000)
    state.advance(1000)
    sizes = state.update_sizes()
    for name in ("float", "fndam"):
        assert np.all(np.isfinite(sizes[name]["dw"]))
        assert sizes[name]["dw"][-1] < sizes[name]["dw"][0]
    schedule = state.pulse_schedule()
    # The device's reference pulse follows the float schedule k0/(k0 + k) within 10 %.
    assert schedule["fndam"] == pytest.approx(schedule["float"], rel=0.10)


def test_weight_traces_include_the_bias():
    state = LearningState(task="64d", n_steps=100)
    state.advance(100)
    traces = state.weight_traces()
    assert traces["fndam"]["w"].shape == (100, 3)
    assert np.all(np.isfinite(traces["fndam"]["w"]))


def test_defaults_are_the_fair_comparison():
    state = LearningState()
    assert state.static_rounding == "stochastic"
    assert state.static_read_noise
    assert state.run.read_sigma == pytest.approx(1e-4 / 0.01)  # 100 uV over 10 mV per unit weight
    params = state.run.params
    assert (params.pulse_min_width, params.pulse_resolution) == (1e-6, 1e-6)
    summary = state.summary()
    for name, m in summary["memories"].items():
        assert m["rate"] in learning.RATE_GRID, name
        assert m["rate"] == state.run.searches[name].rate
    assert summary["rate_grid"] == learning.RATE_GRID
    assert summary["fndam_counts"] == {"requests": 0, "pulses": 0, "clipped": 0, "dropped": 0}


def test_the_run_uses_the_session_element_and_restarts_when_it_changes():
    memory = MemoryState()
    state = LearningState(memory)
    assert state.run.device == memory.element()
    state.advance(100)
    memory.capacitance_fF = 20.0
    assert state.run.steps_done == 0
    assert state.run.device.capacitance == pytest.approx(20e-15)
    state.advance(100)
    memory.device.temperature_K = 350.0  # the shared operating point reaches the array too
    assert state.run.steps_done == 0
    assert state.run.device.temperature == 350.0
    state.advance(100)
    memory.retention_loss_mV = 5.0  # a parameter of the memory view only: the run goes on
    memory.device.image_force = True  # the element stays plain FN (dashboard/state/device.py)
    assert state.run.steps_done == 100


def test_the_element_changes_what_the_array_learns():
    memory = MemoryState()
    state = LearningState(memory, n_steps=300)
    state.advance(300)
    before = state.weight_traces()["fndam"]["w"]
    memory.junction_area_um2 = 5.0
    state.advance(300)
    after = state.weight_traces()["fndam"]["w"]
    assert not np.allclose(before, after)


def test_energy_is_priced_on_the_energy_view_basis_without_restarting():
    memory = MemoryState()
    energy = EnergyState(memory)
    state = LearningState(memory, energy, n_steps=200)
    state.advance(200)
    dram = state.summary()["memories"]
    energy.baseline = "on-chip SRAM"
    assert state.run.steps_done == 200  # repriced, not restarted
    sram = state.summary()
    assert sram["pricing"].baseline == "on-chip SRAM"
    ratio = BASELINES["on-chip SRAM"].energy_per_bit / BASELINES["DDR DRAM"].energy_per_bit
    assert sram["memories"]["float"]["energy_J"] == pytest.approx(ratio * dram["float"]["energy_J"])
    assert sram["memories"]["fndam"]["energy_J"] == dram["fndam"]["energy_J"]
    energy.count_reads = False
    unread = state.summary()["memories"]
    assert unread["fndam"]["read_J"] == unread["float"]["read_J"] == 0.0
    assert unread["fndam"]["energy_J"] < 0.01 * sram["memories"]["fndam"]["energy_J"]  # the ADC was most


def test_clock_counts_reach_the_summary():
    state = LearningState(n_steps=200, pulse_min_width_us=2000.0, pulse_resolution_us=2000.0)
    state.advance(200)
    counts = state.summary()["fndam_counts"]
    assert counts == state.run.fndam_counts()
    assert counts["dropped"] > 0
    assert counts["clipped"] > 0


def counting_runs(monkeypatch):
    """Start with no recording or live run in this process; return the list that gets one entry per
    chunk of a run computed (by :func:`dashboard.state.runs.compute`)."""
    runs.forget()
    computed, real = [], runs.compute
    monkeypatch.setattr(runs, "compute", lambda spec, since, until: computed.append((spec, since, until))
                        or real(spec, since, until))
    return computed


def test_controls_of_other_views_compute_no_learning_run_until_learning_is_read(monkeypatch):
    # A run's rate search costs ~0.2 s: a device or memory change must not pay it for a hidden view.
    from dashboard.state.session import SessionState

    computed = counting_runs(monkeypatch)
    session = SessionState()
    session.device.oxide_voltage = 11.0
    session.memory.capacitance_fF = 50.0
    session.reset()
    assert computed == []
    assert session.learning.run.device == session.memory.element()  # its parameters: still nothing run
    assert computed == []
    session.learning.advance(10)
    assert [c[1:] for c in computed] == [(0, 10)]
    session.memory.capacitance_fF = 60.0  # the element changed under a run that exists: restart
    assert session.learning.steps_done == 0
    session.learning.advance(10)
    assert computed[-1][0].device.capacitance == pytest.approx(60e-15)
    assert len(computed) == 2


def test_sessions_with_the_same_parameters_share_one_computed_run(monkeypatch):
    computed = counting_runs(monkeypatch)
    first, second = LearningState(n_steps=300), LearningState(n_steps=300)
    first.advance(300)
    assert second.advance(200) == 200
    second.reset()  # a replay from step 0: shown again, not computed again
    assert second.advance(300) == 300
    assert len(computed) == 1
    for name in LABELS:
        np.testing.assert_array_equal(second.curves()[name]["loss"], first.curves()[name]["loss"])
    assert second.summary()["fndam_counts"] == first.summary()["fndam_counts"]
    assert second.curves(since=250)["fndam"]["step"].tolist() == list(range(251, 301))


class ManualExecutor:
    """An executor that runs what was submitted only when the test says so (a worker process, later)."""

    def __init__(self):
        self.jobs = []

    def submit(self, fn, *args):
        self.jobs.append((Future(), fn, args))
        return self.jobs[-1][0]

    def requests(self):
        """(since, until) of each job not run yet."""
        return [args[1:] for future, _, args in self.jobs if not future.done()]

    def run_all(self):
        for future, fn, args in self.jobs:
            if future.set_running_or_notify_cancel():
                future.set_result(fn(*args))
        self.jobs = []


def test_with_an_executor_nothing_waits_and_the_steps_show_once_computed():
    runs.forget()
    executor = ManualExecutor()
    state = LearningState(n_steps=1200)
    state.executor = executor
    announced = []
    state.param.watch(lambda event: announced.append(event.new), "steps_done")
    assert not state.ready()  # the rates are asked for, not searched here
    assert executor.requests() == [(0, 0)]
    assert state.poll()  # still awaited
    executor.run_all()
    assert not state.poll()  # they came, and the step count is announced for the summary to show them
    assert announced == [0]
    assert state.ready()
    assert state.advance() is None  # asked for: a chunk reaching well past the tick
    assert state.steps_done == 0
    assert executor.requests() == [(0, 100 + runs.CHUNK_STEPS)]
    assert state.advance() is None  # asked once, not again
    assert len(executor.requests()) == 1
    executor.run_all()
    assert [state.advance() for _ in range(3)] == [100, 100, 100]
    assert executor.requests() == []  # 600 recorded: at least half a chunk ahead of step 300
    assert state.advance() == 100  # shown at once; fewer than half a chunk ahead of 400: more asked for
    assert executor.requests() == [(600, 600 + runs.CHUNK_STEPS)]
    executor.run_all()
    here = LearningState(n_steps=1200)  # computed here: the same run
    here.advance(400)
    for name in LABELS:
        np.testing.assert_array_equal(state.curves()[name]["accuracy"], here.curves()[name]["accuracy"])
    assert state.summary()["fndam_counts"] == here.summary()["fndam_counts"]


def test_work_nobody_waits_for_any_more_is_cancelled():
    runs.forget()
    executor = ManualExecutor()
    first, second = LearningState(n_steps=1000), LearningState(n_steps=1000)
    for state in (first, second):
        state.executor = executor
        assert state.advance() is None
    (job,) = executor.jobs  # one request for both
    first.stop()
    assert not job[0].cancelled()  # the second session still waits for it
    second.reset()  # a reset (or a pause, or a closed page) stops waiting too
    assert job[0].cancelled()
    assert first.advance() is None  # asked for again when wanted again
    executor.run_all()
    assert first.advance() == 100


def test_a_worker_process_computes_the_run_shown_here():
    # The server's pool: one spawned worker process; what it computes is what this process would.
    runs.forget()
    state, here = LearningState(n_steps=400, seed=3), LearningState(n_steps=400, seed=3)
    state.executor = runs.process_pool()
    deadline = time.monotonic() + 60
    while state.steps_done < 400 and time.monotonic() < deadline:
        if state.advance(200) is None:
            time.sleep(0.05)
    assert state.steps_done == 400
    runs.forget()  # the run shown here is computed in this process afresh
    here.advance(400)
    for name in LABELS:
        np.testing.assert_array_equal(state.weight_traces()["fndam"]["w"], here.weight_traces()["fndam"]["w"])
        np.testing.assert_array_equal(state.curves()[name]["energy"], here.curves()[name]["energy"])
    assert state.summary()["memories"] == here.summary()["memories"]


def test_a_killed_worker_is_replaced_and_the_run_goes_on():
    runs.forget()
    pool = runs.process_pool()
    os.kill(pool.submit(os.getpid).result(), signal.SIGKILL)  # out of memory, say
    state = LearningState(n_steps=300, seed=4)
    state.executor = pool
    wait_until(lambda: state.advance(300) is not None, timeout=60_000)
    assert state.steps_done == 300
    assert pool.submit(os.getpid).result() != os.getpid()  # a worker process again


def test_a_worker_exits_when_its_server_is_killed():
    # A server stopped by SIGTERM or SIGKILL cannot shut its pool down; its worker must not idle on.
    server = subprocess.Popen(
        [sys.executable, "-c", "import os, time\nfrom dashboard.state import runs\n"
         "print(runs.process_pool().submit(os.getpid).result(), flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        worker = int(server.stdout.readline())
        assert Path(f"/proc/{worker}").exists()
    finally:
        server.kill()
        server.wait()

    def gone():  # exited (a zombie until its new parent reaps it), or reaped
        stat = Path(f"/proc/{worker}/stat")
        assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z", "still running"

    wait_until(gone, timeout=10_000)
