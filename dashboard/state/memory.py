"""View 3: FN-DAM memory dynamics, V(t) from 1 s to 10 years for the session's oxide.

The oxide (thickness, barrier, mass) and the programmed voltage V0 are the shared operating point;
this state adds what only the element needs: junction area and floating-gate capacitance (both
illustrative, docs/science.md section 3), the spacing of the extra initial voltages that show trajectories
converging, and the voltage loss that defines retention.
"""

import dataclasses

import numpy as np
import param

from dashboard.state.device import OperatingPoint
from physics import fndam
from physics.constants import DAY, YEAR

T_START, T_STOP = 1.0, 10 * YEAR  #: time window [s]: 1 s to 10 years
POINTS = 240
#: Offsets of the compared initial voltages, in units of ``voltage_step`` (0 is V0 itself).
OFFSETS = (-2, -1, 0, 1)
OFFSET_LABELS = {-2: "V0 - 2 dV", -1: "V0 - dV", 0: "V0 (programmed)", 1: "V0 + dV"}
MARKS = {"1 day": DAY, "1 year": YEAR, "10 years": 10 * YEAR}


class MemoryState(param.Parameterized):
    """One FN-DAM element discharging by Fowler-Nordheim tunneling, and its neighbours in V0."""

    device = param.ClassSelector(class_=OperatingPoint, constant=True, doc="Shared operating point.")
    junction_area_um2 = param.Number(
        1.0, bounds=(0.01, 100.0), step=0.01, label="Junction area S (µm²)",
        doc="Area of the tunneling junction; k1 = S A B / (C_T d) grows with it. 1 µm² is illustrative "
            "(the paper's value is an open assumption).", metadata={"url": "area"})
    capacitance_fF = param.Number(
        100.0, bounds=(1.0, 10000.0), step=1.0, label="Floating-gate capacitance C_T (fF)",
        doc="Total capacitance of the floating gate; a larger C_T discharges more slowly and holds more "
            "electrons per millivolt. 100 fF is illustrative.", metadata={"url": "cap"})
    voltage_step = param.Number(
        1.0, bounds=(0.1, 3.0), step=0.1, label="Spacing of compared initial voltages (V)",
        doc="Extra trajectories start at V0 - 2 step, V0 - step and V0 + step: all converge onto one "
            "trajectory, because the element forgets its initial condition.", metadata={"url": "dv0"})
    retention_loss_mV = param.Number(
        1.0, bounds=(0.01, 500.0), step=0.01, label="Retention criterion: voltage loss (mV)",
        doc="Retention at a given age is the time the element takes to lose this much more voltage; it "
            "grows with age (the barrier widens as charge leaves).", metadata={"url": "loss"})

    def __init__(self, device=None, **params):
        super().__init__(device=device or OperatingPoint(), **params)

    def element(self, initial_voltage=None):
        """The FN-DAM element with the shared oxide and this state's area and capacitance."""
        base = self.device.element()
        return dataclasses.replace(
            base, junction_area=self.junction_area_um2 * 1e-12, capacitance=self.capacitance_fF * 1e-15,
            initial_voltage=base.initial_voltage if initial_voltage is None else initial_voltage)

    def initial_voltages(self):
        """Label -> initial voltage [V] of each compared trajectory, V0 included.

        Always the same four labels (so plots update in place), each voltage clipped to the element's
        range (clipped neighbours may then coincide).
        """
        lo, hi = fndam.ELEMENT_VOLTAGE_RANGE
        v0 = self.device.oxide_voltage
        return {OFFSET_LABELS[k]: float(np.clip(v0 + k * self.voltage_step, lo, hi)) for k in OFFSETS}

    def trajectories(self):
        """Label -> dict of ``V0``, ``t_s``, ``V``, ``I_A`` and ``electrons_per_s`` (arrays)."""
        out = {}
        for label, v0 in self.initial_voltages().items():
            traj = fndam.trajectory(self.element(v0), T_START, T_STOP, POINTS)
            out[label] = {"V0": v0, "t_s": traj.time, "V": traj.voltage, "I_A": traj.current,
                          "electrons_per_s": traj.electrons_per_second}
        return out

    def retention(self):
        """Retention time [s] against age [s] for ``retention_loss_mV`` (``inf`` kept out: finite only)."""
        age = np.geomspace(T_START, T_STOP, POINTS)
        hold = np.asarray(fndam.retention_time(self.retention_loss_mV * 1e-3, age, self.element()))
        keep = np.isfinite(hold)
        return {"age_s": age[keep], "retention_s": hold[keep]}

    def summary(self):
        """Constants of V(t) = k2 / ln(k1 t + k0) and V at the marked ages for the element at V0."""
        element = self.element()
        ln_k0, k1, k2 = element.constants()
        marks = {label: float(fndam.oxide_voltage(t, element)) for label, t in MARKS.items()}
        return {"ln_k0": ln_k0, "k1_per_s": k1, "k2_V": k2, "V0": element.initial_voltage,
                "V_at": marks, "is_fowler_nordheim": self.device.is_fowler_nordheim,
                "fn_until_s": self.fn_until()}

    def fn_until(self):
        """Age [s] at which V(t) falls to phi/q, where the barrier stops being a triangle (0 if V0 is
        already below it, ``inf`` if never).

        The closed form assumes the FN triangle; below phi/q the electron crosses the whole oxide
        (direct tunneling) and the real current is larger than the FN formula gives (physics.tunneling:
        ~3x at 3 V and ~5e4x at 2 V through 3 nm), so the closed form overstates retention after it.
        """
        phi = self.device.barrier_height_eV  # [eV]: the same number in volts for q V = phi
        if not self.device.is_fowler_nordheim:
            return 0.0
        return float(fndam.time_to_voltage(phi, self.element()))
