"""View 5: energy per update by technology, the parts of an FN-DAM update against age, and the energy of
training at every scale.

Training energy = compute + updates + hold (docs/science.md section 5,
:func:`physics.energy.training_energy`).
Only the update memory changes between the two sides compared: a conventional digital memory (a named
baseline: DDR DRAM, HBM2 or on-chip SRAM, always shown beside the result) and FN-DAM; compute is the
same on both, so the saving depends on updates per FLOP (the batch size). Reads are charged on both sides
or on neither. FN-DAM's energy per update is either the preprint's 5 fJ anchor or the device physics
(tunneling + drive, + one ADC read), averaged over the ages the run visits.
The 100x of the press is shown as a press-reported projection, never as a computed result.
"""

import numpy as np
import param
from scipy.optimize import brentq

from dashboard.state.memory import MemoryState
from physics import energy
from physics.constants import DAY, YEAR

N_RANGE = (1e3, 1e12)  #: parameters N on the x axis of the training-energy plot
B_RANGE = (1.0, 1e7)  #: batch sizes on the x axis of the saving plot
AGE_RANGE = (1.0, 10 * YEAR)  #: device ages on the x axis of the update-parts plot [s]
POINTS = 60
#: The batch sizes of the saving table in docs/science.md section 5.
TABLE_BATCHES = (1.0, 32.0, 1024.0, 4e6)
ROOM_TEMPERATURE_K = 300.0  #: temperature of the Landauer floor [K]

#: Bits one conventional parameter update moves: label -> bits (docs/science.md section 5).
UPDATE_TRAFFIC = {
    "32 B: weight + Adam state (mixed precision)": 256,
    "4 B: one 32-bit weight (plain SGD, like FN-DAM)": 32,
}
#: Where the FN-DAM energy per update comes from.
FNDAM_SOURCES = ("Preprint abstract: as low as 5 fJ (arXiv:2104.05926 v1)",
                 "Device physics: this element, averaged over the ages of the run (illustrative)")
#: Drive models by label (physics.energy.DRIVE_MODELS): label -> key.
DRIVES = {label: key for key, label in energy.DRIVE_MODELS.items()}
#: The press's figure: the model says for which batch sizes it reaches it.
PRESS_RATIO = energy.PRESS_TRAINING_SAVING.value


