"""View 3: FN-DAM memory dynamics, V(t) from 1 s to 10 years for the session's oxide.

The oxide (thickness, barrier, mass) and the programmed voltage V0 are the shared operating point;
this state adds what only the element needs: junction area and floating-gate capacitance (both
illustrative, docs/science.md section 3), the spacing of the extra initial voltages that show trajectories
converging, and the voltage loss that defines retention.

Two honest limits (docs/science.md sections 3 and 4): the programming resolution of a differential pair
of such elements against age, with the shot noise of the tunneling electrons and an exact readout, beside
the preprint's 14 bits and the capacitance those would need; and the retention of the pair's weight
(V0 and V0 - spacing) against the single element's.
"""

import dataclasses

import numpy as np
import param

from dashboard.state.device import OperatingPoint
from physics import fndam, synapse
from physics.constants import DAY, HOUR, YEAR, Q

T_START, T_STOP = 1.0, 10 * YEAR  #: time window [s]: 1 s to 10 years
POINTS = 240
#: Offsets of the compared initial voltages, in units of ``voltage_step`` (0 is V0 itself).
OFFSETS = (-2, -1, 0, 1)
OFFSET_LABELS = {-2: "V0 - 2 dV", -1: "V0 - dV", 0: "V0 (programmed)", 1: "V0 + dV"}
MARKS = {"1 day": DAY, "1 year": YEAR, "10 years": 10 * YEAR}
#: Resolution claimed by the preprint abstract [bits] (docs/science.md section 1), and its label.
PREPRINT_BITS = 14
PREPRINT_LABEL = "preprint: up to 14 bits (arXiv:2104.05926 v1 abstract)"
#: Age at which the summary quotes resolution, the capacitance for 14 bits and the pair's retention [s].
REFERENCE_AGE = DAY
#: Fraction of a pair's weight whose loss defines the pair's retention.
PAIR_LOSS = 0.1
#: Exact readout (no readout noise, no ADC): the resolution is the pulse's and the shot noise's; the
#: span is the default ADC's 1 V; pulse and clock are the illustrative ones of physics.synapse.
EXACT_READOUT = synapse.SynapseParameters(readout_noise=0.0, adc_bits=0)


