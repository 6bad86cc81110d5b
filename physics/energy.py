"""Energy of memory updates and of training at scale (docs/science.md sections 4 and 5).

* the technology table (``physics/data/technologies.csv``): one row per technology, every number with
  its source, empty where the source gives none;
* FN-DAM's energy per update from the device physics: the extra charge C_T |dV| moved by a pulse
  crosses the tunneling voltage, E = C_T |dV| V_tun;
* a training-energy model E = compute + updates + hold and the saving of a write-energy swap;
* physical anchors (Landauer, one electron, kT/C) and the published figures, each labelled.

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


def conventional_update_energy(bits=32, words=8, energy_per_bit=DRAM_ENERGY_PER_BIT):
    """Energy of one digital parameter update that moves ``words`` words of ``bits`` bits [J].

    E = bits x words x energy_per_bit.  Defaults: the weight and its optimizer state, 8 x 32 bits =
    32 bytes through DRAM at 20 pJ/bit = 5.12 nJ (docs/science.md section 5, an assumption built on
    Horowitz 2014).  Plain SGD writing one 32-bit word: ``words=1``, 640 pJ.

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
    bits = check_range("bits", bits, 1.0, 1024.0, "bits")
    words = check_range("words", words, 1.0, 1024.0)
    per_bit = check_positive("energy_per_bit", energy_per_bit, "J", 1e-9)
    return as_output(bits * words * per_bit)


#: The default conventional update of docs/science.md section 5: 5.12 nJ [J].
CONVENTIONAL_UPDATE_ENERGY = conventional_update_energy()


@dataclass(frozen=True)
class Anchor:
    """A labelled number: ``status`` is 'published', 'press-reported projection' or 'calc'."""

    value: float
    unit: str
    label: str
    source: str
    status: str


#: The paper's figures and the press figure, labelled as what they are.
PAPER_ENERGY_PER_UPDATE = Anchor(
    5e-15, "J", "FN-DAM energy per memory update, 'as low as'",
    "Mehta, Aono, Chakrabartty, arXiv:2104.05926 v1 abstract (preprint)", "published")
PAPER_PRECISION_BITS = Anchor(
    14, "bits", "FN-DAM programming resolution, 'up to'",
    "Mehta, Aono, Chakrabartty, arXiv:2104.05926 v1 abstract (preprint)", "published")
PRESS_TRAINING_SAVING = Anchor(
    100, "x", "reduction of ML training energy, 'a pessimistic projection ... for a small-scale system'",
    "The Register (2022); derivation not public [open]", "press-reported projection")


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
    100 fF x 1 mV x 10 V ~ 1 fJ).  Only this tunneled-charge part of an update's energy is modelled:
    the pulse drive and the readout are not (docs/science.md section 7).  The illustrative device with
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
    ``update_energy = conventional_update_energy(bits, ...)``; for FN-DAM pass
    :func:`fndam_update_energy` (or the published 5 fJ) and ``hold_power_per_bit = 0``.

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
