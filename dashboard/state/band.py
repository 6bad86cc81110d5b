"""Band diagram across floating gate | SiO2 | tunneling node for the session's operating point."""

import numpy as np
import param

from dashboard.state.device import OperatingPoint
from physics import barrier
from physics.materials import SIO2_EPS_OPTICAL, SIO2_EPS_STATIC

#: Width of each electrode drawn on either side of the oxide [nm].
ELECTRODE_NM = 3.0
#: Samples across the oxide: enough for a smooth image-force rounding at 20 nm.
SAMPLES = 400


class BandState(param.Parameterized):
    """Conduction band, Fermi levels and the tunneling path at the Fermi level."""

    device = param.ClassSelector(class_=OperatingPoint, constant=True, doc="Shared operating point.")
    image_force = param.Boolean(
        False, label="Image force (Schottky-Nordheim)",
        doc="Round the barrier by the image-charge attraction of the emitter; lowers and thins the "
            "barrier and raises the current several-fold.")
    eps_r = param.Number(
        SIO2_EPS_STATIC, bounds=(SIO2_EPS_OPTICAL, SIO2_EPS_STATIC), step=0.05,
        label="Image-force permittivity eps_r (-)",
        doc="Relative permittivity screening the image force: 2.15 (optical) to 3.9 (static) for SiO2. "
            "Which applies is an open assumption; 3.9 is illustrative.")

    def __init__(self, device=None, **params):
        super().__init__(device=device or OperatingPoint(), **params)

    def profile(self):
        """Conduction band edge in the oxide: ``x_nm`` [nm] from the emitter and ``U_eV`` [eV] above
        the emitter Fermi level."""
        dev = self.device
        x = np.linspace(0.0, dev.thickness_m, SAMPLES)
        u = barrier.conduction_band_profile(
            x, dev.oxide_voltage, dev.thickness_m, barrier_height_eV=dev.barrier_height_eV,
            image_force=self.image_force, eps_r=self.eps_r)
        return {"x_nm": x * 1e9, "U_eV": np.asarray(u, dtype=float)}

    def fermi_levels(self):
        """Fermi levels [eV] of the emitting floating gate (0, the reference) and of the tunneling node."""
        return {"floating_gate": 0.0, "tunneling_node": -self.device.oxide_voltage}

    def tunneling_path(self, profile=None):
        """Where an electron at the emitter Fermi level enters and leaves the barrier [nm].

        ``exit_nm`` is the classical turning point U(x) = 0 beyond the barrier top, or the far side
        of the oxide when the barrier is trapezoidal (direct tunneling); ``distance_nm`` is their
        difference, the width the electron tunnels through.
        """
        profile = profile or self.profile()
        x, u = profile["x_nm"], profile["U_eV"]
        top = int(np.argmax(u))
        below_before = np.nonzero(u[:top] <= 0.0)[0]
        below_after = np.nonzero(u[top:] <= 0.0)[0]
        entry = x[below_before[-1]] if below_before.size else x[0]
        exit_ = x[top + below_after[0]] if below_after.size else x[-1]
        return {"entry_nm": float(entry), "exit_nm": float(exit_), "distance_nm": float(exit_ - entry)}
