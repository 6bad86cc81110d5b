"""Tunneling currents through an oxide barrier: the Fowler-Nordheim formula, WKB, exact
transfer-matrix transmission, and Tsu-Esaki integration over the emitter's electrons.

Conventions (Forbes' "simple FN-type" form, science.md section 2):

    J(E) = A E^2 exp(-B / E),  A = a / (m_r phi),  B = b sqrt(m_r) phi^1.5

with ``a = q^3/(8 pi h)`` and ``b = 8 pi sqrt(2 m0)/(3 q h)`` (:mod:`physics.constants`), ``E`` the
oxide field [V/m], ``phi`` the barrier height [eV] and ``m_r = m*/m0`` the electron mass in the
oxide.  The ``1/m_r`` in ``A`` is the convention that follows from a metal-like emitter of mass m0
tunneling into an oxide of mass m* (Lenzlinger & Snow, J. Appl. Phys. 40, 278 (1969)); others omit it.
"""

import numpy as np

from physics import constants as c
from physics.validation import check_positive, check_range

#: Documented domain of the public functions (also the bounds the dashboard offers).
BARRIER_RANGE_EV = (0.5, 6.0)  #: barrier height phi [eV]
MASS_RANGE = (0.05, 2.0)  #: effective mass ratio m*/m0 [-]
FIELD_MAX = 5e9  #: largest oxide field [V/m] (50 MV/cm, beyond breakdown of any oxide)


def fn_coefficients(barrier_height_eV, mass_ratio):
    """First and second Fowler-Nordheim coefficients A and B of J = A E^2 exp(-B/E).

    Parameters
    ----------
    barrier_height_eV : float or array_like
        Barrier height phi [eV], in [0.5, 6].
    mass_ratio : float or array_like
        Effective electron mass in the oxide m*/m0 [-], in [0.05, 2].

    Returns
    -------
    A : float or ndarray
        ``a / (m_r phi)`` [A/V^2], a = q^3/(8 pi h) = 1.541434e-6 A eV V^-2.
    B : float or ndarray
        ``b sqrt(m_r) phi^1.5`` [V/m], b = 6.830890e9 V m^-1 eV^-1.5.

    Notes
    -----
    science.md section 2; for (3.2 eV, 0.42): A = 1.147e-6 A/V^2, B = 2.534e10 V/m.
    """
    phi = check_range("barrier_height_eV", barrier_height_eV, *BARRIER_RANGE_EV, "eV")
    m_r = check_range("mass_ratio", mass_ratio, *MASS_RANGE)
    a = c.FN_A / (m_r * phi)
    b = c.FN_B * np.sqrt(m_r) * phi**1.5
    return _out(a), _out(b)


def fn_current_density(field, barrier_height_eV=3.2, mass_ratio=0.42):
    """Fowler-Nordheim current density J = A E^2 exp(-B/E) through a triangular barrier.

    Parameters
    ----------
    field : float or array_like
        Oxide field E [V/m], in [0, 5e9] (1 MV/cm = 1e8 V/m). E = 0 gives J = 0.
    barrier_height_eV : float
        Barrier height phi [eV].
    mass_ratio : float
        Effective electron mass in the oxide m*/m0 [-].

    Returns
    -------
    float or ndarray
        Current density J [A/m^2] (1 A/cm^2 = 1e4 A/m^2); 1.13e-3 A/cm^2 at 10 MV/cm for
        (3.2 eV, 0.42 m0).

    Notes
    -----
    Valid only where the barrier is triangular (q V_ox >= phi); use :func:`current_density` for
    trapezoidal barriers (direct tunneling).
    """
    e = check_range("field", field, 0.0, FIELD_MAX, "V/m")
    a, b = fn_coefficients(barrier_height_eV, mass_ratio)
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        # exp(-B/E) -> 0 as E -> 0; the divide warning at E = 0 is the limit, not an error.
        j = a * e * e * np.exp(-b / e)
    return _out(np.where(e > 0.0, j, 0.0))


def _out(arr):
    """Return a Python float for 0-d results, the array otherwise."""
    arr = np.asarray(arr)
    return float(arr) if arr.ndim == 0 else arr
