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

Two honest limits (docs/science.md sections 3 and 4): shot noise, the electrons leave one at a time, so
each element diffuses about the closed form (:func:`physics.fndam.shot_noise_rms`); the array draws it
at every step and it sets a floor under the resolution (:func:`effective_bits`,
:func:`capacitance_for_bits`).  And pulses run on a clock: a width is a whole number of
``pulse_resolution`` ticks, at least ``pulse_min_width``; the array counts the updates it drops or clips.
"""

import math
from dataclasses import dataclass

import numpy as np

from physics import constants as c
from physics.fndam import (
    DELTA_MAX,
    DURATION_MAX,
    PULSE_AMPLITUDE,
    PULSE_WIDTH,
    TIME_MAX,
    VOLTAGE_FLOOR,
    FNDAMDevice,
    advance,
    oxide_voltage,
    pulse_update,
    shot_noise_rms,
    shot_variance,
)
from physics.validation import as_output, check_choice, check_positive, check_range

#: Allowed ADC resolutions [bits]; 0 means no quantisation.
ADC_BITS = tuple(range(25))
#: Pulse width used to measure the small-pulse update rate f(V + delta) - f(V) at the start age [s].
_CALIBRATION_WIDTH = 1e-3
#: Resolution criterion: a step is resolved when it is at least sqrt(12) rms noise, the step whose
#: uniform quantisation error has the rms of the noise (the ENOB convention).  Used for the readout and
#: the shot noise alike.  A looser criterion, one step = one sigma, gives log2(sqrt(12)) = 1.79 bits more.
STEP_PER_SIGMA = math.sqrt(12.0)


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
        Its span 2 adc_range is also the span of :func:`effective_bits`.
    shot_noise : bool
        Whether the array draws the shot noise of the tunneling electrons and :func:`effective_bits`
        counts it (docs/science.md section 3). Default True (physics, not an assumption); False gives
        the fluid closed form, for comparison.
    pulse_min_width : float
        Shortest pulse the programming clock makes [s], in [0, 1e6]. Illustrative default 1 us [open]:
        requests below half of it are dropped, those between half of it and it get it.
    pulse_resolution : float
        Tick of the programming clock [s], in [0, 1e6]; 0 means continuous widths. Illustrative default
        1 us [open].
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
    shot_noise: bool = True
    pulse_min_width: float = 1e-6
    pulse_resolution: float = 1e-6

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
        check_choice("shot_noise", self.shot_noise, (True, False))
        check_range("pulse_min_width", self.pulse_min_width, 0.0, DURATION_MAX, "s")
        check_range("pulse_resolution", self.pulse_resolution, 0.0, DURATION_MAX, "s")

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


def readout_sigma(params, age=None, device=None):
    """RMS error of one weight readout [V]: readout noise, ADC quantisation and, given an age, the shot
    noise the pair has gathered, sqrt(s_r^2 + LSB^2/12 + 2 sigma_V^2).

    sigma_V = :func:`physics.fndam.shot_noise_rms` at the nominal element's V(age) (docs/science.md
    section 3), sqrt(2) for the two independent elements of the pair; it is left out without ``age`` or
    when ``params.shot_noise`` is False.  The kT/C noise of the floating gate is not added: an isolated
    gate is never reset, so kT/C is not resampled at each read (it is a physical anchor in
    :mod:`physics.energy`).

    Parameters
    ----------
    params : SynapseParameters
    age : float or array_like, optional
        Device age [s], in [0, 1e10].
    device : FNDAMDevice, optional
        The element; the illustrative device by default.

    Returns
    -------
    float or numpy.ndarray
        RMS error [V], shape of ``age`` (a float without it).

    Examples
    --------
    100 uV noise and a 12-bit ADC over +-0.5 V, then with the shot noise of a 100 fF pair at 100 s [uV]:

    >>> round(readout_sigma(SynapseParameters()) * 1e6, 1)
    122.3
    >>> round(readout_sigma(SynapseParameters(), age=100.0) * 1e6, 1)
    626.3
    """
    chain = params.readout_noise**2 + params.adc_step**2 / 12.0
    if age is None:
        return float(np.sqrt(chain))
    age = check_range("age", age, 0.0, TIME_MAX, "s")
    return as_output(np.sqrt(chain + _pair_shot_variance(age, params, device or FNDAMDevice())))


def _pair_shot_variance(age, params, device):
    """2 sigma_V^2 of the nominal element at V(age) [V^2] (0 with ``shot_noise`` off)."""
    v = np.asarray(oxide_voltage(age, device))
    if not params.shot_noise:
        return np.zeros_like(v)
    return 2.0 * np.asarray(shot_noise_rms(np.minimum(v, device.initial_voltage), device)) ** 2


def effective_bits(t, params=None, device=None):
    """Programming resolution against age: bits = log2(2 adc_range / step(t)).

    step(t) is the larger of the update moved by the reference pulse at age ``t``
    (:func:`physics.fndam.pulse_update`, shrinking ~1/t) and the smallest step the noise lets one
    resolve, ``STEP_PER_SIGMA`` = sqrt(12) times :func:`readout_sigma` at that age (the step whose
    quantisation noise equals the noise), which includes the shot noise of the pair.  Resolution
    therefore grows by ~3 bits per decade of age (log2(10) = 3.3 for an exact 1/t) until a floor: the
    readout's, or, with an exact readout (``readout_noise=0, adc_bits=0``), the shot noise's, which then
    only creeps up as V falls (sigma_V ~ V, ~0.1 bit per decade).  The preprint abstract reports up to
    14 bits (docs/science.md section 1); :func:`capacitance_for_bits` gives the C_T that would need.

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
        Effective number of bits [-]; ``inf`` where neither the pulse nor the noise moves the element
        (e.g. V0 far below the FN regime).

    Examples
    --------
    With the illustrative defaults (100 fF, 100 uV readout, 12-bit ADC) shot noise sets the floor from
    ~20 s; an exact readout gains little (the floor creeps up ~0.08 bit per decade as V falls), and
    10 pF (same junction) gains ~3.3 bits once its smaller pulse steps reach the floor:

    >>> effective_bits([1.0, 10.0, 100.0, 1000.0]).round(2).tolist()
    [5.12, 7.58, 8.85, 8.93]
    >>> exact = SynapseParameters(readout_noise=0.0, adc_bits=0)
    >>> effective_bits([1e2, 1e4, 1e6], exact).round(2).tolist()
    [8.88, 9.05, 9.21]
    >>> effective_bits([1e2, 1e4, 1e6], exact, FNDAMDevice(capacitance=10e-12)).round(2).tolist()
    [11.61, 12.2, 12.37]
    """
    params = params or SynapseParameters()
    device = device or FNDAMDevice()
    step = np.abs(pulse_update(t, device, params.pulse_amplitude, params.reference_pulse_width))
    floor = STEP_PER_SIGMA * readout_sigma(params, t, device)
    with np.errstate(divide="ignore"):  # an element that no longer moves has no step and no noise: inf
        return as_output(np.log2(2.0 * params.adc_range / np.maximum(step, floor)))


def capacitance_for_bits(bits, span=1.0, voltage=8.0, device=None, step_per_sigma=STEP_PER_SIGMA):
    """Floating-gate capacitance C_T [F] at which a pair's shot noise allows ``bits`` over ``span``.

    Criterion: one step, span / 2^bits, equals ``step_per_sigma`` times the rms shot noise of the
    differential pair, sqrt(2) sigma_V (:func:`physics.fndam.shot_noise_rms`); by default sqrt(12), the
    criterion of :func:`effective_bits`, so this is where its exact-readout floor reaches ``bits``.
    sigma_V^2 is proportional to 1/C_T (k2 = B d does not involve C_T), so

        C_T = (step_per_sigma sqrt(2) sigma_V(voltage) / step)^2 x C_T(device)
            ~ step_per_sigma^2 q V^2 / (k2 step^2)    (docs/science.md section 3).

    Readout noise and ADC are not included: they only add to the requirement.

    Parameters
    ----------
    bits : float or array_like
        Resolution [bits], in (0, 32].
    span : float
        Differential voltage span [V], in (0, 20]. Default 1 V (the +-0.5 V of the default ADC).
    voltage : float
        Oxide voltage of the two elements [V], in (0, V0]. Default 8 V (the illustrative element at
        ~20 minutes).
    device : FNDAMDevice, optional
        The element (its oxide sets k2, its V0 the start term); its capacitance drops out.
    step_per_sigma : float
        Steps per rms noise, in (0, 100]. Default sqrt(12); 1 is the loosest sensible criterion.

    Returns
    -------
    float or numpy.ndarray
        Capacitance [F].

    Examples
    --------
    14 bits over 1 V (a 61 uV step) at 8 V: ~106 pF with the sqrt(12) criterion, ~9 pF with one step
    per sigma [pF]:

    >>> round(capacitance_for_bits(14) * 1e12), round(capacitance_for_bits(14, step_per_sigma=1.0) * 1e12, 1)
    (106, 8.8)
    """
    device = device or FNDAMDevice()
    bits = check_range("bits", bits, 0.0, 32.0, "bits", low_inclusive=False)
    span = float(check_positive("span", span, "V", 20.0))
    step_per_sigma = float(check_positive("step_per_sigma", step_per_sigma, "", 100.0))
    sigma = shot_noise_rms(voltage, device)  # validates voltage
    step = span / 2.0**bits
    return as_output((step_per_sigma * math.sqrt(2.0) * sigma / step) ** 2 * device.capacitance)


def pair_retention_time(loss_fraction, age, device=None, voltage_difference=0.1):
    """Time a pair's weight takes to lose ``loss_fraction`` of itself, from ``age`` [s].

    The pair is two matched elements programmed at t = 0 to V0 and V0 - ``voltage_difference``; its
    weight is the difference w(t) = V_plus(t) - V_minus(t), which decays ~1/t (:func:`differential_voltage`,
    docs/science.md section 4).  With z = exp(k2/V) the linear clock, z_minus - z_plus = D is constant, so

        w(t) = k2 log1p(D / z_plus) / (ln z_plus ln z_minus),   z_plus = k1 t + exp(k2/V0),

    evaluated in logs (w is a tiny difference of two large voltages late in life); the time to reach
    (1 - loss_fraction) w(age) is found by bisection in ln(time).  Late in life it tends to
    loss_fraction / (1 - loss_fraction) x age / (1 + 2V/k2) (~0.106 x age for 10 %): the weight's
    retention grows with age like the single element's (:func:`physics.fndam.retention_time`), but the
    criterion is relative.

    Parameters
    ----------
    loss_fraction : float
        Fraction of the weight to lose, in (0, 1).
    age : float or array_like
        Age when the clock starts [s], in [0, 1e10].
    device : FNDAMDevice, optional
        The plus element (its V0 is the higher voltage); the illustrative device by default.
    voltage_difference : float
        Initial voltage difference of the pair [V], in (0, V0).

    Returns
    -------
    float or numpy.ndarray
        Retention time [s], shape of ``age``; ``inf`` beyond 1e20 s.

    Examples
    --------
    A 10 % loss of the default pair (10 V and 9.9 V) at 100 s and 1e4 s:

    >>> [round(float(r), 2) for r in pair_retention_time(0.1, [1e2, 1e4])]
    [10.57, 1055.69]
    """
    device = device or FNDAMDevice()
    fraction = float(check_range("loss_fraction", loss_fraction, 0.0, 1.0, low_inclusive=False,
                                 high_inclusive=False))
    age = check_range("age", age, 0.0, TIME_MAX, "s")
    v0 = device.initial_voltage
    dv = float(check_range("voltage_difference", voltage_difference, 0.0, v0, "V", low_inclusive=False,
                           high_inclusive=False))
    _, ln_k1, k2 = device.log_constants()
    l_plus, l_minus = k2 / v0, k2 / (v0 - dv)
    ln_d = l_minus + np.log(-np.expm1(l_plus - l_minus))  # ln(z_minus - z_plus), constant

    def weight(t):
        with np.errstate(divide="ignore"):
            ln_z = np.logaddexp(ln_k1 + np.log(t), l_plus)
        gap = np.log1p(np.exp(ln_d - ln_z))  # ln z_minus - ln z_plus
        return k2 * gap / (ln_z * (ln_z + gap))

    target = (1.0 - fraction) * weight(age)
    lo = np.full(age.shape, np.log(1e-12))
    hi = np.full(age.shape, np.log(1e20))
    never = weight(age + np.exp(hi)) > target
    for _ in range(80):  # (ln 1e32) / 2^80: exact to the last digit
        mid = 0.5 * (lo + hi)
        kept = weight(age + np.exp(mid)) > target
        lo, hi = np.where(kept, mid, lo), np.where(kept, hi, mid)
    return as_output(np.where(never, np.inf, np.exp(hi)))


class SynapseArray:
    """N differential FN-DAM synapses updated together (all arrays have a leading axis of 2: plus, minus).

    With ``params.shot_noise`` each element carries the shot noise of the electrons that left it: at
    construction a deviation from the closed form drawn with the spread it has gathered since t = 0
    (:func:`physics.fndam.shot_noise_rms`), and at every :meth:`update` the noise of the electrons that
    left during the step (:meth:`update`).  Its own random stream (seeded from ``seed``), so switching
    it off leaves the readout noise unchanged.

    Parameters
    ----------
    n : int
        Number of synapses, in [1, 1e8].
    device : FNDAMDevice, optional
        Nominal element; the illustrative device by default.
    params : SynapseParameters, optional
        Readout, programming and mismatch parameters; illustrative defaults.
    seed : int
        Seed of the random generators for mismatch, shot noise and readout noise.

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
    clipped : int
        Pulses cut to the step because their width would have outlasted it, since construction.
    dropped : int
        Nonzero requests not applied because their width was below half the clock's minimum width (or
        rounded to no tick), since construction.
    """

    def __init__(self, n, device=None, params=None, seed=0):
        self.n = int(check_range("n", n, 1, 1e8))
        self.device = device or FNDAMDevice()
        self.params = params or SynapseParameters()
        self._rng = np.random.default_rng(seed)
        self._shot_rng = np.random.default_rng([seed, 1])
        _, ln_k1, k2 = self.device.log_constants()
        p = self.params
        # Mismatch: k1 lognormal (it is a product of area, A, B, 1/C), k2 normal (thickness), both per
        # element; clipped at 5 sigma so no element leaves the physical range.
        self.ln_k1 = ln_k1 + p.k1_spread * np.clip(self._rng.standard_normal((2, self.n)), -5, 5)
        self.k2 = k2 * (1.0 + p.k2_spread * np.clip(self._rng.standard_normal((2, self.n)), -5, 5))
        self.age = p.start_age
        self.voltage = advance(self.device.initial_voltage, self.ln_k1, self.k2, self.age)
        if p.shot_noise:
            # The spread gathered since programming at t = 0 (linear-noise, Gaussian: ~1e6 electrons).
            spread = np.sqrt(shot_variance(self.device.initial_voltage, self.voltage, self.k2,
                                           self.device.capacitance))
            self.voltage = self.voltage + spread * self._shot_rng.standard_normal((2, self.n))
        self.offset = self.voltage[0] - self.voltage[1]
        self.energy = 0.0
        self.pulses = 0
        self.clipped = 0
        self.dropped = 0
        # Pulse width per unit weight, calibrated on the nominal device at the start age [s]; inf for an
        # element the pulse does not move (V0 far below the FN regime): every request is then clipped.
        rate = -pulse_update(p.start_age, self.device, p.pulse_amplitude, _CALIBRATION_WIDTH)
        self.seconds_per_weight = p.weight_scale * _CALIBRATION_WIDTH / rate if rate > 0 else np.inf

    def differential(self):
        """Differential voltage V_plus - V_minus - V_offset of each synapse [V], shape (n,): the stored
        state, shot noise included, without readout noise."""
        return self.voltage[0] - self.voltage[1] - self.offset

    def read(self):
        """Weights as the readout sees them: differential (its shot noise included) + readout noise,
        then ADC, / weight_scale.  :func:`readout_sigma` with an age gives the rms error of this read.

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

    def pulse_widths(self, dw, dt):
        """Widths [s] of the pulses that requests ``dw`` get on the clock, and the (clipped, dropped)
        masks, shape (n,) each.

        The ideal width |dw| x ``seconds_per_weight`` is rounded to the nearest tick of
        ``pulse_resolution`` (continuous for 0) and raised to ``pulse_min_width``; a width below half the
        minimum, or rounding to no tick, is dropped; a width longer than the step ``dt`` is cut to ``dt``
        (a pulse cannot outlast its step), which may leave it off the tick grid.  An element the pulse
        does not move (``seconds_per_weight`` inf) gets step-long pulses, all counted clipped.
        """
        p = self.params
        with np.errstate(invalid="ignore"):  # 0 x inf for no request to an element that cannot move
            ideal = np.where(dw != 0, np.abs(dw) * self.seconds_per_weight, 0.0)
        width = ideal
        if p.pulse_resolution:
            width = np.round(ideal / p.pulse_resolution) * p.pulse_resolution
        width = np.maximum(width, p.pulse_min_width)
        dropped = (dw != 0) & ((ideal < 0.5 * p.pulse_min_width) | (width == 0.0))
        width = np.where(dropped | (dw == 0), 0.0, width)
        clipped = width > dt
        return np.minimum(width, dt), clipped, dropped

    def update(self, dw, dt):
        """Apply requested signed weight changes as pulses on the clock, and let every element age by ``dt``.

        A positive request pulses the minus element, a negative one the plus element, with amplitude
        ``pulse_amplitude`` and the width of :meth:`pulse_widths` (on the clock, at most ``dt``; the
        updates clipped and dropped are added to ``clipped`` and ``dropped``).  The pulsed element
        follows :func:`physics.fndam.pulse_step` then free tunneling for the rest of the step; the other
        follows free tunneling.  Energy: the extra charge C_T |dV| moved by each pulse crosses the
        tunneling voltage, E = C_T |dV| V_tun (docs/science.md section 4), on the mean trajectory.

        Shot noise (``params.shot_noise``), for the pulse and the free part of the step alike: N = C_T
        (V_start - V_end) / q electrons are expected to leave (V_end from the element's own, noisy,
        V_start: the deviation is carried, and relaxes, exactly); a Poisson count of mean N replaces
        them, V_end - (q/C_T) (count - N).  That is the right statistics for a step short against the
        age; within a step longer than ~1 % of the age the restoring pull already acts, and the deviation
        is scaled to the exact linear-noise variance of :func:`physics.fndam.shot_variance` (smaller; N
        is then large and the count Gaussian).  Cost: two Poisson draws per element and step (1e5
        synapses x 100 steps: ~2.8 s against ~1.3 s without shot noise on the test machine).

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
        width, clipped, dropped = self.pulse_widths(dw, dt)
        widths = np.stack([np.where(dw < 0, width, 0.0), np.where(dw > 0, width, 0.0)])
        deltas = np.where(widths > 0, self.params.pulse_amplitude, 0.0)
        # Mean (noise-free) step, for the energy: the pulse's extra charge against free tunneling.  During
        # the pulse u = V + delta tunnels (fndam.pulse_step, written out to share u_end with the noise).
        u = self.voltage + deltas
        u_end = advance(u, self.ln_k1, self.k2, widths)
        mean_new = advance(np.maximum(u_end - deltas, VOLTAGE_FLOOR), self.ln_k1, self.k2, dt - widths)
        free = advance(self.voltage, self.ln_k1, self.k2, dt)
        charge_volts = self.device.capacitance * self.device.tunneling_voltage
        step_energy = charge_volts * np.sum(np.abs(mean_new - free))
        if self.params.shot_noise:
            # The pulse's electrons (none where no pulse), then the rest of the step's from the noisy state.
            after = np.maximum(self._shot(u, u_end, self.k2) - deltas, VOLTAGE_FLOOR)
            new = self._shot(after, advance(after, self.ln_k1, self.k2, dt - widths), self.k2)
        else:
            new = mean_new
        self.voltage = new
        self.age += dt
        self.energy += float(step_energy)
        self.pulses += int(np.count_nonzero(widths))
        self.clipped += int(np.count_nonzero(clipped))
        self.dropped += int(np.count_nonzero(dropped))
        return float(step_energy)

    def _shot(self, v_start, v_end, k2):
        """``v_end`` with the shot noise of the electrons that left since ``v_start`` (see :meth:`update`)."""
        jump = c.Q / self.device.capacitance  # [V] per electron
        moved = np.maximum(v_start - v_end, 0.0)
        expected = moved / jump
        deviation = (self._shot_rng.poisson(expected) - expected) * jump
        # Exact / Poisson variance: ~1 - eps for a step short against the age, eps = k2/v_end - k2/v_start
        # (~dt/age).  Skipped below eps = 1e-2 (most steps of a run): there the Poisson count alone leaves
        # the stationary rms at most ~eps/2 = 0.5 % high (the noise of a step enters undamped).
        eps = k2 / v_end - k2 / v_start
        long = eps > 1e-2
        if np.any(long):
            ratio = shot_variance(v_start[long], v_end[long], k2[long], self.device.capacitance) / (
                jump * moved[long])
            deviation[long] *= np.sqrt(np.minimum(ratio, 1.0))
        return np.maximum(v_end - deviation, VOLTAGE_FLOOR)
