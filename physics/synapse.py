"""Differential FN-DAM synapses: one pair, and a vectorised array of N pairs (docs/science.md section 4).

Weight definition (an open choice, the paper's normalisation is [open]):

    w = (V_plus - V_minus - V_offset) / weight_scale

the differential oxide voltage of the pair, read against a per-synapse zero point ``V_offset``
recorded once when learning starts (auto-zero).  Why the differential voltage: it is what a
differential readout of the two floating gates measures, and the common-mode decay of the two
elements, ~0.5 V per decade of age early on, cancels in it (docs/science.md section 4;
US 2025/0371330).  What is left decays slowly: with z = exp(k2/V) a linear clock (dz/dt = k1), a
matched pair keeps z_minus - z_plus constant, so V_plus - V_minus ~ (V^2/k2) (z_minus - z_plus) /
(k1 t) falls as ~1/t, a weight decay that weakens with age.

Updates: the learner asks for signed weight changes; a pulse can only lower an element's voltage, so
a positive change pulses the *minus* element and a negative change the *plus* element.  The pulse has
a fixed amplitude and a width proportional to the requested change, calibrated so that at the start
age the request is delivered; later the physics moves the element less (~1/age), which is the
learning-rate schedule built into the device.
"""

from dataclasses import dataclass

import numpy as np

from physics.fndam import (
    DELTA_MAX,
    DURATION_MAX,
    PULSE_AMPLITUDE,
    PULSE_WIDTH,
    TIME_MAX,
    FNDAMDevice,
    advance,
    oxide_voltage,
    pulse_step,
    pulse_update,
)
from physics.validation import as_output, check_choice, check_positive, check_range

#: Allowed ADC resolutions [bits]; 0 means no quantisation.
ADC_BITS = tuple(range(25))
#: Pulse width used to measure the small-pulse update rate f(V + delta) - f(V) at the start age [s].
_CALIBRATION_WIDTH = 1e-3


@dataclass(frozen=True)
class SynapseParameters:
    """Readout, programming and mismatch parameters of a synapse array.  Every default is [open]
    (illustrative, not from the paper).

    Attributes
    ----------
    weight_scale : float
        Differential voltage per unit weight [V], in (0, 1]. Default 10 mV.
    pulse_amplitude : float
        Programming pulse amplitude delta [V], in (0, 10]. Default 0.3 V.
    reference_pulse_width : float
        Width of the reference pulse used for the programming resolution [s], in (0, 1e6].
        Default 0.1 s (the illustrative pulse of :mod:`physics.fndam`).
    start_age : float
        Device age when learning starts (and the array is calibrated) [s], in (0, 1e10]. Default 100 s.
    k1_spread : float
        Relative standard deviation of k1 between elements (area, capacitance) [-], in [0, 0.5].
        Default 0.02.
    k2_spread : float
        Relative standard deviation of k2 = B d between elements (oxide thickness) [-], in [0, 0.1].
        Default 0.001.
    readout_noise : float
        RMS noise of one differential readout [V], in [0, 0.1]. Default 100 uV.
    adc_bits : int
        Resolution of the readout ADC [bits], in [0, 24]; 0 means no quantisation. Default 12.
    adc_range : float
        The ADC reads differential voltages in [-adc_range, adc_range] [V], in (0, 10]. Default 0.5 V.
    """

    weight_scale: float = 0.01
    pulse_amplitude: float = PULSE_AMPLITUDE
    reference_pulse_width: float = PULSE_WIDTH
    start_age: float = 100.0
    k1_spread: float = 0.02
    k2_spread: float = 0.001
    readout_noise: float = 1e-4
    adc_bits: int = 12
    adc_range: float = 0.5

    def __post_init__(self):
        check_positive("weight_scale", self.weight_scale, "V", 1.0)
        check_positive("pulse_amplitude", self.pulse_amplitude, "V", DELTA_MAX)
        check_positive("reference_pulse_width", self.reference_pulse_width, "s", DURATION_MAX)
        check_positive("start_age", self.start_age, "s", TIME_MAX)
        check_range("k1_spread", self.k1_spread, 0.0, 0.5)
        check_range("k2_spread", self.k2_spread, 0.0, 0.1)
        check_range("readout_noise", self.readout_noise, 0.0, 0.1, "V")
        check_choice("adc_bits", self.adc_bits, ADC_BITS)
        check_positive("adc_range", self.adc_range, "V", 10.0)

    @property
    def adc_step(self):
        """ADC least significant bit [V] (0 without ADC): 2 adc_range / 2^bits."""
        return 2.0 * self.adc_range / 2.0**self.adc_bits if self.adc_bits else 0.0


