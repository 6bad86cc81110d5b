"""Energy of memory updates and of training at scale (docs/science.md sections 4 and 5).

* the technology table (``physics/data/technologies.csv``): one row per technology, every number with
  its source, empty where the source gives none;
* FN-DAM's energy per update from the device physics, in parts (docs/science.md section 4): the
  tunneled charge C_T |dV| V_tun, the pulse drive of the junction capacitance and the ADC readout
  (:func:`update_energy_parts`), and its mean over the ages a training run visits
  (:func:`mean_update_energy`);
* the conventional baselines an update is compared with (:data:`BASELINES`: DDR DRAM, HBM2, on-chip
  SRAM, each with its source) and :func:`baseline_update_energy`, reads counted or not;
* a training-energy model E = compute + updates + hold and the saving of a write-energy swap;
* physical anchors (Landauer, one electron, kT/C) and the preprint and press figures, each labelled.

SI units: energies in J, powers in W, times in s.
"""

import csv
import math
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import numpy as np

from physics import constants as c
from physics.fndam import PULSE_AMPLITUDE, PULSE_WIDTH, FNDAMDevice, pulse_update
from physics.materials import SIO2_EPS_STATIC
from physics.validation import as_output, check_choice, check_positive, check_range

#: Energy per FLOP [J] (docs/science.md section 5, [calc] from the sources named): 1.28, 0.71 and
#: 14.76 pJ (the last is the 14.8 pJ quoted; see :func:`training_energy`'s examples).
E_FLOP = {
    "A100 (400 W / 312 TFLOPS)": 400.0 / 312e12,
    "H100 (700 W / 989 TFLOPS)": 700.0 / 989e12,
    "GPT-3 all-in (1,287 MWh / 3.14e23 FLOP)": 1287e6 * c.HOUR / 3.14e23,
}
E_FLOP_DEFAULT = E_FLOP["A100 (400 W / 312 TFLOPS)"]  #: 1.28 pJ/FLOP

#: Off-chip DDR DRAM access energy [J/bit]: the low end of Horowitz's 1.3-2.6 nJ per 64-bit access
#: (ISSCC 2014), 20-40 pJ/bit.  The same 20 pJ/bit is the often-quoted "640 pJ per 32-bit DRAM
#: access", which is Han et al. 2015's 45 nm table, not Horowitz (docs/science.md section 5).
DRAM_ENERGY_PER_BIT = 20e-12

#: Device age at which the illustrative update is taken [s] (the start age of the synapse array).
REFERENCE_AGE = 100.0

#: Largest device age the FN-DAM pulse model accepts [s] (:func:`physics.fndam.pulse_update`).
AGE_MAX = 1e10


class Baseline(NamedTuple):
    """A conventional memory an FN-DAM update is compared with.

    ``energy_per_bit`` [J/bit] is the access energy; ``bits_per_update`` the bits one parameter update
    moves (weight and optimizer state, read and written: 8 x 32 bits with Adam in mixed precision);
    ``read_bits`` the bits of one read of the weight (a 32-bit word), charged only when reads are
    counted; ``source`` the paper the figure comes from and ``note`` what it includes.
    """

    energy_per_bit: float
    bits_per_update: int
    read_bits: int
    source: str
    note: str


#: Conventional update memories (docs/science.md section 5), name -> :class:`Baseline`.  Which one an
#: FN-DAM array would replace is the user's choice; none is the default that flatters.
BASELINES = {
    "DDR DRAM": Baseline(
        DRAM_ENERGY_PER_BIT, 256, 32,
        "Horowitz, ISSCC 2014: 1.3-2.6 nJ per 64-bit DDR access, 20-40 pJ/bit (low end taken)",
        "off-chip DRAM; the often-quoted '640 pJ per 32-bit DRAM access' (the same 20 pJ/bit) is from "
        "Han et al. 2015, not Horowitz"),
    "HBM2": Baseline(
        3.9e-12, 256, 32, "O'Connor et al., MICRO 2017: ~3.9 pJ/bit",
        "datacentre GPU memory; its traffic is already inside the GPU board power that sets e_flop, so "
        "adding it here counts it twice"),
    "on-chip SRAM": Baseline(
        0.16e-12, 256, 32, "Horowitz, ISSCC 2014: 8 kB array, ~10 pJ per 64-bit access, 45 nm",
        "on-chip SRAM array access, no off-chip traffic"),
}


