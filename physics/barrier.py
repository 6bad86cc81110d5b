"""Conduction-band profiles of an electrode / SiO2 / electrode stack.

Energies are in eV relative to the emitter (floating-gate) Fermi level; positions in m with x = 0 at
the emitter/oxide interface and x = d at the oxide/collector interface.  The oxide carries a uniform
field E = V_ox / d, so the band is the trapezoid U(x) = phi - V_ox x / d, which becomes triangular
once q V_ox >= phi (the Fowler-Nordheim regime, docs/science.md section 2).
"""

import numpy as np

from physics import constants as c
from physics.materials import BARRIER_RANGE_EV, DEFAULT_OXIDE, MASS_RANGE
from physics.validation import as_output, check_positive, check_range

THICKNESS_RANGE = (0.5e-9, 100e-9)  #: oxide thickness d [m]
OXIDE_VOLTAGE_RANGE = (0.0, 100.0)  #: voltage across the oxide V_ox [V]
EPS_RANGE = (1.0, 30.0)  #: relative permittivity for the image force [-]
FIELD_MAX = 5e9  #: largest oxide field [V/m] (50 MV/cm, far beyond breakdown)
#: Fermi energy of the metal-like emitter and collector above their band bottom [eV].  Illustrative
#: (open assumption): it sets the depth of the electron sea in the Tsu-Esaki integral and the
#: lead wave vector of the exact transmission; FN currents barely depend on it (> 1 eV deep).
EMITTER_FERMI_EV = 3.0
#: Electron mass ratio in the electrodes: free electrons (m0), the metal-like emitter that gives
#: the 1/m_r of the FN coefficient A (docs/science.md section 2).
ELECTRODE_MASS_RATIO = 1.0


def oxide_field(oxide_voltage, oxide_thickness):
    """Uniform oxide field E = V_ox / d [V/m].

    Parameters
    ----------
    oxide_voltage : float or array_like
        Voltage across the oxide V_ox [V], in [0, 100].
    oxide_thickness : float or array_like
        Oxide thickness d [m], in [0.5e-9, 100e-9].

    Returns
    -------
    float or ndarray
        Field [V/m]; 1 MV/cm = 1e8 V/m.  Fields above 5e9 V/m raise ValueError.

    Examples
    --------
    12 V across 12 nm is 10 MV/cm:

    >>> oxide_field(12.0, 12e-9) / 1e8
    10.0
    """
    v = check_range("oxide_voltage", oxide_voltage, *OXIDE_VOLTAGE_RANGE, "V")
    d = check_range("oxide_thickness", oxide_thickness, *THICKNESS_RANGE, "m")
    field = v / d
    check_range("oxide_voltage / oxide_thickness (field)", field, 0.0, FIELD_MAX, "V/m")
    return as_output(field)


def conduction_band_profile(x, oxide_voltage, oxide_thickness,
                            barrier_height_eV=DEFAULT_OXIDE.barrier_height_eV, image_force=False,
                            eps_r=DEFAULT_OXIDE.eps_r):
    """Oxide conduction-band edge U(x) relative to the emitter Fermi level [eV].

    U(x) = phi - V_ox x / d  (trapezoidal for q V_ox < phi, triangular beyond), optionally lowered
    by the emitter's planar image potential -q / (16 pi eps0 eps_r x) (Schottky-Nordheim barrier,
    the barrier behind Forbes' v(f) correction, docs/science.md section 2).  The image term is capped
    at phi + 3 eV, so at the emitter (x -> 0) the band stops at the emitter band bottom (-3 eV)
    instead of diverging.

    Parameters
    ----------
    x : float or array_like
        Positions across the oxide [m], each in [0, d].
    oxide_voltage : float or array_like
        Voltage across the oxide V_ox [V], in [0, 100]; broadcasts against ``x``.
    oxide_thickness : float
        Oxide thickness d [m], in [0.5e-9, 100e-9].
    barrier_height_eV : float
        Barrier height phi [eV], in [0.5, 6]; default that of ``DEFAULT_OXIDE`` (3.2 eV).
    image_force : bool
        Include the emitter image potential.
    eps_r : float
        Relative permittivity for the image force [-], in [1, 30]: 3.9 static (the default, that of
        ``DEFAULT_OXIDE``) or 2.15 optical for SiO2, an open assumption that changes the current
        several-fold.

    Returns
    -------
    float or ndarray
        U(x) [eV], shape of ``x`` broadcast with ``oxide_voltage``.

    Examples
    --------
    10 MV/cm across 12 nm: the band falls from phi at the emitter through the Fermi level at the
    tunneling distance (3.2 nm) to phi - V_ox at the collector; the image force (eps_r = 3.9) takes
    0.61 eV off the top, which moves ~0.3 nm into the oxide:

    >>> import numpy as np
    >>> conduction_band_profile(np.array([0.0, 3.2e-9, 12e-9]), 12.0, 12e-9).round(6).tolist()
    [3.2, 0.0, -8.8]
    >>> x = np.linspace(0.0, 12e-9, 120001)
    >>> u = conduction_band_profile(x, 12.0, 12e-9, image_force=True)
    >>> round(float(u.max()), 3), round(float(x[u.argmax()]) * 1e9, 2)
    (2.592, 0.3)
    """
    field = oxide_field(oxide_voltage, oxide_thickness)
    d = float(oxide_thickness)
    pos = check_range("x", x, 0.0, d, "m (inside the oxide)")
    phi = check_range("barrier_height_eV", barrier_height_eV, *BARRIER_RANGE_EV, "eV")
    u = phi - field * pos
    if image_force:
        eps = check_range("eps_r", eps_r, *EPS_RANGE)
        with np.errstate(divide="ignore"):
            image = c.SCHOTTKY_C2 / (4.0 * eps * pos)  # q/(16 pi eps0 eps_r x) in eV
        # Cap the 1/x divergence at the emitter so the band never dips below the emitter band
        # bottom there; the cap touches only the first fraction of an angstrom.
        u = u - np.minimum(image, phi + EMITTER_FERMI_EV)
    return as_output(u)


