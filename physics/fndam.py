"""The Fowler-Nordheim dynamic analog memory (FN-DAM) element (docs/science.md section 3).

A floating gate of total capacitance C_T loses electrons through a tunneling junction of area S and
oxide thickness d.  With V the voltage across the tunneling oxide,

    C_T dV/dt = -S A (V/d)^2 exp(-B d / V)                                  (1)

where A, B are the Fowler-Nordheim coefficients of :func:`physics.tunneling.fn_coefficients`.  Writing
k2 = B d [V], k1 = S A B / (C_T d) [1/s] and k0 = exp(k2 / V0), (1) reads dV/dt = -(k1/k2) V^2 e^(-k2/V)
and its exact solution is

    V(t) = k2 / ln(k1 t + k0).                                              (2)

The variable z = exp(k2/V) is a linear clock, dz/dt = k1: every closed form below is (2) written in
logarithms so that k0 ~ e^30 and k1 t ~ e^54 (at 1e10 s) never overflow (see :func:`advance`).

All times are in seconds, voltages in volts, SI units throughout.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy.integrate import solve_ivp

from physics import constants as c
from physics.barrier import FIELD_MAX, OXIDE_VOLTAGE_RANGE, THICKNESS_RANGE
from physics.materials import BARRIER_RANGE_EV, DEFAULT_OXIDE, MASS_RANGE
from physics.tunneling import current_density, fn_coefficients
from physics.validation import as_output, check_positive, check_range

#: Documented domain of the device fields (also the ranges the dashboard offers).
AREA_RANGE = (1e-16, 1e-6)  #: junction area S [m^2]
CAPACITANCE_RANGE = (1e-18, 1e-9)  #: floating-gate capacitance C_T [F]
ELEMENT_VOLTAGE_RANGE = (1.0, 30.0)  #: initial oxide voltage V0 and tunneling voltage of an element [V]
TIME_MAX = 1e10  #: longest time accepted by the functions [s] (317 Julian years)
DELTA_MAX = 10.0  #: largest pulse amplitude [V]
DURATION_MAX = 1e6  #: longest pulse [s]
#: Temperature of an element [K]: 0 is the T = 0 FN law; above, the thermal FN coefficients of
#: :func:`thermal_coefficients` (Tsu-Esaki accepts up to 1000 K; 600 K is far above any operating point).
TEMPERATURE_RANGE = (0.0, 600.0)
#: Temperature [K] standing for 0 K in the Tsu-Esaki ratio: its thermal factor differs from 1 by ~1e-6.
REFERENCE_TEMPERATURE = 1.0
#: Fields sampled (uniformly in 1/E) for the thermal FN-plot fit.
THERMAL_FIT_POINTS = 24
#: Fields of the tabulated thermal factor per oxide and temperature, uniform in 1/E; the table spans
#: ln(k1 t + 1) up to THERMAL_TABLE_LOG_TIME (k1 t ~ e^62: 10 years at the fastest legal junction).
THERMAL_TABLE_POINTS = 160
THERMAL_TABLE_LOG_TIME = 62.0
#: Gauss-Legendre nodes of the retention integral with a leakage floor (:func:`retention_time`).
LEAKAGE_NODES = 48
#: Smallest oxide voltage a pulse can leave [V]: the model (1) stops at a reversed field.
VOLTAGE_FLOOR = 1e-3
#: Illustrative programming pulse [open]: 0.3 V for 0.1 s.  Small enough (delta << V) that the update
#: falls as ~1/age (log-log slope -0.955 from 1e2 to 1e5 s), long enough to move 0.611 mV at 100 s
#: (both checked in :func:`pulse_update`'s examples).
PULSE_AMPLITUDE = 0.3  #: [V]
PULSE_WIDTH = 0.1  #: [s]


@dataclass(frozen=True)
class FNDAMDevice:
    """One FN-DAM element.  Defaults are the *illustrative* device [open] of docs/science.md section 3,
    not the paper's (its device values were not extracted).

    Attributes
    ----------
    oxide_thickness : float
        Tunneling oxide thickness d [m], in [0.5e-9, 1e-7]. Illustrative default 12 nm.
    junction_area : float
        Tunneling junction area S [m^2], in [1e-16, 1e-6]. Illustrative default 1 um^2.
    capacitance : float
        Total floating-gate capacitance C_T [F], in [1e-18, 1e-9]. Illustrative default 100 fF.
    barrier_height_eV : float
        Si/SiO2 barrier height phi [eV], in [0.5, 6]. Default that of
        :data:`physics.materials.DEFAULT_OXIDE`, 3.2 eV (docs/science.md section 2).
    mass_ratio : float
        Electron effective mass in the oxide m*/m0, in [0.05, 2]. Default that of ``DEFAULT_OXIDE``,
        0.42 (Chanana 2014).
    initial_voltage : float
        Voltage across the tunneling oxide at t = 0, V0 [V], in [1, 30]. Illustrative default 10 V.
        The FN closed form assumes a triangular barrier, q V >= phi: below ~3.2 V it is an
        extrapolation.
    tunneling_voltage : float
        Voltage of the tunneling node that supplies the charge of an update [V], in [1, 30]; it sets the
        energy per update (docs/science.md section 4). Illustrative default 10 V.
    temperature : float
        Temperature of the tunneling electrons [K], in [0, 600]. 0 (default) is the T = 0 FN law of the
        illustrative device; above it, equation (1) takes the thermal coefficients of
        :func:`thermal_coefficients`, so k1, k2 and every curve follow the temperature.

    Raises
    ------
    ValueError
        If a field is outside its range (the message names the field and the range).

    Examples
    --------
    The defaults give k2 = 304.1 V, k1 = 2.42e13 1/s, ln k0 = 30.41, V(1e4 s) = 7.597 V and
    V(1 year) = 6.324 V (docs/science.md section 3):

    >>> from physics.constants import YEAR
    >>> ln_k0, k1, k2 = FNDAMDevice().constants()
    >>> round(k2, 1), f"{k1:.3g}", round(ln_k0, 2)
    (304.1, '2.42e+13', 30.41)
    >>> round(oxide_voltage(1e4), 3), round(oxide_voltage(YEAR), 3)
    (7.597, 6.324)
    """

    oxide_thickness: float = 12e-9
    junction_area: float = 1e-12
    capacitance: float = 100e-15
    barrier_height_eV: float = DEFAULT_OXIDE.barrier_height_eV
    mass_ratio: float = DEFAULT_OXIDE.mass_ratio
    initial_voltage: float = 10.0
    tunneling_voltage: float = 10.0
    temperature: float = 0.0

    def __post_init__(self):
        checks = {
            "oxide_thickness": (THICKNESS_RANGE, "m"),
            "junction_area": (AREA_RANGE, "m^2"),
            "capacitance": (CAPACITANCE_RANGE, "F"),
            "barrier_height_eV": (BARRIER_RANGE_EV, "eV"),
            "mass_ratio": (MASS_RANGE, ""),
            "initial_voltage": (ELEMENT_VOLTAGE_RANGE, "V"),
            "tunneling_voltage": (ELEMENT_VOLTAGE_RANGE, "V"),
            "temperature": (TEMPERATURE_RANGE, "K"),
        }
        for name, ((low, high), unit) in checks.items():
            value = check_range(name, getattr(self, name), low, high, unit)
            if value.ndim != 0:
                raise ValueError(f"{name} must be a single number; got an array of shape {value.shape}")
            # Store plain floats so that equal devices compare and hash equal.
            object.__setattr__(self, name, float(value))

    def log_constants(self):
        """Return (ln k0, ln k1, k2) of equation (2); ln k1 stays finite where k1 would underflow.

        Returns
        -------
        ln_k0 : float
            k2 / V0 [-].
        ln_k1 : float
            ln(S A B / (C_T d)) with k1 in 1/s.
        k2 : float
            B d [V].
        """
        a, b = self.coefficients()
        k2 = b * self.oxide_thickness
        ln_k1 = np.log(self.junction_area * a / self.capacitance) + np.log(b / self.oxide_thickness)
        return k2 / self.initial_voltage, float(ln_k1), k2

    def coefficients(self):
        """FN coefficients (A [A/V^2], B [V/m]) of equation (1) at this element's temperature: those of
        :func:`physics.tunneling.fn_coefficients` at 0 K, else :func:`thermal_coefficients`."""
        if self.temperature == 0.0:
            return fn_coefficients(self.barrier_height_eV, self.mass_ratio)
        return thermal_coefficients(self)

    def constants(self):
        """Return (ln k0, k1 [1/s], k2 [V]) of V(t) = k2 / ln(k1 t + k0), docs/science.md section 3.

        k2 = B d, k1 = S A B / (C_T d), ln k0 = k2 / V0; see :class:`FNDAMDevice` for the values of the
        illustrative device.
        """
        ln_k0, ln_k1, k2 = self.log_constants()
        return ln_k0, float(np.exp(ln_k1)), k2


def thermal_factor(field, device):
    """Thermal factor of the tunneling current, J(E, T) / J(E, 0) [-], from the Tsu-Esaki current.

    The ratio of :func:`physics.tunneling.current_density` (WKB) at the device's temperature to the same
    at 1 K (REFERENCE_TEMPERATURE) through the device's oxide (docs/science.md section 2). In the FN
    regime it follows the Murphy-Good factor (pi kT/d_F) / sin(pi kT/d_F), d_F = q hbar E /
    (2 sqrt(2 m* phi)): 1.29 at 8 MV/cm and 1.88 at 5.3 MV/cm for 300 K; unlike that expansion it stays
    finite where kT approaches d_F (low fields).

    Parameters
    ----------
    field : float or array_like
        Oxide field E [V/m], in (0, 5e9] with E d <= 100 V.
    device : FNDAMDevice
        The element (oxide, barrier and temperature; a device at 0 K gives 1).

    Returns
    -------
    float or numpy.ndarray
        J(E, T) / J(E, 0), shape of ``field``.

    Examples
    --------
    >>> warm = FNDAMDevice(temperature=300.0)
    >>> [round(float(thermal_factor(mv_cm * 1e8, warm)), 2) for mv_cm in (8.0, 5.3)]
    [1.3, 1.89]
    """
    e = check_positive("field", field, "V/m", high=5e9)
    if device.temperature == 0.0:
        return as_output(np.ones_like(e))
    volts = e * device.oxide_thickness
    oxide = {"oxide_thickness": device.oxide_thickness, "barrier_height_eV": device.barrier_height_eV,
             "mass_ratio": device.mass_ratio}
    warm = current_density(volts, temperature=device.temperature, **oxide)
    cold = current_density(volts, temperature=REFERENCE_TEMPERATURE, **oxide)
    return as_output(warm / cold)


def thermal_coefficients(device):
    """FN coefficients (A_T [A/V^2], B_T [V/m]) that carry the thermal factor over the element's fields.

    J(E, T) = A E^2 exp(-B/E) g(E), g the :func:`thermal_factor`. Over the fields an element visits,
    ln g is close to a straight line in 1/E, ln g ~ alpha + beta/E (a least-squares fit at
    THERMAL_FIT_POINTS fields uniform in 1/E, ln g interpolated in a table per oxide and temperature),
    so J(E, T) ~ A_T E^2 exp(-B_T/E) with

        A_T = A exp(alpha),   B_T = B - beta,

    and equation (2) holds with k1, k2 built from A_T, B_T (docs/science.md section 3). The fields are
    those of the trajectory every element converges to (V0 -> infinity, V = k2 / ln(k1 t + 1) at 0 K)
    from 1 s to 10 years, the window the app shows. They do not depend on V0, so elements that differ
    only in V0 keep one law and still converge; they do depend on S and C_T (a slower element sits at
    higher fields), so k1 is no longer exactly proportional to S / C_T. For the illustrative device the
    closed form follows a numerical solution of (1) with the exact factor within 0.2 mV at 77 K, 5 mV
    at 300 K and 14 mV at 400 K from 1 s to 10 years, while the temperature itself lowers V(1 year) by
    5, 81 and 164 mV (tests/test_fndam_temperature.py).

    Parameters
    ----------
    device : FNDAMDevice
        The element; its temperature must be > 0.

    Returns
    -------
    (float, float)
        A_T [A/V^2] and B_T [V/m].
    """
    return _thermal_fit(device.oxide_thickness, device.junction_area, device.capacitance,
                        device.barrier_height_eV, device.mass_ratio, device.temperature)


@lru_cache(maxsize=256)
def _thermal_fit(oxide_thickness, junction_area, capacitance, barrier_height_eV, mass_ratio, temperature):
    """:func:`thermal_coefficients` for one oxide, junction and temperature (cached: sessions and
    elements that share them share the fit). ln g comes from :func:`_thermal_table`, shared by every
    junction area and capacitance of the oxide, so a new S or C_T costs one interpolation and a fit."""
    a, b = fn_coefficients(barrier_height_eV, mass_ratio)
    k2 = b * oxide_thickness
    k1 = junction_area * a * b / (capacitance * oxide_thickness)
    ages = np.array([10 * c.YEAR, 1.0])  # [s]: lowest field first
    inv_field = oxide_thickness * np.linspace(*(np.log1p(k1 * ages) / k2), THERMAL_FIT_POINTS)  # 1/E [m/V]
    table_inv_field, table_ln_g = _thermal_table(oxide_thickness, barrier_height_eV, mass_ratio, temperature)
    ln_g = np.interp(inv_field, table_inv_field, table_ln_g)
    beta, alpha = np.polyfit(inv_field, ln_g, 1)
    return float(a * np.exp(alpha)), float(b - beta)


@lru_cache(maxsize=64)
def _thermal_table(oxide_thickness, barrier_height_eV, mass_ratio, temperature):
    """ln of the :func:`thermal_factor` on THERMAL_TABLE_POINTS fields uniform in 1/E [m/V], from the
    largest legal field down to B/THERMAL_TABLE_LOG_TIME (every 1 s to 10 years window of a legal
    junction lies inside; np.interp holds the end values beyond). Read-only arrays."""
    _, b = fn_coefficients(barrier_height_eV, mass_ratio)
    high = min(FIELD_MAX, OXIDE_VOLTAGE_RANGE[1] / oxide_thickness)  # [V/m]
    inv_field = np.linspace(1.0 / high, THERMAL_TABLE_LOG_TIME / b, THERMAL_TABLE_POINTS)
    device = FNDAMDevice(oxide_thickness=oxide_thickness, barrier_height_eV=barrier_height_eV,
                         mass_ratio=mass_ratio, temperature=temperature)
    ln_g = np.log(thermal_factor(1.0 / inv_field, device))
    for array in (inv_field, ln_g):
        array.flags.writeable = False
    return inv_field, ln_g


class Trajectory(NamedTuple):
    """V(t), tunneling current and electron rate of one element on a time grid (all arrays)."""

    time: np.ndarray  #: [s]
    voltage: np.ndarray  #: oxide voltage [V]
    current: np.ndarray  #: tunneling current [A]
    electrons_per_second: np.ndarray  #: [1/s]


def advance(voltage, ln_k1, k2, elapsed):
    """Oxide voltage after ``elapsed`` seconds of free tunneling, from ``voltage`` (vectorised).

    Implements equation (2) restarted from any state: V' = k2 / ln(k1 dt + exp(k2 / V)), evaluated as

        ln(k1 dt + z) = ln z + log1p(dt exp(ln k1 - ln z)),   ln z = k2 / V,

    which is exact, never forms z ~ e^30 (it would overflow float32, or float64 for thick oxides) and
    costs one log1p per value (``logaddexp`` would be ~4x slower).  The exponent ln k1 - k2/V is at most
    ln k1 < 90 for every legal device, so dt exp(...) cannot overflow.  This is the one propagator used
    by the closed form, the pulse update and the synapse array.  Arguments are not validated (internal
    fast path; the public functions check theirs).

    Parameters
    ----------
    voltage : array_like
        Oxide voltage at the start [V], > 0.
    ln_k1 : array_like
        ln k1 with k1 in 1/s.
    k2 : array_like
        k2 [V].
    elapsed : array_like
        Elapsed time [s], >= 0 (0 returns ``voltage``).

    Returns
    -------
    numpy.ndarray
        Oxide voltage [V] after ``elapsed``.
    """
    log_z = k2 / voltage
    # In place on one buffer: this function dominates the cost of every caller.
    ln_new = np.asarray(np.multiply(elapsed, np.exp(ln_k1 - log_z)))
    np.log1p(ln_new, out=ln_new)
    ln_new += log_z
    return np.divide(k2, ln_new, out=ln_new)


def _time(t):
    return check_range("t", t, 0.0, TIME_MAX, "s")


def oxide_voltage(t, device=None):
    """Closed-form oxide voltage V(t) = k2 / ln(k1 t + k0) (docs/science.md section 3, equation (2)).

    Parameters
    ----------
    t : float or array_like
        Device age [s], in [0, 1e10].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        Oxide voltage [V], same shape as ``t``.  Finite for every legal device and time.
    """
    device = device or FNDAMDevice()
    _, ln_k1, k2 = device.log_constants()
    return as_output(advance(device.initial_voltage, ln_k1, k2, _time(t)))


def oxide_voltage_ode(t, device=None, rtol=1e-12):
    """Oxide voltage from a numerical solution of the ODE (1): the independent check of the closed form.

    Integrates dV/ds = -(t + t_c) (k1/k2) V^2 exp(-k2/V) in the log-time variable s = ln(1 + t/t_c),
    t_c = min(k0/k1, 1e10 s) (the element's initial time scale), with SciPy's DOP853 (8th order
    Runge-Kutta); the change of variable spreads ten decades of time evenly over s, so one solver run
    covers 0 to 1e10 s.
    The right-hand side is equation (1) itself; the closed form (2) is not used.

    Parameters
    ----------
    t : float or array_like
        Device age [s], in [0, 1e10], any order.
    device : FNDAMDevice, optional
        The element; the illustrative device by default.
    rtol : float
        Relative tolerance of the solver, in [1e-13, 1e-3]; the absolute tolerance is rtol x 1 mV.

    Returns
    -------
    float or numpy.ndarray
        Oxide voltage [V], same shape as ``t``.
    """
    device = device or FNDAMDevice()
    t_arr = _time(t)
    rtol = float(check_range("rtol", rtol, 1e-13, 1e-3))
    ln_k0, ln_k1, k2 = device.log_constants()
    # The initial time scale k0/k1, capped at TIME_MAX so it cannot overflow for barely leaking devices.
    t_c = np.exp(min(ln_k0 - ln_k1, np.log(TIME_MAX)))
    rate = np.exp(ln_k1) / k2

    def rhs(s, v):
        # dt/ds = t + t_c = t_c e^s
        return -t_c * np.exp(s) * rate * v * v * np.exp(-k2 / v)

    s = np.log1p(t_arr / t_c)
    s_eval = np.unique(np.append(s.ravel(), 0.0))  # sorted, starts at t = 0
    v_eval = np.full(s_eval.shape, device.initial_voltage)
    if s_eval.size > 1:
        sol = solve_ivp(rhs, (0.0, s_eval[-1]), [device.initial_voltage], method="DOP853",
                        t_eval=s_eval, rtol=rtol, atol=rtol * 1e-3)
        if not sol.success:
            raise RuntimeError(f"ODE solver failed: {sol.message}")
        v_eval = sol.y[0]
    return as_output(np.interp(s, s_eval, v_eval))  # exact lookup: every s is a node


def tunneling_current(t, device=None):
    """Tunneling current I(t) = C_T |dV/dt| = C_T (k1/k2) V^2 / (k1 t + k0)  [A].

    From (1) and (2): exp(-k2/V(t)) = 1/(k1 t + k0), so I = C_T (k1/k2) V^2 exp(-k2/V), evaluated as
    exp(ln k1 - k2/V).  At late times I ~ C_T V^2 / (k2 t): the current falls as ~1/t (docs/science.md
    section 3).

    Parameters
    ----------
    t : float or array_like
        Device age [s], in [0, 1e10].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        Current [A], same shape as ``t``.

    Examples
    --------
    The illustrative element at 1 s and after a year: below 1e-21 A, a few electrons per hour
    (docs/science.md section 2, validity):

    >>> from physics.constants import YEAR
    >>> f"{tunneling_current(1.0):.3g} A", f"{tunneling_current(YEAR):.3g} A"
    ('1.86e-14 A', '4.17e-22 A')
    """
    device = device or FNDAMDevice()
    return as_output(_current(_time(t), device))


def electron_rate(t, device=None):
    """Electrons tunneling per second, I(t) / q [1/s]; see :func:`tunneling_current`.

    >>> from physics.constants import HOUR, YEAR
    >>> f"{electron_rate(1.0):.3g}", round(electron_rate(YEAR) * HOUR, 1)  # [1/s] at 1 s, [1/h] at 1 year
    ('1.16e+05', 9.4)
    """
    device = device or FNDAMDevice()
    return as_output(_current(_time(t), device) / c.Q)


def _current(t, device):
    _, ln_k1, k2 = device.log_constants()
    v = advance(device.initial_voltage, ln_k1, k2, t)
    # exp(-k2/V) = 1/(k1 t + k0) on the trajectory: I = C_T (k1/k2) V^2 exp(-k2/V), in logs.
    return device.capacitance * v * v / k2 * np.exp(ln_k1 - k2 / v)


def trajectory(device=None, t_start=1e-3, t_stop=TIME_MAX, num=256):
    """V(t), current and electrons per second on a log-spaced time grid (dashboard entry point).

    Parameters
    ----------
    device : FNDAMDevice, optional
        The element; the illustrative device by default.
    t_start, t_stop : float
        First and last time [s], 0 < t_start < t_stop <= 1e10.
    num : int
        Number of grid points, in [2, 1e6].

    Returns
    -------
    Trajectory
        Arrays ``time`` [s], ``voltage`` [V], ``current`` [A], ``electrons_per_second`` [1/s].
    """
    device = device or FNDAMDevice()
    t_stop = float(check_positive("t_stop", t_stop, "s", TIME_MAX))
    t_start = float(check_range("t_start", t_start, 0.0, t_stop, "s", low_inclusive=False,
                                high_inclusive=False))
    num = int(check_range("num", num, 2, 1e6))
    t = np.geomspace(t_start, t_stop, num)
    current = _current(t, device)
    return Trajectory(t, np.asarray(oxide_voltage(t, device)), current, current / c.Q)


def _interval(v_from, v_to, ln_k1, k2):
    """Time to tunnel from ``v_from`` down to ``v_to`` [s]: (exp(k2/v_to) - exp(k2/v_from)) / k1.

    Written as exp(k2/v_to - ln k1 + ln(-expm1(k2/v_from - k2/v_to))): every factor stays in logs, so
    equal voltages give exactly 0 even where exp(k2/v) overflows; returns inf only when the time
    exceeds the float range (~1.8e308 s).
    """
    with np.errstate(over="ignore", divide="ignore"):
        return np.exp(k2 / v_to - ln_k1 + np.log(-np.expm1(k2 / v_from - k2 / v_to)))


def time_to_voltage(v, device=None):
    """Age at which the oxide voltage reaches ``v``: t(V) = (exp(k2/V) - exp(k2/V0)) / k1 [s].

    Parameters
    ----------
    v : float or array_like
        Target oxide voltage [V], in (0, V0].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        Time [s]; ``inf`` when it exceeds ~1.8e308 s (the voltage is never reached in practice).

    Notes
    -----
    docs/science.md section 3 (inverse of equation (2)).

    Examples
    --------
    >>> round(time_to_voltage(8.0))  # the illustrative element falls from 10 V to 8 V in ~22 minutes
    1330
    """
    device = device or FNDAMDevice()
    v0 = device.initial_voltage
    v = check_range("v", v, 0.0, v0, "V", low_inclusive=False)
    _, ln_k1, k2 = device.log_constants()
    return as_output(_interval(v0, v, ln_k1, k2))


def retention_time(voltage_loss, age, device=None, leakage_current=0.0):
    """Time an element of a given age takes to lose ``voltage_loss`` more volts [s].

    t_ret = (exp(k2/(V(age) - dV)) - exp(k2/V(age))) / k1: retention improves with age because the
    current falls as ~1/t (docs/science.md section 3). A leakage floor I_L (trap-assisted or junction
    leakage, an open parameter) adds a constant discharge: then

        t_ret = int_{V - dV}^{V} dV' / (f(V') + I_L / C_T),   f(V) = (k1/k2) V^2 exp(-k2/V),

    integrated by LEAKAGE_NODES-point Gauss-Legendre (exact to ~1e-10 here), from the FN voltage at that
    age (the floor's effect before it is neglected). Once I_L exceeds the FN current, retention stops
    growing with age and tends to C_T dV / I_L.

    Parameters
    ----------
    voltage_loss : float or array_like
        Voltage to lose dV [V], in (0, 1].
    age : float or array_like
        Device age when the clock starts [s], in [0, 1e10]; broadcasts with ``voltage_loss``.
    device : FNDAMDevice, optional
        The element; the illustrative device by default.
    leakage_current : float
        Leakage floor I_L [A], in [0, 1e-9]; 0 (default) is the FN law alone.

    Returns
    -------
    float or numpy.ndarray
        Retention time [s]; ``inf`` beyond ~1.8e308 s or when V(age) <= voltage_loss.

    Examples
    --------
    Losing 10 mV takes 4.2 s at age 100 s and 542 s at age 1e4 s (100x older, ~130x longer):

    >>> [round(float(r), 1) for r in retention_time(0.01, [1e2, 1e4])]
    [4.2, 541.8]

    A 1e-21 A floor (about 22 electrons an hour) caps the retention of 1 mV below C_T dV / I_L = 1e5 s:

    >>> [f"{float(r):.3g}" for r in retention_time(1e-3, [1e4, 1e8])]
    ['52.8', '8.01e+05']
    >>> [f"{float(r):.3g}" for r in retention_time(1e-3, [1e4, 1e8], leakage_current=1e-21)]
    ['52.8', '8.89e+04']
    """
    device = device or FNDAMDevice()
    dv = check_range("voltage_loss", voltage_loss, 0.0, 1.0, "V", low_inclusive=False)
    leak = float(check_range("leakage_current", leakage_current, 0.0, 1e-9, "A"))
    _, ln_k1, k2 = device.log_constants()
    v_age = advance(device.initial_voltage, ln_k1, k2, _time(age))
    v_end = v_age - dv
    if leak > 0.0:
        nodes, weights = np.polynomial.legendre.leggauss(LEAKAGE_NODES)
        half = np.asarray(dv) / 2.0
        volts = (v_age - half)[..., None] + half[..., None] * nodes  # [V], last axis: the nodes
        with np.errstate(over="ignore", invalid="ignore"):
            fn_rate = np.exp(ln_k1 - k2 / volts) * volts**2 / k2  # f(V) [V/s]
            hold = half * np.sum(weights / (fn_rate + leak / device.capacitance), axis=-1)
        return as_output(np.where(v_end > 0.0, hold, np.inf))
    with np.errstate(invalid="ignore"):
        # V(t) > 0 for every finite t: an element with less than dV left never loses it.
        return as_output(np.where(v_end > 0.0, _interval(v_age, v_end, ln_k1, k2), np.inf))


def pulse_update(t, device=None, delta=PULSE_AMPLITUDE, duration=PULSE_WIDTH):
    """Extra change of the oxide voltage caused by a programming pulse at device age ``t`` [V].

    During the pulse the oxide voltage is raised by ``delta``, so u = V + delta follows the same
    dynamics (1) for ``duration``; afterwards V = u - delta.  The result is the exact difference from
    the unpulsed element at the same instant,

        dV = [k2 / ln(k1 tau + exp(k2/(V(t) + delta))) - delta] - V(t + tau)   (< 0),

    whose small-pulse limit is dV ~ -tau [f(V + delta) - f(V)], f = I/C_T (docs/science.md
    section 4).  The same pulse moves the element less and less as it ages (roughly 1/t).  Pulse
    amplitude and width are [open] (the paper's are not known); the defaults are illustrative.

    Parameters
    ----------
    t : float or array_like
        Device age at the start of the pulse [s], in [0, 1e10].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.
    delta : float or array_like
        Pulse amplitude [V], in [0, 10].  Illustrative default 0.3 V.
    duration : float or array_like
        Pulse width [s], in [0, 1e6].  Illustrative default 0.1 s.  Arguments broadcast.

    Returns
    -------
    float or numpy.ndarray
        Voltage change [V], <= 0 (the pulse removes extra electrons from the floating gate); a pulse
        that would drive the oxide voltage below 1 mV leaves it at 1 mV (see :func:`pulse_step`).

    Examples
    --------
    The illustrative pulse (0.3 V, 0.1 s) at age 100 s, in mV, and the log-log slope of its effect
    against age from 1e2 to 1e5 s:

    >>> round(pulse_update(100.0) * 1e3, 3)
    -0.611
    >>> import numpy as np
    >>> ages = np.geomspace(1e2, 1e5, 13)
    >>> round(float(np.polyfit(np.log(ages), np.log(-pulse_update(ages)), 1)[0]), 3)
    -0.955
    """
    device = device or FNDAMDevice()
    delta = check_range("delta", delta, 0.0, DELTA_MAX, "V")
    duration = check_range("duration", duration, 0.0, DURATION_MAX, "s")
    _, ln_k1, k2 = device.log_constants()
    v = advance(device.initial_voltage, ln_k1, k2, _time(t))
    return as_output(pulse_step(v, ln_k1, k2, delta, duration) - advance(v, ln_k1, k2, duration))


def pulse_step(voltage, ln_k1, k2, delta, duration):
    """Oxide voltage right after a pulse of ``delta`` volts lasting ``duration`` seconds (vectorised).

    u = V + delta evolves by (2) for ``duration``, then V' = u' - delta (see :func:`pulse_update`).
    A pulse strong and long enough to drain the gate (u' < delta) would reverse the oxide field, which
    equation (1) does not describe: V' is floored at ``VOLTAGE_FLOOR``.  Internal fast path shared with
    the synapse array: arguments are not validated.
    """
    return np.maximum(advance(voltage + delta, ln_k1, k2, duration) - delta, VOLTAGE_FLOOR)


def shot_noise_rms(voltage, device=None):
    """RMS spread of the oxide voltage about the closed form (2) caused by shot noise [V].

    The closed form treats the tunneling current as a fluid; in fact electrons leave the floating gate
    one at a time, at random (a Poisson process), so a real element diffuses about (2)
    (docs/science.md section 3, shot noise).

    Derivation (linear-noise approximation).  Electrons leave at the rate r(V) = I(V)/q = C_T f(V)/q,
    f(V) = -dV/dt = (k1/k2) V^2 exp(-k2/V), and each one lowers V by q/C_T.  Over dt the voltage
    therefore moves by -f dt on average and gains the variance (q/C_T)^2 r dt = (q/C_T) f dt.  Linearise
    the drift about the closed-form trajectory: a deviation delta relaxes at the rate
    lambda = -d(dV/dt)/dV = f'(V) = f (2/V + k2/V^2) (an element above the trajectory leaks faster),
    so the variance obeys

        d sigma^2/dt = -2 lambda sigma^2 + q f / C_T.

    Its quasi-stationary solution, sigma^2 = q f / (2 C_T lambda) = q V^2 / (2 C_T (k2 + 2V)), gives to
    leading order in V/k2 (~3 %)

        sigma_V = V sqrt(q / (2 k2 C_T)),

    independent of age and of k1.  The equation can also be solved exactly: in z = exp(k2/V), the linear
    clock of (2), the drift is the constant k1 and the variance of z grows by
    (q/(C_T k2)) z (ln z)^2 dz; integrating from the programmed state (V0, no spread) and mapping back
    with dV/dz = -V^2/(k2 z) gives, with L = k2/V, L0 = k2/V0 and eps = L - L0,

        sigma_V^2 = q V^4 / (2 C_T k2^3) [eps (L + L0 - 1) + (1 - exp(-2 eps)) (L0^2 - L0 + 1/2)],

    which is what this function returns.  Beyond ~0.1 V below V0 the start term has decayed
    (exp(-2 eps) < 1e-3) and it is the stationary value V sqrt(q/(2 k2 C_T)) sqrt(1 - V/k2 + V^2/(2 k2^2)),
    1.4 % below the leading form at 8.6 V.  A differential pair of independent elements has sqrt(2) more.
    tests/test_fndam.py checks it against a Monte Carlo of discrete electrons.  Valid while many
    electrons leave in one relaxation time 1/lambda (~ the age): r/lambda ~ C_T V^2 / (q k2), 7e4 for
    100 fF at 6 V (740 for 1 fF), at any age.

    Parameters
    ----------
    voltage : float or array_like
        Oxide voltage on the closed-form trajectory [V], in (0, V0].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        RMS voltage noise of one element [V]; 0 at V0.

    Examples
    --------
    The illustrative 100 fF element at 8.6 V and 7.2 V (ages ~1.5 min and ~1 day), in mV; sigma falls as
    1/sqrt(C_T):

    >>> round(shot_noise_rms(8.6) * 1e3, 2), round(shot_noise_rms(7.2) * 1e3, 2)
    (0.44, 0.37)
    >>> round(shot_noise_rms(8.6, FNDAMDevice(capacitance=10e-12)) * 1e6, 1)  # 10 pF [uV]
    43.5
    """
    device = device or FNDAMDevice()
    v0 = device.initial_voltage
    v = check_range("voltage", voltage, 0.0, v0, "V", low_inclusive=False)
    _, _, k2 = device.log_constants()
    return as_output(np.sqrt(shot_variance(v0, v, k2, device.capacitance)))


def shot_variance(v_start, v_end, k2, capacitance):
    """Variance [V^2] that shot noise adds while an element tunnels freely from ``v_start`` to ``v_end``.

    The exact solution of the linear-noise variance equation of :func:`shot_noise_rms`, from no spread
    at ``v_start`` to the variance at ``v_end`` (a deviation present at ``v_start`` is carried by the
    propagator :func:`advance`, not here):

        q v_end^4 / (2 C_T k2^3) [eps (L + L_s - 1) - expm1(-2 eps) (L_s^2 - L_s + 1/2)],

    L = k2/v_end, L_s = k2/v_start, eps = L - L_s >= 0; both terms are >= 0, so short steps lose no
    digits.  For a short step it equals (q/C_T) (v_start - v_end), the Poisson variance of the electrons
    that left; for a long one it is smaller (the restoring pull acts within the step).  Internal fast
    path (vectorised, arguments not validated).
    """
    l_end = k2 / v_end
    l_start = k2 / v_start
    eps = np.maximum(l_end - l_start, 0.0)
    bracket = eps * (l_end + l_start - 1.0) - np.expm1(-2.0 * eps) * (l_start * (l_start - 1.0) + 0.5)
    return c.Q * v_end**4 / (2.0 * capacitance * k2**3) * bracket