def differential_voltage(t, device_plus=None, device_minus=None):
    """Free decay of one pair's differential voltage V_plus(t) - V_minus(t) [V] (no updates).

    Both elements follow V(t) = k2 / ln(k1 t + k0) (:func:`physics.fndam.oxide_voltage`); with matched
    k1, k2 the difference decays ~1/t while each element loses ~ln(10) V^2/k2 per decade (0.52 V from
    100 s to 1000 s for the illustrative device, docs/science.md section 3).

    Parameters
    ----------
    t : float or array_like
        Age [s], in [0, 1e10].
    device_plus, device_minus : FNDAMDevice, optional
        The two elements (they differ e.g. in ``initial_voltage``).  Defaults: the illustrative device
        with V0 = 10 V for plus and 9.9 V for minus.

    Returns
    -------
    float or numpy.ndarray
        V_plus - V_minus [V].

    Examples
    --------
    The 100 mV the default pair starts with, at 100 s and at 1000 s (in mV): ten times older, about
    eleven times smaller (log-log slope -1 - 2V/k2 ~ -1.04):

    >>> [round(float(v) * 1e3, 4) for v in differential_voltage([0.0, 1e2, 1e3])]
    [100.0, 0.5742, 0.051]
    """
    device_plus = device_plus or FNDAMDevice()
    device_minus = device_minus or FNDAMDevice(initial_voltage=9.9)
    return as_output(np.subtract(oxide_voltage(t, device_plus), oxide_voltage(t, device_minus)))


def readout_sigma(params):
    """RMS error of one weight readout [V]: readout noise and ADC quantisation, sqrt(s_r^2 + LSB^2/12).

    The kT/C noise of the floating gate is not added: an isolated gate is never reset, so kT/C is not
    resampled at each read (it is a physical anchor in :mod:`physics.energy`).  The shot noise of the
    tunneling electrons is not modelled either (docs/science.md section 7).

    >>> round(readout_sigma(SynapseParameters()) * 1e6, 1)  # 100 uV noise, 12-bit ADC over +-0.5 V [uV]
    122.3
    """
    return float(np.sqrt(params.readout_noise**2 + params.adc_step**2 / 12.0))


def effective_bits(t, params=None, device=None):
    """Programming resolution against age: bits = log2(2 adc_range / step(t)).

    step(t) is the larger of the update moved by the reference pulse at age ``t``
    (:func:`physics.fndam.pulse_update`, shrinking ~1/t) and the smallest step the readout resolves,
    sqrt(12) x :func:`readout_sigma` (the step whose quantisation noise equals the readout noise).
    Resolution therefore grows by ~3 bits per decade of age (log2(10) = 3.3 for an exact 1/t) until the
    readout floor; the preprint abstract reports up to 14 bits (docs/science.md section 1).

    Parameters
    ----------
    t : float or array_like
        Device age [s], in [0, 1e10].
    params : SynapseParameters, optional
        Pulse, noise and ADC parameters; illustrative defaults.
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        Effective number of bits [-].

    Examples
    --------
    With the illustrative defaults the readout floor (11.2 bits) is reached before 1000 s:

    >>> effective_bits([1.0, 10.0, 100.0, 1000.0]).round(2).tolist()
    [5.12, 7.58, 10.68, 11.2]
    """
    params = params or SynapseParameters()
    device = device or FNDAMDevice()
    step = np.abs(pulse_update(t, device, params.pulse_amplitude, params.reference_pulse_width))
    floor = np.sqrt(12.0) * readout_sigma(params)
    return as_output(np.log2(2.0 * params.adc_range / np.maximum(step, floor)))


