"""Band diagram across floating gate | SiO2 | tunneling node for the session's operating point."""

import numpy as np
import param

from dashboard.state.device import OperatingPoint
from physics import barrier, fndam
from physics.constants import DAY, YEAR

#: Samples across the oxide: enough for a smooth image-force rounding at 20 nm.
SAMPLES = 400
#: Ages offered by the "time since programming" control: label -> seconds.
AGES = {"0 s (just programmed)": 0.0, "1 s": 1.0, "1 minute": 60.0, "1 hour": 3600.0, "1 day": DAY,
        "1 month": YEAR / 12, "1 year": YEAR, "10 years": 10 * YEAR}
#: Ages the band view's play control runs through [s]: 1 s to 10 years, evenly on a log axis (a frame
#: per 1/6 decade: the band moves smoothly where the voltage changes fastest, in the first minutes).
MOVING_AGES_S = np.logspace(0.0, np.log10(10 * YEAR), 52)


class BandState(param.Parameterized):
    """Conduction band, Fermi levels and the tunneling path at the Fermi level.

    The shared operating point's voltage is the voltage at programming; ``age`` lets the element
    discharge for a while (FN-DAM decay, :func:`physics.fndam.oxide_voltage`) so the barrier widens.
    """

    device = param.ClassSelector(class_=OperatingPoint, constant=True, doc="Shared operating point.")
    age = param.Selector(
        objects=list(AGES), default=next(iter(AGES)), label="Time since programming (s to years)",
        doc="How long the floating gate has been losing electrons since it was programmed to V_ox. "
            "The oxide voltage falls, so the barrier tilts less and widens: the tunneling distance grows. "
            "Junction area 1 um^2 and capacitance 100 fF are illustrative.", metadata={"url": "age"})

    moving_age_s = param.Number(
        None, allow_None=True, bounds=(0.0, MOVING_AGES_S[-1]), precedence=-1, metadata={"url": None},
        label="Age in motion (s)",
        doc="While the band view plays the discharge: the age shown [s], overriding ``age``. A choice "
            "of ``age`` ends the motion.")

    def __init__(self, device=None, **params):
        super().__init__(device=device or OperatingPoint(), **params)
        self.param.watch(lambda _: self.param.update(moving_age_s=None), "age")

    def age_s(self):
        """The age shown [s]: the one in motion, else the chosen ``age``."""
        return AGES[self.age] if self.moving_age_s is None else self.moving_age_s

    def voltage_now(self):
        """Oxide voltage [V] after :meth:`age_s` seconds of FN discharge from the programmed V_ox."""
        return float(fndam.oxide_voltage(self.age_s(), self.device.element()))

    def electrons_per_s(self):
        """Electrons tunneling off the floating gate per second now [1/s] (physics.fndam.electron_rate)."""
        return float(fndam.electron_rate(self.age_s(), self.device.element()))

    def profile(self, voltage=None):
        """Conduction band edge in the oxide at ``voltage`` (default :meth:`voltage_now`): ``x_nm`` [nm]
        from the floating gate and ``U_eV`` [eV] above the floating gate's Fermi level."""
        dev = self.device
        voltage = self.voltage_now() if voltage is None else voltage
        x = np.linspace(0.0, dev.thickness_m, SAMPLES)
        u = barrier.conduction_band_profile(
            x, voltage, dev.thickness_m, barrier_height_eV=dev.barrier_height_eV,
            image_force=dev.image_force, eps_r=dev.eps_r)
        return {"x_nm": x * 1e9, "U_eV": np.asarray(u, dtype=float)}

    @staticmethod
    def tunneling_path(profile):
        """Where an electron at the floating gate's Fermi level enters and leaves the barrier [nm].

        ``exit_nm`` is the classical turning point U(x) = 0 beyond the barrier top, or the far side
        of the oxide when the barrier is trapezoidal (direct tunneling); ``distance_nm`` is the width
        the electron tunnels through.
        """
        x, u = profile["x_nm"], profile["U_eV"]
        top = int(np.argmax(u))
        below_before = np.nonzero(u[:top] <= 0.0)[0]
        below_after = np.nonzero(u[top:] <= 0.0)[0]
        entry = x[below_before[-1]] if below_before.size else x[0]
        exit_ = x[top + below_after[0]] if below_after.size else x[-1]
        return {"entry_nm": float(entry), "exit_nm": float(exit_), "distance_nm": float(exit_ - entry)}