def baseline_update_energy(baseline="DDR DRAM", reads=False, bits_per_update=None):
    """Energy of one conventional parameter update through a :data:`BASELINES` memory [J].

    E = bits_per_update x energy_per_bit, plus read_bits x energy_per_bit when ``reads`` is True (one
    read of the weight per update at the same per-bit access energy; the FN-DAM side then pays one ADC
    conversion, see :func:`update_energy_parts`).  Reads are charged on both sides or on neither.

    Parameters
    ----------
    baseline : str
        A key of :data:`BASELINES`: 'DDR DRAM', 'HBM2' or 'on-chip SRAM'.
    reads : bool
        Whether one read of the weight is charged per update.
    bits_per_update : float or array_like, optional
        Bits moved per update, in [1, 1e5]; the baseline's (256: 32 bytes) by default, 32 for plain SGD
        writing one 32-bit weight.

    Returns
    -------
    float or numpy.ndarray
        Energy per parameter update [J].

    Examples
    --------
    Per update [pJ], writes only and with one 32-bit read:

    >>> [round(baseline_update_energy(name) * 1e12, 2) for name in BASELINES]
    [5120.0, 998.4, 40.96]
    >>> [round(baseline_update_energy(name, reads=True) * 1e12, 2) for name in BASELINES]
    [5760.0, 1123.2, 46.08]
    """
    entry = BASELINES[check_choice("baseline", baseline, tuple(BASELINES))]
    reads = check_flag("reads", reads)
    bits = entry.bits_per_update if bits_per_update is None else check_range(
        "bits_per_update", bits_per_update, 1.0, 1e5, "bits")
    return as_output((np.asarray(bits) + (entry.read_bits if reads else 0)) * entry.energy_per_bit)