def tunneling_distance(field, barrier_height_eV=DEFAULT_OXIDE.barrier_height_eV):
    """Classical tunneling distance at the Fermi level, x_t = phi / (q E) [m].

    The width of the triangular barrier seen by an electron at the emitter Fermi level: 3.20 nm
    at 10 MV/cm and 4.00 nm at 8 MV/cm for phi = 3.2 eV (docs/science.md section 2).

    Parameters
    ----------
    field : float or array_like
        Oxide field E [V/m], in (0, 5e9].
    barrier_height_eV : float or array_like
        Barrier height phi [eV], in [0.5, 6]; default that of ``DEFAULT_OXIDE`` (3.2 eV).

    Returns
    -------
    float or ndarray
        Distance [m] from the emitter interface to the classical turning point.

    Examples
    --------
    >>> round(tunneling_distance(10e8) * 1e9, 2), round(tunneling_distance(8e8) * 1e9, 2)  # [nm]
    (3.2, 4.0)
    """
    e = check_positive("field", field, "V/m", high=FIELD_MAX)
    phi = check_range("barrier_height_eV", barrier_height_eV, *BARRIER_RANGE_EV, "eV")
    return as_output(phi / e)


def stack_profile(oxide_voltage, oxide_thickness, barrier_height_eV=DEFAULT_OXIDE.barrier_height_eV,
                  mass_ratio=DEFAULT_OXIDE.mass_ratio, n_oxide=2, image_force=False,
                  eps_r=DEFAULT_OXIDE.eps_r, lead_length=1e-9):
    """Sampled electrode | oxide | electrode stack for the transmission solvers.

    The emitter band bottom sits at -E_F0 (E_F0 = 3 eV, metal-like, illustrative) and the
    collector's at -E_F0 - V_ox; each interface is an abrupt step, written as two samples at the
    same x.  A linear oxide band is represented exactly by its two end points (``n_oxide=2``);
    pass more points for the image force or for slicing into piecewise-constant steps.

    Parameters
    ----------
    oxide_voltage : float or array_like
        V_ox [V]; an array of shape (n,) gives potentials of shape (n, m) for one shared x.
    oxide_thickness : float
        d [m].
    barrier_height_eV, mass_ratio : float
        phi [eV] and m*/m0 [-] of the oxide; defaults those of ``DEFAULT_OXIDE`` (3.2 eV, 0.42).
    n_oxide : int
        Samples across the oxide (>= 2).
    image_force : bool
        Include the image potential (see :func:`conduction_band_profile`).
    eps_r : float
        Relative permittivity for the image force.
    lead_length : float
        Length of electrode drawn on each side [m] (the solvers treat the leads as semi-infinite).

    Returns
    -------
    x : ndarray, shape (m,)
        Positions [m], non-decreasing, from -lead_length to d + lead_length.
    potential_eV : ndarray, shape (m,) or (n, m)
        Conduction-band edge [eV] relative to the emitter Fermi level.
    mass : ndarray, shape (m,)
        Electron mass ratio at each sample (1 in the electrodes, m_r in the oxide).
    """
    d = float(check_range("oxide_thickness", oxide_thickness, *THICKNESS_RANGE, "m"))
    m_r = float(check_range("mass_ratio", mass_ratio, *MASS_RANGE))
    volts = check_range("oxide_voltage", oxide_voltage, *OXIDE_VOLTAGE_RANGE, "V")
    x_ox = np.linspace(0.0, d, max(int(n_oxide), 2))
    if image_force:
        # The image term changes fastest near the emitter (1/x): samples graded as (i/n)^2 put most of
        # them there, so a WKB integral converges with far fewer (tunneling.IMAGE_SAMPLES).
        x_ox = x_ox**2 / d
    oxide = np.atleast_2d(conduction_band_profile(x_ox, np.ravel(volts)[:, None], d, barrier_height_eV,
                                                  image_force, eps_r))
    emitter = np.full((oxide.shape[0], 2), -EMITTER_FERMI_EV)
    collector = (-EMITTER_FERMI_EV - np.ravel(volts))[:, None] * np.ones(2)
    potential = np.concatenate([emitter, oxide, collector], axis=1).reshape((*volts.shape, -1))
    x = np.concatenate([[-lead_length, 0.0], x_ox, [d, d + lead_length]])
    mass = np.concatenate([[ELECTRODE_MASS_RATIO] * 2, np.full(x_ox.size, m_r), [ELECTRODE_MASS_RATIO] * 2])
    return x, potential, mass

