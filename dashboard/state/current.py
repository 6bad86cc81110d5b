"""Tunneling current against oxide field: FN formula, WKB and exact transmission, and the FN plot."""

from functools import lru_cache

import numpy as np
import param

from dashboard.state.device import OperatingPoint
from physics import tunneling
from physics.constants import A_PER_CM2, MV_PER_CM

#: Field window of the J-E plot [MV/cm]: from deep direct tunneling to near breakdown of SiO2.
FIELD_WINDOW_MV_CM = (3.0, 15.0)
POINTS = 120
#: The exact transfer-matrix current costs ~40 ms per voltage: every 5th field of the grid.
EXACT_STRIDE = 5
#: Currents below this [A/cm^2] are not drawn: a log axis down to 1e-300 says nothing.
J_FLOOR_A_CM2 = 1e-20

#: Curves the view can draw: key -> legend label.
METHODS = {"fn": "FN formula", "wkb": "WKB (Tsu-Esaki)", "exact": "Exact (transfer matrix)"}


def field_grid(method="fn"):
    """Fields of the J-E curve of ``method`` [V/m] (log-spaced across FIELD_WINDOW_MV_CM)."""
    lo, hi = FIELD_WINDOW_MV_CM
    grid = np.geomspace(lo, hi, POINTS) * MV_PER_CM
    return grid[::EXACT_STRIDE] if method == "exact" else grid


@lru_cache(maxsize=128)
def _curve(method, **oxide):
    """J [A/m^2] on :func:`field_grid` for one method through the oxide ``oxide``
    (:meth:`OperatingPoint.tunneling_inputs`); cached because it is the same for every session with
    these numbers (read-only, so no session can alter another's copy). The FN formula is the T = 0
    closed form of a triangular barrier: it takes the barrier alone."""
    field = field_grid(method)
    if method == "fn":
        j = tunneling.fn_current_density(field, oxide["barrier_height_eV"], oxide["mass_ratio"])
    else:
        j = tunneling.current_density(field * oxide["oxide_thickness"], **oxide, method=method)
    j = np.array(j, dtype=float)
    j.flags.writeable = False
    return j


class CurrentState(param.Parameterized):
    """Current density against field for the shared operating point's oxide and barrier."""

    device = param.ClassSelector(class_=OperatingPoint, constant=True, doc="Shared operating point.")
    show_wkb = param.Boolean(
        True, label="Show WKB (Tsu-Esaki)",
        doc="Current from WKB transmission through the real (triangular or trapezoidal) barrier, "
            "integrated over the emitter's electrons.", metadata={"url": "wkb"})
    show_exact = param.Boolean(
        False, label="Show exact transmission (slower)",
        doc="Current from the exact transfer-matrix transmission of the sampled barrier, at fewer "
            "fields; about a second to compute for each new oxide.", metadata={"url": "exact"})

    def __init__(self, device=None, **params):
        super().__init__(device=device or OperatingPoint(), **params)

    def methods(self):
        """Keys of METHODS to draw: the FN formula always, the others when switched on."""
        return ["fn"] + ["wkb"] * self.show_wkb + ["exact"] * self.show_exact

    def curves(self):
        """Drawn method -> ``(E_MV_cm, J_A_cm2)`` arrays."""
        oxide = self.device.tunneling_inputs()
        return {method: (field_grid(method) / MV_PER_CM, _curve(method, **oxide) / A_PER_CM2)
                for method in self.methods()}

    def fn_regime_onset_MV_cm(self):
        """Field [MV/cm] above which q V_ox >= phi: the barrier is triangular (FN regime)."""
        return self.device.barrier_height_eV / self.device.thickness_m / MV_PER_CM

    def fn_plot(self):
        """ln(J/E^2) against 1/E for the FN-regime points of the most accurate drawn curve, with the
        fitted line. ``inv_E_nm_per_V`` is 1/E [nm/V]; ``slope_V_per_nm`` is the fitted slope (-B), None
        when fewer than three points of the window lie in the FN regime."""
        method = self.methods()[-1]
        field = field_grid(method)
        j = _curve(method, **self.device.tunneling_inputs())
        keep = (field / MV_PER_CM >= self.fn_regime_onset_MV_cm()) & (j / A_PER_CM2 > J_FLOOR_A_CM2)
        if keep.sum() < 3:
            return {"method": method, "inv_E_nm_per_V": np.array([]), "ln_J_over_E2": np.array([]),
                    "fit": np.array([]), "slope_V_per_nm": None}
        slope, intercept = tunneling.fn_plot_fit(field[keep], j[keep])
        inv_e = 1.0 / field[keep]
        return {"method": method, "inv_E_nm_per_V": inv_e * 1e9,
                "ln_J_over_E2": np.log(j[keep] / field[keep] ** 2),
                "fit": intercept + slope * inv_e, "slope_V_per_nm": slope * 1e-9}

    def formula_slope_V_per_nm(self):
        """-B of the FN formula [V/nm], to compare with the fitted slope."""
        _, b = tunneling.fn_coefficients(self.device.barrier_height_eV, self.device.mass_ratio)
        return -b * 1e-9

    def operating_point(self):
        """Field [MV/cm] and WKB current [A/cm^2] at the shared oxide voltage."""
        dev = self.device
        j = tunneling.current_density(dev.oxide_voltage, **dev.tunneling_inputs())
        return {"E_MV_cm": dev.field / MV_PER_CM, "J_A_cm2": float(np.asarray(j)) / A_PER_CM2}