def check_flag(name, value):
    """Return ``value`` as a bool if it is one (Python or NumPy), else raise ValueError naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


#: Walden figure of merit of the readout ADC [J per conversion step]: illustrative [open], inside the
#: ~1-10 fJ per step of good SAR converters (Murmann, "ADC Performance Survey").
ADC_FOM = 5e-15
#: Readout resolution [bits], as the synapse array's ADC (``synapse.SynapseParameters.adc_bits``).
ADC_BITS = 12


def adc_read_energy(adc_bits=ADC_BITS, adc_fom=ADC_FOM):
    """Energy of one ADC conversion that reads a weight, E_R = FOM x 2^bits [J] (Walden figure of merit;
    docs/science.md section 4).

    Parameters
    ----------
    adc_bits : float or array_like
        Resolution [bits], in [1, 24].
    adc_fom : float
        Figure of merit [J per conversion step], in (0, 1e-12].

    Examples
    --------
    >>> round(adc_read_energy() * 1e12, 2)  # 12 bits at 5 fJ per step [pJ]
    20.48
    """
    bits = check_range("adc_bits", adc_bits, 1.0, 24.0, "bits")
    fom = check_positive("adc_fom", adc_fom, "J", 1e-12)
    return as_output(fom * 2.0**bits)

#: How the pulse that raises the junction by delta is driven: key -> label (docs/science.md section 4).
DRIVE_MODELS = {
    "supply": "from the tunneling supply (C_j delta V_tun)",
    "ideal": "ideal (C_j delta^2)",
}


def junction_capacitance(device=None, eps_r=SIO2_EPS_STATIC):
    """Capacitance of the tunneling junction C_j = eps_r eps0 S / d [F] (parallel plate).

    Parameters
    ----------
    device : FNDAMDevice, optional
        Sets the junction area S and oxide thickness d; the illustrative device (1 um^2, 12 nm) by default.
    eps_r : float
        Relative permittivity of the oxide, in [1, 100]; 3.9 (SiO2, static) by default.

    Examples
    --------
    >>> round(junction_capacitance() * 1e15, 2)  # [fF]: 3.9 eps0 x 1 um^2 / 12 nm
    2.88
    """
    device = device or FNDAMDevice()
    eps_r = check_range("eps_r", eps_r, 1.0, 100.0)
    return as_output(eps_r * c.EPS0 * device.junction_area / device.oxide_thickness)


class UpdateEnergy(NamedTuple):
    """Energy of one FN-DAM update by part [J]; arrays broadcast over the inputs.

    ``tunneling`` + ``drive`` is the write (:attr:`write`); ``total`` adds one ``readout`` conversion.
    """

    tunneling: np.ndarray
    drive: np.ndarray
    readout: np.ndarray
    total: np.ndarray

    @property
    def write(self):
        """Tunneling plus drive [J]: the update without its read."""
        return self.tunneling + self.drive


def update_energy_parts(device=None, delta=PULSE_AMPLITUDE, duration=PULSE_WIDTH, age=REFERENCE_AGE,
                        adc_bits=ADC_BITS, adc_fom=ADC_FOM, drive="supply"):
    """The whole energy of one FN-DAM update, by part [J] (docs/science.md section 4), vectorised.

    * tunneling: the extra charge C_T |dV| of the pulse crosses the tunneling voltage,
      E_T = C_T |dV| V_tun (:func:`fndam_update_energy`); it falls ~1/age with dV;
    * drive: raising the junction by delta charges C_j = eps_ox eps0 S / d
      (:func:`junction_capacitance`): E_D = C_j delta V_tun if the charge is drawn from the tunneling
      supply (``drive="supply"``, the default: the pulsed node sits near V_tun), or the lower bound
      E_D = C_j delta^2 (``drive="ideal"``, a supply at delta).  Coupling capacitors and wiring add
      more [open];
    * readout: one ADC conversion of the weight, E_R = FOM x 2^bits, with a Walden figure of merit
      (illustrative 5 fJ per step, inside the 1-10 fJ of good SAR converters in Murmann's ADC survey).

    ``total`` = E_T + E_D + E_R; ``write`` = E_T + E_D (the update without its read).

    Parameters
    ----------
    device : FNDAMDevice, optional
        The element; the illustrative device (1 um^2, 12 nm, 100 fF, V_tun = 10 V) by default.
    delta : float or array_like
        Pulse amplitude [V], in [0, 10].
    duration : float or array_like
        Pulse width [s], in [0, 1e6].
    age : float or array_like
        Device age at the pulse [s], in [0, 1e10].
    adc_bits : float or array_like
        Readout resolution [bits], in [1, 24].
    adc_fom : float or array_like
        Walden figure of merit [J per conversion step], in (0, 1e-12].
    drive : str
        Drive model, a key of :data:`DRIVE_MODELS`: 'supply' or 'ideal'.  Arguments broadcast.

    Returns
    -------
    UpdateEnergy
        ``tunneling``, ``drive``, ``readout``, ``total`` [J] (floats for scalar inputs).

    Examples
    --------
    The illustrative pulse (0.3 V, 0.1 s) at 100 s [fJ]: the drive from the supply (8.6 fJ) is 14x the
    tunneled charge, and a 12-bit read at 5 fJ per step (20.5 pJ) dwarfs both.

    >>> parts = update_energy_parts()
    >>> [round(x * 1e15, 3) for x in parts]
    [0.611, 8.633, 20480.0, 20489.244]
    >>> round(update_energy_parts(drive="ideal").drive * 1e15, 3)
    0.259
    >>> [f"{e:.3g}" for e in update_energy_parts(age=[1.0, 100.0, 1e5]).tunneling]
    ['2.88e-14', '6.11e-16', '8.35e-19']
    """
    device = device or FNDAMDevice()
    age = check_range("age", age, 0.0, AGE_MAX, "s")
    delta = check_range("delta", delta, 0.0, 10.0, "V")
    duration = check_range("duration", duration, 0.0, 1e6, "s")
    check_choice("drive", drive, tuple(DRIVE_MODELS))
    dv = np.abs(pulse_update(age, device, delta, duration))
    tunneling = device.capacitance * dv * device.tunneling_voltage
    c_j = junction_capacitance(device)
    drive_e = c_j * delta * (device.tunneling_voltage if drive == "supply" else delta)
    readout = adc_read_energy(adc_bits, adc_fom)
    tunneling, drive_e, readout = np.broadcast_arrays(tunneling, drive_e, readout)
    total = tunneling + drive_e + readout
    return UpdateEnergy(*(as_output(part) for part in (tunneling, drive_e, readout, total)))


#: Steps of a run summed term by term in :func:`mean_update_energy` before the rest is integrated.
EXACT_STEPS = 256
_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(96)


def mean_update_energy(device=None, delta=PULSE_AMPLITUDE, duration=PULSE_WIDTH, start_age=REFERENCE_AGE,
                       steps=1.0, step_seconds=0.1, adc_bits=ADC_BITS, adc_fom=ADC_FOM, drive="supply"):
    """Energy per update averaged over the ages a training run visits [J], by part.

    A run of S steps, one update per parameter per step, every ``step_seconds`` = dt from
    ``start_age`` = t0, pulses each parameter at the ages t_k = t0 + k dt, k = 0 ... S - 1.  Its mean
    energy per update is (1/S) sum_k E(t_k) (:func:`update_energy_parts`): the number that multiplies
    the N S updates of :func:`training_energy`.  The first 256 terms are summed exactly; the rest by
    the midpoint rule sum_{k=K}^{S-1} E(t_k) ~ integral from K - 1/2 to S - 1/2 of E(t0 + x dt) dx
    (Euler-Maclaurin; E varies slowly, ~1/t, there), taken by Gauss-Legendre quadrature in ln t.  A
    non-integer S counts its last step by its fraction.  Only the tunneling part depends on age, so the
    drive and readout means are their single-update values.

    Parameters
    ----------
    device, delta, duration, adc_bits, adc_fom, drive
        As in :func:`update_energy_parts` (scalars).
    start_age : float
        Age at the first step, t0 [s], in [0, 1e10].
    steps : float or array_like
        Steps S of the run, in [1, 1e16]; vectorised.
    step_seconds : float
        Time per step dt [s], in (0, 1e6].  The last age t0 + (S - 1) dt must stay <= 1e10 s.

    Returns
    -------
    UpdateEnergy
        Mean ``tunneling``, ``drive``, ``readout``, ``total`` [J] per update (arrays over ``steps``).

    Examples
    --------
    One step is the single update; 1e6 steps of 0.1 s from 100 s (ages up to 1e5 s) average the
    tunneled charge down from 611 aJ to ~5 aJ, far below the drive's 8.6 fJ:

    >>> round(mean_update_energy(steps=1).tunneling * 1e18)
    611
    >>> mean = mean_update_energy(steps=1e6)
    >>> round(mean.tunneling * 1e18, 1), round(mean.drive * 1e15, 2)
    (4.9, 8.63)
    """
    t0 = float(check_range("start_age", start_age, 0.0, AGE_MAX, "s"))
    dt = float(check_positive("step_seconds", step_seconds, "s", 1e6))
    s = check_range("steps", steps, 1.0, 1e16)
    last = t0 + (s - 1.0) * dt
    if np.any(last > AGE_MAX):
        raise ValueError(f"steps must be few enough that the last age start_age + (steps - 1) "
                         f"step_seconds <= {AGE_MAX:g} s; got a run ending at {np.max(last):g} s")
    first = update_energy_parts(device, delta, duration, t0, adc_bits, adc_fom, drive)
    s_flat = np.atleast_1d(s)
    k_exact = np.minimum(np.floor(s_flat), EXACT_STEPS)
    ks = np.arange(EXACT_STEPS, dtype=float)
    ages = np.minimum(t0 + ks * dt, AGE_MAX)
    e_k = update_energy_parts(device, delta, duration, ages, adc_bits, adc_fom, drive).tunneling
    cumulative = np.concatenate(([0.0], np.cumsum(e_k)))
    summed = cumulative[k_exact.astype(int)]
    # The rest: (1/dt) x integral of E over t in [t0 + (K - 1/2) dt, t0 + (S - 1/2) dt], in u = ln t.
    t_a = t0 + (k_exact - 0.5) * dt
    t_b = np.minimum(t0 + (s_flat - 0.5) * dt, AGE_MAX)
    rest = np.zeros_like(s_flat)
    tail = t_b > t_a
    if np.any(tail):
        u_a, u_b = np.log(t_a[tail]), np.log(t_b[tail])
        half = 0.5 * (u_b - u_a)
        u = 0.5 * (u_a + u_b)[:, None] + half[:, None] * _GAUSS_NODES[None, :]
        t = np.exp(u)
        e_t = update_energy_parts(device, delta, duration, t, adc_bits, adc_fom, drive).tunneling
        rest[tail] = half * np.sum(_GAUSS_WEIGHTS * e_t * t, axis=1) / dt
    tunneling = (summed + rest) / s_flat
    tunneling = tunneling.reshape(np.shape(s))
    drive_e = np.broadcast_to(first.drive, np.shape(s))
    readout = np.broadcast_to(first.readout, np.shape(s))
    total = tunneling + drive_e + readout
    return UpdateEnergy(*(as_output(part) for part in (tunneling, drive_e, readout, total)))


def largest_batch_for_saving(ratio, conventional_update, fndam_update, e_flop=E_FLOP_DEFAULT):
    """Largest batch size B at which swapping the update memory still saves ``ratio`` x [-].

    With compute 6 B e_flop per parameter update and no hold term, the saving is
    (6 B e_flop + e_conv) / (6 B e_flop + e_fn) (:func:`saving_ratio`); it reaches ``ratio`` for
    B <= (e_conv - ratio e_fn) / (6 e_flop (ratio - 1)).  Returns 0 where even B = 1 falls short (the
    saving never reaches ``ratio``).

    Parameters
    ----------
    ratio : float or array_like
        Target saving, in (1, 1e9].
    conventional_update, fndam_update : float or array_like
        Energy per parameter update of the conventional memory and of FN-DAM [J], in [0, 1e-6].
    e_flop : float or array_like
        Energy per FLOP [J], in (0, 1e-9].

    Returns
    -------
    float or numpy.ndarray
        B [samples per step]; 0 when no B >= 1 reaches the ratio.

    Examples
    --------
    The press's 100x against DRAM (5.12 nJ, writes only) with the preprint's 5 fJ: up to B ~ 6.7;
    against on-chip SRAM (41 pJ) never:

    >>> round(largest_batch_for_saving(100, 5.12e-9, 5e-15), 2)
    6.72
    >>> largest_batch_for_saving(100, baseline_update_energy("on-chip SRAM"), 5e-15)
    0.0
    """
    r = check_range("ratio", ratio, 1.0, 1e9, low_inclusive=False)
    e_conv = check_range("conventional_update", conventional_update, 0.0, 1e-6, "J")
    e_fn = check_range("fndam_update", fndam_update, 0.0, 1e-6, "J")
    e_flop = check_positive("e_flop", e_flop, "J", 1e-9)
    b = (e_conv - r * e_fn) / (6.0 * e_flop * (r - 1.0))
    return as_output(np.where(b >= 1.0, b, 0.0))


def conventional_update_energy(bits=32, words=8, energy_per_bit=DRAM_ENERGY_PER_BIT):
    """Energy of one digital parameter update that moves ``words`` words of ``bits`` bits [J].

    E = bits x words x energy_per_bit.  Defaults: the weight and its optimizer state, 8 x 32 bits =
    32 bytes through DRAM at 20 pJ/bit = 5.12 nJ (docs/science.md section 5, an assumption built on
    Horowitz 2014).  Plain SGD writing one 32-bit word: ``words=1``, 640 pJ.  For the named baselines
    (DDR DRAM, HBM2, on-chip SRAM) with reads counted or not, see :func:`baseline_update_energy`.

    Parameters
    ----------
    bits : float or array_like
        Precision of one word [bits], in [1, 1024].
    words : float or array_like
        Words moved per update, in [1, 1024].
    energy_per_bit : float or array_like
        Access energy [J/bit], in (0, 1e-9].

    Returns
    -------
    float or numpy.ndarray
        Energy per parameter update [J].

    Examples
    --------
    >>> round(conventional_update_energy() * 1e9, 2), round(conventional_update_energy(words=1) * 1e12)
    (5.12, 640)
    """
    if isinstance(bits, str):
        raise ValueError(f"bits must be a number of bits; got {bits!r} (for a named memory use "
                         f"baseline_update_energy({bits!r}))")
    bits = check_range("bits", bits, 1.0, 1024.0, "bits")
    words = check_range("words", words, 1.0, 1024.0)
    per_bit = check_positive("energy_per_bit", energy_per_bit, "J", 1e-9)
    return as_output(bits * words * per_bit)


#: The default conventional update of docs/science.md section 5: 5.12 nJ [J].
CONVENTIONAL_UPDATE_ENERGY = conventional_update_energy()


@dataclass(frozen=True)
class Anchor:
    """A labelled number: ``status`` is 'preprint abstract', 'press-reported projection' or 'calc'."""

    value: float
    unit: str
    label: str
    source: str
    status: str


#: The preprint's figures and the press figure, labelled as what they are: "5 fJ" and "14 bits" are in
#: the arXiv:2104.05926 v1 abstract, not in the published Nature Communications abstract.
PAPER_ENERGY_PER_UPDATE = Anchor(
    5e-15, "J", "FN-DAM energy per memory update, 'as low as'",
    "Mehta, Aono, Chakrabartty, arXiv:2104.05926 v1 abstract (preprint)", "preprint abstract")
PAPER_PRECISION_BITS = Anchor(
    14, "bits", "FN-DAM programming resolution, 'up to'",
    "Mehta, Aono, Chakrabartty, arXiv:2104.05926 v1 abstract (preprint)", "preprint abstract")
PRESS_TRAINING_SAVING = Anchor(
    100, "x", "reduction of ML training energy, 'a pessimistic projection ... for a small-scale system'",
    "The Register (2022); derivation not public", "press-reported projection")


class EnergySplit(NamedTuple):
    """Training energy by term [J]; arrays broadcast from the inputs."""

    compute: np.ndarray
    updates: np.ndarray
    hold: np.ndarray
    total: np.ndarray


def technology_table():
    """Rows of ``physics/data/technologies.csv`` as dicts; numeric fields as float (NaN where empty).

    Columns: technology, write_energy_J, write_energy_max_J, write_energy_basis, write_energy_source,
    hold_power_W_per_bit, hold_power_source, retention_s, retention_source, endurance_cycles,
    endurance_source, precision_bits, precision_source, includes.
    """
    text = resources.files("physics").joinpath("data/technologies.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    numeric = ("write_energy_J", "write_energy_max_J", "hold_power_W_per_bit", "retention_s",
               "endurance_cycles", "precision_bits")
    for row in rows:
        for key in numeric:
            row[key] = float(row[key]) if row[key] else math.nan
    return rows


def write_energy(technology):
    """Write energy per update (or per bit, see the table's ``write_energy_basis``) of a technology [J]."""
    rows = {row["technology"]: row for row in technology_table()}
    return rows[check_choice("technology", technology, tuple(rows))]["write_energy_J"]


def fndam_update_energy(device=None, delta=PULSE_AMPLITUDE, duration=PULSE_WIDTH, age=REFERENCE_AGE):
    """Energy of one FN-DAM update from the device physics: E = C_T |dV| V_tun [J].

    dV is the extra voltage change of the pulse (:func:`physics.fndam.pulse_update`); the charge
    C_T |dV| is drawn through the tunneling node at ``tunneling_voltage`` (docs/science.md section 4:
    100 fF x 1 mV x 10 V ~ 1 fJ).  This is the tunneled-charge part of an update's energy only; the
    pulse drive and the readout are added by :func:`update_energy_parts`.  The illustrative device with
    the illustrative pulse (0.3 V, 0.1 s) at age 100 s moves 0.611 mV and costs 0.611 fJ; the
    preprint's "as low as 5 fJ" is the anchor to compare with.

    Parameters
    ----------
    device : FNDAMDevice, optional
        The element; the illustrative device by default.
    delta : float or array_like
        Pulse amplitude [V], in [0, 10].
    duration : float or array_like
        Pulse width [s], in [0, 1e6].
    age : float or array_like
        Device age at the pulse [s], in [0, 1e10].  Arguments broadcast.

    Returns
    -------
    float or numpy.ndarray
        Energy per update [J].

    Examples
    --------
    The same pulse at 100 s [fJ], then at 1 s [fJ] and at 1e5 s [aJ]: the cost falls with age.

    >>> round(fndam_update_energy() * 1e15, 3)
    0.611
    >>> round(fndam_update_energy(age=1.0) * 1e15, 1), round(fndam_update_energy(age=1e5) * 1e18, 2)
    (28.8, 0.84)
    """
    device = device or FNDAMDevice()
    dv = np.abs(pulse_update(age, device, delta, duration))
    return as_output(device.capacitance * dv * device.tunneling_voltage)


def training_energy(n_params, samples, batch_size, *, e_flop=E_FLOP_DEFAULT,
                    update_energy=CONVENTIONAL_UPDATE_ENERGY, hold_power_per_bit=0.0, bits=32,
                    train_time=0.0):
    """Training energy E = compute + updates + hold (docs/science.md section 5), vectorised.

    compute = 6 N D e_flop;  updates = N (D / B) e_write;  hold = N bits P_hold T_train.

    Precision enters through ``bits`` (hold) and, for a digital memory, through
    ``update_energy = conventional_update_energy(bits, ...)`` or :func:`baseline_update_energy`; for
    FN-DAM pass the age-averaged ``mean_update_energy(...).write`` (``.total`` with reads counted), or
    the preprint's 5 fJ, and ``hold_power_per_bit = 0``.

    Parameters
    ----------
    n_params : float or array_like
        Parameters N, in [1, 1e15].
    samples : float or array_like
        Training samples (or tokens) D, in [1, 1e16].
    batch_size : float or array_like
        Batch size B, in [1, 1e9]; S = D/B optimizer steps, N S parameter updates.
    e_flop : float or array_like
        Energy per FLOP [J], in (0, 1e-9].  Default 1.28 pJ (A100 at peak).
    update_energy : float or array_like
        Energy per parameter update [J], in [0, 1e-6].  Default 5.12 nJ (32 bytes through DRAM).
    hold_power_per_bit : float or array_like
        Power to hold one bit [W], in [0, 1e-3].  Default 0 (hold not counted).
    bits : float or array_like
        Bits stored per parameter, in [1, 1024].
    train_time : float or array_like
        Duration of training [s], in [0, 1e9].

    Returns
    -------
    EnergySplit
        ``compute``, ``updates``, ``hold``, ``total`` [J], broadcast over the inputs.

    Examples
    --------
    The energies per FLOP of :data:`E_FLOP` [pJ], and GPT-3's compute (N = 175e9, D = 300e9 tokens) at
    its all-in figure, which gives back the 1,287 MWh it came from within the rounding of 3.14e23 FLOP:

    >>> [round(e * 1e12, 2) for e in E_FLOP.values()]
    [1.28, 0.71, 14.76]
    >>> gpt3 = E_FLOP["GPT-3 all-in (1,287 MWh / 3.14e23 FLOP)"]
    >>> round(training_energy(175e9, 300e9, 3.2e6, e_flop=gpt3).compute / (1e6 * c.HOUR))  # [MWh]
    1291
    """
    n = check_range("n_params", n_params, 1.0, 1e15)
    d = check_range("samples", samples, 1.0, 1e16)
    b = check_range("batch_size", batch_size, 1.0, 1e9)
    e_flop = check_positive("e_flop", e_flop, "J", 1e-9)
    e_write = check_range("update_energy", update_energy, 0.0, 1e-6, "J")
    p_hold = check_range("hold_power_per_bit", hold_power_per_bit, 0.0, 1e-3, "W")
    bits = check_range("bits", bits, 1.0, 1024.0)
    t_train = check_range("train_time", train_time, 0.0, 1e9, "s")
    compute = 6.0 * n * d * e_flop
    updates = n * (d / b) * e_write
    hold = n * bits * p_hold * t_train
    compute, updates, hold = np.broadcast_arrays(compute, updates, hold)
    total = compute + updates + hold
    return EnergySplit(*(as_output(part) for part in (compute, updates, hold, total)))


def saving_ratio(n_params, samples, batch_size, *, e_flop=E_FLOP_DEFAULT,
                 conventional_update=CONVENTIONAL_UPDATE_ENERGY,
                 fndam_update=PAPER_ENERGY_PER_UPDATE.value):
    """Energy saving of swapping the update memory only: E_conventional / E_FN-DAM.

    Both sides keep the same compute (6 N D e_flop) and no hold term; only the write energy per
    parameter update changes.  Per parameter the ratio is (6 B e_flop + e_conv) / (6 B e_flop + e_fn):
    it depends on the batch size, not on N (docs/science.md section 5: B = 1 666x, 32 22x, 1024 1.65x,
    4e6 1.0x with 1.28 pJ/FLOP, 5.12 nJ and 5 fJ).

    Parameters
    ----------
    n_params, samples, batch_size : float or array_like
        As in :func:`training_energy`; broadcast together.
    e_flop : float
        Energy per FLOP [J].
    conventional_update, fndam_update : float
        Energy per parameter update of the conventional memory and of FN-DAM [J].

    Returns
    -------
    float or numpy.ndarray
        Saving ratio [-], >= 1 when FN-DAM writes cost less.

    Examples
    --------
    >>> saving_ratio(1e9, 1e12, [1, 32, 1024, 4e6]).round(2).tolist()
    [666.17, 21.8, 1.65, 1.0]
    """
    conventional = training_energy(n_params, samples, batch_size, e_flop=e_flop,
                                   update_energy=conventional_update).total
    fndam = training_energy(n_params, samples, batch_size, e_flop=e_flop, update_energy=fndam_update).total
    return as_output(np.divide(conventional, fndam))


def landauer_limit(temperature=300.0):
    """Landauer's bound kT ln 2 per erased bit [J]; 2.871e-21 J at 300 K (docs/science.md section 5).

    >>> f"{landauer_limit(300.0):.4g} J"
    '2.871e-21 J'
    """
    t = check_positive("temperature", temperature, "K", 1e4)
    return as_output(c.KB * t * math.log(2.0))


def physical_anchors(device=None, temperature=300.0, bits=14):
    """Physical anchors of docs/science.md section 5 for a device, each as an :class:`Anchor` [calc].

    Parameters
    ----------
    device : FNDAMDevice, optional
        Sets C_T and the tunneling voltage; the illustrative device by default.
    temperature : float
        Temperature [K], in (0, 1e4].
    bits : float
        Resolution for the kT/C and electron-counting bounds [bits], in [1, 32].

    Returns
    -------
    dict of str to Anchor
        'landauer' (kT ln 2), 'electron' (q V_tun), 'thermal_noise' (sqrt(kT/C) [V]),
        'capacitance_for_bits' [F] and 'electrons_for_bits' (see Notes).

    Notes
    -----
    'capacitance_for_bits' asks that kT/C noise stay below the step of ``bits`` bits over 1 V:
    sqrt(kT/C) <= 1 V / 2^b, i.e. C >= kT 4^b / (1 V)^2 (1.1 pF for 14 bits at 300 K).
    'electrons_for_bits': resolving b bits by counting electrons (shot noise sqrt(N) <= N / 2^b)
    needs N >= 4^b (2.7e8 for 14 bits).

    Examples
    --------
    For the illustrative device (100 fF, 10 V) at 300 K and 14 bits:

    >>> for name, anchor in physical_anchors().items():
    ...     print(f"{name}: {anchor.value:.3g} {anchor.unit}")
    landauer: 2.87e-21 J
    electron: 1.6e-18 J
    thermal_noise: 0.000204 V
    capacitance_for_bits: 1.11e-12 F
    electrons_for_bits: 2.68e+08 electrons
    """
    device = device or FNDAMDevice()
    t = float(check_positive("temperature", temperature, "K", 1e4))
    b = float(check_range("bits", bits, 1.0, 32.0, "bits"))
    kt = c.KB * t
    return {
        "landauer": Anchor(landauer_limit(t), "J", "kT ln 2 per erased bit", "Landauer (1961)", "calc"),
        "electron": Anchor(c.Q * device.tunneling_voltage, "J", "one electron through V_tun",
                           "q V_tun", "calc"),
        "thermal_noise": Anchor(math.sqrt(kt / device.capacitance), "V", "sqrt(kT/C) on C_T",
                                "kT/C", "calc"),
        "capacitance_for_bits": Anchor(kt * 4.0**b, "F", f"C for {b:g} bits over 1 V against kT/C",
                                       "kT/C <= (1 V / 2^b)^2", "calc"),
        "electrons_for_bits": Anchor(4.0**b, "electrons", f"electrons to resolve {b:g} bits",
                                     "shot noise sqrt(N) <= N / 2^b", "calc"),
    }