class SynapseArray:
    """N differential FN-DAM synapses updated together (all arrays have a leading axis of 2: plus, minus).

    Parameters
    ----------
    n : int
        Number of synapses, in [1, 1e8].
    device : FNDAMDevice, optional
        Nominal element; the illustrative device by default.
    params : SynapseParameters, optional
        Readout, programming and mismatch parameters; illustrative defaults.
    seed : int
        Seed of the random generator for mismatch and readout noise.

    Attributes
    ----------
    age : float
        Current device age [s].
    voltage : numpy.ndarray
        Oxide voltages, shape (2, n) [V].
    energy : float
        Energy spent on updates so far [J].
    pulses : int
        Number of programming pulses applied so far.
    """

    def __init__(self, n, device=None, params=None, seed=0):
        self.n = int(check_range("n", n, 1, 1e8))
        self.device = device or FNDAMDevice()
        self.params = params or SynapseParameters()
        self._rng = np.random.default_rng(seed)
        _, ln_k1, k2 = self.device.log_constants()
        p = self.params
        # Mismatch: k1 lognormal (it is a product of area, A, B, 1/C), k2 normal (thickness), both per
        # element; clipped at 5 sigma so no element leaves the physical range.
        self.ln_k1 = ln_k1 + p.k1_spread * np.clip(self._rng.standard_normal((2, self.n)), -5, 5)
        self.k2 = k2 * (1.0 + p.k2_spread * np.clip(self._rng.standard_normal((2, self.n)), -5, 5))
        self.age = p.start_age
        self.voltage = advance(self.device.initial_voltage, self.ln_k1, self.k2, self.age)
        self.offset = self.voltage[0] - self.voltage[1]
        self.energy = 0.0
        self.pulses = 0
        # Pulse width per unit weight, calibrated on the nominal device at the start age [s].
        rate = -pulse_update(p.start_age, self.device, p.pulse_amplitude, _CALIBRATION_WIDTH)
        self.seconds_per_weight = p.weight_scale * _CALIBRATION_WIDTH / rate

    def differential(self):
        """Noise-free differential voltage V_plus - V_minus - V_offset of each synapse [V], shape (n,)."""
        return self.voltage[0] - self.voltage[1] - self.offset

    def read(self):
        """Weights as the readout sees them: differential + readout noise, then ADC, / weight_scale.

        Returns
        -------
        numpy.ndarray
            Weights [-], shape (n,).
        """
        p = self.params
        v = self.differential()
        if p.readout_noise:
            v = v + p.readout_noise * self._rng.standard_normal(self.n)
        if p.adc_bits:
            lsb = p.adc_step
            v = np.clip(np.round(v / lsb) * lsb, -p.adc_range, p.adc_range)
        return v / p.weight_scale

    def update(self, dw, dt):
        """Apply requested signed weight changes as pulses, and let every element age by ``dt``.

        A positive request pulses the minus element, a negative one the plus element, with amplitude
        ``pulse_amplitude`` and width |dw| x ``seconds_per_weight`` (at most ``dt``: a pulse cannot
        outlast its step).  The pulsed element follows :func:`physics.fndam.pulse_step` then free
        tunneling for the rest of the step; the other follows free tunneling.  Energy: the extra charge
        C_T |dV| moved by each pulse crosses the tunneling voltage, E = C_T |dV| V_tun (docs/science.md
        section 4).

        Parameters
        ----------
        dw : array_like
            Requested weight changes [-], shape (n,) or scalar.
        dt : float
            Step duration [s], in (0, 1e6].

        Returns
        -------
        float
            Energy spent by this update [J].
        """
        dw = np.broadcast_to(check_range("dw", dw, -1e6, 1e6), (self.n,))
        dt = float(check_positive("dt", dt, "s", DURATION_MAX))
        width = np.minimum(np.abs(dw) * self.seconds_per_weight, dt)
        widths = np.stack([np.where(dw < 0, width, 0.0), np.where(dw > 0, width, 0.0)])
        deltas = np.where(widths > 0, self.params.pulse_amplitude, 0.0)
        after_pulse = pulse_step(self.voltage, self.ln_k1, self.k2, deltas, widths)
        new = advance(after_pulse, self.ln_k1, self.k2, dt - widths)
        free = advance(self.voltage, self.ln_k1, self.k2, dt)
        step_energy = self.device.capacitance * self.device.tunneling_voltage * np.sum(np.abs(new - free))
        self.voltage = new
        self.age += dt
        self.energy += float(step_energy)
        self.pulses += int(np.count_nonzero(widths))
        return float(step_energy)