class EnergyState(param.Parameterized):
    """Training-energy model over N and B, with the memory technologies and baselines compared."""

    memory = param.ClassSelector(class_=MemoryState, constant=True,
                                 doc="The session's FN-DAM element (device physics energy).")
    log10_params = param.Number(
        9.0, bounds=(3.0, 12.0), step=0.1, label="Model parameters N (log10)",
        doc="Parameters of the model, as a power of ten, marked on the training-energy plot.",
        metadata={"url": "logN"})
    log10_samples = param.Number(
        9.0, bounds=(3.0, 13.0), step=0.1, label="Training samples or tokens D (log10)",
        doc="How many samples (or tokens) the model sees in training, as a power of ten: 9 is 1e9.",
        metadata={"url": "logD"})
    log10_batch = param.Number(
        1.5, bounds=(0.0, 7.0), step=0.05, label="Batch size B (log10 of samples per step)",
        doc="Samples per optimizer step, as a power of ten (0 is online learning, B = 1; 6.6 is a 4e6-"
            "token datacentre batch). Every step updates every parameter once: N D/B updates.",
        metadata={"url": "logB"})
    e_flop = param.Selector(
        objects=list(energy.E_FLOP), default=next(iter(energy.E_FLOP)),
        label="Energy per FLOP (J/FLOP, by source)",
        doc="Compute energy: A100 or H100 at peak (power / peak FLOP/s), or GPT-3's all-in figure "
            "(1,287 MWh / 3.14e23 FLOP; Patterson et al. 2021).", metadata={"url": "flop"})
    baseline = param.Selector(
        objects=list(energy.BASELINES), default="DDR DRAM", label="Conventional update memory (baseline)",
        doc="The memory FN-DAM would replace, at its access energy per bit: off-chip DDR DRAM 20 pJ/bit "
            "(Horowitz, ISSCC 2014, low end of 20-40), HBM2 3.9 pJ/bit (O'Connor et al., MICRO 2017; "
            "already inside GPU board power, so inside e_flop), on-chip SRAM 0.16 pJ/bit (Horowitz 2014). "
            "The saving is shown for all three.", metadata={"url": "conv"})
    update_traffic = param.Selector(
        objects=list(UPDATE_TRAFFIC), default=next(iter(UPDATE_TRAFFIC)),
        label="Bits moved per conventional update",
        doc="32 bytes (weight and Adam optimizer state, read and written; an assumption) or one 32-bit "
            "weight (plain SGD, the rule an FN-DAM array implements).", metadata={"url": "bytes"})
    count_reads = param.Boolean(
        True, label="Charge weight reads on both sides",
        doc="On: each update also reads its weight once, a 32-bit word at the baseline's energy per bit, "
            "and on FN-DAM one ADC conversion (often the largest part). Off: neither side pays for reads.",
        metadata={"url": "reads"})
    fndam_source = param.Selector(
        objects=list(FNDAM_SOURCES), default=FNDAM_SOURCES[0], label="FN-DAM energy per update",
        doc="The preprint abstract's 'as low as 5 fJ' (arXiv:2104.05926 v1; the published paper does not "
            "quote it, and what it includes is not stated), or this session's element: tunneled charge "
            "+ pulse drive for the illustrative pulse (0.3 V, 0.1 s), averaged over the ages the run "
            "visits (device physics). With reads charged, one ADC conversion is added to either.",
        metadata={"url": "fnE"})
    drive = param.Selector(
        objects=list(DRIVES), default=next(iter(DRIVES)), label="Pulse drive model",
        doc="Energy to raise the junction capacitance C_j = eps_ox eps0 S / d by the pulse amplitude: "
            "drawn from the tunneling supply, C_j delta V_tun (~8.6 fJ), or the ideal lower bound "
            "C_j delta^2 (~0.26 fJ). An open assumption; wiring and coupling capacitors add more.",
        metadata={"url": "drive"})
    adc_bits = param.Integer(
        12, bounds=(4, 16), step=1, label="Readout ADC resolution (bits)",
        doc="Bits of the conversion that reads an FN-DAM weight; the energy grows as 2^bits.",
        metadata={"url": "eadc"})
    adc_fom_fJ = param.Number(
        5.0, bounds=(0.5, 50.0), step=0.5, label="ADC figure of merit (fJ per conversion step)",
        doc="Walden figure of merit: energy per conversion = FOM x 2^bits. Good SAR converters reach "
            "~1-10 fJ per step (Murmann, ADC Performance Survey); 5 fJ is illustrative.",
        metadata={"url": "fom"})
    log10_start_age = param.Number(
        2.0, bounds=(0.0, 8.0), step=0.1, label="Device age at the first step (log10 s)",
        doc="Age of the FN-DAM elements when training starts, as a power of ten (2 is 100 s, the synapse "
            "array's start age). Older elements move less per pulse and cost less tunneled charge.",
        metadata={"url": "age0"})
    log10_step_seconds = param.Number(
        -1.0, bounds=(-3.0, 3.0), step=0.1, label="Time per training step (log10 s)",
        doc="Seconds between two steps, as a power of ten (-1 is 0.1 s, the learning view's step). With "
            "D/B steps this sets the ages the run visits, over which the device-physics energy is "
            "averaged.", metadata={"url": "estep"})
    hold_pW_per_bit = param.Number(
        1.0, bounds=(0.0, 1000.0), step=0.1, label="Conventional hold power (pW per bit)",
        doc="Power to keep one bit of the conventional memory while training (refresh, leakage). "
            "Illustrative (open assumption); FN-DAM needs no supply to hold its state.",
        metadata={"url": "hold"})
    train_days = param.Number(
        30.0, bounds=(0.0, 365.0), step=1.0, label="Training time (days)",
        doc="Duration over which the conventional memory holds the model (for the hold term).",
        metadata={"url": "days"})

    def __init__(self, memory=None, **params):
        super().__init__(memory=memory or MemoryState(), **params)

    def batch_size(self):
        """B [samples per step]."""
        return 10.0**self.log10_batch

    def start_age(self):
        """Device age at the first step [s]."""
        return 10.0**self.log10_start_age

    def step_seconds(self):
        """Time per step [s]."""
        return 10.0**self.log10_step_seconds

    def steps(self, batch=None):
        """Steps S = D/B of the run (at least 1), capped where the last age would pass the pulse model's
        1e10 s: the mean then stops there, which can only raise FN-DAM's mean energy (older is cheaper)."""
        batch = self.batch_size() if batch is None else np.asarray(batch, dtype=float)
        cap = (energy.AGE_MAX - self.start_age()) / self.step_seconds() + 1.0
        return np.clip(10.0**self.log10_samples / batch, 1.0, max(cap, 1.0))

    def run_ages(self, batch=None):
        """First and last device age of the run [s]."""
        last = self.start_age() + (float(np.max(self.steps(batch))) - 1.0) * self.step_seconds()
        return self.start_age(), last

    def conventional_update(self, baseline=None):
        """Energy of one conventional parameter update [J] (reads included if counted) and bits per word."""
        e = energy.baseline_update_energy(baseline or self.baseline, reads=self.count_reads,
                                          bits_per_update=UPDATE_TRAFFIC[self.update_traffic])
        return e, 32

    def readout(self):
        """Energy of one FN-DAM read, one ADC conversion FOM x 2^bits [J]."""
        return energy.adc_read_energy(self.adc_bits, self.adc_fom_fJ * 1e-15)

    def _element_options(self):
        return {"adc_bits": self.adc_bits, "adc_fom": self.adc_fom_fJ * 1e-15, "drive": DRIVES[self.drive]}

    def run_parts(self, batch=None):
        """Device-physics UpdateEnergy [J] averaged over the run's ages, at ``batch`` (array or scalar)."""
        return energy.mean_update_energy(self.memory.element(), start_age=self.start_age(),
                                         steps=self.steps(batch), step_seconds=self.step_seconds(),
                                         **self._element_options())

    def fndam_update(self, batch=None):
        """Energy charged per FN-DAM update [J]: the preprint's 5 fJ or the device physics averaged over
        the run's ages (which depend on B), plus one ADC conversion when reads are charged."""
        if self.fndam_source == FNDAM_SOURCES[0]:
            shape = np.shape(self.batch_size() if batch is None else batch)
            e = np.full(shape, energy.PAPER_ENERGY_PER_UPDATE.value)
            e = e + (self.readout() if self.count_reads else 0.0)
        else:
            parts = self.run_parts(batch)
            e = np.asarray(parts.total if self.count_reads else parts.write)
        return float(e) if e.ndim == 0 else e

    def update_parts_vs_age(self):
        """The parts of one FN-DAM update [J] against age, with the run's span and its mean charged energy."""
        age = np.geomspace(*AGE_RANGE, POINTS * 2)
        parts = energy.update_energy_parts(self.memory.element(), age=age, **self._element_options())
        mean = self.run_parts()
        charged = parts.total if self.count_reads else parts.write
        return {"age": age, "tunneling": parts.tunneling, "drive": parts.drive, "readout": parts.readout,
                "charged": charged, "run": self.run_ages(),
                "mean_charged": float(mean.total if self.count_reads else mean.write)}

    def _split(self, n, batch, side, baseline=None):
        """EnergySplit [J] of one side ('conventional' or 'fndam') over arrays of N and B."""
        e_conv, bits = self.conventional_update(baseline)
        common = {"e_flop": energy.E_FLOP[self.e_flop], "bits": bits, "train_time": self.train_days * DAY}
        if side == "conventional":
            return energy.training_energy(n, 10.0**self.log10_samples, batch, update_energy=e_conv,
                                          hold_power_per_bit=self.hold_pW_per_bit * 1e-12, **common)
        return energy.training_energy(n, 10.0**self.log10_samples, batch,
                                      update_energy=self.fndam_update(batch), hold_power_per_bit=0.0,
                                      **common)

    def saving_at(self, batch, baseline=None):
        """Saving E_conventional / E_FN-DAM at the chosen N and ``batch`` (all three terms counted)."""
        n = 10.0**self.log10_params
        return self._split(n, batch, "conventional", baseline).total / self._split(n, batch, "fndam").total

    def training_vs_params(self):
        """Training energy [J] split by term against N, for both memories, at the chosen B."""
        n = np.geomspace(*N_RANGE, POINTS)
        out = {"N": n}
        for side in ("conventional", "fndam"):
            split = self._split(n, self.batch_size(), side)
            out[side] = {"compute": split.compute, "updates": split.updates, "hold": split.hold,
                         "total": split.total}
        return out

    def saving_vs_batch(self):
        """Saving against B at the chosen N for every baseline (``by_baseline``) and the chosen one."""
        batch = np.geomspace(*B_RANGE, POINTS)
        table = np.array(TABLE_BATCHES)
        return {"B": batch, "saving": self.saving_at(batch), "table_B": table,
                "table_saving": self.saving_at(table),
                "by_baseline": {name: self.saving_at(batch, name) for name in energy.BASELINES},
                "press_B": self.press_batch()}

    def press_batch(self, baseline=None, ratio=PRESS_RATIO):
        """Largest B at which this model's saving is still >= ``ratio`` (the press's 100x) [samples per
        step]: 0 when even B = 1 falls short, ``inf`` when it holds over the whole B range."""
        def excess(log_b):
            return float(np.log(self.saving_at(10.0**log_b, baseline) / ratio))

        lo, hi = np.log10(B_RANGE)
        if excess(lo) < 0:
            return 0.0
        if excess(hi) >= 0:
            return np.inf
        return float(10.0**brentq(excess, lo, hi, xtol=1e-6))

    def technologies(self):
        """Rows of the technology table plus this session's FN-DAM element and the Landauer floor."""
        rows = [{"technology": row["technology"], "energy_J": row["write_energy_J"],
                 "max_J": row["write_energy_max_J"], "basis": row["write_energy_basis"],
                 "source": row["write_energy_source"], "includes": row["includes"]}
                for row in energy.technology_table()]
        parts = energy.update_energy_parts(self.memory.element(), age=energy.REFERENCE_AGE,
                                           **self._element_options())
        rows.append({"technology": "FN-DAM (this element)", "energy_J": parts.write, "max_J": np.nan,
                     "basis": "per synaptic update (device physics)",
                     "source": "C_T |dV| V_tun + pulse drive, illustrative pulse 0.3 V x 0.1 s at age 100 s "
                               "[calc]",
                     "includes": f"tunneled charge ({parts.tunneling:.3g} J) and pulse drive, {self.drive} "
                                 f"({parts.drive:.3g} J); no readout"})
        return rows

    def summary(self):
        """Headline numbers: energies per update, the saving at (N, B) for the chosen baseline and for
        every baseline, where the press's 100x is reached, Landauer, and the anchors."""
        e_conv, _ = self.conventional_update()
        n = 10.0**self.log10_params
        conv = self._split(n, self.batch_size(), "conventional")
        fn = self._split(n, self.batch_size(), "fndam")
        device = self.fndam_source == FNDAM_SOURCES[1]
        return {"conventional_J": e_conv, "fndam_J": self.fndam_update(), "batch": self.batch_size(),
                "N": n, "conventional_total_J": conv.total, "fndam_total_J": fn.total,
                "saving": conv.total / fn.total, "baseline": energy.BASELINES[self.baseline],
                "bits_per_update": UPDATE_TRAFFIC[self.update_traffic], "reads": self.count_reads,
                "readout_J": self.readout(), "device_physics": device,
                "run_parts": self.run_parts() if device else None, "steps": float(self.steps()),
                "run_ages": self.run_ages(),
                "by_baseline": {name: float(self.saving_at(self.batch_size(), name))
                                for name in energy.BASELINES},
                "press_B": self.press_batch(), **self.anchors()}

    @staticmethod
    def anchors():
        """Fixed references: Landauer's kT ln 2 at 300 K [J] (``landauer_J``), the preprint's energy per
        update (``paper``) and the press-reported training saving (``press``), as physics.energy Anchors."""
        return {"landauer_J": energy.landauer_limit(ROOM_TEMPERATURE_K),
                "paper": energy.PAPER_ENERGY_PER_UPDATE, "press": energy.PRESS_TRAINING_SAVING}
