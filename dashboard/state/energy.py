"""View 5: energy per update by technology and the energy of training at every scale.

Training energy = compute + updates + hold (docs/science.md section 5,
:func:`physics.energy.training_energy`).
Only the update memory changes between the two sides compared: a conventional digital memory and
FN-DAM; compute is the same on both, so the saving depends on updates per FLOP (the batch size).
The 100x of the press is shown as a press-reported projection, never as a computed result.
"""

import numpy as np
import param

from dashboard.state.memory import MemoryState
from physics import energy
from physics.constants import DAY

N_RANGE = (1e3, 1e12)  #: parameters N on the x axis of the training-energy plot
B_RANGE = (1.0, 1e7)  #: batch sizes on the x axis of the saving plot
POINTS = 60
#: The batch sizes of the saving table in docs/science.md section 5.
TABLE_BATCHES = (1.0, 32.0, 1024.0, 4e6)
ROOM_TEMPERATURE_K = 300.0  #: temperature of the Landauer floor [K]

#: Conventional update memories: label -> (bits per word, words per update, energy per bit [J]).
CONVENTIONAL = {
    "DRAM, weight + optimizer state (32 B x 20 pJ/bit = 5.12 nJ)": (32, 8, energy.DRAM_ENERGY_PER_BIT),
    "DRAM, one 32-bit word (640 pJ)": (32, 1, energy.DRAM_ENERGY_PER_BIT),
    "SRAM, one 32-bit word (0.16 pJ/bit = 5.1 pJ)": (32, 1, energy.write_energy("SRAM")),
}
#: Where the FN-DAM energy per update comes from.
FNDAM_SOURCES = ("Paper: as low as 5 fJ (published)", "Device physics: this element (illustrative)")


class EnergyState(param.Parameterized):
    """Training-energy model over N and B, with the memory technologies compared."""

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
    conventional = param.Selector(
        objects=list(CONVENTIONAL), default=next(iter(CONVENTIONAL)), label="Conventional update memory",
        doc="What one digital parameter update costs: 32 bytes (weight and optimizer state) through "
            "DRAM (Horowitz, ISSCC 2014 access energies) is the default assumption; one word in DRAM "
            "or SRAM for comparison.", metadata={"url": "conv"})
    fndam_source = param.Selector(
        objects=list(FNDAM_SOURCES), default=FNDAM_SOURCES[0], label="FN-DAM energy per update",
        doc="The paper's 'as low as 5 fJ' (published anchor), or C_T |dV| V_tun of this session's "
            "element for the illustrative pulse at age 100 s (device physics).", metadata={"url": "fnE"})
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

    def conventional_update(self):
        """Energy of one conventional parameter update [J] and its bits per word."""
        bits, words, per_bit = CONVENTIONAL[self.conventional]
        return energy.conventional_update_energy(bits, words, per_bit), bits

    def fndam_update(self):
        """Energy of one FN-DAM update [J]: the published 5 fJ or the device physics."""
        if self.fndam_source == FNDAM_SOURCES[0]:
            return energy.PAPER_ENERGY_PER_UPDATE.value
        return energy.fndam_update_energy(self.memory.element())

    def _split(self, n, batch, side):
        """EnergySplit [J] of one side ('conventional' or 'fndam') over arrays of N and B."""
        e_conv, bits = self.conventional_update()
        common = {"e_flop": energy.E_FLOP[self.e_flop], "bits": bits, "train_time": self.train_days * DAY}
        if side == "conventional":
            return energy.training_energy(n, 10.0**self.log10_samples, batch, update_energy=e_conv,
                                          hold_power_per_bit=self.hold_pW_per_bit * 1e-12, **common)
        return energy.training_energy(n, 10.0**self.log10_samples, batch, update_energy=self.fndam_update(),
                                      hold_power_per_bit=0.0, **common)

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
        """Saving E_conventional / E_FN-DAM against B at the chosen N (all three terms counted)."""
        batch = np.geomspace(*B_RANGE, POINTS)
        n = 10.0**self.log10_params
        conv = self._split(n, batch, "conventional").total
        fn = self._split(n, batch, "fndam").total
        table = np.array(TABLE_BATCHES)
        table_saving = self._split(n, table, "conventional").total / self._split(n, table, "fndam").total
        return {"B": batch, "saving": conv / fn, "table_B": table, "table_saving": table_saving}

    def technologies(self):
        """Rows of the technology table plus this session's FN-DAM element and the Landauer floor."""
        rows = [{"technology": row["technology"], "energy_J": row["write_energy_J"],
                 "max_J": row["write_energy_max_J"], "basis": row["write_energy_basis"],
                 "source": row["write_energy_source"], "includes": row["includes"]}
                for row in energy.technology_table()]
        rows.append({"technology": "FN-DAM (this element)", "energy_J": energy.fndam_update_energy(
            self.memory.element()), "max_J": np.nan, "basis": "per synaptic update (device physics)",
            "source": "C_T |dV| V_tun, illustrative pulse 0.3 V x 0.1 s at age 100 s [calc]",
            "includes": "charge moved through the tunneling node only (no drivers, no readout)"})
        return rows

    def summary(self):
        """Headline numbers: energies per update, the saving at (N, B), Landauer, and the anchors."""
        e_conv, _ = self.conventional_update()
        n = 10.0**self.log10_params
        conv = self._split(n, self.batch_size(), "conventional")
        fn = self._split(n, self.batch_size(), "fndam")
        return {"conventional_J": e_conv, "fndam_J": self.fndam_update(), "batch": self.batch_size(),
                "N": n, "conventional_total_J": conv.total, "fndam_total_J": fn.total,
                "saving": conv.total / fn.total, **self.anchors()}

    @staticmethod
    def anchors():
        """Fixed references: Landauer's kT ln 2 at 300 K [J] (``landauer_J``), the preprint's energy per
        update (``paper``) and the press-reported training saving (``press``), as physics.energy Anchors."""
        return {"landauer_J": energy.landauer_limit(ROOM_TEMPERATURE_K),
                "paper": energy.PAPER_ENERGY_PER_UPDATE, "press": energy.PRESS_TRAINING_SAVING}