class MemoryState(param.Parameterized):
    """One FN-DAM element discharging by Fowler-Nordheim tunneling, and its neighbours in V0."""

    device = param.ClassSelector(class_=OperatingPoint, constant=True, doc="Shared operating point.")
    junction_area_um2 = param.Number(
        1.0, bounds=(0.01, 100.0), step=0.01, label="Junction area S (µm²)",
        doc="Area of the tunneling junction; k1 = S A B / (C_T d) grows with it. 1 µm² is illustrative "
            "(the paper's value is an open assumption).", metadata={"url": "area"})
    capacitance_fF = param.Number(
        100.0, bounds=(1.0, 200000.0), step=1.0, label="Floating-gate capacitance C_T (fF)",
        doc="Total capacitance of the floating gate; a larger C_T discharges more slowly and holds more "
            "electrons per millivolt, so its shot noise is smaller (sigma ~ 1/sqrt(C_T)). 100 fF is "
            "illustrative.", metadata={"url": "cap"})
    voltage_step = param.Number(
        1.0, bounds=(0.1, 3.0), step=0.1, label="Spacing of compared initial voltages (V)",
        doc="Extra trajectories start at V0 - 2 step, V0 - step and V0 + step: all converge onto one "
            "trajectory, because the element forgets its initial condition. V0 and V0 - step also form "
            "the differential pair whose weight retention is shown.", metadata={"url": "dv0"})
    retention_loss_mV = param.Number(
        1.0, bounds=(0.01, 500.0), step=0.01, label="Retention criterion: voltage loss (mV)",
        doc="Retention at a given age is the time the element takes to lose this much more voltage; it "
            "grows with age (the barrier widens as charge leaves).", metadata={"url": "loss"})
    leakage_e_per_hour = param.Number(
        0.0, bounds=(0.0, 1e5), step=1.0, label="Leakage floor (electrons per hour)",
        doc="Constant leakage off the floating gate besides FN tunneling (trap-assisted or junction "
            "leakage). Unknown for the paper's device: 0 (default) means none is modelled, not that "
            "none exists. Once the FN current falls below it (a few electrons per hour after years), the "
            "floor empties the gate and retention stops growing with age.", metadata={"url": "leak"})

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
        hold = np.asarray(fndam.retention_time(self.retention_loss_mV * 1e-3, age, self.element(),
                                               leakage_current=self.leakage_current))
        keep = np.isfinite(hold)
        return {"age_s": age[keep], "retention_s": hold[keep]}

    @property
    def leakage_electrons_per_s(self):
        """The leakage floor [electrons/s]."""
        return self.leakage_e_per_hour / HOUR

    @property
    def leakage_current(self):
        """The leakage floor as a current [A]."""
        return self.leakage_electrons_per_s * Q

    def leakage_takes_over(self):
        """Age [s] at which the FN electron rate of the element at V0 falls to the leakage floor (``inf``
        without a floor or when it stays above it over the window)."""
        floor = self.leakage_electrons_per_s
        if floor == 0.0:
            return float("inf")
        traj = fndam.trajectory(self.element(), T_START, T_STOP, POINTS)
        below = np.nonzero(traj.electrons_per_second <= floor)[0]
        return float(traj.time[below[0]]) if below.size else float("inf")

    def summary(self):
        """Constants of V(t) = k2 / ln(k1 t + k0) and V at the marked ages for the element at V0."""
        element = self.element()
        ln_k0, k1, k2 = element.constants()
        marks = {label: float(fndam.oxide_voltage(t, element)) for label, t in MARKS.items()}
        return {"ln_k0": ln_k0, "k1_per_s": k1, "k2_V": k2, "V0": element.initial_voltage,
                "V_at": marks, "is_fowler_nordheim": self.device.is_fowler_nordheim,
                "fn_until_s": self.fn_until(), "leakage_from_s": self.leakage_takes_over()}

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

    def resolution(self):
        """Effective bits [-] against age [s] of a pair of this element with an exact readout
        (:func:`physics.synapse.effective_bits`): ``bits`` with shot noise, ``fluid_bits`` without it
        (the closed form alone, which keeps gaining ~3.3 bits per decade); NaN where nothing moves."""
        age = np.geomspace(T_START, T_STOP, POINTS)
        element = self.element()
        fluid = dataclasses.replace(EXACT_READOUT, shot_noise=False)
        bits, fluid_bits = (np.asarray(synapse.effective_bits(age, params, element))
                            for params in (EXACT_READOUT, fluid))
        # inf (an element that does not move at all: V0 far below the FN regime) is not plotted.
        return {"age_s": age, "bits": np.where(np.isfinite(bits), bits, np.nan),
                "fluid_bits": np.where(np.isfinite(fluid_bits), fluid_bits, np.nan)}

    def capacitance_for_preprint_bits(self, age=REFERENCE_AGE, step_per_sigma=synapse.STEP_PER_SIGMA,
                                      iterations=6):
        """C_T [F] at which a pair of this element (same oxide and junction) resolves the preprint's 14
        bits over 1 V at ``age`` (:func:`physics.synapse.capacitance_for_bits`; by default a step of
        sqrt(12) sigma, the criterion of the resolution plot).

        Self-consistent: a larger C_T discharges more slowly, so its V(age), and with it sigma_V, is a
        little higher; a few fixed-point steps converge (V depends on ln C_T).  Capped at the largest
        legal capacitance, 1 nF.
        """
        cap = self.capacitance_fF * 1e-15
        low, high = fndam.CAPACITANCE_RANGE
        for _ in range(iterations):
            element = dataclasses.replace(self.element(), capacitance=cap)
            voltage = min(float(fndam.oxide_voltage(age, element)), element.initial_voltage)
            cap = float(np.clip(synapse.capacitance_for_bits(PREPRINT_BITS, 2 * EXACT_READOUT.adc_range,
                                                             voltage, element, step_per_sigma), low, high))
        return cap

    def pair(self):
        """(V_plus, V_minus) [V] of the differential pair: V0 and V0 - spacing, as plotted (clipped)."""
        starts = self.initial_voltages()
        return starts[OFFSET_LABELS[0]], starts[OFFSET_LABELS[-1]]

    def pair_retention(self):
        """Time [s] for the pair's weight V_plus - V_minus to lose ``PAIR_LOSS`` against age [s]
        (finite values only; none when clipping leaves the two starts equal)."""
        age = np.geomspace(T_START, T_STOP, POINTS)
        v_plus, v_minus = self.pair()
        if v_plus <= v_minus:
            return {"age_s": age[:0], "retention_s": age[:0]}
        hold = np.asarray(synapse.pair_retention_time(PAIR_LOSS, age, self.element(), v_plus - v_minus))
        keep = np.isfinite(hold)
        return {"age_s": age[keep], "retention_s": hold[keep]}

    def limits(self):
        """Headline numbers of the two limits at ``REFERENCE_AGE``: the element's V and shot noise
        sigma_V [V], the pair's effective bits (exact readout), the C_T [F] for the preprint's 14 bits
        (and on a one-sigma criterion), and the pair's retention [s] (NaN without a pair)."""
        element = self.element()
        voltage = min(float(fndam.oxide_voltage(REFERENCE_AGE, element)), element.initial_voltage)
        cap = self.capacitance_for_preprint_bits()
        cap_one_sigma = self.capacitance_for_preprint_bits(step_per_sigma=1.0)
        v_plus, v_minus = self.pair()
        hold = (float(synapse.pair_retention_time(PAIR_LOSS, REFERENCE_AGE, element, v_plus - v_minus))
                if v_plus > v_minus else float("nan"))
        return {"V": voltage, "sigma_V": float(fndam.shot_noise_rms(voltage, element)),
                "bits": float(synapse.effective_bits(REFERENCE_AGE, EXACT_READOUT, element)),
                "capacitance_for_14_bits_F": cap,
                "capacitance_for_14_bits_one_sigma_F": cap_one_sigma,
                "pair_retention_s": hold}
